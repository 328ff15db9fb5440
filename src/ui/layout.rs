//! Where each pane goes, as a pure function of the model; and the figures
//! of a draw ([`Viewport`]) that `update` scrolls and aims the mouse wheel
//! with, so input and drawing always agree.

use ratatui::layout::{Constraint, Layout, Rect};

use super::theme::Theme;
use super::widgets::inner;
use super::{checks_pane, status_bar};
use crate::state::{Model, Pane, PaneFigures, Region, Viewport};

/// Below this the app shows a "too small" message instead of panes.
pub const MIN_WIDTH: u16 = 40;
pub const MIN_HEIGHT: u16 = 12;
/// From this width on, the lesson sits beside checks and output.
pub const WIDE: u16 = 140;
/// The lesson pane never has fewer text rows than this (terminal allowing).
pub const LESSON_ROWS: u16 = 8;
/// The output pane's text rows at least, while a job runs or it is unfolded.
pub const OUTPUT_ROWS: u16 = 6;
/// A pane's border takes a row above and one below its text.
const BORDER: u16 = 2;
/// A folded output pane: its border around its one summary line.
const FOLDED: u16 = 1 + BORDER;
/// The smallest checks pane: its border around one line.
const CHECKS_MIN: u16 = 1 + BORDER;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Areas {
    pub header: Rect,
    pub lesson: Rect,
    pub checks: Rect,
    pub output: Rect,
    /// The engine line (or a notice: two rows when it is long, taken from
    /// the panes for as long as it shows) and the key bar. A one-row
    /// prompt, when there is one, takes the key bar's row: the panes keep
    /// their rows.
    pub status: Rect,
}

pub fn too_small(model: &Model) -> bool {
    model.size.0 < MIN_WIDTH || model.size.1 < MIN_HEIGHT
}

/// Where each pane goes: a pure function of the terminal's size and the
/// model (focus, zoom, whether a job runs, how long the checklist is).
///
/// The lesson is the main thing: it keeps at least [`LESSON_ROWS`] rows of
/// text, and about half the screen while nothing runs. The output pane
/// folds to its summary line unless a job runs or the learner unfolded or
/// focused it; then it takes about two fifths, at least [`OUTPUT_ROWS`].
/// The checklist takes what it needs of the rest. From [`WIDE`] columns on,
/// the lesson has the left side to itself.
pub fn areas(model: &Model, t: &Theme) -> Areas {
    let screen = Rect::new(0, 0, model.size.0, model.size.1);
    let status_rows = 1 + status_bar::engine_rows(model, model.size.0);
    let [header, body, status] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(status_rows),
    ])
    .areas(screen);
    let none = Rect::new(body.x, body.y, 0, 0);
    let mut a = Areas {
        header,
        lesson: none,
        checks: none,
        output: none,
        status,
    };
    if model.zoom {
        match model.focus {
            Pane::Lesson => a.lesson = body,
            Pane::Checks => a.checks = body,
            Pane::Output => a.output = body,
        }
        return a;
    }
    let wide = body.width >= WIDE;
    let (lesson_col, side) = if wide {
        let [l, r] = Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)])
            .areas(body);
        (l, r)
    } else {
        (body, body)
    };
    let checks_need = checks_pane::lines(model, inner(side).width, t).lines.len() as u16 + BORDER;
    let h = body.height;
    let output_h = if model.output_folded() {
        FOLDED
    } else {
        (h * 2 / 5).max(OUTPUT_ROWS + BORDER)
    };
    if wide {
        let output_h = output_h.min(h.saturating_sub(CHECKS_MIN));
        let [checks, output] =
            Layout::vertical([Constraint::Min(0), Constraint::Length(output_h)]).areas(side);
        a.lesson = lesson_col;
        a.checks = checks;
        a.output = output;
        return a;
    }
    // Stacked: the lesson's floor first, then the output, then the checks.
    let quiet = model.job.is_none() && model.output_folded();
    let lesson_floor = if quiet {
        (model.size.1 / 2).max(LESSON_ROWS + BORDER)
    } else {
        (h * 2 / 5).max(LESSON_ROWS + BORDER)
    };
    // A short terminal (under 24 rows) gives up the output's and the
    // lesson's extra rows before the checklist's last one.
    let output_h = output_h.min(
        h.saturating_sub(LESSON_ROWS + BORDER + CHECKS_MIN)
            .max(FOLDED),
    );
    let checks_room = h.saturating_sub(output_h + lesson_floor).max(CHECKS_MIN);
    let checks_h = checks_need.clamp(CHECKS_MIN, checks_room);
    let lesson_h = h.saturating_sub(output_h + checks_h);
    let [lesson, checks, output] = Layout::vertical([
        Constraint::Length(lesson_h),
        Constraint::Length(checks_h),
        Constraint::Min(0),
    ])
    .areas(body);
    a.lesson = lesson;
    a.checks = checks;
    a.output = output;
    a
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

/// The figures of a whole draw, for `Msg::Drawn`; `commands` are the
/// lines where the lesson's command blocks start.
pub fn viewport(
    a: &Areas,
    lesson: usize,
    checks: usize,
    output: usize,
    commands: Vec<usize>,
) -> Viewport {
    Viewport {
        lesson: figures(a.lesson, lesson),
        checks: figures(a.checks, checks),
        output: figures(a.output, output),
        lesson_commands: commands,
    }
}
