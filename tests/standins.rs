//! The base images the lessons build FROM. No registry is reachable where
//! the tests run, so `.ci/make-base-image` makes stand-ins under the real
//! names from Debian packages (CI makes them on a fresh machine every run,
//! in a few minutes); these tests hold them to the official images wherever
//! a lesson relies on them: `python`, `python3`, `pip`, `pip3` in
//! `/usr/local/bin`, packages in `/usr/local/lib/python3.9/site-packages`,
//! `pip install --user` into `~/.local` as root and as another user (mode
//! 700, as pip makes it), virtual environments, the official `ENV`, `CMD`
//! and (absent) `WORKDIR`, compilers in the full image only, BusyBox's
//! `addgroup -S`/`adduser -S` on the alpine one, and distroless'
//! entrypoint, users and missing shell.
//!
//! What the stand-ins cannot match is said here, never in a lesson:
//! - The Python is Debian 11's python3.9 package (CPython 3.9.2), not
//!   3.9.x built from source into `/usr/local`: the commands in
//!   `/usr/local/bin` point to `/usr/bin/python3.9`, `sys.prefix` is `/usr`,
//!   and Python finds `/usr/local/lib/python3.9/site-packages` through
//!   Debian's `dist-packages` link to it. The final official 3.9 images
//!   have 3.9.2x. A virtual environment gets Debian's pip 20.3.4, the
//!   official ones pip 23.0.1.
//! - The full image has compilers and the usual -dev headers, not all of
//!   buildpack-deps (no database or image libraries).
//! - `python:3.9-alpine` is Debian with BusyBox, not Alpine: glibc, not
//!   musl, so the lesson's warnings about musl wheels are not exercised.
//! - Sizes: only the order is kept (full > slim > alpine, distroless below
//!   slim). Official (uncompressed, about): full 1 GB, slim 125 MB, alpine
//!   50 MB, distroless 55 MB; the stand-ins: about 605, 125, 100, 42 MB.
//! - Debian 11's `adduser --system` gives the user a home in `/home`,
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

        let (ok, out) = run(image, &["sh", "-c", LAYOUT_PROBE]);
        assert!(ok, "{image}: {out}");
        assert_eq!(
            out,
            "/usr/local/bin/python\n/usr/local/bin/python3\n/usr/local/bin/pip\n/usr/local/bin/pip3\n\
             (3, 9) True /root/.local pip 23.0.1 /usr/local/lib/python3.9/site-packages/pip\n",
            "{image}"
        );
    }
}

/// Where the official images keep Python and where pip puts packages: the
/// stand-ins' Python is Debian's (`sys.prefix` is `/usr`), so what is held
/// is what a Dockerfile can see: the commands in `/usr/local/bin`, and
/// `/usr/local/lib/python3.9/site-packages` on the path (lesson 8 copies
/// packages there), pip's own there too.
const LAYOUT_PROBE: &str = "for c in python python3 pip pip3; do command -v $c; done && python -c \
     'import os, sys, site, pip; \
      here = [os.path.realpath(p) for p in sys.path]; \
      print(sys.version_info[:2], \"/usr/local/lib/python3.9/site-packages\" in here, site.getuserbase(), \
      \"pip\", pip.__version__, os.path.dirname(os.path.realpath(pip.__file__)))'";

/// A wheel with a module `hello` and a command `hello`, written by Python in
/// the container (no network), then installed: with `--user` as root, with
/// `--user` as a non-root user, and as root into the image's Python, and
/// into a virtual environment. Each lands where it does on the official
/// images, and each is importable and its command found. The learner is
/// made with the image's own tools (BusyBox's on the alpine one).
const PIP_PROBE: &str = r#"set -e
python - <<'PY'
import zipfile
files = {
    "hello/__init__.py": "def main():\n    print('hello from hello')\n",
    "hello-1.0.dist-info/METADATA": "Metadata-Version: 2.1\nName: hello\nVersion: 1.0\n",
    "hello-1.0.dist-info/WHEEL": "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
    "hello-1.0.dist-info/entry_points.txt": "[console_scripts]\nhello = hello:main\n",
}
records = [f"{name},," for name in files] + ["hello-1.0.dist-info/RECORD,,"]
files["hello-1.0.dist-info/RECORD"] = "\n".join(records) + "\n"
with zipfile.ZipFile("/tmp/hello-1.0-py3-none-any.whl", "w") as whl:
    for name, text in files.items():
        whl.writestr(name, text)
PY
chmod 644 /tmp/hello-1.0-py3-none-any.whl
export PIP_NO_INDEX=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_ROOT_USER_ACTION=ignore
pip install -q --user --no-warn-script-location /tmp/hello-1.0-py3-none-any.whl
ls -d /root/.local/lib/python3.9/site-packages/hello && /root/.local/bin/hello
stat -c '%a %n' /root/.local /root/.local/lib/python3.9/site-packages
pip uninstall -q -y hello
pip install -q /tmp/hello-1.0-py3-none-any.whl
ls -d /usr/local/lib/python3.9/site-packages/hello && command -v hello && hello
$ADD_LEARNER
su -s /bin/sh learner -c 'set -e; cd; pip install -q --user --no-warn-script-location /tmp/hello-1.0-py3-none-any.whl; ls -d ~/.local/lib/python3.9/site-packages/hello && ~/.local/bin/hello'
python -m venv /tmp/venv
/tmp/venv/bin/pip install -q /tmp/hello-1.0-py3-none-any.whl
/tmp/venv/bin/hello && /tmp/venv/bin/python -c 'import sys; print(sys.prefix)'
"#;

#[tokio::test]
async fn pip_installs_where_it_does_in_the_official_images() {
    if !have_engine().await {
        return;
    }
    for image in PYTHONS {
        let add_learner = if image.ends_with("alpine") {
            "ADD_LEARNER=adduser -D learner"
        } else {
            "ADD_LEARNER=useradd --create-home learner"
        };
        let (ok, out) = run_with(&["-e", add_learner], image, &["sh", "-c", PIP_PROBE]);
        assert!(ok, "{image}: {out}");
        assert_eq!(
            out,
            "/root/.local/lib/python3.9/site-packages/hello\nhello from hello\n\
             700 /root/.local\n700 /root/.local/lib/python3.9/site-packages\n\
             /usr/local/lib/python3.9/site-packages/hello\n/usr/local/bin/hello\nhello from hello\n\
             /home/learner/.local/lib/python3.9/site-packages/hello\nhello from hello\n\
             hello from hello\n/tmp/venv\n",
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
/// As on Alpine, there is no `useradd` and no bash.
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
             id -un appuser && id -gn appuser && id -gn user2 && basename \"$(readlink -f /bin/sh)\" && \
             ! command -v useradd && ! command -v groupadd && ! command -v bash",
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
