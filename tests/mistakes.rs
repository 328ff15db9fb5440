//! The corpus of beginner mistakes, `tests/data/mistakes/<case>/`, against
//! the real engine. Each case is data — a learner's home folder (`files/`),
//! what they changed after building (`after/`), and `case.toml` saying what
//! docktutor must tell them — so a new case needs no Rust.
//!
//! For every case: the learner's build is made with the docker CLI as the
//! guide says (`docker build -t IMAGE .`, in the folder they stand in; it
//! may fail), then `docktutor check 1 2 3 4 5 --json` runs from that same
//! folder with no `--workdir`. It must pass where Docker itself is fine
//! (no `expect`), or its failing checks must explain the real cause
//! (`expect`, a regex over their text; `first`, a regex the first failing
//! check must match, since the root cause is said first; `reject`, a regex
//! nothing may match). `MISTAKES=name,…` runs only those cases;
//! `MISTAKES_SHOW=1` prints what docktutor said about each;
//! `MISTAKES_BIN=path` runs another docktutor binary (to compare).
//!
//! `case.toml`:
//! ```toml
//! about = "what the learner did"
//! category = "near-name"      # workspace, near-name, invisible, syntax, preflight, runtime, stale
//! cwd = "my-docker-app"       # where the learner types (in files/), default my-docker-app
//! build = true                # build with the docker CLI first (default true)
//! expect = 'regex'            # absent: every check must pass
//! first = 'regex'             # optional
//! reject = 'regex'            # optional
//! mkdir = ["my-docker-app/src"]   # empty folders git cannot hold
//! [chmod]
//! "my-docker-app/app.py" = "600"
//! ```

mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Mutex;

use serde::Deserialize;
use support::*;

const CATEGORIES: &[&str] = &[
    "workspace",
    "near-name",
    "invisible",
    "syntax",
    "preflight",
    "runtime",
    "stale",
];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    about: String,
    category: String,
    #[serde(default = "default_cwd")]
    cwd: String,
    #[serde(default = "yes")]
    build: bool,
    expect: Option<String>,
    first: Option<String>,
    reject: Option<String>,
    #[serde(default)]
    mkdir: Vec<String>,
    #[serde(default)]
    chmod: BTreeMap<String, String>,
}

fn default_cwd() -> String {
    "my-docker-app".into()
}

fn yes() -> bool {
    true
}

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/mistakes")
}

fn cases() -> Vec<(String, Case)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(corpus()).expect("tests/data/mistakes") {
        let dir = entry.expect("entry").path();
        if !dir.is_dir() {
            continue;
        }
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(dir.join("case.toml"))
            .unwrap_or_else(|e| panic!("{name}/case.toml: {e}"));
        let case: Case = toml::from_str(&text).unwrap_or_else(|e| panic!("{name}/case.toml: {e}"));
        out.push((name, case));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// Copies a folder tree, keeping the bytes exactly (BOMs, CRLF, Latin-1).
fn copy_tree(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).expect("read_dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            std::fs::create_dir_all(&target).expect("mkdir");
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::create_dir_all(to).expect("mkdir");
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

#[derive(Debug)]
struct Result {
    name: String,
    problem: Option<String>,
    built: bool,
    /// The layers under the built image (or under the step that failed),
    /// one per step (`---> id`), in order.
    layers: Vec<String>,
}

fn run_case(name: &str, case: &Case) -> Result {
    let src = corpus().join(name);
    let home = tempfile::tempdir().expect("tempdir");
    let data = tempfile::tempdir().expect("tempdir");
    copy_tree(&src.join("files"), home.path());
    for dir in &case.mkdir {
        std::fs::create_dir_all(home.path().join(dir)).expect("mkdir");
    }
    for (file, mode) in &case.chmod {
        use std::os::unix::fs::PermissionsExt;
        let mode = u32::from_str_radix(mode, 8).expect("octal mode");
        std::fs::set_permissions(
            home.path().join(file),
            std::fs::Permissions::from_mode(mode),
        )
        .expect("chmod");
    }
    let cwd = home.path().join(&case.cwd);
    let image = unique("docktutor-test-mistake");
    let _guard = ImageGuard::new(image.clone());
    let lessons = lessons_for_image(&image);

    let mut built = false;
    let mut layers = Vec::new();
    if case.build {
        // --force-rm: a failed RUN would leave the classic builder's
        // container behind (the learner's own build does; ours must not).
        let out = docker_cli(&["build", "--force-rm", "-t", &image, "."], &cwd);
        built = out.status.success();
        let stdout = String::from_utf8_lossy(&out.stdout);
        // The built image itself goes with its guard, by name: the same
        // content built by a test running in parallel carries that test's
        // tag too, and a removal by name leaves it alone.
        let image_id = stdout
            .lines()
            .find_map(|l| l.strip_prefix("Successfully built "))
            .map(str::trim);
        layers = support::layers::printed_ids(&stdout)
            .into_iter()
            .filter(|id| Some(id.as_str()) != image_id)
            .collect();
    }
    if src.join("after").is_dir() {
        // Saved after the build, in a later second than the image's.
        std::thread::sleep(std::time::Duration::from_millis(1100));
        copy_tree(&src.join("after"), home.path());
    }
    let docktutor = std::env::var_os("MISTAKES_BIN").map_or_else(bin, PathBuf::from);
    let out = Command::new(docktutor)
        .args(["--lessons"])
        .arg(lessons.path())
        // --run: the corpus judges what a run of each mistake says.
        .args(["check", "1", "2", "3", "4", "5", "--json", "--run"])
        .current_dir(&cwd)
        .env("DOCKTUTOR_DATA_DIR", data.path())
        .env_remove("DOCKTUTOR_DEBUG_PANIC")
        .output()
        .expect("docktutor");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let report: serde_json::Value = match serde_json::from_str(&stdout) {
        Ok(r) => r,
        Err(e) => {
            return Result {
                name: name.into(),
                problem: Some(format!(
                    "no JSON ({e}): {stdout}\n{}",
                    String::from_utf8_lossy(&out.stderr)
                )),
                built,
                layers,
            };
        }
    };
    let text = failing_text(&report).replace(&image, "IMAGE");
    let passed = report["passed"].as_bool() == Some(true);
    if std::env::var_os("MISTAKES_SHOW").is_some() {
        eprintln!(
            "== {name} (docker build {}):\n{}",
            if built { "ok" } else { "failed" },
            indent(&text)
        );
    }
    let problem = judge(case, passed, &text).map(|p| {
        format!(
            "{p}\n  about: {}\n  docker build {}\n  failing checks:\n{}",
            case.about,
            if built { "succeeded" } else { "failed" },
            indent(&text)
        )
    });
    Result {
        name: name.into(),
        problem,
        built,
        layers,
    }
}

/// Removes the layers the cases' builds made (the built images went with
/// their guards, by name): every layer a build printed, failed builds'
/// included, that was not in the engine before and that nothing else
/// builds on or tags. See `support::layers`.
fn remove_new_layers(layers: support::layers::Use, results: &[Result]) {
    let ids: Vec<String> = results
        .iter()
        .rev()
        .flat_map(|r| r.layers.iter().rev().cloned())
        .collect();
    layers.record_ids(&ids);
}

/// Every failing check as `label: reason → fix`, one per line, in order.
fn failing_text(report: &serde_json::Value) -> String {
    let mut lines = Vec::new();
    for lesson in report["lessons"].as_array().into_iter().flatten() {
        for check in lesson["checks"].as_array().into_iter().flatten() {
            if check["status"] == "pass" {
                continue;
            }
            let mut line = format!(
                "[{}] {}: {}",
                lesson["id"].as_str().unwrap_or("?"),
                check["label"].as_str().unwrap_or("?"),
                check["reason"].as_str().unwrap_or("")
            );
            if let Some(fix) = check["fix"].as_str() {
                line.push_str(&format!(" → {fix}"));
            }
            lines.push(line);
        }
    }
    lines.join("\n")
}

fn judge(case: &Case, passed: bool, text: &str) -> Option<String> {
    let re = |r: &str| regex::Regex::new(r).unwrap_or_else(|e| panic!("bad regex {r:?}: {e}"));
    match &case.expect {
        None if !passed => return Some("expected every check to pass".into()),
        None => {}
        Some(_) if passed => return Some("expected a failing check, but all passed".into()),
        Some(expect) if !re(expect).is_match(text) => {
            return Some(format!("the failing checks do not match {expect:?}"));
        }
        Some(_) => {}
    }
    if let Some(first) = &case.first {
        let line = text.lines().next().unwrap_or("");
        if !re(first).is_match(line) {
            return Some(format!("the first failing check does not match {first:?}"));
        }
    }
    if let Some(reject) = &case.reject
        && re(reject).is_match(text)
    {
        return Some(format!("the failing checks match the rejected {reject:?}"));
    }
    None
}

fn indent(text: &str) -> String {
    text.lines()
        .map(|l| format!("    {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn every_beginner_mistake_is_explained() {
    let all = cases();
    for (name, case) in &all {
        assert!(
            CATEGORIES.contains(&case.category.as_str()),
            "{name}: unknown category {}",
            case.category
        );
        assert!(
            corpus().join(name).join("files").is_dir(),
            "{name}: no files/ folder"
        );
    }
    if !engine_available() {
        return;
    }
    let only: Option<Vec<String>> = std::env::var("MISTAKES")
        .ok()
        .map(|v| v.split(',').map(str::to_string).collect());
    let todo: Vec<&(String, Case)> = all
        .iter()
        .filter(|(n, _)| only.as_ref().is_none_or(|o| o.contains(n)))
        .collect();
    let layers = support::layers::enter("");
    let queue = Mutex::new(todo.into_iter());
    let results = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..3 {
            s.spawn(|| {
                loop {
                    let next = queue.lock().unwrap().next();
                    let Some((name, case)) = next else { break };
                    let r = run_case(name, case);
                    results.lock().unwrap().push(r);
                }
            });
        }
    });
    let mut results = results.into_inner().unwrap();
    // The engine as it was found: the case images are gone (their guards),
    // and so are the layers their builds made.
    remove_new_layers(layers, &results);
    results.sort_by(|a, b| a.name.cmp(&b.name));
    let explained = results.iter().filter(|r| r.problem.is_none()).count();
    let docker_ok = results.iter().filter(|r| r.built).count();
    eprintln!(
        "mistakes corpus: {explained}/{} explained (docker build succeeded in {docker_ok})",
        results.len()
    );
    let problems: Vec<String> = results
        .iter()
        .filter_map(|r| r.problem.as_ref().map(|p| format!("{}: {p}", r.name)))
        .collect();
    assert!(
        problems.is_empty(),
        "{} of {} cases are not explained:\n\n{}",
        problems.len(),
        results.len(),
        problems.join("\n\n")
    );
}

/// The corpus covers every kind of mistake, several cases each.
#[test]
fn the_corpus_covers_every_category() {
    let all = cases();
    assert!(
        all.len() >= 40,
        "the corpus has {} cases; it needs 40",
        all.len()
    );
    for category in CATEGORIES {
        let n = all.iter().filter(|(_, c)| c.category == *category).count();
        assert!(n >= 3, "category {category} has {n} cases; it needs 3");
    }
}

/// The build outputs `printed_ids` reads: classic's and buildah's (whose
/// lines are the only record of a multi-stage build's earlier stages).
#[test]
fn printed_layer_ids_of_both_builders() {
    let classic = "Step 2/3 : COPY . .\n ---> Using cache\n ---> 1a2b3c4d5e6f\nStep 3/3 : CMD x\n ---> Running in 99aa00bb11cc\n ---> abcdefabcdef\n";
    assert_eq!(
        support::layers::printed_ids(classic),
        ["1a2b3c4d5e6f", "abcdefabcdef"]
    );
    let buildah = "[1/2] STEP 2/2: RUN echo hi > /x\n--> 59cca4380fa\n[2/2] STEP 1/2: FROM python:3.9-slim\n--> Using cache 0123456789abcdef\n[2/2] COMMIT x\n--> 6911fba3c02\n";
    assert_eq!(
        support::layers::printed_ids(buildah),
        ["59cca4380fa", "0123456789abcdef", "6911fba3c02"]
    );
}
