//! Which builder a build goes through, decided as the docker CLI decides it:
//! `--builder`, then `DOCKER_BUILDKIT`, then what the engine can do.

use std::fmt;

/// The engine's two builders.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Builder {
    /// The legacy builder (`Step 3/6 : …`, `---> Using cache`).
    Classic,
    /// BuildKit (`#7 [3/5] COPY …`, `#7 CACHED`), the default since Docker 23.0.
    BuildKit,
}

impl Builder {
    /// `classic` / `buildkit`, as `--builder` takes them.
    pub fn parse(text: &str) -> Option<Builder> {
        match text.trim().to_ascii_lowercase().as_str() {
            "classic" | "legacy" => Some(Builder::Classic),
            "buildkit" => Some(Builder::BuildKit),
            _ => None,
        }
    }
}

impl fmt::Display for Builder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Builder::Classic => "classic builder",
            Builder::BuildKit => "BuildKit",
        })
    }
}

/// The builder in use, and why — shown in the status bar, help and `doctor`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuilderChoice {
    pub builder: Builder,
    pub why: String,
}

impl BuilderChoice {
    pub fn new(builder: Builder, why: impl Into<String>) -> BuilderChoice {
        BuilderChoice {
            builder,
            why: why.into(),
        }
    }
}

/// What the engine said about itself that the choice depends on.
#[derive(Debug, Clone, Copy)]
pub struct EngineTraits<'a> {
    /// `1.41`.
    pub api_version: &'a str,
    /// `linux`, `windows`.
    pub os: &'a str,
    /// The first component's name: `Docker Engine`, `Podman Engine`.
    pub name: &'a str,
}

/// BuildKit answers builds from API 1.39 (Docker 18.09) on.
const BUILDKIT_MIN_API: (u32, u32) = (1, 39);

/// `--builder` wins, then `DOCKER_BUILDKIT` (a boolean, as the CLI reads
/// it), then BuildKit wherever the engine has it.
pub fn choose(flag: Option<Builder>, env: Option<&str>, engine: EngineTraits<'_>) -> BuilderChoice {
    let cannot = buildkit_missing(engine);
    let asked = match (flag, env.map(str::trim).filter(|v| !v.is_empty())) {
        (Some(b), _) => Some((b, format!("--builder {}", flag_word(b)))),
        (None, Some(v)) => match parse_bool(v) {
            Some(true) => Some((Builder::BuildKit, format!("DOCKER_BUILDKIT={v}"))),
            Some(false) => Some((Builder::Classic, format!("DOCKER_BUILDKIT={v}"))),
            None => {
                return default_choice(
                    cannot,
                    &format!(" (DOCKER_BUILDKIT={v} is not a boolean: ignored)"),
                );
            }
        },
        (None, None) => None,
    };
    match asked {
        Some((Builder::BuildKit, source)) => match cannot {
            Some(reason) => BuilderChoice::new(
                Builder::Classic,
                format!("{source} asks for BuildKit, but {reason}"),
            ),
            None => BuilderChoice::new(Builder::BuildKit, source),
        },
        Some((Builder::Classic, source)) => BuilderChoice::new(Builder::Classic, source),
        None => default_choice(cannot, ""),
    }
}

fn default_choice(cannot: Option<String>, note: &str) -> BuilderChoice {
    match cannot {
        Some(reason) => BuilderChoice::new(Builder::Classic, format!("{reason}{note}")),
        None => BuilderChoice::new(
            Builder::BuildKit,
            format!("the engine's default, as for docker build{note}"),
        ),
    }
}

/// Why this engine has no BuildKit for us, if it has none.
fn buildkit_missing(engine: EngineTraits<'_>) -> Option<String> {
    if engine.os.eq_ignore_ascii_case("windows") {
        return Some("a Windows engine has no BuildKit".into());
    }
    if engine.name.to_ascii_lowercase().contains("podman") {
        return Some("Podman builds with Buildah, not BuildKit".into());
    }
    let (major, minor) = engine.api_version.split_once('.')?;
    let version = (major.trim().parse().ok()?, minor.trim().parse().ok()?);
    (version < BUILDKIT_MIN_API).then(|| {
        format!(
            "API {} is older than 1.39, the first with BuildKit",
            engine.api_version
        )
    })
}

fn flag_word(b: Builder) -> &'static str {
    match b {
        Builder::Classic => "classic",
        Builder::BuildKit => "buildkit",
    }
}

/// Go's `strconv.ParseBool`, which the docker CLI uses for DOCKER_BUILDKIT.
fn parse_bool(v: &str) -> Option<bool> {
    match v {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOCKER: EngineTraits<'static> = EngineTraits {
        api_version: "1.41",
        os: "linux",
        name: "Docker Engine",
    };

    #[test]
    fn buildkit_is_the_default_where_the_engine_has_it() {
        let c = choose(None, None, DOCKER);
        assert_eq!(c.builder, Builder::BuildKit);
        assert!(c.why.contains("default"), "{}", c.why);
    }

    #[test]
    fn docker_buildkit_decides_like_the_cli() {
        assert_eq!(choose(None, Some("0"), DOCKER).builder, Builder::Classic);
        assert_eq!(
            choose(None, Some("false"), DOCKER).why,
            "DOCKER_BUILDKIT=false"
        );
        assert_eq!(choose(None, Some("1"), DOCKER).builder, Builder::BuildKit);
        // Empty is unset; nonsense is ignored and said so.
        assert_eq!(choose(None, Some(""), DOCKER).builder, Builder::BuildKit);
        let odd = choose(None, Some("yes"), DOCKER);
        assert_eq!(odd.builder, Builder::BuildKit);
        assert!(odd.why.contains("not a boolean"), "{}", odd.why);
    }

    #[test]
    fn the_flag_wins_over_the_environment() {
        let c = choose(Some(Builder::Classic), Some("1"), DOCKER);
        assert_eq!(c, BuilderChoice::new(Builder::Classic, "--builder classic"));
        let c = choose(Some(Builder::BuildKit), Some("0"), DOCKER);
        assert_eq!(c.builder, Builder::BuildKit);
    }

    #[test]
    fn engines_without_buildkit_get_the_classic_builder() {
        let old = EngineTraits {
            api_version: "1.38",
            ..DOCKER
        };
        let c = choose(None, None, old);
        assert_eq!(c.builder, Builder::Classic);
        assert!(c.why.contains("1.39"), "{}", c.why);
        // Asked for, but impossible: say both.
        let c = choose(Some(Builder::BuildKit), None, old);
        assert_eq!(c.builder, Builder::Classic);
        assert!(c.why.starts_with("--builder buildkit asks"), "{}", c.why);

        let windows = EngineTraits {
            os: "windows",
            ..DOCKER
        };
        assert_eq!(choose(None, None, windows).builder, Builder::Classic);
        let podman = EngineTraits {
            name: "Podman Engine",
            api_version: "1.41",
            os: "linux",
        };
        let c = choose(None, None, podman);
        assert_eq!(c.builder, Builder::Classic);
        assert!(c.why.contains("Podman"));
        // An API version nobody can read does not rule BuildKit out.
        let odd = EngineTraits {
            api_version: "",
            ..DOCKER
        };
        assert_eq!(choose(None, None, odd).builder, Builder::BuildKit);
    }

    #[test]
    fn builder_names_parse() {
        assert_eq!(Builder::parse("BuildKit"), Some(Builder::BuildKit));
        assert_eq!(Builder::parse("classic"), Some(Builder::Classic));
        assert_eq!(Builder::parse("kaniko"), None);
    }
}
