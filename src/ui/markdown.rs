//! Lesson Markdown → styled, wrapped terminal lines (pulldown-cmark).
//!
//! We wrap ourselves rather than letting the widget do it, so that list
//! items get hanging indents, code blocks keep their bar, and the lesson
//! pane knows exactly how tall the text is (for scrolling).

use pulldown_cmark::{CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

use super::theme::Theme;

pub fn render(md: &str, width: u16, theme: &Theme) -> Vec<Line<'static>> {
    render_with_blocks(md, width, theme).0
}

/// [`render`], and the lines where its code blocks start.
pub fn render_with_blocks(md: &str, width: u16, theme: &Theme) -> (Vec<Line<'static>>, Vec<usize>) {
    let mut r = Renderer {
        blocks: Vec::new(),
        width: width.max(10) as usize,
        theme,
        out: Vec::new(),
        inline: Vec::new(),
        styles: vec![theme.text],
        lists: Vec::new(),
        quote: 0,
        pending_marker: None,
        code: None,
        link: None,
    };
    for event in Parser::new_ext(md, Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TABLES) {
        r.event(event);
    }
    r.flush();
    while r.out.last().is_some_and(|l| l.spans.is_empty()) {
        r.out.pop();
    }
    (r.out, r.blocks)
}

struct List {
    next: Option<u64>,
}

struct Renderer<'t> {
    /// Where each code block starts in `out`.
    blocks: Vec<usize>,
    width: usize,
    theme: &'t Theme,
    out: Vec<Line<'static>>,
    inline: Vec<(String, Style)>,
    styles: Vec<Style>,
    lists: Vec<List>,
    quote: usize,
    /// The bullet or number of the item whose first line is being written.
    pending_marker: Option<String>,
    code: Option<String>,
    link: Option<String>,
}

impl Renderer<'_> {
    fn style(&self) -> Style {
        self.styles.last().copied().unwrap_or_default()
    }

    fn push_style(&mut self, f: impl Fn(Style) -> Style) {
        let s = f(self.style());
        self.styles.push(s);
    }

    fn indent(&self) -> String {
        let mut s = "▎ ".repeat(self.quote);
        s.push_str(&"  ".repeat(self.lists.len().saturating_sub(1)));
        s
    }

    fn blank(&mut self) {
        if self.out.last().is_some_and(|l| !l.spans.is_empty()) {
            self.out.push(Line::default());
        }
    }

    fn event(&mut self, event: Event<'_>) {
        match event {
            Event::Start(tag) => self.start(tag),
            Event::End(tag) => self.end(tag),
            Event::Text(text) => {
                if let Some(code) = &mut self.code {
                    code.push_str(&text);
                } else {
                    let style = self.style();
                    self.inline.push((text.into_string(), style));
                }
            }
            Event::Code(code) => self.inline.push((code.into_string(), self.theme.code)),
            Event::SoftBreak => self.inline.push((" ".into(), self.style())),
            Event::HardBreak => {
                self.flush();
            }
            Event::Rule => {
                self.flush();
                self.blank();
                self.out
                    .push(Line::styled("─".repeat(self.width.min(40)), self.theme.dim));
                self.out.push(Line::default());
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                // Shown as text: lessons are Markdown, not HTML.
                self.inline.push((html.into_string(), self.theme.dim));
            }
            Event::TaskListMarker(done) => {
                self.inline
                    .push((if done { "[x] " } else { "[ ] " }.into(), self.style()));
            }
            _ => {}
        }
    }

    fn start(&mut self, tag: Tag<'_>) {
        match tag {
            Tag::Paragraph => {}
            Tag::Heading { level, .. } => {
                self.flush();
                self.blank();
                let style = if level == HeadingLevel::H1 {
                    self.theme.heading
                } else {
                    self.theme.subheading
                };
                self.styles.push(style);
            }
            Tag::BlockQuote(_) => {
                self.flush();
                self.quote += 1;
            }
            Tag::CodeBlock(kind) => {
                self.flush();
                if self.lists.is_empty() {
                    self.blank();
                }
                let label = match kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split_whitespace().next().unwrap_or("").to_string()
                    }
                    CodeBlockKind::Indented => String::new(),
                };
                let _ = label;
                self.code = Some(String::new());
            }
            Tag::List(start) => {
                self.flush();
                if self.lists.is_empty() {
                    self.blank();
                }
                self.lists.push(List { next: start });
            }
            Tag::Item => {
                self.flush();
                let marker = match self.lists.last_mut() {
                    Some(List { next: Some(n) }) => {
                        let m = format!("{n}. ");
                        *n += 1;
                        m
                    }
                    _ => "• ".to_string(),
                };
                self.pending_marker = Some(marker);
            }
            Tag::Emphasis => self.push_style(|s| s.add_modifier(Modifier::ITALIC)),
            Tag::Strong => self.push_style(|s| s.add_modifier(Modifier::BOLD)),
            Tag::Strikethrough => self.push_style(|s| s.add_modifier(Modifier::CROSSED_OUT)),
            Tag::Link { dest_url, .. } => {
                let link = self.theme.link;
                self.push_style(|s| s.patch(link));
                self.link = Some(dest_url.into_string());
            }
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph => {
                self.flush();
                if self.lists.is_empty() {
                    self.out.push(Line::default());
                }
            }
            TagEnd::Heading(_) => {
                self.flush();
                self.styles.pop();
                self.out.push(Line::default());
            }
            TagEnd::BlockQuote(_) => {
                self.flush();
                self.quote = self.quote.saturating_sub(1);
            }
            TagEnd::CodeBlock => {
                let code = self.code.take().unwrap_or_default();
                self.code_block(&code);
                if self.lists.is_empty() {
                    self.out.push(Line::default());
                }
            }
            TagEnd::List(_) => {
                self.flush();
                self.lists.pop();
                if self.lists.is_empty() {
                    self.blank();
                }
            }
            TagEnd::Item => self.flush(),
            TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough => {
                self.styles.pop();
            }
            TagEnd::Link => {
                self.styles.pop();
                if let Some(url) = self.link.take() {
                    let text: String = self.inline.iter().map(|(t, _)| t.as_str()).collect();
                    if !text.ends_with(url.as_str()) {
                        self.inline.push((format!(" ({url})"), self.theme.dim));
                    }
                }
            }
            _ => {}
        }
    }

    fn code_block(&mut self, code: &str) {
        let indent = format!(
            "{}{}",
            self.indent(),
            if self.lists.is_empty() { "" } else { "  " }
        );
        let bar = format!("{indent}│ ");
        let room = self.width.saturating_sub(bar.width()).max(4);
        self.blocks.push(self.out.len());
        for raw in code.trim_end_matches('\n').split('\n') {
            let raw = raw.replace('\t', "    ");
            let mut rest = raw.as_str();
            loop {
                let (head, tail) = split_at_width(rest, room);
                self.out.push(Line::from(vec![
                    Span::styled(bar.clone(), self.theme.dim),
                    Span::styled(head.to_string(), self.theme.code_block),
                ]));
                if tail.is_empty() {
                    break;
                }
                rest = tail;
            }
        }
    }

    /// Wraps the collected inline text into lines.
    fn flush(&mut self) {
        if self.inline.is_empty() {
            return;
        }
        let fragments = std::mem::take(&mut self.inline);
        let base = self.indent();
        let marker = self.pending_marker.take();
        let first = format!("{base}{}", marker.as_deref().unwrap_or(""));
        let next = format!(
            "{base}{}",
            " ".repeat(marker.as_deref().map_or(0, |m| m.width()))
        );
        let lines = wrap(&fragments, self.width, &first, &next, self.theme.dim);
        self.out.extend(lines);
    }
}

/// Word-wraps styled text to `width` columns. The first line starts with
/// `first`, the others with `next` (a hanging indent), both in
/// `prefix_style`. Words longer than a line are cut, never lost.
pub fn wrap(
    fragments: &[(String, Style)],
    width: usize,
    first: &str,
    next: &str,
    prefix_style: Style,
) -> Vec<Line<'static>> {
    let mut lines: Vec<Line<'static>> = Vec::new();
    let mut cur: Vec<Span<'static>> = vec![Span::styled(first.to_string(), prefix_style)];
    let mut cur_w = first.width();
    let next_w = next.width();
    let limit = width.max(next_w + 1);
    let mut at_line_start = true;

    for (text, style) in fragments {
        let style = *style;
        for token in tokens(text) {
            if token.chars().all(char::is_whitespace) {
                if !at_line_start && cur_w < limit {
                    cur.push(Span::styled(" ", style));
                    cur_w += 1;
                }
                continue;
            }
            let mut word = token;
            loop {
                let w = word.width();
                if cur_w + w <= limit {
                    cur.push(Span::styled(word.to_string(), style));
                    cur_w += w;
                    at_line_start = false;
                    break;
                }
                if !at_line_start && w <= limit - next_w {
                    // Move the word to a fresh line.
                    trim_trailing_space(&mut cur);
                    lines.push(Line::from(std::mem::take(&mut cur)));
                    cur.push(Span::styled(next.to_string(), prefix_style));
                    cur_w = next_w;
                    at_line_start = true;
                    continue;
                }
                // Longer than a line: cut it.
                let room = limit.saturating_sub(cur_w).max(1);
                let (head, tail) = split_at_width(word, room);
                cur.push(Span::styled(head.to_string(), style));
                lines.push(Line::from(std::mem::take(&mut cur)));
                cur.push(Span::styled(next.to_string(), prefix_style));
                cur_w = next_w;
                at_line_start = true;
                if tail.is_empty() {
                    break;
                }
                word = tail;
            }
        }
    }
    trim_trailing_space(&mut cur);
    if !at_line_start {
        lines.push(Line::from(cur));
    }
    lines
}

fn trim_trailing_space(spans: &mut Vec<Span<'static>>) {
    while spans.len() > 1 && spans.last().is_some_and(|s| s.content == " ") {
        spans.pop();
    }
}

/// Words and runs of spaces, in order.
fn tokens(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut in_space = None;
    for (i, c) in text.char_indices() {
        let space = c.is_whitespace();
        match in_space {
            Some(prev) if prev != space => {
                out.push(&text[start..i]);
                start = i;
            }
            _ => {}
        }
        in_space = Some(space);
    }
    if start < text.len() {
        out.push(&text[start..]);
    }
    out
}

/// Splits so that the head is at most `width` columns wide (at least one
/// character, so progress is always made).
fn split_at_width(s: &str, width: usize) -> (&str, &str) {
    let mut w = 0;
    for (i, c) in s.char_indices() {
        let cw = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if w + cw > width && i > 0 {
            return (&s[..i], &s[i..]);
        }
        w += cw;
    }
    (s, "")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(lines: &[Line<'_>]) -> Vec<String> {
        lines
            .iter()
            .map(|l| {
                l.spans
                    .iter()
                    .map(|s| s.content.as_ref())
                    .collect::<String>()
            })
            .collect()
    }

    fn render_plain(md: &str, width: u16) -> Vec<String> {
        plain(&render(md, width, &Theme::new(false)))
    }

    #[test]
    fn heading_and_paragraph() {
        let out = render_plain("# Title\n\nSome *text* here.\n", 40);
        assert_eq!(out, ["Title", "", "Some text here."]);
    }

    #[test]
    fn wraps_words_with_hanging_indent_in_lists() {
        let out = render_plain("- one two three four five six\n- b\n", 16);
        assert_eq!(out, ["• one two three", "  four five six", "• b"]);
        for line in &out {
            assert!(line.width() <= 16, "{line:?}");
        }
    }

    #[test]
    fn ordered_lists_count() {
        let out = render_plain("3. a\n4. b\n", 20);
        assert_eq!(out, ["3. a", "4. b"]);
    }

    #[test]
    fn code_blocks_keep_lines_and_get_a_bar() {
        let out = render_plain("```bash\ndocker build -t my-docker-app .\n```\n", 80);
        assert_eq!(out, ["│ docker build -t my-docker-app ."]);
    }

    #[test]
    fn code_blocks_say_where_they_start() {
        let md = "Intro\n\n```bash\ndocker build .\n```\n\nThen\n\n```\ndocker run x\n```\n";
        let (lines, blocks) = render_with_blocks(md, 40, &Theme::new(false));
        assert_eq!(blocks, [2, 6], "{lines:?}");
        for b in blocks {
            assert!(lines[b].to_string().starts_with("│ docker"));
        }
    }

    #[test]
    fn long_code_lines_wrap_inside_the_bar() {
        let out = render_plain("```\nabcdefghijkl\n```\n", 10);
        assert_eq!(out, ["│ abcdefgh", "│ ijkl"]);
    }

    #[test]
    fn long_words_are_cut_not_lost() {
        let out = render_plain("aaaaaaaaaaaaaaaaaaaa", 10);
        assert_eq!(out.concat(), "aaaaaaaaaaaaaaaaaaaa");
        assert!(out.iter().all(|l| l.width() <= 10));
    }

    #[test]
    fn links_show_their_address() {
        let out = render_plain("[Docker](https://docs.docker.com)", 80);
        assert_eq!(out, ["Docker (https://docs.docker.com)"]);
    }

    #[test]
    fn inline_code_is_styled() {
        let lines = render("run `docker images` now", 80, &Theme::new(true));
        let code = lines[0]
            .spans
            .iter()
            .find(|s| s.content == "docker")
            .unwrap();
        assert_eq!(code.style, Theme::new(true).code);
    }
}
