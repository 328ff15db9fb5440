//! What a typed command means, as plain data, and whether two typed
//! commands mean the same (`docker build . -t app` and
//! `docker build --tag app .` do).

use std::collections::BTreeMap;
use std::path::Path;

use super::grammar::{BuildArgs, ImageSub, RunArgs, Sub, SystemSub};
use super::{CommandError, safety};
use crate::engine::{Health, normalize_ref, parse_duration, parse_memory};

#[derive(Debug, Clone, PartialEq)]
pub enum DockerCommand {
    Build(Build),
    Run(Run),
    Images {
        all: bool,
        quiet: bool,
        reference: Option<String>,
    },
    Ps {
        all: bool,
        quiet: bool,
    },
    Logs {
        container: String,
        tail: Option<String>,
    },
    Stop {
        containers: Vec<String>,
    },
    Rm {
        containers: Vec<String>,
        force: bool,
    },
    Rmi {
        images: Vec<String>,
        force: bool,
    },
    Tag {
        source: String,
        target: String,
    },
    History {
        image: String,
        no_trunc: bool,
    },
    ImageInspect {
        images: Vec<String>,
        format: Option<String>,
    },
    ImagePrune {
        all: bool,
        force: bool,
    },
    SystemDf {
        verbose: bool,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Build {
    /// As typed; `tags()` gives them normalised.
    pub tags: Vec<String>,
    /// Relative to the workspace, as typed (`None`: the context's Dockerfile).
    pub file: Option<String>,
    pub no_cache: bool,
    pub build_args: BTreeMap<String, String>,
    pub target: Option<String>,
    /// Only how the CLI draws progress: not part of the meaning.
    pub progress: Option<String>,
    pub pull: bool,
    /// Relative to the workspace, as typed.
    pub context: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    pub rm: bool,
    pub detach: bool,
    pub interactive: bool,
    pub tty: bool,
    pub name: Option<String>,
    pub env: Vec<String>,
    /// In bytes.
    pub memory: Option<i64>,
    /// In billionths of a CPU.
    pub nano_cpus: Option<i64>,
    pub user: Option<String>,
    pub read_only: bool,
    /// `--network` other than `host` (refused).
    pub network: Option<String>,
    pub publish: Vec<Publish>,
    /// `--health-*` / `--no-healthcheck`.
    pub health: Option<Health>,
    pub image: String,
    pub command: Vec<String>,
}

/// A health check given at run time, in words (for what differs between
/// two typed commands).
fn describe_health(h: &Health) -> String {
    let secs = |ns: Option<i64>| ns.map(|n| format!("{}s", n as f64 / 1e9));
    let mut parts = vec![match h.test.as_slice() {
        [none] if none == "NONE" => "off".to_string(),
        [_, cmd] => cmd.clone(),
        _ => "the image's".to_string(),
    }];
    parts.extend(secs(h.interval).map(|s| format!("every {s}")));
    parts.extend(secs(h.timeout).map(|s| format!("timeout {s}")));
    parts.extend(secs(h.start_period).map(|s| format!("grace {s}")));
    parts.extend(h.retries.map(|n| format!("{n} retries")));
    parts.join(", ")
}

/// `-p [IP:]HOST:CONTAINER[/PROTO]` or `-p CONTAINER`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Publish {
    pub host: Option<String>,
    pub container: String,
}

impl Publish {
    pub fn parse(text: &str) -> Option<Publish> {
        let (port, _proto) = text.split_once('/').unwrap_or((text, "tcp"));
        let mut parts: Vec<&str> = port.rsplitn(3, ':').collect();
        parts.reverse();
        let ok = |p: &str| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit() || c == '-');
        match parts.as_slice() {
            [c] if ok(c) => Some(Publish {
                host: None,
                container: (*c).to_string(),
            }),
            [h, c] | [_, h, c] if ok(c) && (h.is_empty() || ok(h)) => Some(Publish {
                host: (!h.is_empty()).then(|| (*h).to_string()),
                container: (*c).to_string(),
            }),
            _ => None,
        }
    }

    /// "host port 8080 → container port 80".
    pub fn describe(&self) -> String {
        match &self.host {
            Some(h) => format!("host port {h} → container port {}", self.container),
            None => format!("a free host port → container port {}", self.container),
        }
    }
}

impl DockerCommand {
    pub(super) fn from_grammar(sub: Sub, workspace: &Path) -> Result<DockerCommand, CommandError> {
        Ok(match sub {
            Sub::Build(b)
            | Sub::Image {
                command: ImageSub::Build(b),
            } => DockerCommand::Build(build(b, workspace)?),
            Sub::Run(r) => DockerCommand::Run(run(*r, workspace)?),
            Sub::Images(a)
            | Sub::Image {
                command: ImageSub::Ls(a),
            } => DockerCommand::Images {
                all: a.all,
                quiet: a.quiet,
                reference: a.reference,
            },
            Sub::Ps(a) => DockerCommand::Ps {
                all: a.all,
                quiet: a.quiet,
            },
            Sub::Logs(a) => DockerCommand::Logs {
                container: a.container,
                tail: a.tail,
            },
            Sub::Stop(a) => DockerCommand::Stop {
                containers: a.containers,
            },
            Sub::Rm(a) => DockerCommand::Rm {
                containers: a.containers,
                force: a.force,
            },
            Sub::Rmi(a)
            | Sub::Image {
                command: ImageSub::Rm(a),
            } => DockerCommand::Rmi {
                images: a.images,
                force: a.force,
            },
            Sub::Tag(a)
            | Sub::Image {
                command: ImageSub::Tag(a),
            } => {
                safety::image_name(&a.target)?;
                DockerCommand::Tag {
                    source: a.source,
                    target: a.target,
                }
            }
            Sub::History(a)
            | Sub::Image {
                command: ImageSub::History(a),
            } => DockerCommand::History {
                image: a.image,
                no_trunc: a.no_trunc,
            },
            Sub::Image {
                command: ImageSub::Inspect(a),
            } => DockerCommand::ImageInspect {
                images: a.images,
                format: a.format,
            },
            Sub::Image {
                command: ImageSub::Prune(a),
            } => DockerCommand::ImagePrune {
                all: a.all,
                force: a.force,
            },
            Sub::System {
                command: SystemSub::Df(a),
            } => DockerCommand::SystemDf { verbose: a.verbose },
        })
    }

    /// `docker build`, `docker image ls`: the command's name, normalised.
    pub fn name(&self) -> &'static str {
        match self {
            DockerCommand::Build(_) => "docker build",
            DockerCommand::Run(_) => "docker run",
            DockerCommand::Images { .. } => "docker images",
            DockerCommand::Ps { .. } => "docker ps",
            DockerCommand::Logs { .. } => "docker logs",
            DockerCommand::Stop { .. } => "docker stop",
            DockerCommand::Rm { .. } => "docker rm",
            DockerCommand::Rmi { .. } => "docker rmi",
            DockerCommand::Tag { .. } => "docker tag",
            DockerCommand::History { .. } => "docker history",
            DockerCommand::ImageInspect { .. } => "docker image inspect",
            DockerCommand::ImagePrune { .. } => "docker image prune",
            DockerCommand::SystemDf { .. } => "docker system df",
        }
    }

    /// The meaning as (aspect, value) pairs, normalised so that spellings
    /// of the same command compare equal.
    pub fn facets(&self) -> BTreeMap<&'static str, String> {
        let mut f = BTreeMap::new();
        let yes = |b: bool| if b { "yes" } else { "no" }.to_string();
        let list = |v: &[String]| v.join(" ");
        let opt = |o: &Option<String>| o.clone().unwrap_or_else(|| "(none)".into());
        match self {
            DockerCommand::Build(b) => {
                let mut tags: Vec<String> = b.tags.iter().map(|t| normalize_ref(t)).collect();
                tags.sort();
                tags.dedup();
                f.insert("the image name", list(&tags));
                f.insert("the Dockerfile", b.dockerfile_path());
                f.insert("the build context", path_text(&b.context));
                f.insert("--no-cache", yes(b.no_cache));
                let args: Vec<String> = b
                    .build_args
                    .iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect();
                f.insert("the build arguments", list(&args));
                f.insert("the target stage", opt(&b.target));
                f.insert("--pull", yes(b.pull));
            }
            DockerCommand::Run(r) => {
                f.insert("the image", normalize_ref(&r.image));
                f.insert("the command", list(&r.command));
                f.insert("the container name", opt(&r.name));
                let mut env = r.env.clone();
                env.sort();
                f.insert("the environment", list(&env));
                f.insert(
                    "--memory",
                    r.memory.map(|m| m.to_string()).unwrap_or_default(),
                );
                f.insert(
                    "--cpus",
                    r.nano_cpus.map(|c| c.to_string()).unwrap_or_default(),
                );
                f.insert("the user", opt(&r.user));
                f.insert("--read-only", yes(r.read_only));
                f.insert(
                    "the health check",
                    r.health.as_ref().map(describe_health).unwrap_or_default(),
                );
                f.insert("the network", opt(&r.network));
                f.insert("-d", yes(r.detach));
                let ports: Vec<String> = r.publish.iter().map(Publish::describe).collect();
                f.insert("the published ports", list(&ports));
            }
            DockerCommand::Images {
                all,
                quiet,
                reference,
            } => {
                f.insert("-a", yes(*all));
                f.insert("-q", yes(*quiet));
                f.insert("the name listed", opt(reference));
            }
            DockerCommand::Ps { all, quiet } => {
                f.insert("-a", yes(*all));
                f.insert("-q", yes(*quiet));
            }
            DockerCommand::Logs { container, tail } => {
                f.insert("the container", container.clone());
                f.insert("--tail", opt(tail));
            }
            DockerCommand::Stop { containers } => {
                f.insert("the containers", list(containers));
            }
            DockerCommand::Rm { containers, force } => {
                f.insert("the containers", list(containers));
                f.insert("-f", yes(*force));
            }
            DockerCommand::Rmi { images, force } => {
                let images: Vec<String> = images.iter().map(|i| normalize_ref(i)).collect();
                f.insert("the images", list(&images));
                f.insert("-f", yes(*force));
            }
            DockerCommand::Tag { source, target } => {
                f.insert("the image", normalize_ref(source));
                f.insert("the new name", normalize_ref(target));
            }
            DockerCommand::History { image, no_trunc } => {
                f.insert("the image", normalize_ref(image));
                f.insert("--no-trunc", yes(*no_trunc));
            }
            DockerCommand::ImageInspect { images, format } => {
                let images: Vec<String> = images.iter().map(|i| normalize_ref(i)).collect();
                f.insert("the images", list(&images));
                f.insert("--format", opt(format));
            }
            DockerCommand::ImagePrune { all, force } => {
                f.insert("-a", yes(*all));
                f.insert("-f", yes(*force));
            }
            DockerCommand::SystemDf { verbose } => {
                f.insert("-v", yes(*verbose));
            }
        }
        f
    }

    /// What differs between this command (the learner's) and `expected`
    /// (the lesson's); empty when they mean the same.
    pub fn differences(&self, expected: &DockerCommand) -> Vec<Difference> {
        if self.name() != expected.name() {
            return vec![Difference {
                aspect: "the command",
                typed: self.name().to_string(),
                expected: expected.name().to_string(),
            }];
        }
        let (mine, theirs) = (self.facets(), expected.facets());
        theirs
            .iter()
            .filter_map(|(aspect, want)| {
                let got = mine.get(aspect).cloned().unwrap_or_default();
                (got != *want).then(|| Difference {
                    aspect,
                    typed: got,
                    expected: want.clone(),
                })
            })
            .collect()
    }

    pub fn equivalent(&self, other: &DockerCommand) -> bool {
        self.differences(other).is_empty()
    }
}

/// One way two commands differ.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    pub aspect: &'static str,
    pub typed: String,
    pub expected: String,
}

impl std::fmt::Display for Difference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let show = |s: &str| {
            if s.is_empty() {
                "(none)".to_string()
            } else {
                s.to_string()
            }
        };
        write!(
            f,
            "{}: you typed {}, the lesson's is {}",
            self.aspect,
            show(&self.typed),
            show(&self.expected)
        )
    }
}

impl Build {
    /// The Dockerfile's path relative to the workspace, normalised.
    pub fn dockerfile_path(&self) -> String {
        match &self.file {
            Some(f) => path_text(f),
            None => path_text(&format!("{}/Dockerfile", self.context)),
        }
    }
}

/// `./a/../b/` → `b`; `./` → `.`.
fn path_text(p: &str) -> String {
    let l = safety::lexical(Path::new(p));
    let s = l.to_string_lossy().into_owned();
    if s.is_empty() { ".".into() } else { s }
}

fn build(b: BuildArgs, workspace: &Path) -> Result<Build, CommandError> {
    for t in &b.tag {
        safety::image_name(t)?;
    }
    if !safety::inside(&workspace.join(&b.context), workspace) {
        return Err(CommandError::OutsideWorkspace {
            path: b.context.clone(),
        });
    }
    let mut build_args = BTreeMap::new();
    for a in &b.build_arg {
        // `--build-arg NAME` takes the value from the environment: not here.
        let (k, v) = a.split_once('=').ok_or_else(|| CommandError::BadValue {
            flag: "--build-arg".into(),
            value: a.clone(),
            why: "write it as NAME=VALUE".into(),
        })?;
        build_args.insert(k.to_string(), v.to_string());
    }
    Ok(Build {
        tags: b.tag,
        file: b.file,
        no_cache: b.no_cache,
        build_args,
        target: b.target,
        progress: b.progress,
        pull: b.pull,
        context: b.context,
    })
}

/// The `--health-*` flags as the engine wants them, refused where the
/// docker CLI refuses them (negative, unreadable, or with
/// `--no-healthcheck`).
fn health(r: &RunArgs) -> Result<Option<Health>, CommandError> {
    let duration = |flag: &str, value: &Option<String>| -> Result<Option<i64>, CommandError> {
        let Some(text) = value else {
            return Ok(None);
        };
        match parse_duration(text) {
            Some(ns) if ns == 0 || ns >= 1_000_000 => Ok(Some(ns)),
            Some(_) => Err(CommandError::BadValue {
                flag: flag.into(),
                value: text.clone(),
                why: "the engine takes 0 or at least 1ms".into(),
            }),
            None => Err(CommandError::BadValue {
                flag: flag.into(),
                value: text.clone(),
                why: "write a duration with its unit, e.g. 5s, 500ms or 1m30s".into(),
            }),
        }
    };
    let interval = duration("--health-interval", &r.health_interval)?;
    let timeout = duration("--health-timeout", &r.health_timeout)?;
    let start_period = duration("--health-start-period", &r.health_start_period)?;
    if let Some(n) = r.health_retries.filter(|n| *n < 0) {
        return Err(CommandError::BadValue {
            flag: "--health-retries".into(),
            value: n.to_string(),
            why: "write 0 or more".into(),
        });
    }
    let any = r.health_cmd.is_some()
        || interval.is_some()
        || timeout.is_some()
        || start_period.is_some()
        || r.health_retries.is_some();
    if r.no_healthcheck {
        if any {
            return Err(CommandError::BadValue {
                flag: "--no-healthcheck".into(),
                value: String::new(),
                why: "it turns the health check off, so --health-* options cannot go with it"
                    .into(),
            });
        }
        return Ok(Some(Health {
            test: vec!["NONE".into()],
            ..Health::default()
        }));
    }
    Ok(any.then(|| Health {
        test: r
            .health_cmd
            .iter()
            .flat_map(|c| ["CMD-SHELL".to_string(), c.clone()])
            .collect(),
        interval,
        timeout,
        start_period,
        retries: r.health_retries,
    }))
}

fn run(r: RunArgs, workspace: &Path) -> Result<Run, CommandError> {
    if let Some(refusal) = safety::refused(&r, workspace) {
        return Err(refusal);
    }
    safety::image_name(&r.image)?;
    let memory = match &r.memory {
        Some(m) => Some(parse_memory(m).ok_or_else(|| CommandError::BadValue {
            flag: "--memory".into(),
            value: m.clone(),
            why: "write a number with b, k, m or g, e.g. 256m".into(),
        })?),
        None => None,
    };
    if let Some(c) = r.cpus
        && !(c > 0.0 && c.is_finite())
    {
        return Err(CommandError::BadValue {
            flag: "--cpus".into(),
            value: c.to_string(),
            why: "write a number above 0, e.g. 0.5".into(),
        });
    }
    let publish = r
        .publish
        .iter()
        .map(|p| {
            Publish::parse(p).ok_or_else(|| CommandError::BadValue {
                flag: "-p".into(),
                value: p.clone(),
                why: "write HOST:CONTAINER, e.g. 8080:80".into(),
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let health = health(&r)?;
    Ok(Run {
        health,
        rm: r.rm,
        detach: r.detach,
        interactive: r.interactive,
        tty: r.tty,
        name: r.name,
        env: r.env,
        memory,
        nano_cpus: r.cpus.map(|c| (c * 1e9).round() as i64),
        user: r.user,
        read_only: r.read_only,
        network: r.network,
        publish,
        image: r.image,
        command: r.command,
    })
}
