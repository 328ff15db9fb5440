//! The glob side of a `.dockerignore` pattern: Go's `filepath.Clean`, the
//! syntax check `filepath.Match` performs (moby rejects what it calls
//! malformed), and moby's translation of a pattern into Go regexp text
//! (`Pattern.compile` in patternmatcher v0.6.0).

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

/// `filepath.Match`'s syntax check (Go 1.24: every chunk is validated, not
/// only the ones reached while matching).
pub(super) fn validate_glob(pattern: &[u8]) -> Result<(), &'static str> {
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

/// How upstream matches a pattern: plain string tests where it can, its
/// regular expression otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum TKind {
    Exact,
    Prefix,
    Suffix,
    Regex,
}

/// Upstream `Pattern.compile`: the Go regexp text for `pattern` (already
/// cleaned, without `!`) and which kind of test upstream uses.
pub(super) fn translate(pattern: &str) -> (String, TKind) {
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
