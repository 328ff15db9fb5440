//! `docker image inspect --format` for the fields the lessons use:
//! `{{.Size}}`, `{{.Config.Cmd}}`, `{{json .Config}}`, with text around
//! them; values print as Go's templates print them (`[python app.py]`).
//! Anything else (`range`, `index`, pipes) is named as not read here.

use std::sync::LazyLock;

use regex::Regex;
use serde_json::Value;

static ACTION: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\{\{(.*?)\}\}").expect("a fixed regex"));
static FIELD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(json\s+)?\.([A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)*)?\s*$").expect("a fixed regex")
});

/// The template applied to one inspected object (its JSON, as the engine
/// sends it), or why it cannot be.
pub fn apply(template: &str, value: &Value) -> Result<String, String> {
    let mut out = String::new();
    let mut last = 0;
    for m in ACTION.captures_iter(template) {
        let whole = m.get(0).expect("group 0 always matches");
        out.push_str(&template[last..whole.start()]);
        last = whole.end();
        let inner = &m[1];
        let Some(field) = FIELD.captures(inner) else {
            return Err(format!(
                "docktutor reads --format fields like '{{{{.Size}}}}', '{{{{.Config.Cmd}}}}' \
                 or '{{{{json .Config}}}}', not '{{{{{inner}}}}}'"
            ));
        };
        let path = field.get(2).map_or("", |p| p.as_str());
        let found = path
            .split('.')
            .filter(|s| !s.is_empty())
            .try_fold(value, |v, key| v.get(key));
        match (found, field.get(1).is_some()) {
            (None, _) => out.push_str("<no value>"),
            (Some(v), true) => out.push_str(&v.to_string()),
            (Some(v), false) => out.push_str(&go_text(v)),
        }
    }
    out.push_str(&template[last..]);
    Ok(out)
}

/// A value as Go's `{{.Field}}` prints it.
fn go_text(v: &Value) -> String {
    match v {
        Value::Null => "[]".into(),
        Value::String(s) => s.clone(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::Array(a) => format!("[{}]", a.iter().map(go_text).collect::<Vec<_>>().join(" ")),
        Value::Object(o) => {
            let mut pairs: Vec<String> = o
                .iter()
                .map(|(k, v)| format!("{k}:{}", go_text(v)))
                .collect();
            pairs.sort();
            format!("map[{}]", pairs.join(" "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn image() -> Value {
        serde_json::json!({
            "Id": "sha256:abc",
            "Size": 131_000_000,
            "Config": {"Cmd": ["python", "app.py"], "User": "", "ExposedPorts": {"80/tcp": {}},
                        "Entrypoint": null}
        })
    }

    #[test]
    fn fields_print_as_go_prints_them() {
        assert_eq!(apply("{{.Size}}", &image()).unwrap(), "131000000");
        assert_eq!(
            apply("{{.Config.Cmd}}", &image()).unwrap(),
            "[python app.py]"
        );
        assert_eq!(apply("{{ .Config.Entrypoint }}", &image()).unwrap(), "[]");
        assert_eq!(
            apply("{{.Config.ExposedPorts}}", &image()).unwrap(),
            "map[80/tcp:map[]]"
        );
        assert_eq!(
            apply("id={{.Id}} user='{{.Config.User}}'", &image()).unwrap(),
            "id=sha256:abc user=''"
        );
        assert_eq!(
            apply("{{json .Config.Cmd}}", &image()).unwrap(),
            r#"["python","app.py"]"#
        );
        assert_eq!(apply("{{.Nope}}", &image()).unwrap(), "<no value>");
    }

    #[test]
    fn other_templates_are_named() {
        let e = apply("{{range .Config.Env}}{{.}}{{end}}", &image()).unwrap_err();
        assert!(e.contains("not '{{range .Config.Env}}'"), "{e}");
    }
}
