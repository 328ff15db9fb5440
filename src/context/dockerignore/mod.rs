//! `.dockerignore` parsing and matching with the exact semantics of the
//! docker CLI (legacy builder).
//!
//! Upstream references (behaviour re-implemented, no code copied):
//! * `github.com/moby/patternmatcher` v0.6.0 (`patternmatcher.go`), the
//!   version vendored by docker CLI 28.x,
//! * `github.com/moby/patternmatcher/ignorefile` (`ReadAll`),
//! * Go's `path/filepath.Match` (only used upstream to reject bad syntax) and
//!   `regexp/syntax` (upstream turns every non-trivial pattern into a Go
//!   regular expression; we build the same expression text, check it with
//!   Go's parser rules and run it with the `regex` crate, see `go_regexp/`).
//!
//! Pipeline, as upstream:
//! 1. *reader* (`ignorefile.ReadAll`): strip a UTF-8 BOM from line 1, skip
//!    lines whose first byte is `#` (checked *before* trimming), trim
//!    whitespace, skip empty lines, split off a leading `!`, `filepath.Clean`
//!    the rest and drop one leading `/`.
//! 2. *compiler* (`patternmatcher.New`): trim again, `filepath.Clean` the
//!    whole line (including the `!`), `!` marks an exception (`!` alone is an
//!    error), reject patterns `filepath.Match` calls malformed.
//! 3. *matcher*: exact / prefix (`dir/**`) / suffix (`**/x`) fast paths,
//!    everything else through the translated regular expression.
//!
//! This file holds the reader and the matcher; `glob.rs` the cleaning, the
//! glob syntax check and the glob-to-regexp translation.

mod glob;
mod go_regexp;
#[cfg(test)]
mod tests;

use std::fmt;

pub use glob::clean;
pub(crate) use glob::clean_bytes;
use glob::{TKind, translate, validate_glob};
use go_regexp::GoRegex;

/// Error for a `.dockerignore` line or pattern that upstream rejects.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct PatternError {
    /// 1-based line in `.dockerignore`; 0 when the pattern did not come from
    /// the file (e.g. the `!Dockerfile` exception the CLI appends).
    pub line: usize,
    /// The pattern as written (after trimming), or the raw line.
    pub pattern: String,
    /// What is wrong, in the words upstream uses where it has words.
    pub message: String,
}

impl fmt::Display for PatternError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line > 0 {
            write!(
                f,
                ".dockerignore line {}: {} (pattern {:?})",
                self.line, self.message, self.pattern
            )
        } else {
            write!(f, "{} (pattern {:?})", self.message, self.pattern)
        }
    }
}

/// Longest line `bufio.Scanner` accepts by default (64 KiB including the
/// newline); longer lines make the CLI fail with "token too long".
const MAX_LINE: usize = 64 * 1024;

/// One compiled pattern.
#[derive(Debug, Clone)]
pub struct Pattern {
    cleaned: String,
    exception: bool,
    line: usize,
    dirs: usize,
    kind: Kind,
}

#[derive(Debug, Clone)]
enum Kind {
    Exact,
    Prefix(usize),
    Suffix,
    Regex(Result<GoRegex, String>),
}

impl Pattern {
    /// The cleaned pattern without the leading `!` (upstream `String()`).
    pub fn text(&self) -> &str {
        &self.cleaned
    }

    /// True for `!pattern` lines, which re-include paths.
    pub fn is_exception(&self) -> bool {
        self.exception
    }

    /// 1-based `.dockerignore` line, 0 for patterns not read from the file.
    pub fn line(&self) -> usize {
        self.line
    }

    /// The Go regular expression upstream builds for this pattern, or `None`
    /// for patterns matched by plain string comparison.
    pub fn regex_source(&self) -> Option<String> {
        match self.kind {
            Kind::Regex(_) => Some(translate(&self.cleaned).0),
            _ => None,
        }
    }

    fn error(&self, message: String) -> PatternError {
        PatternError {
            line: self.line,
            pattern: self.display(),
            message,
        }
    }

    fn display(&self) -> String {
        if self.exception {
            format!("!{}", self.cleaned)
        } else {
            self.cleaned.clone()
        }
    }

    /// Upstream `Pattern.match`: does this single pattern match `path`?
    fn matches(&self, path: &[u8]) -> Result<bool, PatternError> {
        let pat = self.cleaned.as_bytes();
        match &self.kind {
            Kind::Exact => Ok(path == pat),
            Kind::Prefix(n) => Ok(path.starts_with(&pat[..*n])),
            Kind::Suffix => {
                let suffix = &pat[2..];
                if path.ends_with(suffix) {
                    return Ok(true);
                }
                Ok(suffix.first() == Some(&b'/') && path == &suffix[1..])
            }
            Kind::Regex(Ok(prog)) => Ok(prog.is_match(path)),
            Kind::Regex(Err(e)) => Err(self.error(format!("syntax error in pattern: {e}"))),
        }
    }
}

/// A compiled `.dockerignore`: an ordered list of patterns where the last
/// matching pattern wins.
#[derive(Debug, Clone, Default)]
pub struct Matcher {
    patterns: Vec<Pattern>,
    exceptions: bool,
}

impl Matcher {
    /// A matcher without patterns (no `.dockerignore`): nothing is excluded.
    pub fn empty() -> Matcher {
        Matcher::default()
    }

    /// Parses the text of a `.dockerignore` file.
    pub fn parse(dockerignore_text: &str) -> Result<Matcher, PatternError> {
        let lines = read_lines(dockerignore_text)?;
        let mut m = Matcher::empty();
        for (line, pattern) in lines {
            m.push(&pattern, line)?;
        }
        Ok(m)
    }

    /// Compiles patterns that did not come from a file (upstream
    /// `patternmatcher.New`): no comment handling, no leading-`/` removal.
    pub fn new<I, S>(patterns: I) -> Result<Matcher, PatternError>
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        let mut m = Matcher::empty();
        for p in patterns {
            m.push(p.as_ref(), 0)?;
        }
        Ok(m)
    }

    /// Appends one pattern exactly as `patternmatcher.New` would process it.
    pub fn push(&mut self, pattern: &str, line: usize) -> Result<(), PatternError> {
        let trimmed = pattern.trim();
        if trimmed.is_empty() {
            return Ok(());
        }
        let cleaned = clean(trimmed);
        let (exception, body) = match cleaned.strip_prefix('!') {
            Some("") => {
                return Err(PatternError {
                    line,
                    pattern: trimmed.to_string(),
                    message: "illegal exclusion pattern: \"!\"".to_string(),
                });
            }
            Some(rest) => (true, rest.to_string()),
            None => (false, cleaned),
        };
        if let Err(why) = validate_glob(body.as_bytes()) {
            return Err(PatternError {
                line,
                pattern: trimmed.to_string(),
                message: format!("syntax error in pattern: {why}"),
            });
        }
        let (regex, kind) = translate(&body);
        let kind = match kind {
            TKind::Exact => Kind::Exact,
            TKind::Prefix => Kind::Prefix(body.len() - 2),
            TKind::Suffix => Kind::Suffix,
            TKind::Regex => Kind::Regex(GoRegex::compile(&regex)),
        };
        self.exceptions |= exception;
        self.patterns.push(Pattern {
            dirs: body.split('/').count(),
            cleaned: body,
            exception,
            line,
            kind,
        });
        Ok(())
    }

    /// The compiled patterns, in file order.
    pub fn patterns(&self) -> &[Pattern] {
        &self.patterns
    }

    /// True if any pattern is an exception (`!...`).
    pub fn has_exceptions(&self) -> bool {
        self.exceptions
    }

    /// Is `rel_path` left out of the build context? The path is cleaned
    /// first; `.` (the context itself) is never excluded. A pattern that
    /// matches a parent directory excludes everything under it, the last
    /// matching pattern wins. A pattern that fails to compile counts as "not
    /// excluded" here; use [`Matcher::matches_or_parent_matches`] to see the
    /// error.
    pub fn is_excluded(&self, rel_path: &str) -> bool {
        let path = clean(rel_path);
        if path == "." {
            return false;
        }
        self.or_parent(path.as_bytes()).unwrap_or(false)
    }

    /// Upstream `PatternMatcher.MatchesOrParentMatches` (no cleaning of
    /// `path`).
    pub fn matches_or_parent_matches(&self, path: &str) -> Result<bool, PatternError> {
        self.or_parent(path.as_bytes())
    }

    /// Upstream (deprecated) `patternmatcher.Matches(file, patterns)`: like
    /// [`Matcher::is_excluded`] but a pattern is only tried against the one
    /// ancestor that has as many path components as the pattern. The docker
    /// CLI still uses it to decide whether to re-include the Dockerfile and
    /// `.dockerignore`.
    pub fn matches_single_parent(&self, path: &str) -> Result<bool, PatternError> {
        let file = clean(path);
        if file == "." {
            return Ok(false);
        }
        let file = file.as_bytes();
        let parent = go_dir(file);
        let parent_dirs: Vec<&[u8]> = parent.split(|b| *b == b'/').collect();
        let mut matched = false;
        for p in &self.patterns {
            if p.exception != matched {
                continue;
            }
            let mut hit = p.matches(file)?;
            if !hit && parent.as_slice() != b"." && p.dirs <= parent_dirs.len() {
                let ancestor = parent_dirs[..p.dirs].join(&b'/');
                hit = p.matches(&ancestor).unwrap_or(false);
            }
            if hit {
                matched = !p.exception;
            }
        }
        Ok(matched)
    }

    /// Upstream exclusion-directory rule of `archive.TarWithOptions`: when a
    /// directory is excluded the walk still descends into it if some
    /// exception pattern, as a string, starts with `dir/` (so `!dir/keep`
    /// saves `dir/keep`, but `!**/keep` does not reach into excluded `dir`).
    pub fn could_reinclude_under(&self, dir: &str) -> bool {
        self.could_reinclude_under_bytes(dir.as_bytes())
    }

    pub(crate) fn could_reinclude_under_bytes(&self, dir: &[u8]) -> bool {
        if !self.exceptions {
            return false;
        }
        self.patterns.iter().filter(|p| p.exception).any(|p| {
            let pat = p.cleaned.as_bytes();
            // (pat + "/").starts_with(dir + "/")
            if pat.len() + 1 < dir.len() + 1 {
                return false;
            }
            pat.starts_with(dir) && (pat.len() == dir.len() || pat[dir.len()] == b'/')
        })
    }

    fn or_parent(&self, file: &[u8]) -> Result<bool, PatternError> {
        let parent = go_dir(file);
        let mut matched = false;
        for p in &self.patterns {
            if p.exception != matched {
                continue;
            }
            let mut hit = p.matches(file)?;
            if !hit && parent.as_slice() != b"." {
                hit = ancestors(&parent).any(|a| p.matches(a).unwrap_or(false));
            }
            if hit {
                matched = !p.exception;
            }
        }
        Ok(matched)
    }

    /// Upstream `MatchesUsingParentResults`, the function the CLI's tar walk
    /// uses. `parent` is the per-pattern result recorded for the parent
    /// directory (`None` for entries directly in the context root); when
    /// `record` is given it receives this path's per-pattern results, to be
    /// passed as `parent` for its children.
    pub(crate) fn matches_with_parent(
        &self,
        file: &[u8],
        parent: Option<&[bool]>,
        mut record: Option<&mut Vec<bool>>,
    ) -> Result<bool, PatternError> {
        if let Some(r) = record.as_deref_mut() {
            r.clear();
            r.resize(self.patterns.len(), false);
        }
        let mut matched = false;
        for (i, p) in self.patterns.iter().enumerate() {
            let mut hit = parent.is_some_and(|pm| pm.get(i).copied().unwrap_or(false));
            if !hit {
                if p.exception != matched {
                    continue;
                }
                hit = p.matches(file)?;
                if !hit && parent.is_none() {
                    let dir = go_dir(file);
                    if dir.as_slice() != b"." {
                        hit = ancestors(&dir).any(|a| p.matches(a).unwrap_or(false));
                    }
                }
            }
            if let Some(r) = record.as_deref_mut() {
                r[i] = hit;
            }
            if hit {
                matched = !p.exception;
            }
        }
        Ok(matched)
    }
}

/// `strings.Join(dirs[:i+1], "/")` for every i, where dirs is `dir` split on
/// `/`: every prefix of `dir` that ends before a `/`, then `dir` itself.
fn ancestors(dir: &[u8]) -> impl Iterator<Item = &[u8]> {
    dir.iter()
        .enumerate()
        .filter(|(_, b)| **b == b'/')
        .map(|(i, _)| &dir[..i])
        .chain(std::iter::once(dir))
}

/// Go `filepath.Dir` for slash paths.
fn go_dir(path: &[u8]) -> Vec<u8> {
    match path.iter().rposition(|b| *b == b'/') {
        Some(i) => clean_bytes(&path[..=i]),
        None => b".".to_vec(),
    }
}

/// Go's `ignorefile.ReadAll`: returns (1-based line, pattern) pairs.
pub fn read_lines(text: &str) -> Result<Vec<(usize, String)>, PatternError> {
    let mut out = Vec::new();
    if text.is_empty() {
        return Ok(out);
    }
    let body = text.strip_suffix('\n').unwrap_or(text);
    for (idx, raw) in body.split('\n').enumerate() {
        let line_no = idx + 1;
        if raw.len() >= MAX_LINE {
            return Err(PatternError {
                line: line_no,
                pattern: raw.chars().take(40).collect::<String>() + "...",
                message: "line too long (bufio.Scanner: token too long)".to_string(),
            });
        }
        let mut line = raw.strip_suffix('\r').unwrap_or(raw);
        if idx == 0 {
            line = line.strip_prefix('\u{feff}').unwrap_or(line);
        }
        if line.starts_with('#') {
            continue;
        }
        let mut pattern = line.trim();
        if pattern.is_empty() {
            continue;
        }
        let invert = pattern.starts_with('!');
        if invert {
            pattern = pattern[1..].trim();
        }
        let mut p = String::new();
        if !pattern.is_empty() {
            p = clean(pattern);
            if p.len() > 1 && p.starts_with('/') {
                p.remove(0);
            }
        }
        if invert {
            p.insert(0, '!');
        }
        out.push((line_no, p));
    }
    Ok(out)
}
