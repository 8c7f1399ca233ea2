//! Reported speech on clause frames, for sentences the sentence rules miss.
//!
//! Takes one sentence's clause analysis and the cue lexicon; gives the
//! attributions whose cue is a finite, active reporting verb with a
//! subject before it and a reported clause right after it: "Experts on
//! North Korea said the test could change that", "He told the forum that
//! he was against the war". Between cue and clause only "that", commas,
//! adverbs, prepositional phrases ("in a statement") and, for `tell`
//! verbs, the addressee may stand.
//!
//! The frame checks the cue's sense: a cue verb whose object is a thing
//! and not a clause ("added the company to the list", "reiterated its
//! commitment") gives nothing. It does not find postposed or inverted
//! attributions ("..., he said"; "..., said the minister") nor reported
//! speech without a finite clause; the sentence rules handle those.

use super::patterns::{CueFinder, Frame};
use crate::clauses::{ClauseKind, NounPhrase, ParsedSentence, RoleKind, Tag, Token, Voice};
use crate::record::Span;

/// Most tokens that may stand between the cue verb and its reported clause
/// ("said in a statement on Monday that").
const MAX_GAP: usize = 10;

/// An attribution found on a clause frame.
#[derive(Clone, Copy, Debug)]
pub struct FrameHit {
    pub speaker: Span,
    pub cue: Span,
    /// Where the reported clause starts (after a complementiser "that");
    /// it runs to the sentence end, cut later like other reported content.
    pub content_start: usize,
}

/// The frame attributions of one sentence, left to right; `tokens` are the
/// document's tokens (indices in `sentence` count from `sentence.tokens.start`).
pub fn find(
    text: &str,
    tokens: &[Token],
    sentence: &ParsedSentence,
    cues: &CueFinder,
) -> Vec<FrameHit> {
    let Some(words) = tokens.get(sentence.tokens.clone()) else {
        return Vec::new();
    };
    let mut hits = Vec::new();
    for (g, group) in sentence.verb_groups.iter().enumerate() {
        let main = group.main;
        let frames = cues.word_frames(words[main].span.slice(text));
        if frames == 0 || group.voice != Voice::Active || !group.is_finite() {
            continue;
        }
        let Some(subject) = sentence
            .roles
            .iter()
            .find(|r| r.verb_group == g && r.kind == RoleKind::Subject)
            .map(|r| &sentence.noun_phrases[r.noun_phrase])
        else {
            continue;
        };
        if subject.tokens.end > group.tokens.start {
            continue;
        }
        let Some(content) = reported_clause(text, words, sentence, g, frames) else {
            continue;
        };
        let first = speaker_start(words, sentence, subject);
        hits.push(FrameHit {
            speaker: Span::new(
                words[first].span.start,
                words[subject.tokens.end - 1].span.end,
            ),
            cue: words[main].span,
            content_start: words[content].span.start,
        });
    }
    hits
}

/// The first token of the reported clause of verb group `g`, if one
/// follows it with only a permitted gap in between.
fn reported_clause(
    text: &str,
    words: &[Token],
    sentence: &ParsedSentence,
    g: usize,
    frames: u8,
) -> Option<usize> {
    let group = &sentence.verb_groups[g];
    let clause = sentence
        .clauses
        .iter()
        .filter(|c| c.verb_group != g && c.tokens.start >= group.tokens.end)
        .min_by_key(|c| c.tokens.start)?;
    if clause.kind != ClauseKind::Reported {
        return None;
    }
    let mut start = clause.tokens.start;
    if let Some(opener) = clause.opener {
        if words[opener].span.slice(text).eq_ignore_ascii_case("that") {
            start = opener + 1;
        }
    }
    // The clause needs a subject and its verb: "said it would" holds one,
    // a clause of one word ("said so") does not.
    let clause_group = &sentence.verb_groups[clause.verb_group];
    if start >= clause_group.tokens.start || start >= words.len() {
        return None;
    }
    let addressee = (frames & Frame::Tell.bit() != 0)
        .then(|| {
            sentence
                .roles
                .iter()
                .find(|r| r.verb_group == g && r.kind == RoleKind::Object)
        })
        .flatten()
        .map(|r| sentence.noun_phrases[r.noun_phrase].tokens.clone());
    let gap = group.tokens.end..clause.tokens.start;
    if gap.len() > MAX_GAP {
        return None;
    }
    let permitted = |i: usize| {
        let tag = words[i].tag;
        tag.is_adverb()
            || matches!(tag, Tag::Comma | Tag::Colon | Tag::IN | Tag::TO)
            || addressee.as_ref().is_some_and(|a| a.contains(&i))
            || in_prep_phrase(sentence, i)
    };
    gap.clone().all(permitted).then_some(start)
}

/// True when token `i` belongs to the object of a prepositional phrase.
fn in_prep_phrase(sentence: &ParsedSentence, i: usize) -> bool {
    sentence
        .noun_phrases
        .iter()
        .any(|np| np.in_pp && np.tokens.contains(&i))
}

/// The first token of the speaker: the subject phrase, extended to the
/// left over the phrases it continues ("Experts on North Korea and
/// nuclear nonproliferation", where the analysis gives the last conjunct).
fn speaker_start(words: &[Token], sentence: &ParsedSentence, subject: &NounPhrase) -> usize {
    let mut first = subject.tokens.start;
    while let Some(link) = first.checked_sub(1) {
        if !matches!(words[link].tag, Tag::IN | Tag::CC) {
            break;
        }
        match sentence
            .noun_phrases
            .iter()
            .find(|np| np.tokens.end == link && !np.tokens.is_empty())
        {
            Some(np) => first = np.tokens.start,
            None => break,
        }
    }
    first
}

/// Where coordinated clauses with an attribution of their own start ("...
/// would be more intense — and he noted that ..."): reported content ends
/// there, and the second attribution is a quote of its own.
pub fn attribution_starts(
    tokens: &[Token],
    sentence: &ParsedSentence,
    text: &str,
    cues: &CueFinder,
) -> Vec<usize> {
    let Some(words) = tokens.get(sentence.tokens.clone()) else {
        return Vec::new();
    };
    sentence
        .clauses
        .iter()
        .filter(|c| c.kind == ClauseKind::Coordinate)
        .filter(|c| {
            let group = &sentence.verb_groups[c.verb_group];
            cues.word_frames(words[group.main].span.slice(text)) != 0
                && group.voice == Voice::Active
                && sentence.roles.iter().any(|r| {
                    r.verb_group == c.verb_group
                        && r.kind == RoleKind::Subject
                        && c.tokens.contains(&r.head)
                        && r.head < group.tokens.start
                })
        })
        .filter_map(|c| words.get(c.tokens.start).map(|t| t.span.start))
        .collect()
}
