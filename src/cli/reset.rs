//! `docktutor reset`: start the course over. It touches only what is
//! ours — the progress file, containers labelled by the app — and the
//! workspace files the learner confirms, one question for all of them.

use std::io::{BufRead, Write};
use std::process::ExitCode;

use super::Setup;
use super::engine::connect_or_explain;

pub async fn run(setup: &Setup, yes: bool, keep_files: bool) -> ExitCode {
    let mut failed = false;

    if let Some(store) = &setup.store {
        match std::fs::remove_file(store.path()) {
            Ok(()) => println!("progress forgotten ({})", store.path().display()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => println!("no progress saved yet"),
            Err(e) => {
                eprintln!(
                    "docktutor: could not remove {}: {e}",
                    store.path().display()
                );
                failed = true;
            }
        }
    }

    match connect_or_explain(setup).await {
        Some(conn) => match crate::docker::remove_labelled_containers(&conn.docker).await {
            Ok(ids) if ids.is_empty() => {
                println!("no containers of docktutor's left in the engine")
            }
            Ok(ids) => println!("removed docktutor's containers: {}", ids.join(", ")),
            Err(e) => {
                eprintln!("docktutor: could not remove containers: {e}");
                failed = true;
            }
        },
        None => println!("(engine not reached: its containers were left alone)"),
    }

    if !keep_files {
        let files = lesson_files(setup);
        if files.is_empty() {
            println!("no lesson files in {}", setup.workspace.display());
        } else {
            println!(
                "\nThese files in {} come from the lessons:",
                setup.workspace.display()
            );
            for f in &files {
                println!("  {f}");
            }
            if yes || ask("Delete them? Your other files stay. [y/N] ") {
                for f in &files {
                    if let Err(e) = std::fs::remove_file(setup.workspace.join(f)) {
                        eprintln!("docktutor: could not delete {f}: {e}");
                        failed = true;
                    }
                }
                println!(
                    "deleted {} file{}",
                    files.len(),
                    if files.len() == 1 { "" } else { "s" }
                );
            } else {
                println!("kept your files");
            }
        }
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// The workspace files any lesson writes or asks the learner to write.
fn lesson_files(setup: &Setup) -> Vec<String> {
    let mut names: Vec<String> = setup
        .lessons
        .lessons
        .iter()
        .flat_map(|l| {
            l.solution
                .iter()
                .chain(l.starters.iter())
                .map(|f| f.name.clone())
                .chain(l.edit.clone())
        })
        .filter(|n| !n.ends_with(".sh"))
        .filter(|n| setup.workspace.join(n).is_file())
        .collect();
    names.sort();
    names.dedup();
    names
}

fn ask(question: &str) -> bool {
    print!("{question}");
    let _ = std::io::stdout().flush();
    let mut line = String::new();
    match std::io::stdin().lock().read_line(&mut line) {
        Ok(0) | Err(_) => false,
        Ok(_) => matches!(line.trim(), "y" | "Y" | "yes" | "Yes"),
    }
}
