//! `ENV` / `ARG` name-value pairs and `RUN --mount` options, read the way
//! hadolint reads them.

use super::Mount;

pub(super) fn parse_mount(value: &str) -> Mount {
    let mut kind = "bind".to_string();
    let mut target = String::new();
    for part in value.split(',') {
        let (k, v) = part.split_once('=').unwrap_or((part, ""));
        match k.trim() {
            "type" => kind = v.trim().to_string(),
            "target" | "dst" | "destination" => target = v.trim().to_string(),
            _ => {}
        }
    }
    Mount { kind, target }
}

/// Reads one word of an `ENV`/`ARG` value: quotes removed, backslash escapes
/// resolved. Returns the word and the rest of the text.
fn read_value(s: &str) -> (String, &str) {
    let mut out = String::new();
    let mut chars = s.char_indices().peekable();
    let mut quote: Option<char> = None;
    while let Some((i, c)) = chars.next() {
        match (quote, c) {
            (None, c) if c.is_whitespace() => return (out, &s[i..]),
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (Some('\''), c) => out.push(c),
            (_, '\\') => {
                if let Some((_, n)) = chars.next() {
                    out.push(n);
                }
            }
            (_, c) => out.push(c),
        }
    }
    (out, "")
}

/// `ENV`-style pairs: `K=V K2="V 2"`, or the legacy `K V W` form when
/// `legacy` is allowed and the first word has no `=`.
pub(super) fn parse_pairs(args: &str, legacy: bool) -> Vec<(String, String)> {
    let args = args.trim();
    let first = args.split_whitespace().next().unwrap_or_default();
    if legacy && !first.contains('=') {
        let rest = args[first.len()..].trim();
        return vec![(first.to_string(), read_legacy(rest))];
    }
    let mut out = Vec::new();
    let mut rest = args;
    while !rest.is_empty() {
        let (word, r) = read_value(rest);
        rest = r.trim_start();
        if let Some((k, v)) = word.split_once('=') {
            out.push((k.to_string(), v.to_string()));
        } else if !word.is_empty() {
            out.push((word, String::new()));
        }
    }
    out
}

fn read_legacy(rest: &str) -> String {
    let mut out = String::new();
    let mut r = rest;
    while !r.is_empty() {
        let (w, next) = read_value(r);
        out.push_str(&w);
        let trimmed = next.trim_start();
        if !trimmed.is_empty() {
            out.push(' ');
        }
        r = trimmed;
    }
    out
}

pub(super) fn parse_arg_pairs(args: &str) -> Vec<(String, Option<String>)> {
    let mut out = Vec::new();
    let mut rest = args.trim();
    while !rest.is_empty() {
        let (word, r) = read_value(rest);
        rest = r.trim_start();
        match word.split_once('=') {
            Some((k, v)) => out.push((k.to_string(), Some(v.to_string()))),
            None if !word.is_empty() => out.push((word, None)),
            None => {}
        }
    }
    out
}
