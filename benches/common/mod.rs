//! What every benchmark shares: its command line (`[DIR [ROUNDS]] [--flags]`),
//! loading a corpus into memory, and the process's CPU time and peak memory
//! (Linux `/proc`; `None` elsewhere).

// Each benchmark is its own crate and uses only part of this module.
#![allow(dead_code)]

use newsx::ingest::{self, Body, Input, RawDoc};
use std::path::PathBuf;

/// A benchmark's command line: positional DIR and ROUNDS, then flags.
pub struct Args {
    pub dir: PathBuf,
    pub rounds: usize,
    /// `--name` or `--name=value` arguments, without the dashes (cargo
    /// passes `--bench` itself, which is kept here and ignored).
    flags: Vec<String>,
}

impl Args {
    /// Reads the command line; DIR is relative to the crate when it is a
    /// default (`default_dir`, e.g. `"../shared/data/corpora/bbc"`).
    pub fn parse(default_dir: &str, default_rounds: usize) -> Self {
        let (flags, positional): (Vec<String>, Vec<String>) =
            std::env::args().skip(1).partition(|a| a.starts_with("--"));
        let dir = positional
            .first()
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(default_dir));
        let rounds = positional
            .get(1)
            .and_then(|r| r.parse().ok())
            .unwrap_or(default_rounds);
        let flags = flags
            .into_iter()
            .map(|f| f.trim_start_matches("--").to_string())
            .collect();
        Args { dir, rounds, flags }
    }

    /// True when `--name` was given.
    pub fn flag(&self, name: &str) -> bool {
        self.flags.iter().any(|f| f == name)
    }

    /// The value of `--name=value`, if given.
    pub fn value(&self, name: &str) -> Option<&str> {
        self.flags
            .iter()
            .find_map(|f| f.strip_prefix(name)?.strip_prefix('='))
    }
}

/// Every document file or JSONL line under `dir`, loaded; exits when there
/// is none.
pub fn load_docs(dir: &std::path::Path) -> Vec<RawDoc> {
    let docs: Vec<RawDoc> = ingest::inputs(&[dir.to_path_buf()])
        .filter(|i| matches!(i, Input::File(_) | Input::Line { .. }))
        .map(ingest::load)
        .collect();
    if docs.is_empty() {
        eprintln!("no documents under {}", dir.display());
        std::process::exit(2);
    }
    docs
}

/// The plain texts among `docs`.
pub fn texts(docs: &[RawDoc]) -> Vec<String> {
    docs.iter()
        .filter_map(|d| match &d.body {
            Body::Text(t) => Some(t.clone()),
            _ => None,
        })
        .collect()
}

/// The bytes of a document's body (text or HTML).
pub fn body_bytes(doc: &RawDoc) -> usize {
    match &doc.body {
        Body::Text(t) | Body::Html(t) => t.len(),
        Body::Missing => 0,
    }
}

/// User + system CPU time of this process, from /proc (Linux only).
pub fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which may hold spaces) start at ")".
    let rest = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let utime: f64 = fields.get(11)?.parse().ok()?;
    let stime: f64 = fields.get(12)?.parse().ok()?;
    // Clock ticks are 100 per second on every mainstream Linux build.
    Some((utime + stime) / 100.0)
}

/// Peak resident memory of this process so far, in MiB (Linux only).
pub fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

/// CPU time of the calling thread in seconds, from the scheduler's
/// nanosecond count (Linux only): a stage's own cost, whatever else runs
/// on the machine.
pub fn thread_cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let nanos: f64 = stat.split_whitespace().next()?.parse().ok()?;
    Some(nanos / 1e9)
}

/// CPU time in seconds of this process's busiest thread so far, from the
/// scheduler's nanosecond counts (Linux only). Right after the rules are
/// compiled side by side, it is the start-up's critical path in CPU time:
/// what the wall time would be on free cores, whatever the machine's load.
pub fn busiest_thread_cpu_seconds() -> Option<f64> {
    let tasks = std::fs::read_dir("/proc/self/task").ok()?;
    tasks
        .filter_map(|task| {
            let stat = std::fs::read_to_string(task.ok()?.path().join("schedstat")).ok()?;
            stat.split_whitespace().next()?.parse::<f64>().ok()
        })
        .reduce(f64::max)
        .map(|nanos| nanos / 1e9)
}
