//! `image_user`: the image's configured user is not root.

use serde::Deserialize;

use super::{Doc, Field, Kind, Needs};
use crate::check::engine::with_detail;
use crate::check::{Ctx, Shared, Verdict};

pub(crate) const DOC: Doc = Doc {
    fields: &[Field::required("image")],
    passes: "the image's configured user is not root (`USER` set, not `root` or `0`)",
    engine: true,
    example: r#"image = "my-docker-app""#,
};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ImageUser {
    image: String,
}

impl Kind for ImageUser {
    fn needs(&self) -> Needs<'_> {
        Needs {
            image: Some(&self.image),
            ..Needs::default()
        }
    }

    fn default_label(&self) -> String {
        format!("{} runs as a non-root user", self.image)
    }

    fn judge(&self, ctx: &Ctx<'_>, _: &mut Shared) -> Verdict {
        ctx.with_engine(|facts| {
            with_detail(facts, &self.image, |d| {
                let user = d.user.trim();
                let name = user.split(':').next().unwrap_or("");
                if user.is_empty() {
                    Verdict::Fail("the image has no USER, so it runs as root — add a USER line after creating the user".into())
                } else if name == "root" || name == "0" {
                    Verdict::Fail(format!("the image runs as {user:?}, which is root"))
                } else {
                    Verdict::Pass
                }
            })
        })
    }
}
