//! Probes: finding out what a check needs by doing — the uid a container of
//! an image really runs as, or whether a file is inside an image. Each uses
//! a labelled throwaway container with no network, removed afterwards.

use bollard::Docker;
use bollard::models::{ContainerCreateBody, HostConfig};
use bollard::query_parameters::{
    ContainerArchiveInfoOptions, CreateContainerOptions, LogsOptions, WaitContainerOptions,
};
use futures_util::StreamExt;

use super::run::{labels, remove};
use crate::engine::{Probe, ProbeAnswer, ProbeKind, ProbeResult};

pub async fn probe(docker: &Docker, probe: &Probe, image_id: &str) -> ProbeResult {
    let answer = match &probe.kind {
        ProbeKind::Uid => uid(docker, &probe.image).await,
        ProbeKind::File(path) => file(docker, &probe.image, path).await,
    };
    ProbeResult {
        image_id: image_id.to_string(),
        answer,
    }
}

fn body(image: &str, entrypoint: Vec<&str>) -> ContainerCreateBody {
    ContainerCreateBody {
        image: Some(image.to_string()),
        entrypoint: Some(entrypoint.into_iter().map(str::to_string).collect()),
        cmd: Some(vec![]),
        labels: Some(labels()),
        network_disabled: Some(true),
        host_config: Some(HostConfig {
            network_mode: Some("none".into()),
            ..Default::default()
        }),
        ..Default::default()
    }
}

/// `id -u` in a container of the image (its USER applies); images without
/// `id` (distroless) are asked through Python instead.
async fn uid(docker: &Docker, image: &str) -> ProbeAnswer {
    let mut last_error = String::new();
    for entrypoint in [
        vec!["id", "-u"],
        vec!["python3", "-c", "import os; print(os.getuid())"],
    ] {
        match run_for_output(docker, body(image, entrypoint)).await {
            Ok((0, out)) => match out.trim().parse() {
                Ok(uid) => return ProbeAnswer::Uid(uid),
                Err(_) => last_error = format!("unexpected answer {:?}", out.trim()),
            },
            Ok((code, out)) => last_error = format!("exited {code}: {}", out.trim()),
            Err(e) => last_error = e,
        }
    }
    ProbeAnswer::Failed(format!(
        "could not ask the container for its uid ({last_error})"
    ))
}

async fn run_for_output(
    docker: &Docker,
    body: ContainerCreateBody,
) -> Result<(i64, String), String> {
    let id = docker
        .create_container(Some(CreateContainerOptions::default()), body)
        .await
        .map_err(|e| e.to_string())?
        .id;
    let result = async {
        docker
            .start_container(&id, None)
            .await
            .map_err(|e| e.to_string())?;
        let code = match docker
            .wait_container(
                &id,
                Some(WaitContainerOptions {
                    condition: "not-running".into(),
                }),
            )
            .next()
            .await
        {
            Some(Ok(r)) => r.status_code,
            Some(Err(bollard::errors::Error::DockerContainerWaitError { code, .. })) => code,
            Some(Err(e)) => return Err(e.to_string()),
            None => return Err("no exit code".into()),
        };
        let mut logs = docker.logs(
            &id,
            Some(LogsOptions {
                stdout: true,
                stderr: true,
                ..Default::default()
            }),
        );
        let mut out = Vec::new();
        while let Some(Ok(chunk)) = logs.next().await {
            out.extend_from_slice(&chunk.into_bytes());
        }
        Ok((code, String::from_utf8_lossy(&out).into_owned()))
    }
    .await;
    remove(docker, &id).await;
    result
}

/// Whether `path` exists in the image, read from a created (never started)
/// container: nothing in the image runs.
async fn file(docker: &Docker, image: &str, path: &str) -> ProbeAnswer {
    let id = match docker
        .create_container(
            Some(CreateContainerOptions::default()),
            body(image, vec!["/nonexistent"]),
        )
        .await
    {
        Ok(c) => c.id,
        Err(e) => return ProbeAnswer::Failed(e.to_string()),
    };
    let stat = docker
        .get_container_archive_info(
            &id,
            Some(ContainerArchiveInfoOptions {
                path: path.to_string(),
            }),
        )
        .await;
    remove(docker, &id).await;
    match stat {
        Ok(_) => ProbeAnswer::Exists(true),
        Err(bollard::errors::Error::DockerResponseServerError {
            status_code: 404, ..
        }) => ProbeAnswer::Exists(false),
        Err(e) => ProbeAnswer::Failed(e.to_string()),
    }
}
