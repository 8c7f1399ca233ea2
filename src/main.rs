//! The `newsx` command: arguments → options → run → exit code.
//! Exit codes: 0 all documents processed, 1 some documents had errors
//! (`rules test`: some rule examples failed), 2 usage or configuration error.

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand};
use newsx::rules::{catalog, RuleFiles};
use newsx::tables::{Table, TableWriter};
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
    Events(TableArgs),
    /// One quote per line, with speakers' canonical names (JSONL, or CSV with --csv).
    Quotes(TableArgs),
    /// One entity per document per line, with its mentions (JSONL, or CSV with --csv).
    Entities(TableArgs),
    /// Print the JSON Schema (draft 2020-12) of the records `extract` writes.
    Schema,
    /// One self-contained HTML page showing the articles' extractions and timeline.
    View(RunArgs),
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
    /// Score against a gold data set: timeml, polnear, wcxb.
    Eval {
        kind: String,
        dir: PathBuf,
        #[command(flatten)]
        pipeline: PipelineArgs,
    },
    /// Rule files: run their examples, list what is loaded.
    #[command(subcommand)]
    Rules(RulesCommand),
}

#[derive(Subcommand)]
enum RulesCommand {
    /// Run every rule's examples (built-in and user's); print each failure.
    Test(RulesArgs),
    /// Print every rule file and where it is loaded from.
    List(RulesArgs),
}

#[derive(Args)]
struct RulesArgs {
    /// Extra rule files (same names as the built-in ones) extending the defaults.
    #[arg(long, value_name = "DIR")]
    rules: Option<PathBuf>,
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

/// Options of the analyst tables (`events`, `quotes`, `entities`).
#[derive(Args)]
struct TableArgs {
    #[command(flatten)]
    run: RunArgs,
    /// Write CSV (RFC 4180: CRLF, quoted text, UTF-8) instead of JSON Lines.
    #[arg(long)]
    csv: bool,
    /// Start the CSV with a UTF-8 byte-order mark, for spreadsheet programs.
    #[arg(long, requires = "csv")]
    bom: bool,
    /// Unit of the offset columns: bytes (UTF-8), chars (Python) or utf16 (JavaScript, Java).
    #[arg(long, value_name = "UNIT", default_value = "bytes")]
    offsets: newsx::tables::OffsetUnit,
}

/// Which JSONL fields hold what, for JSONL written by other tools.
#[derive(Args)]
struct KeyArgs {
    /// JSONL field holding plain text.
    #[arg(long, value_name = "KEY", default_value = "text")]
    text_key: String,
    /// JSONL field holding HTML.
    #[arg(long, value_name = "KEY", default_value = "html")]
    html_key: String,
    /// JSONL field holding the document id.
    #[arg(long, value_name = "KEY", default_value = "id")]
    id_key: String,
    /// JSONL field holding the publication date.
    #[arg(long, value_name = "KEY", default_value = "published")]
    date_key: String,
    /// JSONL field holding the article URL.
    #[arg(long, value_name = "KEY", default_value = "url")]
    url_key: String,
}

impl KeyArgs {
    fn key_map(&self) -> newsx::ingest::KeyMap {
        newsx::ingest::KeyMap {
            id: self.id_key.clone(),
            text: self.text_key.clone(),
            html: self.html_key.clone(),
            date: self.date_key.clone(),
            url: self.url_key.clone(),
            ..Default::default()
        }
    }
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
    #[command(flatten)]
    keys: KeyArgs,
}

impl RunArgs {
    /// The input stream of the paths, JSONL read with the given field names.
    fn inputs(&self) -> impl Iterator<Item = newsx::ingest::Input> + '_ {
        newsx::ingest::inputs_with_keys(&self.paths, &self.keys.key_map())
    }
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
        Command::Events(args) if !args.csv => {
            stream(&args.run, |w, r| output::write_event_lines(w, r))
        }
        Command::Events(args) => table(&args, Table::Events),
        Command::Quotes(args) => table(&args, Table::Quotes),
        Command::Entities(args) => table(&args, Table::Entities),
        Command::Schema => {
            let schema = newsx::schema::record_schema();
            let mut out = io::stdout().lock();
            serde_json::to_writer_pretty(&mut out, &schema)?;
            writeln!(out).context("cannot write output")?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Timeline(run) => timeline(&run),
        Command::View(run) => view(&run),
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
        Command::Rules(RulesCommand::Test(args)) => rules_test(&args),
        Command::Rules(RulesCommand::List(args)) => rules_list(&args),
    }
}

/// Runs every rule example; exit 1 when one fails.
fn rules_test(args: &RulesArgs) -> Result<ExitCode> {
    let pipeline = build(&PipelineArgs {
        rules: args.rules.clone(),
        dct: None,
    })?;
    let report = pipeline.run_examples();
    let mut out = io::stdout().lock();
    for failure in &report.failures {
        writeln!(out, "{failure}").context("cannot write output")?;
    }
    let failed = report.failures.len();
    writeln!(out, "{failed} of {} rule examples failed", report.count)
        .context("cannot write output")?;
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// Prints each declared rule file with its sources.
fn rules_list(args: &RulesArgs) -> Result<ExitCode> {
    let files = match &args.rules {
        Some(dir) => RuleFiles::open(dir).context("cannot load rules")?,
        None => RuleFiles::builtin(),
    };
    let mut out = io::stdout().lock();
    for file in catalog::ALL {
        let mut sources = format!("builtin:{}", file.name);
        if let Some(path) = files.user_path(file) {
            sources.push_str(&format!(" + {}", path.display()));
        }
        writeln!(out, "{:<26} {sources}\n{:<26} {}", file.name, "", file.what)
            .context("cannot write output")?;
    }
    Ok(ExitCode::SUCCESS)
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
    let summary = newsx::run(&pipeline, run.inputs(), threads(run), |r| {
        progress.tick();
        write(&mut out, &r)
    });
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

/// Writes an analyst table (CSV or JSONL) of the records.
fn table(args: &TableArgs, table: Table) -> Result<ExitCode> {
    let run = &args.run;
    let pipeline = build(&run.pipeline)?;
    let out = open_output(&run.output)?;
    let mut writer = if args.csv {
        TableWriter::csv(table, args.offsets, out, args.bom).context("cannot write output")?
    } else {
        TableWriter::jsonl(table, args.offsets, out)
    };
    let progress = Progress::new();
    let summary = newsx::run(&pipeline, run.inputs(), threads(run), |r| {
        progress.tick();
        writer.write(&r)
    });
    progress.done();
    let summary = summary.context("cannot write output")?;
    writer.flush().context("cannot write output")?;
    Ok(exit_code(summary))
}

fn timeline(run: &RunArgs) -> Result<ExitCode> {
    let pipeline = build(&run.pipeline)?;
    let mut timeline = output::Timeline::default();
    let progress = Progress::new();
    let summary = newsx::run(&pipeline, run.inputs(), threads(run), |r| {
        progress.tick();
        timeline.add(&r);
        Ok(())
    });
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

fn view(run: &RunArgs) -> Result<ExitCode> {
    let pipeline = build(&run.pipeline)?;
    let mut report = newsx::view::Report::default();
    let progress = Progress::new();
    let summary = newsx::run(&pipeline, run.inputs(), threads(run), |r| {
        progress.tick();
        report.add(&r);
        Ok(())
    });
    progress.done();
    let summary = summary?;
    let mut out = open_output(&run.output)?;
    report
        .write(&mut out, "newsx report")
        .and_then(|()| out.flush())
        .context("cannot write output")?;
    Ok(exit_code(summary))
}

fn check(run: &RunArgs, fixtures: &std::path::Path, bless: bool) -> Result<ExitCode> {
    let pipeline = build(&run.pipeline)?;
    let mut checker = newsx::check::Checker::new(fixtures, bless);
    let summary = newsx::run(&pipeline, run.inputs(), threads(run), |r| {
        checker.compare(&r).map_err(io::Error::other)
    })?;
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
