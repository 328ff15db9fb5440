//! A small owned view of a Dockerfile, on top of `parse-dockerfile`: each
//! instruction with its keyword, its argument text, its line and its stage.
//! Checks, build-error messages and the linter read this instead of the
//! parser's borrowed syntax tree.

use parse_dockerfile::{Command, Instruction as Syntax};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instruction {
    /// Upper-case keyword: `FROM`, `RUN`, …
    pub keyword: String,
    /// The arguments as written, continuation lines joined and comment lines
    /// dropped, whitespace collapsed.
    pub args: String,
    /// 1-based line of the keyword.
    pub line: usize,
    /// 0-based stage index (instructions before the first FROM are stage 0).
    pub stage: usize,
    /// For CMD / ENTRYPOINT / RUN: whether the JSON exec form is used.
    pub exec_form: Option<bool>,
    /// For CMD / ENTRYPOINT / RUN in exec form: the JSON array's words.
    pub exec_words: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dockerfile {
    pub instructions: Vec<Instruction>,
    pub stage_count: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    pub line: usize,
    pub message: String,
}

impl Dockerfile {
    pub fn parse(text: &str) -> Result<Dockerfile, ParseError> {
        let parsed = parse_dockerfile::parse(text).map_err(|e| ParseError {
            line: e.line(),
            message: e.to_string(),
        })?;
        let starts: Vec<(usize, usize)> = parsed
            .instructions
            .iter()
            .map(|i| {
                let k = keyword_span(i);
                (k.start, k.end)
            })
            .collect();
        let mut instructions = Vec::with_capacity(starts.len());
        let mut stage = 0;
        let mut seen_from = false;
        for (idx, syntax) in parsed.instructions.iter().enumerate() {
            let (start, kw_end) = starts[idx];
            let end = starts.get(idx + 1).map_or(text.len(), |s| s.0);
            let keyword = text[start..kw_end].to_ascii_uppercase();
            if keyword == "FROM" {
                if seen_from {
                    stage += 1;
                }
                seen_from = true;
            }
            let (exec_form, exec_words) = match command_of(syntax) {
                Some(Command::Exec(words)) => (
                    Some(true),
                    words.value.iter().map(|w| w.value.to_string()).collect(),
                ),
                Some(_) => (Some(false), Vec::new()),
                None => (None, Vec::new()),
            };
            instructions.push(Instruction {
                keyword,
                args: clean_args(&text[kw_end..end]),
                line: crate::text::line_of(text, start),
                stage,
                exec_form,
                exec_words,
            });
        }
        Ok(Dockerfile {
            instructions,
            stage_count: stage + 1,
        })
    }

    /// The last stage: the image that gets tagged.
    pub fn final_stage(&self) -> usize {
        self.stage_count.saturating_sub(1)
    }

    /// The instruction the legacy builder calls "Step `n`/N" (1-based).
    pub fn step(&self, n: usize) -> Option<&Instruction> {
        n.checked_sub(1).and_then(|i| self.instructions.get(i))
    }
}

fn command_of<'a, 'b>(i: &'b Syntax<'a>) -> Option<&'b Command<'a>> {
    match i {
        Syntax::Cmd(c) => Some(&c.arguments),
        Syntax::Entrypoint(e) => Some(&e.arguments),
        Syntax::Run(r) => Some(&r.arguments),
        _ => None,
    }
}

fn keyword_span(i: &Syntax<'_>) -> std::ops::Range<usize> {
    match i {
        Syntax::Add(x) => x.add.span.clone(),
        Syntax::Arg(x) => x.arg.span.clone(),
        Syntax::Cmd(x) => x.cmd.span.clone(),
        Syntax::Copy(x) => x.copy.span.clone(),
        Syntax::Entrypoint(x) => x.entrypoint.span.clone(),
        Syntax::Env(x) => x.env.span.clone(),
        Syntax::Expose(x) => x.expose.span.clone(),
        Syntax::From(x) => x.from.span.clone(),
        Syntax::Healthcheck(x) => x.healthcheck.span.clone(),
        Syntax::Label(x) => x.label.span.clone(),
        Syntax::Maintainer(x) => x.maintainer.span.clone(),
        Syntax::Onbuild(x) => x.onbuild.span.clone(),
        Syntax::Run(x) => x.run.span.clone(),
        Syntax::Shell(x) => x.shell.span.clone(),
        Syntax::Stopsignal(x) => x.stopsignal.span.clone(),
        Syntax::User(x) => x.user.span.clone(),
        Syntax::Volume(x) => x.volume.span.clone(),
        Syntax::Workdir(x) => x.workdir.span.clone(),
        _ => 0..0,
    }
}

/// Joins continuation lines, drops comment lines and collapses whitespace.
fn clean_args(raw: &str) -> String {
    let mut out = String::new();
    for line in raw.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with('#') || trimmed.is_empty() {
            continue;
        }
        let trimmed = trimmed.strip_suffix('\\').unwrap_or(trimmed).trim_end();
        for word in trimmed.split_whitespace() {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(word);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const GUIDE: &str = include_str!("../assets/first-image/Dockerfile");

    #[test]
    fn guide_dockerfile_has_six_steps_on_their_lines() {
        let df = Dockerfile::parse(GUIDE).unwrap();
        let kws: Vec<&str> = df.instructions.iter().map(|i| i.keyword.as_str()).collect();
        assert_eq!(kws, ["FROM", "WORKDIR", "COPY", "RUN", "COPY", "CMD"]);
        assert_eq!(df.stage_count, 1);
        let cmd = df.step(6).unwrap();
        assert_eq!(cmd.exec_form, Some(true));
        assert_eq!(cmd.exec_words, ["python", "app.py"]);
        // Each keyword's line is where the text says it is.
        for i in &df.instructions {
            let line = GUIDE.lines().nth(i.line - 1).unwrap();
            assert!(
                line.trim_start().to_uppercase().starts_with(&i.keyword),
                "{line}"
            );
        }
    }

    #[test]
    fn continuation_lines_are_joined() {
        let df = Dockerfile::parse(
            "FROM a:1\nRUN apt-get update && \\\n    # comment\n    apt-get install -y x\n",
        )
        .unwrap();
        assert_eq!(
            df.instructions[1].args,
            "apt-get update && apt-get install -y x"
        );
        assert_eq!(df.instructions[1].line, 2);
        assert_eq!(df.instructions[1].exec_form, Some(false));
    }

    #[test]
    fn stages_are_counted() {
        let df =
            Dockerfile::parse("FROM a:1 AS b\nRUN x\nFROM c:2\nCOPY --from=b /x /x\n").unwrap();
        assert_eq!(df.stage_count, 2);
        assert_eq!(df.final_stage(), 1);
        assert_eq!(df.instructions[3].stage, 1);
        assert_eq!(df.instructions[1].stage, 0);
    }

    #[test]
    fn unknown_instruction_is_an_error_with_a_line() {
        let err = Dockerfile::parse("FROM a:1\nRUNN x\n").unwrap_err();
        assert_eq!(err.line, 2);
    }
}
