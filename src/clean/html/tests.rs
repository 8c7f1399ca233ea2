//! Tests of the HTML cleaner on pages built here: short-paragraph pages,
//! hostile sizes and depths (generous time bounds that catch quadratic
//! blow-ups, never speed thresholds), and the boilerplate, date and title
//! cases, each a data row reported together with the others.

use super::*;
use std::time::{Duration, Instant};

fn rules() -> HtmlRules {
    let sources = crate::rules::RuleFiles::builtin()
        .load(&catalog::CLEAN_HTML)
        .expect("built-in HTML rule file");
    HtmlRules::load(&sources).expect("built-in HTML rules load")
}

fn page(body: &str) -> String {
    format!("<html><head><title>T</title></head><body>{body}</body></html>")
}

#[test]
fn a_page_of_short_paragraphs_keeps_them_all() {
    let rules = rules();
    let three = rules.extract(
        &page("<p>First paragraph here.</p><p>Second one is here.</p><p>Third is here.</p>"),
        None,
    );
    assert_eq!(
        three.text,
        "First paragraph here.\n\nSecond one is here.\n\nThird is here."
    );
    let items: String = (0..1000)
        .map(|i| format!("<p>Item {i} is here.</p>"))
        .collect();
    let many = rules.extract(&page(&items), None);
    assert_eq!(
        many.text.split("\n\n").count(),
        1000,
        "{}",
        &many.text[..200]
    );
    assert!(many.text.starts_with("Item 0 is here.\n\nItem 1 is here."));
}

/// Runs `f`, failing when it takes longer than a bound far above its
/// linear cost (quadratic behaviour on these sizes takes minutes).
fn within<T>(what: &str, bound: Duration, f: impl FnOnce() -> T) -> T {
    let start = Instant::now();
    let out = f();
    let took = start.elapsed();
    assert!(took < bound, "{what} took {took:?}");
    out
}

#[test]
fn deep_nesting_is_linear_and_capped_with_a_warning() {
    let rules = rules();
    let depth = 100_000;
    let html = page(&format!(
        "{}{}",
        "<div>word ".repeat(depth),
        "</div>".repeat(depth)
    ));
    let found = within("100,000-deep page", Duration::from_secs(60), || {
        rules.extract(&html, None)
    });
    // The 511 outer one-word blocks are fragments around the capped
    // innermost element, which holds the rest as one prose block.
    assert_eq!(found.text.split_whitespace().count(), depth - 511);
    assert_eq!(found.warnings.len(), 1, "{:?}", found.warnings);
    let shallow = rules.extract(&page("<div><div><p>fine</p></div></div>"), None);
    assert!(shallow.warnings.is_empty());
}

#[test]
fn deep_inline_nesting_is_linear() {
    let rules = rules();
    let depth = 100_000;
    let html = page(&format!(
        "<p>{}text{}</p>",
        "<span><b>".repeat(depth),
        "</b></span>".repeat(depth)
    ));
    let found = within("100,000-deep inline page", Duration::from_secs(60), || {
        rules.extract(&html, None)
    });
    assert_eq!(found.text, "text");
}

#[test]
fn a_large_page_is_linear() {
    let rules = rules();
    let para = "The council met on Monday and approved the budget after a long debate \
                about schools, roads and parks in the northern districts. ";
    let section = format!(
        "<section><h2>Part</h2><p>{}</p><ul><li><a href=\"/a\">A link</a></li></ul></section>",
        para.repeat(4)
    );
    let html = page(&format!("<article>{}</article>", section.repeat(20_000)));
    assert!(html.len() > 10_000_000);
    let found = within("10 MB page", Duration::from_secs(120), || {
        rules.extract(&html, None)
    });
    assert_eq!(found.text.matches("approved the budget").count(), 80_000);
}

#[test]
fn comment_threads_stay_out_even_when_the_page_misuses_hints() {
    let rules = rules();
    let para = "The council met on Monday and approved the budget after a long debate \
                about schools, roads and parks in the northern districts.";
    let comment = "I fully agree with this decision and I think the council did the \
                   right thing for the schools in our part of the city, at long last.";
    // The article sits in a <header> (skipped by the strict pass, so the
    // relaxed pass reads the page); the long thread must not come with it.
    let html = page(&format!(
        "<main><header><h1>Budget</h1><p>{para}</p><p>{para}</p></header>\
         <div id=\"comments\" class=\"comments-area\"><ol>{}</ol></div></main>",
        format!("<li><p>{comment}</p></li>").repeat(12)
    ));
    let found = rules.extract(&html, None);
    assert!(found.text.contains("approved the budget"), "{}", found.text);
    assert!(!found.text.contains("I fully agree"), "{}", found.text);
}
