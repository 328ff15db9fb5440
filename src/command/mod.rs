//! Docker command lines the learner types (`docker build -t my-docker-app .`):
//! parsed with the docker CLI's grammar into a plain-data meaning, explained
//! part by part, compared by meaning, and refused kindly when they are
//! mistyped or dangerous. No engine here: `cli/exec.rs` and the TUI's prompt
//! run the meaning through the engine code the keys use.
//!
//! - [`grammar`]: the clap definitions (their help texts are the explanations);
//! - [`meaning`]: [`DockerCommand`] and equivalence;
//! - [`explain`]: what each typed part means, even while half-typed;
//! - [`errors`]: [`CommandError`], with "did you mean";
//! - [`safety`]: refused flags and image-name rules;
//! - [`format`]: `docker image inspect --format` templates.

pub mod errors;
pub mod explain;
pub mod format;
pub mod grammar;
pub mod meaning;
pub mod safety;

#[cfg(test)]
mod tests;

use std::path::Path;

use clap::Parser;

pub use errors::CommandError;
pub use explain::{Part, PartKind, explain};
pub use meaning::{Build, Difference, DockerCommand, Publish, Run};

/// A line the learner typed, split into words as a shell would (quotes
/// removed; no variables, globs or pipes: nothing here runs a shell).
pub fn words(line: &str) -> Result<Vec<String>, CommandError> {
    shlex::split(line).ok_or(CommandError::Unquoted)
}

/// Parses a typed line. `workspace` is the folder paths are resolved
/// against (the build context, `-v` sources).
pub fn parse(line: &str, workspace: &Path) -> Result<DockerCommand, CommandError> {
    parse_words(&words(line)?, workspace)
}

/// [`parse`] of a line already split into words (`docktutor exec -- docker …`).
pub fn parse_words(words: &[String], workspace: &Path) -> Result<DockerCommand, CommandError> {
    let Some(program) = words.first() else {
        return Err(CommandError::Empty);
    };
    if program != "docker" {
        return Err(errors::not_docker(program));
    }
    errors::known_subcommand(words)?;
    let cli =
        grammar::DockerCli::try_parse_from(words).map_err(|e| errors::from_clap(&e, words))?;
    DockerCommand::from_grammar(cli.command, workspace)
}
