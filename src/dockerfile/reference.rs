//! Image references (`registry/name:tag@digest`), the base image a `FROM`
//! names, and image ids as people read them.

use std::fmt;

/// An image reference split the way Docker splits one: the first path
/// component is a registry when it has a `.` or a `:`, or is `localhost`,
/// and there is more after it; the tag follows the last `:` of the last
/// component; the digest follows `@`. A `${…}` build variable is opaque (its
/// `:-default` is not a tag, its dots do not make a registry).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ImageRef {
    pub registry: Option<String>,
    /// The repository path without registry, tag and digest
    /// (`library/python`, `distroless/base`).
    pub name: String,
    pub tag: Option<String>,
    pub digest: Option<String>,
}

/// The registry Docker Hub images come from when none is named.
const DOCKER_HUB: [&str; 3] = ["docker.io", "index.docker.io", "registry-1.docker.io"];

impl ImageRef {
    pub fn parse(reference: &str) -> ImageRef {
        let (rest, digest) = match find_outside_vars(reference, |c| c == '@') {
            Some(at) => (&reference[..at], Some(reference[at + 1..].to_string())),
            None => (reference, None),
        };
        let mut registry = None;
        let mut path = rest;
        if let Some(slash) = find_outside_vars(rest, |c| c == '/') {
            let first = &rest[..slash];
            if first == "localhost" || find_outside_vars(first, |c| c == '.' || c == ':').is_some()
            {
                registry = Some(first.to_string());
                path = &rest[slash + 1..];
            }
        }
        let last_component = find_last_outside_vars(path, '/').map_or(0, |s| s + 1);
        let (name, tag) = match find_last_outside_vars(&path[last_component..], ':') {
            Some(colon) => {
                let colon = last_component + colon;
                (&path[..colon], Some(path[colon + 1..].to_string()))
            }
            None => (path, None),
        };
        ImageRef {
            registry,
            name: name.to_string(),
            tag,
            digest,
        }
    }

    /// Whether the image comes from Docker Hub (no registry, or `docker.io`).
    pub fn is_docker_hub(&self) -> bool {
        self.registry
            .as_deref()
            .is_none_or(|r| DOCKER_HUB.contains(&r))
    }

    /// The short form Docker prints: `docker.io/library/python:3.9` →
    /// `python:3.9`, `docker.io/team/app` → `team/app`.
    pub fn familiar(&self) -> String {
        let mut short = self.clone();
        if self.is_docker_hub() {
            short.registry = None;
            if let Some(official) = self.name.strip_prefix("library/")
                && !official.contains('/')
            {
                short.name = official.to_string();
            }
        }
        short.to_string()
    }
}

impl fmt::Display for ImageRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(r) = &self.registry {
            write!(f, "{r}/")?;
        }
        f.write_str(&self.name)?;
        if let Some(t) = &self.tag {
            write!(f, ":{t}")?;
        }
        if let Some(d) = &self.digest {
            write!(f, "@{d}")?;
        }
        Ok(())
    }
}

/// One spelling for every name of the same image, as the learner would type
/// it: `name` → `name:latest`; Docker Hub's `docker.io/library/` and
/// `docker.io/` prefixes and Podman's `localhost/` are dropped (Podman lists
/// `my-docker-app` as `docker.io/library/my-docker-app:latest` or
/// `localhost/my-docker-app:latest`). Other registries (`localhost:5000/app`
/// → `localhost:5000/app:latest`), explicit tags and digests stay as they are.
pub fn normalize(reference: &str) -> String {
    let reference = without_default_registry(reference.trim());
    let parsed = ImageRef::parse(reference);
    if parsed.tag.is_some() || parsed.digest.is_some() {
        reference.to_string()
    } else {
        format!("{reference}:latest")
    }
}

/// The reference without the registry prefixes that mean "the default one".
fn without_default_registry(reference: &str) -> &str {
    [
        "docker.io/library/",
        "index.docker.io/library/",
        "docker.io/",
        "index.docker.io/",
        "localhost/",
    ]
    .iter()
    .find_map(|prefix| reference.strip_prefix(prefix))
    .filter(|rest| !rest.is_empty())
    .unwrap_or(reference)
}

/// What a `FROM` names: the image (or an earlier stage), the stage name it
/// gives with `AS`, and its `--platform`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BaseImage {
    pub image: ImageRef,
    pub alias: Option<String>,
    pub platform: Option<String>,
}

/// An image or container id as `docker images` / `docker ps` print it: the
/// first 12 hex digits, without `sha256:`.
pub fn short_id(id: &str) -> String {
    id.trim_start_matches("sha256:").chars().take(12).collect()
}

/// Byte offsets of the characters of `s` outside `${…}`.
fn outside_vars(s: &str) -> impl Iterator<Item = (usize, char)> + '_ {
    let mut depth = 0usize;
    let mut prev = '\0';
    s.char_indices().filter(move |&(_, c)| {
        let opens = prev == '$' && c == '{';
        prev = c;
        if opens {
            depth += 1;
            return false;
        }
        if depth > 0 {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                _ => {}
            }
            return false;
        }
        true
    })
}

fn find_outside_vars(s: &str, pred: impl Fn(char) -> bool) -> Option<usize> {
    outside_vars(s).find(|&(_, c)| pred(c)).map(|(i, _)| i)
}

fn find_last_outside_vars(s: &str, wanted: char) -> Option<usize> {
    outside_vars(s)
        .filter(|&(_, c)| c == wanted)
        .last()
        .map(|(i, _)| i)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(r: &str) -> (Option<String>, String, Option<String>, Option<String>) {
        let i = ImageRef::parse(r);
        (i.registry, i.name, i.tag, i.digest)
    }

    fn s(v: &str) -> Option<String> {
        Some(v.to_string())
    }

    #[test]
    fn references_split_like_docker() {
        assert_eq!(
            parts("python:3.9-slim"),
            (None, "python".into(), s("3.9-slim"), None)
        );
        assert_eq!(
            parts("gcr.io/distroless/base@sha256:abc"),
            (s("gcr.io"), "distroless/base".into(), None, s("sha256:abc"))
        );
        assert_eq!(
            parts("my.reg:5000/team/app:1.2"),
            (s("my.reg:5000"), "team/app".into(), s("1.2"), None)
        );
        assert_eq!(
            parts("localhost:5000/app"),
            (s("localhost:5000"), "app".into(), None, None)
        );
        assert_eq!(
            parts("localhost/app"),
            (s("localhost"), "app".into(), None, None)
        );
        assert_eq!(
            parts("docker.io/library/python"),
            (s("docker.io"), "library/python".into(), None, None)
        );
        assert_eq!(parts("team/app"), (None, "team/app".into(), None, None));
        assert_eq!(parts("a:"), (None, "a".into(), s(""), None));
    }

    #[test]
    fn build_variables_are_opaque() {
        assert_eq!(
            parts("${BASE:-debian}"),
            (None, "${BASE:-debian}".into(), None, None)
        );
        assert_eq!(
            parts("python:${V:-3.9}"),
            (None, "python".into(), s("${V:-3.9}"), None)
        );
        assert_eq!(
            parts("${REG:-my.io}/app"),
            (None, "${REG:-my.io}/app".into(), None, None)
        );
        assert_eq!(
            parts("${REGISTRY}/library/python:${PY}"),
            (None, "${REGISTRY}/library/python".into(), s("${PY}"), None)
        );
    }

    #[test]
    fn display_gives_the_reference_back() {
        for r in [
            "python:3.9-slim",
            "gcr.io/distroless/base@sha256:abc",
            "my.reg:5000/team/app:1.2@sha256:def",
            "${BASE:-debian}",
        ] {
            assert_eq!(ImageRef::parse(r).to_string(), r);
        }
    }

    #[test]
    fn normalizes_references() {
        assert_eq!(normalize("my-docker-app"), "my-docker-app:latest");
        assert_eq!(normalize("my-docker-app:1.0"), "my-docker-app:1.0");
        assert_eq!(normalize("localhost:5000/app"), "localhost:5000/app:latest");
        assert_eq!(normalize("app@sha256:abc"), "app@sha256:abc");
        assert_eq!(normalize("docker.io/library/python"), "python:latest");
    }

    #[test]
    fn docker_hub_forms() {
        let hub = ImageRef::parse("docker.io/library/python:3.9");
        assert!(hub.is_docker_hub());
        assert_eq!(hub.familiar(), "python:3.9");
        assert_eq!(ImageRef::parse("docker.io/team/app").familiar(), "team/app");
        assert_eq!(ImageRef::parse("python").familiar(), "python");
        let other = ImageRef::parse("ghcr.io/library/x:1");
        assert!(!other.is_docker_hub());
        assert_eq!(other.familiar(), "ghcr.io/library/x:1");
    }

    #[test]
    fn short_ids() {
        assert_eq!(short_id("sha256:0123456789abcdef"), "0123456789ab");
        assert_eq!(short_id("0123456789abcdef"), "0123456789ab");
        assert_eq!(short_id("abc"), "abc");
    }
}
