//! What docktutor refuses to run for the learner, and why; and the image
//! names the engine would refuse, caught before anything is sent.

use std::path::{Component, Path, PathBuf};
use std::sync::LazyLock;

use regex::Regex;

use super::CommandError;
use super::grammar::RunArgs;

pub const PRIVILEGED: &str = "refused in docktutor: --privileged gives the container every power \
     of the host's root user (devices, kernel settings); your own shell is the place for it";
pub const VOLUME: &str = "refused in docktutor: -v mounts a host folder into the container, which \
     can then read and change it; the lessons put files in the image with COPY instead";
pub const PID: &str = "refused in docktutor: --pid=host lets the container see and signal every \
     process on the host";
pub const NETWORK: &str = "refused in docktutor: --network=host puts the container on the host's \
     own network, with nothing between them";
pub const CAP_ADD: &str = "refused in docktutor: --cap-add gives the container powers of the \
     host's root user that containers leave out on purpose";
pub const DEVICE: &str = "refused in docktutor: --device hands a host device (a disk, a GPU) to \
     the container";

/// The first refused flag of a run, with the sentence on why.
pub fn refused(run: &RunArgs, workspace: &Path) -> Option<CommandError> {
    let refuse = |flag: &str, why: &str| {
        Some(CommandError::Refused {
            flag: flag.to_string(),
            why: why.to_string(),
        })
    };
    if run.privileged {
        return refuse("--privileged", PRIVILEGED);
    }
    if let Some(v) = run.volume.first() {
        let source = v.split(':').next().unwrap_or(v);
        let why = if mounts_outside(source, workspace) {
            format!("{VOLUME}; {source} is outside the workspace")
        } else {
            VOLUME.to_string()
        };
        return refuse(&format!("-v {v}"), &why);
    }
    if let Some(p) = &run.pid
        && p == "host"
    {
        return refuse("--pid=host", PID);
    }
    if let Some(n) = &run.network
        && n == "host"
    {
        return refuse("--network=host", NETWORK);
    }
    if let Some(c) = run.cap_add.first() {
        return refuse(&format!("--cap-add {c}"), CAP_ADD);
    }
    if let Some(d) = run.device.first() {
        return refuse(&format!("--device {d}"), DEVICE);
    }
    None
}

/// Whether a `-v` source is a host path outside the workspace (a named
/// volume is not a path).
fn mounts_outside(source: &str, workspace: &Path) -> bool {
    let looks_like_path = source.starts_with(['/', '.', '~']) || source.contains('/');
    looks_like_path && !inside(&workspace.join(source), workspace)
}

/// `path` (lexically resolved) is `root` or under it.
pub fn inside(path: &Path, root: &Path) -> bool {
    lexical(path).starts_with(lexical(root))
}

/// `a/./b/../c` → `a/c`, without touching the disk.
pub fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// A path component of a repository name, as the engine's reference
/// grammar has it (lowercase only).
static COMPONENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*$").expect("a fixed regex")
});
static TAG: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$").expect("a fixed regex"));

/// An image name the engine would take (`name`, `team/name:tag`,
/// `localhost:5000/name`), or the kind reason it would not.
pub fn image_name(name: &str) -> Result<(), CommandError> {
    let parsed = crate::dockerfile::ImageRef::parse(name);
    let bad = |why: &str| {
        Err(CommandError::BadImageName {
            name: name.to_string(),
            why: why.to_string(),
        })
    };
    if parsed.name.chars().any(|c| c.is_ascii_uppercase()) {
        return Err(CommandError::Uppercase {
            name: name.to_string(),
        });
    }
    if parsed.name.is_empty() {
        return bad("it has no name before the tag");
    }
    if !parsed.name.split('/').all(|c| COMPONENT.is_match(c)) {
        return bad(
            "a name may hold lowercase letters, digits and . _ - between them (not at either end)",
        );
    }
    if let Some(tag) = &parsed.tag
        && !TAG.is_match(tag)
    {
        return bad(
            "a tag may hold letters, digits, _ . and - (up to 128), not starting with . or -",
        );
    }
    Ok(())
}
