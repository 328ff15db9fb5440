//! `image_tag`: some tag of a repository matches a pattern.

use serde::Deserialize;

use super::{Doc, Field, Kind, valid_regex};
use crate::check::{Ctx, Shared, Verdict};

pub(crate) const DOC: Doc = Doc {
    fields: &[
        Field::required("repo"),
        Field::required("pattern").note("regex"),
    ],
    passes: "some tag of `repo` matches, e.g. `'^\\d+\\.\\d+\\.\\d+$'`",
    engine: true,
    example: "repo = \"my-docker-app\"\npattern = '^\\d+$'",
};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ImageTag {
    repo: String,
    pattern: String,
}

impl Kind for ImageTag {
    fn validate(&self) -> Result<(), String> {
        valid_regex("pattern", &self.pattern)
    }

    fn default_label(&self) -> String {
        format!("{} has a tag matching {}", self.repo, self.pattern)
    }

    fn judge(&self, ctx: &Ctx<'_>, _: &mut Shared) -> Verdict {
        let (repo, pattern) = (self.repo.as_str(), self.pattern.as_str());
        ctx.with_engine(|facts| {
            let Ok(re) = regex::Regex::new(pattern) else {
                return Verdict::Fail(format!("bad pattern {pattern:?}"));
            };
            let tags: Vec<&str> = facts
                .images
                .iter()
                .flat_map(|i| i.repo_tags.iter())
                .filter_map(|t| {
                    t.rsplit_once(':')
                        .filter(|(r, _)| *r == repo)
                        .map(|(_, tag)| tag)
                })
                .collect();
            if tags.iter().any(|t| re.is_match(t)) {
                Verdict::Pass
            } else if tags.is_empty() {
                Verdict::Fail(format!("the engine has no image named {repo}"))
            } else {
                Verdict::Fail(format!(
                    "{repo} has the tags {} — none matches {pattern}",
                    tags.join(", ")
                ))
            }
        })
    }
}
