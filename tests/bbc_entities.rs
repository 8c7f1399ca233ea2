//! Entity mentions on BBC News articles against the hand-made gold of
//! `fixtures/gold/bbc-entities/mentions.tsv` (30 articles across the five
//! topics, CoNLL-2003 types, byte spans into the corpus files), scored by
//! exact match as `newsx eval conll` scores. The floors only go up: raise
//! them when the rules improve, never lower them.
//!
//! Reads the corpus from ../shared/data/corpora/bbc (or `NEWSX_BBC_DIR`).

use newsx::eval::conll::evaluate_spans;
use newsx::{Options, Pipeline};
use std::path::PathBuf;

/// (row, minimum F1) as measured when the floor was last raised.
const FLOORS: &[(&str, f64)] = &[
    ("overall", 0.85),
    ("PER", 0.90),
    ("ORG", 0.80),
    ("LOC", 0.91),
    ("MISC", 0.71),
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
    let gold = PathBuf::from(root).join("fixtures/gold/bbc-entities/mentions.tsv");
    let pipeline = Pipeline::new(&Options::default()).expect("built-in rules load");
    let report = evaluate_spans(&pipeline, &gold, &corpus).expect("gold and corpus readable");
    println!("{report}");
    assert_eq!(report.documents, 30);
    let mut failures = Vec::new();
    for (row, floor) in FLOORS {
        let (_, score) = report
            .rows
            .iter()
            .find(|(name, _)| name == row)
            .expect("row present");
        if score.f1() < *floor {
            failures.push(format!("{row}: F1 {:.3} < floor {floor:.3}", score.f1()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
