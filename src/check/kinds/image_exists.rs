//! `image_exists`: the engine has an image with this reference.

use serde::Deserialize;

use super::{Doc, Field, Kind, Needs};
use crate::check::engine::no_image;
use crate::check::{Ctx, Shared, Verdict};

pub(crate) const DOC: Doc = Doc {
    fields: &[Field::required("image")],
    passes: "the engine has the image (`name` means `name:latest`)",
    engine: true,
    example: r#"image = "my-docker-app""#,
};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ImageExists {
    image: String,
}

impl Kind for ImageExists {
    fn needs(&self) -> Needs<'_> {
        Needs {
            image: Some(&self.image),
            ..Needs::default()
        }
    }

    fn default_label(&self) -> String {
        format!("image {} exists", self.image)
    }

    fn judge(&self, ctx: &Ctx<'_>, _: &mut Shared) -> Verdict {
        ctx.with_engine(|facts| match facts.image_id(&self.image) {
            Some(_) => Verdict::Pass,
            None => no_image(&self.image),
        })
    }
}
