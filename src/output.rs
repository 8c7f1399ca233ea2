//! Output: records → JSON Lines and one event per line. (CSV and the other
//! analyst tables are in `tables`; the cross-article timeline in `timeline`.)
//!
//! Takes finished [`Record`]s in input order; gives bytes on a writer, or
//! through one [`Sink`] to stdout, one file (replaced atomically) or one
//! file per input path.

use crate::record::{Event, Modality, Polarity, Record};
pub use crate::timeline::{Timeline, TimelineEntry, TimelineSource};
use serde::Serialize;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// Writes one record as a JSON line.
pub fn write_record<W: Write + ?Sized>(w: &mut W, record: &Record) -> io::Result<()> {
    write_json_line(w, record)
}

/// Writes `value` as one JSON line, in one write. serde_json emits a value
/// in many small pieces (every key, quote and escaped stretch): into a
/// `Vec` each is a plain copy, where into the sink's `dyn Write` each
/// would be a call through the writer (a record of a long article is
/// thousands of them).
fn write_json_line<W: Write + ?Sized, T: Serialize>(w: &mut W, value: &T) -> io::Result<()> {
    let mut line = serde_json::to_vec(value)?;
    line.push(b'\n');
    w.write_all(&line)
}

/// A file written under a temporary name in its own directory and renamed
/// over `path` only by [`AtomicFile::commit`]: a run that fails or is
/// killed leaves any earlier file at `path` intact and never a torn one.
/// The temporary name is hidden (starts with a dot), so walks skip it.
pub struct AtomicFile {
    path: PathBuf,
    /// `None` for a device or pipe, written in place.
    temp: Option<PathBuf>,
    file: Option<BufWriter<File>>,
}

impl AtomicFile {
    pub fn create(path: &Path) -> io::Result<Self> {
        // A device or a pipe ("-o /dev/null", a named pipe) is written in
        // place: renaming a file over it would replace it for every program.
        if std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir()) {
            let file = std::fs::OpenOptions::new().write(true).open(path)?;
            return Ok(AtomicFile {
                path: path.to_path_buf(),
                temp: None,
                file: Some(BufWriter::new(file)),
            });
        }
        let name = path.file_name().ok_or_else(|| {
            io::Error::new(io::ErrorKind::InvalidInput, "output path has no file name")
        })?;
        let mut temp_name = std::ffi::OsString::from(".");
        temp_name.push(name);
        temp_name.push(format!(".newsx-{}.tmp", std::process::id()));
        let temp = path.with_file_name(temp_name);
        let file = File::create(&temp)?;
        Ok(AtomicFile {
            path: path.to_path_buf(),
            temp: Some(temp),
            file: Some(BufWriter::new(file)),
        })
    }

    /// Flushes, syncs and renames the file into place.
    pub fn commit(mut self) -> io::Result<()> {
        let file = match self.file.take() {
            Some(file) => file.into_inner().map_err(|e| e.into_error())?,
            None => return Ok(()),
        };
        match &self.temp {
            Some(temp) => {
                file.sync_all()?;
                std::fs::rename(temp, &self.path)
            }
            None => Ok(()),
        }
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.file.as_mut().map_or(Ok(0), |f| f.write(buf))
    }
    fn flush(&mut self) -> io::Result<()> {
        self.file.as_mut().map_or(Ok(()), |f| f.flush())
    }
}

impl Drop for AtomicFile {
    /// A file dropped without commit is removed, with its partial content.
    fn drop(&mut self) {
        if let (Some(_), Some(temp)) = (self.file.take(), &self.temp) {
            let _ = std::fs::remove_file(temp);
        }
    }
}

/// What is written for each record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RecordFormat {
    /// The whole record as one JSON line.
    Records,
    /// One JSON line per event.
    EventLines,
    /// Rows of an analyst table (events, quotes, entities; CSV or JSONL).
    Table(crate::tables::TableFormat),
}

impl RecordFormat {
    /// The file extension of the format, for `--output-dir`.
    fn extension(self) -> &'static str {
        match self {
            RecordFormat::Table(table) => table.extension(),
            _ => "jsonl",
        }
    }

    fn begin(self, w: &mut dyn Write) -> io::Result<()> {
        match self {
            RecordFormat::Table(table) => table.begin(w),
            _ => Ok(()),
        }
    }

    fn write(self, w: &mut dyn Write, record: &Record) -> io::Result<()> {
        match self {
            RecordFormat::Records => write_record(w, record),
            RecordFormat::EventLines => write_event_lines(w, record),
            RecordFormat::Table(table) => table.write(w, record),
        }
    }
}

/// Where records are written.
#[derive(Clone, Debug)]
pub enum Destination {
    Stdout,
    /// One file, replaced atomically at the end of the run.
    File(PathBuf),
    /// One file per input path, mirroring it below the directory (see
    /// [`mirror_path`]), each replaced atomically once all its records are in.
    Dir(PathBuf),
}

/// The one place records are written, in any [`RecordFormat`], to any
/// [`Destination`]. Records arrive in input order, so the records of one
/// input path are consecutive.
pub struct Sink {
    format: RecordFormat,
    line_buffered: bool,
    target: Target,
}

enum Target {
    Stdout(BufWriter<io::Stdout>),
    File(AtomicFile),
    Dir {
        root: PathBuf,
        current: Option<(String, AtomicFile)>,
    },
}

impl Sink {
    /// Opens the destination. With `line_buffered`, each record is flushed
    /// as soon as it is written.
    pub fn open(format: RecordFormat, to: &Destination, line_buffered: bool) -> io::Result<Self> {
        let mut target = match to {
            Destination::Stdout => Target::Stdout(BufWriter::new(io::stdout())),
            Destination::File(path) => Target::File(AtomicFile::create(path)?),
            Destination::Dir(root) => {
                std::fs::create_dir_all(root)?;
                Target::Dir {
                    root: root.clone(),
                    current: None,
                }
            }
        };
        match &mut target {
            Target::Stdout(w) => format.begin(w)?,
            Target::File(w) => format.begin(w)?,
            Target::Dir { .. } => {}
        }
        Ok(Sink {
            format,
            line_buffered,
            target,
        })
    }

    pub fn write(&mut self, record: &Record) -> io::Result<()> {
        let format = self.format;
        let w: &mut dyn Write = match &mut self.target {
            Target::Stdout(w) => w,
            Target::File(w) => w,
            Target::Dir { root, current } => {
                let same = current
                    .as_ref()
                    .is_some_and(|(p, _)| *p == record.source.path);
                if !same {
                    if let Some((_, done)) = current.take() {
                        done.commit()?;
                    }
                    let path = mirror_path(root, &record.source.path, format.extension());
                    if let Some(parent) = path.parent() {
                        std::fs::create_dir_all(parent)?;
                    }
                    let mut file = AtomicFile::create(&path)?;
                    format.begin(&mut file)?;
                    *current = Some((record.source.path.clone(), file));
                }
                &mut current.as_mut().expect("just opened").1
            }
        };
        format.write(w, record)?;
        if self.line_buffered {
            w.flush()?;
        }
        Ok(())
    }

    /// Flushes everything and puts files in place.
    pub fn finish(self) -> io::Result<()> {
        match self.target {
            Target::Stdout(mut w) => w.flush(),
            Target::File(f) => f.commit(),
            Target::Dir { current, .. } => current.map_or(Ok(()), |(_, f)| f.commit()),
        }
    }
}

/// The output file of an input path below `root`: the path's components
/// with root and `.` dropped and `..` spelled `%2E%2E`, so that nothing is
/// written outside `root`, and `.{extension}` appended. Stdin (`-`) is
/// `stdin.{extension}`.
pub fn mirror_path(root: &Path, source: &str, extension: &str) -> PathBuf {
    use std::path::Component;
    let mut out = root.to_path_buf();
    if source == "-" {
        return out.join(format!("stdin.{extension}"));
    }
    for part in Path::new(source).components() {
        match part {
            Component::Normal(p) => out.push(p),
            Component::ParentDir => out.push("%2E%2E"),
            _ => {}
        }
    }
    let mut name = out.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".{extension}"));
    out.set_file_name(name);
    out
}

/// Whether the output of an input path is already complete below `root`:
/// files appear there only when all their records are written.
pub fn is_done(root: &Path, source: &str, format: RecordFormat) -> bool {
    mirror_path(root, source, format.extension()).is_file()
}

/// An event with the document it came from, for per-event output.
#[derive(Serialize)]
struct EventLine<'a> {
    doc: &'a str,
    published: Option<&'a str>,
    #[serde(flatten)]
    event: &'a Event,
}

/// Writes each event of `record` as its own JSON line.
pub fn write_event_lines<W: Write + ?Sized>(w: &mut W, record: &Record) -> io::Result<()> {
    for event in &record.events {
        let line = EventLine {
            doc: &record.id,
            published: record.published.as_ref().map(|p| p.value.as_str()),
            event,
        };
        write_json_line(w, &line)?;
    }
    Ok(())
}

pub fn polarity_name(p: Polarity) -> &'static str {
    match p {
        Polarity::Positive => "positive",
        Polarity::Negative => "negative",
    }
}

pub fn modality_name(m: Modality) -> &'static str {
    match m {
        Modality::Asserted => "asserted",
        Modality::Proposed => "proposed",
        Modality::Hypothetical => "hypothetical",
        Modality::Reported => "reported",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{Format, Source};

    /// A writer that keeps what it gets and counts the calls.
    #[derive(Default)]
    struct Counting {
        writes: usize,
        bytes: Vec<u8>,
    }

    impl Write for Counting {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.writes += 1;
            self.bytes.extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    /// Through the sink's `dyn Write`, a record is one write of one line:
    /// serde_json's piecewise output stays in memory.
    #[test]
    fn a_record_is_one_write_of_one_json_line() {
        let source = Source {
            path: "news/one.txt".into(),
            format: Format::Text,
            url: None,
        };
        let mut record = Record::empty("one".into(), source);
        record.title = Some("A \"quoted\" title".into());
        record.text = "First line.\nSecond line, with a tab\tand \u{e9}.".into();
        let mut out = Counting::default();
        write_record(&mut out as &mut dyn Write, &record).unwrap();
        assert_eq!(out.writes, 1);
        let line = out.bytes.strip_suffix(b"\n").expect("the line ends");
        assert!(!line.contains(&b'\n'));
        let back: serde_json::Value = serde_json::from_slice(line).unwrap();
        assert_eq!(back, serde_json::to_value(&record).unwrap());
    }
}
