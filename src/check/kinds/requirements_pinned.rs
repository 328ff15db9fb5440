//! `requirements_pinned`: every requirement pins an exact version.

use serde::Deserialize;

use super::{Doc, Field, Kind};
use crate::check::files::read;
use crate::check::{Ctx, Shared, Verdict};

pub(crate) const DOC: Doc = Doc {
    fields: &[Field::default("path", "\"requirements.txt\"")],
    passes: "every requirement line pins an exact version with `==` (comments and blank lines are fine)",
    engine: false,
    example: "",
};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RequirementsPinned {
    #[serde(default = "requirements")]
    path: String,
}

fn requirements() -> String {
    "requirements.txt".into()
}

impl Kind for RequirementsPinned {
    fn default_label(&self) -> String {
        format!("every line of {} is pinned with ==", self.path)
    }

    /// Every requirement line pins an exact version (`name==1.2.3`).
    fn judge(&self, ctx: &Ctx<'_>, _: &mut Shared) -> Verdict {
        let rel = &self.path;
        let text = match read(ctx.workspace, rel) {
            Ok(t) => t,
            Err(v) => return v,
        };
        for (i, raw) in text.lines().enumerate() {
            let line = raw.split(" #").next().unwrap_or("").trim();
            // Comments, blank lines, and options such as `-r other.txt`.
            if line.is_empty() || line.starts_with('#') || line.starts_with('-') {
                continue;
            }
            let spec = line.split(';').next().unwrap_or(line).trim();
            let pinned = spec.split_once("==").is_some_and(|(name, version)| {
                !name.trim().is_empty()
                    && !version.trim().is_empty()
                    && !version.contains(['<', '>', '*', ',', '~', '!'])
            });
            if !pinned {
                let name: String = spec
                    .chars()
                    .take_while(|c| {
                        c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '[' | ']')
                    })
                    .collect();
                return Verdict::Fail(format!(
                    "{rel} line {}: {spec} is not pinned — write {}==<version>",
                    i + 1,
                    if name.is_empty() { spec } else { &name }
                ));
            }
        }
        Verdict::Pass
    }
}
