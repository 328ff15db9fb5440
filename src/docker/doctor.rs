//! `docktutor doctor`: is this machine ready for the lessons? Which engine
//! (and why that one), whether the lessons' base images are here or can be
//! pulled, and how much disk the engine has — each problem with what to do.

use std::path::Path;

use bollard::errors::Error as BollardError;
use serde::Serialize;

use super::connect::{self, connect};
use super::discover::Env;
use crate::engine::Flavour;

#[derive(Debug, Serialize)]
pub struct Report {
    pub ready: bool,
    pub engine: Option<EngineReport>,
    /// Every address tried, when none answered.
    pub tried: Vec<Tried>,
    pub base_images: Vec<BaseImage>,
    pub disk: Option<Disk>,
    pub problems: Vec<Problem>,
    pub notes: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct EngineReport {
    pub address: String,
    pub found: String,
    pub name: String,
    pub version: String,
    pub api_version: String,
    pub os_arch: String,
    pub rootless: bool,
    pub root_dir: String,
    /// `BuildKit` or `classic builder`, and why.
    pub builder: String,
    pub builder_why: String,
}

#[derive(Debug, Serialize)]
pub struct Tried {
    pub address: String,
    pub found: String,
    pub error: String,
}

#[derive(Debug, Serialize)]
pub struct BaseImage {
    pub name: String,
    pub present: bool,
    /// Asked only when the image is missing: can the engine pull it?
    pub pullable: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct Disk {
    pub path: String,
    pub free_bytes: u64,
}

#[derive(Debug, Serialize)]
pub struct Problem {
    pub what: String,
    pub fix: String,
}

/// Less free space than this where images live is a problem: the lessons'
/// largest base image (the full python:3.9, about 1 GB) and their builds
/// would not fit.
pub const MIN_FREE: u64 = 1_200_000_000;
/// Less than this is worth a note: enough for the lessons, not for much more.
pub const LOW_FREE: u64 = 3_000_000_000;

/// What the free space where images live means for the lessons.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Space {
    Plenty,
    Low,
    TooLittle,
}

pub fn space(free: u64) -> Space {
    if free < MIN_FREE {
        Space::TooLittle
    } else if free < LOW_FREE {
        Space::Low
    } else {
        Space::Plenty
    }
}

pub async fn doctor(env: &Env, base_images: &[String]) -> Report {
    let mut report = Report {
        ready: false,
        engine: None,
        tried: Vec::new(),
        base_images: Vec::new(),
        disk: None,
        problems: Vec::new(),
        notes: Vec::new(),
    };
    let conn = match connect(env).await {
        Ok(c) => c,
        Err(tried) => {
            let first = tried.first().map(|a| a.address.clone()).unwrap_or_default();
            let fix = crate::engine::status::advice(&tried);
            report.tried = tried
                .into_iter()
                .map(|a| Tried {
                    address: a.address,
                    found: a.source,
                    error: a.error,
                })
                .collect();
            report.problems.push(Problem {
                what: if first.is_empty() {
                    "no Docker engine could be tried".into()
                } else {
                    format!("no Docker engine answered at {first}")
                },
                fix,
            });
            return report;
        }
    };
    let info = tokio::time::timeout(connect::REQUEST_TIMEOUT, conn.docker.info()).await;
    let (rootless, root_dir) = match info {
        Ok(Ok(i)) => (
            i.security_options
                .unwrap_or_default()
                .iter()
                .any(|o| o.contains("name=rootless")),
            i.docker_root_dir.unwrap_or_default(),
        ),
        _ => (false, String::new()),
    };
    // The builder builds will use; for BuildKit, whether a session opens
    // (if not, builds fall back to the classic builder).
    if conn.builder.choice().builder == crate::engine::Builder::BuildKit
        && let Some(reason) = conn.builder.session_refused().await
    {
        conn.builder.fall_back(&reason);
    }
    let builder = conn.builder.choice();
    report.engine = Some(EngineReport {
        address: conn.info.address.clone(),
        found: conn.info.source.clone(),
        name: conn.info.name.clone(),
        version: conn.info.version.clone(),
        api_version: conn.info.api_version.clone(),
        os_arch: conn.info.os_arch.clone(),
        rootless,
        root_dir: root_dir.clone(),
        builder: builder.builder.to_string(),
        builder_why: builder.why,
    });

    let podman = conn.info.flavour() == Flavour::Podman;
    for name in base_images {
        report
            .base_images
            .push(base_image(&conn.docker, name, podman).await);
    }
    for img in &report.base_images {
        match (img.present, img.pullable) {
            (true, _) => {}
            (false, Some(true)) => report.notes.push(format!(
                "{} is not here yet; the first build downloads it (needs the network)",
                img.name
            )),
            // Podman cannot ask a registry without pulling: say so, and
            // what to do if the first build cannot pull either.
            (false, None) => report.notes.push(format!(
                "{0} is not here yet; Podman cannot tell before pulling whether it can be pulled — the first build tries (offline: docktutor bundle -o class.tar on a machine with internet, then docktutor load class.tar here)",
                img.name
            )),
            (false, Some(false)) => report.problems.push(Problem {
                what: format!(
                    "{} is not here and cannot be pulled{}",
                    img.name,
                    img.detail.as_deref().map(|d| format!(" ({d})")).unwrap_or_default()
                ),
                fix: format!(
                    "on a machine with internet run docktutor bundle -o class.tar (every lesson's base image, {0} too), bring the file here and run: docktutor load class.tar",
                    img.name
                ),
            }),
        }
    }

    // Free space where the engine keeps images, when that folder is on
    // this machine (Docker Desktop and colima keep it inside a VM).
    if !root_dir.is_empty() && Path::new(&root_dir).is_dir() {
        if let Some(free) = free_bytes(&root_dir) {
            report.disk = Some(Disk {
                path: root_dir.clone(),
                free_bytes: free,
            });
            match space(free) {
                Space::TooLittle => report.problems.push(Problem {
                    what: format!(
                        "only {} free in {root_dir}, where the engine keeps images",
                        crate::text::human_bytes(free)
                    ),
                    fix: "free some space: docker system prune removes stopped containers and unused images".into(),
                }),
                Space::Low => report.notes.push(format!(
                    "{} free in {root_dir}: enough for the lessons; docker system prune frees more",
                    crate::text::human_bytes(free)
                )),
                Space::Plenty => {}
            }
        }
    } else if !root_dir.is_empty() {
        report.notes.push(format!(
            "the engine keeps images in {root_dir}, inside its own VM: free space not checked"
        ));
    }
    if podman {
        report.notes.push(podman_note(&conn.info.address, rootless));
    }
    if rootless {
        report.notes.push(
            "rootless engine: fine for every lesson; uid 0 inside a container is your own user outside it, so the non-root lesson still matters for the servers you ship".into(),
        );
    }
    report.ready = report.problems.is_empty();
    report
}

async fn base_image(docker: &bollard::Docker, name: &str, podman: bool) -> BaseImage {
    let present = matches!(
        tokio::time::timeout(connect::REQUEST_TIMEOUT, docker.inspect_image(name)).await,
        Ok(Ok(_))
    );
    // Podman has no /distribution endpoint: its "not supported" is the
    // API's limit, not the image's, so the answer is "can't tell".
    if present || podman {
        return BaseImage {
            name: name.into(),
            present,
            pullable: None,
            detail: None,
        };
    }
    // The engine asks the registry for the image's manifest: the same path
    // a pull takes, without downloading anything.
    let asked = tokio::time::timeout(
        std::time::Duration::from_secs(15),
        docker.inspect_registry_image(name, None),
    )
    .await;
    let (pullable, detail) = match asked {
        Ok(Ok(_)) => (true, None),
        Ok(Err(BollardError::DockerResponseServerError { message, .. })) => {
            (false, Some(short(&message)))
        }
        Ok(Err(e)) => (false, Some(short(&e.to_string()))),
        Err(_) => (
            false,
            Some("the registry did not answer within 15 s".into()),
        ),
    };
    BaseImage {
        name: name.into(),
        present,
        pullable: Some(pullable),
        detail,
    }
}

/// Which Podman socket this is, and how it is kept running.
fn podman_note(address: &str, rootless: bool) -> String {
    let kind = if rootless || address.contains("/run/user/") {
        "rootless Podman ($XDG_RUNTIME_DIR/podman/podman.sock): systemctl --user enable --now podman.socket keeps it running"
    } else if address.contains("/run/podman/") {
        "rootful Podman (/run/podman/podman.sock): sudo systemctl enable --now podman.socket keeps it running"
    } else {
        "Podman through its Docker-compatible API (Podman Desktop or podman machine on macOS and Windows)"
    };
    format!("{kind}; builds use Podman's own builder (Buildah), not BuildKit")
}

/// "Get https://…: dial tcp: lookup registry-1.docker.io …: no such host"
/// → "no such host: registry-1.docker.io".
fn short(message: &str) -> String {
    if message.contains("no such host") || message.contains("lookup ") {
        return "no network: the registry's name does not resolve".into();
    }
    if message.contains("i/o timeout") || message.contains("connection refused") {
        return "the registry cannot be reached".into();
    }
    message
        .lines()
        .next()
        .unwrap_or(message)
        .chars()
        .take(160)
        .collect()
}

/// Free bytes for an unprivileged user on the file system holding `path`.
#[cfg(unix)]
fn free_bytes(path: &str) -> Option<u64> {
    let st = rustix::fs::statvfs(path).ok()?;
    Some(st.f_bavail.saturating_mul(st.f_frsize))
}

/// On Windows the engine's folder is inside Docker Desktop's VM, never a
/// folder on this machine, so there is nothing to measure here.
#[cfg(not(unix))]
fn free_bytes(_path: &str) -> Option<u64> {
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_too_little_space_for_the_lessons_is_a_problem() {
        // 2 GB holds every base image and build the lessons make: a note,
        // not a reason to refuse (a CI machine once failed on exactly this).
        assert_eq!(space(2_000_000_000), Space::Low);
        assert_eq!(space(MIN_FREE - 1), Space::TooLittle);
        assert_eq!(space(LOW_FREE), Space::Plenty);
    }
}
