//! `docktutor lessons`: the course and where you are in it.

use std::process::ExitCode;

use super::Setup;

pub fn run(setup: &Setup) -> ExitCode {
    let progress = match setup.store.as_ref().map(|s| s.load().into_parts()) {
        Some((p, Some(message))) => {
            eprintln!("docktutor: {message}");
            p
        }
        Some((p, None)) => p,
        None => Default::default(),
    };
    for (i, l) in setup.lessons.lessons.iter().enumerate() {
        let mark = if progress.is_done(&l.id) { "✓" } else { " " };
        let here = if progress.current.as_deref() == Some(l.id.as_str()) {
            "  ← you are here"
        } else {
            ""
        };
        println!("{mark} {:>2}. {:<22} {}{here}", i + 1, l.id, l.title);
    }
    for e in &setup.lessons.errors {
        eprintln!("! {e}");
    }
    if let Some(store) = &setup.store {
        println!(
            "\nworkspace: {}{}\nprogress:  {}",
            setup.workspace.display(),
            super::on_the_host(&setup.workspace),
            store.path().display()
        );
    }
    if setup.lessons.errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
