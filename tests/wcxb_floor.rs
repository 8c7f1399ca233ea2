//! Floor of the HTML cleaner on the WCXB dev pages: the main-text 4-gram
//! F1, bag-of-words F1, title and date accuracy may not fall below the
//! figures below. Raise a floor when a change lifts its figure; never
//! lower one without a reason written next to it.
//!
//! The pages are read from ../shared/data/html/wcxb-dev-articles (or
//! `NEWSX_WCXB_DIR`); without them the test says so and checks nothing.

use newsx::eval::html::measure;
use newsx::{Options, Pipeline};
use std::path::PathBuf;

/// (figure, floor). Measured on the 711 dev pages (4-gram F1 0.950,
/// bag-of-words F1 0.953, title 636/711, date 537/588), floors a hair
/// below.
const FLOORS: &[(&str, f64)] = &[
    ("main_content 4-gram F1", 0.947),
    ("main_content bag-of-words F1", 0.949),
    ("title exact", 0.892),
    ("publish_date exact", 0.910),
];

#[test]
fn wcxb_dev_pages_stay_above_their_floors() {
    let dir = std::env::var_os("NEWSX_WCXB_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data/html/wcxb-dev-articles")
        });
    if !dir.join("ground-truth").is_dir() {
        eprintln!(
            "WCXB pages not found at {}: floor not checked",
            dir.display()
        );
        return;
    }
    let pipeline = Pipeline::new(&Options::default()).expect("built-in rules load");
    let measured = measure(&pipeline, &dir).expect("WCXB folder reads");
    let figures = [
        measured.shingles().f1,
        measured.words().f1(),
        measured.title_accuracy(None),
        measured.date_accuracy(None),
    ];
    let mut failures = Vec::new();
    for (&(name, floor), got) in FLOORS.iter().zip(figures) {
        eprintln!("{name}: {got:.4} (floor {floor:.3})");
        if got < floor {
            failures.push(format!("{name}: {got:.4} below its floor {floor:.3}"));
        }
    }
    // Each page type holds the title and date floors on its own.
    for page_type in measured.page_types() {
        let per_type = [
            ("title exact", measured.title_accuracy(Some(&page_type))),
            (
                "publish_date exact",
                measured.date_accuracy(Some(&page_type)),
            ),
        ];
        for (name, got) in per_type {
            let floor = FLOORS.iter().find(|f| f.0 == name).map_or(0.0, |f| f.1);
            eprintln!("{page_type} {name}: {got:.4} (floor {floor:.3})");
            if got < floor {
                failures.push(format!(
                    "{page_type} {name}: {got:.4} below its floor {floor:.3}"
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
