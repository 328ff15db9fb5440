//! Nothing is left behind in the learner's engine: 100 build/run cycles
//! through the library, runs cancelled at any moment, and quitting the app
//! (or having it terminated) while a container sleeps — afterwards no
//! container labelled `io.docktutor.managed` from these images remains.

mod support;

use std::time::{Duration, Instant};

use docktutor::docker;
use docktutor::engine::{JobEvent, JobOutcome, RunOptions};
use support::pty::{self, Pty};
use support::*;
use tokio::sync::{mpsc, watch};

const CYCLES: usize = 100;
const SHORT: Duration = Duration::from_secs(10);

fn workspace(cmd: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("Dockerfile"),
        format!("FROM python:3.9-slim\nLABEL io.docktutor.test=1\nCMD {cmd}\n"),
    )
    .expect("Dockerfile");
    dir
}

/// A sink for job events that just drops them.
fn sink() -> (mpsc::Sender<JobEvent>, tokio::task::JoinHandle<()>) {
    let (tx, mut rx) = mpsc::channel(64);
    (
        tx,
        tokio::spawn(async move { while rx.recv().await.is_some() {} }),
    )
}

/// Waits (async) until a container from `image` is running.
async fn wait_running(image: &str) {
    let start = Instant::now();
    loop {
        let out = tokio::process::Command::new("docker")
            .args(["ps", "-q", "--filter", &format!("ancestor={image}")])
            .output()
            .await
            .expect("docker ps");
        assert!(out.status.success(), "docker ps failed: {out:?}");
        if !String::from_utf8_lossy(&out.stdout).trim().is_empty() {
            return;
        }
        assert!(start.elapsed() < SHORT, "no running container from {image}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hundred_build_and_run_cycles_leave_no_container() {
    let Some(conn) = engine().await else { return };
    let ws = workspace("[\"echo\", \"cycle done\"]");
    let tag = unique("docktutor-test-cycles");
    let _guard = ImageGuard::new(tag.clone());
    for cycle in 0..CYCLES {
        let (tx, drain) = sink();
        let built = docker::build(&conn.docker, ws.path(), None, &tag, &conn.builder, &tx).await;
        assert!(
            matches!(built, JobOutcome::Built { .. }),
            "cycle {cycle}: {built:?}"
        );
        let (_cancel, cancel_rx) = watch::channel(false);
        let ran = docker::run(&conn.docker, &tag, &RunOptions::default(), &tx, cancel_rx).await;
        drop(tx);
        drain.await.expect("drain");
        let JobOutcome::Ran { record, .. } = ran else {
            panic!("cycle {cycle}: {ran:?}")
        };
        assert_eq!(record.exit_code, Some(0), "cycle {cycle}");
        assert_eq!(record.output.as_deref(), Some("cycle done\n"));
    }
    let left = pty::managed_containers(&tag);
    assert!(
        left.is_empty(),
        "{} containers left after {CYCLES} cycles: {left:?}",
        left.len()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cancelled_run_removes_its_container() {
    let Some(conn) = engine().await else { return };
    let ws = workspace("[\"sleep\", \"60\"]");
    let tag = unique("docktutor-test-sleeper");
    let _guard = ImageGuard::new(tag.clone());
    let (tx, drain) = sink();
    let built = docker::build(&conn.docker, ws.path(), None, &tag, &conn.builder, &tx).await;
    assert!(matches!(built, JobOutcome::Built { .. }), "{built:?}");

    // Cancelled while the container sleeps.
    let (cancel, cancel_rx) = watch::channel(false);
    let (d, t, tx2) = (conn.docker.clone(), tag.clone(), tx.clone());
    let running =
        tokio::spawn(
            async move { docker::run(&d, &t, &RunOptions::default(), &tx2, cancel_rx).await },
        );
    wait_running(&tag).await;
    let asked = Instant::now();
    cancel.send(true).expect("cancel");
    let outcome = tokio::time::timeout(SHORT, running)
        .await
        .expect("the run ends soon after the cancel")
        .expect("join");
    assert!(
        matches!(outcome, JobOutcome::Interrupted { .. }),
        "{outcome:?}"
    );
    assert!(asked.elapsed() < SHORT);
    assert!(pty::managed_containers(&tag).is_empty(), "container left");

    // Cancelled at random early moments: during inspect, create, start.
    for delay_ms in [0u64, 5, 20, 50, 100, 200, 400] {
        let (cancel, cancel_rx) = watch::channel(false);
        let (d, t, tx2) = (conn.docker.clone(), tag.clone(), tx.clone());
        let running = tokio::spawn(async move {
            docker::run(&d, &t, &RunOptions::default(), &tx2, cancel_rx).await
        });
        tokio::time::sleep(Duration::from_millis(delay_ms)).await;
        cancel.send(true).expect("cancel");
        let outcome = tokio::time::timeout(SHORT, running)
            .await
            .unwrap_or_else(|_| panic!("cancel after {delay_ms} ms: the run did not end"))
            .expect("join");
        assert!(
            matches!(outcome, JobOutcome::Interrupted { .. }),
            "cancel after {delay_ms} ms: {outcome:?}"
        );
        let left = pty::managed_containers(&tag);
        assert!(left.is_empty(), "cancel after {delay_ms} ms left {left:?}");
    }
    drop(tx);
    drain.await.expect("drain");
}

/// Quitting the app (q, then y to confirm) or terminating it while a
/// `sleep 60` container runs stops and removes the container.
#[test]
fn leaving_the_app_while_a_container_runs_removes_it() {
    if !engine_available() {
        return;
    }
    let tag = unique("docktutor-test-sleeper-app");
    let _image = pty::build_image(&tag, "FROM python:3.9-slim\nCMD [\"sleep\", \"60\"]\n", &[]);
    let lessons = pty::run_lesson_dir(&tag);
    for how in ["q y", "SIGTERM", "SIGHUP"] {
        let home = tempfile::tempdir().expect("tempdir");
        let data = home.path().join("data");
        let mut app = Pty::spawn(
            &bin().display().to_string(),
            &[
                "--workdir",
                home.path().to_str().expect("utf8"),
                "--lessons",
                lessons.path().to_str().expect("utf8"),
            ],
            &[("DOCKTUTOR_DATA_DIR", data.to_str().expect("utf8"))],
            home.path(),
            80,
            24,
        );
        app.wait_for("the app with the engine connected", SHORT, |s| {
            s.contains("q quit") && s.contains("Docker Engine")
        });
        app.send("\r");
        let start = Instant::now();
        while pty::managed_containers(&tag).is_empty() {
            assert!(
                start.elapsed() < SHORT,
                "{how}: the container never started"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        std::thread::sleep(Duration::from_millis(500));
        let pid = app.pid().expect("pid");
        match how {
            "q y" => {
                app.send("q");
                let s = app.wait_text("still going", SHORT);
                assert!(pty::alive(pid), "q asks first while a container runs:\n{s}");
                assert!(!pty::managed_containers(&tag).is_empty());
                app.send("y");
            }
            "SIGTERM" => pty::signal(i64::from(pid), "TERM"),
            _ => pty::signal(i64::from(pid), "HUP"),
        }
        app.wait_exit(SHORT)
            .unwrap_or_else(|| panic!("{how}: the app did not exit"));
        let left = pty::managed_containers(&tag);
        assert!(left.is_empty(), "{how}: container left behind: {left:?}");
        assert!(app.modes().restored(), "{how}: terminal restored");
    }
}

/// Closing the terminal window while a container prints: the line is hung
/// up (writes fail, SIGHUP arrives), and the app still stops and removes
/// the container and saves progress on its way out.
#[test]
fn closing_the_terminal_while_a_container_prints_removes_it() {
    if !engine_available() {
        return;
    }
    let tag = unique("docktutor-test-chatty");
    let _image = pty::build_image(
        &tag,
        "FROM python:3.9-slim\nCMD [\"sh\", \"-c\", \"while true; do echo chatter; sleep 0.01; done\"]\n",
        &[],
    );
    let lessons = pty::run_lesson_dir(&tag);
    for round in 0..5 {
        let home = tempfile::tempdir().expect("tempdir");
        let data = home.path().join("data");
        let mut app = Pty::spawn(
            &bin().display().to_string(),
            &[
                "--workdir",
                home.path().to_str().expect("utf8"),
                "--lessons",
                lessons.path().to_str().expect("utf8"),
            ],
            &[("DOCKTUTOR_DATA_DIR", data.to_str().expect("utf8"))],
            home.path(),
            80,
            24,
        );
        let pid = app.pid().expect("pid");
        app.wait_for("the app with the engine connected", SHORT, |s| {
            s.contains("q quit") && s.contains("Docker Engine")
        });
        app.send("\r");
        app.wait_text("chatter", SHORT);
        std::thread::sleep(Duration::from_millis(300));
        app.hang_up();
        assert!(
            pty::wait_gone(pid, SHORT),
            "round {round}: the app outlived its terminal"
        );
        let start = Instant::now();
        while !pty::managed_containers(&tag).is_empty() {
            assert!(
                start.elapsed() < SHORT,
                "round {round}: the container outlived the app"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        let saved = std::fs::read_dir(data.join("progress"))
            .map(|d| d.flatten().count())
            .unwrap_or(0);
        assert_eq!(saved, 1, "round {round}: progress saved on the way out");
    }
}
