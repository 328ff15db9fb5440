//! The `:` prompt at 80×24: the typed line on the last row and the live
//! explanation above it. Only the rows the prompt draws are compared, so
//! the snapshot does not change with the panes' layout underneath.

use docktutor::output::Scrollback;
use docktutor::progress::Progress;
use docktutor::state::{Model, Msg, update};
use docktutor::ui::Ui;
use docktutor::ui::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent};

fn typed(line: &str) -> Model {
    let set = docktutor::lesson::builtin();
    let mut m = Model::new(
        set.lessons,
        vec![],
        "/home/learner/my-docker-app".into(),
        Progress::default(),
        Scrollback::default(),
    );
    m.size = (80, 24);
    for c in std::iter::once(':').chain(line.chars()) {
        update(&mut m, Msg::Key(KeyEvent::from(KeyCode::Char(c))));
    }
    m
}

/// The last `rows` rows of the screen, as text.
fn bottom(m: &Model, rows: u16) -> String {
    let mut ui = Ui::new(Theme::new(false));
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).expect("terminal");
    terminal.draw(|f| _ = ui.draw(f, m)).expect("draw");
    let cursor = terminal.get_cursor_position().expect("cursor");
    let buf = terminal.backend().buffer().clone();
    let mut out = String::new();
    for y in 24 - rows..24 {
        let line: String = (0..80).map(|x| buf[(x, y)].symbol().to_string()).collect();
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out.push_str(&format!("cursor at column {} row {}\n", cursor.x, cursor.y));
    out
}

#[test]
fn the_prompt_explains_the_build_command() {
    let m = typed("docker build -t my-docker-app .");
    insta::assert_snapshot!("prompt_build_80x24", bottom(&m, 8));
}

#[test]
fn the_prompt_explains_a_refused_flag_and_a_typo() {
    let m = typed("docker run --privileged --memroy 1g app");
    insta::assert_snapshot!("prompt_refused_80x24", bottom(&m, 9));
}

#[test]
fn an_empty_prompt_shows_an_example() {
    let m = typed("");
    insta::assert_snapshot!("prompt_empty_80x24", bottom(&m, 4));
}
