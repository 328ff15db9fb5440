//! Keys, popups and the mouse: what each key of the key table does, and
//! what keys mean while a popup is open.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseEvent, MouseEventKind};

use super::super::keys::{self, KeyAction};
use super::super::model::{Model, OutputView, Overlay, Pane};
use super::super::msg::Effect;
use super::checks::{check_effect, reset_lesson};
use super::jobs::{
    first_action, perform, refresh_or_explain, refuse_job, run_next, start_load, wait_for_engine,
};
use super::navigation::{go_to, next_command, page_size, scroll, scroll_focused};
use super::notice;
use crate::engine::EngineCmd;
use crate::lesson::Action;

pub(super) fn on_key(model: &mut Model, key: KeyEvent) -> Vec<Effect> {
    // Any key clears a transient notice.
    let had_notice = model.notice.take().is_some();
    if model.prompt.open {
        return crate::state::prompt_keys::on_key(model, key);
    }
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
    if action != KeyAction::Quit {
        model.interrupts = 0;
    }
    on_action(model, action)
}

pub(super) fn on_mouse(model: &mut Model, mouse: MouseEvent) -> Vec<Effect> {
    let delta: isize = match mouse.kind {
        MouseEventKind::ScrollDown => 3,
        MouseEventKind::ScrollUp => -3,
        _ => return vec![],
    };
    if let Some(pane) = model.viewport.pane_at(mouse.column, mouse.row) {
        scroll(model, pane, delta);
    }
    vec![]
}

fn on_action(model: &mut Model, action: KeyAction) -> Vec<Effect> {
    match action {
        KeyAction::Primary => {
            let actions = model
                .lesson()
                .map(|l| l.actions.clone())
                .unwrap_or_default();
            if actions.is_empty() {
                return on_action(model, KeyAction::Check);
            }
            if let Some(waiting) = wait_for_engine(model, actions.clone()) {
                return waiting;
            }
            if let Some(refusal) = refuse_job(model) {
                notice(model, refusal, true);
                return vec![];
            }
            model.queue = actions.into();
            run_next(model, false)
        }
        KeyAction::Build => {
            let build =
                first_action(model, |a| matches!(a, Action::Build { .. })).unwrap_or_else(|| {
                    Action::Build {
                        tag: default_tag(model),
                        dockerfile: None,
                    }
                });
            model.queue.clear();
            if let Some(waiting) = wait_for_engine(model, vec![build.clone()]) {
                return waiting;
            }
            perform(model, &build, false)
        }
        KeyAction::Run => {
            let run =
                first_action(model, |a| matches!(a, Action::Run { .. })).unwrap_or_else(|| {
                    Action::Run {
                        image: default_tag(model),
                        memory: None,
                        cpus: None,
                        until: None,
                        timeout: None,
                    }
                });
            model.queue.clear();
            if let Some(waiting) = wait_for_engine(model, vec![run.clone()]) {
                return waiting;
            }
            perform(model, &run, false)
        }
        KeyAction::Images => {
            model.output_view = OutputView::Images;
            model.images_scroll = 0;
            if model.engine_connected() {
                notice(model, "images refreshed", false);
            }
            refresh_or_explain(model)
        }
        KeyAction::Check => {
            notice(model, "checked again", false);
            let mut effects = vec![check_effect(model)];
            if model.engine_connected() {
                effects.push(Effect::Engine(EngineCmd::Refresh));
            }
            effects
        }
        KeyAction::Cancel => match &mut model.job {
            Some(job) => {
                job.stopping = true;
                notice(model, "stopping…", false);
                vec![Effect::Engine(EngineCmd::Cancel)]
            }
            None if model.waiting_for_engine => {
                model.waiting_for_engine = false;
                model.queue.clear();
                notice(
                    model,
                    "cancelled: nothing will start when the engine answers",
                    false,
                );
                vec![]
            }
            None => {
                notice(model, "nothing is running", false);
                vec![]
            }
        },
        KeyAction::Prompt => crate::state::prompt_keys::open(model),
        KeyAction::Hint => open(model, Overlay::Hint),
        KeyAction::Solution => open(model, Overlay::Solution { scroll: 0 }),
        KeyAction::Lessons => open(
            model,
            Overlay::Lessons {
                selected: model.current,
            },
        ),
        KeyAction::Edit => match edit_target(model) {
            Some(path) => vec![Effect::OpenEditor(path)],
            None => {
                notice(model, "this lesson has no file to edit", false);
                vec![]
            }
        },
        KeyAction::Starter => match model.lesson() {
            Some(l) if !l.starters.is_empty() => vec![Effect::WriteStarters(l.starters.clone())],
            _ => {
                notice(model, "this lesson has no starter files", false);
                vec![]
            }
        },
        KeyAction::Reset => open(model, Overlay::ConfirmReset),
        KeyAction::SwitchEngine => match model.other_engine.take() {
            Some(info) => {
                notice(
                    model,
                    format!("switching to {} at {}…", info.name, info.address),
                    false,
                );
                vec![Effect::Engine(EngineCmd::SwitchEngine)]
            }
            None => {
                notice(
                    model,
                    "E switches engines only when yours has gone away and another answers",
                    false,
                );
                vec![]
            }
        },
        KeyAction::Load => open(
            model,
            Overlay::Load {
                input: String::new(),
            },
        ),
        KeyAction::NextLesson => go_to(model, model.current + 1),
        KeyAction::PrevLesson => match model.current.checked_sub(1) {
            Some(i) => go_to(model, i),
            None => vec![],
        },
        KeyAction::FocusNext => {
            model.focus = model.focus.next();
            vec![]
        }
        KeyAction::FocusPrev => {
            model.focus = model.focus.prev();
            vec![]
        }
        KeyAction::Down => scroll_focused(model, 1),
        KeyAction::Up => scroll_focused(model, -1),
        KeyAction::PageDown | KeyAction::PageUp => {
            // The lesson pages from any focus; a zoomed pane is the only
            // one on screen, so it pages that one.
            let pane = if model.zoom {
                model.focus
            } else {
                Pane::Lesson
            };
            let page = page_size(model, pane);
            let sign = if action == KeyAction::PageUp { -1 } else { 1 };
            scroll(model, pane, sign * page);
            vec![]
        }
        KeyAction::FocusedPageDown => {
            let page = page_size(model, model.focus);
            scroll_focused(model, page)
        }
        KeyAction::FocusedPageUp => {
            let page = page_size(model, model.focus);
            scroll_focused(model, -page)
        }
        KeyAction::NextCommand => {
            if !next_command(model) {
                notice(model, "this lesson has no commands to jump to", false);
            }
            vec![]
        }
        KeyAction::ToggleOutput => {
            if model.output_folded() {
                model.output_open = true;
            } else if model.job.is_some() {
                notice(
                    model,
                    "the output folds to one line when the job ends",
                    false,
                );
            } else {
                model.output_open = false;
                if model.focus == Pane::Output {
                    model.focus = Pane::Lesson;
                    model.zoom = false;
                }
            }
            vec![]
        }
        KeyAction::Top => scroll_focused(model, isize::MIN / 2),
        KeyAction::Bottom => {
            if model.focus == Pane::Output {
                model.output_top = None;
                vec![]
            } else {
                scroll_focused(model, isize::MAX / 2)
            }
        }
        KeyAction::Zoom => {
            // The next draw's figures clamp the scroll positions to the new size.
            model.zoom = !model.zoom;
            vec![]
        }
        KeyAction::Help => open(model, Overlay::Help { scroll: 0 }),
        KeyAction::Quit => {
            if model.job.is_some() && model.interrupts == 0 {
                model.interrupts = 1;
                open(model, Overlay::ConfirmQuit)
            } else {
                quit_now(model)
            }
        }
        KeyAction::Suspend => vec![Effect::Suspend],
    }
}

fn open(model: &mut Model, overlay: Overlay) -> Vec<Effect> {
    model.overlay = Some(overlay);
    vec![]
}

pub(super) fn quit_now(model: &mut Model) -> Vec<Effect> {
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
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    if key.code == KeyCode::Char('c') && ctrl {
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
                KeyCode::Char(c) if !ctrl => {
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

fn edit_target(model: &Model) -> Option<std::path::PathBuf> {
    let name = model.lesson()?.edit.as_ref()?;
    crate::check::resolve(&model.workspace, name)
}

/// The image name used by build/run keys in lessons that do not name one:
/// the one the guide uses, or the first a lesson builds.
fn default_tag(model: &Model) -> String {
    model
        .lessons
        .iter()
        .flat_map(|l| l.actions.iter())
        .find_map(|a| match a {
            Action::Build { tag, .. } => Some(tag.clone()),
            _ => None,
        })
        .unwrap_or_else(|| "my-docker-app".into())
}
