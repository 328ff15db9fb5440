//! The lesson pane: the lesson's Markdown, scrolled.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use super::markdown;
use super::theme::Theme;
use super::widgets::{inner, pane_block};
use crate::lesson::Lesson;
use crate::state::{Model, Pane};

pub fn lines(lesson: &Lesson, width: u16, theme: &Theme) -> Vec<Line<'static>> {
    markdown::render(&lesson.body, width, theme)
}

pub fn draw(frame: &mut Frame<'_>, area: Rect, model: &Model) {
    if area.is_empty() {
        return;
    }
    let Some(lesson) = model.lesson() else {
        let block = pane_block(model, Pane::Lesson, " No lessons ".into(), None);
        frame.render_widget(
            Paragraph::new("No lesson could be loaded. Run `docktutor lessons` to see why.")
                .block(block),
            area,
        );
        return;
    };
    let inner_w = inner(area).width;
    let inner_h = inner(area).height as usize;
    let all = lines(lesson, inner_w, &model.theme);
    let max = all.len().saturating_sub(inner_h);
    let top = model.lesson_scroll.min(max);
    let more = if max == 0 {
        None
    } else if top >= max {
        Some(" end ".to_string())
    } else {
        Some(format!(" {}% ↓ ", (top + inner_h) * 100 / all.len().max(1)))
    };
    let title = format!(
        " {}/{} · {} ",
        model.current + 1,
        model.lessons.len(),
        lesson.title
    );
    let block = pane_block(model, Pane::Lesson, title, more);
    let visible: Vec<Line<'static>> = all.into_iter().skip(top).take(inner_h).collect();
    frame.render_widget(Paragraph::new(visible).block(block), area);
}
