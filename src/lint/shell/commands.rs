//! Single commands: compound ones (`if`, `for`, `while`, `case`, `{ … }`,
//! subshells, `(( … ))`, `[[ … ]]`, functions) and simple ones, whose name
//! ShellCheck reads through wrappers such as `command` and `exec`.

use super::{Command, Fail, Parser, Res, Stop, Word};

impl Parser<'_> {
    pub(super) fn command(&mut self) -> Res<()> {
        self.skip_space(false);
        match self.peek() {
            None => return Err(Fail),
            Some('(') if self.peek_at(1) == Some('(') => {
                self.pos += 2;
                self.skip_balanced_parens(2)?;
                return self.redirections();
            }
            Some('(') => {
                self.pos += 1;
                if self.list(&[])? != Stop::Paren {
                    return Err(Fail);
                }
                self.pos += 1;
                return self.redirections();
            }
            _ => {}
        }
        match self.peek_reserved().as_deref() {
            Some("{") => {
                self.pos += 1;
                self.expect_stop(&["}"])?;
                self.redirections()
            }
            Some("if") => {
                self.pos += 2;
                self.expect_stop(&["then"])?;
                loop {
                    match self.expect_stop(&["elif", "else", "fi"])?.as_str() {
                        "elif" => {
                            self.expect_stop(&["then"])?;
                        }
                        "else" => {
                            self.expect_stop(&["fi"])?;
                            break;
                        }
                        _ => break,
                    }
                }
                self.redirections()
            }
            Some(w @ ("while" | "until")) => {
                self.pos += w.len();
                self.expect_stop(&["do"])?;
                self.expect_stop(&["done"])?;
                self.redirections()
            }
            Some(w @ ("for" | "select")) => {
                self.pos += w.len();
                self.skip_space(false);
                if self.starts_with("((") {
                    self.pos += 2;
                    self.skip_balanced_parens(2)?;
                } else {
                    // `for NAME [in WORDS]` up to a separator.
                    loop {
                        self.skip_space(false);
                        match self.peek() {
                            None => return Err(Fail),
                            Some(';' | '\n') => break,
                            Some(_) => {
                                if self.peek_reserved().as_deref() == Some("do") {
                                    break;
                                }
                                self.nonempty_word()?;
                            }
                        }
                    }
                }
                self.skip_space(false);
                if self.peek() == Some(';') {
                    self.pos += 1;
                }
                self.expect_stop(&["do"])?;
                self.expect_stop(&["done"])?;
                self.redirections()
            }
            Some("case") => {
                self.pos += 4;
                self.skip_space(false);
                self.nonempty_word()?;
                self.skip_space(true);
                if self.peek_reserved().as_deref() != Some("in") {
                    return Err(Fail);
                }
                self.pos += 2;
                loop {
                    self.skip_space(true);
                    if self.peek_reserved().as_deref() == Some("esac") {
                        self.pos += 4;
                        break;
                    }
                    if self.peek() == Some('(') {
                        self.pos += 1;
                    }
                    // Patterns separated by `|`, up to `)`.
                    loop {
                        self.skip_space(false);
                        match self.peek() {
                            Some(')') => {
                                self.pos += 1;
                                break;
                            }
                            Some('|') => self.pos += 1,
                            None | Some('\n' | ';') => return Err(Fail),
                            Some(_) => {
                                self.nonempty_word()?;
                            }
                        }
                    }
                    match self.list(&["esac"])? {
                        Stop::CaseEnd => {
                            while self.peek() == Some(';') || self.peek() == Some('&') {
                                self.pos += 1;
                            }
                        }
                        Stop::Word(_) => break,
                        _ => return Err(Fail),
                    }
                }
                self.redirections()
            }
            Some("function") => {
                self.pos += 8;
                self.skip_space(false);
                self.nonempty_word()?;
                self.skip_space(false);
                if self.starts_with("()") {
                    self.pos += 2;
                }
                self.skip_space(true);
                self.command()
            }
            Some("[[") => {
                self.pos += 2;
                self.skip_until_word("]]")?;
                self.redirections()
            }
            // ShellCheck reads `[ … ]` as a condition, not as a command.
            Some("[") => {
                self.pos += 1;
                self.skip_until_word("]")?;
                self.redirections()
            }
            // `time [-p] PIPELINE`: `time` and the timed commands.
            Some("time") => {
                self.pos += 4;
                let at = self.commands.len();
                self.commands.push(Command {
                    name: "time".into(),
                    args: Vec::new(),
                });
                loop {
                    self.skip_space(false);
                    if self.peek() != Some('-') {
                        break;
                    }
                    let flag = self.nonempty_word()?;
                    if let Some(time) = self.commands.get_mut(at) {
                        time.args.push(flag.text);
                    }
                }
                match self.peek() {
                    None | Some(';' | '&' | '|' | ')' | '\n' | '#') => Ok(()),
                    _ => self.pipeline(),
                }
            }
            Some(_) => Err(Fail),
            None => self.simple_command(),
        }
    }

    /// Skips to the matching `))` of an arithmetic `((` (depth 2 already open).
    pub(super) fn skip_balanced_parens(&mut self, mut depth: usize) -> Res<()> {
        while let Some(c) = self.peek() {
            // Command substitutions inside arithmetic are still commands.
            if c == '$' && self.peek_at(1) == Some('(') && self.peek_at(2) != Some('(') {
                self.pos += 2;
                self.subshell_text(')')?;
                continue;
            }
            self.pos += 1;
            match c {
                '`' => self.backticks()?,
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    if depth == 0 {
                        return Ok(());
                    }
                }
                '\'' | '"' => self.skip_quoted(c)?,
                _ => {}
            }
        }
        Err(Fail)
    }

    /// Skips words until the word `end` (for `[[ … ]]`).
    pub(super) fn skip_until_word(&mut self, end: &str) -> Res<()> {
        loop {
            self.skip_space(true);
            if self.peek().is_none() {
                return Err(Fail);
            }
            let start = self.pos;
            while let Some(c) = self.peek() {
                if matches!(c, ' ' | '\t' | '\n' | ';') {
                    break;
                }
                match c {
                    '\'' | '"' => {
                        self.pos += 1;
                        self.skip_quoted(c)?;
                    }
                    _ => self.pos += 1,
                }
            }
            let w: String = self.s[start..self.pos].iter().collect();
            if w == end {
                return Ok(());
            }
            if self.peek() == Some(';') {
                return Err(Fail);
            }
        }
    }

    pub(super) fn simple_command(&mut self) -> Res<()> {
        let mut words: Vec<Word> = Vec::new();
        let mut nested_start = None;
        let mut anything = false;
        loop {
            self.skip_space(false);
            match self.peek() {
                None | Some(';' | '&' | '|' | ')' | '\n') if !(self.starts_with("&>")) => break,
                Some('#') => break,
                Some('(') => {
                    // `name() { … }`: a function definition.
                    if words.len() == 1 && self.peek_at(1) == Some(')') {
                        self.pos += 2;
                        self.skip_space(true);
                        return self.command();
                    }
                    return Err(Fail);
                }
                _ => {}
            }
            if self.try_redirection()? {
                anything = true;
                continue;
            }
            anything = true;
            if nested_start.is_none() {
                nested_start = Some(self.commands.len());
            }
            let w = self.nonempty_word()?;
            if w.raw.is_empty() {
                return Err(Fail);
            }
            if words.is_empty() && is_assignment(&w.raw) {
                continue;
            }
            words.push(w);
        }
        if !anything {
            return Err(Fail);
        }
        let Some(first) = words.first() else {
            return Ok(());
        };
        let name = if first.literal {
            effective_name(&first.text, &words[1..])
        } else {
            None
        };
        if let Some(name) = name {
            let cmd = Command {
                name,
                args: words[1..].iter().map(|w| w.text.clone()).collect(),
            };
            // Keep outer commands before the ones nested in their words.
            let at = nested_start.unwrap_or(self.commands.len());
            self.commands.insert(at, cmd);
        }
        Ok(())
    }
}

/// `NAME=…`, `NAME+=…` or `NAME[i]=…`.
pub(super) fn is_assignment(raw: &str) -> bool {
    let Some(eq) = raw.find('=') else {
        return false;
    };
    let mut name = &raw[..eq];
    name = name.strip_suffix('+').unwrap_or(name);
    if let Some(open) = name.find('[') {
        if !name.ends_with(']') {
            return false;
        }
        name = &name[..open];
    }
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// ShellCheck's command name: looks through `command`, `builtin`, `busybox`,
/// `run` and `exec` (with its `-c`, `-l`, `-a NAME` options).
fn effective_name(first: &str, rest: &[Word]) -> Option<String> {
    let target = match first {
        "busybox" | "builtin" | "command" | "run" => {
            rest.first().filter(|w| !w.text.starts_with('-'))
        }
        "exec" => {
            let mut i = 0;
            let mut found = None;
            let mut ok = true;
            while i < rest.len() {
                let t = &rest[i].text;
                if t == "--" {
                    found = rest.get(i + 1);
                    break;
                }
                if let Some(opts) = t.strip_prefix('-').filter(|o| !o.is_empty()) {
                    if !opts.chars().all(|c| matches!(c, 'c' | 'l' | 'a')) {
                        ok = false;
                        break;
                    }
                    i += if opts.ends_with('a') { 2 } else { 1 };
                    continue;
                }
                found = Some(&rest[i]);
                break;
            }
            if ok { found } else { None }
        }
        _ => None,
    };
    match target {
        None => Some(first.to_string()),
        Some(w) if w.literal => Some(w.text.clone()),
        Some(_) => None,
    }
}
