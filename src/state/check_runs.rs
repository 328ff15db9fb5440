//! Check runs are numbered, so a slow, older run cannot overwrite what a
//! newer one found. Each lesson remembers its newest request; only the
//! answer to that request counts (and only it may mark the lesson done).
//! The linter's findings are about the one workspace, whatever the lesson:
//! they are taken from any answer newer than the findings shown.

use std::collections::HashMap;

#[derive(Debug, Default)]
pub struct CheckRuns {
    /// The number of the latest request (0: none yet).
    issued: u64,
    /// The newest request of each lesson.
    newest: HashMap<usize, u64>,
    /// The request the shown linter findings came from.
    lint_from: u64,
}

impl CheckRuns {
    /// Numbers a new check run of `lesson`.
    pub fn request(&mut self, lesson: usize) -> u64 {
        self.issued += 1;
        self.newest.insert(lesson, self.issued);
        self.issued
    }

    /// The newest request of a lesson (0 when it was never checked).
    pub fn newest(&self, lesson: usize) -> u64 {
        self.newest.get(&lesson).copied().unwrap_or(0)
    }

    /// Whether an answer is to the lesson's newest request.
    pub fn is_current(&self, lesson: usize, generation: u64) -> bool {
        generation == self.newest(lesson)
    }

    /// Whether an answer's linter findings are newer than those shown;
    /// if so they become the shown ones.
    pub fn take_lint(&mut self, generation: u64) -> bool {
        if generation < self.lint_from {
            return false;
        }
        self.lint_from = generation;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_newest_request_of_a_lesson_is_current() {
        let mut runs = CheckRuns::default();
        let old = runs.request(2);
        let new = runs.request(2);
        assert!(new > old);
        assert!(runs.is_current(2, new));
        assert!(!runs.is_current(2, old));
        // Another lesson's request does not make lesson 2's stale.
        let other = runs.request(3);
        assert!(runs.is_current(2, new) && runs.is_current(3, other));
    }

    #[test]
    fn lint_findings_only_move_forward() {
        let mut runs = CheckRuns::default();
        let (a, b) = (runs.request(0), runs.request(1));
        assert!(runs.take_lint(b));
        assert!(
            !runs.take_lint(a),
            "older findings never replace newer ones"
        );
        assert!(runs.take_lint(b));
    }
}
