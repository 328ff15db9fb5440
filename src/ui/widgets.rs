//! Small shared pieces: the pane frame and centred popups.

use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, BorderType, Borders, Padding};

use super::theme::Theme;
use crate::state::{Model, Pane};

/// Columns of space between a pane's border and its text.
pub const PAD: u16 = 1;

/// The text area inside a pane's border and padding.
pub fn inner(area: Rect) -> Rect {
    Rect::new(
        area.x + 1 + PAD,
        area.y + 1,
        area.width.saturating_sub(2 + 2 * PAD),
        area.height.saturating_sub(2),
    )
}

/// A pane's border, bright when it has the focus.
pub fn pane_block(
    model: &Model,
    t: &Theme,
    pane: Pane,
    title: String,
    bottom: Option<String>,
) -> Block<'static> {
    let focused = model.focus == pane;
    let mut block = Block::default()
        .borders(Borders::ALL)
        .border_type(if focused {
            BorderType::Thick
        } else {
            BorderType::Rounded
        })
        .border_style(if focused { t.border_focused } else { t.border })
        .padding(Padding::horizontal(PAD))
        .title(Line::styled(title, if focused { t.title } else { t.text }));
    if let Some(b) = bottom {
        block = block.title_bottom(Line::styled(b, t.dim).right_aligned());
    }
    block
}

/// A rectangle of at most `w`×`h` in the middle of `area`.
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let [row] = Layout::vertical([Constraint::Length(h.min(area.height))])
        .flex(Flex::Center)
        .areas(area);
    let [cell] = Layout::horizontal([Constraint::Length(w.min(area.width))])
        .flex(Flex::Center)
        .areas(row);
    cell
}
