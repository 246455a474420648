//! The domain's errors. Each message is written for a person and never holds the text of an entry.

/// A record or value that breaks one of its rules. `field` names the part, `reason` says why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {reason}")]
pub struct Invalid {
    pub field: &'static str,
    pub reason: String,
}

impl Invalid {
    pub fn new(field: &'static str, reason: impl Into<String>) -> Self {
        Self {
            field,
            reason: reason.into(),
        }
    }
}

/// Something failed inside the app (the random source, the word list). Nothing was changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("Something went wrong inside the app ({0}). Nothing was changed.")]
pub struct Internal(pub &'static str);
