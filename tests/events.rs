//! Events on clause frames: data-driven cases (one harness, every failing
//! case reported) and the event evaluation on the gold folders, with
//! floors that only go up.

use newsx::eval::events::evaluate;
use newsx::ingest::{Body, InputMeta, RawDoc};
use newsx::record::{Event, Format, Record, Source};
use newsx::{Options, Pipeline};
use std::path::Path;

fn pipeline() -> Pipeline {
    Pipeline::new(&Options::default()).expect("built-in rules load")
}

fn record(pipeline: &Pipeline, text: &str, published: Option<&str>) -> Record {
    pipeline.process(RawDoc {
        id: "case".into(),
        source: Source {
            path: "case".into(),
            format: Format::Text,
            url: None,
        },
        body: Body::Text(text.into()),
        meta: InputMeta {
            published: published.map(str::to_string),
            ..InputMeta::default()
        },
        errors: Vec::new(),
        warnings: Vec::new(),
    })
}

/// The canonical name of an argument's entity, else its text.
fn name(record: &Record, arg: &newsx::record::Arg) -> String {
    arg.entity
        .as_ref()
        .and_then(|id| record.entities.iter().find(|e| &e.id == id))
        .map_or_else(|| arg.text.clone(), |e| e.name.clone())
}

/// `type actor -> targets | date | modality polarity | mentions` of each event.
fn describe(record: &Record, e: &Event) -> String {
    let actor = e.actor.as_ref().map_or("-".into(), |a| name(record, a));
    let targets: Vec<String> = e.target.iter().map(|t| name(record, t)).collect();
    let date = e.date.as_ref().map_or("-", |d| d.value.as_str());
    format!(
        "{} {actor} -> {} | {date} | {} {} | {}",
        e.kind,
        targets.join(", "),
        newsx::output::modality_name(e.modality),
        newsx::output::polarity_name(e.polarity),
        e.mentions.len()
    )
}

/// Each case: text, publication date, and the events it must give, as
/// `describe` writes them (all of them, in order).
const CASES: &[(&str, Option<&str>, &[&str])] = &[
    (
        "Microsoft was sued by Huawei in a Beijing court.",
        None,
        &["legal.lawsuit Huawei -> Microsoft | - | asserted positive | 1"],
    ),
    (
        "Huawei sued Microsoft in a Beijing court.",
        None,
        &["legal.lawsuit Huawei -> Microsoft | - | asserted positive | 1"],
    ),
    (
        "The price dispute between Microsoft and Huawei dragged on.",
        None,
        &[],
    ),
    ("The referee denied Microsoft a late try.", None, &[]),
    ("“We are not getting the boost,” Microsoft said.", None, &[]),
    (
        "Microsoft denied the allegations on Tuesday.",
        Some("2021-01-14"),
        &["statement.denial Microsoft ->  | 2021-01-12 | asserted positive | 1"],
    ),
    (
        "Huawei plans cuts by 2011, which Microsoft denies.",
        None,
        &[],
    ),
    (
        "If Huawei sued Microsoft, the case would take years.",
        None,
        &["legal.lawsuit Huawei -> Microsoft | - | hypothetical positive | 1"],
    ),
    (
        "Huawei sued Microsoft in March 2021. Huawei filed a lawsuit against Microsoft in 2021.",
        None,
        &["legal.lawsuit Huawei -> Microsoft | 2021-03 | asserted positive | 2"],
    ),
    (
        "The United States imposed tariffs on Huawei.",
        None,
        &["sanction.impose United States -> Huawei | - | asserted positive | 1"],
    ),
];

#[test]
fn events_follow_the_clause_frame() {
    let pipeline = pipeline();
    let mut failures = Vec::new();
    for (text, published, want) in CASES {
        let r = record(&pipeline, text, *published);
        let got: Vec<String> = r.events.iter().map(|e| describe(&r, e)).collect();
        if got != *want {
            failures.push(format!("{text}\n  want {want:?}\n  got  {got:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn published_date_dates_a_past_event_without_a_time_expression() {
    let r = record(
        &pipeline(),
        "The Pentagon has named Huawei to its list of Communist Chinese military companies.",
        Some("2021-01-14"),
    );
    let dated: Vec<_> = r.events.iter().filter_map(|e| e.date.as_ref()).collect();
    assert!(!dated.is_empty(), "{:?}", r.events);
    for d in dated {
        assert_eq!(d.value, "2021-01-14");
        assert_eq!(d.origin, Some(newsx::record::DateOrigin::Published));
    }
}

/// Overall F1 floors of the gold folders; raise them when the rules get
/// better, never lower them.
const CORPUS_F1_FLOOR: f64 = 0.66;
const BBC_F1_FLOOR: f64 = 0.58;

fn f1_of(dir: &Path) -> f64 {
    let report = evaluate(&pipeline(), dir).expect("gold readable");
    eprintln!("{report}");
    report.rows[0].1.f1()
}

#[test]
fn corpus_gold_floor() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/gold/events-corpus");
    let f1 = f1_of(&dir);
    assert!(
        f1 >= CORPUS_F1_FLOOR,
        "events F1 {f1:.3} < {CORPUS_F1_FLOOR}"
    );
}

#[test]
fn bbc_gold_floor() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/gold/events-bbc");
    let root = std::fs::read_to_string(dir.join("ROOT")).expect("ROOT");
    if !dir.join(root.trim()).is_dir() {
        eprintln!("skipped: the BBC corpus is not at {}", root.trim());
        return;
    }
    let f1 = f1_of(&dir);
    assert!(f1 >= BBC_F1_FLOOR, "events F1 {f1:.3} < {BBC_F1_FLOOR}");
}
