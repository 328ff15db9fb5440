//! Popups over the panes: help, hint, solution, lesson list, questions.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Clear, Paragraph};

use super::markdown;
use super::theme::Theme;
use super::widgets::centered;
use crate::state::keys::{BINDINGS, KeyAction};
use crate::state::{Model, Overlay};

fn popup(
    frame: &mut Frame<'_>,
    t: &Theme,
    area: Rect,
    title: &str,
    lines: Vec<Line<'static>>,
    scroll: u16,
) {
    frame.render_widget(Clear, area);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_type(BorderType::Double)
        .border_style(t.border_focused)
        .title(Line::styled(format!(" {title} "), t.title))
        .title_bottom(Line::styled(" Esc closes ", t.dim).right_aligned());
    let max = (lines.len() as u16).saturating_sub(area.height.saturating_sub(2));
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .scroll((scroll.min(max), 0)),
        area,
    );
}

pub fn draw(frame: &mut Frame<'_>, screen: Rect, model: &Model, t: &Theme) {
    let Some(overlay) = &model.overlay else {
        return;
    };
    let w = screen.width.saturating_sub(4).min(90);
    match overlay {
        Overlay::Help { scroll } => {
            let mut lines = vec![Line::styled("Keys", t.subheading)];
            // Help lines wrap inside the popup: none loses its end (the
            // key it names) at 80 columns.
            let room = w.saturating_sub(2) as usize;
            for b in BINDINGS {
                let first = format!("  {:<11}", b.keys);
                // Exam mode: the help says what `s` does now.
                let help = if model.solutions_hidden && b.action == KeyAction::Solution {
                    "solutions are off for this course"
                } else {
                    b.help
                };
                let mut wrapped = markdown::wrap(
                    &[(help.to_string(), t.text)],
                    room,
                    &first,
                    &" ".repeat(first.chars().count()),
                    t.key,
                );
                lines.append(&mut wrapped);
            }
            lines.push(Line::default());
            lines.push(Line::styled("How it works", t.subheading));
            for s in [
                "Write the lesson's files in your own editor; the checks re-run when you save.",
                "If saving does not trigger a check (some VMs and network folders), press c.",
                "Typing docker build / docker run in your own shell counts too.",
            ] {
                lines.extend(markdown::wrap(
                    &[(s.to_string(), t.text)],
                    room,
                    "  ",
                    "  ",
                    t.text,
                ));
            }
            if let crate::engine::EngineStatus::Connected(info) = &model.engine {
                let b = &info.builder;
                let article = match b.builder {
                    crate::engine::Builder::Classic => "the ",
                    crate::engine::Builder::BuildKit => "",
                };
                let text = format!(
                    "Builds use {article}{} ({}); --builder classic|buildkit or DOCKER_BUILDKIT=0|1 choose.",
                    b.builder, b.why
                );
                lines.extend(markdown::wrap(&[(text, t.text)], room, "  ", "  ", t.text));
            }
            lines.push(Line::default());
            lines.push(Line::from(vec![
                Span::styled("  Workspace: ", t.dim),
                Span::styled(model.workspace.display().to_string(), t.text),
            ]));
            if let Some(p) = &model.progress_file {
                lines.push(Line::from(vec![
                    Span::styled("  Progress:  ", t.dim),
                    Span::styled(p.clone(), t.text),
                ]));
            }
            let h = (lines.len() as u16 + 2).min(screen.height.saturating_sub(2));
            popup(frame, t, centered(screen, w, h), "Help", lines, *scroll);
        }
        Overlay::Hint => {
            let hint = model.lesson().map(|l| l.hint.clone()).unwrap_or_default();
            let text = if hint.is_empty() {
                "This lesson has no hint.".to_string()
            } else {
                hint
            };
            let lines = markdown::render(&text, w.saturating_sub(2), t);
            let h = (lines.len() as u16 + 2).min(screen.height.saturating_sub(2));
            popup(frame, t, centered(screen, w, h), "Hint", lines, 0);
        }
        Overlay::Solution { scroll } => {
            let mut lines = Vec::new();
            match model.lesson() {
                Some(l) if !l.solution.is_empty() => {
                    lines.extend(markdown::wrap(
                        &[("The guide's files for this step. Typing them yourself teaches more than copying.".to_string(), t.dim)],
                        w.saturating_sub(2) as usize,
                        "",
                        "",
                        t.dim,
                    ));
                    for f in &l.solution {
                        lines.push(Line::default());
                        lines.push(Line::styled(format!("── {} ──", f.name), t.subheading));
                        for code in f.text.lines() {
                            lines.push(Line::styled(code.replace('\t', "    "), t.code_block));
                        }
                    }
                }
                _ => lines.push(Line::styled("This lesson has no solution files.", t.text)),
            }
            let h = (lines.len() as u16 + 2).min(screen.height.saturating_sub(2));
            popup(frame, t, centered(screen, w, h), "Solution", lines, *scroll);
        }
        Overlay::Lessons { selected } => {
            let mut lines = Vec::new();
            for (i, l) in model.lessons.iter().enumerate() {
                let mark = if model.lesson_done(i) { "✓" } else { " " };
                let style = if i == *selected {
                    t.selected
                } else if model.lesson_done(i) {
                    t.pass
                } else {
                    t.text
                };
                let minutes = l.minutes.map(|m| format!(" · {m} min")).unwrap_or_default();
                lines.push(Line::styled(
                    format!(" {mark} {:>2}. {}{minutes}", i + 1, l.title),
                    style,
                ));
            }
            // The instructor's time estimates, summed (course.toml lessons).
            let timed: Vec<u32> = model.lessons.iter().filter_map(|l| l.minutes).collect();
            if !timed.is_empty() {
                let sum: u32 = timed.iter().sum();
                lines.push(Line::styled(format!("   about {sum} min in all"), t.dim));
            }
            lines.push(Line::default());
            lines.push(Line::styled(" ↑↓ choose · Enter go · 1-9 jump", t.dim));
            let h = (lines.len() as u16 + 2).min(screen.height.saturating_sub(2));
            let scroll = (*selected as u16).saturating_sub(h.saturating_sub(5));
            popup(
                frame,
                t,
                centered(screen, w.min(60), h),
                "Lessons",
                lines,
                scroll,
            );
        }
        Overlay::ConfirmQuit => {
            let lines = vec![
                Line::styled("A build or run is still going.", t.text),
                Line::styled("Quit and stop it? y = quit, any other key = stay", t.key),
            ];
            popup(frame, t, centered(screen, w.min(56), 4), "Quit?", lines, 0);
        }
        Overlay::Load { input } => {
            let lines = vec![
                Line::styled(
                    "Load a saved image file into the engine (like docker load -i).",
                    t.text,
                ),
                Line::styled(
                    "Your instructor made it with: docker save python:3.9-slim -o python.tar",
                    t.dim,
                ),
                Line::default(),
                Line::from(vec![
                    Span::styled("File: ", t.key),
                    Span::styled(input.clone(), t.text),
                    Span::styled("▏", t.key),
                ]),
                Line::default(),
                Line::styled(
                    "Enter loads · Esc cancels · ~ means your home folder",
                    t.dim,
                ),
            ];
            popup(
                frame,
                t,
                centered(screen, w.min(80), 8),
                "Load an image",
                lines,
                0,
            );
        }
        Overlay::ConfirmReset => {
            let title = model.lesson().map(|l| l.title.clone()).unwrap_or_default();
            let lines = vec![
                Line::styled(format!("Forget that \"{title}\" was passed?"), t.text),
                Line::styled(
                    "Your files stay as they are. y = reset, any other key = keep",
                    t.key,
                ),
            ];
            popup(
                frame,
                t,
                centered(screen, w.min(70), 4),
                "Reset lesson?",
                lines,
                0,
            );
        }
        Overlay::Problems => {
            let mut lines = vec![Line::styled(
                "Some lessons could not be loaded; the others work:",
                t.text,
            )];
            for e in &model.lesson_errors {
                let text = e.to_string();
                lines.extend(markdown::wrap(
                    &[(text, t.fail)],
                    w.saturating_sub(2) as usize,
                    "  ",
                    "    ",
                    t.fail,
                ));
            }
            let h = (lines.len() as u16 + 2).min(screen.height.saturating_sub(2));
            popup(
                frame,
                t,
                centered(screen, w, h),
                "Lesson problems",
                lines,
                0,
            );
        }
    }
}
