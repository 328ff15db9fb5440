//! `docktutor build` and `docktutor run`: the build and run keys without
//! the UI — the same engine path, the output on stdout.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use tokio::sync::{mpsc, watch};

use super::Setup;
use crate::docker::{self, Connection};
use crate::engine::{JobEvent, JobOutcome};
use crate::output::plain::PlainFilter;

pub async fn connect_or_explain(setup: &Setup) -> Option<Connection> {
    match docker::connect(&setup.env).await {
        Ok(c) => Some(c),
        Err(tried) => {
            eprintln!("docktutor: no Docker engine answered.");
            for a in &tried {
                if a.address.is_empty() {
                    eprintln!("  {}", a.error);
                } else {
                    eprintln!("  tried {} ({}): {}", a.address, a.source, a.error);
                }
            }
            eprintln!("  {}", crate::engine::status::advice(&tried));
            None
        }
    }
}

/// Prints job events as they come, sanitised.
pub(super) fn printer() -> (mpsc::Sender<JobEvent>, tokio::task::JoinHandle<()>) {
    let (tx, mut rx) = mpsc::channel::<JobEvent>(64);
    let handle = tokio::spawn(async move {
        let tty = std::io::stdout().is_terminal();
        let mut filter = PlainFilter::new(tty && std::env::var_os("NO_COLOR").is_none());
        while let Some(ev) = rx.recv().await {
            let mut out = std::io::stdout().lock();
            let _ = match ev {
                JobEvent::Output(bytes) => out.write_all(&filter.filter(&bytes)),
                JobEvent::Context {
                    files,
                    bytes,
                    advice,
                } => {
                    let mut s = format!(
                        "Sending build context: {files} files, {}\n",
                        crate::text::human_bytes(bytes)
                    );
                    for a in advice {
                        s.push_str(&format!("  tip: {a}\n"));
                    }
                    out.write_all(s.as_bytes())
                }
                JobEvent::Progress { done, total } => {
                    let pct = (done * 100).checked_div(total).unwrap_or(100);
                    let human = crate::text::human_bytes;
                    let s = format!("\rLoading {pct:3}% ({} of {})", human(done), human(total));
                    let end = if done >= total { "\n" } else { "" };
                    out.write_all(format!("{s}{end}").as_bytes())
                }
                JobEvent::Step { .. } | JobEvent::Cached { .. } => Ok(()),
            };
            let _ = out.flush();
        }
    });
    (tx, handle)
}

pub async fn build(setup: &Setup, dockerfile: Option<&str>, tag: &str) -> ExitCode {
    let Some(conn) = connect_or_explain(setup).await else {
        return ExitCode::from(125);
    };
    let (tx, printing) = printer();
    let outcome = docker::build(
        &conn.docker,
        &setup.workspace,
        dockerfile,
        tag,
        &conn.builder,
        &tx,
    )
    .await;
    drop(tx);
    let _ = printing.await;
    report(&outcome)
}

pub async fn run(setup: &Setup, image: &str, options: &crate::engine::RunOptions) -> ExitCode {
    let Some(conn) = connect_or_explain(setup).await else {
        return ExitCode::from(125);
    };
    let (tx, printing) = printer();
    let (cancel_tx, cancel_rx) = watch::channel(false);
    // Ctrl-C stops the container and removes it, like the run key's x.
    let ctrl_c = tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            let _ = cancel_tx.send(true);
        }
    });
    let outcome = docker::run(&conn.docker, image, options, &tx, cancel_rx).await;
    ctrl_c.abort();
    drop(tx);
    let _ = printing.await;
    remember(setup, &outcome);
    report(&outcome)
}

/// The run removed its container, so its record is kept with the progress,
/// as the run key keeps it: `check` reads it in another process.
fn remember(setup: &Setup, outcome: &JobOutcome) {
    let (Some(store), JobOutcome::Ran { image, record }) = (&setup.store, outcome) else {
        return;
    };
    if record.exit_code.is_none() {
        return;
    }
    let (mut progress, recovered) = store.load().into_parts();
    if let Some(message) = recovered {
        eprintln!("docktutor: {message}");
    }
    progress.remember_run(image, record.clone());
    progress.workspace = setup.workspace.display().to_string();
    if let Err(e) = store.save(&progress) {
        eprintln!("docktutor: could not keep the run in the progress: {e}");
    }
}

pub async fn load(setup: &Setup, file: &std::path::Path) -> ExitCode {
    let Some(conn) = connect_or_explain(setup).await else {
        return ExitCode::from(125);
    };
    let (tx, printing) = printer();
    let outcome = docker::load(&conn.docker, file, &tx).await;
    drop(tx);
    let _ = printing.await;
    report(&outcome)
}

pub(super) fn report(outcome: &JobOutcome) -> ExitCode {
    match outcome {
        JobOutcome::Built { tag, image_id, .. } => {
            eprintln!("built {tag} {}", image_id.as_deref().unwrap_or(""));
            ExitCode::SUCCESS
        }
        JobOutcome::BuildFailed(f) => {
            eprintln!(
                "docktutor: build failed{}",
                f.step.map(|s| format!(" at step {s}")).unwrap_or_default()
            );
            for line in f.describe().lines() {
                eprintln!("  {line}");
            }
            ExitCode::FAILURE
        }
        JobOutcome::Ran { record, .. } => {
            let code = record.exit_code.unwrap_or(125);
            ExitCode::from(u8::try_from(code).unwrap_or(1))
        }
        JobOutcome::Tidied { removed } => {
            eprintln!("removed {} dangling images", removed.len());
            ExitCode::SUCCESS
        }
        JobOutcome::Scanned { result, .. } => {
            let bad: usize = crate::engine::scan::at_or_above("HIGH")
                .iter()
                .filter_map(|s| result.counts.get(*s))
                .sum();
            ExitCode::from(u8::from(bad > 0))
        }
        JobOutcome::ScanUnavailable { message } => {
            eprintln!("docktutor: {message}");
            ExitCode::from(2)
        }
        JobOutcome::Loaded { images } => {
            eprintln!("loaded {}", images.join(", "));
            ExitCode::SUCCESS
        }
        JobOutcome::LoadFailed { message } => {
            eprintln!("docktutor: {message}");
            ExitCode::FAILURE
        }
        JobOutcome::Answered { .. } => ExitCode::SUCCESS,
        JobOutcome::CommandFailed { message, .. } => {
            eprintln!("Error: {message}");
            ExitCode::FAILURE
        }
        JobOutcome::RunFailed { message } | JobOutcome::NoEngine { message } => {
            eprintln!("docktutor: {message}");
            ExitCode::from(125)
        }
        JobOutcome::Interrupted { what, reason } => {
            eprintln!("docktutor: {what} interrupted: {reason}");
            ExitCode::from(130)
        }
    }
}
