//! Against a real Docker engine: build the guide's workspace, run it, list
//! it; a broken Dockerfile names its failing step. (A build typed in the
//! learner's own shell: tests/every_engine.rs, on every engine.)

mod support;

use docktutor::check;
use docktutor::docker;
use docktutor::engine::{JobEvent, JobOutcome, RunOptions, Watch, normalize_ref};
use support::*;
use tokio::sync::{mpsc, watch};

/// Builds with the classic builder: these tests read its `Step k/n`
/// numbering (tests/engine_buildkit.rs has BuildKit's).
async fn collect_build(
    conn: &docker::Connection,
    dir: &std::path::Path,
    tag: &str,
) -> (JobOutcome, Vec<JobEvent>) {
    let (tx, mut rx) = mpsc::channel(64);
    let collector = tokio::spawn(async move {
        let mut events = Vec::new();
        while let Some(e) = rx.recv().await {
            events.push(e);
        }
        events
    });
    let builder = conn
        .builder
        .with(docktutor::engine::Builder::Classic, "this test");
    let outcome = docker::build(&conn.docker, dir, None, tag, &builder, &tx).await;
    drop(tx);
    (outcome, collector.await.expect("collector"))
}

fn output_text(events: &[JobEvent]) -> String {
    events
        .iter()
        .filter_map(|e| match e {
            JobEvent::Output(b) => Some(String::from_utf8_lossy(b).into_owned()),
            _ => None,
        })
        .collect()
}

#[tokio::test]
async fn build_run_and_list_the_guide_image() {
    let Some(conn) = engine().await else { return };
    let ws = guide_workspace();
    let tag = unique("docktutor-test-guide");
    let _guard = ImageGuard::new(tag.clone());

    let (outcome, events) = collect_build(&conn, ws.path(), &tag).await;
    assert!(
        matches!(outcome, JobOutcome::Built { .. }),
        "{outcome:?}\n{}",
        output_text(&events)
    );
    let steps: Vec<(usize, usize)> = events
        .iter()
        .filter_map(|e| match e {
            JobEvent::Step { current, total } => Some((*current, *total)),
            _ => None,
        })
        .collect();
    assert_eq!(
        steps,
        (1..=6).map(|k| (k, 6)).collect::<Vec<_>>(),
        "one progress event per instruction"
    );
    assert!(
        events
            .iter()
            .any(|e| matches!(e, JobEvent::Context { files, .. } if *files == 3))
    );

    // Built again: every step after FROM comes from the cache.
    let (again, events) = collect_build(&conn, ws.path(), &tag).await;
    assert!(matches!(again, JobOutcome::Built { .. }));
    let cached: Vec<usize> = events
        .iter()
        .filter_map(|e| match e {
            JobEvent::Cached { step } => Some(*step),
            _ => None,
        })
        .collect();
    assert_eq!(cached, vec![2, 3, 4, 5, 6]);

    // Run: it prints the greeting and exits 0; the container is removed.
    let (tx, mut rx) = mpsc::channel(64);
    let drain = tokio::spawn(async move { while rx.recv().await.is_some() {} });
    let (_cancel, cancel_rx) = watch::channel(false);
    let ran = docker::run(&conn.docker, &tag, &RunOptions::default(), &tx, cancel_rx).await;
    drop(tx);
    drain.await.expect("drain");
    let JobOutcome::Ran { record, .. } = ran else {
        panic!("{ran:?}")
    };
    assert_eq!(record.exit_code, Some(0));
    assert_eq!(record.output.as_deref(), Some("Hello, Docker!\n"));
    let leftovers = docker_cli(
        &[
            "ps",
            "-aq",
            "--filter",
            "label=io.docktutor.managed",
            "--filter",
            &format!("ancestor={tag}"),
        ],
        ws.path(),
    );
    assert!(leftovers.status.success(), "docker ps failed");
    assert!(
        String::from_utf8_lossy(&leftovers.stdout).trim().is_empty(),
        "run containers are removed"
    );

    // Listed, and every lesson check on it passes.
    let mut known = docker::Known::default();
    known.runs.insert(normalize_ref(&tag), record);
    let watch = Watch {
        images: vec![tag.clone()],
        ..Watch::default()
    };
    let facts = docker::gather(&conn.docker, &watch, &mut known)
        .await
        .expect("facts");
    assert!(facts.image_id(&tag).is_some(), "{tag} listed");
    let detail = &facts.details[&normalize_ref(&tag)];
    assert_eq!(detail.cmd, vec!["python", "app.py"]);
    let mut table = toml::Table::new();
    table.insert("kind".into(), "container_output".into());
    table.insert("image".into(), tag.clone().into());
    table.insert("expected".into(), "Hello, Docker!".into());
    let spec = check::CheckSpec::from_table(table).expect("a container_output check");
    let out = check::run_all(
        &[spec],
        &check::Ctx {
            workspace: ws.path(),
            engine: Some(&facts),
            engine_missing: "",
            typed: &[],
        },
    );
    assert!(out[0].passed(), "{out:?}");
}

#[tokio::test]
async fn a_failing_step_names_its_dockerfile_line() {
    let Some(conn) = engine().await else { return };
    let ws = guide_workspace();
    std::fs::write(
        ws.path().join("Dockerfile"),
        "FROM python:3.9-slim\nWORKDIR /app\n\n# this package does not exist and there is no network\nRUN pip install --no-index definitely-not-a-package\nCMD [\"python\"]\n",
    )
    .expect("write");
    let tag = unique("docktutor-test-broken");
    let _guard = ImageGuard::new(tag.clone());
    let (outcome, _) = collect_build(&conn, ws.path(), &tag).await;
    let JobOutcome::BuildFailed(f) = outcome else {
        panic!("{outcome:?}")
    };
    assert_eq!(f.step, Some(3));
    assert_eq!(f.line, Some(5));
    assert_eq!(
        f.instruction.as_deref(),
        Some("RUN pip install --no-index definitely-not-a-package")
    );
    assert!(f.message.contains("non-zero code"), "{}", f.message);
}

#[tokio::test]
async fn a_misspelt_instruction_is_reported_with_its_line() {
    let Some(conn) = engine().await else { return };
    let ws = guide_workspace();
    std::fs::write(
        ws.path().join("Dockerfile"),
        "FROM python:3.9-slim\nWORKDIR /app\nCOPPY app.py ./\n",
    )
    .expect("write");
    let tag = unique("docktutor-test-typo");
    let (outcome, _) = collect_build(&conn, ws.path(), &tag).await;
    let JobOutcome::BuildFailed(f) = outcome else {
        panic!("{outcome:?}")
    };
    assert_eq!(f.line, Some(3), "{f:?}");
    assert!(
        f.message.to_lowercase().contains("unknown instruction"),
        "{}",
        f.message
    );
}

#[tokio::test]
async fn a_missing_base_image_points_to_offline_loading() {
    let Some(conn) = engine().await else { return };
    let ws = guide_workspace();
    std::fs::write(
        ws.path().join("Dockerfile"),
        "FROM docktutor-no-such-base:1.0\nCMD [\"true\"]\n",
    )
    .expect("write");
    let (outcome, _) = collect_build(&conn, ws.path(), &unique("docktutor-test-nobase")).await;
    let JobOutcome::BuildFailed(f) = outcome else {
        panic!("{outcome:?}")
    };
    assert_eq!(f.step, Some(1));
    assert!(
        f.advice.as_deref().unwrap_or("").contains("docktutor load"),
        "{f:?}"
    );
}
