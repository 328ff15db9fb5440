//! `docktutor exec -- docker …`: one typed docker command without the UI,
//! read by the prompt's parser and run through the same engine code
//! (`docker::typed`), never by spawning `docker` or a shell.

use std::process::ExitCode;

use tokio::sync::watch;

use super::Setup;
use super::engine::{connect_or_explain, printer, report};
use crate::command::CommandError;

/// What the docker CLI exits with when the command itself is wrong.
const REFUSED: u8 = 125;

pub async fn run(setup: &Setup, words: &[String]) -> ExitCode {
    let command = match crate::command::parse_words(words, &setup.workspace) {
        Ok(c) => c,
        Err(CommandError::Help(text)) => {
            print!("{text}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("docktutor: {e}");
            return ExitCode::from(REFUSED);
        }
    };
    // Refused before reaching the engine, as a refused flag is (the
    // engine side refuses it too, for the app's prompt).
    if let Some(why) = crate::docker::learner::typed_refusal(&command) {
        eprintln!("docktutor: {why}");
        return ExitCode::from(REFUSED);
    }
    let Some(conn) = connect_or_explain(setup).await else {
        return ExitCode::from(REFUSED);
    };
    let (tx, printing) = printer();
    let (cancel_tx, cancel_rx) = watch::channel(false);
    // Ctrl-C stops a run and removes its container, like the run key's x.
    let ctrl_c = tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            let _ = cancel_tx.send(true);
        }
    });
    let outcome = crate::docker::typed(
        &conn.docker,
        &conn.builder,
        &setup.workspace,
        &command,
        &tx,
        cancel_rx,
    )
    .await;
    ctrl_c.abort();
    drop(tx);
    let _ = printing.await;
    report(&outcome)
}
