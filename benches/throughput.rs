//! Throughput benchmark: documents per second and MB/s through the whole
//! pipeline (clean → segment → extract → events, plus JSON serialisation),
//! at 1 thread and at all cores.
//!
//! Then times the clause stage alone (tags, chunks, clauses, roles over
//! already segmented text) on one thread: its MB/s per core.
//!
//! Usage: `cargo bench --bench throughput [-- DIR [ROUNDS]]`. DIR defaults to
//! the BBC news corpus at ../shared/data/corpora/bbc. Inputs are read into
//! memory first so the figures measure processing, not the disk.

use newsx::ingest::{self, Input};
use newsx::{Options, Pipeline};
use rayon::prelude::*;
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
    let rounds: usize = args.get(1).and_then(|r| r.parse().ok()).unwrap_or(3);
    let docs: Vec<_> = ingest::inputs(std::slice::from_ref(&dir))
        .filter(|i| matches!(i, Input::File(_) | Input::Line { .. }))
        .map(ingest::load)
        .collect();
    let bytes: usize = docs
        .iter()
        .map(|d| match &d.body {
            ingest::Body::Text(t) | ingest::Body::Html(t) => t.len(),
            ingest::Body::Missing => 0,
        })
        .sum();
    if docs.is_empty() {
        eprintln!("no documents under {}", dir.display());
        std::process::exit(2);
    }
    let pipeline = Pipeline::new(&Options::default()).expect("built-in rules load");
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!(
        "{} documents, {:.2} MB from {}",
        docs.len(),
        bytes as f64 / 1e6,
        dir.display()
    );
    let mut per_thread = Vec::new();
    for threads in [1, cores] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        let mut best = f64::MAX;
        for _ in 0..rounds {
            let batch = docs.clone();
            let start = Instant::now();
            let out: usize = pool.install(|| {
                batch
                    .into_par_iter()
                    .map(|d| serde_json::to_vec(&pipeline.process(d)).map_or(0, |v| v.len()))
                    .sum()
            });
            best = best.min(start.elapsed().as_secs_f64());
            std::hint::black_box(out);
        }
        let mbs = bytes as f64 / 1e6 / best;
        println!(
            "threads {threads}: best of {rounds} {best:.3} s, {:.0} docs/s, {mbs:.2} MB/s, {:.2} MB/s per core",
            docs.len() as f64 / best,
            mbs / threads as f64
        );
        per_thread.push(mbs);
    }
    if let [one, all] = per_thread[..] {
        println!("speed-up {cores} threads vs 1: {:.2}x", all / one);
    }
    clause_stage(&pipeline, &docs, rounds);
}

/// The clause stage alone, one thread, over pre-segmented texts.
fn clause_stage(pipeline: &Pipeline, docs: &[ingest::RawDoc], rounds: usize) {
    let texts: Vec<&str> = docs
        .iter()
        .filter_map(|d| match &d.body {
            ingest::Body::Text(t) => Some(t.as_str()),
            _ => None,
        })
        .collect();
    let segmented: Vec<_> = texts
        .iter()
        .map(|t| newsx::segment::segment(t, &[]))
        .collect();
    let bytes: usize = texts.iter().map(|t| t.len()).sum();
    let mut best = f64::MAX;
    for _ in 0..rounds {
        let start = Instant::now();
        let tokens: usize = texts
            .iter()
            .zip(&segmented)
            .map(|(t, seg)| pipeline.clauses().analyze(t, seg).tokens.len())
            .sum();
        best = best.min(start.elapsed().as_secs_f64());
        std::hint::black_box(tokens);
    }
    println!(
        "clause stage, 1 thread: {} text documents, {:.2} MB, best of {rounds} {best:.3} s, {:.2} MB/s per core",
        texts.len(),
        bytes as f64 / 1e6,
        bytes as f64 / 1e6 / best
    );
}
