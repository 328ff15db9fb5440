//! `image_label`: the image has a label (whose value matches a regex).

use serde::Deserialize;

use super::{Doc, Field, Kind, Needs, valid_regex};
use crate::check::engine::with_detail;
use crate::check::{Ctx, Shared, Verdict};
use crate::engine::normalize_ref;

pub(crate) const DOC: Doc = Doc {
    fields: &[
        Field::required("image"),
        Field::required("key"),
        Field::optional("matches").note("regex"),
    ],
    passes: "the image has the label (and its value matches)",
    engine: true,
    example: "image = \"my-docker-app\"\nkey = \"org.opencontainers.image.title\"",
};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ImageLabel {
    image: String,
    key: String,
    #[serde(default)]
    matches: Option<String>,
}

impl Kind for ImageLabel {
    fn needs(&self) -> Needs<'_> {
        Needs {
            image: Some(&self.image),
            ..Needs::default()
        }
    }

    fn validate(&self) -> Result<(), String> {
        self.matches
            .as_deref()
            .map_or(Ok(()), |re| valid_regex("matches", re))
    }

    fn default_label(&self) -> String {
        format!("{} has the label {}", self.image, self.key)
    }

    fn judge(&self, ctx: &Ctx<'_>, _: &mut Shared) -> Verdict {
        let (image, key) = (&self.image, &self.key);
        ctx.with_engine(|facts| {
            with_detail(facts, image, |d| match d.labels.get(key) {
                None => Verdict::Fail(format!("{} has no label {key}", normalize_ref(image))),
                Some(v) => match self.matches.as_deref().and_then(|m| regex::Regex::new(m).ok()) {
                    Some(re) if !re.is_match(v) => Verdict::Fail(format!(
                        "{key} is {v:?}, which does not match {}",
                        re.as_str()
                    )),
                    _ => Verdict::Pass,
                },
            })
        })
    }
}
