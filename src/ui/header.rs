//! The top line: the app's name, where the learner is in the course, and
//! the workspace folder.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::theme::Theme;
use crate::state::Model;

pub fn draw(frame: &mut Frame<'_>, area: Rect, model: &Model, t: &Theme) {
    let mut spans = vec![
        Span::styled(" docktutor ", t.title),
        Span::styled(" ", t.text),
    ];
    for (i, _) in model.lessons.iter().enumerate() {
        let (mark, style) = if i == model.current {
            (if model.lesson_done(i) { "◉" } else { "●" }, t.key)
        } else if model.lesson_done(i) {
            ("✓", t.pass)
        } else {
            ("○", t.dim)
        };
        spans.push(Span::styled(mark, style));
    }
    let done = (0..model.lessons.len())
        .filter(|i| model.lesson_done(*i))
        .count();
    spans.push(Span::styled(
        format!("  {done}/{} done", model.lessons.len()),
        t.dim,
    ));
    let used: usize = spans.iter().map(|s| s.width()).sum();
    let ws = model.workspace.display().to_string();
    let room = (area.width as usize).saturating_sub(used + 3);
    if room > 8 {
        let shown = if ws.chars().count() > room {
            let tail: String = ws
                .chars()
                .rev()
                .take(room - 1)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            format!("…{tail}")
        } else {
            ws
        };
        let pad = (area.width as usize).saturating_sub(used + shown.chars().count() + 1);
        spans.push(Span::raw(" ".repeat(pad)));
        spans.push(Span::styled(shown, t.dim));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
