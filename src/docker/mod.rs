//! Everything that talks to the Docker engine. This is the only module that
//! imports bollard; the rest of the app sees plain data ([`EngineMsg`],
//! [`JobEvent`], [`crate::check::EngineFacts`]).

mod build;
pub mod connect;
pub mod discover;
pub mod doctor;
mod engine;
mod events;
mod facts;
pub mod job;
mod load;
mod probe;
mod reset;
mod run;
mod scan;
mod tar_stream;
mod tidy;

pub use build::build;
pub use connect::{Attempt, Connection, EngineInfo, connect};
pub use engine::{EngineCmd, EngineHandle, EngineMsg, EngineStatus, spawn};
pub use facts::{Known, Watch, gather};
pub use job::{BuildFailure, JobEvent, JobOutcome};
pub use load::load;
pub use reset::remove_labelled_containers;
pub use run::{LABEL, RunOptions, parse_memory, run};
pub use scan::scan_job;
pub use tidy::tidy;
