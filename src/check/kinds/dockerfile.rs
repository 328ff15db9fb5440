//! `dockerfile`: the Dockerfile has an instruction like this, in the right
//! stage, after that other one. The judging is in `check::dockerfile`.

use serde::Deserialize;

use super::{Doc, Field, Kind, Needs, valid_regex};
use crate::check::{Ctx, Shared, Verdict, dockerfile};

pub(crate) const DOC: Doc = Doc {
    fields: &[
        Field::required("instruction"),
        Field::optional("args").note("regex"),
        Field::optional("exec_form").note("`true` or `false`"),
        Field::optional("after").note("the `id` of an earlier check"),
        Field::default("path", "\"Dockerfile\""),
        Field::default("stage", "\"final\"").note("or `\"any\"`"),
    ],
    passes: "the Dockerfile has that instruction, its arguments match `args`, in exec form if asked, after the instruction matched by the check named in `after`",
    engine: false,
    example: r#"instruction = "WORKDIR""#,
};

/// An instruction of the Dockerfile whose arguments match a regex.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct HasInstruction {
    pub instruction: String,
    #[serde(default)]
    pub args: Option<String>,
    /// CMD / ENTRYPOINT / RUN must (true) or must not (false) use the JSON
    /// exec form.
    #[serde(default)]
    pub exec_form: Option<bool>,
    /// The matched instruction must come after the one matched by the check
    /// with this `id`.
    #[serde(default)]
    pub after: Option<String>,
    #[serde(default = "super::dockerfile_path")]
    pub path: String,
    #[serde(default)]
    pub stage: StageScope,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum StageScope {
    /// Only the last stage (the image that gets tagged).
    #[default]
    Final,
    /// Any stage.
    Any,
}

impl Kind for HasInstruction {
    fn needs(&self) -> Needs<'_> {
        Needs {
            after: self.after.as_deref(),
            ..Needs::default()
        }
    }

    fn validate(&self) -> Result<(), String> {
        self.args.as_deref().map_or(Ok(()), |re| valid_regex("args", re))
    }

    fn default_label(&self) -> String {
        format!(
            "Dockerfile has a {} instruction",
            self.instruction.to_uppercase()
        )
    }

    /// On a pass, tells the shared state which instruction matched, so that
    /// a later check can say `after = "<this check's id>"`.
    fn judge(&self, ctx: &Ctx<'_>, shared: &mut Shared) -> Verdict {
        let (verdict, index) = dockerfile::check(
            self,
            ctx.workspace,
            &mut shared.dockerfiles,
            &shared.matched,
            ctx.engine,
        );
        shared.found = index;
        verdict
    }
}
