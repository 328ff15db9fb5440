//! Reading the engine's state into [`EngineFacts`]: `docker images`,
//! `docker image inspect` of the images the lessons look at, the learner's
//! dangling images, and the probes checks need (run once per image id).

use std::collections::BTreeMap;

use bollard::Docker;
use bollard::query_parameters::ListImagesOptions;

use crate::engine::{
    BuildRecord, EngineFacts, ImageDetail, ImageInfo, ProbeResult, RunRecord, ScanResult, Watch,
    normalize_ref,
};

/// What the engine task has learnt by doing (runs, builds, scans, probes)
/// and keeps across reads of the engine's state.
#[derive(Debug, Clone, Default)]
pub struct Known {
    pub runs: BTreeMap<String, RunRecord>,
    pub builds: BTreeMap<String, BuildRecord>,
    pub scans: BTreeMap<String, ScanResult>,
    pub probes: BTreeMap<String, ProbeResult>,
    /// Health checks read from image history, by image id (see
    /// `healthcheck`).
    pub healthchecks: BTreeMap<String, Option<Vec<String>>>,
}

impl Known {
    /// What a finished job taught us, kept for the checks.
    pub async fn remember(&mut self, docker: &Docker, outcome: &crate::engine::JobOutcome) {
        use crate::engine::JobOutcome;
        match outcome {
            JobOutcome::Ran { image, record } => {
                self.runs.insert(image.clone(), record.clone());
            }
            JobOutcome::Built {
                tag,
                image_id,
                steps,
            } => {
                let reference = normalize_ref(tag);
                // The legacy builder prints a short id; ask for the full one.
                let id = match docker.inspect_image(&reference).await {
                    Ok(i) => i.id.unwrap_or_default(),
                    Err(_) => image_id.clone().unwrap_or_default(),
                };
                self.builds.insert(
                    reference,
                    BuildRecord {
                        image_id: id,
                        steps: steps.clone(),
                    },
                );
            }
            JobOutcome::Scanned { image, result } => {
                self.scans.insert(normalize_ref(image), result.clone());
            }
            _ => {}
        }
    }
}

pub async fn gather(
    docker: &Docker,
    watch: &Watch,
    known: &mut Known,
) -> Result<EngineFacts, bollard::errors::Error> {
    let summaries = docker
        .list_images(Some(ListImagesOptions::default()))
        .await?;
    let mut images: Vec<ImageInfo> = summaries
        .into_iter()
        .map(|s| ImageInfo {
            id: s.id,
            // As the learner typed them: Podman's docker.io/library/ and
            // localhost/ spellings of one name become that one name.
            repo_tags: {
                let mut tags: Vec<String> = Vec::new();
                for t in s.repo_tags.iter().filter(|t| *t != "<none>:<none>") {
                    let t = normalize_ref(t);
                    if !tags.contains(&t) {
                        tags.push(t);
                    }
                }
                tags
            },
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
    for reference in &watch.images {
        let reference = normalize_ref(reference);
        match docker.inspect_image(&reference).await {
            Ok(inspect) => {
                let config = inspect.config.unwrap_or_default();
                let id = inspect.id.unwrap_or_default();
                let healthcheck = match config.healthcheck.and_then(|h| h.test) {
                    Some(test) => Some(test),
                    // Podman's inspect omits it; its history has it. Asked
                    // once per image id.
                    None => match known.healthchecks.get(&id) {
                        Some(h) => h.clone(),
                        None => {
                            let h = super::healthcheck::from_history(docker, &reference).await;
                            known.healthchecks.insert(id.clone(), h.clone());
                            h
                        }
                    },
                };
                details.insert(
                    reference,
                    ImageDetail {
                        id,
                        cmd: config.cmd.unwrap_or_default(),
                        entrypoint: config.entrypoint.unwrap_or_default(),
                        user: config.user.unwrap_or_default(),
                        labels: config.labels.unwrap_or_default().into_iter().collect(),
                        size: inspect.size.unwrap_or_default(),
                        healthcheck: healthcheck.filter(|t| t.first().is_some_and(|w| w != "NONE")),
                        last_tagged: inspect
                            .metadata
                            .and_then(|m| m.last_tag_time)
                            // The engine says 0001-01-01 for "never".
                            .map(|t| t.unix_timestamp())
                            .filter(|&s| s > 0),
                    },
                );
            }
            Err(bollard::errors::Error::DockerResponseServerError {
                status_code: 404, ..
            }) => {}
            Err(e) => return Err(e),
        }
    }

    let mut dangling = BTreeMap::new();
    for label in &watch.labels {
        dangling.insert(
            label.clone(),
            super::tidy::dangling(docker, label).await?.len(),
        );
    }

    let facts = EngineFacts {
        images,
        details,
        dangling,
        scanner: super::trivy::find().map(|p| p.display().to_string()),
        ..EngineFacts::default()
    };
    // Probe each watched image once per image id: a rebuild asks again.
    for p in &watch.probes {
        let Some(id) = facts.image_id(&p.image).map(str::to_string) else {
            continue;
        };
        let key = p.key();
        if known.probes.get(&key).is_some_and(|r| r.image_id == id) {
            continue;
        }
        let result = super::probe::probe(docker, p, &id).await;
        known.probes.insert(key, result);
    }
    Ok(EngineFacts {
        runs: known.runs.clone(),
        builds: known.builds.clone(),
        scans: known.scans.clone(),
        probes: known.probes.clone(),
        ..facts
    })
}
