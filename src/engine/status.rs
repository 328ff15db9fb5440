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
    /// The session's engine is gone and this other one answers; the app
    /// stays with its own until the learner says to switch.
    OtherEngine(EngineInfo),
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

/// Which kind of engine answered: where engines differ (the builder, the
/// pull check, events, rootless uids), the app asks this.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavour {
    DockerEngine,
    DockerDesktop,
    Podman,
}

impl EngineInfo {
    /// Read from the name `/version` gave (see `docker::connect`).
    pub fn flavour(&self) -> Flavour {
        if self.name.starts_with("Podman") {
            Flavour::Podman
        } else if self.name.starts_with("Docker Desktop") {
            Flavour::DockerDesktop
        } else {
            Flavour::DockerEngine
        }
    }

    /// Reached over the network (tcp, ssh) rather than a local socket.
    pub fn remote(&self) -> bool {
        self.address.starts_with("tcp://")
            || self.address.starts_with("ssh://")
            || self.address.starts_with("http")
    }

    /// A rootless engine, as far as its socket tells: one in the user's
    /// runtime folder (`$XDG_RUNTIME_DIR/docker.sock`, Podman's rootless
    /// socket). `doctor` asks the engine itself.
    pub fn rootless_socket(&self) -> bool {
        self.address.contains("/run/user/")
    }
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
    if let Some(fix) = tried.first().and_then(in_container) {
        return fix;
    }
    match tried.first() {
        Some(a) if a.source == "from DOCKER_HOST" => format!(
            "DOCKER_HOST points to {}: start the engine there, or unset DOCKER_HOST to use the local one",
            a.address
        ),
        Some(a) if a.source.contains("context") => {
            "start the engine of that docker context, or switch back: docker context use default"
                .into()
        }
        Some(a) if a.source == "from --host" && a.address.contains("podman") => {
            how_to_start_podman(&a.address)
        }
        Some(a) if a.source == "from --host" => {
            format!("start the engine at {}, or leave out --host", a.address)
        }
        Some(a) if a.error.starts_with("permission denied") => a.error.clone(),
        Some(a) if a.address.contains("podman") => how_to_start_podman(&a.address),
        _ => how_to_start().into(),
    }
}

/// The default socket, as the candidates name it.
const DEFAULT_ADDRESS: &str = "unix:///var/run/docker.sock";

/// In docktutor's own container, the fix is in the `docker run` line: the
/// socket was not mounted, or its group is not the container user's. Read
/// from the file system as it is now, not from the attempt's words alone.
fn in_container(a: &Attempt) -> Option<String> {
    use super::container::{
        SOCKET, inside, missing_socket_advice, permission_advice, permission_denied, socket_gid,
    };
    if a.address != DEFAULT_ADDRESS || a.source != "the default socket" {
        return None;
    }
    let inside = inside()?;
    let socket = std::path::Path::new(SOCKET);
    if !socket.exists() {
        Some(missing_socket_advice(inside))
    } else if a.error.starts_with("permission denied") || permission_denied(socket) {
        Some(permission_advice(inside, socket_gid(socket)))
    } else {
        None
    }
}

/// How to start Podman's Docker-compatible service at this socket.
pub fn how_to_start_podman(address: &str) -> String {
    let path = address.strip_prefix("unix://").unwrap_or(address);
    if cfg!(target_os = "macos") || cfg!(windows) {
        "start Podman's VM: podman machine start (Podman Desktop does it for you)".into()
    } else if path.contains("/run/user/") {
        format!(
            "start Podman's rootless service: systemctl --user start podman.socket (or: podman system service --time=0 unix://{path})"
        )
    } else {
        format!(
            "start Podman's service: sudo systemctl start podman.socket (or: sudo podman system service --time=0 unix://{path})"
        )
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::{Builder, BuilderChoice};

    fn info(name: &str, address: &str) -> EngineInfo {
        EngineInfo {
            address: address.into(),
            source: "from --host".into(),
            name: name.into(),
            version: "1".into(),
            api_version: "1.41".into(),
            os_arch: "linux/amd64".into(),
            builder: BuilderChoice::new(Builder::Classic, "test"),
        }
    }

    #[test]
    fn flavours_come_from_the_engines_own_name() {
        let sock = "unix:///var/run/docker.sock";
        assert_eq!(info("Docker Engine", sock).flavour(), Flavour::DockerEngine);
        assert_eq!(info("Podman Engine", sock).flavour(), Flavour::Podman);
        assert_eq!(
            info("Docker Desktop 4.25.0 (126437)", sock).flavour(),
            Flavour::DockerDesktop
        );
        assert!(info("Docker Engine", "ssh://me@host").remote());
        assert!(!info("Docker Engine", sock).remote());
        assert!(
            info("Podman Engine", "unix:///run/user/1000/podman/podman.sock").rootless_socket()
        );
    }

    #[test]
    fn a_podman_socket_gets_podman_advice() {
        let tried = vec![Attempt {
            address: "unix:///run/user/1000/podman/podman.sock".into(),
            source: "from --host".into(),
            error: "nothing is listening".into(),
        }];
        let said = advice(&tried);
        assert!(
            said.contains("systemctl --user start podman.socket"),
            "{said}"
        );
        let tried = vec![Attempt {
            address: "unix:///run/podman/podman.sock".into(),
            source: "the Podman socket".into(),
            error: "nothing is listening".into(),
        }];
        assert!(advice(&tried).contains("sudo systemctl start podman.socket"));
    }
}
