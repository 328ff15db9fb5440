//! `docktutor report`: many learners' results merged into a table, a CSV
//! and an HTML page — the page rendered in headless Chromium (Debian's
//! `chromium`), whose text must hold the figures. With `CI` set, a missing
//! Chromium is a failure, not a skip.

mod support;

use std::path::Path;
use std::process::Command;

use serde_json::json;
use support::bin;
use support::chromium::{chromium, headless};

/// A learner's results: `statuses[i]` is lesson i+1's; a failing lesson's
/// first check fails with `reason`.
fn learner(name: &str, statuses: &[&str], reason: &str) -> serde_json::Value {
    let titles = [
        "Project folder",
        "Dockerfile",
        "Build",
        "Run a container",
        "Verify",
    ];
    let lessons: Vec<serde_json::Value> = statuses
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let failing = *s != "pass";
            json!({
                "number": i + 1,
                "id": format!("l{}", i + 1),
                "title": titles[i],
                "passed": !failing,
                "status": s,
                "duration_ms": 0.5,
                "last_passed": null,
                "checks": [
                    if failing {
                        json!({"label": format!("check of lesson {}", i + 1), "status": s,
                               "reason": reason, "fix": "do it", "duration_ms": 0.5, "last_passed": null})
                    } else {
                        json!({"label": format!("check of lesson {}", i + 1), "status": "pass",
                               "duration_ms": 0.5, "last_passed": 1_700_000_000})
                    }
                ]
            })
        })
        .collect();
    json!({
        "schema": 1, "learner": name, "workspace": format!("/home/{name}/my-docker-app"),
        "engine": "Docker 20.10", "checked_at": 1_790_000_000u64,
        "passed": statuses.iter().all(|s| *s == "pass"), "lessons": lessons
    })
}

fn class(dir: &Path) {
    let p = "pass";
    let wrong = "the container printed \"Hi\" — expected \"Hello, Docker!\"";
    let files = [
        ("ada", learner("ada", &[p, p, p, p, p], "")),
        ("bob", learner("bob", &[p, p, p, "fail", "fail"], wrong)),
        ("cy", learner("cy", &[p, p, p, "fail", "fail"], wrong)),
        (
            "dee",
            learner(
                "dee <script>alert(1)</script>",
                &[p, "fail", "fail", "fail", "fail"],
                "no Dockerfile & <nothing>\u{1b}[2J",
            ),
        ),
    ];
    for (name, value) in files {
        std::fs::write(dir.join(format!("{name}.json")), value.to_string()).expect("write");
    }
    std::fs::write(dir.join("notes.txt"), "not results").expect("write");
}

#[test]
fn report_merges_the_class_into_a_table_csv_and_page() {
    let dir = tempfile::tempdir().expect("tempdir");
    let results = dir.path().join("results");
    std::fs::create_dir(&results).unwrap();
    class(&results);
    let (csv, html) = (dir.path().join("class.csv"), dir.path().join("class.html"));
    let out = Command::new(bin())
        .arg("report")
        .arg(&results)
        .arg("--csv")
        .arg(&csv)
        .arg("--html")
        .arg(&html)
        .output()
        .expect("docktutor report");
    let table = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{table}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The table: a row per learner, furthest lesson and first failing check.
    let bob = table.lines().find(|l| l.starts_with("bob")).expect(&table);
    assert!(bob.contains("✓  ✓  ✓  ✗  ✗"), "{table}");
    assert!(
        bob.contains("3  4. check of lesson 4 — the container printed"),
        "{table}"
    );
    assert!(
        table
            .lines()
            .any(|l| l.starts_with("ada") && l.contains("5  all passed")),
        "{table}"
    );
    assert!(table.contains("4. 1/4"), "{table}");
    assert!(
        !table.contains('\u{1b}'),
        "no control characters reach the terminal: {table}"
    );

    // The CSV: a header and a row per learner, quoted where needed.
    let csv_text = std::fs::read_to_string(&csv).unwrap();
    let mut reader = ::csv::Reader::from_reader(csv_text.as_bytes());
    let rows: Vec<::csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 4, "{csv_text}");
    let bob = rows.iter().find(|r| &r[0] == "bob").unwrap();
    assert_eq!(&bob[6], "fail");
    assert!(
        bob.iter()
            .any(|f| f.contains("expected \"Hello, Docker!\"")),
        "{csv_text}"
    );

    // The page: self-contained, nothing to fetch or run.
    let page = std::fs::read_to_string(&html).unwrap();
    for forbidden in ["<script", "http://", "https://", "src=", "<link"] {
        assert!(!page.contains(forbidden), "{forbidden} in the page");
    }
    let Some(chromium) = chromium("the HTML report") else {
        return;
    };
    let dom = headless(&chromium, &["--dump-dom"], &html);
    let dom_text = String::from_utf8_lossy(&dom.stdout).into_owned();
    assert!(
        dom.status.success(),
        "chromium: {}",
        String::from_utf8_lossy(&dom.stderr)
    );
    // Per-lesson pass rates, as rendered.
    assert!(
        dom_text.contains(
            "<td>4. Run a container</td><td class=\"num\">1 of 4</td><td class=\"num\">25%</td>"
        ),
        "{dom_text}"
    );
    assert!(
        dom_text.contains(
            "<td>1. Project folder</td><td class=\"num\">4 of 4</td><td class=\"num\">100%</td>"
        ),
        "{dom_text}"
    );
    // The most common failing check: how many it stops, and the message
    // most of them got.
    assert!(
        dom_text
            .contains("<td class=\"num\">3</td><td class=\"num\">4</td><td>check of lesson 4</td><td>the container printed"),
        "{dom_text}"
    );
    assert!(
        dom_text.contains("expected \"Hello, Docker!\""),
        "{dom_text}"
    );
    assert!(
        dom_text.contains("expected \"Hello, Docker!\" (and 1 other message)</td>"),
        "{dom_text}"
    );
    // The learner's name is text, not a script the browser ran or parsed.
    assert!(
        dom_text.contains("dee &lt;script&gt;alert(1)&lt;/script&gt;"),
        "{dom_text}"
    );
    assert!(!dom_text.contains("<script"), "{dom_text}");
    assert!(
        dom_text.contains("4 learners, 5 lessons; 1 finished"),
        "{dom_text}"
    );

    // And it renders: a screenshot that is a real picture.
    let shot = dir.path().join("class.png");
    let rendered = headless(
        &chromium,
        &[
            &format!("--screenshot={}", shot.display()),
            "--window-size=1200,1600",
        ],
        &html,
    );
    assert!(
        rendered.status.success(),
        "chromium: {}",
        String::from_utf8_lossy(&rendered.stderr)
    );
    let png = std::fs::read(&shot).expect("screenshot");
    assert!(
        png.starts_with(b"\x89PNG") && png.len() > 10_000,
        "{} bytes",
        png.len()
    );
}

#[test]
fn report_without_results_says_so() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = Command::new(bin())
        .arg("report")
        .arg(dir.path())
        .output()
        .expect("report");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no results"));
}
