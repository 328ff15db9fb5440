//! The class as one self-contained HTML page for the projector: per-lesson
//! pass rates, who is stuck where, the most common failing checks with
//! their messages, and the whole grid. No scripts, no network (inline CSS
//! only), and readable when printed. Every text from a results file is
//! escaped (quick-xml's escape).

use quick_xml::escape::escape;

use super::Status;
use super::merge::Class;

const STYLE: &str = "
body { font-family: system-ui, sans-serif; margin: 2rem; color: #111; background: #fff; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.2rem; margin-top: 2rem; }
table { border-collapse: collapse; margin: .5rem 0; }
th, td { border: 1px solid #999; padding: .25rem .5rem; text-align: left; vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.pass { background: #d9f2d9; } .fail { background: #f8d7d7; } .blocked { background: #eee; }
.bar { display: inline-block; height: .8rem; background: #2e7d32; }
@media print { body { margin: 0; } .bar { border: 1px solid #000; } h2 { break-after: avoid; } tr { break-inside: avoid; } }
";

/// Text for a page: escaped, control characters dropped.
pub(crate) fn esc(s: &str) -> String {
    let clean: String = s
        .chars()
        .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
        .collect();
    escape(clean.as_str()).into_owned()
}

/// Rounded to the nearest whole percent (2 of 3 is 67%).
fn percent(passed: usize, of: usize) -> usize {
    (passed * 100 + of / 2).checked_div(of).unwrap_or(0)
}

pub fn render(class: &Class) -> String {
    let mut h = String::new();
    h.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    h.push_str("<title>docktutor: class progress</title>\n<style>");
    h.push_str(STYLE);
    h.push_str("</style>\n</head>\n<body>\n<h1>Class progress</h1>\n");
    let newest = class
        .learners
        .iter()
        .map(|l| l.results.checked_at)
        .max()
        .unwrap_or(0);
    let all_done = class.learners.iter().filter(|l| l.stuck.is_none()).count();
    h.push_str(&format!(
        "<p>{} learners, {} lessons; {} finished every lesson checked. Results up to {}.</p>\n",
        class.learners.len(),
        class.lessons.len(),
        all_done,
        crate::text::utc_time(newest as i64)
    ));

    h.push_str("<h2>Pass rate per lesson</h2>\n<table>\n<tr><th>Lesson</th><th>Passed</th><th>Rate</th><th></th></tr>\n");
    for lesson in &class.lessons {
        let (passed, of) = class.pass_rate(lesson.number);
        let rate = percent(passed, of);
        h.push_str(&format!(
            "<tr><td>{}. {}</td><td class=\"num\">{passed} of {of}</td><td class=\"num\">{rate}%</td>\
             <td><span class=\"bar\" style=\"width: {}px\"></span></td></tr>\n",
            lesson.number,
            esc(&lesson.title),
            rate * 2
        ));
    }
    h.push_str("</table>\n");

    h.push_str("<h2>Who is stuck where</h2>\n<table>\n<tr><th>Learner</th><th>Furthest lesson</th><th>Stuck at</th><th>First failing check</th><th>Why</th></tr>\n");
    for learner in &class.learners {
        let furthest = learner
            .furthest
            .map_or("none".to_string(), |n| n.to_string());
        match &learner.stuck {
            Some(s) => h.push_str(&format!(
                "<tr><td>{}</td><td class=\"num\">{furthest}</td><td class=\"num\">{}</td><td>{}</td><td>{}</td></tr>\n",
                esc(&learner.results.learner),
                s.lesson,
                esc(&s.check),
                esc(&s.reason)
            )),
            None => h.push_str(&format!(
                "<tr class=\"pass\"><td>{}</td><td class=\"num\">{furthest}</td><td colspan=\"3\">all passed</td></tr>\n",
                esc(&learner.results.learner)
            )),
        }
    }
    h.push_str("</table>\n");

    h.push_str("<h2>Most common failing checks</h2>\n");
    let common = class.common_failures(10);
    if common.is_empty() {
        h.push_str("<p>No check fails.</p>\n");
    } else {
        h.push_str(
            "<table>\n<tr><th>Learners</th><th>Lesson</th><th>Check</th><th>Message</th></tr>\n",
        );
        for f in common {
            h.push_str(&format!(
                "<tr><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{}</td><td>{}</td></tr>\n",
                f.learners,
                f.lesson,
                esc(&f.check),
                esc(&f.reason)
                    + &match f.other_reasons {
                        0 => String::new(),
                        1 => " (and 1 other message)".into(),
                        n => format!(" (and {n} other messages)"),
                    }
            ));
        }
        h.push_str("</table>\n");
    }

    h.push_str("<h2>Every learner, every lesson</h2>\n<table>\n<tr><th>Learner</th>");
    for lesson in &class.lessons {
        h.push_str(&format!(
            "<th title=\"{}\">{}</th>",
            esc(&lesson.title),
            lesson.number
        ));
    }
    h.push_str("</tr>\n");
    for learner in &class.learners {
        h.push_str(&format!("<tr><td>{}</td>", esc(&learner.results.learner)));
        for lesson in &class.lessons {
            // Words as well as colours: printed in black and white, read aloud.
            let (class_name, word) = match Class::status(learner, lesson.number) {
                Some(Status::Pass) => ("pass", "pass"),
                Some(Status::Fail) => ("fail", "FAIL"),
                Some(Status::Blocked) => ("blocked", "wait"),
                None => ("", "–"),
            };
            h.push_str(&format!("<td class=\"{class_name}\">{word}</td>"));
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</table>\n</body>\n</html>\n");
    h
}
