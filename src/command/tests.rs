use std::path::Path;

use super::*;

const WS: &str = "/home/ada/my-docker-app";

fn ok(line: &str) -> DockerCommand {
    parse(line, Path::new(WS)).unwrap_or_else(|e| panic!("{line}: {e}"))
}

fn err(line: &str) -> CommandError {
    match parse(line, Path::new(WS)) {
        Ok(c) => panic!("{line} parsed as {c:?}"),
        Err(e) => e,
    }
}

fn build(line: &str) -> Build {
    match ok(line) {
        DockerCommand::Build(b) => b,
        other => panic!("{line}: {other:?}"),
    }
}

fn run(line: &str) -> Run {
    match ok(line) {
        DockerCommand::Run(r) => r,
        other => panic!("{line}: {other:?}"),
    }
}

#[test]
fn build_reads_every_flag() {
    let b = build(
        "docker build -t a -t b:1 --tag=c -f docker/Dockerfile.dev --no-cache \
         --build-arg V=1 --build-arg W=x=y --target final --progress plain --pull .",
    );
    assert_eq!(b.tags, ["a", "b:1", "c"]);
    assert_eq!(b.file.as_deref(), Some("docker/Dockerfile.dev"));
    assert!(b.no_cache && b.pull);
    assert_eq!(b.build_args.get("V").map(String::as_str), Some("1"));
    assert_eq!(b.build_args.get("W").map(String::as_str), Some("x=y"));
    assert_eq!(b.target.as_deref(), Some("final"));
    assert_eq!(b.progress.as_deref(), Some("plain"));
    assert_eq!(b.context, ".");
    let short = build("docker build --file=Other -tapp sub");
    assert_eq!(short.tags, ["app"]);
    assert_eq!(short.file.as_deref(), Some("Other"));
    assert_eq!(short.context, "sub");
    assert_eq!(build("docker image build .").context, ".");
}

#[test]
fn build_defaults() {
    let b = build("docker build .");
    assert!(b.tags.is_empty() && b.file.is_none() && !b.no_cache && !b.pull);
    assert_eq!(b.dockerfile_path(), "Dockerfile");
    assert_eq!(
        build("docker build ./sub/").dockerfile_path(),
        "sub/Dockerfile"
    );
}

#[test]
fn build_refuses_bad_values() {
    assert!(matches!(
        err("docker build --progress fancy ."),
        CommandError::BadValue { .. }
    ));
    assert!(matches!(
        err("docker build --build-arg NOVALUE ."),
        CommandError::BadValue { .. }
    ));
    assert!(matches!(
        err("docker build -t app ../elsewhere"),
        CommandError::OutsideWorkspace { .. }
    ));
    assert!(matches!(
        err("docker build -t app /"),
        CommandError::OutsideWorkspace { .. }
    ));
}

#[test]
fn run_reads_every_flag() {
    let r = run(
        "docker run --rm -d --name web -e A=1 --env B=2 -m 256m --cpus 0.5 -u 1000:1000 \
         --read-only -p 8080:80 -it my-docker-app python -c 'print(1)'",
    );
    assert!(r.rm && r.detach && r.interactive && r.tty && r.read_only);
    assert_eq!(r.name.as_deref(), Some("web"));
    assert_eq!(r.env, ["A=1", "B=2"]);
    assert_eq!(r.memory, Some(256 << 20));
    assert_eq!(r.nano_cpus, Some(500_000_000));
    assert_eq!(r.user.as_deref(), Some("1000:1000"));
    assert_eq!(
        r.publish,
        [Publish {
            host: Some("8080".into()),
            container: "80".into()
        }]
    );
    assert_eq!(r.image, "my-docker-app");
    assert_eq!(r.command, ["python", "-c", "print(1)"]);
    let long = run("docker run --memory=1g --user nobody --publish 80 app");
    assert_eq!(long.memory, Some(1 << 30));
    assert_eq!(long.publish[0].host, None);
}

#[test]
fn flags_after_the_image_belong_to_the_command() {
    let r = run("docker run app ls --rm -l");
    assert!(!r.rm);
    assert_eq!(r.command, ["ls", "--rm", "-l"]);
}

#[test]
fn run_refuses_bad_values() {
    assert!(matches!(
        err("docker run -m lots app"),
        CommandError::BadValue { .. }
    ));
    assert!(matches!(
        err("docker run --cpus 0 app"),
        CommandError::BadValue { .. }
    ));
    assert!(matches!(
        err("docker run -p x:y app"),
        CommandError::BadValue { .. }
    ));
    assert!(matches!(
        err("docker run --cpus many app"),
        CommandError::BadValue { .. }
    ));
}

#[test]
fn dangerous_flags_are_refused_with_a_reason() {
    for (line, flag) in [
        ("docker run --privileged app", "--privileged"),
        ("docker run -v /:/host app", "-v /:/host"),
        ("docker run --pid=host app", "--pid=host"),
        ("docker run --network host app", "--network=host"),
        ("docker run --net=host app", "--network=host"),
        ("docker run --cap-add SYS_ADMIN app", "--cap-add SYS_ADMIN"),
        ("docker run --device /dev/sda app", "--device /dev/sda"),
    ] {
        match err(line) {
            CommandError::Refused { flag: f, why } => {
                assert_eq!(f, flag, "{line}");
                assert!(why.starts_with("refused in docktutor"), "{why}");
            }
            other => panic!("{line}: {other:?}"),
        }
    }
    let CommandError::Refused { why, .. } = err("docker run -v /etc:/etc app") else {
        panic!("not refused");
    };
    assert!(why.contains("/etc is outside the workspace"), "{why}");
    let CommandError::Refused { why, .. } = err("docker run -v ./data:/data app") else {
        panic!("not refused");
    };
    assert!(!why.contains("outside"), "{why}");
    // A network other than the host's is not dangerous.
    assert_eq!(run("docker run --network none app").image, "app");
}

#[test]
fn image_listing_commands() {
    assert_eq!(
        ok("docker images"),
        DockerCommand::Images {
            all: false,
            quiet: false,
            reference: None
        }
    );
    assert_eq!(
        ok("docker image ls my-docker-app"),
        ok("docker images my-docker-app")
    );
    assert_eq!(ok("docker image list -a -q"), ok("docker images -aq"));
    assert_eq!(
        ok("docker ps -a"),
        DockerCommand::Ps {
            all: true,
            quiet: false
        }
    );
    assert_eq!(
        ok("docker ps"),
        DockerCommand::Ps {
            all: false,
            quiet: false
        }
    );
}

#[test]
fn container_commands() {
    assert_eq!(
        ok("docker logs --tail 5 web"),
        DockerCommand::Logs {
            container: "web".into(),
            tail: Some("5".into())
        }
    );
    assert_eq!(
        ok("docker stop a b"),
        DockerCommand::Stop {
            containers: vec!["a".into(), "b".into()]
        }
    );
    assert_eq!(
        ok("docker rm -f a"),
        DockerCommand::Rm {
            containers: vec!["a".into()],
            force: true
        }
    );
    assert!(matches!(err("docker stop"), CommandError::Missing { .. }));
    assert!(matches!(err("docker logs"), CommandError::Missing { .. }));
}

#[test]
fn image_commands() {
    assert_eq!(ok("docker rmi -f app"), ok("docker image rm --force app"));
    assert_eq!(ok("docker image remove app"), ok("docker rmi app"));
    assert_eq!(
        ok("docker tag app app:v1"),
        DockerCommand::Tag {
            source: "app".into(),
            target: "app:v1".into()
        }
    );
    assert_eq!(
        ok("docker image tag app app:v1"),
        ok("docker tag app app:v1")
    );
    assert_eq!(
        ok("docker history --no-trunc app"),
        DockerCommand::History {
            image: "app".into(),
            no_trunc: true
        }
    );
    assert_eq!(ok("docker image history app"), ok("docker history app"));
    assert_eq!(
        ok("docker image inspect --format '{{.Size}}' app"),
        DockerCommand::ImageInspect {
            images: vec!["app".into()],
            format: Some("{{.Size}}".into())
        }
    );
    assert_eq!(
        ok("docker image inspect -f '{{.Config.Cmd}}' app"),
        ok("docker image inspect --format={{.Config.Cmd}} app")
    );
    assert_eq!(
        ok("docker image prune -af"),
        DockerCommand::ImagePrune {
            all: true,
            force: true
        }
    );
    assert_eq!(
        ok("docker system df"),
        DockerCommand::SystemDf { verbose: false }
    );
    assert!(matches!(err("docker rmi"), CommandError::Missing { .. }));
    assert!(matches!(
        err("docker tag app"),
        CommandError::Missing { .. }
    ));
}

#[test]
fn equivalent_spellings_mean_the_same() {
    for (a, b) in [
        (
            "docker build . -t my-docker-app",
            "docker build --tag my-docker-app .",
        ),
        (
            "docker build -t my-docker-app .",
            "docker build -t my-docker-app:latest ./",
        ),
        ("docker build -t a -t b .", "docker build -t b -t a ."),
        (
            "docker build -t app .",
            "docker build -t app -f Dockerfile .",
        ),
        (
            "docker build -t app .",
            "docker build -t app --progress=plain .",
        ),
        ("docker run my-docker-app", "docker run --rm my-docker-app"),
        (
            "docker run -m 256m app",
            "docker run --memory=268435456 app",
        ),
        ("docker images", "docker image ls"),
        ("docker rmi app", "docker image rm app:latest"),
    ] {
        let (x, y) = (ok(a), ok(b));
        assert!(x.equivalent(&y), "{a} vs {b}: {:?}", x.differences(&y));
    }
}

#[test]
fn differences_say_what_differs() {
    let typed = ok("docker build -t my-app .");
    let lesson = ok("docker build -t my-docker-app .");
    let d = typed.differences(&lesson);
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].aspect, "the image name");
    assert_eq!(
        d[0].to_string(),
        "the image name: you typed my-app:latest, the lesson's is my-docker-app:latest"
    );
    let d = ok("docker images").differences(&lesson);
    assert_eq!(d[0].aspect, "the command");
    assert_eq!(
        ok("docker run --cpus 1 app").differences(&ok("docker run app"))[0].aspect,
        "--cpus"
    );
    assert!(!ok("docker build --no-cache -t my-docker-app .").equivalent(&lesson));
}

#[test]
fn typos_get_did_you_mean() {
    assert_eq!(
        err("dokcer build ."),
        CommandError::NotDocker {
            typed: "dokcer".into(),
            suggestion: Some("docker")
        }
    );
    assert_eq!(
        err("dokcer build .").to_string(),
        "dokcer: did you mean docker?"
    );
    assert!(matches!(
        err("ls -l"),
        CommandError::NotDocker {
            suggestion: None,
            ..
        }
    ));
    let e = err("docker biuld -t app .");
    assert_eq!(
        e.to_string(),
        "docker has no command biuld: did you mean docker build?"
    );
    assert_eq!(
        err("docker imgaes").to_string(),
        "docker has no command imgaes: did you mean docker images?"
    );
    assert_eq!(
        err("docker image sl").to_string(),
        "docker has no command image sl: did you mean docker image ls?"
    );
    assert!(matches!(
        err("docker frobnicate"),
        CommandError::UnknownSubcommand {
            suggestion: None,
            ..
        }
    ));
    assert_eq!(err(""), CommandError::Empty);
    assert_eq!(err("docker"), CommandError::NoSubcommand);
    assert_eq!(err("docker build 'oops"), CommandError::Unquoted);
}

#[test]
fn unknown_flags_get_the_closest_real_one() {
    assert_eq!(
        err("docker build --tagg app ."),
        CommandError::UnknownFlag {
            command: "docker build".into(),
            flag: "--tagg".into(),
            suggestion: Some("--tag".into())
        }
    );
    assert_eq!(
        err("docker build --no-cahce .").to_string(),
        "docker build has no flag --no-cahce: did you mean --no-cache?"
    );
    assert_eq!(
        err("docker run --memroy=1g app").to_string(),
        "docker run has no flag --memroy: did you mean --memory?"
    );
    assert!(matches!(
        err("docker ps --everything"),
        CommandError::UnknownFlag {
            suggestion: None,
            ..
        }
    ));
}

#[test]
fn a_build_without_context_explains_the_dot() {
    let e = err("docker build -t my-docker-app");
    assert_eq!(e, CommandError::MissingContext);
    assert!(e.to_string().contains(". (a dot)"), "{e}");
    assert!(e.to_string().contains(".dockerignore"), "{e}");
}

#[test]
fn uppercase_image_names_are_refused_before_anything_is_sent() {
    let e = err("docker build -t My-Docker-App .");
    assert_eq!(
        e.to_string(),
        "My-Docker-App: image names must be lowercase (the engine refuses capitals), e.g. my-docker-app"
    );
    assert!(matches!(
        err("docker run MyApp"),
        CommandError::Uppercase { .. }
    ));
    assert!(matches!(
        err("docker tag app App"),
        CommandError::Uppercase { .. }
    ));
    // Tags may hold capitals; names may hold registries and paths.
    build("docker build -t app:V1 -t localhost:5000/team/app .");
    assert!(matches!(
        err("docker build -t -app ."),
        CommandError::UnknownFlag { .. }
    ));
    assert!(matches!(
        err("docker build -t app_ ."),
        CommandError::BadImageName { .. }
    ));
    assert!(matches!(
        err("docker build -t app:.x ."),
        CommandError::BadImageName { .. }
    ));
}

#[test]
fn real_commands_docktutor_does_not_run_are_named() {
    assert_eq!(
        err("docker exec -it web sh").to_string(),
        "docker exec is a real docker command, but docktutor does not run it: copy it into your own shell"
    );
    assert!(matches!(
        err("docker image pull python"),
        CommandError::NotHere { .. }
    ));
    assert!(matches!(
        err("docker compose up"),
        CommandError::NotHere { .. }
    ));
}

#[test]
fn help_is_the_grammar_s_own() {
    let CommandError::Help(text) = err("docker build --help") else {
        panic!("no help");
    };
    assert!(text.contains("the name the image gets"), "{text}");
}

#[test]
fn the_grammar_is_well_formed() {
    use clap::CommandFactory;
    grammar::DockerCli::command().debug_assert();
}

fn meanings(line: &str) -> Vec<(String, String)> {
    explain(line)
        .into_iter()
        .map(|p| (p.text, p.meaning))
        .collect()
}

#[test]
fn each_part_is_explained() {
    let parts = meanings("docker build -t my-docker-app .");
    assert_eq!(
        parts[0],
        ("docker".into(), "the Docker command line".into())
    );
    assert_eq!(parts[1].0, "build");
    assert!(parts[1].1.starts_with("make an image"));
    assert_eq!(parts[2].0, "-t my-docker-app");
    assert!(
        parts[2].1.starts_with("the name the image gets"),
        "{}",
        parts[2].1
    );
    assert_eq!(
        parts[3],
        (
            ".".into(),
            "the build context: this folder's files, minus .dockerignore".into()
        )
    );
    let parts = meanings("docker run --rm -p 8080:80 -it app python -V");
    assert_eq!(parts[2].0, "--rm");
    assert!(
        parts[3].1.contains("host port 8080 → container port 80"),
        "{}",
        parts[3].1
    );
    assert_eq!(parts[4].0, "-i");
    assert_eq!(parts[5].0, "-t");
    assert!(parts[5].1.contains("terminal"));
    assert_eq!(parts[6].0, "app");
    assert_eq!(parts[7].0, "python -V");
    assert!(parts[7].1.contains("instead of the image's CMD"));
}

#[test]
fn half_typed_lines_are_explained_as_far_as_they_go() {
    let parts = explain("docker build --tagg x --no-cache -f");
    assert_eq!(parts[2].kind, PartKind::Unknown);
    assert!(
        parts[2].meaning.contains("did you mean --tag?"),
        "{:?}",
        parts[2]
    );
    assert_eq!(parts.last().unwrap().text, "-f");
    let parts = explain("docker image ");
    assert_eq!(parts.len(), 2);
    assert!(explain("").is_empty());
    let parts = explain("docker biuld");
    assert!(parts[1].meaning.contains("did you mean build?"));
    let parts = explain("docker run --privileged app 'unclosed");
    assert_eq!(parts[2].kind, PartKind::Refused);
    assert_eq!(parts[4].text, "unclosed");
    let parts = explain("docker image inspect --format={{.Size}} app");
    assert_eq!(parts[3].text, "--format={{.Size}}");
    assert!(parts[3].meaning.contains("only this field"));
}

#[test]
fn health_flags_read_like_docker_run() {
    let r = run(
        "docker run --health-cmd 'curl -f localhost:8000/health || exit 1' \
                 --health-interval 5s --health-timeout=3s --health-retries 2 \
                 --health-start-period 1m30s app",
    );
    let h = r.health.expect("a health check");
    assert_eq!(
        h.test,
        ["CMD-SHELL", "curl -f localhost:8000/health || exit 1"]
    );
    assert_eq!(h.interval, Some(5_000_000_000));
    assert_eq!(h.timeout, Some(3_000_000_000));
    assert_eq!(h.start_period, Some(90_000_000_000));
    assert_eq!(h.retries, Some(2));
    // Only the timing: the image's test stays.
    let h = run("docker run --health-interval 2s app")
        .health
        .expect("health");
    assert!(h.test.is_empty());
    assert_eq!(
        run("docker run --no-healthcheck app")
            .health
            .expect("off")
            .test,
        ["NONE"]
    );
    assert!(run("docker run app").health.is_none());
    // Same meaning, other spelling; a different interval differs.
    assert!(
        ok("docker run --health-interval 1m app")
            .equivalent(&ok("docker run --health-interval=60s app"))
    );
    let diff = ok("docker run --health-interval 2s app")
        .differences(&ok("docker run --health-interval 5s app"));
    assert!(
        diff.iter().any(|d| d.to_string().contains("health check")),
        "{diff:?}"
    );
}

#[test]
fn health_flags_refused_as_docker_refuses_them() {
    for (line, says) in [
        ("docker run --health-interval 5 app", "with its unit"),
        ("docker run --health-timeout 1ns app", "at least 1ms"),
        ("docker run --health-retries -1 app", "0 or more"),
        (
            "docker run --no-healthcheck --health-cmd true app",
            "cannot go with it",
        ),
    ] {
        let e = err(line).to_string();
        assert!(e.contains(says), "{line}: {e}");
    }
    // Each flag is explained as it is typed.
    let parts = explain("docker run --health-cmd 'exit 0' --health-interval 5s app");
    assert!(
        parts
            .iter()
            .any(|p| p.text.starts_with("--health-cmd") && p.meaning.contains("healthy")),
        "{parts:?}"
    );
    assert!(
        parts
            .iter()
            .any(|p| p.text.starts_with("--health-interval") && p.meaning.contains("between")),
        "{parts:?}"
    );
}
