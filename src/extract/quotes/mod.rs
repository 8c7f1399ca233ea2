//! Quotes: direct, mixed and reported speech with speaker and cue.
//!
//! Takes a segmented article (content sentences only) and its entities;
//! gives [`Quote`]s sorted by start, each naming the rule that produced it.
//!
//! Per paragraph: quotation marks are paired ([`marks`]); each quoted
//! passage is attributed by the `after` rules (“...,” X said) or the
//! `before` rules (X said: “...”); the sentence after a passage that ends
//! its own sentence (“... her life.” A spokesman said ...) attributes it
//! only when nothing else does. Then `sentence` rules find reported
//! speech (X said that ...; ..., according to X), and clause frames
//! ([`frames`]: a cue verb's subject and reported clause) the reported
//! speech they miss; reported content must hold a verb or quoted words
//! (a cue verb with a noun-phrase object reports nothing), and ends where
//! a coordinated clause brings its own attribution; a reported clause that
//! holds a quoted passage becomes a mixed quote, one that is just a quoted
//! passage attributes it. Quoted passages left without a cue inherit the
//! speaker of the paragraph's other quotes (a passage that inherited
//! passes its speaker on: "A. "B. "C."), or, when they open the paragraph,
//! the previous paragraph's last speaker or the attribution it ends with
//! ("He said:" then a quoted paragraph); the rest (scare quotes, titles)
//! are dropped. Speakers link to entities ([`speakers`]). Paragraphs of
//! reader comments ([`comments`]: after a "Your views" heading, or signed
//! "Name, Place" in a list) give no quotes.
//! Rules live in `rules/quotes.toml` and `rules/speech_verbs.tsv`.
//! It does not find quotes without a cue word, nor speakers in other
//! paragraphs than the continuation case.

mod comments;
mod examples;
mod frames;
mod marks;
mod patterns;
mod speakers;

use super::Doc;
use crate::clauses::{ClauseKind, Parsed, ParsedSentence, Tag, Token, Voice};
use crate::error::RuleError;
use crate::record::{Cue, Entity, Quote, QuoteKind, Resolution, Span, Speaker};
use crate::rules::RuleFiles;
use crate::segment::Sentence;
use frames::FrameIndex;
use marks::Quoted;
use patterns::{Context, CueWord, RuleSet, Shared};
use speakers::{Anaphora, DocLinks};
use std::ops::Range;

/// Rule id of reported speech found on a clause frame.
const FRAME_RULE: &str = "indirect.frame";
/// Rule id of a cue-less quote attributed from its own paragraph.
const CONTINUATION_PARAGRAPH: &str = "direct.continuation.paragraph";
/// Rule id of a cue-less quote paragraph attributed from the previous paragraph.
const CONTINUATION_PREVIOUS: &str = "direct.continuation.previous_paragraph";

pub struct QuoteExtractor {
    rules: RuleSet,
    anaphora: Anaphora,
}

/// Who said it, by which cue, by which rule.
#[derive(Clone, Copy, Debug)]
struct Attribution<'r> {
    speaker: Span,
    cue: Option<Span>,
    rule: &'r str,
}

/// A quote before speaker linking.
#[derive(Clone, Copy, Debug)]
struct Found<'r> {
    content: Span,
    kind: QuoteKind,
    attribution: Attribution<'r>,
}

/// One sentence as the reported-speech rules see it.
struct Reporting<'a> {
    span: Span,
    parsed: Option<&'a Parsed>,
    /// The sentence's clause analysis, indexed; `None` without analysis
    /// or when no verb of the sentence is a cue.
    frame: Option<&'a FrameIndex<'a>>,
    /// The sentence's clause analysis (`None` without analysis).
    analysis: Option<&'a ParsedSentence>,
    /// Where reported content must end: the starts of coordinated clauses
    /// with an attribution of their own (see [`frames::attribution_starts`]).
    stops: &'a [usize],
    /// Index in the found quotes of the sentence's first: only its own
    /// quotes can hold its cues (checking the paragraph's would be
    /// quadratic in a paragraph of many quotes).
    first_found: usize,
}

/// What attributes one passage, as [`QuoteExtractor::attribute_passage`] finds it.
struct PassageAttribution<'r> {
    attribution: Option<Attribution<'r>>,
    /// See [`Passage::lead`].
    lead: Option<usize>,
    /// See [`Passage::fallback`].
    fallback: Option<Attribution<'r>>,
}

/// A quoted passage and what attributes it so far.
#[derive(Clone, Copy, Debug)]
struct Passage<'r> {
    quoted: Quoted,
    attribution: Option<Attribution<'r>>,
    /// True once a mixed quote has taken the passage in.
    absorbed: bool,
    /// Start of the sentence's own words before a passage attributed after
    /// it: the quote is then mixed (the tax plan ''is misguided,'' he said).
    lead: Option<usize>,
    /// The attribution of the sentence after a passage that ends its own
    /// sentence (see [`closes_sentence`]): taken only when neither the
    /// passage's own cues nor its paragraph attribute it.
    fallback: Option<Attribution<'r>>,
}

impl QuoteExtractor {
    pub fn new(rules: &RuleFiles) -> Result<Self, RuleError> {
        Ok(QuoteExtractor {
            rules: RuleSet::load(rules)?,
            anaphora: Anaphora::load(rules)?,
        })
    }

    pub fn extract(&self, doc: &Doc, entities: &[Entity]) -> Vec<Quote> {
        let mut found = Vec::new();
        let mut carried = None;
        let comment = comments::zone(doc.text, &doc.seg.paragraphs, &self.rules.comment_headings);
        for sentences in paragraphs(doc) {
            let paragraph = sentences.first().map_or(0, |s| s.paragraph);
            if comment.get(paragraph).copied().unwrap_or(false) {
                carried = None;
                continue;
            }
            let start = found.len();
            self.paragraph(doc, &sentences, carried, &mut found);
            carried = self.introduction(doc.text, &sentences).or_else(|| {
                found[start..]
                    .iter()
                    .max_by_key(|f| f.content.start)
                    .map(|f| Attribution {
                        speaker: f.attribution.speaker,
                        cue: None,
                        rule: CONTINUATION_PREVIOUS,
                    })
            });
        }
        found.sort_by_key(|f| (f.content.start, f.content.end));
        let quoted: Vec<Span> = found
            .iter()
            .filter(|f| f.kind == QuoteKind::Direct)
            .map(|f| f.content)
            .collect();
        let links = self.anaphora.doc(doc.text, entities, doc.parsed, &quoted);
        let mut previous = None;
        found
            .iter()
            .map(|f| {
                let linked = self.anaphora.link(&links, f.attribution.speaker, previous);
                previous = linked.map(|(e, _)| e).or(previous);
                to_quote(f, &links, linked)
            })
            .collect()
    }

    /// The attribution a paragraph ending in a colon gives the quote that
    /// opens the next paragraph ("He said:" then a quoted paragraph).
    fn introduction(&self, text: &str, sentences: &[&Sentence]) -> Option<Attribution<'_>> {
        let last = sentences.last()?.span;
        let words = last.slice(text).trim_end();
        if !words.ends_with(':') {
            return None;
        }
        self.apply(
            Context::Before,
            text,
            Span::new(last.start, last.start + words.len()),
        )
    }

    /// Finds the quotes of one paragraph (given as its content sentences).
    /// `carried` attributes a quote opening the paragraph: the previous
    /// paragraph's last speaker, or its closing "X said:".
    fn paragraph<'r>(
        &'r self,
        doc: &Doc,
        sentences: &[&Sentence],
        carried: Option<Attribution<'r>>,
        out: &mut Vec<Found<'r>>,
    ) {
        let (Some(first), Some(last)) = (sentences.first(), sentences.last()) else {
            return;
        };
        let text = doc.text;
        let region = Span::new(first.span.start, last.span.end);
        let mut passages: Vec<Passage> = marks::find(text, region)
            .into_iter()
            .filter(|q| !is_title(q.content.slice(text)))
            .map(|quoted| Passage {
                quoted,
                attribution: None,
                absorbed: false,
                lead: None,
                fallback: None,
            })
            .collect();
        for i in 0..passages.len() {
            let found = self.attribute_passage(text, sentences, &passages, i);
            passages[i].attribution = found.attribution;
            passages[i].lead = found.lead;
            passages[i].fallback = found.fallback;
        }
        let start = out.len();
        for sentence in sentences {
            let analysis = doc.parsed.and_then(|p| parsed_sentence(p, sentence.span));
            let frame = doc
                .parsed
                .zip(analysis)
                .and_then(|(p, a)| FrameIndex::new(text, &p.tokens, a, &self.rules));
            let stops = match (doc.parsed, &frame) {
                (Some(p), Some(index)) => frames::attribution_starts(&p.tokens, index),
                _ => Vec::new(),
            };
            let clause = Reporting {
                span: sentence.span,
                parsed: doc.parsed,
                frame: frame.as_ref(),
                analysis,
                stops: &stops,
                first_found: out.len(),
            };
            self.reported(text, &clause, &mut passages, out);
            self.framed(text, &clause, &mut passages, out);
        }
        let reported_end = out.len();
        for i in 0..passages.len() {
            let p = passages[i];
            if p.absorbed {
                continue;
            }
            let attribution = p
                .attribution
                .or_else(|| continuation(&passages, i, &out[start..reported_end], region, carried))
                .or(p.fallback);
            // A continued passage passes its speaker on to the passages after
            // it ("A. "B. "C." split over sentences).
            passages[i].attribution = attribution;
            if let Some(attribution) = attribution {
                let (content, kind) = match p.lead {
                    Some(lead) => (Span::new(lead, p.quoted.outer.end), QuoteKind::Mixed),
                    None => (p.quoted.content, QuoteKind::Direct),
                };
                out.push(Found {
                    content,
                    kind,
                    attribution,
                });
            }
        }
    }

    /// Applies the `after` rules, then the `before` rules, to passage `i`.
    /// Also gives the start of the sentence's own words before a passage
    /// attributed after it (a mixed quote). The attribution after a passage
    /// that ends its own sentence is only a fallback.
    fn attribute_passage(
        &self,
        text: &str,
        sentences: &[&Sentence],
        passages: &[Passage],
        i: usize,
    ) -> PassageAttribution<'_> {
        let q = passages[i].quoted;
        let sentence_start =
            containing(sentences, q.outer.start).map_or(q.outer.start, |s| s.start);
        let previous_close = i.checked_sub(1).map_or(0, |j| passages[j].quoted.outer.end);
        let lead = Span::new(sentence_start.max(previous_close), q.outer.start);
        let before = self.apply(Context::Before, text, lead);
        let own = |attribution, lead| PassageAttribution {
            attribution,
            lead,
            fallback: None,
        };
        if q.closed {
            // The sentence holding the first character after the closing
            // mark: after “...?” the attribution starts a new sentence.
            let after = first_non_space(text, q.outer.end);
            let sentence_end =
                containing(sentences, after).map_or(q.outer.end, |s| s.end.max(q.outer.end));
            let next_open = passages
                .get(i + 1)
                .map_or(usize::MAX, |p| p.quoted.outer.start);
            let window = Span::new(q.outer.end, sentence_end.min(next_open));
            if let Some(a) = self.apply(Context::After, text, window) {
                if closes_sentence(text, q) {
                    return PassageAttribution {
                        fallback: Some(a),
                        ..own(before, None)
                    };
                }
                let own_words = before.is_none() && !is_punctuation(lead.slice(text));
                return own(
                    Some(a),
                    own_words.then(|| first_non_space(text, lead.start)),
                );
            }
        }
        own(before, None)
    }

    /// The first rule of `context` matching the text of `window`.
    fn apply(&self, context: Context, text: &str, window: Span) -> Option<Attribution<'_>> {
        if window.is_empty() {
            return None;
        }
        let s = window.slice(text);
        let cues = self.cue_words(s);
        if !RuleSet::may_match(s, &cues) {
            return None;
        }
        let mut shared = Shared::default();
        self.rules.in_context(context).find_map(|rule| {
            let hit = rule.find(s, &cues, &mut shared)?;
            let shift = |r: Range<usize>| Span::new(window.start + r.start, window.start + r.end);
            let speaker = self.trim_speaker(text, shift(hit.speaker))?;
            Some(Attribution {
                speaker,
                cue: Some(shift(hit.cue)),
                rule: &rule.id,
            })
        })
    }

    /// The cue words of `s`, found in one pass.
    fn cue_words(&self, s: &str) -> Vec<CueWord> {
        let mut cues = Vec::new();
        self.rules.cues.find(s, &mut cues);
        cues
    }

    /// Reported speech in one sentence; merges it with the passages it holds.
    fn reported<'r>(
        &'r self,
        text: &str,
        clause: &Reporting,
        passages: &mut [Passage<'r>],
        out: &mut Vec<Found<'r>>,
    ) {
        let sentence = clause.span;
        let s = sentence.slice(text);
        let cues = self.cue_words(s);
        if !RuleSet::may_match(s, &cues) {
            return;
        }
        let first_new = out.len();
        let mut shared = Shared::default();
        for rule in self.rules.in_context(Context::Sentence) {
            let Some(hit) = rule.find(s, &cues, &mut shared) else {
                continue;
            };
            let shift =
                |r: Range<usize>| Span::new(sentence.start + r.start, sentence.start + r.end);
            let Some(content) = hit.content else {
                continue;
            };
            let (cue, speaker) = (shift(hit.cue), shift(hit.speaker));
            // Content before its cue ("..., they say") ends at the cue: the
            // cut rules (a relative clause, a second cue) are for content
            // after it.
            // Content spanning its cue ("The test, North Korea said, was
            // ...") is cut after the cue only: the attribution inside it is
            // its own, not a second one.
            let content = shift(content);
            let content = if content.end <= cue.start {
                trim_content(text, content)
            } else if content.start < cue.start {
                let tail = self.cut(text, Span::new(cue.start, content.end), passages, clause);
                Span::new(content.start, tail.end.max(cue.end))
            } else {
                self.cut(text, content, passages, clause)
            };
            if content.is_empty()
                || self
                    .rules
                    .reject_content
                    .iter()
                    .any(|r| r.is_match(content.slice(text)))
                || passages.iter().any(|p| p.quoted.outer.contains(cue))
                || out[first_new..].iter().any(|f| f.content.overlaps(content))
                || !says_something(clause.parsed, content, passages)
                || passive_cue(clause, cue)
                || noun_cue(clause.parsed, cue)
                || leads_into_main_clause(text, clause, cue, content)
            {
                continue;
            }
            let participle = cue.slice(text).ends_with("ing");
            let Some(speaker) = noun_phrase_speaker(clause.parsed, speaker, participle)
                .and_then(|s| self.trim_speaker(text, s))
            else {
                continue;
            };
            let attribution = Attribution {
                speaker,
                cue: Some(cue),
                rule: &rule.id,
            };
            if let Some(kind) = merge(text, content, attribution, passages) {
                out.push(Found {
                    content,
                    kind,
                    attribution,
                });
            }
        }
    }

    /// Reported speech on the clause frames of a sentence ([`frames`]):
    /// cues the sentence rules did not take and that lie outside their
    /// content.
    fn framed<'r>(
        &'r self,
        text: &str,
        clause: &Reporting,
        passages: &mut [Passage<'r>],
        out: &mut Vec<Found<'r>>,
    ) {
        let (Some(parsed), Some(index)) = (clause.parsed, clause.frame) else {
            return;
        };
        let sentence = clause.span;
        for hit in frames::find(text, &parsed.tokens, index) {
            let content = self.cut(
                text,
                Span::new(hit.content_start, sentence.end),
                passages,
                clause,
            );
            let taken = |f: &Found| {
                f.content.overlaps(content)
                    || f.content.contains(hit.cue)
                    || f.attribution.cue == Some(hit.cue)
            };
            if content.is_empty()
                || passages.iter().any(|p| p.quoted.outer.contains(hit.cue))
                || out[clause.first_found..].iter().any(taken)
            {
                continue;
            }
            let Some(speaker) = self.trim_speaker(text, hit.speaker) else {
                continue;
            };
            let attribution = Attribution {
                speaker,
                cue: Some(hit.cue),
                rule: FRAME_RULE,
            };
            if let Some(kind) = merge(text, content, attribution, passages) {
                out.push(Found {
                    content,
                    kind,
                    attribution,
                });
            }
        }
    }

    /// The reported content, ended early at a participle adjunct, a second
    /// cue or a coordinated attribution (not inside a quoted passage), or
    /// at a relative clause once what comes before it holds a verb ("found
    /// that in the three counties, which include Cleveland, voters were
    /// purged" runs on past the relative clause), trimmed.
    fn cut(&self, text: &str, content: Span, passages: &[Passage], clause: &Reporting) -> Span {
        let s = content.slice(text);
        let outside = |at: usize| {
            let pos = content.start + at;
            at > 0
                && !passages
                    .iter()
                    .any(|p| p.quoted.outer.start <= pos && pos < p.quoted.outer.end)
        };
        let holds_clause = |at: usize| {
            says_something(
                clause.parsed,
                Span::new(content.start, content.start + at),
                &[],
            )
        };
        let cues = self.cue_words(s);
        // A second attribution follows a first clause: a cut that would
        // leave no verb before it splits a list or a fronted phrase
        // ("the talks between France, Germany, and Britain showed ...").
        let cue_cuts = self.rules.cue_cuts(s, &cues).filter(|&at| holds_clause(at));
        let hard = self
            .rules
            .cut_content
            .iter()
            .flat_map(|r| r.find_iter(s))
            .map(|m| m.start())
            .chain(cue_cuts)
            .chain(
                clause
                    .stops
                    .iter()
                    .filter(|&&stop| stop > content.start && stop < content.end)
                    .map(|&stop| stop - content.start),
            )
            .filter(|&at| outside(at))
            .min()
            .unwrap_or(s.len());
        let end = self
            .rules
            .cut_after_clause
            .iter()
            .flat_map(|r| r.find_iter(&s[..hard]))
            .map(|m| m.start())
            .filter(|&at| outside(at) && holds_clause(at))
            .min()
            .unwrap_or(hard);
        trim_content(text, Span::new(content.start, content.start + end))
    }

    /// Where the speaker starts in `span` when an occasion noun stands
    /// before a capitalised word ("a Bloomberg interview Trump", "the
    /// meeting Mr Smith"): at that word; else at the span's start.
    fn after_occasion(&self, text: &str, span: Span) -> usize {
        let s = span.slice(text);
        let mut words = s
            .split_whitespace()
            .map(|w| (w.as_ptr() as usize - s.as_ptr() as usize, w))
            .peekable();
        let mut start = span.start;
        while let Some((_, word)) = words.next() {
            let Some(&(at, next)) = words.peek() else {
                break;
            };
            let capital = next.chars().next().is_some_and(char::is_uppercase);
            if capital && self.rules.occasions.contains(word.trim_end_matches(',')) {
                start = span.start + at;
            }
        }
        start
    }

    /// Where the speaker starts in `span` when an opening phrase without a
    /// comma runs into it ("In a panel discussion at a Linux summit in
    /// California Mr Torvalds"): at a personal title (`speaker.titles`)
    /// that follows a capitalised word, in a span that also holds a lower
    /// case word or follows a preposition; else at the span's start. A run
    /// of names and roles alone ("Health Secretary Dr John Reid") is left
    /// whole.
    fn at_title(&self, text: &str, span: Span) -> usize {
        const PREPOSITIONS: &[&str] =
            &["in", "at", "on", "from", "of", "for", "with", "by", "near"];
        let s = span.slice(text);
        let words: Vec<(usize, &str)> = s
            .split_whitespace()
            .map(|w| (w.as_ptr() as usize - s.as_ptr() as usize, w))
            .collect();
        let capital = |w: &str| w.chars().next().is_some_and(char::is_uppercase);
        let before = text[..span.start].trim_end();
        let after_preposition = before
            .rsplit(char::is_whitespace)
            .next()
            .is_some_and(|w| PREPOSITIONS.contains(&w));
        if !after_preposition && words.iter().all(|(_, w)| capital(w)) {
            return span.start;
        }
        let title = |w: &str| self.rules.titles.contains(w.trim_end_matches('.'));
        words
            .windows(2)
            .rposition(|pair| capital(pair[0].1) && !title(pair[0].1) && title(pair[1].1))
            .map_or(span.start, |i| span.start + words[i + 1].0)
    }

    /// Drops leading and trailing words that are not part of a speaker
    /// ("But Trump", "her secretary and").
    fn trim_speaker(&self, text: &str, span: Span) -> Option<Span> {
        let mut start = span.start;
        loop {
            let rest = Span::new(start, span.end).slice(text);
            let word_len = rest.find(char::is_whitespace).unwrap_or(rest.len());
            let word = rest[..word_len].trim_end_matches(',');
            // A lone word stays: "It" may be a speaker even if "In" is not.
            if word_len == rest.len() || !self.rules.strip_leading.contains(word) {
                break;
            }
            let skip = rest[word_len..].len() - rest[word_len..].trim_start().len();
            start += word_len + skip;
        }
        start = self.after_occasion(text, Span::new(start, span.end));
        start = self.at_title(text, Span::new(start, span.end));
        let mut trimmed = Span::new(start, span.end).slice(text);
        loop {
            trimmed = trimmed.trim_end_matches([',', ' ']);
            let last = trimmed.rsplit(char::is_whitespace).next().unwrap_or("");
            if last.len() == trimmed.len() || !self.rules.strip_trailing.contains(last) {
                break;
            }
            trimmed = &trimmed[..trimmed.len() - last.len()];
        }
        let rejected = self.rules.reject_speaker.contains(&trimmed.to_lowercase());
        (!trimmed.is_empty() && !rejected).then(|| Span::new(start, start + trimmed.len()))
    }
}

/// The record's quote for `f`, its speaker linked as `linked`.
fn to_quote(f: &Found, links: &DocLinks, linked: Option<(usize, Resolution)>) -> Quote {
    let text = links.text;
    let a = f.attribution;
    let inherited = [CONTINUATION_PARAGRAPH, CONTINUATION_PREVIOUS].contains(&a.rule);
    Quote {
        span: f.content,
        text: f.content.slice(text).to_string(),
        kind: f.kind,
        speaker: Some(Speaker {
            text: a.speaker.slice(text).to_string(),
            span: a.speaker,
            entity: linked.map(|(e, _)| links.entities[e].id.clone()),
            resolution: linked.map(|(_, r)| if inherited { Resolution::Inherited } else { r }),
        }),
        cue: a.cue.map(|span| Cue {
            text: span.slice(text).to_string(),
            span,
        }),
        rule: a.rule.to_string(),
    }
}

/// The cue-sense check of reported content: it holds a verb or a quoted
/// passage. A cue verb followed by a mere noun phrase ("criticized their
/// legislative attacks", "said ... about his integrity"), even one with a
/// participle tacked on after a comma ("reported a 60% rise in profit,
/// topping expectations"), reports nothing. Without clause analysis every
/// content passes.
fn says_something(parsed: Option<&Parsed>, content: Span, passages: &[Passage]) -> bool {
    let Some(parsed) = parsed else {
        return true;
    };
    let words = tokens_in(parsed, content);
    let has_verb = words.iter().enumerate().any(|(i, t)| {
        let adjunct = t.tag == Tag::VBG && i > 0 && words[i - 1].tag == Tag::Comma;
        (t.tag.is_verb() || t.tag == Tag::MD) && !adjunct
    });
    has_verb || passages.iter().any(|p| content.overlaps(p.quoted.outer))
}

/// The tokens lying wholly inside `span`.
fn tokens_in(parsed: &Parsed, span: Span) -> &[Token] {
    let first = parsed.tokens.partition_point(|t| t.span.start < span.start);
    let count = parsed.tokens[first..]
        .iter()
        .take_while(|t| t.span.end <= span.end)
        .count();
    &parsed.tokens[first..first + count]
}

fn is_finite_verb(tag: Tag) -> bool {
    matches!(tag, Tag::VBD | Tag::VBZ | Tag::VBP | Tag::MD)
}

/// A speaker is a noun phrase: a span holding a modal or a finite verb
/// with words after it ("The US created fewer jobs than [expected]") is a
/// clause the pattern took for one, and gives no speaker, unless the cue
/// is a participle: then the speaker is the subject before that verb
/// ("The device maker has released a statement saying ..."). A finite
/// verb ending the phrase may close a reduced relative ("the experts I
/// interviewed"). Without clause analysis the span is kept.
fn noun_phrase_speaker(parsed: Option<&Parsed>, speaker: Span, participle: bool) -> Option<Span> {
    let Some(parsed) = parsed else {
        return Some(speaker);
    };
    let words = tokens_in(parsed, speaker);
    let verb = words
        .iter()
        .enumerate()
        .position(|(i, t)| t.tag == Tag::MD || (is_finite_verb(t.tag) && i + 1 < words.len()));
    match verb {
        None => Some(speaker),
        Some(i) if participle && i > 0 => Some(Span::new(speaker.start, words[i - 1].span.end)),
        Some(_) => None,
    }
}

/// True when the cue is the participle of a passive verb group ("will be
/// agreed over the weekend", "was reported"): its subject is what is
/// said, not who says it.
fn passive_cue(clause: &Reporting, cue: Span) -> bool {
    let (Some(parsed), Some(sentence)) = (clause.parsed, clause.analysis) else {
        return false;
    };
    sentence.verb_groups.iter().any(|g| {
        g.voice == Voice::Passive
            && parsed
                .tokens
                .get(sentence.tokens.start + g.main)
                .is_some_and(|t| t.span.overlaps(cue))
    })
}

/// True when the words before the cue make it the head of a noun phrase:
/// a possessive ("his claim that"), or adjectives after a determiner or
/// possessive ("Britain's great new hope, Connors rejected ..."). An
/// adjective alone does not: "The company further added" has "further"
/// tagged an adjective. Read off the words before, not the cue's own
/// tag: the analysis tags verbs that may be nouns ("hope", "shows")
/// either way. A cue tagged as a past form is never a noun.
fn noun_cue(parsed: Option<&Parsed>, cue: Span) -> bool {
    let Some(parsed) = parsed else {
        return false;
    };
    let at = parsed.tokens.partition_point(|t| t.span.start < cue.start);
    // A past form is the verb whatever stands before it: "The British
    // said" is a determiner and an adjective used as a noun.
    let past = parsed
        .tokens
        .get(at)
        .is_some_and(|t| t.span.start == cue.start && matches!(t.tag, Tag::VBD | Tag::VBN));
    if past {
        return false;
    }
    let before = &parsed.tokens[..at];
    let adjectives = before
        .iter()
        .rev()
        .take_while(|t| matches!(t.tag, Tag::JJ | Tag::JJR | Tag::JJS))
        .count();
    let opener = before
        .len()
        .checked_sub(adjectives + 1)
        .map(|i| before[i].tag);
    match opener {
        Some(Tag::PRPS | Tag::POS) => true,
        Some(Tag::DT) => adjectives > 0,
        _ => false,
    }
}

/// True when the cue heads a conditional clause and a comma, without
/// "that", separates it from the content: the content is then the main
/// clause the condition leads into ("If Congress agrees, the bill will
/// pass"), not what the cue reports. An "as" clause does report what
/// follows it ("as Mr Bown observed, the early days ..."), so unlike the
/// clause frames this check leaves adverbial clauses alone.
fn leads_into_main_clause(text: &str, clause: &Reporting, cue: Span, content: Span) -> bool {
    let (Some(parsed), Some(sentence)) = (clause.parsed, clause.analysis) else {
        return false;
    };
    let Some(gap) = text.get(cue.end..content.start) else {
        return false;
    };
    let that = gap
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| w.eq_ignore_ascii_case("that"));
    if that || !gap.contains(',') {
        return false;
    }
    sentence.verb_groups.iter().enumerate().any(|(g, group)| {
        frames::cue_heads(sentence, g, &[ClauseKind::Conditional])
            && parsed
                .tokens
                .get(sentence.tokens.start + group.main)
                .is_some_and(|t| t.span.overlaps(cue))
    })
}

/// The clause analysis of the sentence at `span`, by binary search over
/// the sentences' first tokens.
fn parsed_sentence(parsed: &Parsed, span: Span) -> Option<&ParsedSentence> {
    let first_token = |s: &ParsedSentence| {
        parsed
            .tokens
            .get(s.tokens.start)
            .map_or(usize::MAX, |t| t.span.start)
    };
    let i = parsed
        .sentences
        .partition_point(|s| first_token(s) < span.start);
    parsed.sentences[i..]
        .iter()
        .find(|s| !s.tokens.is_empty())
        .filter(|s| span.contains(parsed.tokens[s.tokens.start].span))
}

/// Content sentences grouped by paragraph, in order.
fn paragraphs<'d>(doc: &Doc<'d>) -> Vec<Vec<&'d Sentence>> {
    let mut out: Vec<Vec<&Sentence>> = Vec::new();
    let mut current = None;
    for sentence in doc.seg.content_sentences() {
        if current != Some(sentence.paragraph) {
            out.push(Vec::new());
            current = Some(sentence.paragraph);
        }
        if let Some(group) = out.last_mut() {
            group.push(sentence);
        }
    }
    out
}

/// The first byte at or after `pos` that is not white space.
fn first_non_space(text: &str, pos: usize) -> usize {
    let rest = text.get(pos..).unwrap_or("");
    pos + (rest.len() - rest.trim_start().len())
}

/// The span of the sentence containing byte `pos`.
fn containing(sentences: &[&Sentence], pos: usize) -> Option<Span> {
    sentences
        .iter()
        .find(|s| s.span.start <= pos && pos < s.span.end)
        .map(|s| s.span)
}

/// Trims white space and trailing clause punctuation from reported content.
fn trim_content(text: &str, span: Span) -> Span {
    let s = span.slice(text);
    let lead = s.len() - s.trim_start().len();
    let trimmed = s.trim().trim_end_matches([',', ';', ':', '.', ' ']);
    Span::new(span.start + lead, span.start + lead + trimmed.len())
}

/// Reconciles a reported clause with the quoted passages it overlaps.
/// Returns the clause's kind, or `None` when the clause is dropped: it
/// cuts through a passage, or it is just one passage (which then takes the
/// clause's attribution if it has none).
fn merge<'r>(
    text: &str,
    content: Span,
    attribution: Attribution<'r>,
    passages: &mut [Passage<'r>],
) -> Option<QuoteKind> {
    let inside: Vec<usize> = (0..passages.len())
        .filter(|&i| passages[i].quoted.outer.overlaps(content))
        .collect();
    if inside
        .iter()
        .any(|&i| !content.contains(passages[i].quoted.content))
    {
        return None;
    }
    if let [only] = inside[..] {
        let outer = passages[only].quoted.outer;
        let before = Span::new(content.start, outer.start.max(content.start)).slice(text);
        let after = Span::new(outer.end.min(content.end), content.end).slice(text);
        if is_punctuation(before) && is_punctuation(after) {
            let p = &mut passages[only];
            p.attribution = p.attribution.or(Some(attribution));
            return None;
        }
    }
    if inside.is_empty() {
        return Some(QuoteKind::Indirect);
    }
    for i in inside {
        passages[i].absorbed = true;
    }
    Some(QuoteKind::Mixed)
}

/// Short title-case passages name works and shows (“Saturday Night
/// Live”), they do not quote anyone.
fn is_title(s: &str) -> bool {
    const MAX_TITLE_WORDS: usize = 8;
    const SMALL: &[&str] = &[
        "of", "the", "a", "an", "and", "in", "on", "for", "to", "at", "is", "with", "&",
    ];
    // A final period may end a heading ("All Bets Are Off."); other marks end speech.
    let s = s.strip_suffix('.').unwrap_or(s);
    let words: Vec<&str> = s.split_whitespace().collect();
    let sentence_like = s.ends_with(['.', '!', '?', ',', ':', ';']);
    (2..=MAX_TITLE_WORDS).contains(&words.len())
        && !sentence_like
        && words
            .iter()
            .all(|w| SMALL.contains(w) || !w.chars().next().is_some_and(char::is_lowercase))
}

/// True when a passage ends its own sentence with a full stop inside the
/// marks and a new sentence starts after it (“... her life.” A spokesman
/// later said ...): the words after it may attribute something else, so
/// the passage takes their attribution only when nothing else attributes it. A question or exclamation mark
/// may end a quote that its attribution follows (“Why?” Clinton said).
fn closes_sentence(text: &str, q: Quoted) -> bool {
    let content = q.content.slice(text).trim_end();
    let next = text
        .get(q.outer.end..)
        .and_then(|rest| rest.trim_start().chars().next());
    content.ends_with('.') && !content.ends_with("..") && next.is_some_and(char::is_uppercase)
}

fn is_punctuation(s: &str) -> bool {
    s.chars().all(|c| !c.is_alphanumeric())
}

/// The attribution of a cue-less passage: another quote of its paragraph
/// (the nearest before it, or the next passage when nothing but space
/// separates them), or the attribution carried from the previous
/// paragraph when the passage opens the paragraph.
fn continuation<'r>(
    passages: &[Passage<'r>],
    i: usize,
    reported: &[Found<'r>],
    region: Span,
    carried: Option<Attribution<'r>>,
) -> Option<Attribution<'r>> {
    let start = passages[i].quoted.outer.start;
    let before_passage = passages[..i]
        .iter()
        .rev()
        .find_map(|p| p.attribution.map(|a| (p.quoted.outer.start, a.speaker)));
    let before_reported = reported
        .iter()
        .filter(|f| f.content.start < start)
        .map(|f| (f.content.start, f.attribution.speaker))
        .max_by_key(|(s, _)| *s);
    let earlier = match (before_passage, before_reported) {
        (Some(a), Some(b)) => Some(if a.0 >= b.0 { a.1 } else { b.1 }),
        (a, b) => a.or(b).map(|x| x.1),
    };
    let speaker_of = |speaker: Span, rule: &'r str| Attribution {
        speaker,
        cue: None,
        rule,
    };
    if let Some(speaker) = earlier {
        return Some(speaker_of(speaker, CONTINUATION_PARAGRAPH));
    }
    if let Some(next) = passages.get(i + 1) {
        // Only white space between the two passages: “A.” “B,” he said.
        let adjacent = next
            .quoted
            .outer
            .start
            .saturating_sub(passages[i].quoted.outer.end)
            <= 3;
        if let (true, Some(a)) = (adjacent, next.attribution) {
            return Some(speaker_of(a.speaker, CONTINUATION_PARAGRAPH));
        }
    }
    carried.filter(|_| start == region.start)
}

#[cfg(test)]
mod tests;
