//! `dangling_images`: at most so many dangling images carry a label.

use serde::Deserialize;

use super::{Doc, Field, Kind, Needs};
use crate::check::{Ctx, Shared, Verdict};

pub(crate) const DOC: Doc = Doc {
    fields: &[
        Field::required("with_label").note("`key=value`"),
        Field::default("max", "0"),
    ],
    passes: "at most `max` dangling images carry the label",
    engine: true,
    example: r#"with_label = "org.opencontainers.image.title=my-docker-app""#,
};

/// (`with_label`, because every check's `label` is its checklist line.)
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DanglingImages {
    with_label: String,
    #[serde(default)]
    max: usize,
}

impl Kind for DanglingImages {
    fn needs(&self) -> Needs<'_> {
        Needs {
            dangling_label: Some(&self.with_label),
            ..Needs::default()
        }
    }

    fn default_label(&self) -> String {
        format!(
            "at most {} dangling images labelled {}",
            self.max, self.with_label
        )
    }

    fn judge(&self, ctx: &Ctx<'_>, _: &mut Shared) -> Verdict {
        let (label, max) = (&self.with_label, self.max);
        ctx.with_engine(|facts| match facts.dangling.get(label) {
            Some(&n) if n <= max => Verdict::Pass,
            Some(&n) => Verdict::Fail(format!(
                "{n} dangling image{} labelled {label} — tidy them up",
                if n == 1 { "" } else { "s" }
            )),
            None => Verdict::Fail("dangling images were not counted yet — check again".into()),
        })
    }
}
