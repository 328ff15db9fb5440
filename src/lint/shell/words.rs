//! Words: quotes removed, `$…` expansions and command substitutions (whose
//! commands count too), and redirections with their here-documents.

use super::commands::is_assignment;
use super::{Fail, Parser, Res, Stop, Word};

impl Parser<'_> {
    pub(super) fn skip_quoted(&mut self, q: char) -> Res<()> {
        while let Some(c) = self.peek() {
            self.pos += 1;
            if c == q {
                return Ok(());
            }
            if c == '\\' && q == '"' {
                self.pos += 1;
            }
        }
        Err(Fail)
    }

    /// Redirections after a compound command.
    pub(super) fn redirections(&mut self) -> Res<()> {
        loop {
            self.skip_space(false);
            if !self.try_redirection()? {
                return Ok(());
            }
        }
    }

    /// Reads one redirection at the cursor, if there is one.
    pub(super) fn try_redirection(&mut self) -> Res<bool> {
        let start = self.pos;
        // `2>`, `{fd}>`: an fd number directly before the operator.
        let mut p = self.pos;
        while self.s.get(p).is_some_and(char::is_ascii_digit) {
            p += 1;
        }
        if p == self.pos && self.peek() == Some('{') {
            let mut q = p + 1;
            while self
                .s
                .get(q)
                .is_some_and(|c| c.is_ascii_alphanumeric() || *c == '_')
            {
                q += 1;
            }
            if self.s.get(q) == Some(&'}') {
                p = q + 1;
            }
        }
        let op_start = p;
        let at = |i: usize| self.s.get(i).copied();
        let op: &str = match (at(p), at(p + 1), at(p + 2)) {
            (Some('&'), Some('>'), Some('>')) if p == start => "&>>",
            (Some('&'), Some('>'), _) if p == start => "&>",
            (Some('<'), Some('<'), Some('<')) => "<<<",
            (Some('<'), Some('<'), Some('-')) => "<<-",
            (Some('<'), Some('<'), _) => "<<",
            (Some('>'), Some('>'), _) => ">>",
            (Some('<'), Some('&'), _) => "<&",
            (Some('>'), Some('&'), _) => ">&",
            (Some('<'), Some('>'), _) => "<>",
            (Some('>'), Some('|'), _) => ">|",
            (Some('<'), _, _) => "<",
            (Some('>'), _, _) => ">",
            _ => {
                self.pos = start;
                return Ok(false);
            }
        };
        if (op == "<" || op == ">") && at(p + 1) == Some('(') {
            // Process substitution `<(…)` is a word, not a redirection.
            self.pos = start;
            return Ok(false);
        }
        self.pos = op_start + op.len();
        self.skip_space(false);
        if matches!(op, ">&" | "<&") && self.peek() == Some('-') {
            self.pos += 1;
            return Ok(true);
        }
        let target = self.nonempty_word()?;
        if target.raw.is_empty() {
            return Err(Fail);
        }
        if op == "<<" || op == "<<-" {
            self.heredocs.push((target.text, op == "<<-"));
        }
        Ok(true)
    }

    /// Reads one word; an operator where a word must be is a syntax error.
    pub(super) fn nonempty_word(&mut self) -> Res<Word> {
        let w = self.word()?;
        if w.raw.is_empty() { Err(Fail) } else { Ok(w) }
    }

    /// Reads one word (possibly empty if the cursor is at an operator).
    pub(super) fn word(&mut self) -> Res<Word> {
        let mut w = Word {
            literal: true,
            ..Word::default()
        };
        let start = self.pos;
        while let Some(c) = self.peek() {
            match c {
                ' ' | '\t' | '\n' | '\r' | ';' | '&' | '|' | ')' | '<' | '>' => {
                    if (c == '<' || c == '>') && self.peek_at(1) == Some('(') {
                        // Process substitution.
                        self.pos += 2;
                        self.subshell_text(')')?;
                        w.text.push_str("${VAR}");
                        w.literal = false;
                        continue;
                    }
                    break;
                }
                '(' => {
                    // Array assignment `a=(1 2)`.
                    let raw: String = self.s[start..self.pos].iter().collect();
                    if raw.ends_with('=') && is_assignment(&raw) {
                        self.pos += 1;
                        self.skip_balanced_parens(1)?;
                        w.literal = false;
                        continue;
                    }
                    break;
                }
                '\\' => {
                    self.pos += 1;
                    match self.peek() {
                        Some('\n') => self.pos += 1,
                        Some(e) => {
                            w.text.push(e);
                            self.pos += 1;
                        }
                        None => w.text.push('\\'),
                    }
                }
                '\'' => {
                    self.pos += 1;
                    loop {
                        match self.peek() {
                            None => return Err(Fail),
                            Some('\'') => {
                                self.pos += 1;
                                break;
                            }
                            Some(ch) => {
                                w.text.push(ch);
                                self.pos += 1;
                            }
                        }
                    }
                }
                '"' => {
                    self.pos += 1;
                    self.double_quoted(&mut w)?;
                }
                '$' => self.dollar(&mut w, false)?,
                '`' => {
                    self.pos += 1;
                    self.backticks()?;
                    w.text.push_str("${VAR}");
                    w.literal = false;
                }
                '*' | '?' => {
                    w.text.push(c);
                    w.literal = false;
                    self.pos += 1;
                }
                _ => {
                    w.text.push(c);
                    self.pos += 1;
                }
            }
        }
        w.raw = self.s[start..self.pos].iter().collect();
        Ok(w)
    }

    pub(super) fn double_quoted(&mut self, w: &mut Word) -> Res<()> {
        loop {
            match self.peek() {
                None => return Err(Fail),
                Some('"') => {
                    self.pos += 1;
                    return Ok(());
                }
                Some('\\') => {
                    self.pos += 1;
                    match self.peek() {
                        Some('\n') => self.pos += 1,
                        Some(e @ ('$' | '`' | '"' | '\\')) => {
                            w.text.push(e);
                            self.pos += 1;
                        }
                        _ => w.text.push('\\'),
                    }
                }
                Some('$') => self.dollar(w, true)?,
                Some('`') => {
                    self.pos += 1;
                    self.backticks()?;
                    w.text.push_str("${VAR}");
                    w.literal = false;
                }
                Some(c) => {
                    w.text.push(c);
                    self.pos += 1;
                }
            }
        }
    }

    /// A `$` expansion at the cursor.
    pub(super) fn dollar(&mut self, w: &mut Word, quoted: bool) -> Res<()> {
        self.pos += 1;
        match self.peek() {
            Some('(') if self.peek_at(1) == Some('(') => {
                self.pos += 2;
                self.skip_balanced_parens(2)?;
                w.text.push_str("${VAR}");
                w.literal = false;
            }
            Some('(') => {
                self.pos += 1;
                let inner = self.subshell_text(')')?;
                w.text.push_str("${");
                w.text.push_str(&inner);
                w.text.push('}');
                w.literal = false;
            }
            Some('{') => {
                self.pos += 1;
                let start = self.pos;
                let mut depth = 1;
                loop {
                    match self.peek() {
                        None => return Err(Fail),
                        Some('{') => depth += 1,
                        Some('}') => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        Some(q @ ('\'' | '"')) => {
                            self.pos += 1;
                            self.skip_quoted(q)?;
                            continue;
                        }
                        Some('\\') => self.pos += 1,
                        Some('$') => {
                            // `${x:-$(cmd)}`: nested expansions hold commands too.
                            let mut nested = Word::default();
                            self.dollar(&mut nested, true)?;
                            continue;
                        }
                        Some('`') => {
                            self.pos += 1;
                            self.backticks()?;
                            continue;
                        }
                        _ => {}
                    }
                    self.pos += 1;
                }
                let inner: String = self.s[start..self.pos].iter().collect();
                self.pos += 1;
                w.text.push_str("${");
                w.text.push_str(&inner);
                w.text.push('}');
                w.literal = false;
            }
            Some('\'') if !quoted => {
                // $'…' ANSI-C quoting: literal text.
                self.pos += 1;
                loop {
                    match self.peek() {
                        None => return Err(Fail),
                        Some('\'') => {
                            self.pos += 1;
                            break;
                        }
                        Some('\\') => {
                            w.text.push('\\');
                            self.pos += 1;
                            if let Some(e) = self.peek() {
                                w.text.push(e);
                                self.pos += 1;
                            }
                        }
                        Some(ch) => {
                            w.text.push(ch);
                            self.pos += 1;
                        }
                    }
                }
            }
            Some('"') if !quoted => {
                self.pos += 1;
                self.double_quoted(w)?;
            }
            Some(c) if c.is_ascii_alphabetic() || c == '_' => {
                let start = self.pos;
                while self
                    .peek()
                    .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
                {
                    self.pos += 1;
                }
                let name: String = self.s[start..self.pos].iter().collect();
                w.text.push_str("${");
                w.text.push_str(&name);
                w.text.push('}');
                w.literal = false;
            }
            Some(c) if c.is_ascii_digit() || "@*#?-$!".contains(c) => {
                self.pos += 1;
                w.text.push_str("${");
                w.text.push(c);
                w.text.push('}');
                w.literal = false;
            }
            _ => w.text.push('$'),
        }
        Ok(())
    }

    /// Parses a `$(…)` body in place (cursor after the `(`) and returns the
    /// concatenated words of its commands, as hadolint simplifies them.
    pub(super) fn subshell_text(&mut self, close: char) -> Res<String> {
        let before = self.commands.len();
        if self.list(&[])? != Stop::Paren || self.peek() != Some(close) {
            return Err(Fail);
        }
        self.pos += 1;
        let mut text = String::new();
        for c in &self.commands[before..] {
            text.push_str(&c.name);
            for a in &c.args {
                text.push_str(a);
            }
        }
        Ok(text)
    }

    /// Parses a backtick command substitution (cursor after the opening `` ` ``).
    pub(super) fn backticks(&mut self) -> Res<()> {
        let mut inner = String::new();
        loop {
            match self.peek() {
                None => return Err(Fail),
                Some('`') => {
                    self.pos += 1;
                    break;
                }
                Some('\\') => {
                    self.pos += 1;
                    match self.peek() {
                        Some(e @ ('`' | '\\' | '$')) => inner.push(e),
                        Some(e) => {
                            inner.push('\\');
                            inner.push(e);
                        }
                        None => return Err(Fail),
                    }
                    self.pos += 1;
                }
                Some(c) => {
                    inner.push(c);
                    self.pos += 1;
                }
            }
        }
        let chars: Vec<char> = inner.chars().collect();
        let mut sub = Parser {
            s: &chars,
            pos: 0,
            commands: Vec::new(),
            pipes: false,
            heredocs: Vec::new(),
        };
        sub.script()?;
        self.pipes |= sub.pipes;
        self.commands.extend(sub.commands);
        Ok(())
    }
}
