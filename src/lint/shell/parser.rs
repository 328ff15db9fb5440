//! The parser's cursor, blanks and comments, here-document bodies, and the
//! grammar above single commands: lists, `&&`/`||` chains and pipelines.

use super::{Fail, Parser, RESERVED_CLOSERS, Res, Stop};

impl Parser<'_> {
    pub(super) fn peek(&self) -> Option<char> {
        self.s.get(self.pos).copied()
    }

    pub(super) fn peek_at(&self, n: usize) -> Option<char> {
        self.s.get(self.pos + n).copied()
    }

    pub(super) fn starts_with(&self, pat: &str) -> bool {
        let mut rest = self.s.get(self.pos..).unwrap_or_default().iter();
        pat.chars().all(|c| rest.next() == Some(&c))
    }

    pub(super) fn script(&mut self) -> Res<()> {
        match self.list(&[])? {
            Stop::Eof => Ok(()),
            _ => Err(Fail),
        }
    }

    /// Skips blanks, escaped newlines and (if `newlines`) newlines and comments.
    pub(super) fn skip_space(&mut self, newlines: bool) {
        loop {
            match self.peek() {
                Some(' ' | '\t' | '\r') => self.pos += 1,
                Some('\\') if self.peek_at(1) == Some('\n') => self.pos += 2,
                Some('\n') if newlines => self.newline(),
                Some('#') if newlines => self.skip_comment(),
                _ => return,
            }
        }
    }

    pub(super) fn skip_comment(&mut self) {
        while let Some(c) = self.peek() {
            if c == '\n' {
                return;
            }
            self.pos += 1;
        }
    }

    /// Consumes a newline and the bodies of pending here-documents.
    pub(super) fn newline(&mut self) {
        self.pos += 1;
        let pending = std::mem::take(&mut self.heredocs);
        for (delim, strip_tabs) in pending {
            loop {
                if self.pos >= self.s.len() {
                    return;
                }
                let start = self.pos;
                while self.pos < self.s.len() && self.s[self.pos] != '\n' {
                    self.pos += 1;
                }
                let line: String = self.s[start..self.pos].iter().collect();
                if self.pos < self.s.len() {
                    self.pos += 1;
                }
                let line = if strip_tabs {
                    line.trim_start_matches('\t')
                } else {
                    line.as_str()
                };
                if line == delim {
                    break;
                }
            }
        }
    }

    /// Reads commands until EOF, `)`, a case-item end or a reserved word in `stops`.
    pub(super) fn list(&mut self, stops: &[&str]) -> Res<Stop> {
        loop {
            self.skip_space(true);
            match self.peek() {
                None => return Ok(Stop::Eof),
                Some(')') => return Ok(Stop::Paren),
                Some(';') if self.peek_at(1) == Some(';') || self.peek_at(1) == Some('&') => {
                    return Ok(Stop::CaseEnd);
                }
                Some(';' | '&' | '|') => return Err(Fail),
                _ => {}
            }
            if let Some(word) = self.peek_reserved() {
                if stops.contains(&word.as_str()) {
                    self.pos += word.chars().count();
                    return Ok(Stop::Word(word));
                }
                if RESERVED_CLOSERS.contains(&word.as_str()) {
                    return Err(Fail);
                }
            }
            self.and_or()?;
            // A separator, or the end of this list.
            self.skip_space(false);
            match self.peek() {
                Some(';') if self.peek_at(1) != Some(';') && self.peek_at(1) != Some('&') => {
                    self.pos += 1
                }
                Some('&') if self.peek_at(1) != Some('&') => self.pos += 1,
                Some('\n') => self.newline(),
                Some('#') => self.skip_comment(),
                None | Some(')' | ';') => {}
                Some(_) => return Err(Fail),
            }
        }
    }

    /// The reserved word at the cursor, if the next word is one.
    pub(super) fn peek_reserved(&self) -> Option<String> {
        let mut end = self.pos;
        while let Some(&c) = self.s.get(end) {
            if matches!(
                c,
                ' ' | '\t' | '\n' | '\r' | ';' | '&' | '|' | '(' | ')' | '<' | '>'
            ) {
                break;
            }
            end += 1;
        }
        let w: String = self.s[self.pos..end].iter().collect();
        const RESERVED: &[&str] = &[
            "if", "then", "elif", "else", "fi", "do", "done", "while", "until", "for", "select",
            "case", "esac", "in", "{", "}", "!", "function", "[[", "[", "time",
        ];
        RESERVED.contains(&w.as_str()).then_some(w)
    }

    pub(super) fn and_or(&mut self) -> Res<()> {
        self.pipeline()?;
        loop {
            self.skip_space(false);
            if self.starts_with("&&") || self.starts_with("||") {
                self.pos += 2;
                self.skip_space(true);
                self.pipeline()?;
            } else {
                return Ok(());
            }
        }
    }

    pub(super) fn pipeline(&mut self) -> Res<()> {
        self.skip_space(false);
        if self.peek_reserved().as_deref() == Some("!") {
            self.pos += 1;
            self.skip_space(false);
        }
        self.command()?;
        loop {
            self.skip_space(false);
            if self.peek() == Some('|') && self.peek_at(1) != Some('|') {
                self.pos += if self.peek_at(1) == Some('&') { 2 } else { 1 };
                self.pipes = true;
                self.skip_space(true);
                self.command()?;
            } else {
                return Ok(());
            }
        }
    }

    pub(super) fn expect_stop(&mut self, stops: &[&str]) -> Res<String> {
        match self.list(stops)? {
            Stop::Word(w) => Ok(w),
            _ => Err(Fail),
        }
    }
}
