//! Connecting: try each candidate address, ping it, negotiate the API
//! version and ask the engine who it is.

use std::time::Duration;

use bollard::Docker;

use super::build::BuilderState;
use super::buildkit::session::SessionProbe;
use super::discover::{self, Candidate, Env};
use crate::engine::builder::{self, EngineTraits};
use crate::engine::{Attempt, EngineInfo};

/// Per-request timeout for ordinary calls (streams are not cut by it).
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// How long one connection attempt may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);

pub struct Connection {
    pub docker: Docker,
    pub info: EngineInfo,
    /// The builder builds go through (BuildKit falls back once, for good).
    pub builder: BuilderState,
}

/// Tries the candidates in order; the first that answers wins.
pub async fn connect(env: &Env) -> Result<Connection, Vec<Attempt>> {
    let candidates = discover::candidates(env).map_err(|error| {
        vec![Attempt {
            address: String::new(),
            source: "docker context".into(),
            error,
        }]
    })?;
    let mut tried = Vec::new();
    for c in candidates {
        match connect_one(&c, env).await {
            Ok(conn) => return Ok(conn),
            Err(error) => tried.push(Attempt {
                address: c.address.clone(),
                source: c.source.clone(),
                error,
            }),
        }
    }
    Err(tried)
}

/// A client for the first engine the environment names, without the
/// `/version` round trip `connect` makes: for one quick question at start
/// (`learner::others`), where a second full connection would delay the
/// first frame. Requests use the old API version every engine accepts.
pub fn quick_client(env: &Env) -> Option<bollard::Docker> {
    let first = discover::candidates(env).ok()?.into_iter().next()?;
    client_for(&first, PROBE_VERSION).ok()
}

/// The API version every engine in use understands, for the first call.
const PROBE_VERSION: &bollard::ClientVersion = &bollard::ClientVersion {
    major_version: 1,
    minor_version: 24,
};

async fn connect_one(c: &Candidate, env: &Env) -> Result<Connection, String> {
    // One round trip: ask the engine who it is at an old API version every
    // engine accepts, then talk the newest version both sides know.
    let probe = client_for(c, PROBE_VERSION)?;
    let version = tokio::time::timeout(CONNECT_TIMEOUT, probe.version())
        .await
        .map_err(|_| "no answer within 3 s".to_string())?
        .map_err(|e| explain(c, &e))?;
    let server = version
        .api_version
        .as_deref()
        .and_then(parse_api_version)
        .unwrap_or(*PROBE_VERSION);
    let ours = bollard::API_DEFAULT_VERSION;
    let agreed = if (server.major_version, server.minor_version)
        < (ours.major_version, ours.minor_version)
    {
        server
    } else {
        *ours
    };
    let negotiated = client_for(c, &agreed)?;
    // Docker Desktop says so in the platform name; Podman in its component.
    let desktop = version
        .platform
        .as_ref()
        .map(|p| p.name.clone())
        .filter(|n| n.starts_with("Docker Desktop"));
    let name = version
        .components
        .as_ref()
        .and_then(|cs| cs.first())
        .map(|c| c.name.clone())
        .filter(|n| n != "Engine")
        .or(desktop)
        .unwrap_or_else(|| "Docker Engine".into());
    let api_version = version.api_version.clone().unwrap_or_default();
    let os = version.os.clone().unwrap_or_default();
    let choice = builder::choose(
        env.builder_flag,
        env.docker_buildkit.as_deref(),
        EngineTraits {
            api_version: &api_version,
            os: &os,
            name: &name,
        },
    );
    // Requests go to the negotiated version; so does the session probe.
    let agreed_text = format!("{}.{}", agreed.major_version, agreed.minor_version);
    let builder = BuilderState::new(
        choice.clone(),
        SessionProbe::for_address(&c.address, c.tls.is_some()),
        &agreed_text,
    );
    let info = EngineInfo {
        address: c.address.clone(),
        source: c.source.clone(),
        name,
        version: version.version.unwrap_or_default(),
        api_version: version.api_version.unwrap_or_default(),
        os_arch: format!(
            "{}/{}",
            version.os.unwrap_or_default(),
            version.arch.unwrap_or_default()
        ),
        builder: choice,
    };
    Ok(Connection {
        docker: negotiated,
        info,
        builder,
    })
}

/// "1.41" → 1.41.
fn parse_api_version(text: &str) -> Option<bollard::ClientVersion> {
    let (major, minor) = text.split_once('.')?;
    Some(bollard::ClientVersion {
        major_version: major.trim().parse().ok()?,
        minor_version: minor.trim().parse().ok()?,
    })
}

fn client_for(c: &Candidate, version: &bollard::ClientVersion) -> Result<Docker, String> {
    let timeout = REQUEST_TIMEOUT.as_secs();
    let address = c.address.as_str();
    let result = if let Some(path) = discover::unix_path(address) {
        if !path.exists() {
            return Err(format!("{} does not exist", path.display()));
        }
        return unix_socket(address, timeout, version);
    } else if address.starts_with("npipe://") {
        return named_pipe(address, timeout, version);
    } else if address.starts_with("tcp://") || address.starts_with("http://") {
        match &c.tls {
            // DOCKER_TLS_VERIFY / DOCKER_CERT_PATH or a context's TLS folder:
            // the client certificate, its key and the CA, as the CLI reads them.
            Some(dir) => {
                let (key, cert, ca) = (
                    dir.join("key.pem"),
                    dir.join("cert.pem"),
                    dir.join("ca.pem"),
                );
                for f in [&key, &cert, &ca] {
                    if !f.is_file() {
                        return Err(format!("TLS is on but {} is missing", f.display()));
                    }
                }
                Docker::connect_with_ssl(address, &key, &cert, &ca, timeout, version)
            }
            None => Docker::connect_with_http(address, timeout, version),
        }
    } else if let Some(rest) = address.strip_prefix("ssh://") {
        // bollard hands "user@host:port" to ssh as a host name, so a port
        // would be misread; ssh's own config can say it instead.
        if rest
            .rsplit('@')
            .next()
            .is_some_and(|host| host.contains(':'))
        {
            return Err(format!(
                "a port in {address} is not supported: add a Host entry with HostName and Port to ~/.ssh/config \
                 and use ssh://user@that-name"
            ));
        }
        return ssh(address, timeout, version);
    } else {
        return Err(format!("unsupported address {address:?}"));
    };
    result.map_err(|e| e.to_string())
}

#[cfg(unix)]
fn unix_socket(address: &str, timeout: u64, v: &bollard::ClientVersion) -> Result<Docker, String> {
    Docker::connect_with_unix(address, timeout, v).map_err(|e| e.to_string())
}

#[cfg(not(unix))]
fn unix_socket(address: &str, _: u64, _: &bollard::ClientVersion) -> Result<Docker, String> {
    Err(format!(
        "{address} is a unix socket; on Windows Docker Desktop listens on {}",
        discover::DEFAULT_PIPE
    ))
}

/// Like the docker CLI: ssh (with your ~/.ssh/config and agent) runs
/// `docker system dial-stdio` on the remote machine, one ssh per
/// connection, through a private local socket (see [`super::ssh_dial`]).
#[cfg(unix)]
fn ssh(address: &str, timeout: u64, v: &bollard::ClientVersion) -> Result<Docker, String> {
    let local = super::ssh_dial::local_address(address)?;
    Docker::connect_with_unix(&local, timeout, v).map_err(|e| e.to_string())
}

/// ssh engines are reached through a unix socket (Unix only).
#[cfg(not(unix))]
fn ssh(address: &str, _: u64, _: &bollard::ClientVersion) -> Result<Docker, String> {
    Err(format!(
        "{address}: ssh:// engines work on Linux and macOS; on Windows run docktutor in WSL, \
         or reach the engine over tcp:// with TLS"
    ))
}

/// Docker Desktop on Windows: `npipe:////./pipe/docker_engine`.
#[cfg(windows)]
fn named_pipe(address: &str, timeout: u64, v: &bollard::ClientVersion) -> Result<Docker, String> {
    Docker::connect_with_named_pipe(address, timeout, v).map_err(|e| e.to_string())
}

#[cfg(not(windows))]
fn named_pipe(address: &str, _: u64, _: &bollard::ClientVersion) -> Result<Docker, String> {
    Err(format!(
        "{address} is a Windows named pipe; here the engine listens on a unix:// socket"
    ))
}

/// Turns a connection error into something a learner can act on.
fn explain(c: &Candidate, e: &bollard::errors::Error) -> String {
    let address = c.address.as_str();
    let text = e.to_string();
    // bollard's own message can be just "client error (Connect)": the cause
    // (e.g. EACCES on the socket) is further down the chain.
    let mut chain = text.clone();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        chain = format!("{chain}: {s}");
        source = s.source();
    }
    // The ssh proxy's own answer (ssh could not connect) says what to do.
    if let bollard::errors::Error::DockerResponseServerError {
        status_code: 502,
        message,
    } = e
        && address.starts_with("ssh://")
    {
        return message.clone();
    }
    let text_has = |needle: &str| chain.contains(needle);
    if let Some(dir) = &c.tls
        && let Some(why) = tls_refusal(address, dir, &chain)
    {
        return why;
    }
    if text_has("Permission denied") || text_has("permission denied") {
        format!(
            "permission denied on {address}: add yourself to the docker group \
             (sudo usermod -aG docker $USER, then log in again) or use rootless Docker"
        )
    } else if text_has("HTTP request to an HTTPS server") {
        format!(
            "{address} wants TLS: set DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH to the folder with ca.pem, cert.pem and key.pem"
        )
    } else if text_has("Connection refused") || text_has("No such file") {
        format!("nothing is listening on {address}")
    } else {
        text
    }
}

/// Why rustls refused the engine's certificate, in words, when it did.
fn tls_refusal(address: &str, dir: &std::path::Path, chain: &str) -> Option<String> {
    let ca = dir.join("ca.pem");
    let host = address
        .split_once("://")
        .map_or(address, |(_, rest)| rest)
        .rsplit_once(':')
        .map_or(address, |(host, _)| host);
    if chain.contains("UnknownIssuer") || chain.contains("BadSignature") {
        Some(format!(
            "{address} refused: its TLS certificate is not signed by the CA in {} \
             (a ca.pem from another engine or an old one?): copy the engine's ca.pem there",
            ca.display()
        ))
    } else if chain.contains("NotValidForName") || chain.contains("not valid for name") {
        Some(format!(
            "{address} refused: the engine's TLS certificate is not for {host}: reach it by a \
             name its certificate holds (`openssl s_client -connect {}` shows them), or have a \
             certificate made for {host}",
            address.split_once("://").map_or(address, |(_, rest)| rest)
        ))
    } else if chain.contains("invalid peer certificate") {
        let detail = chain.rsplit(": ").next().unwrap_or_default();
        Some(format!(
            "{address} refused: its TLS certificate is not valid ({detail}); check it against {}",
            ca.display()
        ))
    } else {
        None
    }
}
