//! Snapshots of every lesson screen, passing and failing, at 80×24 and
//! 120×40 — drawn with ratatui's TestBackend from a model built the way the
//! app builds it (checks run against real files in a temporary folder).

mod support;

use std::path::Path;

use docktutor::check;
use docktutor::engine::{
    EngineFacts, EngineInfo, EngineMsg, EngineStatus, ImageDetail, ImageInfo, JobEvent, JobOutcome,
    RunRecord, RunSource,
};
use docktutor::output::Scrollback;
use docktutor::progress::Progress;
use docktutor::state::{Model, Msg, update};
use docktutor::ui::Ui;
use docktutor::ui::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const SHOWN_WORKSPACE: &str = "/home/learner/my-docker-app";
const NOW: i64 = 1_800_000_000;

/// The engine is there, as the status bar would say.
fn connect(m: &mut Model) {
    update(
        m,
        Msg::Engine(EngineMsg::Status(EngineStatus::Connected(EngineInfo {
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
        }))),
    );
}

fn press_enter(m: &mut Model) {
    update(
        m,
        Msg::Key(ratatui::crossterm::event::KeyEvent::from(
            ratatui::crossterm::event::KeyCode::Enter,
        )),
    );
}

fn facts(passing: bool) -> EngineFacts {
    let mut f = EngineFacts::default();
    f.images.push(ImageInfo {
        id: "sha256:bc50cd0ff39674164c33fd1650b2fbcc61e95a4835f0b1a4756b7820f55c623a".into(),
        repo_tags: vec!["python:3.9-slim".into()],
        created: NOW - 3 * 86_400,
        size: 187_700_000,
    });
    if passing {
        f.images.insert(
            0,
            ImageInfo {
                id: "sha256:861db5b195c8aaaa".into(),
                repo_tags: vec!["my-docker-app:latest".into()],
                created: NOW - 90,
                size: 187_700_412,
            },
        );
        f.details.insert(
            "my-docker-app:latest".into(),
            ImageDetail {
                id: "sha256:861db5b195c8aaaa".into(),
                cmd: vec!["python".into(), "app.py".into()],
                ..Default::default()
            },
        );
        let (key, probe) = support::guide_workdir_probe("my-docker-app", "sha256:861db5b195c8aaaa");
        f.probes.insert(key, probe);
        f.runs.insert(
            "my-docker-app:latest".into(),
            RunRecord {
                image_id: "sha256:861db5b195c8aaaa".into(),
                exit_code: Some(0),
                output: Some("Hello, Docker!\n".into()),
                source: RunSource::App,
                ..RunRecord::default()
            },
        );
    }
    f
}

fn model_for(lesson: usize, passing: bool, size: (u16, u16)) -> Model {
    let set = docktutor::lesson::builtin();
    let mut progress = Progress::default();
    for l in set.lessons.iter().take(lesson) {
        progress.done.insert(l.id.clone(), 1);
    }
    progress.current = Some(set.lessons[lesson].id.clone());
    let mut m = connected(set, progress, size);
    assert_eq!(m.current, lesson);
    let facts = facts(passing);
    update(&mut m, Msg::Engine(EngineMsg::Facts(facts.clone())));

    // Real files: the guide's when passing, a half-done folder when failing.
    let dir = tempfile::tempdir().expect("tempdir");
    let ws = dir.path().join("my-docker-app");
    if passing {
        support::write_guide(&ws);
    } else {
        std::fs::create_dir_all(&ws).expect("mkdir");
        std::fs::write(ws.join("app.py"), "print(\"Hello, docker!\")\n").expect("write");
        std::fs::write(
            ws.join("Dockerfile"),
            "FROM python\nWORKDIR /app\nCOPY . .\nCMD python app.py\n",
        )
        .expect("write");
    }
    let outcomes = checks_for(&m, &ws, &facts);
    // The linter runs on the same files, as in the app.
    let lint = ws
        .join("Dockerfile")
        .is_file()
        .then(|| docktutor::lint::lint_path(&ws).map(|(_, f)| f));
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
    sample_output(&mut m, lesson, passing);
    m
}

fn checks_for(m: &Model, ws: &Path, facts: &EngineFacts) -> Vec<check::Outcome> {
    let lesson = m.lesson().expect("lesson");
    let ctx = check::Ctx {
        workspace: ws,
        engine: Some(facts),
        engine_missing: "",
        typed: &[],
    };
    let mut out = check::run_all(&lesson.checks, &ctx);
    let real = ws.display().to_string();
    for o in &mut out {
        if let Some(r) = &mut o.reason {
            *r = r.replace(&real, SHOWN_WORKSPACE);
        }
    }
    out
}

fn sample_output(m: &mut Model, lesson: usize, passing: bool) {
    let job = |m: &mut Model, ev: JobEvent| {
        update(m, Msg::Engine(EngineMsg::Job(ev)));
    };
    match (lesson, passing) {
        (2, true) => {
            press_enter(m);
            job(
                m,
                JobEvent::Context {
                    files: 3,
                    bytes: 504,
                    advice: vec![],
                },
            );
            for (k, line) in [
                "FROM python:3.9-slim",
                "WORKDIR /app",
                "COPY requirements.txt ./",
                "RUN pip install --no-cache-dir -r requirements.txt",
                "COPY app.py ./",
                "CMD [\"python\", \"app.py\"]",
            ]
            .iter()
            .enumerate()
            {
                job(
                    m,
                    JobEvent::Step {
                        current: k + 1,
                        total: 6,
                    },
                );
                job(
                    m,
                    JobEvent::Output(
                        format!("Step {}/6 : {line}\n ---> Using cache\n", k + 1).into_bytes(),
                    ),
                );
            }
            job(
                m,
                JobEvent::Output(
                    b"Successfully built 861db5b195c8\nSuccessfully tagged my-docker-app:latest\n"
                        .to_vec(),
                ),
            );
            // The job took 1.4 s on the app's clock (the title shows it).
            m.clock_ms = 1_400;
            update(
                m,
                Msg::Engine(EngineMsg::JobDone(JobOutcome::Built {
                    tag: "my-docker-app".into(),
                    image_id: Some("sha256:861db5b195c8aaaa".into()),
                    steps: vec![],
                })),
            );
        }
        (2, false) => {
            press_enter(m);
            job(
                m,
                JobEvent::Step {
                    current: 1,
                    total: 4,
                },
            );
            job(m, JobEvent::Output(b"Step 1/4 : FROM python\n".to_vec()));
            // The job took 1.4 s on the app's clock (the title shows it).
            m.clock_ms = 1_400;
            update(
                m,
                Msg::Engine(EngineMsg::JobDone(JobOutcome::BuildFailed(docktutor::engine::BuildFailure {
                    message: "pull access denied for python, repository does not exist or may require 'docker login'".into(),
                    step: Some(1),
                    line: Some(1),
                    instruction: Some("FROM python".into()),
                    advice: Some("the base image could not be pulled (no registry reachable?). Ask for a saved image and load it".into()),
                }))),
            );
        }
        (3, true) => {
            press_enter(m);
            job(m, JobEvent::Output(b"Hello, Docker!\n".to_vec()));
            // The job took 1.4 s on the app's clock (the title shows it).
            m.clock_ms = 1_400;
            update(
                m,
                Msg::Engine(EngineMsg::JobDone(JobOutcome::Ran {
                    image: "my-docker-app:latest".into(),
                    record: facts(true).runs["my-docker-app:latest"].clone(),
                })),
            );
        }
        _ => {}
    }
}

/// A model of `set` at lesson `id`, connected, drawn at `size`.
fn connected_at(set: docktutor::lesson::LessonSet, id: &str, size: (u16, u16)) -> Model {
    let progress = Progress {
        current: Some(id.into()),
        ..Progress::default()
    };
    connected(set, progress, size)
}

/// A model of `set` with `progress`, connected, drawn at `size`.
fn connected(set: docktutor::lesson::LessonSet, progress: Progress, size: (u16, u16)) -> Model {
    let mut m = Model::new(
        set.lessons,
        vec![],
        SHOWN_WORKSPACE.into(),
        progress,
        Scrollback::default(),
    );
    m.size = size;
    m.now = NOW;
    connect(&mut m);
    m
}

fn draw(m: &Model) -> TestBackend {
    draw_with(m, Theme::new(true))
}

fn draw_with(m: &Model, theme: Theme) -> TestBackend {
    let mut ui = Ui::new(theme);
    let mut terminal = Terminal::new(TestBackend::new(m.size.0, m.size.1)).expect("terminal");
    terminal.draw(|f| _ = ui.draw(f, m)).expect("draw");
    terminal.backend().clone()
}

#[test]
fn every_lesson_screen() {
    let lessons = docktutor::lesson::builtin().lessons.len().min(5);
    for lesson in 0..lessons {
        for passing in [true, false] {
            for size in [(80, 24), (120, 40)] {
                let m = model_for(lesson, passing, size);
                let name = format!(
                    "lesson{}_{}_{}x{}",
                    lesson + 1,
                    if passing { "pass" } else { "fail" },
                    size.0,
                    size.1
                );
                insta::assert_snapshot!(name, draw(&m));
            }
        }
    }
}

#[test]
fn no_engine_screen() {
    let set = docktutor::lesson::builtin();
    let mut m = Model::new(
        set.lessons,
        vec![],
        SHOWN_WORKSPACE.into(),
        Progress::default(),
        Scrollback::default(),
    );
    m.size = (80, 24);
    m.current = 2;
    update(
        &mut m,
        Msg::Engine(EngineMsg::Status(EngineStatus::Unreachable {
            tried: vec![docktutor::engine::Attempt {
                address: "unix:///var/run/docker.sock".into(),
                source: "the default socket".into(),
                error: "/var/run/docker.sock does not exist".into(),
            }],
            retry_in: std::time::Duration::from_secs(1),
        })),
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let ctx = check::Ctx {
        workspace: dir.path(),
        engine: None,
        engine_missing: &m.engine_missing_reason(),
        typed: &[],
    };
    let outcomes = check::run_all(&m.lesson().expect("lesson").checks, &ctx);
    let generation = m.check_runs.newest(2);
    update(
        &mut m,
        Msg::Checked {
            generation,
            lesson: 2,
            outcomes,
            at: 1,
            lint: None,
        },
    );
    insta::assert_snapshot!("no_engine_80x24", draw(&m));
}

#[test]
fn overlays() {
    use ratatui::crossterm::event::{KeyCode, KeyEvent};
    for (key, name) in [
        ('?', "help"),
        ('h', "hint"),
        ('s', "solution"),
        ('l', "lessons"),
    ] {
        let mut m = model_for(1, false, (80, 24));
        update(&mut m, Msg::Key(KeyEvent::from(KeyCode::Char(key))));
        insta::assert_snapshot!(format!("overlay_{name}_80x24"), draw(&m));
    }
}

#[test]
fn tiny_terminals_say_so() {
    let m = model_for(0, false, (30, 8));
    insta::assert_snapshot!("too_small_30x8", draw(&m));
}

/// With NO_COLOR every cell keeps its emphasis but loses its colour.
#[test]
fn no_color_has_no_colours() {
    let set = docktutor::lesson::builtin();
    let mut m = Model::new(
        set.lessons,
        vec![],
        SHOWN_WORKSPACE.into(),
        Progress::default(),
        Scrollback::default(),
    );
    m.size = (80, 24);
    m.output.push_str("\x1b[31mred from the build\x1b[0m\n");
    let backend = draw_with(&m, Theme::new(false));
    for cell in backend.buffer().content() {
        assert_eq!(cell.fg, ratatui::style::Color::Reset, "{cell:?}");
        assert_eq!(cell.bg, ratatui::style::Color::Reset, "{cell:?}");
    }
}

/// The size comparison of the minimal-base lesson, with the stand-ins' and
/// the learner's variants' real sizes.
#[test]
fn size_comparison_view() {
    let set = docktutor::lesson::builtin();
    let idx = set.find("minimal-base").expect("lesson");
    let mut m = connected_at(set, "minimal-base", (100, 30));
    assert_eq!(m.current, idx);
    let mut f = EngineFacts::default();
    for (name, size) in [
        ("python:3.9", 312_000_000),
        ("python:3.9-slim", 188_000_000),
        ("python:3.9-alpine", 131_000_000),
        ("gcr.io/distroless/python3:latest", 111_000_000),
        ("my-docker-app:full", 312_000_512),
        ("my-docker-app:slim", 188_000_512),
        ("my-docker-app:alpine", 131_000_512),
    ] {
        f.images.push(ImageInfo {
            id: format!("sha256:{name}"),
            repo_tags: vec![docktutor::engine::normalize_ref(name)],
            created: NOW - 60,
            size,
        });
    }
    update(&mut m, Msg::Engine(EngineMsg::Facts(f)));
    assert_eq!(m.output_view, docktutor::state::OutputView::Sizes);
    insta::assert_snapshot!("sizes_100x30", draw(&m));
}

/// The linter's findings in the zoomed checks pane: each with its why and
/// the lesson that teaches the fix (those due at this lesson only).
#[test]
fn linter_view() {
    let mut m = model_for(1, false, (120, 40));
    m.zoom = true;
    m.focus = docktutor::state::Pane::Checks;
    insta::assert_snapshot!("linter_zoomed_120x40", draw(&m));
}

/// The app's own lines in the output carry a meaning; the theme colours
/// them: a finished build in the pass colour, a failed one in the fail colour.
#[test]
fn notes_take_the_themes_colours() {
    let theme = Theme::new(true);
    for (passing, text, style) in [
        (true, "✓ built my-docker-app", theme.pass),
        (false, "✗ build failed at step 1/4", theme.fail),
    ] {
        let backend = draw(&model_for(2, passing, (80, 24)));
        let buffer = backend.buffer();
        let row = (0..buffer.area.height)
            .find(|&y| {
                let line: String = (0..buffer.area.width)
                    .map(|x| buffer[(x, y)].symbol())
                    .collect();
                line.contains(text)
            })
            .unwrap_or_else(|| panic!("{text:?} on screen"));
        // The note starts after the border and the padding.
        let cell = &buffer[(2, row)];
        assert_eq!(cell.fg, style.fg.expect("a colour"), "{text}");
        assert!(cell.modifier.contains(style.add_modifier), "{text}");
    }
}

/// A busy engine's images table at 80×24 scrolls like the log: the rows
/// the pane cannot hold are reachable with the scroll keys, and the pane
/// says how many are above and below.
#[test]
fn images_table_scrolls() {
    let mut m = model_for(4, true, (80, 24));
    let mut f = facts(true);
    for n in 0..20 {
        f.images.push(ImageInfo {
            id: format!("sha256:{n:02}aaaaaaaaaaaaaaaaaaaaaaaaaa"),
            repo_tags: vec![format!("team/service-{n:02}:latest")],
            created: NOW - 3_600,
            size: 50_000_000,
        });
    }
    update(&mut m, Msg::Engine(EngineMsg::Facts(f)));
    let key =
        |m: &mut Model, code| update(m, Msg::Key(ratatui::crossterm::event::KeyEvent::from(code)));
    use ratatui::crossterm::event::KeyCode;
    key(&mut m, KeyCode::Char('i'));
    assert_eq!(m.output_view, docktutor::state::OutputView::Images);
    // The draw records the table's length; the scroll keys use it.
    let mut ui = Ui::new(Theme::new(true));
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).expect("terminal");
    let mut viewport = Default::default();
    terminal.draw(|f| viewport = ui.draw(f, &m)).expect("draw");
    update(&mut m, Msg::Drawn(viewport));
    let top = draw(&m).to_string();
    assert!(top.contains("more ↓"), "{top}");
    assert!(!top.contains("above"), "{top}");
    assert!(!top.contains("service-19"), "{top}");
    while m.focus != docktutor::state::Pane::Output {
        key(&mut m, KeyCode::Tab);
    }
    for _ in 0..40 {
        key(&mut m, KeyCode::Down);
    }
    let end = draw(&m).to_string();
    assert!(
        end.contains("service-19"),
        "the last row is reachable:\n{end}"
    );
    assert!(end.contains("above"), "{end}");
    assert!(!end.contains("more ↓"), "{end}");
    insta::assert_snapshot!("images_scrolled_80x24", draw(&m));
}

/// On a shared engine the lesson is in the learner's namespace: the note
/// at its top, its commands, and the status bar say so.
#[test]
fn a_shared_engine_says_so() {
    let mut set = docktutor::lesson::builtin();
    set.in_namespace("ada");
    let namespace = set.namespace.clone();
    // The narrowest the app draws in full: the note is what stays.
    let mut m = connected_at(set, "build", (80, 24));
    m.namespace = namespace;
    m.notice = None;
    let screen = format!("{:?}", draw(&m));
    for shown in [
        "This Docker engine is shared.",
        "docker build -t ada/my-docker-app .",
        "· shared: your images are ada/…",
    ] {
        assert!(
            screen.contains(shown),
            "{shown:?} is not on the screen:\n{screen}"
        );
    }
}
