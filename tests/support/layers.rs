//! The untagged layers a test binary's builds leave (the classic builder's
//! step images, an image whose tag moved on), removed when the last test
//! using them is done.
//!
//! A layer cannot be removed the moment one test is done with it: another
//! test in the same binary may share it as build cache and be building on
//! it right now ("unknown parent image ID"). So each test holds a [`Use`]
//! while it builds and records what it built; when the last `Use` of an
//! engine is dropped, every recorded layer that was not in the engine when
//! the first `Use` began, is untagged and has no children is removed (by
//! id, children first). A test starting meanwhile waits for that to end.

use std::collections::{HashMap, HashSet};
use std::process::Command;
use std::sync::Mutex;

#[derive(Default)]
struct Engine {
    users: usize,
    /// Every image id in the engine before the first `Use`.
    before: Option<HashSet<String>>,
    /// Recorded layers, in recording order (children before parents).
    made: Vec<String>,
}

static ENGINES: Mutex<Option<HashMap<String, Engine>>> = Mutex::new(None);

fn docker(host: &str, args: &[&str]) -> Option<String> {
    let mut cli = Command::new("docker");
    if !host.is_empty() {
        cli.arg("-H").arg(host);
    }
    let out = cli.args(args).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

fn all_ids(host: &str) -> HashSet<String> {
    let listed = docker(host, &["images", "-a", "-q", "--no-trunc"]);
    let listed = listed.unwrap_or_else(|| panic!("docker -H {host} images failed"));
    listed.lines().map(normal).collect()
}

/// `sha256:abc…` and `abc…` alike.
fn normal(id: &str) -> String {
    id.trim().trim_start_matches("sha256:").to_string()
}

/// One test's use of an engine's build cache (see the module docs).
pub struct Use {
    host: String,
}

/// Begins a use of the engine at `host` (a `docker -H` address; empty for
/// the CLI's own choice).
pub fn enter(host: &str) -> Use {
    let mut engines = ENGINES.lock().unwrap_or_else(|p| p.into_inner());
    let engine = engines
        .get_or_insert_with(HashMap::new)
        .entry(host.to_string())
        .or_default();
    if engine.before.is_none() {
        engine.before = Some(all_ids(host));
    }
    engine.users += 1;
    Use {
        host: host.to_string(),
    }
}

impl Use {
    /// Records `image` (a name or an id) and its parents, down to the
    /// first one that was in the engine before.
    pub fn record(&self, image: &str) {
        let mut engines = ENGINES.lock().unwrap_or_else(|p| p.into_inner());
        let Some(engine) = engines.as_mut().and_then(|e| e.get_mut(&self.host)) else {
            return;
        };
        let before = engine.before.clone().unwrap_or_default();
        let mut next = docker(&self.host, &["image", "inspect", "-f", "{{.Id}}", image]);
        while let Some(id) = next.map(|i| normal(&i)).filter(|i| !i.is_empty()) {
            if before.contains(&id) {
                break;
            }
            next = docker(&self.host, &["image", "inspect", "-f", "{{.Parent}}", &id]);
            engine.made.push(id);
        }
    }

    /// Records layer ids a build printed (see [`printed_ids`]), such as the
    /// steps of a build that failed, which no tag leads to.
    pub fn record_ids(&self, ids: &[String]) {
        for id in ids {
            self.record(id);
        }
    }
}

impl Drop for Use {
    fn drop(&mut self) {
        let mut engines = ENGINES.lock().unwrap_or_else(|p| p.into_inner());
        let Some(engine) = engines.as_mut().and_then(|e| e.get_mut(&self.host)) else {
            return;
        };
        engine.users -= 1;
        if engine.users > 0 {
            return;
        }
        let mut seen = HashSet::new();
        let mut left: Vec<String> = std::mem::take(&mut engine.made)
            .into_iter()
            .filter(|id| seen.insert(id.clone()))
            .collect();
        // Children first; a layer whose child another chain holds goes on a
        // later pass, once that child is gone.
        loop {
            let count = left.len();
            left.retain(|id| !remove_if_unused(&self.host, id));
            if left.len() == count {
                break;
            }
        }
    }
}

/// The layer ids a build's output names, in order: the classic builder's
/// `---> 1a2b3c…` and buildah's (Podman's) `--> 1a2b3c…` or
/// `--> Using cache 1a2b…` (buildah prints 11 hex digits). A multi-stage build on Podman leaves each
/// earlier stage as an untagged image that no tag leads to; these lines
/// are the only record of it.
pub fn printed_ids(output: &str) -> Vec<String> {
    output
        .lines()
        .filter_map(|l| {
            let line = l.trim();
            let rest = line
                .strip_prefix("--->")
                .or_else(|| line.strip_prefix("-->"))?;
            let id = rest.trim().trim_start_matches("Using cache").trim();
            let hex = id.len() >= 11 && id.chars().all(|c| c.is_ascii_hexdigit());
            hex.then(|| id.to_string())
        })
        .collect()
}

/// Removes an untagged layer nothing builds on; false when it stays.
fn remove_if_unused(host: &str, id: &str) -> bool {
    match docker(host, &["image", "inspect", "-f", "{{len .RepoTags}}", id]) {
        None => return true,                      // already gone
        Some(tags) if tags != "0" => return true, // tagged since: not ours to remove
        Some(_) => {}
    }
    // Plain rmi refuses a layer with children or used by a container;
    // --no-prune leaves its parents to their own turn.
    docker(host, &["rmi", "--no-prune", id]).is_some()
}
