//! Can a BuildKit session be opened on this engine?
//!
//! bollard opens the build's session next to the build request and drops
//! its error: on an engine (or a socket proxy) that refuses `/session`, the
//! build would go on without one and stall or fail later, far from the
//! cause. So before the first BuildKit build on a connection, ask once:
//! `POST /session` with `Upgrade: h2c`, as the docker CLI sends it. The
//! engine answers `101` when sessions work; anything else is the reason to
//! build with the classic builder instead.

use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};

/// Where to ask: the plain-socket transports. Over TLS or ssh the question
/// is not asked (bollard's session still runs, and a refusal there shows
/// up as a failed build).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionProbe {
    Unix(std::path::PathBuf),
    Tcp(String),
    Unchecked,
}

const TIMEOUT: Duration = Duration::from_secs(3);

impl SessionProbe {
    /// From a connection address (`unix:///…`, `tcp://host:port`).
    pub fn for_address(address: &str, tls: bool) -> SessionProbe {
        if let Some(path) = super::super::discover::unix_path(address) {
            SessionProbe::Unix(path.to_path_buf())
        } else if !tls
            && let Some(host) = address
                .strip_prefix("tcp://")
                .or_else(|| address.strip_prefix("http://"))
        {
            SessionProbe::Tcp(host.trim_end_matches('/').to_string())
        } else {
            SessionProbe::Unchecked
        }
    }

    /// `Ok` when the engine opens a session; the reason otherwise.
    pub async fn check(&self, api_version: &str) -> Result<(), String> {
        let asked = async {
            match self {
                SessionProbe::Unix(path) => {
                    let stream = tokio::net::UnixStream::connect(path)
                        .await
                        .map_err(|e| format!("cannot reach {}: {e}", path.display()))?;
                    ask(stream, api_version).await
                }
                SessionProbe::Tcp(host) => {
                    let stream = tokio::net::TcpStream::connect(host.as_str())
                        .await
                        .map_err(|e| format!("cannot reach {host}: {e}"))?;
                    ask(stream, api_version).await
                }
                SessionProbe::Unchecked => Ok(()),
            }
        };
        tokio::time::timeout(TIMEOUT, asked)
            .await
            .unwrap_or_else(|_| Err("the engine did not answer /session within 3 s".into()))
    }
}

async fn ask<S: AsyncRead + AsyncWrite + Unpin>(
    mut stream: S,
    api_version: &str,
) -> Result<(), String> {
    let prefix = if api_version.is_empty() {
        String::new()
    } else {
        format!("/v{api_version}")
    };
    let id = format!(
        "docktutor-probe-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or_default()
    );
    let request = format!(
        "POST {prefix}/session HTTP/1.1\r\nHost: docker\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\
         X-Docker-Expose-Session-Uuid: {id}\r\nX-Docker-Expose-Session-Name: docktutor\r\n\
         X-Docker-Expose-Session-Sharedkey: docktutor\r\nContent-Length: 0\r\n\r\n"
    );
    stream
        .write_all(request.as_bytes())
        .await
        .map_err(|e| format!("/session: {e}"))?;
    let mut head = Vec::new();
    let mut buf = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 16 * 1024 {
        let n = stream
            .read(&mut buf)
            .await
            .map_err(|e| format!("/session: {e}"))?;
        if n == 0 {
            break;
        }
        head.extend_from_slice(&buf[..n]);
    }
    let text = String::from_utf8_lossy(&head);
    let status = text
        .lines()
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|c| c.parse::<u16>().ok());
    match status {
        Some(101) => Ok(()),
        Some(code) => {
            // The JSON message after the head, when there is one.
            let body = text.split("\r\n\r\n").nth(1).unwrap_or("").trim();
            let message = serde_json::from_str::<serde_json::Value>(body)
                .ok()
                .and_then(|v| {
                    v.get("message")
                        .and_then(|m| m.as_str())
                        .map(str::to_string)
                })
                .unwrap_or_else(|| body.lines().next().unwrap_or("").to_string());
            Err(if message.is_empty() {
                format!("the engine answered /session with HTTP {code}")
            } else {
                format!("the engine answered /session with HTTP {code}: {message}")
            })
        }
        None => Err("the engine closed /session without an answer".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn probes_follow_the_address() {
        assert_eq!(
            SessionProbe::for_address("unix:///var/run/docker.sock", false),
            SessionProbe::Unix("/var/run/docker.sock".into())
        );
        assert_eq!(
            SessionProbe::for_address("tcp://127.0.0.1:2375", false),
            SessionProbe::Tcp("127.0.0.1:2375".into())
        );
        assert_eq!(
            SessionProbe::for_address("tcp://host:2376", true),
            SessionProbe::Unchecked
        );
        assert_eq!(
            SessionProbe::for_address("ssh://me@box", false),
            SessionProbe::Unchecked
        );
    }

    #[tokio::test]
    async fn a_refusal_is_read_with_its_message() {
        let (mut engine, ours) = tokio::io::duplex(4096);
        let answer = tokio::spawn(async move {
            let mut buf = vec![0u8; 4096];
            let n = engine.read(&mut buf).await.unwrap();
            let request = String::from_utf8_lossy(&buf[..n]).into_owned();
            engine
                .write_all(b"HTTP/1.1 500 Internal Server Error\r\nContent-Type: application/json\r\n\r\n{\"message\":\"sessions are off\"}\n")
                .await
                .unwrap();
            request
        });
        let got = ask(ours, "1.41").await;
        let request = answer.await.unwrap();
        assert!(
            request.starts_with("POST /v1.41/session HTTP/1.1\r\n"),
            "{request}"
        );
        assert!(request.contains("Upgrade: h2c\r\n"));
        assert_eq!(
            got,
            Err("the engine answered /session with HTTP 500: sessions are off".into())
        );
    }
}
