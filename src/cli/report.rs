//! `docktutor report FILE|DIR … [--csv FILE] [--html FILE]`: many learners'
//! `check --format json` results merged into a table on stdout, and
//! optionally a CSV and a self-contained HTML page. Reads files only.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::report::merge::{self, Class};

pub fn run(paths: &[PathBuf], csv: Option<&Path>, html: Option<&Path>) -> ExitCode {
    let files = match merge::files(paths) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("docktutor: {e}");
            return ExitCode::from(2);
        }
    };
    // A file that is not results is said and skipped: one learner's broken
    // upload does not hide the class.
    let mut all = Vec::new();
    for f in &files {
        match merge::read(f) {
            Ok(r) => all.push(r),
            Err(e) => eprintln!("docktutor: {e}"),
        }
    }
    if all.is_empty() {
        eprintln!(
            "docktutor: no results to report (docktutor check --format json > NAME.json makes one)"
        );
        return ExitCode::from(2);
    }
    let class = Class::merge(all);
    print!("{}", crate::report::table::render(&class));
    let mut ok = true;
    if let Some(path) = csv {
        match crate::report::csv::render(&class) {
            Ok(text) => ok &= write(path, &text),
            Err(e) => {
                eprintln!("docktutor: {e}");
                ok = false;
            }
        }
    }
    if let Some(path) = html {
        ok &= write(path, &crate::report::html::render(&class));
    }
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn write(path: &Path, text: &str) -> bool {
    match std::fs::write(path, text) {
        Ok(()) => {
            eprintln!("wrote {}", path.display());
            true
        }
        Err(e) => {
            eprintln!("docktutor: cannot write {}: {e}", path.display());
            false
        }
    }
}
