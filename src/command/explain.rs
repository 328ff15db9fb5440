//! What each part of a typed command means, read from the grammar's help
//! texts, word by word, so that a half-typed line is explained too.

use clap::{Arg, CommandFactory};

use super::errors::closest;
use super::grammar::DockerCli;
use super::meaning::Publish;

/// What a part is; the view picks how it looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartKind {
    Program,
    Command,
    Flag,
    Argument,
    Refused,
    Unknown,
}

/// One part of the typed line (`-t my-docker-app`) and what it means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    pub text: String,
    pub meaning: String,
    pub kind: PartKind,
}

fn part(text: impl Into<String>, meaning: impl Into<String>, kind: PartKind) -> Part {
    Part {
        text: text.into(),
        meaning: meaning.into(),
        kind,
    }
}

fn help(arg: &Arg) -> String {
    arg.get_help().map(ToString::to_string).unwrap_or_default()
}

fn flag_kind(arg: &Arg) -> PartKind {
    if help(arg).starts_with("refused") {
        PartKind::Refused
    } else {
        PartKind::Flag
    }
}

/// The parts of `line`, as far as it goes. Unbalanced quotes are read as
/// if closed, so the explanation keeps up while the learner types.
pub fn explain(line: &str) -> Vec<Part> {
    let words = super::words(line)
        .or_else(|_| super::words(&format!("{line}\"")))
        .or_else(|_| super::words(&format!("{line}'")))
        .unwrap_or_else(|_| line.split_whitespace().map(str::to_string).collect());
    let mut parts = Vec::new();
    let mut rest = words.iter();
    let Some(program) = rest.next() else {
        return parts;
    };
    if program != "docker" {
        parts.push(part(
            program,
            "not docker: docktutor runs docker commands",
            PartKind::Unknown,
        ));
        return parts;
    }
    parts.push(part(program, "the Docker command line", PartKind::Program));
    let mut cmd = DockerCli::command();
    let mut words: Vec<&String> = rest.collect();
    while cmd.has_subcommands() {
        let Some(first) = words.first() else {
            return parts;
        };
        let Some(sub) = cmd.find_subcommand(first.as_str()).cloned() else {
            let names: Vec<&str> = cmd.get_subcommands().map(clap::Command::get_name).collect();
            let meaning = match closest(first, names.iter().copied()) {
                Some(s) => format!("not a command docktutor runs (did you mean {s}?)"),
                None => "not a command docktutor runs".to_string(),
            };
            parts.push(part(first.as_str(), meaning, PartKind::Unknown));
            return parts;
        };
        let about = sub.get_about().map(ToString::to_string).unwrap_or_default();
        parts.push(part(first.as_str(), about, PartKind::Command));
        cmd = sub;
        words.remove(0);
    }
    arguments(&cmd, &words, &mut parts);
    parts
}

/// Flags and positional arguments after the subcommand.
fn arguments(cmd: &clap::Command, words: &[&String], parts: &mut Vec<Part>) {
    let positionals: Vec<&Arg> = cmd.get_positionals().collect();
    let mut position = 0;
    let mut options_done = false;
    let mut i = 0;
    while i < words.len() {
        let word = words[i].as_str();
        i += 1;
        if !options_done && word == "--" {
            options_done = true;
            parts.push(part(word, "the end of the flags", PartKind::Flag));
            continue;
        }
        if !options_done && word.len() > 1 && word.starts_with('-') {
            let (flag_parts, used_next) = flag(cmd, word, words.get(i).map(|w| w.as_str()));
            parts.extend(flag_parts);
            if used_next {
                i += 1;
            }
            continue;
        }
        let Some(arg) = positionals.get(position).copied() else {
            parts.push(part(
                word,
                "one word too many for this command",
                PartKind::Unknown,
            ));
            continue;
        };
        parts.push(part(word, help(arg), PartKind::Argument));
        if arg.is_trailing_var_arg_set() {
            // `docker run IMAGE COMMAND…`: everything after is the command.
            let rest: Vec<&str> = words[i..].iter().map(|w| w.as_str()).collect();
            if let Some(last) = parts.last_mut()
                && !rest.is_empty()
            {
                last.text = format!("{word} {}", rest.join(" "));
            }
            return;
        }
        let many = arg.get_num_args().is_some_and(|n| n.max_values() > 1);
        if !many {
            position += 1;
        }
        if positionals
            .get(position)
            .is_some_and(|a| a.is_trailing_var_arg_set())
        {
            options_done = true;
        }
    }
}

/// One flag word (`--tag=x`, `-t`, `-it`), and whether it took the next
/// word as its value.
fn flag(cmd: &clap::Command, word: &str, next: Option<&str>) -> (Vec<Part>, bool) {
    if let Some(long) = word.strip_prefix("--") {
        let (name, inline) = match long.split_once('=') {
            Some((n, v)) => (n, Some(v)),
            None => (long, None),
        };
        let found = cmd.get_arguments().find(|a| {
            a.get_long() == Some(name) || a.get_visible_aliases().is_some_and(|v| v.contains(&name))
        });
        return match found {
            Some(arg) => with_value(arg, word, inline, next),
            None => (vec![unknown_flag(cmd, word)], false),
        };
    }
    let shorts: Vec<char> = word[1..].chars().collect();
    let mut parts = Vec::new();
    for (k, c) in shorts.iter().enumerate() {
        let Some(arg) = cmd.get_arguments().find(|a| a.get_short() == Some(*c)) else {
            parts.push(unknown_flag(cmd, &format!("-{c}")));
            return (parts, false);
        };
        if arg.get_action().takes_values() {
            let rest: String = shorts[k + 1..].iter().collect();
            let inline = (!rest.is_empty()).then_some(rest);
            let text = if k == 0 {
                word.to_string()
            } else {
                format!("-{c}")
            };
            let (p, used) = with_value(arg, &text, inline.as_deref(), next);
            parts.extend(p);
            return (parts, used);
        }
        parts.push(part(format!("-{c}"), help(arg), flag_kind(arg)));
    }
    if let [only] = parts.as_mut_slice() {
        only.text = word.to_string();
    }
    (parts, false)
}

fn with_value(
    arg: &Arg,
    text: &str,
    inline: Option<&str>,
    next: Option<&str>,
) -> (Vec<Part>, bool) {
    if !arg.get_action().takes_values() {
        return (vec![part(text, help(arg), flag_kind(arg))], false);
    }
    let (value, used) = match inline {
        Some(v) => (Some(v), false),
        None => (next, next.is_some()),
    };
    let shown = match (inline, value) {
        (None, Some(v)) => format!("{text} {v}"),
        _ => text.to_string(),
    };
    let mut meaning = help(arg);
    if arg.get_long() == Some("publish")
        && let Some(p) = value.and_then(Publish::parse)
    {
        meaning = format!(
            "{meaning}: {}; docktutor does not publish ports, your own shell does",
            p.describe()
        );
    }
    (vec![part(shown, meaning, flag_kind(arg))], used)
}

fn unknown_flag(cmd: &clap::Command, word: &str) -> Part {
    let name = word.split('=').next().unwrap_or(word);
    let flags: Vec<String> = cmd
        .get_arguments()
        .flat_map(|a| {
            let long = a.get_long().map(|l| format!("--{l}"));
            let short = a.get_short().map(|s| format!("-{s}"));
            long.into_iter().chain(short)
        })
        .collect();
    let meaning = match closest(name, flags.iter().map(String::as_str)) {
        Some(s) => format!("no such flag (did you mean {s}?)"),
        None => "no such flag".to_string(),
    };
    part(word, meaning, PartKind::Unknown)
}
