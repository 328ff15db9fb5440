//! The learner's progress, one small TOML file per workspace in the
//! platform's data directory (`DOCKTUTOR_DATA_DIR` overrides it).
//!
//! Writes are atomic (temp file, fsync, rename) so a crash or a kill at any
//! moment leaves either the old file or the new one. A file that does not
//! parse is moved aside, never overwritten, and the learner starts clean.
//! A file that cannot be read at all (a folder in its place, no permission,
//! a link loop) is left exactly as it is, and that store saves nothing until
//! the learner fixes or removes it: starting clean would write over it.

mod atomic;
mod saver;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use serde::{Deserialize, Serialize};

pub use atomic::write_atomic;
pub use saver::Saver;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    /// The workspace this file belongs to (for people reading the file).
    #[serde(default)]
    pub workspace: String,
    /// The lesson the learner was on.
    #[serde(default)]
    pub current: Option<String>,
    /// Lessons passed, with the Unix time they first passed.
    #[serde(default)]
    pub done: BTreeMap<String, u64>,
    /// Docker commands typed at the prompt that ran to the end, oldest
    /// first (the `typed_command` check reads them).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub typed: Vec<String>,
    /// The latest run docktutor made of each image (normalised name): the
    /// container is removed when it ends, so this is what `docktutor
    /// check` reads when the engine keeps no container of the image.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub runs: BTreeMap<String, crate::engine::RunRecord>,
}

/// How much of a run's output the progress file keeps (its start, as the
/// run record itself keeps).
pub const RUN_OUTPUT_KEPT: usize = 4096;

impl Progress {
    /// Keeps `record` as the latest run of `image`, its output cut to the
    /// first [`RUN_OUTPUT_KEPT`] bytes.
    pub fn remember_run(&mut self, image: &str, mut record: crate::engine::RunRecord) {
        if let Some(out) = &mut record.output
            && out.len() > RUN_OUTPUT_KEPT
        {
            let mut cut = RUN_OUTPUT_KEPT;
            while !out.is_char_boundary(cut) {
                cut -= 1;
            }
            out.truncate(cut);
        }
        self.runs
            .insert(crate::engine::normalize_ref(image), record);
    }
}

impl Progress {
    pub fn is_done(&self, lesson: &str) -> bool {
        self.done.contains_key(lesson)
    }
}

#[derive(Debug, Clone)]
pub struct Store {
    path: PathBuf,
    /// Set when loading found a file it could not read: saving would
    /// replace it, so `save` refuses (shared by clones).
    held: Arc<AtomicBool>,
}

/// What loading found.
#[derive(Debug)]
pub enum Loaded {
    Fresh(Progress),
    Existing(Progress),
    /// The file was corrupt; it was moved aside.
    Recovered {
        progress: Progress,
        message: String,
    },
    /// The file is there but could not be read; it is kept as it is and
    /// nothing is saved over it.
    Unreadable {
        message: String,
    },
}

impl Loaded {
    /// False when the file on disk could not be read: saving would
    /// replace what the learner may still want.
    pub fn may_save(&self) -> bool {
        !matches!(self, Loaded::Unreadable { .. })
    }

    pub fn into_parts(self) -> (Progress, Option<String>) {
        match self {
            Loaded::Fresh(p) | Loaded::Existing(p) => (p, None),
            Loaded::Recovered { progress, message } => (progress, Some(message)),
            Loaded::Unreadable { message } => (Progress::default(), Some(message)),
        }
    }
}

/// The folder progress files live in.
pub fn data_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("DOCKTUTOR_DATA_DIR") {
        return Some(PathBuf::from(dir));
    }
    directories::ProjectDirs::from("dev", "docktutor", "docktutor")
        .map(|d| d.data_dir().to_path_buf())
}

impl Store {
    /// The store for a workspace: the file name is the folder's name plus a
    /// stable hash of its absolute path, so two `my-docker-app` folders in
    /// different places keep separate progress.
    pub fn for_workspace(data_dir: &Path, workspace: &Path) -> Store {
        let absolute = std::path::absolute(workspace).unwrap_or_else(|_| workspace.to_path_buf());
        let key = absolute.to_string_lossy();
        let name: String = absolute
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "workspace".into())
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                    c
                } else {
                    '_'
                }
            })
            .take(40)
            .collect();
        Store {
            path: data_dir
                .join("progress")
                .join(format!("{name}-{:016x}.toml", fnv1a(key.as_bytes()))),
            held: Arc::default(),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn load(&self) -> Loaded {
        let bytes = match std::fs::read(&self.path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Loaded::Fresh(Progress::default());
            }
            Err(e) => {
                self.held.store(true, Ordering::SeqCst);
                return Loaded::Unreadable {
                    message: format!(
                        "could not read progress file {} ({e}); it is kept as it is, and \
                         progress will not be saved until you fix or remove it",
                        self.path.display()
                    ),
                };
            }
        };
        let parsed = std::str::from_utf8(&bytes)
            .map_err(|e| e.to_string())
            .and_then(|s| toml::from_str::<Progress>(s).map_err(|e| e.message().to_string()));
        match parsed {
            Ok(p) => Loaded::Existing(p),
            Err(why) => {
                let aside = self
                    .path
                    .with_extension(format!("corrupt-{}.toml", unix_now()));
                let moved = std::fs::rename(&self.path, &aside);
                let message = match moved {
                    Ok(()) => format!(
                        "progress file was damaged ({why}); kept it as {} and started clean",
                        aside.display()
                    ),
                    Err(e) => format!(
                        "progress file {} is damaged ({why}) and could not be moved aside ({e}); started clean",
                        self.path.display()
                    ),
                };
                Loaded::Recovered {
                    progress: Progress::default(),
                    message,
                }
            }
        }
    }

    /// The prompt's history: beside the progress file, one line each.
    pub fn history_path(&self) -> PathBuf {
        self.path.with_extension("history")
    }

    pub fn load_history(&self) -> Vec<String> {
        std::fs::read_to_string(self.history_path())
            .map(|t| {
                t.lines()
                    .filter(|l| !l.is_empty())
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default()
    }

    pub fn save_history(&self, lines: &[String]) -> std::io::Result<()> {
        let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
        write_atomic(&self.history_path(), text.as_bytes())
    }

    pub fn save(&self, progress: &Progress) -> std::io::Result<()> {
        if self.held.load(Ordering::SeqCst) {
            return Err(std::io::Error::other(format!(
                "{} could not be read, so it is not saved over",
                self.path.display()
            )));
        }
        let text = toml::to_string(progress).map_err(std::io::Error::other)?;
        let header = "# docktutor progress — safe to delete to start over\n";
        write_atomic(&self.path, format!("{header}{text}").as_bytes())
    }
}

pub fn unix_now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// FNV-1a: tiny, and stable across Rust versions (unlike std's hasher).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn store(dir: &Path) -> Store {
        Store::for_workspace(dir, Path::new("/tmp/somewhere/my-docker-app"))
    }

    #[test]
    fn round_trips() {
        let dir = tempfile::tempdir().unwrap();
        let s = store(dir.path());
        assert!(matches!(s.load(), Loaded::Fresh(_)));
        let mut p = Progress {
            current: Some("build".into()),
            ..Progress::default()
        };
        p.done.insert("project".into(), 42);
        s.save(&p).unwrap();
        match s.load() {
            Loaded::Existing(q) => assert_eq!(p, q),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn corrupt_file_is_moved_aside_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let s = store(dir.path());
        std::fs::create_dir_all(s.path().parent().unwrap()).unwrap();
        std::fs::write(s.path(), b"current = [unclosed").unwrap();
        let loaded = s.load();
        let (p, msg) = loaded.into_parts();
        assert_eq!(p, Progress::default());
        let msg = msg.unwrap();
        assert!(msg.contains("damaged"), "{msg}");
        assert!(!s.path().exists());
        let kept: Vec<_> = std::fs::read_dir(s.path().parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        assert_eq!(kept.len(), 1);
        assert_eq!(std::fs::read(&kept[0]).unwrap(), b"current = [unclosed");
    }

    /// A folder where the file should be: kept, the reason said, and no
    /// save goes over it.
    #[test]
    fn a_folder_in_place_of_the_file_is_kept_and_not_saved_over() {
        let dir = tempfile::tempdir().unwrap();
        let s = store(dir.path());
        std::fs::create_dir_all(s.path().join("inside")).unwrap();
        let loaded = s.load();
        assert!(!loaded.may_save(), "{loaded:?}");
        let (p, msg) = loaded.into_parts();
        assert_eq!(p, Progress::default());
        let msg = msg.unwrap();
        assert!(
            msg.contains("directory") && msg.contains("not be saved"),
            "{msg}"
        );
        assert!(s.save(&Progress::default()).is_err());
        assert!(s.path().join("inside").is_dir(), "the folder is untouched");
    }

    /// A file that cannot be opened (here a link loop; as a normal user, no
    /// read permission does the same): before, the next save replaced it.
    #[cfg(unix)]
    #[test]
    fn an_unreadable_file_is_not_saved_over() {
        let dir = tempfile::tempdir().unwrap();
        let s = store(dir.path());
        std::fs::create_dir_all(s.path().parent().unwrap()).unwrap();
        std::os::unix::fs::symlink(s.path(), s.path()).unwrap();
        let loaded = s.load();
        assert!(matches!(loaded, Loaded::Unreadable { .. }), "{loaded:?}");
        let err = s.clone().save(&Progress::default()).unwrap_err();
        assert!(err.to_string().contains("not saved over"), "{err}");
        let meta = std::fs::symlink_metadata(s.path()).unwrap();
        assert!(
            meta.file_type().is_symlink(),
            "the learner's file is as it was"
        );
    }

    #[test]
    fn different_folders_with_one_name_do_not_share() {
        let dir = Path::new("/data");
        let a = Store::for_workspace(dir, Path::new("/a/my-docker-app"));
        let b = Store::for_workspace(dir, Path::new("/b/my-docker-app"));
        assert_ne!(a.path(), b.path());
        assert!(a.path().to_string_lossy().contains("my-docker-app-"));
    }

    #[test]
    fn fnv_is_stable() {
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
    }
}
