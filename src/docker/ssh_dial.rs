//! `ssh://` engines, reached the way the docker CLI reaches them: each
//! connection is one `ssh -T [-l USER] -- HOST docker system dial-stdio`,
//! and the learner's own ssh configuration decides everything else (host
//! keys, identities, jump hosts).
//!
//! bollard's own ssh transport (the openssh crate) is not used: it
//! hard-codes `StrictHostKeyChecking=accept-new` (trust any host on first
//! use) and `ControlPersist=yes` (a master connection that outlives the
//! program), and bollard offers no way to change either. Instead bollard
//! talks HTTP over a private unix socket (in a temporary folder only we can
//! open) and every connection made to it is piped through its own ssh
//! process, a child of docktutor: when docktutor ends, its end of the pipes
//! closes and ssh ends with it.
//!
//! `BatchMode=yes` is the one option added: ssh must never ask for a
//! password or about an unknown host key inside the TUI's raw terminal. It
//! fails instead, and the proxy answers that request with a 502 whose
//! message says what to run to fix it.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::os::unix::fs::DirBuilderExt;
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Mutex, OnceLock};

/// How much of ssh's standard error is kept to explain a failure.
const KEEP_STDERR: usize = 8 * 1024;

/// The `unix://` address bollard should use for `address`
/// (`ssh://[user@]host`): one local socket per address, made on first use
/// and served for the rest of the process's life.
pub fn local_address(address: &str) -> Result<String, String> {
    static SOCKETS: OnceLock<Mutex<HashMap<String, PathBuf>>> = OnceLock::new();
    let mut sockets = SOCKETS
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|p| p.into_inner());
    if let Some(path) = sockets.get(address) {
        return Ok(format!("unix://{}", path.display()));
    }
    let target = Target::parse(address)?;
    let path = socket_dir()?.join(format!("{}.sock", sockets.len()));
    let _ = std::fs::remove_file(&path);
    let listener = UnixListener::bind(&path)
        .map_err(|e| format!("could not listen on {}: {e}", path.display()))?;
    std::thread::Builder::new()
        .name("ssh-dial".into())
        .spawn(move || serve(&listener, &target))
        .map_err(|e| format!("could not start the ssh connection thread: {e}"))?;
    sockets.insert(address.to_string(), path.clone());
    Ok(format!("unix://{}", path.display()))
}

const DIR_PREFIX: &str = "docktutor-ssh-";

/// This session's folder for its sockets, readable by us alone (no other
/// user may reach the learner's ssh identity through it). Its name holds
/// the process id and start time, so that a later session removes the
/// folders of sessions that are gone (the process cannot remove its own
/// when it is killed).
fn socket_dir() -> Result<PathBuf, String> {
    static DIR: OnceLock<Result<PathBuf, String>> = OnceLock::new();
    DIR.get_or_init(|| {
        let tmp = std::env::temp_dir();
        remove_gone_sessions_dirs(&tmp);
        let pid = std::process::id();
        let start = super::session::start_time(pid).unwrap_or_else(|| "0".into());
        let dir = tmp.join(format!("{DIR_PREFIX}{pid}-{start}"));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::DirBuilder::new()
            .mode(0o700)
            .create(&dir)
            .map_err(|e| format!("could not make {}: {e}", dir.display()))?;
        Ok(dir)
    })
    .clone()
}

/// Removes `docktutor-ssh-PID-START` folders whose process is gone. Only
/// where `/proc` can tell; another user's folders cannot be removed anyway.
fn remove_gone_sessions_dirs(tmp: &std::path::Path) {
    if super::session::start_time(std::process::id()).is_none() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(tmp) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some((pid, start)) = name
            .strip_prefix(DIR_PREFIX)
            .and_then(|rest| rest.split_once('-'))
        else {
            continue;
        };
        let Ok(pid) = pid.parse::<u32>() else {
            continue;
        };
        if super::session::start_time(pid).as_deref() != Some(start) {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// `ssh://user@host` split as ssh takes it.
#[derive(Clone, Debug, PartialEq)]
struct Target {
    user: Option<String>,
    host: String,
}

impl Target {
    fn parse(address: &str) -> Result<Target, String> {
        let rest = address
            .strip_prefix("ssh://")
            .ok_or_else(|| format!("{address} is not an ssh:// address"))?
            .trim_end_matches('/');
        let (user, host) = match rest.rsplit_once('@') {
            Some((user, host)) => (Some(user.to_string()), host.to_string()),
            None => (None, rest.to_string()),
        };
        // A host starting with '-' would be read as an option (it also
        // follows "--", but ssh should not even see such a name).
        if host.is_empty() || host.starts_with('-') || host.contains(['/', ' ']) {
            return Err(format!("{address}: no usable host name in it"));
        }
        Ok(Target { user, host })
    }

    /// What to type to reach the host by hand: `user@host` or `host`.
    fn destination(&self) -> String {
        match &self.user {
            Some(u) => format!("{u}@{}", self.host),
            None => self.host.clone(),
        }
    }

    fn command(&self) -> Command {
        let mut ssh = Command::new("ssh");
        ssh.args(["-o", "BatchMode=yes", "-o", "ConnectTimeout=30", "-T"]);
        if let Some(user) = &self.user {
            ssh.args(["-l", user]);
        }
        ssh.args(["--", &self.host, "docker", "system", "dial-stdio"]);
        ssh.stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        ssh
    }
}

fn serve(listener: &UnixListener, target: &Target) {
    for conn in listener.incoming() {
        let Ok(mut conn) = conn else { continue };
        match target.command().spawn() {
            Ok(child) => {
                let target = target.clone();
                let _ = std::thread::Builder::new()
                    .name("ssh-pipe".into())
                    .spawn(move || pipe(conn, child, &target));
            }
            Err(e) => bad_gateway(&mut conn, &format!("could not run ssh: {e}")),
        }
    }
}

/// Copies bytes both ways between one local connection and its ssh.
fn pipe(conn: UnixStream, mut ssh: Child, target: &Target) {
    let (Some(mut to_ssh), Some(mut from_ssh), Some(mut ssh_err)) =
        (ssh.stdin.take(), ssh.stdout.take(), ssh.stderr.take())
    else {
        let _ = ssh.kill();
        let _ = ssh.wait();
        return;
    };
    // Standard error is read all along, so a chatty ssh never blocks.
    let stderr = std::thread::spawn(move || {
        let mut kept = Vec::new();
        let mut buf = [0u8; 4096];
        while let Ok(n) = ssh_err.read(&mut buf) {
            if n == 0 {
                break;
            }
            if kept.len() < KEEP_STDERR {
                kept.extend_from_slice(&buf[..n]);
            }
        }
        String::from_utf8_lossy(&kept).into_owned()
    });
    if let Ok(mut from_client) = conn.try_clone() {
        std::thread::spawn(move || {
            let _ = copy(&mut from_client, &mut to_ssh);
            // Dropping stdin tells ssh (and the engine) the client is done.
        });
    }
    let mut to_client = &conn;
    let copied = copy(&mut from_ssh, &mut to_client);
    if matches!(copied, Ok(0)) {
        // ssh closed its output before the engine said a word: it could
        // not connect, and said why on standard error (closed by now too).
        let err = stderr.join().unwrap_or_default();
        let mut conn = &conn;
        bad_gateway(&mut conn, &explain(target, &err));
    }
    let _ = conn.shutdown(std::net::Shutdown::Both);
    let _ = ssh.kill();
    let _ = ssh.wait();
}

/// A plain read-and-write copy. (`std::io::copy` splices between pipes
/// and sockets on Linux, and ssh then read nothing of what was spliced
/// into its standard input.)
fn copy(from: &mut impl Read, to: &mut impl Write) -> std::io::Result<u64> {
    let mut buf = [0u8; 16 * 1024];
    let mut total = 0;
    loop {
        let n = match from.read(&mut buf) {
            Ok(0) => return Ok(total),
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        to.write_all(&buf[..n])?;
        total += n as u64;
    }
}

/// An HTTP answer that bollard turns into an error carrying `message`.
fn bad_gateway(conn: &mut impl Write, message: &str) {
    let body = serde_json::json!({ "message": message }).to_string();
    let _ = write!(
        conn,
        "HTTP/1.1 502 Bad Gateway\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
}

/// ssh's complaint, as something the learner can act on.
fn explain(target: &Target, stderr: &str) -> String {
    let host = &target.host;
    let dest = target.destination();
    let has = |needle: &str| stderr.contains(needle);
    if has("IDENTIFICATION HAS CHANGED") {
        format!(
            "the ssh host key of {host} has CHANGED since you last connected: someone may be in \
             the middle, or the machine was reinstalled. If you know it was, run \
             `ssh-keygen -R {host}`, then `ssh {dest}` and check the new key"
        )
    } else if has("Host key verification failed") || has("host key is known") {
        format!(
            "the ssh host key of {host} is not known, and docktutor (like the docker CLI) does \
             not trust a host on first use: run `ssh {dest}` once and check the key it shows, \
             or add it with `ssh-keyscan {host} >> ~/.ssh/known_hosts` after checking it"
        )
    } else if has("Permission denied") {
        format!(
            "ssh {dest} refused the login: add your key to the agent (`ssh-add`) or name it \
             with IdentityFile in ~/.ssh/config; `ssh {dest}` must work without a password"
        )
    } else if has("docker: command not found") || has("docker: not found") {
        format!("{host} has no docker CLI: `docker system dial-stdio` must run there")
    } else {
        let last = stderr.trim().lines().last().unwrap_or("no message").trim();
        format!("ssh {dest} failed: {last} (try `ssh {dest} docker version`)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_split_as_ssh_takes_them() {
        let t = Target::parse("ssh://me@box.lan").unwrap();
        assert_eq!(t.user.as_deref(), Some("me"));
        assert_eq!(t.host, "box.lan");
        assert_eq!(Target::parse("ssh://box/").unwrap().destination(), "box");
        assert!(Target::parse("ssh://me@-oProxyCommand=x").is_err());
        assert!(Target::parse("ssh://").is_err());
        let args: Vec<String> = Target::parse("ssh://me@box")
            .unwrap()
            .command()
            .get_args()
            .map(|a| a.to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            args.join(" "),
            "-o BatchMode=yes -o ConnectTimeout=30 -T -l me -- box docker system dial-stdio"
        );
    }

    #[test]
    fn an_unknown_host_key_is_explained_with_the_command_that_fixes_it() {
        let t = Target::parse("ssh://me@box").unwrap();
        let text = explain(
            &t,
            "No ED25519 host key is known for box and you have requested strict checking.\r\nHost key verification failed.\r\n",
        );
        assert!(
            text.contains("ssh-keyscan box >> ~/.ssh/known_hosts"),
            "{text}"
        );
        assert!(text.contains("`ssh me@box`"), "{text}");
        let changed = explain(&t, "@ WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED! @\n");
        assert!(changed.contains("ssh-keygen -R box"), "{changed}");
    }
}
