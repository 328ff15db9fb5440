//! Who is learning, and whether the engine is shared with other learners
//! (a classroom's engine, a team's build host).
//!
//! Every container docktutor starts carries the learner
//! (`io.docktutor.learner`). On a shared engine the lessons' image names
//! are in the learner's namespace (`crate::lesson::namespace`), builds
//! carry the label too, and tidying, the dangling-image check and `reset`
//! touch only what carries this learner's label.
//!
//! The engine is shared when `DOCKTUTOR_SHARED=1` says so, when it is
//! remote (`tcp://`, `ssh://`), or when it already holds another learner's
//! namespaced images or containers. `DOCKTUTOR_SHARED=0` says it is not.

use std::collections::{BTreeSet, HashMap};
use std::sync::OnceLock;

use bollard::Docker;
use bollard::query_parameters::{ListContainersOptions, ListImagesOptions};

use crate::lesson::namespace::{owner_and_name, repository};

/// The label naming the learner a container (or, shared, an image) is for.
pub const LEARNER_LABEL: &str = "io.docktutor.learner";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// `--learner`, `DOCKTUTOR_LEARNER` or the login name.
    pub learner: String,
    /// On a shared engine: the namespace, and why the engine is shared.
    pub shared: Option<Shared>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shared {
    /// `ada` of `ada/my-docker-app`.
    pub namespace: String,
    /// "DOCKTUTOR_SHARED=1", "the engine is remote (tcp://…)", …
    pub why: String,
    /// The image names the lessons teach (`my-docker-app`), which are
    /// everyone's on this engine unless namespaced.
    pub taught: BTreeSet<String>,
}

static CURRENT: OnceLock<Identity> = OnceLock::new();

/// Sets this process's identity (once; later calls are ignored).
pub fn set(identity: Identity) {
    let _ = CURRENT.set(identity);
}

pub fn current() -> Option<&'static Identity> {
    CURRENT.get()
}

/// The labels for this learner's containers.
pub fn container_labels() -> Option<(String, String)> {
    current().map(|i| (LEARNER_LABEL.to_string(), i.learner.clone()))
}

/// On a shared engine: the `label=` filter value that keeps a listing (or a
/// build's labels) to this learner's.
pub fn shared_label() -> Option<(String, String)> {
    current()
        .filter(|i| i.shared.is_some())
        .map(|i| (LEARNER_LABEL.to_string(), i.learner.clone()))
}

/// `DOCKTUTOR_SHARED`: Some(true) for 1/true/yes/on, Some(false) for
/// 0/false/no/off, None when unset or anything else.
pub fn setting(value: Option<&str>) -> Option<bool> {
    match value?.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Some(true),
        "0" | "false" | "no" | "off" => Some(false),
        _ => None,
    }
}

/// Why the engine at `address` is shared by its address alone: another
/// machine's (a `tcp://` or `ssh://` address that is not this machine's
/// loopback, which Docker Desktop or a local proxy may use).
pub fn remote(address: &str) -> Option<String> {
    let rest = ["tcp://", "ssh://", "http://", "https://"]
        .iter()
        .find_map(|s| address.strip_prefix(s))?;
    let authority = rest.split('/').next().unwrap_or("");
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let host = match host_port.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(""),
        None => host_port.split(':').next().unwrap_or(""),
    };
    let loopback = host == "localhost"
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback());
    (!loopback).then(|| format!("the engine is remote ({address})"))
}

/// Another learner's trace in the engine: an image `bob/NAME` of a taught
/// NAME (bob not this namespace, nor a registry host), or a docktutor
/// container labelled for another learner by a docktutor on another
/// machine (on this one, another name is more likely `sudo` or a test
/// than a classmate: a build host shared by logins says
/// `DOCKTUTOR_SHARED=1`). Errors count as no trace.
pub async fn others(
    docker: &Docker,
    learner: &str,
    namespace: &str,
    taught: &BTreeSet<String>,
) -> Option<String> {
    // Both questions at once: this runs before the app's first frame.
    let filters = HashMap::from([("label".to_string(), vec![LEARNER_LABEL.to_string()])]);
    let (images, containers) = tokio::join!(
        docker.list_images(Some(ListImagesOptions::default())),
        docker.list_containers(Some(ListContainersOptions {
            all: true,
            filters: Some(filters),
            ..Default::default()
        }))
    );
    let (images, containers) = (images.unwrap_or_default(), containers.unwrap_or_default());
    for tag in images.iter().flat_map(|i| &i.repo_tags) {
        if let Some((owner, name)) = owner_and_name(tag)
            && owner != namespace
            && taught.contains(name)
        {
            return Some(format!("it holds another learner's image {owner}/{name}"));
        }
    }
    containers
        .iter()
        .find_map(|c| {
            let labels = c.labels.as_ref()?;
            let session = labels.get(super::session::SESSION_LABEL)?;
            let other = labels.get(LEARNER_LABEL)?;
            (other != learner && !super::session::is_this_machine(session)).then_some(other)
        })
        .map(|other| format!("it runs docktutor containers of another learner ({other})"))
}

/// On a shared engine, why a typed command must not run as typed: it
/// names a taught image without the learner's namespace (it would replace
/// or use whoever's is there), touches another learner's, or prunes every
/// learner's dangling images. None when it may run.
pub fn typed_refusal(command: &crate::command::DockerCommand) -> Option<String> {
    refusal(current()?.shared.as_ref()?, command)
}

fn refusal(shared: &Shared, command: &crate::command::DockerCommand) -> Option<String> {
    use crate::command::DockerCommand as C;
    let ns = &shared.namespace;
    // `my-docker-app[:tag]` → Some(false), `bob/my-docker-app` → Some(true),
    // ours or any other image → None.
    let foreign = |image: &str| -> Option<bool> {
        match owner_and_name(image) {
            Some((owner, name)) => (owner != ns && shared.taught.contains(name)).then_some(true),
            None => shared.taught.contains(repository(image)).then_some(false),
        }
    };
    let say = |image: &str, verb: &str| {
        if foreign(image)? {
            Some(format!(
                "this engine is shared: {image} is another learner's image; yours are {ns}/…"
            ))
        } else {
            Some(format!(
                "this engine is shared: your image is {ns}/{image}, so {verb} it by that name \
                 (a plain {image} may be anyone's)"
            ))
        }
    };
    match command {
        C::Build(b) => b.tags.iter().find_map(|t| say(t, "build")),
        C::Run(r) => say(&r.image, "run"),
        C::Rmi { images, .. } => images.iter().find_map(|i| say(i, "remove")),
        C::Tag { target, .. } => say(target, "tag"),
        C::ImagePrune { .. } => Some(
            "this engine is shared: docker image prune would remove every learner's dangling \
             images; the last lesson's tidy step removes only yours"
                .into(),
        ),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_commands_keep_to_the_learners_namespace() {
        let shared = Shared {
            namespace: "ada".into(),
            why: "test".into(),
            taught: BTreeSet::from(["my-docker-app".to_string()]),
        };
        let ws = std::path::Path::new("/ws");
        let judge = |line: &str| {
            let command = crate::command::parse(line, ws).unwrap();
            refusal(&shared, &command)
        };
        let refused = judge("docker build -t my-docker-app .").unwrap();
        assert!(
            refused.contains("your image is ada/my-docker-app"),
            "{refused}"
        );
        assert!(
            judge("docker run my-docker-app:slim")
                .unwrap()
                .contains("ada/my-docker-app:slim")
        );
        let theirs = judge("docker rmi bob/my-docker-app").unwrap();
        assert!(theirs.contains("another learner's image"), "{theirs}");
        assert!(
            judge("docker image prune -f")
                .unwrap()
                .contains("every learner's")
        );
        assert!(judge("docker tag python:3.9-slim my-docker-app").is_some());
        for fine in [
            "docker build -t ada/my-docker-app .",
            "docker run ada/my-docker-app",
            "docker run python:3.9-slim",
            "docker images",
            "docker rmi ada/my-docker-app:slim",
            "docker build -t registry.example.com/team/my-docker-app .",
        ] {
            assert_eq!(judge(fine), None, "{fine}");
        }
    }

    #[test]
    fn the_setting_reads_the_usual_words() {
        assert_eq!(setting(Some("1")), Some(true));
        assert_eq!(setting(Some(" Yes ")), Some(true));
        assert_eq!(setting(Some("off")), Some(false));
        assert_eq!(setting(Some("0")), Some(false));
        assert_eq!(setting(Some("maybe")), None);
        assert_eq!(setting(None), None);
    }

    #[test]
    fn remote_engines_are_shared() {
        assert!(
            remote("tcp://10.0.0.5:2376")
                .unwrap()
                .contains("tcp://10.0.0.5")
        );
        assert!(remote("ssh://ada@build-host").is_some());
        assert_eq!(remote("unix:///var/run/docker.sock"), None);
        assert_eq!(remote("npipe:////./pipe/docker_engine"), None);
        // This machine's own engine over TCP is not another machine's.
        assert_eq!(remote("tcp://127.0.0.1:2375"), None);
        assert_eq!(remote("tcp://localhost:2376"), None);
        assert_eq!(remote("tcp://[::1]:2375"), None);
        assert_eq!(remote("ssh://ada@localhost"), None);
        assert!(remote("ssh://ada@[2001:db8::1]:22").is_some());
    }
}
