//! Removing the learner's dangling images: untagged and unused, and
//! carrying a label of the learner's own (so nobody else's images are ever
//! touched) — `docker image prune --filter label=…`, one image at a time so
//! the pane can say which.

use std::collections::HashMap;

use bollard::Docker;
use bollard::query_parameters::{ListImagesOptions, RemoveImageOptions};
use tokio::sync::mpsc;

use crate::engine::{JobEvent, JobOutcome};

/// Dangling images that carry `label` (`key=value`).
pub async fn dangling(docker: &Docker, label: &str) -> Result<Vec<String>, bollard::errors::Error> {
    let mut labels = vec![label.to_string()];
    // On a shared engine: only this learner's (see `super::learner`).
    labels.extend(super::learner::shared_label().map(|(k, v)| format!("{k}={v}")));
    let filters = HashMap::from([
        ("dangling".to_string(), vec!["true".to_string()]),
        ("label".to_string(), labels),
    ]);
    let images = docker
        .list_images(Some(ListImagesOptions {
            filters: Some(filters),
            ..Default::default()
        }))
        .await?;
    Ok(images.into_iter().map(|i| i.id).collect())
}

pub async fn tidy(docker: &Docker, label: &str, events: &mpsc::Sender<JobEvent>) -> JobOutcome {
    let ids = match dangling(docker, label).await {
        Ok(ids) => ids,
        Err(e) => {
            return JobOutcome::Interrupted {
                what: "tidy".into(),
                reason: e.to_string(),
            };
        }
    };
    let say = |s: String| JobEvent::Output(format!("{s}\n").into_bytes());
    if ids.is_empty() {
        let _ = events
            .send(say(format!("no dangling images labelled {label}")))
            .await;
    }
    let mut removed = Vec::new();
    for id in ids {
        let short = crate::dockerfile::short_id(&id);
        match docker
            .remove_image(&id, Some(RemoveImageOptions::default()), None)
            .await
        {
            Ok(_) => {
                let _ = events.send(say(format!("Deleted: {short}"))).await;
                removed.push(short);
            }
            // In use by a container, or a parent of another image: kept.
            Err(e) => {
                let _ = events.send(say(format!("kept {short}: {e}"))).await;
            }
        }
    }
    JobOutcome::Tidied { removed }
}
