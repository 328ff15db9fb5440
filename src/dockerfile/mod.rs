//! One model of a Dockerfile for the whole app, on top of `parse-dockerfile`.
//! The lesson checks, the linter, the build-error messages and `doctor` all
//! read this model, so they see the same instructions on the same lines.
//!
//! What it adds to the parser's borrowed syntax tree:
//! * parser directives (`# escape=`, `# syntax=`) applied before anything is
//!   read (`directives.rs`);
//! * continuation lines joined once, comment lines inside them dropped, with
//!   the file's escape character (`lines.rs`);
//! * here-documents, including the ones the parser cannot read itself such
//!   as `RUN python3 <<EOF` (`heredoc.rs`);
//! * image references and the base image of each `FROM` (`reference.rs`);
//! * CRLF line endings and a byte-order mark are accepted.

mod directives;
mod heredoc;
pub mod lines;
mod parse;
mod reference;

use std::fmt;

pub use directives::Directives;
pub use heredoc::Heredoc;
pub(crate) use heredoc::find_ops as heredoc_ops;
pub use reference::{BaseImage, ImageRef, normalize, short_id};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dockerfile {
    pub directives: Directives,
    pub instructions: Vec<Instruction>,
    /// Comment lines between instructions (parser directives included):
    /// (1-based line, text after `#`).
    pub comments: Vec<(usize, String)>,
    pub stage_count: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instruction {
    /// Upper-case keyword: `FROM`, `RUN`, …
    pub keyword: &'static str,
    /// 1-based line of the keyword.
    pub line: usize,
    /// 0-based stage index (instructions before the first FROM are stage 0).
    pub stage: usize,
    /// Everything after the keyword, flags included: continuation lines
    /// joined, comment lines inside them dropped, whitespace collapsed.
    /// Here-document bodies are not part of it (see `heredocs`).
    pub args: String,
    /// `--name=value` options, in order.
    pub flags: Vec<Flag>,
    /// Here-document bodies, in order.
    pub heredocs: Vec<Heredoc>,
    pub body: Body,
}

/// What an instruction says, by kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body {
    From(BaseImage),
    /// `RUN`, `CMD`, `ENTRYPOINT`.
    Command(Command),
    /// `HEALTHCHECK CMD …`; `None` for `HEALTHCHECK NONE`.
    Healthcheck(Option<Command>),
    /// `SHELL`'s words.
    Shell(Vec<String>),
    /// `ADD` / `COPY`: source paths (here-document sources are in
    /// `heredocs`) and the destination.
    Files {
        sources: Vec<String>,
        dest: String,
    },
    Onbuild(Box<Instruction>),
    /// `USER`, `WORKDIR`, `ENV`, `ARG`, `LABEL`, `STOPSIGNAL`, `MAINTAINER`:
    /// the arguments as the parser unescapes them.
    Text(String),
    /// `EXPOSE`, `VOLUME`: only `args`.
    Other,
}

/// The command of a `RUN`, `CMD`, `ENTRYPOINT` or `HEALTHCHECK`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// The JSON exec form: the array's words.
    Exec(Vec<String>),
    /// The shell form: the text after the flags, continuation lines joined
    /// as language-docker joins them (spacing kept), here-document bodies
    /// not included (`python3 <<EOF`).
    Shell(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flag {
    pub name: String,
    pub value: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// 1-based line (0 when the parser knows none).
    pub line: usize,
    pub column: usize,
    /// What is wrong, without the position.
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            f.write_str(&self.message)
        } else {
            write!(
                f,
                "{} at line {} column {}",
                self.message, self.line, self.column
            )
        }
    }
}

impl Dockerfile {
    pub fn parse(text: &str) -> Result<Dockerfile, ParseError> {
        parse::parse(text)
    }

    /// The last stage: the image that gets tagged.
    pub fn final_stage(&self) -> usize {
        self.stage_count.saturating_sub(1)
    }

    /// The WORKDIR in force at `line` of the final stage (`/` before any).
    pub fn workdir_at(&self, line: usize) -> String {
        let last = self.final_stage();
        let mut dir = "/".to_string();
        for i in self
            .instructions
            .iter()
            .filter(|i| i.stage == last && i.line < line && i.keyword == "WORKDIR")
        {
            if let Body::Text(t) = &i.body {
                dir = if t.starts_with('/') {
                    t.clone()
                } else {
                    format!("{}/{t}", dir.trim_end_matches('/'))
                };
            }
        }
        dir
    }

    /// The instruction the legacy builder calls "Step `n`/N" (1-based).
    pub fn step(&self, n: usize) -> Option<&Instruction> {
        n.checked_sub(1).and_then(|i| self.instructions.get(i))
    }

    /// What every `FROM` names, in order.
    pub fn base_images(&self) -> impl Iterator<Item = &BaseImage> {
        self.instructions.iter().filter_map(|i| match &i.body {
            Body::From(b) => Some(b),
            _ => None,
        })
    }
}

impl Instruction {
    /// The command of a `RUN`, `CMD` or `ENTRYPOINT`.
    pub fn command(&self) -> Option<&Command> {
        match &self.body {
            Body::Command(c) => Some(c),
            _ => None,
        }
    }

    /// For `RUN`, `CMD` and `ENTRYPOINT`: whether the JSON exec form is used.
    pub fn exec_form(&self) -> Option<bool> {
        self.command().map(|c| matches!(c, Command::Exec(_)))
    }

    /// For `RUN`, `CMD` and `ENTRYPOINT` in exec form: the JSON array's words.
    pub fn exec_words(&self) -> &[String] {
        match self.command() {
            Some(Command::Exec(words)) => words,
            _ => &[],
        }
    }

    /// The value of the option `--name=value`.
    pub fn flag(&self, name: &str) -> Option<&str> {
        self.flags
            .iter()
            .find(|f| f.name == name)
            .and_then(|f| f.value.as_deref())
    }

    /// `args` followed by the here-document bodies, whitespace collapsed:
    /// everything the instruction says, for matching against a pattern.
    pub fn args_and_heredocs(&self) -> String {
        let mut text = self.args.clone();
        for doc in &self.heredocs {
            let body = lines::collapse_whitespace(&doc.body);
            if !body.is_empty() {
                text.push(' ');
                text.push_str(&body);
            }
        }
        text
    }
}

#[cfg(test)]
mod tests;

/// Where `COPY name dest` puts `name`, with `workdir` in force.
pub fn resolve_dest(dest: &str, workdir: &str, name: &str) -> String {
    let base = if dest.starts_with('/') {
        dest.to_string()
    } else {
        format!("{}/{dest}", workdir.trim_end_matches('/'))
    };
    let base = base.replace("/./", "/").trim_end_matches("/.").to_string();
    if dest.ends_with('/') || dest == "." || dest == "./" {
        format!("{}/{name}", base.trim_end_matches('/'))
    } else {
        base
    }
}
