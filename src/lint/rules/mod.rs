//! The lint rules. Each file holds one rule or a few related ones; each rule
//! is a function over the whole Dockerfile, since many need to remember what
//! came before (stages, `SHELL`, `ENV`, the previous `RUN`).

use super::dockerfile::{Dockerfile, Kind};
use super::finding::{Finding, LintContext};

pub(crate) mod add;
pub(crate) mod apt;
pub(crate) mod copy_order;
pub(crate) mod dockerignore;
pub(crate) mod exec_form;
pub(crate) mod from;
pub(crate) mod pip;
pub(crate) mod pipefail;
pub(crate) mod run_layers;
pub(crate) mod secrets;
pub(crate) mod sudo;
pub(crate) mod user;
pub(crate) mod workdir;

/// A rule: reads the Dockerfile and appends its findings.
pub(crate) type Check = fn(&Dockerfile, &LintContext, &mut Vec<Finding>);

/// Every rule, in no particular order (findings are sorted afterwards).
pub(crate) const CHECKS: &[Check] = &[
    from::check,
    user::check,
    sudo::check,
    pip::check_dl3013,
    pip::check_dl3042,
    apt::check_dl3008,
    apt::check_dl3009,
    apt::check_dl3015,
    add::check,
    exec_form::check,
    workdir::check,
    run_layers::check,
    pipefail::check,
    dockerignore::check,
    copy_order::check,
    secrets::check,
];

/// Ids of all rules, hadolint's and docktutor's.
pub const RULE_IDS: &[&str] = &[
    "DL3000", "DL3002", "DL3004", "DL3006", "DL3007", "DL3008", "DL3009", "DL3013", "DL3015",
    "DL3020", "DL3025", "DL3042", "DL3059", "DL4006", "DT1001", "DT1002", "DT1003",
];

/// The instructions as hadolint's main pass sees them (`ONBUILD` wrapped).
pub(crate) fn main_pass(df: &Dockerfile) -> impl Iterator<Item = (usize, &Kind)> {
    df.instructions.iter().map(|i| (i.line, &i.kind))
}

/// The instructions inside `ONBUILD`, unwrapped. hadolint runs some rules a
/// second time, with fresh state, over just these.
pub(crate) fn onbuild_pass(df: &Dockerfile) -> impl Iterator<Item = (usize, &Kind)> {
    df.instructions.iter().filter_map(|i| match &i.kind {
        Kind::Onbuild(inner) => Some((i.line, inner.as_ref())),
        _ => None,
    })
}

/// Both passes, for rules without state.
pub(crate) fn both_passes(df: &Dockerfile) -> impl Iterator<Item = (usize, &Kind)> {
    main_pass(df).chain(onbuild_pass(df))
}

/// Removes quotes around a value, as hadolint's `dropQuotes`.
pub(crate) fn drop_quotes(s: &str) -> &str {
    s.trim_matches(|c| c == '"' || c == '\'')
}

#[cfg(test)]
pub(crate) mod testing {
    use super::super::finding::{Finding, LintContext};

    /// Lines where `rule` fires on `text` (with a `.dockerignore`).
    pub(crate) fn lines(rule: &str, text: &str) -> Vec<usize> {
        findings(text)
            .into_iter()
            .filter(|f| f.rule == rule)
            .map(|f| f.line)
            .collect()
    }

    pub(crate) fn findings(text: &str) -> Vec<Finding> {
        match super::super::lint(
            text,
            &LintContext {
                has_dockerignore: true,
            },
        ) {
            Ok(f) => f,
            Err(e) => panic!("does not parse: {e}"),
        }
    }

    /// Whether `rule` fires anywhere in `text`.
    pub(crate) fn fires(rule: &str, text: &str) -> bool {
        !lines(rule, text).is_empty()
    }
}
