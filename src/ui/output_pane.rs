//! The output pane: build and run output as it streams, or the engine's
//! images as a table like `docker images`.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Paragraph, Row, Table, Wrap};

use super::theme::Theme;
use super::widgets::{inner, pane_block};
use crate::engine::JobOutcome;
use crate::engine::{EngineFacts, ImageInfo};
use crate::lesson::Action;
use crate::state::{JobKind, Model, OutputView, Pane};

const SPINNER: [&str; 8] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧"];

/// The docker CLI command the pane stands for.
pub fn command(model: &Model) -> String {
    if let Some(job) = &model.job {
        return job.command.clone();
    }
    if matches!(model.output_view, OutputView::Images | OutputView::Sizes) {
        return "docker images".into();
    }
    // What the pane shows is the latest job's output.
    if let Some(last) = model
        .last_command
        .as_ref()
        .filter(|_| !model.output.is_empty())
    {
        return last.clone();
    }
    match model.current_action() {
        Some(a) => a.command(),
        None => model
            .lesson()
            .and_then(|l| l.command.clone())
            .unwrap_or_default(),
    }
}

/// How many rows the pane's content takes: the log's lines, or the images
/// table's rows with its header (what scrolling is measured against).
pub fn content_rows(model: &Model) -> usize {
    match (model.output_view, &model.facts) {
        (OutputView::Images, Some(facts)) => image_rows(&facts.images).len() + 1,
        (OutputView::Images | OutputView::Sizes, _) => 0,
        (OutputView::Log, _) => model.output.len(),
    }
}

/// Right side of the title: what is going on now.
fn state(model: &Model, t: &Theme) -> (String, ratatui::style::Style) {
    if let Some(job) = &model.job {
        let spin = SPINNER[model.spinner % SPINNER.len()];
        let what = match (&job.kind, job.step) {
            (_, _) if job.stopping => "stopping".to_string(),
            (JobKind::Build, Some((k, n))) if job.cached.is_empty() => {
                format!("step {k}/{n}")
            }
            (JobKind::Build, Some((k, n))) => {
                format!("step {k}/{n} · {} cached", job.cached.len())
            }
            (JobKind::Build, None) => "sending context".to_string(),
            (JobKind::Run, _) => "running".to_string(),
            (JobKind::Tidy, _) => "tidying".to_string(),
            (JobKind::Scan, _) => "scanning".to_string(),
            (JobKind::Command, _) => "asking the engine".to_string(),
            (JobKind::Load, _) => match job.progress {
                Some((done, total)) if total > 0 => format!("loading {}%", done * 100 / total),
                _ => "loading".to_string(),
            },
        };
        return (format!(" {spin} {what} "), t.warn);
    }
    if model.output_view != OutputView::Log {
        return (String::new(), t.text);
    }
    outcome_state(model, t)
}

/// How long the running job has taken, or the last one took.
fn took(model: &Model) -> Option<String> {
    match &model.job {
        Some(job) => Some(elapsed(model.clock_ms.saturating_sub(job.started_ms))),
        None if model.output_view == OutputView::Log && model.last_outcome.is_some() => {
            model.last_job_ms.map(elapsed)
        }
        None => None,
    }
}

/// How long, as BuildKit's plain progress says it: `0.4s`, `12.1s`, `2m05s`.
fn elapsed(ms: u64) -> String {
    let tenths = ms / 100;
    if tenths < 600 {
        format!("{}.{}s", tenths / 10, tenths % 10)
    } else {
        format!("{}m{:02}s", ms / 60_000, ms / 1000 % 60)
    }
}

fn outcome_state(model: &Model, t: &Theme) -> (String, ratatui::style::Style) {
    match &model.last_outcome {
        Some(JobOutcome::Built { .. }) => (" ✓ built ".into(), t.pass),
        Some(JobOutcome::BuildFailed(f)) => match f.step {
            Some(k) => (format!(" ✗ failed at step {k} "), t.fail),
            None => (" ✗ build failed ".into(), t.fail),
        },
        Some(JobOutcome::Ran { record, .. }) => match record.exit_code {
            Some(0) => (" ✓ exited 0 ".into(), t.pass),
            Some(c) => (format!(" ✗ exited {c} "), t.fail),
            None => (" ■ interrupted ".into(), t.warn),
        },
        Some(JobOutcome::RunFailed { .. }) => (" ✗ run failed ".into(), t.fail),
        Some(JobOutcome::Loaded { .. }) => (" ✓ loaded ".into(), t.pass),
        Some(JobOutcome::Tidied { .. }) => (" ✓ tidied ".into(), t.pass),
        Some(JobOutcome::Scanned { .. }) => (" ✓ scanned ".into(), t.pass),
        Some(JobOutcome::ScanUnavailable { .. }) => (" ◌ not scanned ".into(), t.warn),
        Some(JobOutcome::LoadFailed { .. }) => (" ✗ load failed ".into(), t.fail),
        Some(JobOutcome::Interrupted { .. }) => (" ■ interrupted ".into(), t.warn),
        Some(JobOutcome::NoEngine { .. }) => (" ✗ no engine ".into(), t.fail),
        Some(JobOutcome::Answered { .. }) => (" ✓ done ".into(), t.pass),
        Some(JobOutcome::CommandFailed { .. }) => (" ✗ failed ".into(), t.fail),
        None => (String::new(), t.text),
    }
}

pub fn draw(frame: &mut Frame<'_>, area: Rect, model: &Model, t: &Theme) {
    if area.is_empty() {
        return;
    }
    let cmd = command(model);
    let title = if cmd.is_empty() {
        " Output ".to_string()
    } else {
        format!(" $ {cmd} ")
    };
    let (mut state_text, state_style) = state(model, t);
    // The time goes where it fits beside the whole command, like the
    // `DONE 0.4s` BuildKit prints for each step.
    if let Some(took) = took(model).filter(|_| !state_text.is_empty()) {
        let with = format!("{}· {took} ", state_text);
        let room = usize::from(area.width).saturating_sub(4);
        if title.chars().count() + with.chars().count() <= room {
            state_text = with;
        }
    }
    // A long typed command gives way to the state on the right: its middle
    // is abbreviated, never the state or the command's ends.
    let room = usize::from(area.width).saturating_sub(3 + state_text.chars().count());
    let title = super::widgets::abbreviate_middle(Line::raw(title), room)
        .spans
        .iter()
        .map(|s| s.content.as_ref())
        .collect::<String>();
    let mut block = pane_block(model, t, Pane::Output, title, None);
    if !state_text.is_empty() {
        block = block.title(Line::styled(state_text, state_style).right_aligned());
    }
    match model.output_view {
        OutputView::Images => draw_images(frame, area, model, t, block),
        OutputView::Sizes => draw_sizes(frame, area, model, t, block),
        OutputView::Log => draw_log(frame, area, model, t, block),
    }
}

fn draw_log(
    frame: &mut Frame<'_>,
    area: Rect,
    model: &Model,
    t: &Theme,
    mut block: ratatui::widgets::Block<'static>,
) {
    let inner_w = inner(area).width.max(1) as usize;
    let inner_h = inner(area).height as usize;
    if model.output_folded() && !model.output.is_empty() {
        draw_folded(frame, area, model, t, block);
        return;
    }
    if model.output.is_empty() {
        let hint = match model.current_action() {
            Some(Action::Build { .. }) => {
                "Press Enter (or b) to build. The build's output streams here."
            }
            Some(Action::Run { .. }) => {
                "Press Enter (or r) to run the image. What it prints shows here."
            }
            _ => "Builds and runs stream here. b builds, r runs, i lists images.",
        };
        frame.render_widget(
            Paragraph::new(Line::styled(hint, t.dim))
                .wrap(Wrap { trim: true })
                .block(block),
            area,
        );
        return;
    }
    // Colours from the build stay, unless NO_COLOR asked for none; the
    // app's own notes take the theme's colour for what they mean.
    let color = t.color;
    let to_line = |l: crate::output::Line| -> Line<'static> {
        let note = l.note.map(|n| t.note(n));
        Line::from(
            l.spans
                .into_iter()
                .map(|(mut style, text)| {
                    if let Some(note) = note {
                        style = style.patch(note);
                    }
                    if !color {
                        style.fg = None;
                        style.bg = None;
                    }
                    Span::styled(text, style)
                })
                .collect::<Vec<_>>(),
        )
    };
    let rows = |l: &Line<'_>| l.width().div_ceil(inner_w).max(1);
    let total = model.output.len();
    let (lines, skip_rows) = match model.output_top {
        Some(top) => {
            let pct = (top + inner_h).min(total) * 100 / total.max(1);
            block = block.title_bottom(
                Line::styled(format!(" {pct}% ↓ — G follows "), t.dim).right_aligned(),
            );
            let lines: Vec<Line<'static>> = model
                .output
                .window(top, inner_h)
                .into_iter()
                .map(to_line)
                .collect();
            (lines, 0)
        }
        None => {
            // Follow the tail: take lines from the end until the pane is full.
            let start = total.saturating_sub(inner_h);
            let lines: Vec<Line<'static>> = model
                .output
                .window(start, inner_h)
                .into_iter()
                .map(to_line)
                .collect();
            let mut used = 0;
            let mut first = lines.len();
            while first > 0 && used < inner_h {
                first -= 1;
                used += rows(&lines[first]);
            }
            let above = start + first;
            if above > 0 {
                block = block.title_bottom(
                    Line::styled(
                        format!(
                            " ↑ {above} line{} above · end ",
                            if above == 1 { "" } else { "s" }
                        ),
                        t.dim,
                    )
                    .right_aligned(),
                );
            }
            let lines: Vec<Line<'static>> = lines.into_iter().skip(first).collect();
            (lines, used.saturating_sub(inner_h))
        }
    };
    if model.output.dropped() > 0 && model.output_top.is_some() {
        block = block.title_bottom(
            Line::styled(
                format!(" {} older lines dropped ", model.output.dropped()),
                t.dim,
            )
            .left_aligned(),
        );
    }
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((skip_rows.min(u16::MAX as usize) as u16, 0))
            .block(block),
        area,
    );
}

/// The pane folded to one line: how the latest job ended (or, while the
/// output is empty, what would fill it), and the key that unfolds it.
fn draw_folded(
    frame: &mut Frame<'_>,
    area: Rect,
    model: &Model,
    t: &Theme,
    block: ratatui::widgets::Block<'static>,
) {
    let lines = model.output.len();
    let summary = model
        .last_summary
        .clone()
        .unwrap_or_else(|| format!("{lines} lines of output"));
    let style = match summary.chars().next() {
        Some('✓') => t.pass,
        Some('✗') => t.fail,
        Some('■' | '◌') => t.warn,
        _ => t.text,
    };
    let label = format!(" f unfolds {lines} lines ");
    let block = block.title_bottom(Line::styled(label, t.dim).right_aligned());
    let line =
        super::widgets::abbreviate_middle(Line::styled(summary, style), inner(area).width as usize);
    frame.render_widget(Paragraph::new(line).block(block), area);
}

/// The engine's facts, or a paragraph saying why there are none.
fn facts_or_explain<'m>(
    frame: &mut Frame<'_>,
    area: Rect,
    model: &'m Model,
    t: &Theme,
    block: &ratatui::widgets::Block<'static>,
) -> Option<&'m EngineFacts> {
    if model.facts.is_none() {
        frame.render_widget(
            Paragraph::new(Line::styled(model.engine_missing_reason(), t.warn))
                .wrap(Wrap { trim: true })
                .block(block.clone()),
            area,
        );
    }
    model.facts.as_ref()
}

fn draw_images(
    frame: &mut Frame<'_>,
    area: Rect,
    model: &Model,
    t: &Theme,
    block: ratatui::widgets::Block<'static>,
) {
    let Some(facts) = facts_or_explain(frame, area, model, t, &block) else {
        return;
    };
    let now = model.now;
    let rows: Vec<Row<'static>> = image_rows(&facts.images)
        .into_iter()
        .map(|(repo, tag, id, created, size)| {
            let mine = repo == "my-docker-app";
            let style = if mine { t.pass } else { t.text };
            Row::new(vec![
                Cell::from(repo),
                Cell::from(tag),
                Cell::from(id),
                Cell::from(ago(now, created)),
                Cell::from(size),
            ])
            .style(style)
        })
        .collect();
    let empty = rows.is_empty();
    let header = Row::new(["REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE"]).style(t.subheading);
    let widths = [
        Constraint::Fill(2),
        Constraint::Fill(1),
        Constraint::Length(12),
        Constraint::Length(18),
        Constraint::Length(6),
    ];
    // The table scrolls like the log (j/k, PgUp/PgDn with the pane
    // focused) and says how many rows are above and below.
    let visible = (inner(area).height as usize).saturating_sub(1).max(1);
    let top = model.images_scroll.min(rows.len().saturating_sub(visible));
    let hidden = rows.len().saturating_sub(top + visible);
    let mut block = block;
    if top > 0 {
        block = block.title_bottom(Line::styled(format!(" ↑ {top} above "), t.dim).left_aligned());
    }
    if hidden > 0 {
        block =
            block.title_bottom(Line::styled(format!(" {hidden} more ↓ "), t.dim).right_aligned());
    }
    let rows: Vec<Row<'static>> = rows.into_iter().skip(top).collect();
    let table = Table::new(rows, widths)
        .header(header)
        .column_spacing(2)
        .block(block);
    frame.render_widget(table, area);
    if empty {
        let inner = Rect::new(area.x + 2, area.y + 2, area.width.saturating_sub(4), 1);
        frame.render_widget(Paragraph::new(Line::styled("no images yet", t.dim)), inner);
    }
}

/// The current lesson's compared images as bars, smallest to largest, so
/// the learner sees what a base image costs.
fn draw_sizes(
    frame: &mut Frame<'_>,
    area: Rect,
    model: &Model,
    t: &Theme,
    block: ratatui::widgets::Block<'static>,
) {
    let Some(facts) = facts_or_explain(frame, area, model, t, &block) else {
        return;
    };
    let names: Vec<String> = model
        .lesson()
        .into_iter()
        .flat_map(|l| l.actions.iter())
        .filter_map(|a| match a {
            Action::Compare { images } => Some(images.clone()),
            _ => None,
        })
        .flatten()
        .collect();
    let lines = size_bars(&names, facts, inner(area).width as usize, t);
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

/// One line per image: name, size, and a bar scaled to the largest.
pub fn size_bars(
    names: &[String],
    facts: &EngineFacts,
    width: usize,
    t: &Theme,
) -> Vec<Line<'static>> {
    let sizes: Vec<(String, Option<i64>)> = names
        .iter()
        .map(|n| (n.clone(), facts.image_size(n)))
        .collect();
    let max = sizes
        .iter()
        .filter_map(|(_, s)| *s)
        .max()
        .unwrap_or(1)
        .max(1);
    let name_w = sizes
        .iter()
        .map(|(n, _)| n.chars().count())
        .max()
        .unwrap_or(0)
        .min(width / 2);
    let bar_room = width.saturating_sub(name_w + 9).max(1);
    let mut lines = Vec::new();
    for (name, size) in sizes {
        let shown: String = name.chars().take(name_w).collect();
        let mut spans = vec![Span::styled(format!("{shown:<name_w$} "), t.text)];
        match size {
            Some(bytes) => {
                let cells = ((bytes as f64 / max as f64) * bar_room as f64)
                    .round()
                    .max(1.0) as usize;
                spans.push(Span::styled(
                    format!("{:>6} ", crate::text::docker_size(bytes.max(0) as u64)),
                    t.text,
                ));
                spans.push(Span::styled(
                    "█".repeat(cells),
                    if bytes == max { t.warn } else { t.pass },
                ));
            }
            None => spans.push(Span::styled("  not here yet — build or pull it", t.dim)),
        }
        lines.push(Line::from(spans));
    }
    lines
}

/// One row per tag, like `docker images`: (repository, tag, id, created, size).
pub fn image_rows(images: &[ImageInfo]) -> Vec<(String, String, String, i64, String)> {
    let mut rows = Vec::new();
    for img in images {
        let id = crate::dockerfile::short_id(&img.id);
        let size = crate::text::docker_size(img.size.max(0) as u64);
        if img.repo_tags.is_empty() {
            rows.push(("<none>".into(), "<none>".into(), id, img.created, size));
            continue;
        }
        for rt in &img.repo_tags {
            let (repo, tag) = rt
                .rsplit_once(':')
                .filter(|(_, t)| !t.contains('/'))
                .unwrap_or((rt, ""));
            rows.push((
                repo.to_string(),
                tag.to_string(),
                id.clone(),
                img.created,
                size.clone(),
            ));
        }
    }
    rows
}

/// "3 minutes ago", worded as the docker CLI words it (go-units'
/// HumanDuration).
pub fn ago(now: i64, then: i64) -> String {
    let s = (now - then).max(0);
    let (min, hour, day) = (60, 3600, 86_400);
    let text = match s {
        0 => "Less than a second".to_string(),
        1 => "1 second".to_string(),
        _ if s < min => format!("{s} seconds"),
        _ if s < 2 * min => "About a minute".to_string(),
        _ if s < hour => format!("{} minutes", s / min),
        _ if s < 2 * hour => "About an hour".to_string(),
        _ if s < 48 * hour => format!("{} hours", s / hour),
        _ if s < 14 * day => format!("{} days", s / day),
        _ if s < 90 * day => format!("{} weeks", s / (7 * day)),
        _ if s < 730 * day => format!("{} months", s / (30 * day)),
        _ => format!("{} years", s / (365 * day)),
    };
    format!("{text} ago")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elapsed_reads_like_buildkit_plain_progress() {
        assert_eq!(elapsed(0), "0.0s");
        assert_eq!(elapsed(449), "0.4s");
        assert_eq!(elapsed(12_150), "12.1s");
        assert_eq!(elapsed(59_999), "59.9s");
        assert_eq!(elapsed(125_000), "2m05s");
    }

    #[test]
    fn ago_reads_like_the_cli() {
        assert_eq!(ago(100, 100), "Less than a second ago");
        assert_eq!(ago(130, 100), "30 seconds ago");
        assert_eq!(ago(200, 100), "About a minute ago");
        assert_eq!(ago(100 + 3 * 60, 100), "3 minutes ago");
        assert_eq!(ago(3600, 0), "About an hour ago");
        assert_eq!(ago(2 * 86_400, 0), "2 days ago");
    }

    #[test]
    fn one_row_per_tag() {
        let rows = image_rows(&[ImageInfo {
            id: "sha256:0123456789abcdef".into(),
            repo_tags: vec![
                "my-docker-app:latest".into(),
                "localhost:5000/app:1.0".into(),
            ],
            created: 0,
            size: 29_000_000,
        }]);
        assert_eq!(rows[0].0, "my-docker-app");
        assert_eq!(rows[0].1, "latest");
        assert_eq!(rows[0].2, "0123456789ab");
        assert_eq!(rows[0].4, "29MB");
        assert_eq!(rows[1].0, "localhost:5000/app");
        assert_eq!(rows[1].1, "1.0");
    }
}
