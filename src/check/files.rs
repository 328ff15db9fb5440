//! Reading the workspace's files, for the kinds that look at them. A file
//! that is not there is explained: the project folder missing (and where
//! the files are instead), or a near name of the file.

use std::path::Path;

use super::{Verdict, resolve};
use crate::diagnose::{Diagnosis, invisible, near, workspace};

/// Reads a workspace file as text, turning every failure into a verdict.
pub(super) fn read(ws: &Path, rel: &str) -> Result<String, Verdict> {
    let path = resolve(ws, rel)
        .ok_or_else(|| Verdict::Fail(format!("{rel:?} is outside the workspace")))?;
    if !near::exists_exactly(ws, rel) {
        return Err(missing(ws, rel));
    }
    match std::fs::read(&path) {
        Ok(bytes) => {
            String::from_utf8(bytes).map_err(|e| invisible::not_utf8(rel, e.as_bytes()).into())
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(missing(ws, rel)),
        Err(e) => Err(Verdict::Fail(format!("cannot read {rel}: {e}"))),
    }
}

/// Why `rel` is not in the workspace: the workspace itself is missing
/// (said as the folder check says it, so that it is said once), or the file
/// was saved under a near name, or it is simply not there.
pub(super) fn missing(ws: &Path, rel: &str) -> Verdict {
    if !ws.is_dir() {
        return workspace_missing(ws);
    }
    match near::explain_missing(ws, rel) {
        Some(d) => d.into(),
        None => Verdict::Fail(format!("{rel} is missing from {}", ws.display())),
    }
}

/// The project folder does not exist: where the learner's files are
/// instead, or that it is still to be made.
pub(super) fn workspace_missing(ws: &Path) -> Verdict {
    match workspace::look_around(ws) {
        Some(d) => d.into(),
        None => Diagnosis::new(
            format!("{} does not exist", ws.display()),
            format!(
                "create it from a terminal: mkdir {} (or press w to create it with starter files)",
                crate::diagnose::sh_quote(&crate::diagnose::shown_path(ws))
            ),
        )
        .into(),
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
