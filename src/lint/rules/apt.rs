//! DL3008 (apt-get install without pinned versions), DL3009 (apt lists not
//! deleted) and DL3015 (apt-get install without `--no-install-recommends`).

use std::collections::HashSet;

use super::super::dockerfile::{BaseImage, Dockerfile, Kind, Run};
use super::super::finding::{Finding, LintContext, RuleInfo, Severity};
use super::super::shell::Command;
use super::{both_passes, main_pass, onbuild_pass};

pub(crate) const DL3008: RuleInfo = RuleInfo {
    id: "DL3008",
    severity: Severity::Warning,
    why: "Without `pkg=version` apt installs whatever the mirror has today, so rebuilds are not reproducible.",
    lesson: Some("pinned-versions"),
};

pub(crate) const DL3009: RuleInfo = RuleInfo {
    id: "DL3009",
    severity: Severity::Info,
    why: "The package lists from apt-get update stay in the layer: tens of MB that the running app never needs.",
    lesson: Some("layer-caching"),
};

pub(crate) const DL3015: RuleInfo = RuleInfo {
    id: "DL3015",
    severity: Severity::Info,
    why: "apt installs 'recommended' extras by default; they make the image bigger and add packages you did not ask for.",
    lesson: Some("layer-caching"),
};

fn is_apt_get_install(cmd: &Command) -> bool {
    cmd.is_with_any_arg("apt-get", &["install"])
}

/// Package arguments of every `apt-get install` in the script.
fn apt_get_packages(run: &Run) -> Vec<&str> {
    run.shell
        .commands
        .iter()
        .filter(|c| is_apt_get_install(c))
        .flat_map(|c| c.args_no_flags(&["t", "target-release"]))
        .filter(|a| *a != "install")
        .collect()
}

fn apt_version_fixed(package: &str) -> bool {
    package.contains('=') || package.contains('/') || package.ends_with(".deb")
}

pub(crate) fn check_dl3008(df: &Dockerfile, _: &LintContext, out: &mut Vec<Finding>) {
    for (line, kind) in both_passes(df) {
        let Kind::Run(run) = kind else { continue };
        let loose: Vec<&str> = apt_get_packages(run)
            .into_iter()
            .filter(|p| !apt_version_fixed(p))
            .collect();
        if !loose.is_empty() {
            out.push(DL3008.at(
                line,
                format!(
                    "`apt-get install {}` does not pin versions: use `package=version`",
                    loose.join(" ")
                ),
            ));
        }
    }
}

pub(crate) fn check_dl3015(df: &Dockerfile, _: &LintContext, out: &mut Vec<Finding>) {
    for (line, kind) in both_passes(df) {
        let Kind::Run(run) = kind else { continue };
        let forgot = run.shell.commands.iter().any(|c| {
            is_apt_get_install(c)
                && !c.has_flag("no-install-recommends")
                && !c.has_arg("APT::Install-Recommends=false")
        });
        if forgot {
            out.push(DL3015.at(
                line,
                "`apt-get install` without `--no-install-recommends` pulls in extra packages",
            ));
        }
    }
}

/// `apt-get update` (or apt/aptitude) without `rm -rf /var/lib/apt/lists/*`
/// in the same RUN, and no cache/tmpfs mount over the lists.
fn forgot_cleanup(run: &Run) -> bool {
    let cmds = &run.shell.commands;
    let update = cmds.iter().any(|c| {
        ["apt", "apt-get", "aptitude"]
            .iter()
            .any(|n| c.is_with_any_arg(n, &["update"]))
    });
    let cleanup = cmds
        .iter()
        .any(|c| c.is_with_any_arg("rm", &["-rf", "/var/lib/apt/lists/*"]));
    let mounted = run.has_cache_mount_with("/var/lib/apt/lists")
        || (run.has_cache_mount_with("/var/lib/apt") && run.has_cache_mount_with("/var/cache/apt"));
    update && !cleanup && !mounted
}

/// As hadolint: reported in the last stage, and in a named stage only if a
/// later `FROM <name>` builds on it (stages only copied from are not
/// reported).
fn dl3009_pass<'a>(instructions: impl Iterator<Item = (usize, &'a Kind)>, out: &mut Vec<Finding>) {
    let scratch = BaseImage {
        name: "scratch".into(),
        ..BaseImage::default()
    };
    let mut current: Option<&BaseImage> = None;
    let mut images_used: HashSet<&str> = HashSet::new();
    let mut forgotten: Vec<(usize, &BaseImage)> = Vec::new();
    for (line, kind) in instructions {
        match kind {
            Kind::From(image) => {
                current = Some(image);
                images_used.insert(&image.name);
            }
            Kind::Run(run) if forgot_cleanup(run) => {
                forgotten.push((line, current.unwrap_or(&scratch)))
            }
            _ => {}
        }
    }
    let last = current.unwrap_or(&scratch);
    for (line, stage) in forgotten {
        let used_later = stage
            .alias
            .as_deref()
            .is_some_and(|a| images_used.contains(a));
        if stage == last || used_later {
            out.push(DL3009.at(
                line,
                "`apt-get update` without `rm -rf /var/lib/apt/lists/*` in the same RUN",
            ));
        }
    }
}

pub(crate) fn check_dl3009(df: &Dockerfile, _: &LintContext, out: &mut Vec<Finding>) {
    dl3009_pass(main_pass(df), out);
    dl3009_pass(onbuild_pass(df), out);
}

#[cfg(test)]
mod tests {
    use super::super::testing::{fires, lines};

    fn run(rule: &str, script: &str) -> bool {
        fires(rule, &format!("FROM debian:12\nRUN {script}\n"))
    }

    #[test]
    fn dl3008_unpinned() {
        for s in [
            "apt-get install -y curl",
            "apt-get -y install curl=7.88 git",
            "apt-get update && apt-get install -y --no-install-recommends curl",
            "apt-get install -y $PKGS",
        ] {
            assert!(run("DL3008", s), "{s}");
        }
        assert_eq!(
            lines("DL3008", "FROM a:1\nONBUILD RUN apt-get install x\n"),
            [2]
        );
    }

    #[test]
    fn dl3008_pinned_or_other() {
        for s in [
            "apt-get install -y curl=7.88.1-10",
            "apt-get install -y ./local.deb",
            "apt-get install -y -t bookworm-backports curl=1",
            "apt-get install -y curl/bookworm",
            "apt install -y curl",
            "apt-get update",
            "apt-get install",
        ] {
            assert!(!run("DL3008", s), "{s}");
        }
    }

    #[test]
    fn dl3015_recommends() {
        assert!(run("DL3015", "apt-get install -y curl=1"));
        assert!(run("DL3015", "apt-get -y install curl=1"));
        assert!(!run(
            "DL3015",
            "apt-get install -y --no-install-recommends curl=1"
        ));
        assert!(!run(
            "DL3015",
            "apt-get install -y -o APT::Install-Recommends=false curl=1"
        ));
        assert!(!run("DL3015", "apt install -y curl"));
        assert_eq!(
            lines("DL3015", "FROM a:1\nONBUILD RUN apt-get install x\n"),
            [2]
        );
    }

    #[test]
    fn dl3009_lists_kept() {
        assert!(run("DL3009", "apt-get update && apt-get install -y curl"));
        assert!(run("DL3009", "apt update && apt install -y curl"));
        assert!(run("DL3009", "aptitude update"));
        assert!(!run(
            "DL3009",
            "apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*"
        ));
        assert!(!run("DL3009", "apt-get update && rm -rf /tmp/x"));
        assert!(!run("DL3009", "apt-get install -y curl"));
        assert!(!run(
            "DL3009",
            "--mount=type=cache,target=/var/lib/apt/lists apt-get update"
        ));
        assert!(!run(
            "DL3009",
            "--mount=type=cache,target=/var/lib/apt --mount=type=cache,target=/var/cache/apt apt-get update"
        ));
        assert!(run(
            "DL3009",
            "--mount=type=cache,target=/var/cache/apt apt-get update"
        ));
    }

    #[test]
    fn dl3009_stages() {
        let update = "RUN apt-get update && apt-get install -y python3\n";
        assert!(!fires(
            "DL3009",
            &format!("FROM ubuntu:22.04 AS foo\n{update}FROM scratch\nRUN x\n")
        ));
        assert_eq!(
            lines(
                "DL3009",
                &format!("FROM ubuntu:22.04 AS foo\n{update}FROM foo\nRUN x\n")
            ),
            [2]
        );
        assert_eq!(
            lines(
                "DL3009",
                &format!("FROM ubuntu:22.04 AS foo\nRUN x\nFROM scratch\n{update}")
            ),
            [4]
        );
        assert_eq!(lines("DL3009", &format!("FROM a:1\nONBUILD {update}")), [2]);
    }
}
