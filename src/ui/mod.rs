//! Drawing: the model on screen, one file per pane. [`Ui`] holds what only
//! the view needs — the colours ([`Theme`]) and the lessons' rendered text —
//! and each draw returns the panes' figures ([`Viewport`]) for `update`.

pub mod checks_pane;
pub mod header;
pub mod layout;
pub mod lesson_pane;
mod lint_lines;
pub mod markdown;
pub mod output_pane;
pub mod overlays;
pub mod prompt;
pub mod status_bar;
pub mod theme;
mod widgets;

use ratatui::Frame;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

use crate::state::{Model, Viewport};
use theme::Theme;
use widgets::inner;

pub struct Ui {
    theme: Theme,
    lesson_text: lesson_pane::LessonText,
}

impl Ui {
    pub fn new(theme: Theme) -> Ui {
        Ui {
            theme,
            lesson_text: Default::default(),
        }
    }

    pub fn theme(&self) -> &Theme {
        &self.theme
    }

    /// How many times a lesson's Markdown was rendered so far.
    pub fn markdown_renders(&self) -> u64 {
        self.lesson_text.renders()
    }

    /// Draws the model; returns the panes' figures for `Msg::Drawn`.
    pub fn draw(&mut self, frame: &mut Frame<'_>, model: &Model) -> Viewport {
        let t = &self.theme;
        let a = layout::areas(model, t);
        // A pane zoomed away has no area: its content is not worked out.
        let (lesson_in, checks_in) = (inner(a.lesson), inner(a.checks));
        let no_text = lesson_pane::Rendered::default();
        let lesson = if a.lesson.is_empty() {
            None
        } else {
            let text = &mut self.lesson_text;
            Some(lesson_pane::content(model, text, t, lesson_in.width).unwrap_or(&no_text))
        };
        let checks = if a.checks.is_empty() {
            checks_pane::Checklist {
                lines: vec![],
                first_open: None,
            }
        } else {
            checks_pane::lines(model, checks_in.width, t)
        };
        let viewport = layout::viewport(
            &a,
            lesson.map_or(0, |c| c.len()),
            checks.lines.len(),
            output_pane::content_rows(model),
            lesson.map(|c| c.commands.clone()).unwrap_or_default(),
        );

        let screen = frame.area();
        if layout::too_small(model) {
            let msg = format!(
                "Terminal too small: {}×{}. docktutor needs at least {}×{}.",
                screen.width,
                screen.height,
                layout::MIN_WIDTH,
                layout::MIN_HEIGHT
            );
            frame.render_widget(
                Paragraph::new(Line::styled(msg, t.warn)).wrap(Wrap { trim: true }),
                screen,
            );
            return viewport;
        }
        header::draw(frame, a.header, model, t);
        if let Some(lesson) = lesson {
            lesson_pane::draw(frame, a.lesson, model, t, lesson, lesson_in.height as usize);
        }
        checks_pane::draw(frame, a.checks, model, t, checks, checks_in.height as usize);
        output_pane::draw(frame, a.output, model, t);
        status_bar::draw(frame, a.status, model, t);
        overlays::draw(frame, screen, model, t);
        if model.prompt.open {
            prompt::draw(frame, screen, model, t);
        }
        viewport
    }
}

#[cfg(test)]
mod tests {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use ratatui::crossterm::event::{KeyCode, KeyEvent};

    use super::*;
    use crate::output::Scrollback;
    use crate::progress::Progress;
    use crate::state::{Msg, update};

    fn model() -> Model {
        let set = crate::lesson::builtin();
        let mut m = Model::new(
            set.lessons,
            vec![],
            "/ws".into(),
            Progress::default(),
            Scrollback::default(),
        );
        m.size = (80, 24);
        m
    }

    /// Draws as the app does: the figures go back into the model.
    fn draw(term: &mut Terminal<TestBackend>, ui: &mut Ui, m: &mut Model) {
        let mut viewport = Viewport::default();
        term.draw(|f| viewport = ui.draw(f, m)).expect("draw");
        update(m, Msg::Drawn(viewport));
    }

    #[test]
    fn a_key_press_does_not_render_the_lesson_again() {
        let mut m = model();
        let mut ui = Ui::new(Theme::new(true));
        let mut term = Terminal::new(TestBackend::new(80, 24)).expect("terminal");
        draw(&mut term, &mut ui, &mut m);
        assert_eq!(ui.markdown_renders(), 1);
        for _ in 0..5 {
            update(&mut m, Msg::Key(KeyEvent::from(KeyCode::Char('j'))));
            draw(&mut term, &mut ui, &mut m);
        }
        assert_eq!(m.lesson_scroll, 5, "the lesson scrolled");
        assert_eq!(ui.markdown_renders(), 1, "from the kept text");
        // Each lesson is rendered once at a width…
        update(&mut m, Msg::Key(KeyEvent::from(KeyCode::Char('n'))));
        draw(&mut term, &mut ui, &mut m);
        update(&mut m, Msg::Key(KeyEvent::from(KeyCode::Char('p'))));
        draw(&mut term, &mut ui, &mut m);
        assert_eq!(ui.markdown_renders(), 2);
        // …and again at a new width.
        update(&mut m, Msg::Resize(100, 24));
        term.backend_mut().resize(100, 24);
        draw(&mut term, &mut ui, &mut m);
        assert_eq!(ui.markdown_renders(), 3);
    }

    #[test]
    fn the_figures_are_those_of_the_screen() {
        let mut m = model();
        let mut ui = Ui::new(Theme::new(false));
        let mut term = Terminal::new(TestBackend::new(80, 24)).expect("terminal");
        draw(&mut term, &mut ui, &mut m);
        let v = m.viewport.clone();
        let a = layout::areas(&m, ui.theme());
        assert_eq!(v.lesson.height, inner(a.lesson).height as usize);
        assert!(v.lesson.content > v.lesson.height, "lesson 1 is long");
        assert_eq!(
            v.pane_at(a.checks.x + 1, a.checks.y + 1),
            Some(crate::state::Pane::Checks)
        );
        // The end of the lesson is where the view stops scrolling too.
        update(&mut m, Msg::Key(KeyEvent::from(KeyCode::Char('G'))));
        assert_eq!(m.lesson_scroll, v.lesson.content - v.lesson.height);
    }
}
