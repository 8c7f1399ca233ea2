use super::*;
use crate::record::{EntityType, Mention};
use crate::segment::segment;

/// Built once: compiling the rules is the slow part of a debug test run.
fn extractor() -> &'static QuoteExtractor {
    static EXTRACTOR: std::sync::OnceLock<QuoteExtractor> = std::sync::OnceLock::new();
    EXTRACTOR.get_or_init(|| {
        QuoteExtractor::new(&RuleFiles::builtin()).expect("built-in quote rules load")
    })
}

fn run(ex: &QuoteExtractor, text: &str, entities: &[Entity]) -> Vec<Quote> {
    let seg = segment(text, &[]);
    let doc = Doc::new(text, &seg, None);
    ex.extract(&doc, entities)
}

fn entity(id: &str, kind: EntityType, text: &str, names: &[&str]) -> Entity {
    let mentions = names
        .iter()
        .flat_map(|name| text.match_indices(name))
        .map(|(start, name)| Mention {
            span: Span::new(start, start + name.len()),
            text: name.to_string(),
            rule: "test".into(),
        })
        .collect();
    Entity {
        id: id.into(),
        kind,
        name: names[0].into(),
        mentions,
    }
}

use super::examples::describe;

#[test]
fn every_rule_example_passes() {
    extractor().run_examples().assert_ok("quotes.toml");
}

#[test]
fn continuation_paragraph_takes_previous_speaker() {
    let ex = extractor();
    let text = "“We will fight this,” Lei Jun said.\n\n“The listing is wrong. We comply with every law.”\n\nShares rose.";
    let quotes = run(ex, text, &[]);
    let got: Vec<String> = quotes.iter().map(describe).collect();
    assert_eq!(quotes.len(), 2, "{got:?}");
    assert_eq!(quotes[1].rule, CONTINUATION_PREVIOUS);
    assert_eq!(quotes[1].speaker.as_ref().unwrap().text, "Lei Jun");
    assert_eq!(
        quotes[1].text,
        "The listing is wrong. We comply with every law."
    );
}

#[test]
fn second_passage_in_paragraph_continues() {
    let ex = extractor();
    let text = "“This country needs a leader,” he said. “We need integrity.”";
    let quotes = run(ex, text, &[]);
    let got: Vec<String> = quotes.iter().map(describe).collect();
    assert_eq!(quotes.len(), 2, "{got:?}");
    assert_eq!(quotes[1].rule, CONTINUATION_PARAGRAPH);
    assert_eq!(quotes[1].speaker.as_ref().unwrap().text, "he");
}

#[test]
fn scare_quotes_are_not_quotes() {
    let ex = extractor();
    let text = "Candidates met in the earlier “undercard” debate on Tuesday.";
    assert!(run(ex, text, &[]).is_empty());
}

#[test]
fn speakers_link_to_entities_and_antecedents() {
    let ex = extractor();
    let text = "Xiaomi sued the Pentagon on Friday. Lei Jun spoke first. \
                “We are not a military company,” the company said. \
                “It is wrong,” he said. “It is unlawful,” Lei Jun told reporters.";
    let entities = [
        entity("e1", EntityType::Org, text, &["Xiaomi"]),
        entity("e2", EntityType::Org, text, &["Pentagon"]),
        entity("e3", EntityType::Person, text, &["Lei Jun"]),
    ];
    let quotes = run(ex, text, &entities);
    let links: Vec<(&str, Option<&str>)> = quotes
        .iter()
        .filter_map(|q| q.speaker.as_ref())
        .map(|s| (s.text.as_str(), s.entity.as_deref()))
        .collect();
    assert_eq!(
        links,
        [
            ("the company", Some("e2")),
            ("he", Some("e3")),
            ("Lei Jun", Some("e3"))
        ]
    );
}

#[test]
fn odd_inputs_never_panic_and_stay_in_paragraph() {
    let ex = extractor();
    let long = "“a ".repeat(5000) + "\n\nsaid he.";
    let cases = [
        "",
        "\"",
        "“",
        "”",
        "’’’",
        "He said: “",
        "“x,” said",
        "é“ü”ñ said é.",
        "said that",
        long.as_str(),
    ];
    for text in cases {
        for q in run(ex, text, &[]) {
            assert!(text.get(q.span.start..q.span.end).is_some());
        }
    }
    let text = "He said: “this never closes.\n\nA new paragraph follows, he said.";
    let quotes = run(ex, text, &[]);
    assert!(quotes.iter().all(|q| !q.text.contains('\n')), "{quotes:?}");
}
