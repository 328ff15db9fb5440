//! Start where the learner stands: which folder is the project folder when
//! none is named, and — when the project folder does not exist — where the
//! learner's files are instead, with the command that fixes it.

use std::path::{Path, PathBuf};

use super::{Diagnosis, is_near, sh_quote};

/// The folder the guide makes (`mkdir my-docker-app`).
pub const DEFAULT_FOLDER: &str = "my-docker-app";
/// Files that make a folder a project folder.
const PROJECT_FILES: &[&str] = &["Dockerfile", "app.py", "requirements.txt"];

/// The project folder for a learner in `cwd` who named none, and what to
/// tell them about the choice (said once).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub workspace: PathBuf,
    pub note: Option<String>,
}

/// `./my-docker-app` when it exists; else the current folder when it is a
/// project folder itself (it holds a Dockerfile, app.py or requirements.txt,
/// or it is named like the guide's folder); else `./my-docker-app`, to be
/// made.
pub fn choose(cwd: &Path) -> Choice {
    let below = cwd.join(DEFAULT_FOLDER);
    if below.exists() {
        return Choice {
            workspace: below,
            note: None,
        };
    }
    let held = project_files(cwd);
    let named = cwd.file_name().is_some_and(|n| n == DEFAULT_FOLDER);
    if held.is_empty() && !named {
        return Choice {
            workspace: below,
            note: None,
        };
    }
    let why = if held.is_empty() {
        format!("it is named {DEFAULT_FOLDER}")
    } else {
        format!("it holds {}", held.join(", "))
    };
    Choice {
        workspace: cwd.to_path_buf(),
        note: Some(format!(
            "using the folder you are in as the project folder ({why})"
        )),
    }
}

/// The project files `dir` holds.
pub fn project_files(dir: &Path) -> Vec<&'static str> {
    PROJECT_FILES
        .iter()
        .copied()
        .filter(|f| dir.join(f).is_file())
        .collect()
}

/// The project folder `ws` does not exist: where are the learner's files?
/// Looks at the folder it would be in, that folder's other subfolders, and
/// the folder above — and gives the one command that fixes it.
pub fn look_around(ws: &Path) -> Option<Diagnosis> {
    let parent = ws.parent()?;
    let name = ws.file_name()?.to_str()?;
    let missing = format!("{} does not exist", ws.display());
    let cwd = std::env::current_dir().ok();
    let is_cwd = |p: &Path| cwd.as_deref() == Some(p);
    // The files are in the folder it would be in.
    let held = project_files(parent);
    if !held.is_empty() {
        let workdir = if is_cwd(parent) {
            ".".to_string()
        } else {
            sh_quote(&parent.display().to_string())
        };
        return Some(Diagnosis::new(
            format!(
                "{missing}, but {} — the folder it would be in — holds your {}",
                parent.display(),
                held.join(", ")
            ),
            format!("use that folder: docktutor --workdir {workdir}"),
        ));
    }
    // A folder next to it with a near name, or holding the files.
    let mut holding: Option<String> = None;
    for sibling in subfolders(parent) {
        if sibling.trim() == name
            || is_near(&sibling.to_lowercase(), &name.to_lowercase())
            || sibling.replace('_', "-").eq_ignore_ascii_case(name)
        {
            let from = sh_quote(&sibling);
            return Some(Diagnosis::new(
                format!(
                    "{missing}, but {} is there, next to where it should be — a near name",
                    parent.join(&sibling).display()
                ),
                in_parent(parent, &format!("mv {from} {}", sh_quote(name)), &is_cwd),
            ));
        }
        if holding.is_none() && !project_files(&parent.join(&sibling)).is_empty() {
            holding = Some(sibling);
        }
    }
    if let Some(sibling) = holding {
        let path = parent.join(&sibling);
        return Some(Diagnosis::new(
            format!(
                "{missing}, but {} holds your {}",
                path.display(),
                project_files(&path).join(", ")
            ),
            format!(
                "use that folder: docktutor --workdir {}",
                sh_quote(&if is_cwd(parent) {
                    sibling.clone()
                } else {
                    path.display().to_string()
                })
            ),
        ));
    }
    // The learner is one folder too deep: the folder above is the project.
    let grandparent = parent.parent()?;
    let above = if grandparent.file_name().is_some_and(|n| n == name)
        || !project_files(grandparent).is_empty()
    {
        Some(grandparent.to_path_buf())
    } else if grandparent.join(name).is_dir() {
        Some(grandparent.join(name))
    } else {
        None
    }?;
    let cd = if above == grandparent {
        "cd ..".to_string()
    } else {
        format!("cd ../{}", sh_quote(name))
    };
    Some(Diagnosis::new(
        format!(
            "{missing}: you are one folder too deep — the project folder is {}",
            above.display()
        ),
        if is_cwd(parent) {
            format!("{cd}, then start docktutor again")
        } else {
            format!(
                "docktutor --workdir {}",
                sh_quote(&above.display().to_string())
            )
        },
    ))
}

fn in_parent(parent: &Path, command: &str, is_cwd: &dyn Fn(&Path) -> bool) -> String {
    if is_cwd(parent) {
        command.to_string()
    } else {
        format!(
            "cd {} && {command}",
            sh_quote(&parent.display().to_string())
        )
    }
}

/// The subfolders of `dir` (not hidden), sorted; at most a few hundred.
fn subfolders(dir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return vec![];
    };
    let mut v: Vec<String> = entries
        .flatten()
        .take(500)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| !n.starts_with('.'))
        .collect();
    v.sort();
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    fn touch(path: &Path) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, "x").unwrap();
    }

    #[test]
    fn the_folder_below_wins() {
        let home = tempfile::tempdir().unwrap();
        std::fs::create_dir(home.path().join("my-docker-app")).unwrap();
        touch(&home.path().join("app.py"));
        let c = choose(home.path());
        assert_eq!(c.workspace, home.path().join("my-docker-app"));
        assert_eq!(c.note, None);
    }

    #[test]
    fn inside_the_project_folder_it_is_used_and_said() {
        let home = tempfile::tempdir().unwrap();
        let ws = home.path().join("my-docker-app");
        std::fs::create_dir(&ws).unwrap();
        let c = choose(&ws);
        assert_eq!(c.workspace, ws);
        assert!(c.note.unwrap().contains("named my-docker-app"));

        let other = home.path().join("hello");
        touch(&other.join("Dockerfile"));
        let c = choose(&other);
        assert_eq!(c.workspace, other);
        assert!(c.note.unwrap().contains("holds Dockerfile"));

        let empty = home.path().join("empty");
        std::fs::create_dir(&empty).unwrap();
        assert_eq!(choose(&empty).workspace, empty.join("my-docker-app"));
    }

    #[test]
    fn a_sibling_with_a_near_name_is_renamed() {
        let home = tempfile::tempdir().unwrap();
        touch(&home.path().join("my_docker_app/app.py"));
        let d = look_around(&home.path().join("my-docker-app")).unwrap();
        assert!(d.reason.contains("my_docker_app"), "{}", d.reason);
        assert!(
            d.fix.ends_with("mv my_docker_app my-docker-app"),
            "{}",
            d.fix
        );
    }

    #[test]
    fn one_folder_too_deep_goes_up() {
        let home = tempfile::tempdir().unwrap();
        let project = home.path().join("my-docker-app");
        touch(&project.join("app.py"));
        std::fs::create_dir(project.join("src")).unwrap();
        let d = look_around(&project.join("src/my-docker-app")).unwrap();
        assert!(d.reason.contains("one folder too deep"), "{}", d.reason);
        assert!(
            d.fix.contains("--workdir") || d.fix.starts_with("cd .."),
            "{}",
            d.fix
        );
    }

    #[test]
    fn files_in_the_folder_it_would_be_in() {
        let home = tempfile::tempdir().unwrap();
        touch(&home.path().join("app.py"));
        let d = look_around(&home.path().join("my-docker-app")).unwrap();
        assert!(d.reason.contains("holds your app.py"), "{}", d.reason);
        assert!(d.fix.contains("docktutor --workdir"), "{}", d.fix);
    }

    #[test]
    fn nothing_around_says_nothing() {
        let home = tempfile::tempdir().unwrap();
        let deep = home.path().join("a/b");
        std::fs::create_dir_all(&deep).unwrap();
        assert_eq!(look_around(&deep.join("my-docker-app")), None);
    }
}
