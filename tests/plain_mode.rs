//! Plain mode end to end: in a real pseudo-terminal with `TERM=dumb`, a
//! scripted learner writes the starter files, mends them as their editor
//! would, builds, runs, lists images and finishes the five guide lessons
//! through the `docktutor> ` prompt — and nothing but plain text is
//! written: no escape sequence, no box drawing. Also: stdout that is not a
//! terminal picks plain mode by itself, and `--plain` never switches the
//! terminal's modes.

mod support;

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::Duration;

use support::pty::{Pty, managed_containers};
use support::*;

const SHORT: Duration = Duration::from_secs(20);
const BUILD: Duration = Duration::from_secs(180);

/// Everything written is text: no ESC (so no escape sequence), no other
/// control character but the line ends, no box drawing or block elements.
fn assert_plain(raw: &[u8]) {
    let text = String::from_utf8(raw.to_vec()).expect("UTF-8 output");
    if let Some(at) = raw.iter().position(|&b| b == 0x1b) {
        let from = at.saturating_sub(80);
        panic!(
            "an ESC byte at {at}: {:?}",
            String::from_utf8_lossy(&raw[from..(at + 20).min(raw.len())])
        );
    }
    for (i, c) in text.char_indices() {
        assert!(
            !c.is_control() || c == '\n' || c == '\r',
            "control character {c:?} at {i}: {:?}",
            &text[i.saturating_sub(80)..i]
        );
        assert!(
            !('\u{2500}'..='\u{259F}').contains(&c),
            "box drawing {c:?} at {i}: {:?}",
            &text[i.saturating_sub(80)..i]
        );
    }
}

/// "Checks of lesson N: K of M pass" with every check of lesson N passing
/// (`passed`: None), or K of them.
fn checks_line(lesson: usize, passed: Option<usize>) -> String {
    let total = docktutor::lesson::builtin().lessons[lesson - 1]
        .checks
        .len();
    let passed = passed.unwrap_or(total);
    format!("Checks of lesson {lesson}: {passed} of {total} pass")
}

fn command(pty: &mut Pty, line: &str) {
    pty.send(line);
    pty.send("\r");
}

#[test]
fn a_learner_finishes_the_guide_in_plain_mode_on_a_dumb_terminal() {
    if !engine_available() {
        return;
    }
    let image = unique("docktutor-test-plain");
    let _guard = ImageGuard::new(image.clone());
    let lessons = lessons_for_image(&image);
    let home = tempfile::tempdir().expect("tempdir");
    let ws = home.path().join("my-docker-app");
    let data = home.path().join("data");

    let mut pty = Pty::spawn(
        &bin().display().to_string(),
        &[
            "--lessons",
            lessons.path().to_str().expect("utf8"),
            "--workdir",
            ws.to_str().expect("utf8"),
        ],
        &[
            ("TERM", "dumb"),
            ("DOCKTUTOR_DATA_DIR", data.to_str().expect("utf8")),
            // No docker CLI to fall back on: plain mode needs none.
            ("PATH", "/nonexistent"),
        ],
        home.path(),
        100,
        30,
    );
    pty.wait_raw("Lesson 1 of", SHORT);
    pty.wait_raw(&checks_line(1, Some(0)), SHORT);
    pty.wait_raw("docktutor> ", SHORT);

    // Lesson 1: the starters, then app.py mended as in an editor.
    command(&mut pty, "write");
    pty.wait_raw("wrote app.py, requirements.txt", SHORT);
    pty.wait_raw("FAIL app.py prints", SHORT);
    std::fs::write(ws.join("app.py"), GUIDE_APP).expect("app.py");
    pty.wait_raw(&checks_line(1, None), SHORT);

    // Lesson 2: the Dockerfile starter, then the guide's Dockerfile.
    command(&mut pty, "next");
    pty.wait_raw("Lesson 2 of", SHORT);
    command(&mut pty, "write");
    pty.wait_raw("wrote Dockerfile", SHORT);
    command(&mut pty, "hint");
    pty.wait_raw("Hint:", SHORT);
    std::fs::write(ws.join("Dockerfile"), GUIDE_DOCKERFILE).expect("Dockerfile");
    pty.wait_raw(&checks_line(2, None), SHORT);

    // Lesson 3: build, its output streamed as lines.
    command(&mut pty, "next");
    pty.wait_raw("Lesson 3 of", SHORT);
    command(&mut pty, "build");
    pty.wait_raw(&format!("$ docker build -t {image} ."), SHORT);
    pty.wait_raw(&checks_line(3, None), BUILD);

    // Lesson 4: run.
    command(&mut pty, "next");
    pty.wait_raw("Lesson 4 of", SHORT);
    command(&mut pty, "run");
    pty.wait_raw("Hello, Docker!", BUILD);
    pty.wait_raw(&checks_line(4, None), BUILD);

    // Lesson 5: the docker command typed as at the app's : prompt.
    command(&mut pty, "next");
    pty.wait_raw("Lesson 5 of", SHORT);
    command(&mut pty, "docker images");
    pty.wait_raw("REPOSITORY", SHORT);
    pty.wait_raw(&checks_line(5, None), SHORT);
    command(&mut pty, "images");
    pty.wait_raw(&format!("\r\n{image} "), SHORT);

    // A mistyped docker command is explained, not run.
    command(&mut pty, "docker biuld .");
    pty.wait_raw("did you mean docker build?", SHORT);
    command(&mut pty, "lessons");
    pty.wait_raw("5. Find your image (done", SHORT);
    command(&mut pty, "quit");
    assert_eq!(pty.wait_exit(SHORT), Some(0));

    let raw = pty.raw();
    assert_plain(&raw);
    let text = String::from_utf8_lossy(&raw);
    assert!(text.contains(" 1. PASS "), "numbered PASS lines:\n{text}");
    assert!(text.contains(" FAIL "), "a FAIL line was shown:\n{text}");
    assert!(text.contains("fix: "), "a failing check's fix:\n{text}");

    // Progress is saved as the full-screen app saves it.
    let mut progress = String::new();
    for entry in std::fs::read_dir(data.join("progress")).expect("progress folder") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "toml") {
            progress.push_str(&std::fs::read_to_string(&path).expect("progress"));
        }
    }
    for id in ["project-folder", "dockerfile", "build", "run", "verify"] {
        assert!(
            progress.contains(id),
            "{id} is not saved as done:\n{progress}"
        );
    }
    assert!(
        progress.contains("docker images"),
        "the typed command is kept:\n{progress}"
    );

    // What the test ran goes with what it built.
    for id in managed_containers(&image) {
        let _ = Command::new("docker").args(["rm", "-f", &id]).output();
    }
    assert!(managed_containers(&image).is_empty());
}

/// A pipe for stdout (a log, `| tee`, a screen reader's capture) is plain
/// mode without asking, even where TERM names a capable terminal; a
/// script on stdin is echoed after each prompt and its end quits.
#[test]
fn stdout_that_is_not_a_terminal_picks_plain_mode() {
    let home = tempfile::tempdir().expect("tempdir");
    let ws = home.path().join("my-docker-app");
    write_guide(&ws);
    let mut child = Command::new(bin())
        .args(["--workdir", ws.to_str().expect("utf8")])
        .env("TERM", "xterm-256color")
        .env("DOCKTUTOR_DATA_DIR", home.path().join("data"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("docktutor");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(b"hint\nsolution\nlesson 3\nlessons\n")
        .expect("write the script");
    let out = child
        .wait_with_output()
        .expect("docktutor ends at the end of input");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("docktutor in plain mode"), "{stdout}");
    assert!(stdout.contains("Lesson 1 of"), "{stdout}");
    assert!(stdout.contains(&checks_line(1, None)), "{stdout}");
    assert!(stdout.contains("docktutor> hint\nHint:"), "{stdout}");
    assert!(
        stdout.contains("File Dockerfile:") || stdout.contains("File app.py:"),
        "{stdout}"
    );
    assert!(stdout.contains("Lesson 3 of"), "{stdout}");
    assert!(stdout.contains("you are here"), "{stdout}");
    assert!(
        stdout.ends_with("Bye: your progress is saved.\n"),
        "{stdout}"
    );
    assert_plain(&out.stdout);
}

/// `--plain` in a capable terminal: still no alternate screen, no hidden
/// cursor, no mouse or paste modes — the terminal stays as it was.
#[test]
fn plain_flag_leaves_the_terminal_modes_alone() {
    let home = tempfile::tempdir().expect("tempdir");
    let ws = home.path().join("my-docker-app");
    let mut pty = Pty::spawn(
        &bin().display().to_string(),
        &["--plain", "--workdir", ws.to_str().expect("utf8")],
        &[(
            "DOCKTUTOR_DATA_DIR",
            home.path().join("data").to_str().expect("utf8"),
        )],
        home.path(),
        80,
        24,
    );
    pty.wait_raw("docktutor> ", SHORT);
    let modes = pty.modes();
    assert!(
        !modes.alternate_screen && !modes.hide_cursor && !modes.bracketed_paste,
        "{modes:?}"
    );
    command(&mut pty, "help");
    pty.wait_raw("lesson N", SHORT);
    // End of input (Ctrl-D at the start of a line) quits.
    pty.send("\x04");
    assert_eq!(pty.wait_exit(SHORT), Some(0));
    assert_plain(&pty.raw());
}

/// Exam mode holds in plain mode as in the app: `solution` says the
/// solutions are off and shows no file; hints stay.
#[test]
fn exam_mode_hides_the_solution_in_plain_mode_too() {
    let home = tempfile::tempdir().expect("tempdir");
    let ws = home.path().join("my-docker-app");
    write_guide(&ws);
    let mut child = Command::new(bin())
        .args([
            "--plain",
            "--no-solutions",
            "--workdir",
            ws.to_str().expect("utf8"),
        ])
        .env("DOCKTUTOR_DATA_DIR", home.path().join("data"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("docktutor");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(b"solution\nhint\n")
        .expect("write the script");
    let out = child.wait_with_output().expect("docktutor ends");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert!(
        stdout.contains("solutions are off for this course"),
        "{stdout}"
    );
    assert!(!stdout.contains("File app.py:"), "{stdout}");
    assert!(stdout.contains("Hint:"), "{stdout}");
}
