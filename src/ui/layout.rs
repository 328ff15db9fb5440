//! Where each pane goes, as a pure function of the model. `update` uses it
//! too (mouse wheel → pane, page size, scroll limits), so input and drawing
//! always agree.

use ratatui::layout::{Constraint, Layout, Rect};

use super::widgets::inner;
use super::{checks_pane, lesson_pane};
use crate::state::{Model, Pane};

/// Below this the app shows a "too small" message instead of panes.
pub const MIN_WIDTH: u16 = 40;
pub const MIN_HEIGHT: u16 = 12;
/// From this width on, the lesson sits beside checks and output.
const WIDE: u16 = 110;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Areas {
    pub header: Rect,
    pub lesson: Rect,
    pub checks: Rect,
    pub output: Rect,
    pub status: Rect,
}

pub fn too_small(model: &Model) -> bool {
    model.size.0 < MIN_WIDTH || model.size.1 < MIN_HEIGHT
}

pub fn areas(model: &Model) -> Areas {
    let screen = Rect::new(0, 0, model.size.0, model.size.1);
    let [header, body, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(2),
    ])
    .areas(screen);
    let none = Rect::new(body.x, body.y, 0, 0);
    if model.zoom {
        let mut a = Areas {
            header,
            lesson: none,
            checks: none,
            output: none,
            status,
        };
        match model.focus {
            Pane::Lesson => a.lesson = body,
            Pane::Checks => a.checks = body,
            Pane::Output => a.output = body,
        }
        return a;
    }
    let checks_lines = |area: Rect| checks_pane::lines(model, inner(area).width).len() as u16 + 2;
    if body.width >= WIDE {
        let [lesson, right] =
            Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)])
                .areas(body);
        let checks_h = checks_lines(right).clamp(3, (right.height * 45 / 100).max(3));
        let [checks, output] =
            Layout::vertical([Constraint::Length(checks_h), Constraint::Min(3)]).areas(right);
        Areas {
            header,
            lesson,
            checks,
            output,
            status,
        }
    } else {
        // Narrow: stacked. The output pane stays a single line until there
        // is output to read; the checklist takes what it needs, up to 8 rows.
        let quiet = model.output.is_empty()
            && model.job.is_none()
            && model.output_view == crate::state::OutputView::Log;
        let output_h = if quiet {
            3
        } else {
            (body.height * 40 / 100).max(6)
        };
        let checks_h = checks_lines(body).clamp(3, 8);
        let lesson_h = body.height.saturating_sub(output_h + checks_h).max(5);
        let [lesson, checks, output] = Layout::vertical([
            Constraint::Length(lesson_h),
            Constraint::Length(checks_h),
            Constraint::Min(3),
        ])
        .areas(body);
        Areas {
            header,
            lesson,
            checks,
            output,
            status,
        }
    }
}

fn rect_of(a: &Areas, pane: Pane) -> Rect {
    match pane {
        Pane::Lesson => a.lesson,
        Pane::Checks => a.checks,
        Pane::Output => a.output,
    }
}

/// The pane under a screen position (for the mouse wheel).
pub fn pane_at(model: &Model, x: u16, y: u16) -> Option<Pane> {
    let a = areas(model);
    let pos = ratatui::layout::Position::new(x, y);
    [Pane::Lesson, Pane::Checks, Pane::Output]
        .into_iter()
        .find(|p| rect_of(&a, *p).contains(pos))
}

/// Height inside the pane's border.
pub fn pane_height(model: &Model, pane: Pane) -> u16 {
    inner(rect_of(&areas(model), pane)).height
}

fn pane_width(model: &Model, pane: Pane) -> u16 {
    inner(rect_of(&areas(model), pane)).width
}

/// How far a pane can scroll: content lines minus visible lines.
pub fn max_scroll(model: &Model, pane: Pane) -> usize {
    let visible = pane_height(model, pane) as usize;
    let width = pane_width(model, pane);
    let content = match pane {
        Pane::Lesson => lesson_pane::lines(model, width, visible as u16).len(),
        Pane::Checks => checks_pane::lines(model, width).len(),
        Pane::Output => model.output.len(),
    };
    content.saturating_sub(visible)
}
