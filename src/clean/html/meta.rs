//! Metadata: takes the parsed page, gives its title, byline and
//! publication date from `<meta>` tags, JSON-LD, conventional byline and
//! date elements and the URL.
//!
//! It does not read the article text; visible date and byline lines near
//! the headline are left to the text rules.

use super::body::names_a_reply;
use super::jsonld::JsonLd;
use super::{HtmlExtract, HtmlRules};
use crate::dct::parse_date;
use chrono::NaiveDate;
use scraper::{ElementRef, Html};
use std::collections::HashSet;

impl HtmlRules {
    /// Title, byline and date of a page; text and header lines empty.
    pub(super) fn metadata(&self, doc: &Html, url: Option<&str>) -> HtmlExtract {
        let mut metas = MetaTags::default();
        for m in doc.select(&self.sel.meta) {
            metas.add(m);
        }
        let ld = JsonLd::collect(
            doc,
            &self.sel.json_ld,
            metas.json_ld.iter().map(String::as_str),
        );
        let title_tag = doc
            .select(&self.sel.title)
            .map(element_text)
            .find(|t| !t.is_empty());
        let site = metas.site_name.clone();
        // The page's stated title, used to pick among several <h1>s. A
        // JSON-LD headline is often cut short (search engines take 110
        // characters): a longer stated title it begins is the whole one.
        let whole_headline = ld.headline.as_deref().and_then(|h| {
            let key = normalise_key(h);
            [metas.og_title.as_deref(), title_tag.as_deref()]
                .into_iter()
                .flatten()
                .map(|t| self.strip_site(t, metas.site_name.as_deref()))
                .find(|t| {
                    let longer = normalise_key(t);
                    longer.len() > key.len() && longer.starts_with(&key)
                })
        });
        let stated = whole_headline
            .or_else(|| ld.headline.clone())
            .or_else(|| metas.og_title.clone())
            .or_else(|| metas.twitter_title.clone())
            .or_else(|| title_tag.clone());
        let h1s: Vec<String> = doc
            .select(&self.sel.h1)
            .map(|h| meta_text(&element_text(h)))
            .filter(|t| !t.is_empty() && t.len() <= 400)
            .collect();
        // An <h1> holding only the site's name is the masthead.
        let site_keys: Vec<String> = site
            .iter()
            .cloned()
            .chain(
                stated
                    .as_deref()
                    .and_then(|t| self.site_part(t, site.as_deref())),
            )
            .map(|s| normalise_key(&s))
            .collect();
        let h1s: Vec<String> = h1s
            .into_iter()
            .filter(|h| !site_keys.contains(&normalise_key(h)))
            .collect();
        // Every title the page states (JSON-LD, og:, twitter:, <title>) and
        // each part of them between separators: an <h1> equal to any of
        // them is the headline, even when the first stated one differs (a
        // JSON-LD headline holding the description, a <title> written for
        // search engines).
        let statements: Vec<String> = [
            ld.headline.as_deref(),
            metas.og_title.as_deref(),
            metas.twitter_title.as_deref(),
            title_tag.as_deref(),
        ]
        .into_iter()
        .flatten()
        .flat_map(|t| self.title_parts(t))
        .filter(|k| !k.is_empty() && !site_keys.contains(k))
        .collect();
        let title = best_heading(&h1s, &statements)
            .map(|h| self.strip_site(&h, site.as_deref()))
            .map(|h| {
                drop_heading_label(h, stated.as_deref(), |t| {
                    self.strip_site(t, site.as_deref())
                })
            })
            .map(|h| {
                restore_lost_characters(h, stated.as_deref(), |t| {
                    self.strip_site(t, site.as_deref())
                })
            })
            .map(|h| {
                written_case_title(h, stated.as_deref(), |t| {
                    self.strip_site(t, site.as_deref())
                })
            })
            .or_else(|| stated.map(|t| self.strip_site(&t, site.as_deref())))
            .map(|t| fold_fullwidth(&t))
            .filter(|t| !t.is_empty());
        let byline = ld
            .author
            .clone()
            .filter(|a| declared_name(a))
            .or_else(|| metas.author.clone().filter(|a| declared_name(a)))
            .or_else(|| self.author_element(doc));
        // A full date in the page's address is set when the page is
        // published and never changes with updates: it comes first.
        let canonical = doc
            .select(&self.sel.canonical)
            .find_map(|l| l.value().attr("href"));
        let address_date = [metas.url.as_deref(), canonical, url]
            .into_iter()
            .flatten()
            .find_map(url_date);
        let tagged = metas.published.iter().find_map(|s| parse_meta_date(s));
        let ld_date = ld
            .published
            .iter()
            .chain(ld.any_published.iter())
            .find_map(|s| parse_meta_date(s));
        let published = address_date
            .or(tagged)
            .or(ld_date)
            .or_else(|| self.date_element(doc));
        let modified = metas
            .modified
            .iter()
            .chain(ld.modified.iter())
            .find_map(|s| parse_meta_date(s));
        HtmlExtract {
            title,
            byline,
            published,
            modified,
            address_dated: address_date.is_some(),
            json_ld_dated: address_date.is_none() && tagged.is_none() && ld_date.is_some(),
            ..HtmlExtract::default()
        }
    }

    /// The " | Site Name" part [`Self::strip_site`] drops from a title.
    fn site_part(&self, title: &str, site: Option<&str>) -> Option<String> {
        let kept = self.strip_site(title, site);
        let full = collapse_ws(title);
        let rest = full
            .strip_suffix(kept.as_str())
            .or_else(|| full.strip_prefix(kept.as_str()))?;
        let rest = rest.trim_matches(|c: char| !c.is_alphanumeric());
        (!rest.is_empty()).then(|| rest.to_string())
    }

    /// Comparison keys of a stated title: the whole, and the part before
    /// each kind of title separator (the headline comes first; the parts
    /// after it name the site or section, which an `<h1>` masthead repeats).
    fn title_parts<'a>(&'a self, title: &'a str) -> impl Iterator<Item = String> + 'a {
        let heads = self
            .separators
            .iter()
            .filter_map(|sep| title.split_once(sep.as_str()).map(|(head, _)| head));
        std::iter::once(title).chain(heads).map(normalise_key)
    }

    /// Drops " | Site Name" suffixes (or a prefix) from a title, one after
    /// another: "Story - Section - Site" loses the site, then the section.
    fn strip_site(&self, title: &str, site: Option<&str>) -> String {
        let mut title = collapse_ws(title);
        for _ in 0..MAX_TITLE_STRIPS {
            let shorter = self.strip_site_once(&title, site);
            if shorter.len() == title.len() {
                break;
            }
            title = shorter;
        }
        title
    }

    /// Drops one " | Site Name" suffix (or prefix) from a title.
    fn strip_site_once(&self, title: &str, site: Option<&str>) -> String {
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
        title.to_string()
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

    /// The date of the first short element whose class or id names a
    /// date ("post-date", "fusion-tb-published-date", "entry-date") and
    /// not an update's or a comment's: the last resort when neither the
    /// metadata nor a line by the headline dates the page.
    pub(super) fn class_date(&self, doc: &Html) -> Option<NaiveDate> {
        doc.select(&self.sel.date_class).find_map(|el| {
            let names = format!(
                "{} {}",
                el.value().attr("class").unwrap_or(""),
                el.value().attr("id").unwrap_or("")
            )
            .to_ascii_lowercase();
            if ["comment", "updat", "modif"]
                .iter()
                .any(|w| names.contains(w))
            {
                return None;
            }
            let text = element_text(el);
            let lower = text.to_lowercase();
            if names_a_reply(&lower, &["comment", "updat", "modif"]) {
                return None;
            }
            date_in_line(&text)
        })
    }

    /// The first ISO date in a `data-` attribute that names a date
    /// (`data-item_date="2025-12-20T03:00:39-05:00"`, set by share and
    /// rating widgets on the article) and not an update's: the last resort
    /// after every visible date.
    pub(super) fn attribute_date(&self, doc: &Html) -> Option<NaiveDate> {
        doc.root_element()
            .descendants()
            .filter_map(ElementRef::wrap)
            .flat_map(|el| el.value().attrs())
            .find_map(|(name, value)| {
                let named = name.starts_with("data-")
                    && (name.contains("date") || name.contains("publish"))
                    && !["modif", "updat", "comment"]
                        .iter()
                        .any(|w| name.contains(w));
                let iso = value.len() >= 10
                    && value.as_bytes()[..4].iter().all(u8::is_ascii_digit)
                    && value.as_bytes()[4] == b'-';
                (named && iso).then(|| parse_date(value)).flatten()
            })
    }

    /// The date of an `itemprop=datePublished` element, else of the first
    /// `<time>` that is not a comment's or an update's.
    fn date_element(&self, doc: &Html) -> Option<NaiveDate> {
        let attr_date = |el: ElementRef| {
            ["content", "datetime"]
                .iter()
                .find_map(|a| el.value().attr(a).and_then(parse_date))
                .or_else(|| date_in_line(&element_text(el)))
        };
        let publication_time = |el: &ElementRef| {
            let class = el.value().attr("class").unwrap_or("").to_ascii_lowercase();
            let text = element_text(*el).to_lowercase();
            !["comment", "updat", "modif"]
                .iter()
                .any(|w| class.contains(w) || text.contains(w))
        };
        doc.select(&self.sel.date_el)
            .find_map(attr_date)
            .or_else(|| {
                doc.select(&self.sel.time)
                    .filter(publication_time)
                    .find_map(attr_date)
            })
    }
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

/// The first date in a short visible line ("Published on June 4, 2025",
/// "By Jane Doe · Dec 17, 2025", "Elliot Raba23.07.2025"), tried at each
/// word and at each run of digits glued to letters.
pub(super) fn date_in_line(line: &str) -> Option<NaiveDate> {
    // Every date read here writes its year in four digits: a line
    // without four digits in a row is passed over without parsing.
    if line.len() > DATE_LINE_MAX || !has_four_digits(line) {
        return None;
    }
    let spaced = unglue(line);
    let line = spaced.as_str();
    line.char_indices()
        .filter(|&(i, c)| {
            c.is_alphanumeric() && (i == 0 || !line[..i].ends_with(char::is_alphanumeric))
        })
        .find_map(|(i, _)| parse_date(&line[i..]).or_else(|| dotted_date(&line[i..])))
}

fn has_four_digits(line: &str) -> bool {
    let mut run = 0;
    for b in line.bytes() {
        run = if b.is_ascii_digit() { run + 1 } else { 0 };
        if run == 4 {
            return true;
        }
    }
    false
}

/// The line with a space between letters and digits that touch ("Dec
/// 17, 2025Julian", "Raba23.07.2025") and inside camel case ("BuildsDec
/// 17"): page templates often drop the space between a headline, a
/// byline, its date and the next label.
fn unglue(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 4);
    let mut prev: Option<char> = None;
    for c in line.chars() {
        let glued = prev.is_some_and(|p| {
            p.is_alphabetic() && c.is_ascii_digit()
                || p.is_ascii_digit() && c.is_alphabetic()
                || p.is_lowercase() && c.is_uppercase()
        });
        // Ordinals ("12th", "1st") stay whole.
        let ordinal =
            prev.is_some_and(|p| p.is_ascii_digit()) && matches!(c, 's' | 'n' | 'r' | 't');
        if glued && !ordinal {
            out.push(' ');
        }
        out.push(c);
        prev = Some(c);
    }
    out
}

/// A day-first dotted date at the start: `23.07.2025`, `12.12.2025`.
/// `09.10.2024` is not read: American pages write month first, and the
/// two orders give different days.
fn dotted_date(s: &str) -> Option<NaiveDate> {
    let mut parts = s.splitn(3, '.');
    let day = parts.next().filter(|p| (1..=2).contains(&p.len()))?;
    let month = parts.next().filter(|p| (1..=2).contains(&p.len()))?;
    let rest = parts.next()?;
    let year = rest.get(..4)?;
    let ends = rest[4..]
        .chars()
        .next()
        .is_none_or(|c| !c.is_alphanumeric());
    if !ends || !year.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (day, month): (u32, u32) = (day.parse().ok()?, month.parse().ok()?);
    if day <= 12 && month <= 12 && day != month {
        return None;
    }
    NaiveDate::from_ymd_opt(year.parse().ok()?, month, day)
}

/// How many site or section parts [`HtmlRules::strip_site`] drops from
/// one title at most.
const MAX_TITLE_STRIPS: usize = 3;

/// Longest line searched for a visible date.
const DATE_LINE_MAX: usize = 100;

/// A date in a URL path: `/2021/01/14/` or `/2021-01-14-slug`.
fn url_date(url: &str) -> Option<NaiveDate> {
    let path = url.split_once("://").map_or(url, |(_, rest)| rest);
    let parts: Vec<&str> = path.split(['/', '-', '_', '+', '.']).collect();
    parts.windows(3).find_map(|w| {
        let (y, m, d) = (w[0], w[1], w[2]);
        // The month as two digits or as a name ("/2023/october/03/").
        let month = match m.len() {
            2 => m.parse().ok(),
            3.. => crate::dct::month_number(m),
            _ => None,
        };
        let shaped = y.len() == 4 && (1..=2).contains(&d.len());
        if !shaped {
            return None;
        }
        NaiveDate::from_ymd_opt(y.parse().ok()?, month?, d.parse().ok()?)
    })
}

/// Share of words (of both together) an `<h1>` must have in common with
/// the stated title to be taken as the headline.
const MIN_HEADING_OVERLAP: f64 = 0.2;

/// The `<h1>` that is the headline: the only one when the page states
/// no title, else the one sharing most words with one of the page's
/// stated titles (given as comparison keys).
fn best_heading(h1s: &[String], statements: &[String]) -> Option<String> {
    if statements.is_empty() {
        return h1s.first().cloned();
    }
    let stated_words: Vec<HashSet<&str>> =
        statements.iter().map(|k| k.split(' ').collect()).collect();
    let overlap = |h: &String| {
        let key = normalise_key(h);
        let hw: Vec<&str> = key.split(' ').collect();
        stated_words
            .iter()
            .map(|words| {
                let shared = hw.iter().filter(|w| words.contains(**w)).count();
                shared as f64 / (hw.len() + words.len() - shared).max(1) as f64
            })
            .fold(0.0, f64::max)
    };
    // First of the best: `max_by` keeps the last maximum, so walk backwards.
    // An <h1> sharing few words with the stated titles is a section label
    // ("Contact Us", "Our Blog", a product name), not the headline.
    h1s.iter()
        .rev()
        .map(|h| (h, overlap(h)))
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .filter(|(_, o)| *o >= MIN_HEADING_OVERLAP)
        .map(|(h, _)| h.clone())
}

/// A headline without a label or date the page puts before it ("Blog:
/// Best agencies of 2025", "Dec 18 2025 Preparing a transition") when
/// the page's stated title is the rest of it.
fn drop_heading_label(
    heading: String,
    stated: Option<&str>,
    strip_site: impl Fn(&str) -> String,
) -> String {
    let Some(stated) = stated.map(strip_site) else {
        return heading;
    };
    let key = normalise_key(&stated);
    let Some(at) = heading.find(stated.split_whitespace().next().unwrap_or("\0")) else {
        return heading;
    };
    let (label, rest) = heading.split_at(at);
    let label = label.trim();
    let labelled = label.ends_with(':') && label.split_whitespace().count() <= 2
        || date_in_line(label).is_some() && label.split_whitespace().count() <= 4;
    if labelled && !key.is_empty() && normalise_key(rest) == key {
        rest.trim().to_string()
    } else {
        heading
    }
}

/// A headline whose characters a lossy re-encoding turned into `?` or
/// U+FFFD ("Event Planning? Beginner? Guide") is the page's stated
/// title when that title reads the same with each such mark standing for
/// one to three characters ("Event Planning: Beginner's Guide"). A final
/// question mark is the headline's own and is not a lost character.
fn restore_lost_characters(
    heading: String,
    stated: Option<&str>,
    strip_site: impl Fn(&str) -> String,
) -> String {
    let lost = |c: char| c == '?' || c == '\u{FFFD}';
    let body = heading.trim_end().trim_end_matches('?');
    if !body.contains(lost) {
        return heading;
    }
    let Some(stated) = stated.map(strip_site) else {
        return heading;
    };
    let h: Vec<char> = heading.trim().to_lowercase().chars().collect();
    let t: Vec<char> = stated.trim().to_lowercase().chars().collect();
    if !t.is_empty() && t.iter().all(|&c| !lost(c)) && wildcard_match(&h, &t, &lost) {
        stated.trim().to_string()
    } else {
        heading
    }
}

/// A headline typed in capitals ("SUPPORTING GAAP COMPLIANCE") is a
/// banner's styling; the page's stated title, written in mixed case,
/// is the headline as written for reading, and is taken instead when
/// it differs. A stated title in capitals too leaves the headline.
fn written_case_title(
    heading: String,
    stated: Option<&str>,
    strip_site: impl Fn(&str) -> String,
) -> String {
    let capitals = |t: &str| {
        t.split_whitespace()
            .filter(|w| w.chars().any(char::is_alphabetic))
            .count()
            >= MIN_CAPITALS_WORDS
            && !t.chars().any(char::is_lowercase)
    };
    if !capitals(&heading) {
        return heading;
    }
    match stated.map(strip_site) {
        Some(t) if !t.is_empty() && !capitals(&t) && t.chars().any(char::is_uppercase) => t,
        _ => heading,
    }
}

/// Words a headline needs before its capitals count as styling (a
/// name in capitals such as "NASA" or "NASA LAUNCH" is written so).
const MIN_CAPITALS_WORDS: usize = 3;

/// Whether `text` reads as `pattern` where each `lost` character of the
/// pattern stands for one to three characters of the text.
fn wildcard_match(pattern: &[char], text: &[char], lost: &impl Fn(char) -> bool) -> bool {
    // reach[j]: the first i pattern characters can match text[..j].
    let mut reach = vec![false; text.len() + 1];
    reach[0] = true;
    for &p in pattern {
        let mut next = vec![false; text.len() + 1];
        for j in (0..=text.len()).filter(|&j| reach[j]) {
            if lost(p) {
                for k in 1..=3 {
                    if j + k <= text.len() {
                        next[j + k] = true;
                    }
                }
            } else if j < text.len() && text[j] == p {
                next[j + 1] = true;
            }
        }
        if !next.contains(&true) {
            return false;
        }
        reach = next;
    }
    reach[text.len()]
}

/// A Latin title with its fullwidth forms ("Work？", "ＡＩ") as plain
/// ASCII: East Asian input methods slip them into English headlines. A
/// title in a CJK script keeps them.
fn fold_fullwidth(title: &str) -> String {
    const FULLWIDTH: std::ops::RangeInclusive<char> = '\u{FF01}'..='\u{FF5E}';
    let cjk = title
        .chars()
        .any(|c| c >= '\u{2E80}' && !FULLWIDTH.contains(&c));
    if cjk || !title.chars().any(|c| FULLWIDTH.contains(&c)) {
        return title.to_string();
    }
    title
        .chars()
        .map(|c| {
            if FULLWIDTH.contains(&c) {
                char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
            } else {
                c
            }
        })
        .collect()
}

/// An element's text with white space collapsed. Text runs split by an
/// inline element inside a word join ("<span>C</span>ycle" is "Cycle");
/// other runs stay apart, as pages often set side-by-side spans ("Luke
/// Kim", "December 17, 2025") on lines of their own.
fn element_text(el: ElementRef) -> String {
    let mut s = String::new();
    for node in el.descendants() {
        match node.value() {
            scraper::Node::Text(t) => {
                let inside_word =
                    s.ends_with(char::is_alphabetic) && t.starts_with(char::is_lowercase);
                if !inside_word {
                    s.push(' ');
                }
                s.push_str(t);
            }
            scraper::Node::Element(e) if !is_inline(e.name()) => s.push(' '),
            _ => {}
        }
    }
    collapse_ws(&s)
}

/// Elements that do not break a line of text.
fn is_inline(tag: &str) -> bool {
    matches!(
        tag,
        "a" | "abbr"
            | "b"
            | "bdi"
            | "bdo"
            | "cite"
            | "code"
            | "data"
            | "dfn"
            | "em"
            | "font"
            | "i"
            | "kbd"
            | "mark"
            | "q"
            | "s"
            | "samp"
            | "small"
            | "span"
            | "strong"
            | "sub"
            | "sup"
            | "time"
            | "u"
            | "var"
    )
}

fn collapse_ws(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Metadata text with white space collapsed and character references
/// decoded once more (many pages escape them twice: `&amp;#8217;`).
pub(super) fn meta_text(s: &str) -> String {
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
pub(super) fn normalise_key(s: &str) -> String {
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
    modified: Vec<String>,
    url: Option<String>,
    /// `twitter:label1` says "Written by": `twitter:data1` is the author.
    label1_is_author: bool,
    /// Contents that are a JSON-LD object (`<meta name="script:ld+json"
    /// content="{&quot;@type&quot;:...}">`).
    json_ld: Vec<String>,
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
        if content.trim_start().starts_with('{') && content.contains("\"@type\"") {
            self.json_ld.push(content.to_string());
            return;
        }
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
            k if is_modification_date_key(k) => self.modified.push(content),
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

/// Meta keys naming the page's last modification
/// (`article:modified_time`, `og:updated_time`, `dateModified`).
fn is_modification_date_key(key: &str) -> bool {
    (key.contains("modified") || key.contains("updated"))
        && (key.contains("time") || key.contains("date"))
}

pub(super) fn set_once(slot: &mut Option<String>, value: String) {
    if slot.is_none() {
        *slot = Some(value);
    }
}

#[cfg(test)]
mod lost_characters_tests {
    use super::*;

    #[test]
    fn headline_with_lost_characters_takes_the_stated_title() {
        let keep = |t: &str| t.to_string();
        let rows: [(&str, Option<&str>, &str); 6] = [
            (
                "What Are The Basics Of Event Planning? Beginner? Guide",
                Some("What Are The Basics Of Event Planning: Beginner's Guide"),
                "What Are The Basics Of Event Planning: Beginner's Guide",
            ),
            ("Caf\u{FFFD} Culture", Some("Café Culture"), "Café Culture"),
            // A real question keeps its own mark.
            ("Is It Worth It?", Some("Is It Worth It"), "Is It Worth It?"),
            // The stated title says something else.
            (
                "Why Now? Three Reasons",
                Some("Three reasons to act today"),
                "Why Now? Three Reasons",
            ),
            // A question mark standing for too much text is not a lost character.
            ("Ready? Go", Some("Ready, steady and set: go"), "Ready? Go"),
            ("Ready? Go", None, "Ready? Go"),
        ];
        for (heading, stated, want) in rows {
            assert_eq!(
                restore_lost_characters(heading.to_string(), stated, keep),
                want,
                "{heading}"
            );
        }
    }
}
