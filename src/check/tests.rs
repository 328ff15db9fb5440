//! Each check kind against real files in temporary folders, and the engine
//! kinds against facts shaped like the engine's.

use std::path::Path;

use sha2::Digest;

use super::*;
use crate::engine::{ImageDetail, ImageInfo, RunRecord, RunSource};
use crate::lesson;

const GUIDE_APP: &str = include_str!("../../assets/first-image/app.py");
const GUIDE_DOCKERFILE: &str = include_str!("../../assets/first-image/Dockerfile");

fn lesson_checks(id: &str) -> Vec<CheckSpec> {
    let set = lesson::builtin();
    let idx = set.find(id).unwrap_or_else(|| panic!("no lesson {id}"));
    set.lessons[idx].checks.clone()
}

fn run(id: &str, ws: &Path, facts: Option<&EngineFacts>) -> Vec<Outcome> {
    run_all(
        &lesson_checks(id),
        &Ctx {
            workspace: ws,
            engine: facts,
            engine_missing: "no engine",
            typed: &[],
        },
    )
}

fn guide_workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("app.py"), GUIDE_APP).unwrap();
    std::fs::write(dir.path().join("requirements.txt"), "# none\n").unwrap();
    std::fs::write(dir.path().join("Dockerfile"), GUIDE_DOCKERFILE).unwrap();
    dir
}

fn failures(outcomes: &[Outcome]) -> Vec<(String, String)> {
    outcomes
        .iter()
        .filter(|o| o.status != Status::Pass)
        .map(|o| (o.label.clone(), o.reason.clone().unwrap_or_default()))
        .collect()
}

#[test]
fn the_guide_files_pass_lessons_one_and_two() {
    let ws = guide_workspace();
    assert_eq!(failures(&run("project-folder", ws.path(), None)), vec![]);
    assert_eq!(failures(&run("dockerfile", ws.path(), None)), vec![]);
}

#[test]
fn missing_folder_says_which_folder() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("my-docker-app");
    let out = run("project-folder", &ws, None);
    assert_eq!(out[0].status, Status::Fail);
    assert_eq!(
        out[0].reason.as_deref(),
        Some(format!("{} does not exist", ws.display()).as_str())
    );
    assert!(out[0].fix.is_some());
}

#[test]
fn wrong_greeting_is_quoted_back() {
    let ws = guide_workspace();
    std::fs::write(ws.path().join("app.py"), "print(\"Hello, docker!\")\n").unwrap();
    let out = run("project-folder", ws.path(), None);
    let prints = out.iter().find(|o| o.label.contains("prints")).unwrap();
    assert_eq!(prints.status, Status::Fail);
    assert_eq!(
        prints.reason.as_deref(),
        Some("app.py prints \"Hello, docker!\" — expected \"Hello, Docker!\"")
    );
}

#[test]
fn missing_requirements_fails_only_that_check() {
    let ws = guide_workspace();
    std::fs::remove_file(ws.path().join("requirements.txt")).unwrap();
    let f = failures(&run("project-folder", ws.path(), None));
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].0, "requirements.txt exists");
}

#[test]
fn a_missing_file_is_explained_once() {
    let dir = tempfile::tempdir().unwrap();
    let out = run("dockerfile", dir.path(), None);
    assert!(out.iter().all(|o| o.status == Status::Fail));
    assert!(
        out[0]
            .reason
            .as_deref()
            .unwrap()
            .contains("Dockerfile is missing")
    );
    assert_eq!(out[2].reason.as_deref(), Some("(same as above)"));
    assert_eq!(out[2].fix, None);
}

#[test]
fn malformed_dockerfile_names_its_line() {
    let ws = guide_workspace();
    std::fs::write(
        ws.path().join("Dockerfile"),
        "FROM python:3.9-slim\nWORKDIR /app\nCOPPY app.py ./\n",
    )
    .unwrap();
    let out = run("dockerfile", ws.path(), None);
    let from = &out[1];
    assert_eq!(from.status, Status::Fail);
    assert!(
        from.reason.as_deref().unwrap().contains("line 3"),
        "{from:?}"
    );
}

fn dockerfile_failures(text: &str) -> Vec<(String, String)> {
    let ws = guide_workspace();
    std::fs::write(ws.path().join("Dockerfile"), text).unwrap();
    failures(&run("dockerfile", ws.path(), None))
}

#[test]
fn untagged_or_non_python_base_fails_from() {
    for base in ["FROM python", "FROM ubuntu:22.04", "FROM python:"] {
        let text = GUIDE_DOCKERFILE.replace("FROM python:3.9-slim", base);
        let f = dockerfile_failures(&text);
        assert_eq!(f.len(), 1, "{base}: {f:?}");
        assert_eq!(f[0].0, "FROM a python image with a tag", "{base}");
        assert!(f[0].1.contains("line 2"), "{base}: {}", f[0].1);
    }
}

#[test]
fn shell_form_cmd_fails_with_the_fix() {
    let text = GUIDE_DOCKERFILE.replace("CMD [\"python\", \"app.py\"]", "CMD python app.py");
    let f = dockerfile_failures(&text);
    assert_eq!(f.len(), 1, "{f:?}");
    assert!(f[0].1.contains("shell form"), "{}", f[0].1);
}

#[test]
fn installing_before_copying_requirements_is_out_of_order() {
    let text = "FROM python:3.9-slim\nWORKDIR /app\nRUN pip install --no-cache-dir -r requirements.txt\nCOPY requirements.txt ./\nCOPY app.py ./\nCMD [\"python\", \"app.py\"]\n";
    let f = dockerfile_failures(text);
    assert!(
        f.iter()
            .any(|(label, reason)| label.starts_with("RUN pip install")
                && reason.contains("comes before")),
        "{f:?}"
    );
}

#[test]
fn multi_stage_checks_the_final_stage() {
    let text = "FROM python:3.9 AS builder\nWORKDIR /build\nFROM python:3.9-slim\nWORKDIR /app\nCOPY requirements.txt ./\nRUN pip install -r requirements.txt\nCOPY app.py ./\nCMD [\"python\", \"app.py\"]\n";
    assert_eq!(dockerfile_failures(text), vec![]);
}

#[test]
fn python_prints_handles_missing_and_unclosed() {
    let ws = guide_workspace();
    std::fs::write(ws.path().join("app.py"), "# nothing here\n").unwrap();
    let out = run("project-folder", ws.path(), None);
    assert_eq!(
        out[2].reason.as_deref(),
        Some("app.py has no print(...) call")
    );
    std::fs::write(ws.path().join("app.py"), "print(\"Hello, Docker!)\n").unwrap();
    let out = run("project-folder", ws.path(), None);
    assert!(out[2].reason.as_deref().unwrap().contains("never closed"));
}

#[test]
fn paths_cannot_leave_the_workspace() {
    let dir = tempfile::tempdir().unwrap();
    let spec = CheckSpec::from_table(
        toml::from_str("kind = \"file_exists\"\npath = \"../../etc/passwd\"").unwrap(),
    )
    .unwrap();
    let out = run_all(
        &[spec],
        &Ctx {
            workspace: dir.path(),
            engine: None,
            engine_missing: "",
            typed: &[],
        },
    );
    assert_eq!(out[0].status, Status::Fail);
    assert!(
        out[0]
            .reason
            .as_deref()
            .unwrap()
            .contains("outside the workspace")
    );
}

// --- engine checks, on facts shaped like the engine's answers ---

/// An image built after the workspace's files were written.
fn facts_with_image(ws: &Path) -> EngineFacts {
    let mut f = EngineFacts::default();
    f.images.push(ImageInfo {
        id: "sha256:aaa".into(),
        repo_tags: vec!["my-docker-app:latest".into()],
        created: crate::progress::unix_now() as i64 + 60,
        size: 10,
    });
    f.details.insert(
        "my-docker-app:latest".into(),
        ImageDetail {
            id: "sha256:aaa".into(),
            cmd: vec!["python".into(), "app.py".into()],
            ..Default::default()
        },
    );
    // Inside, the folder's files as they are now (image_current).
    let files = ["app.py", "requirements.txt", "Dockerfile"]
        .iter()
        .filter_map(|n| {
            let bytes = std::fs::read(ws.join(n)).ok()?;
            let hex: String = sha2::Sha256::digest(&bytes)
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            Some((format!("/app/{n}"), hex))
        })
        .collect();
    let probe = crate::engine::Probe {
        image: "my-docker-app:latest".into(),
        kind: crate::engine::ProbeKind::Workdir,
    };
    f.probes.insert(
        probe.key(),
        crate::engine::ProbeResult {
            image_id: "sha256:aaa".into(),
            answer: crate::engine::ProbeAnswer::Files {
                dir: "/app".into(),
                files,
                complete: true,
            },
        },
    );
    f
}

fn record(image_id: &str, output: &str, code: i64) -> RunRecord {
    RunRecord {
        image_id: image_id.into(),
        exit_code: Some(code),
        output: Some(output.into()),
        source: RunSource::App,
        ..RunRecord::default()
    }
}

#[test]
fn without_an_engine_engine_checks_are_blocked_not_failed() {
    let ws = guide_workspace();
    let out = run("build", ws.path(), None);
    assert!(out.iter().all(|o| o.status == Status::Blocked));
    assert_eq!(out[0].reason.as_deref(), Some("no engine"));
}

#[test]
fn build_lesson_needs_the_image_and_its_command() {
    let ws = guide_workspace();
    let out = run("build", ws.path(), Some(&EngineFacts::default()));
    assert!(
        out[0]
            .reason
            .as_deref()
            .unwrap()
            .contains("no image my-docker-app:latest")
    );
    let mut f = facts_with_image(ws.path());
    assert_eq!(failures(&run("build", ws.path(), Some(&f))), vec![]);
    f.details.get_mut("my-docker-app:latest").unwrap().cmd = vec!["python3".into()];
    let fails = failures(&run("build", ws.path(), Some(&f)));
    assert_eq!(fails.len(), 1);
    assert!(fails[0].1.contains("\"python3\""), "{}", fails[0].1);
}

#[test]
fn run_lesson_reads_the_latest_run() {
    let ws = guide_workspace();
    let mut f = facts_with_image(ws.path());
    let out = run("run", ws.path(), Some(&f));
    assert!(
        out[2]
            .reason
            .as_deref()
            .unwrap()
            .contains("has not been run yet")
    );

    f.runs.insert(
        "my-docker-app:latest".into(),
        record("sha256:aaa", "Hello, Docker!\n", 0),
    );
    assert_eq!(failures(&run("run", ws.path(), Some(&f))), vec![]);

    f.runs.insert(
        "my-docker-app:latest".into(),
        record("sha256:aaa", "Hello, docker!\n", 0),
    );
    let r = failures(&run("run", ws.path(), Some(&f)));
    assert_eq!(
        r[0].1,
        "the container printed \"Hello, docker!\" — expected \"Hello, Docker!\""
    );

    f.runs.insert(
        "my-docker-app:latest".into(),
        record("sha256:aaa", "Hello, Docker!\n", 3),
    );
    let r = failures(&run("run", ws.path(), Some(&f)));
    assert!(r[0].1.contains("exited with code 3"), "{}", r[0].1);

    f.runs.insert(
        "my-docker-app:latest".into(),
        record("sha256:old", "Hello, Docker!\n", 0),
    );
    let r = failures(&run("run", ws.path(), Some(&f)));
    assert!(r[0].1.contains("rebuilt since it last ran"), "{}", r[0].1);
}

#[test]
fn a_shell_run_with_rm_explains_why_output_is_missing() {
    let ws = guide_workspace();
    let mut f = facts_with_image(ws.path());
    f.runs.insert(
        "my-docker-app:latest".into(),
        RunRecord {
            image_id: "sha256:aaa".into(),
            exit_code: Some(0),
            output: None,
            source: RunSource::Shell,
            ..RunRecord::default()
        },
    );
    let r = failures(&run("run", ws.path(), Some(&f)));
    assert!(r[0].1.contains("--rm"), "{}", r[0].1);
}

#[test]
fn verify_lesson_lists_the_tag() {
    let ws = guide_workspace();
    assert_eq!(
        failures(&run(
            "verify",
            ws.path(),
            Some(&facts_with_image(ws.path()))
        )),
        vec![]
    );
    let mut f = facts_with_image(ws.path());
    f.images[0].repo_tags = vec!["my-docker-app:1.0".into()];
    assert_eq!(failures(&run("verify", ws.path(), Some(&f))).len(), 2);
}

#[test]
fn an_image_older_than_its_files_is_said_once_first() {
    let ws = guide_workspace();
    let mut f = facts_with_image(ws.path());
    f.images[0].created = 1;
    f.details.get_mut("my-docker-app:latest").unwrap().cmd = vec!["python3".into()];
    f.runs.insert(
        "my-docker-app:latest".into(),
        record("sha256:aaa", "Hello, docker!\n", 0),
    );
    let out = run("run", ws.path(), Some(&f));
    let r = failures(&out);
    assert_eq!(r.len(), 1, "{r:?}");
    assert!(
        r[0].1.starts_with("the image my-docker-app is older than"),
        "{}",
        r[0].1
    );
    assert!(
        r[0].1.contains("built 1970-01-01 00:00:01 UTC"),
        "{}",
        r[0].1
    );
    assert!(
        out[2]
            .fix
            .as_deref()
            .unwrap()
            .ends_with("docker build -t my-docker-app ."),
        "{:?}",
        out[2].fix
    );
    // A rebuild wholly from the cache keeps the creation time but tags anew.
    f.details
        .get_mut("my-docker-app:latest")
        .unwrap()
        .last_tagged = Some(crate::progress::unix_now() as i64 + 60);
    let r = failures(&run("run", ws.path(), Some(&f)));
    assert!(r[0].1.contains("printed \"Hello, docker!\""), "{}", r[0].1);
}

#[test]
fn an_image_of_other_files_fails_the_guide_lessons() {
    let ws = guide_workspace();
    let f = facts_with_image(ws.path());
    // Someone else's app.py (a classmate's build on a shared engine): the
    // image is newer than the learner's files, and still not theirs.
    std::fs::write(ws.path().join("app.py"), "print(\"Hello, World!\")\n").unwrap();
    for lesson in ["build", "run", "verify"] {
        let r = failures(&run(lesson, ws.path(), Some(&f)));
        let current = r
            .iter()
            .find(|(label, _)| label.contains("your files as they are now"))
            .unwrap_or_else(|| panic!("{lesson}: {r:?}"));
        assert!(
            current
                .1
                .contains("/app/app.py in my-docker-app:latest is not your app.py"),
            "{}",
            current.1
        );
    }
}
