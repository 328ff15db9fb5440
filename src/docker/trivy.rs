//! Running trivy, when it is installed, and reading its report. docktutor
//! never pretends: without trivy the scan check stays "waiting" and says how
//! to install it ([`crate::engine::scan::INSTALL`]).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

/// trivy's place on PATH, if any.
pub fn find() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join("trivy"))
        .find(|p| p.is_file())
}

#[derive(Deserialize)]
struct Report {
    #[serde(rename = "Results", default)]
    results: Vec<Target>,
}

#[derive(Deserialize)]
struct Target {
    #[serde(rename = "Vulnerabilities", default)]
    vulnerabilities: Vec<Vuln>,
}

#[derive(Deserialize, Clone)]
pub struct Vuln {
    #[serde(rename = "VulnerabilityID", default)]
    pub id: String,
    #[serde(rename = "PkgName", default)]
    pub package: String,
    #[serde(rename = "InstalledVersion", default)]
    pub installed: String,
    #[serde(rename = "FixedVersion", default)]
    pub fixed: String,
    #[serde(rename = "Severity", default)]
    pub severity: String,
}

/// Runs `trivy image --format json IMAGE`; returns the findings.
pub async fn scan(trivy: &Path, image: &str) -> Result<Vec<Vuln>, String> {
    let run = tokio::process::Command::new(trivy)
        .args([
            "image",
            "--quiet",
            "--scanners",
            "vuln",
            "--format",
            "json",
            image,
        ])
        .kill_on_drop(true)
        .output();
    let out = tokio::time::timeout(Duration::from_secs(600), run)
        .await
        .map_err(|_| "trivy did not finish within 10 minutes".to_string())?
        .map_err(|e| format!("could not start trivy: {e}"))?;
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        let last = err
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .unwrap_or("");
        return Err(format!("trivy failed: {last}"));
    }
    parse(&out.stdout)
}

pub fn parse(json: &[u8]) -> Result<Vec<Vuln>, String> {
    let report: Report =
        serde_json::from_slice(json).map_err(|e| format!("trivy's report did not parse: {e}"))?;
    Ok(report
        .results
        .into_iter()
        .flat_map(|t| t.vulnerabilities)
        .collect())
}

/// Findings per severity.
pub fn counts(vulns: &[Vuln]) -> BTreeMap<String, usize> {
    let mut m = BTreeMap::new();
    for v in vulns {
        *m.entry(v.severity.to_uppercase()).or_insert(0) += 1;
    }
    m
}

/// The findings as a table for the output pane, most severe first.
pub fn table(vulns: &[Vuln]) -> String {
    let rank = |s: &str| match s {
        "CRITICAL" => 0,
        "HIGH" => 1,
        "MEDIUM" => 2,
        "LOW" => 3,
        _ => 4,
    };
    let mut v: Vec<&Vuln> = vulns.iter().collect();
    v.sort_by_key(|x| (rank(&x.severity), x.package.clone()));
    let mut s = format!(
        "{:<9} {:<18} {:<22} {:<18} {}\n",
        "SEVERITY", "ID", "PACKAGE", "INSTALLED", "FIXED IN"
    );
    for x in v {
        s.push_str(&format!(
            "{:<9} {:<18} {:<22} {:<18} {}\n",
            x.severity,
            x.id,
            x.package,
            x.installed,
            if x.fixed.is_empty() { "-" } else { &x.fixed }
        ));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    const REPORT: &str = r#"{"SchemaVersion":2,"Results":[{"Target":"x (debian 12.5)","Vulnerabilities":[
      {"VulnerabilityID":"CVE-2024-1","PkgName":"openssl","InstalledVersion":"3.0.11","FixedVersion":"3.0.13","Severity":"CRITICAL"},
      {"VulnerabilityID":"CVE-2024-2","PkgName":"zlib","InstalledVersion":"1.2","FixedVersion":"","Severity":"LOW"}]},
      {"Target":"python-pkg"}]}"#;

    #[test]
    fn reads_trivy_json() {
        let v = parse(REPORT.as_bytes()).unwrap();
        assert_eq!(v.len(), 2);
        let c = counts(&v);
        assert_eq!(c.get("CRITICAL"), Some(&1));
        assert_eq!(c.get("LOW"), Some(&1));
        let t = table(&v);
        assert!(t.lines().nth(1).unwrap().starts_with("CRITICAL"));
        assert!(t.contains("zlib"));
    }

    #[test]
    fn a_broken_report_is_an_error() {
        assert!(parse(b"not json").is_err());
    }
}
