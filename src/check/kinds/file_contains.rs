//! `file_contains`: a workspace file contains a piece of text (or does not).

use serde::Deserialize;

use super::{Doc, Field, Kind};
use crate::check::files::read;
use crate::check::{Ctx, Shared, Verdict};

pub(crate) const DOC: Doc = Doc {
    fields: &[
        Field::required("path"),
        Field::required("text"),
        Field::default("absent", "false"),
    ],
    passes: "the file contains `text` (or, with `absent = true`, does not)",
    engine: false,
    example: "path = \".dockerignore\"\ntext = \".env\"",
};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FileContains {
    path: String,
    text: String,
    #[serde(default)]
    absent: bool,
}

impl Kind for FileContains {
    fn default_label(&self) -> String {
        let verb = if self.absent {
            "does not contain"
        } else {
            "contains"
        };
        format!("{} {verb} {:?}", self.path, self.text)
    }

    fn judge(&self, ctx: &Ctx<'_>, _: &mut Shared) -> Verdict {
        let (rel, text) = (&self.path, &self.text);
        let content = match read(ctx.workspace, rel) {
            Ok(c) => c,
            Err(v) => return v,
        };
        match (content.contains(text.as_str()), self.absent) {
            (true, false) | (false, true) => Verdict::Pass,
            (false, false) => Verdict::Fail(format!("{rel} does not contain {text:?}")),
            (true, true) => Verdict::Fail(format!("{rel} still contains {text:?}")),
        }
    }
}
