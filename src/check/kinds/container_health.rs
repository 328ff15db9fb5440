//! `container_health`: the latest run of the current image reached a health
//! status.

use serde::Deserialize;

use super::{Doc, Field, Kind, Needs};
use crate::check::engine::with_run;
use crate::check::{Ctx, Shared, Verdict};

pub(crate) const DOC: Doc = Doc {
    fields: &[
        Field::required("image"),
        Field::default("status", "\"healthy\""),
    ],
    passes: "the latest run of the current image reached that health status",
    engine: true,
    example: r#"image = "my-docker-app:health""#,
};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ContainerHealth {
    image: String,
    #[serde(default = "healthy")]
    status: String,
}

fn healthy() -> String {
    "healthy".into()
}

impl Kind for ContainerHealth {
    fn needs(&self) -> Needs<'_> {
        Needs {
            image: Some(&self.image),
            run: true,
            ..Needs::default()
        }
    }

    fn default_label(&self) -> String {
        format!("a container of {} became {}", self.image, self.status)
    }

    fn judge(&self, ctx: &Ctx<'_>, _: &mut Shared) -> Verdict {
        let status = &self.status;
        ctx.with_engine(|facts| {
            with_run(facts, &self.image, |run| match run.health.as_deref() {
                Some(h) if h == status => Verdict::Pass,
                // No verdict in time. On Podman that is also what a machine
                // without systemd shows: it runs health checks from systemd
                // timers, so none ever runs there.
                Some("starting") if status != "starting" => Verdict::Fail(format!(
                    "the health check gave no verdict before docktutor stopped waiting (still \"starting\") — expected {status:?}; \
                     check its command and --interval. On Podman, health checks run from systemd timers: \
                     without systemd (a container, some WSL setups) none runs, and `podman healthcheck run CONTAINER` runs one by hand"
                )),
                Some(h) => Verdict::Fail(format!(
                    "the last run's health was {h:?} — expected {status:?}"
                )),
                None => Verdict::Fail(
                    "the last run reported no health status (does the image define a HEALTHCHECK?)"
                        .into(),
                ),
            })
        })
    }
}
