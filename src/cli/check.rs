//! `docktutor check`: the lessons' checks, headless. Exit code 0 only when
//! every selected check passes.
//!
//! Observing does not change what is observed: by default `check` reads
//! the workspace's files, the engine's images and the containers the
//! learner ran (their latest exited container of each image, or the
//! record of a run made in docktutor, whose container is gone), runs nothing
//! and saves no progress. `--run` does the lessons' runs first, as the app
//! does, and saves the lessons that pass.

use std::process::ExitCode;

use tokio::sync::{mpsc, watch};

use super::Setup;
use super::check_format::{self, Checked, Format};
use crate::check;
use crate::docker;
use crate::engine::{EngineFacts, JobOutcome, RunOptions, normalize_ref};
use crate::lesson::{Action, Lesson, LessonSet};

fn select<'a>(setup: &'a Setup, wanted: &[String]) -> Result<Vec<&'a Lesson>, String> {
    let all = &setup.lessons.lessons;
    if wanted.is_empty() {
        return Ok(all.iter().collect());
    }
    wanted
        .iter()
        .map(|w| {
            w.parse::<usize>()
                .ok()
                .and_then(|n| n.checked_sub(1))
                .and_then(|i| all.get(i))
                .or_else(|| all.iter().find(|l| &l.id == w))
                .ok_or_else(|| {
                    let ids: Vec<&str> = all.iter().map(|l| l.id.as_str()).collect();
                    format!(
                        "no lesson {w:?}; lessons are 1-{} or {}",
                        all.len(),
                        ids.join(", ")
                    )
                })
        })
        .collect()
}

pub async fn run(
    setup: &Setup,
    wanted: &[String],
    format: Format,
    learner: String,
    run_steps: bool,
) -> ExitCode {
    for e in &setup.lessons.errors {
        eprintln!("docktutor: {e}");
    }
    let lessons = match select(setup, wanted) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("docktutor: {e}");
            return ExitCode::from(2);
        }
    };
    let needs_engine = lessons
        .iter()
        .any(|l| l.checks.iter().any(|c| c.needs_engine()));
    let (facts, engine, missing) = if needs_engine {
        engine_facts(setup, &lessons, run_steps).await
    } else {
        (None, None, String::new())
    };

    let typed = setup
        .store
        .as_ref()
        .map(|s| s.load().into_parts().0.typed)
        .unwrap_or_default();
    let ctx = check::Ctx {
        workspace: &setup.workspace,
        engine: facts.as_ref(),
        engine_missing: &missing,
        typed: &typed,
    };
    let checked: Vec<Checked<'_>> = lessons
        .iter()
        .map(|lesson| Checked {
            id: &lesson.id,
            title: &lesson.title,
            outcomes: check::run_all_timed(&lesson.checks, &ctx),
        })
        .collect();
    let results = check_format::results(setup, learner, engine, &checked);
    if run_steps {
        record_progress(setup, &results, facts.as_ref());
    }
    check_format::print(&results, format);
    if results.passed {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// Marks passed lessons as done and keeps the runs it made, like the app
/// does.
fn record_progress(setup: &Setup, results: &crate::report::Results, facts: Option<&EngineFacts>) {
    let Some(store) = &setup.store else { return };
    let loaded = store.load();
    let may_save = loaded.may_save();
    let (mut progress, recovered) = loaded.into_parts();
    if let Some(message) = recovered {
        eprintln!("docktutor: {message}");
    }
    if !may_save {
        return;
    }
    let mut changed = false;
    for r in results.lessons.iter().filter(|r| r.passed) {
        if !progress.is_done(&r.id) {
            progress
                .done
                .insert(r.id.clone(), crate::progress::unix_now());
            changed = true;
        }
    }
    for (image, record) in facts.into_iter().flat_map(|f| f.runs.iter()) {
        if record.source == crate::engine::RunSource::App && record.exit_code.is_some() {
            progress.remember_run(image, record.clone());
            changed = true;
        }
    }
    if changed {
        progress.workspace = setup.workspace.display().to_string();
        if let Err(e) = store.save(&progress) {
            eprintln!("docktutor: could not save progress: {e}");
        }
    }
}

/// Reads the engine's facts. Each image whose output a check needs is
/// either run (`run_steps`: the container is labelled and removed, as in
/// the app) or, by default, judged by the learner's own latest run of it.
async fn engine_facts(
    setup: &Setup,
    lessons: &[&Lesson],
    run_steps: bool,
) -> (Option<EngineFacts>, Option<String>, String) {
    let conn = match docker::connect(&setup.env).await {
        Ok(c) => c,
        Err(tried) => {
            let detail = tried
                .first()
                .map(|a| {
                    if a.address.is_empty() {
                        a.error.clone()
                    } else {
                        format!("{}: {}", a.address, a.error)
                    }
                })
                .unwrap_or_default();
            return (
                None,
                None,
                format!(
                    "no Docker engine ({detail}) — {}",
                    crate::engine::status::advice(&tried)
                ),
            );
        }
    };
    let engine = Some(format!(
        "{} {} at {} ({})",
        conn.info.name, conn.info.version, conn.info.address, conn.info.source
    ));
    let set = LessonSet {
        lessons: lessons.iter().map(|l| (*l).clone()).collect(),
        ..LessonSet::default()
    };
    let watch = set.watch();
    let mut known = docker::Known::default();

    // Checks about a run need a run: the learner's latest, or with
    // `--run` a fresh one — each image run once, with the options of the
    // lesson's own run action when it has one (limits, waiting for a
    // health check), labelled and removed like the app's.
    let mut to_run: Vec<(String, RunOptions)> = Vec::new();
    for lesson in lessons {
        for c in &lesson.checks {
            let needs = c.needs();
            let (true, Some(image)) = (needs.run, needs.image) else {
                continue;
            };
            let image = normalize_ref(image);
            if to_run.iter().any(|(i, _)| *i == image) {
                continue;
            }
            let options = lesson
                .actions
                .iter()
                .find_map(|a| match a {
                    Action::Run { image: i, .. } if normalize_ref(i) == image => {
                        Some(a.run_options())
                    }
                    _ => None,
                })
                .unwrap_or_default();
            to_run.push((image, options));
        }
    }
    if !run_steps {
        // Runs made in docktutor (its run key, a typed docker run) leave no
        // container: their record is kept with the workspace's progress.
        let remembered = setup
            .store
            .as_ref()
            .map(|s| s.load().into_parts().0.runs)
            .unwrap_or_default();
        for (image, _) in &to_run {
            match docker::latest_run(&conn.docker, image).await {
                Ok(Some(record)) => {
                    known.runs.insert(image.clone(), record);
                }
                Ok(None) => {
                    if let Some(record) = remembered.get(image) {
                        known.runs.insert(image.clone(), record.clone());
                    }
                }
                Err(e) => return (None, engine, format!("the engine did not answer: {e}")),
            }
        }
        to_run.clear();
    }
    for (image, options) in to_run {
        let outcome = quietly(|tx| {
            let docker = conn.docker.clone();
            let image = image.clone();
            async move {
                let (_cancel_tx, cancel_rx) = watch::channel(false);
                docker::run(&docker, &image, &options, &tx, cancel_rx).await
            }
        })
        .await;
        match outcome {
            JobOutcome::Ran { image, record } => {
                known.runs.insert(image, record);
            }
            // The container could not even start (no such program in the
            // image): `docker run` reports that as the container's failure,
            // and so do the checks, with the engine's words as its output.
            JobOutcome::RunFailed { message } => {
                if let Ok(inspect) = conn.docker.inspect_image(&image).await {
                    known.runs.insert(
                        image,
                        crate::engine::RunRecord::failed_start(
                            inspect.id.unwrap_or_default(),
                            message,
                        ),
                    );
                }
            }
            _ => {}
        }
    }
    // A scan check needs a scan, when a scanner is there to make one (a
    // scan reads the image; it changes nothing).
    for lesson in lessons {
        for c in &lesson.checks {
            let needs = c.needs();
            if let (true, Some(image)) = (needs.scan, needs.image)
                && crate::docker::trivy::find().is_some()
                && let JobOutcome::Scanned { image, result } = quietly(|tx| {
                    let docker = conn.docker.clone();
                    let image = image.to_string();
                    async move { docker::scan_job(&docker, &image, &tx).await }
                })
                .await
            {
                known.scans.insert(image, result);
            }
        }
    }
    match docker::gather(&conn.docker, &watch, &mut known).await {
        Ok(f) => (Some(f), engine, String::new()),
        Err(e) => (None, engine, format!("the engine did not answer: {e}")),
    }
}

/// Runs a job whose streamed output nobody reads.
async fn quietly<F, Fut>(job: F) -> JobOutcome
where
    F: FnOnce(mpsc::Sender<crate::engine::JobEvent>) -> Fut,
    Fut: std::future::Future<Output = JobOutcome>,
{
    let (tx, mut rx) = mpsc::channel(64);
    let drain = tokio::spawn(async move { while rx.recv().await.is_some() {} });
    let outcome = job(tx).await;
    let _ = drain.await;
    outcome
}
