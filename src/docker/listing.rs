//! The read-only answers of typed commands, printed as the docker CLI
//! prints them: `docker images`, `ps`, `history` and `system df`.

use std::collections::HashMap;

use bollard::Docker;
use bollard::query_parameters::{ListContainersOptions, ListImagesOptions};

use super::typed::why;
use crate::text::docker_size;

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

pub(super) async fn images(
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

pub(super) async fn ps(docker: &Docker, all: bool, quiet: bool) -> Result<String, String> {
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

pub(super) async fn history(
    docker: &Docker,
    image: &str,
    no_trunc: bool,
) -> Result<String, String> {
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

pub(super) async fn df(docker: &Docker) -> Result<String, String> {
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
