//! HTML cleaning: the main article text and the page's title, byline and
//! publication date.
//!
//! The text comes from a density pass over the DOM: page furniture
//! (scripts, navigation, asides, elements whose class or id names
//! boilerplate, hidden elements) is skipped; the remaining text is cut into
//! blocks at block-level elements; each block is worth its length when it
//! is prose and costs its length when it is links or fragments; the element
//! whose blocks are worth most (a small bonus for `<article>` and content
//! class names) is the article, minus the link-heavy lists inside it. A
//! second, relaxed pass that keeps headers, footers and hinted elements
//! wins when the strict one finds much less (page builders misuse them).
//! Metadata comes from `<meta>`, JSON-LD, microdata, conventional byline
//! elements and the URL; the short lines around the article's start are
//! handed back for the text rules (bylines, dates).
//!
//! It does not fetch anything, run scripts, or read text out of JSON blobs.

use crate::dct::parse_date;
use crate::error::RuleError;
use crate::rules::{catalog, ExampleFailure, ExampleReport, RuleSource};
use chrono::NaiveDate;
use regex::Regex;
use scraper::{ElementRef, Html, Node, Selector};
use serde::Deserialize;
use serde_json::Value;
use std::collections::HashSet;

/// Below this many characters of extracted text, the pass is repeated
/// without the class/id hints (a wrapper's class may name boilerplate).
const MIN_TEXT: usize = 250;
/// The relaxed pass also wins when the strict pass's container is worth
/// less than this share of the relaxed one's.
const RELAX_RATIO: f64 = 0.3;

/// How many blocks before and after the article's first one may hold
/// its byline and date, and how long such a line may be.
const HEADER_BEFORE: usize = 30;
const HEADER_AFTER: usize = 6;
const HEADER_LINE_MAX: usize = 160;

/// Worth multiplier for elements the page marks as article content.
const CONTENT_HINT_BONUS: f64 = 1.25;

/// The strict pass skips everything the rules name; the relaxed pass only
/// the elements that never hold text (`drop_tags`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Pass {
    Strict,
    Relaxed,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHint {
    pattern: String,
    examples: Vec<String>,
    #[serde(default)]
    counter: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTitle {
    separators: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHtml {
    #[serde(default)]
    drop_tags: Vec<String>,
    #[serde(default)]
    soft_drop_tags: Vec<String>,
    #[serde(default)]
    drop_roles: Vec<String>,
    negative: Option<RawHint>,
    positive: Option<RawHint>,
    title: Option<RawTitle>,
    byline: Option<RawByline>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawByline {
    label: String,
    cut: String,
    examples: Vec<(String, String)>,
}

/// A class/id hint with its examples.
#[derive(Clone, Debug)]
pub struct Hint {
    pub origin: String,
    pub regex: Regex,
    pub examples: Vec<String>,
    pub counter: Vec<String>,
}

/// The compiled HTML rules and selectors.
pub struct HtmlRules {
    drop_tags: HashSet<String>,
    soft_drop_tags: HashSet<String>,
    drop_roles: HashSet<String>,
    negative: Hint,
    positive: Hint,
    separators: Vec<String>,
    byline: BylineCleanup,
    sel: Selectors,
}

/// Patterns that reduce a byline element's text to the name.
struct BylineCleanup {
    origin: String,
    label: Regex,
    cut: Regex,
    examples: Vec<(String, String)>,
}

impl BylineCleanup {
    fn name<'t>(&self, text: &'t str) -> &'t str {
        let start = self.label.find(text).map_or(0, |m| m.end());
        let rest = &text[start..];
        let end = self.cut.find(rest).map_or(rest.len(), |m| m.start());
        rest[..end].trim_matches(|c: char| c.is_whitespace() || matches!(c, ',' | ':' | '"'))
    }
}

struct Selectors {
    meta: Selector,
    json_ld: Selector,
    h1: Selector,
    title: Selector,
    author_el: Selector,
    date_el: Selector,
    time: Selector,
    canonical: Selector,
}

impl Selectors {
    fn new() -> Self {
        let s = |css: &str| Selector::parse(css).expect("built-in selector");
        Selectors {
            meta: s("meta"),
            json_ld: s(r#"script[type="application/ld+json"]"#),
            h1: s("h1"),
            title: s("title"),
            author_el: s(
                r#"[itemprop="author"], [rel="author"], a[href*="/author/"], a[href*="/authors/"], [class*="byline" i], [class*="author" i]"#,
            ),
            date_el: s(r#"[itemprop="datePublished"]"#),
            time: s("time[datetime]"),
            canonical: s(r#"link[rel="canonical"]"#),
        }
    }
}

/// What the HTML cleaner finds in a page.
#[derive(Clone, Debug, Default)]
pub struct HtmlExtract {
    pub text: String,
    pub title: Option<String>,
    pub byline: Option<String>,
    pub published: Option<NaiveDate>,
    /// Short lines near the start of the article, for byline and date cues.
    pub header_lines: Vec<String>,
}

impl HtmlRules {
    pub fn load(sources: &[RuleSource]) -> Result<Self, RuleError> {
        let mut drop_tags = HashSet::new();
        let mut soft_drop_tags = HashSet::new();
        let mut drop_roles = HashSet::new();
        let mut negative = None;
        let mut positive = None;
        let mut separators = Vec::new();
        let mut byline = None;
        for source in sources {
            let raw: RawHtml = source.parse_toml()?;
            drop_tags.extend(raw.drop_tags.into_iter().map(|t| t.to_ascii_lowercase()));
            soft_drop_tags.extend(
                raw.soft_drop_tags
                    .into_iter()
                    .map(|t| t.to_ascii_lowercase()),
            );
            drop_roles.extend(raw.drop_roles.into_iter().map(|t| t.to_ascii_lowercase()));
            if let Some(h) = raw.negative {
                negative = Some(compile_hint(source, "negative", h)?);
            }
            if let Some(h) = raw.positive {
                positive = Some(compile_hint(source, "positive", h)?);
            }
            if let Some(t) = raw.title {
                separators = t.separators;
            }
            if let Some(b) = raw.byline {
                byline = Some(compile_byline(source, b)?);
            }
        }
        let origin = sources
            .first()
            .map_or(catalog::CLEAN_HTML.name, |s| s.origin.as_str());
        let missing =
            |what: &str| RuleError::invalid(origin, 1, format!("missing [{what}] section"));
        Ok(HtmlRules {
            drop_tags,
            soft_drop_tags,
            drop_roles,
            negative: negative.ok_or_else(|| missing("negative"))?,
            positive: positive.ok_or_else(|| missing("positive"))?,
            separators,
            byline: byline.ok_or_else(|| missing("byline"))?,
            sel: Selectors::new(),
        })
    }

    /// Runs the class/id hint and byline examples.
    pub fn run_examples(&self) -> ExampleReport {
        let mut report = ExampleReport::default();
        let failure =
            |place: &str, rule: &str, example: &str, want: String, got: String| ExampleFailure {
                place: place.to_string(),
                rule: rule.to_string(),
                example: example.to_string(),
                want,
                got,
            };
        for (what, hint) in [("negative", &self.negative), ("positive", &self.positive)] {
            let rule = format!("[{what}]");
            for ex in &hint.examples {
                let matched = hint.regex.is_match(ex);
                report.record((!matched).then(|| {
                    failure(&hint.origin, &rule, ex, "a match".into(), "no match".into())
                }));
            }
            for ex in &hint.counter {
                let matched = hint.regex.is_match(ex);
                report.record(matched.then(|| {
                    failure(&hint.origin, &rule, ex, "no match".into(), "a match".into())
                }));
            }
        }
        let b = &self.byline;
        for (text, want) in &b.examples {
            let got = b.name(text);
            report.record((got != *want).then(|| {
                failure(
                    &b.origin,
                    "[byline]",
                    text,
                    format!("{want:?}"),
                    format!("{got:?}"),
                )
            }));
        }
        report
    }

    /// Extracts text and metadata from an HTML page. Never fails: a page
    /// without article text gives empty text.
    pub fn extract(&self, source: &str) -> HtmlExtract {
        let doc = Html::parse_document(source);
        let meta = self.metadata(&doc);
        let title = meta.title.as_deref();
        let strict = self.flatten(&doc, Pass::Strict);
        let relaxed = self.flatten(&doc, Pass::Relaxed);
        let (mut text, strict_value) = article_text(&strict, title);
        // Page builders misuse <header>, `hidden` and class names; when the
        // strict pass finds little, a pass without those hints may do better.
        let (relaxed_text, relaxed_value) = article_text(&relaxed, title);
        let weak = text.len() < MIN_TEXT || strict_value < RELAX_RATIO * relaxed_value;
        if weak && relaxed_text.len() > text.len() {
            text = relaxed_text;
        }
        let header_lines = header_lines(&relaxed, &text);
        HtmlExtract {
            text,
            header_lines,
            ..meta
        }
    }

    // ------------------------------------------------------------ text

    /// One pass over the DOM: the element table and the text blocks.
    fn flatten(&self, doc: &Html, pass: Pass) -> Page {
        let mut page = Page::default();
        let root = doc.root_element();
        page.nodes.push(PNode::root());
        let mut buf = BlockBuf::default();
        let mut stack = vec![(root.children(), 0usize)];
        while let Some((iter, parent)) = stack.last_mut() {
            let parent = *parent;
            let Some(child) = iter.next() else {
                stack.pop();
                if page.nodes[parent].block {
                    buf.flush(&mut page);
                }
                continue;
            };
            match child.value() {
                Node::Text(t) => buf.push_text(&page, parent, t),
                Node::Element(_) => {
                    let Some(el) = ElementRef::wrap(child) else {
                        continue;
                    };
                    let tag = el.value().name();
                    if tag == "br" {
                        buf.push_text(&page, parent, " ");
                        continue;
                    }
                    if self.skips(el, pass) {
                        continue;
                    }
                    let idx = page.add_node(self, el, parent);
                    if page.nodes[idx].block {
                        buf.flush(&mut page);
                    }
                    stack.push((child.children(), idx));
                }
                _ => {}
            }
        }
        buf.flush(&mut page);
        page.score();
        page
    }

    /// True when an element and its content are page furniture.
    fn skips(&self, el: ElementRef, pass: Pass) -> bool {
        let e = el.value();
        let tag = e.name();
        if self.drop_tags.contains(tag) {
            return true;
        }
        if pass == Pass::Relaxed {
            return false;
        }
        if self.soft_drop_tags.contains(tag)
            || e.attr("hidden").is_some()
            || e.attr("aria-hidden") == Some("true")
        {
            return true;
        }
        if let Some(style) = e.attr("style") {
            let style = style.to_ascii_lowercase().replace(' ', "");
            if style.contains("display:none") || style.contains("visibility:hidden") {
                return true;
            }
        }
        if e.attr("role")
            .is_some_and(|r| self.drop_roles.contains(&r.to_ascii_lowercase()))
        {
            return true;
        }
        if matches!(tag, "html" | "body" | "article" | "main" | "a" | "p") {
            return false;
        }
        let hints = |hint: &Hint| class_tokens(el).any(|t| hint.regex.is_match(&t));
        hints(&self.negative) && !hints(&self.positive)
    }

    // -------------------------------------------------------- metadata

    fn metadata(&self, doc: &Html) -> HtmlExtract {
        let mut metas = MetaTags::default();
        for m in doc.select(&self.sel.meta) {
            metas.add(m);
        }
        let ld = JsonLd::collect(doc, &self.sel.json_ld);
        let title_tag = doc
            .select(&self.sel.title)
            .map(element_text)
            .find(|t| !t.is_empty());
        let site = metas.site_name.clone();
        // The page's stated title, used to pick among several <h1>s.
        let stated = ld
            .headline
            .clone()
            .or_else(|| metas.og_title.clone())
            .or_else(|| metas.twitter_title.clone())
            .or_else(|| title_tag.clone());
        let h1s: Vec<String> = doc
            .select(&self.sel.h1)
            .map(|h| meta_text(&element_text(h)))
            .filter(|t| !t.is_empty() && t.len() <= 400)
            .collect();
        let title = best_heading(&h1s, stated.as_deref())
            .map(|h| self.strip_site(&h, site.as_deref()))
            .or_else(|| stated.map(|t| self.strip_site(&t, site.as_deref())))
            .filter(|t| !t.is_empty());
        let byline = ld
            .author
            .clone()
            .filter(|a| declared_name(a))
            .or_else(|| metas.author.clone().filter(|a| declared_name(a)))
            .or_else(|| self.author_element(doc));
        let published = metas
            .published
            .iter()
            .chain(ld.published.iter())
            .chain(ld.any_published.iter())
            .find_map(|s| parse_meta_date(s))
            .or_else(|| self.date_element(doc))
            .or_else(|| {
                let canonical = doc
                    .select(&self.sel.canonical)
                    .find_map(|l| l.value().attr("href"));
                metas.url.as_deref().or(canonical).and_then(url_date)
            });
        HtmlExtract {
            text: String::new(),
            title,
            byline,
            published,
            header_lines: Vec::new(),
        }
    }

    /// Drops a " | Site Name" suffix (or prefix) from a title.
    fn strip_site(&self, title: &str, site: Option<&str>) -> String {
        let title = collapse_ws(title);
        for sep in &self.separators {
            let Some((head, tail)) = title.rsplit_once(sep.as_str()) else {
                continue;
            };
            let site_like = |s: &str| {
                site.is_some_and(|n| normalise_key(n) == normalise_key(s))
                    || (s.split_whitespace().count() <= 4 && head.len() > s.len())
            };
            if site_like(tail) {
                return head.trim().to_string();
            }
            if let Some((first, rest)) = title.split_once(sep.as_str()) {
                if site.is_some_and(|n| normalise_key(n) == normalise_key(first)) {
                    return rest.trim().to_string();
                }
            }
        }
        title
    }

    fn author_element(&self, doc: &Html) -> Option<String> {
        doc.select(&self.sel.author_el).find_map(|el| {
            let text = meta_text(&element_text(el));
            if text.len() > 200 {
                return None;
            }
            let name = self.byline.name(&text);
            let words = name.split_whitespace().count();
            (words <= 6 && plausible_name(name)).then(|| name.to_string())
        })
    }

    fn date_element(&self, doc: &Html) -> Option<NaiveDate> {
        let attr_date = |el: ElementRef| {
            ["content", "datetime"]
                .iter()
                .find_map(|a| el.value().attr(a).and_then(parse_date))
                .or_else(|| parse_date(&element_text(el)))
        };
        doc.select(&self.sel.date_el)
            .find_map(attr_date)
            .or_else(|| doc.select(&self.sel.time).find_map(attr_date))
    }
}

/// The article text of one pass and the value of its container.
fn article_text(page: &Page, title: Option<&str>) -> (String, f64) {
    let chosen = page.choose();
    let title_key = title.map(normalise_key);
    let mut out = String::new();
    for block in page.blocks.iter() {
        if !chosen.keeps(page, block) {
            continue;
        }
        if block.heading && title_key.as_deref() == Some(&normalise_key(&block.text)) {
            continue;
        }
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        out.push_str(&block.text);
    }
    (out, chosen.value)
}

/// Short blocks around the start of the article (where bylines and
/// dates sit), from the page read without boilerplate hints.
fn header_lines(page: &Page, text: &str) -> Vec<String> {
    let first = text.split("\n\n").next().unwrap_or("");
    let start = page
        .blocks
        .iter()
        .position(|b| !first.is_empty() && b.text == first)
        .unwrap_or(0);
    let from = start.saturating_sub(HEADER_BEFORE);
    let to = (start + HEADER_AFTER).min(page.blocks.len());
    page.blocks[from..to]
        .iter()
        .filter(|b| b.text.len() <= HEADER_LINE_MAX)
        .map(|b| b.text.clone())
        .collect()
}

/// A metadata date; also accepts the `YYYY/MM/DD` form of citation tags.
fn parse_meta_date(s: &str) -> Option<NaiveDate> {
    let b = s.trim().as_bytes();
    let year_slash = b.len() >= 5 && b[..4].iter().all(u8::is_ascii_digit) && b[4] == b'/';
    if year_slash {
        parse_date(&s.trim().replace('/', "-"))
    } else {
        parse_date(s)
    }
}

/// A date in a URL path: `/2021/01/14/` or `/2021-01-14-slug`.
fn url_date(url: &str) -> Option<NaiveDate> {
    let path = url.split_once("://").map_or(url, |(_, rest)| rest);
    let parts: Vec<&str> = path.split(['/', '-', '_']).collect();
    parts.windows(3).find_map(|w| {
        let (y, m, d) = (w[0], w[1], w[2]);
        let shaped = y.len() == 4 && m.len() == 2 && (1..=2).contains(&d.len());
        if !shaped {
            return None;
        }
        NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
    })
}

/// The `<h1>` that is the headline: the only one, or the one sharing
/// most words with the page's stated title.
fn best_heading(h1s: &[String], stated: Option<&str>) -> Option<String> {
    let Some(stated) = stated else {
        return h1s.first().cloned();
    };
    let words: HashSet<String> = normalise_key(stated)
        .split(' ')
        .map(str::to_string)
        .collect();
    let overlap = |h: &String| {
        let key = normalise_key(h);
        let hw: Vec<&str> = key.split(' ').collect();
        let shared = hw.iter().filter(|w| words.contains(**w)).count();
        shared as f64 / (hw.len() + words.len() - shared).max(1) as f64
    };
    // First of the best: `max_by` keeps the last maximum, so walk backwards.
    // An <h1> sharing no word with the stated title is a section label
    // ("Contact Us", "Our Blog"), not the headline.
    h1s.iter()
        .rev()
        .map(|h| (h, overlap(h)))
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .filter(|(_, o)| *o > 0.0)
        .map(|(h, _)| h.clone())
}

fn compile_byline(source: &RuleSource, raw: RawByline) -> Result<BylineCleanup, RuleError> {
    let at = source.offset_of_table("byline");
    let compile = |what: &str, p: &str| {
        Regex::new(&crate::rules::fast_pattern(p))
            .map_err(|e| source.error_at(at, format!("[byline] bad {what}: {e}")))
    };
    Ok(BylineCleanup {
        origin: source.place(at),
        label: compile("label", &raw.label)?,
        cut: compile("cut", &raw.cut)?,
        examples: raw.examples,
    })
}

fn compile_hint(source: &RuleSource, what: &str, raw: RawHint) -> Result<Hint, RuleError> {
    let at = source.offset_of_table(what);
    let regex = Regex::new(&crate::rules::fast_pattern(&raw.pattern))
        .map_err(|e| source.error_at(at, format!("[{what}] bad pattern: {e}")))?;
    if raw.examples.is_empty() {
        return Err(source.error_at(at, format!("[{what}] has no examples")));
    }
    Ok(Hint {
        origin: source.place(at),
        regex,
        examples: raw.examples,
        counter: raw.counter,
    })
}

/// Lowercased tokens of an element's class and id.
fn class_tokens<'a>(el: ElementRef<'a>) -> impl Iterator<Item = String> + 'a {
    let e = el.value();
    e.attr("class")
        .into_iter()
        .chain(e.attr("id"))
        .flat_map(str::split_whitespace)
        .map(str::to_ascii_lowercase)
}

/// An element's text with white space collapsed.
fn element_text(el: ElementRef) -> String {
    let mut s = String::new();
    for t in el.text() {
        s.push_str(t);
        s.push(' ');
    }
    collapse_ws(&s)
}

fn collapse_ws(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Metadata text with white space collapsed and character references
/// decoded once more (many pages escape them twice: `&amp;#8217;`).
fn meta_text(s: &str) -> String {
    collapse_ws(&unescape(s))
}

/// Decodes numeric and the common named character references.
fn unescape(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(pos) = rest.find('&') {
        out.push_str(&rest[..pos]);
        rest = &rest[pos..];
        // Byte search: `;` is ASCII, so the cut is on a char boundary.
        let end = rest.bytes().take(12).position(|b| b == b';');
        let decoded = end.and_then(|e| reference(&rest[1..e]).map(|c| (c, e)));
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &rest[e + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn reference(name: &str) -> Option<char> {
    if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        return char::from_u32(code);
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => ' ',
        "ndash" => '–',
        "mdash" => '—',
        "lsquo" => '‘',
        "rsquo" => '’',
        "ldquo" => '“',
        "rdquo" => '”',
        "hellip" => '…',
        _ => return None,
    })
}

/// A comparison key: lowercase words only.
fn normalise_key(s: &str) -> String {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

/// An author name declared in metadata: anything but a URL or a label
/// (pages do declare handles and desks as authors).
fn declared_name(s: &str) -> bool {
    let s = s.trim();
    !s.is_empty()
        && s.len() <= 100
        && !s.contains("://")
        && s.chars().any(char::is_alphabetic)
        && !matches!(
            s.to_lowercase().as_str(),
            "by" | "author" | "admin" | "undefined" | "null"
        )
}

/// A person's or desk's name rather than a handle, a label or a URL.
fn plausible_name(s: &str) -> bool {
    let s = s.trim();
    let starts_upper = s.chars().next().is_some_and(char::is_uppercase);
    starts_upper
        && s.len() <= 100
        && !s.contains("://")
        && !s.contains('@')
        && !matches!(
            s.to_lowercase().as_str(),
            "by" | "author" | "admin" | "staff"
        )
}

// ------------------------------------------------------------ metadata

#[derive(Default)]
struct MetaTags {
    og_title: Option<String>,
    twitter_title: Option<String>,
    site_name: Option<String>,
    author: Option<String>,
    published: Vec<String>,
    url: Option<String>,
    /// `twitter:label1` says "Written by": `twitter:data1` is the author.
    label1_is_author: bool,
}

impl MetaTags {
    fn add(&mut self, m: ElementRef) {
        let e = m.value();
        let key = e
            .attr("property")
            .or_else(|| e.attr("name"))
            .or_else(|| e.attr("itemprop"))
            .map(str::to_ascii_lowercase);
        let (Some(key), Some(content)) = (key, e.attr("content")) else {
            return;
        };
        let content = meta_text(content);
        if content.is_empty() {
            return;
        }
        match key.as_str() {
            "og:title" => set_once(&mut self.og_title, content),
            "twitter:label1" => self.label1_is_author = content.eq_ignore_ascii_case("written by"),
            "twitter:data1" if self.label1_is_author => set_once(&mut self.author, content),
            "twitter:title" => set_once(&mut self.twitter_title, content),
            "og:site_name" | "application-name" => set_once(&mut self.site_name, content),
            "author" | "article:author" | "dc.creator" | "parsely-author" | "sailthru.author"
                if !content.contains("://") =>
            {
                set_once(&mut self.author, content)
            }
            k if is_publication_date_key(k) => self.published.push(content),
            "og:url" => set_once(&mut self.url, content),
            _ => {}
        }
    }
}

/// Meta keys naming a publication date (`article:published_time`,
/// `pubdate`, `dc.date.issued`, `citation_date`, ...), not a modification,
/// expiry or publisher field.
fn is_publication_date_key(key: &str) -> bool {
    let dated = key.contains("publish") && !key.contains("publisher")
        || key.contains("pubdate")
        || key.contains("pub-date")
        || key == "date"
        || key.ends_with(".date")
        || key.ends_with(":date")
        || key.ends_with("_date")
        || key.contains("date.issued")
        || key.contains("created");
    let other = ["modif", "updat", "expir", "revis", "review", "online"];
    dated && !other.iter().any(|o| key.contains(o))
}

fn set_once(slot: &mut Option<String>, value: String) {
    if slot.is_none() {
        *slot = Some(value);
    }
}

/// Article fields found in JSON-LD blocks.
#[derive(Default)]
struct JsonLd {
    headline: Option<String>,
    author: Option<String>,
    published: Option<String>,
    any_published: Option<String>,
}

impl JsonLd {
    fn collect(doc: &Html, sel: &Selector) -> Self {
        let mut out = JsonLd::default();
        for script in doc.select(sel) {
            let raw: String = script.text().collect();
            if let Ok(value) = serde_json::from_str::<Value>(raw.trim()) {
                out.visit(&value, 0);
            }
        }
        out
    }

    fn visit(&mut self, v: &Value, depth: usize) {
        if depth > 8 {
            return;
        }
        match v {
            Value::Array(items) => items.iter().for_each(|i| self.visit(i, depth + 1)),
            Value::Object(map) => {
                // Any typed object's date backs up the article's own.
                if let Some(d) = map.get("datePublished").and_then(Value::as_str) {
                    set_once(&mut self.any_published, d.to_string());
                }
                if map.get("@type").is_some_and(is_article_type) {
                    if let Some(h) = map.get("headline").and_then(Value::as_str) {
                        set_once(&mut self.headline, meta_text(h));
                    }
                    if let Some(d) = map.get("datePublished").and_then(Value::as_str) {
                        set_once(&mut self.published, d.to_string());
                    }
                    if let Some(a) = map.get("author").and_then(author_names) {
                        set_once(&mut self.author, a);
                    }
                }
                if let Some(g) = map.get("@graph") {
                    self.visit(g, depth + 1);
                }
                if let Some(m) = map.get("mainEntity") {
                    self.visit(m, depth + 1);
                }
            }
            _ => {}
        }
    }
}

fn is_article_type(t: &Value) -> bool {
    let one = |s: &str| {
        s.ends_with("Article") || matches!(s, "BlogPosting" | "Report" | "NewsArticle" | "Posting")
    };
    match t {
        Value::String(s) => one(s),
        Value::Array(a) => a.iter().filter_map(Value::as_str).any(one),
        _ => false,
    }
}

/// Names from a JSON-LD `author` value (string, object or list).
fn author_names(v: &Value) -> Option<String> {
    let name_of = |v: &Value| match v {
        Value::String(s) if !s.contains("://") => Some(meta_text(s)),
        // An organisation as author is the publisher, not a byline.
        Value::Object(m) if m.get("@type").and_then(Value::as_str) != Some("Organization") => {
            m.get("name").and_then(Value::as_str).map(meta_text)
        }
        _ => None,
    };
    let names: Vec<String> = match v {
        Value::Array(a) => a.iter().filter_map(name_of).collect(),
        other => name_of(other).into_iter().collect(),
    };
    let names: Vec<String> = names.into_iter().filter(|n| !n.is_empty()).collect();
    (!names.is_empty()).then(|| names.join(", "))
}

// ---------------------------------------------------------------- page

/// One element of the flattened page.
#[derive(Clone, Debug)]
struct PNode {
    parent: usize,
    block: bool,
    in_link: bool,
    heading: bool,
    /// `<article>`, `itemprop=articleBody` or a content class name.
    content_hint: bool,
    /// Link-list containers (lists, tables, sections) get checked for link density.
    container: bool,
    /// Sum of block values below: article prose counts for, links and
    /// short fragments against.
    value: f64,
    text_len: usize,
    link_len: usize,
}

impl PNode {
    fn root() -> Self {
        PNode {
            parent: 0,
            block: true,
            in_link: false,
            heading: false,
            content_hint: false,
            container: false,
            value: 0.0,
            text_len: 0,
            link_len: 0,
        }
    }
}

/// A run of text inside one block-level element.
#[derive(Clone, Debug)]
struct Block {
    text: String,
    owner: usize,
    link_len: usize,
    heading: bool,
}

#[derive(Default)]
struct Page {
    nodes: Vec<PNode>,
    blocks: Vec<Block>,
}

const BLOCK_TAGS: &[&str] = &[
    "p",
    "div",
    "section",
    "article",
    "main",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "table",
    "tr",
    "td",
    "th",
    "tbody",
    "thead",
    "blockquote",
    "pre",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "figcaption",
    "address",
    "center",
    "hr",
    "body",
    "html",
];

impl Page {
    fn add_node(&mut self, rules: &HtmlRules, el: ElementRef, parent: usize) -> usize {
        let tag = el.value().name();
        let p = &self.nodes[parent];
        let heading = matches!(tag, "h1" | "h2" | "h3" | "h4" | "h5" | "h6");
        let content_hint = tag == "article"
            || el.value().attr("itemprop") == Some("articleBody")
            || class_tokens(el).any(|t| rules.positive.regex.is_match(&t));
        let node = PNode {
            parent,
            block: BLOCK_TAGS.contains(&tag),
            in_link: p.in_link || tag == "a",
            heading: p.heading || heading,
            content_hint,
            container: matches!(tag, "ul" | "ol" | "dl" | "table" | "div" | "section"),
            value: 0.0,
            text_len: 0,
            link_len: 0,
        };
        self.nodes.push(node);
        self.nodes.len() - 1
    }

    /// The nearest block-level element at or above `idx`.
    fn owner_of(&self, mut idx: usize) -> usize {
        while !self.nodes[idx].block && idx != 0 {
            idx = self.nodes[idx].parent;
        }
        idx
    }

    fn ancestors(&self, idx: usize) -> impl Iterator<Item = usize> + '_ {
        let mut cur = Some(idx);
        std::iter::from_fn(move || {
            let i = cur?;
            cur = (i != 0).then(|| self.nodes[i].parent);
            Some(i)
        })
    }

    /// Text totals and block values summed up every element's ancestors.
    fn score(&mut self) {
        for b in 0..self.blocks.len() {
            let blk = &self.blocks[b];
            let (owner, len, link) = (blk.owner, blk.text.chars().count(), blk.link_len);
            let value = block_value(blk, len, link);
            let mut cur = Some(owner);
            while let Some(a) = cur {
                let node = &mut self.nodes[a];
                node.text_len += len;
                node.link_len += link;
                node.value += value;
                cur = (a != 0).then_some(node.parent);
            }
        }
    }

    fn link_density(&self, idx: usize) -> f64 {
        let n = &self.nodes[idx];
        if n.text_len == 0 {
            0.0
        } else {
            n.link_len as f64 / n.text_len as f64
        }
    }

    /// The element whose text is worth most as an article (see
    /// [`block_value`]); an element the page marks as article content
    /// gets a small bonus over a wrapper that adds a little more prose.
    fn choose(&self) -> Chosen {
        let worth = |i: usize| {
            let n = &self.nodes[i];
            if n.content_hint && n.value > 0.0 {
                n.value * CONTENT_HINT_BONUS
            } else {
                n.value
            }
        };
        let top = (0..self.nodes.len())
            .max_by(|&a, &b| worth(a).total_cmp(&worth(b)))
            .unwrap_or(0);
        Chosen {
            root: top,
            dropped: self.link_lists(top).into_iter().collect(),
            value: self.nodes[top].value,
        }
    }

    /// Containers under `root` that are mostly links (teaser lists, tag
    /// clouds, share rows).
    fn link_lists(&self, root: usize) -> Vec<usize> {
        (root + 1..self.nodes.len())
            .filter(|&i| {
                let n = &self.nodes[i];
                n.container
                    && n.text_len > 0
                    && self.link_density(i) > 0.5
                    && self.ancestors(i).any(|a| a == root)
            })
            .collect()
    }
}

/// A block's worth as article text: prose for, links and fragments
/// against.
fn block_value(block: &Block, len: usize, link: usize) -> f64 {
    if block.heading {
        return 0.0;
    }
    let plain = len.saturating_sub(link) as f64;
    let link = link as f64;
    let prose = plain >= 50.0 && link / (len.max(1) as f64) < 0.33;
    if prose {
        plain - link
    } else {
        -0.25 * plain - link
    }
}

/// The container kept and the link lists dropped inside it.
struct Chosen {
    root: usize,
    dropped: HashSet<usize>,
    value: f64,
}

impl Chosen {
    fn keeps(&self, page: &Page, block: &Block) -> bool {
        let mut inside = false;
        for a in page.ancestors(block.owner) {
            if self.dropped.contains(&a) {
                return false;
            }
            if a == self.root {
                inside = true;
                break;
            }
        }
        inside
    }
}

/// The block being assembled during the DOM walk.
#[derive(Default)]
struct BlockBuf {
    text: String,
    owner: usize,
    link_len: usize,
    pending_space: bool,
}

impl BlockBuf {
    fn push_text(&mut self, page: &Page, parent: usize, t: &str) {
        let owner = page.owner_of(parent);
        if !self.text.is_empty() && owner != self.owner && page.nodes[owner].block {
            // Text of another block-level element continues: keep runs apart.
            self.pending_space = true;
        }
        if self.text.is_empty() {
            self.owner = owner;
        }
        let in_link = page.nodes[parent].in_link;
        if t.starts_with(char::is_whitespace) {
            self.pending_space = true;
        }
        for word in t.split_whitespace() {
            if self.pending_space && !self.text.is_empty() {
                self.text.push(' ');
            }
            self.text.push_str(word);
            if in_link {
                self.link_len += word.chars().count();
            }
            self.pending_space = true;
        }
        self.pending_space = t.ends_with(char::is_whitespace) || t.is_empty() && self.pending_space;
    }

    fn flush(&mut self, page: &mut Page) {
        if !self.text.is_empty() {
            let heading = page.nodes[self.owner].heading;
            page.blocks.push(Block {
                text: std::mem::take(&mut self.text),
                owner: self.owner,
                link_len: self.link_len,
                heading,
            });
        }
        self.link_len = 0;
        self.pending_space = false;
    }
}
