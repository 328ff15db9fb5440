//! Building with BuildKit: the same packed context as the classic builder,
//! sent to `/build?version=2` with a session, and BuildKit's solve status
//! turned into what the app shows and remembers — the CLI's plain output
//! ([`plain`]), the step counter, cached steps and the steps of the build
//! record ([`Tracker`]), and a failure that names the Dockerfile line
//! ([`steps`]).

pub mod plain;
pub mod session;
pub mod steps;

use std::collections::{BTreeMap, HashMap};

use bollard::Docker;
use bollard::moby::buildkit::v1::StatusResponse;
use bollard::models::{BuildInfoAux, ImageId};
use bollard::query_parameters::{BuildImageOptions, BuilderVersion};
use futures_util::StreamExt;
use tokio::sync::mpsc;

use crate::dockerfile::Dockerfile;
use crate::engine::{BuildStep, JobEvent, JobOutcome};
use plain::{Log, Plain, Status, Update, Vertex};

/// How a BuildKit build ended.
pub enum Ended {
    Done(JobOutcome),
    /// The engine would not build with BuildKit at all (nothing ran): the
    /// reason, for the classic builder to take over.
    Unsupported(String),
}

pub async fn build(
    docker: &Docker,
    options: BuildImageOptions,
    context: crate::context::ContextPlan,
    dockerfile: Option<&Dockerfile>,
    events: &mpsc::Sender<JobEvent>,
) -> Ended {
    let tag = options.t.clone().unwrap_or_default();
    let options = BuildImageOptions {
        version: BuilderVersion::BuilderBuildKit,
        session: Some(session_id()),
        ..options
    };
    let body = bollard::body_try_stream(super::tar_stream::body(context));
    let mut stream = docker.build_image(options, None::<HashMap<_, _>>, Some(body));
    let mut plain = Plain::new();
    let mut tracker = Tracker::new(dockerfile);
    let mut image_id = None;
    let say = |text: String| JobEvent::Output(text.into_bytes());
    let error = loop {
        let Some(item) = stream.next().await else {
            break None;
        };
        match item {
            Ok(info) => {
                match info.aux {
                    Some(BuildInfoAux::BuildKit(status)) => {
                        let update = convert(status);
                        let text = plain.update(&update);
                        if !text.is_empty() {
                            let _ = events.send(say(text)).await;
                        }
                        for ev in tracker.update(&update) {
                            let _ = events.send(ev).await;
                        }
                    }
                    Some(BuildInfoAux::Default(ImageId { id: Some(id) })) => image_id = Some(id),
                    _ => {}
                }
                // An engine that ignored version=2 answers as the classic
                // builder does: show it as it comes. After BuildKit's own
                // progress, the engine's extra "Successfully tagged" only
                // repeats its "naming to" line, which the CLI shows alone.
                if let Some(mut text) = info.stream.filter(|_| !plain.seen_any()) {
                    if !text.ends_with('\n') {
                        text.push('\n');
                    }
                    let _ = events.send(say(text)).await;
                }
            }
            Err(bollard::errors::Error::DockerStreamError { error }) => break Some(error),
            Err(bollard::errors::Error::DockerResponseServerError { message, .. }) => {
                break Some(message);
            }
            Err(other) => {
                return Ended::Done(JobOutcome::Interrupted {
                    what: "build".into(),
                    reason: format!("the connection to the engine broke ({other})"),
                });
            }
        }
    };
    let rest = plain.finish();
    if !rest.is_empty() {
        let _ = events.send(say(rest)).await;
    }
    let Some(message) = error else {
        return Ended::Done(JobOutcome::Built {
            tag,
            image_id,
            steps: tracker.steps(),
        });
    };
    if !tracker.ran_anything() && refuses_buildkit(&message) {
        return Ended::Unsupported(message.trim().to_string());
    }
    let (step, failed) = match &tracker.failed {
        Some((digest, name)) => {
            if let Some(text) = plain.error_box(digest) {
                let _ = events.send(say(text)).await;
            }
            (tracker.step_of(name), Some(name.as_str()))
        }
        None => (None, None),
    };
    let mut failure = super::build::failure(&message, step, dockerfile);
    if failure.line.is_none()
        && let Some(name) = failed
    {
        // A failed vertex that is not an instruction ([internal] …) still
        // says what it was doing.
        failure.instruction = Some(name.to_string());
    }
    Ended::Done(JobOutcome::BuildFailed(failure))
}

/// The engine says it cannot build with BuildKit (a Windows engine, an
/// old one, BuildKit switched off) or cannot reach the session.
fn refuses_buildkit(message: &str) -> bool {
    let m = message.to_lowercase();
    (m.contains("buildkit") && (m.contains("not supported") || m.contains("not enabled")))
        || m.contains("no active session")
        || m.contains("session not found")
}

fn session_id() -> String {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    format!(
        "docktutor-{}-{nanos}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    )
}

/// A protobuf timestamp as seconds since the epoch (a macro: the type
/// lives in a crate we do not name).
macro_rules! seconds {
    ($t:expr) => {
        $t.map(|t| t.seconds as f64 + f64::from(t.nanos) / 1e9)
    };
}

fn convert(s: StatusResponse) -> Update {
    Update {
        vertexes: s
            .vertexes
            .into_iter()
            .map(|v| Vertex {
                digest: v.digest,
                name: v.name,
                cached: v.cached,
                started: seconds!(v.started),
                completed: seconds!(v.completed),
                error: v.error,
            })
            .collect(),
        statuses: s
            .statuses
            .into_iter()
            .map(|s| Status {
                id: s.id,
                vertex: s.vertex,
                current: s.current,
                total: s.total,
                timestamp: seconds!(s.timestamp),
                started: seconds!(s.started),
                completed: seconds!(s.completed),
            })
            .collect(),
        logs: s
            .logs
            .into_iter()
            .map(|l| Log {
                vertex: l.vertex,
                timestamp: seconds!(l.timestamp),
                msg: l.msg,
            })
            .collect(),
    }
}

/// What the app keeps from a BuildKit build: which instructions ran or came
/// from the cache (by the classic builder's step numbers), and which vertex
/// failed.
#[derive(Debug)]
pub struct Tracker {
    dockerfile: Option<Dockerfile>,
    /// By vertex digest.
    steps: HashMap<String, BuildStep>,
    /// Each stage's instruction count (`n` of `[k/n]`), by stage name.
    totals: BTreeMap<String, usize>,
    started: usize,
    /// The first vertex that failed: digest and name.
    pub failed: Option<(String, String)>,
}

impl Tracker {
    pub fn new(dockerfile: Option<&Dockerfile>) -> Tracker {
        Tracker {
            dockerfile: dockerfile.cloned(),
            steps: HashMap::new(),
            totals: BTreeMap::new(),
            started: 0,
            failed: None,
        }
    }

    /// The step counter and cache events this update brings.
    pub fn update(&mut self, update: &Update) -> Vec<JobEvent> {
        let mut events = Vec::new();
        for v in &update.vertexes {
            if !v.error.is_empty() && !v.error.contains("context canceled") && self.failed.is_none()
            {
                self.failed = Some((v.digest.clone(), v.name.clone()));
            }
            let begun = v.started.is_some() || v.completed.is_some() || v.cached;
            let Some(name) = steps::parse(&v.name).filter(|_| begun) else {
                continue;
            };
            if !self.steps.contains_key(&v.digest) {
                let n = self.step_of(&v.name).unwrap_or(name.k);
                self.totals
                    .insert(name.stage.clone().unwrap_or_default(), name.n);
                self.started += 1;
                self.steps.insert(
                    v.digest.clone(),
                    BuildStep {
                        n,
                        instruction: name.instruction.clone(),
                        cached: false,
                    },
                );
                events.push(JobEvent::Step {
                    current: self.started,
                    total: self.totals.values().sum(),
                });
            }
            let step = self.steps.get_mut(&v.digest).expect("inserted");
            if v.cached && !step.cached {
                step.cached = true;
                events.push(JobEvent::Cached { step: step.n });
            }
        }
        events
    }

    /// The classic step number of a vertex, from its name.
    pub fn step_of(&self, vertex_name: &str) -> Option<usize> {
        let df = self.dockerfile.as_ref()?;
        match steps::parse(vertex_name) {
            Some(name) => steps::classic_step(df, &name),
            None => steps::from_step_for_metadata(df, vertex_name),
        }
    }

    /// Whether any instruction started: if one did, the engine did build
    /// with BuildKit, whatever went wrong after.
    pub fn ran_anything(&self) -> bool {
        self.started > 0
    }

    /// The build's steps in Dockerfile order.
    pub fn steps(&self) -> Vec<BuildStep> {
        let mut steps: Vec<BuildStep> = self.steps.values().cloned().collect();
        steps.sort_by_key(|s| s.n);
        steps
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(d: &str, name: &str, cached: bool) -> Vertex {
        Vertex {
            digest: d.into(),
            name: name.into(),
            cached,
            started: Some(1.0),
            completed: Some(1.0),
            error: String::new(),
        }
    }

    #[test]
    fn vertices_become_classic_steps_counted_and_cached() {
        let df = Dockerfile::parse(
            "FROM python:3.9-slim\nWORKDIR /app\nCOPY requirements.txt ./\nRUN pip install -r requirements.txt\nCOPY app.py ./\nCMD [\"python\", \"app.py\"]\n",
        )
        .unwrap();
        let mut t = Tracker::new(Some(&df));
        let events = t.update(&Update {
            vertexes: vec![
                v(
                    "i",
                    "[internal] load metadata for docker.io/library/python:3.9-slim",
                    false,
                ),
                v("a", "[1/5] FROM docker.io/library/python:3.9-slim", false),
                v("b", "[2/5] WORKDIR /app", true),
                Vertex {
                    started: None,
                    completed: None,
                    ..v("c", "[3/5] COPY requirements.txt ./", false)
                },
            ],
            ..Update::default()
        });
        assert_eq!(
            events,
            [
                JobEvent::Step {
                    current: 1,
                    total: 5
                },
                JobEvent::Step {
                    current: 2,
                    total: 5
                },
                JobEvent::Cached { step: 2 },
            ]
        );
        // The same vertex again changes nothing; a failure is remembered.
        let events = t.update(&Update {
            vertexes: vec![
                v("b", "[2/5] WORKDIR /app", true),
                Vertex {
                    error: "exit code: 1".into(),
                    ..v("d", "[4/5] RUN pip install -r requirements.txt", false)
                },
            ],
            ..Update::default()
        });
        assert_eq!(
            events,
            [JobEvent::Step {
                current: 3,
                total: 5
            }]
        );
        assert_eq!(t.failed.as_ref().map(|f| f.0.as_str()), Some("d"));
        assert_eq!(
            t.step_of("[4/5] RUN pip install -r requirements.txt"),
            Some(4)
        );
        let steps: Vec<(usize, bool)> = t.steps().iter().map(|s| (s.n, s.cached)).collect();
        assert_eq!(steps, [(1, false), (2, true), (4, false)]);
        assert!(t.ran_anything());
    }

    #[test]
    fn only_refusals_of_buildkit_itself_fall_back() {
        assert!(refuses_buildkit("buildkit not supported by daemon"));
        assert!(refuses_buildkit(
            "no active session for xyz: context deadline exceeded"
        ));
        assert!(!refuses_buildkit(
            "executor failed running [/bin/sh -c false]: exit code: 1"
        ));
    }
}
