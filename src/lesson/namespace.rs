//! A learner's namespace on a shared engine: every image name the lessons
//! teach — the repository of a build action's tag, `my-docker-app` in the
//! built-in course — becomes `NS/my-docker-app`, in the actions, the checks,
//! the shown commands and the docker commands of the lesson text, so thirty
//! learners on one engine never build, run or check each other's images.
//!
//! Only image references are renamed. The project folder (`mkdir
//! my-docker-app`), label values (`org.opencontainers.image.title=…`, a
//! check's `matches`) and prose stay as they are: a word is renamed when it
//! follows `docker ` (or `trivy `) on its line and is exactly a taught name,
//! with or without a tag. A note at the top of each renamed lesson says so.

use std::collections::BTreeSet;

use super::{Action, Lesson, LessonSet};

/// `--learner`'s name as a Docker repository path component: lower case,
/// `[a-z0-9]` runs joined by single `-` ("Ada Lovelace" → "ada-lovelace").
/// None when nothing usable is left.
pub fn of_learner(learner: &str) -> Option<String> {
    let mut out = String::new();
    for c in learner.trim().chars().flat_map(char::to_lowercase) {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_string();
    (!out.is_empty()).then_some(out)
}

/// The repositories the course builds (a build action's tag without its
/// tag part, and without the namespace once one is applied): the names a
/// namespace applies to.
pub fn taught(set: &LessonSet) -> BTreeSet<String> {
    let ns = set.namespace.as_deref().map(|n| format!("{n}/"));
    set.lessons
        .iter()
        .flat_map(|l| &l.actions)
        .filter_map(|a| match a {
            Action::Build { tag, .. } => Some(repository(tag)),
            _ => None,
        })
        .map(|r| match &ns {
            Some(ns) => r.strip_prefix(ns.as_str()).unwrap_or(r),
            None => r,
        })
        .filter(|r| !r.contains('/'))
        .map(str::to_string)
        .collect()
}

/// `(owner, name)` of `owner/name[:tag]` when `owner` is a namespace on
/// the engine's default registry (a learner's), not a registry host
/// (`registry.example.com/…`, `localhost:5000/…`).
pub fn owner_and_name(reference: &str) -> Option<(&str, &str)> {
    let (owner, name) = repository(reference).split_once('/')?;
    let plain = !owner.contains('.') && owner != "localhost" && !name.contains('/');
    plain.then_some((owner, name))
}

/// `name` of `name:tag` or `name@digest`.
pub fn repository(reference: &str) -> &str {
    let end = reference.find(['@', ':']).unwrap_or(reference.len());
    &reference[..end]
}

/// Renames taught image references for one namespace.
pub struct Renamer {
    ns: String,
    taught: BTreeSet<String>,
}

impl Renamer {
    pub fn new(ns: &str, taught: BTreeSet<String>) -> Renamer {
        Renamer {
            ns: ns.to_string(),
            taught,
        }
    }

    /// The namespaced name of an image reference, when it is a taught one.
    pub fn image(&self, reference: &str) -> Option<String> {
        self.taught
            .contains(repository(reference))
            .then(|| format!("{}/{reference}", self.ns))
    }

    /// Renames the image words of the docker commands in `text` (see the
    /// module docs).
    pub fn text(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len() + 16);
        for (i, line) in text.split('\n').enumerate() {
            if i > 0 {
                out.push('\n');
            }
            out.push_str(&self.line(line));
        }
        out
    }

    fn line(&self, line: &str) -> String {
        let full = "docker.io/library/";
        let line = self.taught.iter().fold(line.to_string(), |l, name| {
            // What Docker names the image: its namespace replaces library/.
            l.replace(
                &format!("{full}{name}"),
                &format!("docker.io/{}/{name}", self.ns),
            )
        });
        let Some(start) = ["docker ", "trivy "]
            .iter()
            .filter_map(|w| line.find(w))
            .min()
        else {
            return line;
        };
        let (head, tail) = line.split_at(start);
        format!("{head}{}", self.words(tail))
    }

    /// Renames every word of `text` that is exactly a taught image name:
    /// for a check's label and fix, which name the image in prose ("the
    /// engine has an image named my-docker-app").
    pub fn words(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len() + 16);
        let mut rest = text;
        while !rest.is_empty() {
            let word_end = rest.find(char::is_whitespace).unwrap_or(rest.len());
            let (word, after) = rest.split_at(word_end);
            out.push_str(&self.word(word));
            let space_end = after
                .find(|c: char| !c.is_whitespace())
                .unwrap_or(after.len());
            out.push_str(&after[..space_end]);
            rest = &after[space_end..];
        }
        out
    }

    /// One word of a command: quotes, backticks and trailing punctuation
    /// around it kept; `reference=NAME` (a filter) renamed too.
    fn word(&self, word: &str) -> String {
        let lead = word.len() - word.trim_start_matches(['`', '"', '\'', '(']).len();
        let core = &word[lead..];
        let core = core.trim_end_matches(['`', '"', '\'', ')', ',', ';', '.', '—']);
        let core_end = lead + core.len();
        let (prefix, name) = match core.strip_prefix("reference=") {
            Some(n) => ("reference=", n),
            None => ("", core),
        };
        match self.image(name) {
            Some(renamed) if !name.is_empty() => {
                format!("{}{prefix}{renamed}{}", &word[..lead], &word[core_end..])
            }
            _ => word.to_string(),
        }
    }

    /// The lesson with every taught image in the namespace; `changed` is
    /// whether anything was renamed.
    pub fn lesson(&self, lesson: &Lesson) -> Result<(Lesson, bool), String> {
        let mut l = lesson.clone();
        for action in &mut l.actions {
            let rename = |s: &mut String| {
                if let Some(n) = self.image(s) {
                    *s = n;
                }
            };
            match action {
                Action::Build { tag, .. } => rename(tag),
                Action::Run { image, .. } | Action::Scan { image } => rename(image),
                Action::Compare { images } => images.iter_mut().for_each(rename),
                Action::Images | Action::Tidy { .. } => {}
            }
        }
        l.command = l.command.as_deref().map(|c| self.text(c));
        l.hint = self.text(&l.hint);
        l.body = self.text(&l.body);
        for file in &mut l.solution {
            if !file.name.starts_with("Dockerfile") {
                file.text = self.text(&file.text);
            }
        }
        l.checks = l
            .checks
            .iter()
            .map(|c| {
                // A check of a taught image names it in prose too; other
                // checks' texts may name the folder (lesson 1), and an
                // image_label check's a label value: only their docker
                // commands are renamed.
                let of_image = c.needs().image.is_some_and(|i| self.image(i).is_some())
                    && c.kind_name() != "image_label";
                let prose = |s: &str| {
                    if of_image {
                        self.words(s)
                    } else {
                        self.text(s)
                    }
                };
                c.renamed(&|s| self.image(s), &|s| self.text(s), &prose)
            })
            .collect::<Result<_, _>>()
            .map_err(|e| format!("{}: {e}", lesson.source))?;
        let changed = format!("{:?}", l.actions) != format!("{:?}", lesson.actions)
            || l.command != lesson.command
            || l.body != lesson.body
            || l.hint != lesson.hint
            || l.checks
                .iter()
                .zip(&lesson.checks)
                .any(|(a, b)| a.differs(b));
        if changed {
            let names: Vec<String> = self
                .taught
                .iter()
                .map(|t| format!("`{}/{t}`", self.ns))
                .collect();
            l.body = format!(
                "> **This Docker engine is shared.** Your images are named {}, so that \
                 they never mix with anyone else's: the commands here use that name. Type \
                 them as shown.\n\n{}",
                names.join(", "),
                l.body
            );
        }
        Ok((l, changed))
    }
}

impl LessonSet {
    /// Every lesson with its taught images in namespace `ns` (see the module
    /// docs). A lesson that cannot be renamed keeps its error.
    pub fn in_namespace(&mut self, ns: &str) {
        let renamer = Renamer::new(ns, taught(self));
        let mut kept = Vec::new();
        for lesson in std::mem::take(&mut self.lessons) {
            match renamer.lesson(&lesson) {
                Ok((renamed, _)) => kept.push(renamed),
                Err(message) => self.errors.push(super::LessonError {
                    source: lesson.source.clone(),
                    line: 1,
                    message,
                }),
            }
        }
        self.lessons = kept;
        self.namespace = Some(ns.to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn renamer() -> Renamer {
        Renamer::new("ada", BTreeSet::from(["my-docker-app".to_string()]))
    }

    #[test]
    fn learner_names_become_namespaces() {
        assert_eq!(of_learner("alice").as_deref(), Some("alice"));
        assert_eq!(of_learner("Ada Lovelace").as_deref(), Some("ada-lovelace"));
        assert_eq!(of_learner(" J.O'Neil__2 ").as_deref(), Some("j-o-neil-2"));
        assert_eq!(of_learner("Zoë").as_deref(), Some("zo"));
        assert_eq!(of_learner("--"), None);
        assert_eq!(of_learner(""), None);
    }

    #[test]
    fn docker_commands_are_renamed_folders_and_labels_are_not() {
        let r = renamer();
        let cases = [
            (
                "docker build -t my-docker-app .",
                "docker build -t ada/my-docker-app .",
            ),
            (
                "`docker run my-docker-app`.",
                "`docker run ada/my-docker-app`.",
            ),
            (
                "run docker build -t my-docker-app:slim . in the folder",
                "run docker build -t ada/my-docker-app:slim . in the folder",
            ),
            (
                "mkdir my-docker-app && cd my-docker-app",
                "mkdir my-docker-app && cd my-docker-app",
            ),
            (
                "cd my-docker-app && docker run --rm my-docker-app",
                "cd my-docker-app && docker run --rm ada/my-docker-app",
            ),
            (
                "docker build --label org.opencontainers.image.title=my-docker-app -t my-docker-app .",
                "docker build --label org.opencontainers.image.title=my-docker-app -t ada/my-docker-app .",
            ),
            (
                "docker images --filter reference=my-docker-app",
                "docker images --filter reference=ada/my-docker-app",
            ),
            (
                "The title must be exactly `my-docker-app`: lesson 15 uses it",
                "The title must be exactly `my-docker-app`: lesson 15 uses it",
            ),
            (
                "naming to docker.io/library/my-docker-app",
                "naming to docker.io/ada/my-docker-app",
            ),
            (
                "docker build -t registry.example.com/team/my-docker-app .",
                "docker build -t registry.example.com/team/my-docker-app .",
            ),
            (
                "docker build -t my-docker-app-2 .",
                "docker build -t my-docker-app-2 .",
            ),
            ("trivy image my-docker-app", "trivy image ada/my-docker-app"),
            ("FROM python:3.9-slim", "FROM python:3.9-slim"),
        ];
        for (before, after) in cases {
            assert_eq!(r.text(before), after, "{before}");
        }
        assert_eq!(
            r.text("a\ndocker run my-docker-app\n"),
            "a\ndocker run ada/my-docker-app\n"
        );
    }

    #[test]
    fn image_references_keep_their_tag_and_foreign_names_stay() {
        let r = renamer();
        assert_eq!(
            r.image("my-docker-app").as_deref(),
            Some("ada/my-docker-app")
        );
        assert_eq!(
            r.image("my-docker-app:multi").as_deref(),
            Some("ada/my-docker-app:multi")
        );
        assert_eq!(r.image("python:3.9-slim"), None);
        assert_eq!(r.image("bob/my-docker-app"), None);
    }

    #[test]
    fn owners_are_namespaces_not_registries() {
        assert_eq!(
            owner_and_name("bob/my-docker-app:slim"),
            Some(("bob", "my-docker-app"))
        );
        assert_eq!(owner_and_name("my-docker-app"), None);
        assert_eq!(
            owner_and_name("registry.example.com/team/my-docker-app"),
            None
        );
        assert_eq!(owner_and_name("localhost:5000/my-docker-app"), None);
        assert_eq!(owner_and_name("localhost/my-docker-app"), None);
    }

    /// The built-in course in a namespace: lesson 1's folder stays, lesson
    /// 3 builds, checks and types `ada/my-docker-app`, lesson 13's label
    /// value stays `my-docker-app`, and only renamed lessons get the note.
    #[test]
    fn the_course_in_a_namespace() {
        let mut set = crate::lesson::builtin();
        let before = set.clone();
        set.in_namespace("ada");
        assert!(set.errors.is_empty(), "{:?}", set.errors);
        assert_eq!(set.namespace.as_deref(), Some("ada"));
        assert_eq!(taught(&set), taught(&before));
        let find = |id: &str| &set.lessons[set.find(id).unwrap()];
        let folder = find("project-folder");
        assert_eq!(
            folder.command.as_deref(),
            Some("mkdir my-docker-app && cd my-docker-app")
        );
        assert!(!folder.body.contains("shared"), "{}", folder.body);
        let build = find("build");
        assert_eq!(
            build.actions,
            [Action::Build {
                tag: "ada/my-docker-app".into(),
                dockerfile: None
            }]
        );
        assert_eq!(
            build.command.as_deref(),
            Some("docker build -t ada/my-docker-app .")
        );
        assert!(
            build
                .body
                .starts_with("> **This Docker engine is shared.**")
        );
        assert!(build.body.contains("docker build -t ada/my-docker-app ."));
        let debug = format!("{:?}", build.checks);
        assert!(!debug.contains("\"my-docker-app"), "{debug}");
        assert!(!debug.contains(" my-docker-app"), "{debug}");
        assert!(debug.contains("ada/my-docker-app:latest"), "{debug}");
        let labels = find("labels");
        let debug = format!("{:?}", labels.checks);
        assert!(debug.contains("^my-docker-app$"), "{debug}");
        let with_title = labels
            .solution
            .iter()
            .find(|f| f.name == "Dockerfile")
            .unwrap();
        assert!(with_title.text.contains("title=\"my-docker-app\""));
        // Nothing else changed: same lessons, same number of checks.
        assert_eq!(set.lessons.len(), before.lessons.len());
        for (a, b) in set.lessons.iter().zip(&before.lessons) {
            assert_eq!(a.checks.len(), b.checks.len(), "{}", a.id);
        }
    }
}
