//! Moving between lessons, and scrolling the panes against the figures of
//! the last draw (`Model::viewport`).

use super::super::model::{Model, OutputView, Pane};
use super::super::msg::Effect;
use super::super::viewport::Viewport;
use super::check_effect;
use super::notice;

pub(super) fn go_to(model: &mut Model, idx: usize) -> Vec<Effect> {
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
    let save = Effect::SaveProgress(model.progress.clone());
    vec![save, check_effect(model)]
}

/// Keeps the figures of a draw, and clamps the scroll positions of the
/// panes shown to them as the draw did (a resize or zoom may have brought a
/// pane's end closer). A pane zoomed away keeps its position.
pub(super) fn record(model: &mut Model, viewport: Viewport) {
    let (lesson_shown, checks_shown) = (viewport.lesson.shown(), viewport.checks.shown());
    model.viewport = viewport;
    if lesson_shown {
        model.lesson_scroll = model.lesson_scroll.min(max_scroll(model, Pane::Lesson));
    }
    if checks_shown {
        model.checks_scroll = model.checks_scroll.min(max_scroll(model, Pane::Checks));
    }
}

/// How far a pane can scroll. The output's length is known here and now;
/// the other panes' lengths are those of the last draw.
fn max_scroll(model: &Model, pane: Pane) -> usize {
    let figures = model.viewport.pane(pane);
    match pane {
        Pane::Output if model.output_view == OutputView::Log => {
            model.output.len().saturating_sub(figures.height)
        }
        Pane::Output => figures.max_scroll(),
        _ => figures.max_scroll(),
    }
}

/// A page: the pane's height, less two lines kept for context.
pub(super) fn page_size(model: &Model, pane: Pane) -> isize {
    let h = model.viewport.pane(pane).height;
    (h as isize - 2).max(1)
}

/// Scrolls the lesson so that its next command block (fenced code) starts
/// one line below the top; after the last, back to the first. `false`
/// when the lesson has no command block.
pub(super) fn next_command(model: &mut Model) -> bool {
    let max = max_scroll(model, Pane::Lesson);
    let tops: Vec<usize> = model
        .viewport
        .lesson_commands
        .iter()
        .map(|row| row.saturating_sub(1).min(max))
        .collect();
    let Some(&first) = tops.first() else {
        return false;
    };
    let top = model.lesson_scroll;
    model.lesson_scroll = tops.into_iter().find(|t| *t > top).unwrap_or(first);
    true
}

pub(super) fn scroll_focused(model: &mut Model, delta: isize) -> Vec<Effect> {
    scroll(model, model.focus, delta);
    vec![]
}

pub(super) fn scroll(model: &mut Model, pane: Pane, delta: isize) {
    let max = max_scroll(model, pane);
    let apply = |pos: usize| -> usize {
        (pos as isize).saturating_add(delta).clamp(0, max as isize) as usize
    };
    match pane {
        Pane::Lesson => model.lesson_scroll = apply(model.lesson_scroll),
        Pane::Checks => model.checks_scroll = apply(model.checks_scroll),
        Pane::Output if model.output_view != OutputView::Log => {
            model.images_scroll = apply(model.images_scroll);
        }
        Pane::Output => {
            let top = apply(model.output_top.unwrap_or(max));
            model.output_top = if top >= max { None } else { Some(top) };
        }
    }
}
