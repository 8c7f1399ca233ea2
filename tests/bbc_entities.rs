//! Entity mentions on BBC News articles against the hand-made gold of
//! `fixtures/gold/bbc-entities/` (CoNLL-2003 types, byte spans into the
//! corpus files), scored by exact match as `newsx eval conll` scores:
//! `mentions.tsv` (30 articles across the five topics) and
//! `mentions-batch2.tsv` to `mentions-batch8.tsv` (10 further articles
//! each) and `mentions-batch9.tsv` (8 more), annotated later and scored
//! apart. The floors only go up: raise them when the rules improve, never
//! lower them.
//!
//! Reads the corpus from ../shared/data/corpora/bbc (or `NEWSX_BBC_DIR`).
//! With `NEWSX_ENTITY_ERRORS=1` it also prints every missed and spurious
//! mention of each article (to read, with `--nocapture`).

use newsx::eval::conll::{evaluate_spans, parse_spans, predict};
use newsx::{Options, Pipeline};
use std::path::{Path, PathBuf};

/// One gold file: its name, its number of articles, and (row, minimum F1)
/// as measured when the floor was last raised.
struct GoldSet {
    file: &'static str,
    documents: usize,
    floors: &'static [(&'static str, f64)],
}

const SETS: &[GoldSet] = &[
    GoldSet {
        file: "mentions.tsv",
        documents: 30,
        floors: &[
            ("overall", 0.89),
            ("PER", 0.94),
            ("ORG", 0.86),
            ("LOC", 0.92),
            ("MISC", 0.81),
        ],
    },
    GoldSet {
        file: "mentions-batch2.tsv",
        documents: 10,
        floors: &[
            ("overall", 0.86),
            ("PER", 0.92),
            ("ORG", 0.77),
            ("LOC", 0.93),
            ("MISC", 0.81),
        ],
    },
    GoldSet {
        file: "mentions-batch3.tsv",
        documents: 10,
        floors: &[
            ("overall", 0.87),
            ("PER", 0.95),
            ("ORG", 0.86),
            ("LOC", 0.91),
            ("MISC", 0.62),
        ],
    },
    GoldSet {
        file: "mentions-batch4.tsv",
        documents: 10,
        floors: &[
            ("overall", 0.87),
            ("PER", 0.92),
            ("ORG", 0.83),
            ("LOC", 0.94),
            ("MISC", 0.76),
        ],
    },
    GoldSet {
        file: "mentions-batch5.tsv",
        documents: 10,
        floors: &[
            ("overall", 0.92),
            ("PER", 0.99),
            ("ORG", 0.90),
            ("LOC", 0.97),
            ("MISC", 0.73),
        ],
    },
    GoldSet {
        file: "mentions-batch6.tsv",
        documents: 10,
        floors: &[
            ("overall", 0.90),
            ("PER", 0.96),
            ("ORG", 0.88),
            ("LOC", 0.93),
            ("MISC", 0.78),
        ],
    },
    GoldSet {
        file: "mentions-batch7.tsv",
        documents: 10,
        floors: &[
            ("overall", 0.90),
            ("PER", 0.98),
            ("ORG", 0.87),
            ("LOC", 0.95),
            ("MISC", 0.78),
        ],
    },
    GoldSet {
        file: "mentions-batch8.tsv",
        documents: 10,
        floors: &[
            ("overall", 0.88),
            ("PER", 0.96),
            ("ORG", 0.89),
            ("LOC", 0.90),
            ("MISC", 0.72),
        ],
    },
    GoldSet {
        file: "mentions-batch9.tsv",
        documents: 8,
        floors: &[
            ("overall", 0.90),
            ("PER", 0.96),
            ("ORG", 0.91),
            ("LOC", 0.91),
            ("MISC", 0.72),
        ],
    },
];

#[test]
fn bbc_entity_gold_scores_stay_above_floors() {
    let root = env!("CARGO_MANIFEST_DIR");
    let corpus = std::env::var_os("NEWSX_BBC_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(root).join("../shared/data/corpora/bbc"));
    if !corpus.is_dir() {
        eprintln!("skipped: no BBC corpus at {}", corpus.display());
        return;
    }
    let pipeline = Pipeline::new(&Options::default()).expect("built-in rules load");
    let failures: Vec<String> = SETS
        .iter()
        .flat_map(|set| set_failures(&pipeline, Path::new(root), &corpus, set))
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Scores one gold file and lists the rows under their floors.
fn set_failures(pipeline: &Pipeline, root: &Path, corpus: &Path, set: &GoldSet) -> Vec<String> {
    let gold = root.join("fixtures/gold/bbc-entities").join(set.file);
    let report = evaluate_spans(pipeline, &gold, corpus).expect("gold and corpus readable");
    println!("{}\n{report}", set.file);
    if std::env::var_os("NEWSX_ENTITY_ERRORS").is_some() {
        print_errors(pipeline, &gold, corpus);
    }
    assert_eq!(report.documents, set.documents, "{}", set.file);
    let mut failures = Vec::new();
    for (row, floor) in set.floors {
        let (_, score) = report
            .rows
            .iter()
            .find(|(name, _)| name == row)
            .expect("row present");
        if score.f1() < *floor {
            failures.push(format!(
                "{} {row}: F1 {:.3} < floor {floor:.3}",
                set.file,
                score.f1()
            ));
        }
    }
    failures
}

/// Every gold mention the pipeline misses (`-`) and every mention it finds
/// that the gold lacks (`+`), with the text and type of each.
fn print_errors(pipeline: &Pipeline, gold: &Path, corpus: &Path) {
    let raw = std::fs::read_to_string(gold).expect("gold readable");
    for (doc, mentions) in parse_spans(&raw).expect("gold parses") {
        let text = std::fs::read_to_string(corpus.join(format!("{doc}.txt"))).expect("article");
        let found = predict(pipeline, &text);
        let missed = mentions
            .iter()
            .filter(|m| !found.contains(m))
            .map(|m| ('-', m));
        let spurious = found
            .iter()
            .filter(|m| !mentions.contains(m))
            .map(|m| ('+', m));
        let mut errors: Vec<_> = missed.chain(spurious).collect();
        errors.sort_by_key(|(_, (span, _))| span.start);
        for (sign, (span, kind)) in errors {
            let words = span.slice(&text).replace('\n', " ");
            println!(
                "{doc}\t{sign} {}\t{}..{}\t{words}",
                kind.name(),
                span.start,
                span.end
            );
        }
    }
}
