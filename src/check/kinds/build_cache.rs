//! `build_cache`: in the latest build of an image made with docktutor, some
//! steps came from the build cache and others did not.

use serde::Deserialize;

use super::{Doc, Field, Kind, Needs, valid_regex};
use crate::check::{Ctx, Shared, Verdict};
use crate::engine::{EngineFacts, normalize_ref};

pub(crate) const DOC: Doc = Doc {
    fields: &[
        Field::required("image"),
        Field::required("cached").note("regex"),
        Field::optional("not_cached").note("regex"),
    ],
    passes: "in the latest build of `image` made with docktutor, the steps whose instruction (as the builder prints it, e.g. `RUN pip install -r requirements.txt`) matches `cached` came from the build cache, and those matching `not_cached` did not",
    engine: true,
    example: "image = \"my-docker-app\"\ncached = \"pip install\"",
};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct BuildCache {
    image: String,
    cached: String,
    #[serde(default)]
    not_cached: Option<String>,
}

impl Kind for BuildCache {
    fn needs(&self) -> Needs<'_> {
        Needs {
            image: Some(&self.image),
            ..Needs::default()
        }
    }

    fn validate(&self) -> Result<(), String> {
        valid_regex("cached", &self.cached)?;
        self.not_cached
            .as_deref()
            .map_or(Ok(()), |re| valid_regex("not_cached", re))
    }

    fn default_label(&self) -> String {
        format!("building {} took {:?} from the cache", self.image, self.cached)
    }

    fn judge(&self, ctx: &Ctx<'_>, _: &mut Shared) -> Verdict {
        ctx.with_engine(|facts| self.judge_build(facts))
    }
}

impl BuildCache {
    fn judge_build(&self, facts: &EngineFacts) -> Verdict {
        let (image, cached, not_cached) = (&self.image, &self.cached, self.not_cached.as_deref());
        let reference = normalize_ref(image);
        let Some(build) = facts.builds.get(&reference) else {
            return Verdict::Fail(format!(
                "no build of {reference} made with docktutor yet — build it here so the cache can be seen"
            ));
        };
        if facts.image_id(image).is_some_and(|id| id != build.image_id) {
            return Verdict::Fail(format!(
                "{reference} was rebuilt elsewhere since — build it here again"
            ));
        }
        let (Ok(yes), no) = (
            regex::Regex::new(cached),
            not_cached.map(regex::Regex::new),
        ) else {
            return Verdict::Fail("bad pattern".into());
        };
        let hits: Vec<_> = build
            .steps
            .iter()
            .filter(|s| yes.is_match(&s.instruction))
            .collect();
        if hits.is_empty() {
            return Verdict::Fail(format!("no step of the last build matches {cached:?}"));
        }
        if let Some(miss) = hits.iter().find(|s| !s.cached) {
            return Verdict::Fail(format!(
                "step {} ({}) ran again instead of coming from the cache",
                miss.n, miss.instruction
            ));
        }
        if let Some(Ok(no)) = no {
            let changed: Vec<_> = build
                .steps
                .iter()
                .filter(|s| no.is_match(&s.instruction))
                .collect();
            if changed.is_empty() {
                return Verdict::Fail(format!(
                    "no step of the last build matches {:?}",
                    not_cached.unwrap_or("")
                ));
            }
            if let Some(same) = changed.iter().find(|s| s.cached) {
                return Verdict::Fail(format!(
                    "step {} ({}) also came from the cache — change app.py, then build again",
                    same.n, same.instruction
                ));
            }
        }
        Verdict::Pass
    }
}
