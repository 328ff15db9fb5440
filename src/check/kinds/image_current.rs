//! `image_current`: the image was built from the files in this folder as
//! they are now. The files the Dockerfile copies into the image's WORKDIR
//! are compared, by content, with the copies inside the image (read through
//! the engine from a container that is never started: nothing runs). It
//! catches the commonest confusion — `app.py` edited, image not rebuilt —
//! and, on an engine a room shares, an image someone else built.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;
use sha2::{Digest, Sha256};

use super::{Doc, Field, Kind, Needs, dockerfile_path};
use crate::check::engine::probe_answer;
use crate::check::{Ctx, Shared, Verdict};
use crate::dockerfile::{Body, Dockerfile, resolve_dest};
use crate::engine::{Probe, ProbeAnswer, ProbeKind, normalize_ref};

pub(crate) const DOC: Doc = Doc {
    fields: &[
        Field::required("image"),
        Field::default("dockerfile", "\"Dockerfile\"")
            .note("the Dockerfile whose COPY and ADD lines say which files to compare"),
    ],
    passes: "every file the Dockerfile's final stage copies from the folder into the image's \
             WORKDIR is in the image with the same content — read from the image, nothing is \
             run; a failure names the file and whether it changed after the build",
    engine: true,
    example: "image = \"my-docker-app\"",
};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ImageCurrent {
    image: String,
    #[serde(default = "dockerfile_path")]
    dockerfile: String,
}

/// A file of the folder and where the Dockerfile puts it.
struct Copied {
    /// Relative to the workspace.
    local: String,
    /// Absolute, in the image.
    inside: String,
}

/// What the final stage copies from the build context, file by file (a
/// copied folder is taken whole; wildcards and `--from` are left out).
fn copied(ws: &Path, dockerfile: &str) -> Option<Vec<Copied>> {
    let text = std::fs::read_to_string(ws.join(dockerfile)).ok()?;
    let df = Dockerfile::parse(&text).ok()?;
    // What the context holds, after .dockerignore, as the build sees it.
    let plan = crate::context::plan(ws, dockerfile).ok()?;
    let files: Vec<String> = plan
        .entries
        .iter()
        .filter(|e| e.kind == crate::context::EntryKind::File)
        .map(|e| e.path_str().into_owned())
        .collect();
    let last = df.final_stage();
    let mut out = Vec::new();
    for i in df.instructions.iter().filter(|i| i.stage == last) {
        let Body::Files { sources, dest } = &i.body else {
            continue;
        };
        if i.flag("from").is_some() {
            continue;
        }
        let workdir = df.workdir_at(i.line);
        for source in sources {
            let source = source.trim_start_matches("./").trim_end_matches('/');
            if source.contains(['*', '?', '[']) || source.contains("://") {
                continue;
            }
            let under = if source.is_empty() || source == "." {
                String::new()
            } else {
                format!("{source}/")
            };
            for f in &files {
                if f == source {
                    let name = f.rsplit('/').next().unwrap_or(f);
                    out.push(Copied {
                        local: f.clone(),
                        inside: resolve_dest(dest, &workdir, name),
                    });
                } else if let Some(rel) = f.strip_prefix(&under) {
                    // A folder's contents land under the destination folder.
                    let into = format!("{}/", dest.trim_end_matches('/'));
                    out.push(Copied {
                        local: f.clone(),
                        inside: resolve_dest(&into, &workdir, rel),
                    });
                }
            }
        }
    }
    Some(out)
}

fn digest(path: &Path) -> Option<String> {
    let bytes = std::fs::read(path).ok()?;
    Some(
        Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect(),
    )
}

/// The first file that disagrees, said for a learner.
fn compare(
    ws: &Path,
    files: &[Copied],
    dir: &str,
    inside: &BTreeMap<String, String>,
    complete: bool,
) -> Option<(String, Disagreement)> {
    let within = format!("{}/", dir.trim_end_matches('/'));
    for f in files.iter().filter(|f| f.inside.starts_with(&within)) {
        let mine = digest(&ws.join(&f.local))?;
        match inside.get(&f.inside) {
            Some(theirs) if *theirs == mine => {}
            Some(_) => return Some((f.local.clone(), Disagreement::Differs(f.inside.clone()))),
            None if complete => return Some((f.local.clone(), Disagreement::Missing(f.inside.clone()))),
            None => {}
        }
    }
    None
}

enum Disagreement {
    Differs(String),
    Missing(String),
}

impl Kind for ImageCurrent {
    fn needs(&self) -> Needs<'_> {
        Needs {
            image: Some(&self.image),
            probe: Some(Probe {
                image: normalize_ref(&self.image),
                kind: ProbeKind::Workdir,
            }),
            ..Needs::default()
        }
    }

    fn default_label(&self) -> String {
        format!("{} is built from your files as they are now", self.image)
    }

    fn judge(&self, ctx: &Ctx<'_>, _: &mut Shared) -> Verdict {
        ctx.with_engine(|facts| {
            let answer = match probe_answer(facts, &self.image, ProbeKind::Workdir) {
                Ok(a) => a,
                Err(v) => return v,
            };
            let ProbeAnswer::Files {
                dir,
                files,
                complete,
            } = answer
            else {
                return match answer {
                    ProbeAnswer::Failed(why) => Verdict::Blocked(format!(
                        "could not look inside {}: {why}",
                        self.image
                    )),
                    _ => Verdict::Blocked("unexpected probe answer".into()),
                };
            };
            let Some(copied) = copied(ctx.workspace, &self.dockerfile) else {
                return Verdict::Fail(format!(
                    "no {} to compare {} with",
                    self.dockerfile, self.image
                ));
            };
            match compare(ctx.workspace, &copied, dir, files, *complete) {
                None => Verdict::Pass,
                Some((local, Disagreement::Differs(inside))) => Verdict::Fail(format!(
                    "{inside} in {} is not your {local}: the image was built from another \
                     version of it (before you changed it, or from someone else's folder)",
                    self.image
                )),
                Some((local, Disagreement::Missing(inside))) => Verdict::Fail(format!(
                    "{} has no {inside}, where your Dockerfile copies {local}: it was built \
                     from another Dockerfile or folder",
                    self.image
                )),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guide(ws: &Path, dockerfile: &str) {
        std::fs::write(ws.join("app.py"), "print(\"Hello, Docker!\")\n").unwrap();
        std::fs::write(ws.join("requirements.txt"), "").unwrap();
        std::fs::write(ws.join("notes.md"), "mine\n").unwrap();
        std::fs::write(ws.join("Dockerfile"), dockerfile).unwrap();
    }

    #[test]
    fn copies_are_followed_to_where_they_land() {
        let ws = tempfile::tempdir().unwrap();
        guide(
            ws.path(),
            "FROM python:3.9-slim\nWORKDIR /app\nCOPY requirements.txt ./\nCOPY app.py .\n\
             COPY --from=build /x /y\nCMD [\"python\", \"app.py\"]\n",
        );
        let got: Vec<(String, String)> = copied(ws.path(), "Dockerfile")
            .unwrap()
            .into_iter()
            .map(|c| (c.local, c.inside))
            .collect();
        assert_eq!(
            got,
            [
                ("requirements.txt".to_string(), "/app/requirements.txt".to_string()),
                ("app.py".to_string(), "/app/app.py".to_string()),
            ]
        );
        // `COPY . .` takes the whole folder, minus .dockerignore.
        guide(ws.path(), "FROM python:3.9-slim\nWORKDIR /app\nCOPY . .\n");
        std::fs::write(ws.path().join(".dockerignore"), "notes.md\n").unwrap();
        let mut inside: Vec<String> = copied(ws.path(), "Dockerfile")
            .unwrap()
            .into_iter()
            .map(|c| c.inside)
            .collect();
        inside.sort();
        assert_eq!(
            inside,
            ["/app/.dockerignore", "/app/Dockerfile", "/app/app.py", "/app/requirements.txt"]
        );
    }

    #[test]
    fn an_edited_file_or_one_not_in_the_image_is_named() {
        let ws = tempfile::tempdir().unwrap();
        guide(ws.path(), "FROM python:3.9-slim\nWORKDIR /app\nCOPY app.py requirements.txt ./\n");
        let files = copied(ws.path(), "Dockerfile").unwrap();
        let mut inside = BTreeMap::new();
        for f in &files {
            inside.insert(f.inside.clone(), digest(&ws.path().join(&f.local)).unwrap());
        }
        assert!(compare(ws.path(), &files, "/app", &inside, true).is_none());
        std::fs::write(ws.path().join("app.py"), "print(\"Hello, World!\")\n").unwrap();
        let Some((local, Disagreement::Differs(at))) = compare(ws.path(), &files, "/app", &inside, true) else {
            panic!("an edited app.py is not the image's");
        };
        assert_eq!((local.as_str(), at.as_str()), ("app.py", "/app/app.py"));
        inside.remove("/app/requirements.txt");
        inside.insert("/app/app.py".into(), digest(&ws.path().join("app.py")).unwrap());
        assert!(matches!(
            compare(ws.path(), &files, "/app", &inside, true),
            Some((_, Disagreement::Missing(_)))
        ));
        // A WORKDIR read only in part cannot say a file is missing.
        assert!(compare(ws.path(), &files, "/app", &inside, false).is_none());
    }
}
