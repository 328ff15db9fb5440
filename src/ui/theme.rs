//! Colours and emphasis in one place. With `NO_COLOR` set, every style
//! keeps its emphasis (bold, dim, reversed) and loses its colour.

use ratatui::style::{Color, Modifier, Style};

use crate::output::Note;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub color: bool,
    pub text: Style,
    pub dim: Style,
    pub title: Style,
    pub heading: Style,
    pub subheading: Style,
    pub code: Style,
    pub code_block: Style,
    pub command: Style,
    pub pass: Style,
    pub fail: Style,
    pub warn: Style,
    pub key: Style,
    pub border: Style,
    pub border_focused: Style,
    pub selected: Style,
    pub link: Style,
}

impl Theme {
    pub fn new(color: bool) -> Theme {
        let c = |style: Style, fg: Color| if color { style.fg(fg) } else { style };
        let plain = Style::default();
        Theme {
            color,
            text: plain,
            dim: plain.add_modifier(Modifier::DIM),
            title: c(plain.add_modifier(Modifier::BOLD), Color::Cyan),
            heading: c(
                plain.add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
                Color::Cyan,
            ),
            subheading: c(plain.add_modifier(Modifier::BOLD), Color::Cyan),
            code: c(plain, Color::Yellow),
            code_block: c(plain, Color::Yellow),
            command: c(plain.add_modifier(Modifier::BOLD), Color::Magenta),
            pass: c(plain.add_modifier(Modifier::BOLD), Color::Green),
            fail: c(plain.add_modifier(Modifier::BOLD), Color::Red),
            warn: c(plain, Color::Yellow),
            key: c(plain.add_modifier(Modifier::BOLD), Color::Cyan),
            border: c(plain, Color::DarkGray),
            border_focused: c(plain.add_modifier(Modifier::BOLD), Color::Cyan),
            selected: plain.add_modifier(Modifier::REVERSED),
            link: plain.add_modifier(Modifier::UNDERLINED),
        }
    }

    /// How one of the app's notes in the output pane looks.
    pub fn note(&self, note: Note) -> Style {
        match note {
            Note::Command => self.command,
            Note::Pass => self.pass,
            Note::Fail => self.fail,
            Note::Warning => self.warn,
            Note::Info => self.dim,
        }
    }

    /// Colour unless the `NO_COLOR` convention (no-color.org) says no.
    pub fn from_env() -> Theme {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Theme::new(!no_color)
    }
}
