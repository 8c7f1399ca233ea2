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

/// The test paragraph told apart by a number: the cleaner leaves out a
/// long block that repeats an earlier one of the article word for word.
/// One paragraph of article prose, long enough to count as content.
const COUNCIL_PARA: &str = "The council met on Monday and approved the budget after a long debate \
                            about schools, roads and parks in the northern districts.";

fn part(para: &str, i: usize) -> String {
    format!("{para} Part {i}.")
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
    let para = format!("{COUNCIL_PARA} ");
    let sections: String = (0..20_000)
        .map(|i| {
            format!(
                "<section><h2>Part</h2><p>{}</p><ul><li><a href=\"/a\">A link</a></li></ul></section>",
                part(&para.repeat(4), i)
            )
        })
        .collect();
    let html = page(&format!("<article>{sections}</article>"));
    assert!(html.len() > 10_000_000);
    let found = within("10 MB page", Duration::from_secs(120), || {
        rules.extract(&html, None)
    });
    assert_eq!(found.text.matches("approved the budget").count(), 80_000);
}

#[test]
fn comment_threads_stay_out_even_when_the_page_misuses_hints() {
    let rules = rules();
    let para = COUNCIL_PARA;
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

#[test]
fn visible_date_lines_in_page_template_shapes() {
    // (line, date): glued labels, day-first dotted dates, update parts.
    let cases = [
        ("Elliot Raba23.07.2025 · 6 min read", Some((2025, 7, 23))),
        (
            "Garnix Blog: Hardware-Attested Nix BuildsDec 17, 2025Julian",
            Some((2025, 12, 17)),
        ),
        ("DECEMBER 22, 2022Updated", Some((2022, 12, 22))),
        (
            "Which lawnmower suits which lawn? 17.05.2021",
            Some((2021, 5, 17)),
        ),
        ("Shivya Nath 12th February 2025", Some((2025, 2, 12))),
        ("Version 3.12.20 released", None),
        ("Posted 09.10.2024", None),
        ("Posted 12.12.2025", Some((2025, 12, 12))),
        ("No date here", None),
    ];
    let mut failures = Vec::new();
    for (line, want) in cases {
        let want = want.and_then(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d));
        let got = meta::date_in_line(line);
        if got != want {
            failures.push(format!("{line:?}: got {got:?}, want {want:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn headline_dates_tell_publication_from_update() {
    let para = COUNCIL_PARA;
    // (case, head, line under the headline, page URL, date)
    let cases = [
        (
            "an update date does not replace the metadata's publication date",
            r#"<meta property="article:published_time" content="2021-08-12">"#,
            "<p>Last Updated: 2025-02-22</p>",
            None,
            Some((2021, 8, 12)),
        ),
        (
            "an update date dates a page that gives no other date",
            "",
            "<p>Last Updated: 2025-02-22</p>",
            None,
            Some((2025, 2, 22)),
        ),
        (
            "a published date before the update part of the line wins",
            "",
            "<p>Sweat August 16, 2019 - Updated May 2, 2024</p>",
            None,
            Some((2019, 8, 16)),
        ),
        (
            "a full date in the address outranks a date line",
            "",
            "<p>valid November 26 – December 3, 2025</p>",
            Some("https://example.com/2025/11/24/offers/"),
            Some((2025, 11, 24)),
        ),
        (
            "the address may name the month",
            "",
            "<p>03/10/2023</p>",
            Some("https://example.com/blog/2023/october/03/wine-styles/"),
            Some((2023, 10, 3)),
        ),
        (
            "a table's cell under the headline is data, not the page's date",
            r#"<meta property="article:published_time" content="2025-02-12T23:21:00+00:00">"#,
            "<table><tr><td>1/1/2013</td><td>+13.1%</td></tr></table>",
            None,
            Some((2025, 2, 12)),
        ),
        (
            "a date line a day off the metadata's timestamp leaves the metadata's date",
            r#"<meta property="article:published_time" content="2025-07-05T00:04:00+00:00">"#,
            "<p>July 4, 2025</p>",
            None,
            Some((2025, 7, 5)),
        ),
        (
            "a date line days away from the metadata's date is the page's",
            r#"<meta property="article:published_time" content="2025-07-01T00:04:00+00:00">"#,
            "<p>July 4, 2025</p>",
            None,
            Some((2025, 7, 4)),
        ),
    ];
    let rules = rules();
    let mut failures = Vec::new();
    for (case, head, line, url, want) in cases {
        let html = format!(
            "<html><head><title>Budget passes</title>{head}</head><body><article>\
             <h1>Budget passes</h1>{line}<p>{para}</p><p>{para}</p></article></body></html>"
        );
        let found = rules.extract(&html, url);
        let got = found.shown_date.or(found.published);
        let want = want.and_then(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d));
        if got != want {
            failures.push(format!("{case}: got {got:?}, want {want:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn headline_text_and_labels() {
    // (case, page, title)
    let cases = [
        (
            "inline elements inside a word join it",
            r#"<title>How AI Can Cut Your Planning Cycle | Every</title></head><body><h1>How AI Can Cut Your Planning <span class="hand">C</span>ycle</h1>"#,
            "How AI Can Cut Your Planning Cycle",
        ),
        (
            "a label before the stated title is dropped",
            r#"<meta property="og:title" content="Best Agencies in 2025 (Ranked)"></head><body><h1><strong>Blog:</strong> Best Agencies in 2025 (Ranked)</h1>"#,
            "Best Agencies in 2025 (Ranked)",
        ),
        (
            "a date before the stated title is dropped",
            r#"<meta property="og:title" content="Preparing a transition"></head><body><h1>Dec 18 2025 Preparing a transition</h1>"#,
            "Preparing a transition",
        ),
        (
            "a headline longer than the stated title keeps its words",
            r#"<meta property="og:title" content="Best Electric Scooters"></head><body><h1>The Best Electric Scooters</h1>"#,
            "The Best Electric Scooters",
        ),
        (
            "an <h1> equal to the og:title wins over a JSON-LD headline holding the description",
            r#"<meta property="og:title" content="5 Trends from Nutrition 2025"><script type="application/ld+json">{"@type":"Article","headline":"The meeting brought together experts and clinicians to showcase the latest science"}</script></head><body><h1>5 Trends from Nutrition 2025</h1>"#,
            "5 Trends from Nutrition 2025",
        ),
        (
            "an <h1> equal to the part of the <title> before a separator",
            r#"<meta property="og:title" content="Coffee - University of Wisconsin-Stevens Point"></head><body><h1>Coffee</h1>"#,
            "Coffee",
        ),
        (
            "an <h1> masthead equal to the site part of the <title> is not the headline",
            r#"<title>Choosing a Web framework | Marcus on AI</title></head><body><h1>Marcus on AI</h1>"#,
            "Choosing a Web framework",
        ),
        (
            "a JSON-LD headline cut short gives way to the whole stated title",
            r#"<meta property="og:title" content="Fix It Friday: We Help 4 Readers Find Solutions (Including One Trick That Works) - Emily Henderson"><meta property="og:site_name" content="Emily Henderson"><script type="application/ld+json">{"@type":"Article","headline":"Fix It Friday: We Help 4 Readers Find Solutions (Including"}</script></head><body>"#,
            "Fix It Friday: We Help 4 Readers Find Solutions (Including One Trick That Works)",
        ),
        (
            "a section and a site after the headline both go",
            r#"<title>How to help toddlers sleep | Patient Education | UCSF Health</title></head><body>"#,
            "How to help toddlers sleep",
        ),
        (
            "fullwidth punctuation in a Latin headline is plain ASCII",
            r#"<meta property="og:title" content="How Does Robot Vacuum Mapping Work？"></head><body><h1>How Does Robot Vacuum Mapping Work？</h1>"#,
            "How Does Robot Vacuum Mapping Work?",
        ),
        (
            "a headline in capitals gives way to the stated title in mixed case",
            r#"<meta property="og:title" content="GAAP Compliance: Applying Best Practices | Acme"></head><body><h1>SUPPORTING GAAP COMPLIANCE</h1>"#,
            "GAAP Compliance: Applying Best Practices",
        ),
        (
            "a headline in capitals stays when the stated title is in capitals too",
            r#"<meta property="og:title" content="ACTUARIAL CONSULTING VS. INSURANCE"></head><body><h1>ACTUARIAL CONSULTING VS. INSURANCE</h1>"#,
            "ACTUARIAL CONSULTING VS. INSURANCE",
        ),
        (
            "a short word in capitals is not styling",
            r#"<meta property="og:title" content="Nasa launch | Space"></head><body><h1>NASA LAUNCH</h1>"#,
            "NASA LAUNCH",
        ),
    ];
    let rules = rules();
    let mut failures = Vec::new();
    for (case, page, want) in cases {
        let html = format!("<html><head>{page}<p>Some text of the page.</p></body></html>");
        let got = rules.extract(&html, None).title;
        if got.as_deref() != Some(want) {
            failures.push(format!("{case}: got {got:?}, want {want:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn teaser_cards_stay_out_of_the_article() {
    let rules = rules();
    let para = COUNCIL_PARA;
    let (p1, p2, p3) = (part(para, 1), part(para, 2), part(para, 3));
    let card = |i: usize| {
        format!(
            "<div class=\"card\"><h3><a href=\"/story-{i}\">Another story number {i}</a></h3>\
             <p>An excerpt of the other story that runs on for a while, long enough to read as a sentence of prose.</p>\
             <p>Dec {i}, 2025</p></div>"
        )
    };
    let cards: String = (1..=4).map(card).collect();
    // Linked headings of a table of contents point into the page itself.
    let html = page(&format!(
        "<div class=\"wrap\"><h1>Budget</h1><p>{p1}</p>\
         <h2><a href=\"#roads\">Roads</a></h2><p>{p2}</p>\
         <h2><a href=\"#parks\">Parks</a></h2><p>{p3}</p>\
         <div class=\"more\">{cards}</div></div>"
    ));
    let found = rules.extract(&html, None);
    assert!(found.text.contains("Roads"), "{}", found.text);
    assert_eq!(found.text.matches("approved the budget").count(), 3);
    assert!(!found.text.contains("Another story"), "{}", found.text);
    assert!(!found.text.contains("An excerpt"), "{}", found.text);
}

#[test]
fn sign_up_boxes_with_a_field_stay_out_of_the_article() {
    let rules = rules();
    let para = COUNCIL_PARA;
    let (p1, p2, p3, p4, p5) = (
        part(para, 1),
        part(para, 2),
        part(para, 3),
        part(para, 4),
        part(para, 5),
    );
    // No class names the box: the e-mail field does.
    let html = page(&format!(
        "<div class=\"wrap\"><h1>Budget</h1><p>{p1}</p><p>{p2}</p>\
         <div class=\"x\"><h3>Get more city news</h3><p>Awesome stories and offers, \
         hand-picked for you and delivered to your inbox every single week.</p>\
         <div><input type=\"email\" placeholder=\"Your e-mail\"><button>Go</button></div>\
         <p>By signing up you agree to our terms.</p></div><p>{p3}</p></div>"
    ));
    let found = rules.extract(&html, None);
    assert_eq!(found.text.matches("approved the budget").count(), 3);
    assert!(!found.text.contains("city news"), "{}", found.text);
    assert!(!found.text.contains("hand-picked"), "{}", found.text);
    // A wrapper holding a whole article and a form stays.
    let long: String = (0..6)
        .map(|i| format!("<p>{}</p>", part(para, i)))
        .collect();
    let html = page(&format!(
        "<div class=\"wrap\"><h1>Budget</h1>{long}<input type=\"text\"></div>"
    ));
    let found = rules.extract(&html, None);
    assert_eq!(found.text.matches("approved the budget").count(), 6);
    // A short brief whose own wrapper holds a comment field stays.
    let html = page(&format!(
        "<article><h1>Budget</h1><div class=\"body\"><p>{p4}</p><p>{p5}</p>\
         <form><textarea></textarea></form></div></article>"
    ));
    let found = rules.extract(&html, None);
    assert_eq!(
        found.text.matches("approved the budget").count(),
        2,
        "{}",
        found.text
    );
}

#[test]
fn small_furniture_boxes_stay_out_of_the_article() {
    let rules = rules();
    let para = COUNCIL_PARA;
    let (p1, p2) = (part(para, 1), part(para, 2));
    let html = page(&format!(
        "<div class=\"wrap\"><h1>Budget</h1><p>{p1}</p><p>{p2}</p>\
         <div class=\"cs-entry__author-description\"><p>Jane Doe has covered city \
         politics for twenty years and writes about budgets, schools and transport.</p></div>\
         <div class=\"mc4wp-form\"><p>Join our newsletter for a weekly digest of what the \
         council decided and what it means for you.</p></div></div>"
    ));
    let found = rules.extract(&html, None);
    assert_eq!(found.text.matches("approved the budget").count(), 2);
    assert!(!found.text.contains("Jane Doe has"), "{}", found.text);
    assert!(!found.text.contains("newsletter"), "{}", found.text);
    // A wrapper whose class names such a box but holds the whole article stays.
    let long: String = (0..12)
        .map(|i| format!("<p>{}</p>", part(para, i)))
        .collect();
    let wrapped = rules.extract(
        &page(&format!("<div class=\"post-share-wrap\">{long}</div>")),
        None,
    );
    assert_eq!(wrapped.text.matches("approved the budget").count(), 12);
}

#[test]
fn wrappers_without_prose_after_the_last_paragraph_stay_out() {
    let rules = rules();
    let para = COUNCIL_PARA;
    let (p1, p2, p3, p4) = (part(para, 1), part(para, 2), part(para, 3), part(para, 4));
    // Unnamed trailing boxes: a sign-off of the site and a short list of
    // links in divs, after the article's last paragraph.
    let html = page(&format!(
        "<div class=\"wrap\"><h1>Budget</h1><p>{p1}</p>\
         <ul><li>Roads: resurfaced</li><li>Parks: two new</li></ul><p>{p2}</p>\
         <div class=\"x1\"><div>Get more city news</div><div>Sign up today</div></div>\
         <div class=\"x2\"><h4>Popular</h4><div>Ten things to do this weekend</div></div></div>"
    ));
    let found = rules.extract(&html, None);
    assert_eq!(found.text.matches("approved the budget").count(), 2);
    // The article's own short list between its paragraphs stays.
    assert!(found.text.contains("Parks: two new"), "{}", found.text);
    assert!(!found.text.contains("Get more city news"), "{}", found.text);
    assert!(!found.text.contains("Ten things"), "{}", found.text);
    // Testimonials and cookie notices stay out even when the page reads
    // its hinted parts (the article inside a <header>).
    let quote = "I have used this service for ten years and I cannot recommend it highly \
                 enough to anyone in the northern districts of the city.";
    let html = page(&format!(
        "<main><header><h1>Budget</h1><p>{p3}</p><p>{p4}</p></header>\
         <div class=\"testimonials-wrapper\">{}</div>\
         <div class=\"cookie-notice\"><p>{quote}</p></div></main>",
        format!("<blockquote>{quote}</blockquote>").repeat(6)
    ));
    let found = rules.extract(&html, None);
    assert!(found.text.contains("approved the budget"), "{}", found.text);
    assert!(!found.text.contains("recommend"), "{}", found.text);
}

#[test]
fn last_resort_dates_of_undated_pages() {
    let para = COUNCIL_PARA;
    // (case, head, body, date): nothing by the headline dates these pages.
    let cases = [
        (
            "a date element the page names, away from the headline",
            "",
            r#"<article><h1>Budget passes</h1><p>{para}</p><p>{para}</p></article>
               <div class="col"><span class="fusion-tb-published-date">Published On: 15 August 2025</span></div>"#,
            Some((2025, 8, 15)),
        ),
        (
            "a short date line after the article",
            "",
            r#"<article><h1>Budget passes</h1><p>{para}</p><p>{para}</p></article>
               <div><p>Written by Jane Doe</p><p>April 8, 2024</p></div>"#,
            Some((2024, 4, 8)),
        ),
        (
            "an update line when the page shows nothing else",
            "",
            r#"<main><h1>Budget passes: what changes</h1><p>Last Modified: August 08, 2023</p>
               <p>{para}</p><p>{para}</p></main>"#,
            Some((2023, 8, 8)),
        ),
        (
            "a comment's date is not the page's",
            "",
            r#"<article><h1>Budget passes</h1><p>{para}</p><p>{para}</p></article>
               <div class="comment-date">Reply · March 3, 2024</div>"#,
            None,
        ),
        (
            "a share widget's data attribute naming the item's date",
            "",
            r#"<article><h1>Budget passes</h1><p>{para}</p><p>{para}</p>
               <div data-item_url="https://example.com/budget" data-item_date=2025-12-20T03:00:39-05:00></div></article>"#,
            Some((2025, 12, 20)),
        ),
        (
            "a data attribute naming an update is not read",
            "",
            r#"<article><h1>Budget passes</h1><p>{para}</p><p>{para}</p>
               <div data-updated-date="2025-12-20"></div></article>"#,
            None,
        ),
    ];
    let rules = rules();
    let mut failures = Vec::new();
    for (case, head, body, want) in cases {
        let body = body.replace("{para}", para);
        let html = format!(
            "<html><head><title>Budget passes</title>{head}</head><body>{body}</body></html>"
        );
        let found = rules.extract(&html, None);
        let got = found
            .shown_date
            .or(found.published)
            .or(found.visible_date)
            .or(found.last_resort_date);
        let want = want.and_then(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d));
        if got != want {
            failures.push(format!("{case}: got {got:?}, want {want:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn an_article_of_short_sentences_is_not_lost_to_a_box_of_longer_bios() {
    let rules = rules();
    // Six paragraphs of 40 to 49 characters: each a short sentence.
    let article: String = [
        "Run the tests locally on your own machine.",
        "Choose one of the tests that fails for you.",
        "Investigate why it fails and write it down.",
        "Fix the problem and then open a pull request.",
        "If you find a bug, please open a new issue.",
        "Good first issues are the easiest to start.",
    ]
    .iter()
    .map(|s| format!("<p>{s}</p>"))
    .collect();
    let bios = "<div class=\"team\">\
        <p>Jane Doe writes about compilers and has worked on three of them since 2010.</p>\
        <p>John Roe maintains the test suite and reviews most of the pull requests here.</p></div>";
    let found = rules.extract(&page(&format!("<div>{article}</div>{bios}")), None);
    assert!(
        found.text.starts_with("Run the tests locally"),
        "{}",
        found.text
    );
    assert!(found.text.contains("Good first issues"), "{}", found.text);
}

#[test]
fn picture_credits_and_author_boxes_stay_out_of_the_article() {
    let rules = rules();
    let para = COUNCIL_PARA;
    let (p1, p2) = (part(para, 1), part(para, 2));
    let html = page(&format!(
        "<article><p>{p1}</p><p>Image credit: Getty Images</p><p>{p2}</p>\
         <div itemprop=\"author\" itemscope><p>Jane Doe writes about city budgets \
         and has covered the council for ten years.</p></div></article>"
    ));
    let got = rules.extract(&html, None).text;
    assert_eq!(got, format!("{p1}\n\n{p2}"));
}

#[test]
fn a_second_copy_of_the_article_is_left_out() {
    let rules = rules();
    let para = COUNCIL_PARA;
    let (p1, p2) = (part(para, 1), part(para, 2));
    // The same text rendered twice (a desktop and a mobile copy); short
    // lines that repeat ("Pros", a price) stay.
    let copy = format!("<p>{p1}</p><p>Pros</p><p>{p2}</p>");
    let html = page(&format!(
        "<article><div class=\"desktop\">{copy}</div><div class=\"mobile\">{copy}</div></article>"
    ));
    let got = rules.extract(&html, None).text;
    assert_eq!(got, format!("{p1}\n\nPros\n\n{p2}\n\nPros"));
}

#[test]
fn a_short_footer_inside_the_article_stays_out() {
    let rules = rules();
    let para = COUNCIL_PARA;
    let (p1, p2) = (part(para, 1), part(para, 2));
    // The article sits in a <header> (the relaxed pass reads it); its
    // own short <footer> is a sign-off, not text.
    let html = page(&format!(
        "<main><header><h1>Budget</h1><p>{p1}</p><p>{p2}</p>\
         <footer><p>Filed under city hall, with more from the council desk every week.</p></footer>\
         </header></main>"
    ));
    let got = rules.extract(&html, None).text;
    assert!(got.ends_with(&format!("{p1}\n\n{p2}")), "{got}");
    assert!(!got.contains("Filed under"), "{got}");
}
