//! `python_prints`: "app.py prints the greeting", decided by reading the
//! file: we find the `print(...)` calls and read their string literals. The
//! learner's code is never executed on their machine (and Python may not
//! even be installed there — that is what the container is for).

use std::path::Path;

use serde::Deserialize;

use super::{Doc, Field, Kind};
use crate::check::files::read;
use crate::check::{Ctx, Shared, Verdict};
use crate::diagnose::{Diagnosis, invisible, python};

pub(crate) const DOC: Doc = Doc {
    fields: &[Field::required("path"), Field::required("expected")],
    passes: "a `print(...)` in the file prints exactly `expected` — read, never run",
    engine: false,
    example: "path = \"app.py\"\nexpected = \"Hello, Docker!\"",
};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PythonPrints {
    path: String,
    expected: String,
}

impl Kind for PythonPrints {
    fn default_label(&self) -> String {
        format!("{} prints {:?}", self.path, self.expected)
    }

    fn judge(&self, ctx: &Ctx<'_>, _: &mut Shared) -> Verdict {
        prints(ctx.workspace, &self.path, &self.expected)
    }
}

fn prints(ws: &Path, rel: &str, expected: &str) -> Verdict {
    let source = match read(ws, rel) {
        Ok(s) => s,
        Err(v) => return v,
    };
    // Python reads past a byte-order mark, and so do we.
    let source = source.strip_prefix('\u{feff}').unwrap_or(&source);
    if source.trim().is_empty() {
        return invisible::empty(rel, &format!("print({expected:?})")).into();
    }
    // What Python would stop at before printing anything.
    if let Some(d) = python::explain(rel, source) {
        return d.into();
    }
    let calls = print_calls(source);
    if calls.is_empty() {
        return Verdict::Fail(format!("{rel} has no print(...) call"));
    }
    let mut literal_seen = None;
    for call in &calls {
        match call {
            PrintArg::Literal(s) if s == expected => return Verdict::Pass,
            // "Hello, Docker!" with a non-breaking space looks right and is not.
            PrintArg::Literal(s) if invisible::plain(s) == expected => {
                return lookalike_in_greeting(rel, source, s, expected).into();
            }
            PrintArg::Literal(s) => {
                literal_seen.get_or_insert(s.clone());
            }
            PrintArg::Unclosed(line) => {
                return Verdict::Fail(format!(
                    "{rel} line {line}: the string passed to print is never closed"
                ));
            }
            PrintArg::Other => {}
        }
    }
    match literal_seen {
        Some(s) => Verdict::Fail(format!("{rel} prints {s:?} — expected {expected:?}")),
        None => Verdict::Fail(format!(
            "{rel} prints something that is not a plain string — expected {expected:?}"
        )),
    }
}

/// The printed text differs from the expected one only by characters that
/// look the same: name the first, where it is in the file.
fn lookalike_in_greeting(rel: &str, source: &str, printed: &str, expected: &str) -> Diagnosis {
    let ch = printed
        .chars()
        .find(|c| invisible::lookalike(*c).is_some())
        .unwrap_or(' ');
    let at = invisible::spots(source, |c| c == ch)
        .first()
        .map_or(String::new(), |s| format!(" {}", s.at()));
    let line = invisible::spots(source, |c| c == ch)
        .first()
        .map_or(1, |s| s.line);
    Diagnosis::new(
        format!(
            "{rel}{at}: the text looks like {expected:?} but holds {} — the container prints \
             it as it is, and it is not the same text",
            invisible::describe(ch)
        ),
        format!("retype the text on line {line} of {rel}: print({expected:?})"),
    )
}

#[derive(Debug, PartialEq)]
enum PrintArg {
    Literal(String),
    /// A string literal that never closes, with its line.
    Unclosed(usize),
    Other,
}

/// Every `print(` call outside comments and strings, with its first argument.
fn print_calls(src: &str) -> Vec<PrintArg> {
    let bytes = src.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'"' | b'\'' => {
                i = match read_string(src, i) {
                    Some((_, end)) => end,
                    None => bytes.len(),
                };
            }
            b'p' if src[i..].starts_with("print") && (i == 0 || !is_ident(bytes[i - 1])) => {
                let mut j = i + 5;
                while j < bytes.len() && (bytes[j] == b' ' || bytes[j] == b'\t') {
                    j += 1;
                }
                if bytes.get(j) == Some(&b'(') {
                    j += 1;
                    while j < bytes.len() && bytes[j].is_ascii_whitespace() {
                        j += 1;
                    }
                    out.push(first_arg(src, j));
                }
                i += 5;
            }
            _ => i += 1,
        }
    }
    out
}

fn first_arg(src: &str, start: usize) -> PrintArg {
    let bytes = src.as_bytes();
    // Accept plain, raw and f-strings without placeholders.
    let mut j = start;
    let mut raw = false;
    let mut fstring = false;
    while j < bytes.len() && matches!(bytes[j], b'r' | b'R' | b'f' | b'F' | b'u' | b'U') {
        raw |= matches!(bytes[j], b'r' | b'R');
        fstring |= matches!(bytes[j], b'f' | b'F');
        j += 1;
    }
    if j - start > 2 || !matches!(bytes.get(j), Some(b'"' | b'\'')) {
        return PrintArg::Other;
    }
    let Some((value, end)) = read_string(src, j) else {
        return PrintArg::Unclosed(crate::text::line_of(src, j));
    };
    let rest = src[end..].trim_start();
    if !(rest.starts_with(')') || rest.starts_with(',')) || (fstring && value.contains('{')) {
        return PrintArg::Other;
    }
    PrintArg::Literal(if raw { value } else { unescape(&value) })
}

/// Reads the string literal whose opening quote is at `start`; returns its
/// raw contents and the index after the closing quote.
fn read_string(src: &str, start: usize) -> Option<(String, usize)> {
    let bytes = src.as_bytes();
    let quote = bytes[start];
    let triple = bytes.get(start..start + 3) == Some(&[quote, quote, quote][..]);
    let open = if triple { 3 } else { 1 };
    let mut i = start + open;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'\\' {
            i += 2;
            continue;
        }
        if !triple && b == b'\n' {
            return None;
        }
        if b == quote && (!triple || bytes.get(i..i + 3) == Some(&[quote, quote, quote][..])) {
            return Some((src[start + open..i].to_string(), i + open));
        }
        i += 1;
    }
    None
}

fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some(c @ ('\\' | '\'' | '"')) => out.push(c),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'.'
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lit(s: &str) -> PrintArg {
        PrintArg::Literal(s.into())
    }

    #[test]
    fn finds_the_guide_print() {
        let src = "# A simple Python application\nprint(\"Hello, Docker!\")\n";
        assert_eq!(print_calls(src), vec![lit("Hello, Docker!")]);
    }

    #[test]
    fn single_quotes_spaces_and_escapes() {
        assert_eq!(print_calls("print ( 'it\\'s' )"), vec![lit("it's")]);
        assert_eq!(print_calls("print(f\"Hi\")"), vec![lit("Hi")]);
        assert_eq!(print_calls("print(\"\"\"Hi\"\"\")"), vec![lit("Hi")]);
    }

    #[test]
    fn ignores_comments_strings_and_other_names() {
        let src = "# print(\"no\")\nx = \"print('no')\"\nreprint(\"no\")\nlogger.print(\"no\")\n";
        assert!(print_calls(src).is_empty());
    }

    #[test]
    fn non_literals_are_other() {
        assert_eq!(print_calls("print(greeting)"), vec![PrintArg::Other]);
        assert_eq!(print_calls("print(\"a\" + b)"), vec![PrintArg::Other]);
        assert_eq!(print_calls("print(f\"{name}\")"), vec![PrintArg::Other]);
    }

    #[test]
    fn unclosed_string_has_its_line() {
        assert_eq!(
            print_calls("\nprint(\"Hello)\n"),
            vec![PrintArg::Unclosed(2)]
        );
    }
}
