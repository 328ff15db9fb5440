use super::*;

const GUIDE: &str = include_str!("../../assets/first-image/Dockerfile");

fn args(text: &str) -> Vec<(usize, &'static str, String)> {
    match Dockerfile::parse(text) {
        Ok(df) => df
            .instructions
            .into_iter()
            .map(|i| (i.line, i.keyword, i.args))
            .collect(),
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn guide_dockerfile_has_six_steps_on_their_lines() {
    let df = Dockerfile::parse(GUIDE).unwrap();
    let kws: Vec<&str> = df.instructions.iter().map(|i| i.keyword).collect();
    assert_eq!(kws, ["FROM", "WORKDIR", "COPY", "RUN", "COPY", "CMD"]);
    assert_eq!(df.stage_count, 1);
    let cmd = df.step(6).unwrap();
    assert_eq!(cmd.exec_form(), Some(true));
    assert_eq!(cmd.exec_words(), ["python", "app.py"]);
    // Each keyword's line is where the text says it is.
    for i in &df.instructions {
        let line = GUIDE.lines().nth(i.line - 1).unwrap();
        assert!(
            line.trim_start().to_uppercase().starts_with(i.keyword),
            "{line}"
        );
    }
}

#[test]
fn continuation_lines_are_joined() {
    let df = Dockerfile::parse(
        "FROM a:1\nRUN apt-get update && \\\n    # comment\n    apt-get install -y x\n",
    )
    .unwrap();
    assert_eq!(
        df.instructions[1].args,
        "apt-get update && apt-get install -y x"
    );
    assert_eq!(df.instructions[1].line, 2);
    assert_eq!(df.instructions[1].exec_form(), Some(false));
    assert_eq!(
        df.instructions[1].command(),
        Some(&Command::Shell(
            "apt-get update &&  apt-get install -y x".into()
        ))
    );
}

#[test]
fn escape_directive_changes_the_continuation_character() {
    let text = "# escape=`\nFROM a\nRUN echo a `\n  b\nCOPY x C:\\app\\\n";
    let df = Dockerfile::parse(text).unwrap();
    assert_eq!(df.directives.escape, '`');
    assert_eq!(
        args(text),
        [
            (2, "FROM", "a".into()),
            (3, "RUN", "echo a b".into()),
            (5, "COPY", "x C:\\app\\".into())
        ]
    );
}

#[test]
fn syntax_directive_is_read() {
    let df = Dockerfile::parse("# syntax=docker/dockerfile:1\nFROM a\n").unwrap();
    assert_eq!(df.directives.syntax.as_deref(), Some("docker/dockerfile:1"));
    assert_eq!(df.directives.escape, '\\');
    assert_eq!(df.comments[0], (1, " syntax=docker/dockerfile:1".into()));
}

#[test]
fn crlf_lower_case_and_byte_order_mark() {
    let text = "\u{feff}from a AS b\r\nrun echo a \\\r\n  b\r\n\r\ncmd [\"x\"]\r\n";
    assert_eq!(
        args(text),
        [
            (1, "FROM", "a AS b".into()),
            (2, "RUN", "echo a b".into()),
            (5, "CMD", "[\"x\"]".into())
        ]
    );
}

#[test]
fn heredocs_the_parser_reads_and_the_ones_it_does_not() {
    let text = "FROM a\nRUN <<EOF\napt-get update\nEOF\nRUN python3 <<PY\nprint(1)\nPY\nCOPY <<EOF /app/x\nhello\nEOF\nRUN echo done\n";
    let df = Dockerfile::parse(text).unwrap();
    type Seen<'a> = (usize, &'a str, &'a str, Vec<(usize, &'a str)>);
    let seen: Vec<Seen> = df
        .instructions
        .iter()
        .map(|i| {
            let docs = i
                .heredocs
                .iter()
                .map(|d| (d.line, d.body.as_str()))
                .collect();
            (i.line, i.keyword, i.args.as_str(), docs)
        })
        .collect();
    assert_eq!(
        seen,
        [
            (1, "FROM", "a", vec![]),
            (2, "RUN", "<<EOF", vec![(3, "apt-get update\n")]),
            (5, "RUN", "python3 <<PY", vec![(6, "print(1)\n")]),
            (8, "COPY", "<<EOF /app/x", vec![(9, "hello\n")]),
            (11, "RUN", "echo done", vec![]),
        ]
    );
    assert_eq!(
        df.instructions[2].args_and_heredocs(),
        "python3 <<PY print(1)"
    );
    assert_eq!(
        df.instructions[3].body,
        Body::Files {
            sources: vec![],
            dest: "/app/x".into()
        }
    );
}

#[test]
fn from_lines_give_base_images() {
    let df = Dockerfile::parse(
        "FROM --platform=linux/amd64 python:3.9 AS build\nFROM gcr.io/distroless/python3@sha256:ab\n",
    )
    .unwrap();
    let bases: Vec<&BaseImage> = df.base_images().collect();
    assert_eq!(bases[0].image.name, "python");
    assert_eq!(bases[0].image.tag.as_deref(), Some("3.9"));
    assert_eq!(bases[0].alias.as_deref(), Some("build"));
    assert_eq!(bases[0].platform.as_deref(), Some("linux/amd64"));
    assert_eq!(df.instructions[0].flag("platform"), Some("linux/amd64"));
    assert_eq!(bases[1].image.registry.as_deref(), Some("gcr.io"));
    assert_eq!(bases[1].image.digest.as_deref(), Some("sha256:ab"));
}

#[test]
fn onbuild_wraps_an_instruction() {
    let df = Dockerfile::parse("FROM a\nONBUILD RUN python3 <<EOF\nx\nEOF\n").unwrap();
    let Body::Onbuild(inner) = &df.instructions[1].body else {
        panic!("not ONBUILD")
    };
    assert_eq!((inner.keyword, inner.line), ("RUN", 2));
    assert_eq!(inner.heredocs[0].body, "x\n");
    assert_eq!(df.instructions[1].args, "RUN python3 <<EOF");
}

#[test]
fn stages_are_counted() {
    let df = Dockerfile::parse("FROM a:1 AS b\nRUN x\nFROM c:2\nCOPY --from=b /x /x\n").unwrap();
    assert_eq!(df.stage_count, 2);
    assert_eq!(df.final_stage(), 1);
    assert_eq!(df.instructions[3].stage, 1);
    assert_eq!(df.instructions[3].flag("from"), Some("b"));
    assert_eq!(df.instructions[1].stage, 0);
}

#[test]
fn unknown_instruction_is_an_error_with_a_line() {
    let err = Dockerfile::parse("FROM a:1\nRUNN x\n").unwrap_err();
    assert_eq!(err.line, 2);
    assert_eq!(
        err.to_string(),
        format!("{} at line 2 column 1", err.message)
    );
}

const HEADER_LINES: &[&str] = &[
    "# escape=`",
    "# escape=\\",
    "#ESCAPE = `",
    "#\tescape=`  ",
    " # escape=`",
    "# syntax=docker/dockerfile:1",
    "# check=skip=all",
    "# hello",
    "# x=1",
    "",
    "FROM a",
];

proptest::proptest! {
    /// The escape character read before parsing is the one the parser reads.
    #[test]
    fn escape_scan_agrees_with_the_parser(
        picks in proptest::collection::vec(0..HEADER_LINES.len(), 0..5)
    ) {
        let lines: Vec<&str> = picks.iter().map(|&i| HEADER_LINES[i]).collect();
        let text = format!("{}\nFROM a\nRUN b\n", lines.join("\n"));
        if let Ok(parsed) = parse_dockerfile::parse(&text) {
            let parser = parsed.parser_directives.escape.map_or('\\', |d| d.value.value);
            proptest::prop_assert_eq!(directives::scan_escape(&text), parser, "{:?}", text);
        }
    }
}
