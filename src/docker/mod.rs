//! Everything that talks to the Docker engine. This is the only module that
//! imports bollard. It implements the contract in [`crate::engine`]: the
//! rest of the app sees only that plain data (commands in, facts, job events
//! and outcomes out). It imports nothing from `check`, `lesson` or `state`.

mod build;
pub mod buildkit;
pub mod connect;
pub mod discover;
pub mod doctor;
mod engine;
mod events;
mod facts;
mod healthcheck;
mod last_run;
pub mod learner;
mod listing;
mod load;
mod probe;
mod reset;
mod run;
mod scan;
pub mod session;
#[cfg(unix)]
mod ssh_dial;
mod tar_stream;
mod tidy;
pub mod trivy;
mod typed;

pub use build::{BuilderState, build, build_with};
pub use connect::{Connection, connect};
pub use engine::{EngineHandle, spawn};
pub use facts::{Known, gather};
pub use last_run::latest_run;
pub use load::load;
pub use reset::{remove_labelled_containers, remove_namespace_images};
pub use run::{LABEL, run};
pub use scan::scan_job;
pub use tidy::tidy;
pub use typed::typed;
