//! DL3002: the last `USER` of a stage is root.

use super::super::dockerfile::{Dockerfile, Kind};
use super::super::finding::{Finding, LintContext, RuleInfo, Severity};
use super::main_pass;

pub(crate) const DL3002: RuleInfo = RuleInfo {
    id: "DL3002",
    severity: Severity::Warning,
    why: "A container running as root turns any break-out or bug in your app into root on the host's kernel.",
    lesson: Some("non-root"),
};

fn is_root(user: &str) -> bool {
    user == "root" || user == "0" || user.starts_with("root:") || user.starts_with("0:")
}

/// As hadolint: every stage whose last `USER` is root is reported at that
/// `USER`, intermediate build stages included.
pub(crate) fn check(df: &Dockerfile, _: &LintContext, out: &mut Vec<Finding>) {
    // Per stage: the line of a root USER not followed by a non-root one.
    let mut stages: Vec<Option<usize>> = Vec::new();
    for (line, kind) in main_pass(df) {
        match kind {
            Kind::From(_) => stages.push(None),
            Kind::User(user) => {
                if let Some(last) = stages.last_mut() {
                    *last = is_root(user).then_some(line);
                }
            }
            _ => {}
        }
    }
    for line in stages.into_iter().flatten() {
        out.push(DL3002.at(
            line,
            "the stage ends running as root: switch to an unprivileged `USER`",
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{fires, lines};

    #[test]
    fn root_users() {
        for u in ["root", "0", "root:root", "0:0"] {
            assert_eq!(
                lines("DL3002", &format!("FROM scratch\nUSER {u}\n")),
                [2],
                "{u}"
            );
        }
    }

    #[test]
    fn non_root_or_switched_back() {
        assert!(!fires("DL3002", "FROM scratch\nUSER app\n"));
        assert!(!fires(
            "DL3002",
            "FROM scratch\nUSER root\nRUN x\nUSER app\n"
        ));
        assert!(!fires("DL3002", "FROM scratch\nRUN x\n"));
        assert!(!fires("DL3002", "FROM scratch\nUSER rooty\n"));
    }

    #[test]
    fn every_stage_counts() {
        let df = "FROM debian:12 AS base\nUSER root\nRUN x\nFROM scratch\nUSER foo\n";
        assert_eq!(lines("DL3002", df), [2]);
        let df = "FROM debian:12 AS base\nUSER root\nUSER foo\nFROM scratch\nRUN x\n";
        assert!(!fires("DL3002", df));
    }

    #[test]
    fn onbuild_user_is_ignored() {
        assert!(!fires("DL3002", "FROM scratch\nONBUILD USER root\n"));
    }
}
