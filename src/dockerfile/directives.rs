//! Parser directives: `# syntax=…`, `# escape=…` and `# check=…` at the top
//! of a Dockerfile.

/// The parser directives a Dockerfile gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directives {
    /// The escape character: `\` unless `# escape=` says `` ` ``.
    pub escape: char,
    /// The `# syntax=` frontend image, if any.
    pub syntax: Option<String>,
    /// The `# check=` build-check settings, if any.
    pub check: Option<String>,
}

impl Default for Directives {
    fn default() -> Self {
        Directives {
            escape: '\\',
            syntax: None,
            check: None,
        }
    }
}

/// The escape character, read before parsing (the here-document scan needs
/// it), by the rules `parse-dockerfile` follows: directives are the leading
/// `#` lines of the form `key=value`; anything else ends them, and a
/// directive given twice voids them all. The parser's own reading is checked
/// against this one afterwards.
pub(super) fn scan_escape(text: &str) -> char {
    let mut escape = '\\';
    let mut seen: Vec<String> = Vec::new();
    for line in text.split('\n') {
        let Some(rest) = line.strip_prefix('#') else {
            break;
        };
        let Some((key, value)) = rest.split_once('=') else {
            break;
        };
        let key = key.trim_matches([' ', '\t']).to_ascii_lowercase();
        if !matches!(key.as_str(), "syntax" | "escape" | "check") {
            break;
        }
        if seen.contains(&key) {
            return '\\';
        }
        if key == "escape" {
            let value = value.trim_start_matches([' ', '\t']);
            let value = value.split([' ', '\t']).next().unwrap_or_default();
            escape = if value == "`" { '`' } else { '\\' };
        }
        seen.push(key);
    }
    escape
}

#[cfg(test)]
mod tests {
    use super::scan_escape;

    #[test]
    fn escape_directive() {
        assert_eq!(scan_escape("# escape=`\nFROM a\n"), '`');
        assert_eq!(
            scan_escape("# syntax=docker/dockerfile:1\n#ESCAPE = `\n"),
            '`'
        );
        assert_eq!(scan_escape("# escape=\\\nFROM a\n"), '\\');
        // Not at the top, after a plain comment, or given twice: no directive.
        assert_eq!(scan_escape("FROM a\n# escape=`\n"), '\\');
        assert_eq!(scan_escape("# hello\n# escape=`\n"), '\\');
        assert_eq!(scan_escape("# escape=`\n# escape=`\n"), '\\');
        assert_eq!(scan_escape(" # escape=`\n"), '\\');
    }
}
