//! Plain mode (`docktutor --plain`, and whenever `TERM=dumb` or stdout is
//! not a terminal): the same course without the full-screen UI, for screen
//! readers, braille displays, serial consoles and logged sessions.
//!
//! Nothing but plain text is written: no alternate screen, no raw mode (the
//! terminal's own line editing reads the commands), no colour, no cursor
//! movement, no escape sequence at all. The lesson is wrapped text, checks
//! are numbered lines saying PASS or FAIL, build and run output streams as
//! lines, and a `docktutor> ` prompt reads one command per line
//! ([`commands`]).
//!
//! The course itself is the app's: the same [`Model`] and `update` (the
//! commands are its keys by name), the same effects (`app::effects`), the
//! same engine task, file watching, signals and progress file. Only the
//! view is different ([`view`]): it writes what changed in the model.

mod commands;
mod markdown;
mod text;
mod view;

use std::collections::VecDeque;
use std::io::{BufRead, IsTerminal};
use std::time::{Duration, Instant};

use tokio::sync::mpsc;

use crate::app::effects::{self, Ctx};
use crate::app::{Config, signals::Signals, watch::Watcher};
use crate::engine::EngineMsg;
use crate::state::{self, Effect, Model, Msg};
use view::Printer;

/// Whether the app runs plain: asked for, or no terminal that can show
/// the full-screen UI (`TERM=dumb`, or stdout is a file or a pipe).
pub fn wanted(flag: bool) -> bool {
    flag || std::env::var("TERM").is_ok_and(|t| t == "dumb") || !std::io::stdout().is_terminal()
}

/// How long a command waits for a check run's answer, a starter write, the
/// engine's facts after a job, and its images after `images`: answers that
/// never come (facts that did not change are not sent) cannot stall it.
const CHECK_PATIENCE: Duration = Duration::from_secs(20);
const FACTS_PATIENCE: Duration = Duration::from_secs(3);

/// What the loop knows beyond the model.
struct Session {
    /// Lines read and not yet done: each waits until nothing runs.
    lines: VecDeque<String>,
    /// The input ended: quit once the queued lines are done.
    eof: bool,
    /// A check run asked for (lesson, generation) and not answered yet:
    /// commands wait for it, so `next` after `build` sees its checks first.
    checking: Option<(usize, u64, Instant)>,
    /// Starter files are being written: `write` then an edit must not race.
    writing: Option<Instant>,
    /// A job ended: the engine's new facts (the image built, the run
    /// recorded) are still to come, and the checks they answer.
    facts: Option<Instant>,
    /// Write the images when the engine's next facts come in (or, the
    /// facts being unchanged, when none came in time).
    images: Option<Instant>,
    /// Input is a terminal, which echoes what is typed; otherwise (a script)
    /// each command is written after the prompt, so the log reads whole.
    echoed: bool,
}

impl Session {
    /// The earliest moment a wait gives up.
    fn deadline(&self) -> Option<Instant> {
        [
            self.checking.map(|(_, _, at)| at),
            self.writing,
            self.facts,
            self.images,
        ]
        .into_iter()
        .flatten()
        .min()
    }

    /// Forgets the waits that are over; returns whether the images were due.
    fn expire(&mut self, now: Instant) -> bool {
        let over = |at: &mut Option<Instant>| at.take_if(|at| *at <= now).is_some();
        if self.checking.is_some_and(|(_, _, at)| at <= now) {
            self.checking = None;
        }
        over(&mut self.writing);
        over(&mut self.facts);
        over(&mut self.images)
    }

    fn idle(&self, model: &Model) -> bool {
        model.job.is_none()
            && model.queue.is_empty()
            && !model.waiting_for_engine
            && self.deadline().is_none()
    }
}

pub async fn run(config: Config) -> anyhow::Result<()> {
    let (mut model, saver, _start_notice) = crate::app::start(&config);
    let mut printer = Printer::new(std::io::stdout(), view::width());
    model.size = (printer.width().min(u16::MAX as usize) as u16, 24);
    model.now = crate::progress::unix_now() as i64;
    let clock = Instant::now();

    let (msg_tx, mut msg_rx) = mpsc::channel::<Msg>(256);
    let (engine_tx, mut engine_rx) = mpsc::channel(256);
    let engine = crate::docker::spawn(config.env.clone(), config.lessons.watch(), engine_tx);
    printer.lines(["docktutor in plain mode: type help for the commands, quit to leave."])?;
    let mut watcher = match Watcher::start(&config.workspace, msg_tx.clone()) {
        Ok(w) => Some(w),
        Err(e) => {
            printer.say(&format!(
                "file watching is off ({e}); type check to re-check"
            ))?;
            None
        }
    };
    let mut signals = Signals::new()?;
    let (line_tx, mut line_rx) = mpsc::channel(16);
    read_lines(line_tx);

    let mut ctx = Ctx {
        engine,
        msg_tx: msg_tx.clone(),
        saver,
        workspace: config.workspace.clone(),
    };
    printer.say(&format!(
        "your project folder: {}",
        config.workspace.display()
    ))?;
    printer.problems(&model)?;
    let mut pending = Vec::new();
    if model.overlay.is_some() {
        // The lessons that failed to load were just said: close their popup.
        pending.extend(state::update(
            &mut model,
            Msg::Key(ratatui::crossterm::event::KeyEvent::from(
                ratatui::crossterm::event::KeyCode::Esc,
            )),
        ));
    }
    pending.push(state::update::check_effect(&mut model));
    let mut session = Session {
        lines: VecDeque::new(),
        eof: false,
        checking: None,
        writing: None,
        facts: None,
        images: None,
        echoed: std::io::stdin().is_terminal(),
    };
    loop {
        for effect in pending.drain(..) {
            perform(&mut ctx, effect, &mut model, &mut printer, &mut session)?;
        }
        printer.observe(&model)?;
        if model.quit {
            break;
        }
        if session.idle(&model) {
            if let Some(line) = session.lines.pop_front() {
                if !session.echoed {
                    printer.prompt()?;
                    printer.echo(&line)?;
                }
                let applied = commands::apply(commands::parse(&line), &mut model, &mut printer)?;
                if applied.images {
                    session.images = Some(Instant::now() + FACTS_PATIENCE);
                }
                pending.extend(applied.effects);
                continue;
            }
            if session.eof {
                pending.extend(state::update(&mut model, Msg::Terminate));
                continue;
            }
            printer.prompt()?;
        }

        let deadline = session.deadline();
        let msg = tokio::select! {
            biased;
            Some(m) = msg_rx.recv() => m,
            Some(m) = engine_rx.recv() => Msg::Engine(m),
            m = signals.recv() => m,
            line = line_rx.recv(), if !session.eof => {
                match line {
                    Some(line) => {
                        if session.echoed {
                            printer.answered();
                        }
                        let command = commands::parse(&line);
                        if commands::is_immediate(&command) {
                            let applied = commands::apply(command, &mut model, &mut printer)?;
                            pending.extend(applied.effects);
                        } else {
                            if !session.idle(&model) && session.echoed {
                                printer.say("(after the running step; type stop to stop it)")?;
                            }
                            session.lines.push_back(line);
                        }
                    }
                    None => session.eof = true,
                }
                continue;
            }
            _ = tokio::time::sleep_until(deadline.unwrap_or_else(Instant::now).into()), if deadline.is_some() => {
                if session.expire(Instant::now()) {
                    printer.images(&model)?;
                }
                continue;
            }
        };
        if matches!(msg, Msg::FilesChanged)
            && let Some(w) = watcher.as_mut()
        {
            w.refresh();
        }
        if let (
            Msg::Checked {
                generation, lesson, ..
            },
            Some((l, g, _)),
        ) = (&msg, session.checking)
            && (*lesson, *generation) == (l, g)
        {
            session.checking = None;
        }
        match &msg {
            // The answer of a write (or of a failed save, which ends nothing).
            Msg::Done(_) => session.writing = None,
            Msg::Engine(EngineMsg::JobDone(_)) if model.engine_connected() => {
                session.facts = Some(Instant::now() + FACTS_PATIENCE);
            }
            Msg::Engine(EngineMsg::Facts(_)) => session.facts = None,
            _ => {}
        }
        let facts = matches!(msg, Msg::Engine(EngineMsg::Facts(_)));
        model.now = crate::progress::unix_now() as i64;
        model.clock_ms = clock.elapsed().as_millis() as u64;
        pending.extend(state::update(&mut model, msg));
        if facts && session.images.take().is_some() {
            printer.observe(&model)?;
            printer.images(&model)?;
        }
    }
    printer.lines([if model.progress_file.is_some() {
        "Bye: your progress is saved."
    } else {
        "Bye."
    }])?;
    drop(engine_rx);
    ctx.engine.shutdown(Duration::from_secs(5)).await;
    drop(watcher);
    Ok(())
}

/// Carries out an effect: the terminal-free ones as the app does, the
/// others in plain words.
fn perform(
    ctx: &mut Ctx,
    effect: Effect,
    model: &mut Model,
    printer: &mut Printer<std::io::Stdout>,
    session: &mut Session,
) -> std::io::Result<()> {
    match effect {
        Effect::Quit => model.quit = true,
        Effect::OpenEditor(path) => printer.say(&format!(
            "plain mode opens no editor: edit {} in your own; the checks follow your saves",
            path.display()
        ))?,
        Effect::Suspend => {
            // Ctrl-Z: stop as a line-mode program does, until `fg`.
            #[cfg(unix)]
            let _ = signal_hook::low_level::raise(signal_hook::consts::SIGSTOP);
            let _ = ctx.msg_tx.try_send(Msg::Resumed);
        }
        // No clipboard: the line was said with the prompt's reason.
        Effect::Copy(_) => {}
        effect => {
            if matches!(effect, Effect::WriteStarters(_)) {
                session.writing = Some(Instant::now() + CHECK_PATIENCE);
            }
            if let Effect::RunChecks {
                generation, lesson, ..
            } = &effect
            {
                session.checking = Some((*lesson, *generation, Instant::now() + CHECK_PATIENCE));
            }
            effects::background(ctx, effect, model);
        }
    }
    Ok(())
}

/// Reads stdin a line at a time on its own thread (`None`: the input ended).
fn read_lines(tx: mpsc::Sender<String>) {
    std::thread::spawn(move || {
        let stdin = std::io::stdin();
        let mut buf = Vec::new();
        loop {
            buf.clear();
            match stdin.lock().read_until(b'\n', &mut buf) {
                Ok(0) | Err(_) => break,
                Ok(_) => {
                    let line = String::from_utf8_lossy(&buf).trim().to_string();
                    if tx.blocking_send(line).is_err() {
                        break;
                    }
                }
            }
        }
        // Dropping the sender is the end of input.
    });
}
