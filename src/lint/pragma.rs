//! hadolint's ignore comments, so a Dockerfile tuned for hadolint gives the
//! same findings here:
//!
//! * `# hadolint ignore=DL3008,DL3015` ignores those rules on the next line;
//! * `# hadolint global ignore=DL3059` ignores them everywhere;
//! * `# hadolint stage ignore=DL3002` ignores them on the following lines up
//!   to the next `FROM`.
//!
//! The grammar is hadolint's: rule names may only contain the characters
//! `DLSC0123456789`, so a comment naming a docktutor `DT` rule is not a
//! pragma at all (hadolint ignores it too).

use std::collections::{BTreeMap, BTreeSet};

use super::dockerfile::{Dockerfile, Kind};
use super::finding::Finding;

fn blank(c: char) -> bool {
    c == ' ' || c == '\t'
}

/// Strips `word` plus at least one blank (if `blanks1`) or any blanks.
fn keyword<'a>(s: &'a str, word: &str, blanks1: bool) -> Option<&'a str> {
    let rest = s.strip_prefix(word)?;
    let trimmed = rest.trim_start_matches(blank);
    (!blanks1 || trimmed.len() < rest.len()).then_some(trimmed)
}

/// Parses `ignore = RULE[, RULE…] [# comment]`.
fn ignore_list(s: &str) -> Option<Vec<String>> {
    let s = keyword(s, "ignore", false)?;
    let mut s = keyword(s, "=", false)?;
    let mut rules = Vec::new();
    loop {
        let end = s
            .find(|c: char| !"DLSC0123456789".contains(c))
            .unwrap_or(s.len());
        if end == 0 {
            return None;
        }
        rules.push(s[..end].to_string());
        s = s[end..].trim_start_matches(blank);
        if s.starts_with('#') {
            return Some(rules);
        }
        if s.is_empty() {
            return Some(rules);
        }
        s = s.strip_prefix(',')?.trim_start_matches(blank);
    }
}

#[derive(Debug, PartialEq, Eq)]
enum Pragma {
    Line(Vec<String>),
    Stage(Vec<String>),
    Global(Vec<String>),
}

fn parse(comment: &str) -> Option<Pragma> {
    let s = comment.trim_start_matches(blank);
    let s = keyword(s, "hadolint", true)?;
    if let Some(rest) = keyword(s, "global", true) {
        return ignore_list(rest).map(Pragma::Global);
    }
    if let Some(rest) = keyword(s, "stage", true) {
        return ignore_list(rest).map(Pragma::Stage);
    }
    ignore_list(s).map(Pragma::Line)
}

/// Drops the findings that hadolint pragmas in `df` ignore.
pub(crate) fn apply(df: &Dockerfile, findings: &mut Vec<Finding>) {
    let mut line_ignores: BTreeMap<usize, BTreeSet<String>> = BTreeMap::new();
    let mut stage_ignores: BTreeMap<usize, BTreeSet<String>> = BTreeMap::new();
    let mut global: BTreeSet<String> = BTreeSet::new();
    // Comments and FROMs in file order.
    let froms = df
        .instructions
        .iter()
        .filter(|i| matches!(i.kind, Kind::From(_)))
        .map(|i| (i.line, None));
    let comments = df.comments.iter().map(|(l, c)| (*l, Some(c.as_str())));
    let mut events: Vec<(usize, Option<&str>)> = froms.chain(comments).collect();
    events.sort_by_key(|(l, _)| *l);
    for (line, comment) in events {
        match comment.and_then(parse) {
            Some(Pragma::Line(rules)) => {
                line_ignores.insert(line + 1, rules.into_iter().collect());
            }
            Some(Pragma::Stage(rules)) => {
                stage_ignores.insert(line + 1, rules.into_iter().collect());
            }
            Some(Pragma::Global(rules)) => global.extend(rules),
            None if comment.is_none() => {
                stage_ignores.entry(line).or_default();
            }
            None => {}
        }
    }
    findings.retain(|f| {
        let here = line_ignores
            .get(&f.line)
            .is_some_and(|s| s.contains(f.rule));
        let stage = stage_ignores
            .range(..f.line)
            .next_back()
            .is_some_and(|(_, s)| s.contains(f.rule));
        !(here || stage || global.contains(f.rule))
    });
}

#[cfg(test)]
mod tests {
    use super::super::rules::testing::lines;
    use super::{Pragma, parse};

    fn rules(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn grammar() {
        assert_eq!(
            parse(" hadolint ignore=DL3008"),
            Some(Pragma::Line(rules(&["DL3008"])))
        );
        assert_eq!(
            parse("hadolint ignore = DL3008 , DL3015 # why"),
            Some(Pragma::Line(rules(&["DL3008", "DL3015"])))
        );
        assert_eq!(
            parse(" hadolint global ignore=DL3059"),
            Some(Pragma::Global(rules(&["DL3059"])))
        );
        assert_eq!(
            parse(" hadolint stage ignore=DL3002"),
            Some(Pragma::Stage(rules(&["DL3002"])))
        );
        assert_eq!(parse(" hadolint ignore=DT1001"), None);
        assert_eq!(parse(" hadolint ignore="), None);
        assert_eq!(parse(" hadolintignore=DL3008"), None);
        assert_eq!(parse(" just a comment"), None);
    }

    #[test]
    fn next_line_only() {
        let df = "FROM a:1\n# hadolint ignore=DL3059\nRUN a\nRUN b\nRUN c\n";
        assert_eq!(lines("DL3059", df), [4, 5]);
        let df = "FROM a:1\nRUN a\n# hadolint ignore=DL3059\nRUN b\nRUN c\n";
        assert_eq!(lines("DL3059", df), [5]);
    }

    #[test]
    fn global_and_stage() {
        let df = "# hadolint global ignore=DL3059\nFROM a:1\nRUN a\nRUN b\n";
        assert!(lines("DL3059", df).is_empty());
        let df = "FROM a:1\n# hadolint stage ignore=DL3059\nRUN a\nRUN b\nFROM b:1\nRUN a\nRUN b\n";
        assert_eq!(lines("DL3059", df), [7]);
    }
}
