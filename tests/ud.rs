//! Clause-stage floors on the UD English dev treebanks (EWT, GUM).
//!
//! The treebanks are development data outside the repository: set
//! `NEWSX_UD_DIR` to the directory holding `ud-english-ewt/` and
//! `ud-english-gum/` (default `../shared/data/syntax` next to the crate).
//! Without them the test says so and checks nothing. Floors only go up.

use newsx::clauses::ClauseAnalyzer;
use newsx::eval::ud;
use std::path::PathBuf;

struct Floor {
    file: &'static str,
    xpos_gold: f64,
    roles_gold: f64,
    xpos_raw: f64,
    roles_raw: f64,
}

const FLOORS: &[Floor] = &[
    Floor {
        file: "ud-english-ewt/en_ewt-ud-dev.conllu",
        xpos_gold: 0.934,
        roles_gold: 0.791,
        xpos_raw: 0.913,
        roles_raw: 0.776,
    },
    Floor {
        file: "ud-english-gum/en_gum-ud-dev.conllu",
        xpos_gold: 0.942,
        roles_gold: 0.777,
        xpos_raw: 0.937,
        roles_raw: 0.769,
    },
];

fn data_dir() -> PathBuf {
    std::env::var_os("NEWSX_UD_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data/syntax"))
}

#[test]
fn dev_treebanks_stay_above_their_floors() {
    let analyzer = ClauseAnalyzer::new().unwrap();
    let mut failures = Vec::new();
    for floor in FLOORS {
        let path = data_dir().join(floor.file);
        if !path.exists() {
            eprintln!("skipped: {} not found (set NEWSX_UD_DIR)", path.display());
            continue;
        }
        let report = ud::evaluate(&analyzer, &path).unwrap();
        eprintln!("{}\n{report}", floor.file);
        let checks = [
            (
                "XPOS, gold tokens",
                report.gold_tokens.xpos_accuracy(),
                floor.xpos_gold,
            ),
            (
                "roles F1, gold tokens",
                report.gold_tokens.roles.f1(),
                floor.roles_gold,
            ),
            (
                "XPOS, raw text",
                report.raw_text.xpos_accuracy(),
                floor.xpos_raw,
            ),
            (
                "roles F1, raw text",
                report.raw_text.roles.f1(),
                floor.roles_raw,
            ),
        ];
        for (what, got, floor_value) in checks {
            if got < floor_value {
                failures.push(format!(
                    "{}: {what} {got:.4} < floor {floor_value}",
                    floor.file
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
