//! Entity mentions on BBC News articles against the hand-made gold of
//! `fixtures/gold/bbc-entities/` (CoNLL-2003 types, byte spans into the
//! corpus files), scored by exact match as `newsx eval conll` scores:
//! `mentions.tsv` (30 articles across the five topics) and
//! `mentions-batch2.tsv`, `mentions-batch3.tsv` and `mentions-batch4.tsv` (10
//! further articles each, annotated later and scored apart). The floors only go up: raise them when the rules improve, never
//! lower them.
//!
//! Reads the corpus from ../shared/data/corpora/bbc (or `NEWSX_BBC_DIR`).

use newsx::eval::conll::evaluate_spans;
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
            ("overall", 0.85),
            ("PER", 0.90),
            ("ORG", 0.80),
            ("LOC", 0.92),
            ("MISC", 0.71),
        ],
    },
    GoldSet {
        file: "mentions-batch2.tsv",
        documents: 10,
        floors: &[
            ("overall", 0.78),
            ("PER", 0.91),
            ("ORG", 0.65),
            ("LOC", 0.90),
            ("MISC", 0.47),
        ],
    },
    GoldSet {
        file: "mentions-batch3.tsv",
        documents: 10,
        floors: &[
            ("overall", 0.85),
            ("PER", 0.93),
            ("ORG", 0.83),
            ("LOC", 0.90),
            ("MISC", 0.61),
        ],
    },
    GoldSet {
        file: "mentions-batch4.tsv",
        documents: 10,
        floors: &[
            ("overall", 0.70),
            ("PER", 0.79),
            ("ORG", 0.51),
            ("LOC", 0.82),
            ("MISC", 0.68),
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
