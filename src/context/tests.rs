//! Tests of planning, walking, writing and advice together, on real
//! folders: the recorded docker CLI member lists of every fixture, walk
//! order, exceptions, re-included build files, symlinks, modes, hard links,
//! long names and the learner's suggestions.

use std::fs;
use std::path::Path;

use super::*;

fn write(root: &Path, rel: &str, body: &str) {
    let p = root.join(rel);
    if let Some(parent) = p.parent() {
        fs::create_dir_all(parent).unwrap();
    }
    fs::write(p, body).unwrap();
}

fn ctx(files: &[(&str, &str)]) -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    for (rel, body) in files {
        write(d.path(), rel, body);
    }
    d
}

fn tar_names(plan: &ContextPlan) -> Vec<String> {
    let mut bytes = Vec::new();
    let n = write_tar(plan, &mut bytes).unwrap();
    assert_eq!(n as usize, bytes.len());
    assert_eq!(n, plan.archive_size);
    let mut ar = tar::Archive::new(&bytes[..]);
    ar.entries()
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            String::from_utf8_lossy(&e.path_bytes()).into_owned()
        })
        .collect()
}

const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/context/");
/// Replays what the real docker CLI sent for each fixture (recorded by
/// `every_fixture_archive_is_the_docker_clis_byte_for_byte` in
/// tests/engine_context.rs with DOCKTUTOR_RECORD_FIXTURES=1) against our plan.
#[cfg(unix)]
#[test]
fn fixtures_match_recorded_cli_archives() {
    let ctx_files = crate::context::fixtures::all();
    assert!(ctx_files.len() >= 8, "{ctx_files:?}");
    let base = tempfile::tempdir().unwrap();
    for ctx_file in ctx_files {
        let name = ctx_file.file_stem().unwrap().to_str().unwrap();
        let (root, dockerfile) = crate::context::fixtures::materialize(&ctx_file, base.path());
        assert_eq!(root, base.path().join(name));
        let p = plan(&root, &dockerfile).unwrap();
        let mut got = String::new();
        for e in &p.entries {
            let (ty, link) = match &e.kind {
                EntryKind::Dir => ("dir", Vec::new()),
                EntryKind::File => ("file", Vec::new()),
                EntryKind::Symlink { target } => ("symlink", target.clone()),
                EntryKind::HardLink { target } => ("hardlink", target.clone()),
            };
            got.push_str(&format!(
                "{}\t{ty}\t{:04o}\t0:0\t{}\t{}\n",
                String::from_utf8_lossy(&e.tar_name()),
                e.mode,
                e.size,
                String::from_utf8_lossy(&link)
            ));
        }
        let want = fs::read_to_string(format!("{DATA}contexts/{name}.expected")).unwrap();
        assert_eq!(got, want, "fixture {name}");
        // and the archive parses back to the same member names
        let names = tar_names(&p);
        assert_eq!(names.len(), p.entries.len(), "fixture {name}");
    }
}

#[test]
fn walk_order_is_lexical_per_directory() {
    let d = ctx(&[
        ("Dockerfile", "FROM x"),
        ("a.txt", "1"),
        ("a/b", "2"),
        ("a-b", "3"),
        ("B", "4"),
    ]);
    let p = plan(d.path(), "").unwrap();
    assert_eq!(
        tar_names(&p),
        ["B", "Dockerfile", "a/", "a/b", "a-b", "a.txt"]
    );
}

#[test]
fn exception_inside_excluded_dir_skips_the_dir_entry() {
    let d = ctx(&[
        ("Dockerfile", "FROM x"),
        (".dockerignore", "node_modules\n!node_modules/keep.txt\n"),
        ("node_modules/keep.txt", "k"),
        ("node_modules/lib/x.js", "x"),
    ]);
    let p = plan(d.path(), "").unwrap();
    assert_eq!(
        tar_names(&p),
        [".dockerignore", "Dockerfile", "node_modules/keep.txt"]
    );
}

#[test]
fn dockerfile_and_dockerignore_are_reincluded() {
    let d = ctx(&[
        ("Dockerfile", "FROM x"),
        (".dockerignore", "*\n"),
        ("app.py", "print()"),
    ]);
    let p = plan(d.path(), "").unwrap();
    assert_eq!(tar_names(&p), [".dockerignore", "Dockerfile"]);
    let texts: Vec<_> = p.matcher.patterns().iter().map(|p| p.text()).collect();
    assert_eq!(texts, ["*", ".dockerignore", "Dockerfile"]);
}

#[test]
fn nested_dockerfile_reincluded_without_its_dir() {
    let d = ctx(&[
        ("docker/Dockerfile", "FROM x"),
        ("docker/other", "o"),
        (".dockerignore", "docker\n"),
    ]);
    let p = plan(d.path(), "docker/Dockerfile").unwrap();
    assert_eq!(p.dockerfile, "docker/Dockerfile");
    assert_eq!(tar_names(&p), [".dockerignore", "docker/Dockerfile"]);
}

#[test]
fn dockerfile_the_legacy_check_misses_is_an_error() {
    let d = ctx(&[("a/b/c/Dockerfile", "FROM x"), (".dockerignore", "**/c\n")]);
    let err = plan(d.path(), "a/b/c/Dockerfile").unwrap_err();
    assert!(matches!(err, PackError::DockerfileExcluded(_)), "{err}");
}

#[test]
fn lowercase_dockerfile_fallback_and_missing() {
    let d = ctx(&[("dockerfile", "FROM x")]);
    assert_eq!(plan(d.path(), "").unwrap().dockerfile, "dockerfile");
    let d = ctx(&[("x", "y")]);
    let err = plan(d.path(), "").unwrap_err();
    assert!(
        err.to_string().contains("Cannot locate Dockerfile"),
        "{err}"
    );
}

#[test]
fn bad_dockerignore_line_is_reported() {
    let d = ctx(&[("Dockerfile", "FROM x"), (".dockerignore", "ok\n[\n")]);
    let err = plan(d.path(), "").unwrap_err();
    assert!(err.to_string().contains("line 2"), "{err}");
}

#[cfg(unix)]
#[test]
fn symlinks_are_stored_not_followed() {
    use std::os::unix::fs::symlink;
    let outside = tempfile::tempdir().unwrap();
    write(outside.path(), "secret", "s3cr3t");
    let d = ctx(&[("Dockerfile", "FROM x"), ("dir/f", "1")]);
    symlink(outside.path().join("secret"), d.path().join("out")).unwrap();
    symlink("dir", d.path().join("in")).unwrap();
    let p = plan(d.path(), "").unwrap();
    let mut bytes = Vec::new();
    write_tar(&p, &mut bytes).unwrap();
    assert!(!bytes.windows(6).any(|w| w == b"s3cr3t"));
    let mut ar = tar::Archive::new(&bytes[..]);
    let mut seen = Vec::new();
    for e in ar.entries().unwrap() {
        let e = e.unwrap();
        let name = String::from_utf8_lossy(&e.path_bytes()).into_owned();
        let ty = e.header().entry_type();
        if ty == tar::EntryType::Symlink {
            let target = e.link_name().unwrap().unwrap().into_owned();
            seen.push(format!("{name} -> {}", target.display()));
        }
        assert_eq!(e.header().uid().unwrap(), 0);
        assert_eq!(e.header().gid().unwrap(), 0);
        assert_eq!(e.header().username_bytes(), Some(&b""[..]));
    }
    assert_eq!(
        seen,
        [
            "in -> dir".to_string(),
            format!("out -> {}", outside.path().join("secret").display())
        ]
    );
}

#[cfg(unix)]
#[test]
fn modes_mtimes_and_hardlinks() {
    use std::os::unix::fs::PermissionsExt;
    let d = ctx(&[("Dockerfile", "FROM x"), ("run.sh", "#!/bin/sh\n")]);
    fs::set_permissions(d.path().join("run.sh"), fs::Permissions::from_mode(0o4751)).unwrap();
    fs::hard_link(d.path().join("run.sh"), d.path().join("z-link")).unwrap();
    let p = plan(d.path(), "").unwrap();
    let run = p.entries.iter().find(|e| e.path == b"run.sh").unwrap();
    assert_eq!(run.mode, 0o4751);
    let meta = fs::metadata(d.path().join("run.sh")).unwrap();
    use std::os::unix::fs::MetadataExt;
    assert_eq!(run.mtime, meta.mtime());
    let link = p.entries.iter().find(|e| e.path == b"z-link").unwrap();
    assert_eq!(
        link.kind,
        EntryKind::HardLink {
            target: b"run.sh".to_vec()
        }
    );
    assert_eq!(p.file_count, 3);
    assert_eq!(tar_names(&p), ["Dockerfile", "run.sh", "z-link"]);
}

#[test]
fn long_and_unicode_names_use_ustar_prefix_or_pax() {
    let long_dir = "d".repeat(60);
    let long_file = format!("{long_dir}/{}", "f".repeat(60));
    let very_long = "x".repeat(120);
    let d = ctx(&[
        ("Dockerfile", "FROM x"),
        (long_file.as_str(), "1"),
        (very_long.as_str(), "2"),
        ("héllo.txt", "3"),
    ]);
    let p = plan(d.path(), "").unwrap();
    let names = tar_names(&p);
    assert!(names.contains(&long_file));
    assert!(names.contains(&very_long));
    assert!(names.contains(&"héllo.txt".to_string()));
    let mut bytes = Vec::new();
    write_tar(&p, &mut bytes).unwrap();
    // Go's toASCII drops the non-ASCII bytes from the PAX header's name.
    assert!(bytes.windows(21).any(|w| w == b"PaxHeaders.0/hllo.txt"));
}

#[test]
fn suggestions_and_largest() {
    let big = "x".repeat(5000);
    let d = ctx(&[
        ("Dockerfile", "FROM x"),
        (".env", "SECRET=1"),
        (".git/objects/aa", big.as_str()),
        ("src/__pycache__/m.pyc", "c"),
        ("src/main.py", "print()"),
    ]);
    let p = plan(d.path(), "").unwrap();
    assert_eq!(p.largest[0].name, ".git");
    assert_eq!(p.largest[0].bytes, 5000);
    assert!(p.largest[0].is_dir);
    let pats: Vec<&str> = p.suggestions.iter().map(|s| s.pattern.as_str()).collect();
    assert_eq!(pats, [".env", ".git", "**/__pycache__"]);
}

#[test]
fn changed_file_is_detected() {
    let d = ctx(&[("Dockerfile", "FROM x"), ("f", "0123456789")]);
    let p = plan(d.path(), "").unwrap();
    fs::write(d.path().join("f"), "01").unwrap();
    let mut out = Vec::new();
    let err = write_tar(&p, &mut out).unwrap_err();
    assert!(matches!(err, PackError::Changed(_)), "{err}");
    // the archive stops where it failed: f's header and the 2 bytes it still
    // had, no padding, no closing blocks
    assert_eq!(out.len() % 512, 2, "{}", out.len());
    assert!(out.ends_with(b"01"));
}
