//! What builds and runs report while they go and when they end. Plain data,
//! shared by the TUI and the headless commands.

use super::facts::{BuildStep, RunRecord, ScanResult};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobEvent {
    /// Raw output (may hold escape codes: the output pane sanitises it).
    Output(Vec<u8>),
    /// The legacy builder started "Step current/total".
    Step { current: usize, total: usize },
    /// That step came from the build cache.
    Cached { step: usize },
    /// Bytes sent so far of a known total (loading an image file).
    Progress { done: u64, total: u64 },
    /// The build context about to be sent, with advice when it is large.
    Context {
        files: u64,
        bytes: u64,
        advice: Vec<String>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobOutcome {
    Built {
        tag: String,
        image_id: Option<String>,
        /// Every step, and whether it came from the build cache.
        steps: Vec<BuildStep>,
    },
    /// Dangling images removed by a tidy action.
    Tidied {
        removed: Vec<String>,
    },
    /// A vulnerability scan finished.
    Scanned {
        image: String,
        result: ScanResult,
    },
    /// The scanner is not installed: nothing was scanned.
    ScanUnavailable {
        message: String,
    },
    BuildFailed(BuildFailure),
    Ran {
        image: String,
        record: RunRecord,
    },
    RunFailed {
        message: String,
    },
    /// Images loaded from a saved file.
    Loaded {
        images: Vec<String>,
    },
    LoadFailed {
        message: String,
    },
    /// The engine went away (or the learner cancelled) before the end.
    Interrupted {
        what: String,
        reason: String,
    },
    /// A typed command other than build or run answered (its output came
    /// as events).
    Answered {
        command: String,
    },
    /// A typed command other than build or run failed.
    CommandFailed {
        command: String,
        message: String,
    },
    /// There is no engine to do this with.
    NoEngine {
        message: String,
    },
}

impl JobOutcome {
    pub fn success(&self) -> bool {
        match self {
            JobOutcome::Built { .. }
            | JobOutcome::Loaded { .. }
            | JobOutcome::Tidied { .. }
            | JobOutcome::Answered { .. }
            | JobOutcome::Scanned { .. } => true,
            JobOutcome::Ran { record, .. } => record.exit_code == Some(0),
            _ => false,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BuildFailure {
    pub message: String,
    /// The builder step that failed (1-based), if known.
    pub step: Option<usize>,
    /// The Dockerfile line it came from.
    pub line: Option<usize>,
    pub instruction: Option<String>,
    pub advice: Option<String>,
}

impl BuildFailure {
    pub fn plain(message: String) -> BuildFailure {
        BuildFailure {
            message,
            ..BuildFailure::default()
        }
    }

    /// One paragraph for a person: what failed, where, and what to do.
    pub fn describe(&self) -> String {
        let mut s = String::new();
        match (self.line, &self.instruction) {
            (Some(line), Some(instr)) => s.push_str(&format!("Dockerfile line {line}: {instr}\n")),
            (Some(line), None) => s.push_str(&format!("Dockerfile line {line}\n")),
            _ => {}
        }
        s.push_str(&self.message);
        if let Some(a) = &self.advice {
            s.push_str(&format!("\nWhat to do: {a}"));
        }
        s
    }
}
