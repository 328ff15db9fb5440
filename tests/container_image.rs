//! docktutor's own image (the top-level Dockerfile), as a learner with only
//! Docker runs it: the engine's socket mounted, their folder at /work. The
//! guide's lessons 1–5 pass headless from inside the container, against the
//! engine outside it; a missing socket mount gets the exact `-v` to add.
//!
//! The image is built by `.ci/container-image` (its runtime stage, from the
//! release binary, on a local Debian stand-in: there is no registry), which
//! names it in DOCKTUTOR_IMAGE. Without it the test says so loudly, and with
//! `CI` set it fails.
#![cfg(unix)]

mod support;

use std::path::Path;
use std::process::{Command, Output};

use support::*;

const SOCKET: &str = "/var/run/docker.sock";

fn image_under_test() -> Option<String> {
    match std::env::var("DOCKTUTOR_IMAGE") {
        Ok(image) if !image.is_empty() => Some(image),
        _ if std::env::var_os("CI").is_some() => {
            panic!("CI is set but DOCKTUTOR_IMAGE is not: .ci/container-image builds the image")
        }
        _ => {
            eprintln!(
                "SKIPPED: DOCKTUTOR_IMAGE is not set (bash .ci/container-image builds docktutor's image and runs this test)"
            );
            None
        }
    }
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// The group owning the engine's socket: the container's user must be in it.
fn socket_gid() -> String {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(SOCKET)
        .expect("the engine's socket")
        .gid()
        .to_string()
}

/// `docker run --rm [extra] IMAGE args…`, with the learner's folder `home`
/// at /work (as the README's one-liner mounts it).
fn in_container(image: &str, home: &Path, extra: &[&str], args: &[&str]) -> Output {
    let mount = format!("{}:/work", home.display());
    Command::new("docker")
        .args([
            "run",
            "--rm",
            "--network",
            "none",
            "-v",
            &mount,
            "-w",
            "/work",
        ])
        .args(extra)
        .arg(image)
        .args(args)
        .output()
        .expect("docker run")
}

/// A folder the image's own user (not root) can read.
fn learner_home() -> tempfile::TempDir {
    use std::os::unix::fs::PermissionsExt;
    let home = tempfile::tempdir().expect("tempdir");
    std::fs::set_permissions(home.path(), std::fs::Permissions::from_mode(0o755)).expect("chmod");
    home
}

#[test]
fn the_guide_passes_from_inside_docktutors_image() {
    let Some(image) = image_under_test() else {
        return;
    };
    let built_image = unique("docktutor-test-in-image");
    let _guard = ImageGuard::new(built_image.clone());
    let home = learner_home();
    write_guide(&home.path().join("my-docker-app"));
    let lessons = lessons_for_image(&built_image);
    std::fs::set_permissions(
        lessons.path(),
        std::os::unix::fs::PermissionsExt::from_mode(0o755),
    )
    .expect("chmod");
    let socket = format!("{SOCKET}:{SOCKET}");
    let lessons_mount = format!("{}:/lessons:ro", lessons.path().display());
    let gid = socket_gid();
    // Progress goes inside the container: nothing of ours is left in the
    // learner's folder by the test.
    let extra = [
        "-v",
        socket.as_str(),
        "-v",
        lessons_mount.as_str(),
        "--group-add",
        gid.as_str(),
        "-e",
        "DOCKTUTOR_DATA_DIR=/tmp/progress",
    ];

    let built = in_container(
        &image,
        home.path(),
        &extra,
        &["build", "--workdir", "my-docker-app", "-t", &built_image],
    );
    assert!(
        built.status.success(),
        "build in the image\n{}",
        text(&built)
    );

    let checked = in_container(
        &image,
        home.path(),
        &extra,
        &[
            "--lessons",
            "/lessons",
            "check",
            "1",
            "2",
            "3",
            "4",
            "5",
            // The lesson's run, done by docktutor in the image.
            "--run",
            "--workdir",
            "my-docker-app",
        ],
    );
    assert!(
        checked.status.success(),
        "the guide's lessons from inside the image\n{}",
        text(&checked)
    );
}

#[test]
fn the_image_runs_as_a_user_without_root_and_knows_its_commit() {
    let Some(image) = image_under_test() else {
        return;
    };
    let user = Command::new("docker")
        .args(["image", "inspect", "-f", "{{.Config.User}}", &image])
        .output()
        .expect("docker image inspect");
    let user = String::from_utf8_lossy(&user.stdout).trim().to_string();
    assert!(
        !user.is_empty() && user != "root" && user != "0",
        "USER is {user:?}"
    );

    let home = learner_home();
    let version = in_container(&image, home.path(), &[], &["--version"]);
    assert!(version.status.success(), "{}", text(&version));
    assert!(
        text(&version).starts_with(&format!("docktutor {} (", env!("CARGO_PKG_VERSION"))),
        "{}",
        text(&version)
    );
}

#[test]
fn a_missing_socket_mount_gets_the_exact_flag_to_add() {
    let Some(image) = image_under_test() else {
        return;
    };
    let home = learner_home();
    let doctor = in_container(&image, home.path(), &[], &["doctor"]);
    let said = text(&doctor);
    assert!(!doctor.status.success(), "doctor without an engine\n{said}");
    assert!(
        said.contains("-v /var/run/docker.sock:/var/run/docker.sock"),
        "doctor must name the mount to add\n{said}"
    );
    assert!(said.contains("Docker container"), "{said}");
}

#[test]
fn the_socket_without_its_group_gets_the_exact_group_to_add() {
    let Some(image) = image_under_test() else {
        return;
    };
    let gid = socket_gid();
    let mode = std::os::unix::fs::PermissionsExt::mode(
        &std::fs::metadata(SOCKET).expect("socket").permissions(),
    );
    if mode & 0o006 == 0o006 {
        eprintln!("NOT RUN: {SOCKET} is open to every user (mode {mode:o}): no group is missing");
        return;
    }
    let home = learner_home();
    let socket = format!("{SOCKET}:{SOCKET}");
    let doctor = in_container(&image, home.path(), &["-v", &socket], &["doctor"]);
    let said = text(&doctor);
    assert!(
        !doctor.status.success(),
        "doctor without the socket's group\n{said}"
    );
    assert!(
        said.contains(&format!("--group-add {gid}")),
        "doctor must name the group to add\n{said}"
    );
}
