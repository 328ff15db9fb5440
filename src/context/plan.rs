//! Planning the build context: which files of the workspace `docker build`
//! sends, in which order, as what kind of member — exactly as the docker CLI
//! decides for the legacy builder.
//!
//! Upstream references (behaviour re-implemented, no code copied):
//! * docker/cli v28.2.2 `cli/command/image/build.go` (`runBuild`),
//!   `cli/command/image/build/context.go` (`GetContextFromLocalDir`,
//!   `getDockerfileRelPath`, `ValidateContextDirectory`) and
//!   `build/dockerignore.go` (`ReadDockerignore`, `TrimBuildFilesFromExcludes`),
//! * moby/go-archive v0.1.0 `archive.go` (`TarWithOptions`, `addTarFile`).
//!
//! What the CLI does, in order:
//! 1. resolve the context directory (symlinks evaluated) and the Dockerfile
//!    (`Dockerfile`, else `dockerfile`; symlinks evaluated, must be inside);
//! 2. read `.dockerignore`;
//! 3. if the legacy single-parent matcher says `.dockerignore` / the
//!    Dockerfile are excluded, append `!.dockerignore` / `!<dockerfile>`;
//! 4. walk the directory (`walk.rs`).
//!
//! Writing the archive is `archive.rs`; sizes and suggestions for the
//! learner are `advice.rs`.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use super::advice::{Suggestion, TopLevelItem, summarize};
use super::dockerignore::{Matcher, PatternError};

/// Why a context cannot be planned or written.
#[derive(Debug, thiserror::Error)]
pub enum PackError {
    #[error("unable to prepare context: {path}: {source}")]
    Context {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    #[error("context must be a directory: {0}")]
    NotADirectory(PathBuf),
    #[error("Cannot locate Dockerfile: {0}")]
    DockerfileMissing(PathBuf),
    #[error(
        "the Dockerfile {0} is outside the build context (docker would send it separately; not supported here)"
    )]
    DockerfileOutsideContext(PathBuf),
    #[error(
        "the Dockerfile {0} is excluded by .dockerignore and docker would not re-include it; the daemon would fail with \"Cannot locate specified Dockerfile\""
    )]
    DockerfileExcluded(String),
    #[error("error reading .dockerignore: {source}")]
    DockerignoreRead {
        #[source]
        source: io::Error,
    },
    #[error("invalid .dockerignore: {0}")]
    Dockerignore(#[from] PatternError),
    #[error("can't read '{path}': {source}")]
    Unreadable {
        path: String,
        #[source]
        source: io::Error,
    },
    #[error("'{0}' changed while the build context was being sent")]
    Changed(String),
    #[error("writing the build context: {0}")]
    Write(#[source] io::Error),
}

/// What kind of tar entry an [`Entry`] becomes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EntryKind {
    Dir,
    File,
    /// A symbolic link; the target is stored verbatim and never read.
    Symlink {
        target: Vec<u8>,
    },
    /// A further name of a multiply-linked file already in the archive.
    HardLink {
        target: Vec<u8>,
    },
}

/// One archive member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Relative, slash-separated path without a trailing slash (raw bytes:
    /// file names need not be UTF-8).
    pub path: Vec<u8>,
    pub kind: EntryKind,
    /// Permission bits including setuid/setgid/sticky (`mode & 0o7777`).
    pub mode: u32,
    /// Modification time, whole seconds since the epoch.
    pub mtime: i64,
    /// Bytes of content (regular files only, else 0).
    pub size: u64,
    /// Inode at planning time: the file written must be the file planned.
    pub(super) ino: u64,
}

impl Entry {
    /// The path as text (lossy for non-UTF-8 names).
    pub fn path_str(&self) -> std::borrow::Cow<'_, str> {
        String::from_utf8_lossy(&self.path)
    }

    /// The name as it appears in the tar (directories end in `/`).
    pub fn tar_name(&self) -> Vec<u8> {
        let mut n = self.path.clone();
        if self.kind == EntryKind::Dir {
            n.push(b'/');
        }
        n
    }
}

#[derive(Debug, Clone)]
pub struct ContextPlan {
    /// Context directory with symlinks resolved.
    pub root: PathBuf,
    /// Dockerfile path relative to the context, as sent to the daemon.
    pub dockerfile: String,
    /// The patterns of `.dockerignore` as read.
    pub dockerignore: Matcher,
    /// The patterns in force, including the exceptions the CLI appends.
    pub matcher: Matcher,
    pub entries: Vec<Entry>,
    /// Regular files and hard links.
    pub file_count: usize,
    /// Sum of regular-file sizes.
    pub total_bytes: u64,
    /// Top-level items, largest first.
    pub largest: Vec<TopLevelItem>,
    pub suggestions: Vec<Suggestion>,
    /// Sockets, fifos and device files that were left out (the CLI would
    /// send fifos and devices as special entries; docktutor does not).
    pub skipped_special: Vec<String>,
    /// Size in bytes of the archive [`write_tar`](super::write_tar) produces.
    pub archive_size: u64,
}

impl ContextPlan {
    /// Sorted relative entry names (directories without trailing slash).
    pub fn names(&self) -> Vec<String> {
        let mut v: Vec<String> = self
            .entries
            .iter()
            .map(|e| e.path_str().into_owned())
            .collect();
        v.sort();
        v
    }

    /// Files the (legacy) daemon deletes from its copy of the context after
    /// reading the Dockerfile, before any `COPY`: `.dockerignore` and the
    /// Dockerfile, when `.dockerignore` excludes them (daemon
    /// `removeDockerfile`, legacy single-parent matching).
    pub fn daemon_removes(&self) -> Vec<String> {
        [".dockerignore", self.dockerfile.as_str()]
            .into_iter()
            .filter(|f| {
                self.entries.iter().any(|e| e.path == f.as_bytes())
                    && self.dockerignore.matches_single_parent(f).unwrap_or(false)
            })
            .map(str::to_string)
            .collect()
    }
}

pub fn plan(root: &Path, dockerfile: &str) -> Result<ContextPlan, PackError> {
    let root = fs::canonicalize(root).map_err(|source| PackError::Context {
        path: root.to_path_buf(),
        source,
    })?;
    let meta = fs::symlink_metadata(&root).map_err(|source| PackError::Context {
        path: root.clone(),
        source,
    })?;
    if !meta.is_dir() {
        return Err(PackError::NotADirectory(root));
    }
    let rel_dockerfile = resolve_dockerfile(&root, dockerfile)?;

    let dockerignore = match fs::read(root.join(".dockerignore")) {
        Ok(bytes) => Matcher::parse(&String::from_utf8_lossy(&bytes))?,
        Err(e) if e.kind() == io::ErrorKind::NotFound => Matcher::empty(),
        Err(source) => return Err(PackError::DockerignoreRead { source }),
    };
    let mut matcher = dockerignore.clone();
    // TrimBuildFilesFromExcludes (errors are ignored upstream too).
    if matcher
        .matches_single_parent(".dockerignore")
        .unwrap_or(false)
    {
        matcher.push("!.dockerignore", 0)?;
    }
    if matcher
        .matches_single_parent(&rel_dockerfile)
        .unwrap_or(false)
    {
        matcher.push(&format!("!{rel_dockerfile}"), 0)?;
    }

    let (entries, skipped_special) = super::walk::walk(&root, &matcher)?;

    if !entries
        .iter()
        .any(|e| e.path == rel_dockerfile.as_bytes() && e.kind != EntryKind::Dir)
    {
        return Err(PackError::DockerfileExcluded(rel_dockerfile));
    }

    let summary = summarize(&entries);
    let archive_size = super::archive::archive_size(&entries);
    Ok(ContextPlan {
        root,
        dockerfile: rel_dockerfile,
        dockerignore,
        matcher,
        entries,
        file_count: summary.file_count,
        total_bytes: summary.total_bytes,
        largest: summary.largest,
        suggestions: summary.suggestions,
        skipped_special,
        archive_size,
    })
}

fn resolve_dockerfile(root: &Path, dockerfile: &str) -> Result<String, PackError> {
    let mut candidate = root.join(if dockerfile.is_empty() {
        "Dockerfile"
    } else {
        dockerfile
    });
    if dockerfile.is_empty() && fs::symlink_metadata(&candidate).is_err() {
        let alt = root.join("dockerfile");
        if fs::symlink_metadata(&alt).is_ok() {
            candidate = alt;
        }
    }
    let resolved = fs::canonicalize(&candidate)
        .map_err(|_| PackError::DockerfileMissing(candidate.clone()))?;
    let rel = resolved
        .strip_prefix(root)
        .map_err(|_| PackError::DockerfileOutsideContext(resolved.clone()))?;
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.is_empty() {
        return Err(PackError::DockerfileMissing(candidate));
    }
    Ok(parts.join("/"))
}
