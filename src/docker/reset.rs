//! `docktutor reset`, engine side: only what the app made — containers
//! carrying our label — is removed. The learner's images are theirs, except
//! on a shared engine with `reset --learner NAME`: then that learner's
//! namespaced images go too, so the next person at the laptop starts over.
use std::collections::BTreeSet;

use bollard::Docker;
use bollard::query_parameters::{ListImagesOptions, RemoveContainerOptions, RemoveImageOptions};

use super::learner::LEARNER_LABEL;
use super::run::LABEL;

/// Removes every container labelled as ours (running ones are stopped) —
/// only `learner`'s when given — except those of a docktutor session that
/// still runs; returns their short ids.
pub async fn remove_labelled_containers(
    docker: &Docker,
    learner: Option<&str>,
) -> Result<Vec<String>, bollard::errors::Error> {
    let found = super::session::labelled(docker, LABEL).await?;
    let mut removed = Vec::new();
    for c in found {
        let Some(id) = c.id else { continue };
        let theirs = c.labels.as_ref().and_then(|l| l.get(LEARNER_LABEL));
        if learner.is_some() && theirs.map(String::as_str) != learner {
            continue;
        }
        // A docktutor still running (another terminal) keeps its own.
        let session = c
            .labels
            .as_ref()
            .and_then(|l| l.get(super::session::SESSION_LABEL));
        if session.is_some_and(|s| super::session::is_alive(s)) {
            continue;
        }
        let gone = docker
            .remove_container(
                &id,
                Some(RemoveContainerOptions {
                    force: true,
                    ..Default::default()
                }),
            )
            .await;
        match gone {
            Ok(()) => {}
            // A run removing itself (AutoRemove) as reset reaches it: the
            // engine is already doing what reset asks.
            Err(e) if already_going(&e) => {}
            Err(e) => return Err(e),
        }
        removed.push(crate::dockerfile::short_id(&id));
    }
    Ok(removed)
}

/// 404 (gone meanwhile) or 409 "removal … is already in progress".
fn already_going(e: &bollard::errors::Error) -> bool {
    match e {
        bollard::errors::Error::DockerResponseServerError {
            status_code,
            message,
        } => {
            *status_code == 404 || (*status_code == 409 && message.contains("already in progress"))
        }
        _ => false,
    }
}

/// Removes every image named `NAMESPACE/NAME:*` for a taught NAME — one
/// learner's images on a shared engine; returns the names removed. Never
/// an image of another namespace, never one by id alone.
pub async fn remove_namespace_images(
    docker: &Docker,
    namespace: &str,
    taught: &BTreeSet<String>,
) -> Result<Vec<String>, bollard::errors::Error> {
    let images = docker
        .list_images(Some(ListImagesOptions::default()))
        .await?;
    let mut removed = Vec::new();
    for tag in images.iter().flat_map(|i| &i.repo_tags) {
        let ours = crate::lesson::namespace::owner_and_name(tag)
            .is_some_and(|(owner, name)| owner == namespace && taught.contains(name));
        if !ours {
            continue;
        }
        // By name: the image itself goes with its last name, and its
        // build layers with it (the engine prunes untagged parents).
        docker
            .remove_image(
                tag,
                Some(RemoveImageOptions {
                    force: true,
                    ..Default::default()
                }),
                None,
            )
            .await?;
        removed.push(tag.clone());
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use bollard::errors::Error;

    fn server(status_code: u16, message: &str) -> Error {
        Error::DockerResponseServerError {
            status_code,
            message: message.into(),
        }
    }

    /// Seen by the classroom bench: a killed run's container was removing
    /// itself as `reset --learner` reached it, and reset exited 1.
    #[test]
    fn a_container_already_going_counts_as_removed() {
        let going = "removal of container 1a2b is already in progress";
        assert!(super::already_going(&server(409, going)));
        assert!(super::already_going(&server(
            404,
            "No such container: 1a2b"
        )));
        assert!(!super::already_going(&server(
            409,
            "You cannot remove a running container"
        )));
        assert!(!super::already_going(&server(500, going)));
    }
}
