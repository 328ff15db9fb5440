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

mod commands;
mod parser;
#[cfg(test)]
mod tests;
mod words;

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
