//! `dir_exists`: a folder exists in the workspace.

use serde::Deserialize;

use super::{Doc, Field, Kind};
use crate::check::files::{shown, workspace_missing};
use crate::check::{Ctx, Shared, Verdict, resolve};

pub(crate) const DOC: Doc = Doc {
    fields: &[Field::required("path").note("`\".\"` is the workspace")],
    passes: "the folder exists",
    engine: false,
    example: r#"path = "my-docker-app""#,
};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DirExists {
    path: String,
}

impl Kind for DirExists {
    fn default_label(&self) -> String {
        if self.path == "." {
            "the project folder exists".into()
        } else {
            format!("folder {} exists", self.path)
        }
    }

    fn judge(&self, ctx: &Ctx<'_>, _: &mut Shared) -> Verdict {
        let (ws, rel) = (ctx.workspace, self.path.as_str());
        let Some(path) = resolve(ws, rel) else {
            return Verdict::Fail(format!("{rel:?} is outside the workspace"));
        };
        match std::fs::metadata(&path) {
            Ok(m) if m.is_dir() => Verdict::Pass,
            Ok(_) => Verdict::Fail(format!("{} is a file, not a folder", shown(ws, rel))),
            Err(_) if rel == "." => workspace_missing(ws),
            Err(_) => Verdict::Fail(format!("{} does not exist", shown(ws, rel))),
        }
    }
}
