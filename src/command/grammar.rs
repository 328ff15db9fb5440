//! The docker CLI's grammar for the commands docktutor runs, as clap
//! definitions. Each argument's help text is also what the live explanation
//! under the prompt says about it (see `explain.rs`): one definition, so the
//! two cannot drift apart.

use clap::{Args, Parser, Subcommand};

use super::safety;

#[derive(Parser, Debug)]
#[command(
    name = "docker",
    disable_help_subcommand = true,
    disable_version_flag = true,
    about = "the Docker command line"
)]
pub struct DockerCli {
    #[command(subcommand)]
    pub command: Sub,
}

#[derive(Subcommand, Debug)]
pub enum Sub {
    /// make an image from a Dockerfile and a build context
    Build(BuildArgs),
    /// start a container from an image and show what it prints
    Run(Box<RunArgs>),
    /// list the images the engine has
    Images(ImagesArgs),
    /// work with images (ls, rm, inspect, history, tag, prune)
    Image {
        #[command(subcommand)]
        command: ImageSub,
    },
    /// list containers (running ones; -a for all)
    Ps(PsArgs),
    /// show what a container printed
    Logs(LogsArgs),
    /// stop running containers
    Stop(ContainersArgs),
    /// remove containers
    Rm(RmArgs),
    /// remove images
    Rmi(RmiArgs),
    /// give an image another name
    Tag(TagArgs),
    /// show the layers of an image and the step that made each
    History(HistoryArgs),
    /// the engine as a whole
    System {
        #[command(subcommand)]
        command: SystemSub,
    },
}

#[derive(Subcommand, Debug)]
pub enum ImageSub {
    /// list the images the engine has
    #[command(visible_alias = "list")]
    Ls(ImagesArgs),
    /// remove images
    #[command(visible_alias = "remove")]
    Rm(RmiArgs),
    /// show everything the engine knows about an image
    Inspect(InspectArgs),
    /// show the layers of an image and the step that made each
    History(HistoryArgs),
    /// give an image another name
    Tag(TagArgs),
    /// remove dangling images (no name left)
    Prune(PruneArgs),
    /// make an image from a Dockerfile and a build context
    Build(BuildArgs),
}

#[derive(Subcommand, Debug)]
pub enum SystemSub {
    /// how much disk images, containers and the build cache take
    Df(DfArgs),
}

#[derive(Args, Debug)]
pub struct BuildArgs {
    /// the name the image gets (name or name:tag; repeat -t for more names)
    #[arg(short = 't', long = "tag", value_name = "NAME[:TAG]")]
    pub tag: Vec<String>,
    /// which Dockerfile to build (default: Dockerfile in the build context)
    #[arg(short = 'f', long = "file", value_name = "FILE")]
    pub file: Option<String>,
    /// build every step again, using no cached layer
    #[arg(long)]
    pub no_cache: bool,
    /// set a build variable (an ARG in the Dockerfile) for this build
    #[arg(long = "build-arg", value_name = "NAME=VALUE")]
    pub build_arg: Vec<String>,
    /// build only up to this stage of a multi-stage Dockerfile
    #[arg(long, value_name = "STAGE")]
    pub target: Option<String>,
    /// how the docker CLI draws progress; docktutor always shows plain lines
    #[arg(long, value_name = "TYPE", value_parser = ["auto", "plain", "tty", "quiet", "rawjson"])]
    pub progress: Option<String>,
    /// look for a newer version of the base image first (needs a registry)
    #[arg(long)]
    pub pull: bool,
    /// the build context: this folder's files, minus .dockerignore
    #[arg(value_name = "PATH")]
    pub context: String,
}

#[derive(Args, Debug)]
pub struct RunArgs {
    /// remove the container when it ends (docktutor always does)
    #[arg(long)]
    pub rm: bool,
    /// run in the background; docktutor shows the output here (x stops it)
    #[arg(short = 'd', long)]
    pub detach: bool,
    /// keep the input open; docktutor's runs take no input
    #[arg(short = 'i', long)]
    pub interactive: bool,
    /// give the container a terminal; docktutor shows plain output
    #[arg(short = 't', long)]
    pub tty: bool,
    /// the name the container gets
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// set an environment variable inside the container
    #[arg(short = 'e', long = "env", value_name = "NAME=VALUE")]
    pub env: Vec<String>,
    /// the most memory the container may use (e.g. 256m)
    #[arg(short = 'm', long, value_name = "BYTES")]
    pub memory: Option<String>,
    /// how many CPUs the container may use (e.g. 0.5)
    #[arg(long, value_name = "CPUS")]
    pub cpus: Option<f64>,
    /// run as this user (name or uid[:gid]) instead of the image's USER
    #[arg(short = 'u', long, value_name = "USER")]
    pub user: Option<String>,
    /// make the container's files read-only
    #[arg(long)]
    pub read_only: bool,
    /// the command the engine runs inside, now and then, to judge the container healthy (exit 0)
    #[arg(long = "health-cmd", value_name = "COMMAND")]
    pub health_cmd: Option<String>,
    /// how long between two health checks (e.g. 5s; Docker's default is 30s)
    #[arg(long = "health-interval", value_name = "DURATION")]
    pub health_interval: Option<String>,
    /// how long one health check may take before it counts as failed (e.g. 3s)
    #[arg(long = "health-timeout", value_name = "DURATION")]
    pub health_timeout: Option<String>,
    /// how many failed checks in a row make the container unhealthy (default 3)
    #[arg(
        long = "health-retries",
        value_name = "N",
        allow_negative_numbers = true
    )]
    pub health_retries: Option<i64>,
    /// a grace time after start when failed checks do not count yet (e.g. 10s)
    #[arg(long = "health-start-period", value_name = "DURATION")]
    pub health_start_period: Option<String>,
    /// turn off the image's HEALTHCHECK for this container
    #[arg(long = "no-healthcheck")]
    pub no_healthcheck: bool,
    /// publish a container port on the host (host:container)
    #[arg(short = 'p', long = "publish", value_name = "HOST:CONTAINER")]
    pub publish: Vec<String>,
    #[arg(long, help = safety::PRIVILEGED)]
    pub privileged: bool,
    #[arg(short = 'v', long = "volume", value_name = "SRC:DST", help = safety::VOLUME)]
    pub volume: Vec<String>,
    /// share a process namespace (host is refused in docktutor)
    #[arg(long, value_name = "NAMESPACE")]
    pub pid: Option<String>,
    /// the network the container joins (none: no network; host is refused in docktutor)
    #[arg(long, visible_alias = "net", value_name = "NETWORK")]
    pub network: Option<String>,
    #[arg(long = "cap-add", value_name = "CAPABILITY", help = safety::CAP_ADD)]
    pub cap_add: Vec<String>,
    #[arg(long, value_name = "DEVICE", help = safety::DEVICE)]
    pub device: Vec<String>,
    /// the image to start a container from
    #[arg(value_name = "IMAGE")]
    pub image: String,
    /// the command to run instead of the image's CMD
    #[arg(
        value_name = "COMMAND",
        trailing_var_arg = true,
        allow_hyphen_values = true
    )]
    pub command: Vec<String>,
}

#[derive(Args, Debug)]
pub struct ImagesArgs {
    /// show intermediate images too
    #[arg(short = 'a', long)]
    pub all: bool,
    /// show only image ids
    #[arg(short = 'q', long)]
    pub quiet: bool,
    /// only images with this name (name or name:tag)
    #[arg(value_name = "REPOSITORY[:TAG]")]
    pub reference: Option<String>,
}

#[derive(Args, Debug)]
pub struct PsArgs {
    /// show stopped containers too, not only running ones
    #[arg(short = 'a', long)]
    pub all: bool,
    /// show only container ids
    #[arg(short = 'q', long)]
    pub quiet: bool,
}

#[derive(Args, Debug)]
pub struct LogsArgs {
    /// show only the last N lines
    #[arg(short = 'n', long, value_name = "N")]
    pub tail: Option<String>,
    /// the container (name or id)
    #[arg(value_name = "CONTAINER")]
    pub container: String,
}

#[derive(Args, Debug)]
pub struct ContainersArgs {
    /// the containers (names or ids)
    #[arg(value_name = "CONTAINER", required = true)]
    pub containers: Vec<String>,
}

#[derive(Args, Debug)]
pub struct RmArgs {
    /// stop a running container before removing it
    #[arg(short = 'f', long)]
    pub force: bool,
    /// the containers (names or ids)
    #[arg(value_name = "CONTAINER", required = true)]
    pub containers: Vec<String>,
}

#[derive(Args, Debug)]
pub struct RmiArgs {
    /// remove the image even when a container or other names use it
    #[arg(short = 'f', long)]
    pub force: bool,
    /// the images (names or ids)
    #[arg(value_name = "IMAGE", required = true)]
    pub images: Vec<String>,
}

#[derive(Args, Debug)]
pub struct TagArgs {
    /// the image that gets another name
    #[arg(value_name = "SOURCE_IMAGE")]
    pub source: String,
    /// the new name (name or name:tag)
    #[arg(value_name = "TARGET_IMAGE")]
    pub target: String,
}

#[derive(Args, Debug)]
pub struct HistoryArgs {
    /// show the full step of each layer, not a shortened one
    #[arg(long)]
    pub no_trunc: bool,
    /// the image
    #[arg(value_name = "IMAGE")]
    pub image: String,
}

#[derive(Args, Debug)]
pub struct InspectArgs {
    /// show only this field, e.g. '{{.Size}}' or '{{.Config.Cmd}}'
    #[arg(short = 'f', long, value_name = "TEMPLATE")]
    pub format: Option<String>,
    /// the images (names or ids)
    #[arg(value_name = "IMAGE", required = true)]
    pub images: Vec<String>,
}

#[derive(Args, Debug)]
pub struct PruneArgs {
    /// remove every image no container uses, not only dangling ones
    #[arg(short = 'a', long)]
    pub all: bool,
    /// do not ask first
    #[arg(short = 'f', long)]
    pub force: bool,
}

#[derive(Args, Debug)]
pub struct DfArgs {
    /// list every image, container and cache entry
    #[arg(short = 'v', long)]
    pub verbose: bool,
}
