//! Carrying out what `update` asked for. Slow work goes to tasks whose
//! results come back as messages; nothing here blocks the loop for long.

use std::path::PathBuf;
use std::process::Command;

use tokio::sync::mpsc;

use super::input::Input;
use super::terminal;
use crate::docker::EngineHandle;
use crate::progress::Saver;
use crate::state::{Effect, Model, Msg};

pub struct Ctx {
    pub engine: EngineHandle,
    pub msg_tx: mpsc::Sender<Msg>,
    /// None when progress is not saved (no data folder, or a progress file
    /// that could not be read and is kept as it is).
    pub saver: Option<Saver>,
    pub workspace: PathBuf,
}

/// Returns true when the terminal was given away and must be redrawn whole.
pub async fn run(
    ctx: &mut Ctx,
    input: &Input,
    effect: Effect,
    term: &mut ratatui::DefaultTerminal,
    model: &mut Model,
) -> bool {
    match effect {
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
            let paused = input.pause();
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
            let paused = input.pause();
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
        Effect::Copy(text) => {
            use base64::Engine as _;
            use std::io::Write as _;
            let encoded = base64::engine::general_purpose::STANDARD.encode(text);
            let mut out = std::io::stdout().lock();
            let _ = write!(out, "\x1b]52;c;{encoded}\x07");
            let _ = out.flush();
            false
        }
        other => {
            background(ctx, other, model);
            false
        }
    }
}

/// The effects that need no terminal: checks, the engine, saving, files.
/// Plain mode (`crate::plain`) carries these out the same way; the others
/// (editor, suspend, clipboard, quit) are left to the caller.
pub(crate) fn background(ctx: &Ctx, effect: Effect, model: &Model) {
    match effect {
        Effect::RunChecks {
            generation,
            lesson,
            facts,
            engine_missing,
            typed,
        } => {
            let Some(checks) = model.lessons.get(lesson).map(|l| l.checks.clone()) else {
                return;
            };
            let tx = ctx.msg_tx.clone();
            let workspace = ctx.workspace.clone();
            tokio::task::spawn_blocking(move || {
                let check_ctx = crate::check::Ctx {
                    workspace: &workspace,
                    engine: facts.as_ref(),
                    engine_missing: &engine_missing,
                    typed: &typed,
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
        }
        Effect::Engine(cmd) => {
            ctx.engine.send(cmd);
        }
        Effect::SaveProgress(progress) => {
            if let Some(saver) = ctx.saver.clone() {
                // Submitted here, in the loop's order; written by one
                // writer at a time, newest snapshot last.
                saver.submit(progress);
                let tx = ctx.msg_tx.clone();
                tokio::task::spawn_blocking(move || {
                    if let Err(e) = saver.flush() {
                        let _ = tx.blocking_send(Msg::Done(Err(format!(
                            "could not save progress to {}: {e}",
                            saver.path().display()
                        ))));
                    }
                });
            }
        }
        Effect::SaveHistory(lines) => {
            if let Some(store) = ctx.saver.as_ref().map(|s| s.store().clone()) {
                tokio::task::spawn_blocking(move || {
                    // History is a convenience: a failed save is not worth a notice.
                    let _ = store.save_history(&lines);
                });
            }
        }
        Effect::ListFiles => {
            let (tx, dir) = (ctx.msg_tx.clone(), ctx.workspace.clone());
            tokio::task::spawn_blocking(move || {
                let mut names: Vec<String> = std::fs::read_dir(&dir)
                    .into_iter()
                    .flatten()
                    .flatten()
                    .map(|e| {
                        let name = e.file_name().to_string_lossy().into_owned();
                        let dir = e.file_type().is_ok_and(|t| t.is_dir());
                        if dir { format!("{name}/") } else { name }
                    })
                    .collect();
                names.sort();
                let _ = tx.blocking_send(Msg::Files(names));
            });
        }
        Effect::WriteStarters(files) => {
            let tx = ctx.msg_tx.clone();
            let workspace = ctx.workspace.clone();
            tokio::task::spawn_blocking(move || {
                let _ = tx.blocking_send(Msg::Done(write_starters(&workspace, &files)));
            });
        }
        Effect::OpenEditor(_) | Effect::Suspend | Effect::Copy(_) | Effect::Quit => {}
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

/// Writes starter files that do not exist yet; never overwrites. Each file
/// is created create-new (O_EXCL): anything already at that name — a file,
/// a folder, a link even if it points nowhere — is kept and never followed.
fn write_starters(
    workspace: &std::path::Path,
    files: &[crate::lesson::AssetFile],
) -> Result<String, String> {
    use std::io::Write;
    std::fs::create_dir_all(workspace)
        .map_err(|e| format!("cannot create {}: {e}", workspace.display()))?;
    let mut written = Vec::new();
    let mut kept = Vec::new();
    for f in files {
        let path = workspace.join(&f.name);
        let created = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path);
        let mut file = match created {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                kept.push(f.name.clone());
                continue;
            }
            Err(e) => return Err(format!("cannot write {}: {e}", path.display())),
        };
        file.write_all(f.text.as_bytes())
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lesson::AssetFile;

    fn starter(name: &str) -> AssetFile {
        AssetFile {
            name: name.into(),
            text: "FROM python:3.9-slim\n".into(),
        }
    }

    /// A dangling link where a starter goes: nothing is written through it
    /// (before, `exists()` said no and the write followed the link).
    #[cfg(unix)]
    #[test]
    fn starters_never_write_through_a_dangling_link() {
        let dir = tempfile::tempdir().unwrap();
        let workspace = dir.path().join("ws");
        std::fs::create_dir(&workspace).unwrap();
        let outside = dir.path().join("outside.txt");
        std::os::unix::fs::symlink(&outside, workspace.join("Dockerfile")).unwrap();
        let said = write_starters(&workspace, &[starter("Dockerfile"), starter("app.py")]);
        assert!(!outside.exists(), "wrote through the link: {said:?}");
        let said = said.unwrap();
        assert!(said.contains("kept your Dockerfile"), "{said}");
        assert!(workspace.join("app.py").is_file());
    }
}
