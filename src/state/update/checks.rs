//! Check runs: asking for one (numbered, see `CheckRuns`), taking its
//! answer if it is still current, and marking a lesson done from it.

use super::super::model::Model;
use super::super::msg::Effect;
use super::notice;
use crate::check::Outcome;
use crate::lint::Finding;

/// The effect that re-checks the current lesson with what we know now.
pub fn check_effect(model: &mut Model) -> Effect {
    Effect::RunChecks {
        generation: model.check_runs.request(model.current),
        lesson: model.current,
        facts: model.facts.clone(),
        engine_missing: model.engine_missing_reason(),
        typed: model.progress.typed.clone(),
    }
}

/// Takes a check run's answer. An answer to an older request than the
/// lesson's newest is stale: it neither shows nor saves progress.
pub(super) fn on_checked(
    model: &mut Model,
    generation: u64,
    lesson: usize,
    outcomes: Vec<Outcome>,
    at: u64,
    lint: Option<Result<Vec<Finding>, String>>,
) -> (Vec<Effect>, bool) {
    let mut changed = false;
    if model.check_runs.take_lint(generation) {
        model.lint = lint;
        changed = true;
    }
    if !model.check_runs.is_current(lesson, generation) {
        return (vec![], changed);
    }
    let Some(slot) = model.results.get_mut(lesson) else {
        return (vec![], changed);
    };
    *slot = Some(outcomes);
    (mark_done(model, lesson, at), true)
}

/// Records a lesson that passes now as done (once), and says what next.
fn mark_done(model: &mut Model, lesson: usize, at: u64) -> Vec<Effect> {
    if !model.lesson_passed(lesson) {
        // "lesson passed" no longer holds (a file changed after it): the
        // checks say what fails now, the status line must not contradict.
        if lesson == model.current
            && model
                .notice
                .as_ref()
                .is_some_and(|n| n.text.starts_with("✓ lesson passed"))
        {
            model.notice = None;
        }
        return vec![];
    }
    let Some(id) = model.lessons.get(lesson).map(|l| l.id.clone()) else {
        return vec![];
    };
    if model.progress.is_done(&id) {
        return vec![];
    }
    model.progress.done.insert(id, at);
    let next = if lesson + 1 < model.lessons.len() {
        "press n for the next lesson"
    } else {
        "that was the last lesson — well done!"
    };
    notice(model, format!("✓ lesson passed — {next}"), false);
    vec![Effect::SaveProgress(model.progress.clone())]
}

/// Forgets that the current lesson was passed (the learner confirmed).
pub(super) fn reset_lesson(model: &mut Model) -> Vec<Effect> {
    let Some(id) = model.lesson().map(|l| l.id.clone()) else {
        return vec![];
    };
    model.progress.done.remove(&id);
    if let Some(r) = model.results.get_mut(model.current) {
        *r = None;
    }
    notice(model, "lesson reset: your files were not touched", false);
    let save = Effect::SaveProgress(model.progress.clone());
    vec![save, check_effect(model)]
}
