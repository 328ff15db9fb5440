//! The output pane's scrollback: untrusted bytes from builds and containers
//! turned into plain styled lines.
//!
//! Bytes go through a real escape-sequence parser (`vte`, the one behind
//! Alacritty). We keep what carries meaning — text, colours and bold (SGR),
//! newlines, `\r` (so pip's progress bars redraw one line instead of
//! printing hundreds), tabs, backspace and erase-in-line — and drop
//! everything else: cursor movement, screen clears, titles, clipboard
//! writes (OSC 52), mode switches, other control characters. What reaches
//! the screen is only ever printable text inside the pane.
//!
//! Memory is bounded: at most `max_lines` lines of at most `max_line_len`
//! characters each; older lines are dropped and counted.
//!
//! The app's own lines ("$ docker build …", "✓ built …") are notes: they
//! carry a meaning ([`Note`]), not a colour; the view picks the colours.

pub mod plain;
mod sgr;

use std::collections::VecDeque;

use ratatui::style::Style;

pub const DEFAULT_MAX_LINES: usize = 5000;
pub const DEFAULT_MAX_LINE_LEN: usize = 1000;

/// What one of the app's own lines means; the view's theme colours it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Note {
    /// The docker CLI command a job stands for.
    Command,
    Pass,
    Fail,
    Warning,
    /// Background information (context size, what to do next).
    Info,
}

/// One finished line: styled runs of text (the styles come from the
/// output's own colour codes), or one of the app's notes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Line {
    pub spans: Vec<(Style, String)>,
    /// `Some` for the app's own lines: one unstyled span, coloured by the view.
    pub note: Option<Note>,
}

impl Line {
    pub fn text(&self) -> String {
        self.spans.iter().map(|(_, s)| s.as_str()).collect()
    }
}

pub struct Scrollback {
    lines: VecDeque<Line>,
    /// The line being written: cells so that `\r` can overwrite in place.
    current: Vec<(char, Style)>,
    cursor: usize,
    /// The current line overflowed and was cut.
    cut: bool,
    style: Style,
    parser: vte::Parser,
    max_lines: usize,
    max_line_len: usize,
    dropped: u64,
    /// Bumped on every change, so the view knows when to follow the tail.
    generation: u64,
}

impl std::fmt::Debug for Scrollback {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Scrollback")
            .field("lines", &self.lines.len())
            .field("dropped", &self.dropped)
            .finish()
    }
}

impl Default for Scrollback {
    fn default() -> Self {
        Scrollback::new(DEFAULT_MAX_LINES, DEFAULT_MAX_LINE_LEN)
    }
}

impl Scrollback {
    pub fn new(max_lines: usize, max_line_len: usize) -> Scrollback {
        Scrollback {
            lines: VecDeque::new(),
            current: Vec::new(),
            cursor: 0,
            cut: false,
            style: Style::default(),
            parser: vte::Parser::new(),
            max_lines: max_lines.max(1),
            max_line_len: max_line_len.max(8),
            dropped: 0,
            generation: 0,
        }
    }

    /// Feeds raw bytes (any bytes: invalid UTF-8 becomes U+FFFD).
    pub fn push_bytes(&mut self, bytes: &[u8]) {
        let mut parser = std::mem::take(&mut self.parser);
        parser.advance(self, bytes);
        self.parser = parser;
        self.generation = self.generation.wrapping_add(1);
    }

    pub fn push_str(&mut self, s: &str) {
        self.push_bytes(s.as_bytes());
    }

    /// Adds a whole line of our own (not parsed), e.g. "$ docker build …".
    pub fn push_note(&mut self, note: Note, text: &str) {
        self.finish_line();
        self.commit(Line {
            spans: vec![(
                Style::default(),
                text.chars().filter(|c| !c.is_control()).collect(),
            )],
            note: Some(note),
        });
        self.generation = self.generation.wrapping_add(1);
    }

    pub fn clear(&mut self) {
        *self = Scrollback::new(self.max_lines, self.max_line_len);
    }

    /// Number of lines, counting the unfinished one if it has text.
    pub fn len(&self) -> usize {
        self.lines.len() + usize::from(!self.current.is_empty())
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn dropped(&self) -> u64 {
        self.dropped
    }

    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Lines `start..start+count` (the unfinished line last).
    pub fn window(&self, start: usize, count: usize) -> Vec<Line> {
        let mut out: Vec<Line> = self.lines.iter().skip(start).take(count).cloned().collect();
        if out.len() < count && !self.current.is_empty() && start + out.len() >= self.lines.len() {
            out.push(cells_to_line(&self.current));
        }
        out
    }

    /// Every line as plain text (for checks and tests).
    pub fn plain_text(&self) -> String {
        let mut s = String::new();
        for l in self.window(0, self.len()) {
            s.push_str(&l.text());
            s.push('\n');
        }
        s
    }

    fn finish_line(&mut self) {
        if !self.current.is_empty() || self.cut {
            let mut line = cells_to_line(&self.current);
            if self.cut {
                line.spans.push((Style::default().dim(), " …".into()));
            }
            self.commit(line);
        }
        self.current.clear();
        self.cursor = 0;
        self.cut = false;
    }

    fn newline(&mut self) {
        let line = cells_to_line(&self.current);
        let mut line = line;
        if self.cut {
            line.spans.push((Style::default().dim(), " …".into()));
        }
        self.commit(line);
        self.current.clear();
        self.cursor = 0;
        self.cut = false;
    }

    fn commit(&mut self, line: Line) {
        if self.lines.len() >= self.max_lines {
            self.lines.pop_front();
            self.dropped += 1;
        }
        self.lines.push_back(line);
    }

    fn put_char(&mut self, c: char) {
        if self.cursor >= self.max_line_len {
            self.cut = true;
            return;
        }
        let cell = (c, self.style);
        if self.cursor < self.current.len() {
            self.current[self.cursor] = cell;
        } else {
            self.current.push(cell);
        }
        self.cursor += 1;
    }
}

fn cells_to_line(cells: &[(char, Style)]) -> Line {
    let mut spans: Vec<(Style, String)> = Vec::new();
    for (c, style) in cells {
        match spans.last_mut() {
            Some((s, text)) if s == style => text.push(*c),
            _ => spans.push((*style, c.to_string())),
        }
    }
    // Trailing spaces carry nothing.
    if let Some((_, text)) = spans.last_mut() {
        let trimmed = text.trim_end().len();
        text.truncate(trimmed);
        if text.is_empty() {
            spans.pop();
        }
    }
    Line { spans, note: None }
}

/// Characters that reorder or hide text in some terminals.
pub(crate) fn is_invisible_format(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

impl vte::Perform for Scrollback {
    fn print(&mut self, c: char) {
        if c.is_control() || is_invisible_format(c) {
            return;
        }
        self.put_char(c);
    }

    fn execute(&mut self, byte: u8) {
        match byte {
            b'\n' | 0x0b | 0x0c => self.newline(),
            b'\r' => self.cursor = 0,
            b'\t' => {
                let next = (self.cursor / 8 + 1) * 8;
                while self.cursor < next && self.cursor < self.max_line_len {
                    self.put_char(' ');
                }
            }
            0x08 => self.cursor = self.cursor.saturating_sub(1),
            _ => {} // BEL, SO/SI and the rest: dropped.
        }
    }

    fn csi_dispatch(
        &mut self,
        params: &vte::Params,
        intermediates: &[u8],
        ignore: bool,
        action: char,
    ) {
        if ignore || !intermediates.is_empty() {
            return;
        }
        match action {
            'm' => self.style = sgr::apply(self.style, params),
            // Erase in line: progress bars use it to clear leftovers.
            'K' => {
                let mode = params
                    .iter()
                    .next()
                    .and_then(|p| p.first().copied())
                    .unwrap_or(0);
                match mode {
                    0 => self.current.truncate(self.cursor),
                    2 => self.current.clear(),
                    _ => {}
                }
            }
            _ => {} // Cursor moves, clears, scroll regions, modes: dropped.
        }
    }
    // OSC (titles, clipboard, hyperlinks), DCS and ESC sequences: the default
    // implementations ignore them, which is exactly what we want.
}

#[cfg(test)]
mod tests;
