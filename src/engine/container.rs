//! Is docktutor itself running in a container (the course's own image:
//! `docker run -it --rm -v /var/run/docker.sock:… -v "$PWD":/work …`)?
//! Where that matters it says so: a socket that was not mounted gets the
//! exact `-v` to add, a socket the container's user may not open gets the
//! exact `--group-add`, and `doctor` and `lessons` also name the workspace
//! by its path on the host, read from the bind mount.
//!
//! Detection reads `/.dockerenv` (Docker), `/run/.containerenv` (Podman)
//! and the cgroup of process 1 (cgroup v1 names the runtime). The parsing
//! is pure so that it is tested without a container.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The socket the one-liner mounts, and the address docktutor tries first.
pub const SOCKET: &str = "/var/run/docker.sock";

/// Which runtime we are in, and what told us.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inside {
    /// "Docker", "Podman" or "a container".
    pub runtime: &'static str,
    /// The file that gave it away, for the message.
    pub evidence: &'static str,
}

impl Inside {
    /// "a Docker container", "a Podman container", "a container".
    pub fn described(&self) -> String {
        if self.runtime.starts_with("a ") {
            self.runtime.to_string()
        } else {
            format!("a {} container", self.runtime)
        }
    }
}

/// This process's answer, read once.
pub fn inside() -> Option<&'static Inside> {
    static INSIDE: OnceLock<Option<Inside>> = OnceLock::new();
    INSIDE
        .get_or_init(|| {
            let cgroup = std::fs::read_to_string("/proc/1/cgroup").unwrap_or_default();
            detect(
                Path::new("/.dockerenv").exists(),
                Path::new("/run/.containerenv").exists(),
                &cgroup,
            )
        })
        .as_ref()
}

/// The rules, on what was read.
pub fn detect(dockerenv: bool, containerenv: bool, cgroup: &str) -> Option<Inside> {
    if dockerenv {
        return Some(Inside {
            runtime: "Docker",
            evidence: "/.dockerenv",
        });
    }
    if containerenv {
        return Some(Inside {
            runtime: "Podman",
            evidence: "/run/.containerenv",
        });
    }
    // cgroup v1: "12:memory:/docker/<id>", "/kubepods/…", "/libpod-<id>".
    // (cgroup v2 shows "0::/" inside a namespace and tells nothing.)
    let path_has = |word: &str| {
        cgroup
            .lines()
            .filter_map(|l| l.splitn(3, ':').nth(2))
            .any(|p| p.contains(word))
    };
    if path_has("/docker") {
        Some(Inside {
            runtime: "Docker",
            evidence: "/proc/1/cgroup",
        })
    } else if path_has("libpod") {
        Some(Inside {
            runtime: "Podman",
            evidence: "/proc/1/cgroup",
        })
    } else if path_has("/kubepods") || path_has("/containerd") || path_has("/lxc/") {
        Some(Inside {
            runtime: "a container",
            evidence: "/proc/1/cgroup",
        })
    } else {
        None
    }
}

/// The default socket is missing and we run in a container: the learner
/// left out the socket mount.
pub fn missing_socket_advice(inside: &Inside) -> String {
    format!(
        "docktutor runs in {} (found {}) and {SOCKET} is not mounted: add \
         -v {SOCKET}:{SOCKET} to your docker run",
        inside.described(),
        inside.evidence
    )
}

/// The socket is mounted but the container's user may not open it: the
/// socket's group must be one of the user's.
pub fn permission_advice(inside: &Inside, socket_gid: Option<u32>) -> String {
    let group = match socket_gid {
        Some(gid) => format!("--group-add {gid}"),
        None => format!("--group-add $(stat -c %g {SOCKET})"),
    };
    format!(
        "docktutor runs in {} as a user who may not open {SOCKET}: add {group} to your docker run \
         (on Docker Desktop, --user root)",
        inside.described()
    )
}

/// The socket is there but this user may not connect to it. (bollard's
/// error for this names only "Connect", so ask the socket itself.)
#[cfg(unix)]
pub fn permission_denied(path: &Path) -> bool {
    std::os::unix::net::UnixStream::connect(path)
        .is_err_and(|e| e.kind() == std::io::ErrorKind::PermissionDenied)
}

#[cfg(not(unix))]
pub fn permission_denied(_path: &Path) -> bool {
    false
}

/// The group that owns the socket, when there is one to read.
#[cfg(unix)]
pub fn socket_gid(path: &Path) -> Option<u32> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).ok().map(|m| m.gid())
}

#[cfg(not(unix))]
pub fn socket_gid(_path: &Path) -> Option<u32> {
    None
}

/// Where `path` (inside the container) is on the host, read from
/// `/proc/self/mountinfo`: the bind mount holding it, and that mount's
/// source folder. `None` when no bind mount holds it.
pub fn host_path(path: &Path) -> Option<PathBuf> {
    let mountinfo = std::fs::read_to_string("/proc/self/mountinfo").ok()?;
    host_path_in(&mountinfo, path)
}

/// The rule, on a mountinfo text. Each line: `id parent major:minor root
/// mount-point options … - fstype source …`; a bind mount of a host folder
/// has that folder as its root. The deepest mount point holding `path` wins.
pub fn host_path_in(mountinfo: &str, path: &Path) -> Option<PathBuf> {
    let (root, point) = mountinfo
        .lines()
        .filter_map(|line| {
            let mut fields = line.split(' ');
            let root = unescape(fields.nth(3)?);
            let point = unescape(fields.next()?);
            Some((root, point))
        })
        .filter(|(_, point)| path.starts_with(point))
        .max_by_key(|(_, point)| point.len())?;
    // The container's own root file system, or a whole file system mounted
    // (a volume): no host folder to name.
    if point == "/" || root == "/" {
        return None;
    }
    let rest = path.strip_prefix(&point).ok()?;
    // Docker Desktop on macOS shares the Mac's folders under /host_mnt.
    let root = root.strip_prefix("/host_mnt").unwrap_or(&root).to_string();
    Some(Path::new(&root).join(rest))
}

/// mountinfo writes a space as \040 (and tab, newline, backslash likewise).
fn unescape(field: &str) -> String {
    let mut out = String::with_capacity(field.len());
    let mut rest = field;
    while let Some(i) = rest.find('\\') {
        out.push_str(&rest[..i]);
        let code = rest.get(i + 1..i + 4);
        match code.and_then(|c| u8::from_str_radix(c, 8).ok()) {
            Some(b) => {
                out.push(b as char);
                rest = &rest[i + 4..];
            }
            None => {
                out.push('\\');
                rest = &rest[i + 1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dockerenv_podman_and_cgroup_v1_are_read() {
        assert_eq!(detect(true, false, "").unwrap().runtime, "Docker");
        assert_eq!(detect(false, true, "").unwrap().runtime, "Podman");
        let v1 = "12:memory:/docker/4f1e0a9b\n11:cpu:/docker/4f1e0a9b\n";
        assert_eq!(detect(false, false, v1).unwrap().evidence, "/proc/1/cgroup");
        let k8s = "5:pids:/kubepods/besteffort/pod1/abc\n";
        assert_eq!(detect(false, false, k8s).unwrap().runtime, "a container");
    }

    #[test]
    fn a_plain_host_is_not_a_container() {
        assert_eq!(detect(false, false, "0::/\n"), None);
        assert_eq!(
            detect(false, false, "0::/user.slice/user-1000.slice\n"),
            None
        );
        assert_eq!(detect(false, false, ""), None);
    }

    #[test]
    fn advice_names_the_exact_flags() {
        let docker = detect(true, false, "").unwrap();
        let mount = missing_socket_advice(&docker);
        assert!(
            mount.contains("-v /var/run/docker.sock:/var/run/docker.sock"),
            "{mount}"
        );
        assert!(mount.contains("a Docker container"), "{mount}");
        assert!(permission_advice(&docker, Some(998)).contains("--group-add 998"));
        assert!(
            permission_advice(&docker, None)
                .contains("--group-add $(stat -c %g /var/run/docker.sock)")
        );
    }

    const MOUNTINFO: &str = "\
612 540 0:55 / / rw,relatime master:312 - overlay overlay rw,lowerdir=/var/lib/docker/overlay2/l/X
613 612 0:58 / /proc rw,nosuid,nodev,noexec,relatime - proc proc rw
620 612 8:1 /home/ada/my\\040course /work rw,relatime - ext4 /dev/sda1 rw
621 612 8:1 /var/lib/docker/containers/4f1e/resolv.conf /etc/resolv.conf rw,relatime - ext4 /dev/sda1 rw
622 612 0:25 /docker.sock /run/docker.sock rw,nosuid,nodev,noexec,relatime - tmpfs tmpfs rw
623 612 0:60 / /data rw,relatime - ext4 /dev/sdb1 rw
";

    #[test]
    fn the_workspace_is_named_by_its_host_folder() {
        assert_eq!(
            host_path_in(MOUNTINFO, Path::new("/work/my-docker-app")),
            Some(PathBuf::from("/home/ada/my course/my-docker-app"))
        );
        assert_eq!(
            host_path_in(MOUNTINFO, Path::new("/work")),
            Some(PathBuf::from("/home/ada/my course"))
        );
    }

    #[test]
    fn no_host_folder_outside_a_bind_mount() {
        assert_eq!(host_path_in(MOUNTINFO, Path::new("/tmp/x")), None);
        assert_eq!(host_path_in(MOUNTINFO, Path::new("/data/x")), None);
        // /workspace is not under /work.
        assert_eq!(host_path_in(MOUNTINFO, Path::new("/workspace")), None);
    }

    #[test]
    fn docker_desktop_host_mnt_is_the_macs_own_path() {
        let desktop = "1 0 0:1 / / rw - overlay overlay rw\n\
                       2 1 0:2 /host_mnt/Users/ada/course /work rw - fakeowner grpcfuse rw\n";
        assert_eq!(
            host_path_in(desktop, Path::new("/work/app")),
            Some(PathBuf::from("/Users/ada/course/app"))
        );
    }
}
