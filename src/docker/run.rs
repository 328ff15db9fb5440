//! Running an image the way `docker run --rm IMAGE` does: the container
//! is labelled as ours, its output is streamed, and the engine removes it
//! when it ends (`AutoRemove`), even when docktutor is gone by then; a
//! cancelled run is removed at once. Options cover the lessons that need
//! more: resource limits, and waiting for a health check.
//!
//! Everything the record needs is read while the container exists: the
//! limits the engine applied right after create, health while it runs,
//! the output through an attach made before start. The exit code comes
//! from a wait for removal asked before start, as the CLI's `run --rm`
//! does; if that wait reaches the engine only after the container is gone
//! (a very fast exit), from the container's `die` event instead.

use std::collections::HashMap;
use std::time::Duration;

use bollard::Docker;
use bollard::container::LogOutput;
use bollard::models::{ContainerCreateBody, HealthConfig, HostConfig};
use bollard::query_parameters::{
    AttachContainerOptions, CreateContainerOptions, RemoveContainerOptions, WaitContainerOptions,
};
use futures_util::StreamExt;
use tokio::sync::{mpsc, watch};

use crate::engine::{JobEvent, JobOutcome, RunOptions, RunRecord, RunSource, normalize_ref};

/// Label on every container the app creates.
pub const LABEL: &str = "io.docktutor.managed";
/// How much of a run's output is kept for checks.
const KEEP_OUTPUT: usize = 64 * 1024;

/// The labels of every container the app starts: ours, which session
/// made it (so a later session can remove it if this one dies), and for
/// which learner (so `reset --learner` on a shared engine finds it).
pub fn labels() -> HashMap<String, String> {
    let mut labels = HashMap::from([
        (LABEL.to_string(), "true".to_string()),
        (
            super::session::SESSION_LABEL.to_string(),
            super::session::current().to_string(),
        ),
    ]);
    labels.extend(super::learner::container_labels());
    labels
}

pub async fn run(
    docker: &Docker,
    image: &str,
    options: &RunOptions,
    events: &mpsc::Sender<JobEvent>,
    mut cancel: watch::Receiver<bool>,
) -> JobOutcome {
    let reference = normalize_ref(image);
    let image_id = match docker.inspect_image(&reference).await {
        Ok(i) => i.id.unwrap_or_default(),
        Err(bollard::errors::Error::DockerResponseServerError {
            status_code: 404, ..
        }) => {
            return JobOutcome::RunFailed {
                message: format!("the engine has no image {reference} — build it first"),
            };
        }
        Err(e) => return lost("run", e),
    };
    let body = ContainerCreateBody {
        image: Some(reference.clone()),
        labels: Some(labels()),
        env: (!options.env.is_empty()).then(|| options.env.clone()),
        user: options.user.clone(),
        cmd: (!options.command.is_empty()).then(|| options.command.clone()),
        healthcheck: options.health.as_ref().map(|h| HealthConfig {
            test: (!h.test.is_empty()).then(|| h.test.clone()),
            interval: h.interval,
            timeout: h.timeout,
            start_period: h.start_period,
            retries: h.retries,
            ..Default::default()
        }),
        host_config: Some(HostConfig {
            // Nothing from the host: no mounts, no published ports, not privileged.
            privileged: Some(false),
            memory: options.memory,
            nano_cpus: options.nano_cpus,
            readonly_rootfs: options.read_only.then_some(true),
            network_mode: options.network.clone(),
            auto_remove: Some(true),
            ..Default::default()
        }),
        ..Default::default()
    };
    let created = match docker
        .create_container(
            Some(CreateContainerOptions {
                name: options.name.clone(),
                ..Default::default()
            }),
            body,
        )
        .await
    {
        Ok(c) => c.id,
        Err(e) => return failed_or_lost(e),
    };
    let outcome = run_created(
        docker,
        &created,
        &reference,
        image_id,
        options,
        events,
        &mut cancel,
    )
    .await;
    remove(docker, &created).await;
    outcome
}

async fn run_created(
    docker: &Docker,
    id: &str,
    reference: &str,
    image_id: String,
    options: &RunOptions,
    events: &mpsc::Sender<JobEvent>,
    cancel: &mut watch::Receiver<bool>,
) -> JobOutcome {
    // Attach before starting, as `docker run` does: every byte the
    // container writes arrives here. (Following the logs instead can end
    // early when a fast container exits, losing its last lines.)
    let attached = match docker
        .attach_container(
            id,
            Some(AttachContainerOptions {
                stdout: true,
                stderr: true,
                stream: true,
                // Not `logs`: replaying them as well can deliver the first
                // lines twice. Nothing is printed before start anyway.
                logs: false,
                ..Default::default()
            }),
        )
        .await
    {
        Ok(a) => a,
        Err(e) => return failed_or_lost(e),
    };
    let mut logs = attached.output;
    // What the engine really applied, not what we asked for: read now, the
    // container removes itself when it ends.
    let host = docker
        .inspect_container(id, None)
        .await
        .ok()
        .and_then(|c| c.host_config);
    let started_at = unix_seconds();
    let removed = wait_removed(docker, id);
    if let Err(e) = docker.start_container(id, None).await {
        removed.abort();
        return failed_or_lost(e);
    }
    let mut kept: Vec<u8> = Vec::new();
    let mut health: Option<String> = None;
    // Health is read once a second, only while a health run lasts.
    let mut health_tick = tokio::time::interval(Duration::from_secs(1));
    let deadline = options
        .until_healthy
        .map(|d| tokio::time::Instant::now() + d);
    let mut stopping = false;
    loop {
        tokio::select! {
            biased;
            changed = cancel.changed() => {
                if changed.is_err() || *cancel.borrow() {
                    return JobOutcome::Interrupted { what: "run".into(), reason: "stopped by you".into() };
                }
            }
            _ = health_tick.tick(), if options.until_healthy.is_some() && !stopping => {
                let now = current_health(docker, id).await;
                if now != health && let Some(h) = &now {
                    let _ = events.send(JobEvent::Output(format!("\x1b[1mhealth: {h}\x1b[0m\n").into_bytes())).await;
                }
                health = now.or(health);
                let settled = matches!(health.as_deref(), Some("healthy" | "unhealthy"));
                let late = deadline.is_some_and(|d| tokio::time::Instant::now() >= d);
                if settled || late {
                    if late && !settled {
                        let _ = events.send(JobEvent::Output(b"health: no verdict in time, stopping\n".to_vec())).await;
                    }
                    stopping = true;
                    let _ = docker.stop_container(id, Some(bollard::query_parameters::StopContainerOptions { t: Some(2), ..Default::default() })).await;
                }
            }
            item = logs.next() => match item {
                Some(Ok(out)) => {
                    let bytes = match out {
                        LogOutput::StdOut { message } | LogOutput::StdErr { message } | LogOutput::Console { message } => message,
                        LogOutput::StdIn { .. } => continue,
                    };
                    if kept.len() < KEEP_OUTPUT {
                        let room = KEEP_OUTPUT - kept.len();
                        kept.extend_from_slice(&bytes[..bytes.len().min(room)]);
                    }
                    if events.send(JobEvent::Output(bytes.to_vec())).await.is_err() {
                        return JobOutcome::Interrupted { what: "run".into(), reason: "nobody is listening".into() };
                    }
                }
                Some(Err(e)) => return lost("run", e),
                None => break,
            }
        }
    }
    let exit_code = match removed.await {
        Ok(Some(Ok(r))) => r.status_code,
        Ok(Some(Err(bollard::errors::Error::DockerContainerWaitError { code, .. }))) => code,
        // Gone before the wait reached the engine: its die event says.
        Ok(Some(Err(bollard::errors::Error::DockerResponseServerError {
            status_code: 404,
            ..
        }))) => match exit_code_from_events(docker, id, started_at).await {
            Some(code) => code,
            None => {
                return JobOutcome::Interrupted {
                    what: "run".into(),
                    reason: "the container was gone before its exit code was read".into(),
                };
            }
        },
        Ok(Some(Err(e))) => return lost("run", e),
        Ok(None) | Err(_) => {
            return JobOutcome::Interrupted {
                what: "run".into(),
                reason: "the engine stopped answering".into(),
            };
        }
    };
    JobOutcome::Ran {
        image: reference.to_string(),
        record: RunRecord {
            image_id,
            exit_code: Some(exit_code),
            output: Some(String::from_utf8_lossy(&kept).into_owned()),
            source: RunSource::App,
            health,
            memory: host.as_ref().and_then(|h| h.memory),
            nano_cpus: host.as_ref().and_then(|h| h.nano_cpus),
        },
    }
}

/// Waits (in a task, so that the request goes out before the container is
/// started) until the engine has removed the container; its answer holds
/// the exit code. `removed` needs the container to be `AutoRemove`.
fn wait_removed(
    docker: &Docker,
    id: &str,
) -> tokio::task::JoinHandle<
    Option<Result<bollard::models::ContainerWaitResponse, bollard::errors::Error>>,
> {
    let (docker, id) = (docker.clone(), id.to_string());
    tokio::spawn(async move {
        docker
            .wait_container(
                &id,
                Some(WaitContainerOptions {
                    condition: "removed".into(),
                }),
            )
            .next()
            .await
    })
}

fn unix_seconds() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(0))
}

/// The exit code in the container's `die` event since `since` (Docker
/// calls the attribute `exitCode`, Podman `containerExitCode`).
async fn exit_code_from_events(docker: &Docker, id: &str, since: i64) -> Option<i64> {
    let filters = HashMap::from([
        ("container".to_string(), vec![id.to_string()]),
        ("event".to_string(), vec!["die".to_string()]),
    ]);
    let mut events = docker.events(Some(bollard::query_parameters::EventsOptions {
        since: Some((since - 1).to_string()),
        until: Some((unix_seconds() + 1).to_string()),
        filters: Some(filters),
    }));
    while let Some(Ok(event)) = events.next().await {
        let attributes = event.actor.and_then(|a| a.attributes).unwrap_or_default();
        if let Some(code) = ["exitCode", "containerExitCode"]
            .iter()
            .find_map(|k| attributes.get(*k)?.parse().ok())
        {
            return Some(code);
        }
    }
    None
}

async fn current_health(docker: &Docker, id: &str) -> Option<String> {
    let c = docker.inspect_container(id, None).await.ok()?;
    c.state?
        .health?
        .status
        .map(|s| s.to_string())
        .filter(|s| !s.is_empty() && s != "none")
}

pub(super) async fn remove(docker: &Docker, id: &str) {
    let _ = docker
        .remove_container(
            id,
            Some(RemoveContainerOptions {
                force: true,
                ..Default::default()
            }),
        )
        .await;
}

fn failed_or_lost(e: bollard::errors::Error) -> JobOutcome {
    match e {
        bollard::errors::Error::DockerResponseServerError { message, .. } => {
            JobOutcome::RunFailed { message }
        }
        other => lost("run", other),
    }
}

fn lost(what: &str, e: bollard::errors::Error) -> JobOutcome {
    JobOutcome::Interrupted {
        what: what.into(),
        reason: format!("the connection to the engine broke ({e})"),
    }
}
