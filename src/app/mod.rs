//! The event loop: terminal input, engine messages, file changes and
//! signals go into `update`; the effects it returns are carried out here.
//! The screen is redrawn only when `update` said something on it changed
//! (`Model::needs_draw`), and each draw's figures go back in as `Msg::Drawn`.

pub(crate) mod effects;
pub mod input;
pub(crate) mod signals;
pub mod terminal;
pub(crate) mod watch;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{BeginSynchronizedUpdate, EndSynchronizedUpdate};
use tokio::sync::mpsc;

use crate::docker::discover::Env;
use crate::lesson::LessonSet;
use crate::output::Scrollback;
use crate::progress::Store;
use crate::state::{self, Effect, Model, Msg};
use crate::ui::{self, Ui};

pub struct Config {
    pub workspace: PathBuf,
    pub lessons: LessonSet,
    pub env: Env,
    pub store: Option<Store>,
    /// Said once at the start (e.g. which folder is the project folder).
    pub notice: Option<String>,
    pub scrollback: usize,
    /// Hidden test switch: panic after the first frame.
    pub panic_after_first_frame: bool,
}

/// While messages keep coming (a flood of output), draw at most this often.
const FRAME_BUDGET: Duration = Duration::from_millis(33);
/// How often the spinner turns while a job runs.
const TICK: Duration = Duration::from_millis(120);

/// The model a session starts with (progress and history loaded, the
/// start notice shown), where progress is saved, and the start notice that
/// must outlive the first check result's own notice. The full-screen app
/// and plain mode (`crate::plain`) start the same way.
pub(crate) fn start(config: &Config) -> (Model, Option<crate::progress::Saver>, Option<String>) {
    let (progress, recovered, saver) = match &config.store {
        Some(store) => {
            let loaded = store.load();
            // A progress file that could not be read is kept as it is: this
            // session saves nowhere (the notice says so).
            let saver = loaded
                .may_save()
                .then(|| crate::progress::Saver::new(store.clone()));
            let (progress, recovered) = loaded.into_parts();
            (progress, recovered, saver)
        }
        None => (Default::default(), None, None),
    };
    let mut model = Model::new(
        config.lessons.lessons.clone(),
        config.lessons.errors.clone(),
        config.workspace.clone(),
        progress,
        Scrollback::new(config.scrollback, crate::output::DEFAULT_MAX_LINE_LEN),
    );
    model.progress.workspace = config.workspace.display().to_string();
    model.solutions_hidden = config.lessons.hide_solutions;
    model.namespace.clone_from(&config.lessons.namespace);
    if let Some(store) = &config.store {
        model.prompt.history = store.load_history();
    }
    model.progress_file = config
        .store
        .as_ref()
        .map(|s| s.path().display().to_string());
    if let Some(message) = recovered {
        model.notice = Some(state::Notice {
            text: message,
            error: true,
        });
    }
    // The start notice outlives the first check result's own notice
    // ("lesson passed"), which would otherwise replace it at once.
    let start_notice = config.notice.clone();
    if let (Some(text), None) = (&start_notice, &model.notice) {
        model.notice = Some(state::Notice {
            text: text.clone(),
            error: false,
        });
    }
    (model, saver, start_notice)
}

pub async fn run(config: Config) -> anyhow::Result<()> {
    let (mut model, saver, mut start_notice) = start(&config);
    terminal::install_panic_hook();
    let mut ui = Ui::new(ui::theme::Theme::from_env());
    let mut term = terminal::enter()?;
    let _guard = terminal::Guard;
    let size = term.size()?;
    model.size = (size.width, size.height);
    model.now = now();
    let clock = Instant::now();

    let (msg_tx, mut msg_rx) = mpsc::channel::<Msg>(256);
    let (engine_tx, mut engine_rx) = mpsc::channel(256);
    let input = input::Input::spawn(msg_tx.clone());
    let engine = crate::docker::spawn(config.env.clone(), config.lessons.watch(), engine_tx);
    let mut watcher = match watch::Watcher::start(&config.workspace, msg_tx.clone()) {
        Ok(w) => Some(w),
        Err(e) => {
            model.notice = Some(state::Notice {
                text: format!("file watching is off ({e}); press c to re-check"),
                error: true,
            });
            None
        }
    };
    let mut signals = signals::Signals::new()?;
    let mut tick = tokio::time::interval(TICK);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);

    let mut ctx = effects::Ctx {
        engine,
        msg_tx: msg_tx.clone(),
        saver,
        workspace: config.workspace.clone(),
    };
    let mut pending = vec![state::update::check_effect(&mut model)];
    let mut first_frame = true;
    // Set when drawing failed: the terminal is gone (hung up) or broken.
    let mut draw_failed: Option<std::io::Error> = None;
    loop {
        for effect in pending.drain(..) {
            if effect == Effect::Quit {
                model.quit = true;
                continue;
            }
            // Effects that hand the terminal to another program (editor,
            // suspend) come back with a fresh terminal that redraws whole.
            if effects::run(&mut ctx, &input, effect, &mut term, &mut model).await {
                model.needs_draw = true;
            }
        }
        if model.quit {
            break;
        }
        if draw_failed.is_none() && std::mem::take(&mut model.needs_draw) {
            match draw(&mut term, &mut ui, &model) {
                Ok(viewport) => pending.extend(state::update(&mut model, Msg::Drawn(viewport))),
                Err(e) => {
                    // A closed window hangs the terminal up: writes fail, often
                    // before SIGHUP is read. Leave as on SIGHUP — stop the job,
                    // remove its container, save progress — and draw no more.
                    draw_failed = Some(e);
                    pending.extend(state::update(&mut model, Msg::Terminate));
                    continue;
                }
            }
        }
        if first_frame {
            first_frame = false;
            if config.panic_after_first_frame {
                panic!("forced panic (DOCKTUTOR_DEBUG_PANIC) to test terminal restore");
            }
        }

        // Wait for the next message, then take what else is already queued,
        // up to a frame's worth of time, before drawing again.
        let started = Instant::now();
        let mut msg = tokio::select! {
            biased;
            Some(m) = msg_rx.recv() => m,
            Some(m) = engine_rx.recv() => Msg::Engine(m),
            m = signals.recv() => m,
            _ = tick.tick(), if model.wants_tick() => Msg::Tick,
        };
        loop {
            if matches!(msg, Msg::FilesChanged)
                && let Some(w) = watcher.as_mut()
            {
                w.refresh();
            }
            model.now = now();
            model.clock_ms = clock.elapsed().as_millis() as u64;
            pending.extend(state::update(&mut model, msg));
            if let Some(text) = &start_notice
                && model
                    .results
                    .get(model.current)
                    .is_some_and(Option::is_some)
            {
                if let Some(n) = model
                    .notice
                    .as_mut()
                    .filter(|n| !n.error && n.text != *text)
                {
                    n.text = format!("{} · {text}", n.text);
                }
                start_notice = None;
            }
            if !pending.is_empty() || started.elapsed() >= FRAME_BUDGET {
                break;
            }
            msg = match msg_rx.try_recv() {
                Ok(m) => m,
                Err(_) => match engine_rx.try_recv() {
                    Ok(m) => Msg::Engine(m),
                    Err(_) => break,
                },
            };
        }
    }
    // Let a cancelled run remove its container before we go.
    drop(engine_rx);
    ctx.engine.shutdown(Duration::from_secs(5)).await;
    drop(watcher);
    match draw_failed {
        Some(e) => Err(anyhow::Error::new(e).context("the terminal went away")),
        None => Ok(()),
    }
}

fn draw(
    term: &mut ratatui::DefaultTerminal,
    ui: &mut Ui,
    model: &Model,
) -> std::io::Result<state::Viewport> {
    // Synchronized output: the terminal shows the frame whole, never torn.
    execute!(std::io::stdout(), BeginSynchronizedUpdate)?;
    let mut viewport = state::Viewport::default();
    let result = term
        .draw(|f| viewport = ui.draw(f, model))
        .map(|_| viewport);
    execute!(std::io::stdout(), EndSynchronizedUpdate)?;
    result
}

fn now() -> i64 {
    crate::progress::unix_now() as i64
}
