//! Go's character-level regexp syntax: escapes (`parseEscape`) and
//! bracketed classes (`parseClass`, POSIX `[:name:]`, Perl `\d \s \w`),
//! resolved to code-point ranges with Go's ASCII-only class tables.

use super::Parser;

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

pub(super) fn perl_class(c: u8) -> Option<Vec<(u32, u32)>> {
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

impl Parser<'_> {
    /// Go `parseEscape`; `self.rest()` starts with the backslash.
    pub(super) fn escape(&mut self) -> Result<u32, String> {
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

    /// Go `parseClass`; `self.rest()` starts with `[`. Returns the code point
    /// ranges the class matches (negation already applied).
    pub(super) fn class(&mut self) -> Result<Vec<(u32, u32)>, String> {
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
        Ok(ranges)
    }
}
