//! Checks answered by the engine's facts: images and what containers printed.

use super::{CheckKind, Verdict};
use crate::engine::{EngineFacts, RunSource, normalize_ref};

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
        CheckKind::ImageSmaller { image, than } => smaller(facts, image, than),
        CheckKind::ImageUser { image } => with_detail(facts, image, |d| {
            let user = d.user.trim();
            let name = user.split(':').next().unwrap_or("");
            if user.is_empty() {
                Verdict::Fail("the image has no USER, so it runs as root — add a USER line after creating the user".into())
            } else if name == "root" || name == "0" {
                Verdict::Fail(format!("the image runs as {user:?}, which is root"))
            } else {
                Verdict::Pass
            }
        }),
        CheckKind::ContainerUid { image } => container_uid(facts, image),
        CheckKind::ImageFile {
            image,
            path,
            exists,
        } => image_file(facts, image, path, *exists),
        CheckKind::ImageLabel {
            image,
            key,
            matches,
        } => with_detail(facts, image, |d| match d.labels.get(key) {
            None => Verdict::Fail(format!("{} has no label {key}", normalize_ref(image))),
            Some(v) => match matches.as_deref().and_then(|m| regex::Regex::new(m).ok()) {
                Some(re) if !re.is_match(v) => Verdict::Fail(format!(
                    "{key} is {v:?}, which does not match {}",
                    re.as_str()
                )),
                _ => Verdict::Pass,
            },
        }),
        CheckKind::ImageTag { repo, pattern } => image_tag(facts, repo, pattern),
        CheckKind::ImageHealthcheck { image } => {
            with_detail(facts, image, |d| match &d.healthcheck {
                Some(_) => Verdict::Pass,
                None => Verdict::Fail(
                    "the image defines no HEALTHCHECK — add one and build again".into(),
                ),
            })
        }
        CheckKind::ContainerHealth { image, status } => {
            with_run(facts, image, |run| match run.health.as_deref() {
                Some(h) if h == status => Verdict::Pass,
                Some(h) => Verdict::Fail(format!(
                    "the last run's health was {h:?} — expected {status:?}"
                )),
                None => Verdict::Fail(
                    "the last run reported no health status (does the image define a HEALTHCHECK?)"
                        .into(),
                ),
            })
        }
        CheckKind::ContainerLimits {
            image,
            memory,
            cpus,
        } => with_run(facts, image, |run| limits(run, memory.as_deref(), *cpus)),
        CheckKind::BuildCache {
            image,
            cached,
            not_cached,
        } => build_cache(facts, image, cached, not_cached.as_deref()),
        CheckKind::DanglingImages {
            with_label: label,
            max,
        } => match facts.dangling.get(label) {
            Some(n) if n <= max => Verdict::Pass,
            Some(n) => Verdict::Fail(format!(
                "{n} dangling image{} labelled {label} — tidy them up",
                if *n == 1 { "" } else { "s" }
            )),
            None => Verdict::Fail("dangling images were not counted yet — check again".into()),
        },
        CheckKind::Scan { image, fail_on } => scan(facts, image, fail_on),
        _ => Verdict::Fail("not an engine check".into()),
    }
}

/// Runs `f` on the image's details, or fails when the engine lacks it.
fn with_detail(
    facts: &EngineFacts,
    image: &str,
    f: impl FnOnce(&crate::engine::ImageDetail) -> Verdict,
) -> Verdict {
    match facts.details.get(&normalize_ref(image)) {
        Some(d) => f(d),
        None => Verdict::Fail(format!(
            "the engine has no image {} — build it first",
            normalize_ref(image)
        )),
    }
}

/// Runs `f` on the latest run of the current image.
fn with_run(
    facts: &EngineFacts,
    image: &str,
    f: impl FnOnce(&crate::engine::RunRecord) -> Verdict,
) -> Verdict {
    let reference = normalize_ref(image);
    let Some(current) = facts.image_id(image) else {
        return Verdict::Fail(format!(
            "the engine has no image {reference} — build it first"
        ));
    };
    match facts.runs.get(&reference) {
        None => Verdict::Fail(format!("{reference} has not been run yet")),
        Some(run) if run.image_id != current => Verdict::Fail(format!(
            "{reference} was rebuilt since it last ran — run it again"
        )),
        Some(run) => f(run),
    }
}

fn smaller(facts: &EngineFacts, image: &str, than: &str) -> Verdict {
    let human = |b: i64| crate::text::docker_size(b.max(0) as u64);
    match (facts.image_size(image), facts.image_size(than)) {
        (None, _) => Verdict::Fail(format!(
            "the engine has no image {} — build it first",
            normalize_ref(image)
        )),
        (_, None) => Verdict::Fail(format!(
            "the engine has no image {} to compare with",
            normalize_ref(than)
        )),
        (Some(a), Some(b)) if a < b => Verdict::Pass,
        (Some(a), Some(b)) => Verdict::Fail(format!(
            "{} is {}, not smaller than {} ({})",
            normalize_ref(image),
            human(a),
            normalize_ref(than),
            human(b)
        )),
    }
}

fn probe_answer<'f>(
    facts: &'f EngineFacts,
    image: &str,
    kind: crate::engine::ProbeKind,
) -> Result<&'f crate::engine::ProbeAnswer, Verdict> {
    let probe = crate::engine::Probe {
        image: normalize_ref(image),
        kind,
    };
    let Some(current) = facts.image_id(image) else {
        return Err(Verdict::Fail(format!(
            "the engine has no image {} — build it first",
            probe.image
        )));
    };
    match facts.probes.get(&probe.key()) {
        Some(r) if r.image_id == current => Ok(&r.answer),
        _ => Err(Verdict::Blocked("looking inside the image…".into())),
    }
}

fn container_uid(facts: &EngineFacts, image: &str) -> Verdict {
    match probe_answer(facts, image, crate::engine::ProbeKind::Uid) {
        Err(v) => v,
        Ok(crate::engine::ProbeAnswer::Uid(0)) => {
            Verdict::Fail("a container of it runs as uid 0 (root)".into())
        }
        Ok(crate::engine::ProbeAnswer::Uid(_)) => Verdict::Pass,
        Ok(crate::engine::ProbeAnswer::Failed(why)) => Verdict::Fail(why.clone()),
        Ok(_) => Verdict::Fail("unexpected probe answer".into()),
    }
}

fn image_file(facts: &EngineFacts, image: &str, path: &str, want: bool) -> Verdict {
    match probe_answer(
        facts,
        image,
        crate::engine::ProbeKind::File(path.to_string()),
    ) {
        Err(v) => v,
        Ok(crate::engine::ProbeAnswer::Exists(found)) if *found == want => Verdict::Pass,
        Ok(crate::engine::ProbeAnswer::Exists(true)) => {
            Verdict::Fail(format!("{path} is in the image — it must not be"))
        }
        Ok(crate::engine::ProbeAnswer::Exists(false)) => {
            Verdict::Fail(format!("{path} is not in the image"))
        }
        Ok(crate::engine::ProbeAnswer::Failed(why)) => Verdict::Fail(why.clone()),
        Ok(_) => Verdict::Fail("unexpected probe answer".into()),
    }
}

fn image_tag(facts: &EngineFacts, repo: &str, pattern: &str) -> Verdict {
    let Ok(re) = regex::Regex::new(pattern) else {
        return Verdict::Fail(format!("bad pattern {pattern:?}"));
    };
    let tags: Vec<&str> = facts
        .images
        .iter()
        .flat_map(|i| i.repo_tags.iter())
        .filter_map(|t| {
            t.rsplit_once(':')
                .filter(|(r, _)| *r == repo)
                .map(|(_, tag)| tag)
        })
        .collect();
    if tags.iter().any(|t| re.is_match(t)) {
        Verdict::Pass
    } else if tags.is_empty() {
        Verdict::Fail(format!("the engine has no image named {repo}"))
    } else {
        Verdict::Fail(format!(
            "{repo} has the tags {} — none matches {pattern}",
            tags.join(", ")
        ))
    }
}

fn limits(run: &crate::engine::RunRecord, memory: Option<&str>, cpus: Option<f64>) -> Verdict {
    if let Some(want) = memory.and_then(crate::engine::parse_memory)
        && run.memory.unwrap_or(0) != want
    {
        return Verdict::Fail(format!(
            "the last run had {} of memory — expected --memory {}",
            match run.memory {
                Some(m) if m > 0 => format!("a {} MiB limit", m >> 20),
                _ => "no limit".to_string(),
            },
            memory.unwrap_or("")
        ));
    }
    if let Some(want) = cpus {
        let got = run.nano_cpus.unwrap_or(0) as f64 / 1e9;
        if (got - want).abs() > 1e-6 {
            return Verdict::Fail(if got == 0.0 {
                format!("the last run had no CPU limit — expected --cpus {want}")
            } else {
                format!("the last run had --cpus {got} — expected {want}")
            });
        }
    }
    Verdict::Pass
}

fn build_cache(
    facts: &EngineFacts,
    image: &str,
    cached: &str,
    not_cached: Option<&str>,
) -> Verdict {
    let reference = normalize_ref(image);
    let Some(build) = facts.builds.get(&reference) else {
        return Verdict::Fail(format!(
            "no build of {reference} made with docktutor yet — build it here so the cache can be seen"
        ));
    };
    if facts.image_id(image).is_some_and(|id| id != build.image_id) {
        return Verdict::Fail(format!(
            "{reference} was rebuilt elsewhere since — build it here again"
        ));
    }
    let (Ok(yes), no) = (regex::Regex::new(cached), not_cached.map(regex::Regex::new)) else {
        return Verdict::Fail("bad pattern".into());
    };
    let hits: Vec<_> = build
        .steps
        .iter()
        .filter(|s| yes.is_match(&s.instruction))
        .collect();
    if hits.is_empty() {
        return Verdict::Fail(format!("no step of the last build matches {cached:?}"));
    }
    if let Some(miss) = hits.iter().find(|s| !s.cached) {
        return Verdict::Fail(format!(
            "step {} ({}) ran again instead of coming from the cache",
            miss.n, miss.instruction
        ));
    }
    if let Some(Ok(no)) = no {
        let changed: Vec<_> = build
            .steps
            .iter()
            .filter(|s| no.is_match(&s.instruction))
            .collect();
        if changed.is_empty() {
            return Verdict::Fail(format!(
                "no step of the last build matches {:?}",
                not_cached.unwrap_or("")
            ));
        }
        if let Some(same) = changed.iter().find(|s| s.cached) {
            return Verdict::Fail(format!(
                "step {} ({}) also came from the cache — change app.py, then build again",
                same.n, same.instruction
            ));
        }
    }
    Verdict::Pass
}

fn scan(facts: &EngineFacts, image: &str, fail_on: &str) -> Verdict {
    let reference = normalize_ref(image);
    let Some(current) = facts.image_id(image) else {
        return Verdict::Fail(format!(
            "the engine has no image {reference} — build it first"
        ));
    };
    match facts.scans.get(&reference) {
        None if facts.scanner.is_none() => Verdict::Blocked(format!(
            "skipped — no scan happened: {}",
            crate::engine::scan::INSTALL
        )),
        None => Verdict::Fail(format!(
            "{reference} has not been scanned yet — press Enter to scan it"
        )),
        Some(s) if s.image_id != current => Verdict::Fail(format!(
            "{reference} was rebuilt since its scan — scan it again"
        )),
        Some(s) => {
            let bad: Vec<String> = crate::engine::scan::at_or_above(fail_on)
                .iter()
                .filter_map(|sev| {
                    s.counts
                        .get(*sev)
                        .filter(|n| **n > 0)
                        .map(|n| format!("{n} {sev}"))
                })
                .collect();
            if bad.is_empty() {
                Verdict::Pass
            } else {
                Verdict::Fail(format!("the scan found {}", bad.join(", ")))
            }
        }
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
