//! Go's regular-expression syntax (`regexp/syntax` with the Perl flags
//! `regexp.Compile` uses), checked with Go's rules and rewritten for the
//! `regex` crate.
//!
//! moby/patternmatcher turns a `.dockerignore` pattern into Go regexp text
//! and hands it to Go's `regexp`. Whatever a learner writes after a
//! backslash or inside `[...]` reaches that text, and there the two dialects
//! disagree: Go reads `[` inside a class literally (Rust nests classes, and
//! `&&`, `--`, `~~` are set operations), Go's `\d \s \w \b` are ASCII-only,
//! Go rejects `a**` and `x{1001}` which Rust accepts, a `{` that does not
//! start a valid count is a literal in Go and an error in Rust, and Go reads
//! an invalid UTF-8 byte as U+FFFD where a Unicode-mode Rust regex sees no
//! character at all. So the Go text is parsed here by Go's rules (rejecting
//! what Go rejects) and re-emitted with a single reading: every literal and
//! every class spelled out as code points, every repetition applied to a
//! group. Unicode classes (`\pL`) are rejected, as they always were here.
//!
//! Not reproduced: Go's limits on the size and depth of a compiled
//! expression. The `regex` crate has its own (a 10 MB program, nesting
//! 250 deep), so a pathological pattern near them can be refused by one and
//! accepted by the other.

use std::fmt::Write as _;

use regex::bytes::Regex;

mod chars;
use chars::perl_class;

/// A Go regular expression compiled to a `regex::bytes::Regex`.
#[derive(Debug, Clone)]
pub(super) struct GoRegex(Regex);

impl GoRegex {
    /// Go `regexp.Compile`: the error text when Go would reject `go`.
    pub(super) fn compile(go: &str) -> Result<GoRegex, String> {
        let rust = to_rust_syntax(go)?;
        Regex::new(&rust).map(GoRegex).map_err(|e| e.to_string())
    }

    /// Go `Regexp.Match`: an unanchored search over `text`, where every
    /// byte that is not part of valid UTF-8 reads as U+FFFD (Go's
    /// `utf8.DecodeRune` gives each such byte width 1).
    pub(super) fn is_match(&self, text: &[u8]) -> bool {
        if std::str::from_utf8(text).is_ok() {
            return self.0.is_match(text);
        }
        let mut decoded = Vec::with_capacity(text.len() + 8);
        for chunk in text.utf8_chunks() {
            decoded.extend_from_slice(chunk.valid().as_bytes());
            for _ in chunk.invalid() {
                decoded.extend_from_slice("\u{FFFD}".as_bytes());
            }
        }
        self.0.is_match(&decoded)
    }
}

/// A class no text can match: Go accepts a surrogate code point such as
/// `\x{D800}`, which no decoded text ever holds.
const NOTHING: &str = r"[^\x{0}-\x{10FFFF}]";

fn push_literal(out: &mut String, r: u32) {
    match char::from_u32(r) {
        Some(c) if c.is_alphanumeric() => out.push(c),
        Some(_) => {
            let _ = write!(out, r"\x{{{r:X}}}");
        }
        None => out.push_str(NOTHING),
    }
}

fn push_class(out: &mut String, ranges: &[(u32, u32)]) {
    let surrogate = |r: u32| (0xD800..=0xDFFF).contains(&r);
    let start = out.len();
    out.push('[');
    for &(lo, hi) in ranges {
        // Rust classes hold scalar values only; surrogates never match anyway.
        let lo = if surrogate(lo) { 0xE000 } else { lo };
        let hi = if surrogate(hi) { 0xD7FF } else { hi };
        if lo <= hi {
            let _ = write!(out, r"\x{{{lo:X}}}-\x{{{hi:X}}}");
        }
    }
    if out.len() == start + 1 {
        out.truncate(start);
        out.push_str(NOTHING);
    } else {
        out.push(']');
    }
}

/// One item of a concatenation, in Rust syntax, usable as an operand.
struct Piece {
    rust: String,
    /// The bounds (`max`, or `min` when unbounded) of the counted
    /// repetitions this piece is nested in, outermost first: Go's
    /// `repeatIsValid` limits their product to 1000. Only repetitions of a
    /// repetition (possible after an empty `\Q\E`) make this longer than 1.
    counts: Vec<u32>,
}

/// Go `repeatIsValid(re, 1000)` for a chain of counted repetitions.
fn repeat_is_valid(counts: &[u32]) -> bool {
    let mut n = 1000;
    for &m in counts {
        if m == 0 {
            return true;
        }
        if m > n {
            return false;
        }
        n /= m;
    }
    true
}

/// An open group (or the whole expression): finished alternatives, and the
/// concatenation being built.
#[derive(Default)]
struct Frame {
    alternatives: Vec<String>,
    pieces: Vec<Piece>,
}

impl Frame {
    fn end_alternative(&mut self) {
        let concat: String = self.pieces.drain(..).map(|p| p.rust).collect();
        self.alternatives.push(concat);
    }

    fn close(mut self) -> String {
        self.end_alternative();
        self.alternatives.join("|")
    }

    /// Applies a repetition to the last piece (Go `parser.repeat`).
    fn repeat(&mut self, op: &str, count: Option<(u32, Option<u32>)>) -> Result<(), String> {
        let Some(sub) = self.pieces.pop() else {
            return Err("missing argument to repetition operator".into());
        };
        let mut counts = sub.counts;
        if let Some((min, max)) = count {
            counts.insert(0, max.unwrap_or(min));
            if (min >= 2 || max.is_some_and(|m| m >= 2)) && !repeat_is_valid(&counts) {
                return Err("invalid repeat count".into());
            }
        }
        self.pieces.push(Piece {
            rust: format!("(?:{}){op}", sub.rust),
            counts,
        });
        Ok(())
    }
}

/// Rewrites Go regexp text as `regex` crate syntax, or gives the reason Go
/// would reject it.
fn to_rust_syntax(go: &str) -> Result<String, String> {
    Parser { s: go, pos: 0 }.rewrite()
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

/// A cursor over Go regexp text.
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

    /// Go `Parser.parse`, emitting Rust syntax instead of building a tree.
    fn rewrite(mut self) -> Result<String, String> {
        // The concatenation being built, and those of the enclosing groups.
        let mut cur = Frame::default();
        let mut open: Vec<Frame> = Vec::new();
        let mut last_repeat = false;
        while !self.rest().is_empty() {
            let mut repeat = false;
            let b = self.rest().as_bytes()[0];
            let mut piece = String::new();
            match b {
                b'(' => {
                    if self.rest().as_bytes().get(1) == Some(&b'?') {
                        return Err("flag groups are not supported".into());
                    }
                    self.pos += 1;
                    open.push(std::mem::take(&mut cur));
                }
                b'|' => {
                    self.pos += 1;
                    cur.end_alternative();
                }
                b')' => {
                    self.pos += 1;
                    let outer = open.pop().ok_or("unexpected )")?;
                    let group = std::mem::replace(&mut cur, outer);
                    piece = format!("(?:{})", group.close());
                }
                b'^' | b'$' | b'.' => {
                    // Go's Perl flags: `^`/`$` match at the ends of the text
                    // only and `.` is any character but `\n` — as in Rust.
                    self.pos += 1;
                    piece.push(char::from(b));
                }
                b'[' => push_class(&mut piece, &self.class()?),
                b'*' | b'+' | b'?' => {
                    self.pos += 1;
                    if self.rest().starts_with('?') {
                        self.pos += 1; // non-greedy: the same language
                    }
                    if last_repeat {
                        return Err("invalid nested repetition operator".into());
                    }
                    let op = char::from(b).to_string();
                    cur.repeat(&op, None)?;
                    repeat = true;
                }
                b'{' => match parse_counted(self.rest().as_bytes()) {
                    None => {
                        // Not a valid count: Go reads `{` as a literal.
                        self.pos += 1;
                        push_literal(&mut piece, u32::from(b'{'));
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
                        // Both were checked to be in 0..=1000 above.
                        let (min, max) = (min as u32, max.map(|m| m as u32));
                        let op = match max {
                            None => format!("{{{min},}}"),
                            Some(max) => format!("{{{min},{max}}}"),
                        };
                        cur.repeat(&op, Some((min, max)))?;
                        repeat = true;
                    }
                },
                b'\\' => match self.rest().as_bytes().get(1) {
                    Some(b'A') => {
                        self.pos += 2;
                        piece.push_str(r"\A");
                    }
                    Some(b'z') => {
                        self.pos += 2;
                        piece.push_str(r"\z");
                    }
                    // Go's word boundaries are ASCII-only.
                    Some(b'b') => {
                        self.pos += 2;
                        piece.push_str(r"(?-u:\b)");
                    }
                    Some(b'B') => {
                        self.pos += 2;
                        piece.push_str(r"(?-u:\B)");
                    }
                    Some(b'C') => return Err("invalid escape sequence: `\\C`".into()),
                    Some(b'Q') => {
                        let body = &self.rest()[2..];
                        let (lit, consumed) = match body.find("\\E") {
                            Some(i) => (&body[..i], i + 2),
                            None => (body, body.len()),
                        };
                        // One piece per character: a repetition after `\E`
                        // applies to the last one.
                        for c in lit.chars() {
                            let mut rust = String::new();
                            push_literal(&mut rust, c as u32);
                            cur.pieces.push(Piece {
                                rust,
                                counts: Vec::new(),
                            });
                        }
                        self.pos += 2 + consumed;
                    }
                    Some(b'p') | Some(b'P') => {
                        return Err(
                            "Unicode classes (\\p, \\P) are not supported by docktutor".into()
                        );
                    }
                    Some(&c) if perl_class(c).is_some() => {
                        self.pos += 2;
                        push_class(&mut piece, &perl_class(c).unwrap_or_default());
                    }
                    _ => {
                        let r = self.escape()?;
                        push_literal(&mut piece, r);
                    }
                },
                _ => {
                    let c = self.bump_char().map_or(0, |c| c as u32);
                    push_literal(&mut piece, c);
                }
            }
            if !piece.is_empty() {
                cur.pieces.push(Piece {
                    rust: piece,
                    counts: Vec::new(),
                });
            }
            last_repeat = repeat;
        }
        if !open.is_empty() {
            return Err("missing closing )".into());
        }
        Ok(cur.close())
    }
}
