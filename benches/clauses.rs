//! Clause-stage benchmark: time spent in the clause analysis alone over a
//! corpus, one thread, best of several rounds. Segmentation (the stage's
//! input) is computed once beforehand and not timed.
//!
//! Usage: `cargo bench --bench clauses [-- DIR [ROUNDS]]`. DIR defaults to
//! the BBC news corpus at ../shared/data/corpora/bbc. Besides wall time it
//! reports the thread's CPU time (Linux), steadier on a loaded machine.

use newsx::clauses::ClauseAnalyzer;
use newsx::ingest::{self, Body, Input};
use newsx::segment::segment;
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
    let analyzer = ClauseAnalyzer::new().expect("built-in rules load");
    let segs: Vec<_> = texts.iter().map(|t| segment(t, &[])).collect();
    let bytes: usize = texts.iter().map(String::len).sum();
    let mut best = f64::MAX;
    let mut best_cpu = f64::MAX;
    let mut roles = 0;
    for _ in 0..rounds {
        let start = Instant::now();
        let cpu_start = thread_cpu_seconds();
        roles = texts
            .iter()
            .zip(&segs)
            .map(|(text, seg)| {
                let parsed = analyzer.analyze(text, seg);
                parsed
                    .sentences
                    .iter()
                    .map(|s| s.roles.len())
                    .sum::<usize>()
            })
            .sum::<usize>();
        best = best.min(start.elapsed().as_secs_f64());
        if let (Some(a), Some(b)) = (cpu_start, thread_cpu_seconds()) {
            best_cpu = best_cpu.min(b - a);
        }
    }
    println!(
        "clauses: {} documents, {:.2} MB, {} roles; best of {rounds}: {:.3} s ({:.1} MB/s)",
        texts.len(),
        bytes as f64 / 1e6,
        roles,
        best,
        bytes as f64 / 1e6 / best
    );
    if best_cpu < f64::MAX {
        println!(
            "clauses: best CPU time {:.3} s ({:.1} MB/s per core)",
            best_cpu,
            bytes as f64 / 1e6 / best_cpu
        );
    }
}

/// The calling thread's CPU time so far, from /proc (Linux only).
fn thread_cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let nanos: u64 = stat.split_whitespace().next()?.parse().ok()?;
    Some(nanos as f64 / 1e9)
}
