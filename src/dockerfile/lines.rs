//! Physical and logical lines: byte offsets to 1-based line numbers, where an
//! instruction's logical line (with its continuation lines) ends, and how
//! continuation lines join into one.

/// 1-based line numbers of byte offsets, for many lookups in one text.
#[derive(Debug, Clone)]
pub struct LineIndex {
    newlines: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        LineIndex {
            newlines: text.match_indices('\n').map(|(i, _)| i).collect(),
        }
    }

    /// 1-based line of byte offset `byte` (offsets past the end are on the
    /// last line).
    pub fn line_of(&self, byte: usize) -> usize {
        self.newlines.partition_point(|&nl| nl < byte) + 1
    }
}

/// 1-based line of a byte offset inside `text`, for a single lookup.
pub fn line_of(text: &str, byte: usize) -> usize {
    LineIndex::new(text).line_of(byte)
}

/// Where the logical line that starts at `start` ends: the offset of the
/// newline that ends it, or the end of `text`. A line whose last non-blank
/// character is `escape` goes on; empty lines and comment lines inside a
/// continuation are skipped, as Docker does.
pub fn logical_end(text: &str, start: usize, escape: char) -> usize {
    let mut pos = start.min(text.len());
    let mut continuing = false;
    loop {
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
        let line = &text[pos..end];
        let trimmed = line.trim();
        let skipped = continuing && (trimmed.is_empty() || trimmed.starts_with('#'));
        if !skipped {
            continuing = line.trim_end().ends_with(escape);
        }
        if !continuing || end == text.len() {
            return end;
        }
        pos = end + 1;
    }
}

/// Joins continuation lines the way language-docker (hadolint's parser)
/// does: the escape character, blanks and newlines go, together with the
/// comment lines that follow; if the next line is indented the whole break
/// becomes one space. Everything else is kept as written.
pub fn join_continuations(raw: &str, escape: char) -> String {
    let s: Vec<char> = raw.chars().collect();
    let mut out = String::with_capacity(raw.len());
    let skip_blanks = |mut j: usize| {
        while matches!(s.get(j), Some(' ' | '\t')) {
            j += 1;
        }
        j
    };
    // At `i`: escape, blanks, one or more newlines; returns what follows.
    let is_break = |i: usize| -> Option<usize> {
        if s.get(i) != Some(&escape) {
            return None;
        }
        let mut j = skip_blanks(i + 1);
        if s.get(j) != Some(&'\n') {
            return None;
        }
        while s.get(j) == Some(&'\n') {
            j += 1;
        }
        Some(j)
    };
    // At `j`: a comment line (and the newlines after it); returns what follows.
    let comment_line = |j: usize| -> Option<usize> {
        let mut k = skip_blanks(j);
        if s.get(k) != Some(&'#') {
            return None;
        }
        while k < s.len() && s[k] != '\n' {
            k += 1;
        }
        if s.get(k) != Some(&'\n') {
            return None;
        }
        while s.get(k) == Some(&'\n') {
            k += 1;
        }
        Some(k)
    };
    let mut i = 0;
    while i < s.len() {
        let Some(mut j) = is_break(i) else {
            out.push(s[i]);
            i += 1;
            continue;
        };
        let mut found_space = false;
        loop {
            while let Some(next) = comment_line(j) {
                j = next;
            }
            let after_blanks = skip_blanks(j);
            found_space |= after_blanks > j;
            j = after_blanks;
            match is_break(j) {
                Some(next) => j = next,
                None => break,
            }
        }
        if found_space {
            out.push(' ');
        }
        i = j;
    }
    out
}

/// Words separated by single spaces.
pub fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_of_offsets() {
        let idx = LineIndex::new("a\nb\nc");
        assert_eq!([0, 1, 2, 4, 99].map(|b| idx.line_of(b)), [1, 1, 2, 3, 3]);
        assert_eq!(line_of("a\nb\nc", 2), 2);
        assert_eq!(line_of("", 0), 1);
    }

    #[test]
    fn logical_lines_end_where_continuations_stop() {
        let t = "RUN a \\\n  # note\n\n  b\nCMD c\n";
        assert_eq!(&t[..logical_end(t, 3, '\\')], "RUN a \\\n  # note\n\n  b");
        assert_eq!(logical_end("RUN a\n# c\n", 3, '\\'), 5);
        assert_eq!(logical_end("RUN a `\n b", 3, '`'), 10);
        assert_eq!(logical_end("RUN a \\", 3, '\\'), 7);
    }

    #[test]
    fn continuations_like_language_docker() {
        assert_eq!(join_continuations("a \\\n  b", '\\'), "a  b");
        assert_eq!(join_continuations("a\\\nb", '\\'), "ab");
        assert_eq!(
            join_continuations("a \\\n  # note\n  && b", '\\'),
            "a  && b"
        );
        assert_eq!(join_continuations("a `\n  b", '`'), "a  b");
        assert_eq!(join_continuations("echo a\\b", '\\'), "echo a\\b");
        assert_eq!(collapse_whitespace(" a \t b\n c "), "a b c");
    }
}
