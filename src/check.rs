//! Check: golden regression of records against fixtures, and scoring
//! against hand-written gold annotations.
//!
//! Takes records (from `newsx check PATH... --fixtures DIR`) and a fixtures
//! directory holding `<stem>.json` (the blessed expected record of the input
//! whose file name is `<stem>.<ext>`) and optionally `gold/<stem>.json`
//! (partial gold annotations, format in fixtures/README.md).
//! Gives an [`Outcome`]: a field-level diff per document, per-field
//! precision/recall/F1 of the current output against the blessed records,
//! and per-field P/R/F1 against the gold annotations. Any difference from a
//! blessed record fails the check; gold scores are reported, never enforced
//! here. `--bless` rewrites the blessed records from the current output.
//! The `id` and `source.path` fields are not compared: they depend on how
//! the inputs were named on the command line.

mod gold;

use crate::error::DataError;
use crate::eval::Score;
use crate::record::{DateMention, Entity, Event, ListRef, Quote, Record};
use std::collections::BTreeMap;
use std::fmt::{self, Write as _};
use std::path::{Path, PathBuf};

/// Compares records one at a time, keeping only small per-field tallies.
pub struct Checker {
    dir: PathBuf,
    bless: bool,
    outcome: Outcome,
}

/// The result of a check run.
#[derive(Default)]
pub struct Outcome {
    /// Documents compared.
    pub documents: usize,
    /// Documents whose record differs from (or lacks) a blessed record.
    pub changed: Vec<String>,
    /// Fixture files written by `--bless`.
    pub blessed: usize,
    /// Human-readable diff lines.
    pub diff: String,
    /// Current output against blessed records, per field.
    pub regression: BTreeMap<&'static str, Score>,
    /// Current output against gold annotations, per field.
    pub gold: BTreeMap<&'static str, Score>,
    /// Gold items not found, and found items not in gold, per document.
    pub gold_misses: String,
}

impl Checker {
    pub fn new(dir: &Path, bless: bool) -> Self {
        Checker {
            dir: dir.to_path_buf(),
            bless,
            outcome: Outcome::default(),
        }
    }

    /// Compares one record with its fixture (or writes it, when blessing)
    /// and scores it against its gold annotations, if any.
    pub fn compare(&mut self, record: &Record) -> Result<(), DataError> {
        let stem = fixture_stem(&record.id);
        self.outcome.documents += 1;
        let path = self.dir.join(format!("{stem}.json"));
        if self.bless {
            self.write_fixture(&path, record)?;
        } else {
            self.compare_with_fixture(&stem, &path, record)?;
        }
        let gold_path = self.dir.join("gold").join(format!("{stem}.json"));
        if gold_path.exists() {
            let gold = gold::Gold::load(&gold_path)?;
            let report = gold.score(record);
            for (field, score) in report.scores {
                self.outcome.gold.entry(field).or_default().add(score);
            }
            if !report.misses.is_empty() {
                let _ = writeln!(self.outcome.gold_misses, "{stem}:");
                for line in report.misses {
                    let _ = writeln!(self.outcome.gold_misses, "  {line}");
                }
            }
        }
        Ok(())
    }

    pub fn finish(self) -> Result<Outcome, DataError> {
        Ok(self.outcome)
    }

    fn write_fixture(&mut self, path: &Path, record: &Record) -> Result<(), DataError> {
        std::fs::create_dir_all(&self.dir).map_err(|e| DataError::io(&self.dir, e))?;
        // Fixtures hold what was extracted, not which build extracted it, so
        // that a rule edit does not rewrite every fixture's producer hash.
        let record = &Record {
            producer: None,
            ..record.clone()
        };
        let mut json = serde_json::to_string_pretty(record)
            .map_err(|e| DataError::format(path, e.to_string()))?;
        json.push('\n');
        std::fs::write(path, json).map_err(|e| DataError::io(path, e))?;
        self.outcome.blessed += 1;
        Ok(())
    }

    fn compare_with_fixture(
        &mut self,
        stem: &str,
        path: &Path,
        record: &Record,
    ) -> Result<(), DataError> {
        let expected: Record = match std::fs::read_to_string(path) {
            Ok(text) => {
                serde_json::from_str(&text).map_err(|e| DataError::format(path, e.to_string()))?
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                self.outcome.changed.push(stem.to_string());
                let _ = writeln!(
                    self.outcome.diff,
                    "{stem}: no fixture {} (run with --bless)",
                    path.display()
                );
                return Ok(());
            }
            Err(e) => return Err(DataError::io(path, e)),
        };
        let mut lines = Vec::new();
        diff_scalars(&expected, record, &mut lines);
        for (field, want, got) in field_items(&expected, record) {
            let score = diff_items(&want, &got, field, &mut lines);
            self.outcome.regression.entry(field).or_default().add(score);
        }
        if !lines.is_empty() {
            self.outcome.changed.push(stem.to_string());
            let _ = writeln!(self.outcome.diff, "{stem}:");
            for line in lines {
                let _ = writeln!(self.outcome.diff, "  {line}");
            }
        }
        Ok(())
    }
}

impl Outcome {
    /// True when every record matched its blessed fixture (or all were blessed).
    pub fn passed(&self) -> bool {
        self.changed.is_empty()
    }
}

/// The fixture name of a record: the file name of its id without extension,
/// with characters unsafe in file names replaced.
pub fn fixture_stem(id: &str) -> String {
    let name = id.rsplit(['/', '\\']).next().unwrap_or(id);
    let name = name.strip_suffix(".gz").unwrap_or(name);
    let stem = match name.rsplit_once('.') {
        Some((stem, ext)) if !stem.is_empty() && ext.len() <= 5 => stem,
        _ => name,
    };
    stem.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect()
}

fn diff_scalars(want: &Record, got: &Record, lines: &mut Vec<String>) {
    let scalars = [
        (
            "schema",
            format!("{:?}", want.schema),
            format!("{:?}", got.schema),
        ),
        (
            "format",
            format!("{:?}", want.source.format),
            format!("{:?}", got.source.format),
        ),
        (
            "title",
            format!("{:?}", want.title),
            format!("{:?}", got.title),
        ),
        (
            "byline",
            format!("{:?}", want.byline),
            format!("{:?}", got.byline),
        ),
        (
            "published",
            format!("{:?}", want.published),
            format!("{:?}", got.published),
        ),
        (
            "errors",
            format!("{:?}", want.errors),
            format!("{:?}", got.errors),
        ),
        (
            "warnings",
            format!("{:?}", want.warnings),
            format!("{:?}", got.warnings),
        ),
    ];
    for (name, a, b) in scalars {
        if a != b {
            lines.push(format!("{name}: expected {a}, got {b}"));
        }
    }
    if want.text != got.text {
        let at = want
            .text
            .bytes()
            .zip(got.text.bytes())
            .position(|(a, b)| a != b)
            .unwrap_or(want.text.len().min(got.text.len()));
        lines.push(format!(
            "text: differs from byte {at} (expected {} bytes, got {})",
            want.text.len(),
            got.text.len()
        ));
    }
}

type FieldItems = (&'static str, Vec<String>, Vec<String>);

/// Each list field of both records as comparable one-line items.
fn field_items(want: &Record, got: &Record) -> Vec<FieldItems> {
    vec![
        (
            "entities",
            entity_items(&want.entities),
            entity_items(&got.entities),
        ),
        (
            "dates",
            want.dates.iter().map(date_item).collect(),
            got.dates.iter().map(date_item).collect(),
        ),
        ("lists", list_items(&want.lists), list_items(&got.lists)),
        (
            "quotes",
            want.quotes.iter().map(|q| quote_item(q, want)).collect(),
            got.quotes.iter().map(|q| quote_item(q, got)).collect(),
        ),
        (
            "events",
            want.events.iter().map(|e| event_item(e, want)).collect(),
            got.events.iter().map(|e| event_item(e, got)).collect(),
        ),
    ]
}

fn entity_items(entities: &[Entity]) -> Vec<String> {
    entities
        .iter()
        .flat_map(|e| {
            e.mentions.iter().map(move |m| {
                format!(
                    "{:?} {:?} ← {:?} [{}, {}] ({})",
                    e.kind, e.name, m.text, m.span.start, m.span.end, m.rule
                )
            })
        })
        .collect()
}

fn date_item(d: &DateMention) -> String {
    format!(
        "{:?} [{}, {}] {:?} {} ({})",
        d.text, d.span.start, d.span.end, d.kind, d.value, d.rule
    )
}

fn list_items(lists: &[ListRef]) -> Vec<String> {
    lists
        .iter()
        .flat_map(|l| {
            l.mentions.iter().map(move |m| {
                format!(
                    "{} ← {:?} [{}, {}] ({})",
                    l.id, m.text, m.span.start, m.span.end, m.rule
                )
            })
        })
        .collect()
}

/// Entity ids are renumbered when an entity appears or vanishes, so items
/// name entities by canonical name instead.
fn entity_name(record: &Record, id: &Option<String>) -> String {
    id.as_ref()
        .and_then(|id| record.entities.iter().find(|e| &e.id == id))
        .map_or_else(|| "-".to_string(), |e| e.name.clone())
}

fn quote_item(q: &Quote, record: &Record) -> String {
    let speaker = q.speaker.as_ref().map_or_else(
        || "-".to_string(),
        |s| format!("{:?}={}", s.text, entity_name(record, &s.entity)),
    );
    let cue = q.cue.as_ref().map_or("-", |c| c.text.as_str());
    format!(
        "[{}, {}] {:?} {:?} speaker {speaker} cue {cue:?} ({})",
        q.span.start, q.span.end, q.kind, q.text, q.rule
    )
}

fn event_item(e: &Event, record: &Record) -> String {
    let targets: Vec<String> = e
        .target
        .iter()
        .map(|t| match t.entity {
            Some(_) => entity_name(record, &t.entity),
            None => t.text.clone(),
        })
        .collect();
    let actor = e.actor.as_ref().map_or("-".to_string(), |a| {
        let name = entity_name(record, &a.entity);
        if name == "-" {
            a.text.clone()
        } else {
            name
        }
    });
    format!(
        "{} actor {actor:?} targets {targets:?} list {} date {} {:?} {:?} evidence [{}, {}] ({})",
        e.kind,
        e.list.as_deref().unwrap_or("-"),
        e.date.as_ref().map_or("-", |d| d.value.as_str()),
        e.polarity,
        e.modality,
        e.evidence.span.start,
        e.evidence.span.end,
        e.rule
    )
}

/// Multiset difference of two item lists; appends `- missing` / `+ new` lines.
fn diff_items(want: &[String], got: &[String], field: &str, lines: &mut Vec<String>) -> Score {
    let mut remaining: BTreeMap<&str, usize> = BTreeMap::new();
    for w in want {
        *remaining.entry(w.as_str()).or_default() += 1;
    }
    let mut score = Score::default();
    let mut extra = Vec::new();
    for g in got {
        match remaining.get_mut(g.as_str()) {
            Some(n) if *n > 0 => {
                *n -= 1;
                score.tp += 1;
            }
            _ => extra.push(g),
        }
    }
    for (item, n) in remaining {
        for _ in 0..n {
            score.fn_ += 1;
            lines.push(format!("- {field}: {item}"));
        }
    }
    for item in extra {
        score.fp += 1;
        lines.push(format!("+ {field}: {item}"));
    }
    score
}

fn score_table(
    f: &mut fmt::Formatter<'_>,
    title: &str,
    scores: &BTreeMap<&'static str, Score>,
) -> fmt::Result {
    writeln!(f, "{title}")?;
    writeln!(
        f,
        "  {:<22} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7}",
        "field", "tp", "fp", "fn", "P", "R", "F1"
    )?;
    for (field, s) in scores {
        f.write_str("  ")?;
        s.write_row(f, field, 22)?;
    }
    Ok(())
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.blessed > 0 {
            writeln!(f, "blessed {} fixture(s)", self.blessed)?;
        }
        f.write_str(&self.diff)?;
        if !self.regression.is_empty() {
            score_table(f, "against blessed fixtures:", &self.regression)?;
        }
        if !self.gold.is_empty() {
            score_table(f, "against gold annotations:", &self.gold)?;
            if !self.gold_misses.is_empty() {
                writeln!(
                    f,
                    "gold differences (- gold item not found, + output item not in gold):"
                )?;
                f.write_str(&self.gold_misses)?;
            }
        }
        let verdict = if self.passed() { "ok" } else { "FAILED" };
        writeln!(
            f,
            "check {verdict}: {} documents, {} changed",
            self.documents,
            self.changed.len()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_are_file_names_without_extension() {
        assert_eq!(fixture_stem("corpus/000_abc.txt"), "000_abc");
        assert_eq!(fixture_stem("a/b/page.html.gz"), "page");
        assert_eq!(fixture_stem("stdin id/with:odd chars"), "with_odd_chars");
        assert_eq!(fixture_stem("-:3"), "-_3");
    }

    #[test]
    fn item_diff_counts_and_reports_both_directions() {
        let want = vec!["a".to_string(), "b".to_string(), "b".to_string()];
        let got = vec!["b".to_string(), "c".to_string()];
        let mut lines = Vec::new();
        let s = diff_items(&want, &got, "dates", &mut lines);
        assert_eq!((s.tp, s.fp, s.fn_), (1, 1, 2));
        assert_eq!(lines, ["- dates: a", "- dates: b", "+ dates: c"]);
    }
}
