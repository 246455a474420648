//! Which tables a write touched, so whoever depends on them (the reminder thread) learns it from
//! the store itself rather than from every command remembering to say so.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

/// A table of the journal, as far as listeners care.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Table {
    Uses,
    Breaks,
    Checkins,
    Triggers,
    People,
    Plan,
    Kits,
    Visits,
    /// The encrypted key-value settings (treatment, reminder settings and delivery).
    Settings,
}

impl Table {
    /// Every table.
    pub const ALL: [Table; 9] = [
        Table::Uses,
        Table::Breaks,
        Table::Checkins,
        Table::Triggers,
        Table::People,
        Table::Plan,
        Table::Kits,
        Table::Visits,
        Table::Settings,
    ];

    fn bit(self) -> u32 {
        1 << (self as u32)
    }
}

/// A set of tables.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tables(u32);

impl Tables {
    /// Whether `table` is in the set.
    pub fn contains(self, table: Table) -> bool {
        self.0 & table.bit() != 0
    }

    /// Whether any of `tables` is in the set.
    pub fn any_of(self, tables: &[Table]) -> bool {
        tables.iter().any(|t| self.contains(*t))
    }

    /// Whether the set is empty.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }
}

/// Shared between the store, which marks what each successful write touched, and a listener,
/// which takes what was marked since it last looked. Cloning shares the same marks.
#[derive(Debug, Clone, Default)]
pub struct Changes(Arc<AtomicU32>);

impl Changes {
    /// Notes that `tables` were written.
    pub fn mark(&self, tables: &[Table]) {
        let bits = tables.iter().fold(0, |acc, t| acc | t.bit());
        self.0.fetch_or(bits, Ordering::Relaxed);
    }

    /// The tables written since the last call, and forgets them.
    pub fn take(&self) -> Tables {
        Tables(self.0.swap(0, Ordering::Relaxed))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_are_taken_once_and_shared_by_clones() {
        let changes = Changes::default();
        let listener = changes.clone();
        assert!(listener.take().is_empty());
        changes.mark(&[Table::Kits, Table::Breaks]);
        let taken = listener.take();
        assert!(taken.contains(Table::Kits) && taken.contains(Table::Breaks));
        assert!(!taken.contains(Table::Uses));
        assert!(taken.any_of(&[Table::Uses, Table::Kits]));
        assert!(listener.take().is_empty(), "taken once");
    }
}
