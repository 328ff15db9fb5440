//! DT1003: a secret-looking `ENV` or `ARG` with a literal value.

use super::super::dockerfile::{Dockerfile, Kind};
use super::super::finding::{Finding, LintContext, RuleInfo, Severity};
use super::both_passes;

pub(crate) const DT1003: RuleInfo = RuleInfo {
    id: "DT1003",
    severity: Severity::Error,
    why: "ENV and ARG values are stored in the image and its history: anyone who can pull the image can read the secret.",
    lesson: Some("dockerignore"),
};

/// Name parts that make a variable a secret (a part may also end with them,
/// as in `GITHUBTOKEN`).
const SECRET_PARTS: &[&str] = &[
    "PASSWORD",
    "PASSWD",
    "SECRET",
    "TOKEN",
    "APIKEY",
    "CREDENTIAL",
    "CREDENTIALS",
];

/// `<first>_<second>` pairs that make a variable a secret.
const SECRET_PAIRS: &[(&str, &str)] = &[
    ("API", "KEY"),
    ("PRIVATE", "KEY"),
    ("ACCESS", "KEY"),
    ("AUTH", "KEY"),
    ("SIGNING", "KEY"),
    ("ENCRYPTION", "KEY"),
];

/// A last part that makes the variable point at a secret or describe it
/// rather than hold it: `DB_PASSWORD_FILE`, `TOKEN_URL`, `AWS_ACCESS_KEY_ID`.
const NOT_SECRET_SUFFIXES: &[&str] = &[
    "FILE", "PATH", "DIR", "URL", "URI", "HOST", "PORT", "ENDPOINT", "ID", "NAME", "USER",
    "USERNAME", "ENABLED", "LENGTH", "TIMEOUT", "TTL",
];

pub(crate) fn is_secret_name(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    let parts: Vec<&str> = upper
        .split(['_', '-', '.'])
        .filter(|p| !p.is_empty())
        .collect();
    let Some(last) = parts.last() else {
        return false;
    };
    if NOT_SECRET_SUFFIXES.contains(last) {
        return false;
    }
    let by_part = parts
        .iter()
        .any(|p| *p == "PASS" || SECRET_PARTS.iter().any(|s| p.ends_with(s)));
    let by_pair = parts
        .windows(2)
        .any(|w| SECRET_PAIRS.contains(&(w[0], w[1])));
    by_part || by_pair
}

/// A value written out in the Dockerfile, not taken from a build argument.
fn is_literal(value: &str) -> bool {
    let v = value.trim();
    !v.is_empty() && !v.starts_with('$')
}

pub(crate) fn check(df: &Dockerfile, _: &LintContext, out: &mut Vec<Finding>) {
    for (line, kind) in both_passes(df) {
        let (instruction, names): (&str, Vec<&str>) = match kind {
            Kind::Env(pairs) => (
                "ENV",
                pairs
                    .iter()
                    .filter(|(_, v)| is_literal(v))
                    .map(|(k, _)| k.as_str())
                    .collect(),
            ),
            Kind::Arg(pairs) => (
                "ARG",
                pairs
                    .iter()
                    .filter(|(_, v)| v.as_deref().is_some_and(is_literal))
                    .map(|(k, _)| k.as_str())
                    .collect(),
            ),
            _ => continue,
        };
        for name in names.into_iter().filter(|n| is_secret_name(n)) {
            out.push(DT1003.at(
                line,
                format!("{instruction} gives `{name}` a value in the Dockerfile: pass secrets at run time or with `RUN --mount=type=secret`"),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{fires, lines};
    use super::is_secret_name;

    #[test]
    fn secret_names() {
        for n in [
            "PASSWORD",
            "DB_PASSWORD",
            "mysql_root_password",
            "POSTGRES_PASSWD",
            "DB_PASS",
            "SECRET_KEY",
            "AWS_SECRET_ACCESS_KEY",
            "GITHUB_TOKEN",
            "NPMTOKEN",
            "API_KEY",
            "OPENAI_API_KEY",
            "STRIPE_APIKEY",
            "SSH_PRIVATE_KEY",
            "GOOGLE_CREDENTIALS",
        ] {
            assert!(is_secret_name(n), "{n}");
        }
        for n in [
            "PATH",
            "HOME",
            "PWD",
            "DB_PASSWORD_FILE",
            "TOKEN_URL",
            "AWS_ACCESS_KEY_ID",
            "TOKENIZERS_PARALLELISM",
            "PASSENGER_APP_ENV",
            "KEYBOARD",
            "SECRETS_DIR",
        ] {
            assert!(!is_secret_name(n), "{n}");
        }
    }

    #[test]
    fn literal_values_are_reported() {
        assert_eq!(lines("DT1003", "FROM a:1\nENV DB_PASSWORD=hunter2\n"), [2]);
        assert_eq!(lines("DT1003", "FROM a:1\nENV API_KEY sk-123\n"), [2]);
        assert_eq!(lines("DT1003", "ARG GITHUB_TOKEN=ghp_x\nFROM a:1\n"), [1]);
        assert_eq!(
            lines("DT1003", "FROM a:1\nENV A=1 SECRET_KEY=\"x y\" TOKEN=z\n"),
            [2, 2]
        );
        assert_eq!(lines("DT1003", "FROM a:1\nONBUILD ENV PASSWORD=x\n"), [2]);
    }

    #[test]
    fn references_and_bare_args_are_fine() {
        assert!(!fires("DT1003", "FROM a:1\nARG DB_PASSWORD\n"));
        assert!(!fires(
            "DT1003",
            "FROM a:1\nARG DB_PASSWORD\nENV DB_PASSWORD=$DB_PASSWORD\n"
        ));
        assert!(!fires(
            "DT1003",
            "FROM a:1\nENV DB_PASSWORD=${DB_PASSWORD}\n"
        ));
        assert!(!fires("DT1003", "FROM a:1\nENV DB_PASSWORD=\"\"\n"));
        assert!(!fires(
            "DT1003",
            "FROM a:1\nENV DB_PASSWORD_FILE=/run/secrets/db\n"
        ));
        assert!(!fires(
            "DT1003",
            "FROM a:1\nENV DEBIAN_FRONTEND=noninteractive\n"
        ));
    }
}
