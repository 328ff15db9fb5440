//! A Dockerfile linter for docktutor. Rule ids and meanings follow hadolint
//! where they overlap (`DL…`); docktutor's own rules are `DT…`.
//!
//! ```
//! use docktutor::lint::{lint, LintContext};
//!
//! let findings = lint("FROM python\nCMD python app.py\n", &LintContext { has_dockerignore: true })?;
//! let rules: Vec<&str> = findings.iter().map(|f| f.rule).collect();
//! assert_eq!(rules, ["DL3006", "DL3025"]);
//! # Ok::<(), docktutor::lint::LintError>(())
//! ```

mod dockerfile;
mod engine;
mod finding;
mod pragma;
mod rules;
mod shell;

pub use engine::lint;

pub use finding::{Finding, LintContext, LintError, Severity};
pub use rules::RULE_IDS;
use std::path::{Path, PathBuf};

/// Reads the Dockerfile at `path` (a file, or a folder holding one) and
/// lints it with the facts of its folder.
pub fn lint_path(path: &Path) -> Result<(PathBuf, Vec<Finding>), String> {
    let file = if path.is_dir() {
        path.join("Dockerfile")
    } else {
        path.to_path_buf()
    };
    let text = std::fs::read_to_string(&file)
        .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
    let folder = file.parent().unwrap_or(Path::new("."));
    let ctx = LintContext {
        has_dockerignore: folder.join(".dockerignore").is_file(),
    };
    let findings = lint(&text, &ctx).map_err(|e| format!("{}: {e}", file.display()))?;
    Ok((file, findings))
}
