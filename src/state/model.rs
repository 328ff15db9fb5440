//! The model: everything the screen shows, as plain data. No I/O here, and
//! nothing of the view: no colours, no layout (the last draw's figures come
//! in as a [`Viewport`]).

use std::path::PathBuf;

use super::check_runs::CheckRuns;
use super::viewport::Viewport;
use crate::check::{Outcome, Status};
use crate::engine::{EngineCmd, EngineFacts, EngineStatus, JobOutcome};
use crate::lesson::{Action, Lesson, LessonError};
use crate::output::Scrollback;
use crate::progress::Progress;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    Lesson,
    Checks,
    Output,
}

impl Pane {
    pub fn next(self) -> Pane {
        match self {
            Pane::Lesson => Pane::Checks,
            Pane::Checks => Pane::Output,
            Pane::Output => Pane::Lesson,
        }
    }

    pub fn prev(self) -> Pane {
        self.next().next()
    }
}

/// What a running job is, for the output pane's title.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobKind {
    Build,
    Run,
    Load,
    Tidy,
    Scan,
    /// A typed command other than build and run (`docker images`, …).
    Command,
}

impl JobKind {
    /// The job an engine command starts (`None`: cancel and refresh are no jobs).
    pub fn of(cmd: &EngineCmd) -> Option<JobKind> {
        Some(match cmd {
            EngineCmd::Build { .. } => JobKind::Build,
            EngineCmd::Run { .. } => JobKind::Run,
            EngineCmd::Load { .. } => JobKind::Load,
            EngineCmd::Tidy { .. } => JobKind::Tidy,
            EngineCmd::Scan { .. } => JobKind::Scan,
            EngineCmd::Typed { command, .. } => match command {
                crate::command::DockerCommand::Build(_) => JobKind::Build,
                crate::command::DockerCommand::Run(_) => JobKind::Run,
                _ => JobKind::Command,
            },
            EngineCmd::Cancel | EngineCmd::Refresh | EngineCmd::SwitchEngine => return None,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    pub kind: JobKind,
    /// The docker CLI command this job stands for.
    pub command: String,
    pub step: Option<(usize, usize)>,
    pub cached: Vec<usize>,
    /// Bytes done of a known total (loading an image file).
    pub progress: Option<(u64, u64)>,
    /// The learner asked to stop it.
    pub stopping: bool,
    /// Typed at the prompt: `command` is the line as typed.
    pub typed: bool,
    /// `Model::clock_ms` when it started.
    pub started_ms: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Overlay {
    Help {
        scroll: u16,
    },
    Hint,
    Solution {
        scroll: u16,
    },
    Lessons {
        selected: usize,
    },
    ConfirmQuit,
    ConfirmReset,
    /// Asking for the path of a saved image file to load.
    Load {
        input: String,
    },
    /// Lessons that failed to load.
    Problems,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub text: String,
    pub error: bool,
}

/// What the output pane shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutputView {
    /// Build and run output.
    Log,
    /// The engine's images, like `docker images`.
    Images,
    /// The sizes of the current lesson's compared images, as bars.
    Sizes,
}

impl OutputView {
    /// What a lesson shows before anything runs.
    pub fn for_lesson(lesson: Option<&Lesson>) -> OutputView {
        let actions = lesson.map_or(&[][..], |l| &l.actions[..]);
        if actions.iter().any(|a| matches!(a, Action::Compare { .. })) {
            OutputView::Sizes
        } else if matches!(actions.first(), Some(Action::Images)) {
            OutputView::Images
        } else {
            OutputView::Log
        }
    }
}

#[derive(Debug)]
pub struct Model {
    pub lessons: Vec<Lesson>,
    pub lesson_errors: Vec<LessonError>,
    pub current: usize,
    pub workspace: PathBuf,
    pub focus: Pane,
    pub zoom: bool,
    pub lesson_scroll: usize,
    pub checks_scroll: usize,
    /// `None`: follow the newest output.
    pub output_top: Option<usize>,
    /// The first row of the images table shown (it scrolls like the log).
    pub images_scroll: usize,
    /// The output pane is unfolded: by the learner (`f`), or because the
    /// latest job failed; a job that ends well folds it (see
    /// [`Model::output_folded`]).
    pub output_open: bool,
    pub output_view: OutputView,
    /// The latest check results of each lesson (`None` until first checked).
    pub results: Vec<Option<Vec<Outcome>>>,
    /// Which check answers are current (see [`CheckRuns`]).
    pub check_runs: CheckRuns,
    /// The linter's findings on the workspace's Dockerfile (`None`: no
    /// Dockerfile yet; `Err`: it does not parse).
    pub lint: Option<Result<Vec<crate::lint::Finding>, String>>,
    pub engine: EngineStatus,
    /// `Some` while an engine is connected.
    pub facts: Option<EngineFacts>,
    pub job: Option<Job>,
    /// Lesson actions still to do after the current job (Enter runs them all).
    pub queue: std::collections::VecDeque<Action>,
    pub last_outcome: Option<JobOutcome>,
    /// The CLI command of the latest job, for the output pane's title.
    pub last_command: Option<String>,
    /// One line saying how the latest job ended: what the folded output
    /// pane shows.
    pub last_summary: Option<String>,
    pub output: Scrollback,
    pub overlay: Option<Overlay>,
    pub progress: Progress,
    pub notice: Option<Notice>,
    /// Another engine that answered while the session's engine was gone:
    /// `E` switches to it (never done silently).
    pub other_engine: Option<crate::engine::EngineInfo>,
    /// `queue` waits for the engine to finish connecting (see
    /// `update::jobs::wait_for_engine`).
    pub waiting_for_engine: bool,
    pub size: (u16, u16),
    /// The panes as the last draw left them: scrolling clamps against it.
    pub viewport: Viewport,
    /// Something the screen shows changed since the last draw.
    pub needs_draw: bool,
    /// The clock, set by the app loop (Unix seconds), for "3 minutes ago".
    pub now: i64,
    /// A monotonic clock in milliseconds, set by the app loop: jobs time
    /// themselves with it (the output pane's title shows how long).
    pub clock_ms: u64,
    /// How long the latest finished job took, in milliseconds.
    pub last_job_ms: Option<u64>,
    /// Where progress is saved, shown in the help screen.
    pub progress_file: Option<String>,
    pub spinner: usize,
    pub quit: bool,
    /// A Ctrl-C while a job runs asks first; a second one quits.
    pub interrupts: u8,
    /// The `:` prompt: its line, its history (per workspace).
    pub prompt: super::prompt::Prompt,
    /// The workspace's file names, for the prompt's completion (read when
    /// the prompt opens).
    pub workspace_files: Vec<String>,
    /// Exam mode: `s` shows no solution and the key bar does not offer it.
    pub solutions_hidden: bool,
    /// On a shared engine, the learner's namespace (`ada` of
    /// `ada/my-docker-app`): the status bar says so.
    pub namespace: Option<String>,
}

impl Model {
    pub fn new(
        lessons: Vec<Lesson>,
        lesson_errors: Vec<LessonError>,
        workspace: PathBuf,
        progress: Progress,
        scrollback: Scrollback,
    ) -> Model {
        let current = progress
            .current
            .as_ref()
            .and_then(|id| lessons.iter().position(|l| &l.id == id))
            .unwrap_or_else(|| {
                // Resume at the first lesson not yet done.
                lessons
                    .iter()
                    .position(|l| !progress.is_done(&l.id))
                    .unwrap_or(0)
            });
        let results = vec![None; lessons.len()];
        let overlay = (!lesson_errors.is_empty()).then_some(Overlay::Problems);
        let output_view = OutputView::for_lesson(lessons.get(current));
        Model {
            lessons,
            lesson_errors,
            current,
            workspace,
            focus: Pane::Lesson,
            zoom: false,
            lesson_scroll: 0,
            checks_scroll: 0,
            output_top: None,
            images_scroll: 0,
            output_open: false,
            output_view,
            results,
            check_runs: CheckRuns::default(),
            lint: None,
            engine: EngineStatus::Connecting,
            facts: None,
            job: None,
            queue: Default::default(),
            last_outcome: None,
            last_command: None,
            last_summary: None,
            clock_ms: 0,
            last_job_ms: None,
            output: scrollback,
            overlay,
            progress,
            notice: None,
            other_engine: None,
            waiting_for_engine: false,
            size: (80, 24),
            viewport: Viewport::default(),
            needs_draw: true,
            now: 0,
            progress_file: None,
            spinner: 0,
            quit: false,
            interrupts: 0,
            prompt: Default::default(),
            workspace_files: Vec::new(),
            solutions_hidden: false,
            namespace: None,
        }
    }

    pub fn lesson(&self) -> Option<&Lesson> {
        self.lessons.get(self.current)
    }

    pub fn outcomes(&self) -> Option<&[Outcome]> {
        self.results.get(self.current)?.as_deref()
    }

    pub fn lesson_passed(&self, idx: usize) -> bool {
        self.results
            .get(idx)
            .and_then(|r| r.as_ref())
            .is_some_and(|r| !r.is_empty() && r.iter().all(Outcome::passed))
    }

    /// Done = passed now, or passed once before (progress file).
    pub fn lesson_done(&self, idx: usize) -> bool {
        self.lesson_passed(idx)
            || self
                .lessons
                .get(idx)
                .is_some_and(|l| self.progress.is_done(&l.id))
    }

    pub fn engine_connected(&self) -> bool {
        matches!(self.engine, EngineStatus::Connected(_))
    }

    /// The lesson's first action (what Enter starts with).
    pub fn current_action(&self) -> Option<&Action> {
        self.lesson()?.actions.first()
    }

    /// Whether a timer is needed (only while something animates).
    pub fn wants_tick(&self) -> bool {
        self.job.is_some() || matches!(self.engine, EngineStatus::Connecting)
    }

    /// A short sentence saying why engine checks cannot run.
    pub fn engine_missing_reason(&self) -> String {
        match &self.engine {
            EngineStatus::Connected(_) => String::new(),
            EngineStatus::Connecting => "connecting to the Docker engine…".into(),
            EngineStatus::Unreachable { tried, .. } => {
                let addr = tried
                    .first()
                    .map(|a| a.address.clone())
                    .filter(|a| !a.is_empty())
                    .unwrap_or_else(|| "the default socket".into());
                format!(
                    "no Docker engine at {addr} — {}",
                    crate::engine::status::advice(tried)
                )
            }
        }
    }

    pub fn count(&self, status: Status) -> usize {
        self.outcomes()
            .map_or(0, |o| o.iter().filter(|x| x.status == status).count())
    }
}
