//! Floors on the TimeML development scores (TempEval-3 measures over
//! TimeBank and AQUAINT, `newsx eval timeml`). A change to the date rules
//! may raise a floor, never lower one: each floor is the score measured
//! when it was last raised, rounded down.
//!
//! The data lives beside the repository (`../shared/data/timeml`) or where
//! `NEWSX_TIMEML_DIR` points; without it the test fails rather than pass
//! unmeasured.

use newsx::eval::{self, timeml};
use newsx::{Options, Pipeline};
use std::path::PathBuf;

/// (row of the report, lowest accepted F1).
const FLOORS: &[(&str, f64)] = &[
    ("timex strict extent", 0.895),
    ("timex relaxed extent", 0.947),
    ("timex value (relaxed+value)", 0.824),
    ("timex type (relaxed+type)", 0.914),
    ("TimeBank strict extent", 0.904),
    ("TimeBank relaxed extent", 0.946),
    ("TimeBank value (relaxed+value)", 0.840),
    ("AQUAINT strict extent", 0.874),
    ("AQUAINT relaxed extent", 0.949),
    ("AQUAINT value (relaxed+value)", 0.788),
];

fn data_dir() -> PathBuf {
    match std::env::var_os("NEWSX_TIMEML_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data/timeml"),
    }
}

#[test]
fn dev_scores_stay_above_their_floors() {
    let dir = data_dir();
    assert!(
        dir.is_dir(),
        "TimeML data not found at {} (set NEWSX_TIMEML_DIR)",
        dir.display()
    );
    let pipeline = Pipeline::new(&Options::default()).expect("built-in rules load");
    let report = eval::evaluate("timeml", &dir, &pipeline).expect("TimeML data scores");
    let scores = timeml::f1_by_row(&report);
    let mut failures = Vec::new();
    for (row, floor) in FLOORS {
        match scores.iter().find(|(name, _)| name == row) {
            Some((_, f1)) if *f1 >= *floor => {}
            Some((_, f1)) => failures.push(format!("{row}: F1 {f1:.4} < floor {floor:.3}")),
            None => failures.push(format!("{row}: no such row in the report")),
        }
    }
    assert!(
        failures.is_empty(),
        "{} scores fell below their floors:\n{}\n\n{report}",
        failures.len(),
        failures.join("\n")
    );
}
