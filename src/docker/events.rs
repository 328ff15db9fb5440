//! The engine's events stream: how we notice a `docker build` or
//! `docker run` the learner typed in their own shell, without polling.

use std::collections::HashMap;

use bollard::Docker;
use bollard::models::{EventMessage, EventMessageTypeEnum};
use bollard::query_parameters::{EventsOptions, LogsOptions};
use futures_util::{Stream, StreamExt};

use super::run::LABEL;
use crate::engine::{RunRecord, RunSource, normalize_ref};

pub fn subscribe(
    docker: &Docker,
) -> impl Stream<Item = Result<EventMessage, bollard::errors::Error>> + use<> {
    let filters = HashMap::from([(
        "type".to_string(),
        vec!["image".to_string(), "container".to_string()],
    )]);
    docker.events(Some(EventsOptions {
        filters: Some(filters),
        ..Default::default()
    }))
}

/// What an event means for us.
#[derive(Debug, PartialEq, Eq)]
pub enum Noticed {
    /// Images changed: read the facts again.
    ImagesChanged,
    /// A container not started by us ended; it ran a watched image.
    ForeignRunEnded {
        container: String,
        reference: String,
        exit_code: Option<i64>,
    },
    Nothing,
}

pub fn classify(msg: &EventMessage, watched: &[String]) -> Noticed {
    let action = msg.action.as_deref().unwrap_or("");
    let attrs = msg.actor.as_ref().and_then(|a| a.attributes.as_ref());
    match msg.typ {
        Some(EventMessageTypeEnum::IMAGE) => Noticed::ImagesChanged,
        Some(EventMessageTypeEnum::CONTAINER) if action == "die" => {
            let Some(attrs) = attrs else {
                return Noticed::Nothing;
            };
            if attrs.contains_key(LABEL) {
                return Noticed::Nothing; // our own run reports itself
            }
            let Some(image) = attrs.get("image") else {
                return Noticed::Nothing;
            };
            let reference = normalize_ref(image);
            if !watched.iter().any(|w| normalize_ref(w) == reference) {
                return Noticed::Nothing;
            }
            Noticed::ForeignRunEnded {
                container: msg
                    .actor
                    .as_ref()
                    .and_then(|a| a.id.clone())
                    .unwrap_or_default(),
                reference,
                exit_code: attrs.get("exitCode").and_then(|c| c.parse().ok()),
            }
        }
        _ => Noticed::Nothing,
    }
}

/// Reads what a finished foreign container printed, if it still exists.
pub async fn foreign_run(docker: &Docker, container: &str, exit_code: Option<i64>) -> RunRecord {
    let inspected = docker.inspect_container(container, None).await.ok();
    let image_id = inspected
        .as_ref()
        .and_then(|c| c.image.clone())
        .unwrap_or_default();
    let exit_code = inspected
        .as_ref()
        .and_then(|c| c.state.as_ref())
        .and_then(|s| s.exit_code)
        .or(exit_code);
    let output = if inspected.is_some() {
        let mut logs = docker.logs(
            container,
            Some(LogsOptions {
                stdout: true,
                stderr: true,
                ..Default::default()
            }),
        );
        let mut text = Vec::new();
        let mut ok = true;
        while let Some(item) = logs.next().await {
            match item {
                Ok(chunk) => {
                    if text.len() < 64 * 1024 {
                        text.extend_from_slice(&chunk.into_bytes());
                    }
                }
                Err(_) => {
                    ok = false;
                    break;
                }
            }
        }
        ok.then(|| String::from_utf8_lossy(&text).into_owned())
    } else {
        None
    };
    RunRecord {
        image_id,
        exit_code,
        output,
        source: RunSource::Shell,
        ..RunRecord::default()
    }
}
