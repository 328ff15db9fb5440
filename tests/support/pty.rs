//! Driving the real binary in a real pseudo-terminal, reading the screen
//! through a vt100 emulator, the way a person would see it.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

/// What the terminal emulator saw that a learner must never see happen.
#[derive(Default, Debug, Clone)]
pub struct Tampering {
    pub titles: Vec<String>,
    pub clipboard: Vec<String>,
}

struct Watch(Arc<Mutex<Tampering>>);

impl vt100::Callbacks for Watch {
    fn set_window_title(&mut self, _: &mut vt100::Screen, title: &[u8]) {
        if let Ok(mut t) = self.0.lock() {
            t.titles.push(String::from_utf8_lossy(title).into_owned());
        }
    }
    fn copy_to_clipboard(&mut self, _: &mut vt100::Screen, _ty: &[u8], data: &[u8]) {
        if let Ok(mut t) = self.0.lock() {
            t.clipboard.push(String::from_utf8_lossy(data).into_owned());
        }
    }
}

pub struct Pty {
    parser: Arc<Mutex<vt100::Parser<Watch>>>,
    raw: Arc<Mutex<Vec<u8>>>,
    tampering: Arc<Mutex<Tampering>>,
    writer: Option<Box<dyn Write + Send>>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
    master: Option<Box<dyn portable_pty::MasterPty + Send>>,
    /// Tells the reader thread to let go of its end of the terminal.
    hang_up: Arc<std::sync::atomic::AtomicBool>,
}

impl Pty {
    /// Runs `program args…` in a `cols`×`rows` terminal with extra `env`.
    pub fn spawn(
        program: &str,
        args: &[&str],
        env: &[(&str, &str)],
        cwd: &std::path::Path,
        cols: u16,
        rows: u16,
    ) -> Pty {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("openpty");
        let mut cmd = CommandBuilder::new(program);
        for a in args {
            cmd.arg(a);
        }
        cmd.env("TERM", "xterm-256color");
        for (k, v) in env {
            cmd.env(k, v);
        }
        cmd.cwd(cwd);
        let child = pair.slave.spawn_command(cmd).expect("spawn");
        drop(pair.slave);
        let tampering = Arc::new(Mutex::new(Tampering::default()));
        let parser = Arc::new(Mutex::new(vt100::Parser::new_with_callbacks(
            std::num::NonZeroU16::new(rows.max(1)).expect("rows"),
            std::num::NonZeroU16::new(cols.max(1)).expect("cols"),
            0,
            Watch(tampering.clone()),
        )));
        let raw = Arc::new(Mutex::new(Vec::new()));
        let mut reader = pair.master.try_clone_reader().expect("reader");
        let (p, r) = (parser.clone(), raw.clone());
        let hang_up = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let stop = hang_up.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 65536];
            loop {
                if stop.load(std::sync::atomic::Ordering::SeqCst) {
                    break;
                }
                match reader.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        if let Ok(mut parser) = p.lock() {
                            parser.process(&buf[..n]);
                        }
                        if let Ok(mut raw) = r.lock() {
                            raw.extend_from_slice(&buf[..n]);
                        }
                    }
                }
            }
        });
        let writer = pair.master.take_writer().expect("writer");
        Pty {
            parser,
            raw,
            tampering,
            writer: Some(writer),
            child,
            master: Some(pair.master),
            hang_up,
        }
    }

    pub fn send(&mut self, text: &str) {
        let writer = self.writer.as_mut().expect("the terminal was hung up");
        writer.write_all(text.as_bytes()).expect("write to pty");
        writer.flush().expect("flush pty");
    }

    /// The screen as text, one line per row.
    pub fn screen(&self) -> String {
        self.parser
            .lock()
            .map(|p| p.screen().contents())
            .unwrap_or_default()
    }

    pub fn with_screen<T>(&self, f: impl FnOnce(&vt100::Screen) -> T) -> T {
        let p = self.parser.lock().expect("parser");
        f(p.screen())
    }

    pub fn raw(&self) -> Vec<u8> {
        self.raw.lock().map(|r| r.clone()).unwrap_or_default()
    }

    pub fn tampering(&self) -> Tampering {
        self.tampering.lock().map(|t| t.clone()).unwrap_or_default()
    }

    /// Waits until the screen satisfies `pred`; panics with the screen.
    pub fn wait_for(&self, what: &str, timeout: Duration, pred: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if pred(&s) {
                return s;
            }
            if start.elapsed() > timeout {
                panic!("timed out after {timeout:?} waiting for {what}; the screen shows:\n{s}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn wait_text(&self, text: &str, timeout: Duration) -> String {
        self.wait_for(&format!("{text:?}"), timeout, |s| s.contains(text))
    }

    /// Waits for the process to exit; returns its exit code.
    pub fn wait_exit(&mut self, timeout: Duration) -> Option<u32> {
        let start = Instant::now();
        while start.elapsed() < timeout {
            if let Ok(Some(status)) = self.child.try_wait() {
                // Let the reader thread drain what was written last.
                std::thread::sleep(Duration::from_millis(200));
                return Some(status.exit_code());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        None
    }

    pub fn pid(&self) -> Option<u32> {
        self.child.process_id()
    }

    pub fn kill(&mut self) {
        let _ = self.child.kill();
    }

    /// Resizes the terminal: the emulator first, then the pty, whose
    /// kernel side sends SIGWINCH to the program.
    pub fn resize(&self, cols: u16, rows: u16) {
        if let Ok(mut p) = self.parser.lock() {
            p.set_size(
                std::num::NonZeroU16::new(rows.max(1)).expect("rows"),
                std::num::NonZeroU16::new(cols.max(1)).expect("cols"),
            );
        }
        self.master
            .as_ref()
            .expect("the terminal was hung up")
            .resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("resize pty");
    }

    /// Closes the terminal, as closing the window does: the kernel hangs
    /// up the line (SIGHUP to the session leader, EIO on writes). The
    /// reader lets go after the next output the program writes.
    pub fn hang_up(&mut self) {
        self.hang_up
            .store(true, std::sync::atomic::Ordering::SeqCst);
        self.writer = None;
        self.master = None;
    }

    /// The screen's rows as text (trailing blanks kept out).
    pub fn rows(&self) -> Vec<String> {
        self.with_screen(|s| {
            let (_, cols) = s.size();
            s.rows(0, cols.get()).collect()
        })
    }

    /// The terminal modes a program can switch, as the emulator has them.
    pub fn modes(&self) -> Modes {
        self.with_screen(|s| Modes {
            alternate_screen: s.alternate_screen(),
            hide_cursor: s.hide_cursor(),
            bracketed_paste: s.bracketed_paste(),
            mouse: format!(
                "{:?}/{:?}",
                s.mouse_protocol_mode(),
                s.mouse_protocol_encoding()
            ),
            application_cursor: s.application_cursor(),
            application_keypad: s.application_keypad(),
        })
    }

    /// Waits until the raw output (everything the program wrote) contains
    /// `text`; for output the screen may already have scrolled away.
    pub fn wait_raw(&self, text: &str, timeout: Duration) {
        let start = Instant::now();
        loop {
            let raw = self.raw();
            if raw.windows(text.len()).any(|w| w == text.as_bytes()) {
                return;
            }
            if start.elapsed() > timeout {
                panic!(
                    "timed out after {timeout:?} waiting for {text:?} in the output; the screen shows:\n{}",
                    self.screen()
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// A snapshot of the emulator's switchable modes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Modes {
    pub alternate_screen: bool,
    pub hide_cursor: bool,
    pub bracketed_paste: bool,
    pub mouse: String,
    pub application_cursor: bool,
    pub application_keypad: bool,
}

impl Modes {
    /// What a shell expects to get back: every mode the app switches on is off.
    pub fn restored(&self) -> bool {
        !self.alternate_screen
            && !self.hide_cursor
            && !self.bracketed_paste
            && self.mouse.starts_with("None/")
    }
}

// ---- processes, through /proc (Linux) ----

/// Fields of /proc/PID/stat after the command name: state, ppid, pgrp, …
fn stat_fields(pid: u32) -> Option<(String, Vec<String>)> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let open = stat.find('(')?;
    let close = stat.rfind(')')?;
    let comm = stat[open + 1..close].to_string();
    let rest = stat[close + 1..]
        .split_whitespace()
        .map(str::to_string)
        .collect();
    Some((comm, rest))
}

/// The process state letter (R, S, T, Z, …), or None once it is gone.
pub fn proc_state(pid: u32) -> Option<char> {
    stat_fields(pid).and_then(|(_, f)| f.first().and_then(|s| s.chars().next()))
}

/// Running or stopped, not gone and not a zombie.
pub fn alive(pid: u32) -> bool {
    matches!(proc_state(pid), Some(c) if c != 'Z' && c != 'X')
}

/// Waits for a child of `parent` whose command name is `comm`.
pub fn wait_child(parent: u32, comm: &str, timeout: Duration) -> u32 {
    let start = Instant::now();
    loop {
        if let Ok(dir) = std::fs::read_dir("/proc") {
            for e in dir.flatten() {
                let Some(pid) = e.file_name().to_str().and_then(|n| n.parse::<u32>().ok()) else {
                    continue;
                };
                if let Some((c, f)) = stat_fields(pid)
                    && c == comm
                    && f.get(1).and_then(|p| p.parse::<u32>().ok()) == Some(parent)
                {
                    return pid;
                }
            }
        }
        if start.elapsed() > timeout {
            panic!("no process {comm:?} started under pid {parent} within {timeout:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Waits until `pid` is in state `state`; panics with the state seen.
pub fn wait_state(pid: u32, state: char, timeout: Duration) {
    let start = Instant::now();
    loop {
        let now = proc_state(pid);
        if now == Some(state) {
            return;
        }
        if start.elapsed() > timeout {
            panic!("pid {pid} is in state {now:?}, not {state:?}, after {timeout:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Waits until `pid` has exited (gone, or a zombie waiting to be reaped).
pub fn wait_gone(pid: u32, timeout: Duration) -> bool {
    let start = Instant::now();
    while start.elapsed() < timeout {
        if !alive(pid) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    false
}

/// Resident memory of a process in KiB.
pub fn vm_rss_kb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find(|l| l.starts_with("VmRSS:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|n| n.parse().ok())
}

/// Sends a signal by name (`INT`, `TERM`, `HUP`, `CONT`, …) with the
/// shell's own `kill` (no procps needed). A negative target is a process
/// group.
pub fn signal(target: i64, name: &str) {
    let status = std::process::Command::new("sh")
        .args(["-c", &format!("kill -s {name} -- {target}")])
        .status()
        .expect("sh");
    assert!(status.success(), "kill -s {name} -- {target} failed");
}

// ---- small images and lessons for driving the app ----

/// Builds an image from a Dockerfile (and extra files) with the docker
/// CLI, labelled as a test image; it and its new step layers (`--label`
/// adds a LABEL step on top of the Dockerfile's last) are removed when the
/// guard drops.
pub fn build_image(tag: &str, dockerfile: &str, files: &[(&str, &[u8])]) -> super::ImageGuard {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("Dockerfile"), dockerfile).expect("Dockerfile");
    for (name, bytes) in files {
        std::fs::write(dir.path().join(name), bytes).expect("file");
    }
    let guard = super::ImageGuard::new(tag);
    let out = super::docker_cli(
        &[
            "build",
            "-q",
            "--label",
            "io.docktutor.test=1",
            "-t",
            tag,
            ".",
        ],
        dir.path(),
    );
    assert!(
        out.status.success(),
        "docker build {tag}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    guard
}

/// A lessons folder with one lesson whose Enter runs `image`.
pub fn run_lesson_dir(image: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let lesson = format!(
        "+++\nid = \"run-it\"\ntitle = \"Run the test image\"\ncommand = \"docker run {image}\"\n\n[action]\nkind = \"run\"\nimage = \"{image}\"\n+++\n# Run it\n\nPress Enter to run the image.\n"
    );
    std::fs::write(dir.path().join("01-run.md"), lesson).expect("lesson");
    dir
}

/// A lessons folder with two plain lessons, `first` and `second`, whose one
/// check never passes (so no "passed" notice covers others): for tests
/// that move between lessons without depending on the course.
pub fn two_lesson_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    for (file, id, title) in [
        ("01-first.md", "first", "The first lesson"),
        ("02-second.md", "second", "The second lesson"),
    ] {
        let text = format!(
            "+++\nid = \"{id}\"\ntitle = \"{title}\"\n\n[[checks]]\nkind = \"file_exists\"\npath = \"never-written.txt\"\nlabel = \"a file nobody writes exists\"\n+++\n# {title}\n\nNothing to do here.\n"
        );
        std::fs::write(dir.path().join(file), text).expect("lesson");
    }
    dir
}

/// Containers (any state) that carry the app's label and come from `image`.
pub fn managed_containers(image: &str) -> Vec<String> {
    let out = std::process::Command::new("docker")
        .args([
            "ps",
            "-aq",
            "--filter",
            "label=io.docktutor.managed",
            "--filter",
            &format!("ancestor={image}"),
        ])
        .output()
        .expect("docker ps");
    // A failing CLI must not read as "nothing left behind".
    assert!(
        out.status.success(),
        "docker ps failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .map(str::to_string)
        .collect()
}

impl Drop for Pty {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
        }
    }
}
