//! Dates: temporal expressions (TimeML TIMEX3: DATE, TIME, DURATION, SET)
//! with normalised values.
//!
//! Takes a [`Doc`] (content sentences and the document creation time);
//! gives [`DateMention`]s sorted by start, non-overlapping, each naming the
//! rule that fired and, when a modifier word is in the span, its TimeML
//! `mod` ("early 2021" is `2021` with START). Patterns, word lists and
//! value operations live in `rules/dates.toml`. Relative expressions
//! resolve against the DCT; with no DCT they stay unresolved in TimeML
//! style (`XXXX-WXX-2`, `PRESENT_REF`), never against the current clock.
//! Tense for bare weekdays, year-less dates and holidays comes from local
//! cues right before the expression ("said Friday", "will ... Friday"),
//! else from the verb group of the clause holding it when the document
//! carries the clause analysis (`Doc::parsed`): past or perfect anchors on
//! or before the DCT (or within a month ahead for a full date: "set Nov.
//! 10 as the deadline"), future or modal after it ("would travel
//! Thursday"), the present with "on" or right before the day puts a
//! weekday on or after it ("ministers meet on Monday", "meet separately
//! Monday"). A clause without a tense of its own takes a future cue from
//! earlier in the sentence ("will tour Australia, starting on 9 July").
//! A verb behind a comma after the date ("admit them in early March, an
//! official said") is no anchor for it: the verb before it within its
//! stretch between commas is ("India, which attends the meeting on
//! Friday, is ..."), else none.
//! "until" reaches from its clause's time: ahead from a present or
//! future clause, or from a past one that puts something off ("extended
//! the deadline until Tuesday"), back from a perfect or plain past one
//! ("had not called him a suspect until Thursday", "stayed until Monday").
//! A weekday named with its date picks the year that fits.
//! With no tense at all, a year-less date leans to the past (a coming
//! occurrence counts twice as far as a past one).
//! Discourse links: "a year earlier" after a named quarter names that
//! quarter a year before; "N units earlier", "that year", "that night",
//! "the following year" and "the previous Friday" count from the last
//! named date; a clock time naming no day ("at 10 p.m.") falls on the day
//! named within the two sentences or so before it, else on the DCT. It
//! does not link expressions to events.

mod examples;
mod resolve;
mod rules;

use super::Doc;
use crate::clauses::{self, Parsed, ParsedSentence};
use crate::error::RuleError;
use crate::record::{DateMention, Span, TimexType};
use crate::rules::{catalog, RuleFiles};
use chrono::NaiveDate;
use regex_automata::util::captures::Captures;
use regex_automata::PatternID;
use resolve::{Slots, Tense};
pub(crate) use rules::builtin_lexicon;
use rules::{MatchScratch, Rule, RuleSet};
use std::collections::HashMap;

/// How far before / after a match the `not_before` / `not_after` checks look.
const CONTEXT_BYTES: usize = 40;
/// How far after the date named last a clock time naming no day of its
/// own still falls on that date's day (about two sentences).
const NARRATED_DAY_REACH: usize = 300;
/// Bytes before a day searched for a shift ("two weeks before").
const SHIFT_REACH: usize = 40;
/// Counts a shift may spell out ("three days before"), from one up.
const NUMBER_WORDS: [&str; 12] = [
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve",
];
/// How far before a match a future cue counts (at most one clause).
const FUTURE_BEFORE: usize = 50;
/// How far before a match a future cue of the sentence counts when the
/// clause holding the match has no tense of its own.
const SENTENCE_BEFORE: usize = 160;

pub struct DateExtractor {
    rules: RuleSet,
}

/// A match that passed its checks, before overlap resolution.
struct Candidate {
    span: Span,
    rule: usize,
    value: String,
    /// For rules that follow the last named quarter: their shift in years.
    year_shift: Option<i64>,
    /// For rules that follow the last named quarter and name a year ("the
    /// 1988 period"): that year.
    quarter_year: Option<i64>,
    /// "a month earlier": a shift (grain Y, M or D, amount) from the date
    /// the text named last, when it named one.
    narrated_shift: Option<(&'static str, i64)>,
    /// For a reference to the date named last ("the following day"): its
    /// grain and shift.
    reference: Option<(String, i64)>,
    /// A clock time naming no day of its own ("at 10 p.m."): it falls on
    /// the day the text narrates, the DCT's until a day is named.
    floating_clock: bool,
    /// Days the words before a day shift it by ("the day before last
    /// Tuesday"), applied once the day itself is resolved.
    day_shift: Option<i64>,
}

impl DateExtractor {
    pub fn new(rules: &RuleFiles) -> Result<Self, RuleError> {
        let sources = rules.load(&catalog::DATES)?;
        Ok(DateExtractor {
            rules: RuleSet::load(&sources)?,
        })
    }

    /// Segments `text` and extracts its dates without the clause
    /// analysis (tense from local cues only).
    pub fn extract_text(&self, text: &str, dct: Option<NaiveDate>) -> Vec<DateMention> {
        let seg = crate::segment::segment(text, &[]);
        self.extract(&Doc::new(text, &seg, dct))
    }

    /// Segments `text`, runs the clause analysis and extracts its dates,
    /// as the pipeline does (for rule examples and tools).
    pub fn extract_parsed_text(
        &self,
        text: &str,
        dct: Option<NaiveDate>,
        clauses: &clauses::ClauseAnalyzer,
    ) -> Vec<DateMention> {
        let seg = crate::segment::segment(text, &[]);
        let parsed = clauses.analyze(text, &seg);
        self.extract(&Doc {
            text,
            seg: &seg,
            parsed: Some(&parsed),
            dct,
        })
    }

    pub fn extract(&self, doc: &Doc) -> Vec<DateMention> {
        let mut out = Vec::new();
        let mut last_quarter = None;
        let mut last_date: Option<String> = None;
        // Where the date named last ends, for clock times near it.
        let mut last_date_end = 0;
        let mut scratch = MatchScratch::default();
        let content = doc.seg.sentences.iter().enumerate();
        for (index, sentence) in content.filter(|(_, s)| !s.boilerplate) {
            let clause_tenses = doc.parsed.and_then(|parsed| {
                Some(ClauseTenses {
                    parsed,
                    sentence: parsed.sentences.get(index)?,
                    start: sentence.span.start,
                })
            });
            let mut candidates =
                self.sentence_candidates(doc, sentence.span, clause_tenses, &mut scratch);
            let mut chosen = select(&mut candidates);
            chosen.sort_by_key(|c| c.span.start);
            day_after_brackets(doc.text, &mut chosen);
            for mut c in chosen {
                if c.floating_clock && c.span.start < last_date_end + NARRATED_DAY_REACH {
                    on_narrated_day(&mut c.value, last_date.as_deref());
                }
                if !follow_quarter(&mut c, &mut last_quarter) {
                    follow_narration(&mut c, last_date.as_deref());
                }
                let rule = &self.rules.rules[c.rule];
                let named_last = follow_last_date(&mut c, rule, &mut last_date);
                if let Some(days) = c.day_shift {
                    if let Some(v) = resolve::shift_value(&c.value, "D", days) {
                        c.value = v;
                        if named_last {
                            last_date = Some(c.value.clone());
                        }
                    }
                }
                if named_last {
                    last_date_end = c.span.end;
                }
                let Some(kind) = rule.kind else { continue };
                let mention = DateMention {
                    span: c.span,
                    text: doc.slice(c.span).to_string(),
                    kind,
                    value: c.value,
                    modifier: modifier(doc.slice(c.span)).map(str::to_string),
                    rule: rule.id.clone(),
                };
                match out.last_mut() {
                    Some(date) if joins_clock_time(doc.text, date, &mention) => {
                        absorb_time(doc.text, date, mention)
                    }
                    _ => out.push(mention),
                }
            }
        }
        out
    }

    fn sentence_candidates(
        &self,
        doc: &Doc,
        span: Span,
        clause_tenses: Option<ClauseTenses>,
        scratch: &mut MatchScratch,
    ) -> Vec<Candidate> {
        let sentence = doc.slice(span);
        let mut out = Vec::new();
        let context = Context {
            sentence,
            dct: doc.dct,
            clause_tenses,
        };
        self.rules.for_each_match(sentence, scratch, |i, caps| {
            if let Some(mut c) = self.candidate(i, caps, &context) {
                c.span = Span::new(span.start + c.span.start, span.start + c.span.end);
                out.push(c);
            }
        });
        out
    }

    /// One regex match checked and resolved; its span is relative to the sentence.
    fn candidate(&self, i: usize, caps: &Captures, ctx: &Context) -> Option<Candidate> {
        let (sentence, dct) = (ctx.sentence, ctx.dct);
        let rule = &self.rules.rules[i];
        // A group named `extent` narrows the span to part of the match: the
        // rest is context the rule requires ("the year" in "the year ended").
        let whole = caps
            .get_group_by_name("extent")
            .or_else(|| caps.get_group(0))?;
        let (start, end) = trim_space(sentence, whole.start, whole.end);
        let end = drop_sentence_period(sentence, start, end);
        if start >= end
            || !at_word_edges(sentence, start, end)
            || rejected_by_context(rule, sentence, start, end)
        {
            return None;
        }
        let groups = self.normalised_groups(rule, caps, sentence);
        // Only values that depend on tense pay for finding it.
        let tense = if dct.is_some() && rule.value.uses_tense() {
            match self.tense(ctx, start) {
                // "follows Tuesday's vote": a possessive day names a past event.
                Tense::Present if is_possessive(&sentence[end..]) => Tense::Unknown,
                tense => tense,
            }
        } else {
            Tense::Unknown
        };
        let slots = Slots {
            groups: &groups,
            dct,
            tense,
        };
        let year_shift = rule
            .follow_quarter
            .then(|| resolve::year_shift(&rule.value, &slots))
            .flatten();
        let narrated_shift = (rule.follow_quarter
            && sentence[start..end]
                .to_ascii_lowercase()
                .ends_with("earlier"))
        .then(|| narrated_shift(&groups))
        .flatten();
        let mut value = resolve::evaluate(&rule.value, &slots)?;
        let reference = match &rule.value {
            resolve::ValueOp::Ref(shift) => shift.resolve(&slots),
            _ => None,
        };
        let quarter_year = (rule.follow_quarter && rule.value == resolve::ValueOp::Year)
            .then(|| value.parse().ok())
            .flatten();
        if let Some(suffix) = rule.suffix.as_deref().filter(|_| value.contains("-W")) {
            value.push_str(suffix);
        }
        let floating_clock = rule.value == resolve::ValueOp::Time
            && !groups.contains_key("weekday")
            && !groups.contains_key("day")
            && !names_its_day(&sentence[end..]);
        let pod = groups.get("pod").or(rule.pod.as_ref());
        if let Some(pod) = pod.filter(|_| is_day_value(&value)) {
            value = format!("{value}T{pod}");
        }
        // "the day before last Tuesday", "two days after Christmas": the
        // mention takes in the shift, and its day moves by it.
        let mut start = start;
        let mut day_shift = None;
        // A day without a year ("XXXX-12-26") is left unshifted.
        if rule.kind == Some(TimexType::Date)
            && NaiveDate::parse_from_str(&value, "%Y-%m-%d").is_ok()
        {
            if let Some((at, days)) = self.shift_before(sentence, start) {
                start = at;
                day_shift = Some(days);
            }
        }
        Some(Candidate {
            span: Span::new(start, end),
            rule: i,
            value,
            year_shift,
            quarter_year,
            narrated_shift,
            reference,
            floating_clock,
            day_shift,
        })
    }

    /// The shift in days named right before a day at `start` ("the day
    /// before", "two weeks after"), with where its words begin.
    fn shift_before(&self, sentence: &str, start: usize) -> Option<(usize, i64)> {
        let from = floor_boundary(sentence, start.saturating_sub(SHIFT_REACH));
        let caps = self.rules.shift.captures(&sentence[from..start])?;
        let n = match caps.name("num").map(|m| m.as_str().to_ascii_lowercase()) {
            None => 1,
            Some(w) => match w.parse::<i64>() {
                Ok(n) => n,
                Err(_) => NUMBER_WORDS.iter().position(|x| *x == w)? as i64 + 1,
            },
        };
        let weeks = caps
            .name("unit")
            .is_some_and(|u| u.as_str().to_ascii_lowercase().starts_with("week"));
        let days = if weeks { 7 * n } else { n };
        let before = caps.name("dir")?.as_str().eq_ignore_ascii_case("before");
        let at = from + caps.get(0)?.start();
        Some((at, if before { -days } else { days }))
    }

    /// The tense anchoring a match at `start` (relative to the sentence).
    /// Local cues in the clause before it come first: a past verb right
    /// before it ("said Friday") makes it past, a future cue (will, 'll,
    /// going to, scheduled ...) future. Otherwise the verb group of the
    /// clause around it decides, when the clause analysis is there (a
    /// present verb only through "on"); else a future cue earlier in the
    /// sentence.
    fn tense(&self, ctx: &Context, start: usize) -> Tense {
        let clause = clause_before(ctx.sentence, start);
        if self.rules.past.is_match(clause) {
            return Tense::Past;
        }
        if self.rules.future.is_match(clause) {
            // A plan told in the past perfect ("had been scheduled to
            // expire Friday") lies before the DCT.
            let perfect_past = ctx
                .clause_tenses
                .and_then(|c| c.group_at(start))
                .is_some_and(|g| g.perfect && g.tense == clauses::Tense::Past);
            if perfect_past || self.rules.planned_past.is_match(clause) {
                return Tense::Past;
            }
            return Tense::Future;
        }
        if has_word(clause, "until") || has_word(clause, "till") {
            return self.until_tense(ctx, start);
        }
        let group = ctx.clause_tenses.and_then(|c| c.group_at(start));
        match group.map(anchor_tense) {
            Some(tense @ (Tense::Past | Tense::Future)) => tense,
            // Only "on" or the verb itself ties a present verb to the day
            // ("meet on Monday", "meet separately Monday"); a bare day after
            // a noun ("the announcement Friday") is no such sign.
            Some(Tense::Present)
                if ends_with_word(clause, "on")
                    || ctx
                        .clause_tenses
                        .zip(group)
                        .is_some_and(|(c, g)| c.right_after(g, start)) =>
            {
                Tense::Present
            }
            // A date in a clause without a tense of its own ("..., starting
            // on 9 July") reads the sentence's: a future cue earlier in it
            // ("England will tour Australia, starting on 9 July").
            _ if self
                .rules
                .future
                .is_match(sentence_before(ctx.sentence, start)) =>
            {
                Tense::Future
            }
            _ => Tense::Unknown,
        }
    }

    /// The tense of a date after "until": it reaches from its clause's
    /// time, ahead from a present or future clause ("talks go on until
    /// Friday"), back from a perfect one ("had not called him a suspect
    /// until Thursday") or a plain past one ("stayed in Paris until
    /// Monday", "it was not until Tuesday that", "stayed closed until
    /// Monday"), unless that clause puts something off ("extended its
    /// deadline until Tuesday", "closed the case until Monday").
    fn until_tense(&self, ctx: &Context, start: usize) -> Tense {
        let Some(group) = ctx.clause_tenses.and_then(|c| c.group_at(start)) else {
            return Tense::Future;
        };
        let plain_past = group.tense == clauses::Tense::Past && group.modal.is_none();
        let put_off = || {
            let before = sentence_before(ctx.sentence, start);
            self.rules.deferral.is_match(before) && !self.rules.lasting.is_match(before)
        };
        if group.perfect || (plain_past && !put_off()) {
            Tense::Past
        } else {
            Tense::Future
        }
    }

    /// Captured groups, lexicon groups replaced by their normalised values.
    fn normalised_groups<'r>(
        &self,
        rule: &'r Rule,
        caps: &Captures,
        sentence: &str,
    ) -> HashMap<&'r str, String> {
        let mut groups = HashMap::new();
        let names = rule.regex.group_info().pattern_names(PatternID::ZERO);
        for name in names.flatten() {
            let Some(span) = caps.get_group_by_name(name) else {
                continue;
            };
            let text = &sentence[span.range()];
            let lexicon = rule
                .groups
                .iter()
                .find(|(g, _)| g == name)
                .and_then(|(_, lex)| self.rules.lexicons.get(lex));
            let value = match lexicon {
                Some(lex) => lex.lookup(text),
                None => Some(text.to_string()),
            };
            if let Some(v) = value {
                groups.insert(name, v);
            }
        }
        groups
    }
}

/// What a candidate's checks and value read besides its own match.
struct Context<'a> {
    sentence: &'a str,
    dct: Option<NaiveDate>,
    clause_tenses: Option<ClauseTenses<'a>>,
}

/// The clause analysis of one sentence, for the tense of its verb groups.
#[derive(Clone, Copy)]
struct ClauseTenses<'a> {
    parsed: &'a Parsed,
    sentence: &'a ParsedSentence,
    /// Byte offset of the sentence in the text.
    start: usize,
}

impl<'a> ClauseTenses<'a> {
    /// The verb group governing the token at `pos` (a byte offset in the
    /// sentence): the clause's, or for a date opening the sentence ("On
    /// Tuesday, the firm said ...") the first finite verb group after it.
    /// Elsewhere outside a clause there is none: a later "officials said"
    /// is no anchor for a date the tagger left without its verb.
    fn group_at(&self, pos: usize) -> Option<&'a clauses::VerbGroup> {
        use clauses::Tag;
        let tokens = &self.parsed.tokens[self.sentence.tokens.clone()];
        let token = tokens.partition_point(|t| t.span.end <= self.start + pos);
        // Only function words before it ("Late on Tuesday", "But on May 3").
        let opening = tokens[..token.min(tokens.len())].iter().all(|t| {
            matches!(
                t.tag,
                Tag::IN | Tag::RB | Tag::JJ | Tag::CC | Tag::DT | Tag::Comma
            )
        });
        let groups = &self.sentence.verb_groups;
        let holding = self
            .sentence
            .clauses
            .iter()
            .find(|c| c.tokens.contains(&token));
        let group = match holding {
            Some(clause) => {
                let group = groups.get(clause.verb_group)?;
                // A verb behind a comma ("... in early March, an official
                // said"; "Bush, who meets him on Friday, is ...") is no
                // anchor for a date before it: the clause analysis joined
                // them across the comma.
                if !opening
                    && group.tokens.start > token
                    && has_comma(tokens, token, group.tokens.start)
                {
                    return verb_in_stretch(tokens, groups, token);
                }
                group
            }
            None if opening => groups
                .iter()
                .find(|g| g.tokens.start >= token && g.is_finite())?,
            None => return None,
        };
        Some(group)
    }
}

/// True when a comma lies among `tokens[from..to]`.
fn has_comma(tokens: &[clauses::Token], from: usize, to: usize) -> bool {
    tokens[from.min(tokens.len())..to.min(tokens.len())]
        .iter()
        .any(|t| t.tag == clauses::Tag::Comma)
}

/// The verb group before `token` within its stretch between commas
/// ("India, which attends the meeting on Friday, is ..."): a finite one
/// or an infinitive; a participle there is mostly an adjective ("leading
/// nations"). None when the stretch has no verb.
fn verb_in_stretch<'a>(
    tokens: &[clauses::Token],
    groups: &'a [clauses::VerbGroup],
    token: usize,
) -> Option<&'a clauses::VerbGroup> {
    let verb = |g: &&clauses::VerbGroup| {
        g.is_finite()
            || tokens
                .get(g.tokens.start)
                .is_some_and(|t| t.tag == clauses::Tag::TO)
    };
    groups
        .iter()
        .rev()
        .filter(verb)
        .find(|g| g.tokens.end <= token)
        .filter(|g| !has_comma(tokens, g.tokens.end, token))
}

impl ClauseTenses<'_> {
    /// True when the token at `pos` follows `group` with at most adverbs
    /// between ("meet separately Monday"): the day is the verb's own. The
    /// group must have a subject: a plural noun the tagger took for a verb
    /// ("his Miami relatives Sunday night") has none.
    fn right_after(&self, group: &clauses::VerbGroup, pos: usize) -> bool {
        let tokens = &self.parsed.tokens[self.sentence.tokens.clone()];
        let token = tokens.partition_point(|t| t.span.end <= self.start + pos);
        let adjacent = group.tokens.end <= token
            && tokens[group.tokens.end..token]
                .iter()
                .all(|t| t.tag == clauses::Tag::RB);
        adjacent
            && self.sentence.roles.iter().any(|r| {
                r.kind == clauses::RoleKind::Subject
                    && self
                        .sentence
                        .verb_groups
                        .get(r.verb_group)
                        .is_some_and(|g| g.tokens == group.tokens)
            })
    }
}

/// How a verb group anchors a date: past or perfect on or before the
/// DCT; future or modal ("would travel Thursday") after it. The present
/// is kept apart: news writes it for the coming days ("meets on
/// Monday"), so with "on" it moves a weekday forward, but a possessive day
/// ("follows Tuesday's declaration") and other dates stay at the nearest.
fn anchor_tense(group: &clauses::VerbGroup) -> Tense {
    match group.tense {
        _ if group.perfect => Tense::Past,
        clauses::Tense::Past if group.modal.is_none() => Tense::Past,
        clauses::Tense::Past | clauses::Tense::Future => Tense::Future,
        clauses::Tense::Present => Tense::Present,
        clauses::Tense::Nonfinite => Tense::Unknown,
    }
}

/// True when `text` ends with the word `word` (and spaces), in any case.
fn ends_with_word(text: &str, word: &str) -> bool {
    let text = text.trim_end();
    text.len() >= word.len()
        && text.is_char_boundary(text.len() - word.len())
        && text[text.len() - word.len()..].eq_ignore_ascii_case(word)
        && text[..text.len() - word.len()]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric())
}

/// True when `text` holds the word `word` (lower case).
fn has_word(text: &str, word: &str) -> bool {
    text.split(|c: char| !c.is_alphanumeric())
        .any(|w| w.eq_ignore_ascii_case(word))
}

/// True when `after` opens with a possessive ending ("'s").
fn is_possessive(after: &str) -> bool {
    after.starts_with("'s") || after.starts_with("\u{2019}s")
}

/// The sentence before `start`, at most [`SENTENCE_BEFORE`] bytes, cut
/// at a semicolon or a quotation mark (another voice, another tense).
fn sentence_before(sentence: &str, start: usize) -> &str {
    let before = &sentence[floor_boundary(sentence, start.saturating_sub(SENTENCE_BEFORE))..start];
    before
        .rsplit([';', '"', '\u{201c}', '\u{201d}'])
        .next()
        .unwrap_or(before)
}

/// The text of the clause before `start` (at most [`FUTURE_BEFORE`] bytes).
fn clause_before(sentence: &str, start: usize) -> &str {
    let before = &sentence[floor_boundary(sentence, start.saturating_sub(FUTURE_BEFORE))..start];
    before
        .rfind([',', ';', ':', '(', '"'])
        .map_or(before, |i| &before[i + 1..])
}

/// Longest candidates first, then rule order; keeps non-overlapping ones.
fn select(candidates: &mut [Candidate]) -> Vec<Candidate> {
    candidates.sort_by(|a, b| {
        b.span
            .len()
            .cmp(&a.span.len())
            .then(a.rule.cmp(&b.rule))
            .then(a.span.start.cmp(&b.span.start))
    });
    let mut chosen: Vec<Candidate> = Vec::new();
    for c in candidates.iter_mut() {
        if chosen.iter().all(|k| !k.span.overlaps(c.span)) {
            chosen.push(Candidate {
                span: c.span,
                rule: c.rule,
                value: std::mem::take(&mut c.value),
                year_shift: c.year_shift,
                quarter_year: c.quarter_year,
                narrated_shift: c.narrated_shift,
                reference: c.reference.take(),
                floating_clock: c.floating_clock,
                day_shift: c.day_shift,
            });
        }
    }
    chosen
}

/// Remembers the last quarter named ("1989-Q3"); a year shift that
/// follows it ("a year earlier") names the same quarter of that year, and
/// a period of a named year ("the 1988 period") that quarter of the year.
/// True when it gave the candidate its value.
fn follow_quarter(c: &mut Candidate, last_quarter: &mut Option<(i64, u32)>) -> bool {
    if let Some((year, q)) = parse_quarter(&c.value) {
        *last_quarter = Some((year, q));
        return false;
    }
    let follows = c.year_shift.is_some() || c.quarter_year.is_some();
    if !follows && names_longer_period(&c.value) {
        // "In the first nine months ... a year earlier": the year before
        // the nine months, no longer the quarter named before them.
        *last_quarter = None;
        return false;
    }
    let Some((year, q)) = *last_quarter else {
        return false;
    };
    let year = match (c.year_shift, c.quarter_year) {
        (Some(shift), _) => year + shift,
        (None, Some(named)) => named,
        (None, None) => return false,
    };
    c.value = format!("{year:04}-Q{q}");
    true
}

/// Puts a clock time that names no day ("at 10 p.m.") on the day the
/// text named last, when it named one ("Slepian was shot on Oct. 23,
/// 1998 ... at 10 p.m."): the narration is at that day.
fn on_narrated_day(value: &mut String, last_date: Option<&str>) {
    let Some(day) = last_date.and_then(|d| resolve::at_grain(d, "D")) else {
        return;
    };
    if let Some(clock) = value.get(10..).filter(|c| c.starts_with('T')) {
        *value = format!("{day}{clock}");
    }
}

/// Whether the words after a clock time name its day ("at 5 p.m. today"),
/// which the match leaves out: such a time stays on that day.
fn names_its_day(after: &str) -> bool {
    let word = after
        .trim_start()
        .split(|c: char| !c.is_ascii_alphabetic())
        .next()
        .unwrap_or("");
    ["today", "tonight", "tomorrow", "yesterday"]
        .iter()
        .any(|d| word.eq_ignore_ascii_case(d))
}

/// The shift of "N units earlier", at the unit's grain (weeks as days).
fn narrated_shift(groups: &HashMap<&str, String>) -> Option<(&'static str, i64)> {
    let n: i64 = groups.get("num")?.parse().ok()?;
    match groups.get("unit")?.as_str() {
        "Y" => Some(("Y", -n)),
        "M" => Some(("M", -n)),
        "W" => Some(("D", -7 * n)),
        "D" => Some(("D", -n)),
        _ => None,
    }
}

/// "a month earlier" counts back from the date the text named last (the
/// time the narration is at), not from the DCT, when that date is precise
/// enough for the unit.
fn follow_narration(c: &mut Candidate, last_date: Option<&str>) {
    let (Some((grain, by)), Some(anchor)) = (c.narrated_shift, last_date) else {
        return;
    };
    if let Some(v) = resolve::shift_value(anchor, grain, by) {
        c.value = v;
    }
}

/// Remembers the last explicit date (with a year); "that year" or "the
/// same day" name its year or day. A date counted back from another ("a
/// year earlier") is not remembered: a second "a year earlier" compares
/// with the same time as the first. A weekday before the date named last
/// ("the previous Friday") is remembered: the narration moves to it.
/// True when the candidate became the date named last.
fn follow_last_date(c: &mut Candidate, rule: &Rule, last_date: &mut Option<String>) -> bool {
    if let resolve::ValueOp::Ref(_) = &rule.value {
        let shifted = c.reference.as_ref().and_then(|(grain, by)| {
            last_date
                .as_deref()
                .and_then(|d| resolve::shift_value(d, grain, *by))
        });
        if let Some(mut v) = shifted {
            // "that night": the part of day stays on the day referred to.
            if let Some(pod) = c.value.get(10..).filter(|p| p.starts_with('T')) {
                v.push_str(pod);
            }
            c.value = v;
        }
    } else if rule.value == resolve::ValueOp::PreviousWeekday {
        if let Some(v) = last_date
            .as_deref()
            .and_then(|d| resolve::weekday_before(&c.value, d))
        {
            c.value = v;
        }
        *last_date = Some(c.value.clone());
        return true;
    } else if rule.kind == Some(crate::record::TimexType::Date)
        && !rule.follow_quarter
        && resolve::at_grain(&c.value, "Y").is_some()
    {
        *last_date = Some(c.value.clone());
        return true;
    }
    false
}

/// A period longer than a quarter: a year ("1989") or a duration of
/// months or years other than three months ("P9M", "P1Y").
fn names_longer_period(v: &str) -> bool {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if v.len() == 4 && digits(v) {
        return true;
    }
    let Some(rest) = v.strip_prefix('P') else {
        return false;
    };
    match rest.split_at(rest.len().saturating_sub(1)) {
        (n, "M") => digits(n) && n != "3",
        (n, "Y") => digits(n),
        _ => false,
    }
}

fn parse_quarter(v: &str) -> Option<(i64, u32)> {
    let (y, q) = v.split_once("-Q")?;
    if y.len() != 4 || q.len() != 1 {
        return None;
    }
    Some((
        y.parse().ok()?,
        q.parse().ok().filter(|q| (1..=4).contains(q))?,
    ))
}

fn is_day_value(v: &str) -> bool {
    v.len() == 10 && v.as_bytes().get(4) == Some(&b'-') && v.as_bytes().get(7) == Some(&b'-')
}

fn trim_space(s: &str, mut start: usize, mut end: usize) -> (usize, usize) {
    let m = &s[start..end];
    start += m.len() - m.trim_start().len();
    end -= m.len() - m.trim_end().len();
    (start, end.max(start))
}

/// A final "." belongs to the span only after an abbreviation ("Jan.",
/// "p.m."); after a full word it ends the sentence ("on 9 July.").
fn drop_sentence_period(s: &str, start: usize, end: usize) -> usize {
    let text = &s[start..end];
    let Some(body) = text.strip_suffix('.') else {
        return end;
    };
    let last_word = body
        .rsplit(|c: char| c.is_whitespace() || c == ',')
        .next()
        .unwrap_or("");
    const ABBREVIATIONS: &[&str] = &[
        "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mon",
        "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun", "jr", "st",
    ];
    let abbreviated =
        last_word.contains('.') || ABBREVIATIONS.contains(&last_word.to_ascii_lowercase().as_str());
    if abbreviated {
        end
    } else {
        end - 1
    }
}

/// The TimeML `mod` a leading modifier word gives the expression
/// ("early 2021" START, "nearly two years" APPROX, "at least 30 days"
/// EQUAL_OR_MORE). The value itself is not changed by it.
fn modifier(text: &str) -> Option<&'static str> {
    const MODIFIERS: &[(&str, &str)] = &[
        ("early", "START"),
        ("the beginning of", "START"),
        ("the start of", "START"),
        ("beginning of", "START"),
        ("start of", "START"),
        ("late", "END"),
        ("the end of", "END"),
        ("end of", "END"),
        ("mid", "MID"),
        ("the middle of", "MID"),
        ("about", "APPROX"),
        ("around", "APPROX"),
        ("nearly", "APPROX"),
        ("almost", "APPROX"),
        ("roughly", "APPROX"),
        ("approximately", "APPROX"),
        ("some", "APPROX"),
        ("more than", "MORE_THAN"),
        ("less than", "LESS_THAN"),
        ("at least", "EQUAL_OR_MORE"),
        ("up to", "EQUAL_OR_LESS"),
        ("no more than", "EQUAL_OR_LESS"),
    ];
    let lower = text.to_ascii_lowercase();
    let rest = lower.strip_prefix("the ").unwrap_or(&lower);
    let starts_with_word = |t: &str, w: &str| {
        t.strip_prefix(w)
            .is_some_and(|after| after.starts_with([' ', '-', '\u{a0}']) || after.is_empty())
    };
    MODIFIERS
        .iter()
        .find(|(w, _)| starts_with_word(&lower, w) || starts_with_word(rest, w))
        .map(|(_, m)| *m)
        .or_else(|| {
            let end = ["year-end", "year end", "year's end", "year\u{2019}s end"];
            end.iter().any(|e| lower.ends_with(e)).then_some("END")
        })
        // "a week or so ago", "the next two years or so".
        .or_else(|| (lower.ends_with(" or so") || lower.contains(" or so ")).then_some("APPROX"))
}

/// The match neither starts nor ends inside a word.
fn at_word_edges(s: &str, start: usize, end: usize) -> bool {
    let before = s[..start].chars().next_back();
    let first = s[start..end].chars().next();
    let last = s[start..end].chars().next_back();
    let after = s[end..].chars().next();
    // "_" joins words as letters do ("file_2005").
    let word = |c: Option<char>| c.is_some_and(rules::is_word_char);
    let inside_word = (word(before) && word(first)) || (word(last) && word(after));
    !inside_word
}

fn rejected_by_context(rule: &Rule, s: &str, start: usize, end: usize) -> bool {
    let before = &s[floor_boundary(s, start.saturating_sub(CONTEXT_BYTES))..start];
    let after = &s[end..ceil_boundary(s, (end + CONTEXT_BYTES).min(s.len()))];
    rule.not_before.as_ref().is_some_and(|r| r.is_match(before))
        || rule.not_after.as_ref().is_some_and(|r| r.is_match(after))
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// True when `time` is a clock time right after the full calendar date
/// `date` ("05/12/2021 @ 6:16 AM ET", "January 14, 2021 at 7:06 a.m."):
/// one expression, whose day is the date's rather than the DCT's. A line
/// break between them (a fixture line "Tuesday, 1 March", then "2000
/// GMT") keeps them apart.
fn joins_clock_time(text: &str, date: &DateMention, time: &DateMention) -> bool {
    let gap = text.get(date.span.end..time.span.start).unwrap_or("x");
    let connector = gap.trim().trim_start_matches(',').trim();
    date.kind == TimexType::Date
        && time.kind == TimexType::Time
        && date.value.len() == 10
        && date.value.as_bytes()[..4].iter().all(u8::is_ascii_digit)
        && time.value.contains('T')
        && gap.len() <= 6
        && !gap.contains('\n')
        && matches!(connector, "" | "@" | "at")
}

/// A clock time naming no day, followed by a bracketed aside and then a
/// day ("10:35 a.m. (0735 GMT) Friday", "at 4 p.m. (2100 GMT), Monday"),
/// falls on that day, as does a time inside the brackets ("(0735 GMT)
/// Friday"). `chosen` is sorted by start.
fn day_after_brackets(text: &str, chosen: &mut [Candidate]) {
    for i in 0..chosen.len() {
        if !chosen[i].floating_clock {
            continue;
        }
        let mut day = None;
        for next in &chosen[i + 1..] {
            let gap = text.get(chosen[i].span.end..next.span.start).unwrap_or("");
            if bracketed_gap(gap) {
                day = names_a_day(&next.value).then(|| next.value[..10].to_string());
                break;
            }
            // A time inside the aside ("(0735 GMT)"): look past it.
            let inside_aside = gap.contains('(') && !gap.contains(')');
            if !inside_aside {
                break;
            }
        }
        let c = &mut chosen[i];
        if let (Some(day), Some(t)) = (day, c.value.find('T')) {
            c.value = format!("{day}{}", &c.value[t..]);
            c.floating_clock = false;
        }
    }
}

/// True for a day's value, with at most a part of day ("1998-08-07",
/// "1998-08-07TNI"), not a clock time.
fn names_a_day(value: &str) -> bool {
    value.get(..10).is_some_and(is_day_value)
        && value[10..]
            .strip_prefix('T')
            .is_none_or(|pod| pod.bytes().all(|b| b.is_ascii_alphabetic()))
}

/// True when `gap` is a bracketed aside or the end of one, then at most
/// a comma and "on": "(0735 GMT) ", ") ", " (local time), on ".
fn bracketed_gap(gap: &str) -> bool {
    let rest = gap.trim_start();
    let rest = if let Some(inner) = rest.strip_prefix('(') {
        match inner.find(')') {
            Some(close) if close <= 40 && !inner[..close].contains(['(', '\n']) => {
                &inner[close + 1..]
            }
            _ => return false,
        }
    } else if let Some(after) = rest.strip_prefix(')') {
        after
    } else {
        return false;
    };
    let rest = rest.trim_start();
    let rest = rest.strip_prefix(',').unwrap_or(rest).trim();
    rest.is_empty() || rest.eq_ignore_ascii_case("on")
}

/// Extends `date` over `time`: one TIME expression on the date's day.
fn absorb_time(text: &str, date: &mut DateMention, time: DateMention) {
    let clock = &time.value[time.value.find('T').unwrap_or(0)..];
    date.value = format!("{}{clock}", date.value);
    date.span.end = time.span.end;
    date.text = text[date.span.start..date.span.end].to_string();
    date.kind = TimexType::Time;
    date.rule = format!("{}+{}", date.rule, time.rule);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn extractor() -> DateExtractor {
        DateExtractor::new(&RuleFiles::builtin()).expect("built-in date rules load")
    }

    #[test]
    fn a_shift_before_a_day_moves_it() {
        let dct = "2005-03-10";
        let got = values("Talks failed the day before last Tuesday.", dct);
        assert_eq!(
            got,
            [(
                "the day before last Tuesday".to_string(),
                "2005-03-07".to_string()
            )]
        );
        let got = values("They met two weeks after March 3, 2005.", dct);
        assert_eq!(
            got,
            [(
                "two weeks after March 3, 2005".to_string(),
                "2005-03-17".to_string()
            )]
        );
        // Without a year the day cannot move: the shift stays out of it.
        let got = values("They met the day after Christmas.", "");
        assert!(got.iter().any(|(text, _)| text == "Christmas"));
    }

    #[test]
    fn a_plan_in_the_past_perfect_looks_back() {
        let dct = "2005-03-10";
        let got = values("The pact had been scheduled to expire Friday.", dct);
        assert_eq!(got, [("Friday".to_string(), "2005-03-04".to_string())]);
        let got = values("The pact is scheduled to expire Friday.", dct);
        assert_eq!(got, [("Friday".to_string(), "2005-03-11".to_string())]);
    }

    #[test]
    fn clock_time_takes_the_day_named_after_its_brackets() {
        let dct = NaiveDate::from_ymd_opt(1998, 8, 8);
        let got: Vec<(String, String)> = extractor()
            .extract_text(
                "The blast occurred at about 10:35 a.m. (0735 GMT) Friday, toppling a building.",
                dct,
            )
            .into_iter()
            .map(|d| (d.text, d.value))
            .collect();
        assert_eq!(
            got,
            [
                ("10:35 a.m.".to_string(), "1998-08-07T10:35".to_string()),
                ("0735 GMT".to_string(), "1998-08-07T07:35".to_string()),
                ("Friday".to_string(), "1998-08-07".to_string()),
            ]
        );
    }

    #[test]
    fn clock_time_after_a_date_is_one_time_on_that_day() {
        let dct = NaiveDate::from_ymd_opt(2021, 1, 14);
        let got: Vec<(String, String)> = extractor()
            .extract_text("Update 5 (05/12/2021 @6:16 AM ET): Xiaomi won.", dct)
            .into_iter()
            .map(|d| (d.text, d.value))
            .collect();
        assert_eq!(
            got,
            [(
                "05/12/2021 @6:16 AM ET".to_string(),
                "2021-05-12T06:16".to_string()
            )]
        );
    }

    fn values(text: &str, dct: &str) -> Vec<(String, String)> {
        let dct = NaiveDate::parse_from_str(dct, "%Y-%m-%d").ok();
        extractor()
            .extract_text(text, dct)
            .into_iter()
            .map(|d| (d.text, d.value))
            .collect()
    }

    #[test]
    fn repeated_year_earlier_compares_with_the_same_time() {
        let got = values(
            "In 1989 net rose to $5 from $4 a year earlier. Sales rose to $9 from $8 a year earlier.",
            "1989-10-27",
        );
        let years: Vec<&str> = got.iter().map(|(_, v)| v.as_str()).collect();
        assert_eq!(years, ["1989", "1988", "1988"], "{got:?}");
    }

    #[test]
    fn a_clock_time_falls_on_the_day_just_named() {
        let near = values(
            "Slepian was shot on Oct. 23, 1998. He died at 10 p.m. in his kitchen.",
            "1999-04-19",
        );
        let found: Vec<&str> = near.iter().map(|(_, v)| v.as_str()).collect();
        assert_eq!(found, ["1998-10-23", "1998-10-23T22:00"], "{near:?}");
        let filler = "The town was quiet and the shops were closed. ".repeat(8);
        let far = values(
            &format!(
                "Slepian was shot on Oct. 23, 1998. {filler}Trading opens at 10 a.m. in the city."
            ),
            "1999-04-19",
        );
        let found: Vec<&str> = far.iter().map(|(_, v)| v.as_str()).collect();
        assert_eq!(found, ["1998-10-23", "1999-04-19T10:00"], "{far:?}");
        // The day word after the time, outside its match, names its day.
        let today = values(
            "Slepian was shot on Oct. 23, 1998. The vigil ends at 5 p.m. today.",
            "1999-04-19",
        );
        assert!(
            today.iter().any(|(_, v)| v == "1999-04-19T17:00"),
            "{today:?}"
        );
    }

    #[test]
    fn a_longer_period_ends_the_quarter_link() {
        let got = values(
            "Third-quarter net rose 5% from a year earlier. For the nine months, net rose 9% from a year earlier.",
            "1989-10-27",
        );
        let found: Vec<&str> = got.iter().map(|(_, v)| v.as_str()).collect();
        assert_eq!(found, ["1989-Q3", "1988-Q3", "P9M", "1988"], "{got:?}");
    }

    /// Runs every example of every rule and reports all failures at once.
    #[test]
    fn rule_examples() {
        let clauses = clauses::ClauseAnalyzer::new().expect("built-in tagger loads");
        let report = extractor().run_examples(&clauses);
        assert!(report.count > 50, "too few examples: {}", report.count);
        report.assert_ok("dates.toml");
    }

    #[test]
    fn never_panics_on_odd_input() {
        let ex = extractor();
        for text in [
            "",
            "é",
            "Jan. 1é 2020",
            "\u{feff}May 5, ২০২০",
            "31/12/99999 '9",
            "⁂ 13:61 pm",
        ] {
            let _ = ex.extract_text(text, None);
            let _ = ex.extract_text(text, NaiveDate::from_ymd_opt(2021, 1, 1));
        }
        let long = "On Tuesday, January 5, 2021, prices rose. ".repeat(2000);
        assert_eq!(ex.extract_text(&long, None).len(), 2000);
    }

    #[test]
    fn unicode_spaces_and_offsets() {
        let ex = extractor();
        let text = "Le 5 — On January\u{a0}14,\u{a0}2021 — prices rose.";
        let found = ex.extract_text(text, None);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].value, "2021-01-14");
        assert_eq!(&text[found[0].span.start..found[0].span.end], found[0].text);
    }

    #[test]
    fn non_ascii_digits_are_not_numbers() {
        let ex = extractor();
        let found = ex.extract_text("for ٥ years, ২ weeks ago, in ১৯৯০", None);
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn output_is_sorted_and_disjoint() {
        let ex = extractor();
        let found = ex.extract_text(
            "Last week, on Monday and Friday morning, the firm said sales for the past three months and 2020 rose.",
            NaiveDate::from_ymd_opt(2021, 3, 3),
        );
        assert!(found.len() >= 4);
        for pair in found.windows(2) {
            assert!(pair[0].span.end <= pair[1].span.start);
        }
        for m in &found {
            assert_eq!(m.text, &"Last week, on Monday and Friday morning, the firm said sales for the past three months and 2020 rose."[m.span.start..m.span.end]);
        }
    }

    #[test]
    fn user_file_extends_lexicons_and_rules() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(catalog::DATES.name),
            "[lexicon.holiday]\nentries = [\"03-17: St. Patrick's Day\"]\n\n[[rule]]\nid = \"user.dawn\"\ntype = \"TIME\"\npattern = 'at dawn'\nvalue = \"rel D 0\"\n",
        )
        .unwrap();
        let ex = DateExtractor::new(&RuleFiles::with_dir(dir.path())).unwrap();
        let found = ex.extract_text(
            "They marched on St. Patrick's Day and left at dawn.",
            NaiveDate::from_ymd_opt(2021, 3, 20),
        );
        let values: Vec<&str> = found.iter().map(|m| m.value.as_str()).collect();
        assert_eq!(values, ["2021-03-17", "2021-03-20"], "{found:?}");
        assert_eq!(found[1].rule, "user.dawn");
    }

    #[test]
    fn bad_user_rule_names_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(catalog::DATES.name),
            "\n[[rule]]\nid = \"x\"\ntype = \"DATE\"\npattern = '{nosuch}'\nvalue = \"lit X\"\n",
        )
        .unwrap();
        let err = DateExtractor::new(&RuleFiles::with_dir(dir.path()))
            .err()
            .expect("unknown lexicon is an error");
        let msg = err.to_string();
        assert!(msg.contains("dates.toml:3"), "{msg}");
        assert!(msg.contains("nosuch"), "{msg}");
    }
}
