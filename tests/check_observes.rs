//! Observing does not change what is observed: headless `docktutor check`
//! reads the learner's own runs and creates no container, and saves no
//! progress unless asked (`--run`).

mod support;

use std::path::Path;
use std::process::Command;

use support::{
    ImageGuard, bin, docker_cli, engine_available, lessons_for_image, unique, write_guide,
};

/// Removes a container when dropped.
struct ContainerGuard(String);

impl Drop for ContainerGuard {
    fn drop(&mut self) {
        let _ = Command::new("docker").args(["rm", "-f", &self.0]).output();
    }
}

fn docktutor(home: &Path, lessons: &Path, args: &[&str]) -> std::process::Output {
    Command::new(bin())
        .arg("--lessons")
        .arg(lessons)
        .args(args)
        .args(["--workdir", "my-docker-app"])
        .current_dir(home)
        .env("DOCKTUTOR_DATA_DIR", home.join("data"))
        .output()
        .expect("docktutor")
}

fn text(out: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// The engine's own clock, for `docker events --since/--until`.
fn engine_now() -> String {
    let out = docker_cli(&["info", "--format", "{{.SystemTime}}"], Path::new("."));
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// Containers of `image` started between `since` and `until` (engine
/// time). Reading files from an image creates a container that is never
/// started (image_current), so "started" is what running means here.
fn started_between(image: &str, since: &str, until: &str) -> Vec<String> {
    let out = docker_cli(
        &[
            "events",
            "--since",
            since,
            "--until",
            until,
            "--filter",
            "type=container",
            "--filter",
            "event=start",
            "--filter",
            &format!("image={image}"),
            "--format",
            "{{.ID}}",
        ],
        Path::new("."),
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect()
}

/// Containers started from `image` by name (other tests' images built
/// from the same files share its id, so `ancestor=` would count theirs).
fn containers_of(image: &str) -> usize {
    let out = docker_cli(&["ps", "-a", "--format", "{{.Image}}"], Path::new("."));
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| *l == image || *l == format!("{image}:latest"))
        .count()
}

fn progress_files(home: &Path) -> usize {
    std::fs::read_dir(home.join("data").join("progress"))
        .map(|d| d.count())
        .unwrap_or(0)
}

#[test]
fn check_reads_the_learners_run_and_runs_nothing() {
    if !engine_available() {
        return;
    }
    let image = unique("docktutor-test-observe");
    let _image_guard = ImageGuard::new(image.clone());
    let home = tempfile::tempdir().expect("tempdir");
    write_guide(&home.path().join("my-docker-app"));
    let lessons = lessons_for_image(&image);

    let built = Command::new(bin())
        .args(["build", "--workdir", "my-docker-app", "-t", &image])
        .current_dir(home.path())
        .output()
        .expect("build");
    assert!(built.status.success(), "build\n{}", text(&built));

    // Built, never run: lesson 4 is honestly not done, and check ran nothing.
    let before = containers_of(&image);
    let since = engine_now();
    let checked = docktutor(home.path(), lessons.path(), &["check", "4"]);
    let until = engine_now();
    assert_eq!(checked.status.code(), Some(1), "{}", text(&checked));
    assert!(
        text(&checked).contains("has not been run yet"),
        "{}",
        text(&checked)
    );
    assert_eq!(containers_of(&image), before);
    assert_eq!(
        started_between(&image, &since, &until),
        Vec::<String>::new(),
        "check started a container"
    );
    // Lessons 1-3 pass, but a check saves no progress unless asked.
    let passing = docktutor(home.path(), lessons.path(), &["check", "1", "2", "3"]);
    assert!(passing.status.success(), "{}", text(&passing));
    assert_eq!(progress_files(home.path()), 0, "check saved progress");

    // The learner runs it, as the guide says: check reads that container.
    let name = unique("docktutor-test-observe-run");
    let _container = ContainerGuard(name.clone());
    let since = engine_now();
    let ran = docker_cli(&["run", "--name", &name, &image], home.path());
    let until = engine_now();
    assert!(ran.status.success(), "docker run\n{}", text(&ran));
    // The events query sees a start (so its silence below means none).
    assert_eq!(started_between(&image, &since, &until).len(), 1);
    let before = containers_of(&image);
    assert_eq!(before, 1, "the learner's container is counted");
    let since = engine_now();
    let checked = docktutor(home.path(), lessons.path(), &["check", "4"]);
    let until = engine_now();
    assert!(checked.status.success(), "{}", text(&checked));
    assert_eq!(containers_of(&image), before);
    assert_eq!(
        started_between(&image, &since, &until),
        Vec::<String>::new(),
        "check started a container"
    );
    assert_eq!(progress_files(home.path()), 0, "check saved progress");

    // A container that printed the wrong text fails, read from its output.
    let wrong = unique("docktutor-test-observe-wrong");
    let _wrong = ContainerGuard(wrong.clone());
    let ran = docker_cli(
        &[
            "run",
            "--name",
            &wrong,
            &image,
            "python",
            "-c",
            "print('Hi')",
        ],
        home.path(),
    );
    assert!(ran.status.success(), "docker run\n{}", text(&ran));
    let checked = docktutor(home.path(), lessons.path(), &["check", "4", "--json"]);
    assert_eq!(checked.status.code(), Some(1), "{}", text(&checked));
    assert!(text(&checked).contains("Hi"), "{}", text(&checked));

    // --run does the lesson's run itself (as the app does) and saves.
    let run = docktutor(home.path(), lessons.path(), &["check", "4", "--run"]);
    assert!(run.status.success(), "{}", text(&run));
    assert_eq!(progress_files(home.path()), 1, "--run saves progress");
}

/// A run made in docktutor leaves no container (it is removed when it
/// ends), so its record is kept with the workspace's progress: an
/// instructor's `check` afterwards still sees the learner ran it.
#[test]
fn a_run_made_in_docktutor_counts_after_its_container_is_gone() {
    if !engine_available() {
        return;
    }
    let image = unique("docktutor-test-observe-kept");
    let _image_guard = ImageGuard::new(image.clone());
    let home = tempfile::tempdir().expect("tempdir");
    write_guide(&home.path().join("my-docker-app"));
    let lessons = lessons_for_image(&image);
    let built = Command::new(bin())
        .args(["build", "--workdir", "my-docker-app", "-t", &image])
        .current_dir(home.path())
        .output()
        .expect("build");
    assert!(built.status.success(), "build\n{}", text(&built));

    // The lesson's run, done by docktutor (as the app's run key does).
    let ran = docktutor(home.path(), lessons.path(), &["check", "4", "--run"]);
    assert!(ran.status.success(), "{}", text(&ran));
    assert_eq!(containers_of(&image), 0, "docktutor removed its container");

    // Observing later: no container to read, the kept record counts.
    let since = engine_now();
    let checked = docktutor(home.path(), lessons.path(), &["check", "4"]);
    let until = engine_now();
    assert!(checked.status.success(), "{}", text(&checked));
    assert!(
        started_between(&image, &since, &until).is_empty(),
        "check started a container"
    );
}
