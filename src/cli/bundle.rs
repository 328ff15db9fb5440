//! `docktutor bundle -o class.tar`: every base image the lessons start FROM,
//! saved into one file on a machine with the registry, for a classroom
//! without one. The file is what `docker save a b c -o FILE` writes, so
//! `docktutor load FILE` (and the app's `o` key) read it back.
//!
//! Images the engine lacks are pulled first, saying so. A pull that cannot
//! reach a registry fails with the image's name; a pull that stops talking
//! is given up after [`QUIET_LIMIT`] rather than waited on for ever.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use bollard::Docker;
use bollard::query_parameters::CreateImageOptions;
use futures_util::StreamExt;

use super::Setup;
use super::engine::connect_or_explain;

/// How long a pull or the export may go without a word from the engine.
const QUIET_LIMIT: Duration = Duration::from_secs(60);

pub async fn run(setup: &Setup, out: &Path) -> ExitCode {
    let images = setup.lessons.base_images();
    if images.is_empty() {
        eprintln!("docktutor: the lessons start FROM no base image: nothing to bundle");
        return ExitCode::FAILURE;
    }
    let Some(conn) = connect_or_explain(setup).await else {
        return ExitCode::from(125);
    };
    for image in &images {
        if conn.docker.inspect_image(image).await.is_ok() {
            println!("have {image}");
            continue;
        }
        println!("pulling {image} (not in the engine yet)…");
        if let Err(e) = pull(&conn.docker, image).await {
            eprintln!(
                "docktutor: cannot bundle: {image} is not in the engine and could not be pulled: {e}"
            );
            eprintln!("  on a machine with internet access, run docktutor bundle there");
            return ExitCode::FAILURE;
        }
    }
    match save(&conn.docker, &images, out).await {
        Ok(bytes) => {
            println!(
                "saved {} images ({}) to {}: {}",
                images.len(),
                crate::text::human_bytes(bytes),
                out.display(),
                images.join(", ")
            );
            println!(
                "on each learner's machine: docktutor load {}",
                out.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!(
                "docktutor: cannot save the images to {}: {e}",
                out.display()
            );
            ExitCode::FAILURE
        }
    }
}

/// Pulls `image` (`name[:tag]`, `latest` when no tag), like `docker pull`.
async fn pull(docker: &Docker, image: &str) -> Result<(), String> {
    let reference = crate::dockerfile::ImageRef::parse(image);
    let repo = match &reference.registry {
        Some(r) => format!("{r}/{}", reference.name),
        None => reference.name.clone(),
    };
    let options = CreateImageOptions {
        from_image: Some(repo),
        tag: Some(reference.tag.unwrap_or_else(|| "latest".into())),
        ..Default::default()
    };
    let mut stream = docker.create_image(Some(options), None, None);
    loop {
        match tokio::time::timeout(QUIET_LIMIT, stream.next()).await {
            Err(_) => return Err(format!("the engine said nothing for {QUIET_LIMIT:?}")),
            Ok(None) => return Ok(()),
            Ok(Some(Err(e))) => return Err(why(e)),
            Ok(Some(Ok(info))) => {
                if let Some(e) = info.error_detail.and_then(|d| d.message) {
                    return Err(e);
                }
            }
        }
    }
}

/// The engine's own sentence for a failure, else what went wrong.
fn why(e: bollard::errors::Error) -> String {
    match e {
        bollard::errors::Error::DockerResponseServerError { message, .. } => message,
        other => format!("the engine did not answer ({other})"),
    }
}

/// Writes the engine's `docker save` stream of `images` to `out` through a
/// temporary file beside it: a failure never leaves half a bundle at `out`.
async fn save(docker: &Docker, images: &[String], out: &Path) -> Result<u64, String> {
    let names: Vec<&str> = images.iter().map(String::as_str).collect();
    let partial = partial_path(out);
    let result = async {
        let mut file = std::fs::File::create(&partial)
            .map_err(|e| format!("cannot create {}: {e}", partial.display()))?;
        let mut stream = docker.export_images(&names);
        let mut written = 0u64;
        loop {
            match tokio::time::timeout(QUIET_LIMIT, stream.next()).await {
                Err(_) => return Err(format!("the engine said nothing for {QUIET_LIMIT:?}")),
                Ok(None) => break,
                Ok(Some(Err(e))) => return Err(why(e)),
                Ok(Some(Ok(chunk))) => {
                    file.write_all(&chunk).map_err(|e| e.to_string())?;
                    written += chunk.len() as u64;
                }
            }
        }
        file.sync_all().map_err(|e| e.to_string())?;
        std::fs::rename(&partial, out).map_err(|e| e.to_string())?;
        Ok(written)
    }
    .await;
    if result.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    result
}

/// `class.tar` → `.class.tar.partial`, in the same folder (so the final
/// rename stays on one file system).
fn partial_path(out: &Path) -> PathBuf {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "bundle.tar".into());
    out.with_file_name(format!(".{name}.partial"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_partial_file_sits_beside_the_bundle() {
        assert_eq!(
            partial_path(Path::new("/tmp/x/class.tar")),
            Path::new("/tmp/x/.class.tar.partial")
        );
        assert_eq!(
            partial_path(Path::new("c.tar")),
            Path::new(".c.tar.partial")
        );
    }
}
