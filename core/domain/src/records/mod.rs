//! The records a person keeps, as they cross IPC and as the store keeps them, each with the rules
//! it must pass (`validate`/`validated`). The store checks them again before every write.

mod journal;
mod plan;
mod visit;

pub use journal::*;
pub use plan::*;
pub use visit::*;
