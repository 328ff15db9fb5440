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

use crate::diagnose::Diagnosis;
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
    /// What is wrong, exactly (for Fail and Blocked); for a pass, how it
    /// was done where a check says (typed at the prompt or not).
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
    /// Docker commands the learner typed at the prompt that ran to the
    /// end, oldest first.
    pub typed: &'a [String],
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
    /// The preflight's finding per Dockerfile, worked out once.
    preflight: HashMap<String, Option<Diagnosis>>,
    /// The Dockerfile the image of the check being judged is built from.
    built_from: String,
    /// Per image and Dockerfile: the image is older than a file of its
    /// build (worked out once).
    stale: HashMap<(String, String), Option<Diagnosis>>,
}

/// The result of one check before labels are attached.
#[derive(Clone)]
pub(crate) enum Verdict {
    Pass,
    /// A pass with a word on how it was done (`typed_command`: typed at
    /// the prompt, or done another way), shown beside the label.
    PassNoted(String),
    Fail(String),
    /// A failure whose cause was diagnosed: its own fix replaces the
    /// lesson's general one.
    Explained(Diagnosis),
    /// The engine has no such image (normalised reference): `run_all`
    /// says why a build cannot make it yet, when the preflight sees why.
    NoImage(String),
    Blocked(String),
}

impl From<Diagnosis> for Verdict {
    fn from(d: Diagnosis) -> Verdict {
        Verdict::Explained(d)
    }
}

/// Runs a lesson's checks in order. Dockerfile checks may refer to an earlier
/// check's match (`after`), so they share what they found.
pub fn run_all(checks: &[CheckSpec], ctx: &Ctx<'_>) -> Vec<Outcome> {
    // One missing file fails several checks: say why once.
    let mut said: Vec<String> = Vec::new();
    run_all_timed(checks, ctx)
        .into_iter()
        .map(|(mut o, _)| {
            if let Some(reason) = &o.reason {
                if said.contains(reason) {
                    o.reason = Some("(same as above)".into());
                    o.fix = None;
                } else {
                    said.push(reason.clone());
                }
            }
            o
        })
        .collect()
}

/// [`run_all`] with every reason in full (none "same as above") and how
/// long each check took to judge (the engine's facts are read before, so
/// this is the check's own time): what `docktutor check --format` reports.
pub fn run_all_timed(checks: &[CheckSpec], ctx: &Ctx<'_>) -> Vec<(Outcome, std::time::Duration)> {
    let mut shared = Shared::default();
    checks
        .iter()
        .map(|spec| {
            let started = std::time::Instant::now();
            let outcome = judge_one(spec, ctx, &mut shared);
            (outcome, started.elapsed())
        })
        .collect()
}

fn judge_one(spec: &CheckSpec, ctx: &Ctx<'_>, shared: &mut Shared) -> Outcome {
    shared.found = None;
    shared.built_from = spec
        .built_from
        .clone()
        .unwrap_or_else(|| "Dockerfile".into());
    let verdict = match spec.judge(ctx, shared) {
        Verdict::NoImage(image) => no_image(ctx, shared, spec, &image),
        v => stale_first(ctx, shared, spec, v),
    };
    if let (Some(id), Some(index)) = (&spec.id, shared.found.take()) {
        shared.matched.insert(id.clone(), index);
    }
    let label = spec.label();
    let (status, reason, fix) = match verdict {
        Verdict::Pass => {
            return Outcome {
                label,
                status: Status::Pass,
                reason: None,
                fix: None,
            };
        }
        Verdict::PassNoted(note) => (Status::Pass, note, None),
        Verdict::Fail(reason) => (Status::Fail, reason, spec.fix.clone()),
        Verdict::Explained(Diagnosis { reason, fix }) => (Status::Fail, reason, Some(fix)),
        Verdict::NoImage(image) => (
            Status::Fail,
            format!("the engine has no image {image} — build it first"),
            spec.fix.clone(),
        ),
        Verdict::Blocked(reason) => (Status::Blocked, reason, None),
    };
    Outcome {
        label,
        status,
        reason: Some(reason),
        fix,
    }
}

/// The engine has no `image`: the first reason a build cannot make it, in
/// the Dockerfile it is built from, or "build it first".
fn no_image(ctx: &Ctx<'_>, shared: &mut Shared, spec: &CheckSpec, image: &str) -> Verdict {
    let dockerfile = spec.built_from.as_deref().unwrap_or("Dockerfile");
    let finding = shared
        .preflight
        .entry(dockerfile.to_string())
        .or_insert_with(|| {
            crate::diagnose::preflight::check(ctx.workspace, dockerfile, ctx.engine)
        });
    match finding {
        Some(d) => Verdict::Explained(Diagnosis::new(
            format!(
                "no image {image} yet, and a build cannot make it: {}",
                d.reason
            ),
            d.fix.clone(),
        )),
        None => Verdict::Fail(format!("the engine has no image {image} — build it first")),
    }
}

/// A check of an image that fails while the image is older than a file it
/// is built from: that is the cause to say first (the check reads the old
/// files, the learner looks at the new ones).
fn stale_first(ctx: &Ctx<'_>, shared: &mut Shared, spec: &CheckSpec, verdict: Verdict) -> Verdict {
    if !matches!(verdict, Verdict::Fail(_) | Verdict::Explained(_)) {
        return verdict;
    }
    let (Some(image), Some(facts)) = (spec.needs().image, ctx.engine) else {
        return verdict;
    };
    let image = crate::engine::normalize_ref(image);
    let Some(info) = facts.images.iter().find(|i| {
        i.repo_tags
            .iter()
            .any(|t| crate::engine::normalize_ref(t) == image)
    }) else {
        return verdict;
    };
    let tagged = facts.details.get(&image).and_then(|d| d.last_tagged);
    let built = tagged.unwrap_or(0).max(info.created);
    let key = (image, shared.built_from.clone());
    let finding = shared
        .stale
        .entry(key)
        .or_insert_with_key(|(image, dockerfile)| {
            crate::diagnose::stale::explain(ctx.workspace, image, dockerfile, built)
        });
    match finding {
        Some(d) => Verdict::Explained(d.clone()),
        None => verdict,
    }
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
