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

/// The built-in linter finds none of `rules` in the Dockerfile.
pub(super) fn lint_clean(ws: &Path, rel: &str, rules: &[String]) -> Verdict {
    let Some(path) = resolve(ws, rel) else {
        return Verdict::Fail(format!("{rel:?} is outside the workspace"));
    };
    if !path.is_file() {
        return Verdict::Fail(format!("{rel} is missing from {}", ws.display()));
    }
    match crate::lint::lint_path(&path) {
        Err(e) => Verdict::Fail(e),
        Ok((_, findings)) => {
            let hits: Vec<String> = findings
                .iter()
                .filter(|f| rules.iter().any(|r| r == f.rule))
                .map(|f| format!("line {} {}: {}", f.line, f.rule, f.message))
                .collect();
            if hits.is_empty() {
                Verdict::Pass
            } else {
                Verdict::Fail(hits.join("; "))
            }
        }
    }
}

/// Every requirement line pins an exact version (`name==1.2.3`).
pub(super) fn requirements_pinned(ws: &Path, rel: &str) -> Verdict {
    let text = match read(ws, rel) {
        Ok(t) => t,
        Err(v) => return v,
    };
    for (i, raw) in text.lines().enumerate() {
        let line = raw.split(" #").next().unwrap_or("").trim();
        // Comments, blank lines, and options such as `-r other.txt`.
        if line.is_empty() || line.starts_with('#') || line.starts_with('-') {
            continue;
        }
        let spec = line.split(';').next().unwrap_or(line).trim();
        let pinned = spec.split_once("==").is_some_and(|(name, version)| {
            !name.trim().is_empty()
                && !version.trim().is_empty()
                && !version.contains(['<', '>', '*', ',', '~', '!'])
        });
        if !pinned {
            let name: String = spec
                .chars()
                .take_while(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '[' | ']'))
                .collect();
            return Verdict::Fail(format!(
                "{rel} line {}: {spec} is not pinned — write {}==<version>",
                i + 1,
                if name.is_empty() { spec } else { &name }
            ));
        }
    }
    Verdict::Pass
}
