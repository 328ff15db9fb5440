//! DL3025: `CMD`, `ENTRYPOINT` (and `HEALTHCHECK CMD`) not in JSON form.

use super::super::dockerfile::{Dockerfile, Kind};
use super::super::finding::{Finding, LintContext, RuleInfo, Severity};
use super::main_pass;

pub(crate) const DL3025: RuleInfo = RuleInfo {
    id: "DL3025",
    severity: Severity::Warning,
    why: "Shell form wraps the command in /bin/sh -c, so your process is not PID 1 and never sees SIGTERM from docker stop.",
    lesson: Some("dockerfile"),
};

pub(crate) fn check(df: &Dockerfile, _: &LintContext, out: &mut Vec<Finding>) {
    for (line, kind) in main_pass(df) {
        let name = match kind {
            Kind::Cmd(false) => "CMD",
            Kind::Entrypoint(false) => "ENTRYPOINT",
            Kind::Healthcheck(Some(false)) => "HEALTHCHECK CMD",
            _ => continue,
        };
        out.push(DL3025.at(
            line,
            format!(
                "{name} is in shell form: write it as a JSON array like [\"python\", \"app.py\"]"
            ),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{fires, lines};

    #[test]
    fn shell_form() {
        assert_eq!(lines("DL3025", "FROM a:1\nCMD python app.py\n"), [2]);
        assert_eq!(lines("DL3025", "FROM a:1\nENTRYPOINT /run.sh\n"), [2]);
        assert_eq!(
            lines(
                "DL3025",
                "FROM a:1\nHEALTHCHECK --interval=5s CMD curl -f http://x/\n"
            ),
            [2]
        );
        assert_eq!(lines("DL3025", "FROM a:1\nCMD ['python', 'app.py']\n"), [2]);
    }

    #[test]
    fn json_form() {
        assert!(!fires("DL3025", "FROM a:1\nCMD [\"python\", \"app.py\"]\n"));
        assert!(!fires(
            "DL3025",
            "FROM a:1\nENTRYPOINT [\"/run.sh\"]\nCMD [\"-x\"]\n"
        ));
        assert!(!fires(
            "DL3025",
            "FROM a:1\nHEALTHCHECK CMD [\"curl\", \"-f\", \"http://x/\"]\n"
        ));
        assert!(!fires("DL3025", "FROM a:1\nHEALTHCHECK NONE\n"));
        assert!(!fires("DL3025", "FROM a:1\nONBUILD CMD x\n"));
    }
}
