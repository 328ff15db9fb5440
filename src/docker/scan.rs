//! The scan action: trivy on an image, when trivy is installed. Without it
//! nothing is scanned and the outcome says so.

use bollard::Docker;
use tokio::sync::mpsc;

use super::trivy;
use crate::engine::{JobEvent, JobOutcome, ScanResult, normalize_ref};

pub async fn scan_job(docker: &Docker, image: &str, events: &mpsc::Sender<JobEvent>) -> JobOutcome {
    let Some(trivy) = trivy::find() else {
        return JobOutcome::ScanUnavailable {
            message: format!(
                "no scan happened: trivy is not installed — {}",
                crate::engine::scan::INSTALL
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
    match trivy::scan(&trivy, &reference).await {
        Ok(vulns) => {
            let _ = events
                .send(JobEvent::Output(trivy::table(&vulns).into_bytes()))
                .await;
            JobOutcome::Scanned {
                image: reference,
                result: ScanResult {
                    image_id,
                    counts: trivy::counts(&vulns),
                },
            }
        }
        Err(message) => JobOutcome::RunFailed { message },
    }
}
