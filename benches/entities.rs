//! Entity-stage benchmark: time spent in the entity matcher alone over a
//! corpus, one thread, best of several rounds. Segmentation, dates and
//! lists (the matcher's inputs) are computed once beforehand and not timed.
//!
//! Usage: `cargo bench --bench entities [-- DIR [ROUNDS]]`. DIR defaults to
//! the BBC news corpus at ../shared/data/corpora/bbc.

use newsx::extract::Doc;
use newsx::ingest::{self, Body, Input};
use newsx::segment::segment;
use newsx::{Options, Pipeline};
use std::path::PathBuf;
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let dir = args.first().map(PathBuf::from).unwrap_or_else(|| {
        PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../shared/data/corpora/bbc"
        ))
    });
    let rounds: usize = args.get(1).and_then(|r| r.parse().ok()).unwrap_or(5);
    let texts: Vec<String> = ingest::inputs(std::slice::from_ref(&dir))
        .filter(|i| matches!(i, Input::File(_) | Input::Line { .. }))
        .map(ingest::load)
        .filter_map(|d| match d.body {
            Body::Text(t) => Some(t),
            _ => None,
        })
        .collect();
    if texts.is_empty() {
        eprintln!("no text documents under {}", dir.display());
        std::process::exit(2);
    }
    let pipeline = Pipeline::new(&Options::default()).expect("built-in rules load");
    let ex = pipeline.extractors();
    let segs: Vec<_> = texts.iter().map(|t| segment(t, &[])).collect();
    let docs: Vec<Doc> = texts
        .iter()
        .zip(&segs)
        .map(|(text, seg)| Doc::new(text, seg, None))
        .collect();
    let inputs: Vec<_> = docs
        .iter()
        .map(|d| (ex.dates.extract(d), ex.lists.extract(d)))
        .collect();
    let bytes: usize = texts.iter().map(String::len).sum();
    let mut best = f64::MAX;
    let mut mentions = 0;
    for _ in 0..rounds {
        let start = Instant::now();
        mentions = docs
            .iter()
            .zip(&inputs)
            .map(|(d, (dates, lists))| ex.entities.extract(d, dates, lists).len())
            .sum::<usize>();
        best = best.min(start.elapsed().as_secs_f64());
    }
    println!(
        "entities: {} documents, {:.2} MB, {} entities; best of {rounds}: {:.3} s ({:.1} MB/s)",
        docs.len(),
        bytes as f64 / 1e6,
        mentions,
        best,
        bytes as f64 / 1e6 / best
    );
}
