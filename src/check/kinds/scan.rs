//! `scan`: a vulnerability scan (trivy) found nothing at or above a
//! severity.

use serde::Deserialize;

use super::{Doc, Field, Kind, Needs};
use crate::check::engine::no_image;
use crate::check::{Ctx, Shared, Verdict};
use crate::engine::{EngineFacts, normalize_ref, scan};

pub(crate) const DOC: Doc = Doc {
    fields: &[
        Field::required("image"),
        Field::default("fail_on", "\"CRITICAL\""),
    ],
    passes: "trivy found nothing at or above `fail_on`; waiting (◌), never passed, when trivy is not installed",
    engine: true,
    example: r#"image = "my-docker-app""#,
};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Scan {
    image: String,
    #[serde(default = "critical")]
    fail_on: String,
}

fn critical() -> String {
    "CRITICAL".into()
}

impl Kind for Scan {
    fn needs(&self) -> Needs<'_> {
        Needs {
            image: Some(&self.image),
            scan: true,
            ..Needs::default()
        }
    }

    fn default_label(&self) -> String {
        format!("{} has no {} vulnerabilities", self.image, self.fail_on)
    }

    fn judge(&self, ctx: &Ctx<'_>, _: &mut Shared) -> Verdict {
        ctx.with_engine(|facts| self.judge_scan(facts))
    }
}

impl Scan {
    fn judge_scan(&self, facts: &EngineFacts) -> Verdict {
        let reference = normalize_ref(&self.image);
        let Some(current) = facts.image_id(&self.image) else {
            return no_image(&self.image);
        };
        match facts.scans.get(&reference) {
            None if facts.scanner.is_none() => Verdict::Blocked(format!(
                "skipped — no scan happened: {}",
                scan::INSTALL
            )),
            None => Verdict::Fail(format!(
                "{reference} has not been scanned yet — press Enter to scan it"
            )),
            Some(s) if s.image_id != current => Verdict::Fail(format!(
                "{reference} was rebuilt since its scan — scan it again"
            )),
            Some(s) => {
                let bad: Vec<String> = scan::at_or_above(&self.fail_on)
                    .iter()
                    .filter_map(|sev| {
                        s.counts
                            .get(*sev)
                            .filter(|n| **n > 0)
                            .map(|n| format!("{n} {sev}"))
                    })
                    .collect();
                if bad.is_empty() {
                    Verdict::Pass
                } else {
                    Verdict::Fail(format!("the scan found {}", bad.join(", ")))
                }
            }
        }
    }
}
