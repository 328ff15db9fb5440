//! The scan action: trivy on an image, when trivy is installed. Without it
//! nothing is scanned and the outcome says so.

use bollard::Docker;
use tokio::sync::mpsc;

use super::job::{JobEvent, JobOutcome};
use crate::check::facts::ScanResult;
use crate::check::normalize_ref;

pub async fn scan_job(docker: &Docker, image: &str, events: &mpsc::Sender<JobEvent>) -> JobOutcome {
    let Some(trivy) = crate::scan::find() else {
        return JobOutcome::ScanUnavailable {
            message: format!(
                "no scan happened: trivy is not installed — {}",
                crate::scan::INSTALL
            ),
        };
    };
    let reference = normalize_ref(image);
    let image_id = match docker.inspect_image(&reference).await {
        Ok(i) => i.id.unwrap_or_default(),
        Err(_) => {
            return JobOutcome::RunFailed {
                message: format!("the engine has no image {reference} — build it first"),
            };
        }
    };
    let _ = events
        .send(JobEvent::Output(
            format!(
                "scanning {reference} with {} (the first scan downloads trivy's database)\n",
                trivy.display()
            )
            .into_bytes(),
        ))
        .await;
    match crate::scan::scan(&trivy, &reference).await {
        Ok(vulns) => {
            let _ = events
                .send(JobEvent::Output(crate::scan::table(&vulns).into_bytes()))
                .await;
            JobOutcome::Scanned {
                image: reference,
                result: ScanResult {
                    image_id,
                    counts: crate::scan::counts(&vulns),
                },
            }
        }
        Err(message) => JobOutcome::RunFailed { message },
    }
}
