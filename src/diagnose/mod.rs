//! Diagnosing the near miss: when a check fails, what the learner most
//! probably did, where (file, line, column), and the one edit or command
//! that fixes it.
//!
//! Each part reads files, the Dockerfile model, the build-context plan or
//! the engine's facts, and never writes or runs anything:
//! - [`workspace`]: which folder is the project folder, and where the files
//!   are when it does not exist;
//! - [`near`]: a missing file's near names (another case, an extension an
//!   editor added, a subfolder or the parent, a typo);
//! - [`invisible`]: what the eye cannot see (typographic quotes, non-breaking
//!   spaces, byte-order marks, CRLF, another encoding, an empty file);
//! - [`syntax`]: Dockerfile near misses (a misspelt instruction, a missing
//!   `\`, a broken exec-form list, too few arguments, a misspelt word);
//! - [`images`]: a base image name or tag one or two letters away from one
//!   the lessons use or the engine has;
//! - [`python`]: what Python will refuse in `app.py` before it runs;
//! - [`preflight`]: whether a build can work, judged statically against the
//!   build context the engine will see;
//! - [`runtime`]: a failed container's output, translated;
//! - [`stale`]: an image older than the files it was built from.

pub mod images;
pub mod invisible;
pub mod near;
pub mod preflight;
pub mod python;
pub mod runtime;
pub mod stale;
pub mod syntax;
pub mod workspace;

use std::path::Path;

use serde::Serialize;

/// A failure whose cause is known: what is wrong (the file and line, what is
/// there, what is expected) and the one edit or command that fixes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnosis {
    pub reason: String,
    pub fix: String,
}

impl Diagnosis {
    /// A diagnosis quotes files and a container's output; no control
    /// character of them reaches the learner's terminal (a carriage return
    /// reads `\r`).
    pub fn new(reason: impl Into<String>, fix: impl Into<String>) -> Diagnosis {
        Diagnosis {
            reason: printable(&reason.into()),
            fix: printable(&fix.into()),
        }
    }
}

/// `text` with its control characters written out (`\r`, `\u{1b}`).
pub fn printable(text: &str) -> String {
    if !text.chars().any(char::is_control) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\r' => out.push_str("\\r"),
            '\t' => out.push(' '),
            c if c.is_control() => out.extend(c.escape_unicode()),
            c => out.push(c),
        }
    }
    out
}

/// A word as a POSIX shell reads it back: as is when that is safe, else in
/// single quotes.
pub fn sh_quote(word: &str) -> String {
    let safe = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./+,:@%=".contains(c));
    if safe {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    }
}

/// A path as the learner would type it from the folder they are in:
/// relative when it is below (or is) the current folder.
pub fn shown_path(path: &Path) -> String {
    let cwd = std::env::current_dir().ok();
    match cwd.as_deref().and_then(|c| path.strip_prefix(c).ok()) {
        Some(rel) if rel.as_os_str().is_empty() => ".".into(),
        Some(rel) => rel.display().to_string(),
        None => path.display().to_string(),
    }
}

/// A command to run in `dir`: as is when the learner is there already,
/// else after a `cd`.
pub fn in_dir(dir: &Path, command: &str) -> String {
    let here = std::env::current_dir()
        .ok()
        .and_then(|c| std::fs::canonicalize(c).ok());
    let there = std::fs::canonicalize(dir).ok();
    if here.is_some() && here == there {
        command.to_string()
    } else {
        format!("cd {} && {command}", sh_quote(&dir.display().to_string()))
    }
}

/// Optimal string alignment distance (one edit: insert, delete, replace, or
/// swap two neighbours), the measure of "one or two letters away".
pub fn distance(a: &str, b: &str) -> usize {
    strsim::osa_distance(a, b)
}

/// Whether `typed` is a near miss of `meant`: not equal, and one edit away,
/// or two for words of six letters or more.
pub fn is_near(typed: &str, meant: &str) -> bool {
    if typed == meant {
        return false;
    }
    let d = distance(typed, meant);
    d == 1 || (d == 2 && meant.chars().count() >= 6 && typed.chars().count() >= 5)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_for_the_shell() {
        assert_eq!(sh_quote("app.py"), "app.py");
        assert_eq!(sh_quote("app.py "), "'app.py '");
        assert_eq!(sh_quote("it's"), "'it'\\''s'");
    }

    #[test]
    fn diagnoses_carry_no_control_characters() {
        let d = Diagnosis::new("a\x1b[2Jb\r", "c\u{7}");
        assert_eq!(d.reason, "a\\u{1b}[2Jb\\r");
        assert_eq!(d.fix, "c\\u{7}");
    }

    #[test]
    fn near_words() {
        assert!(is_near("FORM", "FROM"));
        assert!(is_near("instal", "install"));
        assert!(is_near("WORKIDR", "WORKDIR"));
        assert!(is_near("pyhton", "python"));
        assert!(!is_near("RUN", "ENV"));
        assert!(!is_near("app", "app"));
        assert!(!is_near("ab", "cd"));
    }
}
