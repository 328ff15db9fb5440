//! An instructor's course: a `course.toml` that mixes built-in lessons (by
//! id) and a custom one (by path), picked up with no flags from the
//! workspace's parent, run headless (`lessons`, `check`, `answers`) with
//! checks that only read files — no engine needed. Also `--add-lessons`,
//! `--no-solutions`, and a broken course file's message.

mod support;

use std::path::Path;
use std::process::{Command, Output};

use support::{bin, write_guide};

const CUSTOM: &str = r#"+++
id = "env-file"
title = "Keep settings in an .env file"
command = "docker run --env-file .env my-docker-app"
minutes = 12
notes = """
Most learners forget the quotes around the value.
Ask who has used an .env file before.
"""
hint = "Write GREETING=hello into .env next to app.py."
solution = ["env-file/.env"]
edit = ".env"

[[checks]]
kind = "file_contains"
path = ".env"
text = "GREETING="
label = ".env sets GREETING"
fix = "Add a line GREETING=hello to .env"
+++
# Settings in a file

Put `GREETING=hello` in `.env`.
"#;

/// A class folder: `course.toml`, the custom lesson and its asset, and the
/// learner's workspace `my-docker-app` inside it.
fn class(dir: &Path) -> std::path::PathBuf {
    std::fs::create_dir_all(dir.join("extra/assets/env-file")).unwrap();
    std::fs::write(dir.join("extra/env.md"), CUSTOM).unwrap();
    std::fs::write(dir.join("extra/assets/env-file/.env"), "GREETING=hello\n").unwrap();
    std::fs::write(
        dir.join("course.toml"),
        "title = \"Docker in one afternoon\"\n\
         lessons = [\"project-folder\", \"extra/env.md\", \"dockerfile\"]\n",
    )
    .unwrap();
    let ws = dir.join("my-docker-app");
    std::fs::create_dir_all(&ws).unwrap();
    ws
}

/// docktutor started in `cwd` with no flags but `args`; progress kept in
/// the test's own folder.
fn docktutor(cwd: &Path, args: &[&str]) -> Output {
    Command::new(bin())
        .current_dir(cwd)
        .env("XDG_DATA_HOME", cwd.join(".data"))
        .env("HOME", cwd)
        .env("DOCKER_HOST", "unix:///nonexistent/docker.sock")
        .args(args)
        .output()
        .expect("docktutor")
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn a_course_file_mixes_built_in_and_custom_lessons_end_to_end() {
    let dir = tempfile::tempdir().unwrap();
    let ws = class(dir.path());

    // `docktutor lessons` from the class folder: the instructor's course.
    let out = docktutor(dir.path(), &["lessons"]);
    let listing = text(&out);
    assert!(out.status.success(), "{listing}");
    assert!(
        listing.starts_with("Docker in one afternoon\n"),
        "{listing}"
    );
    let rows: Vec<&str> = listing.lines().filter(|l| l.contains(". ")).collect();
    assert!(rows[0].contains("1. project-folder"), "{listing}");
    assert!(
        rows[1].contains("2. env-file")
            && rows[1].ends_with("Keep settings in an .env file (12 min)"),
        "{listing}"
    );
    assert!(rows[2].contains("3. dockerfile"), "{listing}");
    assert_eq!(rows.len(), 3, "{listing}");
    assert!(
        listing.contains("about 12 minutes in all (2 lessons have no estimate)"),
        "{listing}"
    );
    assert!(listing.contains("course.toml"), "{listing}");

    // `check` of the files-only lessons: fails before, passes after.
    let workdir = ws.to_str().unwrap();
    let out = docktutor(dir.path(), &["check", "--workdir", workdir, "env-file"]);
    assert!(!out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("Add a line GREETING=hello to .env"),
        "{}",
        text(&out)
    );
    write_guide(&ws);
    std::fs::write(ws.join(".env"), "GREETING=hello\n").unwrap();
    let out = docktutor(
        dir.path(),
        &["check", "--workdir", workdir, "1", "2", "--json"],
    );
    assert!(out.status.success(), "{}", text(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let ids: Vec<&str> = json["lessons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["project-folder", "env-file"]);
    assert_eq!(json["passed"], true, "{json}");

    // The answer key has the custom lesson's notes and solution file.
    let out = docktutor(dir.path(), &["answers"]);
    let key = text(&out);
    assert!(out.status.success(), "{key}");
    assert!(
        key.starts_with("Answer key: Docker in one afternoon"),
        "{key}"
    );
    assert!(
        key.contains("== 2. Keep settings in an .env file [env-file] (12 min)"),
        "{key}"
    );
    assert!(
        key.contains("$ docker run --env-file .env my-docker-app"),
        "{key}"
    );
    assert!(key.contains("  Most learners forget the quotes"), "{key}");
    assert!(key.contains("--- .env ---\nGREETING=hello\n"), "{key}");
}

#[test]
fn add_lessons_keeps_the_built_in_course() {
    let dir = tempfile::tempdir().unwrap();
    class(dir.path());
    let builtin = docktutor::lesson::builtin().lessons.len();
    let extra = dir.path().join("extra");
    let out = docktutor(
        &extra,
        &[
            "lessons",
            "--add-lessons",
            extra.to_str().unwrap(),
            "--no-solutions",
        ],
    );
    let listing = text(&out);
    assert!(out.status.success(), "{listing}");
    assert!(
        listing.contains(&format!("{:>2}. env-file", builtin + 1)),
        "{listing}"
    );
    assert!(listing.contains(" 1. project-folder"), "{listing}");
    assert!(listing.contains("solutions: off (exam mode)"), "{listing}");
}

#[test]
fn a_broken_course_file_stops_with_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    class(dir.path());
    std::fs::write(
        dir.path().join("course.toml"),
        "lessons = [\n  \"project-folder\",\n  \"dockerfle\",\n]\n",
    )
    .unwrap();
    let out = docktutor(dir.path(), &["lessons"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let course = dir.path().join("course.toml");
    assert!(
        text(&out).starts_with(&format!(
            "docktutor: {}:3: no built-in lesson with id `dockerfle` — did you mean `dockerfile`?",
            course.display()
        )),
        "{}",
        text(&out)
    );
}
