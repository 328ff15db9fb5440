//! One engine for a room: four learners, as an instructor tried it. A
//! builds and runs the guide; B's build fails at step 4; C's folder is
//! empty; D's app prints something else. On a shared engine each learner's
//! images are in their own namespace, so B and C pass nothing of A's, D's
//! image does not fail A's lesson 4, and `reset --learner` removes one
//! learner's images and never another's.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use support::{ImageGuard, bin, docker_cli, engine_available, unique, write_guide};

struct Learner {
    name: String,
    home: tempfile::TempDir,
    _image: ImageGuard,
}

impl Learner {
    fn new(name: String) -> Learner {
        let image = format!("{name}/my-docker-app");
        Learner {
            name,
            home: tempfile::tempdir().expect("tempdir"),
            _image: ImageGuard::new(image),
        }
    }

    fn ws(&self) -> PathBuf {
        self.home.path().join("my-docker-app")
    }

    fn image(&self) -> String {
        format!("{}/my-docker-app", self.name)
    }

    /// docktutor as this learner would start it, the engine said shared
    /// (`shared` false: left for docktutor to find out).
    fn docktutor(&self, shared: bool, args: &[&str]) -> Output {
        let mut cmd = Command::new(bin());
        cmd.args(["--workdir", "my-docker-app"])
            .args(args)
            .current_dir(self.home.path())
            .env("DOCKTUTOR_DATA_DIR", self.home.path().join("data"))
            .env("DOCKTUTOR_LEARNER", &self.name)
            .env_remove("DOCKTUTOR_SHARED");
        if shared {
            cmd.env("DOCKTUTOR_SHARED", "1");
        }
        cmd.output().expect("docktutor")
    }

    /// `check --format json` of lessons 3, 4 and 5: (id, status) of each,
    /// and the whole JSON for messages.
    fn check(&self) -> (Vec<(String, String)>, String) {
        let out = self.docktutor(true, &["check", "3", "4", "5", "--format", "json"]);
        let json: serde_json::Value =
            serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(&out)));
        let lessons = json["lessons"]
            .as_array()
            .expect("lessons")
            .iter()
            .map(|l| {
                (
                    l["id"].as_str().unwrap_or("").to_string(),
                    l["status"].as_str().unwrap_or("").to_string(),
                )
            })
            .collect();
        (lessons, json.to_string())
    }
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn statuses(pairs: &[(String, String)]) -> Vec<&str> {
    pairs.iter().map(|(_, s)| s.as_str()).collect()
}

/// The image's id, or None when the engine has no such image.
fn image_id(name: &str) -> Option<String> {
    let out = docker_cli(&["image", "inspect", "-f", "{{.Id}}", name], Path::new("."));
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

#[test]
fn four_learners_on_one_engine_never_cross() {
    if !engine_available() {
        return;
    }
    let room = unique("docktutor-test-room");
    let [a, b, c, d] = ["a", "b", "c", "d"].map(|l| Learner::new(format!("{room}-{l}")));
    // The developer's own my-docker-app, if any, is never touched.
    let own_before = image_id("my-docker-app");

    write_guide(&a.ws());
    let built = a.docktutor(true, &["build"]);
    assert!(built.status.success(), "A's build\n{}", text(&built));
    assert!(
        image_id(&a.image()).is_some(),
        "A's build was not tagged {}",
        a.image()
    );
    let ran = a.docktutor(true, &["run"]);
    assert!(
        text(&ran).contains("Hello, Docker!"),
        "A's run\n{}",
        text(&ran)
    );

    // B: the build fails at its fourth step.
    write_guide(&b.ws());
    let dockerfile =
        support::GUIDE_DOCKERFILE.replacen("RUN pip install", "RUN false && pip install", 1);
    assert_ne!(
        dockerfile,
        support::GUIDE_DOCKERFILE,
        "the guide's Dockerfile changed"
    );
    std::fs::write(b.ws().join("Dockerfile"), dockerfile).expect("Dockerfile");
    let failed = b.docktutor(true, &["build"]);
    assert!(
        !failed.status.success(),
        "B's build passed\n{}",
        text(&failed)
    );

    // C: an empty project folder.
    std::fs::create_dir_all(c.ws()).expect("mkdir");

    let (a_first, json) = a.check();
    assert_eq!(statuses(&a_first), ["pass", "pass", "pass"], "A\n{json}");
    assert!(
        json.contains(&a.image()),
        "A's checks name {}\n{json}",
        a.image()
    );
    for (who, learner) in [("B", &b), ("C", &c)] {
        let (lessons, json) = learner.check();
        assert!(
            lessons.iter().all(|(_, s)| s != "pass"),
            "{who} passed a lesson on A's image: {lessons:?}\n{json}"
        );
    }

    // D builds and runs an app that prints something else.
    write_guide(&d.ws());
    std::fs::write(d.ws().join("app.py"), "print(\"Hello from D\")\n").expect("app.py");
    assert!(d.docktutor(true, &["build"]).status.success());
    let ran = d.docktutor(true, &["run"]);
    assert!(
        text(&ran).contains("Hello from D"),
        "D's run\n{}",
        text(&ran)
    );
    let (d_lessons, json) = d.check();
    // D built and listed their own image (3, 5); it prints the wrong text (4).
    assert_eq!(statuses(&d_lessons), ["pass", "fail", "pass"], "D\n{json}");
    assert!(
        json.contains("Hello from D"),
        "D's lesson 4 names D's own output\n{json}"
    );
    let (a_after, json) = a.check();
    assert_eq!(a_after, a_first, "D's image changed A's results\n{json}");

    // Typed as the guide has it, the plain name would replace whoever's
    // my-docker-app is there: refused, with the learner's own name.
    let typed = a.docktutor(
        true,
        &["exec", "--", "docker", "build", "-t", "my-docker-app", "."],
    );
    assert_eq!(typed.status.code(), Some(125), "{}", text(&typed));
    assert!(
        text(&typed).contains(&format!("your image is {}", a.image())),
        "{}",
        text(&typed)
    );
    assert_eq!(image_id("my-docker-app"), own_before, "the typed build ran");

    // A newcomer who was not told: the engine holds the others' images,
    // so docktutor finds it shared by itself.
    let e = Learner::new(format!("{room}-e"));
    let doctor = e.docktutor(false, &["doctor"]);
    assert!(
        text(&doctor).contains("the engine is shared (it holds another learner's image"),
        "{}",
        text(&doctor)
    );

    // Reset D: D's image goes, A's stays.
    let reset = d.docktutor(
        true,
        &["reset", "--learner", &d.name, "--yes", "--keep-files"],
    );
    assert!(reset.status.success(), "{}", text(&reset));
    assert!(text(&reset).contains(&d.image()), "{}", text(&reset));
    assert_eq!(image_id(&d.image()), None, "D's image survived the reset");
    assert!(
        image_id(&a.image()).is_some(),
        "resetting D removed A's image"
    );
    let (a_last, json) = a.check();
    assert_eq!(a_last, a_first, "resetting D changed A's results\n{json}");
    let reset = a.docktutor(
        true,
        &["reset", "--learner", &a.name, "--yes", "--keep-files"],
    );
    assert!(reset.status.success(), "{}", text(&reset));
    assert_eq!(image_id(&a.image()), None, "A's image survived the reset");
    assert_eq!(
        image_id("my-docker-app"),
        own_before,
        "my-docker-app was touched"
    );
}
