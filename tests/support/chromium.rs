//! Headless Chromium (Debian's `chromium`) for the tests that render a
//! page docktutor writes: a loud skip without it, a failure under CI.

use std::path::Path;
use std::process::Command;

/// The chromium command, or `None` with a loud message (`what` says which
/// page goes untested). With `CI` set a missing chromium is a failure.
pub fn chromium(what: &str) -> Option<String> {
    let found = ["chromium", "chromium-browser"].into_iter().find(|c| {
        Command::new(c)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
    });
    if found.is_none() {
        if std::env::var_os("CI").is_some() {
            panic!("CI is set but chromium is missing (apt-get install chromium)");
        }
        eprintln!(
            "\n!!!!!!!! SKIPPED: no chromium — apt-get install chromium to test {what} !!!!!!!!\n"
        );
    }
    found.map(str::to_string)
}

/// Chromium, headless and bounded in time, on a local page.
pub fn headless(chromium: &str, args: &[&str], page: &Path) -> std::process::Output {
    Command::new("timeout")
        .arg("120")
        .arg(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
        ])
        .args(args)
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium")
}
