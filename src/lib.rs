//! newsx: rule-based extraction of entities, dates, quotes, named lists and
//! events from news articles, as schema-versioned JSON records.
//!
//! ```text
//!   paths / stdin JSONL
//!     │ ingest   : walk, sniff, decode               → RawDoc    (ingest.rs)
//!     │ clean    : HTML → text; boilerplate zones    → Article   (clean.rs)
//!     │ segment  : paragraphs, sentences, tokens     → Segmented (segment.rs)
//!     │ clauses  : tags, chunks, clauses, roles      → Parsed    (clauses/)
//!     │ extract  : dates, lists, entities, quotes    → Mentions  (extract/)
//!     │ events   : rules over clause frames + mentions → Event   (events/)
//!     ▼ output   : JSONL / CSV / timeline                        (output.rs)
//! ```
//!
//! All rules are compiled once into a [`Pipeline`], which is immutable and
//! `Sync`; [`Pipeline::process`] is the pure per-document function.
//! [`run`] streams inputs through it on a rayon pool of worker threads, a bounded window of
//! documents at a time, and hands records to a sink in input order, as soon
//! as they are ready, whatever the thread count.

pub mod check;
pub mod clauses;
pub mod clean;
pub mod dct;
pub mod error;
pub mod eval;
pub mod events;
pub mod extract;
pub mod fuzz;
pub mod ingest;
pub mod output;
pub mod record;
pub mod rules;
pub mod schema;
pub mod segment;
pub mod tables;
pub mod timeline;
pub mod view;
pub mod warc;

use chrono::NaiveDate;
use error::RuleError;
use extract::{Doc, Extractors, Mentions};
use ingest::{Input, RawDoc};
use record::{Origin, Problem, Published, Record, Stage};
use rules::RuleFiles;
use std::collections::{BTreeMap, HashMap};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::{mpsc, Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// Settings that shape the pipeline.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Extra rule files extending the built-in ones.
    pub rules_dir: Option<PathBuf>,
    /// Fallback document creation time when the input has none.
    pub dct: Option<NaiveDate>,
    /// Add the clause analysis (tags, chunks, clauses, roles) to each record.
    pub emit_parse: bool,
    /// Time one document may take; past it, the remaining stages are
    /// skipped and the record carries an error (see [`Budget`]).
    pub budget: Option<Duration>,
}

/// The default per-document time budget of the command line.
pub const DEFAULT_BUDGET: Duration = Duration::from_secs(60);

/// A per-document time budget, checked between stages. A stage is not
/// interrupted: every stage is linear in its input, so the budget bounds
/// how long a run waits behind one document to about the budget plus one
/// stage. Which documents exceed it depends on the machine's speed, so a
/// run with a budget is deterministic only for documents within it.
struct Budget {
    deadline: Option<(Instant, Duration)>,
}

impl Budget {
    fn start(budget: Option<Duration>) -> Self {
        Budget {
            deadline: budget.map(|b| (Instant::now() + b, b)),
        }
    }

    /// True, with an error added, when the budget ran out by the end of
    /// `stage`; the record then keeps its text but no extractions.
    fn exceeded(&self, stage: Stage, errors: &mut Vec<Problem>) -> bool {
        let Some((deadline, budget)) = self.deadline else {
            return false;
        };
        if Instant::now() <= deadline {
            return false;
        }
        errors.push(Problem::new(
            stage,
            format!(
                "document over its time budget of {} s; extraction stopped",
                budget.as_secs_f64()
            ),
        ));
        true
    }
}

type ListsAndEvents = (
    extract::lists::ListMatcher,
    Result<events::EventRules, RuleError>,
);

/// The list rules and the event rules, which are compiled from the list
/// definitions; the event rules' own error comes second.
fn lists_and_events(rules: &RuleFiles) -> Result<ListsAndEvents, RuleError> {
    let lists = extract::lists::ListMatcher::new(rules)?;
    let events = events::EventRules::new(rules, lists.definitions());
    Ok((lists, events))
}

/// Every stage's rules, compiled once.
pub struct Pipeline {
    budget: Option<Duration>,
    cleaner: clean::Cleaner,
    segmenter: segment::Segmenter,
    extractors: Extractors,
    events: events::EventRules,
    clauses: clauses::ClauseAnalyzer,
    dct_flag: Option<NaiveDate>,
    emit_parse: bool,
    producer: record::Producer,
}

impl Pipeline {
    pub fn new(options: &Options) -> Result<Self, RuleError> {
        let rules = match &options.rules_dir {
            Some(dir) => RuleFiles::open(dir)?,
            None => RuleFiles::builtin(),
        };
        // Start-up is mostly regex compilation, and the stages compile
        // independently (the event rules need only the list definitions):
        // each stage is one task of a FIFO scope on the current rayon pool
        // (one thread at `-j 1`). Every thread takes the next task in the
        // order spawned, so the costliest stages start first and the cheap
        // ones fill in behind them (longest first), with no nested joins
        // holding a thread back.
        let (mut dates, mut quotes, mut entities, mut lists_and_events) = (None, None, None, None);
        let (mut cleaner, mut clauses, mut segmenter) = (None, None, None);
        rayon::scope_fifo(|scope| {
            scope.spawn_fifo(|_| dates = Some(extract::dates::DateExtractor::new(&rules)));
            scope.spawn_fifo(|_| quotes = Some(extract::quotes::QuoteExtractor::new(&rules)));
            scope.spawn_fifo(|_| {
                entities = Some(extract::entities::EntityExtractor::new(&rules));
            });
            scope.spawn_fifo(|_| lists_and_events = Some(self::lists_and_events(&rules)));
            scope.spawn_fifo(|_| cleaner = Some(clean::Cleaner::new(&rules)));
            scope.spawn_fifo(|_| clauses = Some(clauses::ClauseAnalyzer::with_rules(&rules)));
            scope.spawn_fifo(|_| segmenter = Some(segment::Segmenter::new(&rules)));
        });
        let compiled = "every start-up task ran to the end of its scope";
        let (dates, quotes, entities) = (
            dates.expect(compiled),
            quotes.expect(compiled),
            entities.expect(compiled),
        );
        let lists_and_events = lists_and_events.expect(compiled);
        let (cleaner, clauses, segmenter) = (
            cleaner.expect(compiled),
            clauses.expect(compiled),
            segmenter.expect(compiled),
        );
        // Errors are reported in stage order, whatever finished first.
        let dates = dates?;
        let (lists, events) = lists_and_events?;
        let extractors = Extractors {
            dates,
            lists,
            entities: entities?,
            quotes: quotes?,
        };
        let cleaner = cleaner?;
        let segmenter = segmenter?;
        let events = events?;
        let clauses = clauses?;
        Ok(Pipeline {
            cleaner,
            segmenter,
            events,
            extractors,
            clauses,
            dct_flag: options.dct,
            emit_parse: options.emit_parse,
            budget: options.budget,
            producer: record::Producer {
                version: env!("CARGO_PKG_VERSION").to_string(),
                rules: rules.digest(),
            },
        })
    }

    /// The newsx version and rule hash written into every record.
    pub fn producer(&self) -> &record::Producer {
        &self.producer
    }

    /// The compiled matchers, for evaluation of one matcher at a time.
    pub fn extractors(&self) -> &Extractors {
        &self.extractors
    }

    /// The compiled event rules.
    pub fn event_rules(&self) -> &events::EventRules {
        &self.events
    }

    /// The compiled clause analysis.
    pub fn clauses(&self) -> &clauses::ClauseAnalyzer {
        &self.clauses
    }

    /// The compiled cleaner.
    pub fn cleaner(&self) -> &clean::Cleaner {
        &self.cleaner
    }

    /// The compiled sentence splitter.
    pub fn segmenter(&self) -> &segment::Segmenter {
        &self.segmenter
    }

    /// Runs the examples of every rule of every stage, built-in and user's.
    pub fn run_examples(&self) -> rules::ExampleReport {
        let mut report = self.cleaner.run_examples();
        report.extend(self.clauses.run_examples());
        report.extend(self.extractors.dates.run_examples(&self.clauses));
        report.extend(self.extractors.lists.run_examples());
        report.extend(self.extractors.entities.run_examples());
        report.extend(self.extractors.quotes.run_examples());
        report.extend(self.events.run_examples(&self.extractors, &self.clauses));
        report
    }

    /// Turns one document into its record. Never panics on input: a
    /// failure inside a stage becomes an error in the record.
    pub fn process(&self, raw: RawDoc) -> Record {
        let mut record = self.process_unstamped(raw);
        record.producer = Some(self.producer.clone());
        record
    }

    /// Reads one input and turns it into its record. Never panics on input:
    /// a failure while reading becomes an error in the record, like one in
    /// a later stage.
    pub fn process_input(&self, input: Input) -> Record {
        let name = input.source_name();
        match catch_unwind(AssertUnwindSafe(|| ingest::load(input))) {
            Ok(raw) => self.process(raw),
            Err(panic) => {
                let mut raw = RawDoc::empty(name.clone(), name, record::Format::Text);
                raw.fail(format!("internal error: {}", panic_message(&*panic)));
                self.process(raw)
            }
        }
    }

    fn process_unstamped(&self, raw: RawDoc) -> Record {
        let id = raw.id.clone();
        let source = raw.source.clone();
        match catch_unwind(AssertUnwindSafe(|| self.process_inner(raw))) {
            Ok(record) => record,
            Err(panic) => {
                let mut record = Record::empty(id, source);
                record.errors.push(Problem::new(
                    Stage::Extract,
                    format!("internal error: {}", panic_message(&*panic)),
                ));
                record
            }
        }
    }

    fn process_inner(&self, raw: RawDoc) -> Record {
        let budget = Budget::start(self.budget);
        let RawDoc {
            id,
            source,
            body,
            meta,
            mut errors,
            mut warnings,
        } = raw;
        let article = self.cleaner.clean(body, &meta);
        errors.extend(article.errors);
        warnings.extend(article.warnings);
        let found = article
            .published
            .or_else(|| crawl_date(meta.crawled.as_deref()));
        let published = self.published(meta.published.as_deref(), found, &mut warnings);
        let title = article.title.or(meta.title);
        let mut record = Record {
            title,
            byline: article.byline,
            published,
            errors,
            warnings,
            meta: meta.extra,
            ..Record::empty(id, source)
        };
        if budget.exceeded(Stage::Clean, &mut record.errors) {
            record.text = article.text;
            return record;
        }
        let dct = record
            .published
            .as_ref()
            .and_then(|p| dct::parse_date(&p.value));
        let zones: Vec<_> = article.zones.iter().map(|z| z.span).collect();
        let seg = self.segmenter.segment(&article.text, &zones);
        if !budget.exceeded(Stage::Segment, &mut record.errors) {
            // Events, quotes and date anchoring read the clause analysis,
            // so it always runs; the record carries it only on request.
            let parsed = self.clauses.analyze(&article.text, &seg);
            if self.emit_parse {
                record.parse = Some(serde_json::to_value(parsed.views()).unwrap_or_default());
            }
            let doc = Doc {
                text: &article.text,
                seg: &seg,
                parsed: Some(&parsed),
                dct,
            };
            let mentions = self.extractors.extract(&doc);
            if !budget.exceeded(Stage::Extract, &mut record.errors) {
                record.events = self.events.extract(&doc, &mentions);
                let Mentions {
                    dates,
                    lists,
                    entities,
                    quotes,
                } = mentions;
                (record.dates, record.lists, record.entities, record.quotes) =
                    (dates, lists, entities, quotes);
                if budget.exceeded(Stage::Events, &mut record.errors) {
                    record.clear_extractions();
                }
            }
        }
        record.text = article.text;
        record
    }

    /// Picks the publication date: the input's own field, then what the
    /// cleaner found (HTML metadata, text cues), then the `--dct` flag.
    fn published(
        &self,
        input: Option<&str>,
        found: Option<Published>,
        warnings: &mut Vec<Problem>,
    ) -> Option<Published> {
        if let Some(value) = input {
            match dct::parse_date(value) {
                Some(date) => {
                    return Some(Published {
                        value: date.to_string(),
                        origin: Origin::Input,
                    })
                }
                None => warnings.push(Problem::new(
                    Stage::Ingest,
                    format!("publication date {value:?} not understood; ignored"),
                )),
            }
        }
        found.or_else(|| {
            self.dct_flag.map(|d| Published {
                value: d.to_string(),
                origin: Origin::Flag,
            })
        })
    }
}

/// The text of a caught panic.
fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown failure".into())
}

/// The capture date of a crawled page as a publication date of last resort.
fn crawl_date(crawled: Option<&str>) -> Option<Published> {
    let date = dct::parse_date(crawled?)?;
    Some(Published {
        value: date.to_string(),
        origin: Origin::Crawl,
    })
}

/// Counts of one run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub documents: usize,
    pub with_errors: usize,
    pub with_warnings: usize,
    /// Bytes of article text in the records.
    pub text_bytes: u64,
}

impl Summary {
    fn add(&mut self, record: &Record) {
        self.documents += 1;
        self.with_errors += usize::from(!record.errors.is_empty());
        self.with_warnings += usize::from(!record.warnings.is_empty());
        self.text_bytes += record.text.len() as u64;
    }
}

/// More worker threads than this only add memory and contention.
pub const MAX_THREADS: usize = 64;

/// Documents in flight (read, processing, or finished and waiting for an
/// earlier one to be written) per worker thread.
const IN_FLIGHT_PER_THREAD: usize = 4;

/// Input bytes in flight across all workers: past this, reading waits
/// (one document is always let through, whatever its size), so memory
/// follows the size of the documents, not the thread count.
const IN_FLIGHT_BYTES: u64 = 256 << 20;

/// Streams `inputs` through the pipeline on `threads` worker threads and
/// hands each record to `sink` in input order, as soon as it and all
/// records before it are done: there is no barrier between batches, and a
/// slow document holds back only the output behind it (at most a bounded
/// window of documents), never the workers. Stops early only if `sink`
/// fails. `threads` above [`MAX_THREADS`] is reduced to it.
pub fn run<I, F>(
    pipeline: &Pipeline,
    inputs: I,
    threads: usize,
    mut sink: F,
) -> std::io::Result<Summary>
where
    I: Iterator<Item = Input> + Send + 'static,
    F: FnMut(Record) -> std::io::Result<()>,
{
    let threads = threads.clamp(1, MAX_THREADS);
    let window = Arc::new(Window::new(threads * IN_FLIGHT_PER_THREAD, IN_FLIGHT_BYTES));
    let (work_tx, work_rx) = mpsc::channel::<(usize, Input, u64)>();
    let work_rx = Mutex::new(work_rx);
    let (done_tx, done_rx) = mpsc::channel::<(usize, Record, u64)>();
    // The reader is not joined when the sink fails: it may be blocked on a
    // read from stdin, and the caller is about to stop.
    let feeder = {
        let window = Arc::clone(&window);
        std::thread::spawn(move || feed(inputs, &window, work_tx))
    };
    // The workers are long-lived tasks on a rayon pool of their own; this
    // thread stays outside it and writes the records in order.
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .thread_name(|i| format!("newsx-worker-{i}"))
        .build()
        .map_err(std::io::Error::other)?;
    let result = pool.in_place_scope(|scope| {
        for _ in 0..threads {
            let done_tx = done_tx.clone();
            let (work_rx, window) = (&work_rx, &*window);
            scope.spawn(move |_| work(pipeline, work_rx, window, done_tx));
        }
        drop(done_tx);
        let result = emit_in_order(&done_rx, &window, &mut sink);
        // On a failed sink, stop the reader and let the workers drain.
        window.close();
        drop(done_rx);
        result
    });
    if result.is_ok() {
        let _ = feeder.join();
    }
    result
}

/// Reads inputs in order and queues them for the workers, within the window.
fn feed<I: Iterator<Item = Input>>(
    inputs: I,
    window: &Window,
    work: mpsc::Sender<(usize, Input, u64)>,
) {
    for (seq, input) in inputs.enumerate() {
        let bytes = input.size_hint_bytes();
        if !window.acquire(bytes) || work.send((seq, input, bytes)).is_err() {
            return;
        }
    }
}

/// Processes queued inputs until the queue closes or the window does.
fn work(
    pipeline: &Pipeline,
    queue: &Mutex<mpsc::Receiver<(usize, Input, u64)>>,
    window: &Window,
    done: mpsc::Sender<(usize, Record, u64)>,
) {
    loop {
        let next = match queue.lock() {
            Ok(rx) => rx.recv_timeout(Duration::from_millis(100)),
            Err(_) => return,
        };
        let (seq, input, bytes) = match next {
            Ok(job) => job,
            // The reader may be blocked on stdin after the run was stopped.
            Err(mpsc::RecvTimeoutError::Timeout) if !window.is_closed() => continue,
            Err(_) => return,
        };
        let record = pipeline.process_input(input);
        if done.send((seq, record, bytes)).is_err() {
            return;
        }
    }
}

/// Hands finished records to `sink` in input order.
fn emit_in_order<F>(
    done: &mpsc::Receiver<(usize, Record, u64)>,
    window: &Window,
    sink: &mut F,
) -> std::io::Result<Summary>
where
    F: FnMut(Record) -> std::io::Result<()>,
{
    let mut summary = Summary::default();
    let mut waiting: BTreeMap<usize, (Record, u64)> = BTreeMap::new();
    let mut first_with_id: HashMap<String, usize> = HashMap::new();
    let mut next = 0;
    for (seq, record, bytes) in done.iter() {
        waiting.insert(seq, (record, bytes));
        while let Some((mut record, bytes)) = waiting.remove(&next) {
            warn_duplicate_id(&mut first_with_id, &mut record, next);
            next += 1;
            summary.add(&record);
            sink(record)?;
            window.release(bytes);
        }
    }
    Ok(summary)
}

/// Warns on a record whose id an earlier record of the run already had
/// (ids are compared in input order, so the first one stays unwarned).
fn warn_duplicate_id(first_with_id: &mut HashMap<String, usize>, record: &mut Record, seq: usize) {
    match first_with_id.get(&record.id) {
        Some(first) => record.warnings.push(Problem::new(
            Stage::Ingest,
            format!(
                "duplicate id {:?}: input document {} of this run has it too",
                record.id,
                first + 1
            ),
        )),
        None => {
            first_with_id.insert(record.id.clone(), seq);
        }
    }
}

/// The documents and input bytes in flight, bounded.
struct Window {
    state: Mutex<WindowState>,
    changed: Condvar,
    max_docs: usize,
    max_bytes: u64,
}

#[derive(Default)]
struct WindowState {
    docs: usize,
    bytes: u64,
    closed: bool,
}

impl Window {
    fn new(max_docs: usize, max_bytes: u64) -> Self {
        Window {
            state: Mutex::new(WindowState::default()),
            changed: Condvar::new(),
            max_docs,
            max_bytes,
        }
    }

    /// Waits for room for one more document of `bytes`; false once closed.
    fn acquire(&self, bytes: u64) -> bool {
        let Ok(mut state) = self.state.lock() else {
            return false;
        };
        while !state.closed
            && state.docs > 0
            && (state.docs >= self.max_docs || state.bytes + bytes > self.max_bytes)
        {
            state = match self.changed.wait(state) {
                Ok(s) => s,
                Err(_) => return false,
            };
        }
        state.docs += 1;
        state.bytes += bytes;
        !state.closed
    }

    fn release(&self, bytes: u64) {
        if let Ok(mut state) = self.state.lock() {
            state.docs -= 1;
            state.bytes -= bytes;
        }
        self.changed.notify_all();
    }

    fn is_closed(&self) -> bool {
        self.state.lock().map_or(true, |s| s.closed)
    }

    fn close(&self) {
        if let Ok(mut state) = self.state.lock() {
            state.closed = true;
        }
        self.changed.notify_all();
    }
}
