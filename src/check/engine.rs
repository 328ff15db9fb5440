//! What the engine kinds share: an image's details, its latest run, a
//! probe's answer — each found in the engine's facts, or the verdict to give
//! when it is not there yet.

use super::Verdict;
use crate::engine::{
    EngineFacts, ImageDetail, Probe, ProbeAnswer, ProbeKind, RunRecord, normalize_ref,
};

/// "the engine has no image … — build it first", or why a build cannot
/// make it yet (worked out by `run_all`).
pub(super) fn no_image(image: &str) -> Verdict {
    Verdict::NoImage(normalize_ref(image))
}

/// Runs `f` on the image's details, or fails when the engine lacks it.
pub(super) fn with_detail(
    facts: &EngineFacts,
    image: &str,
    f: impl FnOnce(&ImageDetail) -> Verdict,
) -> Verdict {
    match facts.details.get(&normalize_ref(image)) {
        Some(d) => f(d),
        None => no_image(image),
    }
}

/// Runs `f` on the latest run of the current image.
pub(super) fn with_run(
    facts: &EngineFacts,
    image: &str,
    f: impl FnOnce(&RunRecord) -> Verdict,
) -> Verdict {
    let reference = normalize_ref(image);
    let Some(current) = facts.image_id(image) else {
        return no_image(image);
    };
    match facts.runs.get(&reference) {
        None => Verdict::Fail(format!("{reference} has not been run yet")),
        Some(run) if run.image_id != current => Verdict::Fail(format!(
            "{reference} was rebuilt since it last ran — run it again"
        )),
        Some(run) => f(run),
    }
}

/// The answer to a probe of the current image; "looking inside" (blocked)
/// until the engine task has one.
pub(super) fn probe_answer<'f>(
    facts: &'f EngineFacts,
    image: &str,
    kind: ProbeKind,
) -> Result<&'f ProbeAnswer, Verdict> {
    let probe = Probe {
        image: normalize_ref(image),
        kind,
    };
    let Some(current) = facts.image_id(image) else {
        return Err(no_image(image));
    };
    match facts.probes.get(&probe.key()) {
        Some(r) if r.image_id == current => Ok(&r.answer),
        _ => Err(Verdict::Blocked("looking inside the image…".into())),
    }
}
