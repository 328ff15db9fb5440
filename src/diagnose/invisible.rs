//! What the eye cannot see: characters that look like others (typographic
//! quotes, non-breaking and zero-width spaces, byte-order marks), line
//! endings, another encoding, an empty file. Each is found with its line
//! and column; the callers decide where it breaks something (Docker strips
//! a byte-order mark from a Dockerfile, Python from a script; neither
//! forgives a typographic quote).

use super::Diagnosis;

/// One character where it matters, 1-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spot {
    pub line: usize,
    /// In characters, as editors count.
    pub column: usize,
    pub ch: char,
}

impl Spot {
    /// "line 2 column 7".
    pub fn at(&self) -> String {
        format!("line {} column {}", self.line, self.column)
    }
}

/// Characters pasted from web pages and word processors that look like
/// plain ones, with what they stand for.
pub fn lookalike(ch: char) -> Option<(&'static str, char)> {
    Some(match ch {
        '\u{201c}' => ("a typographic opening quote “", '"'),
        '\u{201d}' => ("a typographic closing quote ”", '"'),
        '\u{201e}' => ("a typographic low quote „", '"'),
        '\u{2018}' => ("a typographic opening quote ‘", '\''),
        '\u{2019}' => ("a typographic closing quote ’", '\''),
        '\u{00a0}' => ("a non-breaking space (U+00A0)", ' '),
        '\u{202f}' => ("a narrow non-breaking space (U+202F)", ' '),
        '\u{2007}' => ("a figure space (U+2007)", ' '),
        '\u{200b}' => ("a zero-width space (U+200B)", '\0'),
        '\u{feff}' => ("a byte-order mark (U+FEFF)", '\0'),
        '\u{2013}' => ("an en dash –", '-'),
        '\u{2014}' => ("an em dash —", '-'),
        '\u{2212}' => ("a minus sign −", '-'),
        _ => return None,
    })
}

/// The text with every look-alike replaced by the plain character it stands
/// for (zero-width ones removed).
pub fn plain(text: &str) -> String {
    text.chars()
        .filter_map(|c| match lookalike(c) {
            Some((_, '\0')) => None,
            Some((_, p)) => Some(p),
            None => Some(c),
        })
        .collect()
}

/// Every look-alike in `text`, with its line and column.
pub fn lookalikes(text: &str) -> Vec<Spot> {
    spots(text, |c| lookalike(c).is_some())
}

/// Every character of `text` that `pick` selects, with its position.
pub fn spots(text: &str, pick: impl Fn(char) -> bool) -> Vec<Spot> {
    let mut out = Vec::new();
    for (i, line) in text.split('\n').enumerate() {
        for (j, ch) in line.chars().enumerate() {
            if pick(ch) {
                out.push(Spot {
                    line: i + 1,
                    column: j + 1,
                    ch,
                });
            }
        }
    }
    out
}

/// The name of a look-alike, or of the character itself.
pub fn describe(ch: char) -> String {
    match lookalike(ch) {
        Some((name, _)) => name.to_string(),
        None if ch == '\t' => "a tab".into(),
        None if ch == '\r' => "a carriage return (a Windows line ending)".into(),
        None => format!("{ch:?} (U+{:04X})", ch as u32),
    }
}

/// A file that is not UTF-8: which encoding it probably is, where the first
/// byte that is not UTF-8 sits, and how to convert it.
pub fn not_utf8(rel: &str, bytes: &[u8]) -> Diagnosis {
    let (from, why) = if bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]) {
        (
            "UTF-16",
            "it was saved as UTF-16 (\"Unicode\" in Windows Notepad): two bytes per letter, which \
             Docker and Python read as garbage"
                .to_string(),
        )
    } else if bytes.len() > 1 && bytes.iter().filter(|b| **b == 0).count() * 4 > bytes.len() {
        (
            "UTF-16",
            "it was saved as UTF-16, two bytes per letter, which Docker and Python read as garbage"
                .to_string(),
        )
    } else {
        let valid = match std::str::from_utf8(bytes) {
            Ok(_) => bytes.len(),
            Err(e) => e.valid_up_to(),
        };
        let before = String::from_utf8_lossy(&bytes[..valid]);
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        let byte = bytes.get(valid).copied().unwrap_or_default();
        let latin1 = char::from(byte);
        (
            "WINDOWS-1252",
            format!(
                "line {line} column {column} holds the byte 0x{byte:02X} ({latin1:?} in Latin-1 / \
                 Windows-1252): the file was saved in an older encoding, and Python and Docker \
                 read UTF-8"
            ),
        )
    };
    Diagnosis::new(
        format!("{rel} is not UTF-8 text: {why}"),
        format!(
            "save it as UTF-8 in your editor, or convert it: iconv -f {from} -t UTF-8 {rel} > {rel}.new && mv {rel}.new {rel}"
        ),
    )
}

/// A file with nothing in it (an editor that never saved, a failed copy).
pub fn empty(rel: &str, expected: &str) -> Diagnosis {
    Diagnosis::new(
        format!("{rel} is empty (0 bytes) — did your editor save it? It should hold {expected}"),
        format!("open {rel}, write {expected}, and save"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookalikes_have_positions() {
        let s = lookalikes("FROM a\nCMD [“python”]\n");
        assert_eq!(s.len(), 2);
        assert_eq!((s[0].line, s[0].column, s[0].ch), (2, 6, '\u{201c}'));
        assert_eq!(s[0].at(), "line 2 column 6");
        assert_eq!(plain("“a” b\u{a0}c\u{200b}"), "\"a\" b c");
    }

    #[test]
    fn encodings_are_named() {
        let utf16: Vec<u8> = [0xff, 0xfe, b'F', 0, b'R', 0].to_vec();
        let d = not_utf8("Dockerfile", &utf16);
        assert!(d.reason.contains("UTF-16"), "{}", d.reason);
        assert!(d.fix.contains("iconv -f UTF-16"), "{}", d.fix);
        let latin1 = b"# f\xfcr\nprint('x')\n";
        let d = not_utf8("app.py", latin1);
        assert!(d.reason.contains("line 1 column 4"), "{}", d.reason);
        assert!(d.reason.contains("'ü'"), "{}", d.reason);
    }
}
