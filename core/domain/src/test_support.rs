//! Helpers the domain's unit tests share. A date that does not exist fails the test at once
//! rather than quietly becoming some other day.

use chrono::NaiveDate;

/// The calendar date `y`-`m`-`d`.
pub(crate) fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a valid date")
}
