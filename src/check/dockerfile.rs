//! Dockerfile checks: "is there an instruction like this, in the right
//! stage, after that other one?" — read from the shared Dockerfile model
//! (`crate::dockerfile`), the same one the linter reads. A pattern is matched
//! against the instruction's arguments followed by its here-document bodies.

use std::collections::HashMap;
use std::path::Path;

use regex::Regex;

use super::files::read;
use super::kinds::HasInstruction;
use super::{StageScope, Verdict};
use crate::diagnose::syntax::{self, explain_parse_error};
use crate::diagnose::{Diagnosis, distance, images, invisible};
use crate::dockerfile::{Dockerfile, Instruction};
use crate::engine::EngineFacts;

/// Parses each Dockerfile once per run of a lesson's checks.
#[derive(Default)]
pub(super) struct Cache {
    parsed: HashMap<String, Result<Dockerfile, Verdict>>,
}

impl Cache {
    /// The parsed Dockerfile, or the verdict every check of it gets.
    fn get(&mut self, ws: &Path, rel: &str) -> &Result<Dockerfile, Verdict> {
        self.parsed.entry(rel.to_string()).or_insert_with(|| {
            let text = read(ws, rel)?;
            Dockerfile::parse(&text).map_err(|e| explain_parse_error(rel, &text, &e).into())
        })
    }
}

/// Returns the verdict and, on a pass, the index of the matched instruction
/// (so that a later check can say `after = "<this check's id>"`).
pub(super) fn check(
    kind: &HasInstruction,
    ws: &Path,
    cache: &mut Cache,
    matched: &HashMap<String, usize>,
    facts: Option<&EngineFacts>,
) -> (Verdict, Option<usize>) {
    let HasInstruction {
        instruction,
        args,
        exec_form,
        after,
        path,
        stage,
    } = kind;
    let df = match cache.get(ws, path) {
        Ok(df) => df,
        Err(verdict) => return (verdict.clone(), None),
    };
    let keyword = instruction.to_ascii_uppercase();
    let pattern = args.as_deref().and_then(|p| Regex::new(p).ok());
    let in_scope = |stage_idx: usize| match stage {
        StageScope::Final => stage_idx == df.final_stage(),
        StageScope::Any => true,
    };
    let candidates: Vec<(usize, &Instruction)> = df
        .instructions
        .iter()
        .enumerate()
        .filter(|(_, i)| i.keyword == keyword && in_scope(i.stage))
        .collect();
    let where_ = match stage {
        StageScope::Final if df.stage_count > 1 => " in the final stage",
        _ => "",
    };
    if candidates.is_empty() {
        return (
            Verdict::Fail(format!("{path} has no {keyword} instruction{where_}")),
            None,
        );
    }
    let matching: Vec<_> = candidates
        .iter()
        .filter(|(_, i)| {
            pattern
                .as_ref()
                .is_none_or(|re| re.is_match(&i.args_and_heredocs()))
        })
        .collect();
    let Some(first) = matching.first() else {
        // The instruction meant is most likely the one after the `after`
        // check's match (the COPY of app.py after pip, not the first COPY).
        let before = after.as_ref().and_then(|id| matched.get(id)).copied();
        let (_, seen) = candidates
            .iter()
            .find(|(idx, _)| before.is_some_and(|b| *idx > b))
            .copied()
            .unwrap_or(candidates[0]);
        let near = pattern.as_ref().and_then(|re| {
            std::iter::once(seen)
                .chain(candidates.iter().map(|(_, i)| *i))
                .find_map(|i| near_miss(path, i, re, ws, facts))
        });
        let verdict = match near {
            Some(d) => d.into(),
            None => Verdict::Fail(format!(
                "{path} line {} says {keyword} {}",
                seen.line, seen.args
            )),
        };
        return (verdict, None);
    };
    if let Some(want_exec) = exec_form {
        let shaped: Vec<_> = matching
            .iter()
            .filter(|(_, i)| i.exec_form() == Some(*want_exec))
            .collect();
        if shaped.is_empty() {
            let (_, seen) = first;
            if *want_exec && let Some(d) = broken_exec(ws, path, seen) {
                return (d.into(), None);
            }
            let form = if *want_exec {
                "shell form; write it in exec form, a JSON array like [\"python\", \"app.py\"]"
            } else {
                "exec form (a JSON array); this step wants the shell form"
            };
            return (
                Verdict::Fail(format!(
                    "{path} line {}: `{keyword} {}` is in {form}",
                    seen.line, seen.args
                )),
                None,
            );
        }
    }
    // Order is judged only when the earlier instruction was found; if it
    // is missing, its own check already says so.
    if let Some(&before_index) = after.as_ref().and_then(|id| matched.get(id)) {
        let before = &df.instructions[before_index];
        return match matching.iter().find(|(idx, _)| *idx > before_index) {
            Some((idx, _)) => (Verdict::Pass, Some(*idx)),
            None => {
                let (_, seen) = first;
                (
                    Verdict::Fail(format!(
                        "{path} line {}: `{keyword} {}` comes before {} on line {}; move it below",
                        seen.line, seen.args, before.keyword, before.line
                    )),
                    None,
                )
            }
        };
    }
    (Verdict::Pass, Some(first.0))
}

/// Words the Dockerfile steps use, for "one or two letters away".
const WORDS: &[&str] = &[
    "install",
    "pip",
    "pip3",
    "python",
    "python3",
    "requirements.txt",
    "app.py",
    "--no-cache-dir",
    "--user",
    "/app",
    "./",
    "AS",
    "useradd",
    "adduser",
    "groupadd",
    "appuser",
];

/// The instruction is there but its arguments are not what the step wants:
/// nothing after the keyword, or a word one or two letters away from one
/// that would make it right.
fn near_miss(
    path: &str,
    seen: &Instruction,
    re: &Regex,
    ws: &Path,
    facts: Option<&EngineFacts>,
) -> Option<Diagnosis> {
    let at = seen.line;
    let keyword = seen.keyword;
    if seen.args.trim().is_empty() {
        return Some(Diagnosis::new(
            format!("{path} line {at}: `{keyword}` has nothing after it"),
            match syntax::example(keyword) {
                Some(e) => format!("change line {at} to: {e}"),
                None => format!("complete line {at}"),
            },
        ));
    }
    let mut dictionary: Vec<String> = WORDS.iter().map(|w| w.to_string()).collect();
    dictionary.extend(images::known(facts));
    if let Ok(entries) = std::fs::read_dir(ws) {
        dictionary.extend(
            entries
                .flatten()
                .take(200)
                .filter_map(|e| e.file_name().into_string().ok()),
        );
    }
    let (typed, meant, fixed) =
        syntax::repair_words(&seen.args_and_heredocs(), &dictionary, |c| re.is_match(c))?;
    let what = if invisible::plain(&typed) == meant {
        let ch = typed
            .chars()
            .find(|c| invisible::lookalike(*c).is_some())
            .unwrap_or(' ');
        format!("`{typed}` holds {}", invisible::describe(ch))
    } else if typed.to_lowercase() == meant.to_lowercase() {
        format!("`{typed}` should be `{meant}` (upper and lower case count)")
    } else {
        format!(
            "`{typed}` is {} away from `{meant}`",
            match distance(&typed.to_lowercase(), &meant.to_lowercase()) {
                1 => "one letter",
                _ => "two letters",
            }
        )
    };
    Some(Diagnosis::new(
        format!("{path} line {at}: `{keyword} {}` — {what}", seen.args),
        format!("change line {at} to: {keyword} {fixed}"),
    ))
}

/// An exec-form list that is not JSON (typographic or single quotes, a
/// missing `]` or `,`): Docker reads it as a shell command.
fn broken_exec(ws: &Path, path: &str, seen: &Instruction) -> Option<Diagnosis> {
    let text = std::fs::read_to_string(ws.join(path)).unwrap_or_default();
    let lines = syntax::lines(&text);
    let line = lines.get(seen.line - 1).map_or("", String::as_str);
    syntax::explain_broken_exec(path, seen.line, seen.keyword, &seen.args, line)
}

/// The Dockerfile has at least `min` stages.
pub(super) fn stages(ws: &Path, path: &str, min: usize, cache: &mut Cache) -> Verdict {
    match cache.get(ws, path) {
        Err(verdict) => verdict.clone(),
        Ok(df) if df.stage_count >= min => Verdict::Pass,
        Ok(df) => Verdict::Fail(format!(
            "{path} has {} stage{} (FROM line{}); a multi-stage build has {min} or more",
            df.stage_count,
            if df.stage_count == 1 { "" } else { "s" },
            if df.stage_count == 1 { "" } else { "s" }
        )),
    }
}
