//! The app's state and its pure `update` — the Elm architecture: messages
//! in, effects out, no I/O. Everything here is unit-tested without a
//! terminal or an engine.
//!
//! Nothing here knows how the screen looks: notes in the output carry a
//! meaning, not a colour, and the panes' sizes come in from the last draw
//! as a [`Viewport`]. Only crossterm's key and mouse events are used.

pub mod check_runs;
pub mod keys;
pub mod model;
pub mod msg;
pub mod prompt;
pub mod prompt_keys;
pub mod screen;
pub mod update;
pub mod viewport;

pub use check_runs::CheckRuns;
pub use keys::KeyAction;
pub use model::{Job, JobKind, Model, Notice, OutputView, Overlay, Pane};
pub use msg::{Effect, Msg};
pub use update::update;
pub use viewport::{PaneFigures, Region, Viewport};
