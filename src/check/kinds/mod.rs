//! The check kinds: one file each, registered in one list (`KINDS`).
//!
//! A kind is a `#[derive(Deserialize)]` struct of its TOML fields that
//! implements `Kind` (what it needs gathered, its default checklist line,
//! how it judges) and a [`Doc`] constant (its fields, what makes it pass,
//! whether it needs the engine). The check-kind table in
//! `lessons/README.md` is generated from the docs; a test keeps the two in
//! step and checks every doc against its struct.
//!
//! Adding a kind: write `src/check/kinds/<name>.rs` with the struct, its
//! `impl Kind` and `pub(crate) const DOC`, then add one line to the
//! `kinds!` list below. The file's name is the kind's name in lessons.

mod doc;
#[cfg(test)]
mod tests;

use std::fmt;
use std::sync::Arc;

use serde::de::DeserializeOwned;

use super::{Ctx, Shared, Verdict};
use crate::engine::Probe;
pub use doc::{Doc, Field, Need, reference_table};

/// What every check kind does.
pub(crate) trait Kind: fmt::Debug + Send + Sync {
    /// What must be gathered or declared before the check can be judged.
    fn needs(&self) -> Needs<'_> {
        Needs::default()
    }

    /// Refuses field values that parse but cannot work (e.g. a bad regex),
    /// naming the field.
    fn validate(&self) -> Result<(), String> {
        Ok(())
    }

    /// The checklist line used when the lesson gives no `label`.
    fn default_label(&self) -> String;

    /// Judges the check. Kinds that need the engine go through
    /// [`Ctx::with_engine`], which answers "blocked" when there is none.
    fn judge(&self, ctx: &Ctx<'_>, shared: &mut Shared) -> Verdict;
}

/// What a check needs beyond the workspace: the engine task and
/// `docktutor check` read this to know what to inspect, probe and run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Needs<'a> {
    /// An image whose details the engine task inspects.
    pub image: Option<&'a str>,
    /// The latest run of `image` (so `docktutor check` runs it first).
    pub run: bool,
    /// A vulnerability scan of `image` (so `docktutor check` scans it first).
    pub scan: bool,
    /// Work the engine does for the check: a short container, or a look
    /// inside an image.
    pub probe: Option<Probe>,
    /// A label (`key=value`) whose dangling images are counted.
    pub dangling_label: Option<&'a str>,
    /// The `id` of an earlier check of the same lesson this one refers to.
    pub after: Option<&'a str>,
}

/// One registered kind: its name in lessons, its docs, and how to read it.
pub(crate) struct Entry {
    pub name: &'static str,
    pub doc: Doc,
    parse: fn(toml::Value) -> Result<Arc<dyn Kind>, toml::de::Error>,
    /// The struct's field names, as serde sees them (for the doc tests).
    #[cfg(test)]
    fields: fn() -> &'static [&'static str],
}

impl fmt::Debug for Entry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name)
    }
}

impl Entry {
    const fn of<K: Kind + DeserializeOwned + 'static>(name: &'static str, doc: Doc) -> Entry {
        Entry {
            name,
            doc,
            parse: parse_as::<K>,
            #[cfg(test)]
            fields: tests::field_names::<K>,
        }
    }

    /// Reads the kind's fields (everything but `kind`, `id`, `label`, `fix`).
    pub fn parse(&self, fields: toml::Table) -> Result<Arc<dyn Kind>, String> {
        let kind =
            (self.parse)(toml::Value::Table(fields)).map_err(|e| e.message().trim().to_string())?;
        kind.validate()?;
        Ok(kind)
    }
}

fn parse_as<K: Kind + DeserializeOwned + 'static>(
    value: toml::Value,
) -> Result<Arc<dyn Kind>, toml::de::Error> {
    Ok(Arc::new(value.try_into::<K>()?))
}

/// The kind a lesson names, or the error that lists the known ones.
pub(crate) fn find(name: &str) -> Result<&'static Entry, String> {
    KINDS.iter().find(|e| e.name == name).ok_or_else(|| {
        // Worded as serde words an unknown enum variant, as before kinds
        // were registered here.
        let known: Vec<String> = KINDS.iter().map(|e| format!("`{}`", e.name)).collect();
        format!(
            "unknown variant `{name}`, expected one of {}",
            known.join(", ")
        )
    })
}

/// Refuses a field that does not compile as a regex.
pub(super) fn valid_regex(field: &str, re: &str) -> Result<(), String> {
    // Parsing finds every syntax error Regex::new would, without compiling
    // an automaton for each of the course's regexes at start-up (most of
    // the start-up heap; issue 16).
    regex_syntax::Parser::new()
        .parse(re)
        .map(|_| ())
        .map_err(|e| format!("`{field}` is not a valid regex: {e}"))
}

/// The Dockerfile the Dockerfile kinds read unless told otherwise.
fn dockerfile_path() -> String {
    "Dockerfile".into()
}

/// Declares each kind's module and registers it under the module's name, so
/// a kind is its file plus one line here. The order is the README's.
macro_rules! kinds {
    ($($name:ident: $kind:ident,)*) => {
        $(mod $name;)*
        /// Every check kind, in the order the README lists them.
        pub(crate) static KINDS: &[Entry] = &[$(Entry::of::<$name::$kind>(stringify!($name), $name::DOC)),*];
    };
}

kinds! {
    dir_exists: DirExists,
    file_exists: FileExists,
    file_contains: FileContains,
    python_prints: PythonPrints,
    dockerfile: HasInstruction,
    image_exists: ImageExists,
    image_cmd: ImageCmd,
    container_output: ContainerOutput,
    dockerfile_stages: DockerfileStages,
    lint_clean: LintClean,
    requirements_pinned: RequirementsPinned,
    image_smaller: ImageSmaller,
    image_user: ImageUser,
    container_uid: ContainerUid,
    image_file: ImageFile,
    image_current: ImageCurrent,
    image_label: ImageLabel,
    image_tag: ImageTag,
    image_healthcheck: ImageHealthcheck,
    container_health: ContainerHealth,
    container_limits: ContainerLimits,
    build_cache: BuildCache,
    dangling_images: DanglingImages,
    scan: Scan,
    typed_command: TypedCommand,
}

pub(crate) use dockerfile::{HasInstruction, StageScope};
