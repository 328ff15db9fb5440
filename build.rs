//! Names the commit docktutor is built from, for `docktutor --version`.
//!
//! In a git checkout: `git rev-parse --short=12 HEAD`. In a packaged crate
//! (`cargo install docktutor`, or `cargo package`) there is no `.git`, but
//! cargo writes the commit it packaged into `.cargo_vcs_info.json`. Without
//! either (a tarball of the sources, an image build) the version says
//! "commit unknown", unless DOCKTUTOR_COMMIT names it.

use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    let dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    // An image build has no .git: `docker build --build-arg
    // DOCKTUTOR_COMMIT=$(git rev-parse --short=12 HEAD)` passes it in.
    println!("cargo:rerun-if-env-changed=DOCKTUTOR_COMMIT");
    let given = std::env::var("DOCKTUTOR_COMMIT")
        .ok()
        .filter(|c| !c.trim().is_empty());
    let commit = given
        .or_else(|| from_git(&dir))
        .or_else(|| from_vcs_info(&dir))
        .unwrap_or_else(|| "commit unknown".to_string());
    println!("cargo:rustc-env=DOCKTUTOR_COMMIT={commit}");
    println!("cargo:rerun-if-changed=build.rs");
    if dir.join(".cargo_vcs_info.json").exists() {
        println!("cargo:rerun-if-changed=.cargo_vcs_info.json");
    }
    pack_relative_relocations();
}

/// A position-independent binary carries a relocation entry for every
/// pointer in its tables (400 KB here), all read at start-up. Packed
/// relative relocations (DT_RELR) say the same in a few KB, which glibc
/// understands since 2.36: asked for only when this machine's glibc has it,
/// since the binary then needs it too. Only the binary's own link changes
/// (not the dependencies'), and a linker that does not know the option
/// warns and ignores it.
fn pack_relative_relocations() {
    let target = |k: &str| std::env::var(k).unwrap_or_default();
    let native = target("TARGET") == target("HOST");
    if !(native
        && target("CARGO_CFG_TARGET_OS") == "linux"
        && target("CARGO_CFG_TARGET_ENV") == "gnu")
    {
        return;
    }
    let glibc = Command::new("getconf")
        .arg("GNU_LIBC_VERSION")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|v| {
            let (major, minor) = v.trim().strip_prefix("glibc ")?.split_once('.')?;
            Some((major.parse::<u32>().ok()?, minor.parse::<u32>().ok()?))
        });
    if glibc.is_some_and(|v| v >= (2, 36)) {
        println!("cargo:rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
    }
}

fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .ok()?;
    let text = String::from_utf8(out.stdout).ok()?;
    let text = text.trim();
    (out.status.success() && !text.is_empty()).then(|| text.to_string())
}

fn from_git(dir: &Path) -> Option<String> {
    // Only this crate's own repository: a packaged crate unpacked inside
    // some other checkout must not take that checkout's commit.
    let top = git(dir, &["rev-parse", "--show-toplevel"])?;
    if std::fs::canonicalize(&top).ok()? != std::fs::canonicalize(dir).ok()? {
        return None;
    }
    let commit = git(dir, &["rev-parse", "--short=12", "HEAD"])?;
    // Rebuild when HEAD moves: HEAD itself (a checkout) and the branch it
    // points to (a commit) — its loose ref, or packed-refs in a fresh clone.
    // In a worktree HEAD is in the worktree's git dir, branches in the
    // common one. Only files that exist: cargo reruns the script on every
    // build for a missing one. Never the whole refs/heads folder: other
    // branches' commits would rebuild this one.
    let abs = |p: String| {
        let p = PathBuf::from(p);
        if p.is_absolute() { p } else { dir.join(p) }
    };
    let mut watch = Vec::new();
    if let Some(git_dir) = git(dir, &["rev-parse", "--git-dir"]).map(abs) {
        watch.push(git_dir.join("HEAD"));
    }
    if let Some(common) = git(dir, &["rev-parse", "--git-common-dir"]).map(abs) {
        let branch = git(dir, &["symbolic-ref", "-q", "HEAD"]).map(|b| common.join(b));
        match branch.filter(|b| b.exists()) {
            Some(loose) => watch.push(loose),
            None => watch.push(common.join("packed-refs")),
        }
    }
    for path in watch.into_iter().filter(|p| p.exists()) {
        println!("cargo:rerun-if-changed={}", path.display());
    }
    Some(commit)
}

/// `{"git": {"sha1": "…", "dirty": true}, …}`, as cargo package writes it.
fn from_vcs_info(dir: &Path) -> Option<String> {
    let text = std::fs::read_to_string(dir.join(".cargo_vcs_info.json")).ok()?;
    let at = text.find("\"sha1\"")?;
    let rest = &text[at + "\"sha1\"".len()..];
    let start = rest.find('"')? + 1;
    let len = rest[start..].find('"')?;
    let sha: String = rest[start..start + len].chars().take(12).collect();
    if sha.is_empty() || !sha.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    let dirty = text.contains("\"dirty\": true") || text.contains("\"dirty\":true");
    Some(if dirty { format!("{sha}, dirty") } else { sha })
}
