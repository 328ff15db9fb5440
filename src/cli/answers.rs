//! `docktutor answers [--html FILE]`: the instructor's answer key — every
//! lesson of the course with its time estimate, the command it teaches,
//! what its key does, the instructor's notes and the solution files.
//! Printed as text; `--html` also writes a self-contained page (inline CSS,
//! no scripts, nothing fetched) that prints one lesson per page. Notes are
//! for the instructor: the app never shows them.

use std::path::Path;
use std::process::ExitCode;

use super::Setup;
use crate::lesson::{Lesson, LessonSet};
use crate::report::html::esc;

pub fn run(setup: &Setup, html: Option<&Path>) -> ExitCode {
    print!("{}", text(&setup.lessons));
    for e in &setup.lessons.errors {
        eprintln!("! {e}");
    }
    if let Some(path) = html
        && let Err(e) = std::fs::write(path, page(&setup.lessons))
    {
        eprintln!("docktutor: cannot write {}: {e}", path.display());
        return ExitCode::from(2);
    }
    if setup.lessons.errors.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn heading(set: &LessonSet) -> String {
    let title = set
        .title
        .as_deref()
        .unwrap_or("How to Create Your First Docker Image");
    format!("Answer key: {title}")
}

/// The commands a lesson shows: what it teaches, then what its key does.
fn commands(lesson: &Lesson) -> Vec<String> {
    let mut v: Vec<String> = lesson.command.iter().cloned().collect();
    for action in &lesson.actions {
        let c = action.command();
        if !v.contains(&c) {
            v.push(c);
        }
    }
    v
}

fn minutes(lesson: &Lesson) -> String {
    lesson
        .minutes
        .map(|m| format!(" ({m} min)"))
        .unwrap_or_default()
}

/// The answer key as plain text.
pub fn text(set: &LessonSet) -> String {
    let mut out = format!("{}\n", heading(set));
    if let Some(total) = super::lessons::total_minutes(set) {
        out.push_str(&format!("{total}\n"));
    }
    for (i, l) in set.lessons.iter().enumerate() {
        out.push_str(&format!(
            "\n== {}. {} [{}]{}\n",
            i + 1,
            l.title,
            l.id,
            minutes(l)
        ));
        for c in commands(l) {
            out.push_str(&format!("$ {c}\n"));
        }
        if !l.notes.is_empty() {
            out.push_str(&format!("\nNotes:\n{}\n", indent(&l.notes)));
        }
        for f in &l.solution {
            out.push_str(&format!("\n--- {} ---\n{}", f.name, f.text));
            if !f.text.ends_with('\n') {
                out.push('\n');
            }
        }
        if l.solution.is_empty() {
            out.push_str("\n(no solution files: the lesson's commands are the answer)\n");
        }
    }
    out
}

fn indent(text: &str) -> String {
    text.lines()
        .map(|l| format!("  {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

const STYLE: &str = "
body { font-family: system-ui, sans-serif; margin: 2rem; color: #111; background: #fff; max-width: 50rem; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.25rem; margin-top: 2.5rem; border-bottom: 1px solid #999; }
h3 { font-size: 1rem; margin-bottom: .25rem; font-family: ui-monospace, monospace; }
pre { background: #f4f4f4; border: 1px solid #ccc; padding: .5rem; white-space: pre-wrap; }
.notes { background: #fff8dc; border-left: 4px solid #c9a400; padding: .25rem .75rem; }
.id { color: #555; font-weight: normal; font-size: .9rem; }
@media print { body { margin: 0; max-width: none; } section { break-before: page; } section:first-of-type { break-before: auto; } pre, .notes { break-inside: avoid; } }
";

/// The answer key as a self-contained HTML page.
pub fn page(set: &LessonSet) -> String {
    let title = esc(&heading(set));
    let mut h = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>{title}</h1>\n"
    );
    let total = super::lessons::total_minutes(set).unwrap_or_default();
    h.push_str(&format!(
        "<p>{} lessons. {}</p>\n",
        set.lessons.len(),
        esc(&total)
    ));
    for (i, l) in set.lessons.iter().enumerate() {
        h.push_str(&format!(
            "<section>\n<h2>{}. {} <span class=\"id\">{}{}</span></h2>\n",
            i + 1,
            esc(&l.title),
            esc(&l.id),
            esc(&minutes(l))
        ));
        let commands = commands(l);
        if !commands.is_empty() {
            let lines: Vec<String> = commands.iter().map(|c| format!("$ {}", esc(c))).collect();
            h.push_str(&format!(
                "<pre class=\"commands\">{}</pre>\n",
                lines.join("\n")
            ));
        }
        if !l.notes.is_empty() {
            let paragraphs: Vec<String> = l
                .notes
                .split("\n\n")
                .map(|p| format!("<p>{}</p>", esc(p.trim())))
                .collect();
            h.push_str(&format!(
                "<div class=\"notes\"><strong>Notes</strong>{}</div>\n",
                paragraphs.join("")
            ));
        }
        for f in &l.solution {
            h.push_str(&format!(
                "<h3>{}</h3>\n<pre>{}</pre>\n",
                esc(&f.name),
                esc(&f.text)
            ));
        }
        h.push_str("</section>\n");
    }
    h.push_str("</body>\n</html>\n");
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_has_every_lesson_its_files_commands_and_notes() {
        let mut set = crate::lesson::builtin();
        set.lessons[0].notes = "Watch for <app.py> typed as app.py.txt".into();
        set.lessons[0].minutes = Some(10);
        let t = text(&set);
        let untimed = set.lessons.len() - 1;
        assert!(
            t.contains(&format!(
                "about 10 minutes in all ({untimed} lessons have no estimate)"
            )),
            "{t}"
        );
        for (i, l) in set.lessons.iter().enumerate() {
            assert!(
                t.contains(&format!("== {}. {}", i + 1, l.title)),
                "{}",
                l.id
            );
            for f in &l.solution {
                assert!(t.contains(&format!("--- {} ---", f.name)), "{}", l.id);
            }
        }
        assert!(t.contains("$ docker build -t my-docker-app ."), "{t}");
        assert!(t.contains("Notes:\n  Watch for <app.py>"), "{t}");
        let html = page(&set);
        assert!(html.contains("Watch for &lt;app.py&gt;"), "escaped");
        assert!(!html.contains("<script"));
    }
}
