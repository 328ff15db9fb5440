//! `docktutor exec -- docker …` against a real engine, with no `docker`
//! on PATH: the typed commands run through the engine API, never the CLI.

mod support;

use std::path::Path;
use std::process::{Command, Output};

use support::*;

/// Runs `docktutor exec -- ARGS` in `dir` with a PATH that holds no docker.
fn exec(dir: &Path, args: &[&str]) -> Output {
    Command::new(bin())
        .arg("--workdir")
        .arg(dir)
        .arg("exec")
        .arg("--")
        .args(args)
        .current_dir(dir)
        .env("PATH", "/nonexistent")
        .output()
        .expect("docktutor runs")
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn typed_commands_build_run_list_tag_and_remove() {
    if !engine_available() {
        return;
    }
    let ws = guide_workspace();
    let dir = ws.path();
    let a = unique("docktutor-test-exec-a");
    let b = format!("{}:v2", unique("docktutor-test-exec-b"));
    let c = unique("docktutor-test-exec-c");
    let _guards = [
        ImageGuard::new(a.clone()),
        ImageGuard::new(b.clone()),
        ImageGuard::new(c.clone()),
    ];

    let built = exec(dir, &["docker", "build", "-t", &a, "--tag", &b, "."]);
    assert!(built.status.success(), "{}", text(&built));
    assert!(
        text(&built).contains(&format!("built {a}")),
        "{}",
        text(&built)
    );

    let listed = exec(dir, &["docker", "images", &a]);
    assert!(listed.status.success(), "{}", text(&listed));
    let out = String::from_utf8_lossy(&listed.stdout).into_owned();
    assert!(out.starts_with("REPOSITORY"), "{out}");
    assert!(out.contains(&a) && out.contains("latest"), "{out}");
    let second = exec(dir, &["docker", "image", "ls", &b]);
    assert!(text(&second).contains("v2"), "{}", text(&second));

    // The container's exit code, its environment and command from the line.
    let ran = exec(
        dir,
        &[
            "docker",
            "run",
            "--rm",
            "--network",
            "none",
            "-e",
            "GREETING=hello-from-exec",
            &a,
            "python",
            "-c",
            "import os, sys; print(os.environ['GREETING']); sys.exit(3)",
        ],
    );
    assert_eq!(ran.status.code(), Some(3), "{}", text(&ran));
    assert!(text(&ran).contains("hello-from-exec"), "{}", text(&ran));

    let tagged = exec(dir, &["docker", "tag", &a, &c]);
    assert!(tagged.status.success(), "{}", text(&tagged));
    let size = exec(
        dir,
        &[
            "docker",
            "image",
            "inspect",
            "--format",
            "{{.Config.Cmd}}",
            &c,
        ],
    );
    assert_eq!(
        String::from_utf8_lossy(&size.stdout).trim(),
        "[python app.py]",
        "{}",
        text(&size)
    );
    let history = exec(dir, &["docker", "history", &c]);
    assert!(text(&history).contains("CREATED BY"), "{}", text(&history));

    let removed = exec(dir, &["docker", "rmi", &a, &b, &c]);
    assert!(removed.status.success(), "{}", text(&removed));
    assert!(
        text(&removed).contains(&format!("Untagged: {c}:latest")),
        "{}",
        text(&removed)
    );
    let gone = exec(dir, &["docker", "images", "-q", &a]);
    assert_eq!(String::from_utf8_lossy(&gone.stdout).trim(), "");
    let missing = exec(dir, &["docker", "rmi", &a]);
    assert_eq!(missing.status.code(), Some(1), "{}", text(&missing));
}

/// A refused flag and a capitalised name stop before the engine: nothing
/// is created, and the learner reads why.
#[test]
fn refused_commands_never_reach_the_engine() {
    if !engine_available() {
        return;
    }
    let ws = guide_workspace();
    let dir = ws.path();
    let name = unique("docktutor-test-exec-refused");
    let refused = exec(
        dir,
        &[
            "docker",
            "run",
            "--privileged",
            "--name",
            &name,
            "python:3.9-slim",
            "true",
        ],
    );
    assert_eq!(refused.status.code(), Some(125));
    assert!(
        text(&refused).contains("refused in docktutor"),
        "{}",
        text(&refused)
    );
    let all = exec(dir, &["docker", "ps", "-a"]);
    assert!(all.status.success(), "{}", text(&all));
    assert!(!text(&all).contains(&name), "{}", text(&all));

    let upper = exec(dir, &["docker", "build", "-t", "Docktutor-Test-Upper", "."]);
    assert_eq!(upper.status.code(), Some(125));
    assert!(
        text(&upper).contains("must be lowercase"),
        "{}",
        text(&upper)
    );
    let listed = exec(dir, &["docker", "images", "-q", "docktutor-test-upper"]);
    assert_eq!(String::from_utf8_lossy(&listed.stdout).trim(), "");

    let typo = exec(dir, &["dokcer", "images"]);
    assert_eq!(typo.status.code(), Some(125));
    assert!(
        text(&typo).contains("did you mean docker?"),
        "{}",
        text(&typo)
    );
}

/// `--health-*` at the prompt reach the engine: the container gets the
/// health check typed (as `docker run` gives it) and the engine judges it
/// healthy while it runs. Run with a name so the test can look.
#[test]
fn health_flags_give_the_container_its_health_check() {
    if !engine_available() {
        return;
    }
    let ws = tempfile::tempdir().expect("tempdir");
    let name = unique("docktutor-test-health");
    let dir = ws.path().to_path_buf();
    let run_name = name.clone();
    let run = std::thread::spawn(move || {
        exec(
            &dir,
            &[
                "docker",
                "run",
                "--name",
                &run_name,
                "--health-cmd",
                "exit 0",
                "--health-interval",
                "500ms",
                "--health-retries",
                "2",
                "python:3.9-slim",
                "python",
                "-c",
                "import time; time.sleep(6)",
            ],
        )
    });
    let inspect = |format: &str| {
        let o = docker_cli(&["inspect", "--format", format, &name], ws.path());
        String::from_utf8_lossy(&o.stdout).trim().to_string()
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    let mut health = String::new();
    while std::time::Instant::now() < deadline && health != "healthy" {
        std::thread::sleep(std::time::Duration::from_millis(200));
        health = inspect("{{.State.Health.Status}}");
        if health == "healthy" {
            let config = inspect("{{json .Config.Healthcheck}}");
            assert!(
                config.contains(r#""Test":["CMD-SHELL","exit 0"]"#),
                "{config}"
            );
            assert!(config.contains(r#""Interval":500000000"#), "{config}");
            assert!(config.contains(r#""Retries":2"#), "{config}");
        }
    }
    let out = run.join().expect("exec thread");
    assert_eq!(health, "healthy", "{}", text(&out));
    assert!(out.status.success(), "{}", text(&out));
    // docktutor removed its container when it ended.
    let left = docker_cli(
        &["ps", "-aq", "--filter", &format!("name={name}")],
        ws.path(),
    );
    assert!(left.status.success());
    assert!(
        left.stdout.is_empty(),
        "{}",
        String::from_utf8_lossy(&left.stdout)
    );
}
