//! What each kind tells lesson authors: its fields and what makes it pass.
//! The check-kind table in `lessons/README.md` is [`reference_table`]'s
//! output, between two marker comments.

use super::KINDS;

/// A kind's documentation, declared next to its struct.
#[derive(Debug, Clone, Copy)]
pub struct Doc {
    /// Every field of the kind's struct, in the order to show them.
    pub fields: &'static [Field],
    /// "Passes when …", in Markdown.
    pub passes: &'static str,
    /// Whether the engine answers it (without an engine it waits: ◌).
    pub engine: bool,
    /// A check of this kind with exactly its required fields, as TOML
    /// without `kind`. The tests read it to hold the docs to the struct.
    pub example: &'static str,
}

/// One field of a kind, as the README shows it.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    pub name: &'static str,
    pub need: Need,
    /// A short note in Markdown, e.g. "regex" or `` `"."` is the workspace``.
    pub note: &'static str,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    Required,
    /// May be left out; it then has this value (written as TOML).
    Default(&'static str),
    /// May be left out, and then it is not checked.
    Optional,
}

impl Field {
    pub const fn required(name: &'static str) -> Field {
        Field {
            name,
            need: Need::Required,
            note: "",
        }
    }

    pub const fn default(name: &'static str, value: &'static str) -> Field {
        Field {
            name,
            need: Need::Default(value),
            note: "",
        }
    }

    pub const fn optional(name: &'static str) -> Field {
        Field {
            name,
            need: Need::Optional,
            note: "",
        }
    }

    pub const fn note(self, note: &'static str) -> Field {
        Field { note, ..self }
    }

    /// `` `name` ``, `` `name = default` `` or `` `name` (optional) ``, with
    /// the note in brackets.
    fn markdown(&self) -> String {
        let name = match self.need {
            Need::Default(value) => format!("`{} = {value}`", self.name),
            _ => format!("`{}`", self.name),
        };
        let notes: Vec<&str> = [
            self.note,
            if self.need == Need::Optional {
                "optional"
            } else {
                ""
            },
        ]
        .into_iter()
        .filter(|n| !n.is_empty())
        .collect();
        if notes.is_empty() {
            name
        } else {
            format!("{name} ({})", notes.join(", "))
        }
    }
}

/// The README's check-kind table, one row per registered kind.
pub fn reference_table() -> String {
    let mut out =
        String::from("| `kind` | Fields | Passes when | Engine |\n| --- | --- | --- | --- |\n");
    for entry in KINDS {
        let fields: Vec<String> = entry.doc.fields.iter().map(Field::markdown).collect();
        out.push_str(&format!(
            "| `{}` | {} | {} | {} |\n",
            entry.name,
            fields.join(", "),
            entry.doc.passes,
            if entry.doc.engine { "yes" } else { "no" }
        ));
    }
    out
}
