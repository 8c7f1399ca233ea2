//! Fuzz targets: one function per stage that takes arbitrary bytes and
//! panics only when an invariant breaks (a panic escaping a stage, a span
//! that does not index the text, other than one record per input). The
//! cargo-fuzz targets in `fuzz/` call them; so does a bounded mutation
//! loop in the tests, for machines without a nightly toolchain.

use crate::ingest::{self, Body, Input, InputMeta, RawDoc};
use crate::record::{Format, Record, Source, Span};
use crate::{segment, Options, Pipeline};
use std::sync::OnceLock;

/// The built-in pipeline, compiled once per process.
fn pipeline() -> &'static Pipeline {
    static PIPELINE: OnceLock<Pipeline> = OnceLock::new();
    PIPELINE.get_or_init(|| Pipeline::new(&Options::default()).expect("built-in rules load"))
}

/// Ingest: decoding as a file and parsing as a JSONL line never panic,
/// and a line gives one document.
pub fn ingest(data: &[u8]) {
    let _ = ingest::decode(data, false);
    let _ = ingest::decode(data, true);
    let doc = ingest::load(Input::Line {
        origin: "fuzz".into(),
        line_no: 1,
        line: Ok(data.to_vec()),
        keys: Default::default(),
    });
    assert!(doc.body != Body::Missing || !doc.errors.is_empty());
}

/// HTML cleaning: any markup gives an article whose zones index its text.
pub fn clean_html(data: &[u8]) {
    let html = String::from_utf8_lossy(data).into_owned();
    let article = pipeline()
        .cleaner()
        .clean(Body::Html(html), &InputMeta::default());
    for zone in &article.zones {
        assert_indexes(zone.span, &article.text);
    }
}

/// Segmentation: paragraphs, sentences and tokens index the text, in order.
pub fn segment(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let seg = segment::segment(&text, &[]);
    let spans = seg
        .paragraphs
        .iter()
        .copied()
        .chain(seg.sentences.iter().map(|s| s.span))
        .chain(seg.tokens.iter().map(|t| t.span));
    for span in spans {
        assert_indexes(span, &text);
    }
    assert!(seg
        .sentences
        .windows(2)
        .all(|w| w[0].span.end <= w[1].span.start));
}

/// The whole pipeline on text and on HTML: a sound record, never an
/// internal error.
pub fn pipeline_text_and_html(data: &[u8]) {
    let text = String::from_utf8_lossy(data).into_owned();
    for body in [Body::Text(text.clone()), Body::Html(text)] {
        let record = pipeline().process(raw_doc("fuzz".into(), body));
        assert_sound(&record);
    }
}

/// A document as ingest would give it for `body`, with no metadata: what
/// the fuzz targets and the robustness tests feed the pipeline.
pub fn raw_doc(id: String, body: Body) -> RawDoc {
    RawDoc {
        id,
        source: Source {
            path: "fuzz".into(),
            format: Format::Text,
            url: None,
        },
        body,
        meta: InputMeta::default(),
        errors: Vec::new(),
        warnings: Vec::new(),
    }
}

fn assert_indexes(span: Span, text: &str) {
    assert!(
        span.start <= span.end && text.get(span.start..span.end).is_some(),
        "span {span:?} does not index the text"
    );
}

/// Panics when `record` reports an internal error or has a span that does
/// not index its text.
pub fn assert_sound(record: &Record) {
    for e in &record.errors {
        assert!(!e.message.contains("internal error"), "{}", e.message);
    }
    let spans = record
        .dates
        .iter()
        .map(|d| d.span)
        .chain(
            record
                .entities
                .iter()
                .flat_map(|e| e.mentions.iter().map(|m| m.span)),
        )
        .chain(
            record
                .lists
                .iter()
                .flat_map(|l| l.mentions.iter().map(|m| m.span)),
        )
        .chain(record.quotes.iter().map(|q| q.span))
        .chain(record.events.iter().map(|e| e.evidence.span));
    for span in spans {
        assert_indexes(span, &record.text);
    }
}
