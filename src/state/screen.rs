//! What the screen should show, decided from the model — the view-model.
//! Still plain data and meaning: whether the output pane is folded to its
//! summary line, which linter findings belong to where the learner is,
//! which keys the screen is telling the learner to press. The view only
//! lays these out and colours them.

use super::keys::{self, KeyAction};
use super::model::{Model, OutputView, Pane};
use crate::engine::JobOutcome;
use crate::lint::Finding;
use crate::output::{Note, Scrollback};
use ratatui::crossterm::event::{KeyCode, KeyEvent};

/// The linter's findings the current lesson shows: `Err` when the
/// Dockerfile does not parse.
pub type LintInContext<'m> = Result<Vec<&'m Finding>, &'m str>;

impl Model {
    /// The output pane shows only its summary line: no job runs, the
    /// learner has not unfolded or focused it, and it shows a log (the
    /// images table and the size bars are what their lesson is about).
    pub fn output_folded(&self) -> bool {
        self.job.is_none()
            && !self.output_open
            && self.focus != Pane::Output
            && self.output_view == OutputView::Log
    }

    /// The linter's findings that belong to this lesson or to a lesson
    /// already passed (or to no lesson). A finding about something a later
    /// lesson teaches waits for it: that lesson lists it.
    pub fn lint_in_context(&self) -> Option<LintInContext<'_>> {
        match self.lint.as_ref()? {
            Err(e) => Some(Err(e.as_str())),
            Ok(findings) => Some(Ok(findings
                .iter()
                .filter(|f| self.finding_is_due(f))
                .collect())),
        }
    }

    fn finding_is_due(&self, f: &Finding) -> bool {
        let Some(idx) = f
            .lesson
            .and_then(|id| self.lessons.iter().position(|l| l.id == id))
        else {
            return true;
        };
        idx <= self.current || self.lesson_done(idx)
    }

    /// The keys the screen tells the learner to press ("press n", "Press
    /// **Enter**", "press w for a starter"): the key bar must never drop them.
    pub fn keys_asked_for(&self) -> Vec<KeyAction> {
        let mut texts: Vec<&str> = Vec::new();
        if let Some(lesson) = self.lesson() {
            texts.push(&lesson.body);
            if lesson.checks.is_empty() {
                // The checklist says "read on, then press n".
                texts.push("press n");
            }
        }
        for o in self.outcomes().unwrap_or_default() {
            texts.extend(o.reason.as_deref());
            texts.extend(o.fix.as_deref());
        }
        if let Some(n) = &self.notice {
            texts.push(&n.text);
        }
        let mut out = Vec::new();
        for text in texts {
            for action in keys_named_in(text) {
                if !out.contains(&action) {
                    out.push(action);
                }
            }
        }
        out
    }
}

/// The keys a text asks for with "press K" (K as the key table writes it).
fn keys_named_in(text: &str) -> Vec<KeyAction> {
    let lower = text.to_lowercase();
    let mut out = Vec::new();
    for (at, _) in lower.match_indices("press ") {
        let word: String = text[at + "press ".len()..]
            .trim_start_matches(['*', '`'])
            .chars()
            .take_while(|c| !c.is_whitespace() && !matches!(c, '*' | '`' | ',' | ':' | ')'))
            .collect();
        let word = word.trim_end_matches('.');
        let code = match word {
            "Enter" => KeyCode::Enter,
            w if w.chars().count() == 1 => match w.chars().next() {
                Some(c) => KeyCode::Char(c),
                None => continue,
            },
            _ => continue,
        };
        if let Some(a) = keys::action_for(&KeyEvent::from(code)) {
            out.push(a);
        }
    }
    out
}

/// The last (at most two) non-empty lines the latest job printed, newest
/// first: read back from the scrollback, which keeps the end of a long
/// output (a run's record keeps only its start).
pub fn printed_tail(output: &Scrollback) -> Vec<String> {
    let mut found = Vec::new();
    for i in (0..output.len()).rev() {
        let Some(line) = output.window(i, 1).into_iter().next() else {
            break;
        };
        // The job's `$ docker …` line: what came before is older.
        if line.note == Some(Note::Command) {
            break;
        }
        // The app's own notes are not what the container printed.
        let text = line.text();
        if line.note.is_none() && !text.trim().is_empty() {
            found.push(text.trim().to_string());
            if found.len() == 2 {
                break;
            }
        }
    }
    found
}

/// One line saying how a job ended, for the folded output pane:
/// `✓ built my-docker-app 2a1e8f5c9a10 — 3 of 6 steps came from the cache`,
/// `✓ exited 0 — printed Hello, Docker!`. `first_note` is the first line
/// the job wrote under its output, `printed` [`printed_tail`].
pub fn job_summary(outcome: &JobOutcome, first_note: &str, printed: &[String]) -> String {
    match outcome {
        JobOutcome::Ran { record, .. } => {
            let what = match printed {
                [] => "printed nothing".to_string(),
                [one] => format!("printed {}", clip(one, 60)),
                // The end is what a learner looks for (and where an error
                // shows).
                [last, ..] => format!("printed several lines, ending with {}", clip(last, 50)),
            };
            match record.exit_code {
                Some(0) => format!("✓ exited 0 — {what}"),
                Some(c) => format!("✗ exited {c} — {what}"),
                None => format!("■ interrupted — {what}"),
            }
        }
        _ => first_note.to_string(),
    }
}

/// At most `max` characters of a line the container printed, control
/// characters dropped, "…" where it was cut.
fn clip(text: &str, max: usize) -> String {
    let clean: String = text.chars().filter(|c| !c.is_control()).collect();
    if clean.chars().count() <= max {
        return clean;
    }
    let mut cut: String = clean.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_found_where_the_text_says_press() {
        assert_eq!(
            keys_named_in("read on, then press n."),
            [KeyAction::NextLesson]
        );
        assert_eq!(
            keys_named_in("Press **Enter**: docktutor builds"),
            [KeyAction::Primary]
        );
        assert_eq!(
            keys_named_in("mkdir it (or press w to create it), then press `c`"),
            [KeyAction::Starter, KeyAction::Check]
        );
        assert!(keys_named_in("the pressure rises; press here").is_empty());
    }
}

#[cfg(test)]
mod context_tests {
    use crate::lint::{Finding, Severity};
    use crate::output::Scrollback;
    use crate::progress::Progress;
    use crate::state::Model;

    fn finding(rule: &'static str, lesson: Option<&'static str>) -> Finding {
        Finding {
            rule,
            severity: Severity::Warning,
            line: 1,
            message: String::new(),
            why: "",
            lesson,
        }
    }

    #[test]
    fn findings_wait_for_the_lesson_that_teaches_them() {
        let set = crate::lesson::builtin();
        let build = set.find("build").expect("lesson");
        let ignore = set.find("dockerignore").expect("lesson");
        let mut m = Model::new(
            set.lessons,
            vec![],
            "/ws".into(),
            Progress::default(),
            Scrollback::default(),
        );
        m.lint = Some(Ok(vec![
            finding("DT1001", Some("dockerignore")),
            finding("DL3025", Some("dockerfile")),
            finding("DL9999", None),
        ]));
        m.current = build;
        let rules = |m: &Model| -> Vec<&str> {
            match m.lint_in_context() {
                Some(Ok(f)) => f.iter().map(|f| f.rule).collect(),
                other => panic!("{other:?}"),
            }
        };
        assert_eq!(rules(&m), ["DL3025", "DL9999"], "DT1001 waits");
        m.current = ignore;
        assert_eq!(
            rules(&m),
            ["DT1001", "DL3025", "DL9999"],
            "its lesson lists it"
        );
        // A lesson passed earlier (out of order) counts as taught.
        m.current = build;
        m.progress.done.insert("dockerignore".into(), 1);
        assert_eq!(rules(&m).len(), 3);
    }
}
