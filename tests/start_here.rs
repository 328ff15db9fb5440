//! Start where the learner stands: the guide says `mkdir my-docker-app` and
//! `cd my-docker-app`, and a learner then starts `docktutor` right there,
//! with no `--workdir`. From the first screen the folder they are in is the
//! project folder (and the status bar says so); nothing claims that
//! `my-docker-app/my-docker-app` is missing. Driven in a real terminal.

mod support;

use std::time::Duration;

use support::pty::Pty;
use support::*;

const SHORT: Duration = Duration::from_secs(10);
const BUILD: Duration = Duration::from_secs(120);

fn binary() -> String {
    std::env::var("DOCKTUTOR_E2E_BIN").unwrap_or_else(|_| bin().display().to_string())
}

/// Starts docktutor in `cwd` with no `--workdir`, as the learner would.
fn start_in(cwd: &std::path::Path, lessons: &std::path::Path, data: &std::path::Path) -> Pty {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let host = rt
        .block_on(engine())
        .map(|c| c.info.address)
        .unwrap_or_else(|| "unix:///var/run/docker.sock".into());
    Pty::spawn(
        &binary(),
        &[
            "--host",
            &host,
            "--lessons",
            lessons.to_str().expect("utf8"),
        ],
        &[
            ("DOCKTUTOR_DATA_DIR", data.to_str().expect("utf8")),
            ("NO_COLOR", ""),
        ],
        cwd,
        80,
        24,
    )
}

#[test]
fn the_guides_folder_is_the_project_folder_from_the_first_screen() {
    let n = docktutor::lesson::builtin().lessons.len();
    let image = unique("docktutor-test-start-here");
    let _guard = ImageGuard::new(image.clone());
    let lessons = lessons_for_image(&image);
    let home = tempfile::tempdir().expect("tempdir");
    let data = tempfile::tempdir().expect("tempdir");
    // mkdir my-docker-app && cd my-docker-app
    let ws = home.path().join("my-docker-app");
    std::fs::create_dir(&ws).expect("mkdir");

    let mut pty = start_in(&ws, lessons.path(), data.path());
    let s = pty.wait_text(&format!("1/{n} · Set up your project folder"), SHORT);
    assert!(!s.contains("does not exist"), "{s}");
    let s = pty.wait_text("using the folder you are in", SHORT);
    assert!(
        s.contains("named my-docker-app"),
        "the status bar says why:\n{s}"
    );
    // The checks look in this folder: app.py is missing from it, not the
    // folder itself.
    let s = pty.wait_text("app.py is missing from", SHORT);
    assert!(!s.contains("my-docker-app/my-docker-app"), "{s}");
    assert!(s.contains("✓ the project folder exists"), "{s}");

    // The learner writes the guide's files in their editor.
    std::fs::write(ws.join("app.py"), GUIDE_APP).expect("write");
    std::fs::write(ws.join("requirements.txt"), GUIDE_REQUIREMENTS).expect("write");
    pty.wait_text("Checks 4/4 ✓ passed", SHORT);
    pty.send("n");
    pty.wait_text(&format!("2/{n} · Write the Dockerfile"), SHORT);
    std::fs::write(ws.join("Dockerfile"), GUIDE_DOCKERFILE).expect("write");
    pty.wait_text("Checks 7/7 ✓ passed", SHORT);

    if engine_available() {
        pty.send("n");
        pty.wait_text(&format!("3/{n} · Build the image"), SHORT);
        pty.send("\r");
        pty.wait_text("Checks 4/4 ✓ passed", BUILD);
        let images = docker_cli(&["images", "-q", &image], &ws);
        assert!(
            !String::from_utf8_lossy(&images.stdout).trim().is_empty(),
            "the image was built from the folder the learner is in"
        );
    }
    pty.send("q");
    assert_eq!(pty.wait_exit(SHORT), Some(0));
}

#[test]
fn started_with_the_guides_files_in_place_lesson_one_passes_at_once() {
    let n = docktutor::lesson::builtin().lessons.len();
    let lessons = lessons_for_image(&unique("docktutor-test-start-here"));
    let home = tempfile::tempdir().expect("tempdir");
    let data = tempfile::tempdir().expect("tempdir");
    let ws = home.path().join("my-docker-app");
    write_guide(&ws);

    let mut pty = start_in(&ws, lessons.path(), data.path());
    let s = pty.wait_text(&format!("1/{n} · Set up your project folder"), SHORT);
    assert!(!s.contains("does not exist"), "{s}");
    let s = pty.wait_text("Checks 4/4 ✓ passed", SHORT);
    assert!(!s.contains("mkdir my-docker-app"), "{s}");
    // Said once, next to the lesson's own news.
    pty.wait_text("using the folder you are in", SHORT);
    pty.send("q");
    assert_eq!(pty.wait_exit(SHORT), Some(0));
}
