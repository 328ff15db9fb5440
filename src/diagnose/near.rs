//! Near names: when a file the lesson needs is not there, what the learner
//! probably saved instead — another case (`App.py`, `dockerfile`), an
//! extension an editor added (`Dockerfile.txt`, `app.py.txt`), a blank at
//! the end of the name, a subfolder or the folder above, a typo one or two
//! letters away.

use std::path::{Path, PathBuf};

use super::{Diagnosis, distance, in_dir, sh_quote};

/// Extensions editors and word processors add when saving "plain text".
const EDITOR_EXTENSIONS: &[&str] = &["txt", "text", "rtf", "md", "doc", "docx", "odt"];
/// Folders never searched: big, generated, or someone else's.
const SKIPPED_DIRS: &[&str] = &["node_modules", "venv", ".venv", "__pycache__", ".git"];
/// How many entries of one folder are read at most (a home folder can be huge).
const MAX_ENTRIES: usize = 2000;

/// What was found instead of the wanted file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NearName {
    /// Where it is, relative to the folder the file was wanted in
    /// (`App.py`, `src/app.py`, `../app.py`).
    pub found: String,
    pub how: How,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum How {
    /// The same name in another case.
    Case,
    /// Blanks before or after the name.
    Blank,
    /// An extension added, by an editor (`.txt`) or by hand.
    ExtraExtension,
    /// The name without its extension (`requirements`).
    NoExtension,
    /// One or two letters away.
    Typo,
    /// In a subfolder.
    Subfolder,
    /// In the folder above.
    Parent,
}

/// Whether `rel` exists in `ws` with exactly that name. On a case-blind
/// file system (macOS, Windows) `App.py` opens as `app.py`, but the Linux
/// engine that builds the image tells them apart.
pub fn exists_exactly(ws: &Path, rel: &str) -> bool {
    let path = ws.join(rel);
    if std::fs::symlink_metadata(&path).is_err() {
        return false;
    }
    let (Some(dir), Some(name)) = (path.parent(), path.file_name()) else {
        return true;
    };
    match std::fs::read_dir(dir) {
        Ok(entries) => entries
            .flatten()
            .take(MAX_ENTRIES)
            .any(|e| e.file_name() == name),
        Err(_) => true,
    }
}

/// The name the learner most probably meant `wanted` (relative to `ws`) by.
pub fn find(ws: &Path, wanted: &str) -> Option<NearName> {
    let wanted_path = Path::new(wanted);
    let dir = folder_of(ws, wanted);
    let name = wanted_path.file_name()?.to_str()?;
    if let Some((found, how)) = best_in(&dir, name) {
        return Some(NearName { found, how });
    }
    if let Some(found) = in_subfolders(&dir, name) {
        return Some(NearName {
            found,
            how: How::Subfolder,
        });
    }
    let parent = dir.parent()?;
    let in_parent = names(parent)
        .into_iter()
        .find(|n| n == name || n.eq_ignore_ascii_case(name))
        .filter(|n| parent.join(n).is_file())?;
    Some(NearName {
        found: format!("../{in_parent}"),
        how: How::Parent,
    })
}

/// The closest name in `dir`, by how sure we are that it is the one.
fn best_in(dir: &Path, name: &str) -> Option<(String, How)> {
    let mut best: Option<(u8, String, How)> = None;
    for candidate in names(dir) {
        if candidate == name || !dir.join(&candidate).is_file() {
            continue;
        }
        let Some((rank, how)) = judge(&candidate, name) else {
            continue;
        };
        if best.as_ref().is_none_or(|(r, _, _)| rank < *r) {
            best = Some((rank, candidate, how));
        }
    }
    best.map(|(_, n, h)| (n, h))
}

/// How `candidate` comes near `name`, and how sure that is (lower: surer).
fn judge(candidate: &str, name: &str) -> Option<(u8, How)> {
    let lower = candidate.to_lowercase();
    let want = name.to_lowercase();
    if lower == want {
        return Some((0, How::Case));
    }
    if candidate.trim() == name || lower.trim() == want {
        return Some((1, How::Blank));
    }
    if let Some(ext) = lower.strip_prefix(&format!("{want}.")) {
        let rank = if EDITOR_EXTENSIONS.contains(&ext) {
            2
        } else {
            5
        };
        return Some((rank, How::ExtraExtension));
    }
    if let Some((stem, _)) = want.rsplit_once('.')
        && lower == stem
    {
        return Some((3, How::NoExtension));
    }
    // `requirement.txt.txt`: a typo under an editor's extension.
    let bare = EDITOR_EXTENSIONS
        .iter()
        .find_map(|e| lower.strip_suffix(&format!(".{e}")))
        .filter(|b| b.contains('.'))
        .unwrap_or(&lower);
    let d = distance(bare, &want);
    let long = want.chars().count() >= 6;
    if d == 1 || (d == 2 && long) {
        return Some((4, How::Typo));
    }
    None
}

/// `name` (in any case, or with an editor's extension) one or two folders
/// down.
fn in_subfolders(dir: &Path, name: &str) -> Option<String> {
    let mut queue: Vec<(PathBuf, String, usize)> = vec![(dir.to_path_buf(), String::new(), 0)];
    let mut seen = 0;
    while let Some((folder, prefix, depth)) = queue.pop() {
        for sub in names(&folder) {
            let path = folder.join(&sub);
            if !path.is_dir() || sub.starts_with('.') || SKIPPED_DIRS.contains(&sub.as_str()) {
                continue;
            }
            seen += 1;
            if seen > MAX_ENTRIES {
                return None;
            }
            let rel = format!("{prefix}{sub}/");
            if let Some(found) = names(&path)
                .into_iter()
                .filter(|n| path.join(n).is_file())
                .find(|n| matches!(judge(n, name), Some((r, _)) if r <= 2) || n == name)
            {
                return Some(format!("{rel}{found}"));
            }
            if depth + 1 < 2 {
                queue.push((path, rel, depth + 1));
            }
        }
    }
    None
}

/// The entries of a folder, sorted, at most [`MAX_ENTRIES`].
fn names(dir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return vec![];
    };
    let mut v: Vec<String> = entries
        .flatten()
        .take(MAX_ENTRIES)
        .filter_map(|e| e.file_name().into_string().ok())
        .collect();
    v.sort();
    v
}

/// "app.py is missing from …, but App.py is there: …" with the `mv` that
/// fixes it; `None` when nothing near is there.
pub fn explain_missing(ws: &Path, wanted: &str) -> Option<Diagnosis> {
    let near = find(ws, wanted)?;
    Some(explain(&folder_of(ws, wanted), wanted, &near))
}

/// The folder `wanted` (relative to `ws`) would be in.
fn folder_of(ws: &Path, wanted: &str) -> PathBuf {
    match Path::new(wanted).parent() {
        Some(p) if !p.as_os_str().is_empty() => ws.join(p),
        _ => ws.to_path_buf(),
    }
}

/// The words for one near name of `wanted`, found relative to `dir`.
pub fn explain(dir: &Path, wanted: &str, near: &NearName) -> Diagnosis {
    let name = Path::new(wanted)
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or(wanted);
    let found = &near.found;
    let shown_found = if found.trim() != found {
        format!("{found:?}")
    } else {
        found.clone()
    };
    let mv = in_dir(dir, &format!("mv {} {}", sh_quote(found), sh_quote(name)));
    let mv_here = in_dir(dir, &format!("mv {} .", sh_quote(found)));
    let missing = format!("{name} is missing from {}", dir.display());
    let copies = if name == "Dockerfile" {
        "docker build looks for a file named exactly Dockerfile".to_string()
    } else {
        format!("COPY {name} will not find it")
    };
    let lowercase_dockerfile = name == "Dockerfile" && found == "dockerfile";
    match near.how {
        How::Case if lowercase_dockerfile => Diagnosis::new(
            format!(
                "{missing}, but dockerfile (lower-case d) is there. docker build accepts it — it looks \
                 for Dockerfile, then dockerfile — so your build works; the convention, which other \
                 tools and the rest of this course expect, is Dockerfile with a capital D"
            ),
            mv,
        ),
        How::Case => Diagnosis::new(
            format!(
                "{missing}, but {found} is there: the engine tells upper and lower case apart, so \
                 {copies} (rename it even if your computer shows both names as the same file)"
            ),
            mv,
        ),
        How::Blank => Diagnosis::new(
            format!(
                "{missing}, but {shown_found} is there — with a blank in its name that you cannot \
                 see; {copies}"
            ),
            mv,
        ),
        How::ExtraExtension => {
            let ext = found.rsplit('.').next().unwrap_or_default();
            let why = if EDITOR_EXTENSIONS.contains(&ext.to_lowercase().as_str()) {
                format!(
                    "your editor added .{ext} when saving (file managers often hide extensions)"
                )
            } else {
                format!("its name ends in .{ext}")
            };
            Diagnosis::new(
                format!("{missing}, but {found} is there: {why}, and {copies}"),
                mv,
            )
        }
        How::NoExtension => Diagnosis::new(
            format!("{missing}, but {found} is there, without the extension; {copies}"),
            mv,
        ),
        How::Typo => Diagnosis::new(
            format!(
                "{missing}, but {found} is there — {} away from {name}; {copies}",
                letters(distance(&found.to_lowercase(), &name.to_lowercase()))
            ),
            mv,
        ),
        How::Subfolder => Diagnosis::new(
            format!(
                "{missing}, but {found} is there, in a subfolder; the Dockerfile and docker build \
                 read it from the project folder itself"
            ),
            if found.rsplit('/').next() == Some(name) {
                mv_here
            } else {
                in_dir(dir, &format!("mv {} {}", sh_quote(found), sh_quote(name)))
            },
        ),
        How::Parent => Diagnosis::new(
            format!(
                "{missing}, but {name} is in the folder above ({}); the project folder is the one \
                 docker build reads",
                dir.parent()
                    .map_or(String::new(), |p| p.display().to_string())
            ),
            mv_here,
        ),
    }
}

fn letters(n: usize) -> String {
    match n {
        1 => "one letter".into(),
        2 => "two letters".into(),
        n => format!("{n} letters"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ws(files: &[&str]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let ws = dir.path().join("my-docker-app");
        std::fs::create_dir_all(&ws).unwrap();
        for f in files {
            let path = dir.path().join(f);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "x").unwrap();
        }
        dir
    }

    fn found(files: &[&str], wanted: &str) -> Option<(String, How)> {
        let dir = ws(files);
        find(&dir.path().join("my-docker-app"), wanted).map(|n| (n.found, n.how))
    }

    #[test]
    fn the_usual_near_names() {
        let f = |files: &[&str], wanted| found(files, wanted);
        assert_eq!(
            f(&["my-docker-app/App.py"], "app.py"),
            Some(("App.py".into(), How::Case))
        );
        assert_eq!(
            f(&["my-docker-app/Dockerfile.txt"], "Dockerfile"),
            Some(("Dockerfile.txt".into(), How::ExtraExtension))
        );
        assert_eq!(
            f(&["my-docker-app/requirements.txt.txt"], "requirements.txt"),
            Some(("requirements.txt.txt".into(), How::ExtraExtension))
        );
        assert_eq!(
            f(&["my-docker-app/requirements"], "requirements.txt"),
            Some(("requirements".into(), How::NoExtension))
        );
        assert_eq!(
            f(&["my-docker-app/requirement.txt"], "requirements.txt"),
            Some(("requirement.txt".into(), How::Typo))
        );
        assert_eq!(
            f(&["my-docker-app/app.py "], "app.py"),
            Some(("app.py ".into(), How::Blank))
        );
        assert_eq!(
            f(&["my-docker-app/src/app.py"], "app.py"),
            Some(("src/app.py".into(), How::Subfolder))
        );
        assert_eq!(
            f(&["app.py"], "app.py"),
            Some(("../app.py".into(), How::Parent))
        );
        assert_eq!(f(&["my-docker-app/main.py"], "app.py"), None);
    }

    #[test]
    fn the_surest_name_wins() {
        assert_eq!(
            found(&["my-docker-app/ap.py", "my-docker-app/App.py"], "app.py"),
            Some(("App.py".into(), How::Case))
        );
    }

    #[test]
    fn a_lower_case_dockerfile_works_but_is_named_by_convention() {
        let dir = ws(&["my-docker-app/dockerfile"]);
        let d = explain_missing(&dir.path().join("my-docker-app"), "Dockerfile").unwrap();
        assert!(d.reason.contains("your build works"), "{}", d.reason);
        assert!(d.fix.ends_with("mv dockerfile Dockerfile"), "{}", d.fix);
    }

    #[test]
    fn exact_names_only() {
        let dir = ws(&["my-docker-app/App.py"]);
        let ws = dir.path().join("my-docker-app");
        assert!(exists_exactly(&ws, "App.py"));
        assert!(!exists_exactly(&ws, "app.py") || !cfg!(target_os = "linux"));
    }
}
