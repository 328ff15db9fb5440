//! Lesson Markdown → plain lines (pulldown-cmark), for plain mode: headings
//! on lines of their own, paragraphs wrapped, lists with "-" (or their
//! numbers) and hanging indents, code blocks indented four spaces and never
//! wrapped (so a command stays whole to copy), links as "text (address)".
//! No emphasis marks, no backticks: the words only.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use super::text::{keys_to_commands, wrap};

/// Where code blocks are indented from the text around them.
const CODE_INDENT: &str = "    ";

pub fn render(md: &str, width: usize) -> Vec<String> {
    let mut r = Renderer {
        width,
        ..Renderer::default()
    };
    for event in Parser::new_ext(md, Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TABLES) {
        r.event(event);
    }
    r.flush();
    while r.out.last().is_some_and(String::is_empty) {
        r.out.pop();
    }
    r.out
}

#[derive(Default)]
struct Renderer {
    width: usize,
    out: Vec<String>,
    /// The text of the paragraph (or heading, or item) being read.
    inline: String,
    /// Open lists: the next number of an ordered one.
    lists: Vec<Option<u64>>,
    /// The width of each open item's marker, for hanging indents.
    items: Vec<usize>,
    /// The marker of an item whose first line is not written yet.
    marker: Option<String>,
    quote: usize,
    code: Option<String>,
    link: Option<String>,
    /// Cells of the table row being read.
    row: Option<Vec<String>>,
}

impl Renderer {
    fn event(&mut self, event: Event<'_>) {
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(t) => match &mut self.code {
                Some(code) => code.push_str(&t),
                None => self.inline.push_str(&t),
            },
            Event::Code(t) => self.inline.push_str(&t),
            Event::SoftBreak => self.inline.push(' '),
            Event::HardBreak => self.flush(),
            Event::Rule => {
                self.flush();
                self.blank();
                self.out.push("----".into());
            }
            Event::TaskListMarker(done) => self.inline.push_str(if done { "[x] " } else { "[ ] " }),
            Event::Html(_) | Event::InlineHtml(_) => {}
            Event::FootnoteReference(t) => self.inline.push_str(&format!("[{t}]")),
            Event::InlineMath(t) | Event::DisplayMath(t) => self.inline.push_str(&t),
        }
    }

    fn start(&mut self, tag: Tag<'_>) {
        match tag {
            Tag::Heading { .. } | Tag::Paragraph => {
                self.flush();
                if self.marker.is_none() {
                    self.blank();
                }
            }
            Tag::CodeBlock(_) => {
                self.flush();
                self.blank();
                self.code = Some(String::new());
            }
            Tag::List(start) => {
                self.flush();
                if self.items.is_empty() {
                    self.blank();
                }
                self.lists.push(start);
            }
            Tag::Item => {
                self.flush();
                let marker = match self.lists.last_mut() {
                    Some(Some(n)) => {
                        *n += 1;
                        format!("{}. ", *n - 1)
                    }
                    _ => "- ".to_string(),
                };
                self.items.push(marker.chars().count());
                self.marker = Some(marker);
            }
            Tag::BlockQuote(_) => {
                self.flush();
                self.quote += 1;
            }
            Tag::Link { dest_url, .. } => self.link = Some(dest_url.to_string()),
            Tag::TableRow | Tag::TableHead => self.row = Some(Vec::new()),
            Tag::TableCell => self.inline.clear(),
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Heading(_) | TagEnd::Paragraph => self.flush(),
            TagEnd::CodeBlock => {
                let code = self.code.take().unwrap_or_default();
                let indent = format!("{}{CODE_INDENT}", self.indent());
                for line in code.trim_end_matches('\n').lines() {
                    self.out
                        .push(format!("{indent}{line}").trim_end().to_string());
                }
                self.blank();
            }
            TagEnd::List(_) => {
                self.flush();
                self.lists.pop();
            }
            TagEnd::Item => {
                self.flush();
                self.items.pop();
                self.marker = None;
            }
            TagEnd::BlockQuote(_) => {
                self.flush();
                self.quote = self.quote.saturating_sub(1);
            }
            TagEnd::Link => {
                if let Some(url) = self.link.take()
                    && !self.inline.ends_with(&url)
                {
                    self.inline.push_str(&format!(" ({url})"));
                }
            }
            TagEnd::TableCell => {
                let cell = std::mem::take(&mut self.inline);
                if let Some(row) = &mut self.row {
                    row.push(cell.trim().to_string());
                }
            }
            TagEnd::TableRow | TagEnd::TableHead => {
                if let Some(row) = self.row.take() {
                    self.inline = row.join(" | ");
                    self.flush();
                }
            }
            _ => {}
        }
    }

    /// The indent of the text inside the open items and quotes.
    fn indent(&self) -> String {
        " ".repeat(self.items.iter().sum::<usize>() + 2 * self.quote)
    }

    /// Writes the text read so far, wrapped.
    fn flush(&mut self) {
        let text = keys_to_commands(std::mem::take(&mut self.inline).trim());
        if text.is_empty() {
            return;
        }
        let next = self.indent();
        let first = match self.marker.take() {
            Some(marker) => {
                let outer: usize = self.items[..self.items.len() - 1].iter().sum();
                format!("{}{marker}", " ".repeat(outer + 2 * self.quote))
            }
            None => next.clone(),
        };
        self.out.extend(wrap(&text, self.width, &first, &next));
    }

    fn blank(&mut self) {
        if self.out.last().is_some_and(|l| !l.is_empty()) {
            self.out.push(String::new());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_lists_and_code_read_as_plain_text() {
        let md = "# Build it\n\nThe **command** is `docker build`:\n\n```bash\ndocker build -t app .\n```\n\n- `-t app` — tag the result with a name so that you can refer to it later\n- `.` — the context\n\n1. one\n2. two\n\nPress **Enter** to build.\n";
        let lines = render(md, 40);
        assert_eq!(
            lines,
            [
                "Build it",
                "",
                "The command is docker build:",
                "",
                "    docker build -t app .",
                "",
                "- -t app — tag the result with a name so",
                "  that you can refer to it later",
                "- . — the context",
                "",
                "1. one",
                "2. two",
                "",
                "Type do to build.",
            ]
        );
    }

    #[test]
    fn nested_lists_indent_and_links_keep_their_address() {
        let md = "- outer\n  - inner item\n- [docs](https://docs.docker.com)\n";
        let lines = render(md, 80);
        assert_eq!(
            lines,
            [
                "- outer",
                "  - inner item",
                "- docs (https://docs.docker.com)"
            ]
        );
    }

    /// Every built-in lesson renders to lines within the width (but for a
    /// word longer than a line), headings and bullets as plain lines.
    #[test]
    fn every_lesson_renders_plainly() {
        for lesson in crate::lesson::builtin().lessons {
            for line in render(&lesson.body, 60) {
                let code = line.starts_with("    ");
                assert!(code || !line.starts_with('#'), "{}: {line}", lesson.id);
                assert!(code || !line.starts_with("* "), "{}: {line}", lesson.id);
                assert!(
                    line.chars().count() <= 60
                        || !line.trim().contains(' ')
                        || line.starts_with("    "),
                    "{}: too wide: {line}",
                    lesson.id
                );
            }
        }
    }
}
