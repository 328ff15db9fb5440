//! Here-documents (`RUN <<EOF`, `RUN python3 <<EOF`, `COPY <<EOF /x`) and the
//! line scan that finds them before parsing.
//!
//! `parse-dockerfile` reads a here-document only where it opens the
//! arguments (`RUN <<EOF`, `COPY <<EOF …`). Bodies of the others
//! (`RUN python3 <<EOF`, a second `<<` in one `RUN`) would be read as
//! instructions, so the scan blanks them (keeping every byte offset and line)
//! and keeps their text itself. The same scan records the comment lines that
//! stand between instructions.

use std::collections::HashMap;

/// The body of one here-document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heredoc {
    /// 1-based line of the body's first line.
    pub line: usize,
    /// The body, one `\n` after each line; leading tabs removed for `<<-`.
    pub body: String,
}

/// A `<<` operator in a line of text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Op {
    /// Byte offset of the `<<`.
    pub offset: usize,
    /// Byte offset just after the delimiter word (and its quotes).
    pub end: usize,
    pub delimiter: String,
    /// `<<-`: leading tabs are removed from the body and the delimiter line.
    pub strip_tabs: bool,
}

/// `<<WORD`, `<<-WORD`, `<<"WORD"`, `<<'WORD'` outside quotes in `line`
/// (not `<<<`).
pub(crate) fn find_ops(line: &str) -> Vec<Op> {
    let b = line.as_bytes();
    let mut out = Vec::new();
    let mut quote: Option<u8> = None;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if let Some(q) = quote {
            if c == q {
                quote = None;
            }
            i += 1;
            continue;
        }
        if c == b'\'' || c == b'"' {
            quote = Some(c);
            i += 1;
            continue;
        }
        let opens = c == b'<'
            && b.get(i + 1) == Some(&b'<')
            && b.get(i + 2) != Some(&b'<')
            && (i == 0 || b[i - 1] != b'<');
        if !opens {
            i += 1;
            continue;
        }
        let mut j = i + 2;
        let strip_tabs = b.get(j) == Some(&b'-');
        if strip_tabs {
            j += 1;
        }
        let word = match b.get(j) {
            Some(&q @ (b'"' | b'\'')) => line[j + 1..]
                .find(q as char)
                .map(|e| (line[j + 1..j + 1 + e].to_string(), j + 2 + e)),
            _ => {
                let end = line[j..]
                    .find(|ch: char| ch.is_whitespace() || "<>|&;()'\"".contains(ch))
                    .map_or(line.len(), |e| j + e);
                (end > j).then(|| (line[j..end].to_string(), end))
            }
        };
        match word {
            Some((delimiter, end)) => {
                if !delimiter.is_empty() {
                    out.push(Op {
                        offset: i,
                        end,
                        delimiter,
                        strip_tabs,
                    });
                }
                i = end;
            }
            None => i += 1,
        }
    }
    out
}

/// What the line scan gives the parser and the model.
pub(super) struct Scanned {
    /// The text for `parse-dockerfile`: bodies it cannot read blanked.
    pub text: String,
    /// Comment lines between instructions: (1-based line, text after `#`).
    pub comments: Vec<(usize, String)>,
    /// `RUN` here-document bodies by the line their instruction starts on.
    pub run_heredocs: HashMap<usize, Vec<Heredoc>>,
}

/// Scans `text` line by line (see the module docs).
pub(super) fn scan(text: &str, escape: char) -> Scanned {
    let mut bytes = text.as_bytes().to_vec();
    let mut comments = Vec::new();
    let mut run_heredocs: HashMap<usize, Vec<Heredoc>> = HashMap::new();
    let lines: Vec<(usize, &str)> = {
        let mut v = Vec::new();
        let mut off = 0;
        for l in text.split('\n') {
            v.push((off, l));
            off += l.len() + 1;
        }
        v
    };
    let mut continuing = false;
    let mut keyword = String::new();
    let mut start_line = 0;
    let mut parser_reads_first = false;
    let mut pending: Vec<Op> = Vec::new();
    let mut idx = 0;
    while idx < lines.len() {
        let (_, line) = lines[idx];
        idx += 1;
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            if !continuing && let Some(comment) = trimmed.strip_prefix('#') {
                comments.push((idx, comment.to_string()));
            }
            continue;
        }
        if !continuing {
            start_line = idx;
            let mut words = trimmed.split_whitespace();
            keyword = words.next().unwrap_or_default().to_ascii_uppercase();
            let mut after = &trimmed[keyword.len()..];
            if keyword == "ONBUILD" {
                keyword = words.next().unwrap_or_default().to_ascii_uppercase();
                after = after.trim_start();
                after = &after[keyword.len().min(after.len())..];
            }
            parser_reads_first = args_start_with_heredoc(after);
            pending.clear();
        }
        if matches!(keyword.as_str(), "RUN" | "COPY" | "ADD") {
            pending.extend(find_ops(line));
        }
        continuing = line.trim_end().ends_with(escape);
        if continuing || pending.is_empty() {
            continue;
        }
        let is_run = keyword == "RUN";
        for (n, op) in std::mem::take(&mut pending).into_iter().enumerate() {
            let body_start = idx;
            let Some(end) = (body_start..lines.len()).find(|&j| {
                let l = lines[j].1;
                let l = if op.strip_tabs {
                    l.trim_start_matches('\t')
                } else {
                    l
                };
                l == op.delimiter
            }) else {
                break;
            };
            // COPY and ADD bodies are all read by the parser; of a RUN's,
            // only a first one that opens the arguments.
            let parser_reads = !is_run || (parser_reads_first && n == 0);
            if is_run {
                let body: String = lines[body_start..end]
                    .iter()
                    .map(|(_, l)| {
                        let l = if op.strip_tabs {
                            l.trim_start_matches('\t')
                        } else {
                            l
                        };
                        format!("{l}\n")
                    })
                    .collect();
                run_heredocs.entry(start_line).or_default().push(Heredoc {
                    line: body_start + 1,
                    body,
                });
            }
            if !parser_reads {
                for (o, l) in &lines[body_start..=end] {
                    bytes[*o..*o + l.len()].fill(b' ');
                }
            }
            idx = end + 1;
        }
    }
    // Only whole lines were replaced by ASCII spaces, so the text stays valid
    // UTF-8; fall back to the original text otherwise.
    let text = String::from_utf8(bytes).unwrap_or_else(|_| text.to_string());
    Scanned {
        text,
        comments,
        run_heredocs,
    }
}

/// Whether arguments (after `--flags`) begin with `<<`.
fn args_start_with_heredoc(after_keyword: &str) -> bool {
    let mut rest = after_keyword.trim_start();
    while rest.starts_with("--") {
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        rest = rest[end..].trim_start();
    }
    rest.starts_with("<<") && !rest.starts_with("<<<")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operators() {
        let ops = find_ops("cat <<EOF >/x && python3 <<-'PY' <<< no");
        let words: Vec<(&str, bool)> = ops
            .iter()
            .map(|o| (o.delimiter.as_str(), o.strip_tabs))
            .collect();
        assert_eq!(words, [("EOF", false), ("PY", true)]);
        assert_eq!(ops[0].offset, 4);
        assert_eq!(ops[0].end, 9);
        assert_eq!(ops[1].end, 32);
        assert!(find_ops("echo '<<EOF'").is_empty());
    }

    #[test]
    fn bodies_the_parser_cannot_read_are_blanked_and_kept() {
        let text = "FROM a\nRUN python3 <<EOF\nprint(1)\nEOF\n# note\nRUN <<-X\n\tls\n\tX\n";
        let s = scan(text, '\\');
        assert_eq!(
            s.text,
            "FROM a\nRUN python3 <<EOF\n        \n   \n# note\nRUN <<-X\n\tls\n\tX\n"
        );
        assert_eq!(s.comments, [(5, " note".to_string())]);
        assert_eq!(
            s.run_heredocs[&2],
            [Heredoc {
                line: 3,
                body: "print(1)\n".into()
            }]
        );
        assert_eq!(s.run_heredocs[&6][0].body, "ls\n");
    }

    #[test]
    fn comments_in_copy_bodies_are_not_between_instructions() {
        let s = scan("FROM a\nCOPY <<EOF /x\n# not a pragma\nEOF\n", '\\');
        assert!(s.comments.is_empty());
        assert!(s.run_heredocs.is_empty());
        assert!(s.text.contains("# not a pragma"));
    }
}
