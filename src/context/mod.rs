//! The build context: which files of the workspace are sent to the engine,
//! packed exactly as the docker CLI packs them for the legacy builder
//! (`.dockerignore` with moby's semantics, symlinks kept as symlinks,
//! ownership 0:0), streamed rather than held in memory.
//!
//! [`plan`] decides what is sent (with the walk in `walk.rs`), [`write_tar`]
//! writes it (`archive.rs`), [`advice`] tells the learner what is big or
//! secret (`advice.rs`); [`dockerignore`] is the pattern matcher.

mod advice;
mod archive;
pub mod dockerignore;
#[doc(hidden)]
pub mod fixtures;
mod plan;
#[cfg(test)]
mod tests;
mod walk;

pub use advice::{Suggestion, TopLevelItem, advice};
pub use archive::write_tar;
pub use dockerignore::{Matcher, Pattern, PatternError};
pub use plan::{ContextPlan, Entry, EntryKind, PackError, plan};
