//! DT1002: `COPY . .` before the step that installs dependencies.

use super::super::dockerfile::{Copy, Dockerfile, Kind};
use super::super::finding::{Finding, LintContext, RuleInfo, Severity};
use super::super::shell::{Command, is_pip_install};
use super::main_pass;

pub(crate) const DT1002: RuleInfo = RuleInfo {
    id: "DT1002",
    severity: Severity::Warning,
    why: "Any edit to any file invalidates the cache from that COPY on, so every build reinstalls all dependencies.",
    lesson: Some("layer-caching"),
};

/// Copies the whole build context (`COPY . .`, `COPY ./ /app`, `COPY * ./`).
fn copies_everything(copy: &Copy) -> bool {
    copy.from.is_none()
        && copy
            .sources
            .iter()
            .any(|s| matches!(s.as_str(), "." | "./" | "*" | "./*"))
}

/// A command that installs dependencies from a manifest or the OS, as opposed
/// to building the project itself.
fn installs_dependencies(cmd: &Command) -> bool {
    let first = cmd
        .args
        .iter()
        .find(|a| !a.starts_with('-'))
        .map(String::as_str);
    match cmd.name.as_str() {
        _ if is_pip_install(cmd) => pip_installs_dependencies(cmd),
        "npm" => matches!(first, Some("install" | "i" | "ci")),
        "yarn" => matches!(first, None | Some("install")),
        "pnpm" | "bun" => matches!(first, Some("install" | "i")),
        "bundle" | "composer" | "poetry" => matches!(first, Some("install")),
        "pipenv" => matches!(first, Some("install" | "sync")),
        "uv" => matches!(first, Some("sync")) || cmd.has_arg_sequence(&["pip", "install"]),
        "go" => cmd.has_arg_sequence(&["mod", "download"]),
        "apt-get" | "apt" | "yum" | "dnf" | "microdnf" => cmd.has_arg("install"),
        "apk" => cmd.has_arg("add"),
        _ => false,
    }
}

/// `pip install -r …` or of named packages; installing the project itself
/// (`pip install .`, `pip install /app`) needs its sources.
fn pip_installs_dependencies(cmd: &Command) -> bool {
    let local = |a: &str| a.starts_with('.') || a.starts_with('/') || a.starts_with('~');
    let packages: Vec<&str> = cmd
        .args_no_flags(&["e", "editable"])
        .into_iter()
        .skip_while(|a| *a != "install")
        .skip(1)
        .collect();
    cmd.has_flag("r") || cmd.has_flag("requirement") || packages.iter().any(|p| !local(p))
}

fn describe(cmd: &Command) -> String {
    let words: Vec<&str> = std::iter::once(cmd.name.as_str())
        .chain(
            cmd.args
                .iter()
                .map(String::as_str)
                .filter(|a| !a.starts_with('-'))
                .take(1),
        )
        .collect();
    words.join(" ")
}

pub(crate) fn check(df: &Dockerfile, _: &LintContext, out: &mut Vec<Finding>) {
    // Line of the first copy-everything COPY in the current stage.
    let mut copied_at: Option<usize> = None;
    for (line, kind) in main_pass(df) {
        match kind {
            Kind::From(_) => copied_at = None,
            Kind::Copy(copy) if copied_at.is_none() && copies_everything(copy) => {
                copied_at = Some(line)
            }
            Kind::Run(run) => {
                let Some(copy_line) = copied_at else { continue };
                if let Some(cmd) = run.shell.commands.iter().find(|c| installs_dependencies(c)) {
                    out.push(DT1002.at(
                        copy_line,
                        format!(
                            "this COPY of the whole folder comes before `{}` on line {line}: copy the dependency files first, install, then copy the rest",
                            describe(cmd)
                        ),
                    ));
                    copied_at = None;
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{fires, lines};

    #[test]
    fn copy_all_before_install() {
        let df = "FROM python:3.12\nWORKDIR /app\nCOPY . .\nRUN pip install -r requirements.txt\n";
        assert_eq!(lines("DT1002", df), [3]);
        assert!(fires("DT1002", "FROM node:20\nCOPY ./ /app\nRUN npm ci\n"));
        assert!(fires("DT1002", "FROM node:20\nCOPY . .\nRUN yarn\n"));
        assert!(fires(
            "DT1002",
            "FROM golang:1.22\nCOPY . .\nRUN go mod download\n"
        ));
        assert!(fires(
            "DT1002",
            "FROM debian:12\nCOPY . /src\nRUN apt-get update && apt-get install -y make\n"
        ));
    }

    #[test]
    fn good_order_or_no_install() {
        let good = "FROM python:3.12\nCOPY requirements.txt ./\nRUN pip install -r requirements.txt\nCOPY . .\n";
        assert!(!fires("DT1002", good));
        assert!(!fires(
            "DT1002",
            "FROM python:3.12\nCOPY . .\nRUN pip install --no-cache-dir .\n"
        ));
        assert!(!fires(
            "DT1002",
            "FROM python:3.12\nCOPY . /app\nRUN pip install -e /app\n"
        ));
        assert!(fires(
            "DT1002",
            "FROM python:3.12\nCOPY . /app\nRUN pip install -r /app/requirements.txt\n"
        ));
        assert!(!fires(
            "DT1002",
            "FROM python:3.12\nCOPY . .\nCMD [\"python\", \"app.py\"]\n"
        ));
        assert!(!fires(
            "DT1002",
            "FROM a:1 AS b\nCOPY . .\nFROM c:1\nRUN pip install -r r.txt\n"
        ));
        assert!(!fires(
            "DT1002",
            "FROM a:1 AS b\nFROM c:1\nCOPY --from=b . .\nRUN npm ci\n"
        ));
        assert!(!fires(
            "DT1002",
            "FROM node:20\nCOPY . .\nRUN npm run build\n"
        ));
    }

    #[test]
    fn reported_once_per_copy() {
        let df = "FROM node:20\nCOPY . .\nRUN npm ci\nRUN npm install x\n";
        assert_eq!(lines("DT1002", df), [2]);
    }
}
