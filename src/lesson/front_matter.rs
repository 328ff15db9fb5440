//! Splits a lesson file into its TOML front matter and its Markdown body.
//!
//! The front matter sits between two `+++` lines at the very top of the file
//! (the Hugo convention), so a Markdown previewer still shows the body.

/// A lesson file cut in two. `toml_first_line` is the 1-based line of the
/// file where the TOML starts, so parse errors can name the file's line.
pub struct Split<'a> {
    pub toml: &'a str,
    pub toml_first_line: usize,
    pub body: &'a str,
}

pub fn split(text: &str) -> Result<Split<'_>, (usize, String)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let Some(rest) = strip_fence_line(text) else {
        return Err((
            1,
            "the file must start with a `+++` line opening the TOML front matter".into(),
        ));
    };
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "+++" {
            let toml = &rest[..offset];
            let body = &rest[offset + line.len()..];
            return Ok(Split {
                toml,
                toml_first_line: 2,
                body,
            });
        }
        offset += line.len();
    }
    Err((
        1,
        "the front matter opened with `+++` is never closed by a second `+++` line".into(),
    ))
}

fn strip_fence_line(text: &str) -> Option<&str> {
    let first_end = text.find('\n').map_or(text.len(), |i| i + 1);
    (text[..first_end].trim_end() == "+++").then(|| &text[first_end..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter_and_body() {
        let s = split("+++\nid = \"a\"\n+++\n# Title\n").unwrap();
        assert_eq!(s.toml, "id = \"a\"\n");
        assert_eq!(s.body, "# Title\n");
        assert_eq!(s.toml_first_line, 2);
    }

    #[test]
    fn tolerates_bom_and_crlf() {
        let s = split("\u{feff}+++\r\nid = 1\r\n+++\r\nbody").unwrap();
        assert_eq!(s.toml, "id = 1\r\n");
        assert_eq!(s.body, "body");
    }

    #[test]
    fn missing_opening_fence_is_line_1() {
        let err = split("# Title\n").err().unwrap();
        assert_eq!(err.0, 1);
        assert!(err.1.contains("+++"));
    }

    #[test]
    fn unclosed_front_matter_is_an_error() {
        assert!(split("+++\nid = 1\n").is_err());
    }
}
