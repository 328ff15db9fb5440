//! `docktutor check --format text|json|junit` and the learner's name, on
//! the file-only lessons (no engine needed).

mod support;

use std::path::Path;
use std::process::Command;

use support::{bin, write_guide};

fn check(home: &Path, args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
    let mut cmd = Command::new(bin());
    cmd.arg("check")
        .args(args)
        .args(["--workdir", "my-docker-app"])
        .current_dir(home)
        .env("DOCKTUTOR_DATA_DIR", home.join("data"))
        .env_remove("DOCKTUTOR_LEARNER");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("docktutor")
}

fn json(out: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("{e}: {}", String::from_utf8_lossy(&out.stdout));
    })
}

#[test]
fn json_carries_the_schema_the_learner_and_each_checks_time() {
    let home = tempfile::tempdir().expect("tempdir");
    write_guide(&home.path().join("my-docker-app"));
    let out = check(
        home.path(),
        &["1", "2", "--format", "json", "--learner", "ada"],
        &[],
    );
    assert!(out.status.success());
    let j = json(&out);
    assert_eq!(j["schema"], 1);
    assert_eq!(j["learner"], "ada");
    assert!(j["workspace"].as_str().unwrap().ends_with("my-docker-app"));
    assert!(j["checked_at"].as_u64().unwrap() > 1_700_000_000);
    let lesson = &j["lessons"][1];
    assert_eq!(lesson["number"], 2);
    assert_eq!(lesson["status"], "pass");
    let c = &lesson["checks"][0];
    assert_eq!(c["status"], "pass");
    assert!(c["duration_ms"].as_f64().unwrap() >= 0.0);
    assert_eq!(c["last_passed"], j["checked_at"]);

    // --json is the same; DOCKTUTOR_LEARNER names the learner.
    let out = check(
        home.path(),
        &["1", "--json"],
        &[("DOCKTUTOR_LEARNER", "bob")],
    );
    assert_eq!(json(&out)["learner"], "bob");
    // Else the login name.
    let out = check(home.path(), &["1", "--json"], &[("USER", "carol")]);
    assert_eq!(json(&out)["learner"], "carol");
}

#[test]
fn a_failing_check_has_its_reason_fix_and_no_last_pass() {
    let home = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(home.path().join("my-docker-app")).unwrap();
    let out = check(home.path(), &["2", "--format", "json"], &[]);
    assert_eq!(out.status.code(), Some(1));
    let j = json(&out);
    assert_eq!(j["passed"], false);
    let lesson = &j["lessons"][0];
    assert_eq!(lesson["status"], "fail");
    assert!(lesson["last_passed"].is_null());
    let failing: Vec<&serde_json::Value> = lesson["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["status"] == "fail")
        .collect();
    assert!(!failing.is_empty());
    // Every reason in full: none says "same as above".
    for c in &failing {
        let reason = c["reason"].as_str().unwrap();
        assert!(
            !reason.is_empty() && !reason.contains("same as above"),
            "{c}"
        );
    }
}

#[test]
fn junit_has_a_suite_per_lesson_and_a_case_per_check() {
    let home = tempfile::tempdir().expect("tempdir");
    let ws = home.path().join("my-docker-app");
    write_guide(&ws);
    std::fs::remove_file(ws.join("Dockerfile")).unwrap();
    let out = check(home.path(), &["1", "2", "--format", "junit"], &[]);
    assert_eq!(out.status.code(), Some(1));
    let xml = String::from_utf8(out.stdout).unwrap();
    let mut reader = quick_xml::Reader::from_str(&xml);
    let (mut suites, mut cases, mut failures) = (0, 0, 0);
    let mut messages = Vec::new();
    loop {
        match reader.read_event().expect("well-formed XML") {
            quick_xml::events::Event::Eof => break,
            quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e) => {
                match e.name().0 {
                    "testsuite" => suites += 1,
                    "testcase" => cases += 1,
                    "failure" => {
                        failures += 1;
                        let m = e.try_get_attribute("message").unwrap().unwrap();
                        messages.push(m.value.to_string());
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }
    assert_eq!(suites, 2, "{xml}");
    assert!(cases >= 3, "{xml}");
    assert!(failures >= 1, "{xml}");
    assert!(
        messages.iter().any(|m| m.contains("Dockerfile")),
        "{messages:?}"
    );
}

#[test]
fn text_stays_the_default() {
    let home = tempfile::tempdir().expect("tempdir");
    write_guide(&home.path().join("my-docker-app"));
    let out = check(home.path(), &["1"], &[]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("workspace:") && text.contains("✓ 1."),
        "{text}"
    );
}
