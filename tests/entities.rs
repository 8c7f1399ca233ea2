//! Entity matcher: rule examples, the evaluation cases of
//! `entities_cases.toml` (precision / recall / F1 over mentions), and
//! robustness on odd input.

use newsx::extract::entities::{entity_at, EntityExtractor};
use newsx::extract::Doc;
use newsx::record::{Entity, EntityType, Span};
use newsx::rules::RuleFiles;
use newsx::segment::segment;
use serde::Deserialize;

#[derive(Deserialize)]
struct Cases {
    case: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    /// "fresh" for cases written after the rules were settled.
    #[serde(default)]
    split: String,
    text: String,
    entities: Vec<[String; 3]>,
}

fn extract(ex: &EntityExtractor, text: &str) -> Vec<Entity> {
    let seg = segment(text, &[]);
    let doc = Doc::new(text, &seg, None);
    ex.extract(&doc, &[], &[])
}

fn type_name(t: EntityType) -> String {
    serde_json::to_value(t)
        .unwrap()
        .as_str()
        .unwrap()
        .to_string()
}

/// Every mention as (TYPE, text, canonical).
fn triples(entities: &[Entity]) -> Vec<[String; 3]> {
    entities
        .iter()
        .flat_map(|e| {
            e.mentions
                .iter()
                .map(|m| [type_name(e.kind), m.text.clone(), e.name.clone()])
        })
        .collect()
}

/// Matches of `found` in `gold`, each gold item used once.
fn matched(
    gold: &[[String; 3]],
    found: &[[String; 3]],
    same: impl Fn(&[String; 3], &[String; 3]) -> bool,
) -> usize {
    let mut used = vec![false; gold.len()];
    found
        .iter()
        .filter(|f| {
            let hit = (0..gold.len()).find(|&i| !used[i] && same(&gold[i], f));
            hit.map(|i| used[i] = true).is_some()
        })
        .count()
}

#[derive(Default)]
struct Tally {
    gold: usize,
    found: usize,
    strict: usize,
    typed: usize,
}

fn prf(correct: usize, found: usize, gold: usize) -> (f64, f64, f64) {
    let p = correct as f64 / found.max(1) as f64;
    let r = correct as f64 / gold.max(1) as f64;
    let f = if p + r > 0.0 {
        2.0 * p * r / (p + r)
    } else {
        0.0
    };
    (p, r, f)
}

#[test]
fn evaluation_cases() {
    let ex = EntityExtractor::new(&RuleFiles::builtin()).unwrap();
    let cases: Cases = toml::from_str(include_str!("entities_cases.toml")).unwrap();
    // "dev": cases the rules were developed against; "fresh*": written later.
    let mut tallies: Vec<(&str, Tally)> = ["all", "dev", "fresh", "fresh2"]
        .into_iter()
        .map(|split| (split, Tally::default()))
        .collect();
    let mut failing = Vec::new();
    for (n, case) in cases.case.iter().enumerate() {
        let found = triples(&extract(&ex, &case.text));
        let strict = matched(&case.entities, &found, |g, f| g == f);
        let typed = matched(&case.entities, &found, |g, f| g[0] == f[0] && g[1] == f[1]);
        for (split, t) in tallies.iter_mut() {
            let case_split = if case.split.is_empty() {
                "dev"
            } else {
                case.split.as_str()
            };
            if *split == "all" || *split == case_split {
                t.gold += case.entities.len();
                t.found += found.len();
                t.strict += strict;
                t.typed += typed;
            }
        }
        if strict != case.entities.len() || strict != found.len() {
            failing.push(format!(
                "case {}: {:?}\n  expected {:?}\n  found    {:?}",
                n + 1,
                case.text,
                case.entities,
                found
            ));
        }
    }
    println!("{}", failing.join("\n"));
    for (split, t) in &tallies {
        let (p, r, f) = prf(t.strict, t.found, t.gold);
        let (tp, tr, tf) = prf(t.typed, t.found, t.gold);
        println!(
            "entity cases [{split}]: {} gold mentions, {} found\n  strict (type+text+canonical): P={p:.3} R={r:.3} F1={f:.3}\n  typed  (type+text):           P={tp:.3} R={tr:.3} F1={tf:.3}",
            t.gold, t.found
        );
    }
    let all = &tallies[0].1;
    let (_, _, f) = prf(all.strict, all.found, all.gold);
    assert!(f >= 0.80, "strict F1 {f:.3} fell below 0.80");
}

#[test]
fn rule_examples() {
    EntityExtractor::new(&RuleFiles::builtin())
        .unwrap()
        .run_examples()
        .assert_ok("entities_cues.toml");
}

#[test]
fn ids_order_and_entity_at() {
    let ex = EntityExtractor::new(&RuleFiles::builtin()).unwrap();
    let text = "Reuters reported that Huawei sued the Pentagon. Huawei said the Department of Defense erred.";
    let entities = extract(&ex, text);
    let ids: Vec<&str> = entities.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, vec!["e1", "e2", "e3"]);
    let dod = entity_at(&entities, Span::new(70, 75)).unwrap();
    assert_eq!(dod.name, "US Department of Defense");
    assert_eq!(dod.mentions.len(), 2);
    for e in &entities {
        assert!(e.mentions.windows(2).all(|w| w[0].span < w[1].span));
        for m in &e.mentions {
            assert_eq!(&text[m.span.start..m.span.end], m.text);
        }
    }
}

#[test]
fn avoids_date_and_list_spans() {
    let ex = EntityExtractor::new(&RuleFiles::builtin()).unwrap();
    let text = "Xiaomi was added to the Entity List by the Commerce Department.";
    let seg = segment(text, &[]);
    let doc = Doc::new(text, &seg, None);
    let list = newsx::record::ListRef {
        id: "us-bis-entity-list".into(),
        name: "Entity List".into(),
        authority: "US Department of Commerce".into(),
        mentions: vec![newsx::record::Mention {
            span: Span::new(24, 35),
            text: "Entity List".into(),
            rule: "t".into(),
        }],
    };
    let entities = ex.extract(&doc, &[], &[list]);
    assert!(entities.iter().all(|e| e
        .mentions
        .iter()
        .all(|m| !m.span.overlaps(Span::new(24, 35)))));
}

#[test]
fn odd_input_does_not_panic() {
    let ex = EntityExtractor::new(&RuleFiles::builtin()).unwrap();
    for text in [
        "",
        " ",
        "’s",
        "(",
        "A (B",
        "Ünïcödé Ñame Inc. ’s — “Mr.” (MIIT) U.S.A. 北京 Huawei’",
        "The the the company company.",
        // A company name closing a line without punctuation: the pair test
        // looked for a second company past the last word.
        "Pros About Allianz",
        "Northwestern Kellogg",
    ] {
        extract(&ex, text);
    }
    let huge =
        "Xiaomi said the company’s U.S. Department of Defense case (DOD) continues. ".repeat(5000);
    let entities = extract(&ex, &huge);
    assert!(!entities.is_empty());
}

#[test]
fn random_text_does_not_panic() {
    let ex = EntityExtractor::new(&RuleFiles::builtin()).unwrap();
    let pieces = [
        "Mr.",
        " ",
        "U.S.",
        "’s",
        "'s",
        "(",
        ")",
        "MIIT",
        "Inc.",
        ",",
        ".",
        "the",
        "company",
        "of",
        "and",
        "Ministry",
        "Lei",
        "Jun",
        "“",
        "”",
        "é",
        "北京",
        "\u{200B}",
        "\n",
        "Act",
        "A",
        "-",
        "Secretary",
        "Pete",
        "Hegseth",
        "DJI",
        "maker",
        "&",
        "Kennedy",
        "Mr",
        "Hotel",
        "Cup",
    ];
    let mut state: u64 = 0x2545_F491_4F6C_DD1D;
    for _ in 0..3000 {
        let mut text = String::new();
        for _ in 0..(state % 17) {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            text.push_str(pieces[(state % pieces.len() as u64) as usize]);
        }
        for e in extract(&ex, &text) {
            for m in &e.mentions {
                assert_eq!(text.get(m.span.start..m.span.end), Some(m.text.as_str()));
            }
        }
    }
}
