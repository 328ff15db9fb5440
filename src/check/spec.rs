//! What a lesson declares about a check: pure data read from TOML.
//!
//! Every check has a `kind` (one of the variants below, in snake_case) and
//! may carry `label` (the checklist line), `fix` (what to do when it fails)
//! and `id` (so another check can refer to it with `after`).

use serde::Deserialize;

#[derive(Debug, Clone, PartialEq)]
pub struct CheckSpec {
    pub id: Option<String>,
    pub label: Option<String>,
    pub fix: Option<String>,
    pub kind: CheckKind,
}

#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum CheckKind {
    /// A folder exists (relative to the workspace; "." is the workspace).
    DirExists { path: String },
    /// A file exists.
    FileExists { path: String },
    /// A file contains a piece of text (or, with `absent = true`, does not).
    FileContains {
        path: String,
        text: String,
        #[serde(default)]
        absent: bool,
    },
    /// A Python file prints exactly `expected` (read statically: the
    /// string literals passed to `print(...)`; the learner's code is never run
    /// on the host).
    PythonPrints { path: String, expected: String },
    /// An instruction of the Dockerfile whose arguments match a regex.
    Dockerfile {
        instruction: String,
        #[serde(default)]
        args: Option<String>,
        /// CMD / ENTRYPOINT / RUN must (true) or must not (false) use the
        /// JSON exec form.
        #[serde(default)]
        exec_form: Option<bool>,
        /// The matched instruction must come after the one matched by the
        /// check with this `id`.
        #[serde(default)]
        after: Option<String>,
        #[serde(default = "default_dockerfile")]
        path: String,
        #[serde(default)]
        stage: StageScope,
    },
    /// An image with this reference is in the engine.
    ImageExists { image: String },
    /// The image's configured command (Cmd, or Entrypoint + Cmd) contains a
    /// piece of text.
    ImageCmd { image: String, contains: String },
    /// The latest run of the current image printed `expected` and exited
    /// with `exit_code`.
    ContainerOutput {
        image: String,
        expected: String,
        #[serde(default)]
        exit_code: i64,
    },
    /// The Dockerfile has at least `min` stages.
    DockerfileStages {
        #[serde(default = "two")]
        min: usize,
        #[serde(default = "default_dockerfile")]
        path: String,
    },
    /// The built-in linter reports none of these rules.
    LintClean {
        rules: Vec<String>,
        #[serde(default = "default_dockerfile")]
        path: String,
    },
    /// Every requirement line pins an exact version with `==`.
    RequirementsPinned {
        #[serde(default = "default_requirements")]
        path: String,
    },
    /// `image` exists and is smaller than `than`.
    ImageSmaller { image: String, than: String },
    /// The image's configured user is not root.
    ImageUser { image: String },
    /// A container of the image runs with a uid other than 0.
    ContainerUid { image: String },
    /// A path is (or is not) in the image's filesystem.
    ImageFile {
        image: String,
        path: String,
        #[serde(default)]
        exists: bool,
    },
    /// The image has a label (whose value matches a regex).
    ImageLabel {
        image: String,
        key: String,
        #[serde(default)]
        matches: Option<String>,
    },
    /// Some tag of `repo` matches the regex `pattern`.
    ImageTag { repo: String, pattern: String },
    /// The image defines a HEALTHCHECK.
    ImageHealthcheck { image: String },
    /// The latest run of the current image reached this health status.
    ContainerHealth {
        image: String,
        #[serde(default = "healthy")]
        status: String,
    },
    /// The latest run of the image had these resource limits.
    ContainerLimits {
        image: String,
        #[serde(default)]
        memory: Option<String>,
        #[serde(default)]
        cpus: Option<f64>,
    },
    /// In the latest build of `image` made with docktutor, steps matching
    /// `cached` came from the cache and steps matching `not_cached` did not.
    BuildCache {
        image: String,
        cached: String,
        #[serde(default)]
        not_cached: Option<String>,
    },
    /// At most `max` dangling images carry the label `key=value`.
    /// (`with_label`, because every check's `label` is its checklist line.)
    DanglingImages {
        with_label: String,
        #[serde(default)]
        max: usize,
    },
    /// A vulnerability scan (trivy) found nothing at or above `fail_on`.
    Scan {
        image: String,
        #[serde(default = "critical")]
        fail_on: String,
    },
}

fn two() -> usize {
    2
}

fn default_requirements() -> String {
    "requirements.txt".into()
}

fn healthy() -> String {
    "healthy".into()
}

fn critical() -> String {
    "CRITICAL".into()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StageScope {
    /// Only the last stage (the image that gets tagged).
    #[default]
    Final,
    /// Any stage.
    Any,
}

fn default_dockerfile() -> String {
    "Dockerfile".into()
}

impl CheckKind {
    /// Whether the check needs the Docker engine to be answered.
    pub fn needs_engine(&self) -> bool {
        !matches!(
            self,
            CheckKind::DirExists { .. }
                | CheckKind::FileExists { .. }
                | CheckKind::FileContains { .. }
                | CheckKind::PythonPrints { .. }
                | CheckKind::Dockerfile { .. }
                | CheckKind::DockerfileStages { .. }
                | CheckKind::LintClean { .. }
                | CheckKind::RequirementsPinned { .. }
        )
    }

    /// The image the check looks at, if any: the engine task inspects these.
    pub fn image(&self) -> Option<&str> {
        match self {
            CheckKind::ImageExists { image }
            | CheckKind::ImageCmd { image, .. }
            | CheckKind::ContainerOutput { image, .. }
            | CheckKind::ImageSmaller { image, .. }
            | CheckKind::ImageUser { image }
            | CheckKind::ContainerUid { image }
            | CheckKind::ImageFile { image, .. }
            | CheckKind::ImageLabel { image, .. }
            | CheckKind::ImageHealthcheck { image }
            | CheckKind::ContainerHealth { image, .. }
            | CheckKind::ContainerLimits { image, .. }
            | CheckKind::BuildCache { image, .. }
            | CheckKind::Scan { image, .. } => Some(image),
            _ => None,
        }
    }

    /// Work the engine must do for this check beyond reading facts: run a
    /// short-lived container, or look inside the image.
    pub fn probe(&self) -> Option<crate::engine::Probe> {
        use crate::engine::{Probe, ProbeKind};
        match self {
            CheckKind::ContainerUid { image } => Some(Probe {
                image: crate::engine::normalize_ref(image),
                kind: ProbeKind::Uid,
            }),
            CheckKind::ImageFile { image, path, .. } => Some(Probe {
                image: crate::engine::normalize_ref(image),
                kind: ProbeKind::File(path.clone()),
            }),
            _ => None,
        }
    }

    /// The checklist line used when the lesson gives no `label`.
    pub fn default_label(&self) -> String {
        match self {
            CheckKind::DirExists { path } if path == "." => "the project folder exists".into(),
            CheckKind::DirExists { path } => format!("folder {path} exists"),
            CheckKind::FileExists { path } => format!("{path} exists"),
            CheckKind::FileContains { path, text, absent } => {
                let verb = if *absent {
                    "does not contain"
                } else {
                    "contains"
                };
                format!("{path} {verb} {text:?}")
            }
            CheckKind::PythonPrints { path, expected } => format!("{path} prints {expected:?}"),
            CheckKind::Dockerfile { instruction, .. } => {
                format!(
                    "Dockerfile has a {} instruction",
                    instruction.to_uppercase()
                )
            }
            CheckKind::ImageExists { image } => format!("image {image} exists"),
            CheckKind::ImageCmd { image, contains } => {
                format!("{image} runs a command with {contains:?}")
            }
            CheckKind::ContainerOutput {
                image, expected, ..
            } => format!("{image} prints {expected:?}"),
            CheckKind::DockerfileStages { min, path } => {
                format!("{path} has at least {min} stages")
            }
            CheckKind::LintClean { rules, path } => {
                format!("the linter finds no {} in {path}", rules.join("/"))
            }
            CheckKind::RequirementsPinned { path } => {
                format!("every line of {path} is pinned with ==")
            }
            CheckKind::ImageSmaller { image, than } => format!("{image} is smaller than {than}"),
            CheckKind::ImageUser { image } => format!("{image} runs as a non-root user"),
            CheckKind::ContainerUid { image } => {
                format!("a container of {image} runs with a uid other than 0")
            }
            CheckKind::ImageFile {
                image,
                path,
                exists,
            } => {
                format!("{path} is {}in {image}", if *exists { "" } else { "not " })
            }
            CheckKind::ImageLabel { image, key, .. } => format!("{image} has the label {key}"),
            CheckKind::ImageTag { repo, pattern } => format!("{repo} has a tag matching {pattern}"),
            CheckKind::ImageHealthcheck { image } => format!("{image} defines a health check"),
            CheckKind::ContainerHealth { image, status } => {
                format!("a container of {image} became {status}")
            }
            CheckKind::ContainerLimits { image, .. } => format!("{image} ran with resource limits"),
            CheckKind::BuildCache { image, cached, .. } => {
                format!("building {image} took {cached:?} from the cache")
            }
            CheckKind::DanglingImages {
                with_label: label,
                max,
            } => {
                format!("at most {max} dangling images labelled {label}")
            }
            CheckKind::Scan { image, fail_on } => {
                format!("{image} has no {fail_on} vulnerabilities")
            }
        }
    }
}

impl CheckSpec {
    pub fn label(&self) -> String {
        self.label
            .clone()
            .unwrap_or_else(|| self.kind.default_label())
    }

    /// Reads one `[[checks]]` table. Keeps the common keys apart so that the
    /// kind-specific part can reject unknown keys (a typo in a lesson should
    /// be an error, not a silently ignored field).
    pub fn from_table(mut table: toml::Table) -> Result<CheckSpec, String> {
        let mut take = |key: &str| -> Result<Option<String>, String> {
            match table.remove(key) {
                None => Ok(None),
                Some(toml::Value::String(s)) => Ok(Some(s)),
                Some(other) => Err(format!(
                    "`{key}` must be a string, found {}",
                    other.type_str()
                )),
            }
        };
        let id = take("id")?;
        let label = take("label")?;
        let fix = take("fix")?;
        if !table.contains_key("kind") {
            return Err("a check needs a `kind`".into());
        }
        let kind: CheckKind = toml::Value::Table(table)
            .try_into()
            .map_err(|e: toml::de::Error| e.message().to_string())?;
        let regexes: Vec<(&str, &str)> = match &kind {
            CheckKind::Dockerfile { args: Some(re), .. } => vec![("args", re)],
            CheckKind::ImageLabel {
                matches: Some(re), ..
            } => vec![("matches", re)],
            CheckKind::ImageTag { pattern, .. } => vec![("pattern", pattern)],
            CheckKind::BuildCache {
                cached, not_cached, ..
            } => std::iter::once(("cached", cached.as_str()))
                .chain(not_cached.as_deref().map(|n| ("not_cached", n)))
                .collect(),
            _ => vec![],
        };
        for (field, re) in regexes {
            // Parsing finds every syntax error Regex::new would, without
            // compiling an automaton for each of the course's regexes at
            // start-up (most of the start-up heap; issue 16).
            regex_syntax::Parser::new()
                .parse(re)
                .map_err(|e| format!("`{field}` is not a valid regex: {e}"))?;
        }
        Ok(CheckSpec {
            id,
            label,
            fix,
            kind,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(src: &str) -> Result<CheckSpec, String> {
        CheckSpec::from_table(toml::from_str(src).unwrap())
    }

    #[test]
    fn reads_common_keys_and_kind() {
        let spec =
            parse("kind = \"file_exists\"\npath = \"app.py\"\nlabel = \"L\"\nfix = \"F\"").unwrap();
        assert_eq!(spec.label.as_deref(), Some("L"));
        assert_eq!(spec.fix.as_deref(), Some("F"));
        assert_eq!(
            spec.kind,
            CheckKind::FileExists {
                path: "app.py".into()
            }
        );
    }

    #[test]
    fn unknown_kind_is_rejected_with_the_known_ones() {
        let err = parse("kind = \"run_shell\"\ncommand = \"rm -rf /\"").unwrap_err();
        assert!(err.contains("run_shell"), "{err}");
        assert!(err.contains("file_exists"), "{err}");
    }

    #[test]
    fn unknown_field_is_rejected() {
        let err = parse("kind = \"python_prints\"\npath = \"app.py\"\nexpect = \"x\"").unwrap_err();
        assert!(err.contains("expect"), "{err}");
    }

    #[test]
    fn bad_regex_is_rejected() {
        let err = parse("kind = \"dockerfile\"\ninstruction = \"FROM\"\nargs = \"(\"").unwrap_err();
        assert!(err.contains("regex"), "{err}");
    }

    #[test]
    fn missing_kind_is_rejected() {
        assert!(parse("path = \"x\"").unwrap_err().contains("kind"));
    }

    #[test]
    fn dockerfile_defaults() {
        let spec = parse("kind = \"dockerfile\"\ninstruction = \"WORKDIR\"").unwrap();
        let CheckKind::Dockerfile { path, stage, .. } = spec.kind else {
            panic!("wrong kind");
        };
        assert_eq!(path, "Dockerfile");
        assert_eq!(stage, StageScope::Final);
    }
}
