//! Quick: a saved file shows its checks' new result within 200 ms. The
//! learner's editor saves `app.py` (a wrong greeting, then the right one)
//! while docktutor runs in a real terminal; the time from the save to the
//! checklist showing the new result is measured on the screen.
//!
//! `save_to_check_bench` (ignored; `tests/bench/bench.sh` runs it in a
//! release build) prints the figures.

mod support;

use std::time::{Duration, Instant};

use support::pty::Pty;
use support::*;

/// Saves `app.py` alternately wrong and right, `samples` times; returns
/// each save→check time.
fn measure(samples: usize) -> Vec<Duration> {
    let lessons = lessons_for_image(&unique("docktutor-test-save"));
    let home = tempfile::tempdir().expect("tempdir");
    let data = tempfile::tempdir().expect("tempdir");
    let ws = home.path().join("my-docker-app");
    write_guide(&ws);
    let mut pty = Pty::spawn(
        &bin().display().to_string(),
        &["--lessons", lessons.path().to_str().expect("utf8")],
        &[
            ("DOCKTUTOR_DATA_DIR", data.path().to_str().expect("utf8")),
            ("NO_COLOR", ""),
            // No engine needed: lesson 1 reads files only.
            ("DOCKER_HOST", "unix:///nonexistent/docker.sock"),
        ],
        &ws,
        80,
        24,
    );
    pty.wait_text("Checks 4/4 ✓ passed", Duration::from_secs(10));
    let mut times = Vec::new();
    for i in 0..samples * 2 {
        // Let the watcher settle, as between two saves of a person.
        std::thread::sleep(Duration::from_millis(400));
        let (text, shown) = if i % 2 == 0 {
            ("print(\"Hello, docker!\")\n", "Checks 3/4")
        } else {
            (GUIDE_APP, "Checks 4/4")
        };
        let start = Instant::now();
        std::fs::write(ws.join("app.py"), text).expect("save");
        loop {
            if pty.screen().contains(shown) {
                times.push(start.elapsed());
                break;
            }
            assert!(
                start.elapsed() < Duration::from_secs(5),
                "no new result 5 s after the save:\n{}",
                pty.screen()
            );
            std::thread::sleep(Duration::from_millis(2));
        }
    }
    pty.send("q");
    let _ = pty.wait_exit(Duration::from_secs(5));
    times
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

#[test]
fn a_save_shows_its_new_check_result_within_200_ms() {
    let times = measure(4);
    let m = median(times.clone());
    assert!(
        m < Duration::from_millis(200),
        "median save→check {m:?} (all: {times:?})"
    );
}

#[test]
#[ignore = "a benchmark: tests/bench/bench.sh runs it"]
fn save_to_check_bench() {
    let times = measure(10);
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let max = times.iter().max().copied().unwrap_or_default();
    let min = times.iter().min().copied().unwrap_or_default();
    println!(
        "save_to_check_ms_median={:.1} min={:.1} max={:.1} samples={}",
        ms(median(times.clone())),
        ms(min),
        ms(max),
        times.len()
    );
}
