//! Shared by the integration tests: a real engine (or a loud skip), the
//! guide's workspace in a temporary folder, and unique names.
#![allow(dead_code)]

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

/// Removes an image when dropped. Its untagged parents stay (`--no-prune`):
/// they are build cache that a test running in parallel may be building
/// on this very moment ("unknown parent image ID" otherwise).
pub struct ImageGuard(pub String);

impl Drop for ImageGuard {
    fn drop(&mut self) {
        let _ = Command::new("docker")
            .args(["rmi", "-f", "--no-prune", &self.0])
            .output();
    }
}

pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_docktutor"))
}
