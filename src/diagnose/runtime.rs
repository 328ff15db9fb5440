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

use super::near;
use super::{Diagnosis, python, sh_quote, syntax};
use crate::dockerfile::{Body, Command, Dockerfile, Instruction};
use crate::engine::ImageDetail;

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
    let df = Parsed::read(project);
    let checks: [&dyn Fn() -> Option<Diagnosis>; 6] = [
        &|| python_error(output, project),
        &|| missing_module(output, project, &df),
        &|| cannot_open(output, project, &df),
        &|| not_found(output, project, &df),
        &|| broken_exec(output, &df),
        &|| empty_cmd(output, &df),
    ];
    checks.iter().find_map(|check| check())
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

/// `python: can't open file '/app/app.py': [Errno 2]` or `[Errno 13]`.
fn cannot_open(output: &str, project: &Project<'_>, df: &Parsed) -> Option<Diagnosis> {
    let c = capture(r"(\S+): can't open file '([^']+)': \[Errno (\d+)\]", output)?;
    let (program, path, errno) = (c[1].to_string(), c[2].to_string(), &c[3]);
    let name = path.rsplit('/').next().unwrap_or(&path).to_string();
    let dir = path[..path.len() - name.len()]
        .trim_end_matches('/')
        .to_string();
    let said = format!("the container stopped with \"{program}: can't open file '{path}'\"");
    if errno == "13" {
        return unreadable(&said, project, df, &name);
    }
    // The image's ENTRYPOINT runs python already (distroless): CMD's first
    // word becomes the script.
    if let Some(image) = project.image {
        let entry_is_python = image.entrypoint.last().is_some_and(|e| {
            e.rsplit('/')
                .next()
                .is_some_and(|b| b.starts_with("python"))
        });
        if entry_is_python
            && image
                .cmd
                .first()
                .is_some_and(|c| c.rsplit('/').next() == Some(&name))
        {
            let cmd = df.find("CMD")?;
            let rest: Vec<String> = image.cmd.iter().skip(1).map(|w| format!("{w:?}")).collect();
            return Some(Diagnosis::new(
                format!(
                    "{said}: the base image's ENTRYPOINT is already {:?}, so {} line {} (`{}`) \
                     runs {} {} — Python takes `{name}` for the script",
                    image.entrypoint,
                    df.file,
                    cmd.line,
                    df.line(cmd.line),
                    image.entrypoint.join(" "),
                    image.cmd.join(" ")
                ),
                format!("change line {} to: CMD [{}]", cmd.line, rest.join(", ")),
            ));
        }
    }
    let (workdir, workdir_line) = df.workdir();
    // The program names a file the project does not have.
    if !near::exists_exactly(project.ws, &name) {
        let near = near::find(project.ws, &name)
            .map(|n| n.found)
            .filter(|f| !f.contains('/'))
            .or_else(|| only_script(project.ws, &name));
        let cmd = df.find("CMD").or_else(|| df.find("ENTRYPOINT"));
        return Some(match (near, cmd) {
            (Some(found), Some(cmd)) => {
                let fixed = df.line(cmd.line).replacen(&name, &found, 1);
                Diagnosis::new(
                    format!(
                        "{said}: {} line {} (`{}`) runs {name}, but your program is {}",
                        df.file,
                        cmd.line,
                        df.line(cmd.line),
                        found
                    ),
                    format!("change line {} to: {fixed}", cmd.line),
                )
            }
            _ => Diagnosis::new(
                format!("{said}: the project folder has no {name}"),
                format!("create {name} in the project folder, then build again"),
            ),
        });
    }
    // Where did the Dockerfile put it?
    let copies: Vec<&Instruction> = df
        .last_stage()
        .filter(|i| matches!(&i.body, Body::Files { sources, .. } if sources.iter().any(|s| s == &name || s.ends_with(&format!("/{name}")) || s == "." || s == "./")))
        .filter(|i| i.flag("from").is_none())
        .collect();
    let Some(copy) = copies.last() else {
        let after = workdir_line.map_or(String::new(), |l| format!(" below WORKDIR (line {l})"));
        return Some(Diagnosis::new(
            format!("{said}: {} never copies {name} into the image", df.file),
            format!("add COPY {name} ./{after}, then build again"),
        ));
    };
    let Body::Files { sources, dest } = &copy.body else {
        return None;
    };
    if sources.iter().any(|s| s == "." || s == "./") {
        let ignore = std::fs::read_to_string(project.ws.join(".dockerignore")).unwrap_or_default();
        if let Some((n, pattern)) = super::preflight::excluding_line(&ignore, &name) {
            return Some(Diagnosis::new(
                format!(
                    "{said}: {} line {} copies the whole folder, but .dockerignore line {n} \
                     (`{pattern}`) leaves {name} out",
                    df.file, copy.line
                ),
                format!("add a line !{name} to the end of .dockerignore, then build again"),
            ));
        }
        return None;
    }
    let landed = resolve_dest(dest, &workdir_at(df, copy.line), &name);
    if landed != path {
        let fixed = df.line(copy.line).replacen(dest.as_str(), "./", 1);
        let looked = match workdir_line {
            Some(l) => format!("the container looks in {dir} (WORKDIR, line {l})"),
            None => format!("the container looks in {dir}"),
        };
        return Some(Diagnosis::new(
            format!(
                "{said}: {} line {} (`{}`) puts {name} at {landed}, but {looked}",
                df.file,
                copy.line,
                df.line(copy.line)
            ),
            format!("change line {} to: {fixed}", copy.line),
        ));
    }
    let _ = workdir;
    None
}

/// The one script of the project with the same extension as `name`
/// (`main.py` asked for, `app.py` the only `.py` there).
fn only_script(ws: &Path, name: &str) -> Option<String> {
    let ext = name.rsplit_once('.')?.1;
    let mut found = std::fs::read_dir(ws)
        .ok()?
        .flatten()
        .take(500)
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|n| n.rsplit_once('.').is_some_and(|(_, x)| x == ext));
    let first = found.next()?;
    found.next().is_none().then_some(first)
}

/// WORKDIR in force at `line` of the final stage.
fn workdir_at(df: &Parsed, line: usize) -> String {
    let mut dir = "/".to_string();
    for i in df.last_stage().filter(|i| i.line < line) {
        if let (Body::Text(t), "WORKDIR") = (&i.body, i.keyword) {
            dir = if t.starts_with('/') {
                t.clone()
            } else {
                format!("{}/{t}", dir.trim_end_matches('/'))
            };
        }
    }
    dir
}

/// Where `COPY name dest` puts `name`, with `workdir` in force.
fn resolve_dest(dest: &str, workdir: &str, name: &str) -> String {
    let base = if dest.starts_with('/') {
        dest.to_string()
    } else {
        format!("{}/{dest}", workdir.trim_end_matches('/'))
    };
    let base = base.replace("/./", "/").trim_end_matches("/.").to_string();
    if dest.ends_with('/') || dest == "." || dest == "./" {
        format!("{}/{name}", base.trim_end_matches('/'))
    } else {
        base
    }
}

/// `[Errno 13] Permission denied`: the image's user cannot read the file.
fn unreadable(said: &str, project: &Project<'_>, df: &Parsed, name: &str) -> Option<Diagnosis> {
    use std::os::unix::fs::PermissionsExt;
    let user = df.find("USER");
    let who = match user {
        Some(u) => format!("USER {} (line {})", u.args, u.line),
        None => "the image's user".into(),
    };
    let mode = std::fs::metadata(project.ws.join(name))
        .ok()
        .map(|m| m.permissions().mode() & 0o777);
    match mode {
        Some(m) if m & 0o004 == 0 => Some(Diagnosis::new(
            format!(
                "{said}: {name} is mode {m:o} on your machine — only its owner may read it — and \
                 COPY keeps that mode with root as the owner, so {who} cannot read it"
            ),
            format!("chmod 644 {}, then build again", sh_quote(name)),
        )),
        _ => Some(Diagnosis::new(
            format!("{said}: {who} is not allowed to read {name} in the image"),
            format!(
                "copy it so that user owns it: COPY --chown={} {name} ./",
                user.map_or("appuser".into(), |u| u.args.clone())
            ),
        )),
    }
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

    const GUIDE: &str = include_str!("../../assets/first-image/Dockerfile");

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
    fn destinations() {
        assert_eq!(resolve_dest("./", "/app", "app.py"), "/app/app.py");
        assert_eq!(resolve_dest("/srv/", "/app", "app.py"), "/srv/app.py");
        assert_eq!(resolve_dest(".", "/app", "app.py"), "/app/app.py");
        assert_eq!(resolve_dest("/app/main.py", "/", "app.py"), "/app/main.py");
    }
}
