//! The record contract as a JSON Schema (draft 2020-12), generated from the
//! record types so that it cannot drift from what newsx writes.
//!
//! Takes nothing; gives the schema of one `newsx extract` line. It does not
//! validate records itself (any draft 2020-12 validator does; the tests use one).

use crate::record::{Record, SCHEMA};

/// The JSON Schema of a record, pretty-printed.
pub fn record_schema() -> serde_json::Value {
    let mut schema = schemars::generate::SchemaSettings::draft2020_12()
        .into_generator()
        .into_root_schema_for::<Record>();
    schema.insert("title".into(), format!("newsx record ({SCHEMA})").into());
    schema.insert(
        "description".into(),
        format!(
            "One newsx record (schema {SCHEMA}): the extractions of one input document, \
             spans as [start, end) offsets into `text`."
        )
        .into(),
    );
    schema.to_value()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_is_draft_2020_12_and_names_every_record_field() {
        let schema = record_schema();
        assert_eq!(
            schema["$schema"],
            "https://json-schema.org/draft/2020-12/schema"
        );
        let props = schema["properties"].as_object().unwrap();
        for field in [
            "schema",
            "producer",
            "id",
            "source",
            "title",
            "byline",
            "published",
            "text",
            "entities",
            "dates",
            "lists",
            "quotes",
            "events",
            "errors",
            "warnings",
            "meta",
        ] {
            assert!(props.contains_key(field), "missing {field}");
        }
    }
}
