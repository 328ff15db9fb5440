//! DL3006 (untagged `FROM`) and DL3007 (`FROM …:latest`).

use std::collections::HashSet;

use super::super::dockerfile::{Dockerfile, Kind};
use super::super::finding::{Finding, LintContext, RuleInfo, Severity};
use super::main_pass;

pub(crate) const DL3006: RuleInfo = RuleInfo {
    id: "DL3006",
    severity: Severity::Warning,
    why: "An untagged image means `latest`: the base can change under you and break the build without any edit.",
    lesson: Some("minimal-base"),
};

pub(crate) const DL3007: RuleInfo = RuleInfo {
    id: "DL3007",
    severity: Severity::Warning,
    why: "`latest` moves with every release, so the same Dockerfile builds different images over time.",
    lesson: Some("minimal-base"),
};

pub(crate) fn check(df: &Dockerfile, _: &LintContext, out: &mut Vec<Finding>) {
    // Stage names seen so far: `FROM builder` refers to a stage, not an image.
    let mut stages: HashSet<&str> = HashSet::new();
    for (line, kind) in main_pass(df) {
        let Kind::From(image) = kind else { continue };
        let untagged = image.name != "scratch"
            && image.digest.is_none()
            && image.tag.is_none()
            && !image.name.starts_with('$')
            && !stages.contains(image.name.as_str());
        if untagged {
            out.push(DL3006.at(
                line,
                format!(
                    "`FROM {}` has no tag: pin a version like `{}:<version>`",
                    image.name, image.name
                ),
            ));
        }
        if image.tag.as_deref() == Some("latest") && image.digest.is_none() {
            out.push(DL3007.at(
                line,
                format!(
                    "`FROM {}:latest` uses the moving `latest` tag: pin a release",
                    image.name
                ),
            ));
        }
        if let Some(alias) = &image.alias {
            stages.insert(alias);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{fires, lines};

    #[test]
    fn dl3006_untagged() {
        assert_eq!(lines("DL3006", "FROM debian\n"), [1]);
        assert_eq!(lines("DL3006", "FROM docker.io/library/python\n"), [1]);
        assert_eq!(
            lines("DL3006", "FROM --platform=linux/amd64 node AS web\n"),
            [1]
        );
    }

    #[test]
    fn dl3006_exceptions() {
        assert!(!fires("DL3006", "FROM debian:12\n"));
        assert!(!fires("DL3006", "FROM scratch\n"));
        assert!(!fires("DL3006", "FROM debian@sha256:abcdef\n"));
        assert!(!fires("DL3006", "ARG BASE=debian:12\nFROM $BASE\n"));
        assert!(!fires("DL3006", "ARG BASE=debian:12\nFROM ${BASE}\n"));
        assert!(!fires(
            "DL3006",
            "FROM python:3.9 AS builder\nFROM builder\n"
        ));
        assert!(!fires("DL3006", "FROM python:${V}\n"));
    }

    #[test]
    fn dl3006_stage_must_be_defined_before() {
        assert_eq!(
            lines("DL3006", "FROM builder\nFROM python:3.9 AS builder\n"),
            [1]
        );
        assert_eq!(lines("DL3006", "FROM foo AS foo\n"), [1]);
    }

    #[test]
    fn dl3007_latest() {
        assert_eq!(lines("DL3007", "FROM debian:latest\n"), [1]);
        assert_eq!(
            lines("DL3007", "FROM debian:12\nFROM ghcr.io/x/y:latest AS b\n"),
            [2]
        );
        assert!(!fires("DL3007", "FROM debian:latest@sha256:abcdef\n"));
        assert!(!fires("DL3007", "FROM debian:latest-slim\n"));
        assert!(!fires("DL3007", "FROM debian\n"));
    }
}
