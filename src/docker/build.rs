//! Building an image: pack the workspace as the CLI would, stream it to the
//! engine's legacy builder, and turn the builder's messages into progress,
//! output and a verdict that points at the Dockerfile line that failed.

use std::collections::HashMap;
use std::path::Path;

use bollard::Docker;
use bollard::query_parameters::BuildImageOptions;
use futures_util::StreamExt;
use tokio::sync::mpsc;

use crate::dockerfile::Dockerfile;
use crate::engine::{BuildFailure, BuildStep, JobEvent, JobOutcome};

/// `docker build -f DOCKERFILE -t TAG WORKDIR` (DOCKERFILE relative to the
/// workspace; `None` is `Dockerfile`).
pub async fn build(
    docker: &Docker,
    workdir: &Path,
    dockerfile_name: Option<&str>,
    tag: &str,
    events: &mpsc::Sender<JobEvent>,
) -> JobOutcome {
    let name = dockerfile_name.unwrap_or("Dockerfile").to_string();
    let dockerfile_text = match std::fs::read_to_string(workdir.join(&name)) {
        Ok(t) => t,
        Err(e) => {
            return JobOutcome::BuildFailed(BuildFailure {
                advice: Some(format!(
                    "write {name} in the project folder (the lesson shows it; s shows the solution, w writes missing starters)"
                )),
                ..BuildFailure::plain(format!(
                    "cannot read {}: {e}",
                    workdir.join(&name).display()
                ))
            });
        }
    };
    let dockerfile = Dockerfile::parse(&dockerfile_text).ok();

    let workdir_owned = workdir.to_path_buf();
    let plan_name = name.clone();
    let plan =
        match tokio::task::spawn_blocking(move || crate::context::plan(&workdir_owned, &plan_name))
            .await
        {
            Ok(Ok(plan)) => plan,
            Ok(Err(e)) => return JobOutcome::BuildFailed(BuildFailure::plain(e.to_string())),
            Err(e) => return JobOutcome::BuildFailed(BuildFailure::plain(e.to_string())),
        };
    let _ = events
        .send(JobEvent::Context {
            files: plan.file_count as u64,
            bytes: plan.total_bytes,
            advice: crate::context::advice(&plan),
        })
        .await;

    let body = bollard::body_try_stream(super::tar_stream::body(plan));
    let options = BuildImageOptions {
        t: Some(tag.to_string()),
        dockerfile: name.clone(),
        rm: true,
        forcerm: true,
        ..Default::default()
    };
    let mut stream = docker.build_image(options, None::<HashMap<_, _>>, Some(body));
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
                if let Some(aux) = info.aux
                    && let Some(id) = aux.id
                {
                    image_id = Some(id);
                }
            }
            Err(bollard::errors::Error::DockerStreamError { error }) => {
                return JobOutcome::BuildFailed(failure(&error, step, dockerfile.as_ref()));
            }
            Err(e) => return interrupted_or_failed(e, step, dockerfile.as_ref()),
        }
    }
    JobOutcome::Built {
        tag: tag.to_string(),
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

/// Puts the engine's error next to the Dockerfile line it came from, and
/// adds advice for the errors learners meet most.
fn failure(message: &str, step: Option<usize>, df: Option<&Dockerfile>) -> BuildFailure {
    let message = message.trim().to_string();
    let from_parser = parse_error_line(&message);
    let (line, instruction) = match (from_parser, step.and_then(|k| df.and_then(|d| d.step(k)))) {
        (Some(line), _) => (Some(line), None),
        (None, Some(instr)) => (
            Some(instr.line),
            Some(format!("{} {}", instr.keyword, instr.args)),
        ),
        (None, None) => (None, None),
    };
    BuildFailure {
        advice: advice_for(&message, instruction.as_deref()),
        message,
        step,
        line,
        instruction,
    }
}

/// "dockerfile parse error line 3: unknown instruction: RUNN" → 3.
fn parse_error_line(message: &str) -> Option<usize> {
    let rest = &message[message.find("parse error line ")? + "parse error line ".len()..];
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

fn advice_for(message: &str, instruction: Option<&str>) -> Option<String> {
    let m = message.to_lowercase();
    let from_stage = instruction.is_some_and(|i| i.contains("--from"));
    if m.contains("pull access denied")
        || m.contains("lookup registry")
        || m.contains("no such host")
        || m.contains("dial tcp")
        || m.contains("i/o timeout")
        || (m.contains("manifest") && m.contains("not found"))
    {
        Some(
            "the base image could not be pulled (no registry reachable?). Ask for a saved image \
             and load it: docktutor load python.tar (made with docker save python:3.9-slim -o python.tar)"
                .into(),
        )
    } else if m.contains("unknown instruction") {
        Some(
            "check the spelling of the instruction on that line (FROM, WORKDIR, COPY, RUN, CMD…)"
                .into(),
        )
    } else if from_stage && (m.contains("copy failed") || m.contains("no such file")) {
        Some("the path does not exist in the stage it is copied from: check what that stage really creates (and where)".into())
    } else if m.contains("copy failed") || m.contains("no such file or directory") {
        Some("a file the Dockerfile copies is not in the project folder (or .dockerignore excludes it)".into())
    } else if m.contains("returned a non-zero code") {
        Some("a RUN command failed; its output is just above".into())
    } else {
        None
    }
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

    #[test]
    fn failure_points_at_the_dockerfile_line() {
        let df = Dockerfile::parse("FROM python:3.9-slim\nWORKDIR /app\n\nRUN pip install nope\n")
            .unwrap();
        let f = failure(
            "The command '/bin/sh -c pip install nope' returned a non-zero code: 1",
            Some(3),
            Some(&df),
        );
        assert_eq!(f.line, Some(4));
        assert_eq!(f.instruction.as_deref(), Some("RUN pip install nope"));
        assert!(f.advice.unwrap().contains("RUN command failed"));
    }

    #[test]
    fn parser_errors_carry_their_own_line() {
        let f = failure(
            "dockerfile parse error line 7: unknown instruction: RUNN",
            None,
            None,
        );
        assert_eq!(f.line, Some(7));
        assert!(f.advice.unwrap().contains("spelling"));
    }

    #[test]
    fn a_failed_copy_from_a_stage_is_not_blamed_on_the_project_folder() {
        let df =
            Dockerfile::parse("FROM a:1 AS b\nFROM c:2\nCOPY --from=b /root/.local /root/.local\n")
                .unwrap();
        let f = failure(
            "COPY failed: stat root/.local: file does not exist",
            Some(3),
            Some(&df),
        );
        assert!(f.advice.unwrap().contains("stage it is copied from"));
    }

    #[test]
    fn pull_failures_point_to_offline_loading() {
        let f = failure(
            "pull access denied for python, repository does not exist or may require 'docker login'",
            Some(1),
            None,
        );
        assert!(f.advice.unwrap().contains("docktutor load"));
    }
}
