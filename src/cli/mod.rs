//! The command line: the TUI by default (plain mode, `crate::plain`, with
//! `--plain` or where there is no terminal for it), and headless subcommands
//! that run the same code paths for instructors, scripts, tests and benchmarks.

mod answers;
mod bundle;
mod check;
mod check_format;
mod doctor;
mod engine;
mod exec;
mod generate;
mod learner;
mod lessons;
pub mod lint;
mod report;
mod reset;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::docker::discover::Env;
use crate::lesson::LessonSet;
use crate::progress::Store;

/// `docktutor --version`: the version and the commit it was built from
/// (see build.rs).
const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (",
    env!("DOCKTUTOR_COMMIT"),
    ")"
);

#[derive(Parser, Debug)]
#[command(
    name = "docktutor",
    version = VERSION,
    about = "Learn to build your first Docker image — for real, against your own Docker engine.",
    after_help = "Run with no command to open the tutorial. Keys: press ? inside the app."
)]
pub struct Cli {
    /// The project folder you work in [default: ./my-docker-app, or the
    /// folder you are in when it holds the project's files]
    #[arg(long, global = true, value_name = "DIR")]
    pub workdir: Option<PathBuf>,
    /// Load lessons from this folder instead of the course
    #[arg(long, global = true, value_name = "DIR")]
    pub lessons: Option<PathBuf>,
    /// The course file [default: course.toml in the project folder or its parent]
    #[arg(long, global = true, value_name = "FILE", conflicts_with = "lessons")]
    pub course: Option<PathBuf>,
    /// Add this folder's lessons after the course's (built-in or course.toml)
    #[arg(long, global = true, value_name = "DIR")]
    pub add_lessons: Option<PathBuf>,
    /// Exam mode: no solution view (hints stay)
    #[arg(long, global = true)]
    pub no_solutions: bool,
    /// Who is learning [default: $DOCKTUTOR_LEARNER, else the login name].
    /// On a shared engine (DOCKTUTOR_SHARED=1, an engine on another
    /// machine, or one holding another learner's images) your images are
    /// NAME/…
    #[arg(long, global = true, value_name = "NAME")]
    pub learner: Option<String>,
    /// The Docker engine to use (like docker -H), e.g. unix:///var/run/docker.sock
    #[arg(long, short = 'H', global = true, value_name = "URL")]
    pub host: Option<String>,
    /// Build with this builder (like DOCKER_BUILDKIT=1 or 0) [default: BuildKit where the engine has it]
    #[arg(long, global = true, value_enum, value_name = "BUILDER")]
    pub builder: Option<BuilderArg>,
    /// No full-screen UI: plain text and a line prompt, for screen readers,
    /// braille displays, serial consoles and logs [default when TERM=dumb
    /// or stdout is not a terminal]
    #[arg(long)]
    pub plain: bool,
    /// Lines of build/run output kept in the output pane
    #[arg(long, default_value_t = crate::output::DEFAULT_MAX_LINES, value_name = "LINES")]
    pub scrollback: usize,
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// `--builder classic|buildkit`.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum BuilderArg {
    Classic,
    Buildkit,
}

impl From<BuilderArg> for crate::engine::Builder {
    fn from(b: BuilderArg) -> Self {
        match b {
            BuilderArg::Classic => crate::engine::Builder::Classic,
            BuilderArg::Buildkit => crate::engine::Builder::BuildKit,
        }
    }
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run the lessons' checks without the UI (exit 0 only if all pass)
    Check {
        /// Lesson ids or numbers (default: all)
        #[arg(value_name = "LESSON")]
        only: Vec<String>,
        /// Print JSON instead of text (same as --format json)
        #[arg(long, conflicts_with = "format")]
        json: bool,
        /// text, json (schema in the README's "For instructors") or junit (XML)
        #[arg(long, value_enum, value_name = "FORMAT")]
        format: Option<check_format::Format>,
        /// Also do the lessons' runs first (as the app's keys do) and save
        /// the lessons that pass; without it, check only reads what you did
        #[arg(long)]
        run: bool,
    },
    /// List the lessons, their time estimates and your progress
    Lessons {
        /// Instead, validate a lesson folder, lesson file or course file
        /// without running it (exit 1 on errors)
        #[arg(long, value_name = "PATH")]
        check: Option<PathBuf>,
    },
    /// Print the answer key: every lesson's solution files, commands and notes
    Answers {
        /// Also write it as a self-contained HTML page, ready to print
        #[arg(long, value_name = "FILE")]
        html: Option<PathBuf>,
    },
    /// Merge learners' `check --format json` results: a table, and a CSV and an HTML page
    Report {
        /// Results files, or folders of them (*.json)
        #[arg(required = true, value_name = "FILE|DIR")]
        paths: Vec<PathBuf>,
        /// Also write the table as CSV
        #[arg(long, value_name = "FILE")]
        csv: Option<PathBuf>,
        /// Also write a self-contained HTML page (no scripts, prints well)
        #[arg(long, value_name = "FILE")]
        html: Option<PathBuf>,
    },
    /// Build the project folder, as the build key does
    Build {
        /// The image name [default: my-docker-app; NAME/my-docker-app on a
        /// shared engine]
        #[arg(short = 't', long)]
        tag: Option<String>,
        /// The Dockerfile, relative to the project folder
        #[arg(short = 'f', long, value_name = "FILE")]
        file: Option<String>,
    },
    /// Is this machine ready? Engine, base images, disk (exit 1 if not)
    Doctor {
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
    /// Save every base image the lessons use into one file for `load` (pulls missing ones)
    Bundle {
        /// The file to write, e.g. class.tar
        #[arg(short = 'o', long, value_name = "FILE")]
        output: PathBuf,
    },
    /// Load a saved image file (docker save … -o FILE) into the engine
    Load {
        /// The file, e.g. python.tar
        file: PathBuf,
    },
    /// Start over: forget progress, remove docktutor's containers, and
    /// (after asking) tidy the lesson files: copies of the lessons' own are
    /// removed, your versions moved to a dated folder, .env kept. With
    /// --learner NAME: only NAME's containers, and NAME's images (NAME/…)
    Reset {
        /// Tidy the lesson files without asking
        #[arg(long)]
        yes: bool,
        /// Keep the workspace files
        #[arg(long)]
        keep_files: bool,
    },
    /// Lint a Dockerfile (hadolint-compatible rule ids)
    Lint {
        /// A Dockerfile, or a folder holding one [default: the workspace]
        path: Option<PathBuf>,
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
        /// Exit non-zero when a finding is at least this severe
        #[arg(long, value_enum, default_value = "info")]
        failure_threshold: lint::Threshold,
    },
    /// Run an image, as the run key does (exit code: the container's)
    Run {
        /// The image to run [default: my-docker-app; NAME/my-docker-app on
        /// a shared engine]
        image: Option<String>,
        /// Memory limit, like docker run --memory (e.g. 256m)
        #[arg(long)]
        memory: Option<String>,
        /// CPU limit, like docker run --cpus (e.g. 0.5)
        #[arg(long)]
        cpus: Option<f64>,
    },
    /// Run one docker command through docktutor's engine code, as the
    /// prompt (:) does: docktutor exec -- docker build -t my-docker-app .
    /// (exit code: the container's for run, 125 when the command is refused)
    Exec {
        /// The command, starting with docker
        #[arg(
            value_name = "COMMAND",
            required = true,
            trailing_var_arg = true,
            allow_hyphen_values = true
        )]
        words: Vec<String>,
    },
    /// Print a shell completion script, e.g. docktutor completions bash > /etc/bash_completion.d/docktutor
    Completions {
        /// The shell
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff), e.g. docktutor man | man -l -
    Man {
        /// Write docktutor.1 and a page per subcommand into this folder instead
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
}

/// " (on the host: /home/ada/course/my-docker-app)" when docktutor runs in
/// a container and the workspace is in a folder mounted from the host.
fn on_the_host(workspace: &std::path::Path) -> String {
    crate::engine::container::inside()
        .and_then(|_| crate::engine::container::host_path(workspace))
        .map(|p| format!(" (on the host: {})", p.display()))
        .unwrap_or_default()
}

pub struct Setup {
    pub workspace: PathBuf,
    /// Why the workspace is the folder the learner is in (said once).
    pub workspace_note: Option<String>,
    pub lessons: LessonSet,
    /// The course file the lessons come from, if any.
    pub course_file: Option<PathBuf>,
    pub env: Env,
    pub store: Option<Store>,
}

impl Cli {
    fn setup(&self) -> Result<Setup, String> {
        // Start where the learner stands: `./my-docker-app`, or the folder
        // they are in when it is a project folder itself.
        let (workspace, workspace_note) = match &self.workdir {
            Some(dir) => (dir.clone(), None),
            None => {
                let cwd = std::env::current_dir()
                    .map_err(|e| format!("cannot read the current folder: {e}"))?;
                let choice = crate::diagnose::workspace::choose(&cwd);
                (choice.workspace, choice.note)
            }
        };
        let workspace = std::path::absolute(&workspace).unwrap_or(workspace);
        // build, run and load do what the keys do and need no lessons:
        // skipping them keeps those commands as quick to start as the CLI.
        let needs_lessons = !matches!(
            self.command,
            Some(
                Command::Build { .. }
                    | Command::Run { .. }
                    | Command::Load { .. }
                    | Command::Report { .. }
                    | Command::Exec { .. }
            )
        );
        let (lessons, course_file) = if needs_lessons {
            lessons::course(self, &workspace)?
        } else {
            (LessonSet::default(), None)
        };
        let store = crate::progress::data_dir().map(|d| Store::for_workspace(&d, &workspace));
        Ok(Setup {
            workspace,
            workspace_note,
            lessons,
            course_file,
            env: Env {
                builder_flag: self.builder.map(Into::into),
                ..Env::from_process(self.host.clone())
            },
            store,
        })
    }
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    // These only print what the command line is: no lessons, no engine.
    match &cli.command {
        Some(Command::Completions { shell }) => {
            return generate::print(Ok(generate::completions(*shell)));
        }
        Some(Command::Man { dir: None }) => return generate::print(generate::man()),
        Some(Command::Man { dir: Some(dir) }) => {
            let listing = generate::man_pages(dir).map(|files| {
                let names: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
                format!("{}\n", names.join("\n")).into_bytes()
            });
            return generate::print(listing.map_err(|e| {
                std::io::Error::new(
                    e.kind(),
                    format!("cannot write man pages to {}: {e}", dir.display()),
                )
            }));
        }
        Some(Command::Lessons { check: Some(path) }) => return lessons::check(path),
        _ => {}
    }
    let mut setup = match cli.setup() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("docktutor: {e}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("docktutor: cannot start: {e}");
            return ExitCode::from(2);
        }
    };
    runtime.block_on(async move {
        // Who is learning, and on a shared engine the lessons renamed into
        // their namespace: for the commands that touch the learner's images.
        let identity = match &cli.command {
            None
            | Some(
                Command::Check { .. }
                | Command::Build { .. }
                | Command::Run { .. }
                | Command::Exec { .. }
                | Command::Reset { .. }
                | Command::Doctor { .. },
            ) => Some(learner::identify(&mut setup, cli.learner.as_deref()).await),
            _ => None,
        };
        let default_image = || {
            identity
                .as_ref()
                .map(learner::default_image)
                .unwrap_or_default()
        };
        match cli.command {
            None => {
                let config = crate::app::Config {
                    workspace: setup.workspace,
                    lessons: setup.lessons,
                    env: setup.env,
                    store: setup.store,
                    notice: setup.workspace_note,
                    scrollback: cli.scrollback,
                    panic_after_first_frame: std::env::var_os("DOCKTUTOR_DEBUG_PANIC").is_some(),
                };
                let session = if crate::plain::wanted(cli.plain) {
                    crate::plain::run(config).await
                } else {
                    crate::app::run(config).await
                };
                match session {
                    Ok(()) => ExitCode::SUCCESS,
                    Err(e) => {
                        eprintln!("docktutor: {e:#}");
                        ExitCode::FAILURE
                    }
                }
            }
            Some(Command::Check {
                only,
                json,
                format,
                run,
            }) => {
                let format = match (json, format) {
                    (true, _) => check_format::Format::Json,
                    (false, f) => f.unwrap_or_default(),
                };
                let learner = crate::report::learner(cli.learner.as_deref());
                check::run(&setup, &only, format, learner, run).await
            }
            Some(Command::Lessons { .. }) => lessons::run(&setup),
            Some(Command::Answers { html }) => answers::run(&setup, html.as_deref()),
            Some(Command::Report { paths, csv, html }) => {
                report::run(&paths, csv.as_deref(), html.as_deref())
            }
            Some(Command::Build { tag, file }) => {
                let tag = tag.unwrap_or_else(default_image);
                engine::build(&setup, file.as_deref(), &tag).await
            }
            Some(Command::Run {
                image,
                memory,
                cpus,
            }) => {
                let options = crate::engine::RunOptions {
                    memory: memory.as_deref().and_then(crate::engine::parse_memory),
                    nano_cpus: cpus.map(|c| (c * 1e9).round() as i64),
                    until_healthy: None,
                    ..Default::default()
                };
                let image = image.unwrap_or_else(default_image);
                engine::run(&setup, &image, &options).await
            }
            Some(Command::Exec { words }) => exec::run(&setup, &words).await,
            Some(Command::Doctor { json }) => doctor::run(&setup, json).await,
            Some(Command::Reset { yes, keep_files }) => {
                let named = cli.learner.is_some();
                reset::run(&setup, yes, keep_files, identity.as_ref(), named).await
            }
            Some(Command::Load { file }) => engine::load(&setup, &file).await,
            Some(Command::Bundle { output }) => bundle::run(&setup, &output).await,
            Some(Command::Lint {
                path,
                json,
                failure_threshold,
            }) => lint::run(&setup, path.as_deref(), json, failure_threshold),
            Some(Command::Completions { .. } | Command::Man { .. }) => {
                unreachable!("handled before setup")
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    /// clap checks its own definition (ids shared by a global flag and a
    /// subcommand argument panic only when parsed).
    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn check_takes_lessons_and_the_global_lessons_folder() {
        let cli = Cli::try_parse_from([
            "docktutor",
            "check",
            "1",
            "build",
            "--lessons",
            "/x",
            "--json",
        ])
        .unwrap();
        assert_eq!(cli.lessons.as_deref(), Some(std::path::Path::new("/x")));
        let Some(Command::Check { only, json, .. }) = cli.command else {
            panic!("not check");
        };
        assert_eq!(only, ["1", "build"]);
        assert!(json);
    }

    #[test]
    fn the_builder_is_a_global_option() {
        let cli = Cli::try_parse_from(["docktutor", "build", "--builder", "classic"]).unwrap();
        assert_eq!(cli.builder, Some(BuilderArg::Classic));
        let env = cli.setup().unwrap().env;
        assert_eq!(env.builder_flag, Some(crate::engine::Builder::Classic));
        assert!(Cli::try_parse_from(["docktutor", "--builder", "kaniko"]).is_err());
    }

    /// `--version` names the version and the commit (or says it is unknown).
    #[test]
    fn version_names_the_commit() {
        let err = Cli::try_parse_from(["docktutor", "--version"]).unwrap_err();
        let text = err.to_string();
        assert!(
            text.starts_with(&format!("docktutor {} (", env!("CARGO_PKG_VERSION"))),
            "{text}"
        );
        let commit = env!("DOCKTUTOR_COMMIT");
        assert!(
            commit == "commit unknown"
                || commit
                    .split(',')
                    .next()
                    .unwrap()
                    .chars()
                    .all(|c| c.is_ascii_hexdigit()),
            "{commit}"
        );
        assert!(text.contains(commit), "{text}");
    }
}
