//! Reading the workspace's files, for the kinds that look at them.

use std::path::Path;

use super::{Verdict, resolve};

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
pub(super) fn shown(ws: &Path, rel: &str) -> String {
    if rel == "." || rel.is_empty() {
        ws.display().to_string()
    } else {
        ws.join(rel).display().to_string()
    }
}
