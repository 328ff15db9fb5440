//! The class as CSV (the csv crate quotes): a row per learner, a column per
//! lesson with its status, then how far they got and where they are stuck.

use super::merge::Class;

pub fn render(class: &Class) -> Result<String, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut head = vec![
        "learner".to_string(),
        "workspace".into(),
        "checked_at".into(),
    ];
    head.extend(
        class
            .lessons
            .iter()
            .map(|l| format!("{} {}", l.number, l.id)),
    );
    head.extend([
        "furthest_lesson".into(),
        "stuck_lesson".into(),
        "first_failing_check".into(),
        "reason".into(),
    ]);
    w.write_record(&head)?;
    for learner in &class.learners {
        let r = &learner.results;
        let mut row = vec![
            r.learner.clone(),
            r.workspace.clone(),
            crate::text::utc_time(r.checked_at as i64),
        ];
        row.extend(class.lessons.iter().map(|l| {
            match Class::status(learner, l.number) {
                Some(super::Status::Pass) => "pass",
                Some(super::Status::Fail) => "fail",
                Some(super::Status::Blocked) => "blocked",
                None => "",
            }
            .to_string()
        }));
        row.push(learner.furthest.map(|n| n.to_string()).unwrap_or_default());
        match &learner.stuck {
            Some(s) => row.extend([s.lesson.to_string(), s.check.clone(), s.reason.clone()]),
            None => row.extend([String::new(), String::new(), String::new()]),
        }
        w.write_record(&row)?;
    }
    let bytes = w.into_inner().map_err(|e| e.into_error())?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}
