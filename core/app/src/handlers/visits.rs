//! The peer visit record: start, save progress, finish, list, delete. Only one is open at a
//! time. A next-visit date is a reminder input; the store tells the reminder thread.

use chrono::Local;
use holdfast_domain::checkin;
use holdfast_domain::records::{RecordId, Stored, Visit};

use crate::{App, IpcError};

impl App {
    /// The open visit (being walked through, or paused), if any.
    pub fn open_visit(&self) -> Result<Option<Stored<Visit>>, IpcError> {
        self.with_store(|s| s.open_visit())
    }

    /// Starts a visit now. Refused (conflict) while another is open.
    pub fn start_visit(&self) -> Result<Stored<Visit>, IpcError> {
        let started = checkin::event_time(self.now(), &Local);
        self.with_store(|s| s.start_visit(started))
    }

    /// Saves an open visit's progress; returns it as stored (tidied).
    pub fn save_visit(&self, id: RecordId, visit: Visit) -> Result<Stored<Visit>, IpcError> {
        self.with_store(|s| s.save_visit(id, &visit))
    }

    /// Finishes an open visit; returns its summary.
    pub fn finish_visit(&self, id: RecordId) -> Result<Stored<Visit>, IpcError> {
        self.with_store(|s| s.finish_visit(id))
    }

    /// One visit.
    pub fn get_visit(&self, id: RecordId) -> Result<Stored<Visit>, IpcError> {
        self.with_store(|s| s.get_visit(id))
    }

    /// Every visit, newest first.
    pub fn list_visits(&self) -> Result<Vec<Stored<Visit>>, IpcError> {
        self.with_store(|s| s.list_visits())
    }

    /// Deletes a visit's record.
    pub fn delete_visit(&self, id: RecordId) -> Result<(), IpcError> {
        self.with_store(|s| s.delete_visit(id))
    }
}
