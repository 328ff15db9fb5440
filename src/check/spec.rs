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
        matches!(
            self,
            CheckKind::ImageExists { .. }
                | CheckKind::ImageCmd { .. }
                | CheckKind::ContainerOutput { .. }
        )
    }

    /// The image the check looks at, if any: the engine task inspects these.
    pub fn image(&self) -> Option<&str> {
        match self {
            CheckKind::ImageExists { image }
            | CheckKind::ImageCmd { image, .. }
            | CheckKind::ContainerOutput { image, .. } => Some(image),
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
        if let CheckKind::Dockerfile { args: Some(re), .. } = &kind {
            regex::Regex::new(re).map_err(|e| format!("`args` is not a valid regex: {e}"))?;
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
