//! The linter's findings, in the checks pane: a banner in its bottom
//! border while the pane is not focused (it costs no row of any pane),
//! each finding with its why and the lesson that teaches the fix when it
//! is. Only the findings due at this lesson show (`Model::lint_in_context`).

use ratatui::text::{Line, Span};

use super::markdown;
use super::theme::Theme;
use super::widgets::abbreviate_middle;
use crate::lint::Severity;
use crate::state::Model;

/// At most this many findings are shown in full; the rest are counted.
const SHOWN_FINDINGS: usize = 3;

/// One line for the checks pane's border, at most `width` wide: the
/// findings' rules and lines, and the key that shows why.
pub fn banner(model: &Model, t: &Theme, width: usize) -> Option<Line<'static>> {
    let line = match model.lint_in_context()? {
        Ok(f) if f.is_empty() => return None,
        Err(e) => Line::from(vec![
            Span::styled(format!(" ✗ Dockerfile does not parse: {e}"), t.fail),
            Span::styled(" — Tab here ", t.dim),
        ]),
        Ok(findings) => {
            let ids: Vec<String> = findings
                .iter()
                .map(|f| format!("{} (line {})", f.rule, f.line))
                .collect();
            Line::from(vec![
                Span::styled(" ▲ Linter: ", t.warn),
                Span::styled(ids.join(", "), t.warn),
                Span::styled(" — Tab here shows why ", t.dim),
            ])
        }
    };
    Some(abbreviate_middle(line, width))
}

/// Every finding with its why, for the focused checks pane.
pub fn lines(model: &Model, t: &Theme, width: u16) -> Vec<Line<'static>> {
    let w = width as usize;
    let wrap = |text: String, first: &str, style| {
        markdown::wrap(&[(text, style)], w, first, "    ", style)
    };
    let findings = match model.lint_in_context() {
        None => return vec![],
        Some(Ok(f)) if f.is_empty() => return vec![],
        Some(Err(e)) => return wrap(format!("Dockerfile does not parse: {e}"), "✗ ", t.fail),
        Some(Ok(f)) => f,
    };
    let n = findings.len();
    let mut out = vec![Line::styled(
        format!(
            "Linter: {n} finding{} in your Dockerfile",
            if n == 1 { "" } else { "s" }
        ),
        t.warn,
    )];
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
    out
}
