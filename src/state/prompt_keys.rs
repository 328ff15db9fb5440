//! Keys while the `:` prompt is open: editing, history, completion, and
//! Enter, which runs the typed docker command through the same job path
//! as the keys (`EngineCmd::Typed`).

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::model::Model;
use super::msg::Effect;
use super::update::jobs::start_job;
use crate::command::{self, CommandError, DockerCommand};
use crate::engine::{EngineCmd, normalize_ref};
use crate::lesson::Action;

/// Opens the prompt (the `:` key); asks for the workspace's file names
/// for completion.
pub fn open(model: &mut Model) -> Vec<Effect> {
    model.prompt.open();
    model.needs_draw = true;
    vec![Effect::ListFiles]
}

/// Pasted text goes into the prompt's line at the cursor — never run, and
/// never read as keys (a pasted `q` must not quit). A docker command
/// pasted while the prompt is closed opens it, so a line copied from the
/// guide can be pasted straight in; anything else says where pastes go.
pub fn paste(model: &mut Model, text: &str) -> Vec<Effect> {
    let lines = command_lines(text);
    let Some(line) = lines.first() else {
        return vec![];
    };
    let mut effects = vec![];
    if !model.prompt.open {
        if line.split_whitespace().next() != Some("docker") {
            set_notice(
                model,
                "pasted text goes into the command line: press : first, then paste",
            );
            return vec![];
        }
        effects = open(model);
    }
    model.prompt.insert_str(line);
    if lines.len() > 1 {
        set_notice(
            model,
            "pasted the first command only: one command runs at a time",
        );
    }
    effects
}

fn set_notice(model: &mut Model, text: &str) {
    model.notice = Some(super::model::Notice {
        text: text.into(),
        error: false,
    });
}

/// A pasted block as the command lines a shell would read: `\` line
/// continuations joined, a copied `$ ` prompt dropped, tabs made spaces,
/// control characters removed, blank lines skipped.
fn command_lines(text: &str) -> Vec<String> {
    let joined = text.replace("\\\r\n", " ").replace("\\\n", " ");
    joined
        .lines()
        .map(|l| {
            let flat: String = l
                .chars()
                .map(|c| if c == '\t' { ' ' } else { c })
                .filter(|c| !c.is_control())
                .collect();
            let t = flat.trim();
            t.strip_prefix("$ ").unwrap_or(t).trim().to_string()
        })
        .filter(|l| !l.is_empty())
        .collect()
}

pub fn on_key(model: &mut Model, key: KeyEvent) -> Vec<Effect> {
    model.needs_draw = true;
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    let p = &mut model.prompt;
    match key.code {
        KeyCode::Esc => p.close(),
        KeyCode::Char('c') if ctrl => p.close(),
        KeyCode::Char('a') if ctrl => p.home(),
        KeyCode::Char('e') if ctrl => p.end(),
        KeyCode::Char('w') if ctrl => p.delete_word(),
        KeyCode::Char('u') if ctrl => p.delete_to_start(),
        KeyCode::Char('b') if ctrl => p.left(),
        KeyCode::Char('f') if ctrl => p.right(),
        KeyCode::Char(_) if ctrl => {}
        KeyCode::Char(c) => p.insert(c),
        KeyCode::Backspace => p.backspace(),
        KeyCode::Delete => p.delete(),
        KeyCode::Left => p.left(),
        KeyCode::Right => p.right(),
        KeyCode::Home => p.home(),
        KeyCode::End => p.end(),
        KeyCode::Up => p.older(),
        KeyCode::Down => p.newer(),
        KeyCode::Tab => {
            let images: Vec<String> = model
                .facts
                .as_ref()
                .map(|f| f.images.iter().flat_map(|i| i.repo_tags.clone()).collect())
                .unwrap_or_default();
            let many = model.prompt.complete(&images, &model.workspace_files);
            if !many.is_empty() {
                model.prompt.error = Some(format!("one of: {}", many.join("  ")));
            }
        }
        KeyCode::Enter => return enter(model),
        _ => {}
    }
    vec![]
}

/// Runs the line, or says kindly why not and keeps it for mending.
fn enter(model: &mut Model) -> Vec<Effect> {
    let line = model.prompt.line.trim().to_string();
    let parsed = command::parse(&line, &model.workspace);
    let command = match parsed {
        Ok(c) => c,
        Err(CommandError::Help(text)) => {
            model.prompt.close();
            model.output.clear();
            model.output_view = crate::state::OutputView::Log;
            for l in text.lines() {
                model.output.push_note(crate::output::Note::Info, l);
            }
            return remembered(model, &line);
        }
        Err(e) => {
            let mut why = e.to_string();
            if matches!(
                e,
                CommandError::NotHere { .. } | CommandError::Refused { .. }
            ) {
                // Offered for the learner's own shell: on the clipboard
                // where the terminal allows it, and on screen to copy by hand.
                why.push_str(&format!(" — copied for your shell (or copy: {line})"));
                model.prompt.error = Some(why);
                return vec![Effect::Copy(line)];
            }
            model.prompt.error = Some(why);
            return vec![];
        }
    };
    if let Some(why) = not_built_yet(model, &command) {
        model.prompt.error = Some(why);
        return vec![];
    }
    let cmd = EngineCmd::Typed {
        workdir: model.workspace.clone(),
        command,
    };
    model.prompt.close();
    // Refused (no engine, a job running): the notice says why; the line
    // comes back on ↑ either way.
    let mut effects = start_job(model, line.clone(), cmd, false);
    effects.extend(remembered(model, &line));
    effects
}

/// `docker run my-docker-app` before any build: the engine would try to
/// pull it (and hang on a classroom network); say which lesson builds it.
fn not_built_yet(model: &Model, command: &DockerCommand) -> Option<String> {
    let DockerCommand::Run(run) = command else {
        return None;
    };
    let facts = model.facts.as_ref()?;
    if facts.image_id(&run.image).is_some() {
        return None;
    }
    let want = normalize_ref(&run.image);
    let builder = model.lessons.iter().enumerate().find(|(_, l)| {
        l.actions
            .iter()
            .any(|a| matches!(a, Action::Build { tag, .. } if normalize_ref(tag) == want))
    });
    Some(match builder {
        Some((i, l)) => format!(
            "{} is not here yet: lesson {} ({}) builds it — docker build -t {} .",
            run.image,
            i + 1,
            l.title,
            run.image
        ),
        None => format!(
            "the engine has no image {}: build it first (docktutor never pulls from a registry)",
            run.image
        ),
    })
}

fn remembered(model: &mut Model, line: &str) -> Vec<Effect> {
    model.prompt.remember(line);
    vec![Effect::SaveHistory(model.prompt.history.clone())]
}

#[cfg(test)]
mod tests {
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    use crate::command::DockerCommand;
    use crate::engine::{EngineCmd, EngineFacts, EngineInfo, EngineMsg, EngineStatus, ImageInfo};
    use crate::output::Scrollback;
    use crate::progress::Progress;
    use crate::state::{Effect, Model, Msg, update};

    fn model() -> Model {
        let set = crate::lesson::builtin();
        let mut m = Model::new(
            set.lessons,
            vec![],
            "/ws/my-docker-app".into(),
            Progress::default(),
            Scrollback::default(),
        );
        update(
            &mut m,
            Msg::Engine(EngineMsg::Status(EngineStatus::Connected(EngineInfo {
                address: "unix:///var/run/docker.sock".into(),
                source: "the default socket".into(),
                name: "Docker Engine".into(),
                version: "20.10".into(),
                api_version: "1.41".into(),
                os_arch: "linux/amd64".into(),
                builder: crate::engine::BuilderChoice::new(
                    crate::engine::Builder::BuildKit,
                    "the engine's default",
                ),
            }))),
        );
        m
    }

    fn press(m: &mut Model, code: KeyCode) -> Vec<Effect> {
        update(m, Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
    }

    fn type_line(m: &mut Model, line: &str) -> Vec<Effect> {
        let mut effects = press(m, KeyCode::Char(':'));
        for c in line.chars() {
            effects.extend(press(m, KeyCode::Char(c)));
        }
        effects
    }

    #[test]
    fn colon_opens_and_esc_closes_without_doing_anything() {
        let mut m = model();
        let effects = type_line(&mut m, "docker build -t x .");
        assert!(m.prompt.open);
        assert_eq!(effects, vec![Effect::ListFiles]);
        // Keys of the key table are letters in the line now.
        assert_eq!(m.prompt.line, "docker build -t x .");
        assert!(m.job.is_none());
        assert!(press(&mut m, KeyCode::Esc).is_empty());
        assert!(!m.prompt.open);
    }

    #[test]
    fn a_paste_goes_into_the_line_and_never_runs_or_presses_keys() {
        let mut m = model();
        type_line(&mut m, "docker build ");
        update(&mut m, Msg::Paste("-t my-docker-app .".into()));
        assert_eq!(m.prompt.line, "docker build -t my-docker-app .");
        assert!(m.job.is_none(), "a paste never runs the line");
        // A paste full of key-table letters with the prompt closed quits
        // nothing and moves nowhere.
        let mut m = model();
        update(&mut m, Msg::Paste("q n n q\n".into()));
        assert!(!m.quit && !m.prompt.open);
        assert_eq!(m.current, 0);
        assert!(
            m.notice
                .as_ref()
                .is_some_and(|n| n.text.contains("press : first"))
        );
    }

    #[test]
    fn a_docker_command_pasted_from_a_page_opens_the_prompt_as_one_line() {
        let mut m = model();
        let effects = update(
            &mut m,
            Msg::Paste("$ docker build \\\n  -t my-docker-app \\\n  .\n".into()),
        );
        assert!(m.prompt.open);
        assert_eq!(effects, vec![Effect::ListFiles]);
        assert_eq!(m.prompt.line, "docker build    -t my-docker-app    .");
        assert!(crate::command::parse(&m.prompt.line, std::path::Path::new("/ws")).is_ok());
        // Two commands: the first goes in, and the learner is told.
        let mut m = model();
        update(
            &mut m,
            Msg::Paste("docker build -t app .\ndocker run app\n".into()),
        );
        assert_eq!(m.prompt.line, "docker build -t app .");
        assert!(
            m.notice
                .as_ref()
                .is_some_and(|n| n.text.contains("first command only"))
        );
    }

    #[test]
    fn enter_runs_the_typed_command_through_the_engine() {
        let mut m = model();
        type_line(&mut m, "docker build . --tag my-docker-app");
        let effects = press(&mut m, KeyCode::Enter);
        let Some(Effect::Engine(EngineCmd::Typed { workdir, command })) = effects.first() else {
            panic!("{effects:?}");
        };
        assert_eq!(workdir, std::path::Path::new("/ws/my-docker-app"));
        assert!(matches!(command, DockerCommand::Build(b) if b.tags == ["my-docker-app"]));
        assert!(effects.contains(&Effect::SaveHistory(vec![
            "docker build . --tag my-docker-app".into()
        ])));
        assert!(!m.prompt.open);
        // The output pane's title names the command as typed.
        assert_eq!(
            m.job.as_ref().map(|j| j.command.as_str()),
            Some("docker build . --tag my-docker-app")
        );
        assert_eq!(
            m.last_command.as_deref(),
            Some("docker build . --tag my-docker-app")
        );
    }

    #[test]
    fn a_refused_line_stays_with_its_reason_and_reaches_no_engine() {
        let mut m = model();
        type_line(&mut m, "docker run --privileged python:3.9-slim");
        let effects = press(&mut m, KeyCode::Enter);
        assert_eq!(
            effects,
            vec![Effect::Copy(
                "docker run --privileged python:3.9-slim".into()
            )]
        );
        assert!(m.prompt.open);
        assert!(m.job.is_none());
        let why = m.prompt.error.clone().unwrap();
        assert!(why.contains("refused in docktutor"), "{why}");
        assert!(why.contains("or copy: docker run --privileged"), "{why}");
        // Mending the line clears the reason.
        press(&mut m, KeyCode::Backspace);
        assert!(m.prompt.error.is_none());

        let mut m = model();
        type_line(&mut m, "docker biuld .");
        assert!(press(&mut m, KeyCode::Enter).is_empty());
        assert!(
            m.prompt
                .error
                .clone()
                .unwrap()
                .contains("did you mean docker build?")
        );
    }

    #[test]
    fn running_an_image_not_built_yet_names_the_lesson_that_builds_it() {
        let mut m = model();
        let mut facts = EngineFacts::default();
        facts.images.push(ImageInfo {
            id: "sha256:1".into(),
            repo_tags: vec!["python:3.9-slim".into()],
            created: 0,
            size: 1,
        });
        update(&mut m, Msg::Engine(EngineMsg::Facts(facts)));
        type_line(&mut m, "docker run my-docker-app");
        assert!(press(&mut m, KeyCode::Enter).is_empty());
        let why = m.prompt.error.clone().unwrap();
        assert!(
            why.starts_with("my-docker-app is not here yet: lesson"),
            "{why}"
        );
        assert!(why.contains("docker build -t my-docker-app ."), "{why}");
    }

    #[test]
    fn a_typed_command_that_ran_is_kept_for_the_lessons() {
        let mut m = model();
        type_line(&mut m, "docker images");
        press(&mut m, KeyCode::Enter);
        let fx = update(
            &mut m,
            Msg::Engine(EngineMsg::JobDone(crate::engine::JobOutcome::Answered {
                command: "docker images".into(),
            })),
        );
        assert_eq!(m.progress.typed, ["docker images"]);
        assert!(matches!(fx[0], Effect::SaveProgress(ref p) if p.typed == ["docker images"]));
        assert!(
            matches!(&fx[1], Effect::RunChecks { typed, .. } if typed == &["docker images"]),
            "{fx:?}"
        );
        // A failed one is not.
        type_line(&mut m, "docker rmi nothing-here");
        press(&mut m, KeyCode::Enter);
        update(
            &mut m,
            Msg::Engine(EngineMsg::JobDone(
                crate::engine::JobOutcome::CommandFailed {
                    command: "docker rmi".into(),
                    message: "No such image".into(),
                },
            )),
        );
        assert_eq!(m.progress.typed, ["docker images"]);
    }

    #[test]
    fn history_comes_back_with_the_up_arrow() {
        let mut m = model();
        type_line(&mut m, "docker images");
        press(&mut m, KeyCode::Enter);
        press(&mut m, KeyCode::Char(':'));
        press(&mut m, KeyCode::Up);
        assert_eq!(m.prompt.line, "docker images");
        update(
            &mut m,
            Msg::Key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL)),
        );
        assert_eq!(m.prompt.line, "");
    }
}
