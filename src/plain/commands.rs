//! The commands plain mode reads, one per line, and what each does. Most
//! are the full-screen app's keys by name, sent through the same `update`
//! as a key press, so both modes behave alike; `docker …` lines go through
//! the `:` prompt's parsing and engine code.

use std::io::{self, Write};

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::view::Printer;
use crate::engine::EngineCmd;
use crate::lesson::Action;
use crate::state::{Effect, Model, Msg, update};

/// The help text: each command and what it does.
pub const HELP: &[(&str, &str)] = &[
    (
        "do",
        "do this lesson's step (build, run, list images), or check it",
    ),
    ("next", "go to the next lesson"),
    ("back", "go to the previous lesson"),
    ("check", "check this lesson again and show its checks"),
    ("build", "build the project folder into an image"),
    ("run", "run the image and show what it prints"),
    ("images", "list the engine's images"),
    (
        "write",
        "write this lesson's starter files that are missing (never overwrites)",
    ),
    ("hint", "show the hint for this lesson"),
    ("solution", "show the guide's files for this lesson"),
    ("show", "show this lesson's text again"),
    ("lessons", "list the lessons"),
    ("lesson N", "go to lesson N"),
    (
        "load FILE",
        "load a saved image file (docker save -o FILE, docktutor bundle)",
    ),
    (
        "stop",
        "stop the running build or container (works at once)",
    ),
    (
        "docker ...",
        "run a docker command as the app's : prompt does, e.g. docker build -t my-docker-app . or docker images",
    ),
    ("help", "this list"),
    (
        "quit",
        "leave; progress is saved (the end of input quits too)",
    ),
];

/// What the learner asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Key(KeyCode),
    /// The lesson's step (Enter in the app).
    Do,
    Check,
    Images,
    Hint,
    Solution,
    Show,
    Lessons,
    Lesson(String),
    Load(String),
    Docker(String),
    Edit,
    Help,
    Quit,
    Nothing,
    Unknown(String),
}

pub fn parse(line: &str) -> Command {
    let line = line.trim();
    let (word, rest) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
    let rest = rest.trim();
    match word.to_ascii_lowercase().as_str() {
        "" => Command::Nothing,
        "do" | "go" => Command::Do,
        "next" | "n" => Command::Key(KeyCode::Char('n')),
        "back" | "previous" | "prev" | "p" => Command::Key(KeyCode::Char('p')),
        "check" | "c" => Command::Check,
        "build" | "b" => Command::Key(KeyCode::Char('b')),
        "run" | "r" => Command::Key(KeyCode::Char('r')),
        "images" | "i" => Command::Images,
        "write" | "w" | "starter" | "starters" => Command::Key(KeyCode::Char('w')),
        "stop" | "x" => Command::Key(KeyCode::Char('x')),
        "hint" | "h" => Command::Hint,
        "solution" | "s" => Command::Solution,
        "show" | "lesson" if rest.is_empty() => Command::Show,
        "lesson" => Command::Lesson(rest.to_string()),
        "lessons" | "l" => Command::Lessons,
        "load" | "o" if !rest.is_empty() => Command::Load(rest.to_string()),
        "docker" => Command::Docker(line.to_string()),
        "edit" | "e" => Command::Edit,
        "help" | "?" => Command::Help,
        "quit" | "exit" | "q" => Command::Quit,
        _ => Command::Unknown(line.to_string()),
    }
}

/// Whether a command acts at once, even while a job runs (the others wait
/// for it, so that a script of commands runs in order).
pub fn is_immediate(command: &Command) -> bool {
    matches!(command, Command::Key(KeyCode::Char('x')))
}

/// What a command asked of the loop.
#[derive(Default)]
pub struct Applied {
    pub effects: Vec<Effect>,
    /// Write the engine's images when its next facts come in.
    pub images: bool,
}

fn press(model: &mut Model, code: KeyCode) -> Vec<Effect> {
    update(model, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

fn type_text(model: &mut Model, text: &str) -> Vec<Effect> {
    text.chars()
        .flat_map(|c| press(model, KeyCode::Char(c)))
        .collect()
}

pub fn apply<W: Write>(
    command: Command,
    model: &mut Model,
    printer: &mut Printer<W>,
) -> io::Result<Applied> {
    let mut applied = Applied::default();
    match command {
        Command::Key(code) => applied.effects = press(model, code),
        Command::Do => {
            applied.images = matches!(
                model.current_action(),
                Some(Action::Images | Action::Compare { .. })
            );
            applied.effects = press(model, KeyCode::Enter);
        }
        Command::Check => {
            printer.forget_checks();
            applied.effects = press(model, KeyCode::Char('c'));
        }
        Command::Images => {
            applied.effects = press(model, KeyCode::Char('i'));
            applied.images = applied
                .effects
                .contains(&Effect::Engine(EngineCmd::Refresh));
        }
        Command::Hint => printer.hint(model)?,
        Command::Solution => printer.solution(model)?,
        Command::Show => printer.lesson_text(model)?,
        Command::Lessons => printer.lesson_list(model)?,
        Command::Lesson(n) => match n.parse::<usize>() {
            Ok(n) if (1..=model.lessons.len()).contains(&n) => {
                // The lessons list, as the app's l key opens it: to the
                // top, down to lesson n, Enter.
                let mut effects = press(model, KeyCode::Char('l'));
                for _ in 0..model.lessons.len() {
                    effects.extend(press(model, KeyCode::Up));
                }
                for _ in 1..n {
                    effects.extend(press(model, KeyCode::Down));
                }
                effects.extend(press(model, KeyCode::Enter));
                applied.effects = effects;
            }
            _ => printer.say(&format!(
                "there is no lesson {n}: type a number from 1 to {}",
                model.lessons.len()
            ))?,
        },
        Command::Load(path) => {
            let mut effects = press(model, KeyCode::Char('o'));
            effects.extend(type_text(model, &path));
            effects.extend(press(model, KeyCode::Enter));
            applied.effects = effects;
        }
        Command::Docker(line) => applied.effects = typed(model, printer, &line)?,
        Command::Edit => {
            let file = model.lesson().and_then(|l| l.edit.clone());
            let sentence = match file {
                Some(f) => format!(
                    "open {} in your own editor; the checks follow your saves",
                    model.workspace.join(f).display()
                ),
                None => "this lesson has no file to edit".to_string(),
            };
            printer.say(&sentence)?;
        }
        Command::Help => printer.help()?,
        Command::Quit => applied.effects = update(model, Msg::Terminate),
        Command::Nothing => {}
        Command::Unknown(line) => printer.say(&format!(
            "docktutor does not know {line:?}: type help for the commands"
        ))?,
    }
    Ok(applied)
}

/// A docker command, typed into the app's `:` prompt. One the prompt
/// refuses keeps it open with its reason: that is said, and the prompt closed.
fn typed<W: Write>(
    model: &mut Model,
    printer: &mut Printer<W>,
    line: &str,
) -> io::Result<Vec<Effect>> {
    let mut effects = press(model, KeyCode::Char(':'));
    effects.extend(type_text(model, line));
    effects.extend(press(model, KeyCode::Enter));
    if model.prompt.open {
        let why = model.prompt.error.clone().unwrap_or_default();
        // Plain mode copies nothing to a clipboard: the line is said instead.
        let why = why.replace(
            "copied for your shell (or copy: ",
            "run it in your own shell (",
        );
        printer.say(&format!("error: {why}"))?;
        effects.extend(press(model, KeyCode::Esc));
    }
    // Plain mode has no clipboard (OSC 52 is an escape sequence).
    effects.retain(|e| !matches!(e, Effect::Copy(_)));
    Ok(effects)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_become_commands() {
        assert_eq!(parse("  next "), Command::Key(KeyCode::Char('n')));
        assert_eq!(parse("BUILD"), Command::Key(KeyCode::Char('b')));
        assert_eq!(parse("lesson"), Command::Show);
        assert_eq!(parse("lesson 3"), Command::Lesson("3".into()));
        assert_eq!(
            parse("docker build -t app ."),
            Command::Docker("docker build -t app .".into())
        );
        assert_eq!(
            parse("load ~/class.tar"),
            Command::Load("~/class.tar".into())
        );
        assert_eq!(parse(""), Command::Nothing);
        assert_eq!(parse("fly"), Command::Unknown("fly".into()));
        assert!(is_immediate(&parse("stop")));
        assert!(!is_immediate(&parse("quit")));
    }

    /// Every command the help lists is one `parse` knows.
    #[test]
    fn the_help_and_the_parser_agree() {
        for (cmd, _) in HELP {
            let line = cmd
                .replace(" N", " 2")
                .replace(" FILE", " x.tar")
                .replace("...", "images");
            assert!(
                !matches!(parse(&line), Command::Unknown(_)),
                "{cmd} is in the help but not understood"
            );
        }
    }
}
