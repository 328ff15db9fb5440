//! What a learner sees on the guide's own examples and on the corpus files
//! that exercise docktutor's own rules (which hadolint does not have).

use std::path::Path;

use docktutor::lint::{Finding, LintContext, Severity, lint};

fn lint_file(name: &str, has_dockerignore: bool) -> Vec<Finding> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/lint/corpus")
        .join(name);
    let text = std::fs::read_to_string(&path).expect("corpus file exists");
    lint(&text, &LintContext { has_dockerignore }).expect("corpus file parses")
}

fn pairs(findings: &[Finding]) -> Vec<(usize, &'static str)> {
    findings.iter().map(|f| (f.line, f.rule)).collect()
}

#[test]
fn guide_examples_are_clean() {
    for name in ["guide-basic-python.Dockerfile", "guide-non-root.Dockerfile"] {
        assert_eq!(pairs(&lint_file(name, true)), [], "{name}");
        assert_eq!(pairs(&lint_file(name, false)), [(1, "DT1001")], "{name}");
    }
}

#[test]
fn guide_multi_stage_keeps_the_pip_cache() {
    assert_eq!(
        pairs(&lint_file("guide-multi-stage.Dockerfile", true)),
        [(5, "DL3042")]
    );
}

#[test]
fn guide_bad_example() {
    let findings = lint_file("guide-basic-bad.Dockerfile", false);
    assert_eq!(
        pairs(&findings),
        [
            (1, "DL3006"),
            (1, "DT1001"),
            (2, "DL3000"),
            (3, "DT1002"),
            (4, "DL3042"),
            (5, "DL3013"),
            (5, "DL3042"),
            (5, "DL3059"),
            (6, "DL3025"),
        ]
    );
    for f in &findings {
        assert!(!f.message.is_empty() && !f.message.contains('\n'), "{f:?}");
        assert!(!f.why.is_empty() && !f.why.contains('\n'), "{f:?}");
        assert!(f.lesson.is_some(), "{f:?}");
    }
}

#[test]
fn copy_everything_before_install() {
    assert_eq!(
        pairs(&lint_file("node-copy-all-first.Dockerfile", true)),
        [(3, "DT1002")]
    );
    let dt: Vec<usize> = lint_file("copy-everything-variants.Dockerfile", true)
        .iter()
        .filter(|f| f.rule == "DT1002")
        .map(|f| f.line)
        .collect();
    assert_eq!(dt, [2, 5]);
    assert!(
        lint_file("node-good-order.Dockerfile", true)
            .iter()
            .all(|f| f.rule != "DT1002")
    );
}

#[test]
fn secrets_in_env_and_arg() {
    let findings = lint_file("secrets-env-arg.Dockerfile", true);
    let dt: Vec<(usize, &str)> = findings
        .iter()
        .filter(|f| f.rule == "DT1003")
        .map(|f| (f.line, f.message.as_str()))
        .collect();
    let lines: Vec<usize> = dt.iter().map(|(l, _)| *l).collect();
    assert_eq!(lines, [1, 4, 7, 8]);
    assert!(dt[0].1.contains("NPM_TOKEN"));
    // The secret itself is never repeated in the message.
    assert!(
        findings
            .iter()
            .all(|f| !f.message.contains("supersecret") && !f.message.contains("npm_abc123"))
    );
    assert!(
        findings
            .iter()
            .filter(|f| f.rule == "DT1003")
            .all(|f| f.severity == Severity::Error)
    );
}

#[test]
fn findings_serialize_for_the_ui() {
    let findings = lint_file("guide-basic-bad.Dockerfile", true);
    let json = serde_json::to_value(&findings).expect("serializes");
    assert_eq!(json[0]["rule"], "DL3006");
    assert_eq!(json[0]["severity"], "warning");
    assert_eq!(json[0]["lesson"], "minimal-base");
}
