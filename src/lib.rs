//! docktutor: learn to build your first container image, for real.
pub mod app;
pub mod check;
pub mod cli;
pub mod command;
pub mod context;
pub mod diagnose;
pub mod docker;
pub mod dockerfile;
pub mod engine;
pub mod lesson;
pub mod lint;
pub mod output;
pub mod progress;
pub mod report;
pub mod state;
pub mod text;
pub mod ui;
