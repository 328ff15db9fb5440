//! What plain mode writes: the model read as a log. After every change the
//! printer compares the model with what it has already written and writes
//! only what is new — a lesson when the learner moves, the checks when
//! their results change, new lines of build and run output, a notice, the
//! engine's state. Every line goes through [`text::clean`]: plain text only.

use std::io::{self, Write};

use super::markdown;
use super::text::{self, clean, keys_to_commands, wrap};
use crate::check::{Outcome, Status};
use crate::engine::EngineStatus;
use crate::state::Model;

pub const PROMPT: &str = "docktutor> ";

pub struct Printer<W: Write> {
    out: W,
    width: usize,
    /// The prompt is on screen, waiting: the next line starts below it.
    at_prompt: bool,
    lesson: Option<usize>,
    checks: Option<(usize, Vec<Outcome>)>,
    notice: Option<String>,
    engine: Option<String>,
    output: OutputMark,
}

/// How far the output (the model's scrollback) has been written.
#[derive(Default)]
struct OutputMark {
    /// Lines written, counted from the scrollback's start (dropped lines too).
    written: u64,
    generation: u64,
    first: Option<String>,
}

impl<W: Write> Printer<W> {
    pub fn new(out: W, width: usize) -> Printer<W> {
        Printer {
            out,
            width,
            at_prompt: false,
            lesson: None,
            checks: None,
            notice: None,
            engine: None,
            output: OutputMark::default(),
        }
    }

    pub fn width(&self) -> usize {
        self.width
    }

    /// Writes lines (each cleaned), leaving the prompt's line first.
    pub fn lines<S: AsRef<str>>(&mut self, lines: impl IntoIterator<Item = S>) -> io::Result<()> {
        if std::mem::take(&mut self.at_prompt) {
            writeln!(self.out)?;
        }
        for line in lines {
            writeln!(self.out, "{}", clean(line.as_ref()).trim_end())?;
        }
        self.out.flush()
    }

    /// A sentence, wrapped.
    pub fn say(&mut self, sentence: &str) -> io::Result<()> {
        let lines = wrap(&keys_to_commands(&clean(sentence)), self.width, "", "  ");
        self.lines(lines)
    }

    pub fn prompt(&mut self) -> io::Result<()> {
        if !self.at_prompt {
            write!(self.out, "{PROMPT}")?;
            self.out.flush()?;
            self.at_prompt = true;
        }
        Ok(())
    }

    /// A command read from a script, written after the prompt as if typed.
    pub fn echo(&mut self, line: &str) -> io::Result<()> {
        writeln!(self.out, "{}", clean(line))?;
        self.at_prompt = false;
        self.out.flush()
    }

    /// The learner answered the prompt (their line ended it).
    pub fn answered(&mut self) {
        self.at_prompt = false;
    }

    /// Writes whatever changed since the last call.
    pub fn observe(&mut self, model: &Model) -> io::Result<()> {
        self.engine_state(model)?;
        if self.lesson != Some(model.current) {
            self.lesson = Some(model.current);
            self.lesson_text(model)?;
        }
        self.new_output(model)?;
        self.notice_text(model)?;
        self.checks_if_changed(model)
    }

    /// The current lesson: where it is in the course, its text, its command.
    pub fn lesson_text(&mut self, model: &Model) -> io::Result<()> {
        let Some(lesson) = model.lesson() else {
            return self.say("there are no lessons to show");
        };
        let done = if model.lesson_done(model.current) {
            " (done)"
        } else {
            ""
        };
        let mut lines = vec![
            String::new(),
            format!(
                "Lesson {} of {}: {}{done}",
                model.current + 1,
                model.lessons.len(),
                lesson.title
            ),
            String::new(),
        ];
        lines.extend(markdown::render(&lesson.body, self.width));
        if let Some(action) = model.current_action() {
            lines.push(String::new());
            lines.push(format!(
                "This lesson's step: {} (type do to run it)",
                action.command()
            ));
        }
        self.lines(lines)
    }

    /// The current lesson's checks, numbered, whatever was written before.
    pub fn checks(&mut self, model: &Model) -> io::Result<()> {
        let Some(outcomes) = model.outcomes() else {
            return self.say("the checks have not answered yet");
        };
        self.checks = Some((model.current, outcomes.to_vec()));
        let passed = outcomes.iter().filter(|o| o.passed()).count();
        let mut lines = vec![format!(
            "Checks of lesson {}: {passed} of {} pass",
            model.current + 1,
            outcomes.len()
        )];
        for (i, o) in outcomes.iter().enumerate() {
            let word = match o.status {
                Status::Pass => "PASS",
                Status::Fail => "FAIL",
                Status::Blocked => "WAITING",
            };
            let first = format!("{:>2}. {word} ", i + 1);
            let hang = " ".repeat(first.len());
            lines.extend(wrap(&o.label, self.width, &first, &hang));
            if o.status != Status::Pass {
                for (what, text) in [("why: ", &o.reason), ("fix: ", &o.fix)] {
                    if let Some(text) = text {
                        let text = keys_to_commands(text);
                        lines.extend(wrap(&text, self.width, &format!("{hang}{what}"), &hang));
                    }
                }
            }
        }
        self.lines(lines)
    }

    /// The checks, if their results differ from the ones last written.
    /// Results that only wait for the engine to connect are not worth a line.
    fn checks_if_changed(&mut self, model: &Model) -> io::Result<()> {
        let Some(outcomes) = model.outcomes() else {
            return Ok(());
        };
        if matches!(model.engine, EngineStatus::Connecting)
            && outcomes.iter().any(|o| o.status == Status::Blocked)
        {
            return Ok(());
        }
        let same = self
            .checks
            .as_ref()
            .is_some_and(|(lesson, shown)| *lesson == model.current && shown == outcomes);
        if same { Ok(()) } else { self.checks(model) }
    }

    /// Forgets the checks written, so the next result is written even if
    /// it is the same (the learner asked to check).
    pub fn forget_checks(&mut self) {
        self.checks = None;
    }

    fn notice_text(&mut self, model: &Model) -> io::Result<()> {
        let Some(notice) = &model.notice else {
            self.notice = None;
            return Ok(());
        };
        if self.notice.as_deref() == Some(notice.text.as_str()) {
            return Ok(());
        }
        self.notice = Some(notice.text.clone());
        let text = if notice.error && !notice.text.starts_with('✗') {
            format!("error: {}", notice.text)
        } else {
            notice.text.clone()
        };
        self.say(&text)
    }

    fn engine_state(&mut self, model: &Model) -> io::Result<()> {
        let state = match &model.engine {
            EngineStatus::Connecting => return Ok(()),
            EngineStatus::Connected(info) => format!(
                "engine: {} {} at {} (builds with {})",
                info.name, info.version, info.address, info.builder.builder
            ),
            EngineStatus::Unreachable { .. } => {
                format!("engine: {}", model.engine_missing_reason())
            }
        };
        if self.engine.as_deref() == Some(state.as_str()) {
            return Ok(());
        }
        self.engine = Some(state.clone());
        self.say(&state)
    }

    /// New lines of build and run output. While a job runs the last line
    /// may still be rewritten (`\r` progress), so it waits for the next.
    fn new_output(&mut self, model: &Model) -> io::Result<()> {
        let sb = &model.output;
        let first = sb.window(0, 1).first().map(|l| l.text());
        // The scrollback starts again for each job (and for help text).
        if sb.generation() < self.output.generation || first != self.output.first {
            self.output.written = 0;
        }
        self.output.generation = sb.generation();
        self.output.first = first;
        let settled = if model.job.is_some() {
            sb.len().saturating_sub(1)
        } else {
            sb.len()
        };
        let end = sb.dropped() + settled as u64;
        if end <= self.output.written {
            return Ok(());
        }
        let start = self.output.written.saturating_sub(sb.dropped()) as usize;
        let lines: Vec<String> = sb
            .window(start, settled - start)
            .iter()
            .map(|l| l.text())
            .collect();
        self.output.written = end;
        self.lines(lines)
    }

    /// The engine's images, like `docker images`.
    pub fn images(&mut self, model: &Model) -> io::Result<()> {
        let Some(facts) = &model.facts else {
            return self.say(&model.engine_missing_reason());
        };
        let rows = crate::ui::output_pane::image_rows(&facts.images);
        if rows.is_empty() {
            return self.say("the engine has no images yet");
        }
        let mut lines = vec![format!(
            "{:<40} {:<16} {:<12} {:<20} SIZE",
            "REPOSITORY", "TAG", "IMAGE ID", "CREATED"
        )];
        for (repo, tag, id, created, size) in rows {
            let ago = crate::ui::output_pane::ago(model.now, created);
            lines.push(format!("{repo:<40} {tag:<16} {id:<12} {ago:<20} {size}"));
        }
        self.lines(lines)
    }

    pub fn hint(&mut self, model: &Model) -> io::Result<()> {
        let hint = model.lesson().map(|l| l.hint.clone()).unwrap_or_default();
        if hint.trim().is_empty() {
            return self.say("this lesson has no hint");
        }
        let mut lines = vec!["Hint:".to_string()];
        lines.extend(markdown::render(&hint, self.width));
        self.lines(lines)
    }

    pub fn solution(&mut self, model: &Model) -> io::Result<()> {
        // Exam mode holds here as in the app (hints stay).
        if model.solutions_hidden {
            return self.say("solutions are off for this course");
        }
        let files = model
            .lesson()
            .map(|l| l.solution.clone())
            .unwrap_or_default();
        if files.is_empty() {
            return self.say("this lesson has no solution files");
        }
        let mut lines = vec!["The guide's files for this lesson:".to_string()];
        for f in files {
            lines.push(String::new());
            lines.push(format!("File {}:", f.name));
            lines.extend(f.text.lines().map(|l| format!("    {l}")));
            lines.push(format!("End of {}.", f.name));
        }
        self.lines(lines)
    }

    pub fn lesson_list(&mut self, model: &Model) -> io::Result<()> {
        let mut lines = vec!["Lessons:".to_string()];
        for (i, l) in model.lessons.iter().enumerate() {
            let here = if i == model.current {
                ", you are here"
            } else {
                ""
            };
            let done = if model.lesson_done(i) {
                "done"
            } else {
                "not done"
            };
            lines.push(format!("{:>3}. {} ({done}{here})", i + 1, l.title));
        }
        lines.push("Type lesson N to go to lesson N.".into());
        self.lines(lines)
    }

    /// The lessons that could not be loaded, said once at the start.
    pub fn problems(&mut self, model: &Model) -> io::Result<()> {
        if model.lesson_errors.is_empty() {
            return Ok(());
        }
        let mut lines = vec!["Some lessons could not be loaded:".to_string()];
        for e in &model.lesson_errors {
            lines.extend(wrap(&e.to_string(), self.width, "- ", "  "));
        }
        self.lines(lines)
    }

    pub fn help(&mut self) -> io::Result<()> {
        let mut lines = vec!["Commands (one per line; end of input quits):".to_string()];
        for (cmd, what) in super::commands::HELP {
            lines.extend(wrap(
                what,
                self.width,
                &format!("  {cmd:<14}"),
                &" ".repeat(16),
            ));
        }
        lines.extend(wrap(
            "Where a lesson says to press a key, type the command instead: Enter is do, n next, p back, b build, r run, i images, c check, h hint, s solution, w write, l lessons. Edit the files in your own editor: the checks follow your saves.",
            self.width,
            "",
            "",
        ));
        self.lines(lines)
    }

    #[cfg(test)]
    pub fn into_inner(self) -> W {
        self.out
    }
}

/// The width plain mode wraps to.
pub fn width() -> usize {
    text::width()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::{Note, Scrollback};

    fn model() -> Model {
        Model::new(
            crate::lesson::builtin().lessons,
            vec![],
            "/ws/my-docker-app".into(),
            Default::default(),
            Scrollback::default(),
        )
    }

    fn outcome(label: &str, status: Status) -> Outcome {
        Outcome {
            label: label.into(),
            status,
            reason: (status != Status::Pass).then(|| "app.py is missing".into()),
            fix: (status != Status::Pass).then(|| "press w for a starter".into()),
        }
    }

    #[test]
    fn checks_are_numbered_pass_and_fail_lines_written_once() {
        let mut m = model();
        m.results[0] = Some(vec![
            outcome("the folder exists", Status::Pass),
            outcome("app.py exists", Status::Fail),
        ]);
        let mut p = Printer::new(Vec::new(), 80);
        p.observe(&m).unwrap();
        p.observe(&m).unwrap();
        let text = String::from_utf8(p.into_inner()).unwrap();
        assert!(text.contains("Lesson 1 of"), "{text}");
        let checks = &text[text.find("Checks of lesson 1").expect(&text)..];
        assert_eq!(
            checks,
            "Checks of lesson 1: 1 of 2 pass\n 1. PASS the folder exists\n 2. FAIL app.py exists\n         why: app.py is missing\n         fix: type write for a starter\n"
        );
    }

    /// Output lines are written once each; a new job's output (the
    /// scrollback starts again) is written from its first line.
    #[test]
    fn output_streams_once_and_restarts_with_the_next_job() {
        let mut m = model();
        let mut p = Printer::new(Vec::new(), 80);
        p.observe(&m).unwrap();
        m.output.push_note(Note::Command, "$ docker build -t app .");
        m.output.push_str("#1 DONE\n");
        p.observe(&m).unwrap();
        m.output.push_str("#2 DONE\n");
        m.output.push_note(Note::Pass, "✓ built app");
        p.observe(&m).unwrap();
        m.output.clear();
        m.output.push_note(Note::Command, "$ docker run app");
        p.observe(&m).unwrap();
        let text = String::from_utf8(p.into_inner()).unwrap();
        let tail = &text[text.find("$ docker build").expect(&text)..];
        assert_eq!(
            tail,
            "$ docker build -t app .\n#1 DONE\n#2 DONE\nok: built app\n$ docker run app\n"
        );
    }
}
