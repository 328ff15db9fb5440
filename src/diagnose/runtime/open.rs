//! `can't open file '/app/app.py'`: where the Dockerfile put the file (or
//! did not), which file the command names, and whether the image's user
//! may read it.

use std::path::Path;

use super::{Parsed, Project, capture};
use crate::diagnose::{Diagnosis, near, sh_quote};
use crate::dockerfile::{Body, Instruction};

/// `python: can't open file '/app/app.py': [Errno 2]` or `[Errno 13]`.
pub(super) fn cannot_open(output: &str, project: &Project<'_>, df: &Parsed) -> Option<Diagnosis> {
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
        if let Some((n, pattern)) = crate::diagnose::preflight::excluding_line(&ignore, &name) {
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
    df.df
        .as_ref()
        .map_or_else(|| "/".to_string(), |d| d.workdir_at(line))
}

pub(super) use crate::dockerfile::resolve_dest;

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
