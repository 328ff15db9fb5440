//! `container_uid`: a container of the image really runs with a uid other
//! than 0 (the engine task probes it).

use serde::Deserialize;

use super::{Doc, Field, Kind, Needs};
use crate::check::engine::probe_answer;
use crate::check::{Ctx, Shared, Verdict};
use crate::engine::{Probe, ProbeAnswer, ProbeKind, normalize_ref};

pub(crate) const DOC: Doc = Doc {
    fields: &[Field::required("image")],
    passes: "a container of the image really runs with a uid other than 0 (it runs `id -u`, or Python's `os.getuid()`)",
    engine: true,
    example: r#"image = "my-docker-app""#,
};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ContainerUid {
    image: String,
}

impl Kind for ContainerUid {
    fn needs(&self) -> Needs<'_> {
        Needs {
            image: Some(&self.image),
            probe: Some(Probe {
                image: normalize_ref(&self.image),
                kind: ProbeKind::Uid,
            }),
            ..Needs::default()
        }
    }

    fn default_label(&self) -> String {
        format!("a container of {} runs with a uid other than 0", self.image)
    }

    fn judge(&self, ctx: &Ctx<'_>, _: &mut Shared) -> Verdict {
        ctx.with_engine(
            |facts| match probe_answer(facts, &self.image, ProbeKind::Uid) {
                Err(v) => v,
                Ok(ProbeAnswer::Uid(0)) => {
                    Verdict::Fail("a container of it runs as uid 0 (root)".into())
                }
                Ok(ProbeAnswer::Uid(_)) => Verdict::Pass,
                Ok(ProbeAnswer::Failed(why)) => Verdict::Fail(why.clone()),
                Ok(_) => Verdict::Fail("unexpected probe answer".into()),
            },
        )
    }
}
