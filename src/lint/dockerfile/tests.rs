use super::pairs::{parse_arg_pairs, parse_pairs};
use super::*;

fn kinds(text: &str) -> Vec<Kind> {
    match parse(text) {
        Ok(d) => d.instructions.into_iter().map(|i| i.kind).collect(),
        Err(e) => panic!("{e}"),
    }
}

fn run_text(text: &str) -> String {
    kinds(text)
        .into_iter()
        .find_map(|k| match k {
            Kind::Run(r) => Some(r.shell.original),
            _ => None,
        })
        .unwrap_or_default()
}

fn image(reference: &str) -> BaseImage {
    match kinds(&format!("FROM {reference}\n")).pop() {
        Some(Kind::From(i)) => i,
        other => panic!("{other:?}"),
    }
}

#[test]
fn image_references_as_language_docker_splits_them() {
    let i = image("python:3.9-slim");
    assert_eq!(
        (i.registry, i.name.as_str(), i.tag.as_deref()),
        (None, "python", Some("3.9-slim"))
    );
    let i = image("gcr.io/distroless/base@sha256:abc");
    assert_eq!(i.registry.as_deref(), Some("gcr.io"));
    assert_eq!(i.name, "distroless/base");
    assert_eq!(i.digest.as_deref(), Some("sha256:abc"));
    let i = image("my.reg:5000/app");
    assert_eq!(
        (i.registry.as_deref(), i.name.as_str(), i.tag),
        (Some("my.reg:5000"), "app", None)
    );
    let i = image("${BASE:-debian}");
    assert_eq!((i.name.as_str(), i.tag), ("${BASE:-debian}", None));
    let i = image("localhost:5000/app");
    assert_eq!(
        (i.registry, i.name.as_str(), i.tag.as_deref()),
        (None, "localhost", Some("5000/app"))
    );
    let i = image("localhost:5000/app:1@sha256:abc");
    assert_eq!((i.tag.as_deref(), i.digest), (Some("5000/app"), None));
    let i = image("localhost/app");
    assert_eq!((i.registry, i.name.as_str()), (None, "localhost/app"));
    let i = image("--platform=linux/arm64 python:3 AS build");
    assert_eq!(i.alias.as_deref(), Some("build"));
    assert_eq!(i.platform.as_deref(), Some("linux/arm64"));
}

#[test]
fn run_texts() {
    assert_eq!(
        run_text("FROM a\nRUN [\"pip\", \"install\", \"x\"]\n"),
        "pip install x"
    );
    assert_eq!(
        run_text("FROM a\nRUN <<EOF\napt-get update\nEOF\n"),
        "apt-get update"
    );
    assert_eq!(
        run_text("FROM a\nRUN python3 <<EOF\nprint(1)\nEOF\n\nRUN b\n"),
        "python3"
    );
    assert_eq!(
        run_text("FROM a\nRUN --mount=type=cache,target=/x <<-EOF\n\tls\nEOF\n"),
        "ls"
    );
    assert_eq!(run_text("FROM a\nRUN a \\\n  # note\n  && b\n"), "a  && b");
    assert_eq!(run_text("# escape=`\nFROM a\nRUN a `\n  b\n"), "a  b");
}

#[test]
fn later_heredocs_do_not_break_parsing() {
    let k = kinds("FROM a\nRUN cat <<EOF > /x\nFROM b\nEOF\nRUN c\n");
    assert_eq!(k.len(), 3);
}

#[test]
fn pairs() {
    assert_eq!(
        parse_pairs("A=1 B=\"two words\" C='x y'", true),
        [
            ("A".to_string(), "1".to_string()),
            ("B".into(), "two words".into()),
            ("C".into(), "x y".into())
        ]
    );
    assert_eq!(
        parse_pairs("KEY some value", true),
        [("KEY".to_string(), "some value".to_string())]
    );
    assert_eq!(
        parse_arg_pairs("A B=2"),
        [("A".to_string(), None), ("B".into(), Some("2".into()))]
    );
}

#[test]
fn mounts_and_lines() {
    let d = parse("# c1\nFROM a\n\nRUN --mount=type=cache,dst=/root/.cache/pip \\\n  pip install x\n# hadolint ignore=DL3013\nRUN y\n")
        .unwrap_or_default();
    let lines: Vec<usize> = d.instructions.iter().map(|i| i.line).collect();
    assert_eq!(lines, [2, 4, 7]);
    assert_eq!(
        d.comments,
        [
            (1, " c1".to_string()),
            (6, " hadolint ignore=DL3013".to_string())
        ]
    );
    let Kind::Run(r) = &d.instructions[1].kind else {
        panic!("not a RUN")
    };
    assert!(r.has_cache_mount_with(".cache/pip"));
    assert_eq!(r.flags_key, ["mount=dst=/root/.cache/pip,type=cache"]);
}

#[test]
fn parse_errors_carry_lines() {
    let e = parse("FROM a\nFORM b\n").err();
    assert_eq!(e.map(|e| e.line), Some(2));
}
