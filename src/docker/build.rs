//! Building an image: pack the workspace as the CLI would, send it to the
//! builder this connection uses — BuildKit ([`super::buildkit`]) or the
//! classic builder ([`classic`]) — and turn what it says into progress,
//! output and a verdict that points at the Dockerfile line that failed.
//!
//! BuildKit falls back to the classic builder once, when its session
//! cannot be opened or the engine refuses it, and stays there for the rest
//! of the connection ([`BuilderState`]).

mod classic;

use std::path::Path;
use std::sync::{Arc, Mutex};

use bollard::Docker;
use bollard::query_parameters::BuildImageOptions;
use tokio::sync::mpsc;

use super::buildkit::{self, session::SessionProbe};
use crate::dockerfile::Dockerfile;
use crate::engine::{BuildFailure, BuildOptions, Builder, BuilderChoice, JobEvent, JobOutcome};

/// The builder a connection builds with. Shared by the builds of one
/// connection: a fallback to the classic builder is remembered.
#[derive(Debug, Clone)]
pub struct BuilderState {
    probe: SessionProbe,
    api_version: String,
    inner: Arc<Mutex<Chosen>>,
}

#[derive(Debug)]
struct Chosen {
    choice: BuilderChoice,
    /// A session opened once on this connection: no need to ask again.
    session_ok: bool,
}

impl BuilderState {
    pub fn new(choice: BuilderChoice, probe: SessionProbe, api_version: &str) -> BuilderState {
        BuilderState {
            probe,
            api_version: api_version.to_string(),
            inner: Arc::new(Mutex::new(Chosen {
                choice,
                session_ok: false,
            })),
        }
    }

    /// Another state for the same engine with this builder (tests and
    /// benchmarks that compare the two builders).
    pub fn with(&self, builder: Builder, why: &str) -> BuilderState {
        BuilderState::new(
            BuilderChoice::new(builder, why),
            self.probe.clone(),
            &self.api_version,
        )
    }

    pub fn choice(&self) -> BuilderChoice {
        self.lock().choice.clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Chosen> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// BuildKit needs a session: check once per connection that one opens.
    pub(super) async fn session_refused(&self) -> Option<String> {
        if self.lock().session_ok {
            return None;
        }
        match self.probe.check(&self.api_version).await {
            Ok(()) => {
                self.lock().session_ok = true;
                None
            }
            Err(reason) => Some(reason),
        }
    }

    pub(super) fn fall_back(&self, reason: &str) {
        self.lock().choice = BuilderChoice::new(
            Builder::Classic,
            format!("BuildKit was refused ({reason}); the classic builder for this session"),
        );
    }
}

/// `docker build -f DOCKERFILE -t TAG WORKDIR` (DOCKERFILE relative to the
/// workspace; `None` is `Dockerfile`), with the connection's builder.
pub async fn build(
    docker: &Docker,
    workdir: &Path,
    dockerfile_name: Option<&str>,
    tag: &str,
    builder: &BuilderState,
    events: &mpsc::Sender<JobEvent>,
) -> JobOutcome {
    let options = BuildOptions::default();
    build_with(
        docker,
        workdir,
        dockerfile_name,
        tag,
        &options,
        builder,
        events,
    )
    .await
}

/// [`build`] with a typed command's options; an empty `tag` leaves the
/// image unnamed, as `docker build .` does.
pub async fn build_with(
    docker: &Docker,
    workdir: &Path,
    dockerfile_name: Option<&str>,
    tag: &str,
    extra: &BuildOptions,
    builder: &BuilderState,
    events: &mpsc::Sender<JobEvent>,
) -> JobOutcome {
    let outcome = build_once(
        docker,
        workdir,
        dockerfile_name,
        tag,
        extra,
        builder,
        events,
    )
    .await;
    if let JobOutcome::Built {
        image_id: Some(id), ..
    } = &outcome
    {
        for more in &extra.more_tags {
            if let Err(e) = super::typed::tag(docker, id, more).await {
                return JobOutcome::BuildFailed(BuildFailure::plain(format!(
                    "built, but could not name it {more}: {e}"
                )));
            }
        }
    }
    outcome
}

async fn build_once(
    docker: &Docker,
    workdir: &Path,
    dockerfile_name: Option<&str>,
    tag: &str,
    extra: &BuildOptions,
    builder: &BuilderState,
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
    if builder.choice().builder == Builder::BuildKit
        && let Some(reason) = builder.session_refused().await
    {
        fall_back(builder, &reason, events).await;
    }
    let body = match pack(workdir, &name, events).await {
        Ok(body) => body,
        Err(failed) => return failed,
    };
    let options = BuildImageOptions {
        t: (!tag.is_empty()).then(|| tag.to_string()),
        dockerfile: name.clone(),
        rm: true,
        forcerm: true,
        nocache: extra.no_cache,
        pull: extra.pull.then(|| "1".to_string()),
        target: extra.target.clone().unwrap_or_default(),
        buildargs: (!extra.build_args.is_empty())
            .then(|| extra.build_args.clone().into_iter().collect()),
        // On a shared engine the learner's images carry their name, so that
        // tidying and the dangling-image check never touch another's.
        labels: super::learner::shared_label().map(|l| std::collections::HashMap::from([l])),
        ..Default::default()
    };
    if builder.choice().builder == Builder::Classic {
        return classic::build(docker, options, body, dockerfile.as_ref(), events).await;
    }
    if let Some(file) = ignored_build_file(&body) {
        // The classic engine drops an ignored Dockerfile or .dockerignore
        // after reading it, and so does the CLI's BuildKit. BuildKit reading
        // a packed context cannot: it would copy the file into the image.
        let line = format!(
            "\x1b[1m.dockerignore leaves out {file}: BuildKit would still copy it from the packed \
             context, so this build uses the classic builder, which leaves it out.\x1b[0m\n"
        );
        let _ = events.send(JobEvent::Output(line.into_bytes())).await;
        return classic::build(docker, options, body, dockerfile.as_ref(), events).await;
    }
    match buildkit::build(docker, options.clone(), body, dockerfile.as_ref(), events).await {
        buildkit::Ended::Done(outcome) => outcome,
        buildkit::Ended::Unsupported(reason) => {
            fall_back(builder, &reason, events).await;
            let body = match pack(workdir, &name, events).await {
                Ok(body) => body,
                Err(failed) => return failed,
            };
            classic::build(docker, options, body, dockerfile.as_ref(), events).await
        }
    }
}

/// The Dockerfile or `.dockerignore`, when `.dockerignore` excludes it
/// (the context still carries it: the builder must read it).
fn ignored_build_file(plan: &crate::context::ContextPlan) -> Option<String> {
    [plan.dockerfile.as_str(), ".dockerignore"]
        .into_iter()
        .find(|f| {
            plan.dockerignore.matches_single_parent(f).unwrap_or(false)
                && plan.entries.iter().any(|e| e.path_str() == *f)
        })
        .map(str::to_string)
}

/// Says so in the output, and remembers it for the connection.
async fn fall_back(builder: &BuilderState, reason: &str, events: &mpsc::Sender<JobEvent>) {
    builder.fall_back(reason);
    let line = format!(
        "\x1b[1mBuildKit is not available ({reason}): building with the classic builder, \
         and staying with it while docktutor is connected to this engine.\x1b[0m\n"
    );
    let _ = events.send(JobEvent::Output(line.into_bytes())).await;
}

/// Plans the context (what `.dockerignore` leaves in) and reports its size;
/// the builder streams it as the request body.
async fn pack(
    workdir: &Path,
    dockerfile: &str,
    events: &mpsc::Sender<JobEvent>,
) -> Result<crate::context::ContextPlan, JobOutcome> {
    let workdir_owned = workdir.to_path_buf();
    let plan_name = dockerfile.to_string();
    let plan =
        match tokio::task::spawn_blocking(move || crate::context::plan(&workdir_owned, &plan_name))
            .await
        {
            Ok(Ok(plan)) => plan,
            Ok(Err(e)) => return Err(JobOutcome::BuildFailed(BuildFailure::plain(e.to_string()))),
            Err(e) => return Err(JobOutcome::BuildFailed(BuildFailure::plain(e.to_string()))),
        };
    let _ = events
        .send(JobEvent::Context {
            files: plan.file_count as u64,
            bytes: plan.total_bytes,
            advice: crate::context::advice(&plan),
        })
        .await;
    Ok(plan)
}

/// Puts the engine's error next to the Dockerfile line it came from, says
/// in plain words what went wrong, and adds advice for the errors learners
/// meet most. The same for both builders: their messages differ, the
/// causes do not.
pub(super) fn failure(message: &str, step: Option<usize>, df: Option<&Dockerfile>) -> BuildFailure {
    let raw = message.trim().to_string();
    let from_parser = parse_error_line(&raw);
    let (line, instruction) = match (from_parser, step.and_then(|k| df.and_then(|d| d.step(k)))) {
        (Some(line), _) => (Some(line), None),
        (None, Some(instr)) => (
            Some(instr.line),
            Some(format!("{} {}", instr.keyword, instr.args)),
        ),
        (None, None) => (None, None),
    };
    let message = match cause(&raw, instruction.as_deref()) {
        Some(plain) => format!("{plain}\nthe builder said: {raw}"),
        None => raw.clone(),
    };
    BuildFailure {
        advice: advice_for(&raw, instruction.as_deref()),
        message,
        step,
        line,
        instruction,
    }
}

/// "dockerfile parse error line 3: unknown instruction: RUNN" → 3 (newer
/// engines say "parse error on line 3").
fn parse_error_line(message: &str) -> Option<usize> {
    let at = ["parse error line ", "parse error on line "]
        .iter()
        .find_map(|p| message.find(p).map(|i| i + p.len()))?;
    let digits: String = message[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

fn is_pull_failure(m: &str) -> bool {
    m.contains("pull access denied")
        || m.contains("lookup registry")
        || m.contains("no such host")
        || m.contains("dial tcp")
        || m.contains("i/o timeout")
        || m.contains("failed to resolve source metadata")
        || (m.contains("manifest") && m.contains("not found"))
}

fn is_missing_source(m: &str) -> bool {
    m.contains("copy failed")
        || m.contains("no such file or directory")
        || m.contains("failed to compute cache key")
        || m.contains("failed to calculate checksum")
        || m.contains("not found: not found")
}

/// The exit code of a failed RUN, from either builder's words:
/// `returned a non-zero code: 2`, `exit code: 2`.
fn exit_code(m: &str) -> Option<String> {
    let at = ["returned a non-zero code: ", "exit code: "]
        .iter()
        .find_map(|p| m.rfind(p).map(|i| i + p.len()))?;
    let digits: String = m[at..].chars().take_while(char::is_ascii_digit).collect();
    (!digits.is_empty()).then_some(digits)
}

/// What happened, in a learner's words.
fn cause(raw: &str, instruction: Option<&str>) -> Option<String> {
    let m = raw.to_lowercase();
    let keyword = instruction.and_then(|i| i.split_whitespace().next());
    if is_pull_failure(&m) {
        let image = instruction
            .filter(|_| keyword == Some("FROM"))
            .and_then(|i| i.split_whitespace().skip(1).find(|w| !w.starts_with("--")));
        return Some(match image {
            Some(image) => format!("the base image {image} is not here and could not be pulled"),
            None => "an image could not be pulled".into(),
        });
    }
    if let Some(code) = exit_code(&m) {
        return Some(format!("the RUN command exited with code {code}"));
    }
    if is_missing_source(&m) {
        let path = quoted_path(raw);
        let from = instruction.and_then(|i| {
            i.split_whitespace()
                .find_map(|w| w.strip_prefix("--from="))
                .map(str::to_string)
        });
        return Some(match (path, from) {
            (Some(p), Some(stage)) => {
                format!("{p} does not exist in {stage}, the stage it is copied from")
            }
            (None, Some(stage)) => format!("a path copied from {stage} does not exist there"),
            (Some(p), None) => format!("{p} is not in the build context (the project folder)"),
            (None, None) => {
                "a file to copy is not in the build context (the project folder)".into()
            }
        });
    }
    if m.contains("unknown instruction") {
        let word = raw.rsplit("unknown instruction:").next().map(str::trim);
        return Some(format!(
            "{} is not a Dockerfile instruction",
            word.unwrap_or("that word")
        ));
    }
    None
}

/// `"/nope.txt" not found` or `stat nope.txt: file does not exist` → the path.
fn quoted_path(raw: &str) -> Option<String> {
    if let Some(start) = raw.find('"') {
        let rest = &raw[start + 1..];
        if let Some(end) = rest.find('"') {
            let p = &rest[..end];
            if !p.contains(' ') && !p.is_empty() {
                return Some(p.trim_start_matches('/').to_string());
            }
        }
    }
    let rest = &raw[raw.find("stat ")? + 5..];
    let (p, _) = rest.split_once(':')?;
    Some(p.trim().to_string())
}

fn advice_for(message: &str, instruction: Option<&str>) -> Option<String> {
    let m = message.to_lowercase();
    let from_stage = instruction.is_some_and(|i| i.contains("--from"));
    if is_pull_failure(&m) {
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
    } else if from_stage && is_missing_source(&m) {
        Some("the path does not exist in the stage it is copied from: check what that stage really creates (and where)".into())
    } else if is_missing_source(&m) {
        Some("a file the Dockerfile copies is not in the project folder (or .dockerignore excludes it)".into())
    } else if exit_code(&m).is_some() {
        Some("a RUN command failed; its output is just above".into())
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn buildkit_failures_read_as_well_as_classic_ones() {
        let df = Dockerfile::parse(
            "FROM python:3.9-slim AS b\nRUN true\nFROM docktutor-nope:1.0\nCOPY nope.txt ./\nCOPY --from=b /root/.local /x\nRUN pip install x\n",
        )
        .unwrap();
        let f = failure(
            "failed to compute cache key: \"/nope.txt\" not found: not found",
            Some(4),
            Some(&df),
        );
        assert_eq!(f.line, Some(4));
        assert!(
            f.message
                .starts_with("nope.txt is not in the build context"),
            "{}",
            f.message
        );
        assert!(f.advice.unwrap().contains("not in the project folder"));

        let f = failure(
            "failed to compute cache key: \"/root/.local\" not found: not found",
            Some(5),
            Some(&df),
        );
        assert!(
            f.message.starts_with("root/.local does not exist in b"),
            "{}",
            f.message
        );
        assert!(f.advice.unwrap().contains("stage it is copied from"));

        let f = failure(
            "executor failed running [/bin/sh -c pip install x]: exit code: 1",
            Some(6),
            Some(&df),
        );
        assert_eq!(f.line, Some(6));
        assert!(
            f.message
                .starts_with("the RUN command exited with code 1\n"),
            "{}",
            f.message
        );

        let f = failure(
            "failed to solve with frontend dockerfile.v0: failed to create LLB definition: failed to do request: Head \"https://registry-1.docker.io/v2/library/docktutor-nope/manifests/1.0\": dial tcp: lookup registry-1.docker.io: no such host",
            Some(3),
            Some(&df),
        );
        assert_eq!(f.line, Some(3));
        assert!(
            f.message.starts_with(
                "the base image docktutor-nope:1.0 is not here and could not be pulled"
            ),
            "{}",
            f.message
        );
        assert!(f.advice.unwrap().contains("docktutor load"));

        let f = failure(
            "failed to solve with frontend dockerfile.v0: failed to create LLB definition: dockerfile parse error line 2: unknown instruction: COPPY",
            None,
            None,
        );
        assert_eq!(f.line, Some(2));
        assert!(
            f.message
                .starts_with("COPPY is not a Dockerfile instruction"),
            "{}",
            f.message
        );
        // Newer engines say "on line".
        assert_eq!(
            parse_error_line("dockerfile parse error on line 9: x"),
            Some(9)
        );
    }
}
