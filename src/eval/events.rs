//! Event evaluation: predicted events against gold events, one per
//! occurrence, per article.
//!
//! Takes `DIR`, a gold folder: a file `ROOT` holding the path (relative
//! to `DIR`) of the folder the articles are in, and one `*.jsonl` file per
//! article. Its first line names the article, `{"doc": "business/017.txt",
//! "published": "2005-02-22"?}` (`published` is given to the pipeline as
//! the input's publication date); every further line is one event:
//! `{"type", "actor"?, "targets": [..], "list"?, "date"?, "polarity",
//! "modality", "instrument"?, "mentions": [[start, end], ..]}` with
//! canonical participant names, a TimeML date value and the byte spans of
//! the words that report the occurrence. An article without events has
//! the first line only. Gold stores no article text.
//!
//! Matching, per article, one to one: a predicted event matches a gold
//! event of the same type when one of its mentions overlaps one of the
//! gold mentions, or else when actors and targets agree by name. Rows:
//! unique events overall and per type (P/R/F1); notes: on matched events,
//! the share with the right actor, targets, date and modality.

use super::{Report, Score};
use crate::error::DataError;
use crate::ingest::{Body, InputMeta, RawDoc};
use crate::record::{Arg, Event, Format, Record, Source, Span};
use crate::Pipeline;
use rayon::prelude::*;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Header {
    doc: String,
    #[serde(default)]
    published: Option<String>,
}

/// One gold event.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GoldEvent {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub actor: Option<String>,
    #[serde(default)]
    pub targets: Vec<String>,
    #[serde(default)]
    pub list: Option<String>,
    #[serde(default)]
    pub date: Option<String>,
    pub polarity: String,
    pub modality: String,
    #[serde(default)]
    pub instrument: Option<String>,
    pub mentions: Vec<Span>,
}

/// One annotated article.
struct Article {
    doc: String,
    published: Option<String>,
    text: String,
    events: Vec<GoldEvent>,
}

/// Counts of a matched-event attribute judged right.
#[derive(Clone, Copy, Debug, Default)]
struct Accuracy {
    right: usize,
    total: usize,
}

impl Accuracy {
    fn count(&mut self, right: bool) {
        self.total += 1;
        self.right += usize::from(right);
    }
    fn note(&self, name: &str) -> String {
        let share = if self.total == 0 {
            1.0
        } else {
            self.right as f64 / self.total as f64
        };
        format!(
            "{name:<28} {share:.3} ({}/{} matched events)",
            self.right, self.total
        )
    }
}

#[derive(Default)]
struct Tally {
    overall: Score,
    per_type: BTreeMap<String, Score>,
    actor: Accuracy,
    targets: Accuracy,
    date: Accuracy,
    modality: Accuracy,
    /// One line per missed, spurious or wrongly argued event.
    errors: Vec<String>,
}

impl Tally {
    /// Adds `score` to the overall figures and to those of `kind`.
    fn count(&mut self, kind: &str, score: Score) {
        self.overall.add(score);
        self.per_type.entry(kind.to_owned()).or_default().add(score);
    }
}

/// Scores the pipeline's events against the gold folder `dir`.
pub fn evaluate(pipeline: &Pipeline, dir: &Path) -> Result<Report, DataError> {
    evaluate_listing(pipeline, dir, false)
}

/// As [`evaluate`]; with `list_errors`, the report's notes also list, per
/// article, each missed gold event (`miss`), each spurious prediction
/// (`spurious`) and each matched event with a wrong actor, targets or
/// date (`actor`, `targets`, `date`: gold, then predicted).
pub fn evaluate_listing(
    pipeline: &Pipeline,
    dir: &Path,
    list_errors: bool,
) -> Result<Report, DataError> {
    let articles = load(dir)?;
    let tallies: Vec<Tally> = articles
        .par_iter()
        .map(|a| score_article(a, &pipeline.process(raw_doc(a))))
        .collect();
    let mut total = Tally::default();
    for t in tallies {
        total.errors.extend(t.errors);
        total.overall.add(t.overall);
        for (kind, s) in t.per_type {
            total.per_type.entry(kind).or_default().add(s);
        }
        for (into, from) in [
            (&mut total.actor, t.actor),
            (&mut total.targets, t.targets),
            (&mut total.date, t.date),
            (&mut total.modality, t.modality),
        ] {
            into.right += from.right;
            into.total += from.total;
        }
    }
    let mut rows = vec![("events".to_string(), total.overall)];
    rows.extend(
        total
            .per_type
            .into_iter()
            .map(|(k, s)| (format!("  {k}"), s)),
    );
    let mut notes = vec![
        total.actor.note("actor right"),
        total.targets.note("targets right"),
        total.date.note("date right"),
        total.modality.note("modality right"),
    ];
    if list_errors {
        notes.extend(total.errors);
    }
    Ok(Report {
        kind: "events".into(),
        documents: articles.len(),
        rows,
        notes,
    })
}

/// The gold articles of `dir`, with their texts, in file-name order.
fn load(dir: &Path) -> Result<Vec<Article>, DataError> {
    let root_file = dir.join("ROOT");
    let root = std::fs::read_to_string(&root_file).map_err(|e| DataError::io(&root_file, e))?;
    let root = dir.join(root.trim());
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| DataError::io(dir, e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .collect();
    files.sort();
    files.iter().map(|f| load_article(f, &root)).collect()
}

fn load_article(file: &Path, root: &Path) -> Result<Article, DataError> {
    let content = std::fs::read_to_string(file).map_err(|e| DataError::io(file, e))?;
    let mut lines = content.lines().filter(|l| !l.trim().is_empty());
    let bad = |n: usize, e: serde_json::Error| DataError::format(file, format!("line {n}: {e}"));
    let header: Header = serde_json::from_str(lines.next().unwrap_or("")).map_err(|e| bad(1, e))?;
    let events = lines
        .enumerate()
        .map(|(n, l)| serde_json::from_str(l).map_err(|e| bad(n + 2, e)))
        .collect::<Result<Vec<GoldEvent>, _>>()?;
    let path = root.join(&header.doc);
    let text = std::fs::read_to_string(&path).map_err(|e| DataError::io(&path, e))?;
    for e in &events {
        if let Some(span) = e
            .mentions
            .iter()
            .find(|s| s.end > text.len() || s.is_empty())
        {
            return Err(DataError::format(
                file,
                format!("mention {span:?} is outside {}", header.doc),
            ));
        }
    }
    Ok(Article {
        doc: header.doc,
        published: header.published,
        text,
        events,
    })
}

fn raw_doc(a: &Article) -> RawDoc {
    RawDoc {
        id: a.doc.clone(),
        source: Source {
            path: a.doc.clone(),
            format: Format::Text,
            url: None,
        },
        body: Body::Text(a.text.clone()),
        meta: InputMeta {
            published: a.published.clone(),
            ..InputMeta::default()
        },
        errors: Vec::new(),
        warnings: Vec::new(),
    }
}

fn score_article(article: &Article, record: &Record) -> Tally {
    let mut tally = Tally::default();
    let mut matched_gold = vec![false; article.events.len()];
    let mut matched_pred = vec![false; record.events.len()];
    // Mention overlap first, then agreement of participants.
    for by_mention in [true, false] {
        for (p, pred) in record.events.iter().enumerate() {
            if matched_pred[p] {
                continue;
            }
            let found = article.events.iter().enumerate().position(|(g, gold)| {
                !matched_gold[g]
                    && gold.kind == pred.kind
                    && if by_mention {
                        overlaps(gold, pred)
                    } else {
                        participants_agree(gold, pred, record)
                    }
            });
            if let Some(g) = found {
                matched_gold[g] = true;
                matched_pred[p] = true;
                judge(article, &article.events[g], pred, record, &mut tally);
            }
        }
    }
    for (g, gold) in article.events.iter().enumerate() {
        let score = Score {
            tp: usize::from(matched_gold[g]),
            fn_: usize::from(!matched_gold[g]),
            fp: 0,
        };
        tally.count(&gold.kind, score);
        if !matched_gold[g] {
            let mention = gold
                .mentions
                .first()
                .map_or_else(String::new, |s| snippet(&article.text, *s));
            tally.errors.push(format!(
                "miss      {} {} | {mention}",
                article.doc,
                describe_gold(gold)
            ));
        }
    }
    for (p, pred) in record.events.iter().enumerate() {
        if !matched_pred[p] {
            let score = Score {
                fp: 1,
                ..Score::default()
            };
            tally.errors.push(format!(
                "spurious  {} {} | {}",
                article.doc,
                describe_pred(pred, record),
                pred.mentions
                    .first()
                    .map_or_else(String::new, |s| snippet(&article.text, *s))
            ));
            tally.count(&pred.kind, score);
        }
    }
    tally
}

fn overlaps(gold: &GoldEvent, pred: &Event) -> bool {
    let spans = pred
        .mentions
        .iter()
        .chain(std::iter::once(&pred.evidence.span));
    let pred_mentions: Vec<&Span> = if pred.mentions.is_empty() {
        spans.collect()
    } else {
        pred.mentions.iter().collect()
    };
    gold.mentions
        .iter()
        .any(|g| pred_mentions.iter().any(|p| p.overlaps(*g)))
}

fn participants_agree(gold: &GoldEvent, pred: &Event, record: &Record) -> bool {
    let actor = pred.actor.as_ref().map(|a| name_of(a, record));
    let actor_ok = match (&gold.actor, &actor) {
        (Some(g), Some(p)) => same_name(g, p),
        _ => false,
    };
    actor_ok && targets_right(gold, pred, record)
}

/// Records the attribute judgements of one matched pair.
fn judge(article: &Article, gold: &GoldEvent, pred: &Event, record: &Record, tally: &mut Tally) {
    let mut wrong = Vec::new();
    if let Some(g) = &gold.actor {
        let p = pred.actor.as_ref().map(|a| name_of(a, record));
        let right = p.as_ref().is_some_and(|p| same_name(g, p));
        tally.actor.count(right);
        if !right {
            wrong.push("actor");
        }
    }
    if !gold.targets.is_empty() || !pred.target.is_empty() {
        let right = targets_right(gold, pred, record);
        tally.targets.count(right);
        if !right {
            wrong.push("targets");
        }
    }
    if gold.date.is_some() || pred.date.is_some() {
        let p = pred.date.as_ref().map(|d| d.value.as_str());
        tally.date.count(gold.date.as_deref() == p);
        if gold.date.as_deref() != p {
            wrong.push("date");
        }
    }
    if !wrong.is_empty() {
        tally.errors.push(format!(
            "{:<9} {} {} || {} | {}",
            wrong.join(","),
            article.doc,
            describe_gold(gold),
            describe_pred(pred, record),
            pred.mentions
                .first()
                .map_or_else(String::new, |s| snippet(&article.text, *s))
        ));
    }
    tally
        .modality
        .count(gold.modality == crate::output::modality_name(pred.modality));
}

/// True when every gold target is among the predicted ones and every
/// predicted one among the gold ones (by name).
fn targets_right(gold: &GoldEvent, pred: &Event, record: &Record) -> bool {
    let predicted: Vec<String> = pred.target.iter().map(|t| name_of(t, record)).collect();
    gold.targets
        .iter()
        .all(|g| predicted.iter().any(|p| same_name(g, p)))
        && predicted
            .iter()
            .all(|p| gold.targets.iter().any(|g| same_name(g, p)))
}

/// `type actor -> targets @ date` of a gold event.
fn describe_gold(gold: &GoldEvent) -> String {
    format!(
        "{} {} -> {} @ {}",
        gold.kind,
        gold.actor.as_deref().unwrap_or("-"),
        gold.targets.join("; "),
        gold.date.as_deref().unwrap_or("-")
    )
}

/// `type actor -> targets @ date` of a predicted event, by canonical names.
fn describe_pred(pred: &Event, record: &Record) -> String {
    let targets: Vec<String> = pred.target.iter().map(|t| name_of(t, record)).collect();
    format!(
        "{} {} -> {} @ {}",
        pred.kind,
        pred.actor
            .as_ref()
            .map_or_else(|| "-".to_string(), |a| name_of(a, record)),
        targets.join("; "),
        pred.date.as_ref().map_or("-", |d| d.value.as_str())
    )
}

/// Up to 40 bytes of text on each side of `span`, on one line.
fn snippet(text: &str, span: Span) -> String {
    let floor = |mut i: usize| {
        while !text.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let start = floor(span.start.saturating_sub(40).min(text.len()));
    let end = floor((span.end + 40).min(text.len()));
    text[start..end].replace('\n', " ")
}

/// The canonical name of an argument's entity, else its text.
fn name_of(arg: &Arg, record: &Record) -> String {
    arg.entity
        .as_ref()
        .and_then(|id| record.entities.iter().find(|e| &e.id == id))
        .map_or_else(|| arg.text.clone(), |e| e.name.clone())
}

/// Names agree when, lower-cased and without a leading article or title,
/// one equals the other or holds it as whole words ("Marsh" and "Marsh &
/// McLennan").
fn same_name(a: &str, b: &str) -> bool {
    let norm = |s: &str| {
        let lower = s.to_lowercase().replace(['.', ',', '’', '\''], "");
        let words: Vec<String> = lower
            .split_whitespace()
            .filter(|w| !matches!(*w, "the" | "mr" | "mrs" | "ms" | "dr"))
            .map(str::to_string)
            .collect();
        words
    };
    let (a, b) = (norm(a), norm(b));
    if a.is_empty() || b.is_empty() {
        return false;
    }
    let holds = |long: &[String], short: &[String]| long.windows(short.len()).any(|w| w == short);
    if a.len() >= b.len() {
        holds(&a, &b)
    } else {
        holds(&b, &a)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_agree_by_whole_words() {
        assert!(same_name("Marsh & McLennan", "Marsh"));
        assert!(same_name("the US government", "US government"));
        assert!(same_name("Mr Ebbers", "Bernie Ebbers"));
        assert!(!same_name("Marshall", "Marsh"));
        assert!(!same_name("", "Marsh"));
    }
}
