//! The learner's own latest run of an image, read from the engine without
//! running anything: `docker run IMAGE` leaves an exited container whose
//! output and exit code the engine keeps. Headless `docktutor check` reads
//! it, so that observing never changes what is observed.

use std::collections::HashMap;

use bollard::Docker;
use bollard::query_parameters::ListContainersOptions;

use super::run::LABEL;
use crate::engine::{RunRecord, normalize_ref};

/// The newest exited container of `image` that the learner ran (not one of
/// ours, which remove themselves), as a [`RunRecord`] with its output and
/// exit code; `None` when there is none (never run, or run with `--rm`).
///
/// A container counts when it was started from the name, or from the image
/// the name means now: after a rebuild, the engine shows an old container's
/// image as an id, and the record's id tells the checks it is stale.
pub async fn latest_run(
    docker: &Docker,
    image: &str,
) -> Result<Option<RunRecord>, bollard::errors::Error> {
    let reference = normalize_ref(image);
    let current_id = match docker.inspect_image(&reference).await {
        Ok(i) => i.id,
        Err(bollard::errors::Error::DockerResponseServerError {
            status_code: 404, ..
        }) => None,
        Err(e) => return Err(e),
    };
    let filters = HashMap::from([("status".to_string(), vec!["exited".to_string()])]);
    let found = docker
        .list_containers(Some(ListContainersOptions {
            all: true,
            filters: Some(filters),
            ..Default::default()
        }))
        .await?;
    // The engine lists the newest first; `Created` is in whole seconds, so
    // two runs in the same second tie: reversed, `max_by_key` (the last of
    // equals) keeps the engine's newest.
    let latest = found
        .into_iter()
        .rev()
        .filter(|c| !c.labels.as_ref().is_some_and(|l| l.contains_key(LABEL)))
        .filter(|c| {
            let by_name = c
                .image
                .as_deref()
                .is_some_and(|i| normalize_ref(i) == reference);
            let by_id = current_id.is_some() && c.image_id == current_id;
            by_name || by_id
        })
        .max_by_key(|c| c.created.unwrap_or_default());
    let Some(container) = latest else {
        return Ok(None);
    };
    let Some(id) = container.id else {
        return Ok(None);
    };
    let mut record = super::events::foreign_run(docker, &id, None).await;
    if record.image_id.is_empty() {
        record.image_id = container.image_id.unwrap_or_default();
    }
    Ok(Some(record))
}
