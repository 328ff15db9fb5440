//! `docktutor lessons --check DIR`: a folder with one mistake of each kind
//! an instructor makes in a custom lesson, and the messages as a snapshot —
//! each at the mistake's own line, naming the key, the allowed keys or
//! values and the nearest one. The shipped lessons check clean.

mod support;

use std::path::Path;
use std::process::{Command, Output};

use support::bin;

/// `(file, front matter)`: each lesson has exactly one mistake.
const MISTAKES: &[(&str, &str)] = &[
    (
        "01-key-typo.md",
        "id = \"a\"\ntitle = \"A\"\n\n[[checks]]\nkind = \"file_exists\"\npath = \"app.py\"\nlable = \"app.py is there\"\n",
    ),
    (
        "02-front-matter-typo.md",
        "id = \"b\"\ntitle = \"B\"\nminuts = 10\n",
    ),
    (
        "03-kind-typo.md",
        "id = \"c\"\ntitle = \"C\"\n[[checks]]\nkind = \"file_exist\"\npath = \"app.py\"\n",
    ),
    (
        "04-instruction.md",
        "id = \"d\"\ntitle = \"D\"\n[[checks]]\nkind = \"dockerfile\"\ninstruction = \"FORM\"\n",
    ),
    (
        "05-image.md",
        "id = \"e\"\ntitle = \"E\"\n[[checks]]\nkind = \"image_exists\"\nimage = \"My-App\"\n",
    ),
    (
        "06-path.md",
        "id = \"f\"\ntitle = \"F\"\n[[checks]]\nkind = \"file_exists\"\npath = \"../secrets.txt\"\n",
    ),
    (
        "07-regex.md",
        "id = \"g\"\ntitle = \"G\"\n[[checks]]\nkind = \"dockerfile\"\ninstruction = \"CMD\"\nargs = \"python(.*\"\n",
    ),
    (
        "08-after.md",
        "id = \"h\"\ntitle = \"H\"\n[[checks]]\nid = \"copy_app\"\nkind = \"dockerfile\"\ninstruction = \"COPY\"\n\n[[checks]]\nkind = \"dockerfile\"\ninstruction = \"CMD\"\nafter = \"copy-app\"\n",
    ),
    (
        "09-value.md",
        "id = \"i\"\ntitle = \"I\"\n[[checks]]\nkind = \"dockerfile\"\ninstruction = \"USER\"\nstage = \"last\"\n",
    ),
    (
        "10-minutes.md",
        "id = \"j\"\ntitle = \"J\"\nminutes = \"ten\"\n",
    ),
    (
        "11-action.md",
        "id = \"k\"\ntitle = \"K\"\n[action]\nkind = \"biuld\"\ntag = \"my-docker-app\"\n",
    ),
    (
        "12-action-key.md",
        "id = \"l\"\ntitle = \"L\"\n[action]\nkind = \"run\"\nimage = \"my-docker-app\"\nport = \"8000\"\n",
    ),
    (
        "13-asset.md",
        "id = \"m\"\ntitle = \"M\"\nsolution = [\"nowhere/Dockerfile\"]\n",
    ),
    ("14-toml.md", "id = \"n\"\ntitle = \"N\n"),
];

fn check(path: &Path) -> Output {
    Command::new(bin())
        .args(["lessons", "--check"])
        .arg(path)
        .output()
        .expect("docktutor")
}

#[test]
fn every_kind_of_mistake_is_named_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    for (name, toml) in MISTAKES {
        std::fs::write(dir.path().join(name), format!("+++\n{toml}+++\n# Body\n")).unwrap();
    }
    let out = check(dir.path());
    assert_eq!(out.status.code(), Some(1));
    let shown =
        String::from_utf8_lossy(&out.stdout).replace(&format!("{}/", dir.path().display()), "");
    // One problem per file, in file order.
    assert_eq!(shown.lines().count(), MISTAKES.len() + 1, "{shown}");
    // The list of check kinds grows as kinds are added: the snapshot names
    // it, and this holds it to the registered kinds.
    let kinds: Vec<String> = docktutor::check::kinds::reference_table()
        .lines()
        .skip(2)
        .filter_map(|row| row.split('|').nth(1).map(|k| k.trim().to_string()))
        .collect();
    let listed = format!("(allowed: {})", kinds.join(", "));
    assert!(shown.contains(&listed), "{listed}\n{shown}");
    let shown = shown.replace(&listed, "(allowed: <every check kind>)");
    insta::assert_snapshot!(shown);
}

#[test]
fn duplicate_ids_across_files_are_a_problem() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["a.md", "b.md"] {
        std::fs::write(
            dir.path().join(name),
            "+++\nid = \"same\"\ntitle = \"T\"\n+++\n",
        )
        .unwrap();
    }
    let out = check(dir.path());
    assert_eq!(out.status.code(), Some(1));
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(
        shown.contains("b.md:2: lesson id \"same\" is used by another lesson"),
        "{shown}"
    );
}

#[test]
fn the_shipped_lessons_check_clean() {
    let lessons = Path::new(env!("CARGO_MANIFEST_DIR")).join("lessons");
    let out = check(&lessons);
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{shown}");
    let n = docktutor::lesson::builtin().lessons.len();
    assert_eq!(shown.trim(), format!("{n} lessons checked, 0 problems"));
}

#[test]
fn a_course_file_is_checked_with_its_lessons() {
    let dir = tempfile::tempdir().unwrap();
    let course = dir.path().join("course.toml");
    std::fs::write(&course, "lessons = [\"build\", \"extra.md\"]\n").unwrap();
    std::fs::write(
        dir.path().join("extra.md"),
        "+++\nid = \"x\"\ntitle = \"X\"\n[[checks]]\nkind = \"dockerfile\"\ninstruction = \"FORM\"\n+++\n",
    )
    .unwrap();
    let out = check(&course);
    let shown = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{shown}");
    assert!(
        shown.contains("extra.md:6: `instruction = \"FORM\"`"),
        "{shown}"
    );
    assert!(shown.ends_with("2 lessons checked, 1 problem\n"), "{shown}");

    std::fs::write(&course, "lessons = [\"biuld\"]\n").unwrap();
    let out = check(&course);
    let shown = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{shown}");
    assert!(
        shown.contains("course.toml:1: no built-in lesson with id `biuld` — did you mean `build`?"),
        "{shown}"
    );
}
