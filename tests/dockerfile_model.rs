//! The shared Dockerfile model through its public API: every Dockerfile the
//! app ships parses with each instruction on its keyword's line, the lessons'
//! base images come from it, and `normalize` gives what `normalize_ref` gave.

use std::path::Path;

use docktutor::dockerfile::{Dockerfile, ImageRef, normalize};
use proptest::prelude::*;

/// `normalize_ref` as it was before the model (plus the default-registry
/// folding the Podman work added): the oracle for `normalize`.
fn old_normalize_ref(image: &str) -> String {
    let image = [
        "docker.io/library/",
        "index.docker.io/library/",
        "docker.io/",
        "index.docker.io/",
        "localhost/",
    ]
    .iter()
    .find_map(|p| image.strip_prefix(p))
    .filter(|rest| !rest.is_empty())
    .unwrap_or(image);
    let last = image.rsplit('/').next().unwrap_or(image);
    if last.contains(':') || image.contains('@') {
        image.to_string()
    } else {
        format!("{image}:latest")
    }
}

proptest! {
    #[test]
    fn normalize_gives_what_normalize_ref_gave(reference in "[a-z0-9./:@_-]{0,24}") {
        prop_assert_eq!(normalize(&reference), old_normalize_ref(&reference));
    }

    #[test]
    fn references_print_as_written(reference in "([a-z0-9.-]{1,8}(:[0-9]{1,4})?/)?[a-z0-9_/-]{1,12}(:[a-z0-9._-]{1,8})?(@sha256:[0-9a-f]{4,8})?") {
        prop_assert_eq!(ImageRef::parse(&reference).to_string(), reference);
    }
}

/// Build variables are opaque: `${BASE:-debian}` has no tag, so it gets
/// `:latest` like any untagged reference (`normalize_ref` kept it as it
/// was, having read `-debian}` as a tag).
#[test]
fn variables_are_not_tags() {
    assert_eq!(normalize("${BASE:-debian}"), "${BASE:-debian}:latest");
    assert_eq!(normalize("python:${V:-3.9}"), "python:${V:-3.9}");
}

fn shipped_dockerfiles() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut found = Vec::new();
    let mut dirs = vec![root.join("assets"), root.join("tests/lint/corpus")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("readable folder") {
            let path = entry.expect("readable entry").path();
            let name = path.file_name().unwrap_or_default().to_string_lossy();
            if path.is_dir() {
                dirs.push(path);
            } else if name.starts_with("Dockerfile") || name.ends_with(".Dockerfile") {
                let text = std::fs::read_to_string(&path).expect("readable Dockerfile");
                found.push((path.display().to_string(), text));
            }
        }
    }
    found.sort();
    found
}

#[test]
fn every_shipped_dockerfile_puts_instructions_on_their_lines() {
    let files = shipped_dockerfiles();
    assert!(files.len() > 50, "{} files", files.len());
    let mut parsed = 0;
    for (name, text) in &files {
        let Ok(df) = Dockerfile::parse(text) else {
            // The corpus holds a few broken files on purpose, and the starter
            // has only comments; the lessons' solutions must all parse.
            assert!(
                name.contains("corpus") || name.contains("starters"),
                "{name} does not parse"
            );
            continue;
        };
        parsed += 1;
        let lines: Vec<&str> = text.lines().collect();
        for i in &df.instructions {
            let line = lines[i.line - 1].trim_start().to_ascii_uppercase();
            let keyword = line.split_whitespace().next().unwrap_or_default();
            let keyword = keyword.trim_end_matches(['\\', '`']);
            assert!(
                keyword == i.keyword || keyword == "ONBUILD",
                "{name}:{}: {line:?} is not {}",
                i.line,
                i.keyword
            );
        }
    }
    assert!(parsed > 50, "{parsed} parsed");
}

#[test]
fn lessons_base_images_come_from_their_from_lines() {
    let mut bases = docktutor::lesson::builtin().base_images();
    bases.sort();
    // `FROM builder` names a stage, not an image.
    assert_eq!(
        bases,
        ["python:3.9", "python:3.9-alpine", "python:3.9-slim"]
    );
}
