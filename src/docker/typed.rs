//! A docker command the learner typed, carried out through the engine API:
//! build and run go through the keys' own `build_with` and `run`; the
//! listing and tidying commands print what the docker CLI prints. Nothing
//! here spawns `docker` or a shell.

use std::collections::HashMap;
use std::path::Path;

use bollard::Docker;
use bollard::container::LogOutput;
use bollard::query_parameters::{
    ListContainersOptions, ListImagesOptions, LogsOptions, PruneImagesOptions,
    RemoveContainerOptions, RemoveImageOptions, StopContainerOptions, TagImageOptions,
};
use futures_util::StreamExt;
use tokio::sync::{mpsc, watch};

use super::BuilderState;
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
fn why(e: bollard::errors::Error) -> String {
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
    };
    super::run(docker, &r.image, &options, events, cancel).await
}

/// Columns as the docker CLI's tab writer aligns them (three spaces apart).
fn table(rows: &[Vec<String>]) -> String {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|s| s.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for row in rows {
        let mut line = String::new();
        for (c, cell) in row.iter().enumerate() {
            if c + 1 == row.len() {
                line.push_str(cell);
            } else {
                line.push_str(&format!("{cell:<w$}   ", w = widths[c]));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// "5 minutes ago", as the CLI says how old something is.
fn ago(unix: i64) -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let s = (now - unix).max(0);
    let (n, unit) = match s {
        0..60 => return "Less than a minute ago".into(),
        60..3600 => (s / 60, "minute"),
        3600..86_400 => (s / 3600, "hour"),
        86_400..1_209_600 => (s / 86_400, "day"),
        1_209_600..5_184_000 => (s / 604_800, "week"),
        5_184_000..63_072_000 => (s / 2_592_000, "month"),
        _ => (s / 31_536_000, "year"),
    };
    format!("{n} {unit}{} ago", if n == 1 { "" } else { "s" })
}

fn short(id: &str) -> String {
    crate::dockerfile::short_id(id)
}

async fn images(
    docker: &Docker,
    all: bool,
    quiet: bool,
    reference: Option<&str>,
) -> Result<String, String> {
    let filters =
        reference.map(|r| HashMap::from([("reference".to_string(), vec![r.to_string()])]));
    let options = ListImagesOptions {
        all,
        filters,
        ..Default::default()
    };
    let mut list = docker.list_images(Some(options)).await.map_err(why)?;
    list.sort_by_key(|i| std::cmp::Reverse(i.created));
    if quiet {
        return Ok(list.iter().map(|i| format!("{}\n", short(&i.id))).collect());
    }
    let mut rows = vec![
        ["REPOSITORY", "TAG", "IMAGE ID", "CREATED", "SIZE"]
            .map(String::from)
            .to_vec(),
    ];
    for i in &list {
        let names = if i.repo_tags.is_empty() {
            vec!["<none>:<none>".to_string()]
        } else {
            i.repo_tags.clone()
        };
        for name in names {
            let (repo, tag) = name.rsplit_once(':').unwrap_or((&name, "<none>"));
            rows.push(vec![
                repo.to_string(),
                tag.to_string(),
                short(&i.id),
                ago(i.created),
                docker_size(i.size.max(0) as u64),
            ]);
        }
    }
    Ok(table(&rows))
}

async fn ps(docker: &Docker, all: bool, quiet: bool) -> Result<String, String> {
    let options = ListContainersOptions {
        all,
        ..Default::default()
    };
    let list = docker.list_containers(Some(options)).await.map_err(why)?;
    let id = |c: &bollard::models::ContainerSummary| short(c.id.as_deref().unwrap_or(""));
    if quiet {
        return Ok(list.iter().map(|c| format!("{}\n", id(c))).collect());
    }
    let mut rows = vec![
        [
            "CONTAINER ID",
            "IMAGE",
            "COMMAND",
            "CREATED",
            "STATUS",
            "NAMES",
        ]
        .map(String::from)
        .to_vec(),
    ];
    for c in &list {
        let command = c.command.clone().unwrap_or_default();
        let command: String = if command.chars().count() > 20 {
            format!("\"{}…\"", command.chars().take(19).collect::<String>())
        } else {
            format!("\"{command}\"")
        };
        let names = c.names.clone().unwrap_or_default();
        let names: Vec<&str> = names.iter().map(|n| n.trim_start_matches('/')).collect();
        rows.push(vec![
            id(c),
            c.image.clone().unwrap_or_default(),
            command,
            c.created.map(ago).unwrap_or_default(),
            c.status.clone().unwrap_or_default(),
            names.join(","),
        ]);
    }
    Ok(table(&rows))
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

async fn history(docker: &Docker, image: &str, no_trunc: bool) -> Result<String, String> {
    let layers = docker.image_history(image).await.map_err(why)?;
    let mut rows = vec![
        ["IMAGE", "CREATED", "CREATED BY", "SIZE", "COMMENT"]
            .map(String::from)
            .to_vec(),
    ];
    for l in &layers {
        let id = if l.id == "<missing>" || no_trunc {
            l.id.clone()
        } else {
            short(&l.id)
        };
        let by = l.created_by.replace('\t', " ");
        let by = if no_trunc || by.chars().count() <= 45 {
            by
        } else {
            format!("{}…", by.chars().take(44).collect::<String>())
        };
        rows.push(vec![
            id,
            ago(l.created),
            by,
            docker_size(l.size.max(0) as u64),
            l.comment.clone(),
        ]);
    }
    Ok(table(&rows))
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

async fn df(docker: &Docker) -> Result<String, String> {
    let usage = docker.df(None).await.map_err(why)?;
    let mut rows = vec![
        ["TYPE", "TOTAL", "ACTIVE", "SIZE", "RECLAIMABLE"]
            .map(String::from)
            .to_vec(),
    ];
    let size = |n: Option<i64>| docker_size(n.unwrap_or(0).max(0) as u64);
    let count = |n: Option<i64>| n.unwrap_or(0).to_string();
    if usage.image_usage.is_none() {
        return df_from_lists(docker).await;
    }
    if let Some(i) = usage.image_usage {
        rows.push(vec![
            "Images".into(),
            count(i.total_count),
            count(i.active_count),
            size(i.total_size),
            size(i.reclaimable),
        ]);
    }
    if let Some(c) = usage.container_usage {
        rows.push(vec![
            "Containers".into(),
            count(c.total_count),
            count(c.active_count),
            size(c.total_size),
            size(c.reclaimable),
        ]);
    }
    if let Some(v) = usage.volume_usage {
        rows.push(vec![
            "Local Volumes".into(),
            count(v.total_count),
            count(v.active_count),
            size(v.total_size),
            size(v.reclaimable),
        ]);
    }
    if let Some(b) = usage.build_cache_usage {
        rows.push(vec![
            "Build Cache".into(),
            count(b.total_count),
            count(b.active_count),
            size(b.total_size),
            size(b.reclaimable),
        ]);
    }
    Ok(table(&rows))
}

/// Engines before API 1.52 answer /system/df in a shape bollard does not
/// read: the same table from the image and container lists (sizes of
/// shared layers count once per image, as `docker images` shows them).
async fn df_from_lists(docker: &Docker) -> Result<String, String> {
    let images = docker
        .list_images(None::<ListImagesOptions>)
        .await
        .map_err(why)?;
    let options = ListContainersOptions {
        all: true,
        size: true,
        ..Default::default()
    };
    let containers = docker.list_containers(Some(options)).await.map_err(why)?;
    let used: std::collections::HashSet<&str> = containers
        .iter()
        .filter_map(|c| c.image_id.as_deref())
        .collect();
    let total: i64 = images.iter().map(|i| i.size).sum();
    let idle: i64 = images
        .iter()
        .filter(|i| !used.contains(i.id.as_str()))
        .map(|i| i.size)
        .sum();
    let active = images
        .iter()
        .filter(|i| used.contains(i.id.as_str()))
        .count();
    let running = containers
        .iter()
        .filter(|c| c.state == Some(bollard::models::ContainerSummaryStateEnum::RUNNING))
        .count();
    let written: i64 = containers.iter().filter_map(|c| c.size_rw).sum();
    let size = |n: i64| docker_size(n.max(0) as u64);
    let rows = vec![
        ["TYPE", "TOTAL", "ACTIVE", "SIZE", "RECLAIMABLE"]
            .map(String::from)
            .to_vec(),
        vec![
            "Images".into(),
            images.len().to_string(),
            active.to_string(),
            size(total),
            size(idle),
        ],
        vec![
            "Containers".into(),
            containers.len().to_string(),
            running.to_string(),
            size(written),
            size(written),
        ],
    ];
    Ok(table(&rows))
}
