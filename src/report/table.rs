//! The class as a terminal table: a row per learner, a column per lesson
//! (✓ pass, ✗ fail, ◌ blocked, · not checked), how far each got and the
//! first check that stops them.

use super::Status;
use super::merge::Class;

pub fn symbol(status: Option<Status>) -> &'static str {
    match status {
        Some(Status::Pass) => "✓",
        Some(Status::Fail) => "✗",
        Some(Status::Blocked) => "◌",
        None => "·",
    }
}

/// At most `max` characters, with no control characters (the files come
/// from learners' machines and this goes to a terminal).
fn plain(s: &str, max: usize) -> String {
    let clean: String = s.chars().filter(|c| !c.is_control()).collect();
    if clean.chars().count() <= max {
        return clean;
    }
    let mut cut: String = clean.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

pub fn render(class: &Class) -> String {
    let name_width = class
        .learners
        .iter()
        .map(|l| l.results.learner.chars().count())
        .chain(std::iter::once("learner".len()))
        .max()
        .unwrap_or(7)
        .min(24);
    let mut out = format!("{:<name_width$} ", "learner");
    for lesson in &class.lessons {
        out.push_str(&format!("{:>3}", lesson.number));
    }
    out.push_str("  furthest  first failing check\n");
    for learner in &class.learners {
        let name = plain(&learner.results.learner, name_width);
        out.push_str(&format!("{name:<name_width$} "));
        for lesson in &class.lessons {
            out.push_str(&format!(
                "{:>3}",
                symbol(Class::status(learner, lesson.number))
            ));
        }
        let furthest = learner.furthest.map_or("-".to_string(), |n| n.to_string());
        out.push_str(&format!("  {furthest:>8}  "));
        match &learner.stuck {
            Some(s) => out.push_str(&plain(
                &format!("{}. {} — {}", s.lesson, s.check, s.reason),
                100,
            )),
            None => out.push_str("all passed"),
        }
        out.push('\n');
    }
    out.push_str("\npass rate ");
    for lesson in &class.lessons {
        let (passed, of) = class.pass_rate(lesson.number);
        out.push_str(&format!(" {}. {passed}/{of}", lesson.number));
    }
    out.push('\n');
    out
}
