//! The checklist: ✓ / ✗ / ◌ per check, with what is wrong and what to do.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use super::markdown;
use super::theme::Theme;
use super::widgets::pane_block;
use crate::check::Status;
use crate::state::{Model, Pane};

pub fn lines(model: &Model, width: u16, t: &Theme) -> Vec<Line<'static>> {
    let Some(lesson) = model.lesson() else {
        return vec![];
    };
    if lesson.checks.is_empty() {
        return vec![Line::styled(
            "Nothing to check here — read on, then press n.",
            t.dim,
        )];
    }
    let mut out = Vec::new();
    let wrap = |text: &str, prefix: &str, style| -> Vec<Line<'static>> {
        wrap_plain(text, width as usize, prefix, style)
    };
    match model.outcomes() {
        None => {
            for c in &lesson.checks {
                out.extend(wrap(&c.label(), "· ", t.dim));
            }
        }
        Some(outcomes) => {
            for o in outcomes {
                let style = match o.status {
                    Status::Pass => t.pass,
                    Status::Fail => t.fail,
                    Status::Blocked => t.warn,
                };
                let mut first = wrap(&o.label, &format!("{} ", o.status.symbol()), t.text);
                if let Some(l) = first.first_mut()
                    && let Some(s) = l.spans.first_mut()
                {
                    s.style = style;
                }
                out.extend(first);
                if let Some(reason) = &o.reason {
                    out.extend(wrap(
                        reason,
                        "  ",
                        if o.status == Status::Fail {
                            t.fail.remove_modifier(Modifier::BOLD)
                        } else {
                            t.warn
                        },
                    ));
                }
                if let Some(fix) = &o.fix {
                    out.extend(wrap(fix, "  → ", t.dim));
                }
            }
        }
    }
    out
}

/// Word-wraps plain text with a first-line prefix and a hanging indent.
fn wrap_plain(text: &str, width: usize, prefix: &str, style: Style) -> Vec<Line<'static>> {
    let indent = " ".repeat(prefix.chars().count());
    markdown::wrap(&[(text.to_string(), style)], width, prefix, &indent, style)
}

/// `all` is [`lines`] at the pane's inner width; `inner_h` its inner height.
pub fn draw(
    frame: &mut Frame<'_>,
    area: Rect,
    model: &Model,
    t: &Theme,
    all: Vec<Line<'static>>,
    inner_h: usize,
) {
    if area.is_empty() {
        return;
    }
    let max = all.len().saturating_sub(inner_h);
    let top = model.checks_scroll.min(max);
    let total = model.lesson().map_or(0, |l| l.checks.len());
    let passed = model.count(Status::Pass);
    let title = if total == 0 {
        " Checks ".to_string()
    } else if model.lesson_passed(model.current) {
        format!(" Checks {passed}/{total} ✓ passed ")
    } else {
        format!(" Checks {passed}/{total} ")
    };
    let bottom = (max > 0).then(|| {
        if top >= max {
            " end ".to_string()
        } else {
            " more ↓ ".to_string()
        }
    });
    let block = pane_block(model, t, Pane::Checks, title, bottom);
    let visible: Vec<Line<'static>> = all.into_iter().skip(top).take(inner_h).collect();
    frame.render_widget(Paragraph::new(visible).block(block), area);
}
