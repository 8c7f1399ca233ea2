//! Robustness: mutated and adversarial documents never make a stage fail
//! internally. The pipeline turns a panic into an "internal error" in the
//! record, so these tests assert that no such error ever appears, and that
//! every span in the record indexes its text on character boundaries.

use newsx::ingest::{Body, RawDoc};
use newsx::record::Record;
use newsx::{Options, Pipeline};

/// A small deterministic generator (xorshift64*), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const SPLICES: &[&str] = &[
    "“",
    "”",
    "\"",
    "‘",
    "’",
    "'",
    "«",
    "»",
    "<p>",
    "</p>",
    "<script>",
    "<!--",
    "&amp;",
    "&#x",
    "\u{0}",
    "\n\n",
    "U.S.",
    "Mr.",
    " said ",
    "according to",
    "the list",
    "Section 1260H list",
    "January 14, 2021",
    "last week",
    "on Tuesday",
    "P.M.",
    "(",
    ")",
    "—",
    "…",
    "\u{200b}",
    "é",
    "日本",
    "🙂",
    "\r\n",
    "Update 1 (01/14/2021 @ 7:06 AM ET):",
];

fn mutate(rng: &mut Rng, text: &str) -> String {
    let mut s: Vec<char> = text.chars().collect();
    for _ in 0..1 + rng.below(12) {
        let at = rng.below(s.len() + 1);
        match rng.below(4) {
            0 => s.truncate(at),
            1 => {
                let end = (at + rng.below(40)).min(s.len());
                s.drain(at..end);
            }
            _ => {
                let piece = SPLICES[rng.below(SPLICES.len())];
                s.splice(at..at, piece.chars());
            }
        }
    }
    s.into_iter().collect()
}

fn raw(id: usize, body: Body) -> RawDoc {
    newsx::fuzz::raw_doc(format!("fuzz-{id}"), body)
}

fn assert_sound(record: &Record, input: &str) {
    let sound = std::panic::catch_unwind(|| newsx::fuzz::assert_sound(record));
    assert!(sound.is_ok(), "unsound record\ninput: {input:?}");
}

#[test]
fn mutated_corpus_articles_never_fail_internally() {
    let pipeline = Pipeline::new(&Options::default()).unwrap();
    let mut seeds: Vec<String> = std::fs::read_dir("corpus")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    seeds.sort();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for i in 0..300 {
        let seed = &seeds[i % seeds.len()];
        let text = mutate(&mut rng, seed);
        let body = if i % 3 == 0 {
            Body::Html(format!(
                "<html><body><article><p>{}</p></article>",
                text.replace("\n\n", "</p><p>")
            ))
        } else {
            Body::Text(text.clone())
        };
        let record = pipeline.process(raw(i, body));
        assert_sound(&record, &text);
    }
}

#[test]
fn degenerate_documents_never_fail_internally() {
    let pipeline = Pipeline::new(&Options::default()).unwrap();
    let long_line = "word ".repeat(200_000);
    let quotes = "“".repeat(5_000);
    let dots = ".".repeat(10_000);
    let cases: Vec<String> = vec![
        String::new(),
        " ".into(),
        "\n\n\n".into(),
        "“".into(),
        "”Unbalanced “quote".into(),
        long_line,
        quotes,
        dots,
        "A.B.C.D.E.F.".into(),
        "\u{feff}\u{200b}\u{0301}".into(),
        "<<<>>>".into(),
    ];
    for (i, text) in cases.iter().enumerate() {
        assert_sound(&pipeline.process(raw(i, Body::Text(text.clone()))), text);
        assert_sound(&pipeline.process(raw(i, Body::Html(text.clone()))), text);
    }
}
