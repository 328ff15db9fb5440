//! The status bar: where the engine is (or why not), and the keys that
//! work right now, generated from the key table.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use super::theme::Theme;
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
    match &model.engine {
        EngineStatus::Connected(info) => Line::from(vec![
            Span::styled(" ● ", t.pass),
            Span::styled(
                format!("{} {} · {}", info.name, info.version, info.builder.builder),
                t.text,
            ),
            Span::styled(format!(" at {} ({})", info.address, info.source), t.dim),
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

/// The actions worth showing now, in order of importance.
pub fn shown_actions(model: &Model) -> Vec<(String, &'static str)> {
    let mut v: Vec<(String, &'static str)> = Vec::new();
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
        v.push((keys::first_key(KeyAction::Cancel).into(), "stop"));
    } else {
        v.push(("⏎".into(), primary));
    }
    for a in [
        KeyAction::Build,
        KeyAction::Run,
        KeyAction::Images,
        KeyAction::Check,
    ] {
        let label = keys::binding(a).short.unwrap_or("");
        if label != primary && model.job.is_none() {
            v.push((keys::first_key(a).into(), label));
        }
    }
    for a in [
        KeyAction::Hint,
        KeyAction::Solution,
        KeyAction::NextLesson,
        KeyAction::Lessons,
        KeyAction::Edit,
        KeyAction::Starter,
    ] {
        v.push((
            keys::first_key(a).into(),
            keys::binding(a).short.unwrap_or(""),
        ));
    }
    v
}

pub fn keys_line(model: &Model, width: u16, t: &Theme) -> Line<'static> {
    let tail = [("?", "help"), ("q", "quit")];
    let piece = |k: &str, label: &str| -> Vec<Span<'static>> {
        vec![
            Span::styled(format!(" {k}"), t.key),
            Span::styled(format!(" {label} "), t.text),
        ]
    };
    let tail_spans: Vec<Span<'static>> = tail.iter().flat_map(|(k, l)| piece(k, l)).collect();
    let tail_w: usize = tail_spans.iter().map(|s| s.content.width()).sum();
    let mut spans = Vec::new();
    let mut used = 0;
    for (k, label) in shown_actions(model) {
        let p = piece(&k, label);
        let w: usize = p.iter().map(|s| s.content.width()).sum();
        if used + w + tail_w > width as usize {
            break;
        }
        used += w;
        spans.extend(p);
    }
    spans.extend(tail_spans);
    Line::from(spans)
}

pub fn draw(frame: &mut Frame<'_>, area: Rect, model: &Model, t: &Theme) {
    let lines = vec![
        truncate(engine_line(model, t), area.width as usize),
        keys_line(model, area.width, t),
    ];
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
