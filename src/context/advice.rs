//! Advice for the learner about the context about to be sent: what is big
//! (per top-level item) and which well-known offenders (`.git`, virtualenvs,
//! `node_modules`, caches, `.env` secrets) a `.dockerignore` line would
//! leave out.

use std::collections::HashMap;

use super::plan::{ContextPlan, Entry, EntryKind};

/// Above this, the learner hears what is big and how to leave it out.
const BIG_CONTEXT: u64 = 10_000_000;

/// Size of one top-level item of the context, for "what is big" displays.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopLevelItem {
    pub name: String,
    pub is_dir: bool,
    /// Bytes of regular-file content sent for this item.
    pub bytes: u64,
    /// Archive entries under (and including) this item.
    pub entries: usize,
}

/// A `.dockerignore` line worth adding, for a well-known offender.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    pub pattern: String,
    pub reason: &'static str,
    /// Bytes that adding the line would stop sending.
    pub bytes: u64,
}

/// (name, pattern to suggest at the top level, why).
const WELL_KNOWN: &[(&str, &str, &str)] = &[
    (
        ".git",
        ".git",
        "version-control history is never needed in an image",
    ),
    (
        ".venv",
        ".venv",
        "Python virtualenvs are machine specific; install deps in the image",
    ),
    (
        "venv",
        "venv",
        "Python virtualenvs are machine specific; install deps in the image",
    ),
    (
        "node_modules",
        "node_modules",
        "run npm ci in the image instead of sending modules",
    ),
    (
        "__pycache__",
        "**/__pycache__",
        "compiled Python caches are rebuilt anyway",
    ),
    (
        ".env",
        ".env",
        "secrets file: anything sent can end up in an image layer",
    ),
];

/// What the plan reports about the entries it will send.
pub(super) struct Summary {
    /// Regular files and hard links.
    pub file_count: usize,
    /// Sum of regular-file sizes.
    pub total_bytes: u64,
    /// Top-level items, largest first.
    pub largest: Vec<TopLevelItem>,
    /// Secrets first, then by bytes saved.
    pub suggestions: Vec<Suggestion>,
}

pub(super) fn summarize(entries: &[Entry]) -> Summary {
    let mut file_count = 0;
    let mut total_bytes = 0;
    let mut top: Vec<TopLevelItem> = Vec::new();
    let mut top_index: HashMap<Vec<u8>, usize> = HashMap::new();
    let mut suggestions: Vec<Suggestion> = Vec::new();
    for e in entries {
        if matches!(e.kind, EntryKind::File | EntryKind::HardLink { .. }) {
            file_count += 1;
        }
        total_bytes += e.size;

        let first = e.path.split(|b| *b == b'/').next().unwrap_or(&[]);
        let idx = *top_index.entry(first.to_vec()).or_insert_with(|| {
            top.push(TopLevelItem {
                name: String::from_utf8_lossy(first).into_owned(),
                is_dir: false,
                bytes: 0,
                entries: 0,
            });
            top.len() - 1
        });
        let item = &mut top[idx];
        item.bytes += e.size;
        item.entries += 1;
        item.is_dir |= e.kind == EntryKind::Dir || e.path.len() > first.len();
        for comp_end in component_ends(&e.path) {
            let prefix = &e.path[..comp_end];
            let name = prefix.rsplit(|b| *b == b'/').next().unwrap_or(&[]);
            for (known, pattern, reason) in WELL_KNOWN {
                if name != known.as_bytes() {
                    continue;
                }
                let top_level = comp_end == first.len();
                let pattern = if top_level || pattern.starts_with("**/") {
                    pattern.to_string()
                } else {
                    format!("**/{known}")
                };
                match suggestions.iter_mut().find(|s| s.pattern == pattern) {
                    Some(s) => s.bytes += e.size,
                    None => suggestions.push(Suggestion {
                        pattern,
                        reason,
                        bytes: e.size,
                    }),
                }
            }
        }
    }
    top.sort_by(|a, b| b.bytes.cmp(&a.bytes).then_with(|| a.name.cmp(&b.name)));
    suggestions.sort_by(|a, b| {
        let secret = |s: &Suggestion| !s.pattern.ends_with(".env");
        secret(a)
            .cmp(&secret(b))
            .then_with(|| b.bytes.cmp(&a.bytes))
    });
    Summary {
        file_count,
        total_bytes,
        largest: top,
        suggestions,
    }
}

/// End offsets of each path component: `a/b/c` gives 1, 3, 5.
fn component_ends(path: &[u8]) -> impl Iterator<Item = usize> + '_ {
    path.iter()
        .enumerate()
        .filter(|(_, b)| **b == b'/')
        .map(|(i, _)| i)
        .chain(std::iter::once(path.len()))
}

/// Teaching moments about the context about to be sent: secrets always,
/// size when it is large.
pub fn advice(plan: &ContextPlan) -> Vec<String> {
    let human = crate::text::human_bytes;
    let mut out = Vec::new();
    for s in &plan.suggestions {
        let secret = s.pattern.contains(".env");
        if secret || plan.total_bytes >= BIG_CONTEXT {
            out.push(format!(
                "add `{}` to .dockerignore — {} ({})",
                s.pattern,
                s.reason,
                human(s.bytes)
            ));
        }
    }
    if plan.total_bytes >= BIG_CONTEXT && out.is_empty() {
        let biggest: Vec<String> = plan
            .largest
            .iter()
            .take(3)
            .map(|t| format!("{} ({})", t.name, human(t.bytes)))
            .collect();
        out.push(format!(
            "the context is large; biggest: {} — leave out what the image does not need with .dockerignore",
            biggest.join(", ")
        ));
    }
    out
}
