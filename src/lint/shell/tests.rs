use super::*;

fn names(s: &str) -> Vec<String> {
    ParsedShell::parse(s)
        .commands
        .into_iter()
        .map(|c| c.name)
        .collect()
}

fn args(s: &str) -> Vec<Vec<String>> {
    ParsedShell::parse(s)
        .commands
        .into_iter()
        .map(|c| c.args)
        .collect()
}

#[test]
fn splits_on_operators() {
    assert_eq!(
        names("a && b || c; d | e |& f & g"),
        ["a", "b", "c", "d", "e", "f", "g"]
    );
    assert_eq!(names("a\nb\n\n  c"), ["a", "b", "c"]);
}

#[test]
fn detects_pipes_but_not_or() {
    assert!(ParsedShell::parse("a | b").has_pipes);
    assert!(ParsedShell::parse("a |& b").has_pipes);
    assert!(!ParsedShell::parse("a || b").has_pipes);
    assert!(!ParsedShell::parse("echo 'a | b'").has_pipes);
    assert!(!ParsedShell::parse("echo \"a | b\"").has_pipes);
    assert!(ParsedShell::parse("x=$(a | b)").has_pipes);
}

#[test]
fn removes_quotes_and_keeps_variables() {
    assert_eq!(
        args("pip install 'flask==2.0' \"requ\"ests $V ${W:-x}"),
        [["install", "flask==2.0", "requests", "${V}", "${W:-x}"]]
    );
}

#[test]
fn assignments_and_redirections_are_not_arguments() {
    let p = ParsedShell::parse("FOO=1 BAR=\"a b\" pip install x > /dev/null 2>&1 < in");
    assert_eq!(
        p.commands,
        [Command {
            name: "pip".into(),
            args: vec!["install".into(), "x".into()]
        }]
    );
    assert!(names("FOO=bar").is_empty());
}

#[test]
fn unquoted_comparison_is_a_redirection() {
    assert_eq!(args("pip install flask>=2"), [["install", "flask"]]);
}

#[test]
fn finds_nested_commands() {
    assert_eq!(names("echo $(uname -m) `date`"), ["echo", "uname", "date"]);
    assert_eq!(names("(cd /x && make)"), ["cd", "make"]);
    assert_eq!(names("{ a; b; }"), ["a", "b"]);
    assert_eq!(
        names("if [ -f x ]; then a; elif b; then c; else d; fi"),
        ["a", "b", "c", "d"]
    );
    assert_eq!(names("[ -f x ] && test -f y"), ["test"]);
    assert_eq!(names("time -p sudo x | y"), ["time", "sudo", "y"]);
    assert_eq!(names("for i in 1 2; do a $i; done"), ["a"]);
    assert_eq!(names("while true; do b; done"), ["true", "b"]);
    assert_eq!(names("case \"$x\" in a|b) c ;; *) d ;; esac"), ["c", "d"]);
    assert_eq!(names("f() { g; }; f"), ["g", "f"]);
    assert_eq!(names("[[ -f x && y < z ]] && a"), ["a"]);
    assert_eq!(names("! a"), ["a"]);
}

#[test]
fn looks_through_wrappers() {
    assert_eq!(names("command -v a"), ["command"]);
    assert_eq!(names("command pip install x"), ["pip"]);
    assert_eq!(names("exec -a n gosu u x"), ["gosu"]);
    assert_eq!(args("exec gosu u")[0], ["gosu", "u"]);
}

#[test]
fn comments_and_continuations() {
    assert_eq!(names("a \\\n b # c && d\ne"), ["a", "e"]);
    assert_eq!(args("echo a\\ b")[0], ["a b"]);
}

#[test]
fn heredoc_bodies_are_skipped() {
    assert_eq!(names("cat <<EOF > x\npip install a\nEOF\nb"), ["cat", "b"]);
    assert_eq!(
        names("cat <<-'EOF'\n\tpip install a\n\tEOF\nb"),
        ["cat", "b"]
    );
}

#[test]
fn invalid_scripts_have_no_commands() {
    for s in [
        "echo 'x",
        "a &&",
        "if a; then b",
        "a | ",
        "(a",
        "a )",
        "; a",
        "echo $(a",
        "do a",
    ] {
        let p = ParsedShell::parse(s);
        assert!(p.commands.is_empty() && !p.has_pipes, "{s}");
    }
}

#[test]
fn flags_like_hadolint() {
    let c = Command {
        name: "pip".into(),
        args: ["install", "-qU", "--index-url=x", "--", "-", "a"]
            .map(String::from)
            .to_vec(),
    };
    let f: Vec<&str> = c.flags().iter().map(|f| f.name).collect();
    assert_eq!(f, ["q", "U", "index-url"]);
    assert!(c.has_flag("U"));
    assert_eq!(c.args_no_flags(&[]), ["install", "--", "-", "a"]);
    let c = Command {
        name: "pip".into(),
        args: ["install", "-i", "url", "a", "--target=t", "b"]
            .map(String::from)
            .to_vec(),
    };
    assert_eq!(c.args_no_flags(&["i", "target"]), ["install", "a", "b"]);
}

#[test]
fn pip_install_detection() {
    let p = |s: &str| ParsedShell::parse(s).commands.iter().any(is_pip_install);
    assert!(p("pip install x"));
    assert!(p("pip3.11 install x"));
    assert!(p("python3 -m pip install x"));
    assert!(!p("pipenv install x"));
    assert!(!p("python -m pip --isolated install x"));
    assert!(!p("pip download x"));
}
