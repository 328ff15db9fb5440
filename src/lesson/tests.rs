use super::*;

#[test]
fn every_shipped_lesson_parses_and_declares_checks() {
    let set = builtin();
    assert_eq!(set.errors, vec![], "shipped lessons must load");
    assert!(set.lessons.len() >= 5);
    for l in &set.lessons {
        assert!(!l.checks.is_empty(), "{} declares no checks", l.id);
        assert!(!l.hint.is_empty(), "{} has no hint", l.id);
        assert!(!l.body.trim().is_empty(), "{} has no text", l.id);
    }
}

#[test]
fn the_first_five_follow_the_guide() {
    let set = builtin();
    let ids: Vec<&str> = set.lessons.iter().take(5).map(|l| l.id.as_str()).collect();
    assert_eq!(
        ids,
        ["project-folder", "dockerfile", "build", "run", "verify"]
    );
    assert_eq!(
        set.lessons[2].actions,
        vec![Action::Build {
            tag: "my-docker-app".into(),
            dockerfile: None,
        }]
    );
    assert_eq!(
        set.lessons[2].command.as_deref(),
        Some("docker build -t my-docker-app .")
    );
    assert!(matches!(
        set.lessons[3].actions.as_slice(),
        [Action::Run { image, memory: None, .. }] if image == "my-docker-app"
    ));
    assert_eq!(set.lessons[4].actions, vec![Action::Images]);
    assert_eq!(
        set.lessons[2].actions[0].command(),
        "docker build -t my-docker-app ."
    );
}

#[test]
fn solutions_carry_the_guide_files() {
    let set = builtin();
    let df = &set.lessons[1].solution[0];
    assert_eq!(df.name, "Dockerfile");
    assert!(df.text.contains("CMD [\"python\", \"app.py\"]"));
}

fn parse_str(text: &str) -> Result<Lesson, LessonError> {
    parse("lessons/x.md", text, &Assets::builtin())
}

#[test]
fn errors_name_the_file_and_line() {
    let text = "+++\nid = \"x\"\ntitle = \"X\"\n\n[[checks]]\nkind = \"run_shell\"\ncommand = \"rm -rf ~\"\n+++\nbody\n";
    let err = parse_str(text).unwrap_err();
    assert_eq!(err.source, "lessons/x.md");
    assert_eq!(err.line, 6, "{err}");
    assert!(
        err.to_string()
            .starts_with("lessons/x.md:6: unknown check kind `run_shell` (allowed: `dir_exists`"),
        "{err}"
    );
}

#[test]
fn toml_syntax_errors_point_into_the_file() {
    let text = "+++\nid = \"x\"\ntitle = \"X\n+++\nbody\n";
    let err = parse_str(text).unwrap_err();
    assert_eq!(err.line, 3, "{err}");
}

#[test]
fn unknown_front_matter_keys_are_rejected() {
    let text = "+++\nid = \"x\"\ntitle = \"X\"\nrun = \"make\"\n+++\n";
    let err = parse_str(text).unwrap_err();
    assert!(err.message.contains("run"), "{err}");
}

#[test]
fn a_typo_in_a_check_names_its_own_line_and_the_nearest_key() {
    let text = "+++\nid = \"x\"\ntitle = \"X\"\n\n[[checks]]\nkind = \"file_exists\"\npath = \"a\"\n\n[[checks]]\nkind = \"python_prints\"\npath = \"app.py\"\nexpect = \"hi\"\n+++\n";
    let err = parse_str(text).unwrap_err();
    assert_eq!(err.line, 12, "{err}");
    assert!(
        err.to_string().starts_with(
            "lessons/x.md:12: unknown key `expect` in a `python_prints` check (allowed: `kind`, `id`, `label`, `fix`, `path`, `expected`)"
        ),
        "{err}"
    );
    assert!(err.message.ends_with("did you mean `expected`?"), "{err}");
}

#[test]
fn after_must_name_an_earlier_check() {
    let text = "+++\nid = \"x\"\ntitle = \"X\"\n[[checks]]\nkind = \"dockerfile\"\ninstruction = \"CMD\"\nafter = \"nope\"\n+++\n";
    let err = parse_str(text).unwrap_err();
    assert!(err.message.contains("nope"), "{err}");
    assert_eq!(err.line, 7, "the line of `after`");
}

#[test]
fn missing_assets_are_reported() {
    let text = "+++\nid = \"x\"\ntitle = \"X\"\nsolution = [\"nope/file.py\"]\n+++\n";
    assert!(
        parse_str(text)
            .unwrap_err()
            .message
            .contains("nope/file.py")
    );
}

#[test]
fn assets_cannot_escape_their_folder() {
    assert_eq!(Assets::builtin().get("../Cargo.toml"), None);
    assert!(Assets::builtin().get("first-image/app.py").is_some());
}

#[test]
fn a_broken_lesson_does_not_hide_the_others() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("01-good.md"), "+++\nid = \"good\"\ntitle = \"Good\"\n[[checks]]\nkind = \"file_exists\"\npath = \"a\"\n+++\nHi\n").unwrap();
    std::fs::write(dir.path().join("02-bad.md"), "no front matter\n").unwrap();
    std::fs::write(
        dir.path().join("03-dup.md"),
        "+++\nid = \"good\"\ntitle = \"Again\"\n+++\n",
    )
    .unwrap();
    let set = load_dir(dir.path()).unwrap();
    assert_eq!(set.lessons.len(), 1);
    assert_eq!(set.errors.len(), 2);
    assert!(
        set.errors[0].to_string().contains("02-bad.md:1:"),
        "{}",
        set.errors[0]
    );
    assert!(set.errors[1].message.contains("used by another lesson"));
}

#[test]
fn an_empty_folder_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    assert!(load_dir(dir.path()).unwrap_err().contains("no lessons"));
}

#[test]
fn watched_images_are_collected() {
    let set = builtin();
    assert!(
        set.watched_images()
            .contains(&"my-docker-app:latest".to_string())
    );
}

#[test]
fn several_actions_run_in_order() {
    let text = "+++\nid = \"x\"\ntitle = \"X\"\n[[action]]\nkind = \"build\"\ntag = \"a:full\"\ndockerfile = \"Dockerfile.full\"\n[[action]]\nkind = \"run\"\nimage = \"a\"\nmemory = \"256m\"\ncpus = 0.5\n[[action]]\nkind = \"compare\"\nimages = [\"a:full\", \"a\"]\n+++\n";
    let l = parse_str(text).unwrap();
    assert_eq!(l.actions.len(), 3);
    assert_eq!(
        l.actions[0].command(),
        "docker build -f Dockerfile.full -t a:full ."
    );
    assert_eq!(
        l.actions[1].command(),
        "docker run --memory 256m --cpus 0.5 a"
    );
    assert!(matches!(&l.actions[2], Action::Compare { images } if images.len() == 2));
}

#[test]
fn unknown_action_fields_are_rejected() {
    let text = "+++\nid = \"x\"\ntitle = \"X\"\n[action]\nkind = \"run\"\nimage = \"a\"\nports = \"80:80\"\n+++\n";
    assert!(parse_str(text).is_err());
}

/// Paths a lesson names in the workspace cannot leave it: `reset` and the
/// edit key would otherwise act on the learner's other files.
#[test]
fn lesson_paths_must_stay_in_the_workspace() {
    for (key, bad) in [
        ("edit", "../x"),
        ("edit", "/etc/passwd"),
        ("edit", "a/../../x"),
    ] {
        let text = format!("+++\nid = \"x\"\ntitle = \"X\"\n{key} = {bad:?}\n+++\nbody\n");
        let err = parse_str(&text).expect_err(bad);
        assert!(err.to_string().contains("inside the workspace"), "{err}");
    }
    let text = "+++\nid = \"x\"\ntitle = \"X\"\n[action]\nkind = \"build\"\ntag = \"a\"\ndockerfile = \"../Dockerfile\"\n+++\nbody\n";
    let err = parse_str(text).expect_err("dockerfile outside");
    assert!(err.to_string().contains("inside the workspace"), "{err}");
}
