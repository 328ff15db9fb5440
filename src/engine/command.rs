//! What the UI asks of the engine task: the commands, and the options of a
//! run. Plain data; `crate::docker` carries them out.

use std::path::PathBuf;
use std::time::Duration;

/// Commands from the UI.
#[derive(Debug, Clone, PartialEq)]
pub enum EngineCmd {
    Build {
        workdir: PathBuf,
        /// Relative to the workspace; `None` is `Dockerfile`.
        dockerfile: Option<String>,
        tag: String,
    },
    Run {
        image: String,
        options: RunOptions,
    },
    /// Load a saved image file (offline classrooms).
    Load {
        path: PathBuf,
    },
    /// Remove the learner's dangling images carrying this label.
    Tidy {
        label: String,
    },
    /// Scan an image for vulnerabilities (trivy).
    Scan {
        image: String,
    },
    /// A docker command the learner typed at the prompt, run through the
    /// same engine code as the keys (never a shell); paths are resolved
    /// against `workdir`.
    Typed {
        workdir: PathBuf,
        command: crate::command::DockerCommand,
    },
    /// Stop the current build or run.
    Cancel,
    /// Read the facts again (the learner pressed the re-check key).
    Refresh,
    /// Leave the session's engine (gone) for whichever answers now.
    SwitchEngine,
}

impl EngineCmd {
    pub fn is_job(&self) -> bool {
        !matches!(
            self,
            EngineCmd::Cancel | EngineCmd::Refresh | EngineCmd::SwitchEngine
        )
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct RunOptions {
    /// `--memory`, in bytes.
    pub memory: Option<i64>,
    /// `--cpus`, in billionths of a CPU.
    pub nano_cpus: Option<i64>,
    /// Keep the container running until its health check settles
    /// (healthy or unhealthy), at most this long; then stop it.
    pub until_healthy: Option<Duration>,
    /// `--name`.
    pub name: Option<String>,
    /// `-e NAME=VALUE`, in order.
    pub env: Vec<String>,
    /// `-u USER`.
    pub user: Option<String>,
    /// `--read-only`.
    pub read_only: bool,
    /// `--network` (`none`, a user network; never `host`).
    pub network: Option<String>,
    /// The command instead of the image's CMD (empty: the image's).
    pub command: Vec<String>,
}

/// What a typed `docker build` asks beyond the context, Dockerfile and
/// first name (the keys' builds use the defaults).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BuildOptions {
    /// Names after the first `-t` (tagged once the build succeeds).
    pub more_tags: Vec<String>,
    pub no_cache: bool,
    pub build_args: std::collections::BTreeMap<String, String>,
    pub target: Option<String>,
    pub pull: bool,
}

/// "256m" → 268435456, as `docker run --memory` reads it (b, k, m, g).
pub fn parse_memory(text: &str) -> Option<i64> {
    let t = text.trim().to_ascii_lowercase();
    let t = t.strip_suffix('b').unwrap_or(&t);
    let (digits, unit) = match t.chars().last()? {
        'k' => (&t[..t.len() - 1], 1i64 << 10),
        'm' => (&t[..t.len() - 1], 1 << 20),
        'g' => (&t[..t.len() - 1], 1 << 30),
        _ => (t, 1),
    };
    digits.parse::<i64>().ok()?.checked_mul(unit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_reads_like_docker_run() {
        assert_eq!(parse_memory("256m"), Some(256 << 20));
        assert_eq!(parse_memory("1g"), Some(1 << 30));
        assert_eq!(parse_memory("512k"), Some(512 << 10));
        assert_eq!(parse_memory("128MB"), Some(128 << 20));
        assert_eq!(parse_memory("1000"), Some(1000));
        assert_eq!(parse_memory("lots"), None);
    }
}
