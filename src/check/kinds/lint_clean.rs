//! `lint_clean`: the built-in linter reports none of these rules.

use serde::Deserialize;

use super::{Doc, Field, Kind};
use crate::check::{Ctx, Shared, Verdict, resolve};

pub(crate) const DOC: Doc = Doc {
    fields: &[
        Field::required("rules").note("e.g. `[\"DL3007\"]`"),
        Field::default("path", "\"Dockerfile\""),
    ],
    passes: "the built-in linter reports none of these rules on the Dockerfile",
    engine: false,
    example: r#"rules = ["DL3007"]"#,
};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct LintClean {
    rules: Vec<String>,
    #[serde(default = "super::dockerfile_path")]
    path: String,
}

impl Kind for LintClean {
    fn default_label(&self) -> String {
        format!(
            "the linter finds no {} in {}",
            self.rules.join("/"),
            self.path
        )
    }

    fn judge(&self, ctx: &Ctx<'_>, _: &mut Shared) -> Verdict {
        let (ws, rel) = (ctx.workspace, self.path.as_str());
        let Some(path) = resolve(ws, rel) else {
            return Verdict::Fail(format!("{rel:?} is outside the workspace"));
        };
        if !path.is_file() {
            return Verdict::Fail(format!("{rel} is missing from {}", ws.display()));
        }
        match crate::lint::lint_path(&path) {
            Err(e) => Verdict::Fail(e),
            Ok((_, findings)) => {
                let hits: Vec<String> = findings
                    .iter()
                    .filter(|f| self.rules.iter().any(|r| r == f.rule))
                    .map(|f| format!("line {} {}: {}", f.line, f.rule, f.message))
                    .collect();
                if hits.is_empty() {
                    Verdict::Pass
                } else {
                    Verdict::Fail(hits.join("; "))
                }
            }
        }
    }
}
