//! The `:` prompt: `$ ` and the line on the screen's last row, and above
//! it, floating over the panes, what each typed part means (or why Enter
//! was refused). It takes no room from the layout.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};
use unicode_width::UnicodeWidthStr;

use super::theme::Theme;
use crate::command::{PartKind, explain};
use crate::state::Model;

/// The most rows the explanation takes.
const MAX_ROWS: u16 = 12;

pub fn draw(frame: &mut Frame<'_>, screen: Rect, model: &Model, t: &Theme) {
    if screen.height < 4 || screen.width < 10 {
        return;
    }
    let p = &model.prompt;
    let row = Rect::new(screen.x, screen.bottom() - 1, screen.width, 1);
    // Scroll the line sideways so the cursor stays in view.
    let before: String = p.line.chars().take(p.cursor).collect();
    let room = (row.width as usize).saturating_sub(3);
    let skip = before.width().saturating_sub(room);
    let shown: String = skip_columns(&p.line, skip);
    frame.render_widget(Clear, row);
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled("$ ", t.command),
            Span::styled(shown, t.text),
        ])),
        row,
    );
    let x = row.x + 2 + (before.width() - skip) as u16;
    frame.set_cursor_position(Position::new(x.min(row.right() - 1), row.y));

    let lines = explanation(model, t);
    // Rows once wrapped, so that the last part (often the context) shows.
    let inner = (screen.width as usize).saturating_sub(2).max(1);
    let rows: usize = lines.iter().map(|l| l.width().max(1).div_ceil(inner)).sum();
    let height = (rows as u16 + 2).min(MAX_ROWS).min(screen.height - 2);
    let area = Rect::new(screen.x, row.y - height, screen.width, height);
    frame.render_widget(Clear, area);
    frame.render_widget(
        Paragraph::new(lines).wrap(Wrap { trim: false }).block(
            Block::default()
                .borders(Borders::ALL)
                .border_style(t.border_focused)
                .title(" what it means · Enter runs · Esc closes "),
        ),
        area,
    );
}

/// The text after the first `columns` columns.
fn skip_columns(text: &str, columns: usize) -> String {
    let mut seen = 0;
    text.chars()
        .skip_while(|c| {
            let w = unicode_width::UnicodeWidthChar::width(*c).unwrap_or(0);
            let skip = seen < columns;
            seen += w;
            skip
        })
        .collect()
}

fn explanation(model: &Model, t: &Theme) -> Vec<Line<'static>> {
    let p = &model.prompt;
    let mut lines: Vec<Line<'static>> = Vec::new();
    if let Some(e) = &p.error {
        lines.push(Line::styled(e.clone(), t.fail));
    }
    let parts = explain(&p.line);
    if parts.is_empty() {
        lines.push(Line::styled(
            "type a docker command, e.g. docker build -t my-docker-app .",
            t.dim,
        ));
        return lines;
    }
    for part in parts {
        let style = match part.kind {
            PartKind::Refused | PartKind::Unknown => t.fail,
            PartKind::Program | PartKind::Command => t.heading,
            PartKind::Flag | PartKind::Argument => t.code,
        };
        lines.push(Line::from(vec![
            Span::styled(part.text, style),
            Span::styled(" — ", t.dim),
            Span::styled(part.meaning, t.text),
        ]));
    }
    lines
}
