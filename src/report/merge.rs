//! Many learners' results merged into one view of a class: who passed what,
//! how far each got and where each is stuck, per-lesson pass rates, and the
//! failing checks most learners share.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::{Results, Status};

/// A lesson as the class saw it (by its number in the course).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LessonHead {
    pub number: usize,
    pub id: String,
    pub title: String,
}

/// Where one learner stands.
#[derive(Debug, Clone)]
pub struct Standing {
    pub results: Results,
    /// The highest-numbered lesson that passes.
    pub furthest: Option<usize>,
    /// The first lesson that does not pass, its first failing check and why.
    pub stuck: Option<Stuck>,
}

#[derive(Debug, Clone)]
pub struct Stuck {
    pub lesson: usize,
    pub check: String,
    pub reason: String,
}

/// A failing check and how many learners it stops.
#[derive(Debug, Clone)]
pub struct CommonFailure {
    pub lesson: usize,
    pub check: String,
    pub learners: usize,
    /// The reason most of them were given.
    pub reason: String,
    /// How many other reasons the rest were given.
    pub other_reasons: usize,
}

#[derive(Debug, Clone)]
pub struct Class {
    pub lessons: Vec<LessonHead>,
    pub learners: Vec<Standing>,
}

impl Class {
    /// One standing per learner: the latest results when a learner appears
    /// more than once. Sorted by learner name.
    pub fn merge(all: Vec<Results>) -> Class {
        let mut latest: BTreeMap<String, Results> = BTreeMap::new();
        for r in all {
            match latest.get(&r.learner) {
                Some(old) if old.checked_at > r.checked_at => {}
                _ => {
                    latest.insert(r.learner.clone(), r);
                }
            }
        }
        let mut lessons: BTreeMap<usize, LessonHead> = BTreeMap::new();
        for r in latest.values() {
            for l in &r.lessons {
                lessons.entry(l.number).or_insert_with(|| LessonHead {
                    number: l.number,
                    id: l.id.clone(),
                    title: l.title.clone(),
                });
            }
        }
        let learners = latest.into_values().map(standing).collect();
        Class {
            lessons: lessons.into_values().collect(),
            learners,
        }
    }

    /// A learner's status in a lesson (`None`: not in their results).
    pub fn status(learner: &Standing, lesson: usize) -> Option<Status> {
        learner
            .results
            .lessons
            .iter()
            .find(|l| l.number == lesson)
            .map(|l| l.status)
    }

    /// (passed, learners who have results for it) for a lesson.
    pub fn pass_rate(&self, lesson: usize) -> (usize, usize) {
        let statuses: Vec<Status> = self
            .learners
            .iter()
            .filter_map(|l| Class::status(l, lesson))
            .collect();
        let passed = statuses.iter().filter(|s| **s == Status::Pass).count();
        (passed, statuses.len())
    }

    /// The failing checks shared by most learners, most common first.
    pub fn common_failures(&self, at_most: usize) -> Vec<CommonFailure> {
        // (lesson, check) → reason → learners
        let mut seen: BTreeMap<(usize, String), BTreeMap<String, usize>> = BTreeMap::new();
        for learner in &self.learners {
            for lesson in &learner.results.lessons {
                for c in lesson.checks.iter().filter(|c| c.status == Status::Fail) {
                    let reason = c.reason.clone().unwrap_or_default();
                    *seen
                        .entry((lesson.number, c.label.clone()))
                        .or_default()
                        .entry(reason)
                        .or_default() += 1;
                }
            }
        }
        let mut out: Vec<CommonFailure> = seen
            .into_iter()
            .map(|((lesson, check), reasons)| {
                let learners = reasons.values().sum();
                let other_reasons = reasons.len() - 1;
                let reason = reasons
                    .into_iter()
                    .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(&a.0)))
                    .map(|(r, _)| r)
                    .unwrap_or_default();
                CommonFailure {
                    lesson,
                    check,
                    learners,
                    reason,
                    other_reasons,
                }
            })
            .collect();
        out.sort_by(|a, b| {
            b.learners
                .cmp(&a.learners)
                .then(a.lesson.cmp(&b.lesson))
                .then_with(|| a.check.cmp(&b.check))
        });
        out.truncate(at_most);
        out
    }
}

fn standing(results: Results) -> Standing {
    let furthest = results
        .lessons
        .iter()
        .filter(|l| l.passed)
        .map(|l| l.number)
        .max();
    let mut lessons: Vec<_> = results.lessons.iter().collect();
    lessons.sort_by_key(|l| l.number);
    let stuck = lessons.iter().find(|l| !l.passed).map(|l| {
        let first = l.first_failing();
        Stuck {
            lesson: l.number,
            check: first.map(|c| c.label.clone()).unwrap_or_default(),
            reason: first.and_then(|c| c.reason.clone()).unwrap_or_default(),
        }
    });
    Standing {
        results,
        furthest,
        stuck,
    }
}

/// Every results file named: a file as it is, a folder's `*.json` files.
pub fn files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let entries =
                std::fs::read_dir(p).map_err(|e| format!("cannot read {}: {e}", p.display()))?;
            let mut found: Vec<PathBuf> = entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|f| f.extension().is_some_and(|x| x == "json") && f.is_file())
                .collect();
            found.sort();
            out.extend(found);
        } else {
            out.push(p.clone());
        }
    }
    Ok(out)
}

/// A results file, or why it is not one.
pub fn read(path: &Path) -> Result<Results, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let results: Results = serde_json::from_str(&text)
        .map_err(|e| format!("{} is not docktutor check JSON: {e}", path.display()))?;
    if results.schema != super::SCHEMA {
        return Err(format!(
            "{} has schema {}; this docktutor reads schema {}",
            path.display(),
            results.schema,
            super::SCHEMA
        ));
    }
    Ok(results)
}
