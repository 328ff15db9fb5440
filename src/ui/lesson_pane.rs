//! The lesson pane: the linter's findings on the learner's Dockerfile (when
//! there are any), then the lesson's Markdown, scrolled.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::markdown;
use super::widgets::{inner, pane_block};
use crate::lint::Severity;
use crate::state::{Model, Pane};

/// At most this many findings are shown in full; the rest are counted.
const SHOWN_FINDINGS: usize = 3;
/// Panes shorter than this show findings without their "why".
const COMPACT_BELOW: u16 = 16;

/// `height` is the pane's inner height: a short pane gets one line per
/// finding, so the lesson itself stays in view.
pub fn lines(model: &Model, width: u16, height: u16) -> Vec<Line<'static>> {
    let mut out = lint_lines(model, width, height < COMPACT_BELOW);
    if let Some(lesson) = model.lesson() {
        out.extend(markdown::render(&lesson.body, width, &model.theme));
    }
    out
}

fn lint_lines(model: &Model, width: u16, compact: bool) -> Vec<Line<'static>> {
    let t = &model.theme;
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
    let all = lines(model, inner_w, inner_h as u16);
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
