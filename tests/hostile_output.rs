//! A container that prints everything a terminal can be attacked with —
//! title and clipboard writes, screen clears, cursor jumps, mode switches,
//! a full reset, C0/C1 controls, invalid UTF-8, a 10 MB line, a `\r`
//! progress bar — run through the app in a real pseudo-terminal and through
//! the headless `docktutor run`. None of it may reach the learner's
//! terminal: the text stays inside the output pane, and the app's own
//! screen, modes and keys are untouched.

mod support;

use std::process::Command;
use std::time::{Duration, Instant};

use support::pty::{self, Pty};
use support::*;

const SHORT: Duration = Duration::from_secs(10);
const RUN: Duration = Duration::from_secs(120);

/// Markers printed right after a cursor move: they must show up inside the
/// output pane, never where the move pointed.
const MARKERS: &[&str] = &[
    "TOPLEFT-MARK",
    "HOME-MARK",
    "BOTTOM-MARK",
    "STATUS-MARK",
    "MIDDLE-MARK",
    "AFTER-RESET-MARK",
];

const HOSTILE_PY: &str = r#"import sys
o = sys.stdout.buffer
def w(b):
    o.write(b)
    o.flush()
w(b"HOSTILE-START\n")
w(b"\x1b]0;pwned-title-0\x07")
w(b"\x1b]2;pwned-title-2\x1b\\")
w(b"\x1b]52;c;cHduZWQ=\x07")
w(b"\x1b]52;p;cHduZWQ=\x1b\\")
w(b"\x1b[2J\x1b[3J")
w(b"\x1b[HTOPLEFT-MARK\n")
w(b"\x1b[1;1HHOME-MARK\n")
w(b"\x1b[999;1HBOTTOM-MARK\n")
w(b"\x1b[49;60HSTATUS-MARK\n")
w(b"\x1b[12;40HMIDDLE-MARK\n")
w(b"\x1b[?1049l\x1b[?47l\x1b[?1047l")
w(b"\x1b[?25l\x1b[?1000l\x1b[?1003h\x1b[?1006l\x1b[?2004l\x1b[?1h\x1b=")
w(b"\x1b[1;3r\x1b#8")
w(b"\x1bc")
w(b"AFTER-RESET-MARK\n")
w(b"\x1b[6n\x1b[c\x1b[21t\x1bP+q544e\x1b\\\x1b7\x1b8\x1bD\x1bM\x1bE")
w(b"C0:" + bytes(c for c in range(32) if c not in (10, 27)) + b":C0\n")
w(b"C1RAW:" + bytes(range(0x80, 0xa0)) + b":C1RAW\n")
w(("C1UTF8:" + "".join(chr(c) for c in range(0x80, 0xa0)) + ":C1UTF8\n").encode())
w("\u009b2J\u009d0;c1-osc-title\u0007\u009d52;c;cHduZWQ=\u0007C1SEQ-MARK\n".encode())
w(b"BAD-UTF8:\xff\xfe\xc3\x28\xe2\x82:END\n")
w(b"\x1b[1;31mRED-TEXT\x1b[0m\n")
w("\u202eRTL-MARK\u202c\n".encode())
w(b"L" * 10000000 + b"\n")
for i in range(101):
    w(b"\rprogress %3d%%" % i)
w(b"\n")
w(b"HOSTILE-DONE\n")
"#;

fn hostile_image() -> ImageGuard {
    let tag = unique("docktutor-test-hostile");
    pty::build_image(
        &tag,
        "FROM python:3.9-slim\nCOPY hostile.py /hostile.py\nCMD [\"python3\", \"/hostile.py\"]\n",
        &[("hostile.py", HOSTILE_PY.as_bytes())],
    )
}

/// (row, column) of every occurrence of `text` on the screen.
fn find_all(rows: &[String], text: &str) -> Vec<(usize, usize)> {
    let mut hits = Vec::new();
    for (r, row) in rows.iter().enumerate() {
        for (byte, _) in row.match_indices(text) {
            hits.push((r, row[..byte].chars().count()));
        }
    }
    hits
}

#[test]
fn hostile_output_stays_inside_the_output_pane() {
    if !engine_available() {
        return;
    }
    let image = hostile_image();
    let lessons = pty::run_lesson_dir(&image.0);
    let home = tempfile::tempdir().expect("tempdir");
    let ws = home.path().join("ws");
    std::fs::create_dir_all(&ws).expect("mkdir");
    let data = home.path().join("data");
    let mut app = Pty::spawn(
        &bin().display().to_string(),
        &[
            "--workdir",
            ws.to_str().expect("utf8"),
            "--lessons",
            lessons.path().to_str().expect("utf8"),
        ],
        &[("DOCKTUTOR_DATA_DIR", data.to_str().expect("utf8"))],
        home.path(),
        120,
        50,
    );
    app.wait_for("the app with the engine connected", SHORT, |s| {
        s.starts_with(" docktutor") && s.contains("q quit") && s.contains("Docker Engine")
    });
    let modes_before = app.modes();
    assert!(modes_before.alternate_screen);

    app.send("\r");
    app.wait_text("HOSTILE-DONE", RUN);
    app.wait_text("exited 0", SHORT);
    // A finished run folds to its summary line: focusing the output pane
    // (Tab, Tab) unfolds it, and z gives it the screen, so every marker
    // shows.
    app.send("\t\tz");
    let screen = app.wait_text("z back", SHORT);
    std::thread::sleep(Duration::from_millis(300));

    // Nothing reached the terminal emulator's side channels or modes.
    let t = app.tampering();
    assert!(t.titles.is_empty(), "the window title was changed: {t:?}");
    assert!(t.clipboard.is_empty(), "the clipboard was written: {t:?}");
    assert_eq!(app.modes(), modes_before, "terminal modes changed");

    // The app's own frame is intact.
    let rows = app.rows();
    assert!(rows[0].starts_with(" docktutor"), "header row:\n{screen}");
    assert!(
        rows[49].contains("q quit"),
        "key hints on the last row:\n{screen}"
    );
    assert!(
        rows[48].contains("Docker Engine"),
        "engine status row:\n{screen}"
    );
    assert!(
        !screen.contains("EEEEEEEEEE"),
        "DECALN filled the screen:\n{screen}"
    );

    // Every marker is inside the output pane's borders.
    // The pane has the focus (and the screen): its border is the thick one.
    let (top, left) = find_all(&rows, "┏ $ docker run")
        .first()
        .copied()
        .unwrap_or_else(|| panic!("no output pane:\n{screen}"));
    let bottom = (top + 1..rows.len())
        .find(|&r| rows[r].chars().nth(left) == Some('┗'))
        .unwrap_or_else(|| panic!("no bottom border for the output pane:\n{screen}"));
    let right = rows[top].chars().count() - 1;
    for marker in MARKERS
        .iter()
        .chain(&["C1SEQ-MARK", "RED-TEXT", "RTL-MARK", "HOSTILE-DONE"])
    {
        let hits = find_all(&rows, marker);
        assert!(!hits.is_empty(), "{marker} is not shown:\n{screen}");
        for (r, c) in hits {
            assert!(
                r > top && r < bottom && c > left && c + marker.len() <= right,
                "{marker} drawn at row {r} col {c}, outside the output pane (rows {top}..{bottom}, cols {left}..{right}):\n{screen}"
            );
        }
    }
    // The progress bar redrew one line; the huge line was cut.
    assert_eq!(find_all(&rows, "progress").len(), 1, "{screen}");
    assert!(screen.contains("progress 100%"), "{screen}");
    assert!(
        !screen.contains("progress  99%"),
        "a stale progress line:\n{screen}"
    );

    // The app's own byte stream never carried any of it.
    let raw = String::from_utf8_lossy(&app.raw()).into_owned();
    for bad in [
        "\x1b]",
        "\x1bP",
        "\x1bc",
        "\x1b#8",
        "\x1b[6n",
        "\x1b[1;3r",
        "pwned",
    ] {
        assert!(!raw.contains(bad), "the app wrote {bad:?} to the terminal");
    }
    assert!(
        !raw.chars().any(|c| ('\u{80}'..='\u{9f}').contains(&c)),
        "a C1 control reached the terminal"
    );
    assert!(
        !raw.contains('\u{202e}'),
        "a bidi override reached the terminal"
    );
    assert_eq!(
        raw.matches("\x1b[?1049l").count(),
        0,
        "alternate screen left mid-run"
    );

    // Still answering keys.
    app.send("?");
    app.wait_text("Keys", SHORT);
    app.send("\x1b");
    app.wait_for("help closed", SHORT, |s| {
        !s.contains("Keys") && s.contains("HOSTILE-DONE")
    });
    app.send("q");
    app.wait_exit(SHORT).expect("the app quits");
    assert!(app.modes().restored());
}

/// `docktutor run IMAGE` into a pipe: not one escape sequence gets through.
#[test]
fn headless_run_into_a_pipe_prints_no_escape_sequences() {
    if !engine_available() {
        return;
    }
    let image = hostile_image();
    let data = tempfile::tempdir().expect("tempdir");
    let out = Command::new(bin())
        .args(["run", &image.0, "--workdir"])
        .arg(data.path())
        .env("DOCKTUTOR_DATA_DIR", data.path())
        .env_remove("NO_COLOR")
        .output()
        .expect("docktutor run");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for (name, bytes) in [("stdout", &out.stdout), ("stderr", &out.stderr)] {
        if let Some(at) = bytes.iter().position(|&b| b == 0x1b) {
            let from = at.saturating_sub(20);
            panic!(
                "ESC in {name} at byte {at}: {:?}",
                String::from_utf8_lossy(&bytes[from..(at + 20).min(bytes.len())])
            );
        }
        let text = String::from_utf8_lossy(bytes);
        assert!(
            !text
                .chars()
                .any(|c| c.is_control() && !"\n\r\t".contains(c)),
            "a control character in {name}"
        );
        assert!(!text.contains("pwned"), "an OSC payload in {name}");
    }
    let text = String::from_utf8_lossy(&out.stdout);
    for marker in MARKERS.iter().chain(&["RED-TEXT", "HOSTILE-DONE"]) {
        assert!(text.contains(marker), "{marker} missing from stdout");
    }
}

/// `docktutor run IMAGE` on a terminal keeps colours, and nothing else.
#[test]
fn headless_run_on_a_terminal_passes_only_colours() {
    if !engine_available() {
        return;
    }
    let image = hostile_image();
    let data = tempfile::tempdir().expect("tempdir");
    let mut term = Pty::spawn(
        &bin().display().to_string(),
        &["run", &image.0],
        &[("DOCKTUTOR_DATA_DIR", data.path().to_str().expect("utf8"))],
        data.path(),
        80,
        24,
    );
    let code = term.wait_exit(RUN).expect("docktutor run exits");
    let start = Instant::now();
    while !String::from_utf8_lossy(&term.raw()).contains("HOSTILE-DONE") {
        assert!(start.elapsed() < SHORT, "HOSTILE-DONE never arrived");
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(code, 0);
    let raw = term.raw();
    let mut i = 0;
    let mut colours = 0;
    while let Some(at) = raw[i..].iter().position(|&b| b == 0x1b) {
        let at = i + at;
        let rest = &raw[at + 1..];
        let len = rest
            .iter()
            .position(|&b| !(b.is_ascii_digit() || b == b';' || b == b':' || b == b'['))
            .unwrap_or(rest.len());
        let ok = rest.first() == Some(&b'[') && rest.get(len) == Some(&b'm');
        assert!(
            ok,
            "a non-colour escape sequence: {:?}",
            String::from_utf8_lossy(&raw[at..(at + 16).min(raw.len())])
        );
        colours += 1;
        i = at + 1;
    }
    assert!(colours >= 2, "the colour of RED-TEXT was kept");
    let t = term.tampering();
    assert!(t.titles.is_empty() && t.clipboard.is_empty(), "{t:?}");
}
