//! Triggers, support people and the safety plan. Phone numbers are checked for the person's
//! region (their choice, else the system locale, else the fallback).

use holdfast_domain::records::{
    ListKind, MakingSafer, PlanItem, PlanSection, RecordId, SafetyPlan, Stored, SupportPerson,
    Trigger,
};

use crate::{App, IpcError};

impl App {
    /// The person's triggers, in their order.
    pub fn list_triggers(&self) -> Result<Vec<Stored<Trigger>>, IpcError> {
        self.with_store(|s| s.list_triggers())
    }

    /// Adds a trigger at the end; returns its id.
    pub fn add_trigger(&self, trigger: Trigger) -> Result<RecordId, IpcError> {
        self.with_store(|s| s.add_trigger(&trigger))
    }

    /// Renames a trigger.
    pub fn rename_trigger(&self, id: RecordId, trigger: Trigger) -> Result<(), IpcError> {
        self.with_store(|s| s.rename_trigger(id, &trigger))
    }

    /// Sets the order: `ids` names every trigger once.
    pub fn reorder_triggers(&self, ids: Vec<RecordId>) -> Result<(), IpcError> {
        self.with_store(|s| s.reorder_triggers(&ids))
    }

    /// Removes a trigger (and from past check-ins).
    pub fn delete_trigger(&self, id: RecordId) -> Result<(), IpcError> {
        self.with_store(|s| s.delete_from_list(ListKind::Trigger, id))
    }

    /// The support people, in the person's order.
    pub fn list_support_people(&self) -> Result<Vec<Stored<SupportPerson>>, IpcError> {
        self.with_store(|s| s.list_support_people())
    }

    /// Adds a support person (the phone is checked for the person's region); returns the id.
    pub fn add_support_person(&self, person: SupportPerson) -> Result<RecordId, IpcError> {
        let region = self.region();
        self.with_store(|s| s.add_support_person(&person, region))
    }

    /// Replaces a support person.
    pub fn update_support_person(
        &self,
        id: RecordId,
        person: SupportPerson,
    ) -> Result<(), IpcError> {
        let region = self.region();
        self.with_store(|s| s.update_support_person(id, &person, region))
    }

    /// Sets the order: `ids` names every support person once.
    pub fn reorder_support_people(&self, ids: Vec<RecordId>) -> Result<(), IpcError> {
        self.with_store(|s| s.reorder_support_people(&ids))
    }

    /// Removes a support person (and their line on the plan).
    pub fn delete_support_person(&self, id: RecordId) -> Result<(), IpcError> {
        self.with_store(|s| s.delete_from_list(ListKind::SupportPerson, id))
    }

    /// The whole safety plan.
    pub fn safety_plan(&self) -> Result<SafetyPlan, IpcError> {
        self.with_store(|s| s.safety_plan())
    }

    /// Adds a line at the end of its section; returns its id.
    pub fn add_plan_item(&self, item: PlanItem) -> Result<RecordId, IpcError> {
        let region = self.region();
        self.with_store(|s| s.add_plan_item(&item, region))
    }

    /// Replaces a line (it stays in its section).
    pub fn update_plan_item(&self, id: RecordId, item: PlanItem) -> Result<(), IpcError> {
        let region = self.region();
        self.with_store(|s| s.update_plan_item(id, &item, region))
    }

    /// Sets the order of one section: `ids` names every line in it once.
    pub fn reorder_plan(&self, section: PlanSection, ids: Vec<RecordId>) -> Result<(), IpcError> {
        self.with_store(|s| s.reorder_plan(section, &ids))
    }

    /// Saves step 6, making things safer; returns the whole plan.
    pub fn set_making_safer(&self, safer: MakingSafer) -> Result<SafetyPlan, IpcError> {
        self.with_store(|s| {
            s.set_making_safer(&safer)?;
            s.safety_plan()
        })
    }

    /// Removes a line from the plan (a warning sign also from past check-ins).
    pub fn delete_plan_item(&self, id: RecordId) -> Result<(), IpcError> {
        self.with_store(|s| s.delete_from_list(ListKind::PlanItem, id))
    }
}
