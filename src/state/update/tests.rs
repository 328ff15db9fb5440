use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::*;
use crate::check::Outcome;
use crate::check::Status;
use crate::engine::{
    EngineCmd, EngineFacts, EngineInfo, EngineMsg, EngineStatus, JobEvent, JobOutcome,
};
use crate::output::Scrollback;
use crate::progress::Progress;
use crate::state::viewport::{PaneFigures, Region, Viewport};

fn model() -> Model {
    let set = crate::lesson::builtin();
    let mut m = Model::new(
        set.lessons,
        vec![],
        "/ws/my-docker-app".into(),
        Progress::default(),
        Scrollback::default(),
    );
    m.size = (80, 24);
    m
}

fn connected(m: &mut Model) {
    update(
        m,
        Msg::Engine(EngineMsg::Status(EngineStatus::Connected(EngineInfo {
            address: "unix:///var/run/docker.sock".into(),
            source: "the default socket".into(),
            name: "Docker Engine".into(),
            version: "20.10".into(),
            api_version: "1.41".into(),
            os_arch: "linux/amd64".into(),
            builder: crate::engine::BuilderChoice::new(
                crate::engine::Builder::BuildKit,
                "the engine's default, as for docker build",
            ),
        }))),
    );
}

fn key(m: &mut Model, code: KeyCode) -> Vec<Effect> {
    update(m, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

/// The answer to the lesson's newest check request.
fn checked(m: &mut Model, lesson: usize, outcomes: Vec<Outcome>, at: u64) -> Vec<Effect> {
    let generation = m.check_runs.newest(lesson);
    update(
        m,
        Msg::Checked {
            generation,
            lesson,
            outcomes,
            at,
            lint: None,
        },
    )
}

fn pass(label: &str) -> Outcome {
    Outcome {
        label: label.into(),
        status: Status::Pass,
        reason: None,
        fix: None,
    }
}

#[test]
fn resumes_at_the_saved_lesson() {
    let set = crate::lesson::builtin();
    let progress = Progress {
        current: Some("run".into()),
        ..Progress::default()
    };
    let m = Model::new(
        set.lessons,
        vec![],
        "/ws".into(),
        progress,
        Scrollback::default(),
    );
    assert_eq!(m.lesson().unwrap().id, "run");
}

#[test]
fn resumes_at_the_first_unfinished_lesson_without_a_saved_one() {
    let set = crate::lesson::builtin();
    let mut progress = Progress::default();
    progress.done.insert("project-folder".into(), 1);
    let m = Model::new(
        set.lessons,
        vec![],
        "/ws".into(),
        progress,
        Scrollback::default(),
    );
    assert_eq!(m.lesson().unwrap().id, "dockerfile");
}

#[test]
fn next_and_previous_lesson_save_and_check() {
    let mut m = model();
    let fx = key(&mut m, KeyCode::Char('n'));
    assert_eq!(m.current, 1);
    assert!(
        matches!(fx[0], Effect::SaveProgress(ref p) if p.current.as_deref() == Some("dockerfile"))
    );
    assert!(matches!(fx[1], Effect::RunChecks { lesson: 1, .. }));
    key(&mut m, KeyCode::Left);
    assert_eq!(m.current, 0);
    assert!(
        key(&mut m, KeyCode::Char('p')).is_empty(),
        "no lesson before the first"
    );
}

#[test]
fn passing_all_checks_marks_the_lesson_done_once() {
    let mut m = model();
    let fx = checked(&mut m, 0, vec![pass("a"), pass("b")], 42);
    assert_eq!(m.progress.done.get("project-folder"), Some(&42));
    assert!(matches!(fx.as_slice(), [Effect::SaveProgress(_)]));
    assert!(m.notice.as_ref().unwrap().text.contains("press n"));
    let fx = checked(&mut m, 0, vec![pass("a")], 99);
    assert!(fx.is_empty());
    assert_eq!(m.progress.done.get("project-folder"), Some(&42));
}

#[test]
fn a_failing_check_does_not_mark_done() {
    let mut m = model();
    let mut fail = pass("b");
    fail.status = Status::Fail;
    checked(&mut m, 0, vec![pass("a"), fail], 1);
    assert!(m.progress.done.is_empty());
}

#[test]
fn build_needs_an_engine() {
    let mut m = model();
    // No engine answered (a connecting one makes the step wait instead).
    update(
        &mut m,
        Msg::Engine(EngineMsg::Status(EngineStatus::Unreachable {
            tried: vec![],
            retry_in: std::time::Duration::from_secs(1),
        })),
    );
    m.current = 2;
    let fx = key(&mut m, KeyCode::Enter);
    assert!(fx.is_empty());
    assert!(m.notice.as_ref().unwrap().error);
    assert!(m.job.is_none());
}

#[test]
fn enter_builds_in_the_build_lesson_and_the_build_reports_back() {
    let mut m = model();
    connected(&mut m);
    m.current = 2;
    let fx = key(&mut m, KeyCode::Enter);
    assert_eq!(
        fx,
        vec![Effect::Engine(EngineCmd::Build {
            workdir: "/ws/my-docker-app".into(),
            dockerfile: None,
            tag: "my-docker-app".into()
        })]
    );
    assert!(
        m.output
            .plain_text()
            .contains("$ docker build -t my-docker-app .")
    );
    // A second build while one runs is refused.
    assert!(key(&mut m, KeyCode::Char('b')).is_empty());
    update(
        &mut m,
        Msg::Engine(EngineMsg::Job(JobEvent::Step {
            current: 2,
            total: 6,
        })),
    );
    assert_eq!(m.job.as_ref().unwrap().step, Some((2, 6)));
    update(
        &mut m,
        Msg::Engine(EngineMsg::Job(JobEvent::Output(
            b"Step 2/6 : WORKDIR /app\n".to_vec(),
        ))),
    );
    let fx = update(
        &mut m,
        Msg::Engine(EngineMsg::JobDone(JobOutcome::Built {
            tag: "my-docker-app".into(),
            image_id: Some("sha256:0123456789abcdef".into()),
            steps: vec![],
        })),
    );
    assert!(m.job.is_none());
    assert!(matches!(
        fx.as_slice(),
        [Effect::RunChecks { lesson: 2, .. }]
    ));
    assert!(
        m.output
            .plain_text()
            .contains("✓ built my-docker-app 0123456789ab")
    );
}

#[test]
fn a_failed_build_shows_the_dockerfile_line() {
    let mut m = model();
    connected(&mut m);
    m.current = 2;
    key(&mut m, KeyCode::Enter);
    update(
        &mut m,
        Msg::Engine(EngineMsg::Job(JobEvent::Step {
            current: 4,
            total: 6,
        })),
    );
    let failure = crate::engine::BuildFailure {
        message: "The command '/bin/sh -c pip install nope' returned a non-zero code: 1".into(),
        step: Some(4),
        line: Some(8),
        instruction: Some("RUN pip install nope".into()),
        advice: None,
    };
    update(
        &mut m,
        Msg::Engine(EngineMsg::JobDone(JobOutcome::BuildFailed(failure))),
    );
    let text = m.output.plain_text();
    assert!(text.contains("✗ build failed at step 4/6"), "{text}");
    assert!(
        text.contains("Dockerfile line 8: RUN pip install nope"),
        "{text}"
    );
}

#[test]
fn quitting_during_a_job_asks_first_then_cancels() {
    let mut m = model();
    connected(&mut m);
    m.current = 3;
    key(&mut m, KeyCode::Enter);
    assert!(m.job.is_some());
    assert!(key(&mut m, KeyCode::Char('q')).is_empty());
    assert_eq!(m.overlay, Some(Overlay::ConfirmQuit));
    let fx = key(&mut m, KeyCode::Char('y'));
    assert!(m.quit);
    assert_eq!(fx[0], Effect::Engine(EngineCmd::Cancel));
    assert_eq!(fx.last(), Some(&Effect::Quit));
}

#[test]
fn answering_no_keeps_running() {
    let mut m = model();
    connected(&mut m);
    m.current = 3;
    key(&mut m, KeyCode::Enter);
    key(&mut m, KeyCode::Char('q'));
    key(&mut m, KeyCode::Char('n'));
    assert!(!m.quit);
    assert!(m.job.is_some());
    assert_eq!(m.overlay, None);
}

#[test]
fn quitting_when_idle_is_immediate_and_saves() {
    let mut m = model();
    let fx = key(&mut m, KeyCode::Char('q'));
    assert!(m.quit);
    assert!(matches!(
        fx.as_slice(),
        [Effect::SaveProgress(_), Effect::Quit]
    ));
}

#[test]
fn a_signal_quits_even_during_a_job() {
    let mut m = model();
    connected(&mut m);
    m.current = 3;
    key(&mut m, KeyCode::Enter);
    let fx = update(&mut m, Msg::Terminate);
    assert!(m.quit);
    assert_eq!(fx[0], Effect::Engine(EngineCmd::Cancel));
}

#[test]
fn losing_the_engine_drops_facts_and_rechecks() {
    let mut m = model();
    connected(&mut m);
    update(
        &mut m,
        Msg::Engine(EngineMsg::Facts(EngineFacts::default())),
    );
    assert!(m.facts.is_some());
    let fx = update(
        &mut m,
        Msg::Engine(EngineMsg::Status(EngineStatus::Unreachable {
            tried: vec![],
            retry_in: std::time::Duration::from_secs(1),
        })),
    );
    assert!(m.facts.is_none());
    assert!(matches!(
        fx.as_slice(),
        [Effect::RunChecks { facts: None, .. }]
    ));
}

#[test]
fn overlays_open_and_close() {
    let mut m = model();
    key(&mut m, KeyCode::Char('?'));
    assert_eq!(m.overlay, Some(Overlay::Help { scroll: 0 }));
    key(&mut m, KeyCode::Char('j'));
    assert_eq!(m.overlay, Some(Overlay::Help { scroll: 1 }));
    key(&mut m, KeyCode::Esc);
    assert_eq!(m.overlay, None);
    key(&mut m, KeyCode::Char('h'));
    assert_eq!(m.overlay, Some(Overlay::Hint));
    key(&mut m, KeyCode::Char('x'));
    assert_eq!(m.overlay, None);
}

#[test]
fn lesson_list_jumps() {
    let mut m = model();
    key(&mut m, KeyCode::Char('l'));
    key(&mut m, KeyCode::Down);
    key(&mut m, KeyCode::Down);
    key(&mut m, KeyCode::Enter);
    assert_eq!(m.current, 2);
    key(&mut m, KeyCode::Char('l'));
    key(&mut m, KeyCode::Char('5'));
    assert_eq!(m.current, 4);
}

#[test]
fn reset_forgets_progress_after_confirmation() {
    let mut m = model();
    m.progress.done.insert("project-folder".into(), 1);
    key(&mut m, KeyCode::Char('R'));
    assert_eq!(m.overlay, Some(Overlay::ConfirmReset));
    let fx = key(&mut m, KeyCode::Char('y'));
    assert!(m.progress.done.is_empty());
    assert!(matches!(fx[0], Effect::SaveProgress(_)));
}

/// The figures a draw would report: the lesson pane 10 lines high with
/// 40 lines of content, the output pane 6 high.
fn drawn(m: &mut Model) {
    let pane = |y, height: usize, content| PaneFigures {
        area: Region {
            x: 0,
            y,
            width: 80,
            height: height as u16 + 2,
        },
        height,
        content,
    };
    let viewport = Viewport {
        lesson: pane(1, 10, 40),
        checks: pane(13, 3, 3),
        output: pane(18, 6, 0),
        lesson_commands: vec![12, 25],
    };
    update(m, Msg::Drawn(viewport));
}

#[test]
fn scrolling_is_clamped_to_the_content() {
    let mut m = model();
    drawn(&mut m);
    for _ in 0..500 {
        key(&mut m, KeyCode::Char('j'));
    }
    let max = 40 - 10;
    assert_eq!(m.lesson_scroll, max);
    key(&mut m, KeyCode::Char('k'));
    assert_eq!(m.lesson_scroll, max - 1);
    key(&mut m, KeyCode::Char('g'));
    assert_eq!(m.lesson_scroll, 0);
}

#[test]
fn output_follows_until_scrolled_back() {
    let mut m = model();
    drawn(&mut m);
    for i in 0..200 {
        m.output.push_str(&format!("line {i}\n"));
    }
    m.focus = Pane::Output;
    assert_eq!(m.output_top, None);
    key(&mut m, KeyCode::Char('k'));
    assert!(m.output_top.is_some());
    key(&mut m, KeyCode::Char('G'));
    assert_eq!(m.output_top, None);
}

#[test]
fn starter_and_edit_effects() {
    let mut m = model();
    let fx = key(&mut m, KeyCode::Char('w'));
    assert!(
        matches!(&fx[0], Effect::WriteStarters(files) if files.iter().any(|f| f.name == "app.py"))
    );
    let fx = key(&mut m, KeyCode::Char('e'));
    assert_eq!(
        fx,
        vec![Effect::OpenEditor("/ws/my-docker-app/app.py".into())]
    );
}

#[test]
fn key_releases_are_ignored() {
    let mut m = model();
    let mut k = KeyEvent::new(KeyCode::Char('n'), KeyModifiers::NONE);
    k.kind = ratatui::crossterm::event::KeyEventKind::Release;
    assert!(update(&mut m, Msg::Key(k)).is_empty());
    assert_eq!(m.current, 0);
}

/// A lesson with several actions: Enter runs them in order, each waiting
/// for the one before; a failure stops the rest.
fn multi_action_model() -> Model {
    let text = "+++\nid = \"multi\"\ntitle = \"Multi\"\n[[action]]\nkind = \"build\"\ntag = \"a:full\"\ndockerfile = \"Dockerfile.full\"\n[[action]]\nkind = \"build\"\ntag = \"a:slim\"\n[[action]]\nkind = \"compare\"\nimages = [\"a:full\", \"a:slim\"]\n+++\n# Multi\n";
    let lesson = crate::lesson::parse("x.md", text, &crate::lesson::Assets::builtin()).unwrap();
    let mut m = Model::new(
        vec![lesson],
        vec![],
        "/ws".into(),
        Progress::default(),
        Scrollback::default(),
    );
    m.size = (80, 24);
    connected(&mut m);
    m
}

fn built(tag: &str) -> Msg {
    Msg::Engine(EngineMsg::JobDone(JobOutcome::Built {
        tag: tag.into(),
        image_id: None,
        steps: vec![],
    }))
}

#[test]
fn enter_runs_every_action_in_order() {
    let mut m = multi_action_model();
    let fx = key(&mut m, KeyCode::Enter);
    assert!(
        matches!(&fx[..], [Effect::Engine(EngineCmd::Build { tag, dockerfile: Some(d), .. })] if tag == "a:full" && d == "Dockerfile.full")
    );
    let fx = update(&mut m, built("a:full"));
    assert!(fx.iter().any(|e| matches!(e, Effect::Engine(EngineCmd::Build { tag, dockerfile: None, .. }) if tag == "a:slim")), "{fx:?}");
    // Both builds' output stays in the pane.
    assert!(m.output.plain_text().contains("-t a:full"));
    assert!(m.output.plain_text().contains("-t a:slim"));
    update(&mut m, built("a:slim"));
    assert_eq!(
        m.output_view,
        OutputView::Sizes,
        "the comparison comes last"
    );
    assert!(m.queue.is_empty());
}

#[test]
fn a_failed_action_stops_the_rest() {
    let mut m = multi_action_model();
    key(&mut m, KeyCode::Enter);
    let fx = update(
        &mut m,
        Msg::Engine(EngineMsg::JobDone(JobOutcome::BuildFailed(
            crate::engine::BuildFailure::plain("boom".into()),
        ))),
    );
    assert!(
        !fx.iter()
            .any(|e| matches!(e, Effect::Engine(EngineCmd::Build { .. })))
    );
    assert!(m.queue.is_empty());
    assert!(m.job.is_none());
}

#[test]
fn run_options_follow_the_action() {
    let a = crate::lesson::Action::Run {
        image: "x".into(),
        memory: Some("256m".into()),
        cpus: Some(0.5),
        until: Some("healthy".into()),
        timeout: Some(30),
    };
    let o = a.run_options();
    assert_eq!(o.memory, Some(256 << 20));
    assert_eq!(o.nano_cpus, Some(500_000_000));
    assert_eq!(o.until_healthy, Some(std::time::Duration::from_secs(30)));
}

/// Two check runs of one lesson: the newer answers first (failing), the
/// older, slower one last (passing). The older answer is stale: it shows
/// nothing and saves no progress.
#[test]
fn a_stale_check_answer_is_dropped() {
    let mut m = model();
    let Effect::RunChecks {
        generation: older, ..
    } = check_effect(&mut m)
    else {
        panic!("a check run")
    };
    let fx = key(&mut m, KeyCode::Char('c'));
    let Some(Effect::RunChecks {
        generation: newer, ..
    }) = fx.first()
    else {
        panic!("c checks again: {fx:?}")
    };
    assert!(*newer > older);
    let mut fail = pass("b");
    fail.status = Status::Fail;
    let answer = |generation, outcomes, lint| Msg::Checked {
        generation,
        lesson: 0,
        outcomes,
        at: 7,
        lint,
    };
    update(
        &mut m,
        answer(*newer, vec![pass("a"), fail], Some(Ok(vec![]))),
    );
    m.needs_draw = false;
    let fx = update(
        &mut m,
        answer(older, vec![pass("a"), pass("b")], Some(Err("old".into()))),
    );
    assert!(
        fx.is_empty(),
        "no progress saved from a stale answer: {fx:?}"
    );
    assert!(!m.lesson_passed(0));
    assert!(m.progress.done.is_empty());
    assert_eq!(m.lint, Some(Ok(vec![])), "the newer linter findings stay");
    assert!(!m.needs_draw, "nothing changed on screen");
}

/// A slower answer for another lesson is still that lesson's newest.
#[test]
fn another_lessons_answer_still_counts() {
    let mut m = model();
    let Effect::RunChecks { generation, .. } = check_effect(&mut m) else {
        panic!("a check run")
    };
    key(&mut m, KeyCode::Char('n'));
    update(
        &mut m,
        Msg::Checked {
            generation,
            lesson: 0,
            outcomes: vec![pass("a")],
            at: 9,
            lint: None,
        },
    );
    assert!(m.lesson_passed(0));
    assert_eq!(m.progress.done.get("project-folder"), Some(&9));
}

#[test]
fn a_key_release_does_not_redraw() {
    let mut m = model();
    m.needs_draw = false;
    let mut k = KeyEvent::new(KeyCode::Char('j'), KeyModifiers::NONE);
    k.kind = ratatui::crossterm::event::KeyEventKind::Release;
    update(&mut m, Msg::Key(k));
    assert!(!m.needs_draw);
}

#[test]
fn keys_that_change_nothing_do_not_redraw() {
    let mut m = model();
    drawn(&mut m);
    m.needs_draw = false;
    // Esc with nothing to close, k at the top, a wheel turn over no pane.
    key(&mut m, KeyCode::Esc);
    key(&mut m, KeyCode::Char('k'));
    update(
        &mut m,
        Msg::Mouse(ratatui::crossterm::event::MouseEvent {
            kind: ratatui::crossterm::event::MouseEventKind::ScrollDown,
            column: 0,
            row: 0,
            modifiers: KeyModifiers::NONE,
        }),
    );
    update(&mut m, Msg::Paste(String::new()));
    update(&mut m, Msg::Tick);
    assert!(!m.needs_draw, "nothing on screen changed");
    key(&mut m, KeyCode::Char('j'));
    assert!(m.needs_draw, "scrolling redraws");
    assert_eq!(m.lesson_scroll, 1);
}

#[test]
fn an_unknown_key_redraws_to_say_so() {
    let mut m = model();
    m.needs_draw = false;
    key(&mut m, KeyCode::Char('%'));
    assert!(m.needs_draw);
    assert!(m.notice.is_some());
}

#[test]
fn a_draws_figures_clamp_scrolling_without_a_redraw() {
    let mut m = model();
    drawn(&mut m);
    key(&mut m, KeyCode::Char('G'));
    assert_eq!(m.lesson_scroll, 30);
    m.needs_draw = false;
    // A taller pane (say, after a resize) brings the end closer.
    let mut v = m.viewport.clone();
    v.lesson.height = 35;
    update(&mut m, Msg::Drawn(v.clone()));
    assert_eq!(m.lesson_scroll, 5);
    assert!(!m.needs_draw, "the draw already showed it clamped");
    // A pane zoomed away keeps its place.
    v.lesson = PaneFigures::default();
    m.lesson_scroll = 20;
    update(&mut m, Msg::Drawn(v));
    assert_eq!(m.lesson_scroll, 20);
}

#[test]
fn notes_say_what_they_mean() {
    let mut m = model();
    connected(&mut m);
    m.current = 2;
    key(&mut m, KeyCode::Enter);
    update(
        &mut m,
        Msg::Engine(EngineMsg::JobDone(JobOutcome::Interrupted {
            what: "build".into(),
            reason: "the engine went away".into(),
        })),
    );
    let notes: Vec<_> = m.output.window(0, 10).iter().map(|l| l.note).collect();
    use crate::output::Note;
    assert_eq!(
        notes,
        [Some(Note::Command), Some(Note::Warning), Some(Note::Info)]
    );
}

#[test]
fn a_job_is_timed_on_the_app_clock_from_start_to_end() {
    let mut m = model();
    connected(&mut m);
    m.current = 2;
    m.clock_ms = 5_000;
    key(&mut m, KeyCode::Enter);
    assert_eq!(m.job.as_ref().unwrap().started_ms, 5_000);
    m.clock_ms = 6_400;
    update(
        &mut m,
        Msg::Engine(EngineMsg::JobDone(JobOutcome::Built {
            tag: "my-docker-app".into(),
            image_id: Some("sha256:0123456789abcdef".into()),
            steps: vec![],
        })),
    );
    assert_eq!(m.last_job_ms, Some(1_400));
}

#[test]
fn e_switches_to_the_other_engine_only_once_one_has_answered() {
    let mut m = model();
    connected(&mut m);
    // Before another engine answered, E explains itself and does nothing.
    assert!(key(&mut m, KeyCode::Char('E')).is_empty());
    update(
        &mut m,
        Msg::Engine(EngineMsg::OtherEngine(EngineInfo {
            address: "unix:///run/podman/podman.sock".into(),
            source: "Podman's socket".into(),
            name: "Podman Engine".into(),
            version: "4.3.1".into(),
            api_version: "1.41".into(),
            os_arch: "linux/amd64".into(),
            builder: crate::engine::BuilderChoice::new(
                crate::engine::Builder::Classic,
                "Podman builds with Buildah",
            ),
        })),
    );
    assert!(m.notice.as_ref().unwrap().text.contains("press E"));
    assert_eq!(
        key(&mut m, KeyCode::Char('E')),
        vec![Effect::Engine(EngineCmd::SwitchEngine)]
    );
    // Asked once; a second E has nothing to switch to.
    assert!(key(&mut m, KeyCode::Char('E')).is_empty());
}

#[test]
fn enter_while_the_engine_connects_waits_and_starts_when_it_answers() {
    // Seen in the end-to-end test on Podman: a quick learner pressed Enter
    // half a second after start, got "connecting to the Docker engine…"
    // and nothing happened after the engine answered.
    let mut m = model();
    assert_eq!(m.engine, EngineStatus::Connecting);
    m.current = 2;
    assert!(key(&mut m, KeyCode::Enter).is_empty());
    assert!(m.job.is_none());
    let waiting = m.notice.as_ref().unwrap();
    assert!(!waiting.error && waiting.text.contains("as soon as the engine answers"));
    let fx = update(
        &mut m,
        Msg::Engine(EngineMsg::Status(EngineStatus::Connected(EngineInfo {
            address: "unix:///run/podman/podman.sock".into(),
            source: "--host".into(),
            name: "Podman Engine".into(),
            version: "4.3.1".into(),
            api_version: "1.41".into(),
            os_arch: "linux/amd64".into(),
            builder: crate::engine::BuilderChoice::new(
                crate::engine::Builder::Classic,
                "Podman builds with Buildah",
            ),
        }))),
    );
    assert!(
        fx.iter()
            .any(|e| matches!(e, Effect::Engine(EngineCmd::Build { .. }))),
        "{fx:?}"
    );
    assert!(m.job.is_some());
}

#[test]
fn x_cancels_a_step_waiting_for_the_engine() {
    let mut m = model();
    m.current = 2;
    key(&mut m, KeyCode::Enter);
    key(&mut m, KeyCode::Char('x'));
    connected(&mut m);
    assert!(m.job.is_none(), "nothing starts after x");
}

#[test]
fn page_down_pages_the_lesson_from_any_focus() {
    let mut m = model();
    drawn(&mut m);
    m.focus = Pane::Output;
    key(&mut m, KeyCode::PageDown);
    assert_eq!(m.lesson_scroll, 8, "a page of 10 rows, less 2 for context");
    key(&mut m, KeyCode::Char(' '));
    assert_eq!(m.lesson_scroll, 16);
    key(&mut m, KeyCode::PageUp);
    assert_eq!(m.lesson_scroll, 8);
    // C-d pages the focused pane.
    m.focus = Pane::Checks;
    update(
        &mut m,
        Msg::Key(KeyEvent::new(KeyCode::Char('d'), KeyModifiers::CONTROL)),
    );
    assert_eq!(m.lesson_scroll, 8, "the lesson stayed");
}

#[test]
fn d_jumps_to_the_next_command_block_and_wraps() {
    let mut m = model();
    drawn(&mut m);
    // Blocks start at lines 12 and 25: each lands one line below the top.
    key(&mut m, KeyCode::Char('d'));
    assert_eq!(m.lesson_scroll, 11);
    key(&mut m, KeyCode::Char('d'));
    assert_eq!(m.lesson_scroll, 24);
    key(&mut m, KeyCode::Char('d'));
    assert_eq!(m.lesson_scroll, 11, "after the last, the first again");
    // A lesson without blocks says so.
    m.viewport.lesson_commands.clear();
    key(&mut m, KeyCode::Char('d'));
    assert!(m.notice.is_some());
}

#[test]
fn the_output_folds_when_its_job_ends_and_unfolds_on_request() {
    let mut m = model();
    connected(&mut m);
    assert!(m.output_folded(), "nothing ran yet");
    key(&mut m, KeyCode::Char('b'));
    assert!(!m.output_folded(), "open while the build runs");
    key(&mut m, KeyCode::Char('f'));
    assert!(!m.output_folded(), "a running job's output stays open");
    update(
        &mut m,
        Msg::Engine(EngineMsg::JobDone(JobOutcome::Built {
            tag: "my-docker-app".into(),
            image_id: Some("sha256:2a1e8f5c9a10ffff".into()),
            steps: vec![],
        })),
    );
    assert!(m.output_folded());
    assert_eq!(
        m.last_summary.as_deref(),
        Some("✓ built my-docker-app 2a1e8f5c9a10")
    );
    key(&mut m, KeyCode::Char('f'));
    assert!(!m.output_folded(), "f unfolds");
    key(&mut m, KeyCode::Char('f'));
    assert!(m.output_folded(), "and folds again");
    // Focusing the output unfolds it; z then zooms that pane.
    key(&mut m, KeyCode::Tab);
    key(&mut m, KeyCode::Tab);
    assert_eq!(m.focus, Pane::Output);
    assert!(!m.output_folded());
    key(&mut m, KeyCode::Char('z'));
    assert!(m.zoom);
    // Folding the focused output gives the focus back to the lesson.
    key(&mut m, KeyCode::Char('f'));
    assert!(m.output_folded() && !m.zoom && m.focus == Pane::Lesson);
}

#[test]
fn a_run_folds_to_what_it_printed() {
    let mut m = model();
    connected(&mut m);
    key(&mut m, KeyCode::Char('r'));
    update(
        &mut m,
        Msg::Engine(EngineMsg::Job(JobEvent::Output(
            b"Hello, Docker!\n".to_vec(),
        ))),
    );
    let record = crate::engine::RunRecord {
        exit_code: Some(0),
        output: Some("Hello, Docker!\n".into()),
        ..Default::default()
    };
    update(
        &mut m,
        Msg::Engine(EngineMsg::JobDone(JobOutcome::Ran {
            image: "my-docker-app".into(),
            record,
        })),
    );
    assert_eq!(
        m.last_summary.as_deref(),
        Some("✓ exited 0 — printed Hello, Docker!")
    );
    // A long output ends with what matters (the record keeps only its start).
    key(&mut m, KeyCode::Char('r'));
    update(
        &mut m,
        Msg::Engine(EngineMsg::Job(JobEvent::Output(
            b"one\ntwo\nthe end\n".to_vec(),
        ))),
    );
    let record = crate::engine::RunRecord {
        exit_code: Some(3),
        output: Some("one\n".into()),
        ..Default::default()
    };
    update(
        &mut m,
        Msg::Engine(EngineMsg::JobDone(JobOutcome::Ran {
            image: "my-docker-app".into(),
            record,
        })),
    );
    assert_eq!(
        m.last_summary.as_deref(),
        Some("✗ exited 3 — printed several lines, ending with the end")
    );
}

#[test]
fn a_run_is_kept_with_the_progress_for_check_in_another_process() {
    let mut m = model();
    connected(&mut m);
    key(&mut m, KeyCode::Char('r'));
    let record = crate::engine::RunRecord {
        image_id: "sha256:aaa".into(),
        exit_code: Some(0),
        output: Some("é".repeat(3000)),
        ..Default::default()
    };
    let effects = update(
        &mut m,
        Msg::Engine(EngineMsg::JobDone(JobOutcome::Ran {
            image: "my-docker-app".into(),
            record,
        })),
    );
    let kept = &m.progress.runs["my-docker-app:latest"];
    assert_eq!(kept.image_id, "sha256:aaa");
    // Its start, cut on a character boundary.
    let out = kept.output.as_deref().unwrap();
    assert!(out.len() <= crate::progress::RUN_OUTPUT_KEPT && out.starts_with('é'));
    assert!(
        effects.iter().any(
            |e| matches!(e, Effect::SaveProgress(p) if p.runs.contains_key("my-docker-app:latest"))
        ),
        "{effects:?}"
    );
    // The saved file reads back with it.
    let text = toml::to_string(&m.progress).unwrap();
    let back: crate::progress::Progress = toml::from_str(&text).unwrap();
    assert_eq!(back.runs, m.progress.runs);
}

#[test]
fn a_failed_job_stays_unfolded_until_f() {
    let mut m = model();
    connected(&mut m);
    key(&mut m, KeyCode::Char('b'));
    update(
        &mut m,
        Msg::Engine(EngineMsg::JobDone(JobOutcome::BuildFailed(
            crate::engine::BuildFailure {
                message: "no such file".into(),
                step: Some(3),
                line: Some(3),
                instruction: None,
                advice: None,
            },
        ))),
    );
    assert!(!m.output_folded(), "the reason stays in view");
    key(&mut m, KeyCode::Char('f'));
    assert!(m.output_folded());
    assert_eq!(m.last_summary.as_deref(), Some("✗ build failed"));
}

/// Exam mode (`--no-solutions`, `solutions = false`): `s` opens nothing and
/// says why; hints stay.
#[test]
fn exam_mode_refuses_the_solution_and_keeps_the_hint() {
    let mut m = model();
    m.solutions_hidden = true;
    key(&mut m, KeyCode::Char('s'));
    assert_eq!(m.overlay, None);
    assert_eq!(
        m.notice.as_ref().map(|n| n.text.as_str()),
        Some("solutions are off for this course")
    );
    key(&mut m, KeyCode::Char('h'));
    assert_eq!(m.overlay, Some(Overlay::Hint));
    key(&mut m, KeyCode::Esc);
    m.solutions_hidden = false;
    key(&mut m, KeyCode::Char('s'));
    assert_eq!(m.overlay, Some(Overlay::Solution { scroll: 0 }));
}

#[test]
fn lesson_passed_is_taken_back_when_the_lesson_fails_again() {
    let mut m = model();
    let n = m.lessons[0].checks.len();
    let pass = |label: &str| Outcome {
        label: label.into(),
        status: crate::check::Status::Pass,
        reason: None,
        fix: None,
    };
    checked(&mut m, 0, (0..n).map(|i| pass(&i.to_string())).collect(), 1);
    assert!(
        m.notice
            .as_ref()
            .is_some_and(|n| n.text.starts_with("✓ lesson passed"))
    );
    // app.py edited: a check fails now.
    let mut outcomes: Vec<Outcome> = (0..n).map(|i| pass(&i.to_string())).collect();
    outcomes[0].status = crate::check::Status::Fail;
    outcomes[0].reason = Some("changed".into());
    checked(&mut m, 0, outcomes, 2);
    assert!(m.notice.is_none(), "{:?}", m.notice);
}

#[test]
fn a_run_from_an_earlier_session_counts_until_the_engine_knows_a_newer_one() {
    let mut m = model();
    let old = crate::engine::RunRecord {
        image_id: "sha256:aaa".into(),
        exit_code: Some(0),
        output: Some("Hello, Docker!\n".into()),
        ..Default::default()
    };
    m.progress.remember_run("my-docker-app", old.clone());
    update(
        &mut m,
        Msg::Engine(EngineMsg::Facts(crate::engine::EngineFacts::default())),
    );
    assert_eq!(m.facts.as_ref().unwrap().runs["my-docker-app:latest"], old);
    let mut facts = crate::engine::EngineFacts::default();
    let newer = crate::engine::RunRecord {
        exit_code: Some(3),
        ..old.clone()
    };
    facts
        .runs
        .insert("my-docker-app:latest".into(), newer.clone());
    update(&mut m, Msg::Engine(EngineMsg::Facts(facts)));
    assert_eq!(
        m.facts.as_ref().unwrap().runs["my-docker-app:latest"],
        newer
    );
}
