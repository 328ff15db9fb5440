//! One writer per progress file. The app asks for saves from its loop, in
//! order, and writes them off the loop; without this, two quick saves (`n`
//! twice) ran as two writes at once and the older snapshot could land last.
//!
//! `submit` (cheap, on the loop) keeps only the newest snapshot; `flush`
//! (blocking, on a worker) writes whatever is newest under one lock. Every
//! submit is followed by a flush, so the file always ends up with the last
//! snapshot submitted; flushes that find nothing new write nothing.

use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};

use super::{Progress, Store};

#[derive(Debug, Clone)]
pub struct Saver {
    store: Store,
    shared: Arc<Shared>,
}

#[derive(Debug, Default)]
struct Shared {
    /// The newest snapshot not yet written.
    newest: Mutex<Option<Progress>>,
    /// Held while writing: one write at a time.
    writing: Mutex<()>,
}

impl Saver {
    pub fn new(store: Store) -> Saver {
        Saver {
            store,
            shared: Arc::default(),
        }
    }

    pub fn path(&self) -> &Path {
        self.store.path()
    }

    /// The store it writes to (the prompt's history lives beside it).
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Replaces the pending snapshot with this newer one.
    pub fn submit(&self, progress: Progress) {
        *lock(&self.shared.newest) = Some(progress);
    }

    /// Writes the newest pending snapshot, if any (blocking).
    pub fn flush(&self) -> std::io::Result<()> {
        let _writing = lock(&self.shared.writing);
        // Taken under the write lock: a snapshot submitted after this is
        // written by its own flush, after this one.
        let Some(progress) = lock(&self.shared.newest).take() else {
            return Ok(());
        };
        self.store.save(&progress)
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::progress::Loaded;

    /// Many saves at once (as quick key presses make them): none fails,
    /// and the file is the newest snapshot and parses.
    #[test]
    fn many_saves_at_once_leave_the_newest() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::for_workspace(dir.path(), Path::new("/tmp/x/my-docker-app"));
        let saver = Saver::new(store.clone());
        let mut handles = Vec::new();
        for i in 0..200u64 {
            let mut p = Progress {
                current: Some(format!("lesson-{i}")),
                ..Progress::default()
            };
            p.done.insert("newest".into(), i);
            saver.submit(p);
            let s = saver.clone();
            handles.push(std::thread::spawn(move || s.flush()));
        }
        for h in handles {
            h.join().unwrap().expect("every save succeeds");
        }
        match store.load() {
            Loaded::Existing(p) => {
                assert_eq!(p.current.as_deref(), Some("lesson-199"));
                assert_eq!(p.done["newest"], 199);
            }
            other => panic!("{other:?}"),
        }
        let left: Vec<_> = std::fs::read_dir(store.path().parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(left.len(), 1, "no temp files left: {left:?}");
    }

    /// The store itself stands concurrent writes too (the headless check
    /// and the app may save one file at once): unique temp names.
    #[test]
    fn concurrent_store_saves_all_succeed() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::for_workspace(dir.path(), Path::new("/tmp/x/my-docker-app"));
        let handles: Vec<_> = (0..64u64)
            .map(|i| {
                let s = store.clone();
                std::thread::spawn(move || {
                    let mut p = Progress::default();
                    p.done.insert("l".into(), i);
                    s.save(&p)
                })
            })
            .collect();
        for h in handles {
            h.join().unwrap().expect("no save fails");
        }
        assert!(matches!(store.load(), Loaded::Existing(_)));
    }
}
