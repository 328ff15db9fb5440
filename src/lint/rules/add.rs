//! DL3020: `ADD` for local files and folders.

use super::super::dockerfile::{Dockerfile, Kind};
use super::super::finding::{Finding, LintContext, RuleInfo, Severity};
use super::{drop_quotes, main_pass};

pub(crate) const DL3020: RuleInfo = RuleInfo {
    id: "DL3020",
    severity: Severity::Error,
    why: "ADD also downloads URLs and unpacks archives; COPY does only the plain copy, so it says what you mean.",
    lesson: Some("dockerfile"),
};

/// hadolint's list of archive suffixes.
const ARCHIVES: &[&str] = &[
    ".tar", ".Z", ".bz2", ".gz", ".lz", ".lzma", ".tZ", ".tb2", ".tbz", ".tbz2", ".tgz", ".tlz",
    ".tpz", ".txz", ".xz",
];

fn needs_add(src: &str) -> bool {
    let src = drop_quotes(src);
    ARCHIVES.iter().any(|ext| src.ends_with(ext))
        || src.starts_with("https://")
        || src.starts_with("http://")
}

pub(crate) fn check(df: &Dockerfile, _: &LintContext, out: &mut Vec<Finding>) {
    for (line, kind) in main_pass(df) {
        if let Kind::Add(sources) = kind
            && let Some(local) = sources.iter().find(|s| !needs_add(s))
        {
            out.push(DL3020.at(line, format!("`ADD {local}` copies a local file: use COPY")));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{fires, lines};

    #[test]
    fn local_files() {
        assert_eq!(lines("DL3020", "FROM a:1\nADD app.py /app/\n"), [2]);
        assert_eq!(lines("DL3020", "FROM a:1\nADD . /app\n"), [2]);
        assert_eq!(
            lines("DL3020", "FROM a:1\nADD --chown=1:1 x.tgz y /app/\n"),
            [2]
        );
        assert_eq!(lines("DL3020", "FROM a:1\nADD [\"a b\", \"/app/\"]\n"), [2]);
    }

    #[test]
    fn archives_and_urls() {
        assert!(!fires("DL3020", "FROM a:1\nADD rootfs.tar.gz /\n"));
        assert!(!fires(
            "DL3020",
            "FROM a:1\nADD https://example.com/x.sh /x.sh\n"
        ));
        assert!(!fires(
            "DL3020",
            "FROM a:1\nADD x.tar.xz http://e.com/y /\n"
        ));
        assert!(!fires("DL3020", "FROM a:1\nCOPY app.py /app/\n"));
    }
}
