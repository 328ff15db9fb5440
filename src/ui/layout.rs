//! Where each pane goes, as a pure function of the model; and the figures
//! of a draw ([`Viewport`]) that `update` scrolls and aims the mouse wheel
//! with, so input and drawing always agree.

use ratatui::layout::{Constraint, Layout, Rect};

use super::checks_pane;
use super::theme::Theme;
use super::widgets::inner;
use crate::state::{Model, Pane, PaneFigures, Region, Viewport};

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

pub fn areas(model: &Model, t: &Theme) -> Areas {
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
    let checks_lines =
        |area: Rect| checks_pane::lines(model, inner(area).width, t).len() as u16 + 2;
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

/// A pane's figures: its area, the lines inside its border, and how many
/// lines its content takes there.
fn figures(area: Rect, content: usize) -> PaneFigures {
    PaneFigures {
        area: Region {
            x: area.x,
            y: area.y,
            width: area.width,
            height: area.height,
        },
        height: inner(area).height as usize,
        content,
    }
}

/// The figures of a whole draw, for `Msg::Drawn`.
pub fn viewport(a: &Areas, lesson: usize, checks: usize, output: usize) -> Viewport {
    Viewport {
        lesson: figures(a.lesson, lesson),
        checks: figures(a.checks, checks),
        output: figures(a.output, output),
    }
}
