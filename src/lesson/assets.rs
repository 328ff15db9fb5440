//! The guide's example files (solutions and starters), compiled in, with
//! optional folders on disk that take precedence (for `--lessons DIR`).

use std::path::PathBuf;

use include_dir::{Dir, include_dir};

static LESSONS: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/lessons");
static ASSETS: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/assets");

#[derive(Debug, Clone, Default)]
pub struct Assets {
    overlays: Vec<PathBuf>,
}

impl Assets {
    pub fn builtin() -> Assets {
        Assets::default()
    }

    pub fn with_overlays(overlays: Vec<PathBuf>) -> Assets {
        Assets { overlays }
    }

    /// The text of an asset by its path under `assets/`, e.g.
    /// `first-image/app.py`. Paths that try to leave the folder are refused.
    pub fn get(&self, path: &str) -> Option<String> {
        if path.split('/').any(|part| part == ".." || part.is_empty()) {
            return None;
        }
        for dir in &self.overlays {
            if let Ok(text) = std::fs::read_to_string(dir.join(path)) {
                return Some(text);
            }
        }
        ASSETS
            .get_file(path)
            .and_then(|f| f.contents_utf8())
            .map(str::to_string)
    }
}

/// The shipped lesson files, `(name, text)` in file-name order.
pub fn builtin_lesson_files() -> Vec<(String, String)> {
    let mut files: Vec<(String, String)> = LESSONS
        .files()
        .filter(|f| super::load::is_lesson_file(f.path()))
        .filter_map(|f| {
            Some((
                format!("lessons/{}", f.path().display()),
                f.contents_utf8()?.to_string(),
            ))
        })
        .collect();
    files.sort();
    files
}
