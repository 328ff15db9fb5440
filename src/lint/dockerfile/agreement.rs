//! The lesson checks and the linter must read a Dockerfile the same way: the
//! same instructions, on the same lines, saying the same things. These
//! tricky files (escape directive, here-documents, comment lines inside
//! continuations, lower-case keywords, CRLF) are read through both views.

use super::{Kind, parse};
use crate::dockerfile::Dockerfile;

struct Case {
    name: &'static str,
    text: &'static str,
    /// What the checks see: (line, keyword, args).
    checks: &'static [(usize, &'static str, &'static str)],
    /// What the linter hands to ShellCheck for each `RUN`, in order.
    scripts: &'static [&'static str],
}

const CASES: &[Case] = &[
    Case {
        name: "escape directive",
        text: "# escape=`\nFROM python:3.9-slim\nRUN pip install `\n    -r requirements.txt\nCOPY . C:\\app\\\n",
        checks: &[
            (2, "FROM", "python:3.9-slim"),
            (3, "RUN", "pip install -r requirements.txt"),
            (5, "COPY", ". C:\\app\\"),
        ],
        scripts: &["pip install  -r requirements.txt"],
    },
    Case {
        name: "here-documents",
        text: "FROM a\nRUN <<EOF\napt-get update\nEOF\nRUN python3 <<PY\nprint(1)\nPY\nCOPY <<EOF /app/x\nhello\nEOF\nRUN echo done\n",
        checks: &[
            (1, "FROM", "a"),
            (2, "RUN", "<<EOF"),
            (5, "RUN", "python3 <<PY"),
            (8, "COPY", "<<EOF /app/x"),
            (11, "RUN", "echo done"),
        ],
        scripts: &["apt-get update", "python3", "echo done"],
    },
    Case {
        name: "continuation with comment lines",
        text: "FROM a\nRUN apt-get update && \\\n    # install x\n    apt-get install -y x && \\\n\n    rm -rf /var/lib/apt/lists/*\n# between\nCMD [\"x\"]\n",
        checks: &[
            (1, "FROM", "a"),
            (
                2,
                "RUN",
                "apt-get update && apt-get install -y x && rm -rf /var/lib/apt/lists/*",
            ),
            (8, "CMD", "[\"x\"]"),
        ],
        scripts: &["apt-get update &&  apt-get install -y x &&  rm -rf /var/lib/apt/lists/*"],
    },
    Case {
        name: "lower-case instructions",
        text: "from python:3.9 as build\nrun --mount=type=cache,target=/root/.cache pip install x\nfrom build\ncopy --from=build /a /b\ncmd python app.py\n",
        checks: &[
            (1, "FROM", "python:3.9 as build"),
            (
                2,
                "RUN",
                "--mount=type=cache,target=/root/.cache pip install x",
            ),
            (3, "FROM", "build"),
            (4, "COPY", "--from=build /a /b"),
            (5, "CMD", "python app.py"),
        ],
        scripts: &["pip install x"],
    },
    Case {
        name: "CRLF line endings",
        text: "# escape=`\r\nFROM a\r\nRUN echo a `\r\n  # note\r\n  b\r\n\r\nrun <<EOF\r\necho c\r\nEOF\r\nCMD x\r\n",
        checks: &[
            (2, "FROM", "a"),
            (3, "RUN", "echo a b"),
            (7, "RUN", "<<EOF"),
            (10, "CMD", "x"),
        ],
        scripts: &["echo a  b", "echo c"],
    },
];

fn words(s: &str) -> Vec<&str> {
    s.split_whitespace().collect()
}

fn keyword(kind: &Kind) -> Option<&'static str> {
    Some(match kind {
        Kind::From(_) => "FROM",
        Kind::Run(_) => "RUN",
        Kind::Copy(_) => "COPY",
        Kind::Add(_) => "ADD",
        Kind::Cmd(_) => "CMD",
        _ => return None,
    })
}

#[test]
fn checks_and_linter_see_the_same_instructions() {
    for case in CASES {
        let name = case.name;
        let checks = Dockerfile::parse(case.text).unwrap_or_else(|e| panic!("{name}: {e}"));
        let seen: Vec<(usize, &str, &str)> = checks
            .instructions
            .iter()
            .map(|i| (i.line, i.keyword, i.args.as_str()))
            .collect();
        assert_eq!(seen, case.checks, "{name}: the checks' view");

        let linter = parse(case.text).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            linter.instructions.len(),
            checks.instructions.len(),
            "{name}"
        );
        let mut scripts = Vec::new();
        for (l, c) in linter.instructions.iter().zip(&checks.instructions) {
            assert_eq!(l.line, c.line, "{name}: {c:?}");
            assert_eq!(keyword(&l.kind).unwrap_or(c.keyword), c.keyword, "{name}");
            // The same arguments: each linter value is in what the checks see.
            let args = words(&c.args);
            let non_flags: Vec<&str> = args
                .iter()
                .copied()
                .skip_while(|w| w.starts_with("--"))
                .collect();
            match &l.kind {
                Kind::From(image) => {
                    let reference = match &image.tag {
                        Some(tag) => format!("{}:{tag}", image.name),
                        None => image.name.clone(),
                    };
                    assert_eq!(non_flags[0], reference, "{name}");
                    assert_eq!(image.alias.as_deref(), non_flags.get(2).copied(), "{name}");
                }
                Kind::Run(run) => {
                    let script = run.shell.original.as_str();
                    scripts.push(script);
                    let from_heredoc = c.heredocs.iter().any(|d| d.body.trim() == script);
                    let from_args = non_flags.starts_with(&words(script));
                    assert!(from_heredoc || from_args, "{name}: {script:?} vs {c:?}");
                }
                Kind::Copy(copy) => {
                    for s in &copy.sources {
                        assert!(args.contains(&s.as_str()), "{name}: {s}");
                    }
                    assert_eq!(copy.from.as_deref(), c.flag("from"), "{name}");
                }
                _ => {}
            }
        }
        assert_eq!(scripts, case.scripts, "{name}: the linter's RUN scripts");
    }
}
