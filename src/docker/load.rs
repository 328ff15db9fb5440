//! Loading a saved image file (`docker save … -o file.tar`) into the
//! engine, for classrooms without a registry. Streamed from disk with
//! progress, like `docker load -i`.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use bollard::Docker;
use bollard::query_parameters::ImportImageOptions;
use bytes::Bytes;
use futures_util::StreamExt;
use tokio::io::AsyncReadExt;
use tokio::sync::mpsc;

use crate::engine::{JobEvent, JobOutcome};

const CHUNK: usize = 1 << 20;

pub async fn load(docker: &Docker, path: &Path, events: &mpsc::Sender<JobEvent>) -> JobOutcome {
    let failed = |message: String| JobOutcome::LoadFailed { message };
    // "~/Downloads/python.tar", as a learner types it.
    let path = &match (path.strip_prefix("~"), std::env::home_dir()) {
        (Ok(rest), Some(home)) => home.join(rest),
        _ => path.to_path_buf(),
    };
    let file = match tokio::fs::File::open(path).await {
        Ok(f) => f,
        Err(e) => return failed(format!("cannot open {}: {e}", path.display())),
    };
    let total = file.metadata().await.map(|m| m.len()).unwrap_or(0);
    let sent = Arc::new(AtomicU64::new(0));
    let counter = sent.clone();
    let body = futures_util::stream::unfold(file, move |mut file| {
        let counter = counter.clone();
        async move {
            let mut buf = vec![0u8; CHUNK];
            match file.read(&mut buf).await {
                Ok(0) => None,
                Ok(n) => {
                    buf.truncate(n);
                    counter.fetch_add(n as u64, Ordering::Relaxed);
                    Some((Ok::<Bytes, std::io::Error>(Bytes::from(buf)), file))
                }
                Err(e) => Some((Err(e), file)),
            }
        }
    });
    let mut stream = docker.import_image(
        ImportImageOptions {
            quiet: false,
            ..Default::default()
        },
        bollard::body_try_stream(body),
        None::<HashMap<String, bollard::auth::DockerCredentials>>,
    );
    let mut loaded = Vec::new();
    let mut last_pct = u64::MAX;
    let mut ticker = tokio::time::interval(std::time::Duration::from_millis(200));
    loop {
        tokio::select! {
            _ = ticker.tick() => {
                let done = sent.load(Ordering::Relaxed);
                let pct = (done * 100).checked_div(total).unwrap_or(0);
                if pct != last_pct {
                    last_pct = pct;
                    let _ = events.send(JobEvent::Progress { done, total }).await;
                }
            }
            item = stream.next() => match item {
                Some(Ok(info)) => {
                    if let Some(text) = info.stream {
                        for line in text.lines() {
                            if let Some(name) = line.strip_prefix("Loaded image: ").or_else(|| line.strip_prefix("Loaded image ID: ")) {
                                loaded.push(name.trim().to_string());
                            }
                        }
                        let _ = events.send(JobEvent::Output(text.into_bytes())).await;
                    }
                }
                Some(Err(bollard::errors::Error::DockerStreamError { error })) => return failed(error),
                Some(Err(bollard::errors::Error::DockerResponseServerError { message, .. })) => {
                    return failed(format!("the engine refused {}: {message}", path.display()));
                }
                Some(Err(e)) => {
                    return JobOutcome::Interrupted { what: "load".into(), reason: format!("the connection to the engine broke ({e})") };
                }
                None => break,
            }
        }
    }
    let _ = events.send(JobEvent::Progress { done: total, total }).await;
    if loaded.is_empty() {
        failed(format!(
            "{} held no image (is it a file made by docker save?)",
            path.display()
        ))
    } else {
        JobOutcome::Loaded { images: loaded }
    }
}
