//! Quote extraction through the public pipeline API, on a short article.

use newsx::extract::Doc;
use newsx::record::{Entity, EntityType, Mention, QuoteKind, Span};
use newsx::segment::segment;
use newsx::{Options, Pipeline};

const ARTICLE: &str = "Xiaomi sues Pentagon over blacklisting\n\n\
Xiaomi said it operates solely as a consumer-focused company. \
In a statement, the company said it was “not a Chinese military company”.\n\n\
“The decision was arbitrary,” said spokesman Liu Pengyu. “We will protect our rights.”\n\n\
“Our shareholders deserve better. We comply with the law.”\n\n\
The candidates met in the “undercard” debate.";

fn xiaomi() -> Entity {
    let mentions = ARTICLE
        .match_indices("Xiaomi")
        .map(|(start, name)| Mention {
            span: Span::new(start, start + name.len()),
            text: name.to_string(),
            rule: "test".into(),
        })
        .collect();
    Entity {
        id: "e1".into(),
        kind: EntityType::Org,
        name: "Xiaomi".into(),
        mentions,
    }
}

#[test]
fn article_quotes_have_kinds_speakers_and_order() {
    let pipeline = Pipeline::new(&Options::default()).expect("built-in rules load");
    let seg = segment(ARTICLE, &[]);
    let doc = Doc::new(ARTICLE, &seg, None);
    let quotes = pipeline.extractors().quotes.extract(&doc, &[xiaomi()]);
    let got: Vec<(QuoteKind, &str, &str, Option<&str>)> = quotes
        .iter()
        .map(|q| {
            let speaker = q.speaker.as_ref().expect("every quote has a speaker");
            (
                q.kind,
                q.text.as_str(),
                speaker.text.as_str(),
                speaker.entity.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (
                QuoteKind::Indirect,
                "it operates solely as a consumer-focused company",
                "Xiaomi",
                Some("e1")
            ),
            (
                QuoteKind::Mixed,
                "it was “not a Chinese military company”",
                "the company",
                Some("e1")
            ),
            (
                QuoteKind::Direct,
                "The decision was arbitrary",
                "spokesman Liu Pengyu",
                None
            ),
            (
                QuoteKind::Direct,
                "We will protect our rights.",
                "spokesman Liu Pengyu",
                None
            ),
            (
                QuoteKind::Direct,
                "Our shareholders deserve better. We comply with the law.",
                "spokesman Liu Pengyu",
                None
            ),
        ]
    );
    assert!(quotes
        .windows(2)
        .all(|w| w[0].span.start <= w[1].span.start));
    for q in &quotes {
        assert_eq!(q.span.slice(ARTICLE), q.text);
    }
}
