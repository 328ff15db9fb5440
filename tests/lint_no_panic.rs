//! The linter must never panic, whatever text it is given: learners type
//! half-finished Dockerfiles. Truncates and mutates every corpus file.

use std::path::Path;

use docktutor::lint::{LintContext, lint};

fn corpus_texts() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/lint/corpus");
    let mut texts: Vec<String> = std::fs::read_dir(dir)
        .expect("corpus dir")
        .map(|e| std::fs::read_to_string(e.expect("entry").path()).expect("utf-8 file"))
        .collect();
    texts.sort();
    texts
}

/// A small deterministic pseudo-random generator (no extra dependency).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, bound: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) as usize) % bound.max(1)
    }
}

const TRICKY: &[&str] = &[
    "\"",
    "'",
    "\\",
    "`",
    "$",
    "$(",
    "${",
    "(",
    ")",
    "{",
    "}",
    "|",
    "||",
    "&&",
    ";",
    ";;",
    "<<",
    "<<EOF",
    "<<-",
    ">",
    "\n",
    "\r\n",
    "\t",
    "#",
    " ",
    "é",
    "€",
    "🐳",
    "[",
    "]",
    "=",
    "--",
    "-o",
    "AS ",
    "FROM ",
    "RUN ",
    "\nEOF\n",
    "@",
    ":",
    "ONBUILD ",
    "# escape=`\n",
    "\\\n",
];

#[test]
fn truncated_files_do_not_panic() {
    let ctx = LintContext::default();
    for text in corpus_texts() {
        for (i, _) in text.char_indices() {
            let _ = lint(&text[..i], &ctx);
        }
    }
}

#[test]
fn mutated_files_do_not_panic() {
    let ctx = LintContext {
        has_dockerignore: true,
    };
    let mut rng = Lcg(0x5eed);
    for text in corpus_texts() {
        for _ in 0..300 {
            let mut t = text.clone();
            for _ in 0..=rng.next(3) {
                let boundaries: Vec<usize> =
                    t.char_indices().map(|(i, _)| i).chain([t.len()]).collect();
                let at = boundaries[rng.next(boundaries.len())];
                if rng.next(3) == 0 && at < t.len() {
                    t.remove(at);
                } else {
                    t.insert_str(at, TRICKY[rng.next(TRICKY.len())]);
                }
            }
            let _ = lint(&t, &ctx);
        }
    }
}
