//! Reading the engine's state into [`EngineFacts`]: `docker images`, and
//! `docker image inspect` of the images the lessons look at.

use std::collections::BTreeMap;

use bollard::Docker;
use bollard::query_parameters::ListImagesOptions;

use crate::check::{EngineFacts, ImageDetail, ImageInfo, RunRecord, normalize_ref};

pub async fn gather(
    docker: &Docker,
    watched: &[String],
    runs: &BTreeMap<String, RunRecord>,
) -> Result<EngineFacts, bollard::errors::Error> {
    let summaries = docker
        .list_images(Some(ListImagesOptions::default()))
        .await?;
    let mut images: Vec<ImageInfo> = summaries
        .into_iter()
        .map(|s| ImageInfo {
            id: s.id,
            repo_tags: s
                .repo_tags
                .into_iter()
                .filter(|t| t != "<none>:<none>")
                .collect(),
            created: s.created,
            size: s.size,
        })
        .collect();
    images.sort_by(|a, b| {
        b.created
            .cmp(&a.created)
            .then_with(|| a.repo_tags.cmp(&b.repo_tags))
    });

    let mut details = BTreeMap::new();
    for reference in watched {
        let reference = normalize_ref(reference);
        match docker.inspect_image(&reference).await {
            Ok(inspect) => {
                let config = inspect.config.unwrap_or_default();
                details.insert(
                    reference,
                    ImageDetail {
                        id: inspect.id.unwrap_or_default(),
                        cmd: config.cmd.unwrap_or_default(),
                        entrypoint: config.entrypoint.unwrap_or_default(),
                        user: config.user.unwrap_or_default(),
                        labels: config.labels.unwrap_or_default().into_iter().collect(),
                        size: inspect.size.unwrap_or_default(),
                    },
                );
            }
            Err(bollard::errors::Error::DockerResponseServerError {
                status_code: 404, ..
            }) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(EngineFacts {
        images,
        details,
        runs: runs.clone(),
    })
}
