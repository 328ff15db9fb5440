//! The key map: one table that the key handler, the status bar and the
//! help screen all read, so they can never disagree.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Primary,
    Build,
    Run,
    Images,
    Check,
    Cancel,
    Hint,
    Solution,
    Lessons,
    Edit,
    Starter,
    Load,
    Reset,
    NextLesson,
    PrevLesson,
    FocusNext,
    FocusPrev,
    Down,
    Up,
    PageDown,
    PageUp,
    Top,
    Bottom,
    Zoom,
    Help,
    Quit,
    Suspend,
}

pub struct Binding {
    /// How the keys are written on screen.
    pub keys: &'static str,
    pub action: Action,
    /// The one-word label in the status bar (None: help screen only).
    pub short: Option<&'static str>,
    /// The sentence in the help screen.
    pub help: &'static str,
}

pub const BINDINGS: &[Binding] = &[
    Binding {
        keys: "Enter",
        action: Action::Primary,
        short: None,
        help: "do this lesson's step (build, run, list images) or check it",
    },
    Binding {
        keys: "b",
        action: Action::Build,
        short: Some("build"),
        help: "build the project folder into an image",
    },
    Binding {
        keys: "r",
        action: Action::Run,
        short: Some("run"),
        help: "run the image and show what it prints",
    },
    Binding {
        keys: "i",
        action: Action::Images,
        short: Some("images"),
        help: "list the engine's images, like docker images",
    },
    Binding {
        keys: "c",
        action: Action::Check,
        short: Some("check"),
        help: "check this lesson again now (files are also watched)",
    },
    Binding {
        keys: "x",
        action: Action::Cancel,
        short: Some("stop"),
        help: "stop the running build or container",
    },
    Binding {
        keys: "h",
        action: Action::Hint,
        short: Some("hint"),
        help: "show the hint for this lesson",
    },
    Binding {
        keys: "s",
        action: Action::Solution,
        short: Some("solution"),
        help: "show the guide's files for this lesson",
    },
    Binding {
        keys: "l",
        action: Action::Lessons,
        short: Some("lessons"),
        help: "list all lessons and jump to one",
    },
    Binding {
        keys: "e",
        action: Action::Edit,
        short: Some("edit"),
        help: "open this lesson's file in $EDITOR",
    },
    Binding {
        keys: "w",
        action: Action::Starter,
        short: Some("starter"),
        help: "write starter files that are missing (never overwrites)",
    },
    Binding {
        keys: "o",
        action: Action::Load,
        short: None,
        help: "load a saved image file (docker save -o FILE), for classrooms offline",
    },
    Binding {
        keys: "R",
        action: Action::Reset,
        short: None,
        help: "reset this lesson's progress (your files are kept)",
    },
    Binding {
        keys: "n →",
        action: Action::NextLesson,
        short: Some("next"),
        help: "next lesson",
    },
    Binding {
        keys: "p ←",
        action: Action::PrevLesson,
        short: None,
        help: "previous lesson",
    },
    Binding {
        keys: "Tab",
        action: Action::FocusNext,
        short: None,
        help: "focus the next pane (lesson, checks, output)",
    },
    Binding {
        keys: "S-Tab",
        action: Action::FocusPrev,
        short: None,
        help: "focus the previous pane",
    },
    Binding {
        keys: "j ↓",
        action: Action::Down,
        short: None,
        help: "scroll the focused pane down (mouse wheel too)",
    },
    Binding {
        keys: "k ↑",
        action: Action::Up,
        short: None,
        help: "scroll the focused pane up",
    },
    Binding {
        keys: "PgDn Space",
        action: Action::PageDown,
        short: None,
        help: "scroll a page down",
    },
    Binding {
        keys: "PgUp",
        action: Action::PageUp,
        short: None,
        help: "scroll a page up",
    },
    Binding {
        keys: "g Home",
        action: Action::Top,
        short: None,
        help: "go to the top",
    },
    Binding {
        keys: "G End",
        action: Action::Bottom,
        short: None,
        help: "go to the bottom (the output pane follows new output)",
    },
    Binding {
        keys: "z",
        action: Action::Zoom,
        short: None,
        help: "zoom the focused pane to the whole screen, and back",
    },
    Binding {
        keys: "?",
        action: Action::Help,
        short: Some("help"),
        help: "this help",
    },
    Binding {
        keys: "q",
        action: Action::Quit,
        short: Some("quit"),
        help: "quit (asks first while a build or run is going)",
    },
    // Windows has no job control to suspend to.
    #[cfg(unix)]
    Binding {
        keys: "C-z",
        action: Action::Suspend,
        short: None,
        help: "suspend to the shell; fg comes back",
    },
];

/// Which action a key press means in the main screen.
pub fn action_for(key: &KeyEvent) -> Option<Action> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    Some(match key.code {
        KeyCode::Char('c') if ctrl => Action::Quit,
        #[cfg(unix)]
        KeyCode::Char('z') if ctrl => Action::Suspend,
        KeyCode::Char('d') if ctrl => Action::PageDown,
        KeyCode::Char('u') if ctrl => Action::PageUp,
        _ if ctrl => return None,
        KeyCode::Enter => Action::Primary,
        KeyCode::Char('b') => Action::Build,
        KeyCode::Char('r') => Action::Run,
        KeyCode::Char('i') => Action::Images,
        KeyCode::Char('c') => Action::Check,
        KeyCode::Char('x') => Action::Cancel,
        KeyCode::Char('h') => Action::Hint,
        KeyCode::Char('s') => Action::Solution,
        KeyCode::Char('l') => Action::Lessons,
        KeyCode::Char('e') => Action::Edit,
        KeyCode::Char('w') => Action::Starter,
        KeyCode::Char('o') => Action::Load,
        KeyCode::Char('R') => Action::Reset,
        KeyCode::Char('n') | KeyCode::Right => Action::NextLesson,
        KeyCode::Char('p') | KeyCode::Left => Action::PrevLesson,
        KeyCode::Tab => Action::FocusNext,
        KeyCode::BackTab => Action::FocusPrev,
        KeyCode::Char('j') | KeyCode::Down => Action::Down,
        KeyCode::Char('k') | KeyCode::Up => Action::Up,
        KeyCode::PageDown | KeyCode::Char(' ') => Action::PageDown,
        KeyCode::PageUp => Action::PageUp,
        KeyCode::Char('g') | KeyCode::Home => Action::Top,
        KeyCode::Char('G') | KeyCode::End => Action::Bottom,
        KeyCode::Char('z') => Action::Zoom,
        KeyCode::Char('?') | KeyCode::F(1) => Action::Help,
        KeyCode::Char('q') => Action::Quit,
        _ => return None,
    })
}

pub fn binding(action: Action) -> &'static Binding {
    BINDINGS
        .iter()
        .find(|b| b.action == action)
        .unwrap_or(&BINDINGS[0])
}

/// The first key of a binding, as shown in the status bar.
pub fn first_key(action: Action) -> &'static str {
    binding(action).keys.split(' ').next().unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    /// Every key written in the table reaches the action it documents.
    #[test]
    fn the_table_and_the_handler_agree() {
        for b in BINDINGS {
            for k in b.keys.split(' ') {
                let event = match k {
                    "Enter" => key(KeyCode::Enter),
                    "Tab" => key(KeyCode::Tab),
                    "S-Tab" => KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT),
                    "PgDn" => key(KeyCode::PageDown),
                    "PgUp" => key(KeyCode::PageUp),
                    "Space" => key(KeyCode::Char(' ')),
                    "Home" => key(KeyCode::Home),
                    "End" => key(KeyCode::End),
                    "↓" => key(KeyCode::Down),
                    "↑" => key(KeyCode::Up),
                    "→" => key(KeyCode::Right),
                    "←" => key(KeyCode::Left),
                    "C-z" => KeyEvent::new(KeyCode::Char('z'), KeyModifiers::CONTROL),
                    s if s.chars().count() == 1 => key(KeyCode::Char(s.chars().next().unwrap())),
                    other => panic!("unknown key name {other:?} in the table"),
                };
                assert_eq!(action_for(&event), Some(b.action), "key {k}");
            }
        }
    }

    /// The README's key table names every key of the table, so it cannot
    /// go stale without a failing test.
    #[test]
    fn the_readme_lists_every_key() {
        let readme = include_str!("../../README.md");
        let table: String = readme
            .lines()
            .skip_while(|l| !l.starts_with("## Keys"))
            .take_while(|l| !l.starts_with("## Headless"))
            .collect::<Vec<_>>()
            .join("\n");
        for b in BINDINGS {
            for k in b.keys.split(' ') {
                assert!(
                    table.contains(&format!("`{k}`")),
                    "README key table lacks `{k}`"
                );
            }
        }
    }

    #[test]
    fn every_action_is_documented_once() {
        let mut seen = std::collections::HashSet::new();
        for b in BINDINGS {
            assert!(
                seen.insert(format!("{:?}", b.action)),
                "{:?} twice",
                b.action
            );
        }
    }
}
