//! `image_cmd`: the image's configured command mentions a piece of text.

use serde::Deserialize;

use super::{Doc, Field, Kind, Needs};
use crate::check::engine::no_image;
use crate::check::{Ctx, Shared, Verdict};
use crate::engine::normalize_ref;

pub(crate) const DOC: Doc = Doc {
    fields: &[Field::required("image"), Field::required("contains")],
    passes: "the image's entrypoint + command mention `contains`",
    engine: true,
    example: "image = \"my-docker-app\"\ncontains = \"app.py\"",
};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ImageCmd {
    image: String,
    contains: String,
}

impl Kind for ImageCmd {
    fn needs(&self) -> Needs<'_> {
        Needs {
            image: Some(&self.image),
            ..Needs::default()
        }
    }

    fn default_label(&self) -> String {
        format!("{} runs a command with {:?}", self.image, self.contains)
    }

    fn judge(&self, ctx: &Ctx<'_>, shared: &mut Shared) -> Verdict {
        ctx.with_engine(|facts| {
            let reference = normalize_ref(&self.image);
            let Some(detail) = facts.details.get(&reference) else {
                return no_image(&reference);
            };
            let command: Vec<&str> = detail
                .entrypoint
                .iter()
                .chain(detail.cmd.iter())
                .map(String::as_str)
                .collect();
            if command.iter().any(|w| w.contains(self.contains.as_str())) {
                Verdict::Pass
            } else {
                let said = command_line(ctx.workspace, &shared.built_from)
                    .map_or(String::new(), |(file, at, line)| {
                        format!(" ({file} line {at}: `{line}`)")
                    });
                Verdict::Fail(format!(
                    "the image runs {:?}{said}, which does not mention {} — check CMD and rebuild",
                    command.join(" "),
                    self.contains
                ))
            }
        })
    }
}

/// The last CMD or ENTRYPOINT of the Dockerfile's final stage, as written:
/// (file, line, text).
fn command_line(ws: &std::path::Path, dockerfile: &str) -> Option<(String, usize, String)> {
    let text = std::fs::read_to_string(ws.join(dockerfile)).ok()?;
    let df = crate::dockerfile::Dockerfile::parse(&text).ok()?;
    let last = df.final_stage();
    let i = df
        .instructions
        .iter()
        .rev()
        .find(|i| i.stage == last && matches!(i.keyword, "CMD" | "ENTRYPOINT"))?;
    let line = crate::diagnose::syntax::lines(&text)
        .get(i.line - 1)?
        .trim()
        .to_string();
    Some((dockerfile.to_string(), i.line, line))
}
