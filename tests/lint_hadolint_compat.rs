//! Proof of compatibility: runs hadolint (`--format json`) and our `lint` on
//! every file in `tests/lint/corpus/` and requires the same (rule, line) pairs, and
//! the same severity, for every rule both implement.
//!
//! hadolint is found through the `HADOLINT` environment variable or `PATH`
//! (`scripts/install-hadolint.sh` installs it). Without it the test fails when
//! `CI` is set and is skipped, loudly, otherwise.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use docktutor::lint::{LintContext, RULE_IDS, lint};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
struct HadolintFinding {
    code: String,
    line: usize,
    level: String,
}

fn find_hadolint() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("HADOLINT").filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(path));
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join("hadolint"))
        .find(|p| p.is_file())
}

fn corpus() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/lint/corpus");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/lint/corpus exists")
        .map(|e| e.expect("readable corpus entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "Dockerfile"))
        .collect();
    files.sort();
    files
}

fn run_hadolint(hadolint: &Path, file: &Path) -> Vec<HadolintFinding> {
    let config = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/lint/hadolint.yaml");
    let mut cmd = Command::new(hadolint);
    cmd.arg("--no-fail")
        .arg("--no-color")
        .arg("--format")
        .arg("json")
        .arg("--config")
        .arg(&config)
        .arg(file);
    // Settings from the environment would change what hadolint reports.
    for (key, _) in std::env::vars_os() {
        if key.to_string_lossy().starts_with("HADOLINT_") {
            cmd.env_remove(key);
        }
    }
    cmd.env("LANG", "C.UTF-8").env("LC_ALL", "C.UTF-8");
    let output = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", hadolint.display()));
    let stdout = String::from_utf8_lossy(&output.stdout);
    serde_json::from_str(&stdout).unwrap_or_else(|e| {
        panic!(
            "hadolint gave no JSON for {} ({e}):\n{stdout}\n{}",
            file.display(),
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

#[test]
fn corpus_is_big_enough() {
    assert!(
        corpus().len() >= 40,
        "the corpus needs at least 40 Dockerfiles"
    );
}

#[test]
fn same_findings_as_hadolint() {
    let Some(hadolint) = find_hadolint() else {
        if std::env::var_os("CI").is_some() {
            panic!(
                "hadolint not found (set HADOLINT or put it on PATH; see scripts/install-hadolint.sh)"
            );
        }
        eprintln!();
        eprintln!("************************************************************************");
        eprintln!("* SKIPPED hadolint compatibility test: hadolint is not installed.       *");
        eprintln!("* Run scripts/install-hadolint.sh, or set HADOLINT=/path/to/hadolint.   *");
        eprintln!("************************************************************************");
        return;
    };
    let version = Command::new(&hadolint)
        .arg("--version")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string());
    eprintln!(
        "comparing with {} ({})",
        hadolint.display(),
        version.unwrap_or_default()
    );

    let shared: BTreeSet<&str> = RULE_IDS
        .iter()
        .copied()
        .filter(|r| r.starts_with("DL"))
        .collect();
    let ctx = LintContext {
        has_dockerignore: true,
    };
    let mut problems = Vec::new();
    let mut compared = 0;
    // A comparison that compared nothing proves nothing: every shared rule
    // must fire at least once in the corpus.
    let mut per_rule: std::collections::BTreeMap<String, usize> = Default::default();
    for file in corpus() {
        let name = file
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        let text = std::fs::read_to_string(&file).expect("corpus file is UTF-8");
        let theirs: Vec<HadolintFinding> = run_hadolint(&hadolint, &file);
        if let Some(err) = theirs.iter().find(|f| f.code == "DL1000") {
            problems.push(format!(
                "{name}: hadolint cannot parse it (line {}); fix the corpus file",
                err.line
            ));
            continue;
        }
        let ours = match lint(&text, &ctx) {
            Ok(f) => f,
            Err(e) => {
                problems.push(format!("{name}: we cannot parse it: {e}"));
                continue;
            }
        };
        let theirs: BTreeSet<(String, usize, String)> = theirs
            .into_iter()
            .filter(|f| shared.contains(f.code.as_str()))
            .map(|f| (f.code, f.line, f.level))
            .collect();
        let ours: BTreeSet<(String, usize, String)> = ours
            .into_iter()
            .filter(|f| shared.contains(f.rule))
            .map(|f| (f.rule.to_string(), f.line, f.severity.to_string()))
            .collect();
        compared += theirs.len();
        for (rule, _, _) in &theirs {
            *per_rule.entry(rule.clone()).or_default() += 1;
        }
        for (rule, line, level) in theirs.difference(&ours) {
            problems.push(format!(
                "{name}:{line}: hadolint reports {rule} ({level}), we do not"
            ));
        }
        for (rule, line, level) in ours.difference(&theirs) {
            problems.push(format!(
                "{name}:{line}: we report {rule} ({level}), hadolint does not"
            ));
        }
    }
    eprintln!("{compared} hadolint findings of shared rules compared");
    for rule in &shared {
        if !per_rule.contains_key(*rule) {
            problems.push(format!(
                "{rule}: hadolint reports it nowhere in the corpus, so it was never compared; \
                 add a file to tests/lint/corpus that triggers it"
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "{} differences from hadolint:\n{}",
        problems.len(),
        problems.join("\n")
    );
}
