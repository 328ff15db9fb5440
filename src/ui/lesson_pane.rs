//! The lesson pane: the linter's findings on the learner's Dockerfile (when
//! there are any), then the lesson's Markdown, scrolled.
//!
//! A lesson's Markdown is rendered once per width and kept ([`LessonText`]):
//! neither a key press nor a frame parses it again.

use std::collections::HashMap;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::markdown;
use super::theme::Theme;
use super::widgets::pane_block;
use crate::lesson::Lesson;
use crate::lint::Severity;
use crate::state::{Model, Pane};

/// At most this many findings are shown in full; the rest are counted.
const SHOWN_FINDINGS: usize = 3;
/// Panes shorter than this show findings without their "why".
const COMPACT_BELOW: u16 = 16;

/// Every lesson's rendered Markdown at one width (the lesson pane's); a
/// new width starts afresh.
#[derive(Debug, Default)]
pub struct LessonText {
    width: u16,
    /// By the lesson's place in the course, with its id to be sure.
    lessons: HashMap<usize, (String, Vec<Line<'static>>)>,
    /// How many times Markdown was rendered (for tests).
    renders: u64,
}

impl LessonText {
    /// The lesson's text at `width`, rendered only when not yet kept.
    pub fn get(
        &mut self,
        index: usize,
        lesson: &Lesson,
        width: u16,
        t: &Theme,
    ) -> &[Line<'static>] {
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
            let lines = markdown::render(&lesson.body, width, t);
            self.lessons.insert(index, (lesson.id.clone(), lines));
        }
        &self.lessons[&index].1
    }

    pub fn renders(&self) -> u64 {
        self.renders
    }
}

/// What the lesson pane holds at one size: the linter's lines, then the
/// lesson's (kept) text.
pub struct Content<'a> {
    lint: Vec<Line<'static>>,
    text: &'a [Line<'static>],
}

impl Content<'_> {
    pub fn len(&self) -> usize {
        self.lint.len() + self.text.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Lines `top..top + count`, copied for drawing.
    fn window(&self, top: usize, count: usize) -> Vec<Line<'static>> {
        self.lint
            .iter()
            .chain(self.text)
            .skip(top)
            .take(count)
            .cloned()
            .collect()
    }
}

/// The pane's content at an inner `width`×`height`: a short pane gets one
/// line per finding, so the lesson itself stays in view.
pub fn content<'a>(
    model: &Model,
    text: &'a mut LessonText,
    t: &Theme,
    width: u16,
    height: u16,
) -> Content<'a> {
    let lint = lint_lines(model, t, width, height < COMPACT_BELOW);
    let text = match model.lesson() {
        Some(lesson) => text.get(model.current, lesson, width, t),
        None => &[],
    };
    Content { lint, text }
}

fn lint_lines(model: &Model, t: &Theme, width: u16, compact: bool) -> Vec<Line<'static>> {
    let w = width as usize;
    let mut out = Vec::new();
    let wrap = |text: String, first: &str, style| {
        markdown::wrap(&[(text, style)], w, first, "    ", style)
    };
    match &model.lint {
        None => return out,
        Some(Ok(findings)) if findings.is_empty() => return out,
        Some(Err(e)) => out.extend(wrap(
            format!("Dockerfile does not parse: {e}"),
            "✗ ",
            t.fail,
        )),
        // A short pane gets one line, so the lesson itself stays in view.
        Some(Ok(findings)) if compact => {
            let ids: Vec<String> = findings
                .iter()
                .map(|f| format!("{} (line {})", f.rule, f.line))
                .collect();
            let line = Line::from(vec![
                Span::styled("▲ Linter: ", t.warn),
                Span::styled(ids.join(", "), t.warn),
                Span::styled(" — z shows why", t.dim),
            ]);
            return vec![super::status_bar::truncate(line, w)];
        }
        Some(Ok(findings)) => {
            let n = findings.len();
            out.push(Line::styled(
                format!(
                    "Linter: {n} finding{} in your Dockerfile",
                    if n == 1 { "" } else { "s" }
                ),
                t.warn,
            ));
            for f in findings.iter().take(SHOWN_FINDINGS) {
                let (mark, style) = match f.severity {
                    Severity::Error => ("✗ ", t.fail),
                    Severity::Warning => ("▲ ", t.warn),
                    Severity::Info => ("ℹ ", t.text),
                    Severity::Style => ("· ", t.dim),
                };
                let text = format!("line {} {}: {}", f.line, f.rule, f.message);
                out.extend(wrap(text, mark, style));
                let lesson = f
                    .lesson
                    .and_then(|id| model.lessons.iter().position(|l| l.id == id))
                    .map(|i| format!(" → lesson {}", i + 1))
                    .unwrap_or_default();
                out.extend(wrap(format!("{}{lesson}", f.why), "  ", t.dim));
            }
            if n > SHOWN_FINDINGS {
                out.push(Line::styled(
                    format!("  +{} more: docktutor lint", n - SHOWN_FINDINGS),
                    t.dim,
                ));
            }
        }
    }
    out.push(Line::styled("─".repeat(w.min(40)), t.dim));
    out
}

/// `content` is [`content`] at the pane's inner size; `inner_h` its height.
pub fn draw(
    frame: &mut Frame<'_>,
    area: Rect,
    model: &Model,
    t: &Theme,
    content: &Content<'_>,
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
    let max = total.saturating_sub(inner_h);
    let top = model.lesson_scroll.min(max);
    let more = if max == 0 {
        None
    } else if top >= max {
        Some(" end ".to_string())
    } else {
        Some(format!(" {}% ↓ ", (top + inner_h) * 100 / total.max(1)))
    };
    let title = format!(
        " {}/{} · {} ",
        model.current + 1,
        model.lessons.len(),
        lesson.title
    );
    let block = pane_block(model, t, Pane::Lesson, title, more);
    let visible = content.window(top, inner_h);
    frame.render_widget(Paragraph::new(visible).block(block), area);
}
