//! JUnit XML for CI test reporters (GitLab, Jenkins, GitHub Classroom): one
//! testsuite per lesson, one testcase per check; a failed check is a
//! `<failure>` with its reason, a blocked one is `<skipped>`. quick-xml
//! writes the markup and escapes; characters XML 1.0 cannot hold at all
//! (control codes from a container's output) are dropped first.

use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

use super::{Results, Status};

/// Only what XML 1.0 allows: tab, newline, carriage return, and no other
/// control character or non-character.
fn xml_safe(s: &str) -> String {
    s.chars()
        .filter(|&c| {
            matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{FFFE}' && c != '\u{FFFF}')
        })
        .collect()
}

fn seconds(ms: f64) -> String {
    format!("{:.3}", ms / 1000.0)
}

pub fn render(results: &Results) -> String {
    let mut w = Writer::new_with_indent(Vec::new(), b' ', 2);
    // Writing into a Vec cannot fail.
    let mut put = |e: Event<'_>| w.write_event(e).expect("write to memory");
    put(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)));

    let count = |s: Status| {
        results
            .lessons
            .iter()
            .flat_map(|l| &l.checks)
            .filter(|c| c.status == s)
            .count()
    };
    let tests: usize = results.lessons.iter().map(|l| l.checks.len()).sum();
    let total_ms: f64 = results.lessons.iter().map(|l| l.duration_ms).sum();
    let learner = xml_safe(&results.learner);
    let mut suites = BytesStart::new("testsuites");
    suites.push_attribute(("name", format!("docktutor: {learner}").as_str()));
    suites.push_attribute(("tests", tests.to_string().as_str()));
    suites.push_attribute(("failures", count(Status::Fail).to_string().as_str()));
    suites.push_attribute(("skipped", count(Status::Blocked).to_string().as_str()));
    suites.push_attribute(("errors", "0"));
    suites.push_attribute(("time", seconds(total_ms).as_str()));
    put(Event::Start(suites));

    for lesson in &results.lessons {
        let of = |s: Status| lesson.checks.iter().filter(|c| c.status == s).count();
        let mut suite = BytesStart::new("testsuite");
        let name = xml_safe(&format!("{}. {}", lesson.number, lesson.title));
        suite.push_attribute(("name", name.as_str()));
        suite.push_attribute(("id", xml_safe(&lesson.id).as_str()));
        suite.push_attribute(("tests", lesson.checks.len().to_string().as_str()));
        suite.push_attribute(("failures", of(Status::Fail).to_string().as_str()));
        suite.push_attribute(("skipped", of(Status::Blocked).to_string().as_str()));
        suite.push_attribute(("errors", "0"));
        suite.push_attribute(("time", seconds(lesson.duration_ms).as_str()));
        put(Event::Start(suite));
        for check in &lesson.checks {
            let mut case = BytesStart::new("testcase");
            let classname = xml_safe(&format!("{learner}.{}", lesson.id));
            case.push_attribute(("classname", classname.as_str()));
            case.push_attribute(("name", xml_safe(&check.label).as_str()));
            case.push_attribute(("time", seconds(check.duration_ms).as_str()));
            let reason = xml_safe(check.reason.as_deref().unwrap_or_default());
            match check.status {
                Status::Pass => put(Event::Empty(case)),
                Status::Fail => {
                    put(Event::Start(case));
                    let mut failure = BytesStart::new("failure");
                    failure.push_attribute(("message", reason.as_str()));
                    failure.push_attribute(("type", "check"));
                    put(Event::Start(failure));
                    let body = match &check.fix {
                        Some(fix) => format!("{reason}\nFix: {}", xml_safe(fix)),
                        None => reason.clone(),
                    };
                    put(Event::Text(BytesText::new(&body)));
                    put(Event::End(BytesEnd::new("failure")));
                    put(Event::End(BytesEnd::new("testcase")));
                }
                Status::Blocked => {
                    put(Event::Start(case));
                    let mut skipped = BytesStart::new("skipped");
                    skipped.push_attribute(("message", reason.as_str()));
                    put(Event::Empty(skipped));
                    put(Event::End(BytesEnd::new("testcase")));
                }
            }
        }
        put(Event::End(BytesEnd::new("testsuite")));
    }
    put(Event::End(BytesEnd::new("testsuites")));
    let mut out = String::from_utf8(w.into_inner()).expect("quick-xml writes UTF-8");
    out.push('\n');
    out
}
