//! A small shell parser: enough of POSIX sh / bash to find the simple commands
//! of a `RUN` script, their arguments and flags, and whether it uses pipes.
//!
//! It mirrors how hadolint sees a script through ShellCheck's parser:
//!
//! * every simple command whose name is a literal word is a [`Command`]; the
//!   command name looks through `command`, `builtin`, `busybox`, `run` and
//!   `exec` wrappers, while the arguments are all words after the first one;
//! * commands inside `$(…)`, backticks, subshells, `{ … }`, `if`, `for`,
//!   `while`, `case` and functions are found too;
//! * assignments (`FOO=bar cmd`) and redirections (`> file`, `2>&1`,
//!   `<<EOF` here-documents) are not arguments;
//! * quotes are removed, and variables are kept as `${NAME}`;
//! * a script that does not parse (an unclosed quote, `if` without `fi`, a
//!   dangling `&&` …) has no commands and no pipes at all, as in hadolint.

/// One simple command, e.g. `pip install --no-cache-dir flask`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Command {
    /// The command name, e.g. `pip` (for `command pip …` it is also `pip`).
    pub name: String,
    /// Every word after the first one, quotes removed.
    pub args: Vec<String>,
}

/// A parsed shell script.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct ParsedShell {
    /// The script text that was parsed.
    pub original: String,
    /// All simple commands, outer ones before the ones nested in them.
    pub commands: Vec<Command>,
    /// Whether the script has a `|` or `|&` pipe.
    pub has_pipes: bool,
}

impl ParsedShell {
    /// Parses `text`; a script that does not parse yields no commands.
    pub(crate) fn parse(text: &str) -> Self {
        let chars: Vec<char> = text.chars().collect();
        let mut parser = Parser {
            s: &chars,
            pos: 0,
            commands: Vec::new(),
            pipes: false,
            heredocs: Vec::new(),
        };
        match parser.script() {
            Ok(()) => ParsedShell {
                original: text.to_string(),
                commands: parser.commands,
                has_pipes: parser.pipes,
            },
            Err(Fail) => ParsedShell {
                original: text.to_string(),
                commands: Vec::new(),
                has_pipes: false,
            },
        }
    }

    /// Whether any command is called `name`.
    pub(crate) fn uses_program(&self, name: &str) -> bool {
        self.commands.iter().any(|c| c.name == name)
    }
}

/// A flag as hadolint extracts it from an argument: `--no-cache-dir` gives
/// `no-cache-dir`, `--index-url=x` gives `index-url`, `-qy` gives `q` and `y`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Flag<'a> {
    pub name: &'a str,
    /// Index of the argument the flag came from.
    pub arg: usize,
}

impl Command {
    /// All flags of the command (hadolint's `getAllFlags`).
    pub(crate) fn flags(&self) -> Vec<Flag<'_>> {
        let mut out = Vec::new();
        for (i, a) in self.args.iter().enumerate() {
            if a == "--" || a == "-" {
                continue;
            }
            if let Some(long) = a.strip_prefix("--") {
                let name = long.split('=').next().unwrap_or_default();
                out.push(Flag { name, arg: i });
            } else if let Some(short) = a.strip_prefix('-') {
                for (start, ch) in short.char_indices() {
                    out.push(Flag {
                        name: &short[start..start + ch.len_utf8()],
                        arg: i,
                    });
                }
            }
        }
        out
    }

    /// Whether the command has the flag `name` (without dashes).
    pub(crate) fn has_flag(&self, name: &str) -> bool {
        self.flags().iter().any(|f| f.name == name)
    }

    /// Whether one argument is exactly `arg`.
    pub(crate) fn has_arg(&self, arg: &str) -> bool {
        self.args.iter().any(|a| a == arg)
    }

    /// Whether this is `name` with any of `args` among its arguments
    /// (hadolint's `cmdHasArgs`).
    pub(crate) fn is_with_any_arg(&self, name: &str, args: &[&str]) -> bool {
        self.name == name && self.args.iter().any(|a| args.contains(&a.as_str()))
    }

    /// Whether `needle` occurs as consecutive arguments.
    pub(crate) fn has_arg_sequence(&self, needle: &[&str]) -> bool {
        needle.is_empty()
            || self
                .args
                .windows(needle.len())
                .any(|w| w.iter().zip(needle).all(|(a, b)| a == b))
    }

    /// Indices of arguments that are flags.
    fn flag_arg_indices(&self) -> Vec<usize> {
        let mut v: Vec<usize> = self.flags().iter().map(|f| f.arg).collect();
        v.dedup();
        v
    }

    /// The arguments that are not flags, after removing the value argument
    /// that follows each flag in `flags_with_values` (unless the value is
    /// inline, `--flag=value`). hadolint's `getArgsNoFlags . dropFlagArg`.
    pub(crate) fn args_no_flags(&self, flags_with_values: &[&str]) -> Vec<&str> {
        let flags = self.flags();
        let flag_args = self.flag_arg_indices();
        let mut dropped: Vec<usize> = Vec::new();
        for f in &flags {
            if flags_with_values.contains(&f.name)
                && !self.args[f.arg].contains('=')
                && f.arg + 1 < self.args.len()
            {
                dropped.push(f.arg + 1);
            }
        }
        self.args
            .iter()
            .enumerate()
            .filter(|(i, _)| !dropped.contains(i) && !flag_args.contains(i))
            .map(|(_, a)| a.as_str())
            .collect()
    }
}

/// Whether a command is `pip … install` or `python… -m pip install`
/// (hadolint's `isPipInstall`).
pub(crate) fn is_pip_install(cmd: &Command) -> bool {
    let std_pip =
        cmd.name.starts_with("pip") && !cmd.name.starts_with("pipenv") && cmd.has_arg("install");
    let python_pip =
        cmd.name.starts_with("python") && cmd.has_arg_sequence(&["-m", "pip", "install"]);
    std_pip || python_pip
}

#[derive(Debug)]
struct Fail;

type Res<T> = Result<T, Fail>;

/// A word with quotes removed (`text`, variables kept as `${NAME}`) and, if it
/// has no expansions or globs, its literal value.
#[derive(Debug, Default)]
struct Word {
    text: String,
    literal: bool,
    /// Raw characters as written, used to recognise reserved words.
    raw: String,
}

/// Why a list of commands stopped.
#[derive(Debug, PartialEq, Eq)]
enum Stop {
    Eof,
    /// A closing `)`.
    Paren,
    /// A `;;`, `;&` or `;;&` ending a `case` item.
    CaseEnd,
    /// One of the reserved words the caller asked for.
    Word(String),
}

const RESERVED_CLOSERS: &[&str] = &[
    "then", "elif", "else", "fi", "do", "done", "esac", "}", "in",
];

struct Parser<'a> {
    s: &'a [char],
    pos: usize,
    commands: Vec<Command>,
    pipes: bool,
    /// Here-documents whose bodies start at the next newline: (delimiter, strip tabs).
    heredocs: Vec<(String, bool)>,
}

impl Parser<'_> {
    fn peek(&self) -> Option<char> {
        self.s.get(self.pos).copied()
    }

    fn peek_at(&self, n: usize) -> Option<char> {
        self.s.get(self.pos + n).copied()
    }

    fn starts_with(&self, pat: &str) -> bool {
        let mut rest = self.s.get(self.pos..).unwrap_or_default().iter();
        pat.chars().all(|c| rest.next() == Some(&c))
    }

    fn script(&mut self) -> Res<()> {
        match self.list(&[])? {
            Stop::Eof => Ok(()),
            _ => Err(Fail),
        }
    }

    /// Skips blanks, escaped newlines and (if `newlines`) newlines and comments.
    fn skip_space(&mut self, newlines: bool) {
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

    fn skip_comment(&mut self) {
        while let Some(c) = self.peek() {
            if c == '\n' {
                return;
            }
            self.pos += 1;
        }
    }

    /// Consumes a newline and the bodies of pending here-documents.
    fn newline(&mut self) {
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
    fn list(&mut self, stops: &[&str]) -> Res<Stop> {
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
    fn peek_reserved(&self) -> Option<String> {
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

    fn and_or(&mut self) -> Res<()> {
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

    fn pipeline(&mut self) -> Res<()> {
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

    fn expect_stop(&mut self, stops: &[&str]) -> Res<String> {
        match self.list(stops)? {
            Stop::Word(w) => Ok(w),
            _ => Err(Fail),
        }
    }

    fn command(&mut self) -> Res<()> {
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
    fn skip_balanced_parens(&mut self, mut depth: usize) -> Res<()> {
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

    fn skip_quoted(&mut self, q: char) -> Res<()> {
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

    /// Skips words until the word `end` (for `[[ … ]]`).
    fn skip_until_word(&mut self, end: &str) -> Res<()> {
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

    /// Redirections after a compound command.
    fn redirections(&mut self) -> Res<()> {
        loop {
            self.skip_space(false);
            if !self.try_redirection()? {
                return Ok(());
            }
        }
    }

    /// Reads one redirection at the cursor, if there is one.
    fn try_redirection(&mut self) -> Res<bool> {
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

    fn simple_command(&mut self) -> Res<()> {
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

    /// Reads one word; an operator where a word must be is a syntax error.
    fn nonempty_word(&mut self) -> Res<Word> {
        let w = self.word()?;
        if w.raw.is_empty() { Err(Fail) } else { Ok(w) }
    }

    /// Reads one word (possibly empty if the cursor is at an operator).
    fn word(&mut self) -> Res<Word> {
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

    fn double_quoted(&mut self, w: &mut Word) -> Res<()> {
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
    fn dollar(&mut self, w: &mut Word, quoted: bool) -> Res<()> {
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
    fn subshell_text(&mut self, close: char) -> Res<String> {
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
    fn backticks(&mut self) -> Res<()> {
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

/// `NAME=…`, `NAME+=…` or `NAME[i]=…`.
fn is_assignment(raw: &str) -> bool {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn names(s: &str) -> Vec<String> {
        ParsedShell::parse(s)
            .commands
            .into_iter()
            .map(|c| c.name)
            .collect()
    }

    fn args(s: &str) -> Vec<Vec<String>> {
        ParsedShell::parse(s)
            .commands
            .into_iter()
            .map(|c| c.args)
            .collect()
    }

    #[test]
    fn splits_on_operators() {
        assert_eq!(
            names("a && b || c; d | e |& f & g"),
            ["a", "b", "c", "d", "e", "f", "g"]
        );
        assert_eq!(names("a\nb\n\n  c"), ["a", "b", "c"]);
    }

    #[test]
    fn detects_pipes_but_not_or() {
        assert!(ParsedShell::parse("a | b").has_pipes);
        assert!(ParsedShell::parse("a |& b").has_pipes);
        assert!(!ParsedShell::parse("a || b").has_pipes);
        assert!(!ParsedShell::parse("echo 'a | b'").has_pipes);
        assert!(!ParsedShell::parse("echo \"a | b\"").has_pipes);
        assert!(ParsedShell::parse("x=$(a | b)").has_pipes);
    }

    #[test]
    fn removes_quotes_and_keeps_variables() {
        assert_eq!(
            args("pip install 'flask==2.0' \"requ\"ests $V ${W:-x}"),
            [["install", "flask==2.0", "requests", "${V}", "${W:-x}"]]
        );
    }

    #[test]
    fn assignments_and_redirections_are_not_arguments() {
        let p = ParsedShell::parse("FOO=1 BAR=\"a b\" pip install x > /dev/null 2>&1 < in");
        assert_eq!(
            p.commands,
            [Command {
                name: "pip".into(),
                args: vec!["install".into(), "x".into()]
            }]
        );
        assert!(names("FOO=bar").is_empty());
    }

    #[test]
    fn unquoted_comparison_is_a_redirection() {
        assert_eq!(args("pip install flask>=2"), [["install", "flask"]]);
    }

    #[test]
    fn finds_nested_commands() {
        assert_eq!(names("echo $(uname -m) `date`"), ["echo", "uname", "date"]);
        assert_eq!(names("(cd /x && make)"), ["cd", "make"]);
        assert_eq!(names("{ a; b; }"), ["a", "b"]);
        assert_eq!(
            names("if [ -f x ]; then a; elif b; then c; else d; fi"),
            ["a", "b", "c", "d"]
        );
        assert_eq!(names("[ -f x ] && test -f y"), ["test"]);
        assert_eq!(names("time -p sudo x | y"), ["time", "sudo", "y"]);
        assert_eq!(names("for i in 1 2; do a $i; done"), ["a"]);
        assert_eq!(names("while true; do b; done"), ["true", "b"]);
        assert_eq!(names("case \"$x\" in a|b) c ;; *) d ;; esac"), ["c", "d"]);
        assert_eq!(names("f() { g; }; f"), ["g", "f"]);
        assert_eq!(names("[[ -f x && y < z ]] && a"), ["a"]);
        assert_eq!(names("! a"), ["a"]);
    }

    #[test]
    fn looks_through_wrappers() {
        assert_eq!(names("command -v a"), ["command"]);
        assert_eq!(names("command pip install x"), ["pip"]);
        assert_eq!(names("exec -a n gosu u x"), ["gosu"]);
        assert_eq!(args("exec gosu u")[0], ["gosu", "u"]);
    }

    #[test]
    fn comments_and_continuations() {
        assert_eq!(names("a \\\n b # c && d\ne"), ["a", "e"]);
        assert_eq!(args("echo a\\ b")[0], ["a b"]);
    }

    #[test]
    fn heredoc_bodies_are_skipped() {
        assert_eq!(names("cat <<EOF > x\npip install a\nEOF\nb"), ["cat", "b"]);
        assert_eq!(
            names("cat <<-'EOF'\n\tpip install a\n\tEOF\nb"),
            ["cat", "b"]
        );
    }

    #[test]
    fn invalid_scripts_have_no_commands() {
        for s in [
            "echo 'x",
            "a &&",
            "if a; then b",
            "a | ",
            "(a",
            "a )",
            "; a",
            "echo $(a",
            "do a",
        ] {
            let p = ParsedShell::parse(s);
            assert!(p.commands.is_empty() && !p.has_pipes, "{s}");
        }
    }

    #[test]
    fn flags_like_hadolint() {
        let c = Command {
            name: "pip".into(),
            args: ["install", "-qU", "--index-url=x", "--", "-", "a"]
                .map(String::from)
                .to_vec(),
        };
        let f: Vec<&str> = c.flags().iter().map(|f| f.name).collect();
        assert_eq!(f, ["q", "U", "index-url"]);
        assert!(c.has_flag("U"));
        assert_eq!(c.args_no_flags(&[]), ["install", "--", "-", "a"]);
        let c = Command {
            name: "pip".into(),
            args: ["install", "-i", "url", "a", "--target=t", "b"]
                .map(String::from)
                .to_vec(),
        };
        assert_eq!(c.args_no_flags(&["i", "target"]), ["install", "a", "b"]);
    }

    #[test]
    fn pip_install_detection() {
        let p = |s: &str| ParsedShell::parse(s).commands.iter().any(is_pip_install);
        assert!(p("pip install x"));
        assert!(p("pip3.11 install x"));
        assert!(p("python3 -m pip install x"));
        assert!(!p("pipenv install x"));
        assert!(!p("python -m pip --isolated install x"));
        assert!(!p("pip download x"));
    }
}
