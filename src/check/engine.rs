//! Checks answered by the engine's facts: images and what containers printed.

use super::facts::{EngineFacts, RunSource, normalize_ref};
use super::{CheckKind, Verdict};

pub(super) fn check(kind: &CheckKind, facts: &EngineFacts) -> Verdict {
    match kind {
        CheckKind::ImageExists { image } => match facts.image_id(image) {
            Some(_) => Verdict::Pass,
            None => Verdict::Fail(format!(
                "the engine has no image {} — build it first",
                normalize_ref(image)
            )),
        },
        CheckKind::ImageCmd { image, contains } => {
            let Some(detail) = facts.details.get(&normalize_ref(image)) else {
                return Verdict::Fail(format!("the engine has no image {}", normalize_ref(image)));
            };
            let command: Vec<&str> = detail
                .entrypoint
                .iter()
                .chain(detail.cmd.iter())
                .map(String::as_str)
                .collect();
            if command.iter().any(|w| w.contains(contains.as_str())) {
                Verdict::Pass
            } else {
                Verdict::Fail(format!(
                    "the image runs {:?}, which does not mention {contains} — check CMD and rebuild",
                    command.join(" ")
                ))
            }
        }
        CheckKind::ContainerOutput {
            image,
            expected,
            exit_code,
        } => container_output(facts, image, expected, *exit_code),
        _ => Verdict::Fail("not an engine check".into()),
    }
}

fn container_output(facts: &EngineFacts, image: &str, expected: &str, want_code: i64) -> Verdict {
    let reference = normalize_ref(image);
    let Some(current_id) = facts.image_id(image) else {
        return Verdict::Fail(format!(
            "the engine has no image {reference} — build it first"
        ));
    };
    let Some(run) = facts.runs.get(&reference) else {
        return Verdict::Fail(format!("{reference} has not been run yet"));
    };
    if run.image_id != current_id {
        return Verdict::Fail(format!(
            "{reference} was rebuilt since it last ran — run it again"
        ));
    }
    let Some(code) = run.exit_code else {
        return Verdict::Fail("the last run was interrupted before the container exited".into());
    };
    let printed = match &run.output {
        Some(out) => out,
        None if run.source == RunSource::Shell => {
            return Verdict::Fail(
                "the container was removed before its output could be read (docker run --rm) — run it from the app".into(),
            );
        }
        None => return Verdict::Fail("the container's output could not be read".into()),
    };
    let lines: Vec<&str> = printed.lines().map(str::trim_end).collect();
    if !lines.contains(&expected) {
        let shown = lines.iter().rev().find(|l| !l.trim().is_empty());
        return Verdict::Fail(match shown {
            Some(last) => format!("the container printed {last:?} — expected {expected:?}"),
            None => format!("the container printed nothing — expected {expected:?}"),
        });
    }
    if code != want_code {
        return Verdict::Fail(format!(
            "the container exited with code {code} — expected {want_code}"
        ));
    }
    Verdict::Pass
}
