//! What a vulnerability scan's figures mean: severities in order, and how to
//! get the scanner. Shared by the scan check, the headless commands and the
//! docker module that runs trivy.

/// How to get trivy, for the learner who has none.
pub const INSTALL: &str = "install trivy (https://trivy.dev: brew install trivy, or the .deb/.rpm from its releases), then scan again";

/// Severities at or above `level` (CRITICAL > HIGH > MEDIUM > LOW).
pub fn at_or_above(level: &str) -> &'static [&'static str] {
    match level.to_uppercase().as_str() {
        "LOW" => &["CRITICAL", "HIGH", "MEDIUM", "LOW"],
        "MEDIUM" => &["CRITICAL", "HIGH", "MEDIUM"],
        "HIGH" => &["CRITICAL", "HIGH"],
        _ => &["CRITICAL"],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thresholds() {
        assert_eq!(at_or_above("high"), ["CRITICAL", "HIGH"]);
        assert_eq!(at_or_above("CRITICAL"), ["CRITICAL"]);
    }
}
