//! `typed_command`: the learner typed the lesson's docker command at the
//! `:` prompt (any spelling with the same meaning) and it ran to the end;
//! or, unless `or_enter = false`, did the step another way (Enter, its
//! key, or their own shell), so typing stays an invitation, not a wall.

use std::path::Path;

use serde::Deserialize;

use super::{Doc, Field, Kind};
use crate::check::{Ctx, Shared, Verdict};
use crate::command::{self, DockerCommand};
use crate::engine::{EngineFacts, normalize_ref};

pub(crate) const DOC: Doc = Doc {
    fields: &[
        Field::required("command").note("a docker command, e.g. `\"docker build -t my-docker-app .\"`"),
        Field::default("or_enter", "true")
            .note("the step done another way (Enter, its key, the learner's shell) counts too"),
    ],
    passes: "a command with the same meaning was typed at the `:` prompt and ran to the end \
             (`docker build . --tag app` counts for `docker build -t app .`); a failure says what \
             differs",
    // Typed commands run on the engine: without one it waits, as the
    // lesson's other checks do.
    engine: true,
    example: r#"command = "docker build -t my-docker-app .""#,
};

/// How a pass was done, beside the check's label: the lesson says which
/// way the step was done, so a learner who pressed Enter knows typing it
/// is still open to them.
const TYPED: &str = "typed at :";
const NOT_TYPED: &str = "not typed here — : to try";

fn yes() -> bool {
    true
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct TypedCommand {
    command: String,
    #[serde(default = "yes")]
    or_enter: bool,
}

impl TypedCommand {
    fn expected(&self, workspace: &Path) -> Result<DockerCommand, String> {
        command::parse(&self.command, workspace).map_err(|e| format!("`command`: {e}"))
    }
}

/// Whether the step was done another way: the image was built, a
/// container of it ran, or (other commands) the engine answers, so the
/// lesson's own view shows what the command would.
fn done_otherwise(expected: &DockerCommand, facts: Option<&EngineFacts>) -> bool {
    let Some(facts) = facts else {
        return false;
    };
    match expected {
        DockerCommand::Build(b) => b.tags.iter().all(|t| facts.image_id(t).is_some()),
        DockerCommand::Run(r) => facts.runs.contains_key(&normalize_ref(&r.image)),
        // The images view lists what the engine has as soon as it answers.
        _ => true,
    }
}

impl Kind for TypedCommand {
    fn validate(&self) -> Result<(), String> {
        self.expected(Path::new("/")).map(|_| ())
    }

    fn default_label(&self) -> String {
        format!("you typed {}", self.command)
    }

    fn judge(&self, ctx: &Ctx<'_>, _: &mut Shared) -> Verdict {
        let expected = match self.expected(ctx.workspace) {
            Ok(e) => e,
            Err(e) => return Verdict::Fail(e),
        };
        let typed: Vec<(&String, DockerCommand)> = ctx
            .typed
            .iter()
            .rev()
            .filter_map(|line| Some((line, command::parse(line, ctx.workspace).ok()?)))
            .collect();
        if typed.iter().any(|(_, c)| c.equivalent(&expected)) {
            return Verdict::PassNoted(TYPED.into());
        }
        if ctx.engine.is_none() {
            return Verdict::Blocked(ctx.engine_missing.to_string());
        }
        if self.or_enter && done_otherwise(&expected, ctx.engine) {
            return Verdict::PassNoted(NOT_TYPED.into());
        }
        match typed.iter().find(|(_, c)| c.name() == expected.name()) {
            Some((line, c)) => {
                let what: Vec<String> =
                    c.differences(&expected).iter().map(ToString::to_string).collect();
                Verdict::Fail(format!("you typed {line} — {}", what.join("; ")))
            }
            None => Verdict::Fail(format!("press : and type {}", self.command)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::ImageInfo;

    fn judge(kind: &TypedCommand, typed: &[&str], facts: Option<&EngineFacts>) -> Verdict {
        let typed: Vec<String> = typed.iter().map(|s| (*s).to_string()).collect();
        let ctx = Ctx {
            workspace: Path::new("/ws"),
            engine: facts,
            engine_missing: "no engine",
            typed: &typed,
        };
        kind.judge(&ctx, &mut Shared::default())
    }

    fn build(or_enter: bool) -> TypedCommand {
        TypedCommand {
            command: "docker build -t my-docker-app .".into(),
            or_enter,
        }
    }

    #[test]
    fn any_spelling_with_the_same_meaning_counts() {
        for line in [
            "docker build -t my-docker-app .",
            "docker build . --tag my-docker-app",
            "docker build --tag=my-docker-app:latest ./",
        ] {
            assert!(matches!(judge(&build(false), &[line], None), Verdict::PassNoted(n) if n == TYPED), "{line}");
        }
        // The newest matching line counts, whatever came after.
        let v = judge(&build(false), &["docker build -t my-docker-app .", "docker images"], None);
        assert!(matches!(v, Verdict::PassNoted(_)));
    }

    #[test]
    fn a_different_command_says_what_differs() {
        let Verdict::Fail(why) = judge(&build(false), &["docker build -t my-app ."], Some(&EngineFacts::default())) else {
            panic!("passed");
        };
        assert_eq!(
            why,
            "you typed docker build -t my-app . — the image name: you typed my-app:latest, \
             the lesson's is my-docker-app:latest"
        );
        let empty = EngineFacts::default();
        let Verdict::Fail(why) = judge(&build(false), &[], Some(&empty)) else {
            panic!("passed");
        };
        assert_eq!(why, "press : and type docker build -t my-docker-app .");
        // Without an engine nothing can be typed and run: it waits.
        assert!(matches!(judge(&build(true), &[], None), Verdict::Blocked(_)));
    }

    #[test]
    fn the_step_done_another_way_counts_unless_the_lesson_says_not() {
        let mut facts = EngineFacts::default();
        facts.images.push(ImageInfo {
            id: "sha256:1".into(),
            repo_tags: vec!["my-docker-app:latest".into()],
            created: 0,
            size: 1,
        });
        // The lesson says it was not typed, and that typing is still open.
        assert!(matches!(judge(&build(true), &[], Some(&facts)), Verdict::PassNoted(n) if n == NOT_TYPED));
        assert!(matches!(
            judge(&build(true), &["docker build -t my-docker-app ."], Some(&facts)),
            Verdict::PassNoted(n) if n == TYPED
        ));
        assert!(matches!(judge(&build(false), &[], Some(&facts)), Verdict::Fail(_)));
        // Without the image, Enter has not done it either.
        let empty = EngineFacts::default();
        assert!(matches!(judge(&build(true), &[], Some(&empty)), Verdict::Fail(_)));
    }

    #[test]
    fn a_lesson_command_that_does_not_parse_is_refused_at_load() {
        let bad = TypedCommand {
            command: "docker biuld .".into(),
            or_enter: true,
        };
        assert!(bad.validate().unwrap_err().contains("did you mean docker build?"));
        assert!(build(true).validate().is_ok());
    }
}
