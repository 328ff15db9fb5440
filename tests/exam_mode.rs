//! Exam mode as the learner sees it: the key bar does not offer `s`, and
//! pressing it says why in the status line; the lesson list shows the
//! instructor's time estimates. Drawn with ratatui's TestBackend.

use docktutor::output::Scrollback;
use docktutor::progress::Progress;
use docktutor::state::{Model, Msg, update};
use docktutor::ui::Ui;
use docktutor::ui::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent};

fn model(hidden: bool) -> Model {
    let mut set = docktutor::lesson::builtin();
    set.lessons[0].minutes = Some(10);
    set.lessons[1].minutes = Some(15);
    let mut m = Model::new(
        set.lessons,
        vec![],
        "/home/learner/my-docker-app".into(),
        Progress::default(),
        Scrollback::default(),
    );
    m.size = (120, 40);
    m.solutions_hidden = hidden;
    m
}

/// The screen's rows as text.
fn screen(m: &Model) -> Vec<String> {
    let mut ui = Ui::new(Theme::new(false));
    let mut terminal = Terminal::new(TestBackend::new(m.size.0, m.size.1)).expect("terminal");
    terminal.draw(|f| _ = ui.draw(f, m)).expect("draw");
    let buffer = terminal.backend().buffer().clone();
    (0..buffer.area.height)
        .map(|y| {
            (0..buffer.area.width)
                .map(|x| buffer[(x, y)].symbol())
                .collect()
        })
        .collect()
}

fn press(m: &mut Model, c: char) {
    update(m, Msg::Key(KeyEvent::from(KeyCode::Char(c))));
}

#[test]
fn the_key_bar_offers_the_solution_only_outside_exam_mode() {
    let normal = screen(&model(false));
    let bar = normal.last().unwrap();
    assert!(bar.contains(" s solution "), "{bar}");
    assert!(bar.contains(" h hint "), "{bar}");

    let mut m = model(true);
    let bar = screen(&m).last().unwrap().clone();
    assert!(!bar.contains("solution"), "{bar}");
    assert!(bar.contains(" h hint "), "hints stay: {bar}");

    press(&mut m, 's');
    let rows = screen(&m);
    assert!(
        rows.iter()
            .any(|r| r.contains("solutions are off for this course")),
        "{}",
        rows.join("\n")
    );
    assert!(
        !rows.iter().any(|r| r.contains("Solution")),
        "no solution popup: {}",
        rows.join("\n")
    );

    // The help screen agrees with the key.
    press(&mut m, '?');
    let help = screen(&m).join("\n");
    assert!(help.contains("solutions are off for this course"), "{help}");
    assert!(!help.contains("show the guide's files"), "{help}");
}

#[test]
fn the_lesson_list_shows_and_sums_the_time_estimates() {
    let mut m = model(false);
    press(&mut m, 'l');
    let rows = screen(&m).join("\n");
    assert!(
        rows.contains("1. Set up your project folder · 10 min"),
        "{rows}"
    );
    assert!(rows.contains("about 25 min in all"), "{rows}");
}

/// `notes` are for the instructor: no screen of the app shows them.
#[test]
fn instructor_notes_never_reach_the_screen() {
    let mut m = model(false);
    m.lessons[0].notes = "INSTRUCTOR-ONLY: they forget the capital D".into();
    let mut seen = screen(&m).join("\n");
    for c in ['h', 's', 'l', '?'] {
        press(&mut m, c);
        seen.push_str(&screen(&m).join("\n"));
        update(&mut m, Msg::Key(KeyEvent::from(KeyCode::Esc)));
    }
    assert!(
        seen.contains("Hello, Docker!"),
        "the screens were drawn: {seen}"
    );
    assert!(!seen.contains("INSTRUCTOR-ONLY"), "{seen}");
}
