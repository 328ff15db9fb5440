//! The course an instructor shapes: a `course.toml` lists the lessons in
//! order — built-in ones by id, the instructor's own by path (relative to
//! the course file) — with an optional title, and may turn the solution
//! view off (`solutions = false`) or say that the room shares one engine
//! (`shared = true`: every learner's images in their own namespace, see
//! `crate::docker::learner`).
//!
//! ```toml
//! title = "Docker in one afternoon"
//! solutions = false
//! shared = true
//! lessons = ["project-folder", "dockerfile", "build", "extra/compose.md"]
//! ```
//!
//! A mistake in the course file (TOML, an unknown key, an unknown id, a
//! missing path) stops the start with `file:line: message`; a custom lesson
//! that does not load is listed like any broken lesson and hides no other.

use std::path::{Path, PathBuf};

use toml::de::{DeTable, DeValue};

use super::validate::did_you_mean;
use super::{Lesson, LessonError, LessonSet};

/// The file name docktutor looks for.
pub const FILE_NAME: &str = "course.toml";

const KEYS: &[&str] = &["title", "solutions", "shared", "lessons"];

/// `course.toml` in the workspace, else in its parent folder.
pub fn find(workspace: &Path) -> Option<PathBuf> {
    [Some(workspace), workspace.parent()]
        .into_iter()
        .flatten()
        .map(|dir| dir.join(FILE_NAME))
        .find(|p| p.is_file())
}

/// Reads a course file and loads its lessons.
pub fn load(path: &Path) -> Result<LessonSet, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read the course file {}: {e}", path.display()))?;
    parse(path, &text)
}

/// Parses a course file's `text`; `path` names it in messages and anchors
/// the lessons' relative paths.
pub fn parse(path: &Path, text: &str) -> Result<LessonSet, String> {
    let lines = crate::dockerfile::lines::LineIndex::new(text);
    let at = |span: std::ops::Range<usize>, message: String| {
        format!(
            "{}:{}: {message}",
            path.display(),
            lines.line_of(span.start)
        )
    };
    let doc = DeTable::parse(text)
        .map_err(|e| at(e.span().unwrap_or(0..0), e.message().trim().to_string()))?;
    let mut course = LessonSet::default();
    let mut entries = None;
    for (key, value) in doc.get_ref() {
        let key_name = key.get_ref().as_ref();
        match (key_name, value.get_ref()) {
            ("title", DeValue::String(s)) => course.title = Some(s.to_string()),
            ("solutions", DeValue::Boolean(b)) => course.hide_solutions = !b,
            ("shared", DeValue::Boolean(b)) => course.shared_engine = *b,
            ("lessons", DeValue::Array(items)) => entries = Some(items),
            ("title", _) => return Err(at(value.span(), "`title` must be a string".into())),
            ("solutions", _) => {
                return Err(at(value.span(), "`solutions` must be true or false".into()));
            }
            ("shared", _) => {
                return Err(at(value.span(), "`shared` must be true or false".into()));
            }
            ("lessons", _) => {
                return Err(at(
                    value.span(),
                    "`lessons` must be a list, e.g. lessons = [\"project-folder\", \"my/lesson.md\"]"
                        .into(),
                ));
            }
            _ => {
                let list: Vec<String> = KEYS.iter().map(|k| format!("`{k}`")).collect();
                return Err(at(
                    key.span(),
                    format!(
                        "unknown key `{key_name}` in the course file (allowed: {}){}",
                        list.join(", "),
                        did_you_mean(key_name, KEYS)
                    ),
                ));
            }
        }
    }
    let Some(entries) = entries else {
        return Err(format!(
            "{}:1: a course file needs `lessons = [...]`: built-in lesson ids (see `docktutor lessons`) or paths to lesson files",
            path.display()
        ));
    };
    let base = path.parent().unwrap_or(Path::new("."));
    let builtin = super::builtin();
    let mut parsed: Vec<Result<Lesson, LessonError>> = Vec::new();
    for entry in &**entries {
        let Some(name) = entry.get_ref().as_str() else {
            return Err(at(
                entry.span(),
                "each lesson is a string: a built-in id or a path".into(),
            ));
        };
        if is_path(name) {
            let file = base.join(name);
            if file.is_dir() {
                let set = super::load_dir(&file).map_err(|e| at(entry.span(), e))?;
                parsed.extend(set.lessons.into_iter().map(Ok));
                parsed.extend(set.errors.into_iter().map(Err));
            } else if file.is_file() {
                parsed.push(super::load_one(&file));
            } else {
                return Err(at(
                    entry.span(),
                    format!("no lesson file {name:?} (looked for {})", file.display()),
                ));
            }
        } else if let Some(i) = builtin.find(name) {
            parsed.push(Ok(builtin.lessons[i].clone()));
        } else {
            let ids: Vec<&str> = builtin.lessons.iter().map(|l| l.id.as_str()).collect();
            return Err(at(
                entry.span(),
                format!(
                    "no built-in lesson with id `{name}`{} (ids: {}; a custom lesson is a path ending in .md)",
                    did_you_mean(name, &ids),
                    ids.join(", ")
                ),
            ));
        }
    }
    let set = super::assemble(parsed);
    course.lessons = set.lessons;
    course.errors = set.errors;
    if course.lessons.is_empty() && course.errors.is_empty() {
        return Err(format!("{}:1: the course has no lessons", path.display()));
    }
    Ok(course)
}

/// A path (`extra/compose.md`, `./mine`), not a built-in lesson id.
fn is_path(entry: &str) -> bool {
    entry.ends_with(".md") || entry.contains('/') || entry.contains('\\') || entry.starts_with('.')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(text: &str) -> Result<LessonSet, String> {
        parse(Path::new("/course/course.toml"), text)
    }

    #[test]
    fn built_in_lessons_by_id_in_the_course_order() {
        let set = parse_str("title = \"T\"\nlessons = [\"build\", \"project-folder\"]\n").unwrap();
        let ids: Vec<&str> = set.lessons.iter().map(|l| l.id.as_str()).collect();
        assert_eq!(ids, ["build", "project-folder"]);
        assert_eq!(set.title.as_deref(), Some("T"));
        assert!(!set.hide_solutions);
    }

    #[test]
    fn a_course_can_say_the_engine_is_shared() {
        assert!(
            parse_str("shared = true\nlessons = [\"build\"]\n")
                .unwrap()
                .shared_engine
        );
        assert!(!parse_str("lessons = [\"build\"]\n").unwrap().shared_engine);
        let err = parse_str("shared = \"yes\"\nlessons = [\"build\"]\n").unwrap_err();
        assert!(err.contains("`shared` must be true or false"), "{err}");
    }

    #[test]
    fn solutions_can_be_turned_off() {
        let set = parse_str("solutions = false\nlessons = [\"build\"]\n").unwrap();
        assert!(set.hide_solutions);
    }

    #[test]
    fn mistakes_name_the_file_line_and_the_nearest_word() {
        let err =
            parse_str("title = \"T\"\nlessons = [\n  \"build\",\n  \"biuld\",\n]\n").unwrap_err();
        assert!(
            err.starts_with(
                "/course/course.toml:4: no built-in lesson with id `biuld` — did you mean `build`?"
            ),
            "{err}"
        );
        let err = parse_str("lessons = [\"build\"]\nsolution = false\n").unwrap_err();
        assert!(
            err.starts_with("/course/course.toml:2: unknown key `solution`"),
            "{err}"
        );
        assert!(err.ends_with("did you mean `solutions`?"), "{err}");
        let err = parse_str("lessons = [\"extra/nope.md\"]\n").unwrap_err();
        assert!(
            err.starts_with("/course/course.toml:1: no lesson file \"extra/nope.md\""),
            "{err}"
        );
        let err = parse_str("title = \"T\nlessons = []\n").unwrap_err();
        assert!(err.starts_with("/course/course.toml:1:"), "{err}");
        let err = parse_str("title = \"T\"\n").unwrap_err();
        assert!(err.contains("needs `lessons"), "{err}");
    }

    #[test]
    fn finds_the_course_in_the_workspace_or_its_parent() {
        let dir = tempfile::tempdir().unwrap();
        let ws = dir.path().join("my-docker-app");
        std::fs::create_dir(&ws).unwrap();
        assert_eq!(find(&ws), None);
        std::fs::write(dir.path().join(FILE_NAME), "lessons = []").unwrap();
        assert_eq!(find(&ws), Some(dir.path().join(FILE_NAME)));
        std::fs::write(ws.join(FILE_NAME), "lessons = []").unwrap();
        assert_eq!(find(&ws), Some(ws.join(FILE_NAME)));
    }
}
