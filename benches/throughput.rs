//! Throughput benchmark of the whole pipeline and of each stage.
//!
//! Usage: `cargo bench --bench throughput [-- DIR [ROUNDS]] [--no-stages]
//! [--no-e2e] [--scaling] [--threads=1,2] [--out=PATH]`. DIR defaults to the BBC news
//! corpus at ../shared/data/corpora/bbc; ROUNDS (default 3) repeats each
//! measurement and keeps the best. It reports:
//!
//! - start-up: wall and CPU seconds of compiling every rule
//!   ([`Pipeline::new`]) in a fresh process, the CPU seconds of its busiest
//!   thread (the stages compile side by side: that is the wall time on
//!   free cores), and its resident memory;
//! - end to end, per thread count: a fresh process streams DIR through
//!   [`newsx::run`] as `newsx extract` does (reading files, records
//!   serialised to JSON), start-up excluded; wall and CPU seconds, MB/s,
//!   MB/s per core and the process's peak resident memory (`--out=PATH`
//!   also writes the JSONL records to PATH.j1, PATH.j2, ...); then the
//!   speed-up and the peak memory each thread adds over `-j 1`;
//! - per stage, one thread, documents in memory: CPU seconds (of the
//!   thread, on Linux; wall seconds elsewhere) and MB/s of clean,
//!   segment, clauses, dates, lists, entities, quotes and events, and what
//!   the rest of [`Pipeline::process`] plus JSON takes;
//! - with `--scaling`: one document of 1 MB and one of 10 MB made of the
//!   corpus texts, and the ratio of their times (linear cost gives 10).
//!
//! MB are megabytes (10^6 bytes) of article text, as `newsx extract`
//! reports them. On a shared machine wall time is noisy: compare runs by
//! CPU seconds.

use newsx::extract::{Doc, Mentions};
use newsx::ingest::{Body, RawDoc};
use newsx::{Options, Pipeline};
use std::path::Path;
use std::process::Command;
use std::time::Instant;

mod common;
use common::{busiest_thread_cpu_seconds, cpu_seconds, peak_rss_mib, thread_cpu_seconds, Args};

fn main() {
    let args = Args::parse("../shared/data/corpora/bbc", 3);
    if let Some(threads) = args.value("child-threads") {
        child(&args.dir, threads.parse().unwrap_or(1), args.value("out"));
        return;
    }
    println!("corpus {}", args.dir.display());
    if !args.flag("no-e2e") {
        end_to_end(&args);
    }
    if args.flag("no-stages") && !args.flag("scaling") {
        return;
    }
    let docs = common::load_docs(&args.dir);
    let pipeline = Pipeline::new(&Options::default()).expect("built-in rules load");
    if !args.flag("no-stages") {
        stages(&pipeline, &docs, args.rounds);
    }
    if args.flag("scaling") {
        scaling(&pipeline, &docs);
    }
}

/// One measured run of a child process.
#[derive(Default)]
struct ChildRun {
    startup_wall: f64,
    startup_cpu: f64,
    startup_busiest: f64,
    startup_rss: f64,
    wall: f64,
    cpu: f64,
    megabytes: f64,
    documents: usize,
    peak_rss: f64,
}

/// Runs the end-to-end measurement in a fresh process per round and
/// thread count, keeping the best times and the highest peak memory.
fn end_to_end(args: &Args) {
    let threads: Vec<usize> = args
        .value("threads")
        .unwrap_or("1,2")
        .split(',')
        .filter_map(|t| t.parse().ok())
        .collect();
    let mut rates = Vec::new();
    for &n in &threads {
        let out_file = args.value("out").map(|o| format!("{o}.j{n}"));
        let runs: Vec<ChildRun> = (0..args.rounds)
            .filter_map(|_| spawn(&args.dir, n, out_file.as_deref()))
            .collect();
        let Some(first) = runs.first() else {
            eprintln!("end-to-end child process failed");
            return;
        };
        let best = |f: fn(&ChildRun) -> f64| runs.iter().map(f).fold(f64::MAX, f64::min);
        let worst = |f: fn(&ChildRun) -> f64| runs.iter().map(f).fold(0.0, f64::max);
        if n == threads[0] {
            println!(
                "start-up: wall {:.3} s, CPU {:.3} s, busiest thread's CPU {:.3} s (best of {}), \
                 resident {:.0} MiB",
                best(|r| r.startup_wall),
                best(|r| r.startup_cpu),
                best(|r| r.startup_busiest),
                runs.len(),
                worst(|r| r.startup_rss)
            );
        }
        let (wall, cpu, mb) = (best(|r| r.wall), best(|r| r.cpu), first.megabytes);
        println!(
            "end to end -j {n}: {} documents, {mb:.2} MB; best of {}: wall {wall:.3} s, CPU {cpu:.3} s; \
             {:.2} MB/s, {:.2} MB/s per core, {:.2} MB per CPU second; peak RSS {:.0} MiB",
            first.documents,
            runs.len(),
            mb / wall,
            mb / wall / n as f64,
            mb / cpu,
            worst(|r| r.peak_rss)
        );
        rates.push((n, mb / wall, worst(|r| r.peak_rss)));
    }
    if let [(1, one, rss_one), .., (n, many, rss_many)] = rates[..] {
        println!("speed-up -j {n} vs -j 1: {:.2}x (wall)", many / one);
        println!(
            "peak RSS per extra thread: {:.0} MiB",
            (rss_many - rss_one) / (n - 1) as f64
        );
    }
}

/// Starts this benchmark again as a child measuring one thread count.
fn spawn(dir: &Path, threads: usize, out_file: Option<&str>) -> Option<ChildRun> {
    let exe = std::env::current_exe().ok()?;
    let mut command = Command::new(exe);
    command.arg(dir).arg(format!("--child-threads={threads}"));
    if let Some(path) = out_file {
        command.arg(format!("--out={path}"));
    }
    let out = command.output().ok()?;
    let text = String::from_utf8_lossy(&out.stdout);
    let field = |name: &str| -> f64 {
        text.split_whitespace()
            .find_map(|kv| kv.strip_prefix(name)?.strip_prefix('='))
            .and_then(|v| v.parse().ok())
            .unwrap_or(f64::NAN)
    };
    out.status.success().then(|| ChildRun {
        startup_wall: field("startup_wall"),
        startup_cpu: field("startup_cpu"),
        startup_busiest: field("startup_busiest"),
        startup_rss: field("startup_rss"),
        wall: field("wall"),
        cpu: field("cpu"),
        megabytes: field("mb"),
        documents: field("docs") as usize,
        peak_rss: field("peak_rss"),
    })
}

/// The child's side: compile the rules, stream the corpus, print figures;
/// with `out`, also write the records there as `newsx extract` does.
fn child(dir: &Path, threads: usize, out: Option<&str>) {
    let start = Instant::now();
    let pipeline = Pipeline::new(&Options::default()).expect("built-in rules load");
    let startup_wall = start.elapsed().as_secs_f64();
    let startup_cpu = cpu_seconds().unwrap_or(f64::NAN);
    let startup_busiest = busiest_thread_cpu_seconds().unwrap_or(f64::NAN);
    let startup_rss = peak_rss_mib().unwrap_or(f64::NAN);
    let inputs = newsx::ingest::inputs(&[dir.to_path_buf()]);
    let start = Instant::now();
    let mut json_bytes = 0usize;
    let mut file = out.map(|path| {
        std::io::BufWriter::new(std::fs::File::create(path).expect("output file can be created"))
    });
    let summary = newsx::run(&pipeline, inputs, threads, |record| {
        let mut line = serde_json::to_vec(&record).map_err(std::io::Error::other)?;
        line.push(b'\n');
        json_bytes += line.len();
        match &mut file {
            Some(f) => std::io::Write::write_all(f, &line),
            None => Ok(()),
        }
    })
    .expect("run completes");
    if let Some(mut f) = file {
        std::io::Write::flush(&mut f).expect("output file can be written");
    }
    let wall = start.elapsed().as_secs_f64();
    let cpu = cpu_seconds().map_or(f64::NAN, |c| c - startup_cpu);
    std::hint::black_box(json_bytes);
    println!(
        "startup_wall={startup_wall} startup_cpu={startup_cpu} startup_busiest={startup_busiest} \
         startup_rss={startup_rss} \
         wall={wall} cpu={cpu} mb={} docs={} peak_rss={}",
        summary.text_bytes as f64 / 1e6,
        summary.documents,
        peak_rss_mib().unwrap_or(f64::NAN)
    );
}

/// The stages in pipeline order.
const STAGES: [&str; 8] = [
    "clean", "segment", "clauses", "dates", "lists", "entities", "quotes", "events",
];

/// Times each stage over every document, one thread, best of `rounds`.
fn stages(pipeline: &Pipeline, docs: &[RawDoc], rounds: usize) {
    let mut best = [f64::MAX; STAGES.len()];
    let (mut best_total, mut best_cpu) = (f64::MAX, f64::MAX);
    let mut megabytes = 0.0;
    for _ in 0..rounds {
        let mut times = [0.0; STAGES.len()];
        let mut bytes = 0;
        let (start, cpu_start) = (Instant::now(), cpu_seconds());
        for raw in docs {
            bytes += time_stages(pipeline, raw.clone(), &mut times);
        }
        let stages_cpu = cpu_seconds().zip(cpu_start).map(|(b, a)| b - a);
        let stages_wall = start.elapsed().as_secs_f64();
        let start = thread_cpu_seconds();
        for raw in docs {
            let line = serde_json::to_vec(&pipeline.process(raw.clone())).unwrap_or_default();
            std::hint::black_box(line);
        }
        let total = thread_cpu_seconds().zip(start).map(|(b, a)| b - a);
        best_total = best_total.min(total.unwrap_or(f64::NAN));
        best_cpu = best_cpu.min(stages_cpu.unwrap_or(stages_wall));
        for (b, t) in best.iter_mut().zip(times) {
            *b = b.min(t);
        }
        megabytes = bytes as f64 / 1e6;
    }
    println!(
        "per stage, 1 thread, {} documents, {megabytes:.2} MB in memory, best of {rounds} \
         (thread CPU seconds):",
        docs.len()
    );
    for (name, seconds) in STAGES.iter().zip(best) {
        println!(
            "  {name:<9} {seconds:>7.3} s {:>8.2} MB/s {:>5.1}%",
            megabytes / seconds,
            100.0 * seconds / best_total
        );
    }
    let rest = best_total - best.iter().sum::<f64>();
    println!(
        "  {:<9} {rest:>7.3} s {:>8} {:>5.1}%",
        "rest",
        "",
        100.0 * rest / best_total
    );
    println!(
        "  process + JSON {best_total:.3} s, {:.2} MB/s; the staged pass took {best_cpu:.3} s of process CPU",
        megabytes / best_total
    );
}

/// Runs the stages of [`Pipeline::process`] on one document, in its order
/// and with its inputs, adding each stage's seconds to `times`; gives the
/// article text's bytes.
fn time_stages(pipeline: &Pipeline, raw: RawDoc, times: &mut [f64; STAGES.len()]) -> usize {
    // Thread CPU time where the system gives it (steady on a busy
    // machine), wall time otherwise.
    let wall = Instant::now();
    let now = || thread_cpu_seconds().unwrap_or_else(|| wall.elapsed().as_secs_f64());
    let mut clock = now();
    let mut lap = |i: usize| {
        let t = now();
        times[i] += t - clock;
        clock = t;
    };
    let article = pipeline.cleaner().clean(raw.body, &raw.meta);
    lap(0);
    let zones: Vec<_> = article.zones.iter().map(|z| z.span).collect();
    let seg = pipeline.segmenter().segment(&article.text, &zones);
    lap(1);
    let parsed = pipeline.clauses().analyze(&article.text, &seg);
    lap(2);
    let dct = article
        .published
        .as_ref()
        .and_then(|p| newsx::dct::parse_date(&p.value));
    let doc = Doc {
        text: &article.text,
        seg: &seg,
        parsed: Some(&parsed),
        dct,
    };
    let ex = pipeline.extractors();
    let dates = ex.dates.extract(&doc);
    lap(3);
    let lists = ex.lists.extract(&doc);
    lap(4);
    let entities = ex.entities.extract(&doc, &dates, &lists);
    lap(5);
    let quotes = ex.quotes.extract(&doc, &entities);
    lap(6);
    let mentions = Mentions {
        dates,
        lists,
        entities,
        quotes,
    };
    let events = pipeline.event_rules().extract(&doc, &mentions);
    lap(7);
    std::hint::black_box((events, mentions));
    article.text.len()
}

/// Times one document of about 1 MB and one of about 10 MB, both made of
/// the corpus's texts, one after the other: wall seconds and the CPU
/// seconds of this thread (Linux; the ratio that a busy machine does not
/// blur); after each, its stages one by one, so that a stage whose
/// cost grows faster than the text shows by its own ratio.
fn scaling(pipeline: &Pipeline, docs: &[RawDoc]) {
    let Some(template) = docs.iter().find(|d| matches!(d.body, Body::Text(_))) else {
        return;
    };
    let texts = common::texts(docs);
    let mut seconds = Vec::new();
    let mut stage_times = Vec::new();
    for megabytes in [1usize, 10] {
        let mut text = String::with_capacity(megabytes * 1_000_000 + 100_000);
        for t in texts.iter().cycle() {
            if text.len() >= megabytes * 1_000_000 {
                break;
            }
            text.push_str(t.trim_end());
            text.push_str("\n\n");
        }
        let bytes = text.len();
        let mut raw = template.clone();
        raw.body = Body::Text(text);
        let again = raw.clone();
        let cpu_start = thread_cpu_seconds();
        let start = Instant::now();
        let record = pipeline.process(raw);
        let elapsed = start.elapsed().as_secs_f64();
        let cpu = thread_cpu_seconds()
            .zip(cpu_start)
            .map(|(b, a)| b - a)
            .unwrap_or(f64::NAN);
        println!(
            "one document of {:.2} MB: {elapsed:.3} s wall, {cpu:.3} s CPU, {:.2} MB/s ({} entities, {} errors)",
            bytes as f64 / 1e6,
            bytes as f64 / 1e6 / elapsed,
            record.entities.len(),
            record.errors.len()
        );
        seconds.push((elapsed, cpu));
        let mut times = [0.0; STAGES.len()];
        time_stages(pipeline, again, &mut times);
        stage_times.push(times);
    }
    if let [(one, one_cpu), (ten, ten_cpu)] = seconds[..] {
        println!(
            "10 MB vs 1 MB: {:.1}x the time ({:.1}x the CPU time)",
            ten / one,
            ten_cpu / one_cpu
        );
    }
    if let [one, ten] = &stage_times[..] {
        println!("per stage (thread CPU seconds): 1 MB, 10 MB, ratio");
        for (i, name) in STAGES.iter().enumerate() {
            println!(
                "  {name:<9} {:>7.3} s {:>7.3} s {:>6.1}x",
                one[i],
                ten[i],
                ten[i] / one[i]
            );
        }
    }
}
