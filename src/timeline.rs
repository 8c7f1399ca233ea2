//! The cross-article timeline: events of many records merged into one
//! entry per occurrence, with their sources.
//!
//! Takes finished [`Record`]s one at a time (it keeps one small item per
//! event, never the documents); gives entries, dated ones first in date
//! order, as JSON lines, CSV or a fixed-width table. Two events are one
//! entry only when they have the same type, list, polarity and modality,
//! the same canonical actor (or one side has none; a name without its
//! determiner or count, "a group of US lawmakers", is the same as its
//! tail, "US lawmakers"), overlapping canonical
//! targets, and compatible calendar dates (equal, one missing, or one
//! refining the other: 2021, 2021-01, 2021-01-14). It never merges across
//! unresolved relative dates (`XXXX-WXX-3`, `PRESENT_REF`): such an event
//! stays an entry of its own article; nor does it merge events without a
//! target and without a calendar date across articles (a denial "by
//! Khodorkovsky" in two articles may be two denials). It does not judge
//! whether two articles report the same story beyond counting sources
//! whose evidence sentences have the same words once (`source_count`).

use crate::output::{modality_name, polarity_name};
use crate::record::{DateOrigin, Record};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, Write};

/// One merged event of the timeline.
#[derive(Clone, Debug, Serialize)]
pub struct TimelineEntry {
    pub date: Option<String>,
    /// Where the date comes from (`clause`, `sentence`, `context`, `published`).
    pub date_origin: Option<DateOrigin>,
    #[serde(rename = "type")]
    pub kind: String,
    pub actor: Option<String>,
    pub targets: Vec<String>,
    pub list: Option<String>,
    pub polarity: &'static str,
    pub modality: &'static str,
    pub summary: String,
    /// Distinct articles, near-duplicates (the same evidence sentence) once.
    pub source_count: usize,
    pub sources: Vec<TimelineSource>,
}

#[derive(Clone, Debug, Serialize)]
pub struct TimelineSource {
    pub doc: String,
    pub event: String,
    pub evidence: String,
}

/// The identity fields that must be equal for two events to merge.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct GroupKey {
    kind: String,
    list: String,
    polarity: &'static str,
    modality: &'static str,
}

/// One event of one record, with canonical names.
#[derive(Clone, Debug)]
struct Item {
    actor: Option<ActorName>,
    targets: Vec<String>,
    date: Option<String>,
    origin: Option<DateOrigin>,
    source: TimelineSource,
}

/// Accumulates events across records and merges them at the end.
#[derive(Default)]
pub struct Timeline {
    groups: BTreeMap<GroupKey, Vec<Item>>,
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
            let key = GroupKey {
                kind: e.kind.clone(),
                list: e.list.clone().unwrap_or_default(),
                polarity: polarity_name(e.polarity),
                modality: modality_name(e.modality),
            };
            self.groups.entry(key).or_default().push(Item {
                actor: e
                    .actor
                    .as_ref()
                    .map(|a| ActorName::new(name_of(&a.entity, &a.text))),
                targets,
                date: e.date.as_ref().map(|d| d.value.clone()),
                origin: e.date.as_ref().and_then(|d| d.origin),
                source: TimelineSource {
                    doc: record.id.clone(),
                    event: e.id.clone(),
                    evidence: e.evidence.text.clone(),
                },
            });
        }
    }

    /// The merged entries, dated ones first in date order, each with a
    /// one-line summary.
    pub fn finish(self) -> Vec<TimelineEntry> {
        let mut entries: Vec<TimelineEntry> = Vec::new();
        for (key, mut items) in self.groups {
            // The most precise dates first, so that refinements join them.
            items.sort_by(|a, b| {
                let precision = |i: &Item| std::cmp::Reverse(calendar(i.date.as_deref()).len());
                (precision(a), &a.source.doc, &a.source.event).cmp(&(
                    precision(b),
                    &b.source.doc,
                    &b.source.event,
                ))
            });
            let mut clusters: Vec<Vec<Item>> = Vec::new();
            for item in items {
                match clusters.iter_mut().find(|c| joins(c, &item)) {
                    Some(c) => c.push(item),
                    None => clusters.push(vec![item]),
                }
            }
            entries.extend(clusters.into_iter().map(|c| entry(&key, c)));
        }
        entries.sort_by(|a, b| {
            let order = |e: &TimelineEntry| {
                let date = calendar(e.date.as_deref()).to_string();
                (date.is_empty(), date, e.kind.clone(), e.summary.clone())
            };
            order(a).cmp(&order(b))
        });
        entries
    }
}

/// The value when it is a calendar date (starts with a year), else "".
fn calendar(value: Option<&str>) -> &str {
    value
        .filter(|d| d.len() >= 4 && d.as_bytes()[..4].iter().all(u8::is_ascii_digit))
        .unwrap_or("")
}

/// True when `item` is the occurrence the cluster's items report.
fn joins(cluster: &[Item], item: &Item) -> bool {
    let first = &cluster[0];
    let same_doc = cluster.iter().any(|c| c.source.doc == item.source.doc);
    let unresolved = |i: &Item| i.date.is_some() && calendar(i.date.as_deref()).is_empty();
    if unresolved(item) || cluster.iter().any(unresolved) {
        return same_doc && item.date == first.date;
    }
    let actor = cluster.iter().find_map(|c| c.actor.as_ref());
    let actors_agree = match (actor, &item.actor) {
        (Some(a), Some(b)) => Some(a.same(b)),
        _ => None,
    };
    let targets_overlap = !item.targets.is_empty()
        && cluster
            .iter()
            .any(|c| c.targets.iter().any(|t| item.targets.contains(t)));
    let targetless = item.targets.is_empty() && cluster.iter().all(|c| c.targets.is_empty());
    let date = calendar(first.date.as_deref());
    let item_date = calendar(item.date.as_deref());
    let dated = !date.is_empty() && !item_date.is_empty();
    let dates_agree = date.starts_with(item_date);
    actors_agree != Some(false)
        && dates_agree
        && (targets_overlap || (targetless && actors_agree == Some(true) && (dated || same_doc)))
}

/// An actor's canonical name with its words for comparison, computed
/// once per event rather than once per comparison.
#[derive(Clone, Debug)]
struct ActorName {
    name: String,
    words: Vec<String>,
}

impl ActorName {
    fn new(name: String) -> Self {
        let words = actor_words(&name);
        ActorName { name, words }
    }

    /// True when two actor names name the same participant: equal once
    /// determiners and counts are left off, or one the head-final tail of
    /// the other ("a group of US lawmakers" and "US lawmakers", "Nine
    /// lawmakers" and "lawmakers"; not "US lawmakers" and "Republican
    /// lawmakers").
    fn same(&self, other: &ActorName) -> bool {
        if self.name == other.name {
            return true;
        }
        let (short, long) = if self.words.len() <= other.words.len() {
            (&self.words, &other.words)
        } else {
            (&other.words, &self.words)
        };
        !short.is_empty() && long.ends_with(short)
    }
}

/// An actor name's words, lower-case, without a leading determiner,
/// count or "group of".
fn actor_words(name: &str) -> Vec<String> {
    const LEADING: &[&str] = &[
        "the", "a", "an", "this", "these", "those", "group", "of", "some", "several", "two",
        "three", "four", "five", "six", "seven", "eight", "nine", "ten", "dozens", "number",
    ];
    let words: Vec<String> = name
        .split_whitespace()
        .map(|w| w.to_lowercase().replace(['.', '’', '\''], ""))
        .collect();
    let skip = words
        .iter()
        .take_while(|w| LEADING.contains(&w.as_str()) || w.bytes().all(|b| b.is_ascii_digit()))
        .count();
    // A name made only of such words ("Group of Seven") is kept whole.
    if skip == words.len() {
        return words;
    }
    words[skip..].to_vec()
}

/// An evidence sentence as near-duplicate articles share it: its words,
/// lower-case, without punctuation ("said:" and "said", curly and straight
/// quotes alike).
fn evidence_key(evidence: &str) -> String {
    evidence
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

fn entry(key: &GroupKey, items: Vec<Item>) -> TimelineEntry {
    let first = &items[0];
    let mut targets: Vec<String> = items.iter().flat_map(|i| i.targets.clone()).collect();
    targets.sort();
    targets.dedup();
    let evidence: BTreeSet<String> = items
        .iter()
        .map(|i| evidence_key(&i.source.evidence))
        .collect();
    let docs: BTreeSet<&str> = items.iter().map(|i| i.source.doc.as_str()).collect();
    let mut sources: Vec<TimelineSource> = items.iter().map(|i| i.source.clone()).collect();
    sources.sort_by(|a, b| (&a.doc, &a.event).cmp(&(&b.doc, &b.event)));
    let mut e = TimelineEntry {
        date: first.date.clone(),
        date_origin: first.origin,
        kind: key.kind.clone(),
        actor: items
            .iter()
            .find_map(|i| i.actor.as_ref().map(|a| a.name.clone())),
        targets,
        list: (!key.list.is_empty()).then(|| key.list.clone()),
        polarity: key.polarity,
        modality: key.modality,
        summary: String::new(),
        source_count: docs.len().min(evidence.len()),
        sources,
    };
    e.summary = summarize(&e);
    e
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
    let n = e.source_count;
    s.push_str(&format!(" ({n} source{})", if n == 1 { "" } else { "s" }));
    s
}

/// The columns of the CSV and table forms.
const COLUMNS: [&str; 9] = [
    "date",
    "date_origin",
    "type",
    "actor",
    "targets",
    "list",
    "polarity",
    "modality",
    "sources",
];

fn row(e: &TimelineEntry) -> [String; 9] {
    let origin = e.date_origin.map_or(String::new(), |o| {
        serde_json::to_value(o)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default()
    });
    [
        e.date.clone().unwrap_or_default(),
        origin,
        e.kind.clone(),
        e.actor.clone().unwrap_or_default(),
        e.targets.join("; "),
        e.list.clone().unwrap_or_default(),
        e.polarity.to_string(),
        e.modality.to_string(),
        e.source_count.to_string(),
    ]
}

/// Writes the entries as CSV, one row per entry.
pub fn write_csv<W: Write>(w: W, entries: &[TimelineEntry]) -> io::Result<()> {
    let mut csv = csv::Writer::from_writer(w);
    csv.write_record(COLUMNS)?;
    for e in entries {
        csv.write_record(row(e))?;
    }
    csv.flush()
}

/// Widest a table cell may be; longer text is cut with "…".
const MAX_CELL: usize = 40;

/// Writes the entries as a fixed-width table for reading in a terminal.
pub fn write_table<W: Write + ?Sized>(w: &mut W, entries: &[TimelineEntry]) -> io::Result<()> {
    let rows: Vec<[String; 9]> = entries.iter().map(row).map(|r| r.map(cut)).collect();
    let mut widths = COLUMNS.map(|c| c.chars().count());
    for r in &rows {
        for (w, cell) in widths.iter_mut().zip(r) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |w: &mut W, cells: &[String]| -> io::Result<()> {
        let padded: Vec<String> = cells
            .iter()
            .zip(widths)
            .map(|(c, n)| format!("{c:<n$}"))
            .collect();
        writeln!(w, "{}", padded.join("  ").trim_end())
    };
    line(w, &COLUMNS.map(str::to_string))?;
    line(w, &widths.map(|n| "-".repeat(n)))?;
    for r in &rows {
        line(w, r)?;
    }
    Ok(())
}

fn cut(cell: String) -> String {
    if cell.chars().count() <= MAX_CELL {
        return cell;
    }
    let mut s: String = cell.chars().take(MAX_CELL - 1).collect();
    s.push('…');
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{
        Arg, Event, EventDate, Evidence, Format, Modality, Polarity, Source, Span,
    };

    fn record(id: &str, date: Option<&str>, actor: Option<&str>, targets: &[&str]) -> Record {
        let arg = |t: &str| Arg {
            entity: None,
            text: t.into(),
        };
        Record {
            events: vec![Event {
                id: "v1".into(),
                kind: "list.add".into(),
                actor: actor.map(arg),
                target: targets.iter().map(|t| arg(t)).collect(),
                list: Some("us-dod-1237".into()),
                date: date.map(|d| EventDate {
                    value: d.into(),
                    text: d.into(),
                    span: None,
                    origin: Some(DateOrigin::Clause),
                }),
                polarity: Polarity::Positive,
                modality: Modality::Asserted,
                instrument: None,
                plover: None,
                answers: None,
                evidence: Evidence {
                    span: Span::new(0, 0),
                    text: format!("evidence of {id}"),
                },
                mentions: Vec::new(),
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

    fn merged(records: &[Record]) -> Vec<(Option<String>, usize)> {
        let mut timeline = Timeline::default();
        for r in records {
            timeline.add(r);
        }
        timeline
            .finish()
            .into_iter()
            .map(|e| (e.date, e.source_count))
            .collect()
    }

    #[test]
    fn refinements_merge_conflicts_and_relative_dates_stay_apart() {
        let records = [
            record("a", Some("2021"), None, &["Xiaomi"]),
            record("b", Some("2021-01-14"), None, &["Xiaomi"]),
            record("c", None, None, &["Xiaomi"]),
            record("d", Some("XXXX-WXX-2"), None, &["Xiaomi"]),
            record("d2", Some("XXXX-WXX-2"), None, &["Xiaomi"]),
            record("e", Some("2019-05"), None, &["Huawei"]),
            record("f", Some("2020-01"), None, &["Huawei"]),
        ];
        let got = merged(&records);
        let want = [
            (Some("2019-05"), 1),
            (Some("2020-01"), 1),
            (Some("2021-01-14"), 3),
            (Some("XXXX-WXX-2"), 1),
            (Some("XXXX-WXX-2"), 1),
        ]
        .map(|(d, n)| (d.map(str::to_string), n));
        assert_eq!(got, want);
    }

    #[test]
    fn different_actors_and_undated_targetless_events_stay_apart() {
        let records = [
            record("a", Some("2021"), Some("Pentagon"), &["Xiaomi"]),
            record("b", Some("2021"), Some("Commerce"), &["Xiaomi"]),
            record("c", None, Some("Khodorkovsky"), &[]),
            record("d", None, Some("Khodorkovsky"), &[]),
        ];
        assert_eq!(merged(&records).len(), 4);
    }

    #[test]
    fn actor_wordings_of_one_group_merge_and_near_duplicates_count_once() {
        let mut a = record(
            "a",
            Some("2025-12"),
            Some("a group of US lawmakers"),
            &["DeepSeek"],
        );
        let mut b = record("b", Some("2025-12"), Some("US lawmakers"), &["DeepSeek"]);
        a.events[0].evidence.text = "Lawmakers urged the Pentagon to act.".into();
        b.events[0].evidence.text = "Lawmakers urged the Pentagon to act\u{201d}".into();
        let c = record(
            "c",
            Some("2025-12"),
            Some("Republican lawmakers"),
            &["DeepSeek"],
        );
        assert_eq!(
            merged(&[a, b, c]),
            [
                (Some("2025-12".to_string()), 1),
                (Some("2025-12".to_string()), 1)
            ]
        );
    }

    #[test]
    fn names_made_of_leading_words_still_match_themselves() {
        let same_actor =
            |a: &str, b: &str| ActorName::new(a.into()).same(&ActorName::new(b.into()));
        assert!(same_actor("Group of Seven", "Group of Seven"));
        assert!(same_actor("the Group of 20", "Group of 20"));
        assert!(!same_actor("Group of Seven", "Group of Eight"));
        assert!(!same_actor("US lawmakers", "Republican lawmakers"));
    }

    #[test]
    fn table_has_a_header_and_one_line_per_entry() {
        let mut timeline = Timeline::default();
        timeline.add(&record(
            "a",
            Some("2021-01-14"),
            Some("Pentagon"),
            &["Xiaomi"],
        ));
        let mut out = Vec::new();
        write_table(&mut out, &timeline.finish()).unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3);
        assert!(lines[0].starts_with("date"));
        assert!(lines[2].contains("Pentagon") && lines[2].contains("Xiaomi"));
    }
}
