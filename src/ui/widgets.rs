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

/// Where a scrolled pane stands, for its bottom border: `None` when all
/// of it shows, " end " at its end, else how far down its last visible
/// line is (" 40% ↓ ").
pub fn scroll_mark(top: usize, shown: usize, total: usize) -> Option<String> {
    if total <= shown {
        None
    } else if top + shown >= total {
        Some(" end ".into())
    } else {
        Some(format!(" {}% ↓ ", (top + shown) * 100 / total.max(1)))
    }
}

/// A pane's border: thick and bright when it has the focus, with "z zoom"
/// under it, so the screen shows which pane the keys (and `z`) act on.
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
    if focused && area_worth_a_label(model) {
        let label = if model.zoom { " z back " } else { " z zoom " };
        block = block.title_bottom(Line::styled(label, t.key).left_aligned());
    }
    if let Some(b) = bottom {
        block = block.title_bottom(Line::styled(b, t.dim).right_aligned());
    }
    block
}

/// The focus label needs a screen wide enough for it and the pane's marks.
fn area_worth_a_label(model: &Model) -> bool {
    model.size.0 >= 60
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

/// Fits a line into `width` columns by cutting from its middle ("…"), so
/// that its start (what it is about) and its end (usually the key to
/// press) both stay.
pub fn abbreviate_middle(line: Line<'static>, width: usize) -> Line<'static> {
    use unicode_width::UnicodeWidthChar;
    if line.width() <= width || width < 3 {
        return line;
    }
    let cells: Vec<(char, ratatui::style::Style)> = line
        .spans
        .iter()
        .flat_map(|s| s.content.chars().map(move |c| (c, s.style)))
        .collect();
    let w = |c: char| c.width().unwrap_or(0);
    // The end keeps about two fifths of the room, the start the rest.
    let tail_room = (width - 1) * 2 / 5;
    let head_room = width - 1 - tail_room;
    let mut head = Vec::new();
    let mut used = 0;
    for &(c, st) in &cells {
        if used + w(c) > head_room {
            break;
        }
        used += w(c);
        head.push((c, st));
    }
    let mut tail = Vec::new();
    let mut used_tail = 0;
    for &(c, st) in cells.iter().rev() {
        if used_tail + w(c) > width - 1 - used {
            break;
        }
        used_tail += w(c);
        tail.push((c, st));
    }
    tail.reverse();
    let ellipsis_style = head.last().map(|&(_, st)| st).unwrap_or_default();
    let mut spans: Vec<ratatui::text::Span<'static>> = Vec::new();
    let mut push = |c: char, st: ratatui::style::Style| match spans.last_mut() {
        Some(last) if last.style == st => last.content.to_mut().push(c),
        _ => spans.push(ratatui::text::Span::styled(c.to_string(), st)),
    };
    for (c, st) in head {
        push(c, st);
    }
    push('…', ellipsis_style);
    for (c, st) in tail {
        push(c, st);
    }
    Line::from(spans)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(l: &Line<'_>) -> String {
        l.spans.iter().map(|s| s.content.as_ref()).collect()
    }

    #[test]
    fn a_long_line_loses_its_middle_and_keeps_its_key() {
        let text = "If saving does not trigger a check (some VMs and network folders), press c.";
        let out = abbreviate_middle(Line::from(text.to_string()), 40);
        let s = plain(&out);
        assert_eq!(out.width(), 40, "{s}");
        assert!(s.starts_with("If saving does not"), "{s}");
        assert!(s.ends_with("press c."), "{s}");
        assert!(s.contains('…'));
        // What fits is left alone.
        assert_eq!(plain(&abbreviate_middle(Line::from("short"), 40)), "short");
    }

    #[test]
    fn scroll_marks_say_where_the_rest_is() {
        assert_eq!(scroll_mark(0, 10, 10), None);
        assert_eq!(scroll_mark(0, 10, 40).as_deref(), Some(" 25% ↓ "));
        assert_eq!(scroll_mark(30, 10, 40).as_deref(), Some(" end "));
    }
}
