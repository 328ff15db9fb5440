//! The learner's terminal survives docktutor, whatever happens: quit,
//! Ctrl-C from outside, SIGTERM, a hang-up, a panic, a suspend (Ctrl-Z,
//! then `fg`) and any window size. Each run is the real binary in a real
//! pseudo-terminal, started by a shell that prints the exit code and
//! `stty -a` afterwards — what the learner's shell would inherit.

mod support;

use std::path::PathBuf;
use std::time::Duration;

use support::pty::{self, Pty};

const SHORT: Duration = Duration::from_secs(10);

struct Session {
    pty: Pty,
    /// The docktutor process (the shell's child); 0 when not looked up.
    pid: u32,
    data: PathBuf,
    _home: tempfile::TempDir,
    _lessons: tempfile::TempDir,
}

/// Starts `sh -c 'docktutor …; echo __EXIT=$?; stty -a; sleep 1'` and waits
/// for the first full frame.
fn start(env: &[(&str, &str)]) -> Session {
    let mut s = spawn(env);
    let sh = s.pty.pid().expect("shell pid");
    s.pid = pty::wait_child(sh, "docktutor", SHORT);
    wait_for_app(&s.pty);
    s
}

/// Starts the shell, without waiting for the app.
fn spawn(env: &[(&str, &str)]) -> Session {
    let home = tempfile::tempdir().expect("tempdir");
    let ws = home.path().join("my-docker-app");
    std::fs::create_dir_all(&ws).expect("mkdir");
    let data = home.path().join("data");
    // Two lessons of our own: the tests move between lessons, whatever the
    // course holds.
    let lessons = pty::two_lesson_dir();
    let script = format!(
        "'{}' --workdir '{}' --lessons '{}'; echo \"__EXIT=$?\"; stty -a; sleep 1",
        support::bin().display(),
        ws.display(),
        lessons.path().display()
    );
    let mut all_env = vec![
        ("DOCKTUTOR_DATA_DIR", data.to_str().expect("utf8")),
        ("NO_COLOR", "1"),
    ];
    all_env.extend_from_slice(env);
    let pty = Pty::spawn("sh", &["-c", &script], &all_env, home.path(), 80, 24);
    Session {
        pty,
        pid: 0,
        data,
        _home: home,
        _lessons: lessons,
    }
}

/// The app is on screen: header on the first row, key hints at the bottom.
fn wait_for_app(pty: &Pty) {
    pty.wait_for("the app's first frame", SHORT, |s| {
        s.starts_with(" docktutor") && s.contains("q quit")
    });
}

/// The shell exits; returns what it printed after the app was gone.
fn finish(s: &mut Session) -> String {
    assert!(
        s.pid == 0 || pty::wait_gone(s.pid, SHORT),
        "docktutor is still running (state {:?})",
        pty::proc_state(s.pid)
    );
    s.pty.wait_exit(SHORT).expect("the shell exits");
    let raw = String::from_utf8_lossy(&s.pty.raw()).into_owned();
    let Some(at) = raw.rfind("__EXIT=") else {
        panic!("the shell never printed the exit code:\n{raw}");
    };
    raw[at..].to_string()
}

/// Alternate screen left, cursor shown, mouse and bracketed paste off, and
/// the line discipline back to cooked mode with echo.
fn assert_restored(pty: &Pty, after: &str) {
    let modes = pty.modes();
    assert!(modes.restored(), "terminal modes not restored: {modes:?}");
    assert!(
        after.contains(" echo ") || after.contains(" echo\r") || after.contains(" echo\n"),
        "echo is back on:\n{after}"
    );
    assert!(
        after.contains(" icanon"),
        "canonical mode is back:\n{after}"
    );
    assert!(
        !after.contains("-echo ") && !after.contains("-icanon"),
        "{after}"
    );
}

fn exit_code(after: &str) -> String {
    after
        .trim_start_matches("__EXIT=")
        .chars()
        .take_while(char::is_ascii_digit)
        .collect()
}

#[test]
fn quitting_with_q_restores_the_terminal() {
    let mut s = start(&[]);
    s.pty.send("q");
    let after = finish(&mut s);
    assert_eq!(exit_code(&after), "0", "{after}");
    assert_restored(&s.pty, &after);
}

/// SIGINT, SIGTERM and SIGHUP sent to the process (not typed: raw mode
/// turns Ctrl-C into a key): a tidy exit, progress saved, terminal back.
#[test]
fn signals_from_outside_restore_the_terminal_and_save_progress() {
    for sig in ["INT", "TERM", "HUP"] {
        let mut s = start(&[]);
        // Move to lesson 2 (saved at once), then forget the file: only the
        // save on the way out can bring it back.
        s.pty.send("n");
        s.pty.wait_text("┏ 2/2", SHORT);
        let file = wait_progress_file(&s.data);
        std::thread::sleep(Duration::from_millis(300));
        std::fs::remove_file(&file).expect("remove progress");
        pty::signal(i64::from(s.pid), sig);
        let after = finish(&mut s);
        assert_eq!(exit_code(&after), "0", "SIG{sig}: {after}");
        assert_restored(&s.pty, &after);
        let text = std::fs::read_to_string(&file)
            .unwrap_or_else(|e| panic!("SIG{sig}: progress not saved on the way out: {e}"));
        assert!(text.contains("current = \"second\""), "SIG{sig}: {text}");
    }
}

/// A real hang-up (the window closed) signals the whole foreground group:
/// the shell dies at once, so only the terminal state and the progress
/// file can tell that docktutor left tidily instead of being killed.
#[test]
fn a_hangup_of_the_whole_group_still_saves_and_restores() {
    let mut s = start(&[]);
    s.pty.send("n");
    s.pty.wait_text("┏ 2/2", SHORT);
    let file = wait_progress_file(&s.data);
    std::thread::sleep(Duration::from_millis(300));
    std::fs::remove_file(&file).expect("remove progress");
    let sh = s.pty.pid().expect("shell pid");
    pty::signal(-i64::from(sh), "HUP");
    assert!(
        pty::wait_gone(s.pid, SHORT),
        "docktutor survived SIGHUP (state {:?})",
        pty::proc_state(s.pid)
    );
    s.pty.wait_exit(SHORT);
    let modes = s.pty.modes();
    assert!(modes.restored(), "terminal modes not restored: {modes:?}");
    let text = std::fs::read_to_string(&file).expect("progress saved on hang-up");
    assert!(text.contains("current = \"second\""), "{text}");
}

#[test]
fn a_panic_restores_the_terminal_and_the_message_is_readable() {
    let mut s = spawn(&[("DOCKTUTOR_DEBUG_PANIC", "1"), ("RUST_BACKTRACE", "0")]);
    let after = finish(&mut s);
    assert_eq!(exit_code(&after), "101", "{after}");
    let raw = String::from_utf8_lossy(&s.pty.raw()).into_owned();
    assert!(
        raw.contains("\x1b[?1049h") && raw.contains("quit"),
        "the app had drawn a frame before it panicked"
    );
    assert_restored(&s.pty, &after);
    let screen = s.pty.screen();
    assert!(
        screen.contains("forced panic"),
        "the panic message is on the normal screen:\n{screen}"
    );
}

/// Ctrl-Z stops the process with the terminal handed back to the shell;
/// SIGCONT (what `fg` sends) brings the app back, drawn whole. A SIGTSTP
/// sent from outside does the same.
#[test]
fn suspend_and_resume_hand_the_terminal_back_and_redraw() {
    let mut s = start(&[]);
    for how in ["ctrl-z", "SIGTSTP"] {
        if how == "ctrl-z" {
            s.pty.send("\x1a");
        } else {
            pty::signal(i64::from(s.pid), "TSTP");
        }
        pty::wait_state(s.pid, 'T', SHORT);
        let modes = s.pty.modes();
        assert!(modes.restored(), "{how}: stopped with modes on: {modes:?}");
        // Cooked mode with echo while stopped: a typed key is echoed by the
        // terminal itself (and erased again so the app never sees it).
        let seen = s.pty.raw().len();
        s.pty.send("j");
        let start = std::time::Instant::now();
        while !s.pty.raw()[seen..].contains(&b'j') {
            assert!(
                start.elapsed() < SHORT,
                "{how}: no echo while suspended (raw mode left on?)"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        s.pty.send("\x7f");
        std::thread::sleep(Duration::from_millis(200));
        assert!(!s.pty.screen().contains("q quit"), "{how}: app hidden");

        // The window may change size while the app is stopped (the second
        // time round): it must come back drawn for the new size.
        let (cols, rows) = if how == "SIGTSTP" {
            (100, 30)
        } else {
            (80, 24)
        };
        s.pty.resize(cols, rows);
        pty::signal(i64::from(s.pid), "CONT");
        s.pty
            .wait_for("the app redrawn after SIGCONT", SHORT, |sc| {
                sc.starts_with(" docktutor") && sc.contains("q quit")
            });
        std::thread::sleep(Duration::from_millis(300));
        let shown = s.pty.rows();
        assert!(
            shown[usize::from(rows) - 1].contains("q quit"),
            "{how}: key hints on the last row of {cols}×{rows}:\n{}",
            s.pty.screen()
        );
        assert!(
            s.pty.modes().alternate_screen,
            "{how}: back on the alternate screen"
        );
        assert!(pty::alive(s.pid));
    }
    // Still answering keys.
    s.pty.send("?");
    s.pty.wait_text("Keys", SHORT);
    s.pty.send("\x1b");
    std::thread::sleep(Duration::from_millis(200));
    s.pty.send("q");
    let after = finish(&mut s);
    assert_eq!(exit_code(&after), "0", "{after}");
    assert_restored(&s.pty, &after);
}

/// Any size, however absurd, is survived; below 40×12 the app says so;
/// back at 80×24 it draws normally.
#[test]
fn resizing_through_many_sizes_never_kills_the_app() {
    let mut s = start(&[]);
    let sizes: &[(u16, u16)] = &[
        (1, 1),
        (10, 3),
        (39, 11),
        (300, 100),
        (40, 12),
        (39, 12),
        (40, 11),
        (2, 60),
        (250, 4),
        (120, 40),
        (1, 100),
        (100, 1),
        (41, 13),
        (80, 24),
    ];
    for &(cols, rows) in sizes {
        s.pty.resize(cols, rows);
        if cols < 40 || rows < 12 {
            if cols >= 20 && rows >= 2 {
                s.pty
                    .wait_for(&format!("'too small' at {cols}×{rows}"), SHORT, |sc| {
                        sc.contains("too small")
                    });
            } else {
                std::thread::sleep(Duration::from_millis(300));
            }
        } else {
            s.pty
                .wait_for(&format!("the app at {cols}×{rows}"), SHORT, |sc| {
                    sc.starts_with(" docktutor") && sc.contains("quit")
                });
        }
        assert!(
            pty::alive(s.pid),
            "docktutor died at {cols}×{rows}:\n{}",
            s.pty.screen()
        );
    }
    // A burst of resizes with no pause between them: the app and the
    // terminal disagree about the size for a moment, many times over.
    let mut seed = 0x2545_f491_u32;
    for _ in 0..60 {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        let cols = (seed % 300) as u16 + 1;
        let rows = ((seed / 300) % 100) as u16 + 1;
        s.pty.resize(cols, rows);
        std::thread::sleep(Duration::from_millis(5));
    }
    std::thread::sleep(Duration::from_millis(300));
    assert!(pty::alive(s.pid), "docktutor died in a resize burst");
    s.pty.resize(80, 24);
    s.pty.wait_for("the app at 80×24 again", SHORT, |sc| {
        sc.starts_with(" docktutor") && sc.contains("q quit") && !sc.contains("too small")
    });
    let rows = s.pty.rows();
    assert_eq!(rows.len(), 24);
    assert!(rows[23].contains("q quit"), "{}", s.pty.screen());
    s.pty.send("?");
    s.pty.wait_text("Keys", SHORT);
    s.pty.send("\x1b");
    std::thread::sleep(Duration::from_millis(200));
    s.pty.send("q");
    let after = finish(&mut s);
    assert_eq!(exit_code(&after), "0", "{after}");
    assert_restored(&s.pty, &after);
}

fn wait_progress_file(data: &std::path::Path) -> PathBuf {
    let dir = data.join("progress");
    let start = std::time::Instant::now();
    loop {
        if let Some(f) = std::fs::read_dir(&dir)
            .ok()
            .and_then(|mut d| d.find_map(|e| e.ok()))
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        {
            return f;
        }
        assert!(start.elapsed() < SHORT, "no progress file in {dir:?}");
        std::thread::sleep(Duration::from_millis(50));
    }
}
