//! `docktutor check --format text|json|junit`: the results in the shape an
//! instructor collects ([`crate::report::Results`]), with each check's time
//! and when it last passed.

use std::time::Duration;

use super::Setup;
use crate::check::Outcome;
use crate::report::{self, CheckResult, LessonResult, Results};

/// `--format`.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Format {
    #[default]
    Text,
    Json,
    Junit,
}

/// One lesson's checks as run: its id and each outcome with its time.
pub struct Checked<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub outcomes: Vec<(Outcome, Duration)>,
}

/// The results, with "last passed" read (never written) from the
/// workspace's progress.
pub fn results(
    setup: &Setup,
    learner: String,
    engine: Option<String>,
    checked: &[Checked<'_>],
) -> Results {
    let now = crate::progress::unix_now();
    let progress = setup.store.as_ref().map(|s| s.load().into_parts().0);
    let done = |id: &str| progress.as_ref().and_then(|p| p.done.get(id).copied());
    let lessons: Vec<LessonResult> = checked
        .iter()
        .map(|c| {
            let recorded = done(c.id);
            let checks: Vec<CheckResult> = c
                .outcomes
                .iter()
                .map(|(o, d)| CheckResult {
                    label: o.label.clone(),
                    status: o.status.into(),
                    reason: o.reason.clone(),
                    fix: o.fix.clone(),
                    duration_ms: d.as_secs_f64() * 1000.0,
                    last_passed: if o.passed() { Some(now) } else { recorded },
                })
                .collect();
            let status = LessonResult::status_of(&checks);
            let passed = status == report::Status::Pass;
            LessonResult {
                number: setup.lessons.find(c.id).map_or(0, |i| i + 1),
                id: c.id.to_string(),
                title: c.title.to_string(),
                passed,
                status,
                duration_ms: checks.iter().map(|c| c.duration_ms).sum(),
                last_passed: if passed { Some(now) } else { recorded },
                checks,
            }
        })
        .collect();
    Results {
        schema: report::SCHEMA,
        learner,
        workspace: setup.workspace.display().to_string(),
        workspace_note: setup.workspace_note.clone(),
        engine,
        checked_at: now,
        passed: lessons.iter().all(|l| l.passed),
        lessons,
    }
}

pub fn print(results: &Results, format: Format) {
    match format {
        Format::Json => match serde_json::to_string_pretty(results) {
            Ok(s) => println!("{s}"),
            Err(e) => eprintln!("docktutor: {e}"),
        },
        Format::Junit => print!("{}", report::junit::render(results)),
        Format::Text => print_text(results),
    }
}

fn print_text(results: &Results) {
    println!("workspace: {}", results.workspace);
    if let Some(note) = &results.workspace_note {
        println!("           {note}");
    }
    if let Some(e) = &results.engine {
        println!("engine:    {e}");
    }
    for lesson in &results.lessons {
        println!(
            "\n{}{}. {}",
            if lesson.passed { "✓ " } else { "✗ " },
            lesson.number,
            lesson.title
        );
        // One missing file fails several checks: say why once.
        let mut said: Vec<&str> = Vec::new();
        for c in &lesson.checks {
            let symbol = match c.status {
                report::Status::Pass => "✓",
                report::Status::Fail => "✗",
                report::Status::Blocked => "◌",
            };
            println!("  {symbol} {}", c.label);
            if let Some(reason) = &c.reason {
                if said.contains(&reason.as_str()) {
                    println!("      (same as above)");
                    continue;
                }
                said.push(reason);
                println!("      {reason}");
            }
            if let Some(fix) = &c.fix {
                println!("      → {fix}");
            }
        }
    }
}
