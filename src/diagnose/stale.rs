//! Files and image disagree: the image was built before the Dockerfile or a
//! file it copies was saved, so a check of the image reads the old files
//! while the checks of the files read the new ones. Said once, first, with
//! both times, and the build that brings them together.

use std::path::Path;

use super::{Diagnosis, in_dir};
use crate::dockerfile::{Body, Dockerfile, ImageRef};
use crate::text::utc_time;

/// How many entries of a copied folder are looked at.
const MAX_ENTRIES: usize = 200;

/// The file of the build (the Dockerfile, `.dockerignore`, what `COPY` and
/// `ADD` take) saved last, if it was saved after `built` (Unix seconds).
pub fn newest_after(ws: &Path, dockerfile: &str, built: i64) -> Option<(String, i64)> {
    let mut files: Vec<String> = vec![dockerfile.to_string(), ".dockerignore".to_string()];
    let text = std::fs::read_to_string(ws.join(dockerfile)).unwrap_or_default();
    if let Ok(df) = Dockerfile::parse(&text) {
        for i in &df.instructions {
            if let Body::Files { sources, .. } = &i.body
                && i.flag("from").is_none()
            {
                files.extend(
                    sources
                        .iter()
                        .map(|s| s.trim_start_matches("./").to_string()),
                );
            }
        }
    }
    let mut newest: Option<(String, i64)> = None;
    let mut consider = |rel: String, path: &Path| {
        let Some(mtime) = modified(path) else { return };
        if mtime > built && newest.as_ref().is_none_or(|(_, t)| mtime > *t) {
            newest = Some((rel, mtime));
        }
    };
    for rel in files {
        let rel = if rel.is_empty() { ".".to_string() } else { rel };
        let path = ws.join(&rel);
        if path.is_dir() {
            // A copied folder: its files, one level deep (the guide's
            // `COPY . .` copies app.py and requirements.txt).
            let Ok(entries) = std::fs::read_dir(&path) else {
                continue;
            };
            for e in entries.flatten().take(MAX_ENTRIES) {
                let name = e.file_name().to_string_lossy().into_owned();
                if name.starts_with('.') || !e.path().is_file() {
                    continue;
                }
                let shown = if rel == "." {
                    name
                } else {
                    format!("{rel}/{name}")
                };
                consider(shown, &e.path());
            }
        } else {
            consider(rel, &path);
        }
    }
    newest
}

fn modified(path: &Path) -> Option<i64> {
    let m = std::fs::metadata(path).ok()?.modified().ok()?;
    let secs = m.duration_since(std::time::UNIX_EPOCH).ok()?.as_secs();
    i64::try_from(secs).ok()
}

/// "The image was built at …, before app.py was saved at …": the image is
/// older than a file it is built from.
pub fn explain(ws: &Path, image: &str, dockerfile: &str, built: i64) -> Option<Diagnosis> {
    let (file, saved) = newest_after(ws, dockerfile, built)?;
    let name = ImageRef::parse(image).familiar();
    let name = name.strip_suffix(":latest").unwrap_or(&name).to_string();
    let build = if dockerfile == "Dockerfile" {
        format!("docker build -t {name} .")
    } else {
        format!("docker build -f {dockerfile} -t {name} .")
    };
    Some(Diagnosis::new(
        format!(
            "the image {name} is older than {file}: built {}, and {file} was saved {} — the image \
             still has the earlier version, so what it says and what your files say disagree",
            utc_time(built),
            utc_time(saved)
        ),
        format!("build again to bring them together: {}", in_dir(ws, &build)),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_newest_copied_file_after_the_build() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("Dockerfile"),
            "FROM python:3.9-slim\nCOPY app.py ./\nCOPY --from=x /y /z\n",
        )
        .unwrap();
        std::fs::write(dir.path().join("app.py"), "print(1)\n").unwrap();
        let now = modified(&dir.path().join("app.py")).unwrap();
        assert_eq!(newest_after(dir.path(), "Dockerfile", now + 10), None);
        let (file, _) = newest_after(dir.path(), "Dockerfile", now - 10).unwrap();
        assert!(file == "app.py" || file == "Dockerfile", "{file}");
        let d = explain(dir.path(), "my-docker-app:latest", "Dockerfile", now - 10).unwrap();
        assert!(
            d.reason
                .starts_with("the image my-docker-app is older than"),
            "{}",
            d.reason
        );
        assert!(
            d.fix.ends_with("docker build -t my-docker-app ."),
            "{}",
            d.fix
        );
    }
}
