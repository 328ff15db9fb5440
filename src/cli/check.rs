//! `docktutor check`: the lessons' checks, headless. Exit code 0 only when
//! every selected check passes.

use std::process::ExitCode;

use serde::Serialize;
use tokio::sync::{mpsc, watch};

use super::Setup;
use crate::check::{self, Outcome};
use crate::docker;
use crate::engine::{EngineFacts, JobOutcome, RunOptions, normalize_ref};
use crate::lesson::{Action, Lesson, LessonSet};

#[derive(Serialize)]
struct Report<'a> {
    workspace: String,
    /// Why the workspace is the folder the learner is in.
    #[serde(skip_serializing_if = "Option::is_none")]
    workspace_note: Option<&'a str>,
    engine: Option<String>,
    passed: bool,
    lessons: Vec<LessonReport<'a>>,
}

#[derive(Serialize)]
struct LessonReport<'a> {
    id: &'a str,
    title: &'a str,
    passed: bool,
    checks: Vec<Outcome>,
}

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

pub async fn run(setup: &Setup, wanted: &[String], json: bool) -> ExitCode {
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
        engine_facts(setup, &lessons).await
    } else {
        (None, None, String::new())
    };

    let ctx = check::Ctx {
        workspace: &setup.workspace,
        engine: facts.as_ref(),
        engine_missing: &missing,
    };
    let mut reports = Vec::new();
    for lesson in &lessons {
        let outcomes = check::run_all(&lesson.checks, &ctx);
        let passed = outcomes.iter().all(Outcome::passed);
        reports.push(LessonReport {
            id: &lesson.id,
            title: &lesson.title,
            passed,
            checks: outcomes,
        });
    }
    let all_passed = reports.iter().all(|r| r.passed);
    record_progress(setup, &reports);

    if json {
        let report = Report {
            workspace: setup.workspace.display().to_string(),
            workspace_note: setup.workspace_note.as_deref(),
            engine,
            passed: all_passed,
            lessons: reports,
        };
        match serde_json::to_string_pretty(&report) {
            Ok(s) => println!("{s}"),
            Err(e) => eprintln!("docktutor: {e}"),
        }
    } else {
        print_text(setup, &reports, engine.as_deref());
    }
    if all_passed {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn print_text(setup: &Setup, reports: &[LessonReport<'_>], engine: Option<&str>) {
    println!("workspace: {}", setup.workspace.display());
    if let Some(note) = &setup.workspace_note {
        println!("           {note}");
    }
    if let Some(e) = engine {
        println!("engine:    {e}");
    }
    for r in reports {
        let index = setup.lessons.find(r.id).map_or(0, |i| i + 1);
        println!(
            "\n{}{index}. {}",
            if r.passed { "✓ " } else { "✗ " },
            r.title
        );
        for o in &r.checks {
            println!("  {} {}", o.status.symbol(), o.label);
            if let Some(reason) = &o.reason {
                println!("      {reason}");
            }
            if let Some(fix) = &o.fix {
                println!("      → {fix}");
            }
        }
    }
}

/// Marks passed lessons as done, like the app does.
fn record_progress(setup: &Setup, reports: &[LessonReport<'_>]) {
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
    for r in reports.iter().filter(|r| r.passed) {
        if !progress.is_done(r.id) {
            progress
                .done
                .insert(r.id.to_string(), crate::progress::unix_now());
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

/// Reads the engine's facts; runs each image whose output a check needs
/// (the container is labelled and removed, as in the app).
async fn engine_facts(
    setup: &Setup,
    lessons: &[&Lesson],
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
        errors: vec![],
    };
    let watch = set.watch();
    let mut known = docker::Known::default();

    // Checks about a run need a run: each image is run once, with the
    // options of the lesson's own run action when it has one (limits,
    // waiting for a health check), labelled and removed like the app's.
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
    // A scan check needs a scan, when a scanner is there to make one.
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
