//! Watching the workspace for saves. Debounced, so an editor's burst of
//! writes becomes one re-check. Watching can fail (some VMs, network
//! folders); the app then says so and the re-check key still works.
//! Links are not followed: a link to `$HOME` inside the workspace must not
//! mean watching (and re-checking on) everything in it.

use std::path::{Path, PathBuf};
use std::time::Duration;

use notify_debouncer_full::notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer_opt};
use tokio::sync::mpsc;

use crate::state::Msg;

/// Quiet time after the last event before the files count as saved: long
/// enough for an editor's burst (write a temporary file, rename it over the
/// old one: a few milliseconds), short enough that a save shows its new
/// check result well within 200 ms.
const DEBOUNCE: Duration = Duration::from_millis(100);
/// How often the debouncer looks for events that have been quiet that long.
const DEBOUNCE_TICK: Duration = Duration::from_millis(20);

type Inner = Debouncer<notify_debouncer_full::notify::RecommendedWatcher, RecommendedCache>;

pub struct Watcher {
    inner: Inner,
    workspace: PathBuf,
    /// The inode of the workspace we watch: a folder deleted and made again
    /// gets a new one, and its old watch is dead.
    watching: Option<u64>,
}

impl Watcher {
    /// Watches the workspace (recursively) and its parent (so that the
    /// workspace being created is noticed too).
    pub fn start(workspace: &Path, tx: mpsc::Sender<Msg>) -> Result<Watcher, String> {
        let inner = new_debouncer_opt(
            DEBOUNCE,
            Some(DEBOUNCE_TICK),
            move |res: DebounceEventResult| {
                // Opening or reading a file (IN_OPEN, IN_ACCESS) changes nothing;
                // counting those would make our own checks re-trigger themselves.
                let changed = res.is_ok_and(|events| {
                    events
                        .iter()
                        .any(|e| !matches!(e.event.kind, EventKind::Access(_)))
                });
                if changed {
                    let _ = tx.try_send(Msg::FilesChanged);
                }
            },
            RecommendedCache::new(),
            notify_debouncer_full::notify::Config::default().with_follow_symlinks(false),
        )
        .map_err(|e| e.to_string())?;
        let mut w = Watcher {
            inner,
            workspace: workspace.to_path_buf(),
            watching: None,
        };
        if let Some(parent) = workspace.parent().filter(|p| p.exists()) {
            w.inner
                .watch(parent, RecursiveMode::NonRecursive)
                .map_err(|e| format!("cannot watch {}: {e}", parent.display()))?;
        }
        w.refresh();
        Ok(w)
    }

    /// (Re)starts watching the workspace when it appeared or was made
    /// again; does nothing (no syscalls beyond one stat) otherwise.
    pub fn refresh(&mut self) {
        let inode = std::fs::metadata(&self.workspace)
            .ok()
            .filter(|m| m.is_dir())
            .map(|m| identity(&m));
        if inode == self.watching {
            return;
        }
        if self.watching.is_some() {
            let _ = self.inner.unwatch(&self.workspace);
        }
        self.watching = inode.filter(|_| {
            self.inner
                .watch(&self.workspace, RecursiveMode::Recursive)
                .is_ok()
        });
    }
}

/// What tells a folder from one made again at the same path: the inode.
#[cfg(unix)]
fn identity(m: &std::fs::Metadata) -> u64 {
    std::os::unix::fs::MetadataExt::ino(m)
}

/// Windows has no stable inode in std: the creation time tells instead.
#[cfg(not(unix))]
fn identity(m: &std::fs::Metadata) -> u64 {
    m.created()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos() as u64)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    /// Drains what arrived within `wait`.
    fn changes(rx: &mut mpsc::Receiver<Msg>, wait: Duration) -> usize {
        std::thread::sleep(wait);
        let mut n = 0;
        while let Ok(msg) = rx.try_recv() {
            n += usize::from(matches!(msg, Msg::FilesChanged));
        }
        n
    }

    /// A link to a folder outside (say `$HOME`) is not watched through;
    /// the workspace's own files still are.
    #[test]
    fn links_out_of_the_workspace_are_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let ws = dir.path().join("a/ws");
        let outside = dir.path().join("b/home");
        std::fs::create_dir_all(&ws).unwrap();
        std::fs::create_dir_all(&outside).unwrap();
        std::os::unix::fs::symlink(&outside, ws.join("home")).unwrap();
        let (tx, mut rx) = mpsc::channel(64);
        let _w = Watcher::start(&ws, tx).unwrap();
        changes(&mut rx, Duration::from_millis(300));

        std::fs::write(outside.join("secret.txt"), "x").unwrap();
        assert_eq!(
            changes(&mut rx, Duration::from_millis(500)),
            0,
            "a write outside the workspace, through a link, was watched"
        );
        std::fs::write(ws.join("Dockerfile"), "FROM x\n").unwrap();
        assert!(
            changes(&mut rx, Duration::from_millis(500)) > 0,
            "the workspace is watched"
        );
    }
}
