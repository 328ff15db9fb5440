//! The base images the lessons build FROM. No registry is reachable where
//! the tests run, so `.ci/make-base-image` makes stand-ins under the real
//! names; these tests hold them to the official images wherever a lesson
//! relies on them: Python in `/usr/local` (`python`, `python3`, `pip`),
//! `pip install --user` into `/root/.local`, the official `ENV`, `CMD` and
//! (absent) `WORKDIR`, BusyBox's `addgroup -S`/`adduser -S` on the alpine
//! one, and distroless' entrypoint, users and missing shell.
//!
//! What the stand-ins cannot match is said here, never in a lesson:
//! - `python:3.9-alpine` is Debian with BusyBox, not Alpine: glibc, not
//!   musl, so the lesson's warnings about musl wheels are not exercised.
//! - Sizes: only the order is kept (full > slim > alpine, distroless below
//!   slim); the official images' sizes are not.
//! - The Python is 3.9.2, the last 3.9 source Debian ships, not the final
//!   3.9.x, on Debian 11 rather than Debian 13. One visible difference:
//!   Debian 11's `adduser --system` gives the user a home in `/home`,
//!   Debian 13's gives it `/nonexistent`; no lesson relies on either.

mod support;

use std::process::Command;

use serde_json::Value;

const PYTHONS: &[&str] = &["python:3.9-slim", "python:3.9", "python:3.9-alpine"];
const DISTROLESS: &str = "gcr.io/distroless/python3";
/// The official python images' PATH (docker-library/python).
const OFFICIAL_PATH: &str =
    "/usr/local/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/// `docker image inspect` of one image, or a loud failure naming the fix.
fn inspect(image: &str) -> Value {
    let out = Command::new("docker")
        .args(["image", "inspect", image])
        .output()
        .expect("docker CLI");
    assert!(
        out.status.success(),
        "{image} is missing: run .ci/make-base-image ({})",
        String::from_utf8_lossy(&out.stderr)
    );
    let all: Value = serde_json::from_slice(&out.stdout).expect("inspect JSON");
    all[0].clone()
}

/// Runs a throwaway container without network; returns (exit ok, stdout+stderr).
fn run(image: &str, args: &[&str]) -> (bool, String) {
    run_with(&[], image, args)
}

/// [`run`] with `docker run` options.
fn run_with(options: &[&str], image: &str, args: &[&str]) -> (bool, String) {
    let out = Command::new("docker")
        .args(["run", "--rm", "--network", "none"])
        .args(options)
        .arg(image)
        .args(args)
        .output()
        .expect("docker CLI");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

fn env(config: &Value) -> Vec<String> {
    config["Env"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

fn size(image: &str) -> u64 {
    inspect(image)["Size"].as_u64().expect("Size")
}

async fn have_engine() -> bool {
    support::engine().await.is_some()
}

#[tokio::test]
async fn the_stand_ins_come_from_the_current_recipe() {
    if !have_engine().await {
        return;
    }
    let script = include_str!("../.ci/make-base-image");
    let recipe = script
        .lines()
        .find_map(|l| l.strip_prefix("RECIPE="))
        .expect("RECIPE= in .ci/make-base-image");
    for image in PYTHONS.iter().chain([&DISTROLESS]) {
        let labels = &inspect(image)["Config"]["Labels"];
        assert_eq!(
            labels["io.docktutor.standin.version"].as_str(),
            Some(recipe),
            "{image} was made by an older recipe: run .ci/make-base-image ({labels})"
        );
    }
}

#[tokio::test]
async fn python_lives_in_usr_local_as_in_the_official_images() {
    if !have_engine().await {
        return;
    }
    for image in PYTHONS {
        let config = &inspect(image)["Config"];
        let env = env(config);
        assert!(
            env.contains(&format!("PATH={OFFICIAL_PATH}")),
            "{image}: {env:?}"
        );
        assert!(
            env.contains(&"LANG=C.UTF-8".to_string()),
            "{image}: {env:?}"
        );
        assert!(
            env.iter().any(|e| e.starts_with("PYTHON_VERSION=3.9.")),
            "{image}: {env:?}"
        );
        assert_eq!(config["Cmd"], serde_json::json!(["python3"]), "{image}");
        assert!(config["Entrypoint"].is_null(), "{image}: {config}");
        assert_eq!(config["WorkingDir"].as_str().unwrap_or(""), "", "{image}");

        let (ok, out) = run(
            image,
            &[
                "sh",
                "-c",
                "for c in python python3 pip pip3; do command -v $c; done && python -c \
                 'import sys, site; print(sys.version_info[:2], sys.prefix, site.getsitepackages()[0], site.getuserbase())'",
            ],
        );
        assert!(ok, "{image}: {out}");
        assert_eq!(
            out,
            "/usr/local/bin/python\n/usr/local/bin/python3\n/usr/local/bin/pip\n/usr/local/bin/pip3\n\
             (3, 9) /usr/local /usr/local/lib/python3.9/site-packages /root/.local\n",
            "{image}"
        );
    }
}

#[tokio::test]
async fn only_the_full_image_has_a_compiler() {
    if !have_engine().await {
        return;
    }
    let (ok, out) = run("python:3.9", &["gcc", "--version"]);
    assert!(ok, "python:3.9 has no gcc: {out}");
    for image in ["python:3.9-slim", "python:3.9-alpine"] {
        let (ok, out) = run(image, &["sh", "-c", "command -v gcc"]);
        assert!(!ok, "{image} has a compiler: {out}");
    }
}

/// Lesson 7's Alpine spelling, and the Debian spelling a learner who copies
/// their non-root Dockerfile to Dockerfile.alpine uses: BusyBox takes both.
#[tokio::test]
async fn the_alpine_stand_in_has_busybox_user_tools() {
    if !have_engine().await {
        return;
    }
    let (ok, out) = run(
        "python:3.9-alpine",
        &[
            "sh",
            "-c",
            "addgroup -S appgroup && adduser -S -G appgroup appuser && \
             addgroup --system group2 && adduser --system --ingroup group2 user2 && \
             id -un appuser && id -gn appuser && id -gn user2 && basename \"$(readlink -f /bin/sh)\"",
        ],
    );
    assert!(ok, "{out}");
    assert_eq!(out, "appuser\nappgroup\ngroup2\nbusybox\n");
}

#[tokio::test]
async fn the_distroless_stand_in_matches_upstream() {
    if !have_engine().await {
        return;
    }
    let config = &inspect(DISTROLESS)["Config"];
    // Upstream: python3/python.bzl (entrypoint, LANG) on base (PATH,
    // SSL_CERT_FILE, user 0, workdir /), Debian 13's python3.13.
    assert_eq!(
        config["Entrypoint"],
        serde_json::json!(["/usr/bin/python3.13"])
    );
    assert!(config["Cmd"].is_null(), "{config}");
    assert_eq!(config["User"].as_str(), Some("0"));
    assert_eq!(config["WorkingDir"].as_str(), Some("/"));
    let env = env(config);
    for want in [
        "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
        "SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt",
        "LANG=C.UTF-8",
    ] {
        assert!(env.contains(&want.to_string()), "{want} not in {env:?}");
    }
    let (ok, out) = run(
        DISTROLESS,
        &[
            "-c",
            "import importlib.util as u, os, pwd, sys; \
             print(sys.version_info[:2], os.path.realpath('/usr/bin/python3'), os.path.realpath('/usr/bin/python'), \
             pwd.getpwuid(65532).pw_name, pwd.getpwuid(65534).pw_name, \
             [p for p in ('/bin/sh', '/usr/bin/sh', '/bin/bash', '/usr/bin/apt-get', '/usr/bin/dpkg') if os.path.exists(p)], \
             u.find_spec('pip'))",
        ],
    );
    assert!(ok, "{out}");
    assert_eq!(
        out,
        "(3, 13) /usr/bin/python3.13 /usr/bin/python3.13 nonroot nobody [] None\n"
    );
    // No shell to run.
    let (ok, out) = run_with(&["--entrypoint", "sh"], DISTROLESS, &["-c", "true"]);
    assert!(!ok, "distroless ran a shell: {out}");
}

#[tokio::test]
async fn the_sizes_keep_the_official_order() {
    if !have_engine().await {
        return;
    }
    let (full, slim, alpine, distroless) = (
        size("python:3.9"),
        size("python:3.9-slim"),
        size("python:3.9-alpine"),
        size(DISTROLESS),
    );
    assert!(
        full > slim && slim > alpine && distroless < slim,
        "full {full}, slim {slim}, alpine {alpine}, distroless {distroless}"
    );
}
