//! The entry point: parse, run every rule, apply ignore pragmas, sort.

use super::dockerfile;
use super::finding::{Finding, LintContext, LintError};
use super::pragma;
use super::rules::CHECKS;

/// Lints Dockerfile `text`. Findings are sorted by line, then rule id.
///
/// # Errors
///
/// [`LintError`] with the line and message when the Dockerfile does not parse.
pub fn lint(text: &str, ctx: &LintContext) -> Result<Vec<Finding>, LintError> {
    let df = dockerfile::parse(text)?;
    let mut findings = Vec::new();
    for check in CHECKS {
        check(&df, ctx, &mut findings);
    }
    pragma::apply(&df, &mut findings);
    findings.sort_by(|a, b| (a.line, a.rule).cmp(&(b.line, b.rule)));
    Ok(findings)
}

#[cfg(test)]
mod tests {
    use super::super::finding::LintContext;
    use super::lint;

    #[test]
    fn sorted_by_line_then_rule() {
        let df = "FROM python\nRUN pip install flask\nRUN sudo x\nWORKDIR app\n";
        let f = lint(df, &LintContext::default()).unwrap_or_default();
        let got: Vec<(usize, &str)> = f.iter().map(|f| (f.line, f.rule)).collect();
        assert_eq!(
            got,
            [
                (1, "DL3006"),
                (1, "DT1001"),
                (2, "DL3013"),
                (2, "DL3042"),
                (3, "DL3004"),
                (3, "DL3059"),
                (4, "DL3000")
            ]
        );
    }

    #[test]
    fn parse_errors() {
        let e = lint("FROM a:1\nRUN x\nBOGUS y\n", &LintContext::default()).err();
        assert_eq!(e.as_ref().map(|e| e.line), Some(3));
        assert!(e.is_some_and(|e| e.message.contains("BOGUS")));
        assert_eq!(
            lint("", &LintContext::default()).err().map(|e| e.line),
            Some(1)
        );
    }
}
