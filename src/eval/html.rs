//! WCXB evaluation: HTML article extraction against the WCXB gold pages.
//!
//! Takes a folder with `html/NNNN.html.gz` (or `.html`) and
//! `ground-truth/NNNN.json` (`ground_truth.{title, author, publish_date,
//! main_content}`); gives one row per field:
//! - `main_content`: bag-of-words tokens (lowercased alphanumeric runs),
//!   micro-averaged over all tokens; the mean per-document F1 is a note.
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
    title: Option<String>,
    author: Option<String>,
    date: Option<String>,
    content: Option<String>,
}

/// Scores of one page.
#[derive(Debug, Default)]
struct PageScore {
    content: Option<Score>,
    title: Option<Score>,
    author: Option<Score>,
    date: Option<Score>,
}

pub fn evaluate(pipeline: &Pipeline, dir: &Path) -> Result<Report, DataError> {
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
            let gold = read_gold(gold)?;
            let found = cleaner.clean(Body::Html(source), &InputMeta::default());
            Ok(score_page(&found, &gold))
        })
        .collect::<Result<_, DataError>>()?;
    Ok(report(scores))
}

fn report(scores: Vec<PageScore>) -> Report {
    let mut rows: Vec<(String, Score)> = ["main_content", "title", "author", "publish_date"]
        .iter()
        .map(|n| (n.to_string(), Score::default()))
        .collect();
    let mut doc_f1 = Vec::new();
    for s in &scores {
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
    Report {
        kind: "wcxb".into(),
        documents: scores.len(),
        rows,
        notes: vec![
            format!("main_content mean per-document F1: {mean:.3} (median {median:.3})"),
            format!("pages with content F1 < 0.5: {below} of {}", doc_f1.len()),
        ],
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
    Ok(Gold {
        title: field("title"),
        author: field("author"),
        date: field("publish_date"),
        content: field("main_content"),
    })
}

fn score_page(found: &Article, gold: &Gold) -> PageScore {
    PageScore {
        content: gold.content.as_ref().map(|g| bag_of_words(&found.text, g)),
        title: gold
            .title
            .as_ref()
            .map(|g| exact(found.title.as_deref().map(norm_text), norm_text(g))),
        author: gold
            .author
            .as_ref()
            .map(|g| exact(found.byline.as_deref().map(norm_authors), norm_authors(g))),
        date: gold.date.as_ref().map(|g| {
            let want = parse_date(g).map(|d| d.to_string()).unwrap_or_default();
            let got = found.published.as_ref().and_then(|p| parse_date(&p.value));
            exact(got.map(|d| d.to_string()), want)
        }),
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
