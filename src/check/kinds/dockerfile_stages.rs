//! `dockerfile_stages`: the Dockerfile is a multi-stage build. The judging
//! is in `check::dockerfile`.

use serde::Deserialize;

use super::{Doc, Field, Kind};
use crate::check::{Ctx, Shared, Verdict, dockerfile};

pub(crate) const DOC: Doc = Doc {
    fields: &[
        Field::default("min", "2"),
        Field::default("path", "\"Dockerfile\""),
    ],
    passes: "the Dockerfile has at least `min` stages (FROM lines)",
    engine: false,
    example: "",
};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DockerfileStages {
    #[serde(default = "two")]
    min: usize,
    #[serde(default = "super::dockerfile_path")]
    path: String,
}

fn two() -> usize {
    2
}

impl Kind for DockerfileStages {
    fn default_label(&self) -> String {
        format!("{} has at least {} stages", self.path, self.min)
    }

    fn judge(&self, ctx: &Ctx<'_>, shared: &mut Shared) -> Verdict {
        dockerfile::stages(ctx.workspace, &self.path, self.min, &mut shared.dockerfiles)
    }
}
