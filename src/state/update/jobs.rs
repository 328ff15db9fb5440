//! A lesson's actions and the jobs they start (build, run, load, tidy,
//! scan), and what the engine reports back: its status, its facts, a job's
//! progress and outcome. Outcomes become notes in the output pane.

use super::super::model::{Job, JobKind, Model, OutputView};
use super::super::msg::Effect;
use super::check_effect;
use super::notice;
use crate::engine::{EngineCmd, EngineMsg, EngineStatus, JobEvent, JobOutcome};
use crate::lesson::Action;
use crate::output::Note;

/// How many typed commands progress keeps.
const TYPED_KEPT: usize = 50;

/// The lesson's first action of a kind (for the b and r keys).
pub(super) fn first_action(model: &Model, pred: impl Fn(&Action) -> bool) -> Option<Action> {
    model.lesson()?.actions.iter().find(|a| pred(a)).cloned()
}

/// Starts the next queued action. Views (images, compare) apply at once
/// and the queue moves on; jobs wait for their outcome (`on_job_done`).
pub(super) fn run_next(model: &mut Model, continuing: bool) -> Vec<Effect> {
    let mut effects = Vec::new();
    while let Some(action) = model.queue.pop_front() {
        effects.extend(perform(model, &action, continuing));
        if model.job.is_some() || model.notice.as_ref().is_some_and(|n| n.error) {
            // A job started (it continues the queue when it ends), or the
            // action was refused (the queue stops).
            if model.job.is_none() {
                model.queue.clear();
            }
            break;
        }
    }
    effects
}

/// Does one lesson action: a job for the engine, or a view of the output pane.
pub(super) fn perform(model: &mut Model, action: &Action, keep_output: bool) -> Vec<Effect> {
    let cmd = match action {
        Action::Images => {
            model.output_view = OutputView::Images;
            model.images_scroll = 0;
            return refresh_or_explain(model);
        }
        Action::Compare { .. } => {
            model.output_view = OutputView::Sizes;
            return refresh_or_explain(model);
        }
        Action::Build { tag, dockerfile } => EngineCmd::Build {
            workdir: model.workspace.clone(),
            dockerfile: dockerfile.clone(),
            tag: tag.clone(),
        },
        Action::Run { image, .. } => EngineCmd::Run {
            image: image.clone(),
            options: action.run_options(),
        },
        Action::Tidy { label } => EngineCmd::Tidy {
            label: label.clone(),
        },
        Action::Scan { image } => EngineCmd::Scan {
            image: image.clone(),
        },
    };
    start_job(model, action.command(), cmd, keep_output)
}

/// Fresh facts from the engine, or a notice saying why there are none.
pub(super) fn refresh_or_explain(model: &mut Model) -> Vec<Effect> {
    if model.engine_connected() {
        vec![Effect::Engine(EngineCmd::Refresh)]
    } else {
        notice(model, model.engine_missing_reason(), true);
        vec![]
    }
}

/// Starts a build, run, load, tidy or scan: clears the pane, shows the
/// equivalent CLI command, and hands the command to the engine task.
pub(in crate::state) fn start_job(
    model: &mut Model,
    command: String,
    cmd: EngineCmd,
    keep_output: bool,
) -> Vec<Effect> {
    let Some(kind) = JobKind::of(&cmd) else {
        // Cancel and refresh are no jobs: nothing to show, just send them.
        return vec![Effect::Engine(cmd)];
    };
    if let Some(refusal) = refuse_job(model) {
        notice(model, refusal, true);
        return vec![];
    }
    // The jobs of one Enter press share the pane; a new press starts clean.
    if !keep_output {
        model.output.clear();
    }
    model.output_top = None;
    model.output_view = OutputView::Log;
    model
        .output
        .push_note(Note::Command, &format!("$ {command}"));
    model.last_command = Some(command.clone());
    model.last_summary = None;
    // Unfolded while it runs; folded to its summary when it ends.
    model.output_open = false;
    model.job = Some(Job {
        kind,
        command,
        step: None,
        cached: Vec::new(),
        progress: None,
        stopping: false,
        typed: matches!(cmd, EngineCmd::Typed { .. }),
        started_ms: model.clock_ms,
    });
    model.last_outcome = None;
    vec![Effect::Engine(cmd)]
}

pub(super) fn start_load(model: &mut Model, path: String) -> Vec<Effect> {
    model.queue.clear();
    start_job(
        model,
        format!("docker load -i {path}"),
        EngineCmd::Load { path: path.into() },
        false,
    )
}

/// Right after start the engine may still be connecting (Podman takes about
/// half a second): a step asked for then waits for it instead of being
/// refused, and starts when the engine answers. `None` when it need not wait.
pub(super) fn wait_for_engine(model: &mut Model, actions: Vec<Action>) -> Option<Vec<Effect>> {
    if model.job.is_some() || model.engine != EngineStatus::Connecting || actions.is_empty() {
        return None;
    }
    let first = actions[0].command();
    model.queue = actions.into();
    model.waiting_for_engine = true;
    notice(
        model,
        format!("{first} starts as soon as the engine answers (x cancels)"),
        false,
    );
    Some(vec![])
}

/// Why a job cannot start now, if it cannot.
pub(super) fn refuse_job(model: &Model) -> Option<String> {
    if model.job.is_some() {
        return Some("a build or run is already going — x stops it".into());
    }
    if !model.engine_connected() {
        return Some(model.engine_missing_reason());
    }
    None
}

/// What the engine task reports, and whether the screen changes with it.
pub(super) fn on_engine(model: &mut Model, ev: EngineMsg) -> (Vec<Effect>, bool) {
    let effects = match ev {
        EngineMsg::Status(status) => {
            let was_connected = model.engine_connected();
            // The engine task repeats an unchanged status while it retries.
            let changed = model.engine != status;
            model.engine = status;
            if model.engine_connected() {
                model.other_engine = None;
            }
            if !model.engine_connected() {
                model.facts = None;
            }
            let mut effects = if was_connected != model.engine_connected() {
                vec![check_effect(model)]
            } else {
                vec![]
            };
            // What the learner asked for while the engine was connecting.
            if model.waiting_for_engine && model.engine != EngineStatus::Connecting {
                model.waiting_for_engine = false;
                if model.engine_connected() {
                    effects.extend(run_next(model, false));
                } else {
                    model.queue.clear();
                    notice(model, model.engine_missing_reason(), true);
                }
            }
            return (effects, changed);
        }
        EngineMsg::OtherEngine(info) => {
            // Never switched silently: the learner's images are in the
            // engine the session started with.
            notice(
                model,
                format!(
                    "{} answers at {}, but your images are in the engine that went away — docktutor waits for it; press E to use the other",
                    info.name, info.address
                ),
                true,
            );
            model.other_engine = Some(info);
            vec![]
        }
        EngineMsg::Facts(mut facts) => {
            // Runs made in an earlier session left no container; their
            // records came back with the progress (the engine's own, newer
            // knowledge wins).
            for (image, record) in &model.progress.runs {
                facts
                    .runs
                    .entry(image.clone())
                    .or_insert_with(|| record.clone());
            }
            model.facts = Some(facts);
            vec![check_effect(model)]
        }
        EngineMsg::Job(JobEvent::Output(bytes)) => {
            model.output.push_bytes(&bytes);
            vec![]
        }
        EngineMsg::Job(JobEvent::Step { current, total }) => {
            if let Some(job) = &mut model.job {
                job.step = Some((current, total));
            }
            vec![]
        }
        EngineMsg::Job(JobEvent::Progress { done, total }) => {
            if let Some(job) = &mut model.job {
                job.progress = Some((done, total));
            }
            vec![]
        }
        EngineMsg::Job(JobEvent::Cached { step }) => {
            if let Some(job) = &mut model.job {
                job.cached.push(step);
            }
            vec![]
        }
        EngineMsg::Job(JobEvent::Context {
            files,
            bytes,
            advice,
        }) => {
            model.output.push_note(
                Note::Info,
                &format!(
                    "Sending build context: {files} files, {}",
                    crate::text::human_bytes(bytes)
                ),
            );
            for a in advice {
                model
                    .output
                    .push_note(Note::Warning, &format!("  tip: {a}"));
            }
            vec![]
        }
        EngineMsg::JobDone(outcome) => on_job_done(model, outcome),
    };
    (effects, true)
}

fn on_job_done(model: &mut Model, outcome: JobOutcome) -> Vec<Effect> {
    let job = model.job.take();
    model.last_job_ms = job
        .as_ref()
        .map(|j| model.clock_ms.saturating_sub(j.started_ms));
    let notes = outcome_notes(&outcome, job.as_ref());
    let first = notes.first().map_or("", |(_, text)| text.as_str());
    let printed = super::super::screen::printed_tail(&model.output);
    model.last_summary = Some(super::super::screen::job_summary(&outcome, first, &printed));
    for (note, text) in &notes {
        model.output.push_note(*note, text);
    }
    // The container is gone when the run ends: its record is kept with
    // the progress, for `docktutor check` in another process.
    if let JobOutcome::Ran { image, record } = &outcome
        && record.exit_code.is_some()
    {
        model.progress.remember_run(image, record.clone());
    }
    let saves_run =
        matches!(&outcome, JobOutcome::Ran { record, .. } if record.exit_code.is_some());
    let success = outcome.success();
    // A job that went well folds to its summary; one that failed stays
    // open, for its reason and fix (f folds it).
    model.output_open = !success;
    model.last_outcome = Some(outcome);
    let mut effects = Vec::new();
    let job_typed_success = job.as_ref().is_some_and(|j| j.typed && success);
    if let Some(job) = job.filter(|j| j.typed && success) {
        // The typed_command check counts what was typed and ran.
        let typed = &mut model.progress.typed;
        typed.retain(|l| *l != job.command);
        typed.push(job.command);
        if typed.len() > TYPED_KEPT {
            typed.remove(0);
        }
    }
    if saves_run || job_typed_success {
        effects.push(Effect::SaveProgress(model.progress.clone()));
    }
    effects.push(check_effect(model));
    // Enter runs all of a lesson's actions; a failure stops the rest.
    if success && !model.queue.is_empty() {
        effects.extend(run_next(model, true));
    } else {
        model.queue.clear();
    }
    effects
}

/// The lines that tell how a job ended, under its output.
fn outcome_notes(outcome: &JobOutcome, job: Option<&Job>) -> Vec<(Note, String)> {
    let one = |note, text: String| vec![(note, text)];
    match outcome {
        JobOutcome::Built { tag, image_id, .. } => {
            let id = image_id
                .as_deref()
                .map(crate::dockerfile::short_id)
                .unwrap_or_default();
            let cache = match job.map(|j| (j.cached.len(), j.step)) {
                Some((n, Some((_, total)))) if n > 0 => {
                    format!(" — {n} of {total} steps came from the cache")
                }
                _ => String::new(),
            };
            one(Note::Pass, format!("✓ built {tag} {id}{cache}"))
        }
        JobOutcome::BuildFailed(f) => {
            let step = match (f.step, job.and_then(|j| j.step)) {
                (Some(k), Some((_, n))) => format!(" at step {k}/{n}"),
                _ => String::new(),
            };
            let mut notes = one(Note::Fail, format!("✗ build failed{step}"));
            for line in f.describe().lines() {
                notes.push((Note::Fail, format!("  {line}")));
            }
            notes
        }
        JobOutcome::Ran { record, .. } => {
            let code = record.exit_code.unwrap_or(-1);
            let note = if code == 0 { Note::Pass } else { Note::Fail };
            one(
                note,
                format!("● container exited with code {code} (removed)"),
            )
        }
        JobOutcome::Loaded { images } => one(Note::Pass, format!("✓ loaded {}", images.join(", "))),
        JobOutcome::Answered { command } => one(Note::Pass, format!("✓ {command}")),
        JobOutcome::CommandFailed { command, message } => {
            one(Note::Fail, format!("✗ {command}: {message}"))
        }
        JobOutcome::LoadFailed { message }
        | JobOutcome::RunFailed { message }
        | JobOutcome::NoEngine { message } => one(Note::Fail, format!("✗ {message}")),
        JobOutcome::Tidied { removed } => {
            let n = removed.len();
            let s = if n == 1 { "" } else { "s" };
            one(Note::Pass, format!("✓ removed {n} dangling image{s}"))
        }
        JobOutcome::Scanned { result, .. } => {
            let summary: Vec<String> = result
                .counts
                .iter()
                .map(|(k, v)| format!("{v} {k}"))
                .collect();
            let text = if summary.is_empty() {
                "no vulnerabilities found".to_string()
            } else {
                summary.join(", ")
            };
            one(Note::Pass, format!("✓ scanned: {text}"))
        }
        JobOutcome::ScanUnavailable { message } => one(Note::Warning, format!("◌ {message}")),
        JobOutcome::Interrupted { what, reason } => vec![
            (Note::Warning, format!("■ {what} interrupted: {reason}")),
            (
                Note::Info,
                "  press the same key again once the engine is back".into(),
            ),
        ],
    }
}
