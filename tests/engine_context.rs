//! Against a real Docker engine: every build-context fixture, built by
//! docktutor (with BuildKit, and with the classic builder) and by the
//! docker CLI's legacy builder, gives an image
//! whose `/ctx` (names, types, modes, owners, sizes, link counts, symlink
//! targets, file contents) is identical; and a `.env` that `.dockerignore`
//! leaves out is provably absent from docktutor's image — while the same
//! check finds it when it is not left out. And, without an engine, the
//! archive docktutor packs for each fixture is byte for byte the one the
//! docker CLI uploads (recorded on a socket that plays the daemon).

mod support;

use std::collections::{BTreeSet, HashMap};
use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc as std_mpsc;

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
        let _g1 = WithParents(ours.clone());
        let _g2 = WithParents(theirs.clone());

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

/// Removes a fixture image and its untagged parents when dropped. The
/// fixture Dockerfile has a step after `COPY . /ctx`, so the COPY layer is
/// a parent that `ImageGuard`'s `--no-prune` would leave dangling; it is
/// this fixture's own (its content is unique, the CLI build uses
/// `--no-cache`), so nothing else shares it.
struct WithParents(String);

impl Drop for WithParents {
    fn drop(&mut self) {
        let _ = Command::new("docker").args(["rmi", "-f", &self.0]).output();
    }
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
        let _guard = ImageGuard::new(tag.clone());
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

/// Plays the daemon on a unix socket just far enough for `docker build`
/// (legacy builder) to upload its context: answers `/_ping`, records the
/// body of every `POST …/build` and answers it with an error, so the CLI
/// stops there. Each recorded body arrives on the returned channel.
fn recording_daemon(socket: &Path) -> std_mpsc::Receiver<Vec<u8>> {
    let listener = UnixListener::bind(socket).expect("bind the recording socket");
    let (tx, rx) = std_mpsc::channel();
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(conn) = conn else { return };
            let tx = tx.clone();
            std::thread::spawn(move || serve(conn, &tx));
        }
    });
    rx
}

/// One HTTP/1.1 connection of the recording daemon (keep-alive).
fn serve(conn: UnixStream, uploads: &std_mpsc::Sender<Vec<u8>>) {
    let mut out = conn.try_clone().expect("clone the connection");
    let mut r = BufReader::new(conn);
    let line = |r: &mut BufReader<UnixStream>| {
        let mut l = String::new();
        r.read_line(&mut l).ok().filter(|n| *n > 0).map(|_| l)
    };
    while let Some(request) = line(&mut r) {
        let mut headers = HashMap::new();
        while let Some(h) = line(&mut r) {
            let Some((k, v)) = h.split_once(':') else {
                break; // the blank line
            };
            headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_string());
        }
        let mut body = Vec::new();
        if headers
            .get("transfer-encoding")
            .is_some_and(|v| v == "chunked")
        {
            loop {
                let size = line(&mut r).expect("chunk size");
                let n = usize::from_str_radix(size.trim().split(';').next().unwrap_or(""), 16)
                    .expect("hex chunk size");
                let mut chunk = vec![0; n + 2]; // with its CRLF
                r.read_exact(&mut chunk).expect("chunk");
                if n == 0 {
                    break;
                }
                body.extend_from_slice(&chunk[..n]);
            }
        } else if let Some(n) = headers.get("content-length") {
            body.resize(n.parse().expect("content length"), 0);
            r.read_exact(&mut body).expect("body");
        }
        let path = request.split(' ').nth(1).unwrap_or("").to_string();
        let (status, reply) = if path.contains("/build") {
            let _ = uploads.send(body);
            ("500 Internal Server Error", r#"{"message":"recorded"}"#)
        } else if path.contains("/_ping") {
            ("200 OK", "OK")
        } else {
            ("404 Not Found", r#"{"message":"not here"}"#)
        };
        let head = request.starts_with("HEAD ");
        let sent = write!(
            out,
            "HTTP/1.1 {status}\r\nApi-Version: 1.41\r\nOstype: linux\r\nContent-Length: {}\r\n\r\n{}",
            reply.len(),
            if head { "" } else { reply }
        );
        if sent.is_err() {
            return;
        }
    }
}

/// The member list of an archive as the `.expected` files hold it:
/// `name<TAB>type<TAB>mode<TAB>uid:gid<TAB>size<TAB>linkname`, in order.
fn member_list(archive: &[u8]) -> String {
    let mut out = String::new();
    let mut ar = tar::Archive::new(archive);
    for e in ar.entries().expect("a tar archive") {
        let e = e.expect("a tar member");
        let h = e.header();
        let ty = match h.entry_type() {
            tar::EntryType::Directory => "dir",
            tar::EntryType::Regular => "file",
            tar::EntryType::Symlink => "symlink",
            tar::EntryType::Link => "hardlink",
            other => panic!("unexpected member type {other:?}"),
        };
        let link = e.link_name_bytes().unwrap_or_default();
        out.push_str(&format!(
            "{}\t{ty}\t{:04o}\t{}:{}\t{}\t{}\n",
            String::from_utf8_lossy(&e.path_bytes()),
            h.mode().expect("mode"),
            h.uid().expect("uid"),
            h.gid().expect("gid"),
            e.size(),
            String::from_utf8_lossy(&link)
        ));
    }
    out
}

/// Where two archives first differ, with the member that holds that offset.
fn first_difference(ours: &[u8], cli: &[u8]) -> String {
    let at = ours
        .iter()
        .zip(cli)
        .position(|(a, b)| a != b)
        .unwrap_or(ours.len().min(cli.len()));
    let mut member = String::from("(trailer)");
    let mut ar = tar::Archive::new(cli);
    if let Ok(entries) = ar.entries() {
        for e in entries.flatten() {
            let end = e.raw_file_position() + e.size().div_ceil(512) * 512;
            if (at as u64) < end {
                member = String::from_utf8_lossy(&e.path_bytes()).into_owned();
                break;
            }
        }
    }
    let show = |b: &[u8]| {
        let end = (at + 16).min(b.len());
        format!("{:?}", String::from_utf8_lossy(&b[at.min(end)..end]))
    };
    format!(
        "{} vs {} bytes; first difference at byte {at} (header block {}, member {member}): docktutor {} docker CLI {}",
        ours.len(),
        cli.len(),
        at / 512,
        show(ours),
        show(cli)
    )
}

/// Also checks each fixture's `.expected` member list against what the CLI
/// sent; with `DOCKTUTOR_RECORD_FIXTURES=1` it rewrites those files instead
/// (for a new fixture, or a new CLI release).
#[test]
fn every_fixture_archive_is_the_docker_clis_byte_for_byte() {
    // docktutor packs like docker CLI 28.x (the .expected files come from
    // 28.2.2); older CLIs differ, e.g. 20.10 keeps the file-type bits in the
    // mode field (100644).
    let version = Command::new("docker")
        .args(["version", "--format", "{{.Client.Version}}"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string());
    if let Some(why) = match &version {
        Err(e) => Some(format!("no docker CLI ({e})")),
        Ok(v) if !v.starts_with("28.") => Some(format!("docker CLI {v:?}, not 28.x")),
        Ok(_) => None,
    } {
        assert!(std::env::var_os("CI").is_none(), "CI is set but: {why}");
        eprintln!("\n!!!!!!!! SKIPPED: {why} — the archive is compared with CLI 28.x !!!!!!!!\n");
        return;
    }
    let base = tempfile::tempdir().expect("tempdir");
    let socket = base.path().join("daemon.sock");
    let uploads = recording_daemon(&socket);
    let config = base.path().join("docker-config");
    std::fs::create_dir(&config).expect("docker config dir");
    let contexts = base.path().join("contexts");
    let ctx_files = fixtures::all();
    assert!(ctx_files.len() >= 8, "{ctx_files:?}");
    let mut failures = Vec::new();
    for ctx_file in &ctx_files {
        let (dir, dockerfile) = fixtures::materialize(ctx_file, &contexts);
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let out = Command::new("docker")
            .args(["build", "-f", &dockerfile, "."])
            .env("DOCKER_HOST", format!("unix://{}", socket.display()))
            .env("DOCKER_BUILDKIT", "0")
            .env("DOCKER_CONFIG", &config)
            .env_remove("DOCKER_CONTEXT")
            .current_dir(&dir)
            .output()
            .expect("docker CLI");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("recorded"),
            "{name}: the CLI did not reach the upload: {stderr}"
        );
        let cli = uploads
            .recv_timeout(std::time::Duration::from_secs(10))
            .unwrap_or_else(|e| panic!("{name}: no upload recorded: {e}"));
        let listed = member_list(&cli);
        let expected = ctx_file.with_extension("expected");
        if std::env::var_os("DOCKTUTOR_RECORD_FIXTURES").is_some() {
            std::fs::write(&expected, &listed).expect("record the member list");
        } else {
            let want = std::fs::read_to_string(&expected).expect("the .expected file");
            if listed != want {
                failures.push(format!(
                    "{name}: the CLI's members differ from {name}.expected:\n{listed}"
                ));
            }
        }
        let plan = docktutor::context::plan(&dir, &dockerfile).expect("plan");
        let mut ours = Vec::new();
        docktutor::context::write_tar(&plan, &mut ours).expect("write_tar");
        if ours != cli {
            failures.push(format!("{name}: {}", first_difference(&ours, &cli)));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
