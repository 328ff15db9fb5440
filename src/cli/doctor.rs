//! `docktutor doctor`: a preflight for learners, and for instructors before
//! a workshop. Exit code 0 only when the machine is ready.

use std::process::ExitCode;

use super::Setup;
use crate::docker::doctor::{Report, doctor};
use crate::text::human_bytes;

pub async fn run(setup: &Setup, json: bool) -> ExitCode {
    let report = doctor(&setup.env, &setup.lessons.base_images()).await;
    if json {
        match serde_json::to_string_pretty(&report) {
            Ok(s) => println!("{s}"),
            Err(e) => eprintln!("docktutor: {e}"),
        }
    } else {
        print_text(&report);
        if let Some(identity) = crate::docker::learner::current() {
            println!("· {}", super::learner::describe(identity));
        }
        if let Some(inside) = crate::engine::container::inside() {
            println!(
                "· docktutor runs in {} (found {}); workspace {}{}",
                inside.described(),
                inside.evidence,
                setup.workspace.display(),
                super::on_the_host(&setup.workspace)
            );
        }
    }
    if report.ready {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn print_text(r: &Report) {
    match &r.engine {
        Some(e) => {
            println!(
                "✓ engine     {} {} (API {}, {}{})",
                e.name,
                e.version,
                e.api_version,
                e.os_arch,
                if e.rootless { ", rootless" } else { "" }
            );
            println!("             at {} ({})", e.address, e.found);
            println!("✓ builder    {} ({})", e.builder, e.builder_why);
        }
        None => {
            println!("✗ engine     none answered");
            for t in &r.tried {
                if t.address.is_empty() {
                    println!("             {}", t.error);
                } else {
                    println!(
                        "             tried {} ({}): {}",
                        t.address, t.found, t.error
                    );
                }
            }
        }
    }
    for img in &r.base_images {
        let (mark, state) = match (img.present, img.pullable) {
            (true, _) => ("✓", "present".to_string()),
            (false, Some(true)) => ("·", "not here, can be pulled".to_string()),
            (false, None) => (
                "·",
                "not here; the first build tries to pull it".to_string(),
            ),
            (false, Some(false)) => (
                "✗",
                format!(
                    "not here, cannot be pulled{}",
                    img.detail
                        .as_deref()
                        .map(|d| format!(": {d}"))
                        .unwrap_or_default()
                ),
            ),
        };
        println!("{mark} base image {} — {state}", img.name);
    }
    if let Some(d) = &r.disk {
        println!(
            "{} disk       {} free in {}",
            match crate::docker::doctor::space(d.free_bytes) {
                crate::docker::doctor::Space::Plenty => "✓",
                crate::docker::doctor::Space::Low => "!",
                crate::docker::doctor::Space::TooLittle => "✗",
            },
            human_bytes(d.free_bytes),
            d.path
        );
    }
    for n in &r.notes {
        println!("· {n}");
    }
    if r.problems.is_empty() {
        println!("\nReady for the lessons.");
    } else {
        println!("\nNot ready:");
        for p in &r.problems {
            println!("  ✗ {}\n    → {}", p.what, p.fix);
        }
    }
}
