//! Walks a build context and streams the tar archive the docker CLI would
//! send to the daemon (legacy builder).
//!
//! Upstream references (behaviour re-implemented, no code copied):
//! * docker/cli v28.2.2 `cli/command/image/build.go` (`runBuild`),
//!   `cli/command/image/build/context.go` (`GetContextFromLocalDir`,
//!   `getDockerfileRelPath`, `ValidateContextDirectory`) and
//!   `build/dockerignore.go` (`ReadDockerignore`, `TrimBuildFilesFromExcludes`),
//! * moby/go-archive v0.1.0 `archive.go` (`TarWithOptions`, `addTarFile`,
//!   `FileInfoHeader`) and Go's `archive/tar` writer (header layout).
//!
//! What the CLI does, in order:
//! 1. resolve the context directory (symlinks evaluated) and the Dockerfile
//!    (`Dockerfile`, else `dockerfile`; symlinks evaluated, must be inside);
//! 2. read `.dockerignore`;
//! 3. if the legacy single-parent matcher says `.dockerignore` / the
//!    Dockerfile are excluded, append `!.dockerignore` / `!<dockerfile>`;
//! 4. walk the directory in lexical order: excluded files are skipped,
//!    excluded directories are skipped unless an exception pattern starts
//!    with `dir/` (then the walk descends but the directory itself is not
//!    archived); symlinks are archived as symlinks and never followed;
//! 5. write PAX-capable tar headers (USTAR when it fits) with uid/gid 0,
//!    empty user/group names, permission bits and whole-second mtimes;
//!    regular files with several links become hard links to the first
//!    archived name.

use std::collections::HashMap;
use std::ffi::OsString;
use std::fs::{self, File, Metadata};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use super::dockerignore::{Matcher, PatternError, clean_bytes};

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
    ino: u64,
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

/// Size of one top-level item of the context, for "what is big" displays.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopLevelItem {
    pub name: String,
    pub is_dir: bool,
    /// Bytes of regular-file content sent for this item.
    pub bytes: u64,
    /// Archive entries under (and including) this item.
    pub entries: usize,
}

/// A `.dockerignore` line worth adding, for a well-known offender.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    pub pattern: String,
    pub reason: &'static str,
    /// Bytes that adding the line would stop sending.
    pub bytes: u64,
}

/// The result of walking a context: exactly what would be sent, in order.
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
    /// Size in bytes of the archive [`write_tar`] produces.
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

const WELL_KNOWN: &[(&str, &str, &str)] = &[
    (
        ".git",
        ".git",
        "version-control history is never needed in an image",
    ),
    (
        ".venv",
        ".venv",
        "Python virtualenvs are machine specific; install deps in the image",
    ),
    (
        "venv",
        "venv",
        "Python virtualenvs are machine specific; install deps in the image",
    ),
    (
        "node_modules",
        "node_modules",
        "run npm ci in the image instead of sending modules",
    ),
    (
        "__pycache__",
        "**/__pycache__",
        "compiled Python caches are rebuilt anyway",
    ),
    (
        ".env",
        ".env",
        "secrets file: anything sent can end up in an image layer",
    ),
];

/// Walks `root` like `docker build` does and returns what it would send.
///
/// `dockerfile` is the Dockerfile path relative to `root`; empty means the
/// CLI default (`Dockerfile`, or `dockerfile` if only that exists).
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

    let mut walker = Walker {
        matcher: &matcher,
        entries: Vec::new(),
        skipped_special: Vec::new(),
        links: HashMap::new(),
        abs: root.clone(),
        rel: Vec::with_capacity(256),
    };
    walker.walk_dir(None)?;
    let Walker {
        entries,
        skipped_special,
        ..
    } = walker;

    if !entries
        .iter()
        .any(|e| e.path == rel_dockerfile.as_bytes() && e.kind != EntryKind::Dir)
    {
        return Err(PackError::DockerfileExcluded(rel_dockerfile));
    }

    let mut file_count = 0;
    let mut total_bytes = 0;
    let mut archive_size = 1024u64;
    let mut header_buf = Vec::with_capacity(1536);
    let mut top: Vec<TopLevelItem> = Vec::new();
    let mut top_index: HashMap<Vec<u8>, usize> = HashMap::new();
    let mut suggestions: Vec<Suggestion> = Vec::new();
    for e in &entries {
        if matches!(e.kind, EntryKind::File | EntryKind::HardLink { .. }) {
            file_count += 1;
        }
        total_bytes += e.size;
        header_buf.clear();
        go_headers(e, &mut header_buf);
        archive_size += header_buf.len() as u64 + padded(e.size);

        let first = e.path.split(|b| *b == b'/').next().unwrap_or(&[]);
        let idx = *top_index.entry(first.to_vec()).or_insert_with(|| {
            top.push(TopLevelItem {
                name: String::from_utf8_lossy(first).into_owned(),
                is_dir: false,
                bytes: 0,
                entries: 0,
            });
            top.len() - 1
        });
        let item = &mut top[idx];
        item.bytes += e.size;
        item.entries += 1;
        item.is_dir |= e.kind == EntryKind::Dir || e.path.len() > first.len();
        for comp_end in component_ends(&e.path) {
            let prefix = &e.path[..comp_end];
            let name = prefix.rsplit(|b| *b == b'/').next().unwrap_or(&[]);
            for (known, pattern, reason) in WELL_KNOWN {
                if name != known.as_bytes() {
                    continue;
                }
                let top_level = comp_end == first.len();
                let pattern = if top_level || pattern.starts_with("**/") {
                    pattern.to_string()
                } else {
                    format!("**/{known}")
                };
                match suggestions.iter_mut().find(|s| s.pattern == pattern) {
                    Some(s) => s.bytes += e.size,
                    None => suggestions.push(Suggestion {
                        pattern,
                        reason,
                        bytes: e.size,
                    }),
                }
            }
        }
    }
    top.sort_by(|a, b| b.bytes.cmp(&a.bytes).then_with(|| a.name.cmp(&b.name)));
    suggestions.sort_by(|a, b| {
        let secret = |s: &Suggestion| !s.pattern.ends_with(".env");
        secret(a)
            .cmp(&secret(b))
            .then_with(|| b.bytes.cmp(&a.bytes))
    });

    Ok(ContextPlan {
        root,
        dockerfile: rel_dockerfile,
        dockerignore,
        matcher,
        entries,
        file_count,
        total_bytes,
        largest: top,
        suggestions,
        skipped_special,
        archive_size,
    })
}

/// End offsets of each path component: `a/b/c` gives 1, 3, 5.
fn component_ends(path: &[u8]) -> impl Iterator<Item = usize> + '_ {
    path.iter()
        .enumerate()
        .filter(|(_, b)| **b == b'/')
        .map(|(i, _)| i)
        .chain(std::iter::once(path.len()))
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

struct Walker<'a> {
    matcher: &'a Matcher,
    entries: Vec<Entry>,
    skipped_special: Vec<String>,
    links: HashMap<u64, Vec<u8>>,
    abs: PathBuf,
    rel: Vec<u8>,
}

impl Walker<'_> {
    fn rel_string(&self) -> String {
        String::from_utf8_lossy(&self.rel).into_owned()
    }

    fn walk_dir(&mut self, parent_info: Option<&[bool]>) -> Result<(), PackError> {
        let unreadable = |w: &Self, source| PackError::Unreadable {
            path: if w.rel.is_empty() {
                ".".to_string()
            } else {
                w.rel_string()
            },
            source,
        };
        let read = fs::read_dir(&self.abs).map_err(|e| unreadable(self, e))?;
        let mut children: Vec<(OsString, fs::FileType)> = Vec::new();
        for item in read {
            let item = item.map_err(|e| unreadable(self, e))?;
            let ft = item.file_type().map_err(|e| unreadable(self, e))?;
            children.push((item.file_name(), ft));
        }
        children.sort_unstable_by(|a, b| name_bytes(&a.0).cmp(&name_bytes(&b.0)));

        let mut info: Vec<bool> = Vec::new();
        for (name, ft) in children {
            let rel_len = self.rel.len();
            if rel_len > 0 {
                self.rel.push(b'/');
            }
            self.rel.extend_from_slice(&name_bytes(&name));
            self.abs.push(&name);
            let result = self.visit(ft, parent_info, &mut info);
            self.abs.pop();
            self.rel.truncate(rel_len);
            result?;
        }
        Ok(())
    }

    fn visit(
        &mut self,
        ft: fs::FileType,
        parent_info: Option<&[bool]>,
        info: &mut Vec<bool>,
    ) -> Result<(), PackError> {
        let is_dir = ft.is_dir();
        let skip = self.matcher.matches_with_parent(
            &self.rel,
            parent_info,
            if is_dir { Some(&mut *info) } else { None },
        )?;
        if skip {
            if is_dir && self.matcher.could_reinclude_under_bytes(&self.rel) {
                let mine = std::mem::take(info);
                let r = self.walk_dir(Some(&mine));
                *info = mine;
                return r;
            }
            return Ok(());
        }
        let meta = fs::symlink_metadata(&self.abs).map_err(|source| PackError::Unreadable {
            path: self.rel_string(),
            source,
        })?;
        let ft = meta.file_type();
        let kind = if ft.is_dir() {
            EntryKind::Dir
        } else if ft.is_symlink() {
            let target = fs::read_link(&self.abs).map_err(|source| PackError::Unreadable {
                path: self.rel_string(),
                source,
            })?;
            EntryKind::Symlink {
                target: name_bytes(target.as_os_str()).into_owned(),
            }
        } else if ft.is_file() {
            if let Err(source) = File::open(&self.abs) {
                return Err(PackError::Unreadable {
                    path: self.rel_string(),
                    source,
                });
            }
            EntryKind::File
        } else {
            self.skipped_special.push(self.rel_string());
            return Ok(());
        };
        let (mode, mtime, nlink, ino) = unix_fields(&meta);
        let mut entry = Entry {
            path: self.rel.clone(),
            size: if kind == EntryKind::File {
                meta.len()
            } else {
                0
            },
            kind,
            mode,
            mtime,
            ino,
        };
        if entry.kind != EntryKind::Dir && nlink > 1 {
            match self.links.get(&ino) {
                Some(first) => {
                    entry.kind = EntryKind::HardLink {
                        target: first.clone(),
                    };
                    entry.size = 0;
                }
                None => {
                    self.links.insert(ino, entry.path.clone());
                }
            }
        }
        let descend = entry.kind == EntryKind::Dir;
        self.entries.push(entry);
        if descend {
            let mine = std::mem::take(info);
            let r = self.walk_dir(Some(&mine));
            *info = mine;
            return r;
        }
        Ok(())
    }
}

#[cfg(unix)]
fn name_bytes(name: &std::ffi::OsStr) -> std::borrow::Cow<'_, [u8]> {
    use std::os::unix::ffi::OsStrExt;
    std::borrow::Cow::Borrowed(name.as_bytes())
}

#[cfg(not(unix))]
fn name_bytes(name: &std::ffi::OsStr) -> std::borrow::Cow<'_, [u8]> {
    match name.to_string_lossy() {
        std::borrow::Cow::Borrowed(s) => std::borrow::Cow::Borrowed(s.as_bytes()),
        std::borrow::Cow::Owned(s) => std::borrow::Cow::Owned(s.into_bytes()),
    }
}

#[cfg(unix)]
fn path_from_bytes(root: &Path, rel: &[u8]) -> PathBuf {
    use std::os::unix::ffi::OsStrExt;
    root.join(std::ffi::OsStr::from_bytes(rel))
}

#[cfg(not(unix))]
fn path_from_bytes(root: &Path, rel: &[u8]) -> PathBuf {
    root.join(String::from_utf8_lossy(rel).as_ref())
}

/// (mode bits, mtime seconds, link count, inode)
#[cfg(unix)]
fn unix_fields(meta: &Metadata) -> (u32, i64, u64, u64) {
    use std::os::unix::fs::MetadataExt;
    (meta.mode() & 0o7777, meta.mtime(), meta.nlink(), meta.ino())
}

#[cfg(not(unix))]
fn unix_fields(meta: &Metadata) -> (u32, i64, u64, u64) {
    // The CLI on Windows forces 0755-style permissions (chmodTarEntry).
    let mode = if meta.permissions().readonly() && !meta.is_dir() {
        0o555
    } else {
        0o755
    };
    let mtime = match meta.modified() {
        Ok(t) => match t.duration_since(std::time::UNIX_EPOCH) {
            Ok(d) => d.as_secs() as i64,
            Err(e) => -(e.duration().as_secs_f64().ceil() as i64),
        },
        Err(_) => 0,
    };
    (mode, mtime, 1, 0)
}

// ---------------------------------------------------------------------------
// Tar writing (byte-compatible with Go's archive/tar as used by go-archive)
// ---------------------------------------------------------------------------

const BLOCK: usize = 512;

fn padded(size: u64) -> u64 {
    size.div_ceil(BLOCK as u64) * BLOCK as u64
}

/// Go `formatOctal`: zero-padded octal leaving room for a NUL; values that do
/// not fit are written as 0.
fn put_octal(field: &mut [u8], value: i64) {
    let value = if fits_octal(field.len(), value) {
        value
    } else {
        0
    };
    let digits = format!("{value:o}");
    let width = field.len() - 1;
    let s = if digits.len() < width {
        format!("{}{digits}", "0".repeat(width - digits.len()))
    } else {
        digits
    };
    put_str(field, s.as_bytes());
}

fn fits_octal(len: usize, value: i64) -> bool {
    let bits = (len as u32 - 1) * 3;
    value >= 0 && (len >= 22 || value < (1i64 << bits))
}

/// Go `formatString`.
fn put_str(field: &mut [u8], s: &[u8]) {
    let n = s.len().min(field.len());
    field[..n].copy_from_slice(&s[..n]);
    if s.len() < field.len() {
        field[s.len()] = 0;
    }
    if s.len() > field.len() && field[field.len() - 1] == b'/' {
        let mut end = field.len();
        while end > 0 && s[end - 1] == b'/' {
            end -= 1;
        }
        field[end] = 0;
    }
}

fn to_ascii(s: &[u8]) -> Vec<u8> {
    s.iter().copied().filter(|&c| c < 0x80 && c != 0).collect()
}

/// Go `splitUSTARPath`.
fn split_ustar(name: &[u8]) -> Option<(&[u8], &[u8])> {
    let mut length = name.len();
    if length <= 100 || !name.is_ascii() {
        return None;
    } else if length > 156 {
        length = 156;
    } else if name[length - 1] == b'/' {
        length -= 1;
    }
    let i = name[..length].iter().rposition(|b| *b == b'/')?;
    let nlen = name.len() - i - 1;
    if i == 0 || nlen > 100 || nlen == 0 || i > 155 {
        return None;
    }
    Some((&name[..i], &name[i + 1..]))
}

fn set_format_and_checksum(block: &mut [u8; BLOCK]) {
    block[257..263].copy_from_slice(b"ustar\0");
    block[263..265].copy_from_slice(b"00");
    let sum: i64 = block
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            if (148..156).contains(&i) {
                32
            } else {
                i64::from(c)
            }
        })
        .sum();
    put_octal(&mut block[148..155], sum);
    block[155] = b' ';
}

fn pax_record(key: &str, value: &[u8]) -> Vec<u8> {
    let base = key.len() + value.len() + 3;
    let mut size = base + base.to_string().len();
    if (base + size.to_string().len()) != size {
        size = base + size.to_string().len();
    }
    let mut rec = format!("{size} {key}=").into_bytes();
    rec.extend_from_slice(value);
    rec.push(b'\n');
    rec
}

/// Appends the header block(s) Go's tar writer emits for `e` (a PAX
/// extended header with its padded data when needed, then the main header).
fn go_headers(e: &Entry, out: &mut Vec<u8>) {
    let name = e.tar_name();
    let (typeflag, link): (u8, &[u8]) = match &e.kind {
        EntryKind::Dir => (b'5', b""),
        EntryKind::File => (b'0', b""),
        EntryKind::Symlink { target } => (b'2', target),
        EntryKind::HardLink { target } => (b'1', target),
    };
    let size = e.size as i64;

    let mut pax: Vec<(&str, Vec<u8>)> = Vec::new();
    let mut ustar_ok = true;
    if !name.is_ascii() || name.len() > 100 {
        if split_ustar(&name).is_none() {
            ustar_ok = false;
        }
        pax.push(("path", name.clone()));
    }
    if !link.is_ascii() || link.len() > 100 {
        ustar_ok = false;
        pax.push(("linkpath", link.to_vec()));
    }
    if !fits_octal(12, size) {
        ustar_ok = false;
        pax.push(("size", size.to_string().into_bytes()));
    }
    if !fits_octal(12, e.mtime) {
        ustar_ok = false;
        pax.push(("mtime", e.mtime.to_string().into_bytes()));
    }

    let mut block = [0u8; BLOCK];
    block[156] = typeflag;
    put_octal(&mut block[100..108], i64::from(e.mode));
    put_octal(&mut block[108..116], 0);
    put_octal(&mut block[116..124], 0);
    put_octal(&mut block[124..136], size);
    put_octal(&mut block[136..148], e.mtime);
    put_octal(&mut block[329..337], 0);
    put_octal(&mut block[337..345], 0);

    if ustar_ok {
        let (prefix, short) = split_ustar(&name).unwrap_or((b"", &name));
        put_str(&mut block[0..100], short);
        put_str(&mut block[157..257], link);
        put_str(&mut block[345..500], prefix);
    } else {
        pax.sort_by(|a, b| a.0.cmp(b.0));
        let data: Vec<u8> = pax.iter().flat_map(|(k, v)| pax_record(k, v)).collect();
        let split_at = name.iter().rposition(|b| *b == b'/').map_or(0, |i| i + 1);
        let (dir, file) = name.split_at(split_at);
        // Go `path.Join(dir, "PaxHeaders.0", file)`: no leading `/` for a
        // top-level name (`dir` is empty or ends in `/`).
        let mut joined = dir.to_vec();
        joined.extend_from_slice(b"PaxHeaders.0/");
        joined.extend_from_slice(file);
        let mut pax_name = to_ascii(&clean_bytes(&joined));
        pax_name.truncate(100);
        while pax_name.last() == Some(&b'/') {
            pax_name.pop();
        }
        let mut xblock = [0u8; BLOCK];
        xblock[156] = b'x';
        put_str(&mut xblock[0..100], &pax_name);
        put_octal(&mut xblock[100..108], 0);
        put_octal(&mut xblock[108..116], 0);
        put_octal(&mut xblock[116..124], 0);
        put_octal(&mut xblock[124..136], data.len() as i64);
        put_octal(&mut xblock[136..148], 0);
        set_format_and_checksum(&mut xblock);
        out.extend_from_slice(&xblock);
        out.extend_from_slice(&data);
        out.resize(
            out.len() + (padded(data.len() as u64) as usize - data.len()),
            0,
        );

        put_str(&mut block[0..100], &to_ascii(&name));
        put_str(&mut block[157..257], &to_ascii(link));
    }
    set_format_and_checksum(&mut block);
    // Use the tar crate's view to double-check the block is well formed.
    debug_assert!(tar::Header::from_byte_slice(&block).cksum().is_ok());
    out.extend_from_slice(&block);
}

struct Counting<W> {
    inner: W,
    count: u64,
}

impl<W: Write> Counting<W> {
    fn put(&mut self, bytes: &[u8]) -> Result<(), PackError> {
        self.inner.write_all(bytes).map_err(PackError::Write)?;
        self.count += bytes.len() as u64;
        Ok(())
    }
}

/// Streams the archive described by `plan` into `out`; file contents are
/// read in 64 KiB chunks as they are written. Returns the bytes written.
pub fn write_tar<W: Write>(plan: &ContextPlan, out: W) -> Result<u64, PackError> {
    let mut w = Counting {
        inner: out,
        count: 0,
    };
    let mut headers = Vec::with_capacity(1536);
    let mut buf = vec![0u8; 64 * 1024];
    for e in &plan.entries {
        headers.clear();
        go_headers(e, &mut headers);
        w.put(&headers)?;
        if e.kind == EntryKind::File && e.size > 0 {
            copy_file(plan, e, &mut w, &mut buf)?;
        }
    }
    w.put(&[0u8; 2 * BLOCK])?;
    w.inner.flush().map_err(PackError::Write)?;
    Ok(w.count)
}

fn copy_file<W: Write>(
    plan: &ContextPlan,
    e: &Entry,
    w: &mut Counting<W>,
    buf: &mut [u8],
) -> Result<(), PackError> {
    let unreadable = |source| PackError::Unreadable {
        path: e.path_str().into_owned(),
        source,
    };
    let path = path_from_bytes(&plan.root, &e.path);
    let file = File::open(&path).map_err(unreadable)?;
    let meta = file.metadata().map_err(unreadable)?;
    let (_, _, _, ino) = unix_fields(&meta);
    if ino != e.ino || !meta.is_file() {
        return Err(PackError::Changed(e.path_str().into_owned()));
    }
    // Like Go's tar writer: never more than the header promised; fewer
    // bytes would corrupt the archive, so that is an error.
    let mut reader = file.take(e.size);
    let mut remaining = e.size;
    while remaining > 0 {
        let n = match reader.read(buf) {
            Ok(0) => return Err(PackError::Changed(e.path_str().into_owned())),
            Ok(n) => n,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
            Err(err) => return Err(unreadable(err)),
        };
        w.put(&buf[..n])?;
        remaining -= n as u64;
    }
    let pad = (padded(e.size) - e.size) as usize;
    if pad > 0 {
        w.put(&[0u8; BLOCK][..pad])?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

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
    /// scripts/equivalence.sh --record) against our plan.
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
    fn pax_record_lengths() {
        assert_eq!(pax_record("path", b"abc"), b"12 path=abc\n");
        // the size field growing a digit is accounted for
        let v = vec![b'a'; 91];
        let r = pax_record("path", &v);
        assert_eq!(r.len(), 101);
        assert!(r.starts_with(b"101 path=a"));
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
        let err = write_tar(&p, Vec::new()).unwrap_err();
        assert!(matches!(err, PackError::Changed(_)), "{err}");
    }
}
