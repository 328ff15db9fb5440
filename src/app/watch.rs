//! Watching the workspace for saves. Debounced, so an editor's burst of
//! writes becomes one re-check. Watching can fail (some VMs, network
//! folders); the app then says so and the re-check key still works.

use std::path::{Path, PathBuf};
use std::time::Duration;

use notify_debouncer_full::notify::RecursiveMode;
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};
use tokio::sync::mpsc;

use crate::state::Msg;

type Inner = Debouncer<notify_debouncer_full::notify::RecommendedWatcher, RecommendedCache>;

pub struct Watcher {
    inner: Inner,
    workspace: PathBuf,
    watching_workspace: bool,
}

impl Watcher {
    /// Watches the workspace (recursively) and its parent (so that the
    /// workspace being created is noticed too).
    pub fn start(workspace: &Path, tx: mpsc::Sender<Msg>) -> Result<Watcher, String> {
        let inner = new_debouncer(
            Duration::from_millis(300),
            Some(Duration::from_millis(150)),
            move |res: DebounceEventResult| {
                if res.is_ok_and(|events| !events.is_empty()) {
                    let _ = tx.try_send(Msg::FilesChanged);
                }
            },
        )
        .map_err(|e| e.to_string())?;
        let mut w = Watcher {
            inner,
            workspace: workspace.to_path_buf(),
            watching_workspace: false,
        };
        if let Some(parent) = workspace.parent().filter(|p| p.exists()) {
            w.inner
                .watch(parent, RecursiveMode::NonRecursive)
                .map_err(|e| format!("cannot watch {}: {e}", parent.display()))?;
        }
        w.refresh();
        Ok(w)
    }

    /// (Re)starts watching the workspace: it may have been created, or
    /// deleted and made again (which ends an inotify watch silently).
    pub fn refresh(&mut self) {
        if self.watching_workspace {
            let _ = self.inner.unwatch(&self.workspace);
        }
        self.watching_workspace = self.workspace.is_dir()
            && self
                .inner
                .watch(&self.workspace, RecursiveMode::Recursive)
                .is_ok();
    }
}
