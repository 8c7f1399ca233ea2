//! The `newsx` command: arguments → options → run → exit code.
//! Exit codes: 0 all documents processed, 1 some documents had errors,
//! 2 usage or configuration error.

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand};
use newsx::{output, Options, Pipeline, Summary};
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "newsx", version, about = "Rule-based news-article extraction")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// One JSON record per input document (schema newsx/1).
    Extract(RunArgs),
    /// One event per line (JSONL, or CSV with --csv).
    Events {
        #[command(flatten)]
        run: RunArgs,
        /// Write CSV instead of JSON Lines.
        #[arg(long)]
        csv: bool,
    },
    /// Events merged across articles, in date order, with their sources.
    Timeline(RunArgs),
    /// Compare records with golden fixtures; score gold annotations.
    Check {
        #[command(flatten)]
        run: RunArgs,
        /// Directory of expected records (and optional gold annotations).
        #[arg(long)]
        fixtures: PathBuf,
        /// Rewrite the expected records from the current output.
        #[arg(long)]
        bless: bool,
    },
    /// Score against a gold data set: timeml, polnear, wcxb (a folder), conll (a CoNLL-2003 file).
    Eval {
        kind: String,
        dir: PathBuf,
        #[command(flatten)]
        pipeline: PipelineArgs,
    },
}

#[derive(Args)]
struct PipelineArgs {
    /// Extra rule files (same names as the built-in ones) extending the defaults.
    #[arg(long, value_name = "DIR")]
    rules: Option<PathBuf>,
    /// Document creation time for documents that carry none (YYYY-MM-DD).
    #[arg(long, value_name = "DATE", value_parser = parse_dct)]
    dct: Option<chrono::NaiveDate>,
}

#[derive(Args)]
struct RunArgs {
    /// Files or directories; "-" reads JSONL articles from stdin.
    #[arg(default_value = "-")]
    paths: Vec<PathBuf>,
    /// Write to FILE instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// Worker threads (default: all cores).
    #[arg(short = 'j', long, value_name = "N")]
    threads: Option<usize>,
    #[command(flatten)]
    pipeline: PipelineArgs,
}

fn parse_dct(s: &str) -> Result<chrono::NaiveDate, String> {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|e| format!("expected YYYY-MM-DD: {e}"))
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    match dispatch(cli.command) {
        Ok(code) => code,
        // A closed downstream pipe (`newsx extract | head`) is not a failure.
        Err(e) if is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("newsx: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<io::Error>()
            .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
    })
}

fn dispatch(command: Command) -> Result<ExitCode> {
    match command {
        Command::Extract(run) => stream(&run, |w, r| output::write_record(w, r)),
        Command::Events { run, csv: false } => stream(&run, |w, r| output::write_event_lines(w, r)),
        Command::Events { run, csv: true } => events_csv(&run),
        Command::Timeline(run) => timeline(&run),
        Command::Check {
            run,
            fixtures,
            bless,
        } => check(&run, &fixtures, bless),
        Command::Eval {
            kind,
            dir,
            pipeline,
        } => {
            let pipeline = build(&pipeline)?;
            let report = newsx::eval::evaluate(&kind, &dir, &pipeline)?;
            write!(io::stdout().lock(), "{report}").context("cannot write output")?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn build(args: &PipelineArgs) -> Result<Pipeline> {
    let options = Options {
        rules_dir: args.rules.clone(),
        dct: args.dct,
    };
    Pipeline::new(&options).context("cannot load rules")
}

fn open_output(path: &Option<PathBuf>) -> Result<Box<dyn Write>> {
    Ok(match path {
        Some(p) => Box::new(BufWriter::new(
            std::fs::File::create(p).with_context(|| format!("cannot create {}", p.display()))?,
        )),
        None => Box::new(BufWriter::new(io::stdout().lock())),
    })
}

/// Runs the pipeline over the inputs, writing each record with `write`.
fn stream(
    run: &RunArgs,
    mut write: impl FnMut(&mut dyn Write, &newsx::record::Record) -> io::Result<()>,
) -> Result<ExitCode> {
    let pipeline = build(&run.pipeline)?;
    let mut out = open_output(&run.output)?;
    let progress = Progress::new();
    let summary = newsx::run(
        &pipeline,
        newsx::ingest::inputs(&run.paths),
        threads(run),
        |r| {
            progress.tick();
            write(&mut out, &r)
        },
    );
    progress.done();
    let summary = summary.context("cannot write output")?;
    out.flush().context("cannot write output")?;
    Ok(exit_code(summary))
}

fn threads(run: &RunArgs) -> usize {
    run.threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

fn exit_code(summary: Summary) -> ExitCode {
    if summary.with_errors > 0 {
        eprintln!(
            "newsx: {} of {} documents had errors (see their \"errors\")",
            summary.with_errors, summary.documents
        );
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn events_csv(run: &RunArgs) -> Result<ExitCode> {
    let pipeline = build(&run.pipeline)?;
    let mut csv = csv::Writer::from_writer(open_output(&run.output)?);
    csv.write_record(output::CSV_HEADER)?;
    let progress = Progress::new();
    let summary = newsx::run(
        &pipeline,
        newsx::ingest::inputs(&run.paths),
        threads(run),
        |r| {
            progress.tick();
            output::write_event_csv(&mut csv, &r)
        },
    );
    progress.done();
    let summary = summary.context("cannot write output")?;
    csv.flush().context("cannot write output")?;
    Ok(exit_code(summary))
}

fn timeline(run: &RunArgs) -> Result<ExitCode> {
    let pipeline = build(&run.pipeline)?;
    let mut timeline = output::Timeline::default();
    let progress = Progress::new();
    let summary = newsx::run(
        &pipeline,
        newsx::ingest::inputs(&run.paths),
        threads(run),
        |r| {
            progress.tick();
            timeline.add(&r);
            Ok(())
        },
    );
    progress.done();
    let summary = summary?;
    let mut out = open_output(&run.output)?;
    for entry in timeline.finish() {
        serde_json::to_writer(&mut out, &entry)?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(exit_code(summary))
}

fn check(run: &RunArgs, fixtures: &std::path::Path, bless: bool) -> Result<ExitCode> {
    let pipeline = build(&run.pipeline)?;
    let mut checker = newsx::check::Checker::new(fixtures, bless);
    let summary = newsx::run(
        &pipeline,
        newsx::ingest::inputs(&run.paths),
        threads(run),
        |r| checker.compare(&r).map_err(io::Error::other),
    )?;
    let outcome = checker.finish()?;
    write!(io::stdout().lock(), "{outcome}").context("cannot write output")?;
    let _ = summary;
    Ok(if outcome.passed() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// A spinner with a document count on stderr, only when stderr is a terminal.
struct Progress(Option<indicatif::ProgressBar>);

impl Progress {
    fn new() -> Self {
        if !io::stderr().is_terminal() {
            return Progress(None);
        }
        let bar = indicatif::ProgressBar::new_spinner();
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} {pos} documents ({per_sec}) {elapsed}",
            )
            .expect("valid template"),
        );
        Progress(Some(bar))
    }
    fn tick(&self) {
        if let Some(bar) = &self.0 {
            bar.inc(1);
        }
    }
    fn done(&self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}
