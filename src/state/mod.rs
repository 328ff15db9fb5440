//! The app's state and its pure `update` — the Elm architecture: messages
//! in, effects out, no I/O. Everything here is unit-tested without a
//! terminal or an engine.

pub mod keys;
pub mod model;
pub mod msg;
pub mod update;

pub use model::{Job, JobKind, Model, Notice, OutputView, Overlay, Pane};
pub use msg::{Effect, Msg};
pub use update::update;
