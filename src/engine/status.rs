//! What the engine task tells the UI: whether an engine answers (and which),
//! fresh facts, and the progress and end of a job.

use std::time::Duration;

use super::{BuilderChoice, EngineFacts, JobEvent, JobOutcome};

/// Messages to the UI.
#[derive(Debug, Clone, PartialEq)]
pub enum EngineMsg {
    Status(EngineStatus),
    Facts(EngineFacts),
    Job(JobEvent),
    JobDone(JobOutcome),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EngineStatus {
    Connecting,
    Connected(EngineInfo),
    /// Nothing answered; the task keeps trying.
    Unreachable {
        tried: Vec<Attempt>,
        retry_in: Duration,
    },
}

/// Who answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EngineInfo {
    pub address: String,
    pub source: String,
    /// e.g. "Docker Engine 20.10.24" or "Podman Engine 4.9".
    pub name: String,
    pub version: String,
    pub api_version: String,
    pub os_arch: String,
    /// The builder builds go through on this engine, and why.
    pub builder: BuilderChoice,
}

/// One failed attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    pub address: String,
    pub source: String,
    pub error: String,
}

/// What to do when these attempts failed: an explicit setting that points
/// nowhere is the learner's to fix; otherwise the engine must be started.
pub fn advice(tried: &[Attempt]) -> String {
    match tried.first() {
        Some(a) if a.source == "from DOCKER_HOST" => format!(
            "DOCKER_HOST points to {}: start the engine there, or unset DOCKER_HOST to use the local one",
            a.address
        ),
        Some(a) if a.source.contains("context") => {
            "start the engine of that docker context, or switch back: docker context use default"
                .into()
        }
        Some(a) if a.source == "from --host" => {
            format!("start the engine at {}, or leave out --host", a.address)
        }
        Some(a) if a.error.starts_with("permission denied") => a.error.clone(),
        _ => how_to_start().into(),
    }
}

/// What to tell a learner whose engine cannot be reached.
pub fn how_to_start() -> &'static str {
    if cfg!(target_os = "macos") || cfg!(windows) {
        "start Docker Desktop (or colima start / OrbStack), then wait a few seconds"
    } else {
        "start Docker: sudo systemctl start docker (or start Docker Desktop / rootless dockerd)"
    }
}
