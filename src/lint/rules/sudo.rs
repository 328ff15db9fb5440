//! DL3004: `sudo` in `RUN`.

use super::super::dockerfile::{Dockerfile, Kind};
use super::super::finding::{Finding, LintContext, RuleInfo, Severity};
use super::both_passes;

pub(crate) const DL3004: RuleInfo = RuleInfo {
    id: "DL3004",
    severity: Severity::Error,
    why: "RUN already runs as the current USER; sudo adds a setuid tool to the image and behaves unpredictably without a TTY.",
    lesson: Some("non-root"),
};

pub(crate) fn check(df: &Dockerfile, _: &LintContext, out: &mut Vec<Finding>) {
    for (line, kind) in both_passes(df) {
        if let Kind::Run(run) = kind
            && run.shell.uses_program("sudo")
        {
            out.push(DL3004.at(
                line,
                "`sudo` in RUN: switch with `USER` instead, or use gosu in an entrypoint",
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{fires, lines};

    #[test]
    fn sudo_anywhere_in_the_script() {
        assert_eq!(lines("DL3004", "FROM a:1\nRUN sudo apt-get update\n"), [2]);
        assert_eq!(
            lines("DL3004", "FROM a:1\nRUN make && sudo make install\n"),
            [2]
        );
        assert_eq!(lines("DL3004", "FROM a:1\nONBUILD RUN sudo x\n"), [2]);
        assert_eq!(lines("DL3004", "FROM a:1\nRUN [\"sudo\", \"x\"]\n"), [2]);
    }

    #[test]
    fn sudo_as_a_word_is_fine() {
        assert!(!fires("DL3004", "FROM a:1\nRUN apt-get install -y sudo\n"));
        assert!(!fires("DL3004", "FROM a:1\nRUN echo 'sudo x'\n"));
    }
}
