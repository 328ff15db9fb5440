//! `update(model, msg) -> effects`: every state change of the app, pure.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, MouseEventKind};

use super::keys::{self, Action};
use super::model::{Job, JobKind, Model, Notice, OutputView, Overlay, Pane};
use super::msg::{Effect, Msg};
use crate::engine::{EngineCmd, EngineMsg, JobEvent, JobOutcome};
use crate::lesson::Action as LessonAction;
use crate::ui::layout;

pub fn update(model: &mut Model, msg: Msg) -> Vec<Effect> {
    match msg {
        Msg::Key(key) if key.kind == KeyEventKind::Release => vec![],
        Msg::Key(key) => on_key(model, key),
        Msg::Mouse(mouse) => {
            let delta: isize = match mouse.kind {
                MouseEventKind::ScrollDown => 3,
                MouseEventKind::ScrollUp => -3,
                _ => return vec![],
            };
            if let Some(pane) = layout::pane_at(model, mouse.column, mouse.row) {
                scroll(model, pane, delta);
            }
            vec![]
        }
        Msg::Resize(w, h) => {
            model.size = (w, h);
            clamp_scrolls(model);
            vec![]
        }
        Msg::Paste => vec![],
        Msg::Engine(ev) => on_engine(model, ev),
        Msg::FilesChanged => vec![check_effect(model)],
        Msg::Checked {
            lesson,
            outcomes,
            at,
            lint,
        } => {
            model.lint = lint;
            on_checked(model, lesson, outcomes, at)
        }
        Msg::Tick => {
            model.spinner = model.spinner.wrapping_add(1);
            vec![]
        }
        Msg::Terminate => quit_now(model),
        Msg::Done(Ok(text)) => {
            notice(model, text, false);
            vec![check_effect(model)]
        }
        Msg::Done(Err(text)) => {
            notice(model, text, true);
            vec![]
        }
        Msg::Resumed => vec![check_effect(model)],
    }
}

/// The effect that re-checks the current lesson with what we know now.
pub fn check_effect(model: &Model) -> Effect {
    Effect::RunChecks {
        lesson: model.current,
        facts: model.facts.clone(),
        engine_missing: model.engine_missing_reason(),
    }
}

fn notice(model: &mut Model, text: impl Into<String>, error: bool) {
    model.notice = Some(Notice {
        text: text.into(),
        error,
    });
}

fn on_key(model: &mut Model, key: KeyEvent) -> Vec<Effect> {
    // Any key clears a transient notice.
    let had_notice = model.notice.take().is_some();
    if let Some(overlay) = model.overlay.clone() {
        return on_overlay_key(model, overlay, key);
    }
    let Some(action) = keys::action_for(&key) else {
        if !had_notice && !matches!(key.code, KeyCode::Esc) {
            notice(
                model,
                "that key does nothing here — press ? for the keys",
                false,
            );
        }
        return vec![];
    };
    if action != Action::Quit {
        model.interrupts = 0;
    }
    on_action(model, action)
}

pub fn on_action(model: &mut Model, action: Action) -> Vec<Effect> {
    match action {
        Action::Primary => {
            let actions = model
                .lesson()
                .map(|l| l.actions.clone())
                .unwrap_or_default();
            if actions.is_empty() {
                return on_action(model, Action::Check);
            }
            if let Some(refusal) = refuse_job(model) {
                notice(model, refusal, true);
                return vec![];
            }
            model.queue = actions.into();
            run_next(model, false)
        }
        Action::Build => {
            let build = first_action(model, |a| matches!(a, LessonAction::Build { .. }))
                .unwrap_or_else(|| LessonAction::Build {
                    tag: default_tag(model),
                    dockerfile: None,
                });
            model.queue.clear();
            perform(model, &build, false)
        }
        Action::Run => {
            let run = first_action(model, |a| matches!(a, LessonAction::Run { .. }))
                .unwrap_or_else(|| LessonAction::Run {
                    image: default_tag(model),
                    memory: None,
                    cpus: None,
                    until: None,
                    timeout: None,
                });
            model.queue.clear();
            perform(model, &run, false)
        }
        Action::Images => {
            model.output_view = OutputView::Images;
            if model.engine_connected() {
                notice(model, "images refreshed", false);
                vec![Effect::Engine(EngineCmd::Refresh)]
            } else {
                notice(model, model.engine_missing_reason(), true);
                vec![]
            }
        }
        Action::Check => {
            notice(model, "checked again", false);
            let mut effects = vec![check_effect(model)];
            if model.engine_connected() {
                effects.push(Effect::Engine(EngineCmd::Refresh));
            }
            effects
        }
        Action::Cancel => match &mut model.job {
            Some(job) => {
                job.stopping = true;
                notice(model, "stopping…", false);
                vec![Effect::Engine(EngineCmd::Cancel)]
            }
            None => {
                notice(model, "nothing is running", false);
                vec![]
            }
        },
        Action::Hint => {
            model.overlay = Some(Overlay::Hint);
            vec![]
        }
        Action::Solution => {
            model.overlay = Some(Overlay::Solution { scroll: 0 });
            vec![]
        }
        Action::Lessons => {
            model.overlay = Some(Overlay::Lessons {
                selected: model.current,
            });
            vec![]
        }
        Action::Edit => match edit_target(model) {
            Some(path) => vec![Effect::OpenEditor(path)],
            None => {
                notice(model, "this lesson has no file to edit", false);
                vec![]
            }
        },
        Action::Starter => match model.lesson() {
            Some(l) if !l.starters.is_empty() => vec![Effect::WriteStarters(l.starters.clone())],
            _ => {
                notice(model, "this lesson has no starter files", false);
                vec![]
            }
        },
        Action::Reset => {
            model.overlay = Some(Overlay::ConfirmReset);
            vec![]
        }
        Action::Load => {
            model.overlay = Some(Overlay::Load {
                input: String::new(),
            });
            vec![]
        }
        Action::NextLesson => go_to(model, model.current + 1),
        Action::PrevLesson => match model.current.checked_sub(1) {
            Some(i) => go_to(model, i),
            None => vec![],
        },
        Action::FocusNext => {
            model.focus = model.focus.next();
            vec![]
        }
        Action::FocusPrev => {
            model.focus = model.focus.prev();
            vec![]
        }
        Action::Down => scroll_focused(model, 1),
        Action::Up => scroll_focused(model, -1),
        Action::PageDown => {
            let page = page_size(model);
            scroll_focused(model, page)
        }
        Action::PageUp => {
            let page = page_size(model);
            scroll_focused(model, -page)
        }
        Action::Top => scroll_focused(model, isize::MIN / 2),
        Action::Bottom => {
            if model.focus == Pane::Output {
                model.output_top = None;
                vec![]
            } else {
                scroll_focused(model, isize::MAX / 2)
            }
        }
        Action::Zoom => {
            model.zoom = !model.zoom;
            clamp_scrolls(model);
            vec![]
        }
        Action::Help => {
            model.overlay = Some(Overlay::Help { scroll: 0 });
            vec![]
        }
        Action::Quit => {
            if model.job.is_some() && model.interrupts == 0 {
                model.interrupts = 1;
                model.overlay = Some(Overlay::ConfirmQuit);
                vec![]
            } else {
                quit_now(model)
            }
        }
        Action::Suspend => vec![Effect::Suspend],
    }
}

fn quit_now(model: &mut Model) -> Vec<Effect> {
    model.quit = true;
    let mut effects = Vec::new();
    if model.job.is_some() {
        effects.push(Effect::Engine(EngineCmd::Cancel));
    }
    effects.push(Effect::SaveProgress(model.progress.clone()));
    effects.push(Effect::Quit);
    effects
}

fn on_overlay_key(model: &mut Model, overlay: Overlay, key: KeyEvent) -> Vec<Effect> {
    let close = matches!(key.code, KeyCode::Esc | KeyCode::Char('q'));
    if key.code == KeyCode::Char('c')
        && key
            .modifiers
            .contains(ratatui::crossterm::event::KeyModifiers::CONTROL)
    {
        return quit_now(model);
    }
    match overlay {
        Overlay::ConfirmQuit => {
            model.overlay = None;
            if matches!(
                key.code,
                KeyCode::Char('y') | KeyCode::Char('Y') | KeyCode::Enter
            ) {
                return quit_now(model);
            }
            model.interrupts = 0;
            vec![]
        }
        Overlay::Load { mut input } => {
            match key.code {
                KeyCode::Esc => model.overlay = None,
                KeyCode::Enter => {
                    model.overlay = None;
                    let path = input.trim().to_string();
                    if path.is_empty() {
                        return vec![];
                    }
                    return start_load(model, path);
                }
                KeyCode::Backspace => {
                    input.pop();
                    model.overlay = Some(Overlay::Load { input });
                }
                KeyCode::Char(c)
                    if !key
                        .modifiers
                        .contains(ratatui::crossterm::event::KeyModifiers::CONTROL) =>
                {
                    input.push(c);
                    model.overlay = Some(Overlay::Load { input });
                }
                _ => {}
            }
            vec![]
        }
        Overlay::ConfirmReset => {
            model.overlay = None;
            if matches!(key.code, KeyCode::Char('y') | KeyCode::Char('Y')) {
                return reset_lesson(model);
            }
            vec![]
        }
        Overlay::Lessons { selected } => {
            let last = model.lessons.len().saturating_sub(1);
            match key.code {
                KeyCode::Down | KeyCode::Char('j') => {
                    model.overlay = Some(Overlay::Lessons {
                        selected: (selected + 1).min(last),
                    })
                }
                KeyCode::Up | KeyCode::Char('k') => {
                    model.overlay = Some(Overlay::Lessons {
                        selected: selected.saturating_sub(1),
                    })
                }
                KeyCode::Enter => {
                    model.overlay = None;
                    return go_to(model, selected);
                }
                KeyCode::Char(c @ '1'..='9') => {
                    let idx = c as usize - '1' as usize;
                    if idx <= last {
                        model.overlay = None;
                        return go_to(model, idx);
                    }
                }
                _ if close || key.code == KeyCode::Char('l') => model.overlay = None,
                _ => {}
            }
            vec![]
        }
        Overlay::Help { scroll } | Overlay::Solution { scroll } => {
            let new_scroll = match key.code {
                KeyCode::Down | KeyCode::Char('j') => Some(scroll.saturating_add(1)),
                KeyCode::Up | KeyCode::Char('k') => Some(scroll.saturating_sub(1)),
                KeyCode::PageDown | KeyCode::Char(' ') => Some(scroll.saturating_add(10)),
                KeyCode::PageUp => Some(scroll.saturating_sub(10)),
                _ => None,
            };
            model.overlay = match (new_scroll, &overlay) {
                (Some(s), Overlay::Help { .. }) => Some(Overlay::Help { scroll: s }),
                (Some(s), _) => Some(Overlay::Solution { scroll: s }),
                (None, _) => None, // any other key closes
            };
            vec![]
        }
        Overlay::Hint | Overlay::Problems => {
            model.overlay = None;
            vec![]
        }
    }
}

fn go_to(model: &mut Model, idx: usize) -> Vec<Effect> {
    if idx >= model.lessons.len() || idx == model.current {
        if idx >= model.lessons.len() {
            notice(model, "that was the last lesson", false);
        }
        return vec![];
    }
    model.current = idx;
    model.notice = None;
    model.lesson_scroll = 0;
    model.checks_scroll = 0;
    model.output_view = OutputView::for_lesson(model.lesson());
    model.queue.clear();
    model.progress.current = model.lesson().map(|l| l.id.clone());
    vec![
        Effect::SaveProgress(model.progress.clone()),
        check_effect(model),
    ]
}

fn reset_lesson(model: &mut Model) -> Vec<Effect> {
    let Some(id) = model.lesson().map(|l| l.id.clone()) else {
        return vec![];
    };
    model.progress.done.remove(&id);
    if let Some(r) = model.results.get_mut(model.current) {
        *r = None;
    }
    notice(model, "lesson reset: your files were not touched", false);
    vec![
        Effect::SaveProgress(model.progress.clone()),
        check_effect(model),
    ]
}

fn edit_target(model: &Model) -> Option<std::path::PathBuf> {
    let name = model.lesson()?.edit.as_ref()?;
    crate::check::resolve(&model.workspace, name)
}

/// The lesson's first action of a kind (for the b and r keys).
fn first_action(model: &Model, pred: impl Fn(&LessonAction) -> bool) -> Option<LessonAction> {
    model.lesson()?.actions.iter().find(|a| pred(a)).cloned()
}

/// Starts the next queued action. Views (images, compare) apply at once
/// and the queue moves on; jobs wait for their outcome (`on_job_done`).
fn run_next(model: &mut Model, continuing: bool) -> Vec<Effect> {
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

/// `--memory`/`--cpus`/health waiting of a run action, as the engine wants them.
pub fn run_options(action: &LessonAction) -> crate::engine::RunOptions {
    let LessonAction::Run {
        memory,
        cpus,
        until,
        timeout,
        ..
    } = action
    else {
        return crate::engine::RunOptions::default();
    };
    crate::engine::RunOptions {
        memory: memory.as_deref().and_then(crate::engine::parse_memory),
        nano_cpus: cpus.map(|c| (c * 1e9).round() as i64),
        until_healthy: (until.as_deref() == Some("healthy"))
            .then(|| std::time::Duration::from_secs(timeout.unwrap_or(90))),
    }
}

/// Does one lesson action: a job for the engine, or a view of the output pane.
fn perform(model: &mut Model, action: &LessonAction, keep_output: bool) -> Vec<Effect> {
    let (kind, cmd) = match action {
        LessonAction::Images => {
            model.output_view = OutputView::Images;
            return refresh_or_explain(model);
        }
        LessonAction::Compare { .. } => {
            model.output_view = OutputView::Sizes;
            return refresh_or_explain(model);
        }
        LessonAction::Build { tag, dockerfile } => (
            JobKind::Build { tag: tag.clone() },
            EngineCmd::Build {
                workdir: model.workspace.clone(),
                dockerfile: dockerfile.clone(),
                tag: tag.clone(),
            },
        ),
        LessonAction::Run { image, .. } => (
            JobKind::Run {
                image: image.clone(),
            },
            EngineCmd::Run {
                image: image.clone(),
                options: run_options(action),
            },
        ),
        LessonAction::Tidy { label } => (
            JobKind::Tidy {
                label: label.clone(),
            },
            EngineCmd::Tidy {
                label: label.clone(),
            },
        ),
        LessonAction::Scan { image } => (
            JobKind::Scan {
                image: image.clone(),
            },
            EngineCmd::Scan {
                image: image.clone(),
            },
        ),
    };
    start_job(model, kind, action.command(), cmd, keep_output)
}

fn refresh_or_explain(model: &mut Model) -> Vec<Effect> {
    if model.engine_connected() {
        vec![Effect::Engine(EngineCmd::Refresh)]
    } else {
        notice(model, model.engine_missing_reason(), true);
        vec![]
    }
}

/// Starts a build, run, load, tidy or scan: clears the pane, shows the
/// equivalent CLI command, and hands the command to the engine task.
fn start_job(
    model: &mut Model,
    kind: JobKind,
    command: String,
    cmd: EngineCmd,
    keep_output: bool,
) -> Vec<Effect> {
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
        .push_note(model.theme.command, &format!("$ {command}"));
    model.last_command = Some(command.clone());
    model.job = Some(Job {
        kind,
        command,
        step: None,
        cached: Vec::new(),
        progress: None,
        stopping: false,
    });
    model.last_outcome = None;
    vec![Effect::Engine(cmd)]
}

fn start_load(model: &mut Model, path: String) -> Vec<Effect> {
    model.queue.clear();
    start_job(
        model,
        JobKind::Load { path: path.clone() },
        format!("docker load -i {path}"),
        EngineCmd::Load { path: path.into() },
        false,
    )
}

/// The image name used by build/run keys in lessons that do not name one:
/// the one the guide uses, or the first a lesson builds.
fn default_tag(model: &Model) -> String {
    model
        .lessons
        .iter()
        .flat_map(|l| l.actions.iter())
        .find_map(|a| match a {
            LessonAction::Build { tag, .. } => Some(tag.clone()),
            _ => None,
        })
        .unwrap_or_else(|| "my-docker-app".into())
}

fn refuse_job(model: &Model) -> Option<String> {
    if model.job.is_some() {
        return Some("a build or run is already going — x stops it".into());
    }
    if !model.engine_connected() {
        return Some(model.engine_missing_reason());
    }
    None
}

fn on_engine(model: &mut Model, ev: EngineMsg) -> Vec<Effect> {
    match ev {
        EngineMsg::Status(status) => {
            let was_connected = model.engine_connected();
            model.engine = status;
            if !model.engine_connected() {
                model.facts = None;
            }
            if was_connected != model.engine_connected() {
                vec![check_effect(model)]
            } else {
                vec![]
            }
        }
        EngineMsg::OtherEngine(info) => {
            // Never switched silently: the learner's images are in the
            // engine the session started with.
            notice(
                model,
                format!(
                    "{} answers at {}, but your images are in the engine that went away — docktutor waits for it (restart docktutor to use the other)",
                    info.name, info.address
                ),
                true,
            );
            vec![]
        }
        EngineMsg::Facts(facts) => {
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
            let style = model.theme.dim;
            model.output.push_note(
                style,
                &format!(
                    "Sending build context: {files} files, {}",
                    crate::text::human_bytes(bytes)
                ),
            );
            for a in advice {
                model
                    .output
                    .push_note(model.theme.warn, &format!("  tip: {a}"));
            }
            vec![]
        }
        EngineMsg::JobDone(outcome) => on_job_done(model, outcome),
    }
}

fn on_job_done(model: &mut Model, outcome: JobOutcome) -> Vec<Effect> {
    let job = model.job.take();
    let t = model.theme;
    match &outcome {
        JobOutcome::Built { tag, image_id, .. } => {
            let id = image_id
                .as_deref()
                .map(crate::dockerfile::short_id)
                .unwrap_or_default();
            let cache = match job.as_ref().map(|j| (j.cached.len(), j.step)) {
                Some((n, Some((_, total)))) if n > 0 => {
                    format!(" — {n} of {total} steps came from the cache")
                }
                _ => String::new(),
            };
            model
                .output
                .push_note(t.pass, &format!("✓ built {tag} {id}{cache}"));
        }
        JobOutcome::BuildFailed(f) => {
            let step = match (f.step, job.as_ref().and_then(|j| j.step)) {
                (Some(k), Some((_, n))) => format!(" at step {k}/{n}"),
                _ => String::new(),
            };
            model
                .output
                .push_note(t.fail, &format!("✗ build failed{step}"));
            for line in f.describe().lines() {
                model.output.push_note(t.fail, &format!("  {line}"));
            }
        }
        JobOutcome::Ran { record, .. } => {
            let code = record.exit_code.unwrap_or(-1);
            let style = if code == 0 { t.pass } else { t.fail };
            model.output.push_note(
                style,
                &format!("● container exited with code {code} (removed)"),
            );
        }
        JobOutcome::Loaded { images } => {
            model
                .output
                .push_note(t.pass, &format!("✓ loaded {}", images.join(", ")));
        }
        JobOutcome::LoadFailed { message } => {
            model.output.push_note(t.fail, &format!("✗ {message}"));
        }
        JobOutcome::Tidied { removed } => {
            let n = removed.len();
            model.output.push_note(
                t.pass,
                &format!(
                    "✓ removed {n} dangling image{}",
                    if n == 1 { "" } else { "s" }
                ),
            );
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
            model
                .output
                .push_note(t.pass, &format!("✓ scanned: {text}"));
        }
        JobOutcome::ScanUnavailable { message } => {
            model.output.push_note(t.warn, &format!("◌ {message}"));
        }
        JobOutcome::RunFailed { message } => {
            model.output.push_note(t.fail, &format!("✗ {message}"));
        }
        JobOutcome::Interrupted { what, reason } => {
            model
                .output
                .push_note(t.warn, &format!("■ {what} interrupted: {reason}"));
            model
                .output
                .push_note(t.dim, "  press the same key again once the engine is back");
        }
        JobOutcome::NoEngine { message } => {
            model.output.push_note(t.fail, &format!("✗ {message}"));
        }
    }
    let success = outcome.success();
    model.last_outcome = Some(outcome);
    let mut effects = vec![check_effect(model)];
    // Enter runs all of a lesson's actions; a failure stops the rest.
    if success && !model.queue.is_empty() {
        effects.extend(run_next(model, true));
    } else {
        model.queue.clear();
    }
    effects
}

fn on_checked(
    model: &mut Model,
    lesson: usize,
    outcomes: Vec<crate::check::Outcome>,
    at: u64,
) -> Vec<Effect> {
    let Some(slot) = model.results.get_mut(lesson) else {
        return vec![];
    };
    *slot = Some(outcomes);
    if !model.lesson_passed(lesson) {
        return vec![];
    }
    let Some(id) = model.lessons.get(lesson).map(|l| l.id.clone()) else {
        return vec![];
    };
    if model.progress.is_done(&id) {
        return vec![];
    }
    model.progress.done.insert(id, at);
    let next = if lesson + 1 < model.lessons.len() {
        "press n for the next lesson"
    } else {
        "that was the last lesson — well done!"
    };
    notice(model, format!("✓ lesson passed — {next}"), false);
    vec![Effect::SaveProgress(model.progress.clone())]
}

fn page_size(model: &Model) -> isize {
    let h = layout::pane_height(model, model.focus);
    (h as isize - 2).max(1)
}

fn scroll_focused(model: &mut Model, delta: isize) -> Vec<Effect> {
    scroll(model, model.focus, delta);
    vec![]
}

fn scroll(model: &mut Model, pane: Pane, delta: isize) {
    let max = layout::max_scroll(model, pane);
    let apply = |pos: usize| -> usize {
        (pos as isize).saturating_add(delta).clamp(0, max as isize) as usize
    };
    match pane {
        Pane::Lesson => model.lesson_scroll = apply(model.lesson_scroll),
        Pane::Checks => model.checks_scroll = apply(model.checks_scroll),
        Pane::Output => {
            let top = apply(model.output_top.unwrap_or(max));
            model.output_top = if top >= max { None } else { Some(top) };
        }
    }
}

fn clamp_scrolls(model: &mut Model) {
    model.lesson_scroll = model
        .lesson_scroll
        .min(layout::max_scroll(model, Pane::Lesson));
    model.checks_scroll = model
        .checks_scroll
        .min(layout::max_scroll(model, Pane::Checks));
}

#[cfg(test)]
mod tests;
