//! Loading lessons: the built-in ones, a folder of them, one file; and
//! `lessons --check`, which reports every problem of a file, not just the
//! first.

use std::path::Path;

use super::{Action, Assets, Lesson, LessonError, LessonSet, assets, parse, validate};

/// `*.md`, except the folder's README (the authors' guide).
pub fn is_lesson_file(path: &Path) -> bool {
    path.extension().is_some_and(|x| x == "md")
        && !path
            .file_name()
            .is_some_and(|n| n.eq_ignore_ascii_case("README.md"))
}

/// The lessons compiled into the binary.
pub fn builtin() -> LessonSet {
    let assets = Assets::builtin();
    let files = assets::builtin_lesson_files();
    load_files(files, &assets)
}

/// The lessons in a folder (`*.md`, in file-name order). Solution and starter
/// files are looked up in `DIR/assets`, then `DIR/../assets`, then the
/// built-in assets.
pub fn load_dir(dir: &Path) -> Result<LessonSet, String> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| format!("cannot read lessons folder {}: {e}", dir.display()))?;
    let mut paths: Vec<_> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| is_lesson_file(p))
        .collect();
    paths.sort();
    let mut set = LessonSet::default();
    let mut files = Vec::new();
    for path in paths {
        match std::fs::read(&path) {
            Ok(bytes) => files.push((
                path.display().to_string(),
                String::from_utf8_lossy(&bytes).into_owned(),
            )),
            Err(e) => set.errors.push(LessonError {
                source: path.display().to_string(),
                line: 1,
                message: format!("cannot read: {e}"),
            }),
        }
    }
    let assets = Assets::with_overlays(vec![dir.join("assets"), dir.join("../assets")]);
    let loaded = load_files(files, &assets);
    set.lessons = loaded.lessons;
    set.errors.extend(loaded.errors);
    if set.lessons.is_empty() && set.errors.is_empty() {
        return Err(format!("no lessons (*.md) in {}", dir.display()));
    }
    Ok(set)
}

/// Parses `(source name, text)` pairs, already in lesson order.
pub fn load_files(files: Vec<(String, String)>, assets: &Assets) -> LessonSet {
    let parsed = files
        .into_iter()
        .map(|(source, text)| parse(&source, &text, assets))
        .collect();
    assemble(parsed)
}

/// One lesson file on disk, its solution and starter files looked up next
/// to it (`assets/` beside it, then `../assets`, then the built-in ones).
pub fn load_one(path: &Path) -> Result<Lesson, LessonError> {
    let source = path.display().to_string();
    let text = std::fs::read(path).map_err(|e| LessonError {
        source: source.clone(),
        line: 1,
        message: format!("cannot read: {e}"),
    })?;
    let dir = path.parent().unwrap_or(Path::new("."));
    let assets = Assets::with_overlays(vec![dir.join("assets"), dir.join("../assets")]);
    parse(&source, &String::from_utf8_lossy(&text), &assets)
}

/// The lessons in order and the errors of those that did not load: a
/// lesson whose id an earlier one has is an error too. Also tells checks
/// which Dockerfile builds the image they look at.
pub fn assemble(parsed: Vec<Result<Lesson, LessonError>>) -> LessonSet {
    let mut set = LessonSet::default();
    for result in parsed {
        match result {
            Ok(lesson) if set.find(&lesson.id).is_some() => set.errors.push(LessonError {
                line: 2,
                message: format!("lesson id {:?} is used by another lesson", lesson.id),
                source: lesson.source,
            }),
            Ok(lesson) => set.lessons.push(lesson),
            Err(e) => set.errors.push(e),
        }
    }
    attach_dockerfiles(&mut set);
    set
}

/// Every problem of one lesson file (`lessons --check`): all the key-by-key
/// ones, or else the first the full load finds (a missing asset, a bad id).
pub fn check_file(source: &str, text: &str, assets: &Assets) -> Vec<LessonError> {
    let err = |(line, message)| LessonError {
        source: source.to_string(),
        line,
        message,
    };
    let problems: Vec<LessonError> = match super::front_matter::split(text) {
        Err(e) => vec![err(e)],
        Ok(split) => validate::front_matter(split.toml, split.toml_first_line)
            .problems
            .into_iter()
            .map(err)
            .collect(),
    };
    if !problems.is_empty() {
        return problems;
    }
    parse(source, text, assets).err().into_iter().collect()
}

/// Tells each check about an image which Dockerfile builds that image: the
/// build action for its tag in the same lesson, else in any lesson, else
/// none (the CLI's default). The preflight reads it when the image is
/// missing.
fn attach_dockerfiles(set: &mut LessonSet) {
    let builds = |lesson: &Lesson| -> Vec<(String, String)> {
        lesson
            .actions
            .iter()
            .filter_map(|a| match a {
                Action::Build { tag, dockerfile } => Some((
                    crate::engine::normalize_ref(tag),
                    dockerfile.clone().unwrap_or_else(|| "Dockerfile".into()),
                )),
                _ => None,
            })
            .collect()
    };
    let everywhere: Vec<(String, String)> = set.lessons.iter().flat_map(builds).collect();
    for lesson in &mut set.lessons {
        let here = builds(lesson);
        for check in &mut lesson.checks {
            let Some(image) = check.needs().image.map(crate::engine::normalize_ref) else {
                continue;
            };
            let found = here
                .iter()
                .chain(everywhere.iter())
                .find(|(tag, _)| *tag == image)
                .map(|(_, file)| file.clone());
            check.built_from = found;
        }
    }
}
