//! Output: records → JSON Lines, one event per line, and a cross-article
//! timeline. (CSV and the other analyst tables are in `tables`.)
//!
//! Takes finished [`Record`]s in input order; gives bytes on a writer. The
//! timeline is the one output that holds state across documents: one small
//! entry per distinct event, never the documents themselves.

use crate::record::{Event, Modality, Polarity, Record};
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::{self, Write};

/// Writes one record as a JSON line.
pub fn write_record<W: Write + ?Sized>(w: &mut W, record: &Record) -> io::Result<()> {
    serde_json::to_writer(&mut *w, record)?;
    w.write_all(b"\n")
}

/// An event with the document it came from, for per-event output.
#[derive(Serialize)]
struct EventLine<'a> {
    doc: &'a str,
    published: Option<&'a str>,
    #[serde(flatten)]
    event: &'a Event,
}

/// Writes each event of `record` as its own JSON line.
pub fn write_event_lines<W: Write + ?Sized>(w: &mut W, record: &Record) -> io::Result<()> {
    for event in &record.events {
        let line = EventLine {
            doc: &record.id,
            published: record.published.as_ref().map(|p| p.value.as_str()),
            event,
        };
        serde_json::to_writer(&mut *w, &line)?;
        w.write_all(b"\n")?;
    }
    Ok(())
}

pub fn polarity_name(p: Polarity) -> &'static str {
    match p {
        Polarity::Positive => "positive",
        Polarity::Negative => "negative",
    }
}

pub fn modality_name(m: Modality) -> &'static str {
    match m {
        Modality::Asserted => "asserted",
        Modality::Proposed => "proposed",
        Modality::Hypothetical => "hypothetical",
        Modality::Reported => "reported",
    }
}

/// Identity of an event across articles: same type, list, date, polarity,
/// modality and set of target names.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct TimelineKey {
    date: String,
    kind: String,
    list: String,
    targets: Vec<String>,
    polarity: &'static str,
    modality: &'static str,
}

/// One merged event of the timeline.
#[derive(Clone, Debug, Serialize)]
pub struct TimelineEntry {
    pub date: Option<String>,
    #[serde(rename = "type")]
    pub kind: String,
    pub actor: Option<String>,
    pub targets: Vec<String>,
    pub list: Option<String>,
    pub polarity: &'static str,
    pub modality: &'static str,
    pub summary: String,
    pub sources: Vec<TimelineSource>,
}

#[derive(Clone, Debug, Serialize)]
pub struct TimelineSource {
    pub doc: String,
    pub event: String,
    pub evidence: String,
}

/// Accumulates events across records and merges duplicates.
#[derive(Default)]
pub struct Timeline {
    entries: BTreeMap<TimelineKey, TimelineEntry>,
}

impl Timeline {
    /// Adds the events of one record; target and actor names are the
    /// canonical entity names where the event links an entity.
    pub fn add(&mut self, record: &Record) {
        for e in &record.events {
            let name_of = |entity: &Option<String>, text: &str| {
                entity
                    .as_ref()
                    .and_then(|id| record.entities.iter().find(|x| &x.id == id))
                    .map_or_else(|| text.to_string(), |x| x.name.clone())
            };
            let mut targets: Vec<String> = e
                .target
                .iter()
                .map(|t| name_of(&t.entity, &t.text))
                .collect();
            targets.sort();
            targets.dedup();
            let actor = e.actor.as_ref().map(|a| name_of(&a.entity, &a.text));
            let key = TimelineKey {
                date: e.date.as_ref().map(|d| d.value.clone()).unwrap_or_default(),
                kind: e.kind.clone(),
                list: e.list.clone().unwrap_or_default(),
                targets: targets.clone(),
                polarity: polarity_name(e.polarity),
                modality: modality_name(e.modality),
            };
            let entry = self.entries.entry(key).or_insert_with(|| TimelineEntry {
                date: e.date.as_ref().map(|d| d.value.clone()),
                kind: e.kind.clone(),
                actor: actor.clone(),
                targets,
                list: e.list.clone(),
                polarity: polarity_name(e.polarity),
                modality: modality_name(e.modality),
                summary: String::new(),
                sources: Vec::new(),
            });
            if entry.actor.is_none() {
                entry.actor = actor;
            }
            entry.sources.push(TimelineSource {
                doc: record.id.clone(),
                event: e.id.clone(),
                evidence: e.evidence.text.clone(),
            });
        }
    }

    /// The merged entries, dated ones first in date order, each with a
    /// one-line summary. Entries that differ only in how precisely they are
    /// dated are one event: when the dates of the same event form a chain of
    /// refinements (2021, 2021-01, 2021-01-14), they merge into the most
    /// precise one, and so do the mentions that carry no calendar date.
    pub fn finish(self) -> Vec<TimelineEntry> {
        let mut groups: BTreeMap<TimelineKey, Vec<TimelineEntry>> = BTreeMap::new();
        for (key, entry) in self.entries {
            let undated_key = TimelineKey {
                date: String::new(),
                ..key
            };
            groups.entry(undated_key).or_default().push(entry);
        }
        let mut merged: Vec<TimelineEntry> =
            groups.into_values().flat_map(merge_refinements).collect();
        merged.sort_by(|a, b| {
            let key = |e: &TimelineEntry| {
                (
                    calendar_date(e).is_none(),
                    calendar_date(e).map(str::to_string),
                )
            };
            key(a).cmp(&key(b))
        });
        for entry in &mut merged {
            entry.summary = summarize(entry);
        }
        merged
    }
}

/// The entry's date when it is a calendar value (starts with a year);
/// TimeML placeholders such as `XXXX-WXX-2` or `PRESENT_REF` are not.
fn calendar_date(e: &TimelineEntry) -> Option<&str> {
    e.date
        .as_deref()
        .filter(|d| d.len() >= 4 && d.as_bytes()[..4].iter().all(u8::is_ascii_digit))
}

/// Merges the entries of one event identity whose calendar dates refine
/// one another; leaves them apart when two dates conflict.
fn merge_refinements(mut entries: Vec<TimelineEntry>) -> Vec<TimelineEntry> {
    let mut dates: Vec<&str> = entries.iter().filter_map(calendar_date).collect();
    dates.sort_by_key(|d| d.len());
    let chain = dates.windows(2).all(|w| w[1].starts_with(w[0]));
    if !chain || entries.len() < 2 {
        return entries;
    }
    let most_precise = dates.last().map(|d| d.to_string());
    entries.sort_by_key(|e| std::cmp::Reverse(calendar_date(e).map_or(0, str::len)));
    let mut iter = entries.into_iter();
    let mut first = iter.next().expect("at least two entries");
    for other in iter {
        first.sources.extend(other.sources);
        if first.actor.is_none() {
            first.actor = other.actor;
        }
    }
    if most_precise.is_some() {
        first.date = most_precise;
    }
    first
        .sources
        .sort_by(|a, b| (&a.doc, &a.event).cmp(&(&b.doc, &b.event)));
    vec![first]
}

fn summarize(e: &TimelineEntry) -> String {
    let mut s = String::new();
    s.push_str(e.date.as_deref().unwrap_or("(undated)"));
    s.push(' ');
    if let Some(actor) = &e.actor {
        s.push_str(actor);
        s.push(' ');
    }
    s.push_str(&e.kind);
    if !e.targets.is_empty() {
        s.push(' ');
        s.push_str(&e.targets.join(", "));
    }
    if let Some(list) = &e.list {
        s.push_str(" [");
        s.push_str(list);
        s.push(']');
    }
    if e.polarity == "negative" {
        s.push_str(" (negated)");
    }
    if e.modality != "asserted" {
        s.push_str(&format!(" ({})", e.modality));
    }
    let n = e.sources.len();
    s.push_str(&format!(" ({n} source{})", if n == 1 { "" } else { "s" }));
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{Arg, EventDate, Evidence, Format, Source, Span};

    fn record(id: &str, date: Option<&str>, target: &str) -> Record {
        Record {
            events: vec![Event {
                id: "v1".into(),
                kind: "list.add".into(),
                actor: None,
                target: vec![Arg {
                    entity: None,
                    text: target.into(),
                }],
                list: Some("us-dod-1237".into()),
                date: date.map(|d| EventDate {
                    value: d.into(),
                    text: d.into(),
                    span: None,
                }),
                polarity: Polarity::Positive,
                modality: Modality::Asserted,
                evidence: Evidence {
                    span: Span::new(0, 0),
                    text: String::new(),
                },
                rule: "test".into(),
            }],
            ..Record::empty(
                id.into(),
                Source {
                    path: id.into(),
                    format: Format::Text,
                    url: None,
                },
            )
        }
    }

    #[test]
    fn refinements_of_one_event_merge_and_conflicts_stay_apart() {
        let mut timeline = Timeline::default();
        for (id, date, target) in [
            ("a", Some("2021"), "Xiaomi"),
            ("b", Some("2021-01-14"), "Xiaomi"),
            ("c", None, "Xiaomi"),
            ("d", Some("XXXX-WXX-2"), "Xiaomi"),
            ("e", Some("2019-05"), "Huawei"),
            ("f", Some("2020-01"), "Huawei"),
        ] {
            timeline.add(&record(id, date, target));
        }
        let entries = timeline.finish();
        let got: Vec<(Option<&str>, usize)> = entries
            .iter()
            .map(|e| (e.date.as_deref(), e.sources.len()))
            .collect();
        assert_eq!(
            got,
            [
                (Some("2019-05"), 1),
                (Some("2020-01"), 1),
                (Some("2021-01-14"), 4)
            ]
        );
        assert_eq!(
            entries[2].summary,
            "2021-01-14 list.add Xiaomi [us-dod-1237] (4 sources)"
        );
    }
}
