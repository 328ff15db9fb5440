//! Messages into `update`, and the effects it asks the app loop to perform.

use std::path::PathBuf;

use ratatui::crossterm::event::{KeyEvent, MouseEvent};

use super::viewport::Viewport;
use crate::check::Outcome;
use crate::engine::{EngineCmd, EngineFacts, EngineMsg};
use crate::lesson::AssetFile;
use crate::progress::Progress;

#[derive(Debug)]
pub enum Msg {
    Key(KeyEvent),
    Mouse(MouseEvent),
    Resize(u16, u16),
    /// The panes as a draw just left them (sent by the loop after each draw).
    Drawn(Viewport),
    /// Text pasted into the terminal (bracketed paste): it goes to the `:`
    /// prompt, never to the keys.
    Paste(String),
    Engine(EngineMsg),
    /// A workspace file changed (debounced).
    FilesChanged,
    /// The answer to `Effect::RunChecks` (stale unless its `generation`
    /// is the lesson's newest request).
    Checked {
        generation: u64,
        lesson: usize,
        outcomes: Vec<Outcome>,
        /// When the checks ran (Unix seconds), for the progress file.
        at: u64,
        /// The linter's view of the workspace's Dockerfile, if there is one.
        lint: Option<Result<Vec<crate::lint::Finding>, String>>,
    },
    /// Animation tick, only while something runs.
    Tick,
    /// SIGTERM / SIGHUP / SIGINT from outside: leave now, tidily.
    Terminate,
    /// Result of an effect that the learner should hear about.
    Done(Result<String, String>),
    /// Back from $EDITOR or from a suspend: everything must be redrawn.
    Resumed,
    /// The workspace's file names (the answer to `Effect::ListFiles`).
    Files(Vec<String>),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    RunChecks {
        /// Numbers the run; its answer carries the number back.
        generation: u64,
        lesson: usize,
        facts: Option<EngineFacts>,
        engine_missing: String,
        /// The commands typed at the prompt that ran (`Progress::typed`).
        typed: Vec<String>,
    },
    Engine(EngineCmd),
    SaveProgress(Progress),
    /// Keep the prompt's history beside the progress file.
    SaveHistory(Vec<String>),
    /// Read the workspace's file names for completion (`Msg::Files`).
    ListFiles,
    /// Put this text on the terminal's clipboard (OSC 52; terminals that
    /// do not allow it ignore it, and the prompt shows the text as well).
    Copy(String),
    OpenEditor(PathBuf),
    WriteStarters(Vec<AssetFile>),
    Suspend,
    Quit,
}
