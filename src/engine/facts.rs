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
    /// The latest build made with docktutor of each tag, step by step.
    pub builds: BTreeMap<String, BuildRecord>,
    /// Answers of probes (a short container, or a look inside an image),
    /// by [`Probe::key`].
    pub probes: BTreeMap<String, ProbeResult>,
    /// Dangling images per watched label (`key=value`).
    pub dangling: BTreeMap<String, usize>,
    /// Vulnerability scans, by normalised reference.
    pub scans: BTreeMap<String, ScanResult>,
    /// Where trivy is, if it is installed.
    pub scanner: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct BuildRecord {
    pub image_id: String,
    pub steps: Vec<BuildStep>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BuildStep {
    pub n: usize,
    /// As the builder printed it: `RUN pip install -r requirements.txt`.
    pub instruction: String,
    pub cached: bool,
}

/// Something a check needs the engine to find out by doing.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Probe {
    /// Normalised image reference.
    pub image: String,
    pub kind: ProbeKind,
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum ProbeKind {
    /// The uid a container of the image runs as.
    Uid,
    /// Whether a path exists in the image's filesystem.
    File(String),
    /// The files under the image's WORKDIR with a digest of each, to
    /// compare with the learner's (is the image built from these files?).
    Workdir,
}

impl Probe {
    pub fn key(&self) -> String {
        match &self.kind {
            ProbeKind::Uid => format!("{}|uid", self.image),
            ProbeKind::File(p) => format!("{}|file:{p}", self.image),
            ProbeKind::Workdir => format!("{}|workdir", self.image),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProbeResult {
    /// The image the answer is about (a rebuilt image must be probed again).
    pub image_id: String,
    pub answer: ProbeAnswer,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum ProbeAnswer {
    Uid(i64),
    Exists(bool),
    /// The regular files under `dir` (the image's WORKDIR), absolute path →
    /// sha256 of the content in hex; `complete` is false when the folder
    /// was too large to read whole (then a file not listed may be there).
    Files {
        dir: String,
        files: BTreeMap<String, String>,
        complete: bool,
    },
    /// The probe could not be answered, and why.
    Failed(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScanResult {
    pub image_id: String,
    /// Findings per severity (CRITICAL, HIGH, MEDIUM, LOW, UNKNOWN).
    pub counts: BTreeMap<String, usize>,
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
    /// The HEALTHCHECK test (`None` when the image defines none).
    pub healthcheck: Option<Vec<String>>,
    /// When a build or `docker tag` last gave the image a name (Unix
    /// seconds; `None` when the engine does not say). A rebuild that came
    /// wholly from the cache keeps the old creation time but sets this.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_tagged: Option<i64>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RunRecord {
    /// The image id the container ran, to tell a stale run from a fresh one.
    pub image_id: String,
    /// `None` when the run was interrupted before the container exited.
    pub exit_code: Option<i64>,
    /// What the container printed (stdout and stderr, bounded); `None` when
    /// it could not be read (e.g. `docker run --rm` removed it already).
    pub output: Option<String>,
    pub source: RunSource,
    /// The last health status seen (`healthy`, `unhealthy`, `starting`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub health: Option<String>,
    /// Memory limit in bytes (0 or `None`: none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub memory: Option<i64>,
    /// CPU limit in billionths of a CPU.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nano_cpus: Option<i64>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RunSource {
    /// The app's run key or `docktutor run`.
    #[default]
    App,
    /// A `docker run` the learner typed, seen on the events stream.
    Shell,
}

/// One spelling for every name of the same image (see
/// [`crate::dockerfile::normalize`]).
pub use crate::dockerfile::normalize as normalize_ref;

impl RunRecord {
    /// A container that could not even start (its program is not in the
    /// image), recorded as `docker run` reports it: exit code 127 when the
    /// program is not there, 126 when it cannot be run, else 125, and the
    /// engine's words as its output — so that the checks explain it like
    /// any failed run.
    pub fn failed_start(image_id: String, message: String) -> RunRecord {
        let lower = message.to_lowercase();
        let code = if lower.contains("not found") || lower.contains("no such file") {
            127
        } else if lower.contains("permission denied") {
            126
        } else {
            125
        };
        RunRecord {
            image_id,
            exit_code: Some(code),
            output: Some(message),
            source: RunSource::App,
            ..RunRecord::default()
        }
    }
}

impl EngineFacts {
    /// The size of the image a reference names.
    pub fn image_size(&self, image: &str) -> Option<i64> {
        let want = normalize_ref(image);
        self.images
            .iter()
            .find(|i| i.repo_tags.iter().any(|t| normalize_ref(t) == want))
            .map(|i| i.size)
    }
    /// The id of the image a reference names, if the engine has it.
    pub fn image_id(&self, image: &str) -> Option<&str> {
        let want = normalize_ref(image);
        self.images
            .iter()
            .find(|i| i.repo_tags.iter().any(|t| normalize_ref(t) == want))
            .map(|i| i.id.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_container_that_could_not_start_counts_as_docker_run_says() {
        let r = RunRecord::failed_start(
            "sha256:1".into(),
            "exec: \"python\": executable file not found in $PATH".into(),
        );
        assert_eq!(r.exit_code, Some(127));
        assert!(r.output.unwrap().contains("executable file not found"));
        let r = RunRecord::failed_start("sha256:1".into(), "permission denied".into());
        assert_eq!(r.exit_code, Some(126));
    }

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

    #[test]
    fn every_engine_spelling_of_an_image_is_one_name() {
        for name in [
            "my-docker-app",
            "my-docker-app:latest",
            "docker.io/library/my-docker-app:latest",
            "docker.io/library/my-docker-app",
            "localhost/my-docker-app:latest",
            "index.docker.io/library/my-docker-app",
        ] {
            assert_eq!(normalize_ref(name), "my-docker-app:latest", "{name}");
        }
        assert_eq!(normalize_ref("docker.io/alice/app"), "alice/app:latest");
        assert_eq!(normalize_ref("localhost/alice/app:1"), "alice/app:1");
        // A registry on localhost with a port is another registry.
        assert_eq!(
            normalize_ref("localhost:5000/app"),
            "localhost:5000/app:latest"
        );
        assert_eq!(
            normalize_ref("gcr.io/distroless/python3"),
            "gcr.io/distroless/python3:latest"
        );
        assert_eq!(
            normalize_ref("quay.io/podman/hello"),
            "quay.io/podman/hello:latest"
        );
    }

    #[test]
    fn an_image_listed_under_its_full_name_is_found_by_its_short_one() {
        let facts = EngineFacts {
            images: vec![ImageInfo {
                id: "sha256:1".into(),
                repo_tags: vec!["docker.io/library/my-docker-app:latest".into()],
                created: 0,
                size: 7,
            }],
            ..EngineFacts::default()
        };
        assert_eq!(facts.image_id("my-docker-app"), Some("sha256:1"));
        assert_eq!(facts.image_size("localhost/my-docker-app"), Some(7));
        assert_eq!(facts.image_id("other"), None);
    }
}
