//! Property tests: no input can make the model or the lesson parser panic.
//!
//! Random keys (every key of the key table, random characters, Enter, Esc,
//! arrows, Ctrl/Alt/Shift combinations, presses and releases), mouse
//! events, terminal sizes from 1×1 to 300×100, engine messages and raw
//! output bytes go through `update` with the built-in lessons, and every
//! state is drawn with `view` — on a screen of the model's size and, as
//! happens for a moment after a resize, of another size. Random and
//! mutated lesson files go through the parser: errors, never panics, and
//! every error names a line of the file.

use docktutor::check::{Outcome, Status};
use docktutor::engine::{
    Attempt, BuildFailure, EngineInfo, EngineMsg, EngineStatus, JobEvent, JobOutcome, RunRecord,
    RunSource,
};
use docktutor::lesson::{Assets, Lesson, LessonError};
use docktutor::output::Scrollback;
use docktutor::progress::Progress;
use docktutor::state::{Model, Msg, update};
use docktutor::ui::Ui;
use docktutor::ui::theme::Theme;
use proptest::prelude::*;
use proptest::test_runner::{Config, FileFailurePersistence};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{
    KeyCode, KeyEvent, KeyEventKind, KeyEventState, KeyModifiers, MouseButton, MouseEvent,
    MouseEventKind,
};

fn config(cases: u32) -> Config {
    Config {
        cases,
        // Failures are reported, not written next to the sources.
        failure_persistence: Some(Box::new(FileFailurePersistence::Off)),
        ..Config::default()
    }
}

// ---- the model ----

#[derive(Debug, Clone)]
enum Op {
    Key(KeyEvent),
    Mouse(MouseEvent),
    /// The app hears about a new size.
    Resize(u16, u16),
    /// The terminal already has another size than the model knows.
    Terminal(u16, u16),
    Output(Vec<u8>),
    Step(usize, usize),
    Done(u8, String),
    Connected,
    Unreachable,
    Checked(usize, Vec<u8>),
    Notice(bool, String),
    Tick,
    Paste(String),
    Resumed,
    FilesChanged,
}

/// Every key of the key table, as typed.
const TABLE_CHARS: &str = "brichxslewRnpjkgGzq? ";

fn key_code() -> impl Strategy<Value = KeyCode> {
    prop_oneof![
        4 => prop::sample::select(TABLE_CHARS.chars().collect::<Vec<_>>()).prop_map(KeyCode::Char),
        2 => any::<char>().prop_map(KeyCode::Char),
        1 => (b'0'..=b'9').prop_map(|d| KeyCode::Char(d as char)),
        4 => prop::sample::select(vec![
            KeyCode::Enter,
            KeyCode::Esc,
            KeyCode::Tab,
            KeyCode::BackTab,
            KeyCode::Backspace,
            KeyCode::Delete,
            KeyCode::Insert,
            KeyCode::Up,
            KeyCode::Down,
            KeyCode::Left,
            KeyCode::Right,
            KeyCode::Home,
            KeyCode::End,
            KeyCode::PageUp,
            KeyCode::PageDown,
            KeyCode::Null,
            KeyCode::CapsLock,
        ]),
        1 => (1u8..=24).prop_map(KeyCode::F),
    ]
}

fn key() -> impl Strategy<Value = KeyEvent> {
    (
        key_code(),
        prop_oneof![
            6 => Just(KeyModifiers::NONE),
            2 => Just(KeyModifiers::CONTROL),
            1 => Just(KeyModifiers::SHIFT),
            1 => Just(KeyModifiers::ALT),
            1 => (0u8..=0b111).prop_map(KeyModifiers::from_bits_truncate),
        ],
        prop_oneof![
            8 => Just(KeyEventKind::Press),
            1 => Just(KeyEventKind::Repeat),
            1 => Just(KeyEventKind::Release),
        ],
    )
        .prop_map(|(code, modifiers, kind)| KeyEvent {
            code,
            modifiers,
            kind,
            state: KeyEventState::NONE,
        })
}

fn mouse() -> impl Strategy<Value = MouseEvent> {
    (
        prop::sample::select(vec![
            MouseEventKind::ScrollDown,
            MouseEventKind::ScrollUp,
            MouseEventKind::ScrollLeft,
            MouseEventKind::ScrollRight,
            MouseEventKind::Down(MouseButton::Left),
            MouseEventKind::Up(MouseButton::Right),
            MouseEventKind::Drag(MouseButton::Middle),
            MouseEventKind::Moved,
        ]),
        // Also far outside any screen.
        prop_oneof![3 => 0u16..320, 1 => any::<u16>()],
        prop_oneof![3 => 0u16..110, 1 => any::<u16>()],
    )
        .prop_map(|(kind, column, row)| MouseEvent {
            kind,
            column,
            row,
            modifiers: KeyModifiers::NONE,
        })
}

fn size() -> impl Strategy<Value = (u16, u16)> {
    prop_oneof![
        2 => (1u16..=300, 1u16..=100),
        1 => (1u16..=45, 1u16..=14),
        1 => Just((80, 24)),
    ]
}

fn output_bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        3 => prop::collection::vec(any::<u8>(), 0..200),
        2 => "[ -~\\n\\r\\t\\x1b]{0,200}".prop_map(String::into_bytes),
        1 => prop::collection::vec(prop::sample::select(b"\x1b[]0;?1049hm\x07\r\n\x9b\xc2 Aa".to_vec()), 0..120),
        1 => (1usize..3000).prop_map(|n| vec![b'x'; n]),
    ]
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        30 => key().prop_map(Op::Key),
        4 => mouse().prop_map(Op::Mouse),
        4 => size().prop_map(|(w, h)| Op::Resize(w, h)),
        2 => size().prop_map(|(w, h)| Op::Terminal(w, h)),
        6 => output_bytes().prop_map(Op::Output),
        1 => (0usize..20, 0usize..20).prop_map(|(c, t)| Op::Step(c, t)),
        2 => (0u8..4, ".{0,80}").prop_map(|(k, s)| Op::Done(k, s)),
        2 => Just(Op::Connected),
        1 => Just(Op::Unreachable),
        3 => (0usize..16, prop::collection::vec(0u8..3, 0..12)).prop_map(|(l, s)| Op::Checked(l, s)),
        1 => (any::<bool>(), ".{0,200}").prop_map(|(e, s)| Op::Notice(e, s)),
        2 => Just(Op::Tick),
        2 => prop_oneof!["docker .{0,60}", "(?s).{0,80}"].prop_map(Op::Paste),
        1 => Just(Op::Resumed),
        1 => Just(Op::FilesChanged),
    ]
}

fn engine_info() -> EngineInfo {
    EngineInfo {
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
    }
}

fn outcome(kind: u8, text: String) -> JobOutcome {
    match kind {
        0 => JobOutcome::Ran {
            image: "my-docker-app:latest".into(),
            record: RunRecord {
                image_id: "sha256:0123".into(),
                exit_code: Some(i64::from(text.len() as u8)),
                output: Some(text),
                source: RunSource::App,
                ..RunRecord::default()
            },
        },
        1 => JobOutcome::RunFailed { message: text },
        2 => JobOutcome::Interrupted {
            what: "run".into(),
            reason: text,
        },
        _ => JobOutcome::BuildFailed(BuildFailure {
            message: text.clone(),
            step: Some(text.len() % 9),
            line: Some(text.len() % 40),
            instruction: Some(text),
            advice: None,
        }),
    }
}

/// The message an op stands for; `None` for ops that only change the screen.
fn message(op: Op, model: &Model) -> Option<Msg> {
    Some(match op {
        Op::Key(k) => Msg::Key(k),
        Op::Mouse(m) => Msg::Mouse(m),
        Op::Resize(w, h) => Msg::Resize(w, h),
        Op::Terminal(..) => return None,
        Op::Output(bytes) => Msg::Engine(EngineMsg::Job(JobEvent::Output(bytes))),
        Op::Step(current, total) => Msg::Engine(EngineMsg::Job(JobEvent::Step { current, total })),
        Op::Done(kind, text) => Msg::Engine(EngineMsg::JobDone(outcome(kind, text))),
        Op::Connected => Msg::Engine(EngineMsg::Status(EngineStatus::Connected(engine_info()))),
        Op::Unreachable => Msg::Engine(EngineMsg::Status(EngineStatus::Unreachable {
            tried: vec![Attempt {
                address: "unix:///var/run/docker.sock".into(),
                source: "the default socket".into(),
                error: "connection refused".into(),
            }],
            retry_in: std::time::Duration::from_secs(2),
        })),
        Op::Checked(lesson, statuses) => {
            // As the app sends it: for a real lesson, one outcome per check.
            let lesson = lesson % model.lessons.len();
            let n = model.lessons[lesson].checks.len();
            let outcomes = (0..n)
                .map(|i| {
                    let status = match statuses.get(i).copied().unwrap_or(0) {
                        0 => Status::Pass,
                        1 => Status::Fail,
                        _ => Status::Blocked,
                    };
                    Outcome {
                        label: format!("check {i} with a label long enough to wrap somewhere"),
                        status,
                        reason: (status != Status::Pass).then(|| "it is not so".into()),
                        fix: (status == Status::Fail).then(|| "do this".into()),
                    }
                })
                .collect();
            // The answer to the lesson's newest request, as the app would get it.
            Msg::Checked {
                generation: model.check_runs.newest(lesson),
                lesson,
                outcomes,
                at: 1_800_000_000,
                lint: None,
            }
        }
        Op::Notice(false, text) => Msg::Done(Ok(text)),
        Op::Notice(true, text) => Msg::Done(Err(text)),
        Op::Tick => Msg::Tick,
        Op::Paste(text) => Msg::Paste(text),
        Op::Resumed => Msg::Resumed,
        Op::FilesChanged => Msg::FilesChanged,
    })
}

fn fresh_model() -> Model {
    // Built-in lessons that fail to load (mid-edit) only add the problems popup.
    let set = docktutor::lesson::builtin();
    let mut m = Model::new(
        set.lessons,
        set.errors,
        "/home/learner/my-docker-app".into(),
        Progress::default(),
        Scrollback::default(),
    );
    m.now = 1_800_000_000;
    m
}

/// Draws as the app does, and hands the draw's figures back to the model.
fn draw(term: &mut Terminal<TestBackend>, ui: &mut Ui, model: &mut Model, size: (u16, u16)) {
    if term.backend().buffer().area.as_size() != ratatui::layout::Size::new(size.0, size.1) {
        term.backend_mut().resize(size.0, size.1);
    }
    let mut viewport = Default::default();
    term.draw(|f| viewport = ui.draw(f, model)).expect("draw");
    let effects = update(model, Msg::Drawn(viewport));
    assert!(effects.is_empty(), "a draw's figures ask for nothing");
}

proptest! {
    #![proptest_config(config(150))]

    #[test]
    fn no_input_sequence_panics_update_or_view(
        colour in any::<bool>(),
        start in size(),
        ops in prop::collection::vec(op(), 1..100),
    ) {
        let mut model = fresh_model();
        model.size = start;
        let mut ui = Ui::new(Theme::new(colour));
        let mut term = Terminal::new(TestBackend::new(start.0, start.1)).expect("terminal");
        let mut screen = start;
        draw(&mut term, &mut ui, &mut model, screen);
        for op in ops {
            if let Op::Terminal(w, h) = op {
                screen = (w, h);
            }
            if let Some(msg) = message(op, &model) {
                let resized = matches!(msg, Msg::Resize(..));
                let _effects = update(&mut model, msg);
                if resized {
                    screen = model.size;
                }
            }
            prop_assert!(model.current < model.lessons.len());
            draw(&mut term, &mut ui, &mut model, screen);
        }
    }
}

// ---- the lesson parser ----

/// The shipped lesson files, read from the source tree.
fn shipped() -> &'static [String] {
    static FILES: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    FILES.get_or_init(|| {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("lessons");
        let mut paths: Vec<_> = std::fs::read_dir(&dir)
            .expect("lessons/")
            .flatten()
            .map(|e| e.path())
            .filter(|p| {
                p.extension().is_some_and(|x| x == "md")
                    && !p
                        .file_name()
                        .is_some_and(|n| n.eq_ignore_ascii_case("README.md"))
            })
            .collect();
        paths.sort();
        let files: Vec<String> = paths
            .iter()
            .map(|p| std::fs::read_to_string(p).expect("lesson"))
            .collect();
        assert!(files.len() >= 5, "the shipped lessons are found");
        files
    })
}

fn check_parse(text: &str, assets: &Assets) -> Result<(), TestCaseError> {
    let result: Result<Lesson, LessonError> = docktutor::lesson::parse("fuzz.md", text, assets);
    if let Err(e) = result {
        let lines = text.split('\n').count();
        prop_assert!(e.line >= 1, "line {} in {e}", e.line);
        prop_assert!(
            e.line <= lines + 1,
            "line {} past the end ({lines} lines): {e}",
            e.line
        );
        prop_assert!(!e.message.is_empty());
    }
    Ok(())
}

/// Pieces a lesson is made of, for random files that get past the first checks.
const PIECES: &[&str] = &[
    "+++\n",
    "+++",
    "id = \"x\"\n",
    "title = \"T\"\n",
    "command = \"docker run x\"\n",
    "[action]\n",
    "kind = \"run\"\n",
    "kind = \"build\"\n",
    "kind = \"images\"\n",
    "image = \"x\"\n",
    "tag = \"x\"\n",
    "[[checks]]\n",
    "kind = \"file_exists\"\n",
    "kind = \"dockerfile\"\n",
    "kind = \"container_output\"\n",
    "path = \"../../etc/passwd\"\n",
    "path = \"app.py\"\n",
    "args = \"([\"\n",
    "instruction = \"FROM\"\n",
    "after = \"nope\"\n",
    "expected = \"Hello\"\n",
    "exit_code = -1\n",
    "solution = [\"nope/none\"]\n",
    "starters = [\"first-image/app.py\"]\n",
    "hint = \"\"\"\n",
    "\"\"\"\n",
    "# Heading\n",
    "\n",
    "\r\n",
    "\u{feff}",
    "= = =\n",
    "[",
    "\"",
    "🐳",
];

proptest! {
    #![proptest_config(config(700))]

    #[test]
    fn random_text_never_panics_the_parser(text in "(?s).{0,400}") {
        check_parse(&text, &Assets::builtin())?;
    }

    #[test]
    fn random_lesson_pieces_never_panic_the_parser(
        pieces in prop::collection::vec(prop::sample::select(PIECES.to_vec()), 0..40),
    ) {
        check_parse(&pieces.concat(), &Assets::builtin())?;
    }

    #[test]
    fn mutated_shipped_lessons_never_panic_the_parser(
        which in any::<prop::sample::Index>(),
        edits in prop::collection::vec(
            (0u8..6, any::<prop::sample::Index>(), any::<prop::sample::Index>(), prop::sample::select(PIECES.to_vec())),
            1..6,
        ),
    ) {
        let files = shipped();
        let mut text: Vec<char> = files[which.index(files.len())].chars().collect();
        for (kind, a, b, piece) in edits {
            let len = text.len().max(1);
            let (i, j) = {
                let (x, y) = (a.index(len), b.index(len));
                (x.min(y).min(text.len()), x.max(y).min(text.len()))
            };
            match kind {
                // Delete a range.
                0 => { text.drain(i..j.min(i + 80)); }
                // Insert a piece.
                1 => { text.splice(i..i, piece.chars()); }
                // Duplicate a range.
                2 => {
                    let copy: Vec<char> = text[i..j.min(i + 200)].to_vec();
                    text.splice(j..j, copy);
                }
                // Truncate.
                3 => text.truncate(i),
                // Replace one character.
                4 => if i < text.len() { text[i] = piece.chars().next().unwrap_or('x'); },
                // Swap two characters.
                _ => if j < text.len() { text.swap(i, j); },
            }
        }
        let text: String = text.into_iter().collect();
        check_parse(&text, &Assets::builtin())?;
    }
}
