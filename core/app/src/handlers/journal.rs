//! Uses, breaks, the tolerance card and restart advice.

use chrono::{Local, NaiveDate};
use holdfast_domain::records::{BreakEntry, RecordId, RecordKind, UseEntry};
use holdfast_domain::tolerance::view::{self as tview, RestartView, ToleranceView};
use holdfast_domain::tolerance::{self, Medicine, Records, Treatment};
use holdfast_store::Store;

use crate::session::JournalView;
use crate::{App, AppError, IpcError};

impl App {
    /// Everything the history screen lists.
    pub fn journal_view(&self) -> Result<JournalView, IpcError> {
        self.with_store(|s| {
            Ok::<_, IpcError>(JournalView {
                uses: s.list_uses()?,
                breaks: s.list_breaks()?,
            })
        })
    }

    /// Records a use; returns its id.
    pub fn add_use(&self, entry: UseEntry) -> Result<RecordId, IpcError> {
        self.with_store(|s| s.add_use(&entry))
    }

    /// Changes a recorded use.
    pub fn update_use(&self, id: RecordId, entry: UseEntry) -> Result<(), IpcError> {
        self.with_store(|s| s.update_use(id, &entry))
    }

    /// Records a break; returns its id.
    pub fn add_break(&self, entry: BreakEntry) -> Result<RecordId, IpcError> {
        self.with_store(|s| s.add_break(&entry))
    }

    /// Changes a recorded break.
    pub fn update_break(&self, id: RecordId, entry: BreakEntry) -> Result<(), IpcError> {
        self.with_store(|s| s.update_break(id, &entry))
    }

    /// Deletes a use, a break or a check-in.
    pub fn delete_record(&self, kind: RecordKind, id: RecordId) -> Result<(), IpcError> {
        self.with_store(|s| s.delete(kind, id))
    }

    /// Days since last use, the tolerance status with its reasons and sources, and the
    /// timeline.
    pub fn tolerance(&self) -> Result<ToleranceView, IpcError> {
        self.with_store(|s| self.tolerance_of(s))
    }

    /// Records the current medication treatment (not a use); returns the new view.
    pub fn set_treatment(&self, treatment: Treatment) -> Result<ToleranceView, IpcError> {
        self.with_store(|s| {
            s.set_setting(tview::TREATMENT_SETTING, tview::treatment_value(treatment))?;
            self.tolerance_of(s)
        })
    }

    /// What to know before restarting a prescribed medicine after `last_dose`, which may not
    /// be after today.
    pub fn restart_advice(
        &self,
        medicine: Medicine,
        last_dose: NaiveDate,
    ) -> Result<RestartView, IpcError> {
        let now = self.now();
        if last_dose > tolerance::today(now, &Local) {
            return Err(AppError::LastDoseInFuture.into());
        }
        Ok(tview::restart_view(
            self.content()?,
            medicine,
            last_dose,
            now,
            &Local,
        ))
    }

    fn tolerance_of(&self, store: &Store) -> Result<ToleranceView, IpcError> {
        let uses = store.list_uses()?;
        let breaks = store.list_breaks()?;
        let treatment =
            tview::parse_treatment(store.get_setting(tview::TREATMENT_SETTING)?.as_deref());
        let journal = Records {
            uses: &uses,
            breaks: &breaks,
            treatment,
        };
        Ok(tview::tolerance_view(
            &journal,
            self.content()?,
            self.now(),
            &Local,
        ))
    }
}
