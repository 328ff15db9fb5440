//! The status bar: where the engine is (or why not), and the keys that
//! work right now, generated from the key table.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use super::theme::Theme;
use super::widgets::abbreviate_middle;
use crate::engine::EngineStatus;
use crate::lesson::Action;
use crate::state::Model;
use crate::state::keys::{self, KeyAction};

pub fn engine_line(model: &Model, t: &Theme) -> Line<'static> {
    if let Some(n) = &model.notice {
        let style = if n.error { t.fail } else { t.pass };
        return Line::from(vec![
            Span::styled(" ", t.text),
            Span::styled(n.text.clone(), style),
        ]);
    }
    // On a shared engine the learner's images are NAME/…: said last, as a
    // narrow bar keeps both ends and cuts the address in the middle.
    let shared = model
        .namespace
        .as_ref()
        .map(|ns| format!(" · shared: your images are {ns}/…"));
    match &model.engine {
        EngineStatus::Connected(info) => Line::from(vec![
            Span::styled(" ● ", t.pass),
            Span::styled(
                format!("{} {} · {}", info.name, info.version, info.builder.builder),
                t.text,
            ),
            Span::styled(format!(" at {} ({})", info.address, info.source), t.dim),
            Span::styled(shared.unwrap_or_default(), t.key),
        ]),
        EngineStatus::Connecting => Line::from(vec![
            Span::styled(" ◌ ", t.warn),
            Span::styled("connecting to the Docker engine…", t.text),
        ]),
        EngineStatus::Unreachable { tried, .. } => {
            let first = tried.first();
            let what = match first {
                Some(a) if a.address.is_empty() => a.error.clone(),
                Some(a) => format!("no engine at {} ({}): {}", a.address, a.source, a.error),
                None => "no engine found".into(),
            };
            let more = if tried.len() > 1 {
                format!(" (+{} more tried)", tried.len() - 1)
            } else {
                String::new()
            };
            Line::from(vec![
                Span::styled(" ○ ", t.fail),
                Span::styled(what, t.text),
                Span::styled(more, t.dim),
                Span::styled(" · retrying", t.dim),
            ])
        }
    }
}

/// How much a key in the bar matters: the bar drops the least important
/// first when it is too narrow, and never a key the screen asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Weight {
    /// Enter (or stop), and every key the screen tells the learner to press.
    Asked,
    Often,
    Sometimes,
}

/// The actions worth showing now, in the bar's order, with their weight.
fn shown_actions(model: &Model) -> Vec<(String, &'static str, Weight)> {
    let mut v = Vec::new();
    let primary = match model.current_action() {
        Some(Action::Build { .. }) => "build",
        Some(Action::Run { .. }) => "run",
        Some(Action::Images) => "images",
        Some(Action::Compare { .. }) => "compare",
        Some(Action::Tidy { .. }) => "tidy",
        Some(Action::Scan { .. }) => "scan",
        None => "check",
    };
    let steps = model.lesson().map_or(0, |l| l.actions.len());
    let primary: &'static str = if steps > 1 { "all steps" } else { primary };
    if model.job.is_some() {
        v.push((
            keys::first_key(KeyAction::Cancel).into(),
            "stop",
            Weight::Asked,
        ));
    } else {
        v.push(("⏎".into(), primary, Weight::Asked));
    }
    let asked = model.keys_asked_for();
    let weight = |a: KeyAction, otherwise| {
        if asked.contains(&a) {
            Weight::Asked
        } else {
            otherwise
        }
    };
    for a in [
        KeyAction::Build,
        KeyAction::Run,
        KeyAction::Images,
        KeyAction::Check,
    ] {
        let label = keys::binding(a).short.unwrap_or("");
        if label != primary && model.job.is_none() {
            v.push((
                keys::first_key(a).into(),
                label,
                weight(a, Weight::Sometimes),
            ));
        }
    }
    for (a, w) in [
        (KeyAction::Hint, Weight::Often),
        (KeyAction::Solution, Weight::Often),
        (KeyAction::NextLesson, Weight::Often),
        (KeyAction::Lessons, Weight::Sometimes),
        (KeyAction::Edit, Weight::Sometimes),
        (KeyAction::Starter, Weight::Sometimes),
    ] {
        // Exam mode: the bar does not offer what `s` will refuse.
        if a == KeyAction::Solution && model.solutions_hidden {
            continue;
        }
        v.push((
            keys::first_key(a).into(),
            keys::binding(a).short.unwrap_or(""),
            weight(a, w),
        ));
    }
    // A key the screen asks for that the bar does not list (a notice's
    // "press E") joins it, labelled with its help's first word (a verb).
    for a in asked {
        let b = keys::binding(a);
        let key = if a == KeyAction::Primary {
            "⏎"
        } else {
            keys::first_key(a)
        };
        // Enter does nothing while a job runs: x (stop) stands in its place.
        let busy = a == KeyAction::Primary && model.job.is_some();
        if busy || v.iter().any(|(k, _, _)| k == key) {
            continue;
        }
        let label = b
            .short
            .unwrap_or_else(|| b.help.split(' ').next().unwrap_or(""));
        v.push((key.into(), label, Weight::Asked));
    }
    v
}

/// The key bar: as many keys as fit, dropping the least important first
/// (and, among equals, the rightmost), always ending with help and quit.
pub fn keys_line(model: &Model, width: u16, t: &Theme) -> Line<'static> {
    let tail = [("?", "help"), ("q", "quit")];
    let piece = |k: &str, label: &str| -> Vec<Span<'static>> {
        vec![
            Span::styled(format!(" {k}"), t.key),
            Span::styled(format!(" {label} "), t.text),
        ]
    };
    let w =
        |k: &str, label: &str| -> usize { piece(k, label).iter().map(|s| s.content.width()).sum() };
    let tail_w: usize = tail.iter().map(|(k, l)| w(k, l)).sum();
    let mut shown = shown_actions(model);
    let mut used: usize = shown.iter().map(|(k, l, _)| w(k, l)).sum();
    while used + tail_w > width as usize {
        // The least important, rightmost; a key the screen asks for stays.
        let Some(drop) = (0..shown.len())
            .rev()
            .filter(|&i| shown[i].2 != Weight::Asked)
            .max_by_key(|&i| (shown[i].2, i))
        else {
            break;
        };
        used -= w(&shown[drop].0, shown[drop].1);
        shown.remove(drop);
    }
    let mut spans: Vec<Span<'static>> = shown.iter().flat_map(|(k, l, _)| piece(k, l)).collect();
    spans.extend(tail.iter().flat_map(|(k, l)| piece(k, l)));
    Line::from(spans)
}

/// How many rows the engine line (or the notice in its place) takes at
/// `width`: a notice too long for one row wraps onto a second.
pub fn engine_rows(model: &Model, width: u16) -> u16 {
    match &model.notice {
        Some(n) if n.text.width() + 1 > width as usize => 2,
        _ => 1,
    }
}

/// The engine line, or the notice in two rows at most: wrapped, and cut
/// from the middle of its second row if it needs more, so its end (the key
/// it names) stays.
fn engine_lines(model: &Model, width: u16, t: &Theme) -> Vec<Line<'static>> {
    let w = width as usize;
    let line = engine_line(model, t);
    let Some(n) = model
        .notice
        .as_ref()
        .filter(|_| engine_rows(model, width) == 2)
    else {
        return vec![abbreviate_middle(line, w)];
    };
    let style = if n.error { t.fail } else { t.pass };
    let mut rows = super::markdown::wrap(&[(n.text.clone(), style)], w, " ", " ", style);
    if rows.len() > 2 {
        let rest: Vec<String> = rows[1..]
            .iter()
            .map(|l| {
                l.spans
                    .iter()
                    .map(|s| s.content.as_ref())
                    .collect::<String>()
            })
            .map(|s| s.trim().to_string())
            .collect();
        let second = Line::styled(format!(" {}", rest.join(" ")), style);
        rows.truncate(1);
        rows.push(abbreviate_middle(second, w));
    }
    rows
}

pub fn draw(frame: &mut Frame<'_>, area: Rect, model: &Model, t: &Theme) {
    let mut lines = engine_lines(model, area.width, t);
    lines.push(keys_line(model, area.width, t));
    frame.render_widget(Paragraph::new(lines), area);
}

/// Cuts a line to `width` columns, ending it with "…" when cut.
pub fn truncate(line: Line<'static>, width: usize) -> Line<'static> {
    if line.width() <= width {
        return line;
    }
    let mut out = Vec::new();
    let mut used = 0;
    for span in line.spans {
        let w = span.content.width();
        if used + w < width {
            used += w;
            out.push(span);
            continue;
        }
        let room = width.saturating_sub(used + 1);
        let cut: String = span
            .content
            .chars()
            .scan(0, |acc, c| {
                *acc += unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
                (*acc <= room).then_some(c)
            })
            .collect();
        out.push(Span::styled(cut, span.style));
        out.push(Span::styled("…", span.style));
        break;
    }
    Line::from(out)
}
