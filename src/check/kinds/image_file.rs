//! `image_file`: a path is (or is not) in the image's filesystem (the
//! engine task looks inside the image; nothing is run).

use serde::Deserialize;

use super::{Doc, Field, Kind, Needs};
use crate::check::engine::probe_answer;
use crate::check::{Ctx, Shared, Verdict};
use crate::engine::{Probe, ProbeAnswer, ProbeKind, normalize_ref};

pub(crate) const DOC: Doc = Doc {
    fields: &[
        Field::required("image"),
        Field::required("path"),
        Field::default("exists", "false"),
    ],
    passes: "the file is (with `exists = true`) or is not (the default) in the image's filesystem — read from the image, nothing is run",
    engine: true,
    example: "image = \"my-docker-app\"\npath = \"/app/.env\"",
};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ImageFile {
    image: String,
    path: String,
    #[serde(default)]
    exists: bool,
}

impl ImageFile {
    fn probe_kind(&self) -> ProbeKind {
        ProbeKind::File(self.path.clone())
    }
}

impl Kind for ImageFile {
    fn needs(&self) -> Needs<'_> {
        Needs {
            image: Some(&self.image),
            probe: Some(Probe {
                image: normalize_ref(&self.image),
                kind: self.probe_kind(),
            }),
            ..Needs::default()
        }
    }

    fn default_label(&self) -> String {
        let not = if self.exists { "" } else { "not " };
        format!("{} is {not}in {}", self.path, self.image)
    }

    fn judge(&self, ctx: &Ctx<'_>, _: &mut Shared) -> Verdict {
        let path = &self.path;
        ctx.with_engine(
            |facts| match probe_answer(facts, &self.image, self.probe_kind()) {
                Err(v) => v,
                Ok(ProbeAnswer::Exists(found)) if *found == self.exists => Verdict::Pass,
                Ok(ProbeAnswer::Exists(true)) => {
                    Verdict::Fail(format!("{path} is in the image — it must not be"))
                }
                Ok(ProbeAnswer::Exists(false)) => {
                    Verdict::Fail(format!("{path} is not in the image"))
                }
                Ok(ProbeAnswer::Failed(why)) => Verdict::Fail(why.clone()),
                Ok(_) => Verdict::Fail("unexpected probe answer".into()),
            },
        )
    }
}
