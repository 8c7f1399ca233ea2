//! The clean stage on the saved articles in corpus/: text passes through
//! unchanged, and the known boilerplate, bylines and dates are found.

use newsx::clean::{Article, Cleaner, ZoneKind};
use newsx::ingest::{Body, InputMeta};
use newsx::rules::RuleFiles;
use std::path::Path;

fn clean(name: &str) -> Article {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("corpus")
        .join(name);
    let text = std::fs::read_to_string(&path).expect("corpus article");
    let cleaner = Cleaner::new(&RuleFiles::builtin()).expect("built-in rules");
    let article = cleaner.clean(Body::Text(text.clone()), &InputMeta::default());
    assert_eq!(article.text, text, "{name}: plain text must not change");
    article
}

fn zones_of(a: &Article, kind: ZoneKind) -> Vec<&str> {
    a.zones
        .iter()
        .filter(|z| z.kind == kind)
        .map(|z| z.span.slice(&a.text))
        .collect()
}

#[test]
fn embedded_tweets_are_zoned_and_date_the_article() {
    let a = clean("000_d06433728f94e019.txt");
    let tweets = zones_of(&a, ZoneKind::Tweet);
    assert_eq!(tweets.len(), 2, "{tweets:?}");
    // Signatures are boilerplate; the tweets' own text stays, minus links.
    assert!(
        tweets[0].starts_with("— South China Morning Post (@SCMPNews)"),
        "{tweets:?}"
    );
    assert!(!tweets.iter().any(|t| t.contains("US lawmakers want")));
    let links = zones_of(&a, ZoneKind::Link);
    assert_eq!(
        links,
        ["https://t.co/2GASIsDZ7S", "pic.twitter.com/VWhmrVP6Vh"]
    );
    assert_eq!(a.published.map(|p| p.value), Some("2025-12-23".into()));
}

#[test]
fn teasers_comment_forms_and_bios_are_zoned() {
    let a = clean("001_0dde655821f67883.txt");
    let related = zones_of(&a, ZoneKind::Related);
    assert!(related[0].contains("Continue reading") && related[0].contains("Required fields"));

    let a = clean("003_e325d9accd4486c6.txt");
    assert_eq!(a.byline.as_deref(), Some("Joseph K. Clark"));
    assert_eq!(
        zones_of(&a, ZoneKind::Caption),
        vec!["pocketnow xiaomi mi 11"]
    );
    assert!(zones_of(&a, ZoneKind::AuthorBio)[0].starts_with("Nadeem Sarwar"));
}

#[test]
fn bylines_update_lines_and_author_boxes() {
    let a = clean("002_256525c41283d482.txt");
    assert_eq!(a.byline.as_deref(), Some("Aimee Chanthadavong"));
    assert_eq!(
        a.title.as_deref(),
        Some("Xiaomi denies any ties with Chinese military")
    );

    let a = clean("004_ab67d01881431fad.txt");
    assert_eq!(
        a.published.as_ref().map(|p| p.value.as_str()),
        Some("2021-01-14")
    );
    assert_eq!(a.byline.as_deref(), Some("Adam Conway"));
    let bio = zones_of(&a, ZoneKind::AuthorBio);
    assert!(bio[0].starts_with("About author") && bio[0].contains("reader supported"));
}
