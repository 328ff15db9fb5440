//! `image_healthcheck`: the image defines a HEALTHCHECK.

use serde::Deserialize;

use super::{Doc, Field, Kind, Needs};
use crate::check::engine::with_detail;
use crate::check::{Ctx, Shared, Verdict};

pub(crate) const DOC: Doc = Doc {
    fields: &[Field::required("image")],
    passes: "the image defines a `HEALTHCHECK`",
    engine: true,
    example: r#"image = "my-docker-app:health""#,
};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ImageHealthcheck {
    image: String,
}

impl Kind for ImageHealthcheck {
    fn needs(&self) -> Needs<'_> {
        Needs {
            image: Some(&self.image),
            ..Needs::default()
        }
    }

    fn default_label(&self) -> String {
        format!("{} defines a health check", self.image)
    }

    fn judge(&self, ctx: &Ctx<'_>, _: &mut Shared) -> Verdict {
        ctx.with_engine(|facts| {
            with_detail(facts, &self.image, |d| match &d.healthcheck {
                Some(_) => Verdict::Pass,
                None => Verdict::Fail(
                    "the image defines no HEALTHCHECK — add one and build again".into(),
                ),
            })
        })
    }
}
