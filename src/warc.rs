//! WARC input: `.warc` and `.warc.gz` files (Common Crawl's CC-NEWS) → one
//! article per HTTP response record with an HTML payload.
//!
//! Takes a decompressed WARC stream; gives [`Input::Warc`] items for the
//! parallel stage, which [`load`] turns into [`RawDoc`]s: the WARC target
//! URI is the document's url, the WARC record id its id, and the WARC-Date
//! the fallback publication date (used only when the page itself gives
//! none). Request, metadata, warcinfo and revisit records, non-2xx
//! responses and non-HTML payloads are skipped and counted; the counts are
//! reported on stderr when the file is done. It does not fetch anything,
//! follow redirects or deduplicate captures of the same URL.

use crate::ingest::{self, Body, Input, RawDoc, MAX_DOC_BYTES};
use crate::record::{Format, Problem, Stage};
use std::collections::BTreeMap;
use std::io::{BufRead, Read};

/// One HTTP response record, not yet decoded.
#[derive(Debug)]
pub struct WarcResponse {
    /// The WARC file's path.
    pub origin: String,
    /// WARC-Record-ID, or `<path>#<n>` when the record has none.
    pub id: String,
    pub url: Option<String>,
    /// WARC-Date, RFC 3339.
    pub date: String,
    /// HTTP headers, lower-cased names.
    pub headers: Vec<(String, String)>,
    /// The HTTP entity body, as captured.
    pub payload: Vec<u8>,
}

/// Why records were not turned into articles, with counts.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Skipped {
    pub articles: usize,
    pub by_reason: BTreeMap<String, usize>,
}

impl Skipped {
    fn skip(&mut self, reason: impl Into<String>) {
        *self.by_reason.entry(reason.into()).or_default() += 1;
    }

    /// One line: "12 articles; skipped: 12 request, 1 warcinfo".
    pub fn summary(&self) -> String {
        let skipped: Vec<String> = self
            .by_reason
            .iter()
            .map(|(why, n)| format!("{n} {why}"))
            .collect();
        let skipped = if skipped.is_empty() {
            "none".to_string()
        } else {
            skipped.join(", ")
        };
        format!("{} articles; skipped: {skipped}", self.articles)
    }
}

/// The HTML responses of one WARC stream, in file order.
pub fn responses(
    origin: String,
    reader: Box<dyn BufRead + Send>,
) -> impl Iterator<Item = Input> + Send {
    WarcResponses {
        origin,
        records: Some(warc::WarcReader::new(reader).iter_records()),
        ordinal: 0,
        skipped: Skipped::default(),
    }
}

struct WarcResponses {
    origin: String,
    records: Option<warc::RecordIter<Box<dyn BufRead + Send>>>,
    ordinal: usize,
    skipped: Skipped,
}

impl Iterator for WarcResponses {
    type Item = Input;

    fn next(&mut self) -> Option<Input> {
        loop {
            let Some(next) = self.records.as_mut()?.next() else {
                self.finish();
                return None;
            };
            self.ordinal += 1;
            match next {
                Ok(record) => match classify(&self.origin, self.ordinal, record) {
                    Ok(response) => {
                        self.skipped.articles += 1;
                        return Some(Input::Warc(response));
                    }
                    Err(reason) => self.skipped.skip(reason),
                },
                Err(e) => {
                    // The stream position is lost after a malformed record.
                    self.finish();
                    return Some(Input::Failed {
                        path: self.origin.clone(),
                        message: format!(
                            "{}: malformed WARC record {}: {e}; rest of file skipped",
                            self.origin, self.ordinal
                        ),
                    });
                }
            }
        }
    }
}

impl WarcResponses {
    fn finish(&mut self) {
        if self.records.take().is_some() {
            eprintln!("newsx: {}: {}", self.origin, self.skipped.summary());
        }
    }
}

/// An HTML response, or the reason the record is skipped.
fn classify(
    origin: &str,
    ordinal: usize,
    record: warc::Record<warc::BufferedBody>,
) -> Result<WarcResponse, String> {
    use warc::{RecordType, WarcHeader};
    if *record.warc_type() != RecordType::Response {
        return Err(record.warc_type().to_string());
    }
    if record.content_length() > MAX_DOC_BYTES as u64 {
        return Err("oversized".into());
    }
    let (status, headers, body_at) =
        parse_http_head(record.body()).ok_or_else(|| "non-HTTP response".to_string())?;
    if !(200..300).contains(&status) {
        return Err(format!("HTTP {}xx", status / 100));
    }
    let content_type = header(&headers, "content-type").unwrap_or_default();
    let payload = &record.body()[body_at..];
    let html = if content_type.is_empty() {
        ingest::sniff_html(payload)
    } else {
        let ct = content_type.to_ascii_lowercase();
        ct.contains("text/html") || ct.contains("application/xhtml")
    };
    if !html {
        return Err("non-HTML".into());
    }
    let id = record
        .header(WarcHeader::RecordID)
        .map(|s| s.trim_matches(['<', '>']).to_string())
        .unwrap_or_else(|| format!("{origin}#{ordinal}"));
    Ok(WarcResponse {
        origin: origin.to_string(),
        id,
        url: record
            .header(WarcHeader::TargetURI)
            .map(|s| s.trim_matches(['<', '>']).to_string()),
        date: record.date().to_rfc3339(),
        headers,
        payload: payload.to_vec(),
    })
}

/// HTTP header fields, names lower-cased.
type Headers = Vec<(String, String)>;

/// The status code, headers and body offset of an HTTP response block.
fn parse_http_head(block: &[u8]) -> Option<(u16, Headers, usize)> {
    let (head_len, body_at) = match memchr::memmem::find(block, b"\r\n\r\n") {
        Some(i) => (i, i + 4),
        None => {
            let i = memchr::memmem::find(block, b"\n\n")?;
            (i, i + 2)
        }
    };
    let head = String::from_utf8_lossy(&block[..head_len]);
    let mut lines = head.lines();
    let status_line = lines.next()?;
    if !status_line.starts_with("HTTP/") {
        return None;
    }
    let status = status_line.split_whitespace().nth(1)?.parse().ok()?;
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    Some((status, headers, body_at))
}

fn header<'h>(headers: &'h [(String, String)], name: &str) -> Option<&'h str> {
    headers
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// Decodes one response into a document (on a worker thread).
pub fn load(response: WarcResponse) -> RawDoc {
    let mut doc = RawDoc::empty(response.id.clone(), response.origin.clone(), Format::Warc);
    doc.source.url = response.url.clone();
    doc.meta.crawled = Some(response.date.clone());
    doc.meta.url = response.url.clone();
    let payload = match unwrap_transfer(&response) {
        Ok(p) => p,
        Err(message) => {
            doc.fail(message);
            return doc;
        }
    };
    let declared = header(&response.headers, "content-type")
        .and_then(charset_label)
        .and_then(|label| encoding_rs::Encoding::for_label(label.as_bytes()));
    match declared {
        Some(enc) if enc != encoding_rs::UTF_8 && std::str::from_utf8(&payload).is_err() => {
            let (text, _, had_errors) = enc.decode(&payload);
            if had_errors {
                doc.warnings.push(Problem::new(
                    Stage::Ingest,
                    format!("decoded as {} with replacement characters", enc.name()),
                ));
            }
            doc.body = Body::Html(text.into_owned());
        }
        _ => ingest::set_body(&mut doc, &payload, true),
    }
    doc
}

fn charset_label(content_type: &str) -> Option<String> {
    let lower = content_type.to_ascii_lowercase();
    let at = lower.find("charset=")? + "charset=".len();
    Some(
        lower[at..]
            .trim_matches(['"', '\'', ' '])
            .split([';', ' ', '"'])
            .next()?
            .to_string(),
    )
}

/// Undoes chunked transfer coding and gzip/deflate content coding when the
/// capture kept them (Common Crawl usually stores payloads already decoded
/// and renames the headers, in which case nothing is done).
fn unwrap_transfer(response: &WarcResponse) -> Result<Vec<u8>, String> {
    let mut payload = response.payload.clone();
    let chunked = header(&response.headers, "transfer-encoding")
        .is_some_and(|v| v.to_ascii_lowercase().contains("chunked"));
    if chunked {
        if let Some(joined) = dechunk(&payload) {
            payload = joined;
        }
    }
    let coding = header(&response.headers, "content-encoding")
        .unwrap_or_default()
        .to_ascii_lowercase();
    let inflate = |reader: &mut dyn Read| {
        let mut out = Vec::new();
        reader
            .take(MAX_DOC_BYTES as u64 + 1)
            .read_to_end(&mut out)
            .map_err(|e| format!("cannot decompress {coding} payload: {e}"))?;
        if out.len() > MAX_DOC_BYTES {
            return Err(format!("payload larger than {MAX_DOC_BYTES} bytes"));
        }
        Ok(out)
    };
    match coding.as_str() {
        "gzip" | "x-gzip" if payload.starts_with(&[0x1f, 0x8b]) => {
            inflate(&mut flate2::read::MultiGzDecoder::new(&payload[..]))
        }
        "deflate" => inflate(&mut flate2::read::ZlibDecoder::new(&payload[..])),
        _ => Ok(payload),
    }
}

/// The body of a chunked transfer coding, or `None` when it is not one.
fn dechunk(mut data: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(data.len());
    loop {
        let line_end = memchr::memchr(b'\n', data)?;
        let size_text = std::str::from_utf8(&data[..line_end]).ok()?;
        let size_text = size_text.trim().split(';').next()?;
        let size = usize::from_str_radix(size_text, 16).ok()?;
        data = &data[line_end + 1..];
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(data.get(..size)?);
        data = data.get(size..)?;
        data = data
            .strip_prefix(b"\r\n")
            .or_else(|| data.strip_prefix(b"\n"))?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(kind: &str, uri: &str, block: &str) -> String {
        format!(
            "WARC/1.0\r\nWARC-Type: {kind}\r\nWARC-Record-ID: <urn:uuid:{uri}>\r\n\
             WARC-Date: 2021-01-14T10:00:00Z\r\nWARC-Target-URI: {uri}\r\n\
             Content-Length: {}\r\n\r\n{block}\r\n\r\n",
            block.len()
        )
    }

    #[test]
    fn html_responses_become_articles_and_the_rest_is_counted() {
        let html = "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<html><body><p>Hello.</p></body></html>";
        let chunked = "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n6\r\n<p>Hi \r\n7\r\nthere.<\r\n3\r\n/p>\r\n0\r\n\r\n";
        let data = [
            record("request", "http://a/", "GET / HTTP/1.1\r\n\r\n"),
            record("response", "http://a/", html),
            record("response", "http://b/", "HTTP/1.1 301 Moved\r\n\r\n"),
            record(
                "response",
                "http://c/",
                "HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\nPNG",
            ),
            record("response", "http://d/", chunked),
        ]
        .concat();
        let mut it = WarcResponses {
            origin: "mem.warc".into(),
            records: Some(
                warc::WarcReader::new(
                    Box::new(std::io::Cursor::new(data.into_bytes())) as Box<dyn BufRead + Send>
                )
                .iter_records(),
            ),
            ordinal: 0,
            skipped: Skipped::default(),
        };
        let docs: Vec<RawDoc> = it
            .by_ref()
            .map(|i| match i {
                Input::Warc(r) => load(r),
                other => panic!("unexpected {other:?}"),
            })
            .collect();
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].id, "urn:uuid:http://a/");
        assert_eq!(docs[0].source.url.as_deref(), Some("http://a/"));
        assert_eq!(
            docs[0].meta.crawled.as_deref(),
            Some("2021-01-14T10:00:00+00:00")
        );
        assert!(matches!(&docs[0].body, Body::Html(h) if h.contains("Hello.")));
        assert_eq!(docs[1].body, Body::Html("<p>Hi there.</p>".into()));
        assert_eq!(
            it.skipped.summary(),
            "2 articles; skipped: 1 HTTP 3xx, 1 non-HTML, 1 request"
        );
    }

    #[test]
    fn malformed_stream_is_one_failed_input() {
        let data = b"WARC/1.0\r\nContent-Length: 999\r\n\r\nshort".to_vec();
        let got: Vec<Input> = responses(
            "bad.warc".into(),
            Box::new(std::io::Cursor::new(data)) as Box<dyn BufRead + Send>,
        )
        .collect();
        assert_eq!(got.len(), 1);
        assert!(matches!(&got[0], Input::Failed { message, .. } if message.contains("malformed")));
    }
}
