//! Holdfast's domain: the records a person keeps and the rules each must pass, and the pure
//! engines that read them (tolerance, reminders, trends, kit status, the visit walk-through and
//! the emergency screens).
//!
//! Nothing here touches a file, a database, a clock or IPC: time and records are passed in, so
//! every rule can be tested with plain values. Storage is `holdfast-store`'s; use cases and the
//! IPC contract are `holdfast-app`'s.

pub mod checkin;
pub mod clock;
pub mod emergency;
mod error;
pub mod kits;
pub mod passphrase;
pub mod records;
pub mod reminders;
pub mod response;
#[cfg(test)]
mod test_support;
pub mod tolerance;
pub mod trends;
pub mod walkthrough;

pub use clock::{Clock, SystemClock};
pub use error::{Internal, Invalid};
