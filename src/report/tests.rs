use super::*;

fn sample() -> Results {
    let check = |label: &str, status: Status, reason: Option<&str>| CheckResult {
        label: label.into(),
        status,
        reason: reason.map(str::to_string),
        fix: reason.map(|_| "build it <again> & run".to_string()),
        duration_ms: 1.5,
        last_passed: None,
    };
    let checks = vec![
        check("the image exists", Status::Pass, None),
        check(
            "it prints \"Hello\"",
            Status::Fail,
            Some("the container printed \"<b>Hi</b>\" & \u{1b}[31mred\u{7} — expected"),
        ),
        check("scan", Status::Blocked, Some("no engine")),
    ];
    Results {
        schema: SCHEMA,
        learner: "ada & <bob>".into(),
        workspace: "/w".into(),
        workspace_note: None,
        engine: None,
        checked_at: 0,
        passed: false,
        lessons: vec![LessonResult {
            number: 4,
            id: "run".into(),
            title: "Run a container".into(),
            passed: false,
            status: LessonResult::status_of(&checks),
            duration_ms: 4.5,
            last_passed: None,
            checks,
        }],
    }
}

#[test]
fn the_worst_status_is_the_lessons() {
    assert_eq!(sample().lessons[0].status, Status::Fail);
    assert_eq!(
        sample().lessons[0].first_failing().unwrap().label,
        "it prints \"Hello\""
    );
}

#[test]
fn json_round_trips_with_its_schema() {
    let json = serde_json::to_value(sample()).unwrap();
    assert_eq!(json["schema"], SCHEMA);
    assert_eq!(json["lessons"][0]["checks"][1]["status"], "fail");
    let back: Results = serde_json::from_value(json).unwrap();
    assert_eq!(back.lessons[0].checks.len(), 3);
}

/// Parsed back with quick-xml's reader: well-formed, escaped, and the
/// control characters XML cannot hold are gone.
#[test]
fn junit_is_well_formed_and_holds_the_reason() {
    let xml = junit::render(&sample());
    assert!(!xml.contains('\u{1b}') && !xml.contains('\u{7}'), "{xml}");
    let mut reader = quick_xml::Reader::from_str(&xml);
    let (mut suites, mut cases, mut failures, mut skipped) = (0, 0, 0, 0);
    let mut text = String::new();
    loop {
        match reader.read_event().expect("well-formed XML") {
            quick_xml::events::Event::Eof => break,
            quick_xml::events::Event::Start(e) | quick_xml::events::Event::Empty(e) => {
                match e.name().0 {
                    "testsuite" => suites += 1,
                    "testcase" => cases += 1,
                    "failure" => failures += 1,
                    "skipped" => skipped += 1,
                    _ => {}
                }
            }
            quick_xml::events::Event::Text(t) => {
                text.push_str(&t);
            }
            _ => {}
        }
    }
    assert_eq!((suites, cases, failures, skipped), (1, 3, 1, 1));
    assert!(xml.contains("&lt;b&gt;Hi&lt;/b&gt;"), "{xml}");
    assert!(xml.contains("ada &amp; &lt;bob&gt;"), "{xml}");
    assert!(text.contains("build it"), "{text}");
}

#[test]
fn merge_keeps_each_learners_latest_results() {
    let mut old = sample();
    old.learner = "ada".into();
    old.checked_at = 10;
    let mut new = old.clone();
    new.checked_at = 20;
    new.lessons[0].checks[1].status = Status::Pass;
    new.lessons[0].checks[2].status = Status::Pass;
    new.lessons[0].status = Status::Pass;
    new.lessons[0].passed = true;
    let class = merge::Class::merge(vec![new, old]);
    assert_eq!(class.learners.len(), 1);
    assert_eq!(class.learners[0].results.checked_at, 20);
    assert_eq!(class.learners[0].furthest, Some(4));
    assert!(class.learners[0].stuck.is_none());
    assert_eq!(class.pass_rate(4), (1, 1));
}

#[test]
fn the_common_failures_count_learners_and_keep_the_commonest_message() {
    let mut a = sample();
    a.learner = "a".into();
    let mut b = a.clone();
    b.learner = "b".into();
    let mut c = a.clone();
    c.learner = "c".into();
    c.lessons[0].checks[1].reason = Some("other".into());
    let class = merge::Class::merge(vec![a, b, c]);
    let common = class.common_failures(5);
    assert_eq!(common.len(), 1, "blocked checks are not failures");
    assert_eq!(common[0].learners, 3);
    assert!(common[0].reason.starts_with("the container printed"));
    assert_eq!(common[0].other_reasons, 1);
    let stuck = class.learners[0].stuck.as_ref().unwrap();
    assert_eq!(
        (stuck.lesson, stuck.check.as_str()),
        (4, "it prints \"Hello\"")
    );
}

#[test]
fn the_login_name_comes_from_passwd_when_no_variable_says() {
    let passwd =
        "root:x:0:0:root:/root:/bin/bash\n# comment\nada:x:1000:1000:Ada:/home/ada:/bin/sh\n";
    assert_eq!(super::passwd_name(passwd, 1000).as_deref(), Some("ada"));
    assert_eq!(super::passwd_name(passwd, 0).as_deref(), Some("root"));
    assert_eq!(super::passwd_name(passwd, 4242), None);
}
