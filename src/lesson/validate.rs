//! Checks a lesson's front matter key by key before serde reads it, so that
//! a mistake is reported at its own line (serde, reading a `[[checks]]`
//! table as a whole, can only point at the table's header), with the keys
//! or values allowed there and the nearest one to what was typed.
//!
//! It also checks what parses but cannot work: Dockerfile instruction names,
//! image references, workspace paths, regexes and the ids `after` refers to.

use std::collections::HashMap;
use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use crate::check::kinds::KINDS;

/// Every key a lesson's front matter may have.
pub const FRONT_MATTER_KEYS: &[&str] = &[
    "id", "title", "command", "hint", "solution", "starters", "edit", "minutes", "notes", "action",
    "checks",
];

/// The keys every check has, whatever its kind.
const COMMON_CHECK_KEYS: &[&str] = &["kind", "id", "label", "fix"];

/// Each action kind and its keys.
const ACTIONS: &[(&str, &[&str])] = &[
    ("build", &["tag", "dockerfile"]),
    ("run", &["image", "memory", "cpus", "until", "timeout"]),
    ("images", &[]),
    ("compare", &["images"]),
    ("tidy", &["label"]),
    ("scan", &["image"]),
];

/// What the checker found: problems as `(line, message)` (lines of the
/// lesson file), and the line of each top-level key for later messages.
#[derive(Debug, Default)]
pub struct Checked {
    pub problems: Vec<(usize, String)>,
    pub key_lines: HashMap<String, usize>,
}

/// Checks the front matter `toml`, which starts at line `first_line` of the
/// lesson file.
pub fn front_matter(toml: &str, first_line: usize) -> Checked {
    let lines = crate::dockerfile::lines::LineIndex::new(toml);
    let line = |span: Range<usize>| first_line - 1 + lines.line_of(span.start);
    let mut out = Checked::default();
    let doc = match DeTable::parse(toml) {
        Ok(doc) => doc,
        Err(e) => {
            let at = e.span().map_or(first_line, line);
            out.problems.push((at, e.message().trim().to_string()));
            return out;
        }
    };
    let mut v = Validator {
        line: &line,
        problems: Vec::new(),
    };
    for (key, value) in doc.get_ref() {
        out.key_lines
            .insert(key.get_ref().to_string(), line(key.span()));
        if !v.known_key(key, FRONT_MATTER_KEYS, "the front matter") {
            continue;
        }
        match key.get_ref().as_ref() {
            "edit" => v.workspace_path("edit", value),
            "minutes" if !is_minutes(value.get_ref()) => v.at(
                value,
                "`minutes` must be a whole number of minutes, e.g. `minutes = 10`",
            ),
            "action" => match value.get_ref() {
                DeValue::Table(t) => v.action(value, t),
                DeValue::Array(items) => {
                    for item in &**items {
                        match item.get_ref() {
                            DeValue::Table(t) => v.action(item, t),
                            _ => v.at(item, "an `[[action]]` must be a table"),
                        }
                    }
                }
                _ => v.at(
                    value,
                    "`action` must be a table: `[action]` or `[[action]]`",
                ),
            },
            "checks" => {
                let Some(items) = value.get_ref().as_array() else {
                    v.at(value, "`checks` must be `[[checks]]` tables");
                    continue;
                };
                let mut ids: Vec<String> = Vec::new();
                for item in &**items {
                    match item.get_ref() {
                        DeValue::Table(t) => v.check(item, t, &mut ids),
                        _ => v.at(item, "each `[[checks]]` must be a table"),
                    }
                }
            }
            _ => {}
        }
    }
    out.problems = v.problems;
    out.problems.sort_by_key(|(l, _)| *l);
    out
}

struct Validator<'a> {
    line: &'a dyn Fn(Range<usize>) -> usize,
    problems: Vec<(usize, String)>,
}

impl Validator<'_> {
    fn at<T>(&mut self, spanned: &Spanned<T>, message: impl Into<String>) {
        self.problems
            .push(((self.line)(spanned.span()), message.into()));
    }

    /// Reports a key that is not in `allowed`, with the nearest allowed one.
    fn known_key(
        &mut self,
        key: &Spanned<std::borrow::Cow<'_, str>>,
        allowed: &[&str],
        place: &str,
    ) -> bool {
        let name = key.get_ref().as_ref();
        if allowed.contains(&name) {
            return true;
        }
        let message = format!(
            "unknown key `{name}` in {place} (allowed: {}){}",
            list(allowed),
            did_you_mean(name, allowed)
        );
        self.at(key, message);
        false
    }

    /// A string value, or a problem saying it must be one.
    fn string<'v>(&mut self, key: &str, value: &'v Spanned<DeValue<'_>>) -> Option<&'v str> {
        let s = value.get_ref().as_str();
        if s.is_none() {
            let found = value.get_ref().type_str();
            self.at(value, format!("`{key}` must be a string, found {found}"));
        }
        s
    }

    fn workspace_path(&mut self, key: &str, value: &Spanned<DeValue<'_>>) {
        if let Some(path) = self.string(key, value)
            && let Err(why) = super::paths::workspace_relative(path)
        {
            self.at(value, format!("`{key}`: {why}"));
        }
    }

    fn image(&mut self, key: &str, value: &Spanned<DeValue<'_>>) {
        if let Some(image) = self.string(key, value)
            && let Err(why) = image_reference(image)
        {
            self.at(
                value,
                format!("`{key} = {image:?}` is not an image reference: {why}"),
            );
        }
    }

    fn regex(&mut self, key: &str, value: &Spanned<DeValue<'_>>) {
        if let Some(re) = self.string(key, value)
            && let Err(e) = regex_syntax::Parser::new().parse(re)
        {
            let first = e.to_string();
            let last = first.lines().last().unwrap_or("").trim();
            let last = last.strip_prefix("error: ").unwrap_or(last).to_string();
            self.at(value, format!("`{key}` is not a valid regex: {last}"));
        }
    }

    /// The table's `kind`, when it is one of `kinds` (else a problem).
    fn kind<'k>(
        &mut self,
        header: &Spanned<DeValue<'_>>,
        table: &DeTable<'_>,
        kinds: &[&'k str],
        what: &str,
    ) -> Option<&'k str> {
        let Some(value) = table.get("kind") else {
            self.at(
                header,
                format!("{what} needs a `kind`; one of {}", list(kinds)),
            );
            return None;
        };
        let name = self.string("kind", value)?;
        let found = kinds.iter().find(|k| **k == name).copied();
        if found.is_none() {
            let message = format!(
                "unknown {what} kind `{name}` (allowed: {}){}",
                list(kinds),
                did_you_mean(name, kinds)
            );
            self.at(value, message);
        }
        found
    }

    fn action(&mut self, header: &Spanned<DeValue<'_>>, table: &DeTable<'_>) {
        let names: Vec<&str> = ACTIONS.iter().map(|(n, _)| *n).collect();
        let Some(kind) = self.kind(header, table, &names, "action") else {
            return;
        };
        let keys = ACTIONS
            .iter()
            .find(|(n, _)| *n == kind)
            .map_or(&[][..], |(_, k)| k);
        let allowed: Vec<&str> = std::iter::once("kind")
            .chain(keys.iter().copied())
            .collect();
        for (key, value) in table {
            if !self.known_key(key, &allowed, &format!("a `{kind}` action")) {
                continue;
            }
            match (kind, key.get_ref().as_ref()) {
                ("build", "tag") | ("run" | "scan", "image") => self.image(key.get_ref(), value),
                ("build", "dockerfile") => self.workspace_path("dockerfile", value),
                ("compare", "images") => match value.get_ref().as_array() {
                    Some(images) => images.iter().for_each(|i| self.image("images", i)),
                    None => self.at(value, "`images` must be a list of image names"),
                },
                ("run", "until") if self.string("until", value).is_some_and(|u| u != "healthy") => {
                    self.at(value, "`until` can only be \"healthy\"");
                }
                _ => {}
            }
        }
    }

    /// One `[[checks]]` table; `ids` are the earlier checks' ids.
    fn check(&mut self, header: &Spanned<DeValue<'_>>, table: &DeTable<'_>, ids: &mut Vec<String>) {
        let names: Vec<&str> = KINDS.iter().map(|e| e.name).collect();
        let Some(kind) = self.kind(header, table, &names, "check") else {
            return;
        };
        let Some(entry) = KINDS.iter().find(|e| e.name == kind) else {
            return;
        };
        let allowed: Vec<&str> = COMMON_CHECK_KEYS
            .iter()
            .copied()
            .chain(entry.doc.fields.iter().map(|f| f.name))
            .collect();
        for (key, value) in table {
            if !self.known_key(key, &allowed, &format!("a `{kind}` check")) {
                continue;
            }
            let name = key.get_ref().as_ref();
            let is_regex = entry
                .doc
                .fields
                .iter()
                .any(|f| f.name == name && f.note.starts_with("regex"));
            match name {
                _ if is_regex => self.regex(name, value),
                "instruction" => self.instruction(value),
                "image" | "than" => self.image(name, value),
                // image_file's path is inside the image, not the workspace.
                "path" if kind != "image_file" => self.workspace_path("path", value),
                "stage" => {
                    if let Some(stage) = self.string("stage", value)
                        && !["final", "any"].contains(&stage)
                    {
                        let message = format!(
                            "`stage = {stage:?}` is not a stage scope (allowed: `final`, `any`){}",
                            did_you_mean(stage, &["final", "any"])
                        );
                        self.at(value, message);
                    }
                }
                "after" => {
                    if let Some(after) = self.string("after", value)
                        && !ids.iter().any(|id| id == after)
                    {
                        let known: Vec<&str> = ids.iter().map(String::as_str).collect();
                        let message = if known.is_empty() {
                            format!(
                                "`after = {after:?}`: no earlier check of this lesson has an `id`"
                            )
                        } else {
                            format!(
                                "`after = {after:?}` names no earlier check (earlier ids: {}){}",
                                list(&known),
                                did_you_mean(after, &known)
                            )
                        };
                        self.at(value, message);
                    }
                }
                _ => {}
            }
        }
        if let Some(id) = table.get("id").and_then(|v| v.get_ref().as_str()) {
            if ids.iter().any(|i| i == id) {
                self.at(
                    &table["id"],
                    format!("check id {id:?} is used by an earlier check"),
                );
            }
            ids.push(id.to_string());
        }
    }

    fn instruction(&mut self, value: &Spanned<DeValue<'_>>) {
        use crate::diagnose::syntax::INSTRUCTIONS;
        let Some(name) = self.string("instruction", value) else {
            return;
        };
        let upper = name.to_uppercase();
        if !INSTRUCTIONS.contains(&upper.as_str()) {
            let message = format!(
                "`instruction = {name:?}` is not a Dockerfile instruction (allowed: {}){}",
                list(INSTRUCTIONS),
                did_you_mean(&upper, INSTRUCTIONS)
            );
            self.at(value, message);
        }
    }
}

/// A positive whole number of minutes.
fn is_minutes(value: &DeValue<'_>) -> bool {
    value
        .as_integer()
        .and_then(|i| i.as_str().parse::<u32>().ok())
        .is_some_and(|m| m > 0)
}

/// " — did you mean `x`?" when an allowed word is close to `typed`.
pub fn did_you_mean(typed: &str, allowed: &[&str]) -> String {
    nearest(typed, allowed).map_or_else(String::new, |n| format!(" — did you mean `{n}`?"))
}

/// The allowed word nearest to `typed`, when it is near enough to be a typo.
pub fn nearest<'a>(typed: &str, allowed: &[&'a str]) -> Option<&'a str> {
    let typed = typed.to_lowercase();
    allowed
        .iter()
        .map(|a| (strsim::damerau_levenshtein(&typed, &a.to_lowercase()), *a))
        .filter(|(d, a)| *d <= (a.len() / 3).max(1) + usize::from(a.len() > 5))
        .min_by_key(|(d, _)| *d)
        .map(|(_, a)| a)
}

fn list(words: &[&str]) -> String {
    if words.is_empty() {
        return "none".into();
    }
    words
        .iter()
        .map(|w| format!("`{w}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Checks an image reference as Docker's reference grammar reads it
/// (`[registry[:port]/]name[:tag][@digest]`, lowercase name). ASCII
/// classes, as Go's `\w`: a Unicode `\w` makes the regex slow to build.
pub fn image_reference(image: &str) -> Result<(), String> {
    use std::sync::LazyLock;
    static GRAMMAR: LazyLock<regex::Regex> = LazyLock::new(|| {
        let component = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
        let domain = r"(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]+)?/)?";
        regex::Regex::new(&format!(
            r"^{domain}{component}(?:/{component})*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{{0,127}})?(?:@sha256:[a-f0-9]{{64}})?$"
        ))
        .expect("the reference grammar is a valid regex")
    });
    if image.is_empty() {
        return Err("it is empty".into());
    }
    if image.contains(char::is_whitespace) {
        return Err("it contains a space".into());
    }
    if GRAMMAR.is_match(image) {
        return Ok(());
    }
    let name = image.split(['@']).next().unwrap_or(image);
    let name = name
        .rsplit_once(':')
        .filter(|(_, t)| !t.contains('/'))
        .map_or(name, |(n, _)| n);
    Err(if name.chars().any(|c| c.is_ascii_uppercase()) {
        "the name must be lowercase".into()
    } else {
        "expected name[:tag][@sha256:digest], e.g. python:3.9-slim".into()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_references() {
        for ok in [
            "python:3.9-slim",
            "my-docker-app",
            "gcr.io/distroless/python3",
            "localhost:5000/team/app:v1.2",
            "docktutor-test-x_1",
        ] {
            assert_eq!(image_reference(ok), Ok(()), "{ok}");
        }
        assert!(image_reference("My-App").unwrap_err().contains("lowercase"));
        for bad in ["", "a b", "app:", "app:-x", "-app", "app@sha256:zz"] {
            assert!(image_reference(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn nearest_finds_typos_only() {
        assert_eq!(nearest("lable", &["label", "fix"]), Some("label"));
        assert_eq!(nearest("FORM", &["FROM", "RUN"]), Some("FROM"));
        assert_eq!(nearest("colour", &["label", "fix"]), None);
    }
}
