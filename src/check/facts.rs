//! What the engine told us, as plain data. The docker module fills it in;
//! checks read it. Keeping it plain keeps checks testable without an engine.

use std::collections::BTreeMap;

use serde::Serialize;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct EngineFacts {
    /// Like `docker images`: tagged images, newest first.
    pub images: Vec<ImageInfo>,
    /// Details of the images the lessons look at, by normalised reference.
    pub details: BTreeMap<String, ImageDetail>,
    /// The latest finished run of each watched image, by normalised reference.
    pub runs: BTreeMap<String, RunRecord>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImageInfo {
    pub id: String,
    pub repo_tags: Vec<String>,
    /// Unix seconds.
    pub created: i64,
    pub size: i64,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ImageDetail {
    pub id: String,
    pub cmd: Vec<String>,
    pub entrypoint: Vec<String>,
    pub user: String,
    pub labels: BTreeMap<String, String>,
    pub size: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RunRecord {
    /// The image id the container ran, to tell a stale run from a fresh one.
    pub image_id: String,
    /// `None` when the run was interrupted before the container exited.
    pub exit_code: Option<i64>,
    /// What the container printed (stdout and stderr, bounded); `None` when
    /// it could not be read (e.g. `docker run --rm` removed it already).
    pub output: Option<String>,
    pub source: RunSource,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RunSource {
    /// The app's run key or `docktutor run`.
    App,
    /// A `docker run` the learner typed, seen on the events stream.
    Shell,
}

/// `name` → `name:latest`; keeps digests and explicit tags as they are.
pub fn normalize_ref(image: &str) -> String {
    let last = image.rsplit('/').next().unwrap_or(image);
    if last.contains(':') || image.contains('@') {
        image.to_string()
    } else {
        format!("{image}:latest")
    }
}

impl EngineFacts {
    /// The id of the image a reference names, if the engine has it.
    pub fn image_id(&self, image: &str) -> Option<&str> {
        let want = normalize_ref(image);
        self.images
            .iter()
            .find(|i| i.repo_tags.contains(&want))
            .map(|i| i.id.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_references() {
        assert_eq!(normalize_ref("my-docker-app"), "my-docker-app:latest");
        assert_eq!(normalize_ref("my-docker-app:1.0"), "my-docker-app:1.0");
        assert_eq!(
            normalize_ref("localhost:5000/app"),
            "localhost:5000/app:latest"
        );
        assert_eq!(normalize_ref("app@sha256:abc"), "app@sha256:abc");
    }
}
