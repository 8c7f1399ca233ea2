//! WCXB evaluation: HTML article extraction against the WCXB gold pages.
//!
//! Takes a folder with `html/NNNN.html.gz` (or `.html`) and
//! `ground-truth/NNNN.json` (`ground_truth.{title, author, publish_date,
//! main_content}`); gives one row per field:
//! - `main_content`: bag-of-words tokens (lowercased alphanumeric runs),
//!   micro-averaged over all tokens; the mean per-document F1 is a note.
//! - `main_content 4-gram`: the article-extraction-benchmark metric. Text
//!   is cut into `\w+` tokens (case kept) and shingles of 4 tokens (a text
//!   of fewer tokens is one shingle); per page, shingle counts give tp, fp,
//!   fn normalised to sum 1; precision is the mean over pages with tp+fp >
//!   0, recall the mean over pages with tp+fn > 0, F1 their harmonic mean.
//! - title and date accuracy per page type (WCXB `_internal.page_type`):
//!   correct predictions over pages with a gold value.
//! - `title`, `author`: exact match after case, white-space and
//!   typographic-quote normalisation (authors as an order-free set of names). A correct
//!   prediction is a tp; a wrong one is a fp and a fn; none is a fn.
//! - `publish_date`: the same on the calendar day.
//!
//! A gold field that is null or absent is not scored for that document.

use super::{Report, Score};
use crate::clean::Article;
use crate::dct::parse_date;
use crate::error::DataError;
use crate::ingest::{Body, InputMeta};
use crate::Pipeline;
use flate2::read::MultiGzDecoder;
use rayon::prelude::*;
use serde_json::Value;
use std::collections::{BTreeSet, HashMap};
use std::io::Read;
use std::path::{Path, PathBuf};

/// Gold fields of one page.
#[derive(Debug, Default)]
struct Gold {
    /// The page's file stem (`0042`).
    id: String,
    page_type: String,
    /// The page's address, given to the cleaner as a JSONL input would.
    url: Option<String>,
    title: Option<String>,
    author: Option<String>,
    date: Option<String>,
    content: Option<String>,
}

/// Scores of one page.
#[derive(Debug, Default)]
struct PageScore {
    id: String,
    page_type: String,
    /// What the cleaner gave and what the gold says, for wrong titles
    /// and dates (`--errors` listing).
    wrong: Vec<String>,
    content: Option<Score>,
    /// Normalised (tp, fp, fn) of 4-token shingles.
    shingles: Option<[f64; 3]>,
    title: Option<Score>,
    author: Option<Score>,
    date: Option<Score>,
}

/// Scores of every page of a WCXB folder, with the headline figures.
#[derive(Debug, Default)]
pub struct Measured {
    pages: Vec<PageScore>,
}

/// Precision, recall and F1 of the article-extraction-benchmark metric.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct ShingleScore {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

impl Measured {
    /// The article-extraction-benchmark score of the main text.
    pub fn shingles(&self) -> ShingleScore {
        let pages: Vec<[f64; 3]> = self.pages.iter().filter_map(|p| p.shingles).collect();
        let mean = |xs: Vec<f64>| xs.iter().sum::<f64>() / xs.len().max(1) as f64;
        let precision = mean(
            pages
                .iter()
                .filter(|[tp, fp, _]| tp + fp > 0.0)
                .map(|&[tp, fp, fn_]| shingle_precision(tp, fp, fn_))
                .collect(),
        );
        let recall = mean(
            pages
                .iter()
                .filter(|[tp, _, fn_]| tp + fn_ > 0.0)
                .map(|&[tp, fp, fn_]| shingle_recall(tp, fp, fn_))
                .collect(),
        );
        let f1 = if precision + recall > 0.0 {
            2.0 * precision * recall / (precision + recall)
        } else {
            0.0
        };
        ShingleScore {
            precision,
            recall,
            f1,
        }
    }

    /// Share of pages (of `page_type`, or all) whose title is right.
    pub fn title_accuracy(&self, page_type: Option<&str>) -> f64 {
        self.accuracy(page_type, |p| p.title)
    }

    /// Share of pages (of `page_type`, or all) whose date is right.
    pub fn date_accuracy(&self, page_type: Option<&str>) -> f64 {
        self.accuracy(page_type, |p| p.date)
    }

    /// Micro-averaged bag-of-words score of the main text.
    pub fn words(&self) -> Score {
        let mut total = Score::default();
        self.pages
            .iter()
            .filter_map(|p| p.content)
            .for_each(|s| total.add(s));
        total
    }

    /// Page types present, sorted.
    pub fn page_types(&self) -> Vec<String> {
        let types: BTreeSet<&str> = self.pages.iter().map(|p| p.page_type.as_str()).collect();
        types.into_iter().map(str::to_string).collect()
    }

    fn accuracy(
        &self,
        page_type: Option<&str>,
        field: impl Fn(&PageScore) -> Option<Score>,
    ) -> f64 {
        let (mut right, mut gold) = (0, 0);
        for p in &self.pages {
            if page_type.is_some_and(|t| t != p.page_type) {
                continue;
            }
            if let Some(s) = field(p) {
                right += s.tp;
                gold += 1;
            }
        }
        right as f64 / gold.max(1) as f64
    }

    fn counted(
        &self,
        page_type: &str,
        field: impl Fn(&PageScore) -> Option<Score>,
    ) -> (usize, usize) {
        let pages = self.pages.iter().filter(|p| p.page_type == page_type);
        let scored: Vec<Score> = pages.filter_map(field).collect();
        (scored.iter().map(|s| s.tp).sum(), scored.len())
    }
}

/// Scores every page of a WCXB folder.
pub fn measure(pipeline: &Pipeline, dir: &Path) -> Result<Measured, DataError> {
    let pages = list_pages(dir)?;
    if pages.is_empty() {
        return Err(DataError::format(
            dir,
            "no html/*.html(.gz) pages with ground truth",
        ));
    }
    let cleaner = pipeline.cleaner();
    let scores: Vec<PageScore> = pages
        .par_iter()
        .map(|(html, gold)| {
            let source = read_maybe_gz(html)?;
            let mut gold = read_gold(gold)?;
            gold.id = page_id(html);
            let meta = InputMeta {
                url: gold.url.clone(),
                ..InputMeta::default()
            };
            let found = cleaner.clean(Body::Html(source), &meta);
            Ok(score_page(&found, &gold))
        })
        .collect::<Result<_, DataError>>()?;
    Ok(Measured { pages: scores })
}

pub fn evaluate(pipeline: &Pipeline, dir: &Path) -> Result<Report, DataError> {
    Ok(report(&measure(pipeline, dir)?))
}

/// Pages whose main text scores below this 4-gram F1 are listed.
const LISTED_BODY_F1: f64 = 0.9;

/// The report plus one line per page with a wrong title or date and per
/// page whose main text scores below [`LISTED_BODY_F1`] (worst first),
/// so that losses can be grouped by cause.
pub fn evaluate_listing(pipeline: &Pipeline, dir: &Path) -> Result<Report, DataError> {
    let measured = measure(pipeline, dir)?;
    let mut report = report(&measured);
    let mut weak: Vec<(f64, &PageScore)> = measured
        .pages
        .iter()
        .filter_map(|p| {
            let [tp, fp, fn_] = p.shingles?;
            let (pr, re) = (shingle_precision(tp, fp, fn_), shingle_recall(tp, fp, fn_));
            let f1 = if pr + re > 0.0 {
                2.0 * pr * re / (pr + re)
            } else {
                0.0
            };
            (f1 < LISTED_BODY_F1).then_some((f1, p))
        })
        .collect();
    weak.sort_by(|a, b| a.0.total_cmp(&b.0).then_with(|| a.1.id.cmp(&b.1.id)));
    for (f1, p) in weak {
        let [tp, fp, fn_] = p.shingles.unwrap_or_default();
        report.notes.push(format!(
            "body {}: 4-gram P {:.3} R {:.3} F1 {f1:.3}",
            p.id,
            shingle_precision(tp, fp, fn_),
            shingle_recall(tp, fp, fn_)
        ));
    }
    for p in &measured.pages {
        report
            .notes
            .extend(p.wrong.iter().map(|w| format!("{w} {}", p.id)));
    }
    Ok(report)
}

/// The file stem of a page (`html/0042.html.gz` → `0042`).
fn page_id(path: &Path) -> String {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    name.split('.').next().unwrap_or(name).to_string()
}

fn report(measured: &Measured) -> Report {
    let scores = &measured.pages;
    let mut rows: Vec<(String, Score)> = ["main_content", "title", "author", "publish_date"]
        .iter()
        .map(|n| (n.to_string(), Score::default()))
        .collect();
    let mut doc_f1 = Vec::new();
    for s in scores {
        for (i, field) in [s.content, s.title, s.author, s.date].iter().enumerate() {
            if let Some(f) = field {
                rows[i].1.add(*f);
            }
        }
        if let Some(c) = s.content {
            doc_f1.push(c.f1());
        }
    }
    let mean = doc_f1.iter().sum::<f64>() / doc_f1.len().max(1) as f64;
    let mut sorted = doc_f1.clone();
    sorted.sort_by(f64::total_cmp);
    let median = sorted.get(sorted.len() / 2).copied().unwrap_or(0.0);
    let below = doc_f1.iter().filter(|&&f| f < 0.5).count();
    let sh = measured.shingles();
    let mut notes = vec![
        format!(
            "main_content 4-gram (article-extraction-benchmark): P {:.3} R {:.3} F1 {:.3}",
            sh.precision, sh.recall, sh.f1
        ),
        format!("main_content mean per-document F1: {mean:.3} (median {median:.3})"),
        format!("pages with content F1 < 0.5: {below} of {}", doc_f1.len()),
    ];
    for page_type in measured.page_types() {
        let (title_ok, titles) = measured.counted(&page_type, |p| p.title);
        let (date_ok, dates) = measured.counted(&page_type, |p| p.date);
        notes.push(format!(
            "{page_type}: title exact {:.3} ({title_ok}/{titles}), date exact {:.3} ({date_ok}/{dates})",
            title_ok as f64 / titles.max(1) as f64,
            date_ok as f64 / dates.max(1) as f64,
        ));
    }
    Report {
        kind: "wcxb".into(),
        documents: scores.len(),
        rows,
        notes,
    }
}

fn list_pages(dir: &Path) -> Result<Vec<(PathBuf, PathBuf)>, DataError> {
    let html_dir = dir.join("html");
    let gold_dir = dir.join("ground-truth");
    let entries = std::fs::read_dir(&html_dir).map_err(|e| DataError::io(&html_dir, e))?;
    let mut pages = Vec::new();
    for entry in entries {
        let path = entry.map_err(|e| DataError::io(&html_dir, e))?.path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
            continue;
        };
        let Some(stem) = name
            .strip_suffix(".html.gz")
            .or_else(|| name.strip_suffix(".html"))
        else {
            continue;
        };
        let gold = gold_dir.join(format!("{stem}.json"));
        if gold.exists() {
            pages.push((path, gold));
        }
    }
    pages.sort();
    Ok(pages)
}

fn read_maybe_gz(path: &Path) -> Result<String, DataError> {
    let bytes = std::fs::read(path).map_err(|e| DataError::io(path, e))?;
    let bytes = if path.extension().is_some_and(|e| e == "gz") {
        let mut out = Vec::new();
        MultiGzDecoder::new(&bytes[..])
            .read_to_end(&mut out)
            .map_err(|e| DataError::io(path, e))?;
        out
    } else {
        bytes
    };
    // Decoded as the pipeline decodes its inputs (BOM, <meta charset>).
    Ok(crate::ingest::decode(&bytes, true)
        .map(|(text, _)| text)
        .unwrap_or_else(|_| String::from_utf8_lossy(&bytes).into_owned()))
}

fn read_gold(path: &Path) -> Result<Gold, DataError> {
    let text = std::fs::read_to_string(path).map_err(|e| DataError::io(path, e))?;
    let v: Value = serde_json::from_str(&text)
        .map_err(|e| DataError::format(path, format!("bad JSON: {e}")))?;
    let g = v.get("ground_truth").unwrap_or(&v);
    let field = |k: &str| {
        g.get(k)
            .and_then(Value::as_str)
            .map(str::to_string)
            .filter(|s| !s.trim().is_empty())
    };
    let page_type = v
        .pointer("/_internal/page_type/primary")
        .or_else(|| v.pointer("/_internal/page_type"))
        .and_then(Value::as_str)
        .unwrap_or("unknown")
        .to_string();
    Ok(Gold {
        id: String::new(),
        page_type,
        url: v.get("url").and_then(Value::as_str).map(str::to_string),
        title: field("title"),
        author: field("author"),
        date: field("publish_date"),
        content: field("main_content"),
    })
}

fn score_page(found: &Article, gold: &Gold) -> PageScore {
    let mut wrong = Vec::new();
    let title = gold.title.as_ref().map(|g| {
        let got = found.title.as_deref().map(norm_text);
        let score = exact(got.clone(), norm_text(g));
        if score.tp == 0 {
            wrong.push(format!("title: got {got:?} want {g:?} in"));
        }
        score
    });
    let date = gold.date.as_ref().map(|g| {
        let want = parse_date(g).map(|d| d.to_string()).unwrap_or_default();
        let got = found
            .published
            .as_ref()
            .and_then(|p| parse_date(&p.value))
            .map(|d| d.to_string());
        let score = exact(got.clone(), want.clone());
        if score.tp == 0 {
            let origin = found.published.as_ref().map(|p| p.origin);
            wrong.push(format!("date: got {got:?} ({origin:?}) want {want:?} in"));
        }
        score
    });
    PageScore {
        id: gold.id.clone(),
        page_type: gold.page_type.clone(),
        wrong,
        content: gold.content.as_ref().map(|g| bag_of_words(&found.text, g)),
        shingles: gold
            .content
            .as_ref()
            .map(|g| shingle_match(&found.text, g, 4)),
        title,
        author: gold
            .author
            .as_ref()
            .map(|g| exact(found.byline.as_deref().map(norm_authors), norm_authors(g))),
        date,
    }
}

/// tp for a correct prediction; fp + fn for a wrong one; fn for none.
fn exact<T: PartialEq>(predicted: Option<T>, gold: T) -> Score {
    match predicted {
        Some(p) if p == gold => Score {
            tp: 1,
            fp: 0,
            fn_: 0,
        },
        Some(_) => Score {
            tp: 0,
            fp: 1,
            fn_: 1,
        },
        None => Score {
            tp: 0,
            fp: 0,
            fn_: 1,
        },
    }
}

/// Case, white space and typographic quotes folded.
fn norm_text(s: &str) -> String {
    let folded: String = s
        .chars()
        .map(|c| match c {
            '‘' | '’' | '′' => '\'',
            '“' | '”' => '"',
            other => other,
        })
        .collect();
    folded
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// A set of names: split on commas, "and", "&"; each name normalised.
fn norm_authors(s: &str) -> BTreeSet<String> {
    let lower = s.to_lowercase().replace(" and ", ",").replace('&', ",");
    lower
        .split([',', ';', '|'])
        .map(norm_text)
        .filter(|n| !n.is_empty())
        .collect()
}

fn tokens(s: &str) -> HashMap<String, usize> {
    let mut bag = HashMap::new();
    for t in s
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
    {
        *bag.entry(t.to_lowercase()).or_insert(0) += 1;
    }
    bag
}

/// Bag-of-words overlap of predicted and gold text.
fn bag_of_words(predicted: &str, gold: &str) -> Score {
    let p = tokens(predicted);
    let g = tokens(gold);
    let p_total: usize = p.values().sum();
    let g_total: usize = g.values().sum();
    let tp: usize = p
        .iter()
        .map(|(t, &n)| n.min(g.get(t).copied().unwrap_or(0)))
        .sum();
    Score {
        tp,
        fp: p_total - tp,
        fn_: g_total - tp,
    }
}

/// The tokens of the article-extraction-benchmark: runs of word characters.
fn word_tokens(s: &str) -> Vec<&str> {
    s.split(|c: char| !(c.is_alphanumeric() || c == '_' || is_mark(c)))
        .filter(|t| !t.is_empty())
        .collect()
}

/// Combining marks count as word characters, as in Python's `\w`.
fn is_mark(c: char) -> bool {
    matches!(c, '\u{300}'..='\u{36f}' | '\u{1ab0}'..='\u{1aff}' | '\u{20d0}'..='\u{20ff}')
}

/// Shingles of `n` tokens with their counts; a text of fewer tokens is
/// one shingle, an empty text none.
fn shingles(s: &str, n: usize) -> HashMap<Vec<&str>, usize> {
    let tokens = word_tokens(s);
    let mut out = HashMap::new();
    if tokens.is_empty() {
        return out;
    }
    let windows = tokens.len().saturating_sub(n) + 1;
    for i in 0..windows {
        let end = (i + n).min(tokens.len());
        *out.entry(tokens[i..end].to_vec()).or_insert(0) += 1;
    }
    out
}

/// Shingle tp, fp, fn of one page, normalised to sum 1 (so that long
/// pages weigh no more than short ones).
fn shingle_match(predicted: &str, gold: &str, n: usize) -> [f64; 3] {
    let p = shingles(predicted, n);
    let g = shingles(gold, n);
    let (mut tp, mut fp, mut fn_) = (0.0, 0.0, 0.0);
    for (k, &pc) in &p {
        let gc = g.get(k).copied().unwrap_or(0);
        tp += pc.min(gc) as f64;
        fp += pc.saturating_sub(gc) as f64;
    }
    for (k, &gc) in &g {
        fn_ += gc.saturating_sub(p.get(k).copied().unwrap_or(0)) as f64;
    }
    let total = tp + fp + fn_;
    if total > 0.0 {
        [tp / total, fp / total, fn_ / total]
    } else {
        [0.0; 3]
    }
}

fn shingle_precision(tp: f64, fp: f64, fn_: f64) -> f64 {
    if fp == 0.0 && fn_ == 0.0 {
        1.0
    } else if tp == 0.0 && fp == 0.0 {
        0.0
    } else {
        tp / (tp + fp)
    }
}

fn shingle_recall(tp: f64, fp: f64, fn_: f64) -> f64 {
    if fp == 0.0 && fn_ == 0.0 {
        1.0
    } else if tp == 0.0 && fn_ == 0.0 {
        0.0
    } else {
        tp / (tp + fn_)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Options;

    #[test]
    fn bag_of_words_counts_multiset_overlap() {
        let s = bag_of_words("the cat the hat", "The cat sat on the mat");
        assert_eq!((s.tp, s.fp, s.fn_), (3, 1, 3));
    }

    #[test]
    fn shingles_follow_the_benchmark() {
        // 6 tokens: 3 shingles of 4; the prediction shares the first two.
        let [tp, fp, fn_] = shingle_match("a b c d e x", "a b c d e f", 4);
        assert!(
            (tp - 0.5).abs() < 1e-12 && (fp - 0.25).abs() < 1e-12,
            "{tp} {fp}"
        );
        assert!((fn_ - 0.25).abs() < 1e-12);
        // Case is kept; a short text is one shingle; empty text none.
        assert_eq!(shingle_match("A b", "a b", 4), [0.0, 0.5, 0.5]);
        assert_eq!(shingle_match("", "", 4), [0.0; 3]);
        assert_eq!(
            word_tokens("don't stop_it, café!"),
            ["don", "t", "stop_it", "café"]
        );
    }

    #[test]
    fn shingle_means_skip_pages_without_shingles() {
        let page = |shingles| PageScore {
            shingles: Some(shingles),
            ..PageScore::default()
        };
        let measured = Measured {
            pages: vec![page([0.5, 0.25, 0.25]), page([0.0, 0.0, 1.0])],
        };
        // Precision only over the first page; recall over both.
        let s = measured.shingles();
        assert!((s.precision - 2.0 / 3.0).abs() < 1e-12, "{s:?}");
        assert!((s.recall - 1.0 / 3.0).abs() < 1e-12, "{s:?}");
    }

    #[test]
    fn authors_compare_as_sets() {
        assert_eq!(
            norm_authors("Jane Doe and John Roe"),
            norm_authors("john roe, Jane  Doe")
        );
    }

    #[test]
    fn scores_a_small_folder() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("html")).unwrap();
        std::fs::create_dir_all(dir.path().join("ground-truth")).unwrap();
        let body = "The council approved the new budget on Monday, after a long debate. \
                    Members argued about schools, roads and parks for several hours.";
        let html = format!(
            "<html><head><title>Budget passes | City News</title>\
             <meta property=\"article:published_time\" content=\"2024-03-05T10:00:00Z\">\
             <meta name=\"author\" content=\"Jane Doe\"></head>\
             <body><nav><a href=\"/\">Home</a> <a href=\"/x\">World</a></nav>\
             <article><h1>Budget passes</h1><p>{body}</p></article></body></html>"
        );
        std::fs::write(dir.path().join("html/0001.html"), html).unwrap();
        let gold = serde_json::json!({"ground_truth": {
            "title": "Budget passes", "author": "Jane Doe",
            "publish_date": "2024-03-05", "main_content": body}});
        std::fs::write(dir.path().join("ground-truth/0001.json"), gold.to_string()).unwrap();
        let pipeline = Pipeline::new(&Options::default()).unwrap();
        let report = evaluate(&pipeline, dir.path()).unwrap();
        assert_eq!(report.documents, 1);
        for (name, score) in &report.rows {
            assert_eq!(score.f1(), 1.0, "{name}: {score:?}");
        }
    }
}
