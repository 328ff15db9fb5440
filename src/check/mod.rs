//! Checks: each lesson step's result, judged against reality — the files on
//! disk, the parsed Dockerfile, and what the engine reports.
//!
//! Checks read files but never write them and never run anything; engine
//! facts come in as data ([`EngineFacts`]), gathered by `crate::docker` (the contract is `crate::engine`).

mod dockerfile;
mod engine;
mod files;
mod python;
pub mod spec;

use std::collections::HashMap;
use std::path::Path;

use serde::Serialize;

use crate::engine::EngineFacts;
pub use spec::{CheckKind, CheckSpec, StageScope};

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

/// The result of one check before labels are attached.
pub(crate) enum Verdict {
    Pass,
    Fail(String),
    Blocked(String),
}

/// Runs a lesson's checks in order. Dockerfile checks may refer to an earlier
/// check's match (`after`), so they share what they found.
pub fn run_all(checks: &[CheckSpec], ctx: &Ctx<'_>) -> Vec<Outcome> {
    let mut dockerfiles = dockerfile::Cache::default();
    let mut matched: HashMap<String, usize> = HashMap::new();
    let mut said: Vec<String> = Vec::new();
    checks
        .iter()
        .map(|spec| {
            let verdict = match &spec.kind {
                CheckKind::DirExists { path } => files::dir_exists(ctx.workspace, path),
                CheckKind::FileExists { path } => files::file_exists(ctx.workspace, path),
                CheckKind::FileContains { path, text, absent } => {
                    files::file_contains(ctx.workspace, path, text, *absent)
                }
                CheckKind::PythonPrints { path, expected } => {
                    python::prints(ctx.workspace, path, expected)
                }
                CheckKind::Dockerfile { .. } => {
                    let (verdict, index) =
                        dockerfile::check(&spec.kind, ctx.workspace, &mut dockerfiles, &matched);
                    if let (Some(id), Some(index)) = (&spec.id, index) {
                        matched.insert(id.clone(), index);
                    }
                    verdict
                }
                CheckKind::DockerfileStages { min, path } => {
                    dockerfile::stages(ctx.workspace, path, *min, &mut dockerfiles)
                }
                CheckKind::LintClean { rules, path } => {
                    files::lint_clean(ctx.workspace, path, rules)
                }
                CheckKind::RequirementsPinned { path } => {
                    files::requirements_pinned(ctx.workspace, path)
                }
                kind => match ctx.engine {
                    Some(facts) => engine::check(kind, facts),
                    None => Verdict::Blocked(ctx.engine_missing.to_string()),
                },
            };
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
