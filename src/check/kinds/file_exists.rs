//! `file_exists`: a file exists in the workspace.

use serde::Deserialize;

use super::{Doc, Field, Kind};
use crate::check::files::missing;
use crate::check::{Ctx, Shared, Verdict, resolve};
use crate::diagnose::near;

pub(crate) const DOC: Doc = Doc {
    fields: &[Field::required("path")],
    passes: "the file exists",
    engine: false,
    example: r#"path = "app.py""#,
};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FileExists {
    path: String,
}

impl Kind for FileExists {
    fn default_label(&self) -> String {
        format!("{} exists", self.path)
    }

    fn judge(&self, ctx: &Ctx<'_>, _: &mut Shared) -> Verdict {
        let (ws, rel) = (ctx.workspace, self.path.as_str());
        let Some(path) = resolve(ws, rel) else {
            return Verdict::Fail(format!("{rel:?} is outside the workspace"));
        };
        match std::fs::metadata(&path) {
            Ok(m) if m.is_file() && near::exists_exactly(ws, rel) => Verdict::Pass,
            Ok(m) if m.is_file() => missing(ws, rel),
            Ok(_) => Verdict::Fail(format!("{rel} is a folder, not a file")),
            Err(_) => missing(ws, rel),
        }
    }
}
