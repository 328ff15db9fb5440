//! Atomic file replacement: write a temp file beside the target, fsync it,
//! rename it over the target, fsync the folder.
//!
//! A writer killed mid-write (kill -9, power loss) leaves its temp file
//! behind; the next successful write removes those of writers that are
//! gone, so they never pile up. A live writer's temp file is left alone.
//! Every write has its own temp name (`.NAME.tmp-PID-N`): two writes of one
//! process at once must never share, truncate or rename each other's file.

use std::io::Write;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

/// Numbers this process's temp files.
static NEXT_TMP: AtomicU64 = AtomicU64::new(0);

pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let n = NEXT_TMP.fetch_add(1, Ordering::Relaxed);
    let tmp = dir.join(format!(".{file_name}.tmp-{}-{n}", std::process::id()));
    let result = (|| {
        // create_new: never truncate or follow whatever is already there.
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        drop(f);
        std::fs::rename(&tmp, path)?;
        // Make the rename itself durable.
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
        sweep_stale(dir, &file_name);
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Removes `.{file_name}.tmp-PID[-N]` files whose writer is gone.
fn sweep_stale(dir: &Path, file_name: &str) {
    let prefix = format!(".{file_name}.tmp-");
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name
            .to_str()
            .and_then(|n| n.strip_prefix(&prefix))
            .and_then(|p| p.split('-').next())
            .and_then(|p| p.parse::<u32>().ok())
        else {
            continue;
        };
        if pid != std::process::id() && writer_gone(pid, &entry) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

fn writer_gone(pid: u32, entry: &std::fs::DirEntry) -> bool {
    if Path::new("/proc/self").exists() {
        return !Path::new(&format!("/proc/{pid}")).exists();
    }
    // No /proc: a write takes milliseconds, so a temp file untouched for a
    // minute belongs to no live writer.
    entry
        .metadata()
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.elapsed().ok())
        .is_some_and(|age| age > std::time::Duration::from_secs(60))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_and_leaves_no_temp_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("sub/f.toml");
        write_atomic(&p, b"one").unwrap();
        write_atomic(&p, b"two").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"two");
        let names: Vec<_> = std::fs::read_dir(p.parent().unwrap()).unwrap().collect();
        assert_eq!(names.len(), 1);
    }

    #[test]
    fn removes_temp_files_of_dead_writers_only() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("f.toml");
        // pid 1 is alive; no process has a pid this large.
        let live = dir.path().join(".f.toml.tmp-1");
        let dead = dir.path().join(format!(".f.toml.tmp-{}", u32::MAX - 1));
        let dead_numbered = dir.path().join(format!(".f.toml.tmp-{}-7", u32::MAX - 1));
        let other = dir.path().join(".g.toml.tmp-4294967294");
        for f in [&live, &dead, &dead_numbered, &other] {
            std::fs::write(f, b"partial").unwrap();
        }
        write_atomic(&p, b"one").unwrap();
        assert!(live.exists(), "a live writer's temp file is left alone");
        assert!(!dead.exists(), "a dead writer's temp file is removed");
        assert!(!dead_numbered.exists(), "numbered ones too");
        assert!(other.exists(), "another file's temp files are not ours");
    }
}
