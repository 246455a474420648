//! The daily check-in, and the trend and nudge that read it. "Used since the last check-in:
//! yes" also records a use now, in the same savepoint as the check-in.

use chrono::{Local, NaiveDate};
use holdfast_domain::checkin::{self, CheckinSaved};
use holdfast_domain::records::{Checkin, RecordId, Stored};
use holdfast_domain::trends::{Nudge, Trend};

use crate::{reads, App, IpcError};

impl App {
    /// Today's check-in (local date), if there is one yet.
    pub fn checkin_today(&self) -> Result<Option<Stored<Checkin>>, IpcError> {
        let today = self.today();
        self.with_store(|s| s.checkin_on(today))
    }

    /// The check-in for a local date, if there is one.
    pub fn checkin_on(&self, date: NaiveDate) -> Result<Option<Stored<Checkin>>, IpcError> {
        self.with_store(|s| s.checkin_on(date))
    }

    /// Every check-in, by date.
    pub fn list_checkins(&self) -> Result<Vec<Stored<Checkin>>, IpcError> {
        self.with_store(|s| s.list_checkins())
    }

    /// Saves a new check-in (one per local day), with the use a "yes" stands for.
    pub fn add_checkin(&self, entry: Checkin) -> Result<CheckinSaved, IpcError> {
        let with_use = checkin::records_use(None, entry.used_since_last)
            .then(|| checkin::use_for_checkin(self.now(), &Local));
        self.with_store(|s| {
            let (id, use_id) = s.add_checkin_with_use(&entry, with_use.as_ref())?;
            Ok::<_, IpcError>(CheckinSaved { id, use_id })
        })
    }

    /// Replaces a check-in (today's, edited). A "yes" that was a "no" before records a use
    /// now; one that was already "yes" does not record it again.
    pub fn update_checkin(&self, id: RecordId, entry: Checkin) -> Result<CheckinSaved, IpcError> {
        self.with_store(|s| {
            let old = s.get_checkin(id)?.record;
            let with_use = checkin::records_use(Some(old.used_since_last), entry.used_since_last)
                .then(|| checkin::use_for_checkin(self.now(), &Local));
            let use_id = s.update_checkin_with_use(id, &entry, with_use.as_ref())?;
            Ok::<_, IpcError>(CheckinSaved { id, use_id })
        })
    }

    /// Cravings, mood and sleep over the 30 local days ending today.
    pub fn trend(&self) -> Result<Trend, IpcError> {
        let today = self.today();
        self.with_store(|s| reads::trend(s, today))
    }

    /// The nudge for the home screen, if the latest check-ins call for one.
    pub fn nudge(&self) -> Result<Option<Nudge>, IpcError> {
        let today = self.today();
        self.with_store(|s| reads::nudge(s, today))
    }
}
