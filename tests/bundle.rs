//! `docktutor bundle`: the lessons' base images saved into one file that
//! `docktutor load` reads back; a base image nobody has is named, not
//! waited on; and `doctor` names bundle + load as the fix.

mod support;

use std::io::Read;
use std::path::Path;
use std::time::{Duration, Instant};

use support::*;

/// The tar's manifest.json: each image's RepoTags.
fn manifest_tags(tar_file: &Path) -> Vec<Vec<String>> {
    let file = std::fs::File::open(tar_file).expect("open the bundle");
    let mut archive = tar::Archive::new(file);
    for entry in archive.entries().expect("a tar") {
        let mut entry = entry.expect("entry");
        if entry.path().expect("path").as_os_str() == "manifest.json" {
            let mut text = String::new();
            entry.read_to_string(&mut text).expect("manifest.json");
            let manifest: serde_json::Value = serde_json::from_str(&text).expect("JSON");
            return manifest
                .as_array()
                .expect("a list")
                .iter()
                .map(|m| {
                    m["RepoTags"]
                        .as_array()
                        .map(|tags| {
                            tags.iter()
                                .filter_map(|t| t.as_str().map(str::to_string))
                                .collect()
                        })
                        .unwrap_or_default()
                })
                .collect();
        }
    }
    panic!("no manifest.json in {}", tar_file.display());
}

fn text(out: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Bundles the built-in lessons' base images from this engine (they are
/// all here), then loads the file back into the same engine: a reload that
/// changes nothing, and every base image is still there afterwards.
#[test]
fn bundle_saves_every_lesson_base_image_and_load_reads_it() {
    if !engine_available() {
        return;
    }
    let bases = docktutor::lesson::builtin().base_images();
    assert!(bases.len() >= 2, "the lessons use several bases: {bases:?}");
    let home = tempfile::tempdir().expect("tempdir");
    let tar_file = home.path().join("class.tar");
    let out = docktutor_on(
        "unix:///var/run/docker.sock",
        home.path(),
        &["bundle", "-o", tar_file.to_str().expect("utf-8")],
    );
    let said = text(&out);
    assert!(out.status.success(), "bundle failed:\n{said}");
    assert!(
        said.contains("docktutor load"),
        "says what to do next:\n{said}"
    );
    let tags = manifest_tags(&tar_file);
    for base in &bases {
        assert!(
            tags.iter().any(|t| t.contains(base)),
            "{base} missing from manifest.json: {tags:?}"
        );
    }
    assert!(
        !home.path().join(".class.tar.partial").exists(),
        "the partial file is renamed into place"
    );

    let out = docktutor_on(
        "unix:///var/run/docker.sock",
        home.path(),
        &["load", tar_file.to_str().expect("utf-8")],
    );
    let said = text(&out);
    assert!(out.status.success(), "load failed:\n{said}");
    for base in &bases {
        assert!(
            said.contains(base.as_str()),
            "{base} was not loaded:\n{said}"
        );
        let inspect = docker_cli(&["image", "inspect", base], home.path());
        assert!(inspect.status.success(), "{base} is gone after the reload");
    }
}

/// A lesson folder whose only base image no engine has.
fn lessons_with_absent_base(missing: &str) -> tempfile::TempDir {
    let lessons = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(lessons.path().join("assets/absent")).expect("assets");
    std::fs::write(
        lessons.path().join("assets/absent/Dockerfile"),
        format!("FROM {missing}:1\nCMD [\"true\"]\n"),
    )
    .expect("Dockerfile");
    std::fs::write(
        lessons.path().join("01-only.md"),
        "+++\nid = \"only\"\ntitle = \"Only\"\nsolution = [\"absent/Dockerfile\"]\n\n[[checks]]\nkind = \"file_exists\"\npath = \"Dockerfile\"\n+++\nA lesson whose base image nobody has.\n",
    )
    .expect("lesson");
    lessons
}

/// Nothing can be pulled here: bundle names the image it could not get,
/// promptly, and leaves no file behind; doctor's fix is bundle + load.
#[test]
fn a_base_image_that_cannot_be_pulled_is_named() {
    if !engine_available() {
        return;
    }
    let missing = unique("docktutor-test-absent-base");
    let lessons = lessons_with_absent_base(&missing);
    let home = tempfile::tempdir().expect("tempdir");
    let tar_file = home.path().join("class.tar");
    let started = Instant::now();
    let out = docktutor_on(
        "unix:///var/run/docker.sock",
        home.path(),
        &[
            "--lessons",
            lessons.path().to_str().expect("utf-8"),
            "bundle",
            "-o",
            tar_file.to_str().expect("utf-8"),
        ],
    );
    let said = text(&out);
    assert!(!out.status.success(), "bundle cannot succeed:\n{said}");
    assert!(
        said.contains(&format!("pulling {missing}:1")),
        "says it pulls:\n{said}"
    );
    assert!(
        said.contains(&format!(
            "{missing}:1 is not in the engine and could not be pulled"
        )),
        "names the image:\n{said}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(90),
        "gave up only after {:?}",
        started.elapsed()
    );
    assert!(!tar_file.exists(), "no bundle is written");

    let out = docktutor_on(
        "unix:///var/run/docker.sock",
        home.path(),
        &[
            "--lessons",
            lessons.path().to_str().expect("utf-8"),
            "doctor",
        ],
    );
    let said = text(&out);
    assert!(
        said.contains("docktutor bundle") && said.contains("docktutor load"),
        "doctor names bundle and load as the fix:\n{said}"
    );
}
