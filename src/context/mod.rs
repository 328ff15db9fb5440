//! The build context: which files of the workspace are sent to the engine,
//! packed exactly as the docker CLI packs them for the legacy builder
//! (`.dockerignore` with moby's semantics, symlinks kept as symlinks,
//! ownership 0:0), streamed rather than held in memory.

pub mod dockerignore;
#[doc(hidden)]
pub mod fixtures;
mod pack;

pub use dockerignore::{Matcher, Pattern, PatternError};
pub use pack::{
    ContextPlan, Entry, EntryKind, PackError, Suggestion, TopLevelItem, plan, write_tar,
};

/// Above this, the learner hears what is big and how to leave it out.
const BIG_CONTEXT: u64 = 10_000_000;

/// Teaching moments about the context about to be sent: secrets always,
/// size when it is large.
pub fn advice(plan: &ContextPlan) -> Vec<String> {
    let human = crate::text::human_bytes;
    let mut out = Vec::new();
    for s in &plan.suggestions {
        let secret = s.pattern.contains(".env");
        if secret || plan.total_bytes >= BIG_CONTEXT {
            out.push(format!(
                "add `{}` to .dockerignore — {} ({})",
                s.pattern,
                s.reason,
                human(s.bytes)
            ));
        }
    }
    if plan.total_bytes >= BIG_CONTEXT && out.is_empty() {
        let biggest: Vec<String> = plan
            .largest
            .iter()
            .take(3)
            .map(|t| format!("{} ({})", t.name, human(t.bytes)))
            .collect();
        out.push(format!(
            "the context is large; biggest: {} — leave out what the image does not need with .dockerignore",
            biggest.join(", ")
        ));
    }
    out
}
