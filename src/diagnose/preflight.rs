//! Preflight of a build: will `docker build` in the project folder work?
//! Judged statically, in the order the build meets the problems: the
//! Dockerfile (there, readable, parseable), each base image (in the engine,
//! or a near name of one), `.dockerignore`, and every `COPY`/`ADD` source
//! against the build context exactly as the engine will receive it
//! (`crate::context`). A source that `.dockerignore` leaves out names the
//! line that does it; a source that is not there gets the near-name search.
//!
//! The checks of an image that is missing show its finding. A failed build
//! can be explained the same way: `check` on the project folder and the
//! Dockerfile it built, in place of general advice.

use std::path::Path;

use super::invisible;
use super::near::{self, How};
use super::syntax::{self, explain_parse_error, repair_words};
use super::{Diagnosis, images, in_dir, is_near, sh_quote, workspace};
use crate::context::{self, ContextPlan, Matcher, PackError};
use crate::dockerfile::{Body, Command, Dockerfile, Instruction};
use crate::engine::EngineFacts;

/// File names the lessons ask for: when a `COPY` names something else
/// that is near one of them, the Dockerfile is what needs the fix.
const LESSON_FILES: &[&str] = &["app.py", "requirements.txt"];

/// The first reason a build of `dockerfile` (relative to `ws`; the CLI's
/// default when it is `Dockerfile`) cannot work, or `None` when none is
/// visible without building.
pub fn check(ws: &Path, dockerfile: &str, facts: Option<&EngineFacts>) -> Option<Diagnosis> {
    if !ws.is_dir() {
        return Some(workspace::look_around(ws).unwrap_or_else(|| {
            Diagnosis::new(
                format!("{} does not exist", ws.display()),
                format!("create it: mkdir {}", sh_quote(&ws.display().to_string())),
            )
        }));
    }
    let rel = match resolve_dockerfile(ws, dockerfile) {
        Ok(rel) => rel,
        Err(d) => return Some(d),
    };
    let bytes = std::fs::read(ws.join(&rel)).ok()?;
    let Ok(text) = String::from_utf8(bytes.clone()) else {
        return Some(invisible::not_utf8(&rel, &bytes));
    };
    let df = match Dockerfile::parse(&text) {
        Ok(df) => df,
        Err(e) => return Some(explain_parse_error(&rel, &text, &e)),
    };
    let lines = syntax::lines(&text);
    let quote = |i: &Instruction| lines.get(i.line - 1).map_or("", |l| l.trim()).to_string();
    let mut stages: Vec<String> = Vec::new();
    let plan = context::plan(ws, &rel);
    for instr in &df.instructions {
        match &instr.body {
            Body::From(base) => {
                let image = base.image.to_string();
                let is_stage = stages.contains(&image.to_lowercase());
                if let Some(alias) = &base.alias {
                    stages.push(alias.to_lowercase());
                }
                if is_stage || image == "scratch" || image.contains('$') {
                    continue;
                }
                if let Some(d) = base_image(&rel, instr, &quote(instr), &image, facts) {
                    return Some(d);
                }
            }
            Body::Files { sources, .. } if instr.flag("from").is_none() => {
                let plan = match &plan {
                    Ok(p) => p,
                    Err(e) => return Some(context_error(ws, &rel, e)),
                };
                for src in sources {
                    if let Some(d) = source(ws, &rel, instr, &quote(instr), src, plan) {
                        return Some(d);
                    }
                }
            }
            Body::Command(Command::Shell(cmd)) if instr.keyword == "RUN" => {
                if let Some(d) = pip_typo(&rel, instr, &quote(instr), cmd) {
                    return Some(d);
                }
            }
            _ => {}
        }
    }
    None
}

/// The Dockerfile the CLI will read: `Dockerfile`, else `dockerfile`.
fn resolve_dockerfile(ws: &Path, dockerfile: &str) -> Result<String, Diagnosis> {
    if near::exists_exactly(ws, dockerfile) {
        return Ok(dockerfile.to_string());
    }
    if dockerfile == "Dockerfile" && near::exists_exactly(ws, "dockerfile") {
        return Ok("dockerfile".into());
    }
    Err(near::explain_missing(ws, dockerfile).unwrap_or_else(|| {
        Diagnosis::new(
            format!("{dockerfile} is missing from {}", ws.display()),
            format!("create {dockerfile} in the project folder (the lesson's files: press s)"),
        )
    }))
}

/// A base image the engine does not have: a near name of one it has (or
/// the lessons use), or one the build would have to download.
fn base_image(
    file: &str,
    instr: &Instruction,
    quoted: &str,
    image: &str,
    facts: Option<&EngineFacts>,
) -> Option<Diagnosis> {
    let facts = facts?;
    if images::in_engine(facts, image) {
        return None;
    }
    let at = instr.line;
    let here = format!("{file} line {at}: `{quoted}`");
    if let Some(meant) = images::near_image(image, &images::known(Some(facts))) {
        let fixed = quoted.replacen(image, &meant, 1);
        let have = if images::in_engine(facts, &meant) {
            "the engine has"
        } else {
            "the lessons use"
        };
        return Some(Diagnosis::new(
            format!(
                "{here} — the engine has no image {image}, and it looks like a slip: {have} \
                 {meant}, {} away",
                letters(super::distance(image, &meant))
            ),
            format!("change line {at} to: {fixed}"),
        ));
    }
    Some(Diagnosis::new(
        format!(
            "{here} — the engine has no image {image}, so the build has to download it; with no \
             registry reachable it fails there"
        ),
        format!("docker pull {image}, or load a saved copy: docktutor load FILE"),
    ))
}

fn letters(n: usize) -> &'static str {
    match n {
        1 => "one letter",
        2 => "two letters",
        _ => "a few letters",
    }
}

/// Why the context cannot even be planned.
fn context_error(ws: &Path, file: &str, e: &PackError) -> Diagnosis {
    match e {
        PackError::Dockerignore(p) if p.line > 0 => Diagnosis::new(
            format!(
                ".dockerignore line {}: `{}` — {}",
                p.line, p.pattern, p.message
            ),
            format!("fix or delete line {} of .dockerignore", p.line),
        ),
        PackError::DockerfileExcluded(_) => {
            let line = excluding_line(&read_ignore(ws), file);
            Diagnosis::new(
                format!(
                    ".dockerignore{} leaves {file} itself out of the build context, so the engine \
                     cannot read it",
                    line.as_ref()
                        .map_or(String::new(), |(n, p)| format!(" line {n} (`{p}`)"))
                ),
                format!("add a line !{file} at the end of .dockerignore"),
            )
        }
        other => Diagnosis::new(
            format!("the build context cannot be read: {other}"),
            "fix what it names, then build again",
        ),
    }
}

/// One `COPY`/`ADD` source: in the context, left out by `.dockerignore`,
/// or not in the project folder at all.
fn source(
    ws: &Path,
    file: &str,
    instr: &Instruction,
    quoted: &str,
    src: &str,
    plan: &ContextPlan,
) -> Option<Diagnosis> {
    if src.contains("://") || src.starts_with("git@") || src.contains('$') {
        return None;
    }
    let clean = context::dockerignore::clean(src.trim_start_matches('/'));
    if clean == "." || clean.is_empty() {
        return None;
    }
    let at = instr.line;
    let keyword = instr.keyword;
    let here = format!("{file} line {at}: `{quoted}`");
    let glob = clean.contains(['*', '?', '[']);
    let in_context = |path: &str| -> bool {
        if glob {
            let Ok(m) = Matcher::new([path]) else {
                return true;
            };
            plan.entries.iter().any(|e| m.is_excluded(&e.path_str()))
        } else {
            let under = format!("{path}/");
            plan.entries
                .iter()
                .any(|e| e.path == path.as_bytes() || e.path.starts_with(under.as_bytes()))
        }
    };
    if in_context(&clean) {
        return None;
    }
    let ignore = read_ignore(ws);
    // On disk, but left out of the context.
    let on_disk: Vec<String> = if glob {
        disk_matches(ws, &clean)
    } else if near::exists_exactly(ws, &clean) {
        vec![clean.clone()]
    } else {
        vec![]
    };
    if let Some(first) = on_disk.first() {
        let why = match excluding_line(&ignore, first) {
            Some((n, pattern)) => format!(".dockerignore line {n} (`{pattern}`) leaves it out"),
            None => ".dockerignore leaves it out".into(),
        };
        let fix = match excluding_line(&ignore, first) {
            Some((n, pattern)) if pattern.contains(['*', '?']) || pattern != *first => format!(
                "add a line !{first} to the end of .dockerignore (or delete line {n}, `{pattern}`)"
            ),
            Some((n, _)) => format!("delete line {n} of .dockerignore"),
            None => format!("add a line !{first} to the end of .dockerignore"),
        };
        return Some(Diagnosis::new(
            format!(
                "{here} — {first} is in the project folder, but {why} of the build context, so \
                 {keyword} cannot find it and the build fails"
            ),
            fix,
        ));
    }
    if glob {
        return Some(Diagnosis::new(
            format!("{here} — no file in the project folder matches {src}"),
            format!("check the name on line {at}, or add the files it should copy"),
        ));
    }
    let not_there = format!("{here} — {clean} is not in the project folder");
    let base = clean.rsplit('/').next().unwrap_or(&clean).to_string();
    // `COPY src/app.py ./` with app.py at the top.
    if clean.contains('/') && in_context(&base) {
        let fixed = quoted.replacen(src, &base, 1);
        return Some(Diagnosis::new(
            format!("{not_there}; {base} is, at the top of the project folder"),
            format!("change line {at} to: {fixed}"),
        ));
    }
    let Some(near) = near::find(ws, &clean) else {
        return Some(Diagnosis::new(
            format!("{not_there}, so {keyword} cannot find it and the build fails"),
            in_dir(
                ws,
                &format!("create {clean} there, or change line {at} to copy a file that exists"),
            ),
        ));
    };
    let found = &near.found;
    let edit_dockerfile = LESSON_FILES.contains(&found.as_str())
        && !LESSON_FILES.contains(&clean.as_str())
        && near.how != How::Parent;
    if edit_dockerfile {
        let fixed = quoted.replacen(src, found, 1);
        return Some(Diagnosis::new(
            format!("{not_there}; {found} is — the Dockerfile names it differently"),
            format!("change line {at} to: {fixed}"),
        ));
    }
    let mut d = near::explain(ws, &clean, &near);
    d.reason = format!("{here} — {}", d.reason);
    if near.how == How::Parent {
        d.reason
            .push_str(" (outside the build context, where COPY cannot reach)");
    }
    Some(d)
}

/// `pip instal …`: a pip command one or two letters away from `install`.
fn pip_typo(file: &str, instr: &Instruction, quoted: &str, cmd: &str) -> Option<Diagnosis> {
    let words: Vec<&str> = cmd.split_whitespace().collect();
    let pip = words.iter().position(|w| matches!(*w, "pip" | "pip3"))?;
    let sub = words.get(pip + 1)?;
    if *sub == "install" || !is_near(sub, "install") {
        return None;
    }
    let dictionary = vec!["install".to_string()];
    let (typed, meant, _) = repair_words(cmd, &dictionary, |c| {
        c.contains("pip install") || c.contains("pip3 install")
    })?;
    let at = instr.line;
    Some(Diagnosis::new(
        format!(
            "{file} line {at}: `{quoted}` — pip has no command `{typed}`; you probably meant \
             `{meant}` (the build stops there: ERROR: unknown command \"{typed}\")"
        ),
        format!(
            "change line {at} to: {}",
            quoted.replacen(&typed, &meant, 1)
        ),
    ))
}

fn read_ignore(ws: &Path) -> String {
    std::fs::read(ws.join(".dockerignore"))
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or_default()
}

/// The `.dockerignore` line that leaves `path` out (the last one that
/// turns it from kept to left out), with its pattern as written.
pub fn excluding_line(ignore_text: &str, path: &str) -> Option<(usize, String)> {
    let lines = context::dockerignore::read_lines(ignore_text).ok()?;
    let mut m = Matcher::empty();
    let mut deciding = None;
    let mut was = false;
    for (n, pattern) in lines {
        if m.push(&pattern, n).is_err() {
            continue;
        }
        let now = m.is_excluded(path);
        if now && !was {
            deciding = Some((n, pattern.clone()));
        }
        was = now;
    }
    if was { deciding } else { None }
}

/// Files under `ws` (two levels at most) a `COPY` glob matches.
fn disk_matches(ws: &Path, glob: &str) -> Vec<String> {
    let Ok(m) = Matcher::new([glob]) else {
        return vec![];
    };
    let mut out = Vec::new();
    let mut stack = vec![(ws.to_path_buf(), String::new(), 0)];
    while let Some((dir, prefix, depth)) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten().take(2000) {
            let Ok(name) = e.file_name().into_string() else {
                continue;
            };
            let rel = format!("{prefix}{name}");
            if m.is_excluded(&rel) {
                out.push(rel.clone());
            }
            if depth < 2 && e.file_type().is_ok_and(|t| t.is_dir()) {
                stack.push((e.path(), format!("{rel}/"), depth + 1));
            }
        }
    }
    out.sort();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const GUIDE: &str = include_str!("../../assets/first-image/Dockerfile");

    fn ws(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in files {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        dir
    }

    fn guide_with(extra: &[(&str, &str)]) -> tempfile::TempDir {
        let mut files = vec![
            ("Dockerfile", GUIDE),
            ("app.py", "print(\"Hello, Docker!\")\n"),
            ("requirements.txt", "\n"),
        ];
        for (n, t) in extra {
            files.retain(|(f, _)| f != n);
            if !t.is_empty() || *n == "requirements.txt" {
                files.push((n, t));
            }
        }
        ws(&files)
    }

    #[test]
    fn the_guide_passes() {
        let d = guide_with(&[]);
        assert_eq!(check(d.path(), "Dockerfile", None), None);
    }

    #[test]
    fn an_excluded_source_names_the_dockerignore_line() {
        let d = guide_with(&[(".dockerignore", "# junk\n.git\n*.py\n")]);
        let diag = check(d.path(), "Dockerfile", None).unwrap();
        assert!(
            diag.reason.contains("line 12: `COPY app.py ./`"),
            "{}",
            diag.reason
        );
        assert!(
            diag.reason.contains(".dockerignore line 3 (`*.py`)"),
            "{}",
            diag.reason
        );
        assert!(diag.fix.contains("!app.py"), "{}", diag.fix);
    }

    #[test]
    fn a_missing_source_gets_its_near_name() {
        let d = guide_with(&[("app.py", ""), ("App.py", "print(1)\n")]);
        let diag = check(d.path(), "Dockerfile", None).unwrap();
        assert!(diag.reason.contains("App.py is there"), "{}", diag.reason);
        assert!(diag.fix.ends_with("mv App.py app.py"), "{}", diag.fix);

        let text = GUIDE.replace("COPY requirements.txt ./", "COPY requirement.txt ./");
        let d = guide_with(&[("Dockerfile", &text)]);
        let diag = check(d.path(), "Dockerfile", None).unwrap();
        assert_eq!(diag.fix, "change line 8 to: COPY requirements.txt ./");

        let text = GUIDE.replace("COPY app.py ./", "COPY src/app.py ./");
        let d = guide_with(&[("Dockerfile", &text)]);
        let diag = check(d.path(), "Dockerfile", None).unwrap();
        assert_eq!(diag.fix, "change line 12 to: COPY app.py ./");
    }

    #[test]
    fn the_dockerfile_itself() {
        let d = guide_with(&[("Dockerfile", ""), ("Dockerfile.txt", GUIDE)]);
        let diag = check(d.path(), "Dockerfile", None).unwrap();
        assert!(
            diag.fix.ends_with("mv Dockerfile.txt Dockerfile"),
            "{}",
            diag.fix
        );
        let d = guide_with(&[("Dockerfile", ""), ("dockerfile", GUIDE)]);
        assert_eq!(check(d.path(), "Dockerfile", None), None);
        let d = guide_with(&[("Dockerfile", "FORM python:3.9-slim\n")]);
        let diag = check(d.path(), "Dockerfile", None).unwrap();
        assert!(diag.reason.contains("meant FROM"), "{}", diag.reason);
    }

    #[test]
    fn a_base_image_one_letter_away() {
        let mut facts = EngineFacts::default();
        facts.images.push(crate::engine::ImageInfo {
            id: "sha256:1".into(),
            repo_tags: vec!["python:3.9-slim".into()],
            created: 0,
            size: 1,
        });
        let text = GUIDE.replace("python:3.9-slim", "python:3.9-slm");
        let d = guide_with(&[("Dockerfile", &text)]);
        let diag = check(d.path(), "Dockerfile", Some(&facts)).unwrap();
        assert_eq!(diag.fix, "change line 2 to: FROM python:3.9-slim");
        let d = guide_with(&[]);
        assert_eq!(check(d.path(), "Dockerfile", Some(&facts)), None);
    }

    #[test]
    fn pip_commands_one_letter_away() {
        let text = GUIDE.replace("pip install", "pip instal");
        let d = guide_with(&[("Dockerfile", &text)]);
        let diag = check(d.path(), "Dockerfile", None).unwrap();
        assert_eq!(
            diag.fix,
            "change line 9 to: RUN pip install --no-cache-dir -r requirements.txt"
        );
    }

    #[test]
    fn a_failed_build_is_explained_by_the_preflight() {
        let text = GUIDE.replace("useradd", "x").replace(
            "COPY app.py ./",
            "RUN groupadd -r app &&\n    chown -R app /app\nCOPY app.py ./",
        );
        let d = guide_with(&[("Dockerfile", &text)]);
        // The engine said "unknown instruction: CHOWN" at line 13.
        let diag = check(d.path(), "Dockerfile", None).unwrap();
        assert!(diag.fix.starts_with("end line 12 with \\"), "{}", diag.fix);
    }

    #[test]
    fn deciding_dockerignore_lines() {
        assert_eq!(excluding_line("*.py\n", "app.py"), Some((1, "*.py".into())));
        assert_eq!(excluding_line("*.py\n!app.py\n", "app.py"), None);
        assert_eq!(
            excluding_line("*\n!Dockerfile\n", "app.py"),
            Some((1, "*".into()))
        );
        assert_eq!(excluding_line("", "app.py"), None);
    }
}
