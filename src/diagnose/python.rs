//! What Python refuses in a script before running a line of it: a
//! typographic quote or an invisible space in the code, Python 2's `print`
//! statement, a line indented for no reason. Found by reading the file (the
//! learner's code is never run on their machine), with the line and
//! column Python would name, and the corrected line.

use super::Diagnosis;
use super::invisible::{self, describe};

/// The first thing in `source` that Python 3 stops at, or `None`.
pub fn explain(rel: &str, source: &str) -> Option<Diagnosis> {
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    let lines: Vec<&str> = source
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect();
    let code = code_mask(&lines);
    for (i, line) in lines.iter().enumerate() {
        let at = i + 1;
        let mask = &code[i];
        // A look-alike in the code itself (not in a string or comment).
        if let Some((col, ch)) = line.chars().enumerate().find(|(j, c)| {
            mask.get(*j).copied().unwrap_or(false) && invisible::lookalike(*c).is_some()
        }) {
            let fixed = invisible::plain(line);
            return Some(Diagnosis::new(
                format!(
                    "{rel} line {at} column {}: `{}` holds {} — Python stops with \"SyntaxError: \
                     invalid character\" before printing anything (pasted from a web page or a \
                     word processor?)",
                    col + 1,
                    line.trim(),
                    describe(ch)
                ),
                format!("change line {at} to: {}", fixed.trim()),
            ));
        }
        let trimmed = line.trim_start();
        if let Some(rest) = trimmed.strip_prefix("print")
            && mask.first().copied().unwrap_or(false)
            && (rest.starts_with([' ', '\t']) && !rest.trim_start().starts_with('('))
            && rest.trim_start().starts_with(['"', '\''])
        {
            let arg = rest.trim().trim_end_matches(';');
            let indent = &line[..line.len() - trimmed.len()];
            return Some(Diagnosis::new(
                format!(
                    "{rel} line {at}: `{}` is Python 2's print statement; the image runs Python 3, \
                     where print is a function and needs parentheses (SyntaxError: Missing \
                     parentheses in call to 'print')",
                    line.trim()
                ),
                format!("change line {at} to: {indent}print({arg})"),
            ));
        }
    }
    unexpected_indent(rel, &lines, &code)
}

/// A line indented although nothing above opens a block (`if …:`) or a
/// bracket: Python's "IndentationError: unexpected indent".
fn unexpected_indent(rel: &str, lines: &[&str], code: &[Vec<bool>]) -> Option<Diagnosis> {
    let mut previous: Option<&str> = None;
    let mut depth: i32 = 0;
    for (i, line) in lines.iter().enumerate() {
        let trimmed = line.trim_start();
        let starts_in_code = code[i].first().copied().unwrap_or(false);
        if trimmed.is_empty() || trimmed.starts_with('#') || !starts_in_code {
            continue;
        }
        let indent = &line[..line.len() - trimmed.len()];
        let opens_block = previous.is_some_and(|p| {
            let p = p.trim_end();
            p.ends_with(':') || p.ends_with('\\')
        });
        if !indent.is_empty() && !opens_block && depth == 0 {
            let what = if indent.contains('\t') {
                "a tab".to_string()
            } else {
                format!(
                    "{} space{}",
                    indent.len(),
                    if indent.len() == 1 { "" } else { "s" }
                )
            };
            let what = if indent.chars().any(|c| invisible::lookalike(c).is_some()) {
                describe(
                    indent
                        .chars()
                        .find(|c| invisible::lookalike(*c).is_some())?,
                )
            } else {
                what
            };
            return Some(Diagnosis::new(
                format!(
                    "{rel} line {}: `{}` starts with {what}, but nothing above it opens a block — \
                     Python stops with \"IndentationError: unexpected indent\"",
                    i + 1,
                    trimmed
                ),
                format!(
                    "remove the blanks at the start of line {}: {trimmed}",
                    i + 1
                ),
            ));
        }
        for (j, c) in line.chars().enumerate() {
            if code[i].get(j).copied().unwrap_or(false) {
                match c {
                    '(' | '[' | '{' => depth += 1,
                    ')' | ']' | '}' => depth -= 1,
                    _ => {}
                }
            }
        }
        depth = depth.max(0);
        previous = Some(line);
    }
    None
}

/// For each line, which characters are code (not inside a string literal
/// or a comment). Triple-quoted strings span lines.
fn code_mask(lines: &[&str]) -> Vec<Vec<bool>> {
    let mut out = Vec::with_capacity(lines.len());
    let mut open: Option<&'static str> = None;
    for line in lines {
        let chars: Vec<char> = line.chars().collect();
        let mut mask = vec![false; chars.len()];
        let mut j = 0;
        while j < chars.len() {
            if let Some(q) = open {
                let qc: Vec<char> = q.chars().collect();
                if chars[j] == '\\' {
                    j += 2;
                    continue;
                }
                if chars[j..].starts_with(&qc) {
                    j += qc.len();
                    open = None;
                    continue;
                }
                j += 1;
                continue;
            }
            match chars[j] {
                '#' => break,
                '"' | '\'' => {
                    let c = chars[j];
                    let triple = chars[j..].starts_with(&[c, c, c]);
                    open = Some(match (c, triple) {
                        ('"', true) => "\"\"\"",
                        ('"', false) => "\"",
                        (_, true) => "'''",
                        _ => "'",
                    });
                    j += if triple { 3 } else { 1 };
                }
                _ => {
                    mask[j] = true;
                    j += 1;
                }
            }
        }
        // A one-quote string ends with its line.
        if matches!(open, Some("\"") | Some("'")) {
            open = None;
        }
        out.push(mask);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_guide_is_fine() {
        assert_eq!(
            explain(
                "app.py",
                "# A simple Python application\nprint(\"Hello, Docker!\")\n"
            ),
            None
        );
        assert_eq!(explain("app.py", "if True:\n    print('x')\n"), None);
        assert_eq!(explain("app.py", "print(\n    'x'\n)\n"), None);
        assert_eq!(
            explain("app.py", "print(\"it’s fine in a string\")\n"),
            None
        );
        assert_eq!(explain("app.py", "\u{feff}print('x')\n"), None);
    }

    #[test]
    fn typographic_quotes_in_code() {
        let d = explain("app.py", "# hi\nprint(“Hello, Docker!”)\n").unwrap();
        assert!(
            d.reason.starts_with("app.py line 2 column 7"),
            "{}",
            d.reason
        );
        assert!(
            d.reason.contains("typographic opening quote"),
            "{}",
            d.reason
        );
        assert_eq!(d.fix, "change line 2 to: print(\"Hello, Docker!\")");
    }

    #[test]
    fn python_two_print() {
        let d = explain("app.py", "print \"Hello, Docker!\"\n").unwrap();
        assert!(d.reason.contains("Python 2"), "{}", d.reason);
        assert_eq!(d.fix, "change line 1 to: print(\"Hello, Docker!\")");
    }

    #[test]
    fn unexpected_indents() {
        let d = explain("app.py", "# hi\n    print('x')\n").unwrap();
        assert!(d.reason.contains("line 2"), "{}", d.reason);
        assert!(d.reason.contains("4 spaces"), "{}", d.reason);
        let d = explain("app.py", "\tprint('x')\n").unwrap();
        assert!(d.reason.contains("a tab"), "{}", d.reason);
        let d = explain("app.py", "\u{a0}print('x')\n").unwrap();
        assert!(d.reason.contains("non-breaking space"), "{}", d.reason);
    }
}
