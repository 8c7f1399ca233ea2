//! Main text: takes the parsed page, gives the article's text blocks and
//! the short lines around its start.
//!
//! A density pass over the DOM: page furniture (scripts, navigation,
//! asides, elements whose class or id names boilerplate, hidden elements)
//! is skipped; the remaining text is cut into blocks at block-level
//! elements; each block is worth its length when it is prose and costs its
//! length when it is links or fragments; the element whose blocks are
//! worth most (a small bonus for `<article>` and content class names) is
//! the article, minus the link-heavy lists, teaser cards (headlines that
//! are headings or plain links, each with an excerpt), small named boxes
//! and small boxes around a form or text field (sign-up appeals) inside
//! it, and minus the wrappers without prose that follow its
//! last paragraph (sign-up appeals, reference and teaser lists, share rows
//! the page does not name). A page with no prose at all (a list of short paragraphs) keeps all its text. A second,
//! relaxed pass that keeps headers, footers and hinted elements wins when
//! the strict one finds much less (page builders misuse them).
//!
//! Every step is linear in the page: elements are numbered in document
//! order, so a subtree is a range of numbers and totals flow to parents in
//! one backward sweep.
//!
//! It does not read metadata or decide the title.

use super::meta::{date_in_line, normalise_key};
use super::{class_tokens, Hint, HtmlRules, Pass};
use crate::rules::Regex;
use chrono::NaiveDate;
use scraper::{ElementRef, Html, Node};
use std::collections::HashSet;

/// How many blocks before and after the article's first one may hold
/// its byline and date, and how long such a line may be.
const HEADER_BEFORE: usize = 30;
const HEADER_AFTER: usize = 6;
const HEADER_LINE_MAX: usize = 160;

/// A container with at least this many linked headlines, and at most
/// this many text blocks per headline, is a list of teaser cards.
const MIN_TEASERS: usize = 2;
const BLOCKS_PER_TEASER: usize = 4;

/// An element whose class names a box of furniture (`box_negative`) is
/// dropped from the article when its text is at most this long: an author
/// bio or a sign-up form is short, while a wrapper that happens to carry
/// such a name holds the whole article.
const BOX_MAX_CHARS: usize = 1500;

/// A wrapper holding a form or a text field (a sign-up, search or
/// comment box) and at most this much text is page furniture: the
/// appeal above a newsletter's e-mail field is short, while a wrapper
/// around a whole article and a form is long.
const FIELD_BOX_MAX_CHARS: usize = 600;

/// A linked line (a teaser's headline) is at most this long, and the
/// unlinked text of a list of linked teasers at most this much per
/// headline (a short excerpt, a date, a category): a list of linked
/// names, each with a paragraph of its own, is the article's.
const LINK_TEASER_MAX_CHARS: usize = 150;
const TEASER_EXCERPT_CHARS: usize = 220;
/// A linked headline has at least this many words ("View webcam" and
/// "Read more" are buttons).
const MIN_HEADLINE_WORDS: usize = 3;
/// Blocks per linked teaser (category, headline, author, date, excerpt).
const BLOCKS_PER_LINK_TEASER: usize = 6;
/// At least this many linked headlines make a list of teasers.
const MIN_LINK_TEASERS: usize = 3;

/// Worth multiplier for elements the page marks as article content: a
/// marked container wins over a wrapper that adds a teaser rail or an
/// FAQ widget of some prose beside it (1.25 let such wrappers win on the
/// WCXB dev pages).
const CONTENT_HINT_BONUS: f64 = 1.5;

/// A block with at least this many characters outside links (and few
/// links) is prose. Short sentences count: an article written in short
/// paragraphs ("Fix the problem. Open an issue.") is still an article,
/// and at 50 its container lost to a longer box of bios or FAQ answers.
const PROSE_MIN_CHARS: f64 = 40.0;
/// What each character of a short non-prose block (a label, a date, a
/// table cell) costs its container. Kept low: a table or a list of short
/// items inside the article should not outweigh its paragraphs, while
/// links still cost their full length.
const FRAGMENT_COST: f64 = 0.15;

impl HtmlRules {
    /// One pass over the DOM: the element table and the text blocks.
    pub(super) fn flatten(&self, doc: &Html, pass: Pass) -> Page {
        let mut page = Page {
            whole_without_prose: pass == Pass::Strict,
            ..Page::default()
        };
        let root = doc.root_element();
        page.nodes.push(PNode::root());
        let mut buf = BlockBuf::default();
        let mut stack = vec![(root.children(), 0usize)];
        while let Some((iter, parent)) = stack.last_mut() {
            let parent = *parent;
            let Some(child) = iter.next() else {
                stack.pop();
                page.nodes[parent].end = page.nodes.len();
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
                    if is_entry_field(el) {
                        page.nodes[parent].fields += 1;
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
        page.nodes[0].end = page.nodes.len();
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
        let hints = |hint: &Hint| class_tokens(el).any(|t| hint.regex.is_match(&t));
        let structural = matches!(tag, "html" | "body" | "article" | "main");
        if pass == Pass::Relaxed {
            // Comment threads and teaser rails never wrap the article.
            return !structural && hints(&self.hard_negative);
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
        if structural || matches!(tag, "a" | "p") {
            return false;
        }
        hints(&self.negative) && !hints(&self.positive)
    }
}

/// A block at least this long that repeats an earlier block of the
/// article word for word is dropped (short lines such as "Pros" or a
/// price repeat legitimately).
const REPEAT_MIN_CHARS: usize = 60;

/// Longest block read as a picture's credit line (`credit_line`).
const CREDIT_LINE_MAX: usize = 100;

/// The article text of one pass and the value of its container, without
/// the short lines that only credit a picture (`credit`).
pub(super) fn article_text(page: &Page, title: Option<&str>, credit: &Regex) -> (String, f64) {
    let chosen = page.choose();
    let title_key = title.map(normalise_key);
    let mut out = String::new();
    let mut seen_prose = false;
    let mut emitted: HashSet<&str> = HashSet::new();
    for block in page.blocks.iter() {
        if !chosen.kept[block.owner] {
            continue;
        }
        if block.heading && title_key.as_deref() == Some(&normalise_key(&block.text)) {
            continue;
        }
        let len = block.text.chars().count();
        if len <= CREDIT_LINE_MAX && credit.is_match(&block.text) {
            continue;
        }
        seen_prose |= block_value(block, len, block.link_len) > 0.0;
        // Byline and date lines above the first paragraph are metadata.
        if !seen_prose && is_meta_line(&block.text) {
            continue;
        }
        // A long block met again word for word is a second copy of the
        // article (a mobile and a desktop rendering, a tab repeating the
        // text), not new text.
        if len >= REPEAT_MIN_CHARS && !emitted.insert(block.text.as_str()) {
            continue;
        }
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        out.push_str(&block.text);
    }
    (out, chosen.value)
}

/// The date shown on a short line just below the headline, or just
/// above it: the first publication date ("June 4, 2025", "Published
/// June 4, 2025 · Updated June 9"), else the first update date when the
/// page shows only that ("Last updated: Sep 4, 2025"), marked as such.
/// Comment, reply and review lines are never read.
pub(super) fn title_date(page: &Page, title: Option<&str>) -> Option<ShownDate> {
    let key = normalise_key(title?);
    let at = page
        .blocks
        .iter()
        .position(|b| b.heading && normalise_key(&b.text) == key)?;
    let below = page.blocks[at + 1..].iter().take(TITLE_DATE_AFTER);
    let above = page.blocks[at.saturating_sub(TITLE_DATE_BEFORE)..at]
        .iter()
        .rev();
    let mut updated = None;
    // A table's cells are data ("1/1/2013 +13.1%"), never a date line.
    for b in below.chain(above).filter(|b| !page.nodes[b.owner].in_table) {
        let lower = b.text.to_lowercase();
        if names_a_reply(&lower, &["comment", "reply", "review"]) {
            continue;
        }
        let (published, update) = split_at_update(&b.text, &lower);
        if let Some(d) = date_in_line(published) {
            return Some(ShownDate::Published(d));
        }
        if updated.is_none() {
            updated = update.and_then(date_in_line);
        }
    }
    updated.map(ShownDate::Updated)
}

/// Whether a lowercased line speaks of comments, replies or reviews
/// (`words`): a comment's date is not the page's. A count of them ("Mar
/// 5, 2025 | 6 comments", "12 Reviews") is a link on the byline's date
/// line, not a comment.
pub(super) fn names_a_reply(lower: &str, words: &[&str]) -> bool {
    words.iter().any(|w| {
        lower.match_indices(w).any(|(at, _)| {
            let before = lower[..at].trim_end();
            let counted = before.ends_with(|c: char| c.is_ascii_digit()) && before.len() < at;
            !counted
        })
    })
}

/// A date shown by the headline, and whether the page labels it as an
/// update.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum ShownDate {
    Published(NaiveDate),
    Updated(NaiveDate),
}

/// A date line cut where it announces an update: the part before ("May
/// 2, 2024") and the update part ("Updated May 9, 2024"), if any.
fn split_at_update<'t>(text: &'t str, lower: &str) -> (&'t str, Option<&'t str>) {
    let at = ["updat", "modif", "revis"]
        .iter()
        .filter_map(|w| lower.find(w))
        .min();
    // `lower` has the same byte offsets as `text` for ASCII words; a
    // non-ASCII lowercase change shifts them, so such lines are not cut.
    match at {
        Some(i) if lower.len() == text.len() && text.is_char_boundary(i) => {
            (&text[..i], Some(&text[i..]))
        }
        Some(_) => ("", Some(text)),
        None => (text, None),
    }
}

const TITLE_DATE_AFTER: usize = 12;
const TITLE_DATE_BEFORE: usize = 3;

/// A short line that is a byline, a date line or a reading time
/// ("By Jane Doe", "Mar 14, 2024", "34 min read").
fn is_meta_line(text: &str) -> bool {
    text.len() <= META_LINE_MAX
        && (text.starts_with("By ") || text.contains(" min read") || date_in_line(text).is_some())
}

/// A short line that holds a date ("Published on May 2, 2024").
fn is_date_line(text: &str) -> bool {
    text.len() <= META_LINE_MAX && date_in_line(text).is_some()
}

/// Longest line taken for a byline or date line above the article.
const META_LINE_MAX: usize = 100;

/// Short blocks around the start of the article (where bylines and
/// dates sit), from the page read without boilerplate hints.
pub(super) fn header_lines(page: &Page, text: &str) -> Vec<String> {
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

/// The first date on a header line that does not announce an update
/// (the lines are in page order, the headline's date line before the
/// article's first paragraph), else the first update line's date ("Last
/// Modified: August 08, 2023"): a page that shows only when it was
/// updated is dated by that.
pub(super) fn visible_date<'a>(lines: impl IntoIterator<Item = &'a str>) -> Option<NaiveDate> {
    let mut update = None;
    for line in lines {
        let lower = line.to_lowercase();
        if names_a_reply(&lower, &["comment", "reply"]) {
            continue;
        }
        let updated = ["updat", "modif", "revis"]
            .iter()
            .any(|w| lower.contains(w));
        match date_in_line(line) {
            Some(d) if !updated => return Some(d),
            Some(d) if update.is_none() => update = Some(d),
            _ => {}
        }
    }
    update
}

/// The first date on any short line of the page, as [`visible_date`]
/// reads header lines: the last resort for a page whose date sits away
/// from the article's start (a "Posted on" line after the text, a date
/// under the author's name at the foot).
pub(super) fn page_date(page: &Page) -> Option<NaiveDate> {
    let lines = page
        .blocks
        .iter()
        .filter(|b| b.text.len() <= META_LINE_MAX && !page.nodes[b.owner].in_table)
        .map(|b| b.text.as_str());
    visible_date(lines)
}

// ---------------------------------------------------------------- page

/// One element of the flattened page. Elements are numbered in document
/// order: an element's descendants are the numbers after it, up to `end`.
#[derive(Clone, Debug)]
struct PNode {
    parent: usize,
    /// The nearest block-level element at or above this one.
    owner: usize,
    /// One past the last descendant's number.
    end: usize,
    block: bool,
    in_link: bool,
    /// Inside a link to another page (not a `#fragment` of this one).
    in_away_link: bool,
    heading: bool,
    /// Inside a `<table>`.
    in_table: bool,
    /// `<article>`, `itemprop=articleBody` or a content class name.
    content_hint: bool,
    /// A class or id naming a small box of page furniture (`box_negative`).
    box_hint: bool,
    /// Link-list containers (lists, tables, sections) get checked for link density.
    container: bool,
    /// A generic wrapper (`div`, `section`, `aside`, `footer`, ...), not
    /// a paragraph, list, table or heading of the text itself.
    wrapper: bool,
    /// Sum of block values below: article prose counts for, links and
    /// short fragments against.
    value: f64,
    text_len: usize,
    link_len: usize,
    /// Text blocks below, and how many of them are teaser headlines
    /// (headings that are wholly a link to another page).
    blocks: usize,
    teasers: usize,
    /// Short blocks below that are wholly a link to another page, not
    /// headings (a teaser's headline in a `<strong>` or a `div`).
    link_teasers: usize,
    /// Prose blocks below (worth more than nothing, see [`block_value`]).
    prose: usize,
    /// Forms and text-entry fields below (skipped, but counted).
    fields: usize,
}

impl PNode {
    fn root() -> Self {
        PNode {
            parent: 0,
            owner: 0,
            end: 1,
            block: true,
            in_link: false,
            in_away_link: false,
            heading: false,
            in_table: false,
            content_hint: false,
            box_hint: false,
            container: false,
            wrapper: false,
            value: 0.0,
            text_len: 0,
            link_len: 0,
            blocks: 0,
            teasers: 0,
            link_teasers: 0,
            prose: 0,
            fields: 0,
        }
    }
}

/// A run of text inside one block-level element.
#[derive(Clone, Debug)]
pub(super) struct Block {
    pub(super) text: String,
    owner: usize,
    link_len: usize,
    /// Characters inside links to other pages.
    away_len: usize,
    heading: bool,
}

#[derive(Default)]
pub(super) struct Page {
    nodes: Vec<PNode>,
    blocks: Vec<Block>,
    /// Keep the whole page when it has no prose (strict pass only: the
    /// relaxed pass also reads navigation and footers).
    whole_without_prose: bool,
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
        let idx = self.nodes.len();
        let p = &self.nodes[parent];
        let heading = matches!(tag, "h1" | "h2" | "h3" | "h4" | "h5" | "h6");
        let block = BLOCK_TAGS.contains(&tag);
        // Boxes are block-level or sectioning elements: an inline element
        // (a span or link inside a sentence) is never one, and skipping
        // the check there keeps it off the most frequent elements.
        let may_be_box = block || matches!(tag, "aside" | "figure" | "form" | "header" | "footer");
        let mut content_hint =
            tag == "article" || el.value().attr("itemprop") == Some("articleBody");
        // A block the page marks up as the author (`itemprop="author"`,
        // a schema.org Person) is a byline or an author's bio box; a
        // short `<footer>` (read in the relaxed pass only) holds tags,
        // share rows and sign-offs.
        let mut box_hint = may_be_box
            && (tag == "footer"
                || el.value().attr("itemprop") == Some("author")
                || el
                    .value()
                    .attr("itemtype")
                    .is_some_and(|t| t.ends_with("schema.org/Person")));
        for t in class_tokens(el) {
            content_hint = content_hint || rules.positive.regex.is_match(&t);
            box_hint = box_hint || may_be_box && rules.box_negative.regex.is_match(&t);
            if content_hint && (box_hint || !may_be_box) {
                break;
            }
        }
        let away = tag == "a"
            && el
                .value()
                .attr("href")
                .is_some_and(|h| !h.trim_start().starts_with('#'));
        let node = PNode {
            parent,
            owner: if block { idx } else { p.owner },
            end: idx + 1,
            block,
            in_link: p.in_link || tag == "a",
            in_away_link: p.in_away_link || away,
            heading: p.heading || heading,
            in_table: p.in_table || tag == "table",
            content_hint,
            box_hint,
            container: matches!(tag, "ul" | "ol" | "dl" | "table" | "div" | "section"),
            wrapper: matches!(
                tag,
                "div" | "section" | "aside" | "footer" | "header" | "form" | "nav"
            ),
            value: 0.0,
            text_len: 0,
            link_len: 0,
            blocks: 0,
            teasers: 0,
            link_teasers: 0,
            prose: 0,
            fields: 0,
        };
        self.nodes.push(node);
        idx
    }

    /// Text totals and block values of every element: each block counts
    /// for its owner, then one backward sweep adds children into parents
    /// (a parent's number is always smaller than its children's).
    fn score(&mut self) {
        for blk in &self.blocks {
            let (len, link) = (blk.text.chars().count(), blk.link_len);
            let value = block_value(blk, len, link);
            // Link lengths count word characters only, not the spaces.
            let linked = {
                let letters = blk.text.chars().filter(|c| !c.is_whitespace()).count();
                blk.away_len * 10 >= letters * 9
            };
            let teaser = blk.heading && linked;
            let link_teaser = !blk.heading
                && linked
                && len <= LINK_TEASER_MAX_CHARS
                && blk
                    .text
                    .split_whitespace()
                    .nth(MIN_HEADLINE_WORDS - 1)
                    .is_some();
            let node = &mut self.nodes[blk.owner];
            node.text_len += len;
            node.link_len += link;
            node.value += value;
            node.blocks += 1;
            node.teasers += usize::from(teaser);
            node.link_teasers += usize::from(link_teaser);
            node.prose += usize::from(value > 0.0);
        }
        for i in (1..self.nodes.len()).rev() {
            let n = &self.nodes[i];
            let (len, link, value, up) = (n.text_len, n.link_len, n.value, n.parent);
            let (blocks, teasers, link_teasers) = (n.blocks, n.teasers, n.link_teasers);
            let (prose, fields) = (n.prose, n.fields);
            // The linked lines of a link list (a menu, a tag cloud) are
            // no teasers' headlines: the list is dropped on its own.
            let link_list = n.container && n.blocks > 1 && n.link_len * 2 > n.text_len;
            let link_teasers = if link_list { 0 } else { link_teasers };
            let parent = &mut self.nodes[up];
            parent.text_len += len;
            parent.link_len += link;
            parent.value += value;
            parent.blocks += blocks;
            parent.teasers += teasers;
            parent.link_teasers += link_teasers;
            parent.prose += prose;
            parent.fields += fields;
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
    /// When nothing is worth anything (no prose, only short lines), the
    /// whole page is the article (in the strict pass): a list of short paragraphs is kept
    /// whole rather than cut down to its least bad line.
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
            .filter(|&i| worth(i) > 0.0 || !self.whole_without_prose)
            .unwrap_or(0);
        Chosen {
            kept: self.kept_elements(top),
            value: self.nodes[top].value,
        }
    }

    /// Which elements' blocks belong to the article under `root`: all its
    /// descendants except the containers that are mostly links (tag
    /// clouds, share rows, link lists), teaser cards and small boxes the
    /// page names as furniture, and what is inside them.
    fn kept_elements(&self, root: usize) -> Vec<bool> {
        let mut kept = vec![false; self.nodes.len()];
        kept[root] = true;
        for i in root + 1..self.nodes[root].end {
            let n = &self.nodes[i];
            let link_list = n.container && n.text_len > 0 && self.link_density(i) > 0.5;
            let furniture_box = n.box_hint && n.text_len <= BOX_MAX_CHARS;
            // A short brief's own wrapper may hold a comment or search
            // field too: a box with the article's prose is no sign-up box.
            let field_box = n.wrapper
                && n.fields > 0
                && n.text_len <= FIELD_BOX_MAX_CHARS
                && n.prose * 2 < self.nodes[root].prose;
            kept[i] = kept[n.parent]
                && !link_list
                && !furniture_box
                && !field_box
                && !self.teaser_cards(i);
        }
        self.drop_trailing_wrappers(root, &mut kept);
        kept
    }

    /// Drops the wrappers that follow the article's last prose: along the
    /// path from `root` down to the last kept prose block, every later
    /// sibling that is a generic wrapper (`div`, `section`, ...) without
    /// prose of its own is page furniture after the article (share rows,
    /// sign-up boxes, reference and teaser lists, sign-offs of the site).
    /// Lists, tables and paragraphs of the article itself stay.
    fn drop_trailing_wrappers(&self, root: usize, kept: &mut [bool]) {
        let is_prose = |b: &Block| block_value(b, b.text.chars().count(), b.link_len) > 0.0;
        let Some(last) = self
            .blocks
            .iter()
            .rposition(|b| kept[b.owner] && is_prose(b))
        else {
            return;
        };
        // A date line after the article ("Published May 2, 2024") stays:
        // the date cues read the article text.
        let mut dated: Vec<usize> = self.blocks[last + 1..]
            .iter()
            .filter(|b| kept[b.owner] && is_date_line(&b.text))
            .map(|b| b.owner)
            .collect();
        dated.sort_unstable();
        let holds_date = |from: usize, end: usize| {
            let i = dated.partition_point(|&o| o < from);
            dated.get(i).is_some_and(|&o| o < end)
        };
        let mut at = self.blocks[last].owner;
        while at != root && at != 0 {
            let parent = self.nodes[at].parent;
            // The later siblings of `at`, each with its subtree skipped.
            let mut next = self.nodes[at].end;
            while next < self.nodes[parent].end {
                let n = &self.nodes[next];
                if n.wrapper && n.prose == 0 && !holds_date(next, n.end) {
                    kept[next..n.end].fill(false);
                }
                next = n.end;
            }
            at = parent;
        }
    }

    /// A container of teaser cards ("Related posts", "Latest insights"):
    /// several headlines that link to other pages, each with little more
    /// than an excerpt, a date or a "read more" line of its own. An
    /// article's own headings are not links, and its sections are longer.
    /// Teasers whose headline is a plain link (a `<strong>` or `div`
    /// holding an `<a>`) count too when the text around the links is a
    /// short excerpt per headline.
    fn teaser_cards(&self, idx: usize) -> bool {
        let n = &self.nodes[idx];
        if !n.container {
            return false;
        }
        let headed = n.teasers >= MIN_TEASERS && n.teasers * BLOCKS_PER_TEASER >= n.blocks;
        // Most headlines have an excerpt of prose beside them: a list of
        // linked names alone, or with a few words each, is a list of the
        // article's (products, sources), dropped only when it is mostly links.
        let linked = n.link_teasers >= MIN_LINK_TEASERS
            && n.prose * 2 >= n.link_teasers
            && n.link_teasers * BLOCKS_PER_LINK_TEASER >= n.blocks
            && n.text_len.saturating_sub(n.link_len) <= n.link_teasers * TEASER_EXCERPT_CHARS;
        headed || linked
    }
}

/// A form or a field a reader types into (not a hidden value, a box to
/// tick or a button).
fn is_entry_field(el: ElementRef) -> bool {
    match el.value().name() {
        "form" | "textarea" => true,
        "input" => !matches!(
            el.value()
                .attr("type")
                .map(str::to_ascii_lowercase)
                .as_deref(),
            Some("hidden" | "checkbox" | "radio" | "submit" | "button" | "image" | "reset")
        ),
        _ => false,
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
    let prose = plain >= PROSE_MIN_CHARS && link / (len.max(1) as f64) < 0.33;
    if prose {
        plain - link
    } else {
        -FRAGMENT_COST * plain - link
    }
}

/// The elements kept as the article and the worth of its container.
struct Chosen {
    /// Indexed by element number.
    kept: Vec<bool>,
    value: f64,
}

/// The block being assembled during the DOM walk.
#[derive(Default)]
struct BlockBuf {
    text: String,
    owner: usize,
    link_len: usize,
    away_len: usize,
    pending_space: bool,
}

impl BlockBuf {
    fn push_text(&mut self, page: &Page, parent: usize, t: &str) {
        let owner = page.nodes[parent].owner;
        if !self.text.is_empty() && owner != self.owner && page.nodes[owner].block {
            // Text of another block-level element continues: keep runs apart.
            self.pending_space = true;
        }
        if self.text.is_empty() {
            self.owner = owner;
        }
        let in_link = page.nodes[parent].in_link;
        let in_away_link = page.nodes[parent].in_away_link;
        if t.starts_with(char::is_whitespace) {
            self.pending_space = true;
        }
        for word in t.split_whitespace() {
            if self.pending_space && !self.text.is_empty() {
                self.text.push(' ');
            }
            self.text.push_str(word);
            if in_link || in_away_link {
                let chars = word.chars().count();
                self.link_len += if in_link { chars } else { 0 };
                self.away_len += if in_away_link { chars } else { 0 };
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
                away_len: self.away_len,
                heading,
            });
        }
        self.link_len = 0;
        self.away_len = 0;
        self.pending_space = false;
    }
}
