//! `container_output`: the latest run of the current image printed a line
//! and exited with a code.

use serde::Deserialize;

use super::{Doc, Field, Kind, Needs};
use crate::check::engine::with_run;
use crate::check::{Ctx, Shared, Verdict};
use crate::diagnose::runtime;
use crate::engine::{RunRecord, RunSource, normalize_ref};

pub(crate) const DOC: Doc = Doc {
    fields: &[
        Field::required("image"),
        Field::required("expected"),
        Field::default("exit_code", "0"),
    ],
    passes: "the latest run of the current image printed a line equal to `expected` and exited with `exit_code`",
    engine: true,
    example: "image = \"my-docker-app\"\nexpected = \"Hello, Docker!\"",
};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ContainerOutput {
    image: String,
    expected: String,
    #[serde(default)]
    exit_code: i64,
}

impl Kind for ContainerOutput {
    fn needs(&self) -> Needs<'_> {
        Needs {
            image: Some(&self.image),
            run: true,
            ..Needs::default()
        }
    }

    fn default_label(&self) -> String {
        format!("{} prints {:?}", self.image, self.expected)
    }

    fn judge(&self, ctx: &Ctx<'_>, shared: &mut Shared) -> Verdict {
        ctx.with_engine(|facts| {
            with_run(facts, &self.image, |run| {
                let verdict = self.printed(run);
                if matches!(verdict, Verdict::Pass) {
                    return verdict;
                }
                // Why it failed, read from what it printed.
                let project = runtime::Project {
                    ws: ctx.workspace,
                    dockerfile: &shared.built_from,
                    image: facts.details.get(&normalize_ref(&self.image)),
                };
                let output = run.output.as_deref().unwrap_or_default();
                // Another text printed (not the right text with a bad exit code).
                let printed_it = output.lines().any(|l| l.trim_end() == self.expected);
                let last = output
                    .lines()
                    .rev()
                    .find(|l| !l.trim().is_empty())
                    .filter(|_| !printed_it);
                match runtime::explain(output, &project).or_else(|| {
                    last.and_then(|l| runtime::wrong_text(l, &self.expected, ctx.workspace))
                }) {
                    Some(d) => d.into(),
                    None => verdict,
                }
            })
        })
    }
}

impl ContainerOutput {
    fn printed(&self, run: &RunRecord) -> Verdict {
        let (expected, want_code) = (self.expected.as_str(), self.exit_code);
        let Some(code) = run.exit_code else {
            return Verdict::Fail(
                "the last run was interrupted before the container exited".into(),
            );
        };
        let printed = match &run.output {
            Some(out) => out,
            None if run.source == RunSource::Shell => {
                return Verdict::Fail(
                    "the container was removed before its output could be read (docker run --rm) — run it from the app".into(),
                );
            }
            None => return Verdict::Fail("the container's output could not be read".into()),
        };
        let lines: Vec<&str> = printed.lines().map(str::trim_end).collect();
        if !lines.contains(&expected) {
            let shown = lines.iter().rev().find(|l| !l.trim().is_empty());
            return Verdict::Fail(match shown {
                Some(last) => format!("the container printed {last:?} — expected {expected:?}"),
                None => format!("the container printed nothing — expected {expected:?}"),
            });
        }
        if code != want_code {
            return Verdict::Fail(format!(
                "the container exited with code {code} — expected {want_code}"
            ));
        }
        Verdict::Pass
    }
}
