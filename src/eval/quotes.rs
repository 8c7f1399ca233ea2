//! PolNeAR evaluation: quotes and attributions against gold Source / Cue /
//! Content annotations.
//!
//! Takes `DIR`, either the PolNeAR folder holding `polnear_train_dev.jsonl`
//! or that JSONL file itself. Articles of split `dev` are scored by
//! default; the environment variable `NEWSX_POLNEAR_SPLIT` picks another
//! (`train`, `dev`, or `all`). Only primary annotations are used when an
//! article was annotated more than once. Each article text is segmented
//! and run through the matchers (dates, lists, entities, quotes).
//!
//! Matching (byte offsets, `spans_bytes` of the gold): a predicted quote
//! matches the gold attribution whose content it overlaps most, one to
//! one. A prediction overlapping only an already matched gold content
//! (a quote split in parts, e.g. a continuation) counts neither way and is
//! reported in the notes. Rows:
//! - `content overlap`: any byte overlap;
//! - `content token>=0.5`: matched and the shared words are at least half
//!   of both the predicted and the gold content words;
//! - `cue overlap`: content matched and cue spans overlap;
//! - `source overlap`: over matched contents, speaker and gold source overlap;
//! - the content rows again for quotes with quotation marks (gold content
//!   holding a mark; predicted kind direct or mixed) and without.
//!
//! The notes give the recall of gold contents holding a verb (reported
//! clauses, quoted speech) and of those that do not (noun phrases:
//! "denied the claims", "cited his endorsements"), which newsx does not
//! report as quotes by design (the cue-sense check).
//!
//! Setting `NEWSX_POLNEAR_ERRORS=N` adds N sample misses and false alarms
//! to the notes.

use super::{Report, Score};
use crate::error::DataError;
use crate::extract::Doc;
use crate::record::{Quote, QuoteKind, Span};
use crate::Pipeline;
use rayon::prelude::*;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

const DATA_FILE: &str = "polnear_train_dev.jsonl";
const SPLIT_VAR: &str = "NEWSX_POLNEAR_SPLIT";
const ERRORS_VAR: &str = "NEWSX_POLNEAR_ERRORS";
/// Share of words two contents must have in common for a strict match.
const MIN_TOKEN_OVERLAP: f64 = 0.5;
const QUOTE_MARKS: &[char] = &['“', '”', '"', '«', '»', '‘', '’'];

#[derive(Deserialize)]
struct Article {
    id: String,
    split: String,
    #[serde(default = "yes")]
    primary: bool,
    text: String,
    #[serde(default)]
    attributions: Vec<Attribution>,
}

fn yes() -> bool {
    true
}

#[derive(Deserialize)]
struct Attribution {
    content: Option<Part>,
    source: Option<Part>,
    cue: Option<Part>,
}

#[derive(Deserialize)]
struct Part {
    spans_bytes: Vec<[usize; 2]>,
}

/// One gold attribution as byte spans.
struct Gold {
    content: Vec<Span>,
    source: Vec<Span>,
    cue: Vec<Span>,
    quoted: bool,
}

/// Counts of one article (or the sum of all).
#[derive(Default)]
struct Tally {
    rows: BTreeMap<&'static str, Score>,
    split_parts: usize,
    /// Gold contents (holding a verb, not holding one), each as (gold, matched).
    by_verb: [(usize, usize); 2],
    /// Per rule id: (predicted, matched).
    rules: BTreeMap<String, (usize, usize)>,
    samples: Vec<String>,
}

impl Tally {
    fn add(&mut self, other: Tally) {
        for (k, v) in other.rows {
            self.rows.entry(k).or_default().add(v);
        }
        self.split_parts += other.split_parts;
        for (mine, theirs) in self.by_verb.iter_mut().zip(other.by_verb) {
            mine.0 += theirs.0;
            mine.1 += theirs.1;
        }
        for (k, (p, m)) in other.rules {
            let e = self.rules.entry(k).or_default();
            e.0 += p;
            e.1 += m;
        }
        self.samples.extend(other.samples);
    }
}

pub fn evaluate(pipeline: &Pipeline, dir: &Path) -> Result<Report, DataError> {
    let path = data_path(dir);
    let split = std::env::var(SPLIT_VAR).unwrap_or_else(|_| "dev".to_string());
    let samples: usize = std::env::var(ERRORS_VAR)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let articles = read_articles(&path, &split)?;
    let started = Instant::now();
    let tally = articles
        .par_iter()
        .map(|a| score_article(pipeline, a, samples > 0))
        .reduce(Tally::default, |mut a, b| {
            a.add(b);
            a
        });
    let elapsed = started.elapsed();
    let mut report = Report {
        kind: "polnear".to_string(),
        documents: articles.len(),
        ..Report::default()
    };
    for name in ROW_ORDER {
        report.rows.push((
            name.to_string(),
            tally.rows.get(name).copied().unwrap_or_default(),
        ));
    }
    report.notes.push(format!(
        "split {split}; {} predictions overlapping an already matched gold content (split quotes) not counted",
        tally.split_parts
    ));
    for (name, (gold, matched)) in ["with a verb (clausal)", "without a verb (a noun phrase)"]
        .iter()
        .zip(tally.by_verb)
    {
        report.notes.push(format!(
            "gold contents {name}: {gold}, matched {matched} (recall {:.3})",
            matched as f64 / gold.max(1) as f64
        ));
    }
    report.notes.push(format!(
        "runtime: {:.2}s for {} articles ({} bytes), matchers only",
        elapsed.as_secs_f64(),
        articles.len(),
        articles.iter().map(|a| a.text.len()).sum::<usize>()
    ));
    for (rule, (predicted, matched)) in &tally.rules {
        report.notes.push(format!(
            "rule {rule}: {predicted} predicted, {matched} matched ({:.2})",
            *matched as f64 / (*predicted).max(1) as f64
        ));
    }
    report
        .notes
        .extend(tally.samples.into_iter().take(samples * 2));
    Ok(report)
}

const ROW_ORDER: [&str; 8] = [
    "content overlap",
    "content token>=0.5",
    "cue overlap",
    "source overlap",
    "quoted: content overlap",
    "quoted: content token>=0.5",
    "unquoted: content overlap",
    "unquoted: content token>=0.5",
];

fn data_path(dir: &Path) -> PathBuf {
    if dir.is_dir() {
        dir.join(DATA_FILE)
    } else {
        dir.to_path_buf()
    }
}

fn read_articles(path: &Path, split: &str) -> Result<Vec<Article>, DataError> {
    let text = std::fs::read_to_string(path).map_err(|e| DataError::io(path, e))?;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let article: Article = serde_json::from_str(line)
            .map_err(|e| DataError::format(path, format!("line {}: {e}", i + 1)))?;
        if article.primary && (split == "all" || article.split == split) {
            out.push(article);
        }
    }
    if out.is_empty() {
        return Err(DataError::format(
            path,
            format!("no primary articles of split {split:?}"),
        ));
    }
    Ok(out)
}

fn gold_of(article: &Article) -> Vec<Gold> {
    let spans = |p: &Option<Part>| -> Vec<Span> {
        p.as_ref()
            .map(|p| p.spans_bytes.iter().map(|&s| Span::from(s)).collect())
            .unwrap_or_default()
    };
    article
        .attributions
        .iter()
        .filter_map(|a| {
            let content = spans(&a.content);
            if content.is_empty() {
                return None;
            }
            let quoted = content.iter().any(|s| {
                s.slice(&article.text).contains(QUOTE_MARKS)
                    || s.slice(&article.text).contains("''")
            });
            Some(Gold {
                content,
                source: spans(&a.source),
                cue: spans(&a.cue),
                quoted,
            })
        })
        .collect()
}

/// The quotes of `text`, and the starts of its verb tokens (in order).
fn predict(pipeline: &Pipeline, text: &str) -> (Vec<Quote>, Vec<usize>) {
    let seg = crate::segment::segment(text, &[]);
    let parsed = pipeline.clauses().analyze(text, &seg);
    let doc = Doc {
        parsed: Some(&parsed),
        ..Doc::new(text, &seg, None)
    };
    let ex = pipeline.extractors();
    let dates = ex.dates.extract(&doc);
    let lists = ex.lists.extract(&doc);
    let entities = ex.entities.extract(&doc, &dates, &lists);
    let verbs = parsed
        .tokens
        .iter()
        .filter(|t| t.tag.is_verb() || t.tag == crate::clauses::Tag::MD)
        .map(|t| t.span.start)
        .collect();
    (ex.quotes.extract(&doc, &entities), verbs)
}

/// True when one of the `verbs` (sorted starts) lies in `spans`.
fn holds_verb(verbs: &[usize], spans: &[Span]) -> bool {
    spans.iter().any(|s| {
        let i = verbs.partition_point(|&v| v < s.start);
        verbs.get(i).is_some_and(|&v| v < s.end)
    })
}

fn score_article(pipeline: &Pipeline, article: &Article, keep_samples: bool) -> Tally {
    let gold = gold_of(article);
    let (pred, verbs) = predict(pipeline, &article.text);
    let mut tally = Tally::default();
    let all = score_subset(article, &pred, &gold, &mut tally, "", keep_samples);
    let mut matched = vec![false; gold.len()];
    for &(_, g) in &all.pairs {
        matched[g] = true;
    }
    for (g, gd) in gold.iter().enumerate() {
        let row = &mut tally.by_verb[usize::from(!holds_verb(&verbs, &gd.content))];
        row.0 += 1;
        row.1 += usize::from(matched[g]);
    }
    for q in &pred {
        tally.rules.entry(q.rule.clone()).or_default().0 += 1;
    }
    for &(p, _) in &all.pairs {
        tally.rules.entry(pred[p].rule.clone()).or_default().1 += 1;
    }
    score_cue_source(&pred, &gold, &all, &mut tally);
    if keep_samples {
        sample_speakers(article, &pred, &gold, &all, &mut tally);
    }
    let quoted = |q: &Quote| q.kind != QuoteKind::Indirect;
    let pq: Vec<Quote> = pred.iter().filter(|q| quoted(q)).cloned().collect();
    let gq: Vec<&Gold> = gold.iter().filter(|g| g.quoted).collect();
    let pu: Vec<Quote> = pred.iter().filter(|q| !quoted(q)).cloned().collect();
    let gu: Vec<&Gold> = gold.iter().filter(|g| !g.quoted).collect();
    score_refs(article, &pq, &gq, &mut tally, "quoted: ");
    score_refs(article, &pu, &gu, &mut tally, "unquoted: ");
    tally
}

fn score_refs(article: &Article, pred: &[Quote], gold: &[&Gold], tally: &mut Tally, prefix: &str) {
    let owned: Vec<Gold> = gold
        .iter()
        .map(|g| Gold {
            content: g.content.clone(),
            source: Vec::new(),
            cue: Vec::new(),
            quoted: g.quoted,
        })
        .collect();
    score_subset(article, pred, &owned, tally, prefix, false);
}

struct Matching {
    /// (prediction, gold) pairs.
    pairs: Vec<(usize, usize)>,
}

fn score_subset(
    article: &Article,
    pred: &[Quote],
    gold: &[Gold],
    tally: &mut Tally,
    prefix: &str,
    keep_samples: bool,
) -> Matching {
    let text = &article.text;
    let pairs = match_contents(pred, gold);
    let mut pred_matched = vec![false; pred.len()];
    let mut gold_matched = vec![false; gold.len()];
    for &(p, g) in &pairs {
        pred_matched[p] = true;
        gold_matched[g] = true;
    }
    let mut overlap = Score::default();
    let mut strict = Score::default();
    overlap.tp = pairs.len();
    for &(p, g) in &pairs {
        if token_overlap(text, pred[p].span, &gold[g].content) >= MIN_TOKEN_OVERLAP {
            strict.tp += 1;
        } else {
            strict.fp += 1;
            strict.fn_ += 1;
            if keep_samples {
                let want: Vec<&str> = gold[g].content.iter().map(|s| s.slice(text)).collect();
                tally.samples.push(format!(
                    "BOUNDARY {} [{}] got {:?} want {:?}",
                    article.id,
                    pred[p].rule,
                    pred[p].text,
                    want.join(" … ")
                ));
            }
        }
    }
    for (p, q) in pred.iter().enumerate() {
        if pred_matched[p] {
            continue;
        }
        if gold
            .iter()
            .any(|g| g.content.iter().any(|s| s.overlaps(q.span)))
        {
            if prefix.is_empty() {
                tally.split_parts += 1;
            }
        } else {
            overlap.fp += 1;
            strict.fp += 1;
            if keep_samples {
                tally
                    .samples
                    .push(format!("FP {} [{}] {:?}", article.id, q.rule, q.text));
            }
        }
    }
    for (g, gd) in gold.iter().enumerate() {
        if !gold_matched[g] {
            overlap.fn_ += 1;
            strict.fn_ += 1;
            if keep_samples {
                tally.samples.push(miss(article, gd));
            }
        }
    }
    add_row(tally, prefix, "content overlap", overlap);
    add_row(tally, prefix, "content token>=0.5", strict);
    Matching { pairs }
}

/// A missed attribution with its source, cue and surrounding text.
fn miss(article: &Article, gold: &Gold) -> String {
    let text = &article.text;
    let all = || gold.content.iter().chain(&gold.source).chain(&gold.cue);
    let start = all().map(|s| s.start).min().unwrap_or(0);
    let end = all().map(|s| s.end).max().unwrap_or(0);
    let join = |spans: &[Span]| {
        spans
            .iter()
            .map(|s| s.slice(text))
            .collect::<Vec<_>>()
            .join(" … ")
    };
    format!(
        "FN {} source={:?} cue={:?} context={:?}",
        article.id,
        join(&gold.source),
        join(&gold.cue),
        Span::new(start, end).slice(text)
    )
}

fn add_row(tally: &mut Tally, prefix: &str, name: &str, score: Score) {
    let key = ROW_ORDER
        .iter()
        .find(|r| r.strip_prefix(prefix) == Some(name))
        .copied()
        .unwrap_or("content overlap");
    tally.rows.entry(key).or_default().add(score);
}

/// One-to-one pairs, largest byte overlap first.
fn match_contents(pred: &[Quote], gold: &[Gold]) -> Vec<(usize, usize)> {
    let mut candidates = Vec::new();
    for (p, q) in pred.iter().enumerate() {
        for (g, gd) in gold.iter().enumerate() {
            let shared: usize = gd.content.iter().map(|s| shared_bytes(q.span, *s)).sum();
            if shared > 0 {
                candidates.push((shared, p, g));
            }
        }
    }
    candidates.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let mut used_p = vec![false; pred.len()];
    let mut used_g = vec![false; gold.len()];
    let mut pairs = Vec::new();
    for (_, p, g) in candidates {
        if !used_p[p] && !used_g[g] {
            used_p[p] = true;
            used_g[g] = true;
            pairs.push((p, g));
        }
    }
    pairs
}

fn shared_bytes(a: Span, b: Span) -> usize {
    a.end.min(b.end).saturating_sub(a.start.max(b.start))
}

/// Matched quotes whose speaker misses the gold source.
fn sample_speakers(
    article: &Article,
    pred: &[Quote],
    gold: &[Gold],
    matching: &Matching,
    tally: &mut Tally,
) {
    let text = &article.text;
    for &(p, g) in &matching.pairs {
        let Some(speaker) = &pred[p].speaker else {
            continue;
        };
        let source = &gold[g].source;
        if !source.is_empty() && !source.iter().any(|s| s.overlaps(speaker.span)) {
            let want: Vec<&str> = source.iter().map(|s| s.slice(text)).collect();
            tally.samples.push(format!(
                "SPEAKER {} [{}] got {:?} want {:?}",
                article.id,
                pred[p].rule,
                speaker.text,
                want.join(" … ")
            ));
        }
    }
}

fn score_cue_source(pred: &[Quote], gold: &[Gold], matching: &Matching, tally: &mut Tally) {
    let mut cue = Score::default();
    let mut source = Score::default();
    let matched_pred: Vec<usize> = matching.pairs.iter().map(|p| p.0).collect();
    let matched_gold: Vec<usize> = matching.pairs.iter().map(|p| p.1).collect();
    for &(p, g) in &matching.pairs {
        let q = &pred[p];
        let gd = &gold[g];
        count_part(q.cue.as_ref().map(|c| c.span), &gd.cue, &mut cue);
        count_part(q.speaker.as_ref().map(|s| s.span), &gd.source, &mut source);
    }
    // Like the content rows, parts of an already matched gold content count neither way.
    let overlaps_gold = |q: &Quote| {
        gold.iter()
            .any(|g| g.content.iter().any(|s| s.overlaps(q.span)))
    };
    cue.fp += pred
        .iter()
        .enumerate()
        .filter(|(i, q)| q.cue.is_some() && !matched_pred.contains(i) && !overlaps_gold(q))
        .count();
    cue.fn_ += (0..gold.len())
        .filter(|g| !gold[*g].cue.is_empty() && !matched_gold.contains(g))
        .count();
    tally.rows.entry("cue overlap").or_default().add(cue);
    tally.rows.entry("source overlap").or_default().add(source);
}

fn count_part(pred: Option<Span>, gold: &[Span], score: &mut Score) {
    match pred {
        Some(p) if gold.iter().any(|g| g.overlaps(p)) => score.tp += 1,
        Some(_) => {
            score.fp += 1;
            score.fn_ += usize::from(!gold.is_empty());
        }
        None => score.fn_ += usize::from(!gold.is_empty()),
    }
}

/// Shared words over the larger of the two word counts.
fn token_overlap(text: &str, pred: Span, gold: &[Span]) -> f64 {
    let pred_words = words(text, pred);
    let gold_words: Vec<Span> = gold.iter().flat_map(|g| words(text, *g)).collect();
    let shared = pred_words
        .iter()
        .filter(|w| gold_words.iter().any(|g| g.overlaps(**w)))
        .count();
    let larger = pred_words.len().max(gold_words.len());
    if larger == 0 {
        0.0
    } else {
        shared as f64 / larger as f64
    }
}

/// Alphanumeric runs inside `span`.
fn words(text: &str, span: Span) -> Vec<Span> {
    let s = span.slice(text);
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in s.char_indices() {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(st)) => {
                out.push(Span::new(span.start + st, span.start + i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(st) = start {
        out.push(Span::new(span.start + st, span.end));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_overlap_counts_shared_words() {
        let text = "He said the plan is dead on arrival today.";
        let pred = Span::new(8, 36); // "the plan is dead on arrival"
        let gold = [Span::new(8, 42)]; // "... today."
        let r = token_overlap(text, pred, &gold);
        assert!((r - 6.0 / 7.0).abs() < 1e-9, "{r}");
        assert_eq!(
            token_overlap(text, Span::new(0, 2), &[Span::new(8, 11)]),
            0.0
        );
    }
}

/// Shares of a gold content a predicted one must cover (shared bytes over
/// the longer of the two) for a loose and a strict match.
const GOLD_OVERLAPS: [(f64, &str); 2] = [(0.3, ">=0.3"), (0.8, ">=0.8")];

/// One quote of a hand-made corpus gold file (see `fixtures/gold/bbc-quotes`).
#[derive(Clone, Debug)]
pub struct GoldQuote {
    pub doc: String,
    pub kind: QuoteKind,
    pub content: Span,
    pub speaker: Span,
    /// The speaker's full name, or `None` when the article never names
    /// the speaker (then the speaker must stay unlinked).
    pub label: Option<String>,
}

/// Reads a corpus quote gold file: doc, kind, content start and end,
/// speaker start and end, label (`-` for an unnamed speaker).
pub fn parse_gold_quotes(raw: &str) -> Result<Vec<GoldQuote>, String> {
    let mut out = Vec::new();
    for (n, line) in raw.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let bad = || format!("line {}: expected doc, kind, 4 offsets, label", n + 1);
        let [doc, kind, cs, ce, ss, se, label] = line.split('\t').collect::<Vec<_>>()[..] else {
            return Err(bad());
        };
        let kind = match kind {
            "direct" => QuoteKind::Direct,
            "indirect" => QuoteKind::Indirect,
            "mixed" => QuoteKind::Mixed,
            _ => return Err(bad()),
        };
        let num = |s: &str| s.parse::<usize>().map_err(|_| bad());
        let (content, speaker) = (Span::new(num(cs)?, num(ce)?), Span::new(num(ss)?, num(se)?));
        if content.is_empty() || speaker.is_empty() {
            return Err(bad());
        }
        out.push(GoldQuote {
            doc: doc.to_string(),
            kind,
            content,
            speaker,
            label: (label != "-").then(|| label.to_string()),
        });
    }
    Ok(out)
}

/// Environment variable naming the corpus folder of `newsx eval quotes`.
pub const CORPUS_VAR: &str = "NEWSX_BBC_DIR";

/// `newsx eval quotes GOLD.tsv`: [`evaluate_gold`] with the corpus folder
/// named by `NEWSX_BBC_DIR`.
pub fn evaluate_gold_file(pipeline: &Pipeline, gold_file: &Path) -> Result<Report, DataError> {
    let corpus = std::env::var_os(CORPUS_VAR)
        .map(PathBuf::from)
        .ok_or_else(|| {
            DataError::format(
                gold_file,
                format!("set {CORPUS_VAR} to the corpus folder the gold spans point into"),
            )
        })?;
    evaluate_gold(pipeline, gold_file, &corpus)
}

/// Scores the pipeline on a corpus quote gold file, each document read
/// from `corpus/<doc>.txt`. Rows: content P/R/F1 at each overlap share,
/// for all quotes and for direct (quotation marks only) and
/// indirect-or-mixed quotes apart; then, over gold quotes matched at the
/// loose share, the speaker span (overlapping the gold speaker) and the
/// speaker entity (named: an entity whose name shares the label's words;
/// unnamed: no entity), as tp = right, fn = wrong.
pub fn evaluate_gold(
    pipeline: &Pipeline,
    gold_file: &Path,
    corpus: &Path,
) -> Result<Report, DataError> {
    let raw = std::fs::read_to_string(gold_file).map_err(|e| DataError::io(gold_file, e))?;
    let gold = parse_gold_quotes(&raw).map_err(|m| DataError::format(gold_file, m))?;
    let mut docs: Vec<&str> = gold.iter().map(|g| g.doc.as_str()).collect();
    docs.dedup();
    let mut rows: BTreeMap<String, Score> = BTreeMap::new();
    for doc in &docs {
        let path = corpus.join(format!("{doc}.txt"));
        let text = std::fs::read_to_string(&path).map_err(|e| DataError::io(&path, e))?;
        let record = pipeline.process_input(crate::ingest::Input::File(path.clone()));
        if record.text != text {
            return Err(DataError::format(
                &path,
                "the record's text differs from the file",
            ));
        }
        let doc_gold: Vec<&GoldQuote> = gold.iter().filter(|g| g.doc == *doc).collect();
        if let Some(bad) = doc_gold
            .iter()
            .find(|g| text.get(g.content.start..g.content.end).is_none())
        {
            let message = format!(
                "span {}..{} is not inside the text",
                bad.content.start, bad.content.end
            );
            return Err(DataError::format(&path, message));
        }
        score_gold_doc(&record, &doc_gold, &mut rows);
    }
    Ok(Report {
        kind: "quote gold".to_string(),
        documents: docs.len(),
        rows: rows.into_iter().collect(),
        ..Report::default()
    })
}

fn score_gold_doc(
    record: &crate::record::Record,
    gold: &[&GoldQuote],
    rows: &mut BTreeMap<String, Score>,
) {
    let direct = |k: QuoteKind| k == QuoteKind::Direct;
    for (name, keep) in [
        ("all", None),
        ("direct", Some(true)),
        ("indirect+mixed", Some(false)),
    ] {
        let pred: Vec<&Quote> = record
            .quotes
            .iter()
            .filter(|q| keep.is_none_or(|d| direct(q.kind) == d))
            .collect();
        let gold: Vec<&GoldQuote> = gold
            .iter()
            .copied()
            .filter(|g| keep.is_none_or(|d| direct(g.kind) == d))
            .collect();
        for (share, label) in GOLD_OVERLAPS {
            let pairs = pair_by_share(&pred, &gold, share);
            let row = rows.entry(format!("content {label} {name}")).or_default();
            row.tp += pairs.len();
            row.fp += pred.len() - pairs.len();
            row.fn_ += gold.len() - pairs.len();
        }
    }
    let all: Vec<&Quote> = record.quotes.iter().collect();
    for (p, g) in pair_by_share(&all, gold, GOLD_OVERLAPS[0].0) {
        let (q, g) = (all[p], gold[g]);
        let speaker = q.speaker.as_ref();
        let span_right = speaker.is_some_and(|s| s.span.overlaps(g.speaker));
        let entity = speaker
            .and_then(|s| s.entity.as_deref())
            .and_then(|id| record.entities.iter().find(|e| e.id == id));
        let entity_right = match (&g.label, entity) {
            (Some(label), Some(e)) => names_agree(label, &e.name),
            (None, None) => span_right,
            _ => false,
        };
        for (row, right) in [
            ("speaker span", span_right),
            ("speaker entity", entity_right),
        ] {
            let score = rows.entry(row.to_string()).or_default();
            if right {
                score.tp += 1;
            } else {
                score.fn_ += 1;
            }
        }
    }
}

/// Pairs predictions and gold contents one to one, greedily by shared
/// bytes, keeping pairs whose shared bytes reach `share` of the longer.
fn pair_by_share(pred: &[&Quote], gold: &[&GoldQuote], share: f64) -> Vec<(usize, usize)> {
    let mut candidates: Vec<(usize, usize, usize)> = Vec::new();
    for (i, q) in pred.iter().enumerate() {
        for (j, g) in gold.iter().enumerate() {
            let shared = shared_bytes(q.span, g.content);
            let longer = q.span.len().max(g.content.len());
            if shared > 0 && shared as f64 >= share * longer as f64 {
                candidates.push((shared, i, j));
            }
        }
    }
    candidates.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let (mut used_p, mut used_g) = (vec![false; pred.len()], vec![false; gold.len()]);
    let mut pairs = Vec::new();
    for (_, i, j) in candidates {
        if !used_p[i] && !used_g[j] {
            used_p[i] = true;
            used_g[j] = true;
            pairs.push((i, j));
        }
    }
    pairs
}

/// True when every word of the shorter name is a word of the longer
/// ("Blair" and "Tony Blair"), or the shorter is the longer's initials
/// ("EU" and "European Union"), ignoring case and titles' periods.
fn names_agree(a: &str, b: &str) -> bool {
    let words = |s: &str| -> Vec<String> {
        s.split_whitespace()
            .map(|w| w.trim_matches('.').to_lowercase())
            .filter(|w| !w.is_empty())
            .collect()
    };
    let (a, b) = (words(a), words(b));
    let (short, long) = if a.len() <= b.len() {
        (&a, &b)
    } else {
        (&b, &a)
    };
    let initials: String = long.iter().filter_map(|w| w.chars().next()).collect();
    let acronym = short.len() == 1 && long.len() > 1 && short[0] == initials;
    acronym || (!short.is_empty() && short.iter().all(|w| long.contains(w)))
}
