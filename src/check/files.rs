//! Checks on the workspace's files.

use std::path::Path;

use super::{Verdict, resolve};

pub(super) fn dir_exists(ws: &Path, rel: &str) -> Verdict {
    let Some(path) = resolve(ws, rel) else {
        return Verdict::Fail(format!("{rel:?} is outside the workspace"));
    };
    match std::fs::metadata(&path) {
        Ok(m) if m.is_dir() => Verdict::Pass,
        Ok(_) => Verdict::Fail(format!("{} is a file, not a folder", shown(ws, rel))),
        Err(_) => Verdict::Fail(format!("{} does not exist", shown(ws, rel))),
    }
}

pub(super) fn file_exists(ws: &Path, rel: &str) -> Verdict {
    let Some(path) = resolve(ws, rel) else {
        return Verdict::Fail(format!("{rel:?} is outside the workspace"));
    };
    match std::fs::metadata(&path) {
        Ok(m) if m.is_file() => Verdict::Pass,
        Ok(_) => Verdict::Fail(format!("{rel} is a folder, not a file")),
        Err(_) => Verdict::Fail(format!("{rel} is missing from {}", ws.display())),
    }
}

pub(super) fn file_contains(ws: &Path, rel: &str, text: &str, absent: bool) -> Verdict {
    let content = match read(ws, rel) {
        Ok(c) => c,
        Err(v) => return v,
    };
    match (content.contains(text), absent) {
        (true, false) | (false, true) => Verdict::Pass,
        (false, false) => Verdict::Fail(format!("{rel} does not contain {text:?}")),
        (true, true) => Verdict::Fail(format!("{rel} still contains {text:?}")),
    }
}

/// Reads a workspace file as text, turning every failure into a verdict.
pub(super) fn read(ws: &Path, rel: &str) -> Result<String, Verdict> {
    let path = resolve(ws, rel)
        .ok_or_else(|| Verdict::Fail(format!("{rel:?} is outside the workspace")))?;
    match std::fs::read(&path) {
        Ok(bytes) => String::from_utf8(bytes)
            .map_err(|_| Verdict::Fail(format!("{rel} is not UTF-8 text; save it as UTF-8"))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(Verdict::Fail(format!(
            "{rel} is missing from {}",
            ws.display()
        ))),
        Err(e) => Err(Verdict::Fail(format!("cannot read {rel}: {e}"))),
    }
}

/// The path as a person would write it: the workspace itself for ".".
fn shown(ws: &Path, rel: &str) -> String {
    if rel == "." || rel.is_empty() {
        ws.display().to_string()
    } else {
        ws.join(rel).display().to_string()
    }
}
