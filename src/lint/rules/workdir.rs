//! DL3000: relative `WORKDIR`.

use super::super::dockerfile::{Dockerfile, Kind};
use super::super::finding::{Finding, LintContext, RuleInfo, Severity};
use super::{drop_quotes, main_pass};

pub(crate) const DL3000: RuleInfo = RuleInfo {
    id: "DL3000",
    severity: Severity::Error,
    why: "A relative WORKDIR depends on the previous one, so the real path is easy to get wrong and breaks when lines move.",
    lesson: Some("dockerfile"),
};

fn is_absolute(path: &str) -> bool {
    let mut chars = path.chars();
    let windows = matches!((chars.next(), chars.next()), (Some(c), Some(':')) if c.is_alphabetic());
    path.is_empty() || path.starts_with('$') || path.starts_with('/') || windows
}

pub(crate) fn check(df: &Dockerfile, _: &LintContext, out: &mut Vec<Finding>) {
    for (line, kind) in main_pass(df) {
        if let Kind::Workdir(path) = kind
            && !is_absolute(drop_quotes(path))
        {
            out.push(DL3000.at(
                line,
                format!("`WORKDIR {path}` is relative: use an absolute path like `/{path}`"),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{fires, lines};

    #[test]
    fn relative() {
        assert_eq!(lines("DL3000", "FROM a:1\nWORKDIR app\n"), [2]);
        assert_eq!(lines("DL3000", "FROM a:1\nWORKDIR ./app\n"), [2]);
        assert_eq!(lines("DL3000", "FROM a:1\nWORKDIR \"app\"\n"), [2]);
    }

    #[test]
    fn absolute() {
        for p in ["/app", "\"/app\"", "$HOME", "${APP}", "C:\\\\app", "'/x'"] {
            assert!(!fires("DL3000", &format!("FROM a:1\nWORKDIR {p}\n")), "{p}");
        }
    }
}
