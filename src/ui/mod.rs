//! Drawing: pure functions of the model, one file per pane.

pub mod checks_pane;
pub mod header;
pub mod layout;
pub mod lesson_pane;
pub mod markdown;
pub mod output_pane;
pub mod overlays;
pub mod status_bar;
pub mod theme;
mod widgets;

use ratatui::Frame;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

use crate::state::Model;

pub fn view(frame: &mut Frame<'_>, model: &Model) {
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
            Paragraph::new(Line::styled(msg, model.theme.warn)).wrap(Wrap { trim: true }),
            screen,
        );
        return;
    }
    let a = layout::areas(model);
    header::draw(frame, a.header, model);
    lesson_pane::draw(frame, a.lesson, model);
    checks_pane::draw(frame, a.checks, model);
    output_pane::draw(frame, a.output, model);
    status_bar::draw(frame, a.status, model);
    overlays::draw(frame, screen, model);
}
