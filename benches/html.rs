//! HTML cleaning throughput: MB/s per core of the clean stage alone
//! (HTML parsing, main text, metadata), single-threaded.
//!
//! Usage: `cargo bench --bench html [-- DIR [ROUNDS]]`. DIR holds
//! `*.html` or `*.html.gz` pages (searched recursively); it defaults to the
//! WCXB dev pages at ../shared/data/html/wcxb-dev-articles. Pages are read
//! and decompressed into memory first. Besides wall time it prints the
//! process CPU time (Linux), steadier on a loaded machine.

use flate2::read::MultiGzDecoder;
use newsx::ingest::{Body, InputMeta};
use newsx::{Options, Pipeline};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Instant;

mod common;
use common::cpu_seconds;

fn main() {
    let args = common::Args::parse("../shared/data/html/wcxb-dev-articles", 3);
    let (dir, rounds) = (args.dir, args.rounds);
    let mut pages = Vec::new();
    collect_pages(&dir, &mut pages);
    pages.sort();
    let sources: Vec<String> = pages.iter().map(|p| read_page(p)).collect();
    let bytes: usize = sources.iter().map(String::len).sum();
    if sources.is_empty() {
        eprintln!("no *.html(.gz) pages under {}", dir.display());
        std::process::exit(2);
    }
    let pipeline = Pipeline::new(&Options::default()).expect("built-in rules load");
    let cleaner = pipeline.cleaner();
    println!(
        "{} pages, {:.2} MB from {}",
        sources.len(),
        bytes as f64 / 1e6,
        dir.display()
    );
    let (mut best_wall, mut best_cpu) = (f64::MAX, f64::MAX);
    for _ in 0..rounds {
        let batch = sources.clone();
        let (start, cpu_start) = (Instant::now(), cpu_seconds());
        let mut out = 0usize;
        for source in batch {
            out += cleaner
                .clean(Body::Html(source), &InputMeta::default())
                .text
                .len();
        }
        best_wall = best_wall.min(start.elapsed().as_secs_f64());
        if let (Some(a), Some(b)) = (cpu_start, cpu_seconds()) {
            best_cpu = best_cpu.min(b - a);
        }
        std::hint::black_box(out);
    }
    let mb = bytes as f64 / 1e6;
    println!(
        "1 thread: best of {rounds} wall {best_wall:.3} s, {:.2} MB/s per core",
        mb / best_wall
    );
    if best_cpu < f64::MAX {
        println!(
            "1 thread: best of {rounds} CPU {best_cpu:.3} s, {:.2} MB/s per CPU second",
            mb / best_cpu
        );
    }
}

fn collect_pages(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if path.is_dir() {
            collect_pages(&path, out);
        } else if name.ends_with(".html") || name.ends_with(".html.gz") {
            out.push(path);
        }
    }
}

fn read_page(path: &Path) -> String {
    let bytes = std::fs::read(path).unwrap_or_default();
    let bytes = if path.extension().is_some_and(|e| e == "gz") {
        let mut out = Vec::new();
        let _ = MultiGzDecoder::new(&bytes[..]).read_to_end(&mut out);
        out
    } else {
        bytes
    };
    String::from_utf8_lossy(&bytes).into_owned()
}
