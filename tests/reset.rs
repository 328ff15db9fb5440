//! `docktutor reset` touches only what is ours: the progress file,
//! containers labelled by the app, and the lesson files the learner
//! confirms — never other containers or other files.

mod support;

use std::io::Write;
use std::process::{Command, Stdio};

use support::*;

fn reset(ws: &std::path::Path, data: &std::path::Path, answer: &str) -> (bool, String) {
    let mut child = Command::new(bin())
        .args(["reset", "--workdir"])
        .arg(ws)
        .env("DOCKTUTOR_DATA_DIR", data)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("docktutor reset");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(answer.as_bytes())
        .expect("answer");
    let out = child.wait_with_output().expect("reset");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
fn reset_removes_only_what_is_ours() {
    if !engine_available() {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let ws = dir.path().join("my-docker-app");
    let data = dir.path().join("data");
    write_guide(&ws);
    std::fs::write(ws.join("notes.txt"), "mine\n").expect("notes");

    // Progress exists after a check that is asked to save (--run).
    let ok = Command::new(bin())
        .args(["check", "1", "--run", "--workdir"])
        .arg(&ws)
        .env("DOCKTUTOR_DATA_DIR", &data)
        .status()
        .expect("check")
        .success();
    assert!(ok);
    let progress_files = || {
        std::fs::read_dir(data.join("progress"))
            .map(|d| d.count())
            .unwrap_or(0)
    };
    assert_eq!(progress_files(), 1);

    // One container of ours, one of the learner's, and one of a docktutor
    // that still runs (this test process stands for it).
    let ours = unique("docktutor-test-ours");
    let theirs = unique("docktutor-test-theirs");
    let live = unique("docktutor-test-live");
    let live_session = format!(
        "io.docktutor.session={}",
        docktutor::docker::session::of_pid(std::process::id()).unwrap_or_default()
    );
    for (name, label) in [(&ours, true), (&theirs, false), (&live, true)] {
        let mut args = vec!["create", "--name", name.as_str()];
        if label {
            args.extend(["--label", "io.docktutor.managed=true"]);
        }
        if *name == live {
            args.extend(["--label", live_session.as_str()]);
        }
        args.extend(["python:3.9-slim", "true"]);
        assert!(
            Command::new("docker")
                .args(&args)
                .output()
                .expect("create")
                .status
                .success()
        );
    }

    // Saying no keeps every file.
    let (ok, out) = reset(&ws, &data, "n\n");
    assert!(ok, "{out}");
    assert!(
        out.contains("app.py") && out.contains("Dockerfile"),
        "the files are listed:\n{out}"
    );
    assert!(ws.join("app.py").exists() && ws.join("Dockerfile").exists());
    assert!(
        !container_exists(&ours),
        "our labelled container is removed"
    );
    assert!(
        container_exists(&theirs),
        "the learner's container is left alone"
    );
    #[cfg(target_os = "linux")]
    assert!(
        container_exists(&live),
        "a running docktutor's container is left alone"
    );
    assert_eq!(progress_files(), 0, "progress is forgotten");

    // Saying yes deletes the lesson files, never the learner's own.
    let (ok, out) = reset(&ws, &data, "y\n");
    assert!(ok, "{out}");
    for f in ["app.py", "requirements.txt", "Dockerfile"] {
        assert!(!ws.join(f).exists(), "{f} deleted");
    }
    assert!(ws.join("notes.txt").exists(), "notes.txt is the learner's");

    let _ = Command::new("docker")
        .args(["rm", "-f", &theirs, &live])
        .output();
}

/// Reset removes only files identical to the lessons' own; the learner's
/// versions are moved to a dated folder under the data directory (and
/// the output says how to get them back); `.env`, links and files the
/// lessons never name stay. No engine needed: the containers part is
/// skipped when none answers.
#[cfg(unix)]
#[test]
fn reset_moves_the_learners_work_and_removes_only_copies_of_ours() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ws = dir.path().join("my-docker-app");
    let data = dir.path().join("data");
    std::fs::create_dir_all(&ws).expect("ws");
    let lessons = docktutor::lesson::builtin();
    let starter = |name: &str| {
        lessons
            .lessons
            .iter()
            .flat_map(|l| l.starters.iter())
            .find(|f| f.name == name)
            .expect(name)
            .text
            .clone()
    };
    std::fs::write(ws.join("requirements.txt"), starter("requirements.txt")).expect("w");
    std::fs::write(ws.join("app.py"), "print('my own work')\n").expect("w");
    std::fs::write(ws.join("Dockerfile"), "FROM python:3.9-slim\n# mine\n").expect("w");
    std::fs::write(ws.join(".env"), "SECRET=hunter2\n").expect("w");
    std::fs::write(ws.join("notes.txt"), "mine\n").expect("w");
    let outside = dir.path().join("outside.py");
    std::fs::write(&outside, "not the workspace's\n").expect("w");
    std::os::unix::fs::symlink(&outside, ws.join("server.py")).expect("link");

    let out = Command::new(bin())
        .args(["reset", "--yes", "--workdir"])
        .arg(&ws)
        .env("DOCKTUTOR_DATA_DIR", &data)
        .env("DOCKER_HOST", "unix:///nonexistent/docktutor-test.sock")
        .output()
        .expect("reset");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );

    assert!(
        !ws.join("requirements.txt").exists(),
        "a copy of the starter is removed"
    );
    for kept in [".env", "notes.txt"] {
        assert!(ws.join(kept).is_file(), "{kept} is left alone:\n{stdout}");
    }
    assert!(
        std::fs::symlink_metadata(ws.join("server.py")).is_ok_and(|m| m.file_type().is_symlink()),
        "a link is left alone"
    );
    assert_eq!(
        std::fs::read_to_string(&outside).unwrap(),
        "not the workspace's\n"
    );

    // The learner's versions are moved, whole, to one dated folder.
    let folders: Vec<_> = std::fs::read_dir(data.join("reset"))
        .expect("reset folder")
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(folders.len(), 1, "{folders:?}");
    let kept = &folders[0];
    assert_eq!(
        std::fs::read_to_string(kept.join("app.py")).unwrap(),
        "print('my own work')\n"
    );
    assert_eq!(
        std::fs::read_to_string(kept.join("Dockerfile")).unwrap(),
        "FROM python:3.9-slim\n# mine\n"
    );
    assert!(!ws.join("app.py").exists() && !ws.join("Dockerfile").exists());
    assert!(
        stdout.contains(&kept.display().to_string()) && stdout.contains("to get them back"),
        "says where and how:\n{stdout}"
    );
}

/// Run by [`helpers_fail_when_the_docker_cli_fails`], once per helper
/// named in `DOCKTUTOR_TEST_HELPER`, against an engine that is not there.
#[test]
#[ignore = "run by helpers_fail_when_the_docker_cli_fails"]
fn one_helper_against_no_engine() {
    let image = "docktutor-test-no-such-image";
    match std::env::var("DOCKTUTOR_TEST_HELPER").as_deref() {
        Ok("container_exists") => {
            container_exists("docktutor-test-no-such-container");
        }
        Ok("managed_containers") => {
            support::pty::managed_containers(image);
        }
        Ok("docker_ok") => {
            docker_ok(&["images", "-q", image]);
        }
        other => panic!("unknown helper {other:?}"),
    }
}

/// A test helper that asks the docker CLI must fail the test when the CLI
/// fails, never answer "nothing there" (which would make "nothing left
/// behind" pass with a broken CLI).
#[test]
fn helpers_fail_when_the_docker_cli_fails() {
    for helper in ["container_exists", "managed_containers", "docker_ok"] {
        let out = Command::new(std::env::current_exe().expect("test binary"))
            .args(["--ignored", "--exact", "one_helper_against_no_engine"])
            .env("DOCKTUTOR_TEST_HELPER", helper)
            .env("DOCKER_HOST", "unix:///nonexistent/docktutor-test.sock")
            .output()
            .expect("test binary");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            !out.status.success() && text.contains("failed"),
            "{helper} passed with no engine:\n{text}"
        );
    }
}
