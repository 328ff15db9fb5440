//! The linter's view of a Dockerfile: the shared model
//! ([`crate::dockerfile`]) turned into the values hadolint's parser
//! (language-docker) would give the rules:
//! * the shell text of each `RUN` as hadolint sees it: exec form joined with
//!   spaces, a leading here-document replaced by its body, text after a later
//!   `<<` here-document cut off;
//! * `FROM` references split as language-docker splits them (a first path
//!   component is a registry only when it has a `.`);
//! * `ENV`/`ARG` pairs, `--mount` options, and the comments between
//!   instructions (for `# hadolint ignore=` pragmas).

#[cfg(test)]
mod agreement;
mod pairs;
#[cfg(test)]
mod tests;

use super::finding::LintError;
use super::shell::ParsedShell;
use crate::dockerfile::{self as model, Body, Command, heredoc_ops};

/// A parsed Dockerfile.
#[derive(Debug, Default)]
pub(crate) struct Dockerfile {
    /// Instructions in file order.
    pub instructions: Vec<Instr>,
    /// Top-level comment lines: (1-based line, text after `#`).
    pub comments: Vec<(usize, String)>,
}

/// One instruction and its 1-based starting line.
#[derive(Debug)]
pub(crate) struct Instr {
    pub line: usize,
    pub kind: Kind,
}

/// The instruction data the rules need.
#[derive(Debug)]
pub(crate) enum Kind {
    From(BaseImage),
    Run(Run),
    /// `SHELL [...]`, its arguments joined with spaces and parsed.
    Shell(ParsedShell),
    User(String),
    Workdir(String),
    Env(Vec<(String, String)>),
    /// `ARG` name/default pairs.
    Arg(Vec<(String, Option<String>)>),
    /// `ADD` source paths.
    Add(Vec<String>),
    Copy(Copy),
    /// `CMD`; `true` for the JSON (exec) form.
    Cmd(bool),
    /// `ENTRYPOINT`; `true` for the JSON (exec) form.
    Entrypoint(bool),
    /// `HEALTHCHECK`; `Some(true)` for `CMD` in JSON form, `None` for `NONE`.
    Healthcheck(Option<bool>),
    Onbuild(Box<Kind>),
    Other,
}

/// A `FROM` image reference as language-docker splits it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct BaseImage {
    pub registry: Option<String>,
    /// The image name without registry, tag and digest.
    pub name: String,
    pub tag: Option<String>,
    pub digest: Option<String>,
    /// The stage name given with `AS`.
    pub alias: Option<String>,
    pub platform: Option<String>,
}

/// A `RUN` instruction.
#[derive(Debug)]
pub(crate) struct Run {
    pub shell: ParsedShell,
    /// `--mount` options.
    pub mounts: Vec<Mount>,
    /// All flags, normalised, for comparing two `RUN`s.
    pub flags_key: Vec<String>,
}

/// A `RUN --mount=…`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Mount {
    /// `bind`, `cache`, `tmpfs`, `secret` or `ssh`.
    pub kind: String,
    pub target: String,
}

impl Run {
    /// Whether a cache or tmpfs mount targets a path containing `fragment`.
    pub(crate) fn has_cache_mount_with(&self, fragment: &str) -> bool {
        self.mounts
            .iter()
            .any(|m| (m.kind == "cache" || m.kind == "tmpfs") && m.target.contains(fragment))
    }
}

/// A `COPY` instruction.
#[derive(Debug)]
pub(crate) struct Copy {
    pub sources: Vec<String>,
    /// The `--from` stage or image.
    pub from: Option<String>,
}

/// Parses `text` into the shared model and reads the rules' view from it.
pub(crate) fn parse(text: &str) -> Result<Dockerfile, LintError> {
    let df = model::Dockerfile::parse(text).map_err(|e| LintError {
        line: e.line.max(1),
        message: e.message,
    })?;
    let instructions = df
        .instructions
        .iter()
        .map(|i| Instr {
            line: i.line,
            kind: kind(i),
        })
        .collect();
    Ok(Dockerfile {
        instructions,
        comments: df.comments,
    })
}

fn kind(i: &model::Instruction) -> Kind {
    let exec = || i.exec_form() == Some(true);
    let text = || match &i.body {
        Body::Text(t) => t.as_str(),
        _ => "",
    };
    match (i.keyword, &i.body) {
        (_, Body::From(base)) => Kind::From(hadolint_image(base)),
        ("RUN", _) => Kind::Run(Run {
            shell: ParsedShell::parse(&hadolint_script(i)),
            mounts: i
                .flags
                .iter()
                .filter(|f| f.name == "mount")
                .map(|f| pairs::parse_mount(f.value.as_deref().unwrap_or_default()))
                .collect(),
            flags_key: flags_key(&i.flags),
        }),
        ("CMD", _) => Kind::Cmd(exec()),
        ("ENTRYPOINT", _) => Kind::Entrypoint(exec()),
        (_, Body::Healthcheck(cmd)) => {
            Kind::Healthcheck(cmd.as_ref().map(|c| matches!(c, Command::Exec(_))))
        }
        (_, Body::Shell(words)) => Kind::Shell(ParsedShell::parse(&words.join(" "))),
        ("USER", _) => Kind::User(text().to_string()),
        ("WORKDIR", _) => Kind::Workdir(text().to_string()),
        ("ENV", _) => Kind::Env(pairs::parse_pairs(text(), true)),
        ("ARG", _) => Kind::Arg(pairs::parse_arg_pairs(text())),
        ("ADD", Body::Files { sources, .. }) => Kind::Add(sources.clone()),
        ("COPY", Body::Files { sources, .. }) => Kind::Copy(Copy {
            sources: sources.clone(),
            from: i.flag("from").map(str::to_string),
        }),
        (_, Body::Onbuild(inner)) => Kind::Onbuild(Box::new(kind(inner))),
        _ => Kind::Other,
    }
}

/// The script hadolint hands to ShellCheck for a `RUN`: the exec form's
/// words joined; for a here-document that opens the arguments (`RUN <<EOF`)
/// its body; otherwise the text up to the first `<<` here-document.
fn hadolint_script(i: &model::Instruction) -> String {
    let text = match i.command() {
        Some(Command::Exec(words)) => return words.join(" "),
        Some(Command::Shell(text)) => text.as_str(),
        None => return String::new(),
    };
    let rest = match heredoc_ops(text).first() {
        Some(op) if op.offset == 0 => {
            let rest = &text[op.end..];
            if rest.trim().is_empty() {
                return i
                    .heredocs
                    .first()
                    .map(|d| d.body.trim().to_string())
                    .unwrap_or_default();
            }
            rest
        }
        _ => text,
    };
    match heredoc_ops(rest).first() {
        Some(op) => rest[..op.offset].trim().to_string(),
        None => rest.trim().to_string(),
    }
}

/// All flags, sorted, `--mount` options sorted inside: two `RUN`s with the
/// same key run with the same options.
fn flags_key(flags: &[model::Flag]) -> Vec<String> {
    let mut key: Vec<String> = flags
        .iter()
        .map(|f| {
            let value = f.value.as_deref().unwrap_or_default();
            if f.name == "mount" {
                let mut parts: Vec<&str> = value.split(',').collect();
                parts.sort_unstable();
                format!("mount={}", parts.join(","))
            } else {
                format!("{}={}", f.name, value)
            }
        })
        .collect();
    key.sort();
    key
}

/// The model's reference as language-docker splits it: a first component
/// without a `.` is no registry, so `localhost/app` is all name and in
/// `localhost:5000/app` the port and path read as a tag (and what follows
/// is dropped) — which is why hadolint does not call it untagged.
fn hadolint_image(base: &model::BaseImage) -> BaseImage {
    let r = &base.image;
    let mut image = BaseImage {
        registry: r.registry.clone(),
        name: r.name.clone(),
        tag: r.tag.clone(),
        digest: r.digest.clone(),
        alias: base.alias.clone(),
        platform: base.platform.clone(),
    };
    if let Some(registry) = r.registry.as_deref().filter(|reg| !reg.contains('.')) {
        image.registry = None;
        match registry.split_once(':') {
            Some((host, port)) => {
                image.name = host.to_string();
                image.tag = Some(format!("{port}/{}", r.name));
                if r.tag.is_some() {
                    image.digest = None;
                }
            }
            None => image.name = format!("{registry}/{}", r.name),
        }
    }
    image
}
