//! Naloxone kits, each with its status today.

use chrono::NaiveDate;
use holdfast_domain::kits::{self, KitView};
use holdfast_domain::records::{ListKind, NaloxoneKit, RecordId};

use crate::{App, IpcError};

impl App {
    /// The kits: unused first, soonest expiry first; each with its status today.
    pub fn list_kits(&self) -> Result<Vec<KitView>, IpcError> {
        let today = self.today();
        self.with_store(|s| Ok::<_, IpcError>(kits::kit_views(s.list_kits()?, today)))
    }

    /// Adds a kit; returns its id.
    pub fn add_kit(&self, kit: NaloxoneKit) -> Result<RecordId, IpcError> {
        self.with_store(|s| s.add_kit(&kit))
    }

    /// Replaces a kit.
    pub fn update_kit(&self, id: RecordId, kit: NaloxoneKit) -> Result<(), IpcError> {
        self.with_store(|s| s.update_kit(id, &kit))
    }

    /// "I used it": records the day; its reminders stop.
    pub fn mark_kit_used(&self, id: RecordId, day: NaiveDate) -> Result<(), IpcError> {
        self.with_store(|s| s.mark_kit_used(id, day))
    }

    /// Removes a kit.
    pub fn delete_kit(&self, id: RecordId) -> Result<(), IpcError> {
        self.with_store(|s| s.delete_from_list(ListKind::NaloxoneKit, id))
    }
}
