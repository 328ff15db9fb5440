//! The guide's five lessons, headless, on every engine the README names
//! that this machine has: the Docker engine and Podman's Docker-compatible
//! service (CI starts both; with `CI` set a missing one fails).
//!
//! Each engine gets its own image name (never the learner's
//! `my-docker-app`), built the way the build key builds it, and removed after.

mod support;

use support::*;

fn text(out: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[tokio::test]
async fn the_guide_passes_headless_on_every_engine() {
    let engines = engines().await;
    for e in &engines {
        let image = unique(&format!("docktutor-test-{}-guide", e.name));
        let _guard = EngineImageGuard::new(&e.host, &image);
        let home = tempfile::tempdir().expect("tempdir");
        let ws = home.path().join("my-docker-app");
        write_guide(&ws);
        let lessons = lessons_for_image(&image);
        let lessons_arg = lessons.path().to_str().expect("utf-8 path");

        let built = docktutor_on(
            &e.host,
            home.path(),
            &["build", "--workdir", "my-docker-app", "-t", &image],
        );
        assert!(
            built.status.success(),
            "{}: build\n{}",
            e.name,
            text(&built)
        );

        let checked = docktutor_on(
            &e.host,
            home.path(),
            &[
                "--lessons",
                lessons_arg,
                "check",
                "1",
                "2",
                "3",
                "4",
                "5",
                // The lesson's run, done by docktutor on this engine.
                "--run",
                "--workdir",
                "my-docker-app",
            ],
        );
        assert!(
            checked.status.success(),
            "{}: the guide's lessons must pass\n{}",
            e.name,
            text(&checked)
        );

        // app.py edited, image not rebuilt: the build lesson says so,
        // read from the image's own copy (nothing run); a build mends it.
        std::fs::write(ws.join("app.py"), "print(\"Hello, World!\")\n").expect("app.py");
        let check3 = || {
            docktutor_on(
                &e.host,
                home.path(),
                &[
                    "--lessons",
                    lessons_arg,
                    "check",
                    "3",
                    "--workdir",
                    "my-docker-app",
                ],
            )
        };
        let stale = check3();
        assert_eq!(stale.status.code(), Some(1), "{}: {}", e.name, text(&stale));
        assert!(
            text(&stale).contains("✗") && text(&stale).contains("app.py"),
            "{}: the edited app.py is named\n{}",
            e.name,
            text(&stale)
        );
        let id_of = || {
            let o = std::process::Command::new("docker")
                .args([
                    "-H", &e.host, "image", "inspect", "--format", "{{.Id}}", &image,
                ])
                .output()
                .expect("docker image inspect");
            String::from_utf8_lossy(&o.stdout).trim().to_string()
        };
        let old = id_of();
        let rebuilt = docktutor_on(
            &e.host,
            home.path(),
            &["build", "--workdir", "my-docker-app", "-t", &image],
        );
        assert!(rebuilt.status.success(), "{}: {}", e.name, text(&rebuilt));
        let fresh = check3();
        assert!(
            fresh.status.success(),
            "{}: rebuilt\n{}",
            e.name,
            text(&fresh)
        );
        // The first build, untagged by the second: removed, not left
        // dangling — unless another test's identical build still names it
        // (the guide's files build to the same image id).
        assert_ne!(old, id_of(), "{}: the rebuild made a new image", e.name);
        let tags = std::process::Command::new("docker")
            .args([
                "-H",
                &e.host,
                "image",
                "inspect",
                "--format",
                "{{len .RepoTags}}",
                &old,
            ])
            .output()
            .expect("docker image inspect");
        if String::from_utf8_lossy(&tags.stdout).trim() == "0" {
            let removed = std::process::Command::new("docker")
                .args(["-H", &e.host, "rmi", &old])
                .output()
                .expect("docker rmi");
            assert!(removed.status.success(), "{}: {}", e.name, text(&removed));
        }
    }
}

#[tokio::test]
async fn doctor_names_each_engine() {
    for e in engines().await {
        let home = tempfile::tempdir().expect("tempdir");
        let out = docktutor_on(&e.host, home.path(), &["doctor"]);
        let said = text(&out);
        let expected = if e.name == "podman" {
            "Podman"
        } else {
            "Docker"
        };
        assert!(said.contains(expected), "{}: doctor says\n{said}", e.name);
        assert!(
            !said.contains("is not supported"),
            "{}: an API limitation is not a cause\n{said}",
            e.name
        );
    }
}

/// A base image the engine does not have: Docker asks the registry (and
/// here, offline, says it cannot be pulled); Podman cannot ask without
/// pulling, and doctor must not blame the image for that API limit.
#[tokio::test]
async fn doctor_on_a_missing_base_image_is_honest_on_every_engine() {
    let lessons = tempfile::tempdir().expect("tempdir");
    let missing = unique("docktutor-test-absent-base");
    std::fs::create_dir_all(lessons.path().join("assets/absent")).expect("assets");
    std::fs::write(
        lessons.path().join("assets/absent/Dockerfile"),
        format!("FROM {missing}:1\nCMD [\"true\"]\n"),
    )
    .expect("Dockerfile");
    std::fs::write(
        lessons.path().join("01-only.md"),
        "+++\nid = \"only\"\ntitle = \"Only\"\nsolution = [\"absent/Dockerfile\"]\n\n[[checks]]\nkind = \"file_exists\"\npath = \"Dockerfile\"\n+++\nA lesson whose base image nobody has.\n",
    )
    .expect("lesson");
    for e in engines().await {
        let home = tempfile::tempdir().expect("tempdir");
        let out = docktutor_on(
            &e.host,
            home.path(),
            &[
                "--lessons",
                lessons.path().to_str().expect("utf-8"),
                "doctor",
            ],
        );
        let said = text(&out);
        assert!(
            !said.contains("not supported"),
            "{}: an API limitation reported as the cause\n{said}",
            e.name
        );
        if e.name == "podman" {
            assert!(said.contains("Podman cannot tell before pulling"), "{said}");
            assert!(said.contains("rootful Podman"), "{said}");
        }
    }
}

/// The CLI a learner on this engine types: `docker` (Debian's, at the
/// engine's address) or `podman` (the same storage as Podman's service).
fn learner_cli(e: &TestEngine, args: &[&str], dir: &std::path::Path) -> std::process::Output {
    let mut cmd = if e.name == "podman" {
        std::process::Command::new("podman")
    } else {
        let mut c = std::process::Command::new("docker");
        c.args(["-H", &e.host]);
        c
    };
    cmd.args(args)
        .current_dir(dir)
        .output()
        .expect("the engine's CLI")
}

/// A build and a run typed in the learner's own shell are noticed through
/// each engine's events: the image appears in the facts, and the run's
/// output and exit code are recorded for the run lesson.
#[tokio::test]
async fn a_shell_build_and_run_are_noticed_on_every_engine() {
    use docktutor::engine::{EngineMsg, EngineStatus, RunSource, Watch, normalize_ref};
    use std::time::Duration;
    for e in engines().await {
        let ws = guide_workspace();
        let tag = unique(&format!("docktutor-test-{}-shell", e.name));
        let _guard = EngineImageGuard::new(&e.host, &tag);
        let (tx, mut rx) = tokio::sync::mpsc::channel(256);
        let mut handle = docktutor::docker::spawn(
            docktutor::docker::discover::Env::from_process(Some(e.host.clone())),
            Watch {
                images: vec![tag.clone()],
                ..Watch::default()
            },
            tx,
        );
        tokio::time::timeout(Duration::from_secs(20), async {
            loop {
                match rx.recv().await {
                    Some(EngineMsg::Facts(f)) => {
                        assert!(f.image_id(&tag).is_none());
                        break;
                    }
                    Some(EngineMsg::Status(EngineStatus::Unreachable { tried, .. })) => {
                        panic!("{}: {tried:?}", e.name)
                    }
                    Some(_) => {}
                    None => panic!("engine task ended"),
                }
            }
        })
        .await
        .expect("first facts");

        let built = learner_cli(&e, &["build", "-t", &tag, "."], ws.path());
        assert!(built.status.success(), "{}: {}", e.name, text(&built));
        let noticed = tokio::time::timeout(Duration::from_secs(10), async {
            loop {
                if let Some(EngineMsg::Facts(f)) = rx.recv().await
                    && f.image_id(&tag).is_some()
                {
                    return f;
                }
            }
        })
        .await
        .unwrap_or_else(|_| panic!("{}: the shell build was noticed within 10 s", e.name));
        assert_eq!(
            noticed.details[&normalize_ref(&tag)].cmd,
            vec!["python", "app.py"]
        );

        let name = unique("docktutor-test-shell-run");
        let ran = learner_cli(&e, &["run", "--name", &name, &tag], ws.path());
        assert_eq!(
            String::from_utf8_lossy(&ran.stdout),
            "Hello, Docker!\n",
            "{}",
            e.name
        );
        let record = tokio::time::timeout(Duration::from_secs(10), async {
            loop {
                if let Some(EngineMsg::Facts(f)) = rx.recv().await
                    && let Some(r) = f.runs.get(&normalize_ref(&tag))
                {
                    return r.clone();
                }
            }
        })
        .await
        .unwrap_or_else(|_| panic!("{}: the shell run was noticed", e.name));
        assert_eq!(record.exit_code, Some(0), "{}", e.name);
        assert_eq!(
            record.output.as_deref(),
            Some("Hello, Docker!\n"),
            "{}",
            e.name
        );
        assert_eq!(record.source, RunSource::Shell);
        let removed = learner_cli(&e, &["rm", &name], ws.path());
        assert!(removed.status.success(), "{}", text(&removed));
        handle.shutdown(Duration::from_secs(5)).await;
    }
}

/// `reset` removes the containers docktutor labelled and nothing else, on
/// Podman as on Docker (Podman keeps labels through its compatible API).
#[tokio::test]
async fn reset_removes_only_our_containers_on_every_engine() {
    for e in engines().await {
        let home = tempfile::tempdir().expect("tempdir");
        let ws = home.path().join("my-docker-app");
        write_guide(&ws);
        let ours = unique(&format!("docktutor-test-{}-ours", e.name));
        let theirs = unique(&format!("docktutor-test-{}-theirs", e.name));
        let docker = |args: &[&str]| {
            std::process::Command::new("docker")
                .arg("-H")
                .arg(&e.host)
                .args(args)
                .output()
                .expect("docker")
        };
        for (name, label) in [(&ours, true), (&theirs, false)] {
            let mut args = vec!["create", "--name", name.as_str()];
            if label {
                args.extend(["--label", "io.docktutor.managed=true"]);
            }
            args.extend(["python:3.9-slim", "true"]);
            let created = docker(&args);
            assert!(created.status.success(), "{}: {}", e.name, text(&created));
        }

        // "n": the files stay; the containers are what this test looks at.
        let mut child = std::process::Command::new(bin())
            .args(["--host", &e.host, "reset", "--workdir"])
            .arg(&ws)
            .env("DOCKTUTOR_DATA_DIR", home.path().join("data"))
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("docktutor reset");
        std::io::Write::write_all(&mut child.stdin.take().expect("stdin"), b"n\n").expect("answer");
        let out = child.wait_with_output().expect("reset");
        let exists = |name: &str| docker(&["container", "inspect", name]).status.success();
        let (ours_left, theirs_left) = (exists(&ours), exists(&theirs));
        let _ = docker(&["rm", "-f", &ours, &theirs]);
        assert!(out.status.success(), "{}: reset\n{}", e.name, text(&out));
        assert!(!ours_left, "{}: our labelled container is removed", e.name);
        assert!(
            theirs_left,
            "{}: the learner's container is left alone",
            e.name
        );
        assert!(ws.join("app.py").exists(), "{}: files kept on n", e.name);
    }
}

/// Tidy removes dangling images with the lesson's label and no other, on
/// every engine: it filters by label, and an engine that ignored the
/// filter would take the learner's dangling images too.
#[tokio::test]
async fn tidy_removes_only_labelled_dangling_images_on_every_engine() {
    for e in engines().await {
        let name = unique(&format!("docktutor-test-{}-tidy", e.name));
        let label = format!("io.docktutor.test={name}");
        let dir = tempfile::tempdir().expect("tempdir");
        // Build `tag` twice with different label values: the first image
        // is left dangling. Returns its id.
        let dangle = |tag: &str, key: &str| {
            let mut first = String::new();
            for v in ["1", "2"] {
                std::fs::write(
                    dir.path().join("Dockerfile"),
                    format!("FROM python:3.9-slim\nLABEL {key}={name} v={v}\n"),
                )
                .expect("Dockerfile");
                let built = docktutor_on(&e.host, dir.path(), &["build", "-t", tag]);
                assert!(built.status.success(), "{}: {}", e.name, text(&built));
                if first.is_empty() {
                    let id = std::process::Command::new("docker")
                        .args(["-H", &e.host, "image", "inspect", "-f", "{{.Id}}", tag])
                        .output()
                        .expect("inspect");
                    first = String::from_utf8_lossy(&id.stdout).trim().to_string();
                }
            }
            first
        };
        let ours_tag = format!("{name}:ours");
        let theirs_tag = format!("{name}:theirs");
        let ours = dangle(&ours_tag, "io.docktutor.test");
        let theirs = dangle(&theirs_tag, "other.label");

        let (tx, mut rx) = tokio::sync::mpsc::channel(64);
        let drain = tokio::spawn(async move { while rx.recv().await.is_some() {} });
        let outcome = docktutor::docker::tidy(&e.conn.docker, &label, &tx).await;
        drop(tx);
        drain.await.expect("drain");

        let exists = |id: &str| {
            std::process::Command::new("docker")
                .args(["-H", &e.host, "image", "inspect", id])
                .output()
                .expect("docker")
                .status
                .success()
        };
        let (ours_left, theirs_left) = (exists(&ours), exists(&theirs));
        let _ = std::process::Command::new("docker")
            .args([
                "-H",
                &e.host,
                "rmi",
                "-f",
                &ours_tag,
                &theirs_tag,
                &theirs,
                &ours,
            ])
            .output();
        assert!(
            matches!(&outcome, docktutor::engine::JobOutcome::Tidied { removed } if removed.len() == 1),
            "{}: {outcome:?}",
            e.name
        );
        assert!(
            !ours_left,
            "{}: the labelled dangling image is removed",
            e.name
        );
        assert!(
            theirs_left,
            "{}: an unlabelled dangling image is kept",
            e.name
        );
    }
}
