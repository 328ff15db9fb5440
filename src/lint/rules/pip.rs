//! DL3013 (pip without pinned versions) and DL3042 (pip without
//! `--no-cache-dir`).

use std::collections::HashMap;

use super::super::dockerfile::{Dockerfile, Kind};
use super::super::finding::{Finding, LintContext, RuleInfo, Severity};
use super::super::shell::{Command, is_pip_install};
use super::{main_pass, onbuild_pass};

pub(crate) const DL3013: RuleInfo = RuleInfo {
    id: "DL3013",
    severity: Severity::Warning,
    why: "Unpinned packages install whatever is newest at build time, so a rebuild can pull a breaking release.",
    lesson: Some("pinned-versions"),
};

pub(crate) const DL3042: RuleInfo = RuleInfo {
    id: "DL3042",
    severity: Severity::Warning,
    why: "pip keeps a download cache that nobody reuses inside an image layer; it only makes the image bigger.",
    lesson: Some("layer-caching"),
};

/// pip options that take a value in the next argument (hadolint's list).
const OPTIONS_WITH_VALUE: &[&str] = &[
    "abi",
    "b",
    "build",
    "e",
    "editable",
    "extra-index-url",
    "f",
    "find-links",
    "i",
    "index-url",
    "implementation",
    "no-binary",
    "only-binary",
    "platform",
    "prefix",
    "progress-bar",
    "proxy",
    "python",
    "python-version",
    "root",
    "root-user-action",
    "src",
    "t",
    "target",
    "trusted-host",
    "upgrade-strategy",
];

/// pip's version-control schemes (a bare `git` prefix included, as hadolint).
const VCS_SCHEMES: &[&str] = &[
    "git+file",
    "git+https",
    "git+ssh",
    "git+http",
    "git+git",
    "git",
    "hg+file",
    "hg+http",
    "hg+https",
    "hg+ssh",
    "hg+static-http",
    "svn",
    "svn+svn",
    "svn+http",
    "svn+https",
    "svn+ssh",
    "bzr+http",
    "bzr+https",
    "bzr+ssh",
    "bzr+sftp",
    "bzr+ftp",
    "bzr+lp",
];

const VERSION_SYMBOLS: &[&str] = &["==", ">=", "<=", ">", "<", "!=", "~=", "==="];

/// The package arguments after `install`.
fn packages(cmd: &Command) -> Vec<&str> {
    let args = cmd.args_no_flags(OPTIONS_WITH_VALUE);
    args.into_iter()
        .skip_while(|a| *a != "install")
        .skip_while(|a| *a == "install")
        .collect()
}

fn is_vcs(package: &str) -> bool {
    VCS_SCHEMES.iter().any(|s| package.starts_with(s))
}

/// hadolint's notion of a pinned package: a version specifier, a VCS URL
/// with `@ref`, a wheel or sdist file, or a path.
fn version_fixed(package: &str) -> bool {
    VERSION_SYMBOLS.iter().any(|s| package.contains(s))
        || (is_vcs(package) && package.contains('@'))
        || package.ends_with(".whl")
        || package.ends_with(".tar.gz")
        || (!is_vcs(package) && package.contains('/'))
}

/// Installing from requirements files, constraints or the local project is
/// not this rule's business.
fn forgot_to_pin(cmd: &Command) -> bool {
    let requirements = cmd.has_arg("--requirement") || cmd.has_arg("-r") || cmd.has_arg(".");
    let constraint = cmd.has_flag("constraint") || cmd.has_flag("c");
    is_pip_install(cmd)
        && !constraint
        && !requirements
        && !packages(cmd).into_iter().all(version_fixed)
}

pub(crate) fn check_dl3013(df: &Dockerfile, _: &LintContext, out: &mut Vec<Finding>) {
    for (line, kind) in main_pass(df).chain(onbuild_pass(df)) {
        let Kind::Run(run) = kind else { continue };
        if let Some(cmd) = run.shell.commands.iter().find(|c| forgot_to_pin(c)) {
            let loose: Vec<&str> = packages(cmd)
                .into_iter()
                .filter(|p| !version_fixed(p))
                .collect();
            out.push(DL3013.at(
                line,
                format!("`{} install {}` does not pin versions: use `package==version` or a requirements file", cmd.name, loose.join(" ")),
            ));
        }
    }
}

/// Values pip reads as true for `PIP_NO_CACHE_DIR`.
const TRUTHY: &[&str] = &[
    "1", "true", "True", "TRUE", "on", "On", "ON", "yes", "Yes", "YES",
];

fn forgot_no_cache_dir(cmd: &Command) -> bool {
    let wrapper = |w: &str| {
        cmd.name.contains(w) || (cmd.name.starts_with("python") && cmd.has_arg_sequence(&["-m", w]))
    };
    is_pip_install(cmd) && !cmd.has_arg("--no-cache-dir") && !wrapper("pipx") && !wrapper("pipenv")
}

/// `PIP_NO_CACHE_DIR=<truthy>` written anywhere in the script.
fn script_sets_no_cache_dir(script: &str) -> bool {
    script.find("PIP_NO_CACHE_DIR=").is_some_and(|at| {
        let value = &script[at + "PIP_NO_CACHE_DIR=".len()..];
        TRUTHY.iter().any(|t| value.starts_with(t))
    })
}

fn env_sets_no_cache_dir(pairs: &[(String, String)]) -> bool {
    pairs
        .iter()
        .find(|(k, _)| k == "PIP_NO_CACHE_DIR")
        .is_some_and(|(_, v)| TRUTHY.contains(&v.as_str()))
}

/// Stage key: `None` before any `FROM` (only inside the `ONBUILD` pass).
type Stage = Option<String>;

fn dl3042_pass<'a>(instructions: impl Iterator<Item = (usize, &'a Kind)>, out: &mut Vec<Finding>) {
    // Whether ENV PIP_NO_CACHE_DIR is on, per stage name; a stage built
    // `FROM` another stage (or an image of the same name) inherits it.
    let mut state: Option<(Stage, HashMap<Stage, bool>)> = None;
    for (line, kind) in instructions {
        match kind {
            Kind::From(image) => {
                let key = Some(image.alias.clone().unwrap_or_else(|| image.name.clone()));
                state = Some(match state.take() {
                    None => (key, HashMap::new()),
                    Some((_, mut map)) => {
                        let parent = map.get(&Some(image.name.clone())).copied().unwrap_or(false);
                        map.insert(key.clone(), parent);
                        (key, map)
                    }
                });
            }
            Kind::Env(pairs) if env_sets_no_cache_dir(pairs) => match &mut state {
                None => state = Some((None, HashMap::from([(None, true)]))),
                Some((current, map)) => {
                    map.insert(current.clone(), true);
                }
            },
            Kind::Run(run) => {
                let env_on = state
                    .as_ref()
                    .is_some_and(|(cur, map)| map.get(cur) == Some(&true));
                let offender = run.shell.commands.iter().find(|c| forgot_no_cache_dir(c));
                if let Some(cmd) = offender
                    && !env_on
                    && !script_sets_no_cache_dir(&run.shell.original)
                    && !run.has_cache_mount_with(".cache/pip")
                {
                    out.push(DL3042.at(
                        line,
                        format!(
                            "`{} install` without `--no-cache-dir` keeps pip's cache in the image",
                            cmd.name
                        ),
                    ));
                }
            }
            _ => {}
        }
    }
}

pub(crate) fn check_dl3042(df: &Dockerfile, _: &LintContext, out: &mut Vec<Finding>) {
    dl3042_pass(main_pass(df), out);
    dl3042_pass(onbuild_pass(df), out);
}

#[cfg(test)]
mod tests {
    use super::super::testing::{fires, lines};

    fn run13(script: &str) -> bool {
        fires("DL3013", &format!("FROM python:3.12\nRUN {script}\n"))
    }

    fn run42(script: &str) -> bool {
        fires("DL3042", &format!("FROM python:3.12\nRUN {script}\n"))
    }

    #[test]
    fn dl3013_unpinned() {
        for s in [
            "pip install flask",
            "pip3 install --no-cache-dir flask requests==2.0",
            "python3 -m pip install --user flask",
            "pip install --upgrade pip",
            "pip install flask>=2",
            "pip install 'flask[async]'",
            "pipx install black",
            "pip install -i https://x/simple flask",
            "apt-get update && pip install flask",
        ] {
            assert!(run13(s), "{s}");
        }
        assert_eq!(
            lines("DL3013", "FROM a:1\nONBUILD RUN pip install x\n"),
            [2]
        );
    }

    #[test]
    fn dl3013_pinned_or_not_applicable() {
        for s in [
            "pip install flask==2.0.1",
            "pip install 'flask>=2,<3'",
            "pip install \"flask[async]==2.0\"",
            "pip install -r requirements.txt",
            "pip install --requirement requirements.txt",
            "pip install -r requirements.txt flask",
            "pip install -c constraints.txt flask",
            "pip install --constraint=c.txt flask",
            "pip install .",
            "pip install -e .",
            "pip install git+https://github.com/a/b@v1.0",
            "pip install ./dist/pkg.whl",
            "pip install pkg-1.0.tar.gz",
            "pip install /src/pkg",
            "pipenv install flask",
            "pip install",
            "pip download flask",
            "python -m pip --version",
        ] {
            assert!(!run13(s), "{s}");
        }
    }

    #[test]
    fn dl3013_vcs_without_ref() {
        assert!(run13("pip install git+https://github.com/a/b"));
    }

    #[test]
    fn dl3042_missing_no_cache_dir() {
        for s in [
            "pip install flask",
            "pip3 install -r r.txt",
            "python -m pip install x",
            "PIP_NO_CACHE_DIR=0 pip install x",
        ] {
            assert!(run42(s), "{s}");
        }
        assert_eq!(
            lines("DL3042", "FROM a:1\nONBUILD RUN pip install x\n"),
            [2]
        );
    }

    #[test]
    fn dl3042_exceptions() {
        for s in [
            "pip install --no-cache-dir flask",
            "pip install flask --no-cache-dir",
            "PIP_NO_CACHE_DIR=1 pip install x",
            "export PIP_NO_CACHE_DIR=true && pip install x",
            "pipx install black",
            "pipenv install",
            "python -m pipx install x",
            "--mount=type=cache,target=/root/.cache/pip pip install x",
            "--mount=type=tmpfs,target=/root/.cache/pip pip install x",
        ] {
            assert!(!run42(s), "{s}");
        }
    }

    #[test]
    fn dl3042_env_per_stage() {
        let base = "FROM debian:12 AS base\nENV PIP_NO_CACHE_DIR=1\n";
        assert!(!fires("DL3042", &format!("{base}RUN pip install x\n")));
        assert!(!fires(
            "DL3042",
            &format!("{base}FROM base\nRUN pip install x\n")
        ));
        assert!(!fires(
            "DL3042",
            &format!("{base}FROM base AS b2\nFROM b2\nRUN pip install x\n")
        ));
        assert_eq!(
            lines(
                "DL3042",
                &format!("{base}FROM debian:12\nRUN pip install x\n")
            ),
            [4]
        );
        assert!(fires(
            "DL3042",
            "FROM a:1\nENV PIP_NO_CACHE_DIR=off\nRUN pip install x\n"
        ));
        assert!(!fires(
            "DL3042",
            "FROM a:1\nONBUILD ENV PIP_NO_CACHE_DIR=1\nONBUILD RUN pip install x\n"
        ));
    }
}
