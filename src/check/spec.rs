//! What a lesson declares about a check: pure data read from TOML.
//!
//! Every check has a `kind` (one of [`super::kinds::KINDS`], by name) and
//! may carry `label` (the checklist line), `fix` (what to do when it fails)
//! and `id` (so another check can refer to it with `after`). The rest of its
//! keys are the kind's own fields.

use std::sync::Arc;

use super::kinds::{Entry, Kind, Needs};
use super::{Ctx, Shared, Verdict};

#[derive(Debug, Clone)]
pub struct CheckSpec {
    pub id: Option<String>,
    pub label: Option<String>,
    pub fix: Option<String>,
    /// The Dockerfile the image this check looks at is built from, as the
    /// lessons' build actions say (set when lessons load): what the
    /// preflight reads when the image is missing.
    pub built_from: Option<String>,
    entry: &'static Entry,
    kind: Arc<dyn Kind>,
    /// The kind's own keys as the lesson wrote them, to read again renamed
    /// ([`CheckSpec::renamed`]).
    own: toml::Table,
}

impl CheckSpec {
    pub fn label(&self) -> String {
        self.label
            .clone()
            .unwrap_or_else(|| self.kind.default_label())
    }

    /// The kind's name, as lessons write it (`image_exists`).
    pub fn kind_name(&self) -> &'static str {
        self.entry.name
    }

    /// Whether the check needs the Docker engine to be answered.
    pub fn needs_engine(&self) -> bool {
        self.entry.doc.engine
    }

    /// What must be gathered (images, probes, runs, scans, counts of dangling
    /// images) or declared earlier (`after`) for this check.
    pub fn needs(&self) -> Needs<'_> {
        self.kind.needs()
    }

    pub(super) fn judge(&self, ctx: &Ctx<'_>, shared: &mut Shared) -> Verdict {
        self.kind.judge(ctx, shared)
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
        let Some(name) = take("kind")? else {
            return Err("a check needs a `kind`".into());
        };
        let entry = super::kinds::find(&name)?;
        let kind = entry.parse(table.clone())?;
        Ok(CheckSpec {
            id,
            label,
            fix,
            built_from: None,
            entry,
            kind,
            own: table,
        })
    }

    /// The same check with its image references renamed by `image` (keys
    /// `image`, `than`, `images`), its typed command by `text` and its
    /// `label` and `fix` by `prose`: a learner's namespace on a shared
    /// engine.
    pub fn renamed(
        &self,
        image: &dyn Fn(&str) -> Option<String>,
        text: &dyn Fn(&str) -> String,
        prose: &dyn Fn(&str) -> String,
    ) -> Result<CheckSpec, String> {
        let mut own = self.own.clone();
        for (key, value) in &mut own {
            match (key.as_str(), value) {
                ("image" | "than", toml::Value::String(s)) => {
                    if let Some(n) = image(s) {
                        *s = n;
                    }
                }
                ("images", toml::Value::Array(all)) => {
                    for v in all {
                        if let toml::Value::String(s) = v
                            && let Some(n) = image(s)
                        {
                            *s = n;
                        }
                    }
                }
                ("command", toml::Value::String(s)) => *s = text(s),
                _ => {}
            }
        }
        Ok(CheckSpec {
            id: self.id.clone(),
            label: self.label.as_deref().map(prose),
            fix: self.fix.as_deref().map(prose),
            built_from: self.built_from.clone(),
            entry: self.entry,
            kind: self.entry.parse(own.clone())?,
            own,
        })
    }

    /// Whether `other` declares something else (after [`CheckSpec::renamed`]).
    pub fn differs(&self, other: &CheckSpec) -> bool {
        self.own != other.own || self.label != other.label || self.fix != other.fix
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
        assert_eq!(spec.kind_name(), "file_exists");
        assert_eq!(spec.label(), "L");
        assert!(!spec.needs_engine());
    }

    #[test]
    fn without_a_label_the_kind_gives_one() {
        let spec = parse("kind = \"image_exists\"\nimage = \"app\"").unwrap();
        assert_eq!(spec.label(), "image app exists");
        assert!(spec.needs_engine());
        assert_eq!(spec.needs().image, Some("app"));
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
    fn a_kind_that_is_not_a_string_is_rejected() {
        let err = parse("kind = 3").unwrap_err();
        assert!(err.contains("`kind` must be a string"), "{err}");
    }

    #[test]
    fn after_is_what_a_dockerfile_check_needs() {
        let spec = parse("kind = \"dockerfile\"\ninstruction = \"CMD\"\nafter = \"copy\"").unwrap();
        assert_eq!(spec.needs().after, Some("copy"));
        assert_eq!(spec.label(), "Dockerfile has a CMD instruction");
    }
}
