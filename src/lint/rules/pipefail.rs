//! DL4006: a pipe in `RUN` without `set -o pipefail` in `SHELL`.

use super::super::dockerfile::{Dockerfile, Kind};
use super::super::finding::{Finding, LintContext, RuleInfo, Severity};
use super::super::shell::ParsedShell;
use super::main_pass;

pub(crate) const DL4006: RuleInfo = RuleInfo {
    id: "DL4006",
    severity: Severity::Warning,
    why: "Without pipefail only the last command of a pipe decides success, so `curl … | sh` can fail and the build goes on.",
    lesson: Some("dockerfile"),
};

/// Shells hadolint 2.15.1 accepts for `-o pipefail` (exact names: hadolint
/// after 2.15.1 also accepts any path ending in these).
const PIPEFAIL_SHELLS: &[&str] = &["/bin/bash", "/bin/zsh", "/bin/ash", "bash", "zsh", "ash"];

const NON_POSIX: &[&str] = &["pwsh", "powershell", "cmd"];

fn shell_is_safe(shell: &ParsedShell) -> bool {
    if NON_POSIX.iter().any(|s| shell.original.starts_with(s)) {
        return true;
    }
    shell.commands.iter().any(|c| {
        PIPEFAIL_SHELLS.contains(&c.name.as_str())
            && c.has_flag("o")
            && c.args.iter().any(|a| a == "pipefail")
    })
}

pub(crate) fn check(df: &Dockerfile, _: &LintContext, out: &mut Vec<Finding>) {
    let mut safe = false;
    for (line, kind) in main_pass(df) {
        match kind {
            Kind::From(_) => safe = false,
            Kind::Shell(shell) => safe = shell_is_safe(shell),
            Kind::Run(run) if !safe && run.shell.has_pipes => {
                out.push(DL4006.at(
                    line,
                    "RUN has a pipe but no pipefail: add `SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]` before it",
                ));
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{fires, lines};

    const PIPE: &str = "RUN wget -O - https://x | wc -l\n";

    #[test]
    fn pipe_without_pipefail() {
        assert_eq!(lines("DL4006", &format!("FROM a:1\n{PIPE}")), [2]);
        assert!(fires(
            "DL4006",
            &format!("FROM a:1\nSHELL [\"/bin/sh\", \"-o\", \"pipefail\", \"-c\"]\n{PIPE}")
        ));
        assert!(fires(
            "DL4006",
            &format!("FROM a:1\nSHELL [\"/usr/bin/bash\", \"-o\", \"pipefail\", \"-c\"]\n{PIPE}")
        ));
        let reset =
            format!("FROM a:1\nSHELL [\"bash\", \"-o\", \"pipefail\", \"-c\"]\nFROM b:1\n{PIPE}");
        assert_eq!(lines("DL4006", &reset), [4]);
        let replaced = format!(
            "FROM a:1\nSHELL [\"bash\", \"-o\", \"pipefail\", \"-c\"]\nSHELL [\"/bin/sh\", \"-c\"]\n{PIPE}"
        );
        assert!(fires("DL4006", &replaced));
    }

    #[test]
    fn pipefail_or_no_pipe() {
        for shell in [
            "[\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]",
            "[\"/bin/bash\", \"-eo\", \"pipefail\", \"-c\"]",
            "[\"bash\", \"-e\", \"-o\", \"pipefail\", \"-c\"]",
            "[\"/bin/zsh\", \"-o\", \"pipefail\", \"-c\"]",
            "[\"pwsh\", \"-c\"]",
            "[\"cmd\", \"/S\", \"/C\"]",
        ] {
            assert!(
                !fires("DL4006", &format!("FROM a:1\nSHELL {shell}\n{PIPE}")),
                "{shell}"
            );
        }
        assert!(!fires("DL4006", "FROM a:1\nRUN a || b && c\n"));
        assert!(!fires("DL4006", "FROM a:1\nRUN echo 'a | b'\n"));
        assert!(!fires("DL4006", "FROM a:1\nONBUILD RUN a | b\n"));
    }
}
