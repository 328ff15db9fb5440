//! Deciding, once at start, who is learning and whether the engine is
//! shared (`crate::docker::learner`), and putting the lessons in the
//! learner's namespace when it is.

use std::collections::BTreeSet;
use std::time::Duration;

use super::Setup;
use crate::docker::learner::{self, Identity, Shared};
use crate::lesson::namespace;

/// The image name the built-in course teaches, for commands that load no
/// lessons (`build`, `run`).
const GUIDE_IMAGE: &str = "my-docker-app";

/// How long the look for other learners' images may take before the app
/// starts without it (the engine task reports an unreachable engine).
const LOOK_TIMEOUT: Duration = Duration::from_secs(3);

/// Decides the identity (see `crate::docker::learner`), sets it for the
/// process, and renames the lessons when the engine is shared.
pub async fn identify(setup: &mut Setup, learner_flag: Option<&str>) -> Identity {
    let learner = crate::report::learner(learner_flag);
    let taught = taught(&setup.lessons);
    let shared = match namespace::of_learner(&learner) {
        Some(ns) => why_shared(setup, &learner, &ns, &taught)
            .await
            .map(|why| Shared {
                namespace: ns,
                why,
                taught: taught.clone(),
            }),
        None => None,
    };
    if let Some(s) = &shared {
        setup.lessons.in_namespace(&s.namespace);
    }
    let identity = Identity { learner, shared };
    learner::set(identity.clone());
    identity
}

/// The image names the lessons teach; the guide's for commands that load
/// no lessons.
pub fn taught(lessons: &crate::lesson::LessonSet) -> BTreeSet<String> {
    let taught = namespace::taught(lessons);
    if taught.is_empty() {
        return BTreeSet::from([GUIDE_IMAGE.to_string()]);
    }
    taught
}

async fn why_shared(
    setup: &Setup,
    learner: &str,
    ns: &str,
    taught: &BTreeSet<String>,
) -> Option<String> {
    let setting = std::env::var("DOCKTUTOR_SHARED").ok();
    match learner::setting(setting.as_deref()) {
        Some(true) => return Some("DOCKTUTOR_SHARED=1".into()),
        Some(false) => return None,
        None => {}
    }
    if setup.lessons.shared_engine {
        return Some("the course file says shared = true".into());
    }
    let address = crate::docker::discover::candidates(&setup.env)
        .ok()
        .and_then(|c| c.into_iter().next())
        .map(|c| c.address)
        .unwrap_or_default();
    if let Some(why) = learner::remote(&address) {
        return Some(why);
    }
    let look = async {
        let docker = crate::docker::connect::quick_client(&setup.env)?;
        learner::others(&docker, learner, ns, taught).await
    };
    tokio::time::timeout(LOOK_TIMEOUT, look)
        .await
        .ok()
        .flatten()
}

/// The image `build` and `run` use when none is given: the guide's, in the
/// learner's namespace on a shared engine.
pub fn default_image(identity: &Identity) -> String {
    match &identity.shared {
        Some(s) => format!("{}/{GUIDE_IMAGE}", s.namespace),
        None => GUIDE_IMAGE.to_string(),
    }
}

/// One line for `doctor` and the start of headless commands: who, and
/// whether the engine is shared (and why).
pub fn describe(identity: &Identity) -> String {
    match &identity.shared {
        Some(s) => format!(
            "learner {}: the engine is shared ({}), so your images are named {}/…",
            identity.learner, s.why, s.namespace
        ),
        None => format!("learner {}: the engine is yours alone", identity.learner),
    }
}
