//! Ingest: paths and stdin → a stream of [`RawDoc`]s, decoded to UTF-8.
//!
//! Takes file and directory paths (`-` is JSONL on stdin). Directories are
//! walked recursively in sorted order; inside them only article files are
//! read (.txt .text .md .html .htm .jsonl, each optionally .gz), and
//! README/LICENSE files and hidden entries are skipped. A path named
//! explicitly is always read, its format sniffed when the extension says
//! nothing. A JSONL file yields one document per non-empty line.
//!
//! Gives one [`RawDoc`] per input document, in input order. A failure
//! (unreadable file, binary content, malformed JSON line, oversized input)
//! does not stop the stream: it yields a `RawDoc` with an error and no body.
//! Decoding handles UTF-8 (with or without BOM), UTF-16 with BOM, the HTML
//! `<meta charset>`, and otherwise a detected legacy encoding, with a warning.

use crate::record::{Format, Problem, Source, Stage};
use encoding_rs::Encoding;
use flate2::read::MultiGzDecoder;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Documents larger than this are refused with an error, so that one huge
/// input cannot exhaust memory.
pub const MAX_DOC_BYTES: usize = 64 << 20;

/// One input document before cleaning.
#[derive(Clone, Debug)]
pub struct RawDoc {
    pub id: String,
    pub source: Source,
    pub body: Body,
    pub meta: InputMeta,
    pub errors: Vec<Problem>,
    pub warnings: Vec<Problem>,
}

/// The decoded content of a document.
#[derive(Clone, Debug, PartialEq)]
pub enum Body {
    Text(String),
    Html(String),
    /// Nothing could be read; the document's errors say why.
    Missing,
}

/// Metadata supplied by the input itself (JSONL fields).
#[derive(Clone, Debug, Default)]
pub struct InputMeta {
    pub published: Option<String>,
    pub title: Option<String>,
    /// When a crawler captured the document (WARC-Date): a last-resort
    /// publication date.
    pub crawled: Option<String>,
    /// Fields newsx does not read, passed through to the record's `meta`.
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// Which JSONL field holds what. The defaults are newsx's own names; other
/// tools' dumps map theirs (news-please: `--text-key maintext --date-key
/// date_publish`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyMap {
    pub id: String,
    pub text: String,
    pub html: String,
    pub date: String,
    pub url: String,
    pub title: String,
}

impl Default for KeyMap {
    fn default() -> Self {
        KeyMap {
            id: "id".into(),
            text: "text".into(),
            html: "html".into(),
            date: "published".into(),
            url: "url".into(),
            title: "title".into(),
        }
    }
}

/// A unit of work for the parallel stage: cheap to produce sequentially,
/// loaded (read, decompressed, decoded) by [`load`] on a worker thread.
#[derive(Debug)]
pub enum Input {
    File(PathBuf),
    Line {
        origin: String,
        line_no: usize,
        line: Result<Vec<u8>, String>,
        keys: Arc<KeyMap>,
    },
    /// One HTTP response record of a WARC file.
    Warc(crate::warc::WarcResponse),
    Failed {
        path: String,
        message: String,
    },
}

/// Article-file kinds recognised by extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Text,
    Html,
    Jsonl,
    Warc,
}

fn kind_of(path: &Path) -> Option<Kind> {
    let name = path.file_name()?.to_str()?.to_ascii_lowercase();
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    let ext = name.rsplit_once('.')?.1;
    match ext {
        "txt" | "text" | "md" => Some(Kind::Text),
        "html" | "htm" | "xhtml" => Some(Kind::Html),
        "jsonl" | "ndjson" => Some(Kind::Jsonl),
        "warc" => Some(Kind::Warc),
        _ => None,
    }
}

fn is_skipped_in_walk(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    let upper = name.to_ascii_uppercase();
    name.starts_with('.') || upper.starts_with("README") || upper.starts_with("LICENSE")
}

/// The input stream for the given paths, in order, with JSONL read by
/// newsx's own field names.
pub fn inputs(paths: &[PathBuf]) -> impl Iterator<Item = Input> + '_ {
    inputs_with_keys(paths, &KeyMap::default())
}

/// The input stream for the given paths, in order, JSONL fields read as `keys` says.
pub fn inputs_with_keys<'a>(
    paths: &'a [PathBuf],
    keys: &KeyMap,
) -> impl Iterator<Item = Input> + 'a {
    let keys = Arc::new(keys.clone());
    paths.iter().flat_map(move |p| expand(p, &keys))
}

fn expand(path: &Path, keys: &Arc<KeyMap>) -> Box<dyn Iterator<Item = Input>> {
    if path.as_os_str() == "-" {
        let reader: Box<dyn BufRead> = Box::new(BufReader::new(io::stdin()));
        return Box::new(JsonlLines::new("-".into(), reader, keys.clone()));
    }
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_dir() => match walk(path) {
            Ok(paths) => {
                let keys = keys.clone();
                Box::new(paths.into_iter().flat_map(move |p| expand(&p, &keys)))
            }
            Err(e) => Box::new(std::iter::once(failed(path, &e))),
        },
        Ok(_) if kind_of(path) == Some(Kind::Jsonl) => match open_maybe_gz(path) {
            Ok(reader) => Box::new(JsonlLines::new(
                path.display().to_string(),
                reader,
                keys.clone(),
            )),
            Err(e) => Box::new(std::iter::once(failed(path, &e))),
        },
        Ok(_) if kind_of(path) == Some(Kind::Warc) => match open_maybe_gz(path) {
            Ok(reader) => Box::new(crate::warc::responses(path.display().to_string(), reader)),
            Err(e) => Box::new(std::iter::once(failed(path, &e))),
        },
        Ok(_) => Box::new(std::iter::once(Input::File(path.to_path_buf()))),
        Err(e) => Box::new(std::iter::once(failed(path, &e))),
    }
}

fn failed(path: &Path, e: &io::Error) -> Input {
    Input::Failed {
        path: path.display().to_string(),
        message: format!("cannot read {}: {e}", path.display()),
    }
}

/// Article files and subdirectories below `dir`, sorted by name, recursively.
fn walk(dir: &Path) -> io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    paths.sort();
    for path in paths {
        if is_skipped_in_walk(&path) {
            continue;
        }
        if path.is_dir() || kind_of(&path).is_some() {
            out.push(path);
        }
    }
    Ok(out)
}

pub(crate) fn open_maybe_gz(path: &Path) -> io::Result<Box<dyn BufRead>> {
    let mut file = BufReader::new(File::open(path)?);
    let is_gz = file.fill_buf()?.starts_with(&[0x1f, 0x8b]);
    Ok(if is_gz {
        Box::new(BufReader::new(MultiGzDecoder::new(file)))
    } else {
        Box::new(file)
    })
}

/// Streams the lines of a JSONL source, each bounded by [`MAX_DOC_BYTES`].
struct JsonlLines {
    origin: String,
    reader: Box<dyn BufRead>,
    line_no: usize,
    done: bool,
    keys: Arc<KeyMap>,
}

impl JsonlLines {
    fn new(origin: String, reader: Box<dyn BufRead>, keys: Arc<KeyMap>) -> Self {
        JsonlLines {
            origin,
            reader,
            line_no: 0,
            done: false,
            keys,
        }
    }

    fn next_line(&mut self) -> Option<Result<Vec<u8>, String>> {
        let mut buf = Vec::new();
        let limit = MAX_DOC_BYTES as u64 + 1;
        match (&mut self.reader).take(limit).read_until(b'\n', &mut buf) {
            Ok(0) => None,
            Ok(_) if buf.len() as u64 >= limit && !buf.ends_with(b"\n") => {
                let _ = skip_line(&mut self.reader);
                Some(Err(format!("line longer than {MAX_DOC_BYTES} bytes")))
            }
            Ok(_) => Some(Ok(buf)),
            Err(e) => {
                self.done = true;
                Some(Err(format!("read error: {e}")))
            }
        }
    }
}

fn skip_line(reader: &mut dyn BufRead) -> io::Result<()> {
    loop {
        let buf = reader.fill_buf()?;
        if buf.is_empty() {
            return Ok(());
        }
        if let Some(i) = memchr::memchr(b'\n', buf) {
            reader.consume(i + 1);
            return Ok(());
        }
        let n = buf.len();
        reader.consume(n);
    }
}

impl Iterator for JsonlLines {
    type Item = Input;

    fn next(&mut self) -> Option<Input> {
        while !self.done {
            let line = self.next_line()?;
            self.line_no += 1;
            if matches!(&line, Ok(b) if b.iter().all(u8::is_ascii_whitespace)) {
                continue;
            }
            return Some(Input::Line {
                origin: self.origin.clone(),
                line_no: self.line_no,
                line,
                keys: self.keys.clone(),
            });
        }
        None
    }
}

/// Reads and decodes one input into a document. Never fails: problems are
/// recorded in the document.
pub fn load(input: Input) -> RawDoc {
    match input {
        Input::File(path) => load_file(&path),
        Input::Line {
            origin,
            line_no,
            line,
            keys,
        } => load_line(&origin, line_no, line, &keys),
        Input::Warc(response) => crate::warc::load(response),
        Input::Failed { path, message } => {
            let mut doc = RawDoc::empty(path.clone(), path, Format::Text);
            doc.errors.push(Problem::new(Stage::Ingest, message));
            doc
        }
    }
}

impl RawDoc {
    pub(crate) fn empty(id: String, path: String, format: Format) -> Self {
        RawDoc {
            id,
            source: Source {
                path,
                format,
                url: None,
            },
            body: Body::Missing,
            meta: InputMeta::default(),
            errors: Vec::new(),
            warnings: Vec::new(),
        }
    }

    pub(crate) fn fail(&mut self, message: String) {
        self.errors.push(Problem::new(Stage::Ingest, message));
    }
}

fn load_file(path: &Path) -> RawDoc {
    let name = path.display().to_string();
    let declared = kind_of(path);
    let format = if declared == Some(Kind::Html) {
        Format::Html
    } else {
        Format::Text
    };
    let mut doc = RawDoc::empty(name.clone(), name, format);
    let bytes = match read_bounded(path) {
        Ok(b) => b,
        Err(message) => {
            doc.fail(message);
            return doc;
        }
    };
    let is_html = match declared {
        Some(Kind::Html) => true,
        Some(_) => false,
        None => sniff_html(&bytes),
    };
    if is_html {
        doc.source.format = Format::Html;
    }
    set_body(&mut doc, &bytes, is_html);
    doc
}

/// Decodes `bytes` into the document's body, recording a decoding warning or error.
pub(crate) fn set_body(doc: &mut RawDoc, bytes: &[u8], is_html: bool) {
    match decode(bytes, is_html) {
        Ok((text, warning)) => {
            doc.warnings
                .extend(warning.map(|w| Problem::new(Stage::Ingest, w)));
            doc.body = if is_html {
                Body::Html(text)
            } else {
                Body::Text(text)
            };
        }
        Err(message) => doc.fail(message),
    }
}

/// Reads a file (gunzipping when it starts with the gzip magic), refusing
/// anything larger than [`MAX_DOC_BYTES`] after decompression.
fn read_bounded(path: &Path) -> Result<Vec<u8>, String> {
    let reader = open_maybe_gz(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let mut bytes = Vec::new();
    reader
        .take(MAX_DOC_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    if bytes.len() > MAX_DOC_BYTES {
        return Err(format!(
            "{} is larger than {MAX_DOC_BYTES} bytes",
            path.display()
        ));
    }
    Ok(bytes)
}

/// True when the first kilobyte looks like markup.
pub(crate) fn sniff_html(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(1024)];
    let head = String::from_utf8_lossy(head).to_ascii_lowercase();
    let start = head.trim_start_matches('\u{feff}').trim_start();
    start.starts_with("<!doctype html")
        || start.starts_with("<html")
        || (start.starts_with('<')
            && (head.contains("<body") || head.contains("<head") || head.contains("<p>")))
}

/// Decodes bytes to UTF-8. Gives the text and, for a legacy encoding, a
/// warning naming it; binary content (NUL bytes outside UTF-16) is an error.
pub fn decode(bytes: &[u8], is_html: bool) -> Result<(String, Option<String>), String> {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let (text, had_errors) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        let warning =
            (enc != encoding_rs::UTF_8 || had_errors).then(|| decode_warning(enc, had_errors));
        return Ok((text.into_owned(), warning));
    }
    if memchr::memchr(0, bytes).is_some() {
        return Err("binary content (NUL bytes); not a text or HTML document".to_string());
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok((text.to_string(), None));
    }
    let enc = is_html
        .then(|| meta_charset(bytes))
        .flatten()
        .filter(|e| *e != encoding_rs::UTF_8)
        .unwrap_or_else(|| detect(bytes));
    let (text, _, had_errors) = enc.decode(bytes);
    Ok((text.into_owned(), Some(decode_warning(enc, had_errors))))
}

fn decode_warning(enc: &'static Encoding, had_errors: bool) -> String {
    let mut w = format!("not UTF-8; decoded as {}", enc.name());
    if had_errors {
        w.push_str(" with replacement characters for invalid bytes");
    }
    w
}

fn detect(bytes: &[u8]) -> &'static Encoding {
    let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    det.feed(bytes, true);
    det.guess(None, chardetng::Utf8Detection::Deny)
}

/// The encoding named by `<meta charset=...>` in the first 2 KiB, if any.
fn meta_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(2048)]).to_ascii_lowercase();
    let at = head.find("charset=")? + "charset=".len();
    let label: String = head[at..]
        .trim_start_matches(['"', '\''])
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.'))
        .collect();
    Encoding::for_label(label.as_bytes())
}

/// One JSONL article: `{"id", "text" | "html", "url"?, "published"?,
/// "title"?}` under the names `keys` gives; every other field goes to
/// `meta.extra`.
fn load_line(origin: &str, line_no: usize, line: Result<Vec<u8>, String>, keys: &KeyMap) -> RawDoc {
    let fallback_id = format!("{origin}:{line_no}");
    let mut doc = RawDoc::empty(fallback_id.clone(), origin.to_string(), Format::Jsonl);
    let bytes = match line {
        Ok(b) => b,
        Err(message) => {
            doc.fail(format!("line {line_no}: {message}"));
            return doc;
        }
    };
    let parsed = std::str::from_utf8(&bytes)
        .map_err(|e| format!("line {line_no}: not UTF-8: {e}"))
        .and_then(|s| {
            serde_json::from_str::<serde_json::Map<String, serde_json::Value>>(
                s.trim_start_matches('\u{feff}'),
            )
            .map_err(|e| format!("line {line_no}: malformed JSON: {e}"))
        });
    let mut fields = match parsed {
        Ok(a) => a,
        Err(message) => {
            doc.fail(message);
            return doc;
        }
    };
    // Read, not taken: the id key may also be the URL key.
    doc.id = match fields.get(&keys.id) {
        Some(serde_json::Value::String(s)) if !s.is_empty() => s.clone(),
        Some(serde_json::Value::Number(n)) => n.to_string(),
        _ => fallback_id,
    };
    let mut take_string = |key: &str, doc: &mut RawDoc| match fields.remove(key) {
        None | Some(serde_json::Value::Null) => None,
        Some(serde_json::Value::String(s)) => Some(s),
        Some(other) => {
            doc.warnings.push(Problem::new(
                Stage::Ingest,
                format!("line {line_no}: field \"{key}\" is not a string ({other}); ignored"),
            ));
            None
        }
    };
    doc.source.url = take_string(&keys.url, &mut doc);
    let published = take_string(&keys.date, &mut doc);
    let title = take_string(&keys.title, &mut doc);
    let text = take_string(&keys.text, &mut doc);
    let html = take_string(&keys.html, &mut doc);
    fields.remove(&keys.id);
    doc.body = match (text, html) {
        (Some(text), _) => Body::Text(text),
        (None, Some(html)) => Body::Html(html),
        (None, None) => {
            doc.fail(format!(
                "line {line_no}: neither \"{}\" nor \"{}\" given",
                keys.text, keys.html
            ));
            Body::Missing
        }
    };
    doc.meta = InputMeta {
        published,
        title,
        extra: fields,
        ..InputMeta::default()
    };
    doc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_utf8_bom_latin1_and_rejects_binary() {
        assert_eq!(
            decode(b"\xEF\xBB\xBFhi", false).unwrap(),
            ("hi".to_string(), None)
        );
        let (text, warning) = decode(b"caf\xe9 cr\xe8me br\xfbl\xe9e", false).unwrap();
        assert_eq!(text, "café crème brûlée");
        assert!(warning.unwrap().contains("windows-1252"));
        assert!(decode(b"\x00\x01\x02abc", false).is_err());
        let (text, _) = decode(b"\xFF\xFEh\x00i\x00", false).unwrap();
        assert_eq!(text, "hi");
    }

    #[test]
    fn html_meta_charset_wins_over_detection() {
        let html = b"<html><head><meta charset=\"iso-8859-15\"></head><body>\xa4</body></html>";
        let (text, warning) = decode(html, true).unwrap();
        assert!(text.contains('€'), "{text}");
        assert!(warning.unwrap().contains("ISO-8859-15"));
    }

    #[test]
    fn jsonl_lines_become_documents_and_bad_lines_errors() {
        let data = "{\"id\":\"a\",\"text\":\"Hello.\"}\n\nnot json\n{\"id\":7,\"html\":\"<p>x</p>\",\"published\":\"2021-01-14\"}\n{\"id\":\"b\"}\n";
        let lines = JsonlLines::new(
            "mem".into(),
            Box::new(io::Cursor::new(data.as_bytes().to_vec())),
            Arc::default(),
        );
        let docs: Vec<RawDoc> = lines.map(load).collect();
        let ids: Vec<&str> = docs.iter().map(|d| d.id.as_str()).collect();
        assert_eq!(ids, ["a", "mem:3", "7", "b"]);
        assert_eq!(docs[0].body, Body::Text("Hello.".into()));
        assert!(docs[1].errors[0].message.contains("line 3: malformed JSON"));
        assert_eq!(docs[2].body, Body::Html("<p>x</p>".into()));
        assert_eq!(docs[2].meta.published.as_deref(), Some("2021-01-14"));
        assert!(docs[3].errors[0].message.contains("neither"));
    }

    #[test]
    fn walk_is_sorted_and_skips_readme_and_unknown_files() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["b.txt", "a.html", "README.md", "notes.pdf", ".hidden.txt"] {
            std::fs::write(dir.path().join(name), "x").unwrap();
        }
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        std::fs::write(dir.path().join("sub/c.md"), "x").unwrap();
        let got: Vec<String> = inputs(&[dir.path().to_path_buf()])
            .map(|i| match i {
                Input::File(p) => p.strip_prefix(dir.path()).unwrap().display().to_string(),
                other => panic!("unexpected {other:?}"),
            })
            .collect();
        assert_eq!(got, ["a.html", "b.txt", "sub/c.md"]);
    }

    #[test]
    fn missing_path_is_one_failed_document() {
        let docs: Vec<RawDoc> = inputs(&[PathBuf::from("/no/such/file.txt")])
            .map(load)
            .collect();
        assert_eq!(docs.len(), 1);
        assert!(docs[0].errors[0].message.contains("cannot read"));
    }
}
