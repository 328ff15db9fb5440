//! Where is the learner's engine? The same order as the docker CLI, then the
//! sockets that Docker Desktop, rootless Docker, colima, OrbStack, Rancher
//! Desktop and Podman are known to use.
//!
//! Pure: it reads a snapshot of the environment ([`Env`]) and the files of
//! the Docker config folder, and returns candidates to try in order.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

/// One address to try, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// `unix:///path`, `tcp://host:port`, `ssh://…`, `npipe://…`.
    pub address: String,
    /// Why this address: shown in the status bar and by `doctor`.
    pub source: String,
    /// The learner asked for this engine explicitly: no fallback after it.
    pub explicit: bool,
    /// TLS material for tcp:// (from DOCKER_CERT_PATH or a context).
    pub tls: Option<PathBuf>,
}

/// The part of the environment discovery reads.
#[derive(Debug, Clone, Default)]
pub struct Env {
    pub host_flag: Option<String>,
    pub docker_host: Option<String>,
    pub docker_context: Option<String>,
    pub docker_config: Option<PathBuf>,
    pub home: Option<PathBuf>,
    pub xdg_runtime_dir: Option<PathBuf>,
    pub tls_verify: bool,
    pub cert_path: Option<PathBuf>,
    /// Where the default socket is; `None` is [`DEFAULT_SOCKET`]. Tests set
    /// it to stand an engine there that they can take away.
    pub default_socket: Option<PathBuf>,
    /// `--builder classic|buildkit`.
    pub builder_flag: Option<crate::engine::Builder>,
    /// `DOCKER_BUILDKIT`, as the docker CLI reads it.
    pub docker_buildkit: Option<String>,
}

impl Env {
    pub fn from_process(host_flag: Option<String>) -> Env {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
        Env {
            host_flag,
            docker_host: var("DOCKER_HOST"),
            docker_context: var("DOCKER_CONTEXT"),
            docker_config: var("DOCKER_CONFIG").map(PathBuf::from),
            home: std::env::home_dir(),
            xdg_runtime_dir: var("XDG_RUNTIME_DIR").map(PathBuf::from),
            tls_verify: var("DOCKER_TLS_VERIFY").is_some_and(|v| v != "0"),
            cert_path: var("DOCKER_CERT_PATH").map(PathBuf::from),
            default_socket: None,
            builder_flag: None,
            docker_buildkit: var("DOCKER_BUILDKIT"),
        }
    }

    fn config_dir(&self) -> Option<PathBuf> {
        self.docker_config
            .clone()
            .or_else(|| self.home.as_ref().map(|h| h.join(".docker")))
    }
}

pub const DEFAULT_SOCKET: &str = "/var/run/docker.sock";
/// Docker Desktop's engine on Windows (bollard connects to named pipes).
pub const DEFAULT_PIPE: &str = "npipe:////./pipe/docker_engine";

/// The addresses to try, in order. An error means an explicit setting is
/// unusable (e.g. a context that does not exist); the message says why.
pub fn candidates(env: &Env) -> Result<Vec<Candidate>, String> {
    let explicit = |address: &str, source: String, tls: Option<PathBuf>| Candidate {
        address: normalize(address),
        source,
        explicit: true,
        tls,
    };
    if let Some(host) = &env.host_flag {
        return Ok(vec![explicit(host, "from --host".into(), tls_dir(env))]);
    }
    if let Some(host) = &env.docker_host {
        return Ok(vec![explicit(
            host,
            "from DOCKER_HOST".into(),
            tls_dir(env),
        )]);
    }
    let (context, why) = match &env.docker_context {
        Some(name) => (Some(name.clone()), format!("from DOCKER_CONTEXT={name}")),
        None => match current_context(env) {
            Some(name) => (
                Some(name.clone()),
                format!("from docker context {name} (config.json)"),
            ),
            None => (None, String::new()),
        },
    };
    if let Some(name) = context.filter(|n| n != "default") {
        let (host, tls) = context_endpoint(env, &name)?;
        return Ok(vec![explicit(&host, why, tls)]);
    }

    let mut out = vec![Candidate {
        address: default_address(env),
        source: "the default socket".into(),
        explicit: false,
        tls: None,
    }];
    for (path, source) in well_known(env) {
        if path.exists() {
            out.push(Candidate {
                address: format!("unix://{}", path.display()),
                source: source.into(),
                explicit: false,
                tls: None,
            });
        }
    }
    Ok(out)
}

/// Where the docker CLI looks when nothing says otherwise.
#[cfg(not(windows))]
fn default_address(env: &Env) -> String {
    let path = env.default_socket.as_deref();
    format!(
        "unix://{}",
        path.unwrap_or(Path::new(DEFAULT_SOCKET)).display()
    )
}

/// On Windows, Docker Desktop's named pipe.
#[cfg(windows)]
fn default_address(env: &Env) -> String {
    match &env.default_socket {
        Some(path) => format!("unix://{}", path.display()),
        None => DEFAULT_PIPE.to_string(),
    }
}

/// The sockets other engines use, in the order we try them.
pub fn well_known(env: &Env) -> Vec<(PathBuf, &'static str)> {
    let mut v = Vec::new();
    if let Some(home) = &env.home {
        v.push((
            home.join(".docker/run/docker.sock"),
            "the Docker Desktop socket",
        ));
        v.push((
            home.join(".docker/desktop/docker.sock"),
            "the Docker Desktop socket",
        ));
    }
    if let Some(xdg) = &env.xdg_runtime_dir {
        v.push((xdg.join("docker.sock"), "the rootless Docker socket"));
    }
    if let Some(home) = &env.home {
        v.push((
            home.join(".colima/default/docker.sock"),
            "the colima socket",
        ));
        v.push((home.join(".colima/docker.sock"), "the colima socket"));
        v.push((
            home.join(".orbstack/run/docker.sock"),
            "the OrbStack socket",
        ));
        v.push((home.join(".rd/docker.sock"), "the Rancher Desktop socket"));
    }
    if let Some(xdg) = &env.xdg_runtime_dir {
        v.push((xdg.join("podman/podman.sock"), "the Podman socket"));
    }
    v.push((
        PathBuf::from("/run/podman/podman.sock"),
        "the Podman socket",
    ));
    v
}

fn tls_dir(env: &Env) -> Option<PathBuf> {
    if !env.tls_verify && env.cert_path.is_none() {
        return None;
    }
    env.cert_path.clone().or_else(|| env.config_dir())
}

/// A bare path means a unix socket, as the CLI accepts.
fn normalize(address: &str) -> String {
    if address.starts_with('/') {
        format!("unix://{address}")
    } else {
        address.to_string()
    }
}

fn current_context(env: &Env) -> Option<String> {
    let text = std::fs::read_to_string(env.config_dir()?.join("config.json")).ok()?;
    let json: serde_json::Value = serde_json::from_str(&text).ok()?;
    json.get("currentContext")?
        .as_str()
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// `contexts/meta/<sha256(name)>/meta.json` → `Endpoints.docker.Host`, and
/// the context's TLS folder when it has one.
fn context_endpoint(env: &Env, name: &str) -> Result<(String, Option<PathBuf>), String> {
    let config = env
        .config_dir()
        .ok_or_else(|| format!("docker context {name:?}: no Docker config folder"))?;
    let hash = hex(&Sha256::digest(name.as_bytes()));
    let meta = config.join("contexts/meta").join(&hash).join("meta.json");
    let text = std::fs::read_to_string(&meta).map_err(|e| {
        format!(
            "docker context {name:?} not found ({}: {e}); list contexts with `docker context ls`",
            meta.display()
        )
    })?;
    let json: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
        format!(
            "docker context {name:?}: {} is not valid JSON: {e}",
            meta.display()
        )
    })?;
    let host = json
        .pointer("/Endpoints/docker/Host")
        .and_then(|h| h.as_str())
        .ok_or_else(|| {
            format!(
                "docker context {name:?} has no docker endpoint in {}",
                meta.display()
            )
        })?;
    let tls = config.join("contexts/tls").join(&hash).join("docker");
    let skip_verify = json
        .pointer("/Endpoints/docker/SkipTLSVerify")
        .and_then(|v| v.as_bool())
        .unwrap_or(false);
    Ok((
        host.to_string(),
        (tls.exists() && !skip_verify).then_some(tls),
    ))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The socket path of a `unix://` address.
pub fn unix_path(address: &str) -> Option<&Path> {
    address.strip_prefix("unix://").map(Path::new)
}

#[cfg(test)]
mod tests;
