//! Python bindings: `newsx._native`, wrapped by the `newsx` package.
//!
//! Takes articles as Python dicts (the fields of newsx's JSONL input), keyword
//! arguments, or file paths; gives each record as the JSON text `newsx
//! extract` writes, which the package turns into a dict. Articles are read
//! through the same JSONL parsing as the command line's standard input, so a
//! record here is the record `newsx extract -` writes for the same line.
//!
//! The rules are compiled once per `Pipeline`. Extraction runs with the GIL
//! released: `extract_many` streams on worker threads of its own while Python
//! goes on, taking the GIL only to read the next article from the iterable.
//! It does not hold more than a bounded window of records in memory.

use newsx::ingest::{Input, KeyMap};
use newsx::{Options, DEFAULT_BUDGET, MAX_THREADS};
use pyo3::exceptions::{PyRuntimeError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyIterator, PyString};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{sync_channel, Receiver};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Records name articles given from Python like those read from stdin.
const ORIGIN: &str = "-";

/// Records waiting for Python per worker thread.
const QUEUED_PER_THREAD: usize = 4;

/// The compiled rules of every stage.
#[pyclass(module = "newsx._native", frozen)]
struct Pipeline {
    inner: Arc<newsx::Pipeline>,
}

#[pymethods]
impl Pipeline {
    /// `rules`: a folder of rule files extending the built-in ones;
    /// `dct`: the fallback publication date (YYYY-MM-DD); `budget`: seconds
    /// one document may take (0: no limit); `emit_tokens`: add the clause
    /// analysis as `parse`.
    #[new]
    #[pyo3(signature = (rules=None, dct=None, budget=DEFAULT_BUDGET.as_secs_f64(), emit_tokens=false))]
    fn new(
        py: Python<'_>,
        rules: Option<PathBuf>,
        dct: Option<&str>,
        budget: f64,
        emit_tokens: bool,
    ) -> PyResult<Self> {
        let dct = dct
            .map(|d| chrono_date(d).map_err(PyValueError::new_err))
            .transpose()?;
        if !budget.is_finite() || budget < 0.0 {
            return Err(PyValueError::new_err(
                "budget must be a non-negative number of seconds",
            ));
        }
        let options = Options {
            rules_dir: rules,
            dct,
            emit_parse: emit_tokens,
            budget: (budget > 0.0).then(|| Duration::from_secs_f64(budget)),
        };
        let inner = py
            .detach(|| newsx::Pipeline::new(&options))
            .map_err(|e| PyValueError::new_err(format!("cannot load rules: {e}")))?;
        Ok(Pipeline {
            inner: Arc::new(inner),
        })
    }

    /// The newsx version and rule hash every record carries, as JSON.
    fn producer_json(&self) -> String {
        serde_json::to_string(self.inner.producer()).expect("a producer serializes")
    }

    /// One article to its record (JSON text). `text` or `html` is the body;
    /// with neither, the record carries an error, as on the command line.
    #[pyo3(signature = (text=None, *, html=None, published=None, url=None, id=None, title=None))]
    #[allow(clippy::too_many_arguments)]
    fn extract_json(
        &self,
        py: Python<'_>,
        text: Option<String>,
        html: Option<String>,
        published: Option<String>,
        url: Option<String>,
        id: Option<String>,
        title: Option<String>,
    ) -> String {
        let fields = [
            ("id", id),
            ("text", text),
            ("html", html),
            ("published", published),
            ("url", url),
            ("title", title),
        ];
        let article: serde_json::Map<String, serde_json::Value> = fields
            .into_iter()
            .filter_map(|(key, value)| Some((key.to_string(), value?.into())))
            .collect();
        let line = serde_json::to_vec(&article).expect("a map of strings serializes");
        let input = Input::Line {
            origin: ORIGIN.to_string(),
            line_no: 1,
            line: Ok(line),
            keys: Arc::default(),
        };
        py.detach(|| record_json(&self.inner.process_input(input)))
    }

    /// Records (JSON text) of the articles of `articles`, an iterable of
    /// dicts with the JSONL input fields, in input order.
    #[pyo3(signature = (articles, threads=None, *, text_key="text", html_key="html", id_key="id", date_key="published", url_key="url"))]
    #[allow(clippy::too_many_arguments)]
    fn extract_many_json(
        &self,
        articles: &Bound<'_, PyAny>,
        threads: Option<usize>,
        text_key: &str,
        html_key: &str,
        id_key: &str,
        date_key: &str,
        url_key: &str,
    ) -> PyResult<Records> {
        let keys = KeyMap {
            id: id_key.into(),
            text: text_key.into(),
            html: html_key.into(),
            date: date_key.into(),
            url: url_key.into(),
            ..KeyMap::default()
        };
        let articles = Articles::new(articles, keys)?;
        let failure = Arc::clone(&articles.failure);
        let cancelled = Arc::clone(&articles.cancelled);
        Ok(Records::start(
            &self.inner,
            articles,
            threads,
            failure,
            cancelled,
        ))
    }

    /// Records (JSON text) of files, folders and WARC files, as `newsx
    /// extract PATH...` gives them.
    #[pyo3(signature = (paths, threads=None))]
    fn extract_files_json(&self, paths: Vec<PathBuf>, threads: Option<usize>) -> Records {
        let inputs = newsx::ingest::inputs(&paths);
        Records::start(&self.inner, inputs, threads, Arc::default(), Arc::default())
    }
}

fn chrono_date(s: &str) -> Result<chrono::NaiveDate, String> {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|e| format!("dct: expected YYYY-MM-DD: {e}"))
}

fn record_json(record: &newsx::record::Record) -> String {
    serde_json::to_string(record).expect("a record serializes")
}

/// The articles of a Python iterable as pipeline inputs: each item is
/// written as one JSON line (`json.dumps`, dates as ISO 8601) and read back
/// by the JSONL parser. An item that cannot be written gives an input that
/// fails with the reason; an exception of the iterable itself ends the
/// input and is raised after the records before it.
struct Articles {
    items: Option<Py<PyIterator>>,
    dumps: Py<PyAny>,
    line_no: usize,
    keys: Arc<KeyMap>,
    failure: Arc<Mutex<Option<PyErr>>>,
    cancelled: Arc<AtomicBool>,
}

impl Articles {
    fn new(articles: &Bound<'_, PyAny>, keys: KeyMap) -> PyResult<Self> {
        let py = articles.py();
        if articles.is_instance_of::<PyDict>() || articles.is_instance_of::<PyString>() {
            return Err(PyTypeError::new_err(
                "extract_many takes an iterable of articles; use extract for one",
            ));
        }
        let items = PyIterator::from_object(articles)?.unbind();
        let convert = py.import("newsx._convert")?;
        Ok(Articles {
            items: Some(items),
            dumps: convert.getattr("article_line")?.unbind(),
            line_no: 0,
            keys: Arc::new(keys),
            failure: Arc::default(),
            cancelled: Arc::default(),
        })
    }

    fn next_line(&mut self, py: Python<'_>) -> Option<Result<Vec<u8>, String>> {
        let mut items = self.items.as_ref()?.bind(py).clone();
        let item = match items.next()? {
            Ok(item) => item,
            Err(e) => {
                *self.failure.lock().unwrap_or_else(|p| p.into_inner()) = Some(e);
                return None;
            }
        };
        let line =
            self.dumps
                .bind(py)
                .call1((item,))
                .and_then(|line| match line.extract::<String>() {
                    Ok(text) => Ok(text.into_bytes()),
                    Err(_) => line.extract::<Vec<u8>>(),
                });
        Some(line.map_err(|e| format!("article cannot be read: {e}")))
    }
}

impl Iterator for Articles {
    type Item = Input;

    fn next(&mut self) -> Option<Input> {
        if self.cancelled.load(Ordering::Relaxed) || self.items.is_none() {
            return None;
        }
        let line = Python::attach(|py| {
            let line = self.next_line(py);
            if line.is_none() {
                // Released while attached, not later on a worker thread.
                self.items = None;
            }
            line
        })?;
        self.line_no += 1;
        Some(Input::Line {
            origin: ORIGIN.to_string(),
            line_no: self.line_no,
            line,
            keys: Arc::clone(&self.keys),
        })
    }
}

/// An iterator over the records of a run, in input order. The run goes on
/// in a thread of its own; a record waits here until Python takes it.
#[pyclass(module = "newsx._native", frozen)]
struct Records {
    records: Mutex<Receiver<String>>,
    /// Why the run stopped early, raised once the records before are taken.
    failure: Arc<Mutex<Option<PyErr>>>,
    /// Tells the reader of a Python iterable to stop when the records are
    /// no longer wanted.
    cancelled: Arc<AtomicBool>,
}

impl Records {
    fn start<I>(
        pipeline: &Arc<newsx::Pipeline>,
        inputs: I,
        threads: Option<usize>,
        failure: Arc<Mutex<Option<PyErr>>>,
        cancelled: Arc<AtomicBool>,
    ) -> Self
    where
        I: Iterator<Item = Input> + Send + 'static,
    {
        let threads = threads
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
            .clamp(1, MAX_THREADS);
        let (tx, rx) = sync_channel(threads * QUEUED_PER_THREAD);
        let pipeline = Arc::clone(pipeline);
        let run_failure = Arc::clone(&failure);
        std::thread::spawn(move || {
            let sent = newsx::run(&pipeline, inputs, threads, |record| {
                tx.send(record_json(&record))
                    .map_err(|_| std::io::Error::other("records no longer wanted"))
            });
            if let Err(e) = sent {
                let mut slot = run_failure.lock().unwrap_or_else(|p| p.into_inner());
                slot.get_or_insert_with(|| PyRuntimeError::new_err(format!("newsx run: {e}")));
            }
        });
        Records {
            records: Mutex::new(rx),
            failure,
            cancelled,
        }
    }
}

#[pymethods]
impl Records {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__(&self, py: Python<'_>) -> PyResult<Option<String>> {
        let next = py.detach(|| {
            let records = self.records.lock().unwrap_or_else(|p| p.into_inner());
            records.recv().ok()
        });
        if next.is_some() {
            return Ok(next);
        }
        let failure = self
            .failure
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take();
        match failure {
            Some(e) => Err(e),
            None => Ok(None),
        }
    }
}

impl Drop for Records {
    fn drop(&mut self) {
        self.cancelled.store(true, Ordering::Relaxed);
    }
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Pipeline>()?;
    m.add_class::<Records>()?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
