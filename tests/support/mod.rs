//! Shared by the integration tests: a real engine (or a loud skip), the
//! guide's workspace in a temporary folder, and unique names.
#![allow(dead_code)]

pub mod chromium;
pub mod layers;
pub mod pty;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

use docktutor::docker::{self, Connection, discover::Env};

pub const GUIDE_APP: &str = include_str!("../../assets/first-image/app.py");
pub const GUIDE_REQUIREMENTS: &str = include_str!("../../assets/first-image/requirements.txt");
pub const GUIDE_DOCKERFILE: &str = include_str!("../../assets/first-image/Dockerfile");

/// The engine, or `None` with a loud message on a machine without one.
/// With `CI` set, a missing engine is a failure, never a skip.
pub async fn engine() -> Option<Connection> {
    match docker::connect(&Env::from_process(None)).await {
        Ok(c) => Some(c),
        Err(tried) => {
            let why: Vec<String> = tried
                .iter()
                .map(|a| format!("{} ({}): {}", a.address, a.source, a.error))
                .collect();
            if std::env::var_os("CI").is_some() {
                panic!(
                    "CI is set but no Docker engine answered: {}",
                    why.join("; ")
                );
            }
            eprintln!(
                "\n!!!!!!!! SKIPPED: no Docker engine ({}) — start Docker to run the engine tests !!!!!!!!\n",
                why.join("; ")
            );
            None
        }
    }
}

/// Same as [`engine`] for tests that drive the binary instead of the library.
pub fn engine_available() -> bool {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(engine()).is_some()
}

pub fn write_guide(dir: &Path) {
    std::fs::create_dir_all(dir).expect("mkdir");
    std::fs::write(dir.join("app.py"), GUIDE_APP).expect("app.py");
    std::fs::write(dir.join("requirements.txt"), GUIDE_REQUIREMENTS).expect("requirements");
    std::fs::write(dir.join("Dockerfile"), GUIDE_DOCKERFILE).expect("Dockerfile");
}

pub fn guide_workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    write_guide(dir.path());
    dir
}

/// A name no other test (or earlier run) uses.
pub fn unique(prefix: &str) -> String {
    static N: AtomicUsize = AtomicUsize::new(0);
    format!(
        "{prefix}-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    )
}

/// The docker CLI, as a learner would type it.
pub fn docker_cli(args: &[&str], dir: &Path) -> std::process::Output {
    Command::new("docker")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("docker CLI")
}

/// `docker ARGS`'s standard output. A failing CLI fails the test: an
/// empty answer from a broken CLI must never read as "nothing there".
pub fn docker_ok(args: &[&str]) -> String {
    let out = Command::new("docker")
        .args(args)
        .output()
        .expect("docker CLI");
    assert!(
        out.status.success(),
        "docker {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Whether a container exists. Only the engine's "no such container"
/// means no; any other failure of the CLI fails the test.
pub fn container_exists(name: &str) -> bool {
    let out = Command::new("docker")
        .args(["container", "inspect", "--format", "{{.Id}}", name])
        .output()
        .expect("docker CLI");
    let err = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() && err.to_lowercase().contains("no such") {
        return false;
    }
    assert!(
        out.status.success(),
        "docker container inspect {name} failed: {err}"
    );
    true
}

/// Removes an image when dropped, and the build layers under it that are
/// new since this test binary began (the classic builder's step images):
/// not at once, which would pull build cache from under a test building on
/// it this very moment ("unknown parent image ID"), but once the binary's
/// last guard is done (see [`layers`]). Make the guard before the build.
pub struct ImageGuard(pub String, layers::Use);

impl ImageGuard {
    pub fn new(image: impl Into<String>) -> ImageGuard {
        ImageGuard(image.into(), layers::enter(""))
    }
}

impl Drop for ImageGuard {
    fn drop(&mut self) {
        // Its chain first, while the name still leads to it; the `Use`
        // drops after this and removes what nothing else holds.
        self.1.record(&self.0);
        remove_image("", &self.0);
    }
}

/// Removes `image` (a name) from the engine at `host` (empty: the CLI's
/// own): its tag, then the image itself by id when the tag was the last
/// and nothing uses it. (`rmi -f` of a name only untags an image a
/// container still refers to: it would be left dangling.)
pub fn remove_image(host: &str, image: &str) {
    let docker = |args: &[&str]| {
        let mut cli = Command::new("docker");
        if !host.is_empty() {
            cli.arg("-H").arg(host);
        }
        cli.args(args)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
    };
    let id = docker(&["image", "inspect", "-f", "{{.Id}}", image]);
    let _ = docker(&["rmi", "-f", "--no-prune", image]);
    let Some(id) = id else { return };
    // A run's container removes itself when it ends (AutoRemove), which the
    // engine may still be doing: while one refers to the image, removing
    // it fails, so try again for a while rather than leave it dangling.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    while docker(&["image", "inspect", "-f", "{{len .RepoTags}}", &id]).as_deref() == Some("0") {
        if docker(&["rmi", "--no-prune", &id]).is_some() || std::time::Instant::now() > deadline {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(250));
    }
}

pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_docktutor"))
}

/// Where `.ci/start-podman` serves Podman's Docker-compatible API.
pub const PODMAN_HOST: &str = "unix:///run/podman/podman.sock";

/// An engine a test runs against: its `--host` address and its connection.
pub struct TestEngine {
    pub name: &'static str,
    pub host: String,
    pub conn: Connection,
}

/// Every engine the course claims to support that this machine has: the
/// Docker engine, and Podman's service (`DOCKTUTOR_PODMAN_HOST`, else the
/// rootful socket). With `CI` set, a missing one is a failure, not a skip.
pub async fn engines() -> Vec<TestEngine> {
    let mut out = Vec::new();
    if let Some(conn) = engine().await {
        out.push(TestEngine {
            name: "docker",
            host: conn.info.address.clone(),
            conn,
        });
    }
    let host = std::env::var("DOCKTUTOR_PODMAN_HOST").unwrap_or_else(|_| PODMAN_HOST.into());
    // Podman's service answers slowly while another build holds its
    // storage lock: give it a few tries before calling it missing.
    let mut attempt = docker::connect(&Env::from_process(Some(host.clone()))).await;
    for _ in 0..5 {
        match &attempt {
            Err(tried) if tried.iter().any(|a| a.error.contains("no answer")) => {
                tokio::time::sleep(std::time::Duration::from_secs(2)).await;
                attempt = docker::connect(&Env::from_process(Some(host.clone()))).await;
            }
            _ => break,
        }
    }
    match attempt {
        Ok(conn) => out.push(TestEngine {
            name: "podman",
            host,
            conn,
        }),
        Err(tried) => {
            let why = tried.first().map(|a| a.error.clone()).unwrap_or_default();
            if std::env::var_os("CI").is_some() {
                panic!(
                    "CI is set but Podman's service did not answer at {host}: {why} (.ci/start-podman starts it)"
                );
            }
            eprintln!(
                "\n!!!!!!!! SKIPPED on Podman: nothing at {host} ({why}) — run .ci/start-podman !!!!!!!!\n"
            );
        }
    }
    out
}

/// The built-in lessons with the guide's image name replaced by `image`, in
/// a folder for `--lessons`: tests never touch a learner's `my-docker-app`.
pub fn lessons_for_image(image: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("lessons");
    for entry in std::fs::read_dir(&src).expect("lessons/") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "md")
            && path.file_name() != Some("README.md".as_ref())
        {
            let text = std::fs::read_to_string(&path).expect("lesson");
            let text = text.replace("my-docker-app:", &format!("{image}:"));
            let text = replace_image_word(&text, image);
            std::fs::write(dir.path().join(path.file_name().expect("name")), text).expect("write");
        }
    }
    dir
}

/// `my-docker-app` as an image name (not as the folder `./my-docker-app`).
fn replace_image_word(text: &str, image: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("my-docker-app") {
        let before = &rest[..i];
        out.push_str(before);
        let folder = before.ends_with('/') || before.ends_with("./");
        out.push_str(if folder { "my-docker-app" } else { image });
        rest = &rest[i + "my-docker-app".len()..];
    }
    out.push_str(rest);
    out
}

/// The docktutor binary against one engine, in `dir`.
pub fn docktutor_on(host: &str, dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new(bin())
        .arg("--host")
        .arg(host)
        .args(args)
        .current_dir(dir)
        .env("DOCKTUTOR_DATA_DIR", dir.join(".docktutor-data"))
        .output()
        .expect("docktutor")
}

/// Removes an image from one engine (by its `--host`) when dropped.
/// [`ImageGuard`] on the engine at `host`.
pub struct EngineImageGuard {
    pub host: String,
    pub image: String,
    layers: layers::Use,
}

impl EngineImageGuard {
    pub fn new(host: &str, image: &str) -> EngineImageGuard {
        EngineImageGuard {
            host: host.to_string(),
            image: image.to_string(),
            layers: layers::enter(host),
        }
    }
}

impl Drop for EngineImageGuard {
    fn drop(&mut self) {
        self.layers.record(&self.image);
        remove_image(&self.host, &self.image);
    }
}

/// What the engine task's look inside an image built from the guide's
/// files finds under its WORKDIR (the `image_current` check compares it
/// with the files on disk), as `EngineFacts::probes` holds it.
pub fn guide_workdir_probe(
    image: &str,
    image_id: &str,
) -> (String, docktutor::engine::ProbeResult) {
    use sha2::Digest;
    let files = [
        ("app.py", GUIDE_APP),
        ("requirements.txt", GUIDE_REQUIREMENTS),
    ]
    .iter()
    .map(|(name, text)| {
        let hex: String = sha2::Sha256::digest(text.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        (format!("/app/{name}"), hex)
    })
    .collect();
    let probe = docktutor::engine::Probe {
        image: docktutor::engine::normalize_ref(image),
        kind: docktutor::engine::ProbeKind::Workdir,
    };
    (
        probe.key(),
        docktutor::engine::ProbeResult {
            image_id: image_id.to_string(),
            answer: docktutor::engine::ProbeAnswer::Files {
                dir: "/app".into(),
                files,
                complete: true,
            },
        },
    )
}
