//! Progress files survive `kill -9` at any moment: a writer process saving
//! in a tight loop through `Store::save` is killed 200 times at random
//! moments, and the file always parses, and killed writers' temp files do
//! not pile up. A damaged file is moved aside, kept, and the learner starts
//! clean — checked through the real binary.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use docktutor::progress::{Loaded, Progress, Store};
use support::pty::{self, Pty};

const WRITER_ENV: &str = "DOCKTUTOR_TEST_PROGRESS_WRITER";
const ROUNDS: usize = 200;

/// A progress whose shape depends on `n`, so files of different lengths
/// replace each other (a torn write would show).
fn progress_for(tag: &str, n: usize) -> Progress {
    let mut p = Progress {
        workspace: "/somewhere/my-docker-app".into(),
        current: Some(format!("{tag}-{n}")),
        ..Progress::default()
    };
    for i in 0..(n % 40) {
        p.done
            .insert(format!("lesson-{i}-{}", "x".repeat(i)), i as u64);
    }
    p
}

fn consistent(p: &Progress) -> bool {
    let Some(n) = p
        .current
        .as_deref()
        .and_then(|c| c.rsplit('-').next())
        .and_then(|n| n.parse::<usize>().ok())
    else {
        return false;
    };
    p.done.len() == n % 40 && p.workspace == "/somewhere/my-docker-app"
}

/// Not a test on its own: the body of the writer process that the kill
/// test starts (this same test binary, with `WRITER_ENV` set).
#[test]
#[ignore = "a helper, not a test: kill_9_at_any_moment… runs it as a child process"]
fn progress_writer_process() {
    let data = std::env::var_os(WRITER_ENV).expect("run by kill_9_at_any_moment…, which sets it");
    let store = Store::for_workspace(Path::new(&data), Path::new("/somewhere/my-docker-app"));
    let tag = format!("writer{}", std::process::id());
    for n in 0.. {
        store.save(&progress_for(&tag, n)).expect("save");
    }
}

fn temp_files(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .expect("read dir")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp"))
        .collect()
}

#[test]
fn kill_9_at_any_moment_leaves_a_parsable_file_and_no_temp_files() {
    let data = tempfile::tempdir().expect("tempdir");
    let store = Store::for_workspace(data.path(), Path::new("/somewhere/my-docker-app"));
    store.save(&progress_for("seed", 0)).expect("seed");
    let dir = store.path().parent().expect("dir").to_path_buf();
    let me = std::env::current_exe().expect("test binary");
    let mut seed = 0x9e37_79b9_u32 ^ std::process::id();
    let mut most_strays = 0;
    for round in 0..ROUNDS {
        let mut child = Command::new(&me)
            .args([
                "--exact",
                "progress_writer_process",
                "--ignored",
                "--test-threads=1",
            ])
            .env(WRITER_ENV, data.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn writer");
        // Wait for its first complete save, then kill it at a random moment.
        let mine = format!("writer{}-", child.id());
        let start = Instant::now();
        loop {
            if let Loaded::Existing(p) = store.load()
                && p.current.as_deref().is_some_and(|c| c.starts_with(&mine))
            {
                break;
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "round {round}: the writer never saved"
            );
            std::thread::sleep(Duration::from_millis(1));
        }
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        std::thread::sleep(Duration::from_micros(u64::from(seed % 20_000)));
        child.kill().expect("kill -9");
        child.wait().expect("reap");

        match store.load() {
            Loaded::Existing(p) => assert!(consistent(&p), "round {round}: {p:?}"),
            other => panic!("round {round}: the progress file did not survive: {other:?}"),
        }
        let strays = temp_files(&dir);
        most_strays = most_strays.max(strays.len());
        assert!(
            strays.len() <= 1,
            "round {round}: temp files pile up: {strays:?}"
        );
    }
    // The next save (the app's next start) leaves nothing but the file.
    store.save(&progress_for("final", 1)).expect("final save");
    let left: Vec<String> = std::fs::read_dir(&dir)
        .expect("dir")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left.len(), 1, "only the progress file is left: {left:?}");
    eprintln!("{ROUNDS} kills; at most {most_strays} temp file(s) at a time");
}

/// Writes `bytes` where the binary will look for the workspace's progress.
fn corrupt(data: &Path, ws: &Path, bytes: &[u8]) -> PathBuf {
    let store = Store::for_workspace(data, ws);
    std::fs::create_dir_all(store.path().parent().expect("dir")).expect("mkdir");
    std::fs::write(store.path(), bytes).expect("write");
    store.path().to_path_buf()
}

/// The damaged copies kept beside the progress file.
fn kept_copies(path: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(path.parent().expect("dir"))
        .expect("dir")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().contains("corrupt"))
        .collect()
}

const DAMAGED: &[u8] = b"current = \"build\"\ndone = { project-folder = 17\n\xff\xfe garbage";

#[test]
fn a_damaged_file_is_kept_aside_and_the_lessons_command_still_works() {
    let home = tempfile::tempdir().expect("tempdir");
    let ws = home.path().join("my-docker-app");
    std::fs::create_dir_all(&ws).expect("mkdir");
    let data = home.path().join("data");
    let path = corrupt(&data, &ws, DAMAGED);
    let lessons = pty::two_lesson_dir();
    let out = Command::new(support::bin())
        .arg("lessons")
        .arg("--workdir")
        .arg(&ws)
        .arg("--lessons")
        .arg(lessons.path())
        .env("DOCKTUTOR_DATA_DIR", &data)
        .output()
        .expect("docktutor lessons");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("first") && stdout.contains("second"),
        "{stdout}"
    );
    assert!(
        !stdout.contains("✓"),
        "nothing is marked done from a damaged file:\n{stdout}"
    );
    let kept = kept_copies(&path);
    assert_eq!(kept.len(), 1, "one damaged copy kept: {kept:?}");
    assert_eq!(std::fs::read(&kept[0]).expect("read"), DAMAGED);
}

#[test]
fn the_app_says_the_file_was_damaged_and_starts_clean() {
    let home = tempfile::tempdir().expect("tempdir");
    let ws = home.path().join("my-docker-app");
    std::fs::create_dir_all(&ws).expect("mkdir");
    let data = home.path().join("data");
    let path = corrupt(&data, &ws, DAMAGED);
    let lessons = pty::two_lesson_dir();
    let mut app = Pty::spawn(
        &support::bin().display().to_string(),
        &[
            "--workdir",
            ws.to_str().expect("utf8"),
            "--lessons",
            lessons.path().to_str().expect("utf8"),
        ],
        &[("DOCKTUTOR_DATA_DIR", data.to_str().expect("utf8"))],
        home.path(),
        100,
        30,
    );
    let screen = app.wait_text("damaged", Duration::from_secs(10));
    assert!(
        screen.contains("┏ 1/2"),
        "started clean at lesson 1:\n{screen}"
    );
    assert_eq!(kept_copies(&path).len(), 1);
    app.send("n");
    app.wait_text("┏ 2/2", Duration::from_secs(10));
    app.send("q");
    app.wait_exit(Duration::from_secs(10)).expect("quits");
    // A good file again, and the damaged copy is still there.
    match Store::for_workspace(&data, &ws).load() {
        Loaded::Existing(p) => assert_eq!(p.current.as_deref(), Some("second")),
        other => panic!("{other:?}"),
    }
    let kept = kept_copies(&path);
    assert_eq!(kept.len(), 1);
    assert_eq!(std::fs::read(&kept[0]).expect("read"), DAMAGED);
}
