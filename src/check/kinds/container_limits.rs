//! `container_limits`: the latest run of the image had these resource
//! limits.

use serde::Deserialize;

use super::{Doc, Field, Kind, Needs};
use crate::check::engine::with_run;
use crate::check::{Ctx, Shared, Verdict};
use crate::engine::RunRecord;

pub(crate) const DOC: Doc = Doc {
    fields: &[
        Field::required("image"),
        Field::optional("memory").note("e.g. `\"256m\"`"),
        Field::optional("cpus").note("e.g. `0.5`"),
    ],
    passes: "the latest run of the image had these limits",
    engine: true,
    example: r#"image = "my-docker-app""#,
};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ContainerLimits {
    image: String,
    #[serde(default)]
    memory: Option<String>,
    #[serde(default)]
    cpus: Option<f64>,
}

impl Kind for ContainerLimits {
    fn needs(&self) -> Needs<'_> {
        Needs {
            image: Some(&self.image),
            run: true,
            ..Needs::default()
        }
    }

    fn default_label(&self) -> String {
        format!("{} ran with resource limits", self.image)
    }

    fn judge(&self, ctx: &Ctx<'_>, _: &mut Shared) -> Verdict {
        ctx.with_engine(|facts| with_run(facts, &self.image, |run| self.had_limits(run)))
    }
}

impl ContainerLimits {
    fn had_limits(&self, run: &RunRecord) -> Verdict {
        let memory = self.memory.as_deref();
        if let Some(want) = memory.and_then(crate::engine::parse_memory)
            && run.memory.unwrap_or(0) != want
        {
            return Verdict::Fail(format!(
                "the last run had {} of memory — expected --memory {}",
                match run.memory {
                    Some(m) if m > 0 => format!("a {} MiB limit", m >> 20),
                    _ => "no limit".to_string(),
                },
                memory.unwrap_or("")
            ));
        }
        if let Some(want) = self.cpus {
            let got = run.nano_cpus.unwrap_or(0) as f64 / 1e9;
            if (got - want).abs() > 1e-6 {
                return Verdict::Fail(if got == 0.0 {
                    format!("the last run had no CPU limit — expected --cpus {want}")
                } else {
                    format!("the last run had --cpus {got} — expected {want}")
                });
            }
        }
        Verdict::Pass
    }
}
