//! Which docktutor session made a container, so that one started later can
//! remove what a crashed or killed session left behind (a health-check
//! server keeps running after a SIGKILL) — and never what a second
//! docktutor, still running, is using.
//!
//! Each container carries `io.docktutor.session = BOOT/PIDNS/PID/START`:
//! the machine's boot id, the pid namespace, the process id and its start
//! time (clock ticks since boot, from `/proc`). A session is gone when the
//! boot and namespace are ours and no process with that pid and start time
//! exists. Anything else — another machine, another container's docktutor,
//! a system without `/proc` — is never judged gone: `docktutor reset`
//! removes those.

use std::collections::HashMap;
use std::sync::OnceLock;

use bollard::Docker;
use bollard::models::ContainerSummary;
use bollard::query_parameters::{ListContainersOptions, RemoveContainerOptions};

/// The label naming the session that made a container.
pub const SESSION_LABEL: &str = "io.docktutor.session";

/// This process's session label value.
pub fn current() -> &'static str {
    static CURRENT: OnceLock<String> = OnceLock::new();
    CURRENT.get_or_init(|| of_pid(std::process::id()).unwrap_or_else(|| "unknown".into()))
}

/// The session label value of a running process (None without `/proc`).
pub fn of_pid(pid: u32) -> Option<String> {
    let (boot, ns) = machine()?;
    let start = start_time(pid)?;
    Some(format!("{boot}/{ns}/{pid}/{start}"))
}

/// Boot id and pid namespace of this process.
fn machine() -> Option<(String, String)> {
    let boot = std::fs::read_to_string("/proc/sys/kernel/random/boot_id").ok()?;
    let ns = std::fs::read_link("/proc/self/ns/pid").ok()?;
    let ns: String = ns
        .to_string_lossy()
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    Some((boot.trim().to_string(), ns))
}

/// Field 22 of `/proc/PID/stat`, counted after the command name (which may
/// hold spaces and parentheses itself).
pub(super) fn start_time(pid: u32) -> Option<String> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let after = &stat[stat.rfind(')')? + 1..];
    after.split_whitespace().nth(19).map(str::to_string)
}

/// True only when the session is certainly gone (see the module docs).
pub fn is_gone(label: &str) -> bool {
    judge(label) == Some(false)
}

/// True when the session ran on this machine (this boot, this pid
/// namespace), gone or not.
pub fn is_this_machine(label: &str) -> bool {
    let Some((boot, ns)) = machine() else {
        return false;
    };
    let mut parts = label.split('/');
    parts.next() == Some(boot.as_str()) && parts.next() == Some(ns.as_str())
}

/// True only when the session certainly still runs (`reset` spares it).
pub fn is_alive(label: &str) -> bool {
    judge(label) == Some(true)
}

/// Whether the session's process runs; None when this machine cannot tell.
fn judge(label: &str) -> Option<bool> {
    let (boot, ns) = machine()?;
    let parts: Vec<&str> = label.split('/').collect();
    let [l_boot, l_ns, pid, start] = parts[..] else {
        return None;
    };
    if l_boot != boot || l_ns != ns {
        return None;
    }
    let pid = pid.parse::<u32>().ok()?;
    Some(start_time(pid).as_deref() == Some(start))
}

/// Every container (running or not) that carries `label` (a key, or
/// `key=value`).
pub(super) async fn labelled(
    docker: &Docker,
    label: &str,
) -> Result<Vec<ContainerSummary>, bollard::errors::Error> {
    let filters = HashMap::from([("label".to_string(), vec![label.to_string()])]);
    docker
        .list_containers(Some(ListContainersOptions {
            all: true,
            filters: Some(filters),
            ..Default::default()
        }))
        .await
}

/// Removes containers (running or not) of docktutor sessions that are
/// gone; returns their short ids.
pub async fn remove_orphans(docker: &Docker) -> Result<Vec<String>, bollard::errors::Error> {
    let found = labelled(docker, SESSION_LABEL).await?;
    let mut removed = Vec::new();
    for c in found {
        let (Some(id), Some(session)) =
            (c.id, c.labels.and_then(|l| l.get(SESSION_LABEL).cloned()))
        else {
            continue;
        };
        if !is_gone(&session) {
            continue;
        }
        let gone = docker
            .remove_container(
                &id,
                Some(RemoveContainerOptions {
                    force: true,
                    ..Default::default()
                }),
            )
            .await;
        if gone.is_ok() {
            removed.push(crate::dockerfile::short_id(&id));
        }
    }
    Ok(removed)
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    #[test]
    fn this_session_is_alive_and_a_dead_one_is_gone() {
        let me = current();
        assert!(!is_gone(me) && is_alive(me), "{me}");
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let pid = child.id();
        let label = of_pid(pid);
        child.wait().unwrap();
        // Read before it exited? Then it is gone now; if /proc was too slow
        // to show it, make one up with the same shape.
        let label = label.unwrap_or_else(|| {
            let (boot, ns) = machine().unwrap();
            format!("{boot}/{ns}/{pid}/1")
        });
        assert!(is_gone(&label), "{label}");
        // Same pid, another start time: a new process reused the pid.
        let reused = me.rsplit_once('/').unwrap().0.to_string() + "/1";
        assert!(is_gone(&reused));
    }

    #[test]
    fn every_container_we_make_names_this_session() {
        let labels = super::super::run::labels();
        assert_eq!(labels[SESSION_LABEL], current());
        assert_ne!(current(), "unknown");
    }

    #[test]
    fn other_machines_and_namespaces_are_never_judged() {
        assert!(!is_gone("other-boot/4026531836/999999/1"));
        let (boot, _) = machine().unwrap();
        assert!(!is_gone(&format!("{boot}/1/999999/1")));
        assert!(!is_gone("unknown") && !is_alive("unknown"));
        assert!(!is_gone(""));
    }

    #[test]
    fn this_machine_is_told_from_others() {
        assert!(is_this_machine(current()));
        let (boot, _) = machine().unwrap();
        assert!(!is_this_machine(&format!("{boot}/1/999999/1")));
        assert!(!is_this_machine("other-boot/4026531836/999999/1"));
        assert!(!is_this_machine("unknown"));
    }
}
