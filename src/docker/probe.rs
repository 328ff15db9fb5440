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
        ProbeKind::Workdir => workdir_files(docker, &probe.image).await,
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

/// A container of `image` to read files from: created, never started, so
/// nothing in the image runs (its entrypoint names no program).
async fn never_started(docker: &Docker, image: &str) -> Result<String, ProbeAnswer> {
    docker
        .create_container(
            Some(CreateContainerOptions::default()),
            body(image, vec!["/nonexistent"]),
        )
        .await
        .map(|c| c.id)
        .map_err(|e| ProbeAnswer::Failed(e.to_string()))
}

/// Whether `path` exists in the image, read from a created (never started)
/// container: nothing in the image runs.
async fn file(docker: &Docker, image: &str, path: &str) -> ProbeAnswer {
    let id = match never_started(docker, image).await {
        Ok(id) => id,
        Err(failed) => return failed,
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

/// How much of a WORKDIR is read to compare it with the learner's files:
/// the guide's /app is a few hundred bytes; a WORKDIR of / is not read.
const WORKDIR_LIMIT: usize = 4 << 20;

/// The files under the image's WORKDIR and a digest of each, read as an
/// archive from a created (never started) container: nothing in the image
/// runs.
async fn workdir_files(docker: &Docker, image: &str) -> ProbeAnswer {
    let dir = match docker.inspect_image(image).await {
        Ok(i) => i
            .config
            .and_then(|c| c.working_dir)
            .filter(|d| !d.is_empty())
            .unwrap_or_else(|| "/".into()),
        Err(e) => return ProbeAnswer::Failed(e.to_string()),
    };
    if dir == "/" {
        return ProbeAnswer::Files {
            dir,
            files: Default::default(),
            complete: false,
        };
    }
    let id = match never_started(docker, image).await {
        Ok(id) => id,
        Err(failed) => return failed,
    };
    let mut stream = docker.download_from_container(
        &id,
        Some(bollard::query_parameters::DownloadFromContainerOptions { path: dir.clone() }),
    );
    let mut archive = Vec::new();
    let mut complete = true;
    let mut failed = None;
    while let Some(chunk) = stream.next().await {
        match chunk {
            Ok(bytes) => archive.extend_from_slice(&bytes),
            Err(e) => {
                failed = Some(e.to_string());
                break;
            }
        }
        if archive.len() > WORKDIR_LIMIT {
            complete = false;
            break;
        }
    }
    drop(stream);
    remove(docker, &id).await;
    if let Some(why) = failed {
        return ProbeAnswer::Failed(why);
    }
    let (files, read_all) = digests(&archive, &dir);
    ProbeAnswer::Files {
        dir,
        files,
        complete: complete && read_all,
    }
}

/// sha256 of every regular file in a `GET /containers/{id}/archive` of
/// `dir` (its members are named from the folder's own name: `app/app.py`).
/// `false` when the archive ended early.
fn digests(archive: &[u8], dir: &str) -> (std::collections::BTreeMap<String, String>, bool) {
    use sha2::{Digest, Sha256};
    use std::io::Read;
    let parent = dir
        .trim_end_matches('/')
        .rsplit_once('/')
        .map_or("", |(p, _)| p);
    let mut files = std::collections::BTreeMap::new();
    let mut tar = tar::Archive::new(archive);
    let Ok(entries) = tar.entries() else {
        return (files, false);
    };
    for entry in entries {
        let Ok(mut entry) = entry else {
            return (files, false);
        };
        if !entry.header().entry_type().is_file() {
            continue;
        }
        let Ok(name) = entry.path().map(|p| p.to_string_lossy().into_owned()) else {
            continue;
        };
        let mut content = Vec::new();
        if entry.read_to_end(&mut content).is_err() {
            return (files, false);
        }
        let hex: String = Sha256::digest(&content)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        files.insert(format!("{parent}/{}", name.trim_start_matches("./")), hex);
    }
    (files, true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_archive_of_the_workdir_gives_each_file_its_digest() {
        let mut b = tar::Builder::new(Vec::new());
        let mut dir = tar::Header::new_gnu();
        dir.set_entry_type(tar::EntryType::Directory);
        dir.set_size(0);
        dir.set_mode(0o755);
        b.append_data(&mut dir, "app/", std::io::empty()).unwrap();
        for (name, text) in [
            ("app/app.py", "print(\"Hello, Docker!\")\n"),
            ("app/lib/x.py", ""),
        ] {
            let mut h = tar::Header::new_gnu();
            h.set_size(text.len() as u64);
            h.set_mode(0o644);
            b.append_data(&mut h, name, text.as_bytes()).unwrap();
        }
        let archive = b.into_inner().unwrap();
        let (files, complete) = digests(&archive, "/srv/app");
        assert!(complete);
        assert_eq!(
            files.keys().collect::<Vec<_>>(),
            ["/srv/app/app.py", "/srv/app/lib/x.py"]
        );
        // sha256 of the empty file.
        assert_eq!(
            files["/srv/app/lib/x.py"],
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        // Cut short: what was read, and that it is not all.
        let (_, complete) = digests(&archive[..1000], "/srv/app");
        assert!(!complete);
    }
}
