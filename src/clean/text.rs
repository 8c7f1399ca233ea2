//! Plain-text cleaning: boilerplate zones, title, byline and text-cue
//! publication date. The text itself is never changed.

use super::rules::{Rank, Scope, TextRules};
use super::{Zone, ZoneKind};
use crate::dct::parse_date;
use crate::record::Span;
use chrono::NaiveDate;

/// One line of the text: its byte span without the line break.
#[derive(Clone, Copy, Debug)]
struct Line<'t> {
    span: Span,
    text: &'t str,
}

impl Line<'_> {
    fn is_blank(&self) -> bool {
        self.text.trim().is_empty()
    }
    /// The span without leading and trailing white space.
    fn trimmed_span(&self) -> Span {
        let lead = self.text.len() - self.text.trim_start().len();
        let trail = self.text.len() - self.text.trim_end().len();
        Span::new(self.span.start + lead, self.span.end - trail)
    }
}

fn lines(text: &str) -> Vec<Line<'_>> {
    let mut out = Vec::new();
    let mut start = 0;
    for piece in text.split_inclusive('\n') {
        let body = piece.strip_suffix('\n').unwrap_or(piece);
        let body = body.strip_suffix('\r').unwrap_or(body);
        out.push(Line {
            span: Span::new(start, start + body.len()),
            text: body,
        });
        start += piece.len();
    }
    out
}

/// What the text cleaner finds in a plain-text article.
#[derive(Debug, Default)]
pub struct TextFindings {
    pub zones: Vec<Zone>,
    pub title: Option<String>,
    pub byline: Option<String>,
    pub published: Option<NaiveDate>,
}

/// Runs every text rule over `text`.
pub fn analyse(rules: &TextRules, text: &str) -> TextFindings {
    let lines = lines(text);
    let mut zones = Vec::new();
    let mut byline = None;
    for (i, line) in lines.iter().enumerate() {
        if line.is_blank() {
            continue;
        }
        if let Some(name) = byline_name(rules, line.text) {
            zones.push(Zone {
                span: line.trimmed_span(),
                kind: ZoneKind::Byline,
            });
            byline.get_or_insert(name);
            continue;
        }
        zone_rules(rules, text, &lines, i, &mut zones);
    }
    let bio_name = author_bio(rules, &lines, &mut zones);
    captions(rules, &lines, &mut zones);
    TextFindings {
        zones: merge(zones),
        title: title(rules, &lines),
        byline: byline.or(bio_name),
        published: published(rules, &lines),
    }
}

/// The byline's name(s) when `line` is a byline.
pub fn byline_name(rules: &TextRules, line: &str) -> Option<String> {
    // Bylines are short; a long line starting with "By" is a sentence.
    if line.len() > 160 {
        return None;
    }
    rules.bylines.iter().find_map(|p| {
        let caps = p.regex.captures(line)?;
        let name = caps.name("name")?.as_str().trim();
        (!name.is_empty()).then(|| name.to_string())
    })
}

fn zone_rules(rules: &TextRules, text: &str, lines: &[Line], i: usize, zones: &mut Vec<Zone>) {
    let line = lines[i];
    for rule in &rules.zones {
        let Some(m) = rule.pattern.regex.find(line.text) else {
            continue;
        };
        let kind = rule.kind;
        let span = match rule.scope {
            Scope::Line => line.trimmed_span(),
            Scope::Match => Span::new(line.span.start + m.start(), line.span.start + m.end()),
            Scope::WithPrevious => {
                let mut span = line.trimmed_span();
                // The tweet's text is the line right above its signature,
                // unless a blank line separates them.
                if let Some(prev) = i.checked_sub(1).map(|p| lines[p]) {
                    if !prev.is_blank() {
                        span.start = prev.trimmed_span().start;
                    }
                }
                span
            }
            // A trailing section header in the first third of the text is
            // more likely an inline teaser than the start of the page's tail.
            Scope::ToEnd if line.span.start * 3 < text.len() => line.trimmed_span(),
            Scope::ToEnd => Span::new(line.trimmed_span().start, text.len()),
        };
        zones.push(Zone { span, kind });
    }
}

/// Finds an author box near the end: a bare name line followed by a
/// first-person paragraph, or the name right after an "About author"
/// header. Returns the author's name.
fn author_bio(rules: &TextRules, lines: &[Line], zones: &mut Vec<Zone>) -> Option<String> {
    let total = lines.last().map(|l| l.span.end).unwrap_or(0);
    let content: Vec<&Line> = lines.iter().filter(|l| !l.is_blank()).collect();
    for (k, line) in content.iter().enumerate() {
        let name = line.text.trim();
        if !looks_like_name(name) {
            continue;
        }
        let after_header = k > 0
            && zones.iter().any(|z| {
                z.kind == ZoneKind::AuthorBio && z.span.contains(content[k - 1].trimmed_span())
            });
        if after_header {
            return Some(name.to_string());
        }
        let Some(next) = content.get(k + 1) else {
            continue;
        };
        let in_tail = line.span.start * 2 >= total;
        if in_tail && rules.first_person.regex.is_match(next.text) {
            zones.push(Zone {
                span: Span::new(line.trimmed_span().start, next.trimmed_span().end),
                kind: ZoneKind::AuthorBio,
            });
            return Some(name.to_string());
        }
    }
    None
}

/// Extracted HTML text without its boilerplate paragraphs: a short
/// paragraph a line rule matches is dropped, and a trailing-section header
/// (comments, related posts, author box) past the first third ends the text.
pub fn drop_boilerplate_paragraphs(rules: &TextRules, text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pos = 0;
    for para in text.split("\n\n") {
        let at = pos;
        pos += para.len() + 2;
        let mut drop = false;
        for rule in rules.zones.iter().filter(|r| r.scope != Scope::Match) {
            if !rule.pattern.regex.is_match(para) {
                continue;
            }
            if rule.scope == Scope::ToEnd && at * 3 >= text.len() {
                return out;
            }
            drop |= para.len() <= SHORT_PARAGRAPH;
        }
        if !drop {
            if !out.is_empty() {
                out.push_str("\n\n");
            }
            out.push_str(para);
        }
    }
    out
}

/// Paragraphs up to this many bytes may be dropped whole as boilerplate.
const SHORT_PARAGRAPH: usize = 200;

/// The byline among short lines from a page's article header: a "By X"
/// line, or a name right after a "Written by" label.
pub fn header_byline(rules: &TextRules, lines: &[String]) -> Option<String> {
    lines.iter().enumerate().find_map(|(i, line)| {
        if let Some(name) = byline_name(rules, line) {
            return Some(name);
        }
        let next = lines.get(i + 1)?.trim();
        (rules.byline_label.regex.is_match(line) && looks_like_name(next)).then(|| next.to_string())
    })
}

/// The first explicit or dated-line date among a page's header lines.
pub fn header_date(rules: &TextRules, lines: &[String]) -> Option<NaiveDate> {
    lines.iter().find_map(|line| {
        rules
            .date_cues
            .iter()
            .filter(|c| c.rank != Rank::Update)
            .find_map(|c| cue_date(&c.pattern.regex, line))
    })
}

/// Two to four capitalised words and nothing else.
fn looks_like_name(s: &str) -> bool {
    // The length first: most lines are paragraphs, not worth splitting.
    if s.len() > 60 {
        return false;
    }
    let words: Vec<&str> = s.split_whitespace().collect();
    (2..=4).contains(&words.len())
        && words.iter().all(|w| {
            let mut chars = w.chars();
            chars.next().is_some_and(char::is_uppercase)
                && chars.all(|c| c.is_alphabetic() || matches!(c, '.' | '-' | '\'' | '’'))
        })
}

/// Short lowercase lines standing alone between paragraphs.
fn captions(rules: &TextRules, lines: &[Line], zones: &mut Vec<Zone>) {
    if rules.caption_max_words == 0 {
        return;
    }
    for i in 1..lines.len() {
        let line = lines[i];
        let t = line.text.trim();
        let alone = lines[i - 1].is_blank() && lines.get(i + 1).is_none_or(|n| n.is_blank());
        if !alone || t.is_empty() {
            continue;
        }
        let starts_lower = t.chars().next().is_some_and(char::is_lowercase);
        let ends_open = !t.ends_with(['.', '!', '?', ':', ';', '"', '”', ')', ',']);
        let short = t.split_whitespace().count() <= rules.caption_max_words;
        if starts_lower && ends_open && short {
            zones.push(Zone {
                span: line.trimmed_span(),
                kind: ZoneKind::Caption,
            });
        }
    }
}

/// The first non-empty line, when it reads as a headline.
fn title(rules: &TextRules, lines: &[Line]) -> Option<String> {
    let first = lines.iter().find(|l| !l.is_blank())?.text.trim();
    let words = first.split_whitespace().count();
    let headline = words <= 30
        && first.len() <= 300
        && !first.ends_with('.')
        && first.chars().any(char::is_alphabetic)
        && byline_name(rules, first).is_none();
    headline.then(|| first.to_string())
}

/// The publication date from text cues (see the rule file for the order).
fn published(rules: &TextRules, lines: &[Line]) -> Option<NaiveDate> {
    let mut explicit = None;
    let mut update: Option<NaiveDate> = None;
    let mut dated: Option<NaiveDate> = None;
    for line in lines.iter().filter(|l| !l.is_blank()) {
        for cue in &rules.date_cues {
            let Some(date) = cue_date(&cue.pattern.regex, line.text) else {
                continue;
            };
            match cue.rank {
                Rank::Explicit => {
                    explicit.get_or_insert(date);
                }
                Rank::Update => update = Some(update.map_or(date, |d| d.min(date))),
                Rank::Dated => dated = Some(dated.map_or(date, |d| d.max(date))),
            }
        }
    }
    explicit.or(update).or(dated)
}

/// The parsed `date` group of the first match of `regex` in `line`.
pub fn cue_date(regex: &crate::rules::Regex, line: &str) -> Option<NaiveDate> {
    regex
        .captures_iter(line)
        .find_map(|c| parse_date(c.name("date")?.as_str()))
}

/// Sorts zones and merges overlapping ones (the earlier zone's kind wins).
fn merge(mut zones: Vec<Zone>) -> Vec<Zone> {
    zones.retain(|z| !z.span.is_empty());
    zones.sort_by_key(|z| (z.span.start, std::cmp::Reverse(z.span.end)));
    let mut out: Vec<Zone> = Vec::with_capacity(zones.len());
    for z in zones {
        match out.last_mut() {
            Some(last) if last.span.end > z.span.start => {
                last.span.end = last.span.end.max(z.span.end);
            }
            _ => out.push(z),
        }
    }
    out
}
