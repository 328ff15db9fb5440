//! Every lesson in the three states a learner sees it in — fresh, a job
//! running, the job done — at 80×24 (the size most terminals open at),
//! 120×40 and 140×40 (side by side): snapshots, and the promise of the
//! layout checked over all of them and many sizes: the lesson keeps at
//! least 8 rows of text, the output at least 6 while a job runs, and the key
//! bar keeps every key the screen tells the learner to press.
//!
//! The model is built the way the app builds it: checks and the linter run
//! on the guide's real files in a temporary folder.

mod support;

use docktutor::check;
use docktutor::engine::{
    BuildFailure, EngineFacts, EngineInfo, EngineMsg, EngineStatus, ImageDetail, ImageInfo,
    JobEvent, JobOutcome, RunRecord, RunSource, ScanResult,
};
use docktutor::output::Scrollback;
use docktutor::progress::Progress;
use docktutor::state::{JobKind, Model, Msg, update};
use docktutor::ui::Ui;
use docktutor::ui::layout::{self, LESSON_ROWS, OUTPUT_ROWS};
use docktutor::ui::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent};

const SHOWN_WORKSPACE: &str = "/home/learner/my-docker-app";
const NOW: i64 = 1_800_000_000;
const IMAGE_ID: &str = "sha256:2a1e8f5c9a10aaaa";

#[derive(Debug, Clone, Copy, PartialEq)]
enum State {
    Fresh,
    Running,
    Done,
}

const STATES: [State; 3] = [State::Fresh, State::Running, State::Done];

fn key(m: &mut Model, code: KeyCode) {
    update(m, Msg::Key(KeyEvent::from(code)));
}

fn engine(m: &mut Model, ev: EngineMsg) {
    update(m, Msg::Engine(ev));
}

fn facts() -> EngineFacts {
    let mut f = EngineFacts::default();
    f.images.push(ImageInfo {
        id: IMAGE_ID.into(),
        repo_tags: vec!["my-docker-app:latest".into()],
        created: NOW - 90,
        size: 187_700_412,
    });
    f.images.push(ImageInfo {
        id: "sha256:bc50cd0ff39674164c33fd1650b2fbcc61e95a4835f0b1a4756b7820f55c623a".into(),
        repo_tags: vec!["python:3.9-slim".into()],
        created: NOW - 3 * 86_400,
        size: 187_700_000,
    });
    f.details.insert(
        "my-docker-app:latest".into(),
        ImageDetail {
            id: IMAGE_ID.into(),
            cmd: vec!["python".into(), "app.py".into()],
            ..Default::default()
        },
    );
    f.runs.insert("my-docker-app:latest".into(), hello_run());
    let (key, probe) = support::guide_workdir_probe("my-docker-app", IMAGE_ID);
    f.probes.insert(key, probe);
    f
}

fn hello_run() -> RunRecord {
    RunRecord {
        image_id: IMAGE_ID.into(),
        exit_code: Some(0),
        output: Some("Hello, Docker!\n".into()),
        source: RunSource::App,
        ..RunRecord::default()
    }
}

/// Lesson `lesson` (0-based) with the lessons before it done, the guide's
/// files checked and linted, in `state`.
fn model(lesson: usize, state: State, size: (u16, u16)) -> Model {
    let set = docktutor::lesson::builtin();
    let mut progress = Progress::default();
    for l in set.lessons.iter().take(lesson) {
        progress.done.insert(l.id.clone(), 1);
    }
    progress.current = Some(set.lessons[lesson].id.clone());
    let mut m = Model::new(
        set.lessons,
        vec![],
        SHOWN_WORKSPACE.into(),
        progress,
        Scrollback::default(),
    );
    m.size = size;
    m.now = NOW;
    engine(
        &mut m,
        EngineMsg::Status(EngineStatus::Connected(EngineInfo {
            address: "unix:///var/run/docker.sock".into(),
            source: "the default socket".into(),
            name: "Docker Engine".into(),
            version: "20.10.24".into(),
            api_version: "1.41".into(),
            os_arch: "linux/amd64".into(),
            builder: docktutor::engine::BuilderChoice::new(
                docktutor::engine::Builder::BuildKit,
                "the engine's default, as for docker build",
            ),
        })),
    );
    let facts = facts();
    engine(&mut m, EngineMsg::Facts(facts.clone()));
    let dir = tempfile::tempdir().expect("tempdir");
    let ws = dir.path().join("my-docker-app");
    support::write_guide(&ws);
    let ctx = check::Ctx {
        workspace: &ws,
        engine: Some(&facts),
        engine_missing: "",
        typed: &[],
    };
    let mut outcomes = check::run_all(&m.lesson().expect("lesson").checks, &ctx);
    let real = ws.display().to_string();
    for o in &mut outcomes {
        for text in [&mut o.reason, &mut o.fix].into_iter().flatten() {
            *text = text.replace(&real, SHOWN_WORKSPACE);
        }
    }
    let lint = Some(docktutor::lint::lint_path(&ws).map(|(_, f)| f));
    let generation = m.check_runs.newest(lesson);
    update(
        &mut m,
        Msg::Checked {
            generation,
            lesson,
            outcomes,
            at: 1,
            lint,
        },
    );
    m.notice = None;
    if state != State::Fresh {
        start_job(&mut m);
    }
    if state == State::Done {
        finish_job(&mut m);
    }
    m.notice = None;
    m
}

/// The lesson's step (Enter), or a build where Enter starts no job.
fn start_job(m: &mut Model) {
    key(m, KeyCode::Enter);
    if m.job.is_none() {
        key(m, KeyCode::Char('b'));
    }
    let kind = m.job.as_ref().expect("a job runs").kind;
    match kind {
        JobKind::Build => {
            engine(
                m,
                EngineMsg::Job(JobEvent::Context {
                    files: 3,
                    bytes: 504,
                    advice: vec![],
                }),
            );
            for (k, line) in [
                "FROM python:3.9-slim",
                "WORKDIR /app",
                "COPY requirements.txt ./",
                "RUN pip install --no-cache-dir -r requirements.txt",
            ]
            .iter()
            .enumerate()
            {
                let step = k + 1;
                engine(
                    m,
                    EngineMsg::Job(JobEvent::Step {
                        current: step,
                        total: 6,
                    }),
                );
                let mut out = format!("Step {step}/6 : {line}\n");
                if step <= 3 {
                    engine(m, EngineMsg::Job(JobEvent::Cached { step }));
                    out.push_str(" ---> Using cache\n");
                }
                engine(m, EngineMsg::Job(JobEvent::Output(out.into_bytes())));
            }
            let pip = b" ---> Running in 5d1c0e2f3a4b\nCollecting flask==3.0.0\n  Downloading flask-3.0.0-py3-none-any.whl (99 kB)\nInstalling collected packages: flask\n";
            engine(m, EngineMsg::Job(JobEvent::Output(pip.to_vec())));
        }
        _ => engine(
            m,
            EngineMsg::Job(JobEvent::Output(b"Hello, Docker!\n".to_vec())),
        ),
    }
}

/// Ends the running job as it would end for the guide's files.
fn finish_job(m: &mut Model) {
    // Lessons with several steps would start the next one: stop at one.
    m.queue.clear();
    let job = m.job.clone().expect("a job runs");
    let outcome = match job.kind {
        JobKind::Build => {
            for (step, line) in [(5, "COPY app.py ./"), (6, "CMD [\"python\", \"app.py\"]")] {
                engine(
                    m,
                    EngineMsg::Job(JobEvent::Step {
                        current: step,
                        total: 6,
                    }),
                );
                let out = format!("Step {step}/6 : {line}\n");
                engine(m, EngineMsg::Job(JobEvent::Output(out.into_bytes())));
            }
            JobOutcome::Built {
                tag: "my-docker-app".into(),
                image_id: Some(IMAGE_ID.into()),
                steps: vec![],
            }
        }
        JobKind::Run => JobOutcome::Ran {
            image: "my-docker-app:latest".into(),
            record: hello_run(),
        },
        JobKind::Scan => JobOutcome::Scanned {
            image: "my-docker-app:latest".into(),
            result: ScanResult {
                image_id: IMAGE_ID.into(),
                counts: [("HIGH".to_string(), 2), ("LOW".to_string(), 11)].into(),
            },
        },
        JobKind::Tidy => JobOutcome::Tidied { removed: vec![] },
        JobKind::Load => JobOutcome::Loaded { images: vec![] },
        JobKind::Command => JobOutcome::Answered {
            command: job.command.clone(),
        },
    };
    engine(m, EngineMsg::JobDone(outcome));
}

fn draw(m: &mut Model) -> TestBackend {
    let mut ui = Ui::new(Theme::new(true));
    let mut terminal = Terminal::new(TestBackend::new(m.size.0, m.size.1)).expect("terminal");
    let mut viewport = Default::default();
    terminal.draw(|f| viewport = ui.draw(f, m)).expect("draw");
    update(m, Msg::Drawn(viewport));
    terminal.backend().clone()
}

fn rows(backend: &TestBackend) -> Vec<String> {
    let b = backend.buffer();
    (0..b.area.height)
        .map(|y| (0..b.area.width).map(|x| b[(x, y)].symbol()).collect())
        .collect()
}

#[test]
fn every_lesson_in_every_state() {
    let lessons = docktutor::lesson::builtin().lessons.len();
    for lesson in 0..lessons {
        for state in STATES {
            for size in [(80, 24), (120, 40), (140, 40)] {
                let mut m = model(lesson, state, size);
                let name = format!(
                    "lesson{:02}_{}_{}x{}",
                    lesson + 1,
                    format!("{state:?}").to_lowercase(),
                    size.0,
                    size.1
                );
                insta::assert_snapshot!(name, draw(&mut m));
            }
        }
    }
}

/// The lesson is the main thing at every size from 80×24 up, in every
/// state; a running job's output has room to be read.
#[test]
fn the_lesson_keeps_its_rows_at_every_size() {
    let lessons = docktutor::lesson::builtin().lessons.len();
    let theme = Theme::new(true);
    let sizes = [
        (80, 24),
        (80, 25),
        (80, 30),
        (100, 24),
        (120, 40),
        (139, 24),
        (140, 24),
        (140, 40),
        (200, 60),
    ];
    for lesson in 0..lessons {
        for state in STATES {
            let base = model(lesson, state, (80, 24));
            for focus in [
                docktutor::state::Pane::Lesson,
                docktutor::state::Pane::Checks,
                docktutor::state::Pane::Output,
            ] {
                for size in sizes {
                    let mut m = model_like(&base, size);
                    m.focus = focus;
                    let a = layout::areas(&m, &theme);
                    let what = format!("lesson {} {state:?} {size:?} {focus:?}", lesson + 1);
                    let text_rows = |r: ratatui::layout::Rect| r.height.saturating_sub(2);
                    assert!(text_rows(a.lesson) >= LESSON_ROWS, "{what}: {a:?}");
                    if state == State::Running {
                        assert!(text_rows(a.output) >= OUTPUT_ROWS, "{what}: {a:?}");
                    }
                    let quiet = m.job.is_none() && m.output_folded();
                    if quiet && size.0 < layout::WIDE {
                        assert!(a.lesson.height >= size.1 / 2, "{what}: {a:?}");
                        assert_eq!(a.output.height, 3, "{what}: folded to one line");
                    }
                    if size.0 >= layout::WIDE {
                        assert_eq!(a.lesson.height, size.1 - 3, "{what}: side by side");
                        assert!(a.checks.x > a.lesson.x, "{what}");
                    }
                    // Every cell of the body belongs to exactly one pane.
                    let body: u32 = [a.lesson, a.checks, a.output]
                        .iter()
                        .map(|r| r.area())
                        .sum();
                    assert_eq!(body, u32::from(size.0) * (u32::from(size.1) - 3), "{what}");
                }
            }
        }
    }
}

/// The same model at another size (the layout reads only the size, the
/// focus and what the model holds).
fn model_like(m: &Model, size: (u16, u16)) -> Model {
    let lesson = m.current;
    let state = if m.job.is_some() {
        State::Running
    } else if m.last_outcome.is_some() {
        State::Done
    } else {
        State::Fresh
    };
    model(lesson, state, size)
}

/// The key bar keeps every key the screen asks for, at 80 columns.
#[test]
fn the_key_bar_keeps_the_keys_the_screen_names() {
    let lessons = docktutor::lesson::builtin().lessons.len();
    for lesson in 0..lessons {
        for state in STATES {
            let mut m = model(lesson, state, (80, 24));
            let screen = rows(&draw(&mut m));
            let bar = screen.last().expect("a key bar");
            for action in m.keys_asked_for() {
                let k = match action {
                    docktutor::state::KeyAction::Primary if m.job.is_some() => continue,
                    docktutor::state::KeyAction::Primary => "⏎",
                    a => docktutor::state::keys::first_key(a),
                };
                assert!(
                    bar.contains(&format!(" {k} ")),
                    "lesson {} {state:?}: {action:?} ({k}) missing from {bar:?}",
                    lesson + 1
                );
            }
        }
    }
}

/// At 80×24, the lesson shows its text with no linter banner in front, and
/// a finding about a later lesson waits for it.
#[test]
fn the_linter_waits_for_its_lesson_and_costs_no_lesson_row() {
    let set = docktutor::lesson::builtin();
    let build = set.find("build").expect("build lesson");
    let ignore = set.find("dockerignore").expect("dockerignore lesson");
    let mut m = model(build, State::Done, (80, 24));
    let screen = rows(&draw(&mut m)).join("\n");
    assert!(!screen.contains("DT1001"), "{screen}");
    let mut m = model(ignore, State::Fresh, (80, 24));
    let screen = rows(&draw(&mut m));
    let banner = screen
        .iter()
        .position(|r| r.contains("Linter: DT1001"))
        .unwrap_or_else(|| panic!("the dockerignore lesson lists DT1001: {screen:#?}"));
    let a = layout::areas(&m, &Theme::new(true));
    assert_eq!(
        banner as u16,
        a.checks.y + a.checks.height - 1,
        "in the checks pane's border, not a row of text"
    );
}

/// A failed build stays open for its reason; folded, it says where it failed.
#[test]
fn a_failed_build_stays_open_and_folds_to_where_it_failed() {
    let mut m = model(2, State::Running, (80, 24));
    m.queue.clear();
    engine(
        &mut m,
        EngineMsg::JobDone(JobOutcome::BuildFailed(BuildFailure {
            message: "pull access denied for python".into(),
            step: Some(1),
            line: Some(1),
            instruction: Some("FROM python".into()),
            advice: None,
        })),
    );
    m.notice = None;
    let screen = rows(&draw(&mut m)).join("\n");
    assert!(screen.contains("pull access denied"), "{screen}");
    let a = layout::areas(&m, &Theme::new(true));
    assert!(a.lesson.height - 2 >= LESSON_ROWS && a.output.height - 2 >= OUTPUT_ROWS);
    key(&mut m, KeyCode::Char('f'));
    let screen = rows(&draw(&mut m));
    let folded = &screen[screen.len() - 4];
    assert!(folded.contains("✗ build failed at step 1/6"), "{screen:#?}");
}

/// A notice too long for a row wraps onto a second one (taken from the
/// panes while it shows): both of its parts stay, and so does the key bar.
#[test]
fn a_long_notice_wraps_and_keeps_its_parts() {
    let mut m = model(0, State::Fresh, (80, 24));
    m.notice = Some(docktutor::state::Notice {
        text: "✓ lesson passed — press n for the next lesson · using the folder you are in as the project folder (it holds Dockerfile, app.py, requirements.txt)".into(),
        error: false,
    });
    let screen = rows(&draw(&mut m));
    let bottom = screen[21..].join("\n");
    assert!(bottom.contains("press n for the next lesson"), "{bottom}");
    assert!(bottom.contains("using the folder you are in"), "{bottom}");
    assert!(screen[23].contains(" n next "), "{bottom}");
    let a = layout::areas(&m, &Theme::new(true));
    assert!(a.lesson.height - 2 >= LESSON_ROWS, "{a:?}");
}

/// A long typed command in the output pane's title gives way to the state
/// on its right: the command's middle is abbreviated, its start and end and
/// the state stay whole.
#[test]
fn a_long_command_leaves_the_state_whole() {
    let mut m = model(2, State::Running, (80, 24));
    let job = m.job.as_mut().expect("a job runs");
    job.command = "docker build --no-cache --build-arg PYTHON_VERSION=3.9 -f Dockerfile.alpine -t my-docker-app:alpine .".into();
    let screen = draw(&mut m).to_string();
    let title = screen
        .lines()
        .find(|l| l.contains("$ docker build"))
        .expect("the output pane's title");
    assert!(title.contains("step 4/6 · 3 cached"), "{title}");
    assert!(title.contains('…'), "{title}");
    assert!(
        title.contains("alpine ."),
        "the command's end stays: {title}"
    );
}
