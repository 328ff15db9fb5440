//! A container that prints a million lines as fast as it can: the app
//! drains it with bounded memory and keeps answering keys while it does.
//! `flood_bench` (ignored; run by tests/bench/flood_bench.sh) prints the
//! figures instead of asserting on them.

mod support;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use support::pty::{self, Pty};
use support::*;

const LINES: usize = 1_000_000;
const SHORT: Duration = Duration::from_secs(10);
/// Generous: a debug build on two busy cores.
const DRAIN: Duration = Duration::from_secs(300);
/// Generous: about 10 MB are used with the default scrollback of 5000 lines.
const RSS_LIMIT_KB: u64 = 100 * 1024;

struct Figures {
    drain: Duration,
    peak_rss_kb: u64,
    /// Key press → help shown, for presses made while output was flooding in.
    latencies: Vec<Duration>,
}

fn flood_image() -> ImageGuard {
    let script = format!(
        "import sys\nw = sys.stdout.write\nfor i in range({LINES}):\n    w('flood line %07d of the million-line flood\\n' % i)\nw('FLOOD-DONE\\n')\n"
    );
    pty::build_image(
        &unique("docktutor-test-flood"),
        "FROM python:3.9-slim\nCOPY flood.py /flood.py\nCMD [\"python3\", \"/flood.py\"]\n",
        &[("flood.py", script.as_bytes())],
    )
}

/// Runs the flood through the app; `max_latency` fails a key press that is
/// not answered in time.
fn flood_session(max_latency: Duration) -> Figures {
    let image = flood_image();
    let lessons = pty::run_lesson_dir(&image.0);
    let home = tempfile::tempdir().expect("tempdir");
    let data = home.path().join("data");
    let mut app = Pty::spawn(
        &bin().display().to_string(),
        &[
            "--workdir",
            home.path().to_str().expect("utf8"),
            "--lessons",
            lessons.path().to_str().expect("utf8"),
        ],
        &[("DOCKTUTOR_DATA_DIR", data.to_str().expect("utf8"))],
        home.path(),
        80,
        24,
    );
    let pid = app.pid().expect("pid");
    app.wait_for("the app with the engine connected", SHORT, |s| {
        s.contains("q quit") && s.contains("Docker Engine")
    });

    // Sample resident memory all along.
    let peak = Arc::new(AtomicU64::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let sampler = {
        let (peak, stop) = (peak.clone(), stop.clone());
        std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                if let Some(kb) = pty::vm_rss_kb(pid) {
                    peak.fetch_max(kb, Ordering::Relaxed);
                }
                std::thread::sleep(Duration::from_millis(50));
            }
        })
    };

    let started = Instant::now();
    app.send("\r");
    app.wait_text("flood line", DRAIN);
    let mut latencies = Vec::new();
    loop {
        std::thread::sleep(Duration::from_millis(400));
        let screen = app.screen();
        if screen.contains("FLOOD-DONE") {
            break;
        }
        assert!(
            started.elapsed() < DRAIN,
            "not drained after {DRAIN:?}:\n{screen}"
        );
        // A key press while lines keep arriving.
        let sent = Instant::now();
        app.send("?");
        // Polled finely: this is the figure the benchmark reports.
        while !app.screen().contains("Keys") {
            assert!(
                sent.elapsed() < max_latency,
                "'?' not answered within {max_latency:?} during the flood:\n{}",
                app.screen()
            );
            std::thread::sleep(Duration::from_millis(2));
        }
        latencies.push(sent.elapsed());
        app.send("\x1b");
        app.wait_for("the help screen closed", max_latency, |s| {
            !s.contains("Keys")
        });
    }
    let drain = started.elapsed();
    app.wait_text("exited 0", SHORT);
    stop.store(true, Ordering::Relaxed);
    sampler.join().expect("sampler");
    let peak_rss_kb = peak
        .load(Ordering::Relaxed)
        .max(pty::vm_rss_kb(pid).unwrap_or(0));

    // The tail is there, in order (the output folds to its summary line
    // when the run ends: f unfolds it), and the app still quits cleanly.
    app.send("f");
    app.wait_text("flood line 0999999", SHORT);
    let screen = app.screen();
    assert!(
        screen.contains("flood line 0999999"),
        "the last line is shown:\n{screen}"
    );
    app.send("q");
    app.wait_exit(SHORT).expect("the app quits");
    assert!(pty::managed_containers(&image.0).is_empty());
    Figures {
        drain,
        peak_rss_kb,
        latencies,
    }
}

#[test]
fn a_million_lines_are_drained_with_bounded_memory_and_keys_still_work() {
    if !engine_available() {
        return;
    }
    let f = flood_session(Duration::from_secs(2));
    eprintln!(
        "flood: drained {LINES} lines in {:.1?}, peak RSS {} MB, {} key presses answered during the flood",
        f.drain,
        f.peak_rss_kb / 1024,
        f.latencies.len()
    );
    assert!(
        f.peak_rss_kb < RSS_LIMIT_KB,
        "resident memory reached {} MB",
        f.peak_rss_kb / 1024
    );
    assert!(
        !f.latencies.is_empty(),
        "the flood ended before a key could be pressed during it"
    );
}

/// Figures only, for tests/bench/flood_bench.sh.
#[test]
#[ignore = "a benchmark: run tests/bench/flood_bench.sh"]
fn flood_bench() {
    assert!(engine_available(), "the benchmark needs a Docker engine");
    let f = flood_session(Duration::from_secs(30));
    let mut ms: Vec<f64> = f
        .latencies
        .iter()
        .map(|d| d.as_secs_f64() * 1000.0)
        .collect();
    ms.sort_by(f64::total_cmp);
    let median = ms.get(ms.len() / 2).copied().unwrap_or(f64::NAN);
    let max = ms.last().copied().unwrap_or(f64::NAN);
    println!(
        "flood_lines={LINES} drain_s={:.2} lines_per_s={:.0} peak_rss_mb={:.1} key_presses={} key_latency_median_ms={median:.0} key_latency_max_ms={max:.0}",
        f.drain.as_secs_f64(),
        LINES as f64 / f.drain.as_secs_f64(),
        f.peak_rss_kb as f64 / 1024.0,
        ms.len(),
    );
}
