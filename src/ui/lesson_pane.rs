//! The lesson pane: the lesson's Markdown, scrolled, with where the rest
//! is and where its next command block starts. (The linter's findings
//! live in the checks pane, so they never cost the lesson a row.)
//!
//! A lesson's Markdown is rendered once per width and kept ([`LessonText`]):
//! neither a key press nor a frame parses it again.

use std::collections::HashMap;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use super::markdown;
use super::theme::Theme;
use super::widgets::{pane_block, scroll_mark};
use crate::lesson::Lesson;
use crate::state::{Model, Pane};

/// Every lesson's rendered Markdown at one width (the lesson pane's); a
/// new width starts afresh.
#[derive(Debug, Default)]
pub struct LessonText {
    width: u16,
    /// By the lesson's place in the course, with its id to be sure.
    lessons: HashMap<usize, (String, Rendered)>,
    /// How many times Markdown was rendered (for tests).
    renders: u64,
}

impl LessonText {
    /// The lesson's text at `width`, rendered only when not yet kept.
    pub fn get(&mut self, index: usize, lesson: &Lesson, width: u16, t: &Theme) -> &Rendered {
        if width != self.width {
            self.lessons.clear();
            self.width = width;
        }
        let fresh = self
            .lessons
            .get(&index)
            .is_some_and(|(id, _)| *id == lesson.id);
        if !fresh {
            self.renders += 1;
            let (lines, commands) = markdown::render_with_blocks(&lesson.body, width, t);
            let rendered = Rendered { lines, commands };
            self.lessons.insert(index, (lesson.id.clone(), rendered));
        }
        &self.lessons[&index].1
    }

    pub fn renders(&self) -> u64 {
        self.renders
    }
}

/// A lesson's text at one width, and where its command blocks start.
#[derive(Debug, Default)]
pub struct Rendered {
    pub lines: Vec<Line<'static>>,
    pub commands: Vec<usize>,
}

impl Rendered {
    pub fn len(&self) -> usize {
        self.lines.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }
}

/// The lesson's text at an inner `width` (empty without a lesson).
pub fn content<'a>(
    model: &Model,
    text: &'a mut LessonText,
    t: &Theme,
    width: u16,
) -> Option<&'a Rendered> {
    let lesson = model.lesson()?;
    Some(text.get(model.current, lesson, width, t))
}

/// `content` is [`content`] at the pane's inner size; `inner_h` its height.
pub fn draw(
    frame: &mut Frame<'_>,
    area: Rect,
    model: &Model,
    t: &Theme,
    content: &Rendered,
    inner_h: usize,
) {
    if area.is_empty() {
        return;
    }
    let Some(lesson) = model.lesson() else {
        let block = pane_block(model, t, Pane::Lesson, " No lessons ".into(), None);
        frame.render_widget(
            Paragraph::new("No lesson could be loaded. Run `docktutor lessons` to see why.")
                .block(block),
            area,
        );
        return;
    };
    let total = content.len();
    let top = model.lesson_scroll.min(total.saturating_sub(inner_h));
    let mut more = scroll_mark(top, inner_h, total);
    // A command below the fold is one key away.
    if content.commands.iter().any(|&row| row >= top + inner_h) {
        more = Some(format!(
            " d next command ·{}",
            more.as_deref().unwrap_or(" ")
        ));
    }
    let title = format!(
        " {}/{} · {} ",
        model.current + 1,
        model.lessons.len(),
        lesson.title
    );
    let block = pane_block(model, t, Pane::Lesson, title, more);
    let visible: Vec<Line<'static>> = content
        .lines
        .iter()
        .skip(top)
        .take(inner_h)
        .cloned()
        .collect();
    frame.render_widget(Paragraph::new(visible).block(block), area);
}
