//! `docktutor reset`: start the course over. It touches only what is
//! ours — the progress file, containers labelled by the app — and, after
//! one question, the workspace files the lessons name:
//!
//! - a file identical to one of the lessons' starters or solutions is
//!   removed (the lessons can write it again);
//! - any other lesson-named file is the learner's work: it is moved to a
//!   dated folder under docktutor's data directory, never deleted;
//! - `.env`, links, folders, anything resolving outside the workspace and
//!   every file the lessons never name are left alone.
//!
//! On a shared engine only this learner's containers are removed; `reset
//! --learner NAME` removes NAME's containers and NAME's namespaced images
//! (`NAME/my-docker-app:*`), so the next person at the laptop starts from
//! lesson 1 for real — and never anyone else's.

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::Setup;
use super::engine::connect_or_explain;
use crate::docker::learner::Identity;
use crate::lesson::LessonSet;

pub async fn run(
    setup: &Setup,
    yes: bool,
    keep_files: bool,
    identity: Option<&Identity>,
    named: bool,
) -> ExitCode {
    let mut failed = false;

    if let Some(store) = &setup.store {
        match std::fs::remove_file(store.path()) {
            Ok(()) => println!("progress forgotten ({})", store.path().display()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => println!("no progress saved yet"),
            Err(e) => {
                eprintln!(
                    "docktutor: could not remove {}: {e}",
                    store.path().display()
                );
                failed = true;
            }
        }
    }

    // Whose containers: on a shared engine, or for a named learner, only
    // theirs.
    let only = identity
        .filter(|i| named || i.shared.is_some())
        .map(|i| i.learner.as_str());
    match connect_or_explain(setup).await {
        Some(conn) => {
            match crate::docker::remove_labelled_containers(&conn.docker, only).await {
                Ok(ids) if ids.is_empty() => {
                    println!("no containers of docktutor's left in the engine")
                }
                Ok(ids) => println!("removed docktutor's containers: {}", ids.join(", ")),
                Err(e) => {
                    eprintln!("docktutor: could not remove containers: {e}");
                    failed = true;
                }
            }
            if named && let Some(id) = identity {
                failed |= !remove_images(&conn.docker, setup, id).await;
            }
        }
        None => println!("(engine not reached: its containers were left alone)"),
    }

    if !keep_files {
        let kept_in = crate::progress::data_dir().map(|d| d.join("reset"));
        let plan = plan(&setup.workspace, &setup.lessons, kept_in.is_some());
        failed |= !carry_out(&setup.workspace, &plan, kept_in.as_deref(), yes);
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// `reset --learner NAME`: NAME's namespaced images of the taught names.
async fn remove_images(docker: &bollard::Docker, setup: &Setup, identity: &Identity) -> bool {
    let Some(ns) = crate::lesson::namespace::of_learner(&identity.learner) else {
        return true;
    };
    let taught = super::learner::taught(&setup.lessons);
    match crate::docker::remove_namespace_images(docker, &ns, &taught).await {
        Ok(names) if names.is_empty() => {
            println!("no images of {} in the engine", identity.learner);
            true
        }
        Ok(names) => {
            println!(
                "removed {}'s images: {}",
                identity.learner,
                names.join(", ")
            );
            true
        }
        Err(e) => {
            eprintln!(
                "docktutor: could not remove {}'s images: {e}",
                identity.learner
            );
            false
        }
    }
}

/// What reset does with one lesson-named file.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Fate {
    /// Identical to a starter or a solution.
    Remove,
    /// The learner's own version: kept under the data directory.
    Move,
    /// Not touched, and why.
    Leave(&'static str),
}

#[derive(Debug)]
struct Planned {
    name: String,
    fate: Fate,
}

/// Every lesson-named file present in the workspace, with its fate.
fn plan(workspace: &Path, lessons: &LessonSet, can_move: bool) -> Vec<Planned> {
    let mut names: Vec<&str> = lessons
        .lessons
        .iter()
        .flat_map(|l| {
            l.solution
                .iter()
                .chain(l.starters.iter())
                .map(|f| f.name.as_str())
                .chain(l.edit.as_deref())
        })
        // Solution scripts (commands.sh) are shown, never written.
        .filter(|n| !n.ends_with(".sh"))
        .collect();
    names.sort_unstable();
    names.dedup();
    let real_workspace = workspace.canonicalize().ok();
    names
        .into_iter()
        .filter_map(|name| {
            let path = workspace.join(name);
            let meta = std::fs::symlink_metadata(&path).ok()?;
            let fate = fate(name, &path, &meta, real_workspace.as_deref(), lessons);
            let fate = match fate {
                Fate::Move if !can_move => Fate::Leave("no data folder to keep it in"),
                other => other,
            };
            Some(Planned {
                name: name.to_string(),
                fate,
            })
        })
        .collect()
}

fn fate(
    name: &str,
    path: &Path,
    meta: &std::fs::Metadata,
    real_workspace: Option<&Path>,
    lessons: &LessonSet,
) -> Fate {
    if name == ".env" || name.ends_with("/.env") {
        return Fate::Leave("may hold secrets");
    }
    if crate::check::resolve(Path::new("."), name).is_none() {
        return Fate::Leave("outside the workspace");
    }
    if meta.file_type().is_symlink() {
        return Fate::Leave("a link: reset never follows links");
    }
    // A folder on the way may be a link out of the workspace.
    let inside = path
        .canonicalize()
        .ok()
        .zip(real_workspace)
        .is_some_and(|(real, ws)| real.starts_with(ws));
    if !inside {
        return Fate::Leave("resolves outside the workspace");
    }
    if !meta.is_file() {
        return Fate::Leave("not a file");
    }
    let Ok(bytes) = std::fs::read(path) else {
        return Fate::Leave("could not be read");
    };
    let file_name = name.rsplit('/').next().unwrap_or(name);
    let ours = lessons
        .lessons
        .iter()
        .flat_map(|l| l.solution.iter().chain(l.starters.iter()))
        .any(|f| f.name == file_name && f.text.as_bytes() == bytes.as_slice());
    if ours { Fate::Remove } else { Fate::Move }
}

/// Shows the plan, asks once (unless `yes`), and carries it out. False when
/// something could not be done.
fn carry_out(workspace: &Path, plan: &[Planned], kept_in: Option<&Path>, yes: bool) -> bool {
    if !plan.iter().any(|p| !matches!(p.fate, Fate::Leave(_))) {
        for p in plan {
            if let Fate::Leave(why) = p.fate {
                println!("  keep    {} ({why})", p.name);
            }
        }
        println!(
            "no lesson files to remove or move in {}",
            workspace.display()
        );
        return true;
    }
    println!(
        "\nThese files in {} are named by the lessons:",
        workspace.display()
    );
    for p in plan {
        match p.fate {
            Fate::Remove => println!("  remove  {} (same as the lesson's file)", p.name),
            Fate::Move => println!("  move    {} (your own version)", p.name),
            Fate::Leave(why) => println!("  keep    {} ({why})", p.name),
        }
    }
    if let Some(dir) = kept_in {
        println!(
            "Moved files go to a dated folder in {}; nothing of yours is deleted.",
            dir.display()
        );
    }
    if !(yes || ask("Go ahead? Files the lessons never name stay. [y/N] ")) {
        println!("kept your files");
        return true;
    }
    let mut ok = true;
    let mut removed = 0;
    let mut moved_to: Option<PathBuf> = None;
    for p in plan {
        let path = workspace.join(&p.name);
        match p.fate {
            Fate::Remove => match std::fs::remove_file(&path) {
                Ok(()) => removed += 1,
                Err(e) => {
                    eprintln!("docktutor: could not remove {}: {e}", p.name);
                    ok = false;
                }
            },
            Fate::Move => {
                let Some(base) = kept_in else { continue };
                let dest_dir = match &moved_to {
                    Some(d) => d.clone(),
                    None => match dated_folder(base) {
                        Ok(d) => moved_to.insert(d).clone(),
                        Err(e) => {
                            eprintln!(
                                "docktutor: could not make a folder in {}: {e}; your files were left where they are",
                                base.display()
                            );
                            return false;
                        }
                    },
                };
                if let Err(e) = move_file(&path, &dest_dir.join(&p.name)) {
                    eprintln!(
                        "docktutor: could not move {}: {e}; left it where it is",
                        p.name
                    );
                    ok = false;
                }
            }
            Fate::Leave(_) => {}
        }
    }
    println!(
        "removed {removed} file{}",
        if removed == 1 { "" } else { "s" }
    );
    if let Some(dir) = moved_to {
        println!(
            "moved your own versions to {}\n  to get them back: cp -a \"{}/.\" \"{}/\"",
            dir.display(),
            dir.display(),
            workspace.display()
        );
    }
    ok
}

/// A new folder `BASE/YYYY-MM-DDTHH-MM-SSZ` (with `-2`, `-3`… when a reset
/// in the same second made one already).
fn dated_folder(base: &Path) -> std::io::Result<PathBuf> {
    std::fs::create_dir_all(base)?;
    let stamp = utc_stamp(crate::progress::unix_now());
    for n in 1.. {
        let dir = if n == 1 {
            base.join(&stamp)
        } else {
            base.join(format!("{stamp}-{n}"))
        };
        match std::fs::create_dir(&dir) {
            Ok(()) => return Ok(dir),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(e),
        }
    }
    unreachable!("some suffix is free")
}

/// Renames, or copies and then removes when the data directory is on
/// another file system. The copy is synced before the original goes.
fn move_file(from: &Path, to: &Path) -> std::io::Result<()> {
    if let Some(parent) = to.parent() {
        std::fs::create_dir_all(parent)?;
    }
    if std::fs::rename(from, to).is_ok() {
        return Ok(());
    }
    let mut src = std::fs::File::open(from)?;
    let mut dst = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(to)?;
    std::io::copy(&mut src, &mut dst)?;
    dst.sync_all()?;
    std::fs::remove_file(from)
}

/// `2026-12-02T03-04-05Z` (UTC; no colons, which Windows refuses in names).
fn utc_stamp(unix: u64) -> String {
    let days = (unix / 86_400) as i64;
    let secs = unix % 86_400;
    // Howard Hinnant's civil-from-days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}-{:02}-{:02}Z",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

fn ask(question: &str) -> bool {
    print!("{question}");
    let _ = std::io::stdout().flush();
    let mut line = String::new();
    match std::io::stdin().lock().read_line(&mut line) {
        Ok(0) | Err(_) => false,
        Ok(_) => matches!(line.trim(), "y" | "Y" | "yes" | "Yes"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps_are_utc_dates() {
        assert_eq!(utc_stamp(0), "1970-01-01T00-00-00Z");
        assert_eq!(utc_stamp(951_782_400), "2000-02-29T00-00-00Z");
        assert_eq!(utc_stamp(1_796_180_645), "2026-12-02T03-04-05Z");
    }
}
