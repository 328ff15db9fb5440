//! Lessons: Markdown files with a TOML front matter that declares the checks.
//!
//! Lessons are data. The shipped ones are compiled into the binary
//! ([`builtin`]); `--lessons DIR` loads another folder ([`load_dir`]); a
//! `course.toml` picks and orders built-in and custom ones ([`course`]).
//! A lesson can only *declare* checks of the known kinds: nothing in a lesson
//! file is ever executed.

mod assets;
pub mod course;
pub mod front_matter;
mod load;
pub mod namespace;
pub mod paths;
pub mod validate;

use std::fmt;

use serde::Deserialize;

pub use assets::Assets;
pub use load::{assemble, builtin, check_file, is_lesson_file, load_dir, load_files, load_one};

use crate::check::CheckSpec;

/// One lesson, ready to show and check.
#[derive(Debug, Clone)]
pub struct Lesson {
    pub id: String,
    pub title: String,
    /// The docker CLI command this lesson's action is equivalent to.
    pub command: Option<String>,
    /// What Enter does, in order.
    pub actions: Vec<Action>,
    pub hint: String,
    /// The guide's files for this step, shown by the solution view.
    pub solution: Vec<AssetFile>,
    /// Files the app may write into an empty workspace to get started.
    pub starters: Vec<AssetFile>,
    /// The workspace file the edit key opens.
    pub edit: Option<String>,
    pub body: String,
    pub checks: Vec<CheckSpec>,
    /// Where the lesson came from, for messages.
    pub source: String,
    /// The instructor's time estimate (`docktutor lessons`, the lesson list).
    pub minutes: Option<u32>,
    /// For the instructor only (`docktutor answers`): never shown in the app.
    pub notes: String,
}

/// What the lesson's main key does.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Action {
    /// Build the workspace and tag the image.
    Build {
        tag: String,
        #[serde(default)]
        dockerfile: Option<String>,
    },
    /// Run an image and stream what it prints.
    Run {
        image: String,
        /// `--memory`, e.g. "256m".
        #[serde(default)]
        memory: Option<String>,
        /// `--cpus`, e.g. 0.5.
        #[serde(default)]
        cpus: Option<f64>,
        /// "healthy": keep it running until its health check settles.
        #[serde(default)]
        until: Option<String>,
        /// Seconds to wait for `until`.
        #[serde(default)]
        timeout: Option<u64>,
    },
    /// Show the engine's images like `docker images`.
    Images,
    /// Show these images' sizes side by side.
    Compare { images: Vec<String> },
    /// Remove dangling images carrying this label (`key=value`).
    Tidy { label: String },
    /// Scan an image for vulnerabilities (trivy).
    Scan { image: String },
}

impl Action {
    /// `--memory`/`--cpus`/health waiting of a run action, as the engine wants them.
    pub fn run_options(&self) -> crate::engine::RunOptions {
        let Action::Run {
            memory,
            cpus,
            until,
            timeout,
            ..
        } = self
        else {
            return crate::engine::RunOptions::default();
        };
        crate::engine::RunOptions {
            memory: memory.as_deref().and_then(crate::engine::parse_memory),
            nano_cpus: cpus.map(|c| (c * 1e9).round() as i64),
            until_healthy: (until.as_deref() == Some("healthy"))
                .then(|| std::time::Duration::from_secs(timeout.unwrap_or(90))),
            ..Default::default()
        }
    }

    /// The docker CLI command the action stands for.
    pub fn command(&self) -> String {
        match self {
            Action::Build {
                tag,
                dockerfile: None,
            } => format!("docker build -t {tag} ."),
            Action::Build {
                tag,
                dockerfile: Some(f),
            } => format!("docker build -f {f} -t {tag} ."),
            Action::Run {
                image,
                memory,
                cpus,
                ..
            } => {
                let mut s = "docker run".to_string();
                if let Some(m) = memory {
                    s.push_str(&format!(" --memory {m}"));
                }
                if let Some(c) = cpus {
                    s.push_str(&format!(" --cpus {c}"));
                }
                format!("{s} {image}")
            }
            Action::Images => "docker images".into(),
            Action::Compare { .. } => "docker images".into(),
            Action::Tidy { label } => format!("docker image prune --filter label={label}"),
            Action::Scan { image } => format!("trivy image {image}"),
        }
    }
}

/// `[action]` (one table) or `[[action]]` (several, in order).
#[derive(Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(Action),
    Many(Vec<Action>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssetFile {
    /// The file name in the workspace (the asset's base name).
    pub name: String,
    pub text: String,
}

/// A problem in a lesson file, as `path:line: message`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LessonError {
    pub source: String,
    pub line: usize,
    pub message: String,
}

impl fmt::Display for LessonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.source, self.line, self.message)
    }
}

/// The course: every lesson that loaded, in order, and an error for each
/// one that did not (a broken lesson never hides the others).
#[derive(Debug, Clone, Default)]
pub struct LessonSet {
    pub lessons: Vec<Lesson>,
    pub errors: Vec<LessonError>,
    /// The course file's `title`.
    pub title: Option<String>,
    /// Exam mode (`--no-solutions`, `solutions = false`): no solution view.
    pub hide_solutions: bool,
    /// The course file says the room shares one engine (`shared = true`).
    pub shared_engine: bool,
    /// The learner's namespace on a shared engine (`ada` of
    /// `ada/my-docker-app`), once [`LessonSet::in_namespace`] applied it.
    pub namespace: Option<String>,
}

impl LessonSet {
    pub fn find(&self, id: &str) -> Option<usize> {
        self.lessons.iter().position(|l| l.id == id)
    }

    /// The base images the lessons' solution Dockerfiles start FROM (not
    /// stage names, not `scratch`), for `doctor` to look for.
    pub fn base_images(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for file in self.lessons.iter().flat_map(|l| l.solution.iter()) {
            if !file.name.starts_with("Dockerfile") {
                continue;
            }
            let Ok(df) = crate::dockerfile::Dockerfile::parse(&file.text) else {
                continue;
            };
            let mut stages: Vec<String> = Vec::new();
            for base in df.base_images() {
                let image = base.image.to_string();
                let is_stage = stages.contains(&image.to_lowercase());
                if let Some(alias) = &base.alias {
                    stages.push(alias.to_lowercase());
                }
                if image != "scratch" && !is_stage && !image.contains('$') && !out.contains(&image)
                {
                    out.push(image);
                }
            }
        }
        out
    }

    /// Every image reference that some check looks at.
    pub fn watched_images(&self) -> Vec<String> {
        let mut refs: Vec<String> = self
            .lessons
            .iter()
            .flat_map(|l| l.checks.iter())
            .filter_map(|c| c.needs().image.map(str::to_string))
            .chain(
                self.lessons
                    .iter()
                    .flat_map(|l| l.actions.iter())
                    .flat_map(|a| match a {
                        Action::Compare { images } => images.clone(),
                        _ => vec![],
                    }),
            )
            .map(|r| crate::engine::normalize_ref(&r))
            .collect();
        refs.sort();
        refs.dedup();
        refs
    }

    /// What the engine task should keep an eye on for these lessons.
    pub fn watch(&self) -> crate::engine::Watch {
        crate::engine::Watch {
            images: self.watched_images(),
            probes: self.probes(),
            labels: self.watched_labels(),
        }
    }

    /// Every probe some check needs (uid of a container, files in images).
    pub fn probes(&self) -> Vec<crate::engine::Probe> {
        let mut v: Vec<_> = self
            .lessons
            .iter()
            .flat_map(|l| l.checks.iter())
            .filter_map(|c| c.needs().probe)
            .collect();
        v.sort();
        v.dedup();
        v
    }

    /// Every label whose dangling images some check counts.
    pub fn watched_labels(&self) -> Vec<String> {
        let mut v: Vec<String> = self
            .lessons
            .iter()
            .flat_map(|l| l.checks.iter())
            .filter_map(|c| c.needs().dangling_label.map(str::to_string))
            .collect();
        v.sort();
        v.dedup();
        v
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontMatter {
    id: String,
    title: String,
    #[serde(default)]
    command: Option<String>,
    #[serde(default)]
    action: Option<OneOrMany>,
    #[serde(default)]
    hint: String,
    #[serde(default)]
    solution: Vec<String>,
    #[serde(default)]
    starters: Vec<String>,
    #[serde(default)]
    edit: Option<String>,
    #[serde(default)]
    minutes: Option<u32>,
    #[serde(default)]
    notes: String,
    #[serde(default)]
    checks: Vec<toml::Spanned<toml::Table>>,
}

/// Parses one lesson file.
pub fn parse(source: &str, text: &str, assets: &Assets) -> Result<Lesson, LessonError> {
    let err = |line: usize, message: String| LessonError {
        source: source.to_string(),
        line,
        message,
    };
    let split = front_matter::split(text).map_err(|(line, msg)| err(line, msg))?;
    let toml_line = |span: Option<std::ops::Range<usize>>| {
        split.toml_first_line - 1 + span.map_or(1, |s| crate::text::line_of(split.toml, s.start))
    };
    // Key by key first: a mistake is reported at its own line, with the
    // allowed keys and the nearest one (serde alone names a table's header).
    let checked = validate::front_matter(split.toml, split.toml_first_line);
    if let Some((line, message)) = checked.problems.into_iter().next() {
        return Err(err(line, message));
    }
    let key_line = |key: &str| {
        checked
            .key_lines
            .get(key)
            .copied()
            .unwrap_or(toml_line(None))
    };
    let fm: FrontMatter = toml::from_str(split.toml)
        .map_err(|e| err(toml_line(e.span()), e.message().trim().to_string()))?;

    if fm.id.trim().is_empty() || fm.id.contains(char::is_whitespace) {
        return Err(err(
            toml_line(None),
            "`id` must be one word, e.g. \"build-image\"".into(),
        ));
    }

    let mut checks = Vec::with_capacity(fm.checks.len());
    for spanned in fm.checks {
        let line = toml_line(Some(spanned.span()));
        let spec = CheckSpec::from_table(spanned.into_inner())
            .map_err(|msg| err(line, format!("check: {msg}")))?;
        if let Some(after) = spec.needs().after
            && !checks
                .iter()
                .any(|c: &CheckSpec| c.id.as_deref() == Some(after))
        {
            return Err(err(
                line,
                format!("check: `after = {after:?}` names no earlier check with that `id`"),
            ));
        }
        checks.push(spec);
    }

    let load_assets = |key: &str, paths: &[String]| -> Result<Vec<AssetFile>, LessonError> {
        paths
            .iter()
            .map(|p| {
                let text = assets
                    .get(p)
                    .ok_or_else(|| err(key_line(key), format!("`{key}`: asset {p:?} not found")))?;
                let name = p.rsplit('/').next().unwrap_or(p).to_string();
                Ok(AssetFile { name, text })
            })
            .collect()
    };

    let starters = load_assets("starters", &fm.starters)?;
    let edit = fm.edit.or_else(|| starters.first().map(|f| f.name.clone()));
    let actions = match fm.action {
        None => vec![],
        Some(OneOrMany::One(a)) => vec![a],
        Some(OneOrMany::Many(v)) => v,
    };
    // Every workspace path the lesson names, checked now: the edit key and
    // `reset` act on these.
    let dockerfiles = actions.iter().filter_map(|a| match a {
        Action::Build { dockerfile, .. } => dockerfile.as_deref(),
        _ => None,
    });
    for (key, path) in edit
        .as_deref()
        .map(|p| ("edit", p))
        .into_iter()
        .chain(dockerfiles.map(|p| ("dockerfile", p)))
    {
        paths::workspace_relative(path)
            .map_err(|why| err(key_line(key), format!("`{key}`: {why}")))?;
    }
    Ok(Lesson {
        solution: load_assets("solution", &fm.solution)?,
        starters,
        edit,
        id: fm.id,
        title: fm.title,
        command: fm.command,
        actions,
        hint: fm.hint.trim().to_string(),
        body: split.body.to_string(),
        checks,
        source: source.to_string(),
        minutes: fm.minutes,
        notes: fm.notes.trim().to_string(),
    })
}

#[cfg(test)]
mod tests;
