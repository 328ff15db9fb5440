//! The engine contract: everything the app says to and hears from a
//! container engine, as plain data with no bollard in it.
//!
//! `check` and `state` depend on this module; `docker` implements it. The
//! imports run one way: `docker` → `engine`, never `docker` → `check`,
//! `lesson` or `state`, and never `check` → `docker`.
//!
//! - [`facts`]: what the engine told us (images, runs, builds, probes), read by checks;
//! - [`builder`]: which builder builds go through, and why;
//! - [`command`]: what the UI asks for ([`EngineCmd`], [`RunOptions`]);
//! - [`job`]: how a build or run goes and ends ([`JobEvent`], [`JobOutcome`]);
//! - [`status`]: messages back to the UI ([`EngineMsg`], [`EngineStatus`]);
//! - [`watch`]: what the lessons want watched;
//! - [`scan`]: what a vulnerability scan's severities mean;
//! - [`container`]: whether docktutor itself runs in a container, and what
//!   that changes in its advice.

pub mod builder;
pub mod command;
pub mod container;
pub mod facts;
pub mod job;
pub mod scan;
pub mod status;
pub mod watch;

pub use builder::{Builder, BuilderChoice};
pub use command::{BuildOptions, EngineCmd, Health, RunOptions, parse_duration, parse_memory};
pub use facts::{
    BuildRecord, BuildStep, EngineFacts, ImageDetail, ImageInfo, Probe, ProbeAnswer, ProbeKind,
    ProbeResult, RunRecord, RunSource, ScanResult, normalize_ref,
};
pub use job::{BuildFailure, JobEvent, JobOutcome};
pub use status::{Attempt, EngineInfo, EngineMsg, EngineStatus, Flavour};
pub use watch::Watch;
