//! `docktutor answers --html FILE`: the answer key as a self-contained page,
//! rendered in headless Chromium (Debian's `chromium`) as the class report
//! is: its text holds every lesson's title, commands, notes and solution
//! files, escaped; printed to PDF it puts each lesson on its own page. With
//! `CI` set, a missing Chromium is a failure, not a skip.

mod support;

use std::process::Command;

use support::bin;
use support::chromium::{chromium, headless};

const CUSTOM: &str = r#"+++
id = "env-file"
title = "Settings in an .env file"
minutes = 12
notes = """
Common mistake: <script>alert(1)</script> pasted from a blog.

Ask who has used an .env file & why.
"""
solution = ["env-file/.env"]

[[checks]]
kind = "file_exists"
path = ".env"
+++
# Settings
"#;

#[test]
fn the_answer_key_page_renders_every_lesson_and_prints_one_per_page() {
    let dir = tempfile::tempdir().unwrap();
    let extra = dir.path().join("extra");
    std::fs::create_dir_all(extra.join("assets/env-file")).unwrap();
    std::fs::write(extra.join("env.md"), CUSTOM).unwrap();
    std::fs::write(extra.join("assets/env-file/.env"), "GREETING=hello\n").unwrap();
    let html = dir.path().join("answers.html");
    let out = Command::new(bin())
        .current_dir(dir.path())
        .env("XDG_DATA_HOME", dir.path().join(".data"))
        .args(["answers", "--add-lessons"])
        .arg(&extra)
        .arg("--html")
        .arg(&html)
        .output()
        .expect("docktutor answers");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let page = std::fs::read_to_string(&html).unwrap();
    // Nothing to fetch or run (solution files may mention URLs as text).
    for forbidden in [
        "<script", "<link", "<img", "<iframe", "src=", "href=", "url(", "@import",
    ] {
        assert!(!page.contains(forbidden), "{forbidden} in the page");
    }
    let Some(chromium) = chromium("the answer key page") else {
        return;
    };
    let dom = headless(&chromium, &["--dump-dom"], &html);
    let dom_text = String::from_utf8_lossy(&dom.stdout).into_owned();
    assert!(
        dom.status.success(),
        "chromium: {}",
        String::from_utf8_lossy(&dom.stderr)
    );
    let lessons = docktutor::lesson::builtin().lessons;
    for (i, l) in lessons.iter().enumerate() {
        let title = quick_xml::escape::escape(l.title.as_str()).into_owned();
        assert!(
            dom_text.contains(&format!("<h2>{}. {title} <span", i + 1)),
            "{}: {dom_text}",
            l.id
        );
    }
    let n = lessons.len() + 1;
    assert!(
        dom_text.contains(&format!(
            "<h2>{n}. Settings in an .env file <span class=\"id\">env-file (12 min)</span></h2>"
        )),
        "{dom_text}"
    );
    assert!(
        dom_text.contains("<h3>.env</h3>\n<pre>GREETING=hello\n</pre>"),
        "{dom_text}"
    );
    assert!(
        dom_text.contains("$ docker build -t my-docker-app ."),
        "{dom_text}"
    );
    assert!(
        dom_text.contains("<p>Common mistake: &lt;script&gt;alert(1)&lt;/script&gt; pasted from a blog.</p><p>Ask who has used an .env file &amp; why.</p>"),
        "{dom_text}"
    );
    assert!(!dom_text.contains("<script"), "{dom_text}");
    assert!(dom_text.contains("about 12 minutes in all"), "{dom_text}");

    // Printed: a lesson per page at least.
    let pdf = dir.path().join("answers.pdf");
    let printed = headless(
        &chromium,
        &[
            &format!("--print-to-pdf={}", pdf.display()),
            "--no-pdf-header-footer",
        ],
        &html,
    );
    assert!(
        printed.status.success(),
        "chromium: {}",
        String::from_utf8_lossy(&printed.stderr)
    );
    let bytes = std::fs::read(&pdf).expect("pdf");
    assert!(bytes.starts_with(b"%PDF"), "not a PDF");
    let text = String::from_utf8_lossy(&bytes);
    let pages = text.matches("/Type /Page").count() - text.matches("/Type /Pages").count();
    assert!(pages >= n, "{pages} pages for {n} lessons");
}
