//! `docktutor reset`, engine side: only what the app made — containers
//! carrying our label — is removed. The learner's images are theirs.
use bollard::Docker;
use bollard::query_parameters::RemoveContainerOptions;

use super::run::LABEL;

/// Removes every container labelled as ours (running ones are stopped),
/// except those of a docktutor session that still runs; returns their
/// short ids.
pub async fn remove_labelled_containers(
    docker: &Docker,
) -> Result<Vec<String>, bollard::errors::Error> {
    let found = super::session::labelled(docker, LABEL).await?;
    let mut removed = Vec::new();
    for c in found {
        let Some(id) = c.id else { continue };
        // A docktutor still running (another terminal) keeps its own.
        let session = c
            .labels
            .as_ref()
            .and_then(|l| l.get(super::session::SESSION_LABEL));
        if session.is_some_and(|s| super::session::is_alive(s)) {
            continue;
        }
        docker
            .remove_container(
                &id,
                Some(RemoveContainerOptions {
                    force: true,
                    ..Default::default()
                }),
            )
            .await?;
        removed.push(crate::dockerfile::short_id(&id));
    }
    Ok(removed)
}
