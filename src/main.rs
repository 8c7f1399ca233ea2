//! The `newsx` command: arguments → options → run → exit code.
//! Exit codes: 0 all documents processed, 1 some documents had errors
//! (`rules test`: some rule examples failed), 2 usage or configuration error.

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand};
use newsx::ingest::{Input, WalkOptions};
use newsx::output::{RecordFormat, Sink};
use newsx::rules::{catalog, RuleFiles};
use newsx::tables::{Table, TableFormat};
use newsx::{output, Options, Pipeline, Summary};
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

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
    /// Events merged across articles, in date order, with their sources
    /// (JSONL; --format csv or table).
    Timeline {
        #[command(flatten)]
        run: RunArgs,
        /// jsonl (default), csv, or table (fixed-width, for reading).
        #[arg(long, value_name = "FORMAT", default_value = "jsonl",
              value_parser = ["jsonl", "csv", "table"])]
        format: String,
    },
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
    /// Score against a gold data set: timeml, polnear, wcxb (a folder), ud (FILE|DIR), conll (a CoNLL-2003 file).
    Eval {
        kind: String,
        dir: PathBuf,
        /// Print the `ud` scores as one JSON object.
        #[arg(long)]
        json: bool,
        /// For `events`: also list each missed, spurious or wrongly argued event;
        /// for `wcxb`: each wrong title and date and each main text below 4-gram F1 0.9;
        /// for `conll`: each missed and spurious mention with its sentence.
        #[arg(long)]
        errors: bool,
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
    /// Optional additions to each record: "tokens" adds the clause
    /// analysis (tags, chunks, clauses, roles) as "parse".
    #[arg(long, value_name = "WHAT", value_parser = ["tokens"])]
    emit: Vec<String>,
    /// Seconds one document may take before its extraction is stopped and
    /// its record carries an error (0: no limit).
    #[arg(long, value_name = "SECS", default_value_t = newsx::DEFAULT_BUDGET.as_secs())]
    budget: u64,
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
    /// Write to FILE instead of stdout (replaced only when the run ends).
    #[arg(short, long, value_name = "FILE", conflicts_with = "output_dir")]
    output: Option<PathBuf>,
    /// Write one file per input path below DIR, mirroring its name.
    #[arg(long, value_name = "DIR")]
    output_dir: Option<PathBuf>,
    /// With --output-dir: skip inputs whose output file is already complete.
    #[arg(long, requires = "output_dir")]
    resume: bool,
    /// Flush each record as soon as it is ready (automatic when stdin "-" is a pipe).
    #[arg(long)]
    line_buffered: bool,
    /// Worker threads (default: all cores; at most 64).
    #[arg(short = 'j', long, value_name = "N")]
    threads: Option<usize>,
    /// Follow symbolic links when walking directories (loops are skipped).
    #[arg(long)]
    follow: bool,
    /// In directories, read only files matching GLOB (relative path; repeatable).
    #[arg(long, value_name = "GLOB")]
    glob: Vec<String>,
    /// In directories, skip files and folders matching GLOB (repeatable).
    #[arg(long, value_name = "GLOB")]
    exclude: Vec<String>,
    #[command(flatten)]
    pipeline: PipelineArgs,
    #[command(flatten)]
    keys: KeyArgs,
}

impl RunArgs {
    fn destination(&self) -> output::Destination {
        match (&self.output, &self.output_dir) {
            (Some(file), _) => output::Destination::File(file.clone()),
            (None, Some(dir)) => output::Destination::Dir(dir.clone()),
            (None, None) => output::Destination::Stdout,
        }
    }

    fn reads_stdin_pipe(&self) -> bool {
        self.paths.iter().any(|p| p.as_os_str() == "-") && !io::stdin().is_terminal()
    }

    /// The inputs, without the run's own output and, with `--resume`,
    /// without inputs whose output is complete.
    fn inputs(
        &self,
        format: output::RecordFormat,
    ) -> Result<impl Iterator<Item = Input> + Send + 'static> {
        let walk = WalkOptions {
            follow: self.follow,
            globs: self.glob.clone(),
            excludes: self.exclude.clone(),
            own_output: self
                .output
                .iter()
                .chain(&self.output_dir)
                .cloned()
                .collect(),
        };
        let inputs = newsx::ingest::inputs_with(self.paths.clone(), &walk, &self.keys.key_map())
            .context("invalid --glob or --exclude")?;
        let done_in = self.output_dir.clone().filter(|_| self.resume);
        Ok(inputs.filter(move |input| {
            done_in
                .as_ref()
                .is_none_or(|dir| !output::is_done(dir, &input.source_name(), format))
        }))
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
        let io_kind = c
            .downcast_ref::<io::Error>()
            .map(io::Error::kind)
            .or_else(|| c.downcast_ref::<serde_json::Error>()?.io_error_kind());
        io_kind == Some(io::ErrorKind::BrokenPipe)
    })
}

fn dispatch(command: Command) -> Result<ExitCode> {
    match command {
        Command::Extract(run) => stream(&run, RecordFormat::Records),
        Command::Events(args) if !args.csv => stream(&args.run, RecordFormat::EventLines),
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
        Command::Timeline { run, format } => timeline(&run, &format),
        Command::View(run) => view(&run),
        Command::Check {
            run,
            fixtures,
            bless,
        } => check(&run, &fixtures, bless),
        Command::Eval {
            kind,
            dir,
            json,
            errors,
            pipeline,
        } => {
            let pipeline = build(&pipeline)?;
            if errors {
                let report = match kind.as_str() {
                    "events" => newsx::eval::events::evaluate_listing(&pipeline, &dir, true)?,
                    "wcxb" => newsx::eval::html::evaluate_listing(&pipeline, &dir)?,
                    "conll" => newsx::eval::conll::evaluate_listing(&pipeline, &dir, true)?,
                    _ => anyhow::bail!(
                        "--errors is available for `eval events`, `eval wcxb` and `eval conll` only"
                    ),
                };
                write!(io::stdout().lock(), "{report}").context("cannot write output")?;
                return Ok(ExitCode::SUCCESS);
            }
            if json {
                anyhow::ensure!(kind == "ud", "--json is available for `eval ud` only");
                let report = newsx::eval::ud::evaluate(pipeline.clauses(), &dir)?;
                writeln!(io::stdout().lock(), "{}", report.json())
                    .context("cannot write output")?;
                return Ok(ExitCode::SUCCESS);
            }
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
        emit: Vec::new(),
        budget: 0,
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
        emit_parse: args.emit.iter().any(|e| e == "tokens"),
        budget: (args.budget > 0).then(|| Duration::from_secs(args.budget)),
    };
    Pipeline::new(&options).context("cannot load rules")
}

/// [`build`] on a pool of `threads` threads: the stages compile side by
/// side, but never on more threads than the run may use.
fn build_on(args: &PipelineArgs, threads: usize) -> Result<Pipeline> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .context("cannot start threads")?
        .install(|| build(args))
}

/// Runs the pipeline over the inputs, writing each record to the sink.
fn stream(run: &RunArgs, format: RecordFormat) -> Result<ExitCode> {
    let threads = threads(run);
    let pipeline = build_on(&run.pipeline, threads)?;
    let to = run.destination();
    let mut sink = Sink::open(format, &to, run.line_buffered || run.reads_stdin_pipe())
        .with_context(|| format!("cannot create {}", describe(&to)))?;
    let clock = Instant::now();
    let progress = Progress::new();
    let summary = newsx::run(&pipeline, run.inputs(format)?, threads, |r| {
        progress.tick();
        sink.write(&r)
    });
    progress.done();
    let summary = summary.with_context(|| format!("cannot write {}", describe(&to)))?;
    sink.finish()
        .with_context(|| format!("cannot write {}", describe(&to)))?;
    Ok(exit_code(summary, clock))
}

fn describe(to: &output::Destination) -> String {
    match to {
        output::Destination::Stdout => "output".into(),
        output::Destination::File(p) | output::Destination::Dir(p) => p.display().to_string(),
    }
}

fn threads(run: &RunArgs) -> usize {
    let wanted = run
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    if wanted > newsx::MAX_THREADS {
        eprintln!(
            "newsx: warning: -j {wanted} reduced to {}: more threads only add memory",
            newsx::MAX_THREADS
        );
    }
    wanted.clamp(1, newsx::MAX_THREADS)
}

/// Prints the closing summary line on stderr and picks the exit code.
fn exit_code(summary: Summary, clock: Instant) -> ExitCode {
    let seconds = clock.elapsed().as_secs_f64();
    let megabytes = summary.text_bytes as f64 / 1e6;
    eprintln!(
        "newsx: {} documents, {} with errors, {} with warnings; {:.1} MB of text in {:.1} s ({:.1} MB/s)",
        summary.documents,
        summary.with_errors,
        summary.with_warnings,
        megabytes,
        seconds,
        megabytes / seconds.max(1e-3)
    );
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
    // Without --csv, `events` keeps its per-event JSON lines; `quotes` and
    // `entities` write their rows as JSON objects.
    let format = RecordFormat::Table(TableFormat {
        table,
        unit: args.offsets,
        csv: args.csv,
        bom: args.bom,
    });
    stream(&args.run, format)
}

/// Runs the pipeline over the inputs and hands every record to `add`, for
/// commands that write once the whole run is seen (timeline, view).
fn gather(
    run: &RunArgs,
    command: &str,
    mut add: impl FnMut(&newsx::record::Record),
) -> Result<(Summary, Instant)> {
    if run.output_dir.is_some() {
        anyhow::bail!("--output-dir does not apply to {command} (use -o FILE)");
    }
    let threads = threads(run);
    let pipeline = build_on(&run.pipeline, threads)?;
    let clock = Instant::now();
    let progress = Progress::new();
    let summary = newsx::run(
        &pipeline,
        run.inputs(RecordFormat::Records)?,
        threads,
        |r| {
            progress.tick();
            add(&r);
            Ok(())
        },
    );
    progress.done();
    Ok((summary?, clock))
}

/// Writes a whole output at once: to `-o FILE` atomically, else to stdout.
fn write_whole(
    output: &Option<PathBuf>,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<()> {
    match output {
        Some(path) => {
            let mut file = output::AtomicFile::create(path)
                .with_context(|| format!("cannot create {}", path.display()))?;
            write(&mut file).with_context(|| format!("cannot write {}", path.display()))?;
            file.commit()
                .with_context(|| format!("cannot write {}", path.display()))
        }
        None => {
            let mut out = BufWriter::new(io::stdout().lock());
            write(&mut out)
                .and_then(|()| out.flush())
                .context("cannot write output")
        }
    }
}

fn timeline(run: &RunArgs, format: &str) -> Result<ExitCode> {
    let mut timeline = output::Timeline::default();
    let (summary, clock) = gather(run, "timeline", |r| timeline.add(r))?;
    let entries = timeline.finish();
    write_whole(&run.output, |out| match format {
        "csv" => newsx::timeline::write_csv(out, &entries),
        "table" => newsx::timeline::write_table(out, &entries),
        _ => entries.iter().try_for_each(|entry| {
            serde_json::to_writer(&mut *out, entry)?;
            out.write_all(b"\n")
        }),
    })?;
    Ok(exit_code(summary, clock))
}

fn view(run: &RunArgs) -> Result<ExitCode> {
    let mut report = newsx::view::Report::default();
    let (summary, clock) = gather(run, "view", |r| report.add(r))?;
    write_whole(&run.output, |out| report.write(out, "newsx report"))?;
    Ok(exit_code(summary, clock))
}

fn check(run: &RunArgs, fixtures: &std::path::Path, bless: bool) -> Result<ExitCode> {
    let threads = threads(run);
    let pipeline = build_on(&run.pipeline, threads)?;
    let mut checker = newsx::check::Checker::new(fixtures, bless);
    let summary = newsx::run(
        &pipeline,
        run.inputs(RecordFormat::Records)?,
        threads,
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
