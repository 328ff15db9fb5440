//! Dockerfile near misses: an instruction misspelt (`FORM`, `COPPY`), a
//! line that should end in `\` and does not, a space inside an image
//! reference, too few arguments, an exec-form list that is not JSON (and so
//! silently becomes a shell command), a word one or two letters away from
//! the one a step needs (`pip instal`, `pyhton:3.9-slim`). Each names the
//! line, quotes it, and gives the corrected line.

use regex::Regex;

use super::invisible::{self, describe};
use super::{Diagnosis, distance, is_near};
use crate::dockerfile::ParseError;

/// Every Dockerfile instruction.
pub const INSTRUCTIONS: &[&str] = &[
    "FROM",
    "RUN",
    "CMD",
    "LABEL",
    "MAINTAINER",
    "EXPOSE",
    "ENV",
    "ADD",
    "COPY",
    "ENTRYPOINT",
    "VOLUME",
    "USER",
    "WORKDIR",
    "ARG",
    "ONBUILD",
    "STOPSIGNAL",
    "HEALTHCHECK",
    "SHELL",
];

/// Commands that start a shell line, not an instruction: a line starting
/// with one of them belongs to the `RUN` above it.
const SHELL_COMMANDS: &[&str] = &[
    "apt-get", "apt", "apk", "pip", "pip3", "python", "python3", "useradd", "adduser", "addgroup",
    "groupadd", "chown", "chmod", "mkdir", "rm", "cp", "mv", "echo", "curl", "wget", "cd", "ln",
    "npm", "yarn", "git", "tar", "touch", "sed", "ls", "cat", "export", "&&", "||", "|", "yum",
    "dnf", "make", "true", "test", "set",
];

/// What the guide writes for each instruction, for "it needs an argument".
pub fn example(keyword: &str) -> Option<&'static str> {
    Some(match keyword {
        "FROM" => "FROM python:3.9-slim",
        "WORKDIR" => "WORKDIR /app",
        "COPY" => "COPY app.py ./",
        "ADD" => "ADD app.py ./",
        "RUN" => "RUN pip install --no-cache-dir -r requirements.txt",
        "CMD" => "CMD [\"python\", \"app.py\"]",
        "ENTRYPOINT" => "ENTRYPOINT [\"python\", \"app.py\"]",
        "USER" => "USER appuser",
        "EXPOSE" => "EXPOSE 8000",
        "ENV" => "ENV PYTHONUNBUFFERED=1",
        _ => return None,
    })
}

/// The physical lines of a Dockerfile as Docker reads them (byte-order mark
/// and carriage returns gone).
pub fn lines(text: &str) -> Vec<String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    text.split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l).to_string())
        .collect()
}

/// A Dockerfile that does not parse: what is wrong on which line, and the
/// corrected line.
pub fn explain_parse_error(file: &str, text: &str, err: &ParseError) -> Diagnosis {
    let lines = lines(text);
    let at = err.line;
    let quoted = lines
        .get(at.wrapping_sub(1))
        .map(|l| l.trim().to_string())
        .unwrap_or_default();
    let here = format!("{file} line {at}: `{quoted}`");
    let msg = err.message.as_str();
    if let Some(word) = between(msg, "unknown instruction '", "'") {
        return unknown_instruction(file, &lines, at, word);
    }
    if msg.starts_with("expected AS") {
        return spaced_reference(&here, at, &quoted);
    }
    if let Some(keyword) = msg.strip_suffix(" instruction requires at least two arguments") {
        let keyword = keyword.to_ascii_uppercase();
        let mut fixed = quoted.clone();
        fixed.push_str(" ./");
        return Diagnosis::new(
            format!(
                "{here} — {keyword} needs a source and a destination (where in the image it goes); \
                 the destination is missing"
            ),
            format!("change line {at} to: {fixed}"),
        );
    }
    let needs_one = msg
        .strip_suffix(" instruction requires at least one argument")
        .or_else(|| msg.strip_suffix(" instruction requires exactly one argument"));
    if let Some(keyword) = needs_one {
        let keyword = keyword.to_ascii_uppercase();
        return Diagnosis::new(
            format!("{here} — {keyword} has nothing after it, and it needs something to work with"),
            match example(&keyword) {
                Some(e) => format!("change line {at} to, for example: {e}"),
                None => format!("complete line {at}, or delete it"),
            },
        );
    }
    if msg.starts_with("expected at least one FROM") {
        return if text.trim_start_matches('\u{feff}').trim().is_empty() {
            invisible::empty(
                file,
                "the Dockerfile's instructions, starting with FROM python:3.9-slim",
            )
        } else {
            Diagnosis::new(
                format!("{file} has no FROM line: every Dockerfile starts from a base image"),
                "add FROM python:3.9-slim as its first instruction",
            )
        };
    }
    if msg.starts_with("expected FROM") {
        return Diagnosis::new(
            format!("{here} — the first instruction must be FROM (only ARG may come before it)"),
            "put FROM python:3.9-slim first",
        );
    }
    let first_line = msg.lines().next().unwrap_or(msg);
    Diagnosis::new(
        format!("{here} — Docker cannot read it: {first_line}"),
        format!("compare line {at} with the guide's Dockerfile (press s)"),
    )
}

/// `unknown instruction 'X'` at line `at`: a misspelt instruction, a
/// character that only looks like a space, or a `RUN` line above that
/// should end in `\`.
fn unknown_instruction(file: &str, lines: &[String], at: usize, word: &str) -> Diagnosis {
    let line = lines.get(at.wrapping_sub(1)).cloned().unwrap_or_default();
    let quoted = line.trim();
    let here = format!("{file} line {at}: `{quoted}`");
    // `FROM\u{a0}python:3.9-slim` is one word to Docker.
    if let Some(spot) = invisible::lookalikes(&line).first()
        && word.contains(spot.ch)
    {
        let fixed = invisible::plain(quoted);
        return Diagnosis::new(
            format!(
                "{here} — column {} holds {}, which only looks like a space, so Docker reads \
                 `{}` as one unknown word",
                spot.column,
                describe(spot.ch),
                word.split(spot.ch).next().unwrap_or(word)
            ),
            format!("retype line {at} with ordinary spaces: {fixed}"),
        );
    }
    let upper = word.to_ascii_uppercase();
    let indented = line.starts_with([' ', '\t']);
    let misspelt = INSTRUCTIONS
        .iter()
        .filter(|k| is_near(&upper, k))
        .min_by_key(|k| distance(&upper, k));
    if let (Some(meant), false) = (misspelt, indented) {
        let fixed = format!("{meant}{}", &quoted[word.len().min(quoted.len())..]);
        return Diagnosis::new(
            format!("{here} — {word} is not an instruction; you probably meant {meant}"),
            format!("change line {at} to: {fixed}"),
        );
    }
    if let Some(d) = missing_backslash(file, lines, at, word) {
        return d;
    }
    if let Some(meant) = misspelt {
        let fixed = format!("{meant}{}", &quoted[word.len().min(quoted.len())..]);
        return Diagnosis::new(
            format!("{here} — {word} is not an instruction; you probably meant {meant}"),
            format!("change line {at} to: {fixed}"),
        );
    }
    Diagnosis::new(
        format!(
            "{here} — {word} is not a Dockerfile instruction (FROM, WORKDIR, COPY, RUN, CMD, …)"
        ),
        format!("start line {at} with an instruction, or make it a comment with #"),
    )
}

/// A shell line read as an instruction because the line above it does not
/// end in `\`.
fn missing_backslash(file: &str, lines: &[String], at: usize, word: &str) -> Option<Diagnosis> {
    let owner = owners(lines);
    // The last line before `at` that is not blank or a comment.
    let above = (1..at).rev().find(|&n| {
        let t = lines[n - 1].trim();
        !t.is_empty() && !t.starts_with('#')
    })?;
    let (keyword, start) = owner.get(above - 1).cloned().flatten()?;
    if !matches!(
        keyword.as_str(),
        "RUN" | "CMD" | "ENTRYPOINT" | "HEALTHCHECK"
    ) {
        return None;
    }
    let line = &lines[at - 1];
    let prev = lines[above - 1].trim_end();
    let shellish = SHELL_COMMANDS.contains(&word.to_ascii_lowercase().as_str())
        || ["&&", "||", "|", ";"].iter().any(|op| prev.ends_with(op));
    if !(line.starts_with([' ', '\t']) || shellish) {
        return None;
    }
    let joiner = if ["&&", "||", "|", ";"].iter().any(|op| prev.ends_with(op)) {
        " \\"
    } else {
        " && \\"
    };
    Some(Diagnosis::new(
        format!(
            "{file} line {at}: `{}` is not an instruction — line {above} does not end with \\, so \
             the {keyword} that starts on line {start} ends there and Docker reads line {at} as a \
             new instruction",
            line.trim()
        ),
        format!(
            "end line {above} with{joiner}: {}{joiner}",
            prev.trim_start()
        ),
    ))
}

/// For each physical line, the instruction it belongs to and the line that
/// instruction starts on (`None` for blank and comment lines outside one).
fn owners(lines: &[String]) -> Vec<Option<(String, usize)>> {
    let mut out = Vec::with_capacity(lines.len());
    let mut current: Option<(String, usize)> = None;
    let mut continuing = false;
    for (i, line) in lines.iter().enumerate() {
        let t = line.trim();
        if !continuing {
            current = if t.is_empty() || t.starts_with('#') {
                None
            } else {
                let word = t.split_whitespace().next().unwrap_or_default();
                Some((word.to_ascii_uppercase(), i + 1))
            };
        }
        out.push(current.clone());
        if continuing && (t.is_empty() || t.starts_with('#')) {
            continue;
        }
        continuing = line.trim_end().ends_with('\\');
    }
    out
}

/// `FROM python: 3.9-slim`, `FROM python 3.9-slim`: an image reference
/// with a blank inside it.
fn spaced_reference(here: &str, at: usize, quoted: &str) -> Diagnosis {
    let words: Vec<&str> = quoted.split_whitespace().collect();
    let rest: Vec<&str> = words
        .iter()
        .skip(1)
        .skip_while(|w| w.starts_with("--"))
        .copied()
        .collect();
    let joined = match rest.as_slice() {
        [a, b, ..] if a.ends_with(':') || b.starts_with(':') => Some(format!("{a}{b}")),
        [a, b, ..] if !a.contains(':') && b.starts_with(|c: char| c.is_ascii_alphanumeric()) => {
            Some(format!("{a}:{b}"))
        }
        _ => None,
    };
    match joined {
        Some(image) => Diagnosis::new(
            format!(
                "{here} — an image reference has no blanks in it: Docker reads `{}` as the image \
                 and `{}` as something else",
                rest[0], rest[1]
            ),
            format!("change line {at} to: FROM {image}"),
        ),
        None => Diagnosis::new(
            format!("{here} — FROM takes one image, optionally followed by AS and a stage name"),
            format!("change line {at} to, for example: FROM python:3.9-slim"),
        ),
    }
}

fn between<'a>(s: &'a str, open: &str, close: &str) -> Option<&'a str> {
    let start = s.find(open)? + open.len();
    let end = s[start..].rfind(close)? + start;
    Some(&s[start..end])
}

/// An instruction that should be in exec form (a JSON list) but reads as
/// shell form because its list is not valid JSON: typographic or single
/// quotes, a missing `]` or `,`, a trailing comma, a non-breaking space.
/// `line` is the instruction's physical first line, for the columns.
pub fn explain_broken_exec(
    file: &str,
    at: usize,
    keyword: &str,
    args: &str,
    line: &str,
) -> Option<Diagnosis> {
    let s = args.trim();
    if !s.starts_with('[') {
        return None;
    }
    let column = |needle: char| -> String {
        line.chars()
            .position(|c| c == needle)
            .map_or(String::new(), |i| format!(" (column {})", i + 1))
    };
    let mut problems: Vec<String> = Vec::new();
    let mut fixed = s.to_string();
    if let Some(spot) = invisible::lookalikes(s).first() {
        problems.push(format!(
            "{}{} is not a straight quote or space; JSON needs \" and ordinary spaces",
            describe(spot.ch),
            column(spot.ch)
        ));
        fixed = invisible::plain(&fixed);
    }
    if !fixed.contains('"') && fixed.contains('\'') {
        problems.push(format!(
            "the words are in single quotes{}; JSON needs double quotes \"",
            column('\'')
        ));
        fixed = fixed.replace('\'', "\"");
    }
    if !fixed.trim_end().ends_with(']') {
        problems.push("the list is not closed with ]".into());
        fixed = format!("{}]", fixed.trim_end());
    }
    let no_comma = Regex::new(r#""\s+""#).expect("regex");
    if no_comma.is_match(&fixed) {
        problems.push("a comma is missing between two words".into());
        fixed = no_comma.replace_all(&fixed, "\", \"").into_owned();
    }
    let trailing = Regex::new(r",\s*\]\s*$").expect("regex");
    if trailing.is_match(&fixed) {
        problems.push("a comma stands before ]".into());
        fixed = trailing.replace(&fixed, "]").into_owned();
    }
    let words: Vec<String> = serde_json::from_str(&fixed).ok()?;
    if problems.is_empty() {
        return None;
    }
    let list: Vec<String> = words.iter().map(|w| format!("{w:?}")).collect();
    let corrected = format!("{keyword} [{}]", list.join(", "));
    Some(Diagnosis::new(
        format!(
            "{file} line {at}: `{keyword} {s}` is not a valid JSON list — {} — so Docker runs it \
             as a shell command instead, which fails when the container starts (/bin/sh: {}: \
             not found)",
            problems.join("; "),
            s.split_whitespace().next().unwrap_or(s)
        ),
        format!("change line {at} to: {corrected}"),
    ))
}

/// A word one or two letters away from one that would make the step right:
/// replaces one word of `args` at a time with a near word of `dictionary`
/// (or with its plain look-alike) and asks `fits` whether that is what the
/// step wants. Returns the typed word, the meant one and the corrected args.
pub fn repair_words(
    args: &str,
    dictionary: &[String],
    fits: impl Fn(&str) -> bool,
) -> Option<(String, String, String)> {
    let words: Vec<&str> = args.split(' ').collect();
    let with = |i: usize, w: &str| -> String {
        let mut v: Vec<&str> = words.clone();
        v[i] = w;
        v.join(" ")
    };
    for (i, word) in words.iter().enumerate() {
        let plain = invisible::plain(word);
        if plain != *word && fits(&with(i, &plain)) {
            return Some((word.to_string(), plain.clone(), with(i, &plain)));
        }
        let lower = word.to_lowercase();
        let mut near: Vec<&String> = dictionary
            .iter()
            .filter(|d| lower == d.to_lowercase() && *word != d.as_str() || is_near(&lower, d))
            .collect();
        near.sort_by_key(|d| distance(&lower, d));
        for d in near {
            let candidate = with(i, d);
            if fits(&candidate) {
                return Some((word.to_string(), d.clone(), candidate));
            }
        }
        // `pyhton:3.11`: the name part is near, the tag is the learner's.
        if let Some((name, tag)) = word.split_once(':') {
            for d in dictionary {
                let dname = d.split(':').next().unwrap_or(d);
                if is_near(&name.to_lowercase(), dname) {
                    let meant = format!("{dname}:{tag}");
                    let candidate = with(i, &meant);
                    if fits(&candidate) {
                        return Some((word.to_string(), meant, candidate));
                    }
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dockerfile::Dockerfile;

    fn explain(text: &str) -> Diagnosis {
        let err = Dockerfile::parse(text).expect_err("should not parse");
        explain_parse_error("Dockerfile", text, &err)
    }

    #[test]
    fn misspelt_instructions() {
        let d = explain("FORM python:3.9-slim\nWORKDIR /app\n");
        assert!(d.reason.contains("you probably meant FROM"), "{}", d.reason);
        assert_eq!(d.fix, "change line 1 to: FROM python:3.9-slim");
        let d = explain("FROM python:3.9-slim\nWORKIDR /app\n");
        assert_eq!(d.fix, "change line 2 to: WORKDIR /app");
        let d = explain("FROM python:3.9-slim\ncoppy app.py ./\n");
        assert_eq!(d.fix, "change line 2 to: COPY app.py ./");
    }

    #[test]
    fn a_missing_backslash_is_found_on_the_line_above() {
        let text = "FROM python:3.9-slim\nRUN groupadd -r app && \\\n    useradd -r -g app appuser &&\n    chown -R appuser /app\nUSER appuser\n";
        let d = explain(text);
        assert!(
            d.reason.contains("line 3 does not end with \\"),
            "{}",
            d.reason
        );
        assert!(
            d.reason.contains("RUN that starts on line 2"),
            "{}",
            d.reason
        );
        assert_eq!(d.fix, "end line 3 with \\: useradd -r -g app appuser && \\");
        let text = "FROM python:3.9-slim\nRUN groupadd -r app && \\\n    useradd -r -g app appuser\n    chown -R appuser /app\n";
        let d = explain(text);
        assert_eq!(
            d.fix,
            "end line 3 with && \\: useradd -r -g app appuser && \\"
        );
    }

    #[test]
    fn blanks_in_an_image_reference() {
        for (line, want) in [
            ("FROM python: 3.9-slim", "FROM python:3.9-slim"),
            ("FROM python :3.9-slim", "FROM python:3.9-slim"),
            ("FROM python 3.9-slim", "FROM python:3.9-slim"),
        ] {
            let d = explain(&format!("{line}\nCMD [\"a\"]\n"));
            assert_eq!(
                d.fix,
                format!("change line 1 to: {want}"),
                "{line}: {}",
                d.reason
            );
        }
    }

    #[test]
    fn too_few_arguments_and_empty_files() {
        let d = explain("FROM python:3.9-slim\nCOPY app.py\n");
        assert_eq!(d.fix, "change line 2 to: COPY app.py ./");
        let d = explain("FROM python:3.9-slim\nWORKDIR\n");
        assert_eq!(d.fix, "change line 2 to, for example: WORKDIR /app");
        let d = explain("");
        assert!(d.reason.contains("empty"), "{}", d.reason);
        let d = explain("\u{a0}\nFROM\u{a0}python:3.9-slim\n");
        assert!(d.reason.contains("non-breaking space"), "{}", d.reason);
    }

    #[test]
    fn broken_exec_lists() {
        let f =
            |args: &str| explain_broken_exec("Dockerfile", 6, "CMD", args, &format!("CMD {args}"));
        let d = f("[“python”, “app.py”]").unwrap();
        assert!(d.reason.contains("typographic"), "{}", d.reason);
        assert!(d.reason.contains("(column 6)"), "{}", d.reason);
        assert_eq!(d.fix, "change line 6 to: CMD [\"python\", \"app.py\"]");
        assert!(
            f("['python', 'app.py']")
                .unwrap()
                .reason
                .contains("single quotes")
        );
        assert!(
            f("[\"python\" \"app.py\"]")
                .unwrap()
                .reason
                .contains("comma is missing")
        );
        assert!(
            f("[\"python\", \"app.py\"")
                .unwrap()
                .reason
                .contains("not closed")
        );
        assert!(
            f("[\"python\", \"app.py\",]")
                .unwrap()
                .reason
                .contains("comma stands")
        );
        assert_eq!(f("python app.py"), None);
    }

    #[test]
    fn near_words_that_make_the_step_right() {
        let dict: Vec<String> = ["install", "python:3.9-slim"].map(String::from).to_vec();
        let re = Regex::new(r"pip3?\s+install\b").unwrap();
        let r = repair_words("pip instal -r requirements.txt", &dict, |c| re.is_match(c));
        assert_eq!(
            r,
            Some((
                "instal".into(),
                "install".into(),
                "pip install -r requirements.txt".into()
            ))
        );
        let re = Regex::new(r"^python:\S+$").unwrap();
        let r = repair_words("pyhton:3.11", &dict, |c| re.is_match(c)).unwrap();
        assert_eq!(r.2, "python:3.11");
        assert_eq!(
            repair_words("ubuntu:22.04", &dict, |c| re.is_match(c)),
            None
        );
    }
}
