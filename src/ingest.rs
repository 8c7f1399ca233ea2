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
    /// The page's address (JSONL `url`, WARC target URI): dates in its
    /// path back up an HTML page's metadata.
    pub url: Option<String>,
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

impl Input {
    /// The input path as records name it in `source.path` (`-` for stdin).
    pub fn source_name(&self) -> String {
        match self {
            Input::File(path) => display_name(path),
            Input::Line { origin, .. } => origin.clone(),
            Input::Warc(response) => response.origin.clone(),
            Input::Failed { path, .. } => path.clone(),
        }
    }

    /// The bytes this input will take in memory, as far as known before
    /// loading it (a file's size on disk; a JSONL line's length).
    pub fn size_hint_bytes(&self) -> u64 {
        match self {
            Input::File(path) => std::fs::metadata(path).map_or(0, |m| m.len()),
            Input::Line { line: Ok(l), .. } => l.len() as u64,
            Input::Warc(response) => response.payload.len() as u64,
            _ => 0,
        }
    }
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
    let name = path.file_name()?.to_string_lossy().to_ascii_lowercase();
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
    let Some(name) = path.file_name() else {
        return false;
    };
    let name = name.to_string_lossy();
    let upper = name.to_ascii_uppercase();
    name.starts_with('.') || upper.starts_with("README") || upper.starts_with("LICENSE")
}

/// How directories are walked.
#[derive(Clone, Debug, Default)]
pub struct WalkOptions {
    /// Follow symbolic links (loops are detected and skipped).
    pub follow: bool,
    /// When not empty, only files matching one of these globs (relative to
    /// the walked directory) are read, whatever their extension.
    pub globs: Vec<String>,
    /// Files and directories matching one of these globs are skipped.
    pub excludes: Vec<String>,
    /// Paths never read as input (the run's own output files and folders).
    pub own_output: Vec<PathBuf>,
}

/// [`WalkOptions`] compiled once for a run.
#[derive(Clone)]
struct Walker {
    follow: bool,
    globs: Option<globset::GlobSet>,
    excludes: globset::GlobSet,
    own_output: Vec<PathBuf>,
    keys: Arc<KeyMap>,
}

impl Walker {
    fn new(options: &WalkOptions, keys: &KeyMap) -> Result<Self, globset::Error> {
        let set = |patterns: &[String]| {
            let mut builder = globset::GlobSetBuilder::new();
            for p in patterns {
                builder.add(globset::Glob::new(p)?);
            }
            builder.build()
        };
        Ok(Walker {
            follow: options.follow,
            globs: (!options.globs.is_empty())
                .then(|| set(&options.globs))
                .transpose()?,
            excludes: set(&options.excludes)?,
            own_output: options
                .own_output
                .iter()
                .filter_map(|p| canonical(p))
                .collect(),
            keys: Arc::new(keys.clone()),
        })
    }

    /// False for entries (and whole directories) the walk leaves out.
    fn keeps_entry(&self, root: &Path, entry: &walkdir::DirEntry) -> bool {
        let path = entry.path();
        let relative = path.strip_prefix(root).unwrap_or(path);
        if is_skipped_in_walk(path) || self.excludes.is_match(relative) || self.is_own_output(path)
        {
            return false;
        }
        if entry.file_type().is_dir() {
            return true;
        }
        match &self.globs {
            Some(globs) => globs.is_match(relative),
            None => kind_of(path).is_some(),
        }
    }

    fn is_own_output(&self, path: &Path) -> bool {
        !self.own_output.is_empty()
            && path
                .canonicalize()
                .is_ok_and(|c| self.own_output.iter().any(|o| c.starts_with(o)))
    }
}

/// The absolute form of a path that may not exist yet (its parent must).
fn canonical(path: &Path) -> Option<PathBuf> {
    if let Ok(c) = path.canonicalize() {
        return Some(c);
    }
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    Some(parent.canonicalize().ok()?.join(path.file_name()?))
}

/// The input stream for the given paths, in order, with the default walk.
pub fn inputs(paths: &[PathBuf]) -> impl Iterator<Item = Input> + Send + 'static {
    inputs_with(paths.to_vec(), &WalkOptions::default(), &KeyMap::default())
        .expect("no patterns to compile")
}

/// The input stream for the given paths, in order: one [`Input`] per
/// document. Explicitly named paths are always read; inside directories,
/// see [`WalkOptions`]. JSONL fields are read under the names `keys`
/// gives. Fails only on an invalid glob.
pub fn inputs_with(
    paths: Vec<PathBuf>,
    options: &WalkOptions,
    keys: &KeyMap,
) -> Result<impl Iterator<Item = Input> + Send + 'static, globset::Error> {
    let walker = Walker::new(options, keys)?;
    Ok(paths.into_iter().flat_map(move |p| expand(&p, &walker)))
}

fn expand(path: &Path, walker: &Walker) -> Box<dyn Iterator<Item = Input> + Send> {
    if path.as_os_str() == "-" {
        let reader: Box<dyn BufRead + Send> = Box::new(BufReader::new(io::stdin()));
        return Box::new(JsonlLines::new("-".into(), reader, walker.keys.clone()));
    }
    match std::fs::metadata(path) {
        Ok(meta) if meta.is_dir() => Box::new(walk(path, walker)),
        Ok(_) => file_inputs(path, &walker.keys),
        Err(e) => Box::new(std::iter::once(failed(path, &e))),
    }
}

/// The documents of one file: one, one per line of a JSONL file, or one
/// per HTML response of a WARC file.
fn file_inputs(path: &Path, keys: &Arc<KeyMap>) -> Box<dyn Iterator<Item = Input> + Send> {
    let opened = match kind_of(path) {
        Some(Kind::Jsonl) => {
            open_jsonl(path).map(|reader| -> Box<dyn Iterator<Item = Input> + Send> {
                Box::new(JsonlLines::new(display_name(path), reader, keys.clone()))
            })
        }
        Some(Kind::Warc) => {
            open_maybe_gz(path).map(|reader| -> Box<dyn Iterator<Item = Input> + Send> {
                Box::new(crate::warc::responses(display_name(path), reader))
            })
        }
        _ => return Box::new(std::iter::once(Input::File(path.to_path_buf()))),
    };
    opened.unwrap_or_else(|e| Box::new(std::iter::once(failed(path, &e))))
}

fn failed(path: &Path, e: &io::Error) -> Input {
    let name = display_name(path);
    Input::Failed {
        message: format!("cannot read {name}: {e}"),
        path: name,
    }
}

/// A path as text, losslessly: on Unix, bytes that are not UTF-8 are
/// written `\xNN` and a backslash `\\`, so two different paths never
/// share a name. Valid UTF-8 paths without backslashes are unchanged.
pub fn display_name(path: &Path) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let bytes = path.as_os_str().as_bytes();
        if let Ok(s) = std::str::from_utf8(bytes) {
            if !s.contains('\\') {
                return s.to_string();
            }
        }
        let mut out = String::with_capacity(bytes.len());
        for chunk in bytes.utf8_chunks() {
            out.push_str(&chunk.valid().replace('\\', "\\\\"));
            for b in chunk.invalid() {
                out.push_str(&format!("\\x{b:02X}"));
            }
        }
        out
    }
    #[cfg(not(unix))]
    {
        path.display().to_string()
    }
}

/// The article files below `dir`, in sorted order, lazily. Entries that
/// cannot be read become failed inputs; symbolic links (unless followed),
/// symbolic-link loops, and files that are not regular (FIFOs, sockets,
/// devices) are skipped with a warning on stderr, since reading them could
/// read a document twice, block, or never end.
fn walk(dir: &Path, walker: &Walker) -> impl Iterator<Item = Input> + Send + 'static {
    let root = dir.to_path_buf();
    let walker = walker.clone();
    let keys = walker.keys.clone();
    let follow = walker.follow;
    let filter_root = root.clone();
    walkdir::WalkDir::new(&root)
        .follow_links(follow)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(move |e| e.depth() == 0 || walker.keeps_entry(&filter_root, e))
        .filter_map(move |entry| match entry {
            Ok(e) if e.file_type().is_dir() => None,
            Ok(e) if e.file_type().is_file() => Some(file_inputs(e.path(), &keys)),
            Ok(e) if e.path_is_symlink() => {
                eprintln!(
                    "newsx: warning: skipping symbolic link {} (--follow reads it)",
                    display_name(e.path())
                );
                None
            }
            Ok(e) => {
                eprintln!(
                    "newsx: warning: skipping {}: not a regular file",
                    display_name(e.path())
                );
                None
            }
            Err(e) if e.loop_ancestor().is_some() => {
                eprintln!("newsx: warning: skipping a symbolic-link loop: {e}");
                None
            }
            Err(e) => {
                let path = e.path().unwrap_or(&root).to_path_buf();
                let io = e
                    .into_io_error()
                    .unwrap_or_else(|| io::Error::other("walk error"));
                Some(Box::new(std::iter::once(failed(&path, &io))))
            }
        })
        .flatten()
}

pub(crate) fn open_maybe_gz(path: &Path) -> io::Result<Box<dyn BufRead + Send>> {
    let mut file = BufReader::new(File::open(path)?);
    let is_gz = file.fill_buf()?.starts_with(&[0x1f, 0x8b]);
    Ok(if is_gz {
        Box::new(BufReader::new(MultiGzDecoder::new(file)))
    } else {
        Box::new(file)
    })
}

/// Opens a JSONL file, gunzipped if need be, and transcoded to UTF-8 when
/// it is UTF-16 or UTF-32 (told by a byte-order mark, or by the NUL bytes
/// around the opening `{` of the first line).
fn open_jsonl(path: &Path) -> io::Result<Box<dyn BufRead + Send>> {
    let mut reader = open_maybe_gz(path)?;
    let Some((wide, bom)) = sniff_wide(reader.fill_buf()?) else {
        return Ok(reader);
    };
    reader.consume(bom);
    Ok(Box::new(BufReader::new(WideReader::new(reader, wide))))
}

/// Unicode encodings with units wider than a byte.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Wide {
    Utf16Le,
    Utf16Be,
    Utf32Le,
    Utf32Be,
}

/// The wide encoding of a text's first bytes and the length of its BOM.
fn sniff_wide(head: &[u8]) -> Option<(Wide, usize)> {
    match head {
        [0xFF, 0xFE, 0, 0, ..] => Some((Wide::Utf32Le, 4)),
        [0, 0, 0xFE, 0xFF, ..] => Some((Wide::Utf32Be, 4)),
        [0xFF, 0xFE, ..] => Some((Wide::Utf16Le, 2)),
        [0xFE, 0xFF, ..] => Some((Wide::Utf16Be, 2)),
        [b, 0, 0, 0, ..] if *b != 0 => Some((Wide::Utf32Le, 0)),
        [0, 0, 0, b, ..] if *b != 0 => Some((Wide::Utf32Be, 0)),
        [b, 0, ..] if *b != 0 => Some((Wide::Utf16Le, 0)),
        [0, b, ..] if *b != 0 => Some((Wide::Utf16Be, 0)),
        _ => None,
    }
}

/// Decodes UTF-32 (no BOM) to UTF-8; invalid units become U+FFFD.
fn decode_utf32(bytes: &[u8], big_endian: bool, out: &mut String) {
    for unit in bytes.chunks(4) {
        let c = <[u8; 4]>::try_from(unit)
            .ok()
            .map(|b| {
                if big_endian {
                    u32::from_be_bytes(b)
                } else {
                    u32::from_le_bytes(b)
                }
            })
            .and_then(char::from_u32)
            .unwrap_or(char::REPLACEMENT_CHARACTER);
        out.push(c);
    }
}

/// A reader of UTF-16 or UTF-32 bytes giving UTF-8, chunk by chunk.
struct WideReader {
    inner: Box<dyn BufRead + Send>,
    wide: Wide,
    utf16: Option<encoding_rs::Decoder>,
    /// UTF-32 bytes of an incomplete unit.
    pending: Vec<u8>,
    out: String,
    pos: usize,
    eof: bool,
}

impl WideReader {
    fn new(inner: Box<dyn BufRead + Send>, wide: Wide) -> Self {
        let utf16 = match wide {
            Wide::Utf16Le => Some(encoding_rs::UTF_16LE.new_decoder_without_bom_handling()),
            Wide::Utf16Be => Some(encoding_rs::UTF_16BE.new_decoder_without_bom_handling()),
            _ => None,
        };
        WideReader {
            inner,
            wide,
            utf16,
            pending: Vec::new(),
            out: String::new(),
            pos: 0,
            eof: false,
        }
    }

    fn refill(&mut self) -> io::Result<()> {
        self.out.clear();
        self.pos = 0;
        let chunk = self.inner.fill_buf()?;
        let last = chunk.is_empty();
        let read = chunk.len();
        let mut used = read;
        if let Some(decoder) = &mut self.utf16 {
            let room = decoder
                .max_utf8_buffer_length(read)
                .unwrap_or(read * 3 + 16);
            self.out.reserve(room);
            (_, used, _) = decoder.decode_to_string(chunk, &mut self.out, last);
        } else {
            self.pending.extend_from_slice(chunk);
            let whole = if last {
                self.pending.len()
            } else {
                self.pending.len() / 4 * 4
            };
            decode_utf32(
                &self.pending[..whole],
                self.wide == Wide::Utf32Be,
                &mut self.out,
            );
            self.pending.drain(..whole);
        }
        self.inner.consume(used);
        self.eof = last;
        Ok(())
    }
}

impl Read for WideReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.pos == self.out.len() {
            if self.eof {
                return Ok(0);
            }
            self.refill()?;
        }
        let rest = &self.out.as_bytes()[self.pos..];
        let n = rest.len().min(buf.len());
        buf[..n].copy_from_slice(&rest[..n]);
        self.pos += n;
        Ok(n)
    }
}

/// Streams the lines of a JSONL source, each bounded by [`MAX_DOC_BYTES`].
struct JsonlLines {
    origin: String,
    reader: Box<dyn BufRead + Send>,
    line_no: usize,
    done: bool,
    keys: Arc<KeyMap>,
}

impl JsonlLines {
    fn new(origin: String, reader: Box<dyn BufRead + Send>, keys: Arc<KeyMap>) -> Self {
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
    let name = display_name(path);
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
    let too_large = || format!("{} is larger than {MAX_DOC_BYTES} bytes", path.display());
    let reader = open_maybe_gz(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let mut bytes = Vec::new();
    reader
        .take(MAX_DOC_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    if bytes.len() > MAX_DOC_BYTES {
        return Err(too_large());
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
    if let Some((wide @ (Wide::Utf32Le | Wide::Utf32Be), 4)) = sniff_wide(bytes) {
        let mut text = String::with_capacity(bytes.len() / 4);
        decode_utf32(&bytes[4..], wide == Wide::Utf32Be, &mut text);
        return Ok((text, Some("not UTF-8; decoded as UTF-32".to_string())));
    }
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
        if let Some(repaired) = undo_double_encoding(text) {
            return Ok((repaired, Some(DOUBLE_ENCODED.to_string())));
        }
        return Ok((text.to_string(), None));
    }
    let declared = is_html
        .then(|| meta_charset(bytes))
        .flatten()
        .filter(|e| *e != encoding_rs::UTF_8);
    if declared.is_none() {
        if let Some(mixed) = decode_mostly_utf8(bytes) {
            return Ok(mixed);
        }
    }
    let enc = declared.unwrap_or_else(|| detect(bytes));
    let (text, _, had_errors) = enc.decode(bytes);
    Ok((text.into_owned(), Some(decode_warning(enc, had_errors))))
}

const DOUBLE_ENCODED: &str =
    "UTF-8 encoded twice (its bytes read as Latin-1 or Windows-1252 and encoded again); decoded once more";

/// The text once more decoded when it is UTF-8 encoded twice ("itâ\u{80}\u{99}s"
/// or "itâ€™s" for "it’s"): every non-ASCII character maps back to one
/// byte (Latin-1, or Windows-1252 for its 0x80-0x9F letters) and those
/// bytes form valid UTF-8 with at least one multi-byte character. Real
/// text in Latin-1 letters almost never passes (a lone "é" is not valid
/// UTF-8), so nothing else is touched. Linear; allocates only on a repair.
fn undo_double_encoding(text: &str) -> Option<String> {
    let mut pending = 0u8;
    let mut multibyte = false;
    for c in text.chars() {
        let b = single_byte(c)?;
        if pending > 0 {
            if b & 0xC0 != 0x80 {
                return None;
            }
            pending -= 1;
            continue;
        }
        pending = match b {
            0x00..=0x7F => 0,
            0xC2..=0xDF => 1,
            0xE0..=0xEF => 2,
            0xF0..=0xF4 => 3,
            _ => return None,
        };
        multibyte |= pending > 0;
    }
    if pending > 0 || !multibyte {
        return None;
    }
    let bytes: Vec<u8> = text.chars().filter_map(single_byte).collect();
    String::from_utf8(bytes).ok()
}

/// The byte a character stands for when UTF-8 bytes were read as
/// Latin-1 or Windows-1252.
fn single_byte(c: char) -> Option<u8> {
    if let Ok(b) = u8::try_from(u32::from(c)) {
        return Some(b);
    }
    const CP1252_HIGH: [(char, u8); 27] = [
        ('€', 0x80),
        ('‚', 0x82),
        ('ƒ', 0x83),
        ('„', 0x84),
        ('…', 0x85),
        ('†', 0x86),
        ('‡', 0x87),
        ('ˆ', 0x88),
        ('‰', 0x89),
        ('Š', 0x8A),
        ('‹', 0x8B),
        ('Œ', 0x8C),
        ('Ž', 0x8E),
        ('‘', 0x91),
        ('’', 0x92),
        ('“', 0x93),
        ('”', 0x94),
        ('•', 0x95),
        ('–', 0x96),
        ('—', 0x97),
        ('˜', 0x98),
        ('™', 0x99),
        ('š', 0x9A),
        ('›', 0x9B),
        ('œ', 0x9C),
        ('ž', 0x9E),
        ('Ÿ', 0x9F),
    ];
    CP1252_HIGH.iter().find(|(ch, _)| *ch == c).map(|&(_, b)| b)
}

/// UTF-8 with stray single-byte characters (a Latin-1 "£" pasted into a
/// UTF-8 file, files of two encodings joined): when the valid multi-byte
/// UTF-8 characters outnumber the invalid runs, the text is UTF-8 and only
/// each invalid run is read as Windows-1252. A detector run over the whole
/// document would otherwise pick one legacy encoding for all of it and turn
/// every UTF-8 character into mojibake. Real legacy text almost never holds
/// valid multi-byte sequences (a lone "é" is not one), so it is left to
/// detection. Linear; runs only on bytes that are not valid UTF-8.
fn decode_mostly_utf8(bytes: &[u8]) -> Option<(String, Option<String>)> {
    let (mut multibyte, mut invalid_runs) = (0usize, 0usize);
    for chunk in bytes.utf8_chunks() {
        multibyte += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        invalid_runs += usize::from(!chunk.invalid().is_empty());
    }
    if multibyte <= invalid_runs {
        return None;
    }
    let mut text = String::with_capacity(bytes.len() + 2 * invalid_runs);
    let mut invalid_bytes = 0usize;
    for chunk in bytes.utf8_chunks() {
        text.push_str(chunk.valid());
        let invalid = chunk.invalid();
        invalid_bytes += invalid.len();
        text.push_str(
            &encoding_rs::WINDOWS_1252
                .decode_without_bom_handling(invalid)
                .0,
        );
    }
    let warning =
        format!("mostly UTF-8; {invalid_bytes} invalid byte(s) decoded as windows-1252 characters");
    Some((text, Some(warning)))
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

/// The fields of one JSONL object.
type JsonFields = serde_json::Map<String, serde_json::Value>;

/// Parses one JSONL article. A lone UTF-16 surrogate escape (`"\ud800"`,
/// which JSON writers produce from truncated UTF-16 text) is not fatal: it
/// becomes U+FFFD, with a warning.
fn parse_article(
    line: &str,
    line_no: usize,
    warnings: &mut Vec<Problem>,
) -> Result<JsonFields, String> {
    let error = match serde_json::from_str::<JsonFields>(line) {
        Ok(article) => return Ok(article),
        Err(e) => e,
    };
    let malformed = || format!("line {line_no}: malformed JSON: {error}");
    let Some((repaired, count)) = repair_surrogates(line) else {
        return Err(malformed());
    };
    let article = serde_json::from_str::<JsonFields>(&repaired).map_err(|_| malformed())?;
    warnings.push(Problem::new(
        Stage::Ingest,
        format!("line {line_no}: {count} lone surrogate escape(s) replaced by U+FFFD"),
    ));
    Ok(article)
}

/// `line` with every unpaired `\uD800`–`\uDFFF` escape replaced by
/// `\uFFFD`, and how many; `None` when there is none.
fn repair_surrogates(line: &str) -> Option<(String, usize)> {
    let bytes = line.as_bytes();
    let unit_at = |i: usize| -> Option<u16> {
        let hex = bytes.get(i..i + 6)?;
        if hex[0] != b'\\' || hex[1] != b'u' {
            return None;
        }
        u16::from_str_radix(std::str::from_utf8(&hex[2..]).ok()?, 16).ok()
    };
    let mut out = String::with_capacity(line.len());
    let mut count = 0;
    let mut copied = 0;
    let mut i = 0;
    // `i` may step past the end after a one-character escape at the very end.
    while let Some(found) = bytes.get(i..).and_then(|rest| memchr::memchr(b'\\', rest)) {
        let at = i + found;
        let Some(unit) = unit_at(at) else {
            i = at + 2; // an escape of one character, such as `\\` or `\"`
            continue;
        };
        let is_high = (0xD800..0xDC00).contains(&unit);
        let paired = is_high && unit_at(at + 6).is_some_and(|u| (0xDC00..0xE000).contains(&u));
        if paired {
            i = at + 12;
        } else if (0xD800..0xE000).contains(&unit) {
            out.push_str(&line[copied..at]);
            out.push_str("\\uFFFD");
            copied = at + 6;
            count += 1;
            i = at + 6;
        } else {
            i = at + 6;
        }
        if i >= bytes.len() {
            break;
        }
    }
    if count == 0 {
        return None;
    }
    out.push_str(&line[copied..]);
    Some((out, count))
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
        .and_then(|s| parse_article(s.trim_start_matches('\u{feff}'), line_no, &mut doc.warnings));
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
    // A crawler that read UTF-8 bytes as Latin-1 before writing the JSON
    // string: the title, text or page is decoded once more, as a file is.
    let mut once_more = |key: &str, value: String| match undo_double_encoding(&value) {
        Some(repaired) => {
            doc.warnings.push(Problem::new(
                Stage::Ingest,
                format!("line {line_no}: \"{key}\" {DOUBLE_ENCODED}"),
            ));
            repaired
        }
        None => value,
    };
    let title = title.map(|t| once_more(&keys.title, t));
    let text = text.map(|t| once_more(&keys.text, t));
    let html = html.map(|h| once_more(&keys.html, h));
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
        url: doc.source.url.clone(),
        extra: fields,
        ..InputMeta::default()
    };
    doc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn undoes_double_encoded_utf8_and_nothing_else() {
        // "it’s — café" encoded twice, read back as Latin-1 and as Windows-1252.
        let twice_latin1: String = "it’s — café".bytes().map(char::from).collect();
        let (text, warning) = decode(twice_latin1.as_bytes(), true).unwrap();
        assert_eq!(text, "it’s — café");
        assert!(warning.is_some_and(|w| w.contains("encoded twice")));
        let (text, _) = decode("itâ€™s".as_bytes(), true).unwrap();
        assert_eq!(text, "it’s");
        for fine in ["café — it’s", "Â", "plain ASCII", "naïve façade"] {
            assert_eq!(
                decode(fine.as_bytes(), true).unwrap(),
                (fine.to_string(), None)
            );
        }
    }

    #[test]
    fn jsonl_html_encoded_twice_is_decoded_once_more() {
        let twice: String = "<p>it’s</p>".bytes().map(char::from).collect();
        let line = serde_json::json!({"id": "a", "html": twice}).to_string();
        let doc = load_line("f.jsonl", 1, Ok(line.into_bytes()), &KeyMap::default());
        assert!(matches!(&doc.body, Body::Html(h) if h == "<p>it’s</p>"));
        assert!(doc
            .warnings
            .iter()
            .any(|w| w.message.contains("encoded twice")));
        let plain = serde_json::json!({"id": "b", "html": "<p>café — it’s</p>"}).to_string();
        let doc = load_line("f.jsonl", 2, Ok(plain.into_bytes()), &KeyMap::default());
        assert!(matches!(&doc.body, Body::Html(h) if h == "<p>café — it’s</p>"));
        assert!(doc.warnings.is_empty());
    }

    #[test]
    fn jsonl_text_encoded_twice_is_decoded_once_more() {
        let twice: String = "It’s a café — “fine”.".bytes().map(char::from).collect();
        let line = serde_json::json!({"id": "a", "text": twice}).to_string();
        let doc = load_line("f.jsonl", 1, Ok(line.into_bytes()), &KeyMap::default());
        assert!(matches!(&doc.body, Body::Text(t) if t == "It’s a café — “fine”."));
        assert!(doc
            .warnings
            .iter()
            .any(|w| w.message.contains("\"text\" UTF-8 encoded twice")));
        let plain = serde_json::json!({"id": "b", "text": "naïve façade — it’s"}).to_string();
        let doc = load_line("f.jsonl", 2, Ok(plain.into_bytes()), &KeyMap::default());
        assert!(matches!(&doc.body, Body::Text(t) if t == "naïve façade — it’s"));
        assert!(doc.warnings.is_empty());
    }

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
    fn stray_latin1_bytes_in_utf8_stay_utf8() {
        let mut bytes = "\u{201c}Prices\u{201d} rose \u{2014} to "
            .as_bytes()
            .to_vec();
        bytes.extend_from_slice(b"\xA35bn, caf\xE9 \xE2\x80\x9cbooming\xE2\x80\x9d");
        let (text, warning) = decode(&bytes, false).unwrap();
        assert_eq!(
            text,
            "\u{201c}Prices\u{201d} rose \u{2014} to \u{a3}5bn, caf\u{e9} \u{201c}booming\u{201d}"
        );
        assert!(warning.unwrap().contains("2 invalid byte(s)"));
        // One valid-looking pair among more invalid bytes is legacy text.
        let (text, _) = decode(b"\xC3\xA9t\xE9 \xE0 caf\xE9", false).unwrap();
        assert!(text.ends_with("caf\u{e9}"), "{text}");
    }

    #[test]
    fn html_meta_charset_wins_over_detection() {
        let html = b"<html><head><meta charset=\"iso-8859-15\"></head><body>\xa4</body></html>";
        let (text, warning) = decode(html, true).unwrap();
        assert!(text.contains('€'), "{text}");
        assert!(warning.unwrap().contains("ISO-8859-15"));
    }

    #[test]
    fn surrogate_repair_survives_a_trailing_escape() {
        // Found by fuzzing: a one-character escape as the last byte.
        assert_eq!(repair_surrogates("c{\\{\\"), None);
        let doc = load_line("fuzz", 1, Ok(b"c{\\{\\".to_vec()), &KeyMap::default());
        assert!(doc.errors[0].message.contains("malformed JSON"));
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
