//! The walk over the context directory, as go-archive's `TarWithOptions`
//! does it: lexical order per directory, `.dockerignore` decided with the
//! parent directory's per-pattern results, excluded directories entered only
//! when an exception could re-include something below them, symlinks kept
//! as links, further names of a multiply-linked file turned into hard links.

use std::collections::HashMap;
use std::ffi::OsString;
use std::fs::{self, File, Metadata};
use std::path::{Path, PathBuf};

use super::dockerignore::Matcher;
use super::plan::{Entry, EntryKind, PackError};

/// Walks `root` and returns the entries to archive, in archive order, and
/// the special files (sockets, fifos, devices) left out.
pub(super) fn walk(root: &Path, matcher: &Matcher) -> Result<(Vec<Entry>, Vec<String>), PackError> {
    let mut walker = Walker {
        matcher,
        entries: Vec::new(),
        skipped_special: Vec::new(),
        links: HashMap::new(),
        abs: root.to_path_buf(),
        rel: Vec::with_capacity(256),
    };
    walker.walk_dir(None)?;
    Ok((walker.entries, walker.skipped_special))
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
pub(super) fn path_from_bytes(root: &Path, rel: &[u8]) -> PathBuf {
    use std::os::unix::ffi::OsStrExt;
    root.join(std::ffi::OsStr::from_bytes(rel))
}

#[cfg(not(unix))]
pub(super) fn path_from_bytes(root: &Path, rel: &[u8]) -> PathBuf {
    root.join(String::from_utf8_lossy(rel).as_ref())
}

/// (mode bits, mtime seconds, link count, inode)
#[cfg(unix)]
pub(super) fn unix_fields(meta: &Metadata) -> (u32, i64, u64, u64) {
    use std::os::unix::fs::MetadataExt;
    (meta.mode() & 0o7777, meta.mtime(), meta.nlink(), meta.ino())
}

#[cfg(not(unix))]
pub(super) fn unix_fields(meta: &Metadata) -> (u32, i64, u64, u64) {
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
