//! The checklist: one line per check with its mark (✓ / ✗ / ◌); the first
//! check not passing shows what is wrong and what to do under it, the
//! others too while the pane has the focus. The linter's findings due at
//! this lesson: a banner in the border, or in full while focused.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::markdown;
use super::theme::Theme;
use super::widgets::{pane_block, scroll_mark};
use crate::check::Status;
use crate::state::{Model, Pane};
use unicode_width::UnicodeWidthStr;

/// The pane's lines at one width, and where the first check not passing
/// starts and how many lines it takes (it is kept in view).
pub struct Checklist {
    pub lines: Vec<Line<'static>>,
    pub first_open: Option<(usize, usize)>,
}

pub fn lines(model: &Model, width: u16, t: &Theme) -> Checklist {
    let mut list = Checklist {
        lines: vec![],
        first_open: None,
    };
    let Some(lesson) = model.lesson() else {
        return list;
    };
    let full = model.focus == Pane::Checks;
    let out = &mut list.lines;
    let w = width as usize;
    let wrap = |text: &str, prefix: &str, style| -> Vec<Line<'static>> {
        wrap_plain(text, w, prefix, style)
    };
    // One line per check when the pane is not focused; the reason shows
    // for the first one not passing.
    let label = |text: &str, prefix: &str, style| -> Vec<Line<'static>> {
        if full {
            wrap(text, prefix, style)
        } else {
            let line = Line::from(vec![
                Span::styled(prefix.to_string(), style),
                Span::styled(text.to_string(), style),
            ]);
            vec![super::status_bar::truncate(line, w)]
        }
    };
    if lesson.checks.is_empty() {
        out.push(Line::styled(
            "Nothing to check here — read on, then press n.",
            t.dim,
        ));
    }
    match model.outcomes() {
        None => {
            for c in &lesson.checks {
                out.extend(label(&c.label(), "· ", t.dim));
            }
        }
        Some(outcomes) => {
            for o in outcomes {
                let style = match o.status {
                    Status::Pass => t.pass,
                    Status::Fail => t.fail,
                    Status::Blocked => t.warn,
                };
                let start = out.len();
                let mut first = label(&o.label, &format!("{} ", o.status.symbol()), t.text);
                if let Some(l) = first.first_mut()
                    && let Some(s) = l.spans.first_mut()
                {
                    s.style = style;
                }
                out.extend(first);
                // A pass may say how it was done (typed or not): beside its
                // label, where a glance finds it.
                if o.status == Status::Pass
                    && let Some(note) = &o.reason
                {
                    if let Some(last) = out.last_mut() {
                        let fits = last.width() + note.chars().count() + 3 <= w;
                        if fits && !full {
                            last.spans.push(Span::styled(format!(" · {note}"), t.dim));
                        } else if full {
                            out.extend(wrap(note, "  ", t.dim));
                        }
                    }
                    continue;
                }
                let explain = full || (o.status != Status::Pass && list.first_open.is_none());
                if !explain {
                    continue;
                }
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
                if o.status != Status::Pass && list.first_open.is_none() {
                    list.first_open = Some((start, out.len() - start));
                }
            }
        }
    }
    if full {
        let lint = super::lint_lines::lines(model, t, width);
        if !lint.is_empty() && !out.is_empty() {
            out.push(Line::default());
        }
        out.extend(lint);
    }
    list
}

/// Word-wraps plain text with a first-line prefix and a hanging indent.
fn wrap_plain(text: &str, width: usize, prefix: &str, style: Style) -> Vec<Line<'static>> {
    let indent = " ".repeat(prefix.chars().count());
    markdown::wrap(&[(text.to_string(), style)], width, prefix, &indent, style)
}

/// `list` is [`lines`] at the pane's inner width; `inner_h` its inner height.
pub fn draw(
    frame: &mut Frame<'_>,
    area: Rect,
    model: &Model,
    t: &Theme,
    list: Checklist,
    inner_h: usize,
) {
    if area.is_empty() {
        return;
    }
    let all = list.lines;
    let max = all.len().saturating_sub(inner_h);
    let top = match list.first_open {
        // Unfocused, the pane keeps the first open check and its reason in
        // view; focused, the learner scrolls it.
        // (scrolled no further than needed, so the checks above stay too).
        Some((start, len)) if model.focus != Pane::Checks && start + len > inner_h => {
            (start + len - inner_h).min(start).min(max)
        }
        _ if model.focus != Pane::Checks => 0,
        _ => model.checks_scroll.min(max),
    };
    let total = model.lesson().map_or(0, |l| l.checks.len());
    let passed = model.count(Status::Pass);
    let title = if total == 0 {
        " Checks ".to_string()
    } else if model.lesson_passed(model.current) {
        format!(" Checks {passed}/{total} ✓ passed ")
    } else {
        format!(" Checks {passed}/{total} ")
    };
    let mut bottom = scroll_mark(top, inner_h, all.len());
    if top > 0 && model.focus != Pane::Checks {
        bottom = Some(format!(
            " ↑ {top} above ·{}",
            bottom.as_deref().unwrap_or(" ")
        ));
    }
    let mut block = pane_block(model, t, Pane::Checks, title, bottom.clone());
    // The linter's banner sits in the border: it costs no row.
    if model.focus != Pane::Checks {
        let room = (area.width as usize)
            .saturating_sub(4 + bottom.as_deref().map_or(0, UnicodeWidthStr::width));
        if let Some(banner) = super::lint_lines::banner(model, t, room) {
            block = block.title_bottom(banner.left_aligned());
        }
    }
    let visible: Vec<Line<'static>> = all.into_iter().skip(top).take(inner_h).collect();
    frame.render_widget(Paragraph::new(visible).block(block), area);
}
