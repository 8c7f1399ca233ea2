//! Entity-stage benchmark: time spent in the entity matcher alone over a
//! corpus, one thread, best of several rounds. Segmentation, dates and
//! lists (the matcher's inputs) are computed once beforehand and not timed.
//!
//! Usage: `cargo bench --bench entities [-- DIR [ROUNDS]]`. DIR defaults to
//! the BBC news corpus at ../shared/data/corpora/bbc.

use newsx::extract::Doc;
use newsx::segment::segment;
use newsx::{Options, Pipeline};
use std::time::Instant;

mod common;

fn main() {
    let args = common::Args::parse("../shared/data/corpora/bbc", 5);
    let rounds = args.rounds;
    let texts = common::texts(&common::load_docs(&args.dir));
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
