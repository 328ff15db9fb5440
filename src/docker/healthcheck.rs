//! An image's HEALTHCHECK when the engine's inspect leaves it out: Podman's
//! Docker-compatible API (4.3) builds it into the image (docker format) but
//! its `/images/{name}/json` has no `Config.Healthcheck`. The image's history
//! still records the instruction, as `#(nop) HEALTHCHECK CMD …`.

use bollard::Docker;

/// The health check test (`["CMD-SHELL", "…"]` or `["CMD", …]`) that the
/// image's history records last; `None` when there is none or it is `NONE`.
pub async fn from_history(docker: &Docker, reference: &str) -> Option<Vec<String>> {
    let history = docker.image_history(reference).await.ok()?;
    // Newest layer first: the last HEALTHCHECK wins, as in a Dockerfile.
    history
        .iter()
        .find_map(|h| instruction(&h.created_by))
        .and_then(test_of)
}

/// The text after `HEALTHCHECK` in one history line, if it is one.
fn instruction(created_by: &str) -> Option<&str> {
    let at = created_by.find("#(nop)")?;
    let rest = created_by[at + "#(nop)".len()..].trim_start();
    rest.strip_prefix("HEALTHCHECK")
        .filter(|r| r.starts_with(char::is_whitespace))
        .map(str::trim)
}

/// `--interval=5s CMD python -c …` → `["CMD-SHELL", "python -c …"]`, as the
/// engine stores it; exec form stays a list; `NONE` is no health check.
fn test_of(text: &str) -> Option<Vec<String>> {
    let mut rest = text;
    while let Some(flag) = rest.strip_prefix("--") {
        rest = flag
            .split_once(char::is_whitespace)
            .map_or("", |(_, r)| r.trim_start());
    }
    let (word, args) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
    if !word.eq_ignore_ascii_case("CMD") {
        return None;
    }
    let args = args.trim();
    if args.starts_with('[')
        && let Ok(list) = serde_json::from_str::<Vec<String>>(args)
    {
        return Some(std::iter::once("CMD".to_string()).chain(list).collect());
    }
    (!args.is_empty()).then(|| vec!["CMD-SHELL".to_string(), args.to_string()])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn podman_history_lines_give_the_test_the_engine_would_store() {
        let line = "/bin/sh -c #(nop) HEALTHCHECK --interval=5s --timeout=3s CMD python -c 'import urllib.request'";
        assert_eq!(
            instruction(line).and_then(test_of),
            Some(vec![
                "CMD-SHELL".into(),
                "python -c 'import urllib.request'".into()
            ])
        );
        let exec =
            r#"/bin/sh -c #(nop) HEALTHCHECK CMD ["curl", "-f", "http://localhost:8000/health"]"#;
        assert_eq!(
            instruction(exec).and_then(test_of),
            Some(vec![
                "CMD".into(),
                "curl".into(),
                "-f".into(),
                "http://localhost:8000/health".into()
            ])
        );
        assert_eq!(
            instruction("/bin/sh -c #(nop) HEALTHCHECK NONE").and_then(test_of),
            None
        );
        // Not a HEALTHCHECK line, or a RUN that merely mentions one.
        assert_eq!(instruction("/bin/sh -c #(nop) CMD [\"python3\"]"), None);
        assert_eq!(instruction("/bin/sh -c echo HEALTHCHECK CMD true"), None);
        assert_eq!(instruction("/bin/sh -c #(nop) HEALTHCHECKS x"), None);
    }
}
