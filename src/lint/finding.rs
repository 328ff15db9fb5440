//! What the linter reports: findings, their severities, the facts about the
//! build folder it needs, and the error for a Dockerfile that does not parse.

use std::fmt;

use serde::Serialize;

/// How serious a finding is; the same four levels as hadolint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The image is wrong or unsafe.
    Error,
    /// Likely to cause trouble.
    Warning,
    /// Worth knowing; a better way exists.
    Info,
    /// A matter of style.
    Style,
}

impl Severity {
    /// The lowercase name hadolint uses: `error`, `warning`, `info`, `style`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
            Severity::Style => "style",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem found in a Dockerfile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Rule id: hadolint's (`DL3006`…) or docktutor's own (`DT1001`…).
    pub rule: &'static str,
    /// How serious it is.
    pub severity: Severity,
    /// 1-based line of the instruction (its first line if it spans several).
    pub line: usize,
    /// One line: what is wrong here.
    pub message: String,
    /// One line: why it matters.
    pub why: &'static str,
    /// Id of the docktutor lesson that teaches the fix.
    pub lesson: Option<&'static str>,
}

/// Facts about the folder the Dockerfile is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct LintContext {
    /// Whether a `.dockerignore` file is next to the Dockerfile.
    pub has_dockerignore: bool,
}

/// The Dockerfile does not parse.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LintError {
    /// 1-based line where parsing failed.
    pub line: usize,
    /// What the parser expected or found.
    pub message: String,
}

impl fmt::Display for LintError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for LintError {}

/// The fixed facts about a rule: id, severity, why it matters, lesson.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RuleInfo {
    pub id: &'static str,
    pub severity: Severity,
    pub why: &'static str,
    pub lesson: Option<&'static str>,
}

impl RuleInfo {
    /// A finding of this rule at `line`.
    pub(crate) fn at(&self, line: usize, message: impl Into<String>) -> Finding {
        Finding {
            rule: self.id,
            severity: self.severity,
            line,
            message: message.into(),
            why: self.why,
            lesson: self.lesson,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn findings_serialize_to_json() {
        let info = RuleInfo {
            id: "DL3000",
            severity: Severity::Error,
            why: "because",
            lesson: Some("dockerfile"),
        };
        let json = serde_json::to_value(info.at(3, "relative WORKDIR")).unwrap_or_default();
        assert_eq!(json["rule"], "DL3000");
        assert_eq!(json["severity"], "error");
        assert_eq!(json["line"], 3);
        assert_eq!(json["lesson"], "dockerfile");
    }

    #[test]
    fn error_displays_line() {
        let e = LintError {
            line: 4,
            message: "unknown instruction 'FORM'".into(),
        };
        assert_eq!(e.to_string(), "line 4: unknown instruction 'FORM'");
    }
}
