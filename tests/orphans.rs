//! A docktutor killed while its container runs leaves that container; the
//! next docktutor removes it within seconds — and never the container of a
//! docktutor that is still running (issue 13). A run that ends after
//! docktutor is gone removes itself (the engine's AutoRemove), and a run's
//! exit code is still read, however fast the container ends.

mod support;

use std::process::Command;
use std::time::{Duration, Instant};

use support::pty::Pty;
use support::*;

/// `docker …`, failing the test when the CLI itself fails.
fn docker(args: &[&str]) -> String {
    let out = Command::new("docker")
        .args(args)
        .output()
        .expect("docker CLI");
    assert!(
        out.status.success(),
        "docker {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

fn running(id: &str) -> bool {
    !docker(&["ps", "-q", "--no-trunc", "--filter", &format!("id={id}")]).is_empty()
}

fn exists(id: &str) -> bool {
    !docker(&["ps", "-aq", "--no-trunc", "--filter", &format!("id={id}")]).is_empty()
}

/// Removes the test's containers and image however the test ends.
struct Cleanup {
    containers: Vec<String>,
    image: String,
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        for c in &self.containers {
            let _ = Command::new("docker").args(["rm", "-f", c]).output();
        }
        let _ = Command::new("docker")
            .args(["rmi", "-f", &self.image])
            .output();
    }
}

#[cfg(target_os = "linux")]
#[test]
fn a_killed_sessions_container_is_removed_at_the_next_start() {
    if !engine_available() {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    // An image that runs until stopped, made without a build (nothing
    // dangling): python:3.9-slim with CMD sleep.
    let image = unique("docktutor-test-sleeper");
    let maker = unique("docktutor-test-maker");
    let live = unique("docktutor-test-live-session");
    let mut cleanup = Cleanup {
        containers: vec![maker.clone(), live.clone()],
        image: image.clone(),
    };
    docker(&["create", "--name", &maker, "python:3.9-slim"]);
    docker(&[
        "commit",
        "--change",
        r#"CMD ["sleep", "600"]"#,
        &maker,
        &image,
    ]);
    docker(&["rm", &maker]);

    // A live session's container: this test process stands for a second
    // docktutor that is still running.
    let me = docktutor::docker::session::of_pid(std::process::id()).expect("session");
    let live_id = docker(&[
        "run",
        "-d",
        "--network",
        "none",
        "--name",
        &live,
        "--label",
        "io.docktutor.managed=true",
        "--label",
        &format!("io.docktutor.session={me}"),
        &image,
    ]);

    let ws = dir.path().join("ws");
    std::fs::create_dir_all(&ws).expect("ws");
    let data = dir.path().join("data");
    let start = || {
        Pty::spawn(
            bin().to_str().expect("utf8"),
            &["--workdir", ws.to_str().unwrap()],
            &[
                ("DOCKTUTOR_DATA_DIR", data.to_str().unwrap()),
                ("NO_COLOR", ""),
            ],
            dir.path(),
            100,
            30,
        )
    };

    // First session, and a long-running container carrying its labels
    // (the labels docktutor puts on its runs, computed by the same code).
    // The test makes the container itself, with no network, so that it
    // does not depend on the engine's bridge.
    let mut first = start();
    first.wait_text("Set up your project folder", Duration::from_secs(10));
    let pid = first.pid().expect("pid");
    let session = docktutor::docker::session::of_pid(pid).expect("its session");
    let orphan = docker(&[
        "run",
        "-d",
        "--network",
        "none",
        "--name",
        &unique("docktutor-test-orphan"),
        "--label",
        "io.docktutor.managed=true",
        "--label",
        &format!("io.docktutor.session={session}"),
        &image,
    ]);
    cleanup.containers.push(orphan.clone());
    assert!(
        Command::new("kill")
            .args(["-9", &pid.to_string()])
            .status()
            .unwrap()
            .success()
    );
    first.wait_exit(Duration::from_secs(5));
    std::thread::sleep(Duration::from_millis(500));
    assert!(
        running(&orphan),
        "the killed session's container is still running"
    );

    // Second session: the orphan is gone within 5 s, the live one stays.
    let mut second = start();
    let started = Instant::now();
    while exists(&orphan) {
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "the killed session's container is still there after 5 s"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    std::thread::sleep(Duration::from_millis(500));
    assert!(
        running(&live_id),
        "a live session's container is never touched"
    );
    second.send("q");
    second.wait_exit(Duration::from_secs(10));
}

/// A run whose docktutor goes away mid-run (the run's future dropped, as
/// when the process dies: none of its removal code runs) is removed by the
/// engine once it ends; and a container that exits at once still reports
/// its exit code (read before the engine removes it, or from its die event).
#[test]
fn a_run_removes_itself_and_still_reports_its_exit_code() {
    use docktutor::engine::{JobEvent, JobOutcome, RunOptions};
    use tokio::sync::{mpsc, watch};
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(async {
        let Some(conn) = engine().await else { return };
        let name = unique("docktutor-test-self-removing");
        let _cleanup = Cleanup {
            containers: vec![name.clone()],
            image: String::new(),
        };
        let options = RunOptions {
            name: Some(name.clone()),
            network: Some("none".into()),
            command: ["sh", "-c", "echo started; sleep 2; echo done"]
                .map(String::from)
                .to_vec(),
            ..RunOptions::default()
        };
        let (tx, mut rx) = mpsc::channel::<JobEvent>(64);
        let (_cancel_tx, cancel) = watch::channel(false);
        let docker = conn.docker.clone();
        let run = tokio::spawn(async move {
            docktutor::docker::run(&docker, "python:3.9-slim", &options, &tx, cancel).await
        });
        // Once it prints, docktutor "dies".
        while let Some(event) = rx.recv().await {
            if matches!(&event, JobEvent::Output(b) if String::from_utf8_lossy(b).contains("started")) {
                break;
            }
        }
        run.abort();
        let _ = run.await;
        assert!(container_exists(&name), "the container runs on after docktutor is gone");
        let start = Instant::now();
        while container_exists(&name) {
            assert!(
                start.elapsed() < Duration::from_secs(15),
                "the container was not removed after it ended"
            );
            std::thread::sleep(Duration::from_millis(200));
        }

        // An immediate exit: the code is read all the same, nothing stays.
        let fast = unique("docktutor-test-fast-exit");
        let options = RunOptions {
            name: Some(fast.clone()),
            network: Some("none".into()),
            command: ["sh", "-c", "echo bye; exit 3"].map(String::from).to_vec(),
            ..RunOptions::default()
        };
        let (tx, mut rx) = mpsc::channel::<JobEvent>(64);
        let drain = tokio::spawn(async move { while rx.recv().await.is_some() {} });
        let (_cancel_tx, cancel) = watch::channel(false);
        let outcome =
            docktutor::docker::run(&conn.docker, "python:3.9-slim", &options, &tx, cancel).await;
        drop(tx);
        drain.await.expect("drain");
        let JobOutcome::Ran { record, .. } = outcome else {
            panic!("{outcome:?}")
        };
        assert_eq!(record.exit_code, Some(3));
        assert_eq!(record.output.as_deref(), Some("bye\n"));
        assert!(!container_exists(&fast), "the fast container is gone");
    });
}
