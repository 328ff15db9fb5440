//! End to end at the `:` prompt: in a real pseudo-terminal, with no
//! `docker` anywhere on PATH, a learner types the guide's three commands
//! (build, run, images) and each lesson passes; the typed commands are kept
//! in the progress file for the `typed_command` checks. The lessons are the
//! built-in ones with the guide's image name replaced.

mod support;

use std::time::Duration;

use support::pty::Pty;
use support::*;

const SHORT: Duration = Duration::from_secs(10);
const BUILD: Duration = Duration::from_secs(120);

/// Types a line at the prompt and runs it.
fn type_command(pty: &mut Pty, line: &str) {
    pty.send(":");
    pty.wait_text("what it means", SHORT);
    pty.send(line);
    pty.send("\r");
}

#[test]
fn the_guide_s_commands_typed_at_the_prompt_pass_the_lessons() {
    if !engine_available() {
        return;
    }
    let n = docktutor::lesson::builtin().lessons.len();
    let image = unique("docktutor-test-prompt");
    let _guard = ImageGuard::new(image.clone());
    let lessons = lessons_for_image(&image);
    let home = tempfile::tempdir().expect("tempdir");
    let ws = home.path().join("my-docker-app");
    let data = home.path().join("data");
    write_guide(&ws);
    std::fs::write(ws.join("Dockerfile"), GUIDE_DOCKERFILE).expect("Dockerfile");

    let mut pty = Pty::spawn(
        &bin().display().to_string(),
        &[
            "--lessons",
            lessons.path().to_str().expect("utf8"),
            "--workdir",
            ws.to_str().expect("utf8"),
        ],
        &[
            ("DOCKTUTOR_DATA_DIR", data.to_str().expect("utf8")),
            ("NO_COLOR", ""),
            // No docker CLI to fall back on: the prompt needs none.
            ("PATH", "/nonexistent"),
        ],
        home.path(),
        80,
        24,
    );
    pty.wait_text(&format!("1/{n} · Set up your project folder"), SHORT);
    pty.wait_text("Checks 4/4 ✓ passed", SHORT);
    pty.send("n");
    pty.wait_text("Checks 7/7 ✓ passed", SHORT);
    pty.send("n");
    pty.wait_text(&format!("3/{n} · Build the image"), SHORT);

    let build = format!("docker build -t {image} .");
    type_command(&mut pty, &build);
    let s = pty.wait_text("Checks 4/4 ✓ passed", BUILD);
    assert!(
        s.contains(&format!("$ {build}")),
        "the typed command is shown:\n{s}"
    );

    pty.send("n");
    pty.wait_text(&format!("4/{n} · Run a container"), SHORT);
    type_command(&mut pty, &format!("docker run {image}"));
    let s = pty.wait_text("Checks 4/4 ✓ passed", BUILD);
    let s = if s.contains("Hello, Docker!") {
        s
    } else {
        pty.wait_text("Hello, Docker!", SHORT)
    };
    assert!(s.contains(&format!("docker run {image}")), "{s}");

    pty.send("n");
    pty.wait_text(&format!("5/{n} · Find your image"), SHORT);
    // Pasted, as from the guide's page (bracketed paste, a copied `$ `):
    // the paste opens the prompt with the command, and Enter runs it.
    pty.send("\x1b[200~$ docker images\n\x1b[201~");
    std::thread::sleep(Duration::from_millis(200));
    pty.send("\r");
    let s = pty.wait_text("Checks 3/3 ✓ passed", SHORT);
    let s = if s.contains(&image) {
        s
    } else {
        pty.wait_text(&image, SHORT)
    };
    assert!(s.contains("REPOSITORY"), "{s}");
    // The lesson says the step was typed, not done with Enter.
    pty.wait_text("listed with docker images · typed at :", SHORT);

    // A mistyped command is explained, not run, and Esc closes the prompt.
    pty.send(":");
    pty.send("docker biuld .");
    pty.send("\r");
    pty.wait_text("did you mean docker build?", SHORT);
    // One docktutor does not run goes to the clipboard (OSC 52) for a shell.
    pty.send("\x15docker exec -it web sh\r");
    pty.wait_text("copied for your shell", SHORT);
    let osc = {
        use base64::Engine as _;
        let line = base64::engine::general_purpose::STANDARD.encode("docker exec -it web sh");
        format!("\x1b]52;c;{line}\x07")
    };
    pty.wait_raw(&osc, SHORT);
    pty.send("\x1b");
    std::thread::sleep(Duration::from_millis(300));
    pty.send("q");
    assert_eq!(pty.wait_exit(SHORT), Some(0));

    // What was typed is kept for the typed_command checks, and the
    // history beside it for ↑.
    let dir = data.join("progress");
    let mut progress = String::new();
    let mut history = String::new();
    for entry in std::fs::read_dir(&dir).expect("progress folder") {
        let path = entry.expect("entry").path();
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        match path.extension().and_then(|e| e.to_str()) {
            Some("toml") => progress.push_str(&text),
            Some("history") => history.push_str(&text),
            _ => {}
        }
    }
    for line in [&build, &format!("docker run {image}"), "docker images"] {
        assert!(
            progress.contains(&format!("\"{line}\"")),
            "{line} in {progress}"
        );
        assert!(history.contains(line), "{line} in {history}");
    }
    assert!(!history.contains("biuld"), "{history}");
    assert!(!history.contains("docker exec"), "{history}");
}
