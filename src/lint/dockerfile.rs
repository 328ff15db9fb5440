//! Turns Dockerfile text into the instruction list the rules read, with the
//! values hadolint's parser (language-docker) would give them.
//!
//! Parsing itself is done by `parse-dockerfile`; this module adds:
//! * here-documents that do not open the `RUN` arguments (`RUN python3 <<EOF`),
//!   which `parse-dockerfile` cannot read: their bodies are blanked before
//!   parsing (byte offsets and lines are kept);
//! * the shell text of each `RUN` as hadolint sees it: line continuations
//!   joined, comment lines inside them dropped, exec form joined with spaces,
//!   a leading here-document replaced by its body, text after a later `<<`
//!   here-document cut off;
//! * `FROM` image references split into registry, name, tag and digest;
//! * `ENV`/`ARG` pairs, `--mount` options, and top-level comments (for
//!   `# hadolint ignore=` pragmas).

use parse_dockerfile::{Command as PdCommand, Flag, HealthcheckArguments, Instruction, Source};

use super::finding::LintError;
use super::shell::ParsedShell;

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

/// A `FROM` image reference.
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

/// Parses `text` into instructions.
pub(crate) fn parse(text: &str) -> Result<Dockerfile, LintError> {
    let text = text.replace("\r\n", "\n");
    let escape = escape_char(&text);
    let pre = preprocess(&text, escape);
    let parsed = parse_dockerfile::parse(&pre.text).map_err(|e| LintError {
        line: e.line().max(1),
        message: format!("{e:#}"),
    })?;
    let lines = LineIndex::new(&pre.text);
    let cx = Cx {
        text: &pre.text,
        escape,
        heredoc_ops: &pre.heredoc_ops,
    };
    let instructions = parsed
        .instructions
        .iter()
        .map(|i| Instr {
            line: lines.line_of(start_of(i)),
            kind: cx.kind(i),
        })
        .collect();
    Ok(Dockerfile {
        instructions,
        comments: pre.comments,
    })
}

/// The escape character from a `# escape=` parser directive, or `\`.
fn escape_char(text: &str) -> char {
    for line in text.lines() {
        let Some(rest) = line.trim_start().strip_prefix('#') else {
            return '\\';
        };
        let Some((key, value)) = rest.split_once('=') else {
            return '\\';
        };
        let key = key.trim().to_ascii_lowercase();
        if !key.chars().all(|c| c.is_ascii_alphabetic()) || key.is_empty() {
            return '\\';
        }
        if key == "escape" {
            return match value.trim() {
                "`" => '`',
                _ => '\\',
            };
        }
    }
    '\\'
}

struct LineIndex(Vec<usize>);

impl LineIndex {
    fn new(text: &str) -> Self {
        LineIndex(text.match_indices('\n').map(|(i, _)| i).collect())
    }
    /// 1-based line of byte offset `pos`.
    fn line_of(&self, pos: usize) -> usize {
        self.0.partition_point(|&nl| nl < pos) + 1
    }
}

fn start_of(i: &Instruction<'_>) -> usize {
    match i {
        Instruction::Add(x) => x.add.span.start,
        Instruction::Arg(x) => x.arg.span.start,
        Instruction::Cmd(x) => x.cmd.span.start,
        Instruction::Copy(x) => x.copy.span.start,
        Instruction::Entrypoint(x) => x.entrypoint.span.start,
        Instruction::Env(x) => x.env.span.start,
        Instruction::Expose(x) => x.expose.span.start,
        Instruction::From(x) => x.from.span.start,
        Instruction::Healthcheck(x) => x.healthcheck.span.start,
        Instruction::Label(x) => x.label.span.start,
        Instruction::Maintainer(x) => x.maintainer.span.start,
        Instruction::Onbuild(x) => x.onbuild.span.start,
        Instruction::Run(x) => x.run.span.start,
        Instruction::Shell(x) => x.shell.span.start,
        Instruction::Stopsignal(x) => x.stopsignal.span.start,
        Instruction::User(x) => x.user.span.start,
        Instruction::Volume(x) => x.volume.span.start,
        Instruction::Workdir(x) => x.workdir.span.start,
        _ => 0,
    }
}

struct Cx<'t> {
    text: &'t str,
    escape: char,
    /// Byte offsets of `<<` here-document operators in `RUN` instructions.
    heredoc_ops: &'t [usize],
}

impl Cx<'_> {
    fn kind(&self, i: &Instruction<'_>) -> Kind {
        match i {
            Instruction::From(f) => {
                let platform = flag_value(&f.options, "platform");
                let alias = f.as_.as_ref().map(|(_, a)| a.value.to_string());
                let mut image = parse_image(&f.image.value);
                image.alias = alias;
                image.platform = platform;
                Kind::From(image)
            }
            Instruction::Run(r) => {
                let script = match &r.arguments {
                    PdCommand::Exec(args) => args
                        .value
                        .iter()
                        .map(|a| a.value.as_ref())
                        .collect::<Vec<_>>()
                        .join(" "),
                    PdCommand::Shell(s) => match r.here_docs.first() {
                        Some(doc) if s.value.trim().is_empty() => self
                            .text
                            .get(doc.span.clone())
                            .unwrap_or_default()
                            .trim()
                            .to_string(),
                        _ => {
                            let mut end = s.span.end;
                            if let Some(&op) = self
                                .heredoc_ops
                                .iter()
                                .find(|&&op| op >= s.span.start && op < s.span.end)
                            {
                                end = op;
                            }
                            let raw = self.text.get(s.span.start..end).unwrap_or_default();
                            let joined = join_continuations(raw, self.escape);
                            if end == s.span.end {
                                joined
                            } else {
                                joined.trim().to_string()
                            }
                        }
                    },
                    _ => String::new(),
                };
                let mounts = r
                    .options
                    .iter()
                    .filter(|f| f.name.value == "mount")
                    .map(|f| {
                        parse_mount(
                            f.value
                                .as_ref()
                                .map(|v| v.value.as_ref())
                                .unwrap_or_default(),
                        )
                    })
                    .collect();
                let mut flags_key: Vec<String> = r
                    .options
                    .iter()
                    .map(|f| {
                        let value = f
                            .value
                            .as_ref()
                            .map(|v| v.value.to_string())
                            .unwrap_or_default();
                        if f.name.value == "mount" {
                            let mut parts: Vec<&str> = value.split(',').collect();
                            parts.sort_unstable();
                            format!("mount={}", parts.join(","))
                        } else {
                            format!("{}={}", f.name.value, value)
                        }
                    })
                    .collect();
                flags_key.sort();
                Kind::Run(Run {
                    shell: ParsedShell::parse(&script),
                    mounts,
                    flags_key,
                })
            }
            Instruction::Shell(s) => {
                let joined = s
                    .arguments
                    .iter()
                    .map(|a| a.value.as_ref())
                    .collect::<Vec<_>>()
                    .join(" ");
                Kind::Shell(ParsedShell::parse(&joined))
            }
            Instruction::User(u) => Kind::User(u.arguments.value.to_string()),
            Instruction::Workdir(w) => Kind::Workdir(w.arguments.value.to_string()),
            Instruction::Env(e) => Kind::Env(parse_pairs(&e.arguments.value, true)),
            Instruction::Arg(a) => Kind::Arg(parse_arg_pairs(&a.arguments.value)),
            Instruction::Add(a) => Kind::Add(
                a.src
                    .iter()
                    .filter_map(|s| match s {
                        Source::Path(p) => Some(p.value.to_string()),
                        _ => None,
                    })
                    .collect(),
            ),
            Instruction::Copy(c) => Kind::Copy(Copy {
                sources: c
                    .src
                    .iter()
                    .filter_map(|s| match s {
                        Source::Path(p) => Some(p.value.to_string()),
                        _ => None,
                    })
                    .collect(),
                from: flag_value(&c.options, "from"),
            }),
            Instruction::Cmd(c) => Kind::Cmd(matches!(c.arguments, PdCommand::Exec(_))),
            Instruction::Entrypoint(e) => {
                Kind::Entrypoint(matches!(e.arguments, PdCommand::Exec(_)))
            }
            Instruction::Healthcheck(h) => Kind::Healthcheck(match &h.arguments {
                HealthcheckArguments::Cmd { arguments, .. } => {
                    Some(matches!(arguments, PdCommand::Exec(_)))
                }
                _ => None,
            }),
            Instruction::Onbuild(o) => Kind::Onbuild(Box::new(self.kind(&o.instruction))),
            _ => Kind::Other,
        }
    }
}

fn flag_value(flags: &[Flag<'_>], name: &str) -> Option<String> {
    flags
        .iter()
        .find(|f| f.name.value == name)
        .and_then(|f| f.value.as_ref())
        .map(|v| v.value.to_string())
}

/// Joins line continuations the way language-docker does: the escape
/// character, blanks and newlines are removed together with comment lines that
/// follow; if the next line is indented the whole break becomes one space.
pub(crate) fn join_continuations(raw: &str, escape: char) -> String {
    let s: Vec<char> = raw.chars().collect();
    let mut out = String::with_capacity(raw.len());
    let mut i = 0;
    let is_break = |i: usize| -> Option<usize> {
        // escape, blanks, one or more newlines
        if s.get(i) != Some(&escape) {
            return None;
        }
        let mut j = i + 1;
        while matches!(s.get(j), Some(' ' | '\t')) {
            j += 1;
        }
        if s.get(j) != Some(&'\n') {
            return None;
        }
        while s.get(j) == Some(&'\n') {
            j += 1;
        }
        Some(j)
    };
    while i < s.len() {
        let Some(mut j) = is_break(i) else {
            out.push(s[i]);
            i += 1;
            continue;
        };
        let mut found_space = false;
        loop {
            // Comment lines right after the break.
            loop {
                let mut k = j;
                while matches!(s.get(k), Some(' ' | '\t')) {
                    k += 1;
                }
                if s.get(k) != Some(&'#') {
                    break;
                }
                while k < s.len() && s[k] != '\n' {
                    k += 1;
                }
                if s.get(k) != Some(&'\n') {
                    break;
                }
                while s.get(k) == Some(&'\n') {
                    k += 1;
                }
                j = k;
            }
            while matches!(s.get(j), Some(' ' | '\t')) {
                j += 1;
                found_space = true;
            }
            match is_break(j) {
                Some(next) => j = next,
                None => break,
            }
        }
        if found_space {
            out.push(' ');
        }
        i = j;
    }
    out
}

/// Splits an image reference like language-docker: a registry only when the
/// first part has a `.` before a `/`; `${…}` is opaque.
pub(crate) fn parse_image(reference: &str) -> BaseImage {
    let chars: Vec<char> = reference.chars().collect();
    // Reads up to (not including) a char matching `stop`, skipping `${…}`.
    let read = |from: usize, stop: &dyn Fn(char) -> bool| -> usize {
        let mut i = from;
        while i < chars.len() {
            let c = chars[i];
            if c == '$' && chars.get(i + 1) == Some(&'{') {
                let mut depth = 0;
                while i < chars.len() {
                    match chars[i] {
                        '{' => depth += 1,
                        '}' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    i += 1;
                }
                i += 1;
                continue;
            }
            if stop(c) {
                break;
            }
            i += 1;
        }
        i.min(chars.len())
    };
    let text = |a: usize, b: usize| chars[a..b].iter().collect::<String>();
    let mut pos = 0;
    let mut image = BaseImage::default();
    let dot = read(0, &|c| c == '.');
    if dot > 0 && dot < chars.len() {
        let slash = read(dot + 1, &|c| c == '/');
        if slash > dot + 1 && slash < chars.len() {
            image.registry = Some(text(0, slash));
            pos = slash + 1;
        }
    }
    let name_end = read(pos, &|c| c == '@' || c == ':');
    image.name = text(pos, name_end);
    pos = name_end;
    if chars.get(pos) == Some(&':') {
        let tag_end = read(pos + 1, &|c| c == '@' || c == ':');
        image.tag = Some(text(pos + 1, tag_end));
        pos = tag_end;
    }
    if chars.get(pos) == Some(&'@') {
        image.digest = Some(text(pos + 1, chars.len()));
    }
    image
}

fn parse_mount(value: &str) -> Mount {
    let mut kind = "bind".to_string();
    let mut target = String::new();
    for part in value.split(',') {
        let (k, v) = part.split_once('=').unwrap_or((part, ""));
        match k.trim() {
            "type" => kind = v.trim().to_string(),
            "target" | "dst" | "destination" => target = v.trim().to_string(),
            _ => {}
        }
    }
    Mount { kind, target }
}

/// Reads one word of an `ENV`/`ARG` value: quotes removed, backslash escapes
/// resolved. Returns the word and the rest of the text.
fn read_value(s: &str) -> (String, &str) {
    let mut out = String::new();
    let mut chars = s.char_indices().peekable();
    let mut quote: Option<char> = None;
    while let Some((i, c)) = chars.next() {
        match (quote, c) {
            (None, c) if c.is_whitespace() => return (out, &s[i..]),
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (Some('\''), c) => out.push(c),
            (_, '\\') => {
                if let Some((_, n)) = chars.next() {
                    out.push(n);
                }
            }
            (_, c) => out.push(c),
        }
    }
    (out, "")
}

/// `ENV`-style pairs: `K=V K2="V 2"`, or the legacy `K V W` form when
/// `legacy` is allowed and the first word has no `=`.
fn parse_pairs(args: &str, legacy: bool) -> Vec<(String, String)> {
    let args = args.trim();
    let first = args.split_whitespace().next().unwrap_or_default();
    if legacy && !first.contains('=') {
        let rest = args[first.len()..].trim();
        return vec![(first.to_string(), read_legacy(rest))];
    }
    let mut out = Vec::new();
    let mut rest = args;
    while !rest.is_empty() {
        let (word, r) = read_value(rest);
        rest = r.trim_start();
        if let Some((k, v)) = word.split_once('=') {
            out.push((k.to_string(), v.to_string()));
        } else if !word.is_empty() {
            out.push((word, String::new()));
        }
    }
    out
}

fn read_legacy(rest: &str) -> String {
    let mut out = String::new();
    let mut r = rest;
    while !r.is_empty() {
        let (w, next) = read_value(r);
        out.push_str(&w);
        let trimmed = next.trim_start();
        if !trimmed.is_empty() {
            out.push(' ');
        }
        r = trimmed;
    }
    out
}

fn parse_arg_pairs(args: &str) -> Vec<(String, Option<String>)> {
    let mut out = Vec::new();
    let mut rest = args.trim();
    while !rest.is_empty() {
        let (word, r) = read_value(rest);
        rest = r.trim_start();
        match word.split_once('=') {
            Some((k, v)) => out.push((k.to_string(), Some(v.to_string()))),
            None if !word.is_empty() => out.push((word, None)),
            None => {}
        }
    }
    out
}

/// The text handed to `parse-dockerfile`, and what the line scan learned.
struct Preprocessed {
    text: String,
    comments: Vec<(usize, String)>,
    heredoc_ops: Vec<usize>,
}

/// A `<<` here-document operator found in a `RUN` line.
struct HeredocOp {
    offset: usize,
    delim: String,
    strip_tabs: bool,
}

/// Scans lines: records top-level comments and blanks the bodies of `RUN`
/// here-documents that `parse-dockerfile` does not read itself.
fn preprocess(text: &str, escape: char) -> Preprocessed {
    let mut bytes = text.as_bytes().to_vec();
    let mut comments = Vec::new();
    let mut heredoc_ops = Vec::new();
    let lines: Vec<(usize, &str)> = {
        let mut v = Vec::new();
        let mut off = 0;
        for l in text.split('\n') {
            v.push((off, l));
            off += l.len() + 1;
        }
        v
    };
    let mut continuing = false;
    let mut keyword = String::new();
    let mut native_first = false;
    let mut pending: Vec<HeredocOp> = Vec::new();
    let mut idx = 0;
    while idx < lines.len() {
        let (off, line) = lines[idx];
        idx += 1;
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            if !continuing && trimmed.starts_with('#') {
                comments.push((idx, trimmed[1..].to_string()));
            }
            continue;
        }
        if !continuing {
            let mut words = trimmed.split_whitespace();
            keyword = words.next().unwrap_or_default().to_ascii_uppercase();
            let mut after = &trimmed[keyword.len()..];
            if keyword == "ONBUILD" {
                keyword = words.next().unwrap_or_default().to_ascii_uppercase();
                after = after.trim_start();
                after = &after[keyword.len().min(after.len())..];
            }
            native_first = keyword == "RUN" && args_start_with_heredoc(after);
            pending.clear();
        }
        if keyword == "RUN" {
            pending.extend(find_heredoc_ops(line, off));
        }
        continuing = line.trim_end().ends_with(escape);
        if continuing || pending.is_empty() {
            continue;
        }
        for (n, op) in std::mem::take(&mut pending).into_iter().enumerate() {
            heredoc_ops.push(op.offset);
            let blank = !(native_first && n == 0);
            let body_start = idx;
            let mut end = None;
            let mut j = idx;
            while j < lines.len() {
                let l = lines[j].1;
                let l = if op.strip_tabs {
                    l.trim_start_matches('\t')
                } else {
                    l
                };
                if l == op.delim {
                    end = Some(j);
                    break;
                }
                j += 1;
            }
            let Some(end) = end else { break };
            if blank {
                for (o, l) in &lines[body_start..=end] {
                    for b in &mut bytes[*o..*o + l.len()] {
                        *b = b' ';
                    }
                }
            }
            idx = end + 1;
        }
    }
    // Only ASCII bytes were replaced by spaces inside whole lines, so the text
    // stays valid UTF-8; fall back to the original text otherwise.
    let text = String::from_utf8(bytes).unwrap_or_else(|_| text.to_string());
    Preprocessed {
        text,
        comments,
        heredoc_ops,
    }
}

/// Whether `RUN` arguments (after `--flags`) begin with `<<`.
fn args_start_with_heredoc(after_keyword: &str) -> bool {
    let mut rest = after_keyword.trim_start();
    while rest.starts_with("--") {
        let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
        rest = rest[end..].trim_start();
    }
    rest.starts_with("<<") && !rest.starts_with("<<<")
}

/// `<<WORD`, `<<-WORD`, `<<"WORD"`, `<<'WORD'` outside quotes in one line.
fn find_heredoc_ops(line: &str, line_offset: usize) -> Vec<HeredocOp> {
    let b = line.as_bytes();
    let mut out = Vec::new();
    let mut quote: Option<u8> = None;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        match quote {
            Some(q) => {
                if c == q {
                    quote = None;
                }
                i += 1;
                continue;
            }
            None if c == b'\'' || c == b'"' => {
                quote = Some(c);
                i += 1;
                continue;
            }
            None => {}
        }
        if c == b'<'
            && b.get(i + 1) == Some(&b'<')
            && b.get(i + 2) != Some(&b'<')
            && (i == 0 || b[i - 1] != b'<')
        {
            let mut j = i + 2;
            let strip_tabs = b.get(j) == Some(&b'-');
            if strip_tabs {
                j += 1;
            }
            let delim = match b.get(j) {
                Some(&q @ (b'"' | b'\'')) => {
                    let end = line[j + 1..].find(q as char).map(|e| j + 1 + e);
                    end.map(|e| (line[j + 1..e].to_string(), e + 1))
                }
                _ => {
                    let end = line[j..]
                        .find(|ch: char| ch.is_whitespace() || "<>|&;()'\"".contains(ch))
                        .map_or(line.len(), |e| j + e);
                    (end > j).then(|| (line[j..end].to_string(), end))
                }
            };
            if let Some((delim, next)) = delim {
                if !delim.is_empty() {
                    out.push(HeredocOp {
                        offset: line_offset + i,
                        delim,
                        strip_tabs,
                    });
                }
                i = next;
                continue;
            }
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<Kind> {
        match parse(text) {
            Ok(d) => d.instructions.into_iter().map(|i| i.kind).collect(),
            Err(e) => panic!("{e}"),
        }
    }

    fn run_text(text: &str) -> String {
        kinds(text)
            .into_iter()
            .find_map(|k| match k {
                Kind::Run(r) => Some(r.shell.original),
                _ => None,
            })
            .unwrap_or_default()
    }

    #[test]
    fn image_references() {
        let i = parse_image("python:3.9-slim");
        assert_eq!(
            (i.registry, i.name.as_str(), i.tag.as_deref()),
            (None, "python", Some("3.9-slim"))
        );
        let i = parse_image("gcr.io/distroless/base@sha256:abc");
        assert_eq!(i.registry.as_deref(), Some("gcr.io"));
        assert_eq!(i.name, "distroless/base");
        assert_eq!(i.digest.as_deref(), Some("sha256:abc"));
        let i = parse_image("my.reg:5000/app");
        assert_eq!(
            (i.registry.as_deref(), i.name.as_str(), i.tag),
            (Some("my.reg:5000"), "app", None)
        );
        let i = parse_image("${BASE:-debian}");
        assert_eq!((i.name.as_str(), i.tag), ("${BASE:-debian}", None));
        let i = parse_image("localhost:5000/app");
        assert_eq!(
            (i.name.as_str(), i.tag.as_deref()),
            ("localhost", Some("5000/app"))
        );
    }

    #[test]
    fn continuations_like_language_docker() {
        assert_eq!(join_continuations("a \\\n  b", '\\'), "a  b");
        assert_eq!(join_continuations("a\\\nb", '\\'), "ab");
        assert_eq!(
            join_continuations("a \\\n  # note\n  && b", '\\'),
            "a  && b"
        );
        assert_eq!(join_continuations("a `\n  b", '`'), "a  b");
        assert_eq!(join_continuations("echo a\\b", '\\'), "echo a\\b");
    }

    #[test]
    fn run_texts() {
        assert_eq!(
            run_text("FROM a\nRUN [\"pip\", \"install\", \"x\"]\n"),
            "pip install x"
        );
        assert_eq!(
            run_text("FROM a\nRUN <<EOF\napt-get update\nEOF\n"),
            "apt-get update"
        );
        assert_eq!(
            run_text("FROM a\nRUN python3 <<EOF\nprint(1)\nEOF\n\nRUN b\n"),
            "python3"
        );
        assert_eq!(
            run_text("FROM a\nRUN --mount=type=cache,target=/x <<-EOF\n\tls\nEOF\n"),
            "ls"
        );
    }

    #[test]
    fn later_heredocs_do_not_break_parsing() {
        let k = kinds("FROM a\nRUN cat <<EOF > /x\nFROM b\nEOF\nRUN c\n");
        assert_eq!(k.len(), 3);
    }

    #[test]
    fn pairs() {
        assert_eq!(
            parse_pairs("A=1 B=\"two words\" C='x y'", true),
            [
                ("A".to_string(), "1".to_string()),
                ("B".into(), "two words".into()),
                ("C".into(), "x y".into())
            ]
        );
        assert_eq!(
            parse_pairs("KEY some value", true),
            [("KEY".to_string(), "some value".to_string())]
        );
        assert_eq!(
            parse_arg_pairs("A B=2"),
            [("A".to_string(), None), ("B".into(), Some("2".into()))]
        );
    }

    #[test]
    fn mounts_and_lines() {
        let d = parse("# c1\nFROM a\n\nRUN --mount=type=cache,dst=/root/.cache/pip \\\n  pip install x\n# hadolint ignore=DL3013\nRUN y\n")
            .unwrap_or_default();
        let lines: Vec<usize> = d.instructions.iter().map(|i| i.line).collect();
        assert_eq!(lines, [2, 4, 7]);
        assert_eq!(
            d.comments,
            [
                (1, " c1".to_string()),
                (6, " hadolint ignore=DL3013".to_string())
            ]
        );
        let Kind::Run(r) = &d.instructions[1].kind else {
            panic!("not a RUN")
        };
        assert!(r.has_cache_mount_with(".cache/pip"));
    }

    #[test]
    fn parse_errors_carry_lines() {
        let e = parse("FROM a\nFORM b\n").err();
        assert_eq!(e.map(|e| e.line), Some(2));
    }
}
