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
mod run;
mod tar_stream;

pub use build::build;
pub use connect::{Attempt, Connection, EngineInfo, connect};
pub use engine::{EngineCmd, EngineHandle, EngineMsg, EngineStatus, spawn};
pub use facts::gather;
pub use job::{BuildFailure, JobEvent, JobOutcome};
pub use load::load;
pub use run::{LABEL, run};
