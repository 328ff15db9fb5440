//! Checks: each lesson step's result, judged against reality — the files on
//! disk, the parsed Dockerfile, and what the engine reports.
//!
//! A lesson declares [`CheckSpec`]s; each has a kind from [`kinds`] (one
//! file per kind, registered in one list). Checks read files but never write
//! them and never run anything; engine facts come in as data
//! ([`EngineFacts`]), gathered by `crate::docker` (the contract is
//! `crate::engine`).

mod dockerfile;
mod engine;
mod files;
pub mod kinds;
mod spec;

use std::collections::HashMap;
use std::path::Path;

use serde::Serialize;

use crate::engine::EngineFacts;
pub use kinds::Needs;
use kinds::StageScope;
pub use spec::CheckSpec;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Pass,
    Fail,
    /// Cannot be decided now (e.g. no engine); not a failure of the learner.
    Blocked,
}

impl Status {
    /// How the checklist and `docktutor check` mark it.
    pub fn symbol(self) -> &'static str {
        match self {
            Status::Pass => "✓",
            Status::Fail => "✗",
            Status::Blocked => "◌",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Outcome {
    pub label: String,
    pub status: Status,
    /// What is wrong, exactly (for Fail and Blocked).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// What to do about it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
}

impl Outcome {
    pub fn passed(&self) -> bool {
        self.status == Status::Pass
    }
}

/// Where checks look.
pub struct Ctx<'a> {
    pub workspace: &'a Path,
    /// `None` when no engine is connected.
    pub engine: Option<&'a EngineFacts>,
    /// What to tell the learner when the engine is missing.
    pub engine_missing: &'a str,
}

impl Ctx<'_> {
    /// Judges with the engine's facts, or waits (blocked) without an engine.
    pub(crate) fn with_engine(&self, judge: impl FnOnce(&EngineFacts) -> Verdict) -> Verdict {
        match self.engine {
            Some(facts) => judge(facts),
            None => Verdict::Blocked(self.engine_missing.to_string()),
        }
    }
}

/// What a lesson's checks share while they run in order.
#[derive(Default)]
pub(crate) struct Shared {
    /// Each Dockerfile parsed once.
    dockerfiles: dockerfile::Cache,
    /// The instruction each Dockerfile check matched, by the check's `id`
    /// (for `after = "<id>"`).
    matched: HashMap<String, usize>,
    /// The instruction the check being judged matched, if it is one.
    found: Option<usize>,
}

/// The result of one check before labels are attached.
pub(crate) enum Verdict {
    Pass,
    Fail(String),
    Blocked(String),
}

/// Runs a lesson's checks in order. Dockerfile checks may refer to an earlier
/// check's match (`after`), so they share what they found.
pub fn run_all(checks: &[CheckSpec], ctx: &Ctx<'_>) -> Vec<Outcome> {
    let mut shared = Shared::default();
    let mut said: Vec<String> = Vec::new();
    checks
        .iter()
        .map(|spec| {
            shared.found = None;
            let verdict = spec.judge(ctx, &mut shared);
            if let (Some(id), Some(index)) = (&spec.id, shared.found.take()) {
                shared.matched.insert(id.clone(), index);
            }
            let label = spec.label();
            match verdict {
                Verdict::Pass => Outcome {
                    label,
                    status: Status::Pass,
                    reason: None,
                    fix: None,
                },
                // One missing file fails several checks: say why once.
                Verdict::Fail(reason) if said.contains(&reason) => Outcome {
                    label,
                    status: Status::Fail,
                    reason: Some("(same as above)".into()),
                    fix: None,
                },
                Verdict::Fail(reason) => {
                    said.push(reason.clone());
                    Outcome {
                        label,
                        status: Status::Fail,
                        reason: Some(reason),
                        fix: spec.fix.clone(),
                    }
                }
                Verdict::Blocked(reason) => {
                    let reason = if said.contains(&reason) {
                        "(same as above)".to_string()
                    } else {
                        said.push(reason.clone());
                        reason
                    };
                    Outcome {
                        label,
                        status: Status::Blocked,
                        reason: Some(reason),
                        fix: None,
                    }
                }
            }
        })
        .collect()
}

/// Resolves a lesson path inside the workspace; refuses paths that leave it.
pub fn resolve(workspace: &Path, rel: &str) -> Option<std::path::PathBuf> {
    let rel = Path::new(rel);
    if rel.is_absolute()
        || rel
            .components()
            .any(|c| matches!(c, std::path::Component::ParentDir))
    {
        return None;
    }
    Some(workspace.join(rel))
}

#[cfg(test)]
mod tests;
