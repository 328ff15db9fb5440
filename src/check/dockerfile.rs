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
use crate::dockerfile::{Dockerfile, Instruction};

/// Parses each Dockerfile once per run of a lesson's checks.
#[derive(Default)]
pub(super) struct Cache {
    parsed: HashMap<String, Result<Dockerfile, String>>,
}

impl Cache {
    fn get(&mut self, ws: &Path, rel: &str) -> &Result<Dockerfile, String> {
        self.parsed.entry(rel.to_string()).or_insert_with(|| {
            let text = read(ws, rel).map_err(|v| match v {
                Verdict::Fail(m) | Verdict::Blocked(m) => m,
                Verdict::Pass => String::new(),
            })?;
            Dockerfile::parse(&text).map_err(|e| {
                format!(
                    "{rel} line {}: it does not parse: {}",
                    e.line,
                    first_line(&e.to_string())
                )
            })
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
        Err(msg) => return (Verdict::Fail(msg.clone()), None),
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
        let (_, seen) = candidates[0];
        return (
            Verdict::Fail(format!("line {} says {keyword} {}", seen.line, seen.args)),
            None,
        );
    };
    if let Some(want_exec) = exec_form {
        let shaped: Vec<_> = matching
            .iter()
            .filter(|(_, i)| i.exec_form() == Some(*want_exec))
            .collect();
        if shaped.is_empty() {
            let (_, seen) = first;
            let form = if *want_exec {
                "shell form; write it in exec form, a JSON array like [\"python\", \"app.py\"]"
            } else {
                "exec form (a JSON array); this step wants the shell form"
            };
            return (
                Verdict::Fail(format!("line {}: {keyword} is in {form}", seen.line)),
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
                        "line {}: {keyword} comes before {} on line {}; move it below",
                        seen.line, before.keyword, before.line
                    )),
                    None,
                )
            }
        };
    }
    (Verdict::Pass, Some(first.0))
}

/// The Dockerfile has at least `min` stages.
pub(super) fn stages(ws: &Path, path: &str, min: usize, cache: &mut Cache) -> Verdict {
    match cache.get(ws, path) {
        Err(msg) => Verdict::Fail(msg.clone()),
        Ok(df) if df.stage_count >= min => Verdict::Pass,
        Ok(df) => Verdict::Fail(format!(
            "{path} has {} stage{} (FROM line{}); a multi-stage build has {min} or more",
            df.stage_count,
            if df.stage_count == 1 { "" } else { "s" },
            if df.stage_count == 1 { "" } else { "s" }
        )),
    }
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or(s)
}
