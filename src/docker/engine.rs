//! The engine task: owns the connection, keeps the facts fresh from the
//! events stream, runs one build or run at a time, and reconnects by itself
//! when the engine goes away or appears later. The UI talks to it only
//! through channels.

use std::time::Duration;

use futures_util::StreamExt;
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;
use tokio::time::{Instant, sleep_until};

use super::connect::{Connection, connect};
use super::discover::Env;
use super::events::{self, Noticed};
use super::facts::Known;
use crate::engine::{
    EngineCmd, EngineFacts, EngineInfo, EngineMsg, EngineStatus, JobEvent, JobOutcome, Watch,
};

pub struct EngineHandle {
    tx: Option<mpsc::UnboundedSender<EngineCmd>>,
    task: Option<JoinHandle<()>>,
}

impl EngineHandle {
    pub fn send(&self, cmd: EngineCmd) {
        if let Some(tx) = &self.tx {
            let _ = tx.send(cmd);
        }
    }

    /// Stops the task: a running build or run is cancelled and its
    /// container removed first (bounded by `timeout`).
    pub async fn shutdown(&mut self, timeout: Duration) {
        self.tx = None;
        if let Some(task) = self.task.take() {
            let _ = tokio::time::timeout(timeout, task).await;
        }
    }
}

/// Retry quickly: a learner who starts Docker should see it picked up within
/// two seconds. An attempt on a missing socket costs next to nothing.
const RETRY_MIN: Duration = Duration::from_millis(250);
const RETRY_MAX: Duration = Duration::from_millis(1500);
/// Events come in bursts during a build; read the facts once it settles.
const SETTLE: Duration = Duration::from_millis(150);

pub fn spawn(env: Env, watched: Watch, out: mpsc::Sender<EngineMsg>) -> EngineHandle {
    let (tx, rx) = mpsc::unbounded_channel();
    let task = tokio::spawn(actor(env, watched, rx, out));
    EngineHandle {
        tx: Some(tx),
        task: Some(task),
    }
}

async fn actor(
    env: Env,
    watched: Watch,
    mut cmds: mpsc::UnboundedReceiver<EngineCmd>,
    out: mpsc::Sender<EngineMsg>,
) {
    let mut retry = RETRY_MIN;
    let mut known = Known::default();
    // One engine per session: once one answered, reconnect to it only.
    let mut first: Option<EngineInfo> = None;
    // Another engine that answered meanwhile, already told to the UI.
    let mut told_other: Option<String> = None;
    let _ = out.send(EngineMsg::Status(EngineStatus::Connecting)).await;
    loop {
        let attempt = match &first {
            Some(info) => connect(&pinned(&env, info)).await.map(|mut conn| {
                conn.info.source.clone_from(&info.source);
                conn
            }),
            None => connect(&env).await,
        };
        match attempt {
            Ok(conn) => {
                retry = RETRY_MIN;
                told_other = None;
                if first.is_none() {
                    // Once a session: what crashed or killed sessions left
                    // running (never a live one's), off the command path.
                    let docker = conn.docker.clone();
                    tokio::spawn(async move {
                        let _ = super::session::remove_orphans(&docker).await;
                    });
                }
                first.get_or_insert_with(|| conn.info.clone());
                let _ = out
                    .send(EngineMsg::Status(EngineStatus::Connected(
                        conn.info.clone(),
                    )))
                    .await;
                let mut session = Session {
                    conn,
                    watched: &watched,
                    known: &mut known,
                    out: &out,
                    job: None,
                };
                if session.serve(&mut cmds).await == Ended::Shutdown {
                    return;
                }
                let _ = out.send(EngineMsg::Status(EngineStatus::Connecting)).await;
            }
            Err(tried) => {
                // The session's engine is gone; if another answers, say so
                // (the learner may switch), but never switch silently.
                if let Some(info) = &first
                    && let Ok(other) = connect(&env).await
                    && other.info.address != info.address
                    && told_other.as_deref() != Some(other.info.address.as_str())
                {
                    told_other = Some(other.info.address.clone());
                    let _ = out.send(EngineMsg::OtherEngine(other.info)).await;
                }
                if out
                    .send(EngineMsg::Status(EngineStatus::Unreachable {
                        tried,
                        retry_in: retry,
                    }))
                    .await
                    .is_err()
                {
                    return;
                }
                let deadline = Instant::now() + retry;
                loop {
                    tokio::select! {
                        _ = sleep_until(deadline) => break,
                        cmd = cmds.recv() => match cmd {
                            None => return,
                            Some(EngineCmd::Refresh) => break,
                            Some(EngineCmd::SwitchEngine) => {
                                first = None;
                                break;
                            }
                            Some(EngineCmd::Cancel) => {}
                            Some(_) => {
                                let _ = out.send(EngineMsg::JobDone(JobOutcome::NoEngine {
                                    message: "no Docker engine is connected".into(),
                                })).await;
                            }
                        }
                    }
                }
                retry = (retry * 2).min(RETRY_MAX);
            }
        }
    }
}

/// The discovery settings narrowed to the engine the session started with.
fn pinned(env: &Env, info: &EngineInfo) -> Env {
    Env {
        host_flag: Some(info.address.clone()),
        ..env.clone()
    }
}

#[derive(PartialEq, Eq)]
enum Ended {
    Lost,
    Shutdown,
}

struct RunningJob {
    /// "build", "run", … for messages.
    what: &'static str,
    handle: JoinHandle<JobOutcome>,
    cancel: watch::Sender<bool>,
}

struct Session<'a> {
    conn: Connection,
    watched: &'a Watch,
    known: &'a mut Known,
    out: &'a mpsc::Sender<EngineMsg>,
    job: Option<RunningJob>,
}

impl Session<'_> {
    async fn serve(&mut self, cmds: &mut mpsc::UnboundedReceiver<EngineCmd>) -> Ended {
        let mut events = Box::pin(events::subscribe(&self.conn.docker));
        let mut facts = EngineFacts::default();
        let mut refresh_at = Some(Instant::now());
        loop {
            tokio::select! {
                ev = events.next() => match ev {
                    Some(Ok(msg)) => match events::classify(&msg, &self.watched.images) {
                        Noticed::ImagesChanged => refresh_at = Some(Instant::now() + SETTLE),
                        Noticed::ForeignRunEnded { container, reference, exit_code } => {
                            let mut record = events::foreign_run(&self.conn.docker, &container, exit_code).await;
                            if record.image_id.is_empty() {
                                record.image_id = facts.image_id(&reference).unwrap_or_default().to_string();
                            }
                            self.known.runs.insert(reference, record);
                            refresh_at = Some(Instant::now());
                        }
                        Noticed::Nothing => {}
                    },
                    // The stream ended: the engine restarted or went away.
                    Some(Err(_)) | None => {
                        if self.alive().await {
                            events = Box::pin(events::subscribe(&self.conn.docker));
                            refresh_at = Some(Instant::now());
                        } else {
                            self.finish_job_after_loss().await;
                            return Ended::Lost;
                        }
                    }
                },
                cmd = cmds.recv() => match cmd {
                    None => {
                        self.cancel_job().await;
                        return Ended::Shutdown;
                    }
                    Some(cmd) => {
                        if self.command(cmd).await {
                            refresh_at = Some(Instant::now());
                        }
                    }
                },
                done = async { self.job.as_mut().map(|j| &mut j.handle).expect("guarded").await }, if self.job.is_some() => {
                    self.job = None;
                    let outcome = done.unwrap_or_else(|e| JobOutcome::Interrupted { what: "job".into(), reason: e.to_string() });
                    self.known.remember(&self.conn.docker, &outcome).await;
                    self.builder_changed().await;
                    let _ = self.out.send(EngineMsg::JobDone(outcome)).await;
                    refresh_at = Some(Instant::now());
                },
                _ = sleep_until(refresh_at.unwrap_or_else(Instant::now)), if refresh_at.is_some() => {
                    refresh_at = None;
                    match super::facts::gather(&self.conn.docker, self.watched, self.known).await {
                        Ok(new) => {
                            if new != facts {
                                facts = new.clone();
                                let _ = self.out.send(EngineMsg::Facts(new)).await;
                            }
                        }
                        Err(_) if !self.alive().await => {
                            self.finish_job_after_loss().await;
                            return Ended::Lost;
                        }
                        Err(_) => refresh_at = Some(Instant::now() + Duration::from_secs(1)),
                    }
                }
            }
        }
    }

    /// Handles a command; returns whether the facts should be re-read.
    async fn command(&mut self, cmd: EngineCmd) -> bool {
        match cmd {
            EngineCmd::Refresh => true,
            // Only meaningful while the session's engine is away.
            EngineCmd::SwitchEngine => false,
            EngineCmd::Cancel => {
                if let Some(job) = &self.job {
                    let _ = job.cancel.send(true);
                    // A build has no clean stop in the legacy API: abort it.
                    if job.cancel.receiver_count() == 0 {
                        job.handle.abort();
                    }
                }
                false
            }
            cmd if self.job.is_some() && cmd.is_job() => {
                // The UI never asks for two at once; say so if it does.
                let _ = self
                    .out
                    .send(EngineMsg::JobDone(JobOutcome::NoEngine {
                        message: "a build or run is already going".into(),
                    }))
                    .await;
                false
            }
            EngineCmd::Build {
                workdir,
                dockerfile,
                tag,
            } => {
                let builder = self.conn.builder.clone();
                self.start("build", move |docker, tx, _| async move {
                    super::build(
                        &docker,
                        &workdir,
                        dockerfile.as_deref(),
                        &tag,
                        &builder,
                        &tx,
                    )
                    .await
                });
                false
            }
            EngineCmd::Run { image, options } => {
                self.start("run", move |docker, tx, cancel| async move {
                    super::run(&docker, &image, &options, &tx, cancel).await
                });
                false
            }
            EngineCmd::Typed { workdir, command } => {
                let builder = self.conn.builder.clone();
                self.start("command", move |docker, tx, cancel| async move {
                    super::typed(&docker, &builder, &workdir, &command, &tx, cancel).await
                });
                false
            }
            EngineCmd::Load { path } => {
                self.start("load", move |docker, tx, _| async move {
                    super::load(&docker, &path, &tx).await
                });
                false
            }
            EngineCmd::Tidy { label } => {
                self.start("tidy", move |docker, tx, _| async move {
                    super::tidy(&docker, &label, &tx).await
                });
                false
            }
            EngineCmd::Scan { image } => {
                self.start("scan", move |docker, tx, _| async move {
                    super::scan_job(&docker, &image, &tx).await
                });
                false
            }
        }
    }

    /// Starts a job on its own task; its events flow to the UI as it goes
    /// and its outcome arrives through `serve`'s select.
    fn start<F, Fut>(&mut self, what: &'static str, job: F)
    where
        F: FnOnce(bollard::Docker, mpsc::Sender<JobEvent>, watch::Receiver<bool>) -> Fut
            + Send
            + 'static,
        Fut: std::future::Future<Output = JobOutcome> + Send + 'static,
    {
        let docker = self.conn.docker.clone();
        let (tx, forward) = self.job_events();
        let (cancel, cancel_rx) = watch::channel(false);
        let handle = tokio::spawn(async move {
            let outcome = job(docker, tx, cancel_rx).await;
            // The sender moved into the job is gone now: wait until every
            // event it sent has reached the UI, so the outcome comes last.
            let _ = forward.await;
            outcome
        });
        self.job = Some(RunningJob {
            what,
            handle,
            cancel,
        });
    }

    /// A channel for a job's events, forwarded to the UI in order. Bounded,
    /// so a flood of output slows the container's log stream down instead
    /// of growing memory.
    fn job_events(&self) -> (mpsc::Sender<JobEvent>, JoinHandle<()>) {
        let (tx, mut rx) = mpsc::channel::<JobEvent>(64);
        let out = self.out.clone();
        let forward = tokio::spawn(async move {
            while let Some(ev) = rx.recv().await {
                if out.send(EngineMsg::Job(ev)).await.is_err() {
                    break;
                }
            }
        });
        (tx, forward)
    }

    /// A build that fell back to the classic builder changed the builder
    /// for the session: the status bar says so.
    async fn builder_changed(&mut self) {
        let now = self.conn.builder.choice();
        if now != self.conn.info.builder {
            self.conn.info.builder = now;
            let _ = self
                .out
                .send(EngineMsg::Status(EngineStatus::Connected(
                    self.conn.info.clone(),
                )))
                .await;
        }
    }

    async fn alive(&self) -> bool {
        matches!(
            tokio::time::timeout(Duration::from_secs(2), self.conn.docker.ping()).await,
            Ok(Ok(_))
        )
    }

    async fn cancel_job(&mut self) {
        if let Some(job) = self.job.take() {
            let _ = job.cancel.send(true);
            if job.cancel.receiver_count() == 0 {
                job.handle.abort();
            }
            let _ = tokio::time::timeout(Duration::from_secs(10), job.handle).await;
        }
    }

    /// The engine is gone: a running job cannot finish; report it plainly.
    async fn finish_job_after_loss(&mut self) {
        if let Some(job) = self.job.take() {
            // A job that finished before the loss keeps its result; any
            // other is reported as interrupted by the engine going away.
            let outcome = match tokio::time::timeout(Duration::from_secs(3), job.handle).await {
                Ok(Ok(done)) if done.success() => done,
                _ => JobOutcome::Interrupted {
                    what: job.what.into(),
                    reason: "the Docker engine stopped".into(),
                },
            };
            let _ = self.out.send(EngineMsg::JobDone(outcome)).await;
        }
    }
}
