//! `update(model, msg) -> effects`: every state change of the app, pure.
//!
//! By concern: [`input`] (keys, popups, the mouse), [`navigation`] (moving
//! between lessons, scrolling), [`jobs`] (a lesson's actions, builds and
//! runs, what the engine reports) and [`checks`] (check runs and their
//! answers).
//!
//! `update` also says whether the screen must be drawn again
//! (`Model::needs_draw`). Key releases, keys and wheel turns that change
//! nothing, a tick with nothing animating, a file change (its checks answer
//! later) and the figures of a draw itself do not redraw.

mod checks;
mod input;
pub(super) mod jobs;
mod navigation;

use ratatui::crossterm::event::KeyEventKind;

use super::model::{Model, Notice, OutputView, Overlay, Pane};
use super::msg::{Effect, Msg};

pub use checks::check_effect;

pub fn update(model: &mut Model, msg: Msg) -> Vec<Effect> {
    let (effects, changed) = step(model, msg);
    model.needs_draw |= changed;
    effects
}

/// The effects of a message, and whether it changed what the screen shows.
fn step(model: &mut Model, msg: Msg) -> (Vec<Effect>, bool) {
    match msg {
        Msg::Key(key) if key.kind == KeyEventKind::Release => (vec![], false),
        Msg::Key(key) => watched(model, |m| input::on_key(m, key)),
        Msg::Mouse(mouse) => watched(model, |m| input::on_mouse(m, mouse)),
        Msg::Resize(w, h) => {
            let changed = model.size != (w, h);
            model.size = (w, h);
            (vec![], changed)
        }
        Msg::Drawn(viewport) => {
            // The draw clamped its scrolling the same way: nothing to redraw.
            navigation::record(model, viewport);
            (vec![], false)
        }
        Msg::Paste(text) => {
            let effects = crate::state::prompt_keys::paste(model, &text);
            (effects, !text.trim().is_empty())
        }
        Msg::Engine(ev) => jobs::on_engine(model, ev),
        Msg::FilesChanged => (vec![check_effect(model)], false),
        Msg::Checked {
            generation,
            lesson,
            outcomes,
            at,
            lint,
        } => checks::on_checked(model, generation, lesson, outcomes, at, lint),
        Msg::Tick => {
            model.spinner = model.spinner.wrapping_add(1);
            // Only a running job shows the spinner.
            (vec![], model.job.is_some())
        }
        Msg::Terminate => (input::quit_now(model), true),
        Msg::Done(Ok(text)) => {
            notice(model, text, false);
            (vec![check_effect(model)], true)
        }
        Msg::Done(Err(text)) => {
            notice(model, text, true);
            (vec![], true)
        }
        Msg::Resumed => (vec![check_effect(model)], true),
        Msg::Files(names) => {
            model.workspace_files = names;
            (vec![], false)
        }
    }
}

/// What input can change on screen without asking for an effect. A key or
/// wheel turn that asks for nothing and leaves all of this as it was (an
/// ignored key, scrolling past the end) changed nothing on screen.
#[derive(PartialEq)]
struct Glance {
    current: usize,
    focus: Pane,
    zoom: bool,
    lesson_scroll: usize,
    checks_scroll: usize,
    output_top: Option<usize>,
    images_scroll: usize,
    output_open: bool,
    output_view: OutputView,
    overlay: Option<Overlay>,
    notice: Option<Notice>,
    stopping: Option<bool>,
    output: u64,
    quit: bool,
}

impl Glance {
    fn of(model: &Model) -> Glance {
        Glance {
            current: model.current,
            focus: model.focus,
            zoom: model.zoom,
            lesson_scroll: model.lesson_scroll,
            checks_scroll: model.checks_scroll,
            output_top: model.output_top,
            images_scroll: model.images_scroll,
            output_open: model.output_open,
            output_view: model.output_view,
            overlay: model.overlay.clone(),
            notice: model.notice.clone(),
            stopping: model.job.as_ref().map(|j| j.stopping),
            output: model.output.generation(),
            quit: model.quit,
        }
    }
}

fn watched(model: &mut Model, f: impl FnOnce(&mut Model) -> Vec<Effect>) -> (Vec<Effect>, bool) {
    let before = Glance::of(model);
    let effects = f(model);
    let changed = !effects.is_empty() || Glance::of(model) != before;
    (effects, changed)
}

fn notice(model: &mut Model, text: impl Into<String>, error: bool) {
    model.notice = Some(Notice {
        text: text.into(),
        error,
    });
}

#[cfg(test)]
mod tests;
