//! `docktutor lint`: the built-in Dockerfile linter, headless. Rule ids
//! follow hadolint's where they overlap; the exit code follows
//! `--failure-threshold` as hadolint's does.

use std::path::Path;
use std::process::ExitCode;

use serde::Serialize;

use super::Setup;
use crate::lint::{Finding, Severity, lint_path};

#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum Threshold {
    Error,
    Warning,
    Info,
    Style,
    None,
}

impl Threshold {
    fn fails(self, s: Severity) -> bool {
        let limit = match self {
            Threshold::Error => Severity::Error,
            Threshold::Warning => Severity::Warning,
            Threshold::Info => Severity::Info,
            Threshold::Style => Severity::Style,
            Threshold::None => return false,
        };
        s <= limit
    }
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    file: String,
    #[serde(flatten)]
    finding: &'a Finding,
}

pub fn run(setup: &Setup, path: Option<&Path>, json: bool, threshold: Threshold) -> ExitCode {
    let target = path.map_or_else(|| setup.workspace.clone(), Path::to_path_buf);
    let (file, findings) = match lint_path(&target) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("docktutor: {e}");
            return ExitCode::from(2);
        }
    };
    let name = file.display().to_string();
    if json {
        let rows: Vec<JsonFinding<'_>> = findings
            .iter()
            .map(|finding| JsonFinding {
                file: name.clone(),
                finding,
            })
            .collect();
        match serde_json::to_string_pretty(&rows) {
            Ok(s) => println!("{s}"),
            Err(e) => eprintln!("docktutor: {e}"),
        }
    } else if findings.is_empty() {
        println!("{name}: no findings");
    } else {
        let lessons = &setup.lessons;
        for f in &findings {
            println!("{name}:{} {} {}: {}", f.line, f.rule, f.severity, f.message);
            let lesson = f
                .lesson
                .and_then(|id| {
                    lessons
                        .find(id)
                        .map(|i| format!(" — lesson {}: {}", i + 1, lessons.lessons[i].title))
                })
                .unwrap_or_default();
            println!("    why: {}{lesson}", f.why);
        }
    }
    if findings.iter().any(|f| threshold.fails(f.severity)) {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
