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
    /// `--health-*` / `--no-healthcheck`: the image's HEALTHCHECK replaced.
    pub health: Option<Health>,
}

/// A health check given at `docker run` (what `--health-*` set; `None`
/// fields keep the image's or the engine's default).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Health {
    /// `["CMD-SHELL", cmd]`, or `["NONE"]` for `--no-healthcheck`; empty:
    /// the image's test, with other settings changed.
    pub test: Vec<String>,
    /// Nanoseconds, as the engine wants them.
    pub interval: Option<i64>,
    pub timeout: Option<i64>,
    pub start_period: Option<i64>,
    pub retries: Option<i64>,
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

/// "1m30s" → 90 000 000 000 ns, as Go's `time.ParseDuration` (which the
/// docker CLI uses for `--health-*`) reads it: numbers, decimals allowed,
/// each with a unit of ns, us, µs, ms, s, m or h.
pub fn parse_duration(text: &str) -> Option<i64> {
    let mut rest = text.trim();
    if rest == "0" {
        return Some(0);
    }
    let mut total: f64 = 0.0;
    if rest.is_empty() {
        return None;
    }
    while !rest.is_empty() {
        let digits = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let number: f64 = rest[..digits].parse().ok()?;
        rest = &rest[digits..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let scale = match &rest[..unit_len] {
            "ns" => 1.0,
            "us" | "µs" | "μs" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            _ => return None,
        };
        rest = &rest[unit_len..];
        total += number * scale;
    }
    (total <= i64::MAX as f64).then_some(total.round() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_like_go() {
        assert_eq!(parse_duration("5s"), Some(5_000_000_000));
        assert_eq!(parse_duration("1m30s"), Some(90_000_000_000));
        assert_eq!(parse_duration("1.5s"), Some(1_500_000_000));
        assert_eq!(parse_duration("500ms"), Some(500_000_000));
        assert_eq!(parse_duration("0"), Some(0));
        for bad in ["", "5", "5 s", "5sec", "-1s", "s"] {
            assert_eq!(parse_duration(bad), None, "{bad}");
        }
    }

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
