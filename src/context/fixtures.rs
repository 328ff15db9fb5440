//! Test support, hidden from the docs: builds a build-context fixture folder
//! from its `tests/data/context/contexts/*.ctx` description (format in that
//! folder's README). Shared by the unit tests in `src/context/tests.rs` and
//! the tests in `tests/engine_context.rs`, which also record each fixture's
//! `.expected` member list from the docker CLI.
//!
//! This module is only ever called from tests: it panics (`expect`) on any
//! I/O error or malformed `.ctx` line, which is what a test wants. Nothing in
//! the application calls it.
#![cfg(unix)]

use std::fs;
use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::{Path, PathBuf};

/// The Dockerfile every fixture gets (at its `dockerfile` path).
pub const TEST_DOCKERFILE: &str = "FROM python:3.9-slim\nCOPY . /ctx\nCMD find /ctx | sort\n";

/// Where the `.ctx` files live in this crate.
pub const CONTEXTS_DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/context/contexts");

/// Every `.ctx` file in [`CONTEXTS_DIR`], sorted by name.
///
/// # Panics
/// If the folder cannot be read (test support only).
pub fn all() -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = fs::read_dir(CONTEXTS_DIR)
        .expect("read the fixtures folder")
        .filter_map(|e| Some(e.ok()?.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "ctx"))
        .collect();
    out.sort();
    out
}

/// Builds the context described by `ctx_file` (`…/<name>.ctx`) under
/// `base/<name>`, plus `base/<name>.outside/` for `outside` files. Returns
/// the context folder and the Dockerfile's path relative to it (as passed
/// with `-f`).
///
/// # Panics
/// On any I/O error, on an unknown directive or malformed line, or if
/// `base/<name>` already holds conflicting entries (test support only).
pub fn materialize(ctx_file: &Path, base: &Path) -> (PathBuf, String) {
    let name = ctx_file
        .file_stem()
        .and_then(|s| s.to_str())
        .expect("a .ctx file name")
        .to_string();
    let root = base.join(&name);
    let chmod = |p: &Path, m: u32| {
        fs::set_permissions(p, fs::Permissions::from_mode(m))
            .unwrap_or_else(|e| panic!("{name}: chmod {}: {e}", p.display()));
    };
    let mkdirs = |rel: &str| {
        let mut p = root.clone();
        for part in rel.split('/') {
            p.push(part);
            if !p.is_dir() {
                fs::create_dir(&p).expect("mkdir");
                chmod(&p, 0o755);
            }
        }
    };
    let parent_of = |p: &str| p.rsplit_once('/').map(|(d, _)| d.to_string());
    fs::create_dir_all(&root).expect("create the context folder");
    let spec = fs::read_to_string(ctx_file).expect("read the .ctx file");
    let (mut ignore, mut bom, mut crlf, mut dockerfile) =
        (Vec::new(), false, false, "Dockerfile".to_string());
    let mut dir_modes = Vec::new();
    for line in spec.split('\n') {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (directive, rest) = line.split_once(' ').unwrap_or((line, ""));
        match directive {
            "dockerfile" => dockerfile = rest.to_string(),
            "file" | "dir" => {
                let (path, mode) = match rest.rsplit_once(' ') {
                    Some((p, m))
                        if (3..=4).contains(&m.len())
                            && m.bytes().all(|b| (b'0'..=b'7').contains(&b)) =>
                    {
                        (p, u32::from_str_radix(m, 8).expect("octal mode"))
                    }
                    _ => (rest, if directive == "file" { 0o644 } else { 0o755 }),
                };
                if let Some(d) = parent_of(path) {
                    mkdirs(&d);
                }
                let full = root.join(path);
                if directive == "file" {
                    fs::write(&full, format!("{path}\n")).expect("write a fixture file");
                    chmod(&full, mode);
                } else {
                    fs::create_dir(&full).expect("create a fixture dir");
                    dir_modes.push((full, mode));
                }
            }
            "link" => {
                let (path, target) = rest
                    .split_once(" -> ")
                    .unwrap_or_else(|| panic!("{name}: `link PATH -> TARGET`: {line}"));
                if let Some(d) = parent_of(path) {
                    mkdirs(&d);
                }
                symlink(target, root.join(path)).expect("symlink");
            }
            "hardlink" => {
                let (path, existing) = rest
                    .split_once(" => ")
                    .unwrap_or_else(|| panic!("{name}: `hardlink PATH => EXISTING`: {line}"));
                fs::hard_link(root.join(existing), root.join(path)).expect("hard link");
            }
            "outside" => {
                let out = base.join(format!("{name}.outside"));
                fs::create_dir_all(&out).expect("create the outside folder");
                fs::write(out.join(rest), format!("SECRET {rest}\n")).expect("write outside");
            }
            "ignore" => ignore.push(rest.to_string()),
            "ignore-bom" => bom = true,
            "ignore-crlf" => crlf = true,
            other => panic!("{name}: unknown directive {other}"),
        }
    }
    if let Some(d) = parent_of(&dockerfile) {
        mkdirs(&d);
    }
    let df = root.join(&dockerfile);
    fs::write(&df, TEST_DOCKERFILE).expect("write the Dockerfile");
    chmod(&df, 0o644);
    if !ignore.is_empty() {
        let nl = if crlf { "\r\n" } else { "\n" };
        let text = format!(
            "{}{}{nl}",
            if bom { "\u{feff}" } else { "" },
            ignore.join(nl)
        );
        let di = root.join(".dockerignore");
        fs::write(&di, text).expect("write .dockerignore");
        chmod(&di, 0o644);
    }
    // Last, so a 0700 (or read-only) dir does not get in the way above.
    for (p, m) in dir_modes {
        chmod(&p, m);
    }
    (root, dockerfile)
}
