//! `docktutor lessons`: the course, its time estimates and where you are in
//! it; `lessons --check PATH` validates lessons without running them; and
//! which lessons make the course (`--lessons`, `--course`, `--add-lessons`).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::{Cli, Setup};
use crate::lesson::{self, LessonError, LessonSet, course};

/// The course: `--lessons DIR` (replaces it), else `--course FILE` or a
/// `course.toml` found next to the workspace, else the built-in lessons;
/// then `--add-lessons DIR` after them, and `--no-solutions`.
pub fn course(cli: &Cli, workspace: &Path) -> Result<(LessonSet, Option<PathBuf>), String> {
    let (mut set, file) = if let Some(dir) = &cli.lessons {
        (lesson::load_dir(dir)?, None)
    } else if let Some(file) = cli.course.clone().or_else(|| course::find(workspace)) {
        (course::load(&file)?, Some(file))
    } else {
        (lesson::builtin(), None)
    };
    if let Some(dir) = &cli.add_lessons {
        let extra = lesson::load_dir(dir)?;
        let parsed = set
            .lessons
            .into_iter()
            .chain(extra.lessons)
            .map(Ok)
            .chain(set.errors.into_iter().chain(extra.errors).map(Err))
            .collect();
        set = LessonSet {
            title: set.title,
            hide_solutions: set.hide_solutions,
            shared_engine: set.shared_engine,
            ..lesson::assemble(parsed)
        };
    }
    set.hide_solutions |= cli.no_solutions;
    Ok((set, file))
}

pub fn run(setup: &Setup) -> ExitCode {
    let progress = match setup.store.as_ref().map(|s| s.load().into_parts()) {
        Some((p, Some(message))) => {
            eprintln!("docktutor: {message}");
            p
        }
        Some((p, None)) => p,
        None => Default::default(),
    };
    let set = &setup.lessons;
    if let Some(title) = &set.title {
        println!("{title}\n");
    }
    for (i, l) in set.lessons.iter().enumerate() {
        let mark = if progress.is_done(&l.id) { "✓" } else { " " };
        let here = if progress.current.as_deref() == Some(l.id.as_str()) {
            "  ← you are here"
        } else {
            ""
        };
        let minutes = l.minutes.map(|m| format!(" ({m} min)")).unwrap_or_default();
        println!(
            "{mark} {:>2}. {:<22} {}{minutes}{here}",
            i + 1,
            l.id,
            l.title
        );
    }
    if let Some(total) = total_minutes(set) {
        println!("\n{total}");
    }
    for e in &set.errors {
        eprintln!("! {e}");
    }
    if let Some(store) = &setup.store {
        println!(
            "\nworkspace: {}{}\nprogress:  {}",
            setup.workspace.display(),
            super::on_the_host(&setup.workspace),
            store.path().display()
        );
    }
    if let Some(file) = &setup.course_file {
        println!("course:    {}", file.display());
    }
    if set.hide_solutions {
        println!("solutions: off (exam mode)");
    }
    if set.errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// "about 95 minutes in all" (and how many lessons have no estimate), or
/// `None` when no lesson has one.
pub fn total_minutes(set: &LessonSet) -> Option<String> {
    let timed: Vec<u32> = set.lessons.iter().filter_map(|l| l.minutes).collect();
    if timed.is_empty() {
        return None;
    }
    let sum: u32 = timed.iter().sum();
    let untimed = set.lessons.len() - timed.len();
    let rest = match untimed {
        0 => String::new(),
        1 => " (1 lesson has no estimate)".into(),
        n => format!(" ({n} lessons have no estimate)"),
    };
    Some(format!("about {sum} minutes in all{rest}"))
}

/// `lessons --check PATH`: a folder of lessons, one lesson file, or a
/// course file. Prints every problem as `file:line: message`.
pub fn check(path: &Path) -> ExitCode {
    let (checked, problems) = match problems(path) {
        Ok(found) => found,
        Err(e) => {
            eprintln!("docktutor: {e}");
            return ExitCode::from(2);
        }
    };
    for p in &problems {
        println!("{p}");
    }
    let s = |n: usize| if n == 1 { "" } else { "s" };
    println!(
        "{checked} lesson{} checked, {} problem{}",
        s(checked),
        problems.len(),
        s(problems.len())
    );
    if problems.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// How many lesson files were read, and their problems (`file:line: …`).
fn problems(path: &Path) -> Result<(usize, Vec<String>), String> {
    if path.extension().is_some_and(|x| x == "toml") {
        // A mistake in the course file itself is a problem like any other.
        return Ok(match course::load(path) {
            Ok(set) => (
                set.lessons.len() + set.errors.len(),
                set.errors.iter().map(ToString::to_string).collect(),
            ),
            Err(e) => (0, vec![e]),
        });
    }
    let (files, dir) = if path.is_dir() {
        let mut files: Vec<PathBuf> = std::fs::read_dir(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| lesson::is_lesson_file(p))
            .collect();
        files.sort();
        (files, path.to_path_buf())
    } else {
        let dir = path.parent().unwrap_or(Path::new(".")).to_path_buf();
        (vec![path.to_path_buf()], dir)
    };
    if files.is_empty() {
        return Err(format!("no lessons (*.md) in {}", path.display()));
    }
    let assets = lesson::Assets::with_overlays(vec![dir.join("assets"), dir.join("../assets")]);
    let mut problems = Vec::new();
    let mut sources = Vec::new();
    for file in &files {
        let source = file.display().to_string();
        match std::fs::read(file) {
            Ok(bytes) => {
                let text = String::from_utf8_lossy(&bytes).into_owned();
                problems.extend(lesson::check_file(&source, &text, &assets));
                sources.push((source, text));
            }
            Err(e) => problems.push(LessonError {
                source,
                line: 1,
                message: format!("cannot read: {e}"),
            }),
        }
    }
    // What only the set shows: two files with one id.
    if problems.is_empty() {
        problems = lesson::load_files(sources, &assets).errors;
    }
    Ok((
        files.len(),
        problems.iter().map(ToString::to_string).collect(),
    ))
}
