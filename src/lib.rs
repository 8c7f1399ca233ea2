//! newsx: rule-based extraction of entities, dates, quotes, named lists and
//! events from news articles, as schema-versioned JSON records.
//!
//! ```text
//!   paths / stdin JSONL
//!     │ ingest   : walk, sniff, decode               → RawDoc    (ingest.rs)
//!     │ clean    : HTML → text; boilerplate zones    → Article   (clean.rs)
//!     │ segment  : paragraphs, sentences, tokens     → Segmented (segment.rs)
//!     │ extract  : dates, lists, entities, quotes    → Mentions  (extract/)
//!     │ events   : sentence rules over mentions      → Event     (events.rs)
//!     ▼ output   : JSONL / CSV / timeline                        (output.rs)
//! ```
//!
//! All rules are compiled once into a [`Pipeline`], which is immutable and
//! `Sync`; [`Pipeline::process`] is the pure per-document function.
//! [`run`] streams inputs through it in parallel, in bounded chunks, and
//! hands records to a sink in input order, whatever the thread count.

pub mod check;
pub mod clean;
pub mod dct;
pub mod error;
pub mod eval;
pub mod events;
pub mod extract;
pub mod ingest;
pub mod output;
pub mod record;
pub mod rules;
pub mod schema;
pub mod segment;
pub mod tables;
pub mod view;
pub mod warc;

use chrono::NaiveDate;
use error::RuleError;
use extract::{Doc, Extractors, Mentions};
use ingest::{Input, RawDoc};
use rayon::prelude::*;
use record::{Origin, Problem, Published, Record, Stage, SCHEMA};
use rules::RuleFiles;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;

/// Settings that shape the pipeline.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Extra rule files extending the built-in ones.
    pub rules_dir: Option<PathBuf>,
    /// Fallback document creation time when the input has none.
    pub dct: Option<NaiveDate>,
}

/// Every stage's rules, compiled once.
pub struct Pipeline {
    cleaner: clean::Cleaner,
    extractors: Extractors,
    events: events::EventRules,
    dct_flag: Option<NaiveDate>,
    producer: record::Producer,
}

impl Pipeline {
    pub fn new(options: &Options) -> Result<Self, RuleError> {
        let rules = match &options.rules_dir {
            Some(dir) => RuleFiles::open(dir)?,
            None => RuleFiles::builtin(),
        };
        let extractors = Extractors::new(&rules)?;
        let cleaner = clean::Cleaner::new(&rules)?;
        let events = events::EventRules::new(&rules, extractors.lists.definitions())?;
        Ok(Pipeline {
            cleaner,
            events,
            extractors,
            dct_flag: options.dct,
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

    /// The compiled cleaner.
    pub fn cleaner(&self) -> &clean::Cleaner {
        &self.cleaner
    }

    /// Runs the examples of every rule of every stage, built-in and user's.
    pub fn run_examples(&self) -> rules::ExampleReport {
        let mut report = self.cleaner.run_examples();
        report.extend(self.extractors.dates.run_examples());
        report.extend(self.extractors.lists.run_examples());
        report.extend(self.extractors.entities.run_examples());
        report.extend(self.extractors.quotes.run_examples());
        report.extend(self.events.run_examples(&self.extractors));
        report
    }

    /// Turns one document into its record. Never panics on input: a
    /// failure inside a stage becomes an error in the record.
    pub fn process(&self, raw: RawDoc) -> Record {
        let mut record = self.process_unstamped(raw);
        record.producer = Some(self.producer.clone());
        record
    }

    fn process_unstamped(&self, raw: RawDoc) -> Record {
        let id = raw.id.clone();
        let source = raw.source.clone();
        match catch_unwind(AssertUnwindSafe(|| self.process_inner(raw))) {
            Ok(record) => record,
            Err(panic) => {
                let what = panic
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| panic.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "unknown failure".into());
                let mut record = Record::empty(id, source);
                record.errors.push(Problem::new(
                    Stage::Extract,
                    format!("internal error: {what}"),
                ));
                record
            }
        }
    }

    fn process_inner(&self, raw: RawDoc) -> Record {
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
        let dct = published.as_ref().and_then(|p| dct::parse_date(&p.value));
        let zones: Vec<_> = article.zones.iter().map(|z| z.span).collect();
        let seg = segment::segment(&article.text, &zones);
        let doc = Doc {
            text: &article.text,
            seg: &seg,
            dct,
        };
        let mentions = self.extractors.extract(&doc);
        let events = self.events.extract(&doc, &mentions);
        let Mentions {
            dates,
            lists,
            entities,
            quotes,
        } = mentions;
        Record {
            schema: SCHEMA.to_string(),
            producer: None,
            id,
            source,
            title: article.title.or(meta.title),
            byline: article.byline,
            published,
            text: article.text,
            entities,
            dates,
            lists,
            quotes,
            events,
            errors,
            warnings,
            meta: meta.extra,
        }
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
}

/// How many documents one parallel chunk holds per thread: enough to keep
/// the threads busy, small enough to keep memory bounded.
const CHUNK_PER_THREAD: usize = 16;

/// Streams `inputs` through the pipeline on `threads` threads and hands each
/// record to `sink` in input order. Stops early only if `sink` fails.
pub fn run<I, F>(
    pipeline: &Pipeline,
    inputs: I,
    threads: usize,
    mut sink: F,
) -> std::io::Result<Summary>
where
    I: Iterator<Item = Input>,
    F: FnMut(Record) -> std::io::Result<()>,
{
    let threads = threads.max(1);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(std::io::Error::other)?;
    let mut summary = Summary::default();
    let mut inputs = inputs.peekable();
    while inputs.peek().is_some() {
        let chunk: Vec<Input> = inputs.by_ref().take(threads * CHUNK_PER_THREAD).collect();
        let records: Vec<Record> = pool.install(|| {
            chunk
                .into_par_iter()
                .map(|input| pipeline.process(ingest::load(input)))
                .collect()
        });
        for record in records {
            summary.documents += 1;
            summary.with_errors += usize::from(!record.errors.is_empty());
            sink(record)?;
        }
    }
    Ok(summary)
}
