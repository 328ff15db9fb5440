//! Against a real Docker engine, with BuildKit: the guide builds to the same
//! image as with the classic builder; the output reads like
//! `docker build --progress=plain` (snapshots, cold and cached); each
//! failure kind names its Dockerfile line; a learner's own
//! `DOCKER_BUILDKIT=1 docker build` is noticed; and an engine that refuses
//! the session gets a classic build and a line saying so.

mod support;

use std::path::Path;
use std::time::Duration;

use docktutor::docker::{self, discover::Env};
use docktutor::engine::{
    Builder, EngineCmd, EngineMsg, EngineStatus, JobEvent, JobOutcome, RunOptions, Watch,
    normalize_ref,
};
use support::*;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::{mpsc, watch};

async fn build_with(
    conn: &docker::Connection,
    builder: &docker::BuilderState,
    dir: &Path,
    tag: &str,
) -> (JobOutcome, Vec<JobEvent>) {
    let (tx, mut rx) = mpsc::channel(64);
    let collector = tokio::spawn(async move {
        let mut events = Vec::new();
        while let Some(e) = rx.recv().await {
            events.push(e);
        }
        events
    });
    let outcome = docker::build(&conn.docker, dir, None, tag, builder, &tx).await;
    drop(tx);
    (outcome, collector.await.expect("collector"))
}

async fn buildkit(conn: &docker::Connection, dir: &Path, tag: &str) -> (JobOutcome, Vec<JobEvent>) {
    let builder = conn.builder.with(Builder::BuildKit, "this test");
    build_with(conn, &builder, dir, tag).await
}

fn output_text(events: &[JobEvent]) -> String {
    events
        .iter()
        .filter_map(|e| match e {
            JobEvent::Output(b) => Some(String::from_utf8_lossy(b).into_owned()),
            _ => None,
        })
        .collect()
}

fn cached_steps(events: &[JobEvent]) -> Vec<usize> {
    events
        .iter()
        .filter_map(|e| match e {
            JobEvent::Cached { step } => Some(*step),
            _ => None,
        })
        .collect()
}

async fn run_output(conn: &docker::Connection, image: &str) -> Option<String> {
    let (tx, mut rx) = mpsc::channel(64);
    let drain = tokio::spawn(async move { while rx.recv().await.is_some() {} });
    let (_cancel, cancel_rx) = watch::channel(false);
    let ran = docker::run(&conn.docker, image, &RunOptions::default(), &tx, cancel_rx).await;
    drop(tx);
    drain.await.expect("drain");
    match ran {
        JobOutcome::Ran { record, .. } if record.exit_code == Some(0) => record.output,
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn the_guide_builds_the_same_image_with_both_builders() {
    let Some(conn) = engine().await else { return };
    let ws = guide_workspace();
    let (bk, classic) = (
        unique("docktutor-test-bk"),
        unique("docktutor-test-classic"),
    );
    let _g = (
        ImageGuard::new(bk.clone()),
        ImageGuard::new(classic.clone()),
    );

    let (outcome, events) = buildkit(&conn, ws.path(), &bk).await;
    let text = output_text(&events);
    let JobOutcome::Built {
        image_id, steps, ..
    } = &outcome
    else {
        panic!("{outcome:?}\n{text}")
    };
    assert!(
        image_id
            .as_deref()
            .is_some_and(|i| i.starts_with("sha256:"))
    );
    assert!(
        text.contains("] FROM docker.io/library/python:3.9-slim\n"),
        "{text}"
    );
    assert!(
        text.contains("[4/5] RUN pip install --no-cache-dir -r requirements.txt\n"),
        "{text}"
    );
    assert!(
        text.contains(&format!("naming to docker.io/library/{bk} ")),
        "{text}"
    );
    // The step counter ends at 5 of 5 (CMD makes no step under BuildKit);
    // the steps carry the classic builder's numbers.
    let counter: Vec<(usize, usize)> = events
        .iter()
        .filter_map(|e| match e {
            JobEvent::Step { current, total } => Some((*current, *total)),
            _ => None,
        })
        .collect();
    assert_eq!(counter.last(), Some(&(5, 5)), "{counter:?}");
    let numbers: Vec<usize> = steps.iter().map(|s| s.n).collect();
    assert_eq!(numbers, [1, 2, 3, 4, 5]);
    assert_eq!(
        steps[3].instruction,
        "RUN pip install --no-cache-dir -r requirements.txt"
    );

    let classic_builder = conn.builder.with(Builder::Classic, "this test");
    let (outcome, events) = build_with(&conn, &classic_builder, ws.path(), &classic).await;
    assert!(
        matches!(outcome, JobOutcome::Built { .. }),
        "{outcome:?}\n{}",
        output_text(&events)
    );

    // Same configuration, same greeting.
    let config = |tag: String| {
        let docker = conn.docker.clone();
        async move {
            let i = docker.inspect_image(&tag).await.expect("inspect");
            let c = i.config.expect("config");
            (c.cmd, c.working_dir, c.entrypoint, c.env)
        }
    };
    let (a, b) = (config(bk.clone()).await, config(classic.clone()).await);
    assert_eq!(a, b);
    assert_eq!(a.0, Some(vec!["python".to_string(), "app.py".to_string()]));
    assert_eq!(a.1.as_deref(), Some("/app"));
    for tag in [&bk, &classic] {
        assert_eq!(
            run_output(&conn, tag).await.as_deref(),
            Some("Hello, Docker!\n")
        );
    }

    // Built again: every step after FROM comes from the cache, by the
    // classic builder's numbers, and the record says so.
    let (again, events) = buildkit(&conn, ws.path(), &bk).await;
    assert_eq!(
        cached_steps(&events),
        [2, 3, 4, 5],
        "{}",
        output_text(&events)
    );
    let JobOutcome::Built { steps, .. } = again else {
        panic!("{again:?}")
    };
    let cached: Vec<bool> = steps.iter().map(|s| s.cached).collect();
    assert_eq!(cached, [false, true, true, true, true]);
    assert!(output_text(&events).contains(" CACHED\n"));
}

/// What a failing build under BuildKit says.
async fn failing(
    conn: &docker::Connection,
    dockerfile: &str,
) -> (docktutor::engine::BuildFailure, String) {
    let ws = guide_workspace();
    std::fs::write(ws.path().join("Dockerfile"), dockerfile).expect("write");
    let tag = unique("docktutor-test-bkfail");
    let _guard = ImageGuard::new(tag.clone());
    let (outcome, events) = buildkit(conn, ws.path(), &tag).await;
    let text = output_text(&events);
    match outcome {
        JobOutcome::BuildFailed(f) => (f, text),
        other => panic!("{other:?}\n{text}"),
    }
}

#[tokio::test]
async fn a_failing_run_names_its_line_and_exit_code() {
    let Some(conn) = engine().await else { return };
    let (f, text) = failing(
        &conn,
        "FROM python:3.9-slim\nWORKDIR /app\n\n# no such package, and no network\nRUN pip install --no-index definitely-not-a-package\nCMD [\"python\"]\n",
    )
    .await;
    assert_eq!((f.step, f.line), (Some(3), Some(5)), "{f:?}");
    assert_eq!(
        f.instruction.as_deref(),
        Some("RUN pip install --no-index definitely-not-a-package")
    );
    assert!(
        f.message
            .starts_with("the RUN command exited with code 1\n"),
        "{}",
        f.message
    );
    assert!(
        f.advice
            .as_deref()
            .unwrap_or("")
            .contains("RUN command failed")
    );
    // The CLI's lines: the command's own output, ERROR, and the box.
    assert!(text.contains("No matching distribution found"), "{text}");
    assert!(text.contains(" ERROR: "), "{text}");
    assert!(
        text.contains(" > [3/3] RUN pip install --no-index definitely-not-a-package:\n"),
        "{text}"
    );
}

#[tokio::test]
async fn a_missing_copy_source_names_its_line() {
    let Some(conn) = engine().await else { return };
    let (f, _) = failing(
        &conn,
        "FROM python:3.9-slim\nWORKDIR /app\nCOPY requirements.txt ./\nCOPY nope.py ./\n",
    )
    .await;
    assert_eq!((f.step, f.line), (Some(4), Some(4)), "{f:?}");
    assert!(
        f.message.starts_with("nope.py is not in the build context"),
        "{}",
        f.message
    );
    assert!(
        f.advice
            .as_deref()
            .unwrap_or("")
            .contains("not in the project folder")
    );
}

#[tokio::test]
async fn a_missing_path_in_a_stage_is_blamed_on_the_stage() {
    let Some(conn) = engine().await else { return };
    let (f, _) = failing(
        &conn,
        "FROM python:3.9-slim AS builder\nRUN mkdir -p /install\n\nFROM python:3.9-slim\nCOPY --from=builder /root/.local /root/.local\n",
    )
    .await;
    assert_eq!((f.step, f.line), (Some(4), Some(5)), "{f:?}");
    assert!(
        f.message
            .starts_with("root/.local does not exist in builder"),
        "{}",
        f.message
    );
    assert!(
        f.advice
            .as_deref()
            .unwrap_or("")
            .contains("stage it is copied from")
    );
}

#[tokio::test]
async fn a_base_image_that_cannot_be_pulled_names_its_from() {
    let Some(conn) = engine().await else { return };
    let (f, _) = failing(
        &conn,
        "# a typo\nFROM docktutor-no-such-base:1.0\nCMD [\"true\"]\n",
    )
    .await;
    assert_eq!((f.step, f.line), (Some(1), Some(2)), "{f:?}");
    assert!(
        f.message.starts_with(
            "the base image docktutor-no-such-base:1.0 is not here and could not be pulled"
        ),
        "{}",
        f.message
    );
    assert!(f.advice.as_deref().unwrap_or("").contains("docktutor load"));
}

#[tokio::test]
async fn a_misspelt_instruction_names_its_line() {
    let Some(conn) = engine().await else { return };
    let (f, _) = failing(
        &conn,
        "FROM python:3.9-slim\nWORKDIR /app\nCOPPY app.py ./\n",
    )
    .await;
    assert_eq!(f.line, Some(3), "{f:?}");
    assert!(
        f.message
            .starts_with("COPPY is not a Dockerfile instruction"),
        "{}",
        f.message
    );
}

/// `docker build --progress=plain`'s output, with what changes from run to
/// run (times, ids, sizes, the test's own names) replaced.
fn normalise(text: &str, tag: &str) -> String {
    let log_times = regex::Regex::new(r"(?m)^(#\d+) \d+\.\d+ ").unwrap();
    // A task's time shows only when it took over 0.01 s: drop it.
    let task_times = regex::Regex::new(r" \d+\.\ds done$").unwrap();
    let step_times = regex::Regex::new(r"DONE \d+\.\ds").unwrap();
    let ids = regex::Regex::new(r"sha256:[0-9a-f]{64}").unwrap();
    let sizes = regex::Regex::new(r"\b\d+(\.\d+)?[kM]?B\b").unwrap();
    let text = log_times.replace_all(text, "$1 <t> ");
    let text: String = text
        .lines()
        .map(|l| format!("{}\n", task_times.replace(l, " done")))
        .collect();
    let text = step_times.replace_all(&text, "DONE <t>s");
    let text = ids.replace_all(&text, "sha256:<id>");
    let text = sizes.replace_all(&text, "<size>");
    // Whether the engine reuses its copy of the uploaded context depends on
    // timing, not on the learner's files: those two vertices may say
    // CACHED or DONE.
    let mut context = Vec::new();
    let mut out = String::new();
    for line in text.lines() {
        let (number, rest) = line.split_once(' ').unwrap_or((line, ""));
        // pip's check for a newer pip (upstream pip, as in the official
        // images) says what PyPI answered: a notice, or that it could not
        // ask. That depends on the network, not on the learner's files.
        if rest.starts_with("<t> Could not fetch URL https://pypi.org/simple/pip/")
            || rest.starts_with("<t> [notice]")
        {
            continue;
        }
        if rest == "[internal] load remote build context" || rest == "copy /context /" {
            context.push(number.to_string());
        }
        if rest == "CACHED" && context.iter().any(|n| n == number) {
            out.push_str(&format!("{number} DONE <t>s\n"));
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    // BuildKit numbers vertices as it first mentions them, which varies
    // from run to run (the CLI's numbers vary too): number them in the
    // order the log shows them.
    let mut seen: Vec<String> = Vec::new();
    let numbers = regex::Regex::new(r"(?m)^#\d+").unwrap();
    let out = numbers.replace_all(&out, |c: &regex::Captures| {
        let n = c[0].to_string();
        let at = seen.iter().position(|s| *s == n).unwrap_or_else(|| {
            seen.push(n);
            seen.len() - 1
        });
        format!("#{}", at + 1)
    });
    out.replace(tag, "my-docker-app")
}

/// A cached build's log with each vertex's lines together, in the order
/// a learner reads them: BuildKit's internal loads, the Dockerfile's steps
/// by `[k/n]`, then the rest (exporting). When everything is cached,
/// BuildKit reports the vertices in whatever order they resolve — FROM
/// before or after the cached steps — which says nothing about the build.
fn in_step_order(text: &str) -> String {
    let step = regex::Regex::new(r"^\[(\d+)/\d+\]").unwrap();
    let mut groups: Vec<(String, Vec<&str>)> = Vec::new();
    for line in text.lines().filter(|l| !l.is_empty()) {
        let number = line.split(' ').next().unwrap_or("").to_string();
        match groups.iter_mut().find(|(n, _)| *n == number) {
            Some((_, lines)) => lines.push(line),
            None => groups.push((number, vec![line])),
        }
    }
    let rank = |lines: &Vec<&str>| -> (u8, usize) {
        let head = lines[0].split_once(' ').map_or("", |(_, r)| r);
        if head.starts_with("[internal]") || head.starts_with("copy /context") {
            (0, 0)
        } else if let Some(c) = step.captures(head) {
            (1, c[1].parse().unwrap_or(0))
        } else {
            (2, 0)
        }
    };
    // A stable sort keeps the engine's order within each rank.
    groups.sort_by_key(|(_, lines)| rank(lines));
    // Each vertex's lines, then the blank line the log puts after it.
    groups
        .into_iter()
        .map(|(_, lines)| format!("{}\n\n", lines.join("\n")))
        .collect()
}

#[tokio::test]
async fn the_guides_buildkit_output_cold_and_cached() {
    let Some(conn) = engine().await else { return };
    // Warm the base's WORKDIR layer, so "cold" means cold for this
    // folder's own files whatever ran before.
    let warm = guide_workspace();
    let warm_tag = unique("docktutor-test-bkwarm");
    let _gw = ImageGuard::new(warm_tag.clone());
    let (o, _) = buildkit(&conn, warm.path(), &warm_tag).await;
    assert!(matches!(o, JobOutcome::Built { .. }), "{o:?}");

    // A requirements file no other build has: from COPY requirements.txt
    // on, nothing can come from the cache.
    let ws = guide_workspace();
    let tag = unique("docktutor-test-bksnap");
    let _g = ImageGuard::new(tag.clone());
    std::fs::write(
        ws.path().join("requirements.txt"),
        format!("{GUIDE_REQUIREMENTS}# {tag}\n"),
    )
    .expect("write");
    let (cold, cold_events) = buildkit(&conn, ws.path(), &tag).await;
    assert!(matches!(cold, JobOutcome::Built { .. }), "{cold:?}");
    assert_eq!(cached_steps(&cold_events), [2]);
    insta::assert_snapshot!(
        "guide_buildkit_cold",
        normalise(&output_text(&cold_events), &tag)
    );

    let (cached, cached_events) = buildkit(&conn, ws.path(), &tag).await;
    assert!(matches!(cached, JobOutcome::Built { .. }), "{cached:?}");
    insta::assert_snapshot!(
        "guide_buildkit_cached",
        normalise(&in_step_order(&output_text(&cached_events)), &tag)
    );

    // And as the learner sees it: the output pane at 80×24.
    let mut events: Vec<JobEvent> = cached_events
        .iter()
        .filter(|e| !matches!(e, JobEvent::Output(_)))
        .cloned()
        .collect();
    events.push(JobEvent::Output(
        normalise(&output_text(&cached_events), &tag).into_bytes(),
    ));
    let JobOutcome::Built { steps, .. } = cached else {
        unreachable!()
    };
    let done = JobOutcome::Built {
        tag: "my-docker-app".into(),
        image_id: Some("sha256:861db5b195c8aaaa".into()),
        steps,
    };
    insta::assert_snapshot!("guide_buildkit_cached_80x24", screen(events, done));
}

/// The build lesson's screen after a build with these events.
fn screen(events: Vec<JobEvent>, done: JobOutcome) -> ratatui::backend::TestBackend {
    use docktutor::state::{Model, Msg, update};
    let set = docktutor::lesson::builtin();
    let build = set
        .lessons
        .iter()
        .position(|l| l.id == "build")
        .expect("build lesson");
    let mut progress = docktutor::progress::Progress::default();
    for l in set.lessons.iter().take(build) {
        progress.done.insert(l.id.clone(), 1);
    }
    progress.current = Some(set.lessons[build].id.clone());
    let mut m = Model::new(
        set.lessons,
        vec![],
        "/home/learner/my-docker-app".into(),
        progress,
        docktutor::output::Scrollback::default(),
    );
    m.size = (80, 24);
    m.now = 1_800_000_000;
    update(
        &mut m,
        Msg::Engine(EngineMsg::Status(EngineStatus::Connected(
            docktutor::engine::EngineInfo {
                address: "unix:///var/run/docker.sock".into(),
                source: "the default socket".into(),
                name: "Docker Engine".into(),
                version: "20.10.24".into(),
                api_version: "1.41".into(),
                os_arch: "linux/amd64".into(),
                builder: docktutor::engine::BuilderChoice::new(
                    Builder::BuildKit,
                    "the engine's default",
                ),
            },
        ))),
    );
    update(
        &mut m,
        Msg::Key(ratatui::crossterm::event::KeyEvent::from(
            ratatui::crossterm::event::KeyCode::Enter,
        )),
    );
    for e in events {
        update(&mut m, Msg::Engine(EngineMsg::Job(e)));
    }
    update(&mut m, Msg::Engine(EngineMsg::JobDone(done)));
    m.notice = None;
    // A finished build folds to its summary line; f unfolds its log.
    update(
        &mut m,
        Msg::Key(ratatui::crossterm::event::KeyEvent::from(
            ratatui::crossterm::event::KeyCode::Char('f'),
        )),
    );
    let mut terminal =
        ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 24)).expect("terminal");
    let mut ui = docktutor::ui::Ui::new(docktutor::ui::theme::Theme::new(true));
    terminal.draw(|f| _ = ui.draw(f, &m)).expect("draw");
    terminal.backend().clone()
}

/// A build typed in the learner's own shell with BuildKit (Debian's 20.10
/// CLI; a newer `docker` without buildx cannot) tags an image: the engine
/// sends an image `tag` event, the engine task reads the facts again, and
/// the build lesson's checks pass on them.
#[tokio::test]
async fn a_shell_build_with_buildkit_is_noticed() {
    let Some(_conn) = engine().await else { return };
    let ws = guide_workspace();
    let tag = unique("docktutor-test-bkcli");
    let _guard = ImageGuard::new(tag.clone());
    // The build lesson's own checks, renamed to this test's image; the
    // engine task watches what they need, as the app's does.
    let renamed = lessons_for_image(&tag);
    let set = docktutor::lesson::load_dir(renamed.path()).expect("renamed lessons load");
    let lesson = set
        .lessons
        .iter()
        .find(|l| l.id == "build")
        .expect("build lesson")
        .clone();
    let watch = docktutor::lesson::LessonSet {
        lessons: vec![lesson.clone()],
        ..Default::default()
    }
    .watch();
    let (tx, mut rx) = mpsc::channel(256);
    let mut handle = docker::spawn(Env::from_process(None), watch, tx);
    first_facts(&mut rx).await;

    let dir = ws.path().to_path_buf();
    let tag2 = tag.clone();
    let built = tokio::task::spawn_blocking(move || {
        std::process::Command::new("/usr/bin/docker")
            .args(["build", "--progress=plain", "-t", &tag2, "."])
            .env("DOCKER_BUILDKIT", "1")
            .current_dir(&dir)
            .output()
            .expect("/usr/bin/docker")
    })
    .await
    .expect("cli");
    let said = String::from_utf8_lossy(&built.stderr).into_owned();
    assert!(built.status.success(), "{said}");
    assert!(
        said.contains("#1 [internal]"),
        "not a BuildKit build: {said}"
    );

    // Noticed, and looked inside (image_current's files).
    let facts = tokio::time::timeout(Duration::from_secs(10), async {
        loop {
            if let Some(EngineMsg::Facts(f)) = rx.recv().await
                && f.image_id(&tag).is_some()
                && !f.probes.is_empty()
            {
                return f;
            }
        }
    })
    .await
    .expect("the BuildKit shell build was noticed within 10 s");

    let checks = lesson.checks.clone();
    let out = docktutor::check::run_all(
        &checks,
        &docktutor::check::Ctx {
            workspace: ws.path(),
            engine: Some(&facts),
            engine_missing: "",
            typed: &[],
        },
    );
    assert!(out.iter().all(|o| o.passed()), "{out:?}");
    assert_eq!(
        facts.details[&normalize_ref(&tag)].cmd,
        ["python", "app.py"]
    );
    handle.shutdown(Duration::from_secs(5)).await;
}

async fn first_facts(rx: &mut mpsc::Receiver<EngineMsg>) {
    tokio::time::timeout(Duration::from_secs(20), async {
        loop {
            match rx.recv().await {
                Some(EngineMsg::Facts(_)) => break,
                Some(EngineMsg::Status(EngineStatus::Unreachable { tried, .. })) => {
                    panic!("{tried:?}")
                }
                Some(_) => {}
                None => panic!("engine task ended"),
            }
        }
    })
    .await
    .expect("first facts");
}

/// A socket in front of the engine that refuses `/session`, as a socket
/// proxy or an engine without BuildKit sessions does, and passes the rest
/// through untouched.
struct SessionRefusingProxy {
    _dir: tempfile::TempDir,
    address: String,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for SessionRefusingProxy {
    fn drop(&mut self) {
        self.task.abort();
    }
}

const REFUSAL: &str = "sessions are refused by this test's proxy";

fn session_refusing_proxy() -> SessionRefusingProxy {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("docker.sock");
    let listener = tokio::net::UnixListener::bind(&path).expect("bind");
    let task = tokio::spawn(async move {
        while let Ok((mut client, _)) = listener.accept().await {
            tokio::spawn(async move {
                // The first request of each connection decides: the probe
                // and bollard open /session on a connection of its own.
                let mut head = Vec::new();
                let mut buf = [0u8; 4096];
                while !head.windows(4).any(|w| w == b"\r\n\r\n") {
                    match client.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => head.extend_from_slice(&buf[..n]),
                    }
                }
                let first = String::from_utf8_lossy(&head)
                    .lines()
                    .next()
                    .unwrap_or("")
                    .to_string();
                if first.starts_with("POST ") && first.contains("/session ") {
                    let body = format!("{{\"message\":\"{REFUSAL}\"}}");
                    let answer = format!(
                        "HTTP/1.1 500 Internal Server Error\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                        body.len()
                    );
                    let _ = client.write_all(answer.as_bytes()).await;
                    return;
                }
                let Ok(mut engine) = tokio::net::UnixStream::connect("/var/run/docker.sock").await
                else {
                    return;
                };
                if engine.write_all(&head).await.is_ok() {
                    let _ = tokio::io::copy_bidirectional(&mut client, &mut engine).await;
                }
            });
        }
    });
    SessionRefusingProxy {
        address: format!("unix://{}", path.display()),
        _dir: dir,
        task,
    }
}

#[tokio::test]
async fn a_refused_session_falls_back_to_the_classic_builder_once() {
    let Some(_direct) = engine().await else {
        return;
    };
    let proxy = session_refusing_proxy();
    let env = Env {
        host_flag: Some(proxy.address.clone()),
        ..Env::default()
    };
    let conn = docker::connect(&env).await.expect("through the proxy");
    assert_eq!(
        conn.info.builder.builder,
        Builder::BuildKit,
        "{:?}",
        conn.info.builder
    );
    let ws = guide_workspace();
    let tag = unique("docktutor-test-fallback");
    let _guard = ImageGuard::new(tag.clone());

    let (outcome, events) = build_with(&conn, &conn.builder, ws.path(), &tag).await;
    let text = output_text(&events);
    assert!(
        matches!(outcome, JobOutcome::Built { .. }),
        "{outcome:?}\n{text}"
    );
    assert!(
        text.contains(&format!(
            "BuildKit is not available (the engine answered /session with HTTP 500: {REFUSAL}): \
             building with the classic builder"
        )),
        "{text}"
    );
    assert!(text.contains("Step 1/6 : FROM python:3.9-slim"), "{text}");
    let now = conn.builder.choice();
    assert_eq!(now.builder, Builder::Classic);
    assert!(now.why.contains(REFUSAL), "{}", now.why);
    assert_eq!(
        run_output(&conn, &tag).await.as_deref(),
        Some("Hello, Docker!\n")
    );

    // Remembered: the next build goes straight to the classic builder.
    let (outcome, events) = build_with(&conn, &conn.builder, ws.path(), &tag).await;
    let text = output_text(&events);
    assert!(matches!(outcome, JobOutcome::Built { .. }), "{outcome:?}");
    assert!(!text.contains("BuildKit is not available"), "{text}");
    assert!(text.contains("Step 1/6 : FROM python:3.9-slim"), "{text}");
}

/// The app's engine task: the status bar learns of the fallback.
#[tokio::test]
async fn the_status_bar_hears_of_the_fallback() {
    let Some(_direct) = engine().await else {
        return;
    };
    let proxy = session_refusing_proxy();
    let ws = guide_workspace();
    let tag = unique("docktutor-test-fallback-ui");
    let _guard = ImageGuard::new(tag.clone());
    let (tx, mut rx) = mpsc::channel(256);
    let mut handle = docker::spawn(
        Env {
            host_flag: Some(proxy.address.clone()),
            ..Env::default()
        },
        Watch::default(),
        tx,
    );
    first_facts(&mut rx).await;
    handle.send(EngineCmd::Build {
        workdir: ws.path().to_path_buf(),
        dockerfile: None,
        tag: tag.clone(),
    });
    let mut builders = Vec::new();
    let done = tokio::time::timeout(Duration::from_secs(120), async {
        loop {
            match rx.recv().await {
                Some(EngineMsg::Status(EngineStatus::Connected(info))) => {
                    builders.push(info.builder.builder)
                }
                Some(EngineMsg::JobDone(outcome)) => return outcome,
                Some(_) => {}
                None => panic!("engine task ended"),
            }
        }
    })
    .await
    .expect("the build finished");
    assert!(matches!(done, JobOutcome::Built { .. }), "{done:?}");
    assert_eq!(
        builders,
        [Builder::Classic],
        "told once, before the outcome"
    );
    handle.shutdown(Duration::from_secs(5)).await;
}

/// Tidying removes the learner's dangling images, never BuildKit's cache:
/// after a tidy, the same build still comes from the cache.
#[tokio::test]
async fn tidy_keeps_the_buildkit_cache() {
    let Some(conn) = engine().await else { return };
    let ws = guide_workspace();
    let tag = unique("docktutor-test-bktidy");
    let _guard = ImageGuard::new(tag.clone());
    let label = format!("docktutor.test.tidy={tag}");
    std::fs::write(
        ws.path().join("Dockerfile"),
        format!("{GUIDE_DOCKERFILE}LABEL {label}\n"),
    )
    .expect("write");
    // The versions the tag leaves behind (the second one dangles after
    // the third build) go at the end.
    let layers = support::layers::enter("");
    let (first, _) = buildkit(&conn, ws.path(), &tag).await;
    layers.record(&tag);
    assert!(matches!(first, JobOutcome::Built { .. }), "{first:?}");
    // A code change: the first image loses its tag and dangles.
    std::fs::write(ws.path().join("app.py"), format!("{GUIDE_APP}# {tag}\n")).expect("write");
    let (second, _) = buildkit(&conn, ws.path(), &tag).await;
    layers.record(&tag);
    assert!(matches!(second, JobOutcome::Built { .. }), "{second:?}");

    let (tx, mut rx) = mpsc::channel(64);
    let drain = tokio::spawn(async move { while rx.recv().await.is_some() {} });
    let tidied = docker::tidy(&conn.docker, &label, &tx).await;
    drop(tx);
    drain.await.expect("drain");
    assert!(
        matches!(&tidied, JobOutcome::Tidied { removed } if removed.len() == 1),
        "{tidied:?}"
    );

    // The first version again: every step up to its COPY app.py is cached.
    std::fs::write(ws.path().join("app.py"), GUIDE_APP).expect("write");
    let (again, events) = buildkit(&conn, ws.path(), &tag).await;
    assert!(matches!(again, JobOutcome::Built { .. }), "{again:?}");
    assert_eq!(
        cached_steps(&events),
        [2, 3, 4, 5],
        "{}",
        output_text(&events)
    );
}
