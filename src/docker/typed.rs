//! A docker command the learner typed, carried out through the engine API:
//! build and run go through the keys' own `build_with` and `run`; the
//! other commands print what the docker CLI prints (the listings are in
//! `listing.rs`). Nothing here spawns `docker` or a shell.

use std::collections::HashMap;
use std::path::Path;

use bollard::Docker;
use bollard::container::LogOutput;
use bollard::query_parameters::{
    ListImagesOptions, LogsOptions, PruneImagesOptions, RemoveContainerOptions, RemoveImageOptions,
    StopContainerOptions, TagImageOptions,
};
use futures_util::StreamExt;
use tokio::sync::{mpsc, watch};

use super::BuilderState;
use super::listing::{df, history, images, ps};
use crate::command::{Build, DockerCommand, Run};
use crate::engine::{BuildFailure, BuildOptions, JobEvent, JobOutcome, RunOptions};
use crate::text::docker_size;

/// Runs `command` with `workdir` as the folder paths are resolved against.
pub async fn typed(
    docker: &Docker,
    builder: &BuilderState,
    workdir: &Path,
    command: &DockerCommand,
    events: &mpsc::Sender<JobEvent>,
    cancel: watch::Receiver<bool>,
) -> JobOutcome {
    let name = command.name().to_string();
    if let Some(message) = super::learner::typed_refusal(command) {
        return JobOutcome::CommandFailed {
            command: name,
            message,
        };
    }
    let say = |text: String| async move {
        let _ = events.send(JobEvent::Output(text.into_bytes())).await;
    };
    let answer = match command {
        DockerCommand::Build(b) => return build(docker, builder, workdir, b, events).await,
        DockerCommand::Run(r) => return run(docker, r, events, cancel).await,
        DockerCommand::Images {
            all,
            quiet,
            reference,
        } => images(docker, *all, *quiet, reference.as_deref()).await,
        DockerCommand::Ps { all, quiet } => ps(docker, *all, *quiet).await,
        DockerCommand::Logs { container, tail } => {
            logs(docker, container, tail.as_deref(), events).await
        }
        DockerCommand::Stop { containers } => {
            each(containers, |c| async move {
                let options = StopContainerOptions::default();
                docker.stop_container(&c, Some(options)).await.map(|()| c)
            })
            .await
        }
        DockerCommand::Rm { containers, force } => {
            each(containers, |c| async move {
                let options = RemoveContainerOptions {
                    force: *force,
                    ..Default::default()
                };
                docker.remove_container(&c, Some(options)).await.map(|()| c)
            })
            .await
        }
        DockerCommand::Rmi { images, force } => rmi(docker, images, *force).await,
        DockerCommand::Tag { source, target } => {
            tag(docker, source, target).await.map(|()| String::new())
        }
        DockerCommand::History { image, no_trunc } => history(docker, image, *no_trunc).await,
        DockerCommand::ImageInspect { images, format } => {
            inspect(docker, images, format.as_deref()).await
        }
        DockerCommand::ImagePrune { all, force } => prune(docker, *all, *force).await,
        DockerCommand::SystemDf { .. } => df(docker).await,
    };
    match answer {
        Ok(text) => {
            if !text.is_empty() {
                say(text).await;
            }
            JobOutcome::Answered { command: name }
        }
        Err(message) => JobOutcome::CommandFailed {
            command: name,
            message,
        },
    }
}

/// The engine's own sentence for a failure ("No such image: app:latest").
pub(super) fn why(e: bollard::errors::Error) -> String {
    match e {
        bollard::errors::Error::DockerResponseServerError { message, .. } => message,
        other => format!("the engine did not answer ({other})"),
    }
}

/// Gives `image` the name `target` (`name` or `name:tag`).
pub async fn tag(docker: &Docker, image: &str, target: &str) -> Result<(), String> {
    let parsed = crate::dockerfile::ImageRef::parse(target);
    let repo = match &parsed.registry {
        Some(r) => format!("{r}/{}", parsed.name),
        None => parsed.name.clone(),
    };
    let options = TagImageOptions {
        repo: Some(repo),
        tag: Some(parsed.tag.unwrap_or_else(|| "latest".into())),
    };
    docker.tag_image(image, Some(options)).await.map_err(why)
}

async fn build(
    docker: &Docker,
    builder: &BuilderState,
    workdir: &Path,
    b: &Build,
    events: &mpsc::Sender<JobEvent>,
) -> JobOutcome {
    let context = workdir.join(&b.context);
    // -f is read from where the learner stands (the workspace); the engine
    // wants it inside the context.
    let dockerfile = match &b.file {
        None => None,
        Some(f) => {
            let path = crate::command::safety::lexical(&workdir.join(f));
            match path.strip_prefix(crate::command::safety::lexical(&context)) {
                Ok(rel) => Some(rel.to_string_lossy().into_owned()),
                Err(_) => {
                    return JobOutcome::BuildFailed(BuildFailure::plain(format!(
                        "-f {f}: docktutor builds a Dockerfile inside the build context {}",
                        b.context
                    )));
                }
            }
        }
    };
    if let Some(p) = &b.progress {
        let note = format!("--progress {p}: docktutor shows the build as plain lines\n");
        let _ = events.send(JobEvent::Output(note.into_bytes())).await;
    }
    let first = b.tags.first().cloned().unwrap_or_default();
    let options = BuildOptions {
        more_tags: b.tags.iter().skip(1).cloned().collect(),
        no_cache: b.no_cache,
        build_args: b.build_args.clone(),
        target: b.target.clone(),
        pull: b.pull,
    };
    super::build::build_with(
        docker,
        &context,
        dockerfile.as_deref(),
        &first,
        &options,
        builder,
        events,
    )
    .await
}

async fn run(
    docker: &Docker,
    r: &Run,
    events: &mpsc::Sender<JobEvent>,
    cancel: watch::Receiver<bool>,
) -> JobOutcome {
    let mut notes = Vec::new();
    if r.detach {
        notes.push("-d: docktutor shows the output here; stop it with x (Ctrl-C headless)");
    }
    if !r.publish.is_empty() {
        notes.push("-p: docktutor does not publish ports; your own shell does");
    }
    if r.interactive || r.tty {
        notes.push("-i/-t: docktutor's runs take no input and print plain lines");
    }
    for n in notes {
        let _ = events
            .send(JobEvent::Output(format!("{n}\n").into_bytes()))
            .await;
    }
    let options = RunOptions {
        memory: r.memory,
        nano_cpus: r.nano_cpus,
        until_healthy: None,
        name: r.name.clone(),
        env: r.env.clone(),
        user: r.user.clone(),
        read_only: r.read_only,
        network: r.network.clone(),
        command: r.command.clone(),
        health: r.health.clone(),
    };
    super::run(docker, &r.image, &options, events, cancel).await
}

async fn logs(
    docker: &Docker,
    container: &str,
    tail: Option<&str>,
    events: &mpsc::Sender<JobEvent>,
) -> Result<String, String> {
    let options = LogsOptions {
        stdout: true,
        stderr: true,
        tail: tail.unwrap_or("all").to_string(),
        ..Default::default()
    };
    let mut stream = docker.logs(container, Some(options));
    while let Some(item) = stream.next().await {
        match item.map_err(why)? {
            LogOutput::StdOut { message }
            | LogOutput::StdErr { message }
            | LogOutput::Console { message } => {
                let _ = events.send(JobEvent::Output(message.to_vec())).await;
            }
            LogOutput::StdIn { .. } => {}
        }
    }
    Ok(String::new())
}

/// Does `job` for each name, printing each name done, as stop and rm do.
async fn each<F, Fut>(names: &[String], job: F) -> Result<String, String>
where
    F: Fn(String) -> Fut,
    Fut: std::future::Future<Output = Result<String, bollard::errors::Error>>,
{
    let mut out = String::new();
    for n in names {
        match job(n.clone()).await {
            Ok(done) => out.push_str(&format!("{done}\n")),
            Err(e) => return Err(format!("{out}{}", why(e))),
        }
    }
    Ok(out)
}

async fn rmi(docker: &Docker, images: &[String], force: bool) -> Result<String, String> {
    let mut out = String::new();
    for image in images {
        let options = RemoveImageOptions {
            force,
            ..Default::default()
        };
        match docker.remove_image(image, Some(options), None).await {
            Ok(items) => {
                for i in items {
                    if let Some(u) = i.untagged {
                        out.push_str(&format!("Untagged: {u}\n"));
                    }
                    if let Some(d) = i.deleted {
                        out.push_str(&format!("Deleted: {d}\n"));
                    }
                }
            }
            Err(e) => return Err(format!("{out}{}", why(e))),
        }
    }
    Ok(out)
}

async fn inspect(
    docker: &Docker,
    images: &[String],
    format: Option<&str>,
) -> Result<String, String> {
    let mut values = Vec::new();
    for image in images {
        let found = docker.inspect_image(image).await.map_err(why)?;
        values.push(serde_json::to_value(found).map_err(|e| e.to_string())?);
    }
    match format {
        Some(template) => {
            let mut out = String::new();
            for v in &values {
                out.push_str(&crate::command::format::apply(template, v)?);
                out.push('\n');
            }
            Ok(out)
        }
        None => serde_json::to_string_pretty(&values)
            .map(|s| format!("{s}\n"))
            .map_err(|e| e.to_string()),
    }
}

async fn prune(docker: &Docker, all: bool, force: bool) -> Result<String, String> {
    let dangling = if all { "false" } else { "true" };
    let filters = HashMap::from([("dangling".to_string(), vec![dangling.to_string()])]);
    if !force {
        // The CLI asks "Are you sure?"; a prompt line cannot, so it shows
        // what would go and waits for -f.
        let options = ListImagesOptions {
            filters: Some(filters),
            ..Default::default()
        };
        let list = docker.list_images(Some(options)).await.map_err(why)?;
        let what = if all {
            "images no container uses"
        } else {
            "dangling images"
        };
        return Ok(format!(
            "This would remove {} {what}. Add -f to remove them: docker image prune{} -f\n",
            list.len(),
            if all { " -a" } else { "" }
        ));
    }
    let options = PruneImagesOptions {
        filters: Some(filters),
    };
    let pruned = docker.prune_images(Some(options)).await.map_err(why)?;
    let mut out = String::new();
    for i in pruned.images_deleted.unwrap_or_default() {
        if let Some(d) = i.deleted.or(i.untagged) {
            out.push_str(&format!("deleted: {d}\n"));
        }
    }
    let freed = pruned.space_reclaimed.unwrap_or(0).max(0) as u64;
    out.push_str(&format!("Total reclaimed space: {}\n", docker_size(freed)));
    Ok(out)
}
