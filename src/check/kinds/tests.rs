//! Every kind's docs held to its struct, and the README's table held to the
//! docs.

use serde::de::{self, DeserializeOwned, Deserializer, Visitor};

use super::{Entry, KINDS, Need, reference_table};
use crate::check::{Ctx, Shared, Verdict};

/// The field names serde knows for a struct: a derived `Deserialize` hands
/// them to `deserialize_struct`, where this deserializer keeps them.
pub(super) fn field_names<K: DeserializeOwned>() -> &'static [&'static str] {
    let mut names = FieldNames(&[]);
    let _ = K::deserialize(&mut names);
    names.0
}

struct FieldNames(&'static [&'static str]);

impl<'de> Deserializer<'de> for &mut FieldNames {
    type Error = de::value::Error;

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        fields: &'static [&'static str],
        _visitor: V,
    ) -> Result<V::Value, Self::Error> {
        self.0 = fields;
        Err(de::Error::custom("only the field names were wanted"))
    }

    fn deserialize_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, Self::Error> {
        Err(de::Error::custom("not a struct"))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
        byte_buf option unit unit_struct newtype_struct seq tuple tuple_struct map
        enum identifier ignored_any
    }
}

fn table(toml: &str) -> toml::Table {
    toml::from_str(toml).unwrap_or_else(|e| panic!("{toml:?}: {e}"))
}

/// The kind read from the example plus `extra` lines, shown with `{:?}`.
fn parsed(entry: &Entry, extra: &str) -> Result<String, String> {
    let text = format!("{}\n{extra}", entry.doc.example);
    entry.parse(table(&text)).map(|k| format!("{k:?}"))
}

#[test]
fn every_field_is_documented_and_every_documented_field_exists() {
    for entry in KINDS {
        let mut documented: Vec<&str> = entry.doc.fields.iter().map(|f| f.name).collect();
        let mut real: Vec<&str> = (entry.fields)().to_vec();
        assert!(!real.is_empty(), "{}: no fields seen", entry.name);
        documented.sort();
        real.sort();
        assert_eq!(
            documented, real,
            "{}: documented vs real fields",
            entry.name
        );
        assert!(
            !entry.doc.passes.trim().is_empty(),
            "{}: says nothing",
            entry.name
        );
    }
}

#[test]
fn the_example_has_exactly_the_required_fields() {
    for entry in KINDS {
        let example = table(entry.doc.example);
        let mut given: Vec<&str> = example.keys().map(String::as_str).collect();
        let mut required: Vec<&str> = entry
            .doc
            .fields
            .iter()
            .filter(|f| f.need == Need::Required)
            .map(|f| f.name)
            .collect();
        given.sort();
        required.sort();
        assert_eq!(given, required, "{}: the example's fields", entry.name);
        parsed(entry, "").unwrap_or_else(|e| panic!("{}: {e}", entry.name));
        for field in &required {
            let mut without = example.clone();
            without.remove(*field);
            let err = entry.parse(without).err();
            assert!(
                err.as_deref()
                    .is_some_and(|e| e.contains(&format!("missing field `{field}`"))),
                "{}: `{field}` is documented as required, yet: {err:?}",
                entry.name
            );
        }
    }
}

#[test]
fn documented_defaults_are_the_real_defaults() {
    for entry in KINDS {
        for field in entry.doc.fields {
            if let Need::Default(value) = field.need {
                assert_eq!(
                    parsed(entry, &format!("{} = {value}", field.name)),
                    parsed(entry, ""),
                    "{}: `{}` defaults to {value}?",
                    entry.name,
                    field.name
                );
            }
        }
    }
}

#[test]
fn unknown_fields_are_refused() {
    for entry in KINDS {
        let err = parsed(entry, "not_a_field = 1").unwrap_err();
        assert!(err.contains("not_a_field"), "{}: {err}", entry.name);
    }
}

/// Judged with no engine, in an empty folder: an engine kind waits with the
/// engine's message, and only an engine kind does — and only engine kinds
/// ask the engine to gather anything.
#[test]
fn the_engine_flag_tells_the_truth() {
    let ws = tempfile::tempdir().unwrap();
    let ctx = Ctx {
        workspace: ws.path(),
        engine: None,
        engine_missing: "no engine here",
        typed: &[],
    };
    for entry in KINDS {
        let kind = entry.parse(table(entry.doc.example)).unwrap();
        let verdict = kind.judge(&ctx, &mut Shared::default());
        let waited = matches!(&verdict, Verdict::Blocked(m) if m == "no engine here");
        assert_eq!(waited, entry.doc.engine, "{}", entry.name);
        let needs = kind.needs();
        let gathers = needs.image.is_some()
            || needs.run
            || needs.scan
            || needs.probe.is_some()
            || needs.dangling_label.is_some();
        // `docktutor check` runs or scans the image it names.
        assert!(
            !(needs.run || needs.scan) || needs.image.is_some(),
            "{}: a run or a scan of which image?",
            entry.name
        );
        assert!(
            entry.doc.engine || !gathers,
            "{} asks the engine for {needs:?} but says it needs none",
            entry.name
        );
    }
}

const README: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/lessons/README.md");
const BEGIN: &str = "<!-- check kinds: generated from src/check/kinds, do not edit by hand -->\n";
const END: &str = "<!-- check kinds: end -->";

/// The README's table is [`reference_table`]; with `DOCKTUTOR_BLESS=1` this
/// test writes it there instead of failing.
#[test]
fn the_readme_table_is_generated_from_the_kinds() {
    let text = std::fs::read_to_string(README).unwrap();
    let (Some(start), Some(end)) = (text.find(BEGIN), text.find(END)) else {
        panic!("lessons/README.md lost its markers:\n{BEGIN}{END}");
    };
    let current = &text[start + BEGIN.len()..end];
    let wanted = reference_table();
    if current == wanted {
        return;
    }
    if std::env::var_os("DOCKTUTOR_BLESS").is_some() {
        let blessed = format!("{}{wanted}{}", &text[..start + BEGIN.len()], &text[end..]);
        std::fs::write(README, blessed).unwrap();
        return;
    }
    let diff = similar::TextDiff::from_lines(current, wanted.as_str())
        .unified_diff()
        .header("lessons/README.md", "the kinds' docs")
        .to_string();
    panic!(
        "the check-kind table in lessons/README.md is out of step with the docs in \
         src/check/kinds; edit the docs, then run `DOCKTUTOR_BLESS=1 cargo test --lib \
         readme_table` to regenerate it\n{diff}"
    );
}

#[test]
fn the_table_has_a_row_per_kind_and_cells_that_stay_cells() {
    let table = reference_table();
    assert_eq!(table.lines().count(), KINDS.len() + 2);
    for entry in KINDS {
        let notes = entry.doc.fields.iter().map(|f| f.note);
        for cell in std::iter::once(entry.doc.passes).chain(notes) {
            assert!(
                !cell.contains('|') && !cell.contains('\n'),
                "{}: {cell:?}",
                entry.name
            );
        }
    }
}
