//! DL3059: consecutive `RUN` instructions that could be one.

use super::super::dockerfile::{Dockerfile, Kind};
use super::super::finding::{Finding, LintContext, RuleInfo, Severity};
use super::main_pass;

pub(crate) const DL3059: RuleInfo = RuleInfo {
    id: "DL3059",
    severity: Severity::Info,
    why: "Each RUN makes a layer; single-command RUNs in a row add layers and cache steps that could be one.",
    lesson: Some("layer-caching"),
};

/// As hadolint: a `RUN` is reported when it and the `RUN` right before it
/// (comments between them do not count) have the same flags and each runs at
/// most one command. hadolint counts every simple command twice and allows
/// up to 2, which is the same thing.
pub(crate) fn check(df: &Dockerfile, _: &LintContext, out: &mut Vec<Finding>) {
    let mut previous: Option<(&[String], usize)> = None;
    for (line, kind) in main_pass(df) {
        let Kind::Run(run) = kind else {
            previous = None;
            continue;
        };
        let count = run.shell.commands.len();
        if let Some((flags, prev_count)) = previous
            && flags == run.flags_key.as_slice()
            && count <= 1
            && prev_count <= 1
        {
            out.push(DL3059.at(
                line,
                "this RUN follows another single-command RUN: chain them with `&&`",
            ));
        }
        previous = Some((&run.flags_key, count));
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{fires, lines};

    #[test]
    fn consecutive_single_commands() {
        assert_eq!(lines("DL3059", "FROM a:1\nRUN a\nRUN b\n"), [3]);
        assert_eq!(
            lines("DL3059", "FROM a:1\nRUN a\n# note\n\nRUN b\nRUN c\n"),
            [5, 6]
        );
        assert_eq!(lines("DL3059", "FROM a:1\nRUN a && b\nRUN c\nRUN d\n"), [4]);
        let same_mount = "RUN --mount=type=secret,id=a x\nRUN --mount=id=a,type=secret y\n";
        assert_eq!(lines("DL3059", &format!("FROM a:1\n{same_mount}")), [3]);
    }

    #[test]
    fn chained_or_separated() {
        assert!(!fires("DL3059", "FROM a:1\nRUN a\nWORKDIR /x\nRUN b\n"));
        assert!(!fires("DL3059", "FROM a:1\nRUN a; b\nRUN c\n"));
        assert!(!fires("DL3059", "FROM a:1\nRUN c\nRUN a | b\n"));
        assert!(!fires(
            "DL3059",
            "FROM a:1\nRUN --mount=type=secret,id=a x\nRUN y\n"
        ));
        assert!(!fires("DL3059", "FROM a:1\nRUN a\nONBUILD RUN b\nRUN c\n"));
    }
}
