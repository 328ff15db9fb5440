//! What a learner installing docktutor gets, through the binary itself:
//! the course's own Dockerfile follows every practice the lessons teach
//! (its linter finds nothing), shell completions and the man page name
//! every subcommand, and `--version` names the commit.

mod support;

use std::process::Command;

use support::bin;

fn run(args: &[&str]) -> std::process::Output {
    Command::new(bin())
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("docktutor")
}

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

const SUBCOMMANDS: &[&str] = &[
    "check",
    "lessons",
    "build",
    "doctor",
    "load",
    "reset",
    "lint",
    "run",
    "completions",
    "man",
];

#[test]
fn the_courses_own_dockerfile_is_lint_clean() {
    let out = run(&["lint", "Dockerfile"]);
    assert!(
        out.status.success(),
        "docktutor lint Dockerfile\n{}{}",
        stdout(&out),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout(&out).contains("no findings"), "{}", stdout(&out));
}

#[test]
fn completions_for_each_shell_name_every_subcommand() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let out = run(&["completions", shell]);
        assert!(out.status.success(), "completions {shell}");
        let script = stdout(&out);
        for sub in SUBCOMMANDS {
            assert!(script.contains(sub), "{shell} completions lack {sub}");
        }
    }
    assert!(!run(&["completions", "cmd.exe"]).status.success());
}

#[test]
fn the_man_page_names_every_subcommand() {
    let out = run(&["man"]);
    assert!(out.status.success());
    let page = stdout(&out);
    assert!(page.contains(".TH docktutor 1"), "{page}");
    for sub in SUBCOMMANDS {
        assert!(
            page.contains(&format!("docktutor\\-{sub}(1)")),
            "man lacks {sub}"
        );
    }
}

#[test]
fn version_names_the_version_and_the_commit() {
    let out = run(&["--version"]);
    assert!(out.status.success());
    let text = stdout(&out);
    let rest = text
        .trim()
        .strip_prefix(&format!("docktutor {} (", env!("CARGO_PKG_VERSION")))
        .unwrap_or_else(|| panic!("{text}"));
    let commit = rest.strip_suffix(')').unwrap_or_else(|| panic!("{text}"));
    let sha = commit.split(',').next().unwrap_or_default();
    assert!(
        commit == "commit unknown"
            || (sha.len() == 12 && sha.chars().all(|c| c.is_ascii_hexdigit())),
        "{text}"
    );
}
