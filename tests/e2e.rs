//! End to end: a scripted learner in a real pseudo-terminal goes from an
//! empty folder through all five lessons, then quits, and the terminal is
//! back to normal — on every engine the machine has (Docker, and Podman's
//! service with `--host`). The lessons are the built-in ones with the
//! guide's image name replaced, so the learner's own `my-docker-app` is
//! never touched.

mod support;

use std::time::Duration;

use support::pty::Pty;
use support::*;

const SHORT: Duration = Duration::from_secs(10);
const BUILD: Duration = Duration::from_secs(120);

/// The binary under test: the release build when CI made one
/// (`DOCKTUTOR_E2E_BIN`), else the one cargo built for the tests.
fn binary() -> String {
    std::env::var("DOCKTUTOR_E2E_BIN").unwrap_or_else(|_| bin().display().to_string())
}

#[test]
fn a_learner_goes_from_an_empty_folder_to_hello_docker() {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    let engines: Vec<(&str, String)> = rt
        .block_on(engines())
        .into_iter()
        .map(|e| (e.name, e.host))
        .collect();
    // DOCKTUTOR_E2E_ONLY=podman walks one engine (for a failure on one).
    let only = std::env::var("DOCKTUTOR_E2E_ONLY").ok();
    for (name, host) in engines {
        if only.as_deref().is_none_or(|o| o == name) {
            walk_the_guide(name, &host);
        }
    }
}

fn walk_the_guide(engine: &str, host: &str) {
    let n = docktutor::lesson::builtin().lessons.len();
    let image = unique(&format!("docktutor-test-e2e-{engine}"));
    let _guard = EngineImageGuard::new(host, &image);
    let lessons = lessons_for_image(&image);

    let home = tempfile::tempdir().expect("tempdir");
    let ws = home.path().join("my-docker-app");
    let data = home.path().join("data");
    // The shell prints the exit code and the terminal settings after the
    // app is gone: that is what the learner's shell would inherit.
    let script = format!(
        "{} --host {host} --lessons {} --workdir {}; echo \"__EXIT=$?\"; stty -a; sleep 1",
        binary(),
        lessons.path().display(),
        ws.display()
    );
    let mut pty = Pty::spawn(
        "sh",
        &["-c", &script],
        &[
            ("DOCKTUTOR_DATA_DIR", data.to_str().expect("utf8")),
            ("NO_COLOR", ""),
        ],
        home.path(),
        80,
        24,
    );

    // Lesson 1: nothing exists yet.
    pty.wait_text(&format!("1/{n} · Set up your project folder"), SHORT);
    let s = pty.wait_text("does not exist", SHORT);
    assert!(s.contains("Checks 0/4"), "{s}");
    pty.with_screen(|sc| assert!(sc.alternate_screen(), "the app uses the alternate screen"));

    // The learner creates the folder and files in their editor…
    std::fs::create_dir_all(&ws).expect("mkdir");
    std::fs::write(ws.join("app.py"), "print(\"Hello, docker!\")\n").expect("write");
    pty.wait_text("expected \"Hello, Docker!\"", SHORT);
    std::fs::write(ws.join("app.py"), GUIDE_APP).expect("write");
    std::fs::write(ws.join("requirements.txt"), GUIDE_REQUIREMENTS).expect("write");
    pty.wait_text("Checks 4/4 ✓ passed", SHORT);
    pty.wait_text("press n for the next lesson", SHORT);

    // Lesson 2: the Dockerfile, first with a mistake.
    pty.send("n");
    pty.wait_text(&format!("2/{n} · Write the Dockerfile"), SHORT);
    std::fs::write(
        ws.join("Dockerfile"),
        GUIDE_DOCKERFILE.replace("CMD [\"python\", \"app.py\"]", "CMD python app.py"),
    )
    .expect("write");
    pty.wait_text("Checks 6/7", SHORT);
    std::fs::write(ws.join("Dockerfile"), GUIDE_DOCKERFILE).expect("write");
    pty.wait_text("Checks 7/7 ✓ passed", SHORT);

    // Lesson 3: build with Enter, watch it stream.
    pty.send("n");
    let s = pty.wait_text(&format!("3/{n} · Build the image"), SHORT);
    assert!(
        s.contains(&format!("$ docker build -t {image} .")),
        "{engine}: the CLI command is shown:\n{s}"
    );
    pty.send("\r");
    let s = pty.wait_text("Checks 4/4 ✓ passed", BUILD);
    let s = if s.contains("✓ built") {
        s
    } else {
        pty.wait_text("✓ built", SHORT)
    };
    assert!(s.contains(&format!("built {image}")), "{engine}: {s}");

    // Lesson 4: run it.
    pty.send("n");
    pty.wait_text(&format!("4/{n} · Run a container"), SHORT);
    pty.send("\r");
    let s = pty.wait_text("Checks 4/4 ✓ passed", BUILD);
    let s = if s.contains("exited 0") {
        s
    } else {
        pty.wait_text("exited 0", SHORT)
    };
    assert!(s.contains("Hello, Docker!"), "{engine}: {s}");

    // Lesson 5: the images table.
    pty.send("n");
    pty.wait_text(&format!("5/{n} · Find your image"), SHORT);
    pty.send("\r");
    let s = pty.wait_text("Checks 3/3 ✓ passed", SHORT);
    assert!(
        s.contains("REPOSITORY") && s.contains(&image) && s.contains("latest"),
        "{engine}: {s}"
    );
    pty.wait_text(&format!("5/{n} done"), SHORT);

    // Help lists the keys; then quit.
    pty.send("?");
    pty.wait_text("Keys", SHORT);
    pty.send("\x1b");
    std::thread::sleep(Duration::from_millis(300));
    pty.send("q");
    let code = pty.wait_exit(SHORT).expect("the shell exits");
    assert_eq!(code, 0);
    let raw = String::from_utf8_lossy(&pty.raw()).into_owned();
    assert!(raw.contains("__EXIT=0"), "docktutor exited 0:\n{raw}");
    pty.with_screen(|sc| {
        assert!(!sc.alternate_screen(), "alternate screen left");
        assert!(!sc.hide_cursor(), "cursor shown");
        assert!(!sc.bracketed_paste(), "bracketed paste off");
        assert_eq!(
            sc.mouse_protocol_mode(),
            vt100::MouseProtocolMode::None,
            "mouse capture off"
        );
    });
    let stty = raw.rsplit("__EXIT=0").next().unwrap_or("");
    assert!(
        stty.contains(" echo ") || stty.contains(" echo\r"),
        "echo is back on:\n{stty}"
    );
    assert!(stty.contains(" icanon"), "canonical mode is back:\n{stty}");
    assert!(
        !stty.contains("-echo ") && !stty.contains("-icanon"),
        "{stty}"
    );

    // Progress survived, every lesson done; no container left behind.
    let progress = std::fs::read_dir(data.join("progress"))
        .expect("progress dir")
        .next()
        .expect("a file")
        .expect("entry");
    let text = std::fs::read_to_string(progress.path()).expect("read");
    let progress: toml::Table = text.parse().expect("the progress file parses");
    let done = progress
        .get("done")
        .and_then(|d| d.as_table())
        .unwrap_or_else(|| panic!("{engine}: no [done] table in:\n{text}"));
    for id in ["project-folder", "dockerfile", "build", "run", "verify"] {
        assert!(
            done.get(id).is_some_and(|at| at.as_integer().is_some()),
            "{engine}: {id} is not marked done in:\n{text}"
        );
    }
    let left = std::process::Command::new("docker")
        .args([
            "-H",
            host,
            "ps",
            "-aq",
            "--filter",
            "label=io.docktutor.managed",
            "--filter",
            &format!("ancestor={image}"),
        ])
        .output()
        .expect("docker ps");
    assert!(left.status.success(), "{engine}: docker ps failed");
    assert!(
        String::from_utf8_lossy(&left.stdout).trim().is_empty(),
        "{engine}: containers left behind"
    );
}
