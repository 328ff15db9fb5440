//! Against a real Docker engine: every build-context fixture, built by
//! docktutor (with BuildKit, and with the classic builder) and by the
//! docker CLI's legacy builder, gives an image
//! whose `/ctx` (names, types, modes, owners, sizes, link counts, symlink
//! targets, file contents) is identical; and a `.env` that `.dockerignore`
//! leaves out is provably absent from docktutor's image — while the same
//! check finds it when it is not left out.

mod support;

use std::collections::BTreeSet;
use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};

use docktutor::context::fixtures;
use docktutor::docker;
use docktutor::engine::{Builder, JobEvent, JobOutcome};
use support::*;
use tokio::sync::mpsc;

/// What `/ctx` holds, one line per entry: `find`'s view (path, type, mode,
/// owner, size, link count, symlink target) plus a hash of every regular
/// file. Sorted here, bytewise, so no locale gets a say.
const LIST_CTX: &str = "find /ctx -printf '%p %y %m %U:%G %s %n -> %l\\n' \
                        && find /ctx -type f -exec sha256sum {} +";

async fn docktutor_build(
    conn: &docker::Connection,
    builder: Builder,
    dir: &Path,
    dockerfile: &str,
    tag: &str,
) -> Result<(), String> {
    let (tx, mut rx) = mpsc::channel(64);
    let collector = tokio::spawn(async move {
        let mut out = String::new();
        while let Some(e) = rx.recv().await {
            if let JobEvent::Output(b) = e {
                out.push_str(&String::from_utf8_lossy(&b));
            }
        }
        out
    });
    let state = conn.builder.with(builder, "this test");
    let outcome = docker::build(&conn.docker, dir, Some(dockerfile), tag, &state, &tx).await;
    drop(tx);
    let output = collector.await.expect("collector");
    match outcome {
        JobOutcome::Built { .. } => Ok(()),
        other => Err(format!("{other:?}\n{output}")),
    }
}

/// The docker CLI's legacy builder, without the cache (so a cache hit on
/// docktutor's layer cannot make the two images the same by construction):
/// the reference for both of docktutor's builders, which send the same
/// packed context. (The CLI's own BuildKit path applies `.dockerignore` on
/// its side, with different rules in corner cases: it leaves out an
/// ignored Dockerfile or `.dockerignore`, which the legacy CLI sends, and
/// reads some patterns differently.)
fn cli_build(dir: &Path, dockerfile: &str, tag: &str) -> Result<(), String> {
    let out = Command::new("docker")
        .args(["build", "--no-cache", "-f", dockerfile, "-t", tag, "."])
        .env("DOCKER_BUILDKIT", "0")
        .current_dir(dir)
        .output()
        .expect("docker CLI");
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

fn run_sh(tag: &str, script: &str) -> std::process::Output {
    Command::new("docker")
        .args(["run", "--rm", "--network", "none", tag, "sh", "-c", script])
        .output()
        .expect("docker run")
}

fn listing(tag: &str) -> Vec<String> {
    let out = run_sh(tag, LIST_CTX);
    assert!(
        out.status.success(),
        "listing {tag}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut lines: Vec<String> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect();
    lines.sort();
    lines
}

/// Lines only on one side, for a readable failure.
fn diff(ours: &[String], cli: &[String]) -> String {
    let (a, b): (BTreeSet<_>, BTreeSet<_>) = (ours.iter().collect(), cli.iter().collect());
    let mut s = String::new();
    for l in a.difference(&b) {
        s.push_str(&format!("  only docktutor: {l}\n"));
    }
    for l in b.difference(&a) {
        s.push_str(&format!("  only docker CLI: {l}\n"));
    }
    s
}

#[tokio::test]
async fn every_fixture_copies_the_same_files_as_the_docker_cli_with_buildkit() {
    let Some(conn) = engine().await else { return };
    same_files_as_the_cli(&conn, Builder::BuildKit).await;
}

#[tokio::test]
async fn every_fixture_copies_the_same_files_as_the_docker_cli_with_the_classic_builder() {
    let Some(conn) = engine().await else { return };
    same_files_as_the_cli(&conn, Builder::Classic).await;
}

async fn same_files_as_the_cli(conn: &docker::Connection, builder: Builder) {
    let base = tempfile::tempdir().expect("tempdir");
    let ctx_files = fixtures::all();
    assert!(ctx_files.len() >= 8, "{ctx_files:?}");
    let mut failures = Vec::new();
    let mut compared = Vec::new();
    for ctx_file in &ctx_files {
        let (dir, dockerfile) = fixtures::materialize(ctx_file, base.path());
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            std::fs::read_to_string(dir.join(&dockerfile))
                .expect("fixture Dockerfile")
                .contains("COPY . /ctx"),
            "{name}: the fixture Dockerfile copies the whole context"
        );
        let ours = unique(&format!("docktutor-test-ctx-{name}"));
        let theirs = unique(&format!("docktutor-test-ctx-cli-{name}"));
        let _g1 = ImageGuard(ours.clone());
        let _g2 = ImageGuard(theirs.clone());

        let built = docktutor_build(conn, builder, &dir, &dockerfile, &ours).await;
        if let Err(e) = built {
            failures.push(format!("{name}: docktutor's build failed: {e}"));
            continue;
        }
        if let Err(e) = cli_build(&dir, &dockerfile, &theirs) {
            failures.push(format!("{name}: the docker CLI's build failed: {e}"));
            continue;
        }
        let (a, b) = (listing(&ours), listing(&theirs));
        assert!(a.iter().any(|l| l.starts_with("/ctx d ")), "{name}: {a:?}");
        if a != b {
            failures.push(format!("{name}: /ctx differs\n{}", diff(&a, &b)));
        }
        compared.push(format!("{name} ({} lines)", a.len()));
    }
    assert!(
        failures.is_empty(),
        "{}\ncompared: {compared:?}",
        failures.join("\n")
    );
    assert_eq!(compared.len(), ctx_files.len());
}

/// Does `docker save TAG` (every layer, uncompressed) contain `needle`?
/// Streamed, so the base image's ~190 MB never sit in memory.
fn image_contains(tag: &str, needle: &[u8]) -> bool {
    let mut child = Command::new("docker")
        .args(["save", tag])
        .stdout(Stdio::piped())
        .spawn()
        .expect("docker save");
    let mut stdout = child.stdout.take().expect("stdout");
    let mut window: Vec<u8> = Vec::new();
    let mut buf = vec![0u8; 1 << 20];
    let mut found = false;
    let mut total = 0usize;
    loop {
        let n = stdout.read(&mut buf).expect("read docker save");
        if n == 0 {
            break;
        }
        total += n;
        window.extend_from_slice(&buf[..n]);
        if window.windows(needle.len()).any(|w| w == needle) {
            found = true;
        }
        let keep = window.len().min(needle.len() - 1);
        window.drain(..window.len() - keep);
    }
    assert!(
        child.wait().expect("docker save").success(),
        "docker save {tag}"
    );
    assert!(
        total > 1_000_000,
        "docker save {tag} gave only {total} bytes"
    );
    found
}

#[tokio::test]
async fn an_ignored_env_file_never_reaches_the_image_with_buildkit() {
    let Some(conn) = engine().await else { return };
    ignored_env_file(&conn, Builder::BuildKit).await;
}

#[tokio::test]
async fn an_ignored_env_file_never_reaches_the_image_with_the_classic_builder() {
    let Some(conn) = engine().await else { return };
    ignored_env_file(&conn, Builder::Classic).await;
}

async fn ignored_env_file(conn: &docker::Connection, builder: Builder) {
    let canary = unique("DOCKTUTOR_CANARY_5f0c1e");
    let secret = format!("API_KEY={canary}\n");

    for excluded in [true, false] {
        let ws = tempfile::tempdir().expect("tempdir");
        let dir = ws.path();
        std::fs::write(
            dir.join("Dockerfile"),
            "FROM python:3.9-slim\nCOPY . /ctx\n",
        )
        .expect("Dockerfile");
        std::fs::write(dir.join("app.py"), "print('hi')\n").expect("app.py");
        std::fs::write(dir.join(".env"), &secret).expect(".env");
        let ignore = if excluded { ".env\n*.log\n" } else { "*.log\n" };
        std::fs::write(dir.join(".dockerignore"), ignore).expect(".dockerignore");

        let tag = unique("docktutor-test-envfile");
        let _guard = ImageGuard(tag.clone());
        docktutor_build(conn, builder, dir, "Dockerfile", &tag)
            .await
            .unwrap_or_else(|e| panic!("excluded={excluded}: {e}"));

        // The rest of the context did arrive.
        let out = run_sh(&tag, "cat /ctx/app.py");
        assert_eq!(String::from_utf8_lossy(&out.stdout), "print('hi')\n");

        let out = run_sh(&tag, "cat /ctx/.env");
        let in_ctx = out.status.success();
        let anywhere = image_contains(&tag, canary.as_bytes());
        if excluded {
            assert!(!in_ctx, "/ctx/.env exists in {tag}");
            assert!(!anywhere, "the .env content is somewhere in {tag}'s layers");
        } else {
            // The control: the same checks do see a .env that is sent.
            assert!(in_ctx, "/ctx/.env missing although not ignored");
            assert_eq!(String::from_utf8_lossy(&out.stdout), secret);
            assert!(anywhere, "docker save of {tag} should contain the canary");
        }
    }
}
