//! Paths a lesson names inside the learner's workspace (`edit`, a build's
//! `dockerfile`): checked when the lesson loads, so nothing later — the
//! edit key, `reset` — can be pointed outside the workspace by a lesson.

use std::path::{Component, Path};

/// Ok when `rel` is a plain relative path that stays inside the folder it
/// is joined to: not empty, not absolute (nor a Windows drive or share),
/// no `..`.
pub fn workspace_relative(rel: &str) -> Result<(), String> {
    if rel.trim().is_empty() {
        return Err("is empty".into());
    }
    // `C:x`, `\\server\share`: not absolute on Unix, but they are where
    // lessons written on Windows would point.
    let path = Path::new(rel);
    let leaves = path.components().any(|c| {
        matches!(
            c,
            Component::ParentDir | Component::RootDir | Component::Prefix(_)
        )
    }) || rel.contains('\\')
        || rel.chars().nth(1) == Some(':');
    if path.is_absolute() || leaves {
        return Err(format!(
            "{rel:?} must be a path inside the workspace (relative, no `..`)"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_paths_inside_pass() {
        for ok in [
            "Dockerfile",
            "app/app.py",
            "./Dockerfile.alpine",
            ".dockerignore",
        ] {
            assert_eq!(workspace_relative(ok), Ok(()), "{ok}");
        }
        for bad in [
            "",
            " ",
            "../x",
            "a/../../x",
            "/etc/passwd",
            "C:\\x",
            "C:x",
            "\\\\srv\\s",
        ] {
            assert!(workspace_relative(bad).is_err(), "{bad:?}");
        }
    }
}
