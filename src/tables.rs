//! Analyst tables: records → one row per event, quote or entity, as CSV
//! (RFC 4180: CRLF line ends, text fields quoted, UTF-8, optional BOM) or
//! as JSON Lines with the same columns.
//!
//! Takes finished [`Record`]s in input order; gives rows carrying the
//! document id, publication date and URL, canonical entity and list names
//! next to the text as written, and the evidence or quote text with its
//! offsets in the unit the caller asks for ([`OffsetUnit`]). It does not
//! aggregate across documents (the timeline does).

use crate::output::{modality_name, polarity_name};
use crate::record::{Entity, Record, Span};
use serde_json::Value;
use std::io::{self, Write};

/// Which table to write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Table {
    Events,
    Quotes,
    Entities,
}

/// How offsets are counted in tables: UTF-8 bytes (the record's own unit),
/// Unicode scalar values (Python `str` indices) or UTF-16 code units
/// (JavaScript, Java).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum OffsetUnit {
    #[default]
    Bytes,
    Chars,
    Utf16,
}

impl std::str::FromStr for OffsetUnit {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "bytes" => Ok(OffsetUnit::Bytes),
            "chars" => Ok(OffsetUnit::Chars),
            "utf16" => Ok(OffsetUnit::Utf16),
            _ => Err(format!("expected bytes, chars or utf16, not {s:?}")),
        }
    }
}

/// Converts byte offsets of one text into another unit.
pub struct Offsets {
    /// Units before each byte position (meaningful at char boundaries);
    /// empty for bytes, which need no table.
    units_before: Vec<usize>,
}

impl Offsets {
    pub fn new(text: &str, unit: OffsetUnit) -> Self {
        if unit == OffsetUnit::Bytes {
            return Offsets {
                units_before: Vec::new(),
            };
        }
        let mut units_before = vec![0; text.len() + 1];
        let mut units = 0;
        for (at, c) in text.char_indices() {
            units_before[at..at + c.len_utf8()].fill(units);
            units += match unit {
                OffsetUnit::Utf16 => c.len_utf16(),
                _ => 1,
            };
        }
        units_before[text.len()] = units;
        Offsets { units_before }
    }

    /// The offset of byte position `byte` in this converter's unit.
    pub fn at(&self, byte: usize) -> usize {
        if self.units_before.is_empty() {
            byte
        } else {
            self.units_before[byte.min(self.units_before.len() - 1)]
        }
    }

    fn span(&self, span: Span) -> (Value, Value) {
        (self.at(span.start).into(), self.at(span.end).into())
    }
}

impl Table {
    /// The column names, in order.
    pub fn header(self) -> &'static [&'static str] {
        match self {
            Table::Events => &[
                "doc",
                "event",
                "type",
                "actor",
                "actor_name",
                "targets",
                "target_names",
                "list",
                "list_name",
                "date",
                "polarity",
                "modality",
                "evidence",
                "evidence_start",
                "evidence_end",
                "rule",
                "published",
                "url",
            ],
            Table::Quotes => &[
                "doc",
                "quote",
                "kind",
                "speaker",
                "speaker_name",
                "speaker_type",
                "cue",
                "text",
                "start",
                "end",
                "rule",
                "published",
                "url",
            ],
            Table::Entities => &[
                "doc",
                "entity",
                "type",
                "name",
                "mentions",
                "forms",
                "first_start",
                "first_end",
                "published",
                "url",
            ],
        }
    }

    /// The rows of one record, each with [`Table::header`]'s columns.
    pub fn rows(self, record: &Record, unit: OffsetUnit) -> Vec<Vec<Value>> {
        let offsets = Offsets::new(&record.text, unit);
        let doc = DocColumns::of(record);
        match self {
            Table::Events => event_rows(record, &offsets, &doc),
            Table::Quotes => quote_rows(record, &offsets, &doc),
            Table::Entities => entity_rows(record, &offsets, &doc),
        }
    }
}

/// The per-document columns every table ends with.
struct DocColumns {
    published: Value,
    url: Value,
}

impl DocColumns {
    fn of(record: &Record) -> Self {
        DocColumns {
            published: opt(record.published.as_ref().map(|p| p.value.as_str())),
            url: opt(record.source.url.as_deref()),
        }
    }
}

fn opt(s: Option<&str>) -> Value {
    s.map_or(Value::Null, |s| Value::String(s.to_string()))
}

fn entity<'r>(record: &'r Record, id: Option<&String>) -> Option<&'r Entity> {
    let id = id?;
    record.entities.iter().find(|e| &e.id == id)
}

/// The canonical name of a linked entity, else the text as written.
fn canonical(record: &Record, id: Option<&String>, text: &str) -> String {
    entity(record, id).map_or_else(|| text.to_string(), |e| e.name.clone())
}

fn event_rows(record: &Record, offsets: &Offsets, doc: &DocColumns) -> Vec<Vec<Value>> {
    record
        .events
        .iter()
        .map(|e| {
            let targets: Vec<&str> = e.target.iter().map(|t| t.text.as_str()).collect();
            let target_names: Vec<String> = e
                .target
                .iter()
                .map(|t| canonical(record, t.entity.as_ref(), &t.text))
                .collect();
            let list_name = e.list.as_ref().and_then(|id| {
                record
                    .lists
                    .iter()
                    .find(|l| &l.id == id)
                    .map(|l| l.name.as_str())
            });
            let (start, end) = offsets.span(e.evidence.span);
            vec![
                record.id.clone().into(),
                e.id.clone().into(),
                e.kind.clone().into(),
                opt(e.actor.as_ref().map(|a| a.text.as_str())),
                opt(e
                    .actor
                    .as_ref()
                    .map(|a| canonical(record, a.entity.as_ref(), &a.text))
                    .as_deref()),
                targets.join("; ").into(),
                target_names.join("; ").into(),
                opt(e.list.as_deref()),
                opt(list_name),
                opt(e.date.as_ref().map(|d| d.value.as_str())),
                polarity_name(e.polarity).into(),
                modality_name(e.modality).into(),
                e.evidence.text.clone().into(),
                start,
                end,
                e.rule.clone().into(),
                doc.published.clone(),
                doc.url.clone(),
            ]
        })
        .collect()
}

fn quote_rows(record: &Record, offsets: &Offsets, doc: &DocColumns) -> Vec<Vec<Value>> {
    record
        .quotes
        .iter()
        .enumerate()
        .map(|(i, q)| {
            let speaker = q.speaker.as_ref();
            let linked = speaker.and_then(|s| entity(record, s.entity.as_ref()));
            let (start, end) = offsets.span(q.span);
            vec![
                record.id.clone().into(),
                format!("q{}", i + 1).into(),
                serde_json::to_value(q.kind).unwrap_or(Value::Null),
                opt(speaker.map(|s| s.text.as_str())),
                opt(linked.map(|e| e.name.as_str())),
                opt(linked.map(|e| e.kind.name())),
                opt(q.cue.as_ref().map(|c| c.text.as_str())),
                q.text.clone().into(),
                start,
                end,
                q.rule.clone().into(),
                doc.published.clone(),
                doc.url.clone(),
            ]
        })
        .collect()
}

fn entity_rows(record: &Record, offsets: &Offsets, doc: &DocColumns) -> Vec<Vec<Value>> {
    record
        .entities
        .iter()
        .map(|e| {
            let mut forms: Vec<&str> = e.mentions.iter().map(|m| m.text.as_str()).collect();
            forms.sort_unstable();
            forms.dedup();
            let first = e.mentions.iter().map(|m| m.span).min().unwrap_or_default();
            let (start, end) = offsets.span(first);
            vec![
                record.id.clone().into(),
                e.id.clone().into(),
                e.kind.name().into(),
                e.name.clone().into(),
                e.mentions.len().into(),
                forms.join("; ").into(),
                start,
                end,
                doc.published.clone(),
                doc.url.clone(),
            ]
        })
        .collect()
}

/// How table rows are written: which table, CSV or JSON Lines, the offset
/// unit and whether a CSV starts with a byte-order mark. Stateless, so one
/// value serves every output file of a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TableFormat {
    pub table: Table,
    pub unit: OffsetUnit,
    /// CSV (RFC 4180) when true, JSON Lines with the CSV header's keys otherwise.
    pub csv: bool,
    /// Start a CSV with a UTF-8 byte-order mark, for spreadsheet programs.
    pub bom: bool,
}

impl TableFormat {
    /// The file extension of the format.
    pub fn extension(self) -> &'static str {
        if self.csv {
            "csv"
        } else {
            "jsonl"
        }
    }

    /// Writes what opens an output: for CSV, the optional BOM and the header.
    pub fn begin(self, out: &mut dyn Write) -> io::Result<()> {
        if !self.csv {
            return Ok(());
        }
        if self.bom {
            out.write_all("\u{feff}".as_bytes())?;
        }
        let mut csv = csv_writer(out);
        csv.write_record(self.table.header())
            .map_err(io::Error::other)?;
        csv.flush()
    }

    /// Writes the rows of one record.
    pub fn write(self, out: &mut dyn Write, record: &Record) -> io::Result<()> {
        let rows = self.table.rows(record, self.unit);
        if self.csv {
            let mut csv = csv_writer(out);
            for row in rows {
                let cells = row.iter().map(|v| match v {
                    Value::Null => String::new(),
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                });
                csv.write_record(cells).map_err(io::Error::other)?;
            }
            return csv.flush();
        }
        let header = self.table.header();
        for row in rows {
            let object: serde_json::Map<String, Value> =
                header.iter().map(|h| h.to_string()).zip(row).collect();
            serde_json::to_writer(&mut *out, &object)?;
            out.write_all(b"\n")?;
        }
        Ok(())
    }
}

/// RFC 4180: CRLF line ends, text fields quoted, numbers bare.
fn csv_writer(out: &mut dyn Write) -> csv::Writer<&mut dyn Write> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .quote_style(csv::QuoteStyle::NonNumeric)
        .has_headers(false)
        .from_writer(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_count_chars_and_utf16_units() {
        // "é" is 2 bytes, 1 char, 1 UTF-16 unit; "😀" is 4 bytes, 1 char, 2 units.
        let text = "é😀x";
        let at = |unit| {
            let o = Offsets::new(text, unit);
            [0, 2, 6, 7].map(|b| o.at(b))
        };
        assert_eq!(at(OffsetUnit::Bytes), [0, 2, 6, 7]);
        assert_eq!(at(OffsetUnit::Chars), [0, 1, 2, 3]);
        assert_eq!(at(OffsetUnit::Utf16), [0, 1, 3, 4]);
        // Python's and JavaScript's own counts of the same prefixes.
        assert_eq!(text[..6].chars().count(), 2);
        assert_eq!(text[..6].encode_utf16().count(), 3);
    }

    #[test]
    fn every_row_has_every_column() {
        let record: Record = serde_json::from_str(
            &std::fs::read_to_string("fixtures/101_huawei_entity_list_2019.json").unwrap(),
        )
        .unwrap();
        for table in [Table::Events, Table::Quotes, Table::Entities] {
            let rows = table.rows(&record, OffsetUnit::Chars);
            assert!(!rows.is_empty(), "{table:?}");
            for row in rows {
                assert_eq!(row.len(), table.header().len(), "{table:?}");
            }
        }
    }
}
