//! The key map: one table that the key handler, the status bar and the
//! help screen all read, so they can never disagree.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// What a key asks for (not to be confused with `lesson::Action`, a step a
/// lesson does: Enter turns into those).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyAction {
    Primary,
    Prompt,
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
    SwitchEngine,
    Reset,
    NextLesson,
    PrevLesson,
    FocusNext,
    FocusPrev,
    Down,
    Up,
    PageDown,
    PageUp,
    FocusedPageDown,
    FocusedPageUp,
    NextCommand,
    ToggleOutput,
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
    pub action: KeyAction,
    /// The one-word label in the status bar (None: help screen only).
    pub short: Option<&'static str>,
    /// The sentence in the help screen.
    pub help: &'static str,
}

pub const BINDINGS: &[Binding] = &[
    Binding {
        keys: "Enter",
        action: KeyAction::Primary,
        short: None,
        help: "do this lesson's step (build, run, list images) or check it",
    },
    Binding {
        keys: ":",
        action: KeyAction::Prompt,
        short: None,
        help: "type a docker command; Enter runs it, Esc closes",
    },
    Binding {
        keys: "b",
        action: KeyAction::Build,
        short: Some("build"),
        help: "build the project folder into an image",
    },
    Binding {
        keys: "r",
        action: KeyAction::Run,
        short: Some("run"),
        help: "run the image and show what it prints",
    },
    Binding {
        keys: "i",
        action: KeyAction::Images,
        short: Some("images"),
        help: "list the engine's images, like docker images",
    },
    Binding {
        keys: "c",
        action: KeyAction::Check,
        short: Some("check"),
        help: "check this lesson again now (files are also watched)",
    },
    Binding {
        keys: "x",
        action: KeyAction::Cancel,
        short: Some("stop"),
        help: "stop the running build or container",
    },
    Binding {
        keys: "h",
        action: KeyAction::Hint,
        short: Some("hint"),
        help: "show the hint for this lesson",
    },
    Binding {
        keys: "s",
        action: KeyAction::Solution,
        short: Some("solution"),
        help: "show the guide's files for this lesson",
    },
    Binding {
        keys: "l",
        action: KeyAction::Lessons,
        short: Some("lessons"),
        help: "list all lessons and jump to one",
    },
    Binding {
        keys: "e",
        action: KeyAction::Edit,
        short: Some("edit"),
        help: "open this lesson's file in $EDITOR",
    },
    Binding {
        keys: "w",
        action: KeyAction::Starter,
        short: Some("starter"),
        help: "write starter files that are missing (never overwrites)",
    },
    Binding {
        keys: "o",
        action: KeyAction::Load,
        short: None,
        help: "load a saved image file (docker save -o FILE), for classrooms offline",
    },
    Binding {
        keys: "E",
        action: KeyAction::SwitchEngine,
        short: None,
        help: "switch to another engine that answers when yours is gone",
    },
    Binding {
        keys: "R",
        action: KeyAction::Reset,
        short: None,
        help: "reset this lesson's progress (your files are kept)",
    },
    Binding {
        keys: "n →",
        action: KeyAction::NextLesson,
        short: Some("next"),
        help: "next lesson",
    },
    Binding {
        keys: "p ←",
        action: KeyAction::PrevLesson,
        short: None,
        help: "previous lesson",
    },
    Binding {
        keys: "Tab",
        action: KeyAction::FocusNext,
        short: None,
        help: "focus the next pane (lesson, checks, output)",
    },
    Binding {
        keys: "S-Tab",
        action: KeyAction::FocusPrev,
        short: None,
        help: "focus the previous pane",
    },
    Binding {
        keys: "j ↓",
        action: KeyAction::Down,
        short: None,
        help: "scroll the focused pane down (mouse wheel too)",
    },
    Binding {
        keys: "k ↑",
        action: KeyAction::Up,
        short: None,
        help: "scroll the focused pane up",
    },
    Binding {
        keys: "PgDn Space",
        action: KeyAction::PageDown,
        short: None,
        help: "page the lesson down, whichever pane has the focus",
    },
    Binding {
        keys: "PgUp",
        action: KeyAction::PageUp,
        short: None,
        help: "page the lesson up",
    },
    Binding {
        keys: "C-d",
        action: KeyAction::FocusedPageDown,
        short: None,
        help: "page the focused pane down",
    },
    Binding {
        keys: "C-u",
        action: KeyAction::FocusedPageUp,
        short: None,
        help: "page the focused pane up",
    },
    Binding {
        keys: "d",
        action: KeyAction::NextCommand,
        short: None,
        help: "jump the lesson to its next command (code block)",
    },
    Binding {
        keys: "f",
        action: KeyAction::ToggleOutput,
        short: None,
        help: "unfold the output pane, or fold it to its summary line",
    },
    Binding {
        keys: "g Home",
        action: KeyAction::Top,
        short: None,
        help: "go to the top",
    },
    Binding {
        keys: "G End",
        action: KeyAction::Bottom,
        short: None,
        help: "go to the bottom (the output pane follows new output)",
    },
    Binding {
        keys: "z",
        action: KeyAction::Zoom,
        short: None,
        help: "zoom the focused pane (the one with the thick border) to the whole screen, and back",
    },
    Binding {
        keys: "?",
        action: KeyAction::Help,
        short: Some("help"),
        help: "this help",
    },
    Binding {
        keys: "q",
        action: KeyAction::Quit,
        short: Some("quit"),
        help: "quit (asks first while a build or run is going)",
    },
    // Windows has no job control to suspend to.
    #[cfg(unix)]
    Binding {
        keys: "C-z",
        action: KeyAction::Suspend,
        short: None,
        help: "suspend to the shell; fg comes back",
    },
];

/// Which action a key press means in the main screen.
pub fn action_for(key: &KeyEvent) -> Option<KeyAction> {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    Some(match key.code {
        KeyCode::Char('c') if ctrl => KeyAction::Quit,
        #[cfg(unix)]
        KeyCode::Char('z') if ctrl => KeyAction::Suspend,
        KeyCode::Char('d') if ctrl => KeyAction::FocusedPageDown,
        KeyCode::Char('u') if ctrl => KeyAction::FocusedPageUp,
        _ if ctrl => return None,
        KeyCode::Enter => KeyAction::Primary,
        KeyCode::Char(':') => KeyAction::Prompt,
        KeyCode::Char('b') => KeyAction::Build,
        KeyCode::Char('r') => KeyAction::Run,
        KeyCode::Char('i') => KeyAction::Images,
        KeyCode::Char('c') => KeyAction::Check,
        KeyCode::Char('x') => KeyAction::Cancel,
        KeyCode::Char('h') => KeyAction::Hint,
        KeyCode::Char('s') => KeyAction::Solution,
        KeyCode::Char('l') => KeyAction::Lessons,
        KeyCode::Char('e') => KeyAction::Edit,
        KeyCode::Char('w') => KeyAction::Starter,
        KeyCode::Char('o') => KeyAction::Load,
        KeyCode::Char('R') => KeyAction::Reset,
        KeyCode::Char('E') => KeyAction::SwitchEngine,
        KeyCode::Char('n') | KeyCode::Right => KeyAction::NextLesson,
        KeyCode::Char('p') | KeyCode::Left => KeyAction::PrevLesson,
        KeyCode::Tab => KeyAction::FocusNext,
        KeyCode::BackTab => KeyAction::FocusPrev,
        KeyCode::Char('j') | KeyCode::Down => KeyAction::Down,
        KeyCode::Char('k') | KeyCode::Up => KeyAction::Up,
        KeyCode::PageDown | KeyCode::Char(' ') => KeyAction::PageDown,
        KeyCode::PageUp => KeyAction::PageUp,
        KeyCode::Char('g') | KeyCode::Home => KeyAction::Top,
        KeyCode::Char('G') | KeyCode::End => KeyAction::Bottom,
        KeyCode::Char('z') => KeyAction::Zoom,
        KeyCode::Char('d') => KeyAction::NextCommand,
        KeyCode::Char('f') => KeyAction::ToggleOutput,
        KeyCode::Char('?') | KeyCode::F(1) => KeyAction::Help,
        KeyCode::Char('q') => KeyAction::Quit,
        _ => return None,
    })
}

pub fn binding(action: KeyAction) -> &'static Binding {
    BINDINGS
        .iter()
        .find(|b| b.action == action)
        .unwrap_or(&BINDINGS[0])
}

/// The first key of a binding, as shown in the status bar.
pub fn first_key(action: KeyAction) -> &'static str {
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
                    s if s.starts_with("C-") => KeyEvent::new(
                        KeyCode::Char(s.chars().last().unwrap()),
                        KeyModifiers::CONTROL,
                    ),
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
