//! The classic (legacy) builder's stream: `Step 3/6 : COPY …` lines become
//! the step counter, `---> Using cache` marks a cached step, and an error
//! is put next to the Dockerfile line of the step it stopped at.

use std::collections::HashMap;

use bollard::Docker;
use bollard::query_parameters::BuildImageOptions;
use futures_util::StreamExt;
use tokio::sync::mpsc;

use super::failure;
use crate::dockerfile::Dockerfile;
use crate::engine::{BuildStep, JobEvent, JobOutcome};

pub async fn build(
    docker: &Docker,
    options: BuildImageOptions,
    context: crate::context::ContextPlan,
    dockerfile: Option<&Dockerfile>,
    events: &mpsc::Sender<JobEvent>,
) -> JobOutcome {
    let tag = options.t.clone().unwrap_or_default();
    let mut stream = docker.build_image(
        options,
        None::<HashMap<_, _>>,
        Some(bollard::body_try_stream(crate::docker::tar_stream::body(
            context,
        ))),
    );
    let mut step: Option<usize> = None;
    let mut steps: Vec<BuildStep> = Vec::new();
    let mut image_id = None;
    while let Some(item) = stream.next().await {
        match item {
            Ok(info) => {
                if let Some(text) = info.stream {
                    for line in text.split_inclusive('\n') {
                        if let Some((k, n, instruction)) = parse_step(line) {
                            step = Some(k);
                            steps.push(BuildStep {
                                n: k,
                                instruction: instruction.to_string(),
                                cached: false,
                            });
                            let _ = events
                                .send(JobEvent::Step {
                                    current: k,
                                    total: n,
                                })
                                .await;
                        }
                        if is_cache_hit(line)
                            && let Some(k) = step
                        {
                            if let Some(s) = steps.last_mut() {
                                s.cached = true;
                            }
                            let _ = events.send(JobEvent::Cached { step: k }).await;
                        }
                        if let Some(id) = line.trim().strip_prefix("Successfully built ") {
                            image_id = Some(id.trim().to_string());
                        }
                    }
                    let _ = events.send(JobEvent::Output(text.into_bytes())).await;
                }
                if let Some(status) = info.status {
                    // Pull progress for a missing base image.
                    let id = info.id.map(|i| format!("{i}: ")).unwrap_or_default();
                    let _ = events
                        .send(JobEvent::Output(format!("{id}{status}\n").into_bytes()))
                        .await;
                }
                if let Some(bollard::models::BuildInfoAux::Default(aux)) = info.aux
                    && let Some(id) = aux.id
                {
                    image_id = Some(id);
                }
            }
            Err(bollard::errors::Error::DockerStreamError { error }) => {
                return JobOutcome::BuildFailed(failure(&error, step, dockerfile));
            }
            Err(e) => return interrupted_or_failed(e, step, dockerfile),
        }
    }
    JobOutcome::Built {
        tag,
        image_id,
        steps,
    }
}

fn interrupted_or_failed(
    e: bollard::errors::Error,
    step: Option<usize>,
    df: Option<&Dockerfile>,
) -> JobOutcome {
    use bollard::errors::Error as E;
    match e {
        E::DockerResponseServerError { message, .. } => {
            JobOutcome::BuildFailed(failure(&message, step, df))
        }
        other => JobOutcome::Interrupted {
            what: "build".into(),
            reason: format!("the connection to the engine broke ({other})"),
        },
    }
}

/// A step header of the classic builder, "Step 3/6 : COPY …", or of
/// Podman's (Buildah), "STEP 3/6: COPY …" → (3, 6, "COPY …").
pub fn parse_step(line: &str) -> Option<(usize, usize, &str)> {
    let line = line.trim_start();
    let rest = line
        .strip_prefix("Step ")
        .or_else(|| line.strip_prefix("STEP "))?;
    let (frac, instruction) = rest.split_once(':')?;
    let (k, n) = frac.trim().split_once('/')?;
    Some((
        k.trim().parse().ok()?,
        n.trim().parse().ok()?,
        instruction.trim(),
    ))
}

/// "---> Using cache" (classic) or "--> Using cache 93b7…" (Podman).
fn is_cache_hit(line: &str) -> bool {
    let line = line.trim();
    line == "---> Using cache" || line.starts_with("--> Using cache")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_are_parsed() {
        assert_eq!(
            parse_step("Step 3/6 : COPY requirements.txt ./\n"),
            Some((3, 6, "COPY requirements.txt ./"))
        );
        assert_eq!(parse_step(" ---> Using cache"), None);
        assert_eq!(parse_step("Step x/6 : FROM"), None);
    }

    #[test]
    fn podman_steps_and_cache_hits_are_read_too() {
        assert_eq!(
            parse_step("STEP 5/9: RUN pip install --no-cache-dir -r requirements.txt\n"),
            Some((5, 9, "RUN pip install --no-cache-dir -r requirements.txt"))
        );
        assert!(is_cache_hit(
            "--> Using cache 93b76a175e65e6a393562e60025c7c284e135ed3770a0c0d0d97409584267b7a\n"
        ));
        assert!(is_cache_hit(" ---> Using cache\n"));
        assert!(!is_cache_hit("--> 93b76a175e6\n"));
    }
}
