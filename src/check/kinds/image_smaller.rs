//! `image_smaller`: one image is smaller than another.

use serde::Deserialize;

use super::{Doc, Field, Kind, Needs};
use crate::check::engine::no_image;
use crate::check::{Ctx, Shared, Verdict};
use crate::engine::normalize_ref;

pub(crate) const DOC: Doc = Doc {
    fields: &[Field::required("image"), Field::required("than")],
    passes: "both images exist and `image` is smaller",
    engine: true,
    example: "image = \"my-docker-app:slim\"\nthan = \"my-docker-app:full\"",
};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ImageSmaller {
    image: String,
    than: String,
}

impl Kind for ImageSmaller {
    fn needs(&self) -> Needs<'_> {
        Needs {
            image: Some(&self.image),
            ..Needs::default()
        }
    }

    fn default_label(&self) -> String {
        format!("{} is smaller than {}", self.image, self.than)
    }

    fn judge(&self, ctx: &Ctx<'_>, _: &mut Shared) -> Verdict {
        let (image, than) = (self.image.as_str(), self.than.as_str());
        let human = |b: i64| crate::text::docker_size(b.max(0) as u64);
        ctx.with_engine(
            |facts| match (facts.image_size(image), facts.image_size(than)) {
                (None, _) => no_image(image),
                (_, None) => Verdict::Fail(format!(
                    "the engine has no image {} to compare with",
                    normalize_ref(than)
                )),
                (Some(a), Some(b)) if a < b => Verdict::Pass,
                (Some(a), Some(b)) => Verdict::Fail(format!(
                    "{} is {}, not smaller than {} ({})",
                    normalize_ref(image),
                    human(a),
                    normalize_ref(than),
                    human(b)
                )),
            },
        )
    }
}
