//! The build context: which files of the workspace are sent to the engine,
//! packed as a tar the way the docker CLI packs it.
//!
//! TEMPORARY: a plain walk with no `.dockerignore` support; replaced by the
//! CLI-exact packer (issue "Build context exactly like the docker CLI").

use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug)]
pub struct Plan {
    pub root: PathBuf,
    pub entries: Vec<PathBuf>,
    pub file_count: u64,
    pub total_bytes: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum PackError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: String,
        source: std::io::Error,
    },
}

pub fn plan(root: &Path, _dockerfile: &str) -> Result<Plan, PackError> {
    let mut plan = Plan {
        root: root.to_path_buf(),
        entries: Vec::new(),
        file_count: 0,
        total_bytes: 0,
    };
    walk(root, Path::new(""), &mut plan)?;
    Ok(plan)
}

fn walk(root: &Path, rel: &Path, plan: &mut Plan) -> Result<(), PackError> {
    let dir = root.join(rel);
    let io = |source| PackError::Io {
        path: dir.display().to_string(),
        source,
    };
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .map_err(io)?
        .filter_map(Result::ok)
        .map(|e| e.file_name())
        .collect();
    names.sort();
    for name in names {
        let rel_path = rel.join(&name);
        let meta =
            std::fs::symlink_metadata(root.join(&rel_path)).map_err(|source| PackError::Io {
                path: rel_path.display().to_string(),
                source,
            })?;
        plan.entries.push(rel_path.clone());
        if meta.is_dir() {
            walk(root, &rel_path, plan)?;
        } else if meta.is_file() {
            plan.file_count += 1;
            plan.total_bytes += meta.len();
        }
    }
    Ok(())
}

pub fn advice(_plan: &Plan) -> Vec<String> {
    Vec::new()
}

pub fn write_tar<W: Write>(plan: &Plan, out: W) -> Result<(), PackError> {
    let mut builder = tar::Builder::new(out);
    builder.follow_symlinks(false);
    for rel in &plan.entries {
        builder
            .append_path_with_name(plan.root.join(rel), rel)
            .map_err(|source| PackError::Io {
                path: rel.display().to_string(),
                source,
            })?;
    }
    builder.finish().map_err(|source| PackError::Io {
        path: "tar".into(),
        source,
    })
}
