//! The course speaks to a learner on their own machine, with Docker Desktop
//! or Docker Engine and the official images. Nothing a learner reads — a
//! lesson, its hint, a check's label or fix, a solution or starter file —
//! may mention the environment this project tests in (base-image stand-ins,
//! a classroom, an offline engine). Where the stand-ins differ from the
//! official images, the tests say so (see `tests/standins.rs`), never the
//! lessons.

use std::path::{Path, PathBuf};

/// Words that only make sense in the project's test environment. Matched
/// case-insensitively, anywhere in the text.
const TEST_ENVIRONMENT: &[&str] = &[
    "stand-in",
    "standin",
    "stand in for",
    "classroom",
    "offline",
    "no internet",
    "without internet",
    "no registry",
    "docktutor's tests",
    "our tests",
    "test environment",
];

/// Every file a learner can read: the lessons (front matter included) and
/// every asset they point at.
fn learner_files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for entry in std::fs::read_dir(root.join("lessons")).expect("lessons/") {
        let path = entry.expect("entry").path();
        // lessons/README.md is the authors' format guide, not a lesson.
        if path.extension().is_some_and(|e| e == "md") && !path.ends_with("README.md") {
            files.push(path);
        }
    }
    collect(&root.join("assets"), &mut files);
    files.sort();
    files
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            collect(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// `file:line: text` for every line that mentions one of `words`.
fn mentions(files: &[PathBuf], words: &[&str]) -> Vec<String> {
    let mut hits = Vec::new();
    for path in files {
        let text = std::fs::read_to_string(path).expect("learner files are text");
        for (n, line) in text.lines().enumerate() {
            let lower = line.to_lowercase();
            for word in words {
                if lower.contains(word) {
                    hits.push(format!(
                        "{}:{}: {word:?} in {line:?}",
                        path.display(),
                        n + 1
                    ));
                }
            }
        }
    }
    hits
}

#[test]
fn no_lesson_hint_or_solution_mentions_the_test_environment() {
    let files = learner_files();
    assert!(
        files.len() > 30,
        "expected the 15 lessons and their assets, found {files:?}"
    );
    let hits = mentions(&files, TEST_ENVIRONMENT);
    assert!(
        hits.is_empty(),
        "a learner would read about our test environment:\n{}",
        hits.join("\n")
    );
}

/// The grep can fail: planted in a copy of a real lesson, a forbidden
/// word is found, with its file and line.
#[test]
fn the_grep_finds_a_planted_mention() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let lesson = std::fs::read_to_string(root.join("lessons/06-minimal-base.md")).expect("lesson");
    let planted = dir.path().join("06-minimal-base.md");
    std::fs::write(
        &planted,
        format!("{lesson}\n> Here the base images are Offline Stand-ins.\n"),
    )
    .expect("write");
    let hits = mentions(&[planted], TEST_ENVIRONMENT);
    assert_eq!(hits.len(), 2, "{hits:#?}");
    assert!(hits[0].contains("06-minimal-base.md:"), "{hits:#?}");
}
