//! DT1001: no `.dockerignore` next to the Dockerfile.

use super::super::dockerfile::Dockerfile;
use super::super::finding::{Finding, LintContext, RuleInfo, Severity};

pub(crate) const DT1001: RuleInfo = RuleInfo {
    id: "DT1001",
    severity: Severity::Warning,
    why: "Without it the whole folder (.git, .env, node_modules, secrets) is sent to the build and can end up in the image.",
    lesson: Some("dockerignore"),
};

pub(crate) fn check(_: &Dockerfile, ctx: &LintContext, out: &mut Vec<Finding>) {
    if !ctx.has_dockerignore {
        out.push(DT1001.at(
            1,
            "no .dockerignore next to this Dockerfile: the whole folder is the build context",
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::super::super::{LintContext, lint};

    #[test]
    fn reported_at_line_one_only_without_the_file() {
        let with = lint(
            "FROM a:1\n",
            &LintContext {
                has_dockerignore: true,
            },
        )
        .unwrap_or_default();
        assert!(with.iter().all(|f| f.rule != "DT1001"));
        let without = lint(
            "# c\nFROM a:1\n",
            &LintContext {
                has_dockerignore: false,
            },
        )
        .unwrap_or_default();
        let lines: Vec<usize> = without
            .iter()
            .filter(|f| f.rule == "DT1001")
            .map(|f| f.line)
            .collect();
        assert_eq!(lines, [1]);
    }
}
