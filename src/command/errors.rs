//! Kind errors for typed commands: "did you mean", the closest real flag,
//! what a missing part is for, and why a command is not run here.

use clap::CommandFactory;
use clap::error::{ContextKind, ContextValue, ErrorKind};

use super::grammar::DockerCli;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CommandError {
    #[error("type a docker command, e.g. docker build -t my-docker-app .")]
    Empty,
    #[error("a quote is not closed: close it with the same quote mark")]
    Unquoted,
    #[error("{}", not_docker_text(.typed, .suggestion.as_deref()))]
    NotDocker {
        typed: String,
        suggestion: Option<&'static str>,
    },
    #[error("docker needs a command after it, e.g. docker build, docker run or docker images")]
    NoSubcommand,
    #[error("{}", unknown_text(.typed, .suggestion.as_deref()))]
    UnknownSubcommand {
        typed: String,
        suggestion: Option<String>,
    },
    #[error(
        "{command} is a real docker command, but docktutor does not run it: \
         copy it into your own shell"
    )]
    NotHere { command: String },
    #[error("{command} has no flag {flag}{}", .suggestion.as_ref().map(|s| format!(": did you mean {s}?")).unwrap_or_default())]
    UnknownFlag {
        command: String,
        flag: String,
        suggestion: Option<String>,
    },
    #[error(
        "docker build needs the build context last, usually . (a dot): the folder whose files \
         the build may COPY, this folder minus what .dockerignore leaves out — \
         e.g. docker build -t my-docker-app ."
    )]
    MissingContext,
    #[error("{command} needs {what}")]
    Missing { command: String, what: String },
    #[error("{flag} {value}: {why}")]
    BadValue {
        flag: String,
        value: String,
        why: String,
    },
    #[error(
        "{name}: image names must be lowercase (the engine refuses capitals), e.g. {}",
        .name.to_ascii_lowercase()
    )]
    Uppercase { name: String },
    #[error("{name} is not an image name the engine takes: {why}")]
    BadImageName { name: String, why: String },
    #[error(
        "{path} is outside the workspace: the build context must be the workspace or a folder in it"
    )]
    OutsideWorkspace { path: String },
    #[error("{flag}: {why}")]
    Refused { flag: String, why: String },
    /// `--help`: clap's help text for the command.
    #[error("{0}")]
    Help(String),
    #[error("{0}")]
    Other(String),
}

fn not_docker_text(typed: &str, suggestion: Option<&str>) -> String {
    match suggestion {
        Some(s) => format!("{typed}: did you mean {s}?"),
        None => format!(
            "docktutor runs docker commands only (they start with docker); {typed} belongs in your own shell"
        ),
    }
}

fn unknown_text(typed: &str, suggestion: Option<&str>) -> String {
    match suggestion {
        Some(s) => format!("docker has no command {typed}: did you mean docker {s}?"),
        None => format!("docker has no command {typed}"),
    }
}

/// The commands docktutor runs, and those of `docker image` and `docker system`.
const OURS: &[&str] = &[
    "build", "run", "images", "image", "ps", "logs", "stop", "rm", "rmi", "tag", "history",
    "system",
];
const IMAGE_OURS: &[&str] = &[
    "ls", "list", "rm", "remove", "inspect", "history", "tag", "prune", "build",
];
const SYSTEM_OURS: &[&str] = &["df"];
/// Real docker commands docktutor does not run (it offers them for a shell).
const REAL: &[&str] = &[
    "attach",
    "builder",
    "buildx",
    "commit",
    "compose",
    "config",
    "container",
    "context",
    "cp",
    "create",
    "diff",
    "events",
    "exec",
    "export",
    "import",
    "info",
    "init",
    "inspect",
    "kill",
    "load",
    "login",
    "logout",
    "manifest",
    "network",
    "node",
    "pause",
    "plugin",
    "port",
    "pull",
    "push",
    "rename",
    "restart",
    "save",
    "scout",
    "search",
    "secret",
    "service",
    "stack",
    "start",
    "stats",
    "swarm",
    "top",
    "trust",
    "unpause",
    "update",
    "version",
    "volume",
    "wait",
];
const IMAGE_REAL: &[&str] = &["import", "load", "pull", "push", "save"];
const SYSTEM_REAL: &[&str] = &["events", "info", "prune"];

/// The closest of `candidates` to `typed`, when it is close enough to be a typo.
pub fn closest<'a>(typed: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = if typed.len() <= 3 { 1 } else { 2 };
    candidates
        .into_iter()
        .map(|c| (strsim::damerau_levenshtein(typed, c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

pub(super) fn not_docker(program: &str) -> CommandError {
    CommandError::NotDocker {
        typed: program.to_string(),
        suggestion: closest(program, ["docker"]).map(|_| "docker"),
    }
}

/// `docker biuld` → did you mean; `docker exec` → not run here.
pub(super) fn known_subcommand(words: &[String]) -> Result<(), CommandError> {
    let Some(sub) = words.get(1) else {
        return Err(CommandError::NoSubcommand);
    };
    let group = |ours: &[&str], real: &[&str], prefix: &str, next: Option<&String>| {
        let Some(word) = next else {
            return Err(CommandError::Missing {
                command: prefix.to_string(),
                what: format!("a command after it: {}", ours.join(", ")),
            });
        };
        if ours.contains(&word.as_str()) || word.starts_with('-') {
            return Ok(());
        }
        if real.contains(&word.as_str()) {
            return Err(CommandError::NotHere {
                command: format!("{prefix} {word}"),
            });
        }
        Err(CommandError::UnknownSubcommand {
            typed: format!("{} {word}", prefix.trim_start_matches("docker ")),
            suggestion: closest(word, ours.iter().chain(real).copied())
                .map(|s| format!("{} {s}", prefix.trim_start_matches("docker "))),
        })
    };
    match sub.as_str() {
        "image" => group(IMAGE_OURS, IMAGE_REAL, "docker image", words.get(2)),
        "system" => group(SYSTEM_OURS, SYSTEM_REAL, "docker system", words.get(2)),
        s if OURS.contains(&s) => Ok(()),
        "--help" | "-h" => Ok(()),
        s if REAL.contains(&s) || s.starts_with('-') => Err(CommandError::NotHere {
            command: format!("docker {s}"),
        }),
        s => Err(CommandError::UnknownSubcommand {
            typed: s.to_string(),
            suggestion: closest(s, OURS.iter().chain(REAL).copied()).map(str::to_string),
        }),
    }
}

/// The clap command for the typed subcommand (`docker image ls` → `ls`'s).
pub fn subcommand_for(words: &[String]) -> (String, clap::Command) {
    let mut cmd = DockerCli::command();
    let mut name = "docker".to_string();
    for w in words.iter().skip(1).take(2) {
        let Some(sub) = cmd.find_subcommand(w).cloned() else {
            break;
        };
        name = format!("{name} {}", sub.get_name());
        let more = sub.has_subcommands();
        cmd = sub;
        if !more {
            break;
        }
    }
    (name, cmd)
}

fn context_strings(e: &clap::Error, kind: ContextKind) -> Vec<String> {
    match e.get(kind) {
        Some(ContextValue::String(s)) => vec![s.clone()],
        Some(ContextValue::Strings(v)) => v.clone(),
        _ => Vec::new(),
    }
}

pub(super) fn from_clap(e: &clap::Error, words: &[String]) -> CommandError {
    let (command, cmd) = subcommand_for(words);
    match e.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            CommandError::Help(e.render().to_string())
        }
        ErrorKind::UnknownArgument => {
            let typed = context_strings(e, ContextKind::InvalidArg)
                .into_iter()
                .next()
                .unwrap_or_default();
            let flag = typed.split('=').next().unwrap_or(&typed).to_string();
            let flags: Vec<String> = cmd
                .get_arguments()
                .flat_map(|a| {
                    let long = a.get_long().map(|l| format!("--{l}"));
                    let short = a.get_short().map(|s| format!("-{s}"));
                    long.into_iter().chain(short)
                })
                .collect();
            CommandError::UnknownFlag {
                suggestion: closest(&flag, flags.iter().map(String::as_str)).map(str::to_string),
                command,
                flag,
            }
        }
        ErrorKind::MissingRequiredArgument if command == "docker build" => {
            CommandError::MissingContext
        }
        ErrorKind::MissingRequiredArgument => {
            let what = context_strings(e, ContextKind::InvalidArg).join(" and ");
            CommandError::Missing { command, what }
        }
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            let flag = context_strings(e, ContextKind::InvalidArg).join(" ");
            let value = context_strings(e, ContextKind::InvalidValue).join(" ");
            let valid = context_strings(e, ContextKind::ValidValue);
            let why = if valid.is_empty() {
                "not a value it takes".to_string()
            } else {
                format!("it takes {}", valid.join(", "))
            };
            CommandError::BadValue { flag, value, why }
        }
        _ => {
            let text = e.kind().as_str().unwrap_or("not a command docktutor reads");
            CommandError::Other(format!("{command}: {text}"))
        }
    }
}
