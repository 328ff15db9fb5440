//! Running an image the way `docker run IMAGE` does, but tidily: the
//! container is labelled as ours, its output is streamed, and it is removed
//! when it ends (or when the learner cancels).

use std::collections::HashMap;

use bollard::Docker;
use bollard::container::LogOutput;
use bollard::models::{ContainerCreateBody, HostConfig};
use bollard::query_parameters::{
    CreateContainerOptions, LogsOptions, RemoveContainerOptions, WaitContainerOptions,
};
use futures_util::StreamExt;
use tokio::sync::{mpsc, watch};

use super::job::{JobEvent, JobOutcome};
use crate::check::{RunRecord, RunSource, normalize_ref};

/// Label on every container and image the app creates.
pub const LABEL: &str = "io.docktutor.managed";
/// How much of a run's output is kept for checks.
const KEEP_OUTPUT: usize = 64 * 1024;

pub async fn run(
    docker: &Docker,
    image: &str,
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
        labels: Some(HashMap::from([(LABEL.to_string(), "true".to_string())])),
        host_config: Some(HostConfig {
            // Nothing from the host: no mounts, no published ports, not privileged.
            privileged: Some(false),
            ..Default::default()
        }),
        ..Default::default()
    };
    let created = match docker
        .create_container(Some(CreateContainerOptions::default()), body)
        .await
    {
        Ok(c) => c.id,
        Err(e) => return failed_or_lost(e),
    };
    let outcome = run_created(docker, &created, &reference, image_id, events, &mut cancel).await;
    remove(docker, &created).await;
    outcome
}

async fn run_created(
    docker: &Docker,
    id: &str,
    reference: &str,
    image_id: String,
    events: &mpsc::Sender<JobEvent>,
    cancel: &mut watch::Receiver<bool>,
) -> JobOutcome {
    if let Err(e) = docker.start_container(id, None).await {
        return failed_or_lost(e);
    }
    let mut logs = docker.logs(
        id,
        Some(LogsOptions {
            follow: true,
            stdout: true,
            stderr: true,
            ..Default::default()
        }),
    );
    let mut kept: Vec<u8> = Vec::new();
    loop {
        tokio::select! {
            biased;
            changed = cancel.changed() => {
                if changed.is_err() || *cancel.borrow() {
                    return JobOutcome::Interrupted { what: "run".into(), reason: "stopped by you".into() };
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
    let mut wait = docker.wait_container(
        id,
        Some(WaitContainerOptions {
            condition: "not-running".into(),
        }),
    );
    let exit_code = match wait.next().await {
        Some(Ok(r)) => r.status_code,
        Some(Err(bollard::errors::Error::DockerContainerWaitError { code, .. })) => code,
        Some(Err(e)) => return lost("run", e),
        None => {
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
        },
    }
}

async fn remove(docker: &Docker, id: &str) {
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
