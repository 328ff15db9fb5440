//! `.dockerignore` parsing and matching with the exact semantics of the
//! docker CLI (legacy builder).
//!
//! Upstream references (behaviour re-implemented, no code copied):
//! * `github.com/moby/patternmatcher` v0.6.0 (`patternmatcher.go`), the
//!   version vendored by docker CLI 28.x,
//! * `github.com/moby/patternmatcher/ignorefile` (`ReadAll`),
//! * Go's `path/filepath.Match` (only used upstream to reject bad syntax) and
//!   `regexp/syntax` (upstream turns every non-trivial pattern into a Go
//!   regular expression; we build the same expression text and run it on a
//!   small engine that follows Go's parser rules).
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

use std::fmt;

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
    Regex(Result<Program, String>),
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
            TKind::Regex => Kind::Regex(Program::compile(&regex)),
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

/// Go `path.Clean` / `filepath.Clean` on a slash-separated path.
pub fn clean(path: &str) -> String {
    // clean_bytes only removes or copies whole `/`-separated elements of
    // valid UTF-8 input, so the result is valid UTF-8 too.
    String::from_utf8(clean_bytes(path.as_bytes()))
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

pub(crate) fn clean_bytes(path: &[u8]) -> Vec<u8> {
    if path.is_empty() {
        return b".".to_vec();
    }
    let rooted = path[0] == b'/';
    let n = path.len();
    let mut out: Vec<u8> = Vec::with_capacity(n);
    let (mut r, mut dotdot) = (0, 0);
    if rooted {
        out.push(b'/');
        r = 1;
        dotdot = 1;
    }
    while r < n {
        if path[r] == b'/' || (path[r] == b'.' && (r + 1 == n || path[r + 1] == b'/')) {
            r += 1;
        } else if path[r] == b'.' && path[r + 1] == b'.' && (r + 2 == n || path[r + 2] == b'/') {
            r += 2;
            if out.len() > dotdot {
                out.pop();
                while out.len() > dotdot && out[out.len() - 1] != b'/' {
                    out.pop();
                }
                // drop the separator that preceded the removed element
                if out.len() > dotdot && out[out.len() - 1] == b'/' {
                    out.pop();
                }
            } else if !rooted {
                if !out.is_empty() {
                    out.push(b'/');
                }
                out.extend_from_slice(b"..");
                dotdot = out.len();
            }
        } else {
            if (rooted && out.len() != 1) || (!rooted && !out.is_empty()) {
                out.push(b'/');
            }
            while r < n && path[r] != b'/' {
                out.push(path[r]);
                r += 1;
            }
        }
    }
    if out.is_empty() {
        return b".".to_vec();
    }
    out
}

// ---------------------------------------------------------------------------
// filepath.Match syntax check (Go 1.24 semantics: every chunk is validated)
// ---------------------------------------------------------------------------

fn validate_glob(pattern: &[u8]) -> Result<(), &'static str> {
    let mut rest = pattern;
    while !rest.is_empty() {
        // scanChunk: skip stars, then take up to the next star outside [...]
        while let Some((b'*', r)) = rest.split_first() {
            rest = r;
        }
        let mut i = 0;
        let mut in_range = false;
        while i < rest.len() {
            match rest[i] {
                b'\\' if i + 1 < rest.len() => i += 1,
                b'[' => in_range = true,
                b']' => in_range = false,
                b'*' if !in_range => break,
                _ => {}
            }
            i += 1;
        }
        validate_chunk(&rest[..i])?;
        rest = &rest[i..];
    }
    Ok(())
}

fn validate_chunk(chunk: &[u8]) -> Result<(), &'static str> {
    let mut i = 0;
    while i < chunk.len() {
        match chunk[i] {
            b'[' => {
                i += 1;
                if chunk.get(i) == Some(&b'^') {
                    i += 1;
                }
                let mut nrange = 0;
                loop {
                    if chunk.get(i) == Some(&b']') && nrange > 0 {
                        i += 1;
                        break;
                    }
                    i = glob_escape(chunk, i)?;
                    if chunk[i] == b'-' {
                        i = glob_escape(chunk, i + 1)?;
                    }
                    nrange += 1;
                }
            }
            b'\\' => {
                if i + 1 >= chunk.len() {
                    return Err("trailing backslash");
                }
                i += 2;
            }
            _ => i += 1,
        }
    }
    Ok(())
}

/// Go `getEsc`: one (possibly escaped) character inside `[...]`; returns the
/// index after it, which is always inside the chunk.
fn glob_escape(chunk: &[u8], mut i: usize) -> Result<usize, &'static str> {
    match chunk.get(i) {
        None => return Err("unterminated character class"),
        Some(b'-') | Some(b']') => return Err("misplaced '-' or ']' in character class"),
        Some(b'\\') => {
            i += 1;
            if i >= chunk.len() {
                return Err("unterminated character class");
            }
        }
        _ => {}
    }
    let (r, n) = decode_rune(chunk, i);
    if r == 0xFFFD && n == 1 {
        return Err("invalid UTF-8 in character class");
    }
    i += n;
    if i >= chunk.len() {
        return Err("unterminated character class");
    }
    Ok(i)
}

/// Go `utf8.DecodeRune`: invalid encodings decode as U+FFFD with width 1.
fn decode_rune(s: &[u8], i: usize) -> (u32, usize) {
    let end = (i + 4).min(s.len());
    let chunk = &s[i..end];
    let valid = match std::str::from_utf8(chunk) {
        Ok(v) => v,
        Err(e) => {
            let upto = e.valid_up_to();
            // `upto` is a char boundary, so this cannot fail.
            std::str::from_utf8(&chunk[..upto]).unwrap_or("")
        }
    };
    match valid.chars().next() {
        Some(c) => (c as u32, c.len_utf8()),
        None => (0xFFFD, 1),
    }
}

// ---------------------------------------------------------------------------
// Pattern -> Go regular expression text (upstream `Pattern.compile`)
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TKind {
    Exact,
    Prefix,
    Suffix,
    Regex,
}

fn translate(pattern: &str) -> (String, TKind) {
    let mut re = String::from("^");
    let mut kind = TKind::Exact;
    // text/scanner skips a BOM at the very start.
    let body = pattern.strip_prefix('\u{feff}').unwrap_or(pattern);
    let mut chars = body.chars().peekable();
    let mut i = 0usize;
    while let Some(ch) = chars.next() {
        match ch {
            '*' => {
                if chars.peek() == Some(&'*') {
                    chars.next();
                    if chars.peek() == Some(&'/') {
                        chars.next();
                    }
                    if chars.peek().is_none() {
                        if kind == TKind::Exact {
                            kind = TKind::Prefix;
                        } else {
                            re.push_str(".*");
                            kind = TKind::Regex;
                        }
                    } else {
                        re.push_str("(.*/)?");
                        kind = TKind::Regex;
                    }
                    if i == 0 {
                        kind = TKind::Suffix;
                    }
                } else {
                    re.push_str("[^/]*");
                    kind = TKind::Regex;
                }
            }
            '?' => {
                re.push_str("[^/]");
                kind = TKind::Regex;
            }
            // Upstream means to escape `.+()|{}$`, but its bitmap only has
            // room for bytes below 64, so `|`, `{` and `}` stay raw and act
            // as regexp alternation / counted repetition.
            '.' | '+' | '(' | ')' | '$' => {
                re.push('\\');
                re.push(ch);
            }
            '\\' => match chars.next() {
                Some(next) => {
                    re.push('\\');
                    re.push(next);
                    kind = TKind::Regex;
                }
                None => re.push('\\'),
            },
            '[' | ']' => {
                re.push(ch);
                kind = TKind::Regex;
            }
            _ => re.push(ch),
        }
        i += 1;
    }
    if kind == TKind::Regex {
        re.push('$');
    }
    (re, kind)
}

// ---------------------------------------------------------------------------
// A small engine for the Go (RE2, Perl flags) regular expressions produced
// above. Supports everything upstream's translation can emit except Unicode
// classes (`\pL`), which are reported as unsupported.
// ---------------------------------------------------------------------------

#[derive(Debug, Clone)]
enum Node {
    Class(Vec<(u32, u32)>),
    AnyNotNl,
    Assert(Look),
    Concat(Vec<Node>),
    Alt(Vec<Node>),
    Repeat(Box<Node>, Rep),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Look {
    Begin,
    End,
    WordBoundary,
    NotWordBoundary,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rep {
    Star,
    Plus,
    Quest,
    /// `{min}`, `{min,}` (max `None`) or `{min,max}`.
    Counted(u32, Option<u32>),
}

/// Go `parseRepeat` on text starting with `{`: (min, max, bytes consumed),
/// with min = -1 or max = -2 standing for "number too large".
fn parse_counted(s: &[u8]) -> Option<(i64, Option<i64>, usize)> {
    fn int(s: &[u8], i: usize) -> Option<(i64, usize)> {
        let digits = s[i..].iter().take_while(|b| b.is_ascii_digit()).count();
        if digits == 0 || (digits >= 2 && s[i] == b'0') {
            return None;
        }
        let mut n: i64 = 0;
        for &d in &s[i..i + digits] {
            if n >= 100_000_000 {
                n = -1;
                break;
            }
            n = n * 10 + i64::from(d - b'0');
        }
        Some((n, i + digits))
    }
    let (mut min, mut i) = int(s, 1)?;
    let max;
    match s.get(i)? {
        b',' => {
            i += 1;
            if *s.get(i)? == b'}' {
                max = None;
            } else {
                let (m, j) = int(s, i)?;
                i = j;
                if m < 0 {
                    min = -1;
                }
                max = Some(m);
            }
        }
        _ => max = Some(min),
    }
    if s.get(i) != Some(&b'}') {
        return None;
    }
    Some((min, max, i + 1))
}

const MAX_RUNE: u32 = 0x10FFFF;

const PERL_D: &[(u32, u32)] = &[(0x30, 0x39)];
const PERL_S: &[(u32, u32)] = &[(0x9, 0xa), (0xc, 0xd), (0x20, 0x20)];
const PERL_W: &[(u32, u32)] = &[(0x30, 0x39), (0x41, 0x5a), (0x5f, 0x5f), (0x61, 0x7a)];

fn posix_class(name: &str) -> Option<&'static [(u32, u32)]> {
    Some(match name {
        "alnum" => &[(0x30, 0x39), (0x41, 0x5a), (0x61, 0x7a)],
        "alpha" => &[(0x41, 0x5a), (0x61, 0x7a)],
        "ascii" => &[(0x0, 0x7f)],
        "blank" => &[(0x9, 0x9), (0x20, 0x20)],
        "cntrl" => &[(0x0, 0x1f), (0x7f, 0x7f)],
        "digit" => &[(0x30, 0x39)],
        "graph" => &[(0x21, 0x7e)],
        "lower" => &[(0x61, 0x7a)],
        "print" => &[(0x20, 0x7e)],
        "punct" => &[(0x21, 0x2f), (0x3a, 0x40), (0x5b, 0x60), (0x7b, 0x7e)],
        "space" => &[(0x9, 0xd), (0x20, 0x20)],
        "upper" => &[(0x41, 0x5a)],
        "word" => PERL_W,
        "xdigit" => &[(0x30, 0x39), (0x41, 0x46), (0x61, 0x66)],
        _ => return None,
    })
}

fn negate(ranges: &[(u32, u32)]) -> Vec<(u32, u32)> {
    let mut sorted = ranges.to_vec();
    sorted.sort_unstable();
    let mut out = Vec::new();
    let mut next = 0u32;
    for (lo, hi) in sorted {
        if lo > next {
            out.push((next, lo - 1));
        }
        if hi >= next {
            next = hi.saturating_add(1);
        }
    }
    if next <= MAX_RUNE {
        out.push((next, MAX_RUNE));
    }
    out
}

fn perl_class(c: u8) -> Option<Vec<(u32, u32)>> {
    let (base, neg) = match c {
        b'd' => (PERL_D, false),
        b'D' => (PERL_D, true),
        b's' => (PERL_S, false),
        b'S' => (PERL_S, true),
        b'w' => (PERL_W, false),
        b'W' => (PERL_W, true),
        _ => return None,
    };
    Some(if neg { negate(base) } else { base.to_vec() })
}

struct Parser<'a> {
    s: &'a str,
    pos: usize,
}

impl<'a> Parser<'a> {
    fn rest(&self) -> &'a str {
        &self.s[self.pos..]
    }

    fn bump_char(&mut self) -> Option<char> {
        let c = self.rest().chars().next()?;
        self.pos += c.len_utf8();
        Some(c)
    }

    /// Go `parseEscape`; `self.rest()` starts with the backslash.
    fn escape(&mut self) -> Result<u32, String> {
        let start = self.pos;
        self.pos += 1;
        let Some(c) = self.bump_char() else {
            return Err("trailing backslash at end of expression".into());
        };
        let bad = |p: &Parser| format!("invalid escape sequence: `{}`", &p.s[start..p.pos]);
        let is_oct = |b: Option<&u8>| matches!(b, Some(b'0'..=b'7'));
        match c {
            '1'..='7' if !is_oct(self.rest().as_bytes().first()) => Err(bad(self)),
            '0'..='7' => {
                let mut r = c as u32 - '0' as u32;
                for _ in 1..3 {
                    match self.rest().as_bytes().first() {
                        Some(d @ b'0'..=b'7') => {
                            r = r * 8 + u32::from(d - b'0');
                            self.pos += 1;
                        }
                        _ => break,
                    }
                }
                Ok(r)
            }
            'x' => {
                let Some(c) = self.bump_char() else {
                    return Err(bad(self));
                };
                if c == '{' {
                    let mut r: u32 = 0;
                    let mut nhex = 0;
                    loop {
                        let Some(c) = self.bump_char() else {
                            return Err(bad(self));
                        };
                        if c == '}' {
                            break;
                        }
                        let Some(v) = c.to_digit(16) else {
                            return Err(bad(self));
                        };
                        r = r * 16 + v;
                        if r > MAX_RUNE {
                            return Err(bad(self));
                        }
                        nhex += 1;
                    }
                    if nhex == 0 {
                        return Err(bad(self));
                    }
                    return Ok(r);
                }
                let x = c.to_digit(16);
                let Some(c2) = self.bump_char() else {
                    return Err(bad(self));
                };
                match (x, c2.to_digit(16)) {
                    (Some(x), Some(y)) => Ok(x * 16 + y),
                    _ => Err(bad(self)),
                }
            }
            'a' => Ok(7),
            'f' => Ok(12),
            'n' => Ok(10),
            'r' => Ok(13),
            't' => Ok(9),
            'v' => Ok(11),
            c if c.is_ascii() && !c.is_ascii_alphanumeric() => Ok(c as u32),
            _ => Err(bad(self)),
        }
    }

    fn class_char(&mut self) -> Result<u32, String> {
        match self.rest().as_bytes().first() {
            None => Err("missing closing ]".into()),
            Some(b'\\') => self.escape(),
            Some(_) => Ok(self.bump_char().map_or(0, |c| c as u32)),
        }
    }

    /// Go `parseClass`; `self.rest()` starts with `[`.
    fn class(&mut self) -> Result<Node, String> {
        self.pos += 1;
        let mut negated = false;
        if self.rest().starts_with('^') {
            negated = true;
            self.pos += 1;
        }
        let mut ranges: Vec<(u32, u32)> = Vec::new();
        let mut first = true;
        while self.rest().is_empty() || !self.rest().starts_with(']') || first {
            first = false;
            let t = self.rest();
            if t.len() > 2
                && t.starts_with("[:")
                && let Some(i) = t[2..].find(":]")
            {
                let name = &t[2..2 + i];
                let (neg, base) = match name.strip_prefix('^') {
                    Some(n) => (true, n),
                    None => (false, name),
                };
                let Some(group) = posix_class(base) else {
                    return Err(format!("invalid character class range: `{}`", &t[..i + 4]));
                };
                ranges.extend(if neg { negate(group) } else { group.to_vec() });
                self.pos += i + 4;
                continue;
            }
            if t.starts_with("\\p") || t.starts_with("\\P") {
                return Err("Unicode classes (\\p, \\P) are not supported by docktutor".into());
            }
            if t.len() >= 2
                && t.as_bytes()[0] == b'\\'
                && let Some(group) = perl_class(t.as_bytes()[1])
            {
                ranges.extend(group);
                self.pos += 2;
                continue;
            }
            let lo = self.class_char()?;
            let mut hi = lo;
            let t = self.rest().as_bytes();
            if t.len() >= 2 && t[0] == b'-' && t[1] != b']' {
                self.pos += 1;
                hi = self.class_char()?;
                if hi < lo {
                    return Err("invalid character class range".into());
                }
            }
            ranges.push((lo, hi));
        }
        self.pos += 1; // ']'
        if negated {
            ranges = negate(&ranges);
        }
        Ok(Node::Class(ranges))
    }

    fn parse(mut self) -> Result<Node, String> {
        // Each frame: finished alternatives, current concatenation.
        let mut stack: Vec<(Vec<Node>, Vec<Node>)> = vec![(Vec::new(), Vec::new())];
        let mut last_repeat = false;
        while !self.rest().is_empty() {
            let mut repeat = false;
            let b = self.rest().as_bytes()[0];
            let node = match b {
                b'(' => {
                    if self.rest().as_bytes().get(1) == Some(&b'?') {
                        return Err("flag groups are not supported".into());
                    }
                    self.pos += 1;
                    stack.push((Vec::new(), Vec::new()));
                    None
                }
                b'|' => {
                    self.pos += 1;
                    if let Some(top) = stack.last_mut() {
                        let cur = std::mem::take(&mut top.1);
                        top.0.push(Node::Concat(cur));
                    }
                    None
                }
                b')' => {
                    self.pos += 1;
                    if stack.len() < 2 {
                        return Err("unexpected )".into());
                    }
                    let frame = stack.pop().ok_or("unexpected )")?;
                    Some(finish(frame))
                }
                b'^' => {
                    self.pos += 1;
                    Some(Node::Assert(Look::Begin))
                }
                b'$' => {
                    self.pos += 1;
                    Some(Node::Assert(Look::End))
                }
                b'.' => {
                    self.pos += 1;
                    Some(Node::AnyNotNl)
                }
                b'[' => Some(self.class()?),
                b'*' | b'+' | b'?' => {
                    self.pos += 1;
                    if self.rest().starts_with('?') {
                        self.pos += 1; // non-greedy: same language
                    }
                    if last_repeat {
                        return Err("invalid nested repetition operator".into());
                    }
                    let rep = match b {
                        b'*' => Rep::Star,
                        b'+' => Rep::Plus,
                        _ => Rep::Quest,
                    };
                    let cur = stack.last_mut().map(|f| &mut f.1);
                    match cur.and_then(|c| c.pop().map(|n| (c, n))) {
                        Some((c, n)) => c.push(Node::Repeat(Box::new(n), rep)),
                        None => return Err("missing argument to repetition operator".into()),
                    }
                    repeat = true;
                    None
                }
                b'{' => match parse_counted(self.rest().as_bytes()) {
                    None => {
                        self.pos += 1;
                        Some(Node::Class(vec![(u32::from(b'{'), u32::from(b'{'))]))
                    }
                    Some((min, max, len)) => {
                        let too_big = |v: i64| !(0..=1000).contains(&v);
                        if too_big(min) || max.is_some_and(too_big) || max.is_some_and(|m| min > m)
                        {
                            return Err("invalid repeat count".into());
                        }
                        self.pos += len;
                        if self.rest().starts_with('?') {
                            self.pos += 1;
                        }
                        if last_repeat {
                            return Err("invalid nested repetition operator".into());
                        }
                        let rep = Rep::Counted(min as u32, max.map(|m| m as u32));
                        let cur = stack.last_mut().map(|f| &mut f.1);
                        match cur.and_then(|c| c.pop().map(|n| (c, n))) {
                            Some((c, n)) => c.push(Node::Repeat(Box::new(n), rep)),
                            None => {
                                return Err("missing argument to repetition operator".into());
                            }
                        }
                        repeat = true;
                        None
                    }
                },
                b'\\' => {
                    let t = self.rest().as_bytes();
                    match t.get(1) {
                        Some(b'A') => {
                            self.pos += 2;
                            Some(Node::Assert(Look::Begin))
                        }
                        Some(b'z') => {
                            self.pos += 2;
                            Some(Node::Assert(Look::End))
                        }
                        Some(b'b') => {
                            self.pos += 2;
                            Some(Node::Assert(Look::WordBoundary))
                        }
                        Some(b'B') => {
                            self.pos += 2;
                            Some(Node::Assert(Look::NotWordBoundary))
                        }
                        Some(b'C') => return Err("invalid escape sequence: `\\C`".into()),
                        Some(b'Q') => {
                            let body = &self.rest()[2..];
                            let (lit, consumed) = match body.find("\\E") {
                                Some(i) => (&body[..i], i + 2),
                                None => (body, body.len()),
                            };
                            if let Some(top) = stack.last_mut() {
                                for c in lit.chars() {
                                    top.1.push(Node::Class(vec![(c as u32, c as u32)]));
                                }
                            }
                            self.pos += 2 + consumed;
                            None
                        }
                        Some(b'p') | Some(b'P') => {
                            return Err(
                                "Unicode classes (\\p, \\P) are not supported by docktutor".into(),
                            );
                        }
                        Some(&c) if perl_class(c).is_some() => {
                            self.pos += 2;
                            perl_class(c).map(Node::Class)
                        }
                        _ => {
                            let r = self.escape()?;
                            Some(Node::Class(vec![(r, r)]))
                        }
                    }
                }
                _ => {
                    let c = self.bump_char().map_or(0, |c| c as u32);
                    Some(Node::Class(vec![(c, c)]))
                }
            };
            if let (Some(n), Some(top)) = (node, stack.last_mut()) {
                top.1.push(n);
            }
            last_repeat = repeat;
        }
        if stack.len() != 1 {
            return Err("missing closing )".into());
        }
        stack
            .pop()
            .map(finish)
            .ok_or_else(|| "empty expression".to_string())
    }
}

fn finish((mut alts, cur): (Vec<Node>, Vec<Node>)) -> Node {
    if alts.is_empty() {
        return Node::Concat(cur);
    }
    alts.push(Node::Concat(cur));
    Node::Alt(alts)
}

#[derive(Debug, Clone)]
enum Inst {
    Class(Vec<(u32, u32)>),
    AnyNotNl,
    Assert(Look),
    Split(usize, usize),
    Jmp(usize),
    Match,
}

/// A compiled regular expression (Pike VM program).
#[derive(Debug, Clone)]
struct Program {
    insts: Vec<Inst>,
}

impl Program {
    fn compile(re: &str) -> Result<Program, String> {
        let node = Parser { s: re, pos: 0 }.parse()?;
        let mut insts = Vec::new();
        emit(&node, &mut insts);
        insts.push(Inst::Match);
        Ok(Program { insts })
    }

    fn is_match(&self, text: &[u8]) -> bool {
        let n = self.insts.len();
        let mut clist: Vec<usize> = Vec::with_capacity(n);
        let mut nlist: Vec<usize> = Vec::with_capacity(n);
        let mut seen = vec![usize::MAX; n];
        let mut stack: Vec<usize> = Vec::with_capacity(n);
        let mut pos = 0usize;
        let mut step = 0usize;
        // Unanchored search like Go's MatchString: a thread starts at every
        // position (upstream's `|` can make the leading `^` optional).
        let (mut cur, mut width) = next_rune(text, pos);
        if self.add(&mut clist, &mut seen, &mut stack, step, 0, None, cur) {
            return true;
        }
        while let Some(r) = cur {
            step += 1;
            nlist.clear();
            pos += width;
            let (next, w) = next_rune(text, pos);
            for &pc in &clist {
                let ok = match &self.insts[pc] {
                    Inst::Class(ranges) => ranges.iter().any(|&(lo, hi)| lo <= r && r <= hi),
                    Inst::AnyNotNl => r != u32::from(b'\n'),
                    _ => false,
                };
                if ok
                    && self.add(
                        &mut nlist,
                        &mut seen,
                        &mut stack,
                        step,
                        pc + 1,
                        Some(r),
                        next,
                    )
                {
                    return true;
                }
            }
            if self.add(&mut nlist, &mut seen, &mut stack, step, 0, Some(r), next) {
                return true;
            }
            std::mem::swap(&mut clist, &mut nlist);
            cur = next;
            width = w;
        }
        false
    }

    /// Adds the epsilon closure of `pc` to `list`; true if `Match` is reached.
    #[allow(clippy::too_many_arguments)]
    fn add(
        &self,
        list: &mut Vec<usize>,
        seen: &mut [usize],
        stack: &mut Vec<usize>,
        step: usize,
        pc: usize,
        before: Option<u32>,
        after: Option<u32>,
    ) -> bool {
        stack.clear();
        stack.push(pc);
        while let Some(pc) = stack.pop() {
            if seen[pc] == step {
                continue;
            }
            seen[pc] = step;
            match &self.insts[pc] {
                Inst::Match => return true,
                Inst::Jmp(t) => stack.push(*t),
                Inst::Split(a, b) => {
                    stack.push(*b);
                    stack.push(*a);
                }
                Inst::Assert(look) => {
                    let word = |r: Option<u32>| {
                        r.is_some_and(|r| PERL_W.iter().any(|&(lo, hi)| lo <= r && r <= hi))
                    };
                    let ok = match look {
                        Look::Begin => before.is_none(),
                        Look::End => after.is_none(),
                        Look::WordBoundary => word(before) != word(after),
                        Look::NotWordBoundary => word(before) == word(after),
                    };
                    if ok {
                        stack.push(pc + 1);
                    }
                }
                Inst::Class(_) | Inst::AnyNotNl => list.push(pc),
            }
        }
        false
    }
}

fn next_rune(text: &[u8], pos: usize) -> (Option<u32>, usize) {
    if pos >= text.len() {
        return (None, 0);
    }
    let (r, w) = decode_rune(text, pos);
    (Some(r), w)
}

fn emit(node: &Node, out: &mut Vec<Inst>) {
    match node {
        Node::Class(r) => out.push(Inst::Class(r.clone())),
        Node::AnyNotNl => out.push(Inst::AnyNotNl),
        Node::Assert(l) => out.push(Inst::Assert(*l)),
        Node::Concat(items) => items.iter().for_each(|n| emit(n, out)),
        Node::Alt(alts) => {
            let mut jumps = Vec::new();
            for (i, alt) in alts.iter().enumerate() {
                if i + 1 < alts.len() {
                    let split = out.len();
                    out.push(Inst::Split(split + 1, 0));
                    emit(alt, out);
                    jumps.push(out.len());
                    out.push(Inst::Jmp(0));
                    let next = out.len();
                    out[split] = Inst::Split(split + 1, next);
                } else {
                    emit(alt, out);
                }
            }
            let end = out.len();
            for j in jumps {
                out[j] = Inst::Jmp(end);
            }
        }
        Node::Repeat(sub, rep) => match rep {
            Rep::Star => {
                let split = out.len();
                out.push(Inst::Split(split + 1, 0));
                emit(sub, out);
                out.push(Inst::Jmp(split));
                let end = out.len();
                out[split] = Inst::Split(split + 1, end);
            }
            Rep::Plus => {
                let start = out.len();
                emit(sub, out);
                let end = out.len() + 1;
                out.push(Inst::Split(start, end));
            }
            Rep::Quest => {
                let split = out.len();
                out.push(Inst::Split(split + 1, 0));
                emit(sub, out);
                let end = out.len();
                out[split] = Inst::Split(split + 1, end);
            }
            Rep::Counted(min, max) => {
                for _ in 0..*min {
                    emit(sub, out);
                }
                match max {
                    None => emit(&Node::Repeat(sub.clone(), Rep::Star), out),
                    Some(max) => {
                        for _ in *min..*max {
                            emit(&Node::Repeat(sub.clone(), Rep::Quest), out);
                        }
                    }
                }
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // ---- data-driven tests (files under tests/data/) ----

    const DATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/context/");

    /// Rows of a TAB-separated data file; lines starting with "# " are
    /// comments. Fields are raw (no escaping).
    fn rows(name: &str) -> Vec<Vec<String>> {
        let text = std::fs::read_to_string(format!("{DATA}{name}"))
            .unwrap_or_else(|e| panic!("reading {name}: {e}"));
        text.lines()
            .filter(|l| !l.is_empty() && !l.starts_with("# "))
            .map(|l| l.split('\t').map(str::to_string).collect())
            .collect()
    }

    fn show(r: Result<bool, PatternError>) -> &'static str {
        match r {
            Ok(true) => "true",
            Ok(false) => "false",
            Err(_) => "err",
        }
    }

    /// The walk's view: MatchesUsingParentResults with the results of every
    /// ancestor directory threaded through (as the CLI's tar walk does).
    fn chain(m: &Matcher, text: &str) -> Result<bool, PatternError> {
        let parent = go_dir(text.as_bytes());
        let mut info: Option<Vec<bool>> = None;
        if parent.as_slice() != b"." {
            for dir in ancestors(&parent) {
                let mut next = Vec::new();
                m.matches_with_parent(dir, info.as_deref(), Some(&mut next))?;
                info = Some(next);
            }
        }
        m.matches_with_parent(text.as_bytes(), info.as_deref(), None)
    }

    #[test]
    fn upstream_test_matches_table() {
        let rows = rows("upstream/TestMatches.tsv");
        assert_eq!(rows.len(), 72);
        for r in &rows {
            let (text, want, pats) = (&r[0], &r[1], &r[2..]);
            let m = Matcher::new(pats).unwrap_or_else(|e| panic!("{pats:?}: {e}"));
            let ctx = format!("patterns={pats:?} text={text:?}");
            assert_eq!(
                show(m.matches_or_parent_matches(text)),
                want,
                "OrParent {ctx}"
            );
            assert_eq!(show(chain(&m, text)), want, "ParentResults {ctx}");
            let no_ctx = m.matches_with_parent(text.as_bytes(), None, None);
            assert_eq!(show(no_ctx), want, "NoContext {ctx}");
        }
    }

    #[test]
    fn upstream_test_match_table() {
        let rows = rows("upstream/TestMatch.tsv");
        assert_eq!(rows.len(), 54);
        for r in &rows {
            let (text, want, pat) = (&r[0], r[1].as_str(), &r[2]);
            let got = match Matcher::new([pat]) {
                Err(_) => "error",
                Ok(m) => match m.matches_single_parent(text) {
                    Err(_) => "error",
                    Ok(b) => {
                        if b {
                            "true"
                        } else {
                            "false"
                        }
                    }
                },
            };
            assert_eq!(got, want, "Match({pat:?}, {text:?})");
        }
    }

    #[test]
    fn upstream_test_compile_table() {
        let rows = rows("upstream/TestCompile.tsv");
        assert_eq!(rows.len(), 21);
        for r in &rows {
            let (pat, kind, re) = (&r[0], r[1].as_str(), &r[2]);
            let (got_re, got_kind) = translate(&clean(pat));
            let want_kind = match kind {
                "regexpMatch" => TKind::Regex,
                "exactMatch" => TKind::Exact,
                "prefixMatch" => TKind::Prefix,
                "suffixMatch" => TKind::Suffix,
                other => panic!("unknown kind {other}"),
            };
            assert_eq!(got_kind, want_kind, "{pat}");
            if want_kind == TKind::Regex {
                assert_eq!(&got_re, re, "{pat}");
                assert!(Program::compile(&got_re).is_ok(), "{pat}");
            }
        }
    }

    #[test]
    fn upstream_misc_tests() {
        let rows = rows("upstream/misc.tsv");
        assert_eq!(rows.len(), 18);
        for r in &rows {
            let (func, text, want, pats) = (r[0].as_str(), &r[1], r[2].as_str(), &r[3..]);
            let m = Matcher::new(pats);
            let got: String = match (func, m) {
                (_, Err(_)) => "error".into(),
                ("matches", Ok(m)) => match m.matches_single_parent(text) {
                    Ok(b) => b.to_string(),
                    Err(_) => "error".into(),
                },
                ("or_parent", Ok(m)) => {
                    // twice: upstream v0.6.0 panicked on the second call
                    assert!(m.matches_or_parent_matches(text).is_err());
                    match m.matches_or_parent_matches(text) {
                        Ok(b) => b.to_string(),
                        Err(_) => "error".into(),
                    }
                }
                ("count", Ok(m)) => m.patterns().len().to_string(),
                ("exceptions", Ok(m)) => m.has_exceptions().to_string(),
                (other, _) => panic!("unknown func {other}"),
            };
            assert_eq!(got, want, "{func} {text:?} {pats:?}");
        }
    }

    #[test]
    fn upstream_ignorefile_read_all() {
        let input = std::fs::read_to_string(format!("{DATA}upstream/ignorefile_TestReadAll.input"))
            .unwrap();
        let want =
            std::fs::read_to_string(format!("{DATA}upstream/ignorefile_TestReadAll.expected"))
                .unwrap();
        let got: Vec<String> = read_lines(&input)
            .unwrap()
            .into_iter()
            .map(|(_, p)| p)
            .collect();
        assert_eq!(got, want.lines().collect::<Vec<_>>());
        assert!(read_lines("").unwrap().is_empty());
        // the file as a whole is rejected by New because of the lone "!"
        let e = Matcher::parse(&input).unwrap_err();
        assert_eq!(e.line, 8);
    }

    #[test]
    fn differential_patterns_against_upstream() {
        let rows = rows("differential/patterns.tsv");
        assert!(rows.len() > 5000);
        for r in &rows {
            match r[0].as_str() {
                "e" => assert!(Matcher::new(&r[1..]).is_err(), "should fail: {:?}", &r[1..]),
                "m" => {
                    let (text, pats) = (&r[1], &r[5..]);
                    let m = Matcher::new(pats).unwrap_or_else(|e| panic!("{pats:?}: {e}"));
                    let ctx = format!("patterns={pats:?} text={text:?}");
                    assert_eq!(
                        show(m.matches_or_parent_matches(text)),
                        r[2],
                        "OrParent {ctx}"
                    );
                    assert_eq!(show(chain(&m, text)), r[3], "ParentResults {ctx}");
                    assert_eq!(show(m.matches_single_parent(text)), r[4], "Matches {ctx}");
                }
                other => panic!("bad row kind {other}"),
            }
        }
    }

    fn unescape(s: &str) -> String {
        let mut out = String::new();
        let mut it = s.chars();
        while let Some(c) = it.next() {
            if c != '\\' {
                out.push(c);
                continue;
            }
            match it.next() {
                Some('n') => out.push('\n'),
                Some('r') => out.push('\r'),
                Some('t') => out.push('\t'),
                Some('\\') => out.push('\\'),
                Some('u') => {
                    let hex: String = it.by_ref().skip(1).take_while(|c| *c != '}').collect();
                    let cp = u32::from_str_radix(&hex, 16).unwrap();
                    out.push(char::from_u32(cp).unwrap());
                }
                other => panic!("bad escape {other:?}"),
            }
        }
        out
    }

    #[test]
    fn differential_ignorefile_against_upstream() {
        let rows = rows("differential/ignorefile.tsv");
        let mut current: Option<Matcher> = None;
        let mut files = 0;
        for r in &rows {
            match r[0].as_str() {
                "f" => {
                    files += 1;
                    let text = unescape(&r[1]);
                    let parsed = Matcher::parse(&text);
                    assert_eq!(parsed.is_ok(), r[2] == "ok", "{text:?}: {parsed:?}");
                    let lines: Vec<String> = read_lines(&text)
                        .unwrap()
                        .into_iter()
                        .map(|(_, p)| p)
                        .collect();
                    let want: Vec<String> =
                        r[3..].iter().filter(|p| !p.is_empty()).cloned().collect();
                    assert_eq!(lines, want, "{text:?}");
                    current = parsed.ok();
                }
                "m" => {
                    let m = current.as_ref().expect("m row after a failing file");
                    let text = &r[1];
                    assert_eq!(show(m.matches_or_parent_matches(text)), r[2], "{text}");
                    assert_eq!(show(chain(m, text)), r[3], "{text}");
                    assert_eq!(show(m.matches_single_parent(text)), r[4], "{text}");
                }
                other => panic!("bad row kind {other}"),
            }
        }
        assert!(files >= 500);
    }

    #[test]
    fn docktutor_cases() {
        let rows = rows("docktutor_cases.tsv");
        assert!(rows.len() >= 50);
        for r in &rows {
            let (text, want, lines) = (&r[0], &r[1], &r[2..]);
            let m = Matcher::parse(&lines.join("\n")).unwrap_or_else(|e| panic!("{lines:?}: {e}"));
            assert_eq!(m.is_excluded(text).to_string(), *want, "{lines:?} {text:?}");
        }
    }

    fn m(patterns: &[&str]) -> Matcher {
        Matcher::new(patterns).unwrap()
    }

    #[test]
    fn clean_matches_go() {
        let cases = [
            ("", "."),
            (".", "."),
            ("./", "."),
            ("/", "/"),
            ("//a//b/", "/a/b"),
            ("a/./b", "a/b"),
            ("a/../b", "b"),
            ("../a", "../a"),
            ("a/../..", ".."),
            ("/../a", "/a"),
            ("abc/def/../../..", ".."),
            ("!../..", "."),
            ("!../../x", "x"),
            ("a/b/c/../../d", "a/d"),
            ("node_modules/", "node_modules"),
        ];
        for (input, want) in cases {
            assert_eq!(clean(input), want, "clean({input:?})");
        }
    }

    #[test]
    fn translation_matches_upstream_compile_table() {
        // From patternmatcher_test.go compileTests (slash variant).
        let cases = [
            ("*", TKind::Regex, r"^[^/]*$"),
            ("file*", TKind::Regex, r"^file[^/]*$"),
            ("**", TKind::Suffix, ""),
            ("**/**", TKind::Regex, r"^(.*/)?.*$"),
            ("dir/**", TKind::Prefix, ""),
            ("**/dir2/*", TKind::Regex, r"^(.*/)?dir2/[^/]*$"),
            ("**/**/*.txt", TKind::Regex, r"^(.*/)?(.*/)?[^/]*\.txt$"),
            (".*", TKind::Regex, r"^\.[^/]*$"),
            ("abc.def", TKind::Exact, ""),
            ("a(b)c/def", TKind::Exact, ""),
            ("**/foo/bar", TKind::Suffix, ""),
        ];
        for (p, kind, re) in cases {
            let (got, k) = translate(&clean(p));
            assert_eq!(k, kind, "{p}");
            if kind == TKind::Regex {
                assert_eq!(got, re, "{p}");
            }
        }
    }

    #[test]
    fn node_modules_exception() {
        let mm = Matcher::parse("node_modules\n!node_modules/keep.txt\n").unwrap();
        assert!(mm.is_excluded("node_modules"));
        assert!(mm.is_excluded("node_modules/x/y.js"));
        assert!(!mm.is_excluded("node_modules/keep.txt"));
        assert!(mm.could_reinclude_under("node_modules"));
        assert!(!mm.could_reinclude_under("node_module"));
        assert!(!mm.could_reinclude_under("src"));
    }

    #[test]
    fn reinclude_rule_is_a_string_prefix() {
        let mm = m(&["a", "!**/keep", "!a/b/c"]);
        assert!(mm.could_reinclude_under("a"));
        assert!(mm.could_reinclude_under("a/b"));
        assert!(mm.could_reinclude_under("a/b/c"));
        assert!(!mm.could_reinclude_under("a/b/c/d"));
        assert!(!mm.could_reinclude_under("x"));
        let none = m(&["a", "!**/keep"]);
        assert!(!none.could_reinclude_under("a"));
    }

    #[test]
    fn single_bang_is_an_error_with_line() {
        let e = Matcher::parse("ok\n\n!\n").unwrap_err();
        assert_eq!(e.line, 3);
        assert!(e.to_string().contains("line 3"), "{e}");
        let e = Matcher::parse("# c\n!/\n").unwrap_err();
        assert_eq!(e.line, 2, "`!/` cleans to `!` in New");
    }

    #[test]
    fn bad_glob_syntax_is_an_error() {
        for p in ["[", "a[", "[]a]", "[-]", "[x-]", "a\\", "[^bc", "x*["] {
            let e = Matcher::parse(p).unwrap_err();
            assert_eq!(e.line, 1, "{p}");
            assert!(e.message.contains("syntax error"), "{p}: {e}");
        }
    }

    #[test]
    fn regex_errors_surface_only_when_evaluated() {
        // `[z-a]` passes filepath.Match's check but Go's regexp rejects it.
        let mm = m(&["[z-a]"]);
        assert!(mm.matches_or_parent_matches("x").is_err());
        assert!(!mm.is_excluded("x"));
        // an exception that is never reached is never compiled upstream
        let mm = m(&["foo", "![z-a]"]);
        assert_eq!(mm.matches_or_parent_matches("bar"), Ok(false));
        assert!(mm.matches_or_parent_matches("foo").is_err());
    }

    #[test]
    fn go_regex_quirks_leak_through() {
        // `*` inside a class becomes `[^/]*`, changing the class.
        let mm = m(&["[*]"]);
        assert!(mm.is_excluded("]"));
        assert!(mm.is_excluded("^^]"));
        assert!(!mm.is_excluded("*"));
        // `!` is not a negation inside a class
        let mm = m(&["[!a]x"]);
        assert!(mm.is_excluded("!x"));
        assert!(mm.is_excluded("ax"));
        assert!(!mm.is_excluded("bx"));
        // escapes are passed to the regexp: `\d` is a digit class
        let mm = m(&["file\\d"]);
        assert!(mm.is_excluded("file7"));
        assert!(!mm.is_excluded("filed"));
        // POSIX classes work because Go's regexp knows them
        let mm = m(&["[[:digit:]]*"]);
        assert!(mm.is_excluded("1abc"));
        assert!(!mm.is_excluded("abc"));
        // `**file` is a plain suffix test
        let mm = m(&["**file"]);
        assert!(mm.is_excluded("myfile"));
        // raw `^` is an anchor inside a regexp but literal in exact patterns
        assert!(m(&["a^b"]).is_excluded("a^b"));
        assert!(!m(&["a^b*"]).is_excluded("a^bc"));
    }

    #[test]
    fn comments_only_at_line_start() {
        let mm = Matcher::parse("#comment\n  #notcomment\n").unwrap();
        assert_eq!(mm.patterns().len(), 1);
        assert_eq!(mm.patterns()[0].text(), "#notcomment");
        assert!(mm.is_excluded("#notcomment"));
        assert!(!mm.is_excluded("#comment"));
    }

    #[test]
    fn bom_crlf_and_whitespace() {
        let mm = Matcher::parse("\u{feff}# c\r\n  *.log \r\n\t!keep.log\r\n").unwrap();
        assert_eq!(mm.patterns().len(), 2);
        assert!(mm.is_excluded("a.log"));
        assert!(!mm.is_excluded("keep.log"));
        // BOM only stripped on the first line
        let mm = Matcher::parse("a\n\u{feff}b\n").unwrap();
        assert!(mm.is_excluded("a"));
        assert!(!mm.is_excluded("b"));
    }

    #[test]
    fn slashes_and_dots() {
        let mm = Matcher::parse("/build/\n./dist\nsub/../tmp\n").unwrap();
        let texts: Vec<&str> = mm.patterns().iter().map(|p| p.text()).collect();
        assert_eq!(texts, ["build", "dist", "tmp"]);
        assert!(mm.is_excluded("build/x"));
        assert!(mm.is_excluded("./dist"));
        assert!(mm.is_excluded("tmp/a/b"));
        assert!(!mm.is_excluded("."));
    }

    #[test]
    fn double_star_positions() {
        let start = m(&["**/*.pyc"]);
        assert!(start.is_excluded("a.pyc"));
        assert!(start.is_excluded("x/y/a.pyc"));
        let middle = m(&["src/**/test"]);
        assert!(middle.is_excluded("src/test"));
        assert!(middle.is_excluded("src/a/b/test/file"));
        assert!(!middle.is_excluded("test"));
        let end = m(&["logs/**"]);
        assert!(end.is_excluded("logs/a/b"));
        assert!(!end.is_excluded("logs"));
    }

    #[test]
    fn md_root_vs_docs() {
        let root = m(&["*.md"]);
        assert!(root.is_excluded("README.md"));
        assert!(!root.is_excluded("docs/guide.md"));
        let docs = m(&["docs/*.md"]);
        assert!(docs.is_excluded("docs/guide.md"));
        assert!(!docs.is_excluded("README.md"));
        assert!(!docs.is_excluded("docs/sub/guide.md"));
    }

    #[test]
    fn single_parent_legacy_matches() {
        let mm = m(&["**/c"]);
        // MatchesOrParentMatches sees the `a/b/c` ancestor...
        assert!(mm.is_excluded("a/b/c/Dockerfile"));
        // ...the legacy single-parent check only tries `a/b` (2 components).
        assert_eq!(mm.matches_single_parent("a/b/c/Dockerfile"), Ok(false));
    }

    #[test]
    fn regex_engine_basics() {
        let p = Program::compile("^(.*/)?a[^/]*$").unwrap();
        assert!(p.is_match(b"a"));
        assert!(p.is_match(b"x/y/abc"));
        assert!(!p.is_match(b"x/b"));
        assert!(!p.is_match(b"a/b"));
        let p = Program::compile("^a.*$").unwrap();
        assert!(!p.is_match(b"a\nb"), "`.` does not match newline");
        let p = Program::compile("^a[^x]b$").unwrap();
        assert!(p.is_match(b"a\nb"), "negated class matches newline");
        assert!(Program::compile("^a**$").is_err());
        assert!(Program::compile("^\\q$").is_err());
        assert!(Program::compile("^[z-a]$").is_err());
        let p = Program::compile("^\\Qa.b$").unwrap();
        assert!(p.is_match(b"a.b$"));
        let p = Program::compile("^\\x41\\101\\t$").unwrap();
        assert!(p.is_match(b"AA\t"));
        let p = Program::compile("^a\\b-$").unwrap();
        assert!(p.is_match(b"a-"));
        let p = Program::compile("^[^a]$").unwrap();
        assert!(p.is_match(b"\xff"), "invalid byte decodes as U+FFFD");
    }
}
