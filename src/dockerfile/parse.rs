//! From Dockerfile text to the owned model: scan (directives, here-documents,
//! comments), parse with `parse-dockerfile`, then read each instruction.

use parse_dockerfile::{self as pd, HealthcheckArguments, Source};

use super::heredoc::{self, Heredoc, Scanned};
use super::lines::{LineIndex, collapse_whitespace, join_continuations, logical_end};
use super::reference::{BaseImage, ImageRef};
use super::{Body, Command, Directives, Dockerfile, Flag, Instruction, ParseError, directives};

pub(super) fn parse(text: &str) -> Result<Dockerfile, ParseError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let text = text.replace("\r\n", "\n");
    let escape = directives::scan_escape(&text);
    match parse_with(&text, escape)? {
        Ok(df) => Ok(df),
        // The parser read the directives differently: scan again with its
        // escape character, so that both agree.
        Err(parser_escape) => parse_with(&text, parser_escape)?.map_err(|_| ParseError {
            line: 1,
            column: 1,
            message: "the parser directives at the top cannot be read".into(),
        }),
    }
}

/// Parses with the here-document scan done for `escape`; `Ok(Err(c))` when
/// the parser's own escape character `c` is a different one.
fn parse_with(text: &str, escape: char) -> Result<Result<Dockerfile, char>, ParseError> {
    let Scanned {
        text,
        comments,
        mut run_heredocs,
    } = heredoc::scan(text, escape);
    let parsed = parse_dockerfile::parse(&text).map_err(|e| ParseError {
        line: e.line(),
        column: e.column(),
        message: format!("{e:#}"),
    })?;
    let pd = &parsed.parser_directives;
    let directives = Directives {
        escape: pd.escape.as_ref().map_or('\\', |d| d.value.value),
        syntax: pd.syntax.as_ref().map(|d| d.value.value.to_string()),
        check: pd.check.as_ref().map(|d| d.value.value.to_string()),
    };
    if directives.escape != escape {
        return Ok(Err(directives.escape));
    }
    let reader = Reader {
        text: &text,
        escape,
        lines: LineIndex::new(&text),
    };
    let mut instructions = Vec::with_capacity(parsed.instructions.len());
    let mut stage = 0;
    let mut seen_from = false;
    for syntax in &parsed.instructions {
        if matches!(syntax, pd::Instruction::From(_)) {
            if seen_from {
                stage += 1;
            }
            seen_from = true;
        }
        instructions.push(reader.instruction(syntax, stage, &mut run_heredocs));
    }
    Ok(Ok(Dockerfile {
        directives,
        instructions,
        comments,
        stage_count: stage + 1,
    }))
}

struct Reader<'t> {
    /// The scanned text the parser read (same offsets and lines as the file).
    text: &'t str,
    escape: char,
    lines: LineIndex,
}

impl Reader<'_> {
    fn instruction(
        &self,
        syntax: &pd::Instruction<'_>,
        stage: usize,
        run_heredocs: &mut std::collections::HashMap<usize, Vec<Heredoc>>,
    ) -> Instruction {
        let (keyword, span) = keyword(syntax);
        let line = self.lines.line_of(span.start);
        let end = logical_end(self.text, span.end, self.escape);
        let raw = self.text.get(span.end..end).unwrap_or_default();
        let args = collapse_whitespace(&join_continuations(raw, self.escape));
        let options = options(syntax);
        let flags = options
            .iter()
            .map(|f| Flag {
                name: f.name.value.to_string(),
                value: f.value.as_ref().map(|v| v.value.to_string()),
            })
            .collect();
        // The shell-form text starts after the last flag.
        let after_flags = options
            .iter()
            .map(|f| f.span().end)
            .max()
            .unwrap_or(span.end);
        let shell_text = || {
            let raw = self.text.get(after_flags..end).unwrap_or_default();
            join_continuations(raw, self.escape).trim().to_string()
        };
        let after_flags_command = |c: &pd::Command<'_>| command(c, |_| shell_text());
        let mut heredocs = Vec::new();
        let body = match syntax {
            pd::Instruction::From(f) => Body::From(BaseImage {
                image: ImageRef::parse(&f.image.value),
                alias: f.as_.as_ref().map(|(_, a)| a.value.to_string()),
                platform: flag_value(&f.options, "platform"),
            }),
            pd::Instruction::Run(r) => {
                heredocs = run_heredocs.remove(&line).unwrap_or_default();
                Body::Command(after_flags_command(&r.arguments))
            }
            pd::Instruction::Cmd(c) => Body::Command(after_flags_command(&c.arguments)),
            pd::Instruction::Entrypoint(e) => Body::Command(after_flags_command(&e.arguments)),
            pd::Instruction::Healthcheck(h) => Body::Healthcheck(match &h.arguments {
                // Its shell text starts after `CMD`, not after the flags.
                HealthcheckArguments::Cmd { arguments, .. } => Some(command(arguments, |span| {
                    let raw = self.text.get(span).unwrap_or_default();
                    join_continuations(raw, self.escape).trim().to_string()
                })),
                _ => None,
            }),
            pd::Instruction::Shell(s) => {
                Body::Shell(s.arguments.iter().map(|a| a.value.to_string()).collect())
            }
            pd::Instruction::Add(a) => self.files(&a.src, &a.dest.value, &mut heredocs),
            pd::Instruction::Copy(c) => self.files(&c.src, &c.dest.value, &mut heredocs),
            pd::Instruction::Onbuild(o) => Body::Onbuild(Box::new(self.instruction(
                &o.instruction,
                stage,
                run_heredocs,
            ))),
            pd::Instruction::User(x) => Body::Text(x.arguments.value.to_string()),
            pd::Instruction::Workdir(x) => Body::Text(x.arguments.value.to_string()),
            pd::Instruction::Env(x) => Body::Text(x.arguments.value.to_string()),
            pd::Instruction::Arg(x) => Body::Text(x.arguments.value.to_string()),
            pd::Instruction::Label(x) => Body::Text(x.arguments.value.to_string()),
            pd::Instruction::Stopsignal(x) => Body::Text(x.arguments.value.to_string()),
            pd::Instruction::Maintainer(x) => Body::Text(x.name.value.to_string()),
            _ => Body::Other,
        };
        Instruction {
            keyword,
            line,
            stage,
            args,
            flags,
            heredocs,
            body,
        }
    }

    fn files(&self, src: &[Source<'_>], dest: &str, heredocs: &mut Vec<Heredoc>) -> Body {
        let mut sources = Vec::new();
        for s in src {
            match s {
                Source::Path(p) => sources.push(p.value.to_string()),
                Source::HereDoc(doc) => heredocs.push(Heredoc {
                    line: self.lines.line_of(doc.span.start),
                    body: doc.value.to_string(),
                }),
                _ => {}
            }
        }
        Body::Files {
            sources,
            dest: dest.to_string(),
        }
    }
}

/// The exec form's words, or the shell form's text as `shell` reads it from
/// the span the parser gives.
fn command(c: &pd::Command<'_>, shell: impl FnOnce(std::ops::Range<usize>) -> String) -> Command {
    match c {
        pd::Command::Exec(words) => {
            Command::Exec(words.value.iter().map(|w| w.value.to_string()).collect())
        }
        pd::Command::Shell(s) => Command::Shell(shell(s.span.clone())),
        _ => Command::Shell(String::new()),
    }
}

fn flag_value(flags: &[pd::Flag<'_>], name: &str) -> Option<String> {
    flags
        .iter()
        .find(|f| f.name.value == name)
        .and_then(|f| f.value.as_ref())
        .map(|v| v.value.to_string())
}

fn options<'s, 'a>(i: &'s pd::Instruction<'a>) -> &'s [pd::Flag<'a>] {
    match i {
        pd::Instruction::Add(x) => &x.options,
        pd::Instruction::Copy(x) => &x.options,
        pd::Instruction::From(x) => &x.options,
        pd::Instruction::Healthcheck(x) => &x.options,
        pd::Instruction::Run(x) => &x.options,
        _ => &[],
    }
}

/// The keyword (named by the parser, so an escaped or lower-case keyword
/// reads the same) and where it is written.
fn keyword(i: &pd::Instruction<'_>) -> (&'static str, std::ops::Range<usize>) {
    match i {
        pd::Instruction::Add(x) => ("ADD", x.add.span.clone()),
        pd::Instruction::Arg(x) => ("ARG", x.arg.span.clone()),
        pd::Instruction::Cmd(x) => ("CMD", x.cmd.span.clone()),
        pd::Instruction::Copy(x) => ("COPY", x.copy.span.clone()),
        pd::Instruction::Entrypoint(x) => ("ENTRYPOINT", x.entrypoint.span.clone()),
        pd::Instruction::Env(x) => ("ENV", x.env.span.clone()),
        pd::Instruction::Expose(x) => ("EXPOSE", x.expose.span.clone()),
        pd::Instruction::From(x) => ("FROM", x.from.span.clone()),
        pd::Instruction::Healthcheck(x) => ("HEALTHCHECK", x.healthcheck.span.clone()),
        pd::Instruction::Label(x) => ("LABEL", x.label.span.clone()),
        pd::Instruction::Maintainer(x) => ("MAINTAINER", x.maintainer.span.clone()),
        pd::Instruction::Onbuild(x) => ("ONBUILD", x.onbuild.span.clone()),
        pd::Instruction::Run(x) => ("RUN", x.run.span.clone()),
        pd::Instruction::Shell(x) => ("SHELL", x.shell.span.clone()),
        pd::Instruction::Stopsignal(x) => ("STOPSIGNAL", x.stopsignal.span.clone()),
        pd::Instruction::User(x) => ("USER", x.user.span.clone()),
        pd::Instruction::Volume(x) => ("VOLUME", x.volume.span.clone()),
        pd::Instruction::Workdir(x) => ("WORKDIR", x.workdir.span.clone()),
        _ => ("", 0..0),
    }
}
