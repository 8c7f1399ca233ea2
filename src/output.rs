//! Output: records → JSON Lines, one event per line, and a cross-article
//! timeline. (CSV and the other analyst tables are in `tables`.)
//!
//! Takes finished [`Record`]s in input order; gives bytes on a writer, or
//! through one [`Sink`] to stdout, one file (replaced atomically) or one
//! file per input path. The
//! timeline is the one output that holds state across documents: one small
//! entry per distinct event, never the documents themselves.

use crate::record::{Event, Modality, Polarity, Record};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// Writes one record as a JSON line.
pub fn write_record<W: Write + ?Sized>(w: &mut W, record: &Record) -> io::Result<()> {
    serde_json::to_writer(&mut *w, record)?;
    w.write_all(b"\n")
}

/// A file written under a temporary name in its own directory and renamed
/// over `path` only by [`AtomicFile::commit`]: a run that fails or is
/// killed leaves any earlier file at `path` intact and never a torn one.
/// The temporary name is hidden (starts with a dot), so walks skip it.
pub struct AtomicFile {
    path: PathBuf,
    temp: PathBuf,
    file: Option<BufWriter<File>>,
}

impl AtomicFile {
    pub fn create(path: &Path) -> io::Result<Self> {
        let name = path.file_name().ok_or_else(|| {
            io::Error::new(io::ErrorKind::InvalidInput, "output path has no file name")
        })?;
        let mut temp_name = std::ffi::OsString::from(".");
        temp_name.push(name);
        temp_name.push(format!(".newsx-{}.tmp", std::process::id()));
        let temp = path.with_file_name(temp_name);
        let file = File::create(&temp)?;
        Ok(AtomicFile {
            path: path.to_path_buf(),
            temp,
            file: Some(BufWriter::new(file)),
        })
    }

    /// Flushes, syncs and renames the file into place.
    pub fn commit(mut self) -> io::Result<()> {
        if let Some(file) = self.file.take() {
            let file = file.into_inner().map_err(|e| e.into_error())?;
            file.sync_all()?;
        }
        std::fs::rename(&self.temp, &self.path)
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.file.as_mut().map_or(Ok(0), |f| f.write(buf))
    }
    fn flush(&mut self) -> io::Result<()> {
        self.file.as_mut().map_or(Ok(()), |f| f.flush())
    }
}

impl Drop for AtomicFile {
    /// A file dropped without commit is removed, with its partial content.
    fn drop(&mut self) {
        if self.file.take().is_some() {
            let _ = std::fs::remove_file(&self.temp);
        }
    }
}

/// What is written for each record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RecordFormat {
    /// The whole record as one JSON line.
    Records,
    /// One JSON line per event.
    EventLines,
    /// Rows of an analyst table (events, quotes, entities; CSV or JSONL).
    Table(crate::tables::TableFormat),
}

impl RecordFormat {
    /// The file extension of the format, for `--output-dir`.
    fn extension(self) -> &'static str {
        match self {
            RecordFormat::Table(table) => table.extension(),
            _ => "jsonl",
        }
    }

    fn begin(self, w: &mut dyn Write) -> io::Result<()> {
        match self {
            RecordFormat::Table(table) => table.begin(w),
            _ => Ok(()),
        }
    }

    fn write(self, w: &mut dyn Write, record: &Record) -> io::Result<()> {
        match self {
            RecordFormat::Records => write_record(w, record),
            RecordFormat::EventLines => write_event_lines(w, record),
            RecordFormat::Table(table) => table.write(w, record),
        }
    }
}

/// Where records are written.
#[derive(Clone, Debug)]
pub enum Destination {
    Stdout,
    /// One file, replaced atomically at the end of the run.
    File(PathBuf),
    /// One file per input path, mirroring it below the directory (see
    /// [`mirror_path`]), each replaced atomically once all its records are in.
    Dir(PathBuf),
}

/// The one place records are written, in any [`RecordFormat`], to any
/// [`Destination`]. Records arrive in input order, so the records of one
/// input path are consecutive.
pub struct Sink {
    format: RecordFormat,
    line_buffered: bool,
    target: Target,
}

enum Target {
    Stdout(BufWriter<io::Stdout>),
    File(AtomicFile),
    Dir {
        root: PathBuf,
        current: Option<(String, AtomicFile)>,
    },
}

impl Sink {
    /// Opens the destination. With `line_buffered`, each record is flushed
    /// as soon as it is written.
    pub fn open(format: RecordFormat, to: &Destination, line_buffered: bool) -> io::Result<Self> {
        let mut target = match to {
            Destination::Stdout => Target::Stdout(BufWriter::new(io::stdout())),
            Destination::File(path) => Target::File(AtomicFile::create(path)?),
            Destination::Dir(root) => {
                std::fs::create_dir_all(root)?;
                Target::Dir {
                    root: root.clone(),
                    current: None,
                }
            }
        };
        match &mut target {
            Target::Stdout(w) => format.begin(w)?,
            Target::File(w) => format.begin(w)?,
            Target::Dir { .. } => {}
        }
        Ok(Sink {
            format,
            line_buffered,
            target,
        })
    }

    pub fn write(&mut self, record: &Record) -> io::Result<()> {
        let format = self.format;
        let w: &mut dyn Write = match &mut self.target {
            Target::Stdout(w) => w,
            Target::File(w) => w,
            Target::Dir { root, current } => {
                let same = current
                    .as_ref()
                    .is_some_and(|(p, _)| *p == record.source.path);
                if !same {
                    if let Some((_, done)) = current.take() {
                        done.commit()?;
                    }
                    let path = mirror_path(root, &record.source.path, format.extension());
                    if let Some(parent) = path.parent() {
                        std::fs::create_dir_all(parent)?;
                    }
                    let mut file = AtomicFile::create(&path)?;
                    format.begin(&mut file)?;
                    *current = Some((record.source.path.clone(), file));
                }
                &mut current.as_mut().expect("just opened").1
            }
        };
        format.write(w, record)?;
        if self.line_buffered {
            w.flush()?;
        }
        Ok(())
    }

    /// Flushes everything and puts files in place.
    pub fn finish(self) -> io::Result<()> {
        match self.target {
            Target::Stdout(mut w) => w.flush(),
            Target::File(f) => f.commit(),
            Target::Dir { current, .. } => current.map_or(Ok(()), |(_, f)| f.commit()),
        }
    }
}

/// The output file of an input path below `root`: the path's components
/// with root and `.` dropped and `..` spelled `%2E%2E`, so that nothing is
/// written outside `root`, and `.{extension}` appended. Stdin (`-`) is
/// `stdin.{extension}`.
pub fn mirror_path(root: &Path, source: &str, extension: &str) -> PathBuf {
    use std::path::Component;
    let mut out = root.to_path_buf();
    if source == "-" {
        return out.join(format!("stdin.{extension}"));
    }
    for part in Path::new(source).components() {
        match part {
            Component::Normal(p) => out.push(p),
            Component::ParentDir => out.push("%2E%2E"),
            _ => {}
        }
    }
    let mut name = out.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".{extension}"));
    out.set_file_name(name);
    out
}

/// Whether the output of an input path is already complete below `root`:
/// files appear there only when all their records are written.
pub fn is_done(root: &Path, source: &str, format: RecordFormat) -> bool {
    mirror_path(root, source, format.extension()).is_file()
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
