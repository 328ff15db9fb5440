//! A learner's results as an instructor collects them: the JSON that
//! `docktutor check --format json` writes (schema [`SCHEMA`], documented in
//! the README's "For instructors"), its JUnit XML form, and the merge of
//! many learners' results that `docktutor report` prints as a table, a CSV
//! and a self-contained HTML page.

pub mod csv;
pub mod html;
pub mod junit;
pub mod merge;
pub mod table;

use serde::{Deserialize, Serialize};

/// The version of the results' JSON. Raised when a field changes meaning
/// or goes away; new fields keep it.
pub const SCHEMA: u32 = 1;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Pass,
    Fail,
    /// Could not be decided (no engine, …): not the learner's failure.
    Blocked,
}

impl From<crate::check::Status> for Status {
    fn from(s: crate::check::Status) -> Self {
        match s {
            crate::check::Status::Pass => Status::Pass,
            crate::check::Status::Fail => Status::Fail,
            crate::check::Status::Blocked => Status::Blocked,
        }
    }
}

/// One learner's `docktutor check` results.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Results {
    pub schema: u32,
    /// `--learner`, `DOCKTUTOR_LEARNER`, else the login name.
    pub learner: String,
    pub workspace: String,
    /// Why the workspace is the folder the learner is in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub workspace_note: Option<String>,
    /// The engine checked against (`None`: none answered).
    pub engine: Option<String>,
    /// When the checks ran (Unix seconds).
    pub checked_at: u64,
    /// Every selected check passed.
    pub passed: bool,
    pub lessons: Vec<LessonResult>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LessonResult {
    /// The lesson's number in the course (1-based).
    pub number: usize,
    pub id: String,
    pub title: String,
    pub passed: bool,
    /// `pass`, else `fail` when a check failed, else `blocked`.
    pub status: Status,
    /// The checks' own time, in milliseconds.
    pub duration_ms: f64,
    /// When it last passed, as far as this workspace knows (Unix seconds):
    /// now when it passes, else when it was recorded done (by the app or
    /// `check --run`); `None` when never.
    pub last_passed: Option<u64>,
    pub checks: Vec<CheckResult>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CheckResult {
    pub label: String,
    pub status: Status,
    /// What is wrong, in full (fail and blocked).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// What to do about it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fix: Option<String>,
    pub duration_ms: f64,
    /// Now when it passes, else when its lesson was recorded done.
    pub last_passed: Option<u64>,
}

impl LessonResult {
    /// The worst status of the checks: fail over blocked over pass.
    pub fn status_of(checks: &[CheckResult]) -> Status {
        if checks.iter().any(|c| c.status == Status::Fail) {
            Status::Fail
        } else if checks.iter().any(|c| c.status == Status::Blocked) {
            Status::Blocked
        } else {
            Status::Pass
        }
    }

    /// The first check that did not pass.
    pub fn first_failing(&self) -> Option<&CheckResult> {
        self.checks.iter().find(|c| c.status != Status::Pass)
    }
}

/// Who is learning: `--learner`, else `DOCKTUTOR_LEARNER`, else the login
/// name (`USER`, `LOGNAME`, `USERNAME`, else this user's entry in
/// `/etc/passwd`: containers and cron jobs often set none), else "unknown".
pub fn learner(flag: Option<&str>) -> String {
    flag.map(str::to_string)
        .or_else(|| {
            ["DOCKTUTOR_LEARNER", "USER", "LOGNAME", "USERNAME"]
                .iter()
                .find_map(|v| std::env::var(v).ok())
                .filter(|s| !s.trim().is_empty())
        })
        .or_else(login_name)
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "unknown".into())
}

/// The name `/etc/passwd` gives this process's user.
#[cfg(unix)]
fn login_name() -> Option<String> {
    use std::os::unix::fs::MetadataExt;
    let uid = std::fs::metadata("/proc/self").ok()?.uid();
    let passwd = std::fs::read_to_string("/etc/passwd").ok()?;
    passwd_name(&passwd, uid)
}

#[cfg(not(unix))]
fn login_name() -> Option<String> {
    None
}

/// The name of `uid` in a passwd file's text.
fn passwd_name(passwd: &str, uid: u32) -> Option<String> {
    passwd.lines().find_map(|line| {
        let mut fields = line.split(':');
        let name = fields.next()?;
        let id = fields.nth(1)?.parse::<u32>().ok()?;
        (id == uid && !name.is_empty()).then(|| name.to_string())
    })
}

#[cfg(test)]
mod tests;
