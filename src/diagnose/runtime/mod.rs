//! A container that failed, translated: its output (or the engine's error
//! when it could not even start) read for the cause — a Python
//! `SyntaxError` (Python 2's `print` spelled out), `ModuleNotFoundError`,
//! `can't open file '/app/app.py'` (not copied, copied elsewhere, or not
//! readable by the image's user), `exec: "python": executable file not
//! found` (a base image without that program), an exec-form list that was
//! not JSON — and pointed back at the line of the learner's files that
//! causes it.

use std::path::Path;

use regex::Regex;

mod open;

use super::{Diagnosis, near, python, sh_quote, syntax};
use crate::dockerfile::{Body, Command, Dockerfile, Instruction};
use crate::engine::ImageDetail;
use open::cannot_open;

/// Import names whose package on PyPI is called something else.
const PACKAGES: &[(&str, &str)] = &[
    ("yaml", "PyYAML"),
    ("cv2", "opencv-python"),
    ("PIL", "Pillow"),
    ("sklearn", "scikit-learn"),
    ("bs4", "beautifulsoup4"),
    ("dotenv", "python-dotenv"),
    ("dateutil", "python-dateutil"),
];

/// What the learner's project looks like, for pointing back at it.
pub struct Project<'a> {
    pub ws: &'a Path,
    /// The Dockerfile the image is built from, relative to `ws`.
    pub dockerfile: &'a str,
    /// The image's configuration, when the engine gave it.
    pub image: Option<&'a ImageDetail>,
}

/// Why a container that printed `output` failed, or `None` when its
/// output names nothing known.
pub fn explain(output: &str, project: &Project<'_>) -> Option<Diagnosis> {
    // What a container prints is untrusted: no control character of it
    // reaches a message (the checklist is drawn on the learner's terminal).
    let output = &printable(output);
    let df = Parsed::read(project);
    let checks: [&dyn Fn() -> Option<Diagnosis>; 7] = [
        &|| windows_line_endings(output, project, &df),
        &|| python_error(output, project),
        &|| missing_module(output, project, &df),
        &|| cannot_open(output, project, &df),
        &|| not_found(output, project, &df),
        &|| broken_exec(output, &df),
        &|| empty_cmd(output, &df),
    ];
    checks.iter().find_map(|check| check())
}

/// `text` with every control character but the line break written out
/// (`\r`, `\u{1b}`), as a shell or Python would show it.
fn printable(text: &str) -> String {
    text.split('\n')
        .map(super::printable)
        .collect::<Vec<_>>()
        .join("\n")
}

/// The Dockerfile, parsed when it parses.
struct Parsed {
    file: String,
    text: String,
    df: Option<Dockerfile>,
}

impl Parsed {
    fn read(project: &Project<'_>) -> Parsed {
        let text = std::fs::read_to_string(project.ws.join(project.dockerfile)).unwrap_or_default();
        Parsed {
            file: project.dockerfile.to_string(),
            df: Dockerfile::parse(&text).ok(),
            text,
        }
    }

    /// The final stage's instructions.
    fn last_stage(&self) -> impl Iterator<Item = &Instruction> {
        let df = self.df.as_ref();
        let last = df.map_or(0, Dockerfile::final_stage);
        df.into_iter()
            .flat_map(|d| d.instructions.iter())
            .filter(move |i| i.stage == last)
    }

    fn find(&self, keyword: &str) -> Option<&Instruction> {
        self.last_stage().filter(|i| i.keyword == keyword).last()
    }

    fn line(&self, n: usize) -> String {
        syntax::lines(&self.text)
            .get(n.wrapping_sub(1))
            .map(|l| l.trim().to_string())
            .unwrap_or_default()
    }

    /// WORKDIR in force at the end of the final stage (`/` when none).
    fn workdir(&self) -> (String, Option<usize>) {
        let mut dir = "/".to_string();
        let mut line = None;
        for i in self.last_stage() {
            if let (Body::Text(t), "WORKDIR") = (&i.body, i.keyword) {
                dir = if t.starts_with('/') {
                    t.clone()
                } else {
                    format!("{}/{t}", dir.trim_end_matches('/'))
                };
                line = Some(i.line);
            }
        }
        (dir.trim_end_matches('/').to_string(), line)
    }
}

fn capture<'t>(re: &str, text: &'t str) -> Option<regex::Captures<'t>> {
    Regex::new(re).ok()?.captures(text)
}

/// The workspace file a path in the image stands for (by its name).
fn local_file(project: &Project<'_>, image_path: &str) -> Option<String> {
    let name = image_path.rsplit('/').next()?;
    near::exists_exactly(project.ws, name).then(|| name.to_string())
}

/// `app.py\r`, `/bin/sh^M`: a script saved with Windows line endings. The
/// shell reads the carriage return as part of each line.
fn windows_line_endings(output: &str, project: &Project<'_>, df: &Parsed) -> Option<Diagnosis> {
    // Python shows the carriage return as `\r` in a file name; a shell
    // prints it as it is (or as `^M`).
    if !(output.contains("\\r") || output.contains("^M")) {
        return None;
    }
    let copied = df.last_stage().filter_map(|i| match &i.body {
        Body::Files { sources, .. } if i.flag("from").is_none() => Some(sources.clone()),
        _ => None,
    });
    for source in copied.flatten() {
        let rel = source.trim_start_matches("./");
        let Ok(text) = std::fs::read_to_string(project.ws.join(rel)) else {
            continue;
        };
        let Some(spot) = super::invisible::spots(&text, |c| c == '\r')
            .first()
            .copied()
        else {
            continue;
        };
        if rel.ends_with(".py") {
            continue;
        }
        return Some(Diagnosis::new(
            format!(
                "the container stopped with \"{}\": {rel} was saved with Windows line endings — \
                 {} ends in a carriage return, which the shell in the image reads as part of the \
                 line",
                output
                    .lines()
                    .find(|l| l.contains("\\r") || l.contains("^M"))
                    .unwrap_or_default()
                    .trim(),
                spot.at().replace(" column", ", column")
            ),
            format!(
                "save {rel} with Unix (LF) line endings, or: sed -i 's/\\r$//' {}, then build again",
                sh_quote(rel)
            ),
        ));
    }
    None
}

/// The container ran and printed another text: where in the project that
/// text comes from, and the line that prints the expected one.
pub fn wrong_text(printed: &str, expected: &str, ws: &Path) -> Option<Diagnosis> {
    let said = printed.trim();
    if said.is_empty() {
        return None;
    }
    let entries = std::fs::read_dir(ws).ok()?;
    let mut scripts: Vec<String> = entries
        .flatten()
        .take(500)
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| n.ends_with(".py"))
        .collect();
    scripts.sort();
    for rel in scripts {
        let Ok(text) = std::fs::read_to_string(ws.join(&rel)) else {
            continue;
        };
        let Some((i, line)) = text.lines().enumerate().find(|(_, l)| l.contains(said)) else {
            continue;
        };
        let at = i + 1;
        let fixed = line.replacen(said, expected, 1);
        let what = if super::invisible::plain(said) == expected {
            let ch = said
                .chars()
                .find(|c| super::invisible::lookalike(*c).is_some())
                .unwrap_or(' ');
            format!(
                "it looks right but holds {}",
                super::invisible::describe(ch)
            )
        } else {
            format!("expected {expected:?}")
        };
        return Some(Diagnosis::new(
            format!(
                "the container printed {said:?} — {what}; it comes from {rel} line {at}: `{}`",
                line.trim()
            ),
            format!(
                "change line {at} of {rel} to: {} — then build again",
                fixed.trim()
            ),
        ));
    }
    None
}

/// `SyntaxError`, `IndentationError`, `TabError`: what Python stopped at.
fn python_error(output: &str, project: &Project<'_>) -> Option<Diagnosis> {
    let error = capture(
        r"(?m)^((?:SyntaxError|IndentationError|TabError)[^\n]*)$",
        output,
    )?;
    let error = error.get(1)?.as_str().trim();
    let (path, line) = match capture(r#"File "([^"]+)", line (\d+)"#, output) {
        Some(c) => (c[1].to_string(), c[2].parse::<usize>().ok()),
        None => {
            let c = capture(r"in file (\S+) on line (\d+)", error)?;
            (c[1].to_string(), c[2].parse::<usize>().ok())
        }
    };
    let rel = local_file(project, &path)?;
    let said = format!("the container stopped with \"{error}\"");
    let bytes = std::fs::read(project.ws.join(&rel)).ok()?;
    let Ok(source) = String::from_utf8(bytes.clone()) else {
        let d = super::invisible::not_utf8(&rel, &bytes);
        return Some(Diagnosis::new(format!("{said}: {}", d.reason), d.fix));
    };
    if let Some(d) = python::explain(&rel, &source) {
        return Some(Diagnosis::new(
            format!("{said}: {}", d.reason),
            format!("{} — then build again", d.fix),
        ));
    }
    let at = line?;
    let code = source.lines().nth(at - 1).unwrap_or_default().trim();
    Some(Diagnosis::new(
        format!("{said}: {rel} line {at} is `{code}`"),
        format!("fix line {at} of {rel} as Python says, then build again"),
    ))
}

/// `ModuleNotFoundError: No module named 'x'`: requirements.txt does not
/// list it, or the Dockerfile never installs requirements.txt.
fn missing_module(output: &str, project: &Project<'_>, df: &Parsed) -> Option<Diagnosis> {
    let c = capture(r"ModuleNotFoundError: No module named '([^']+)'", output)?;
    let module = c[1].split('.').next()?.to_string();
    let package = PACKAGES
        .iter()
        .find(|(m, _)| *m == module)
        .map_or(module.clone(), |(_, p)| p.to_string());
    let importer = capture(
        r#"File "([^"]+)", line (\d+), in <module>\s*\n\s*([^\n]+)"#,
        output,
    );
    let where_ = match &importer {
        Some(i) => format!(
            "{} line {} (`{}`)",
            local_file(project, &i[1]).unwrap_or_else(|| i[1].to_string()),
            &i[2],
            i[3].trim()
        ),
        None => "the program".to_string(),
    };
    let requirements =
        std::fs::read_to_string(project.ws.join("requirements.txt")).unwrap_or_default();
    let listed = requirements.lines().any(|l| {
        let name = l
            .split(['=', '<', '>', '~', '[', ';', ' ', '!'])
            .next()
            .unwrap_or("");
        let norm = |s: &str| s.trim().to_lowercase().replace('_', "-");
        !l.trim_start().starts_with('#') && !name.is_empty() && norm(name) == norm(&package)
    });
    let installs = df
        .last_stage()
        .chain(df.df.iter().flat_map(|d| d.instructions.iter()))
        .any(|i| i.keyword == "RUN" && i.args.contains("pip") && i.args.contains("requirements"));
    if listed && !installs {
        return Some(Diagnosis::new(
            format!(
                "the container stopped with \"ModuleNotFoundError: No module named '{module}'\": \
                 requirements.txt lists {package}, but {} never runs pip install -r requirements.txt",
                df.file
            ),
            "add RUN pip install --no-cache-dir -r requirements.txt after the COPY of requirements.txt, then build again",
        ));
    }
    if listed {
        return None;
    }
    Some(Diagnosis::new(
        format!(
            "the container stopped with \"ModuleNotFoundError: No module named '{module}'\": \
             {where_} imports {module}, but requirements.txt does not list {package}, so pip \
             never installed it in the image"
        ),
        format!("add a line {package} to requirements.txt, then build again"),
    ))
}

/// `exec: "python": executable file not found in $PATH`, `/bin/sh: 1:
/// python: not found`: the base image has no such program.
fn not_found(output: &str, _project: &Project<'_>, df: &Parsed) -> Option<Diagnosis> {
    let c = capture(r#"exec: "([^"]+)": executable file not found"#, output)
        .or_else(|| capture(r"/bin/sh: \d+: ([^\[\s:][^\s:]*): not found", output))
        .or_else(|| capture(r"exec ([^:\s]+): no such file or directory", output))?;
    let program = c[1].to_string();
    let from = df.last_stage().find(|i| i.keyword == "FROM")?;
    let Body::From(base) = &from.body else {
        return None;
    };
    let image = base.image.to_string();
    let said = format!("the container could not start: the image has no program `{program}`");
    let run = df.find("CMD").or_else(|| df.find("ENTRYPOINT"));
    // `pyhton`: a slip in the command, not a wrong image.
    const PROGRAMS: [&str; 6] = ["python", "python3", "pip", "pip3", "sh", "bash"];
    if let Some(meant) = PROGRAMS
        .into_iter()
        .filter(|_| !PROGRAMS.contains(&program.as_str()))
        .find(|p| super::is_near(&program, p))
        && let Some(run) = run
        && df.line(run.line).contains(program.as_str())
    {
        let fixed = df.line(run.line).replacen(program.as_str(), meant, 1);
        return Some(Diagnosis::new(
            format!(
                "{said} — {} line {} (`{}`) runs `{program}`, {} away from `{meant}`",
                df.file,
                run.line,
                df.line(run.line),
                if super::distance(&program, meant) == 1 {
                    "one letter"
                } else {
                    "two letters"
                }
            ),
            format!("change line {} to: {fixed}", run.line),
        ));
    }
    if program == "python" && image.contains("python") {
        // distroless/python3 has python3 only.
        let run = run?;
        let fixed = df.line(run.line).replacen("\"python\"", "\"python3\"", 1);
        return Some(Diagnosis::new(
            format!(
                "{said} — {image} (line {}) calls it python3, and has no `python`",
                from.line
            ),
            format!("change line {} to: {fixed}", run.line),
        ));
    }
    Some(Diagnosis::new(
        format!(
            "{said} — {} line {}: `FROM {image}` is not a {program} image, so {program} is not in it",
            df.file, from.line
        ),
        if program.starts_with("python") {
            format!("change line {} to: FROM python:3.9-slim", from.line)
        } else {
            format!("start FROM an image that has {program}")
        },
    ))
}

/// `/bin/sh: 1: [python,: not found`: an exec-form list that was not JSON.
fn broken_exec(output: &str, df: &Parsed) -> Option<Diagnosis> {
    capture(r"/bin/sh: \d+: \[[^\n]*: not found", output)?;
    let run = df.find("CMD").or_else(|| df.find("ENTRYPOINT"))?;
    let line = syntax::lines(&df.text)
        .get(run.line - 1)
        .cloned()
        .unwrap_or_default();
    let d = syntax::explain_broken_exec(&df.file, run.line, run.keyword, &run.args, &line)?;
    Some(Diagnosis::new(
        format!(
            "the container stopped with \"{}\": {}",
            first_line_of(output, "not found"),
            d.reason
        ),
        d.fix,
    ))
}

/// `/bin/sh: 0: -c requires an argument`: `CMD` with nothing after it.
fn empty_cmd(output: &str, df: &Parsed) -> Option<Diagnosis> {
    capture(r"-c requires an argument", output)?;
    let cmd = df.find("CMD")?;
    let empty = match cmd.command() {
        Some(Command::Shell(s)) => s.trim().is_empty(),
        _ => false,
    };
    empty.then(|| {
        Diagnosis::new(
            format!(
                "the container stopped with \"/bin/sh: -c requires an argument\": {} line {}: \
                 `CMD` has nothing after it",
                df.file, cmd.line
            ),
            format!("change line {} to: CMD [\"python\", \"app.py\"]", cmd.line),
        )
    })
}

fn first_line_of<'t>(text: &'t str, containing: &str) -> &'t str {
    text.lines()
        .find(|l| l.contains(containing))
        .unwrap_or_default()
        .trim()
}

#[cfg(test)]
mod tests {
    use super::*;

    const GUIDE: &str = include_str!("../../../assets/first-image/Dockerfile");

    fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("Dockerfile"), GUIDE).unwrap();
        std::fs::write(dir.path().join("app.py"), "print(\"Hello, Docker!\")\n").unwrap();
        std::fs::write(dir.path().join("requirements.txt"), "\n").unwrap();
        for (n, t) in files {
            std::fs::write(dir.path().join(n), t).unwrap();
        }
        dir
    }

    fn explain_in(dir: &Path, output: &str, image: Option<&ImageDetail>) -> Option<Diagnosis> {
        explain(
            output,
            &Project {
                ws: dir,
                dockerfile: "Dockerfile",
                image,
            },
        )
    }

    #[test]
    fn python_two_print_is_spelled_out() {
        let d = project(&[("app.py", "print \"Hello, Docker!\"\n")]);
        let out = "  File \"/app/app.py\", line 1\n    print \"Hello, Docker!\"\n    ^^^^\nSyntaxError: Missing parentheses in call to 'print'. Did you mean print(...)?\n";
        let diag = explain_in(d.path(), out, None).unwrap();
        assert!(diag.reason.contains("Python 2"), "{}", diag.reason);
        assert!(
            diag.fix
                .starts_with("change line 1 to: print(\"Hello, Docker!\")"),
            "{}",
            diag.fix
        );
    }

    #[test]
    fn a_module_missing_from_requirements() {
        let d = project(&[("app.py", "import yaml\nprint('x')\n")]);
        let out = "Traceback (most recent call last):\n  File \"/app/app.py\", line 1, in <module>\n    import yaml\nModuleNotFoundError: No module named 'yaml'\n";
        let diag = explain_in(d.path(), out, None).unwrap();
        assert!(
            diag.reason.contains("app.py line 1 (`import yaml`)"),
            "{}",
            diag.reason
        );
        assert_eq!(
            diag.fix,
            "add a line PyYAML to requirements.txt, then build again"
        );
    }

    #[test]
    fn a_file_copied_elsewhere() {
        let text = GUIDE.replace("COPY app.py ./", "COPY app.py /srv/");
        let d = project(&[("Dockerfile", &text)]);
        let out = "python: can't open file '/app/app.py': [Errno 2] No such file or directory\n";
        let diag = explain_in(d.path(), out, None).unwrap();
        assert!(
            diag.reason.contains("puts app.py at /srv/app.py"),
            "{}",
            diag.reason
        );
        assert!(diag.reason.contains("WORKDIR, line 5"), "{}", diag.reason);
        assert_eq!(diag.fix, "change line 12 to: COPY app.py ./");
    }

    #[test]
    fn a_cmd_naming_another_file() {
        let text = GUIDE.replace("\"app.py\"]", "\"ap.py\"]");
        let d = project(&[("Dockerfile", &text)]);
        let out = "python: can't open file '/app/ap.py': [Errno 2] No such file or directory\n";
        let diag = explain_in(d.path(), out, None).unwrap();
        assert_eq!(diag.fix, "change line 15 to: CMD [\"python\", \"app.py\"]");
    }

    #[test]
    fn distroless_runs_python3_already() {
        let d = project(&[]);
        let image = ImageDetail {
            entrypoint: vec!["python3".into()],
            cmd: vec!["python".into(), "app.py".into()],
            ..ImageDetail::default()
        };
        let out = "python3: can't open file '/app/python': [Errno 2] No such file or directory\n";
        let diag = explain_in(d.path(), out, Some(&image)).unwrap();
        assert_eq!(diag.fix, "change line 15 to: CMD [\"app.py\"]");
    }

    #[test]
    fn no_python_in_the_base_image() {
        let text = GUIDE.replace("python:3.9-slim", "debian:bookworm-slim");
        let d = project(&[("Dockerfile", &text)]);
        let out = "OCI runtime create failed: exec: \"python\": executable file not found in $PATH: unknown";
        let diag = explain_in(d.path(), out, None).unwrap();
        assert!(
            diag.reason
                .contains("`FROM debian:bookworm-slim` is not a python image"),
            "{}",
            diag.reason
        );
        assert_eq!(diag.fix, "change line 2 to: FROM python:3.9-slim");
    }

    #[test]
    fn windows_line_endings_in_a_script() {
        let text = GUIDE.replace("COPY app.py ./", "COPY app.py start.sh ./");
        let d = project(&[
            ("Dockerfile", &text),
            ("start.sh", "#!/bin/sh\r\npython app.py\r\n"),
        ]);
        // As Python prints it: a backslash and an r.
        let out = "python: can't open file '/app/app.py\\r': [Errno 2] No such file or directory\n";
        let diag = explain_in(d.path(), out, None).unwrap();
        assert!(
            diag.reason
                .contains("start.sh was saved with Windows line endings"),
            "{}",
            diag.reason
        );
        assert!(diag.reason.contains("line 1, column 10"), "{}", diag.reason);
        assert!(diag.fix.contains("sed -i"), "{}", diag.fix);
    }

    #[test]
    fn what_a_container_prints_cannot_reach_the_terminal() {
        let d = project(&[("app.py", "print(1\n")]);
        let out = "  File \"/app/app.py\", line 1\n\x1b]0;owned\x07\nSyntaxError: '(' was never closed\x1b[2J\n";
        let diag = explain_in(d.path(), out, None).unwrap();
        assert!(
            !diag.reason.chars().any(char::is_control),
            "{:?}",
            diag.reason
        );
        assert!(diag.reason.contains("never closed"), "{}", diag.reason);
    }

    #[test]
    fn a_wrong_text_is_traced_to_its_line() {
        let d = project(&[("app.py", "# hi\nprint(\"Hello, docker!\")\n")]);
        let diag = wrong_text("Hello, docker!", "Hello, Docker!", d.path()).unwrap();
        assert!(diag.reason.contains("app.py line 2"), "{}", diag.reason);
        assert_eq!(
            diag.fix,
            "change line 2 of app.py to: print(\"Hello, Docker!\") — then build again"
        );
        assert_eq!(wrong_text("Bonjour", "Hello, Docker!", d.path()), None);
    }

    #[test]
    fn destinations() {
        assert_eq!(open::resolve_dest("./", "/app", "app.py"), "/app/app.py");
        assert_eq!(open::resolve_dest("/srv/", "/app", "app.py"), "/srv/app.py");
        assert_eq!(open::resolve_dest(".", "/app", "app.py"), "/app/app.py");
        assert_eq!(
            open::resolve_dest("/app/main.py", "/", "app.py"),
            "/app/main.py"
        );
    }
}
