//! Carrying out what `update` asked for. Slow work goes to tasks whose
//! results come back as messages; nothing here blocks the loop for long.

use std::path::PathBuf;
use std::process::Command;

use tokio::sync::mpsc;

use super::input::Input;
use super::terminal;
use crate::docker::EngineHandle;
use crate::progress::Store;
use crate::state::{Effect, Model, Msg};

pub struct Ctx<'a> {
    pub engine: EngineHandle,
    pub input: &'a Input,
    pub msg_tx: mpsc::Sender<Msg>,
    pub store: Option<Store>,
    pub workspace: PathBuf,
}

/// Returns true when the terminal was given away and must be redrawn whole.
pub async fn run(
    ctx: &mut Ctx<'_>,
    effect: Effect,
    term: &mut ratatui::DefaultTerminal,
    model: &mut Model,
) -> bool {
    match effect {
        Effect::RunChecks {
            generation,
            lesson,
            facts,
            engine_missing,
        } => {
            let Some(checks) = model.lessons.get(lesson).map(|l| l.checks.clone()) else {
                return false;
            };
            let tx = ctx.msg_tx.clone();
            let workspace = ctx.workspace.clone();
            tokio::task::spawn_blocking(move || {
                let check_ctx = crate::check::Ctx {
                    workspace: &workspace,
                    engine: facts.as_ref(),
                    engine_missing: &engine_missing,
                };
                let outcomes = crate::check::run_all(&checks, &check_ctx);
                let at = crate::progress::unix_now();
                let dockerfile = workspace.join("Dockerfile");
                let lint = dockerfile
                    .is_file()
                    .then(|| crate::lint::lint_path(&dockerfile).map(|(_, f)| f));
                let _ = tx.blocking_send(Msg::Checked {
                    generation,
                    lesson,
                    outcomes,
                    at,
                    lint,
                });
            });
            false
        }
        Effect::Engine(cmd) => {
            ctx.engine.send(cmd);
            false
        }
        Effect::SaveProgress(progress) => {
            if let Some(store) = ctx.store.clone() {
                let tx = ctx.msg_tx.clone();
                tokio::task::spawn_blocking(move || {
                    if let Err(e) = store.save(&progress) {
                        let _ = tx.blocking_send(Msg::Done(Err(format!(
                            "could not save progress to {}: {e}",
                            store.path().display()
                        ))));
                    }
                });
            }
            false
        }
        Effect::WriteStarters(files) => {
            let tx = ctx.msg_tx.clone();
            let workspace = ctx.workspace.clone();
            tokio::task::spawn_blocking(move || {
                let _ = tx.blocking_send(Msg::Done(write_starters(&workspace, &files)));
            });
            false
        }
        Effect::OpenEditor(path) => {
            let Some(editor) = editor() else {
                let _ = ctx.msg_tx.try_send(Msg::Done(Err(format!(
                    "no editor set: set $EDITOR, or open {} in your own editor",
                    path.display()
                ))));
                return false;
            };
            if let Some(parent) = path.parent() {
                let _ = std::fs::create_dir_all(parent);
            }
            let paused = ctx.input.pause();
            terminal::leave();
            let status = Command::new(&editor[0])
                .args(&editor[1..])
                .arg(&path)
                .status();
            let _ = reenter(term);
            drop(paused);
            let msg = match status {
                Ok(s) if s.success() => Msg::Resumed,
                Ok(s) => Msg::Done(Err(format!("{} exited with {s}", editor[0]))),
                Err(e) => Msg::Done(Err(format!("could not start {}: {e}", editor[0]))),
            };
            let _ = ctx.msg_tx.try_send(msg);
            true
        }
        Effect::Suspend => {
            let paused = ctx.input.pause();
            terminal::leave();
            // SIGSTOP cannot be caught: the shell takes over until `fg`.
            // (No job control on Windows: Ctrl-Z is not bound there.)
            #[cfg(unix)]
            let _ = signal_hook::low_level::raise(signal_hook::consts::SIGSTOP);
            let _ = reenter(term);
            drop(paused);
            let _ = ctx.msg_tx.try_send(Msg::Resumed);
            true
        }
        Effect::Quit => false,
    }
}

fn reenter(term: &mut ratatui::DefaultTerminal) -> std::io::Result<()> {
    let fresh = terminal::enter()?;
    *term = fresh;
    Ok(())
}

/// `$VISUAL`, then `$EDITOR`, split into words ("code --wait" works).
fn editor() -> Option<Vec<String>> {
    ["VISUAL", "EDITOR"].iter().find_map(|k| {
        let v = std::env::var(k).ok()?;
        let words: Vec<String> = v.split_whitespace().map(str::to_string).collect();
        (!words.is_empty()).then_some(words)
    })
}

/// Writes starter files that do not exist yet; never overwrites.
fn write_starters(
    workspace: &std::path::Path,
    files: &[crate::lesson::AssetFile],
) -> Result<String, String> {
    std::fs::create_dir_all(workspace)
        .map_err(|e| format!("cannot create {}: {e}", workspace.display()))?;
    let mut written = Vec::new();
    let mut kept = Vec::new();
    for f in files {
        let path = workspace.join(&f.name);
        if path.exists() {
            kept.push(f.name.clone());
            continue;
        }
        std::fs::write(&path, &f.text)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        written.push(f.name.clone());
    }
    Ok(match (written.is_empty(), kept.is_empty()) {
        (false, true) => format!("wrote {} — now edit them", written.join(", ")),
        (false, false) => format!(
            "wrote {}; kept your {}",
            written.join(", "),
            kept.join(", ")
        ),
        (true, _) => format!("kept your {} (starters never overwrite)", kept.join(", ")),
    })
}
