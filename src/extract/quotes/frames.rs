//! Reported speech on clause frames, for sentences the sentence rules miss.
//!
//! Takes one sentence's clause analysis and the cue lexicon; gives the
//! attributions whose cue is a finite, active reporting verb with a
//! subject before it and a reported clause right after it: "Experts on
//! North Korea said the test could change that", "He told the forum that
//! he was against the war". Between cue and clause only "that", commas,
//! adverbs, prepositional phrases ("in a statement") and, for `tell`
//! verbs, the addressee may stand, and time words ("said Friday that").
//!
//! The frame checks the cue's sense: a cue verb whose object is a thing
//! and not a clause ("added the company to the list", "reiterated its
//! commitment") gives nothing. It does not find postposed or inverted
//! attributions ("..., he said"; "..., said the minister") nor reported
//! speech without a finite clause; the sentence rules handle those.

use super::patterns::{Frame, RuleSet};
use crate::clauses::{
    Clause, ClauseKind, NounPhrase, ParsedSentence, Role, RoleKind, Tag, Token, Voice,
};
use crate::record::Span;
use std::collections::BTreeSet;

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

/// What the frame rules look up in one sentence, indexed once so that each
/// cue verb costs a few lookups however long the sentence ("linear in the
/// sentence": a giant sentence of many cues does not rescan its roles,
/// clauses and phrases per cue).
pub struct FrameIndex<'s> {
    sentence: &'s ParsedSentence,
    /// Words permitted between a cue and its clause ("said Friday that").
    gap_words: &'s BTreeSet<String>,
    /// Per verb group: its frames as a cue verb (0: not a cue).
    frames: Vec<u8>,
    /// Role indices ordered by verb group (stable: role order within a group).
    roles_by_group: Vec<usize>,
    /// Per verb group: where its roles start in `roles_by_group` (one extra
    /// entry closes the last group).
    group_roles: Vec<usize>,
    /// Clause indices ordered by first token (stable).
    clauses_by_start: Vec<usize>,
    /// Per token of the sentence: inside the object of a preposition.
    in_pp: Vec<bool>,
    /// Per token of the sentence: the first noun phrase ending right before it.
    phrase_ending: Vec<Option<usize>>,
}

impl<'s> FrameIndex<'s> {
    /// The index of `sentence`, or `None` when none of its verbs is a cue
    /// (then no frame can be found and nothing is built).
    pub fn new(
        text: &str,
        tokens: &[Token],
        sentence: &'s ParsedSentence,
        rules: &'s RuleSet,
    ) -> Option<Self> {
        let words = tokens.get(sentence.tokens.clone())?;
        let frames: Vec<u8> = sentence
            .verb_groups
            .iter()
            .map(|g| {
                words.get(g.main).map_or(0, |t| {
                    rules.cues.word_frames(t.span.slice(text))
                        & (Frame::SPEECH | Frame::Pledge.bit() | Frame::Think.bit())
                })
            })
            .collect();
        if frames.iter().all(|&f| f == 0) {
            return None;
        }
        let groups = sentence.verb_groups.len();
        let mut group_roles = vec![0; groups + 1];
        for r in &sentence.roles {
            if r.verb_group < groups {
                group_roles[r.verb_group + 1] += 1;
            }
        }
        for g in 0..groups {
            group_roles[g + 1] += group_roles[g];
        }
        let mut next = group_roles.clone();
        let mut roles_by_group = vec![0; group_roles[groups]];
        for (i, r) in sentence.roles.iter().enumerate() {
            if r.verb_group < groups {
                roles_by_group[next[r.verb_group]] = i;
                next[r.verb_group] += 1;
            }
        }
        let mut clauses_by_start: Vec<usize> = (0..sentence.clauses.len()).collect();
        clauses_by_start.sort_by_key(|&c| sentence.clauses[c].tokens.start);
        let mut in_pp = vec![false; words.len()];
        let mut phrase_ending = vec![None; words.len() + 1];
        for (i, np) in sentence.noun_phrases.iter().enumerate() {
            if np.in_pp {
                for t in np.tokens.clone().filter(|&t| t < words.len()) {
                    in_pp[t] = true;
                }
            }
            if !np.tokens.is_empty() && np.tokens.end <= words.len() {
                phrase_ending[np.tokens.end].get_or_insert(i);
            }
        }
        Some(FrameIndex {
            sentence,
            gap_words: &rules.gap_words,
            frames,
            roles_by_group,
            group_roles,
            clauses_by_start,
            in_pp,
            phrase_ending,
        })
    }

    /// The roles of verb group `g`, in role order.
    fn roles(&self, g: usize) -> impl Iterator<Item = &Role> + '_ {
        self.roles_by_group[self.group_roles[g]..self.group_roles[g + 1]]
            .iter()
            .map(|&r| &self.sentence.roles[r])
    }

    /// The first role of kind `kind` of verb group `g`.
    fn role(&self, g: usize, kind: RoleKind) -> Option<&Role> {
        self.roles(g).find(|r| r.kind == kind)
    }

    /// The clause starting first at or after token `from` whose verb group
    /// is not `g`.
    fn next_clause(&self, from: usize, g: usize) -> Option<&Clause> {
        let clauses = &self.sentence.clauses;
        let first = self
            .clauses_by_start
            .partition_point(|&c| clauses[c].tokens.start < from);
        self.clauses_by_start[first..]
            .iter()
            .map(|&c| &clauses[c])
            .find(|c| c.verb_group != g)
    }
}

/// The frame attributions of one sentence, left to right; `tokens` are the
/// document's tokens (indices in the sentence count from its first token).
pub fn find(text: &str, tokens: &[Token], index: &FrameIndex) -> Vec<FrameHit> {
    let sentence = index.sentence;
    let Some(words) = tokens.get(sentence.tokens.clone()) else {
        return Vec::new();
    };
    let mut hits = Vec::new();
    for (g, group) in sentence.verb_groups.iter().enumerate() {
        let frames = index.frames[g];
        if frames == 0 || group.voice != Voice::Active || !group.is_finite() {
            continue;
        }
        let Some(subject) = index
            .role(g, RoleKind::Subject)
            .map(|r| &sentence.noun_phrases[r.noun_phrase])
        else {
            continue;
        };
        if subject.tokens.end > group.tokens.start {
            continue;
        }
        let speech = frames & (Frame::SPEECH | Frame::Think.bit());
        let content = (speech != 0)
            .then(|| {
                reported_clause(text, words, index, g, speech)
                    .or_else(|| that_complement(text, words, index, g, speech))
            })
            .flatten()
            .or_else(|| {
                (frames & Frame::Pledge.bit() != 0)
                    .then(|| infinitive(words, index, g))
                    .flatten()
            });
        let Some(content) = content else {
            continue;
        };
        let first = speaker_start(words, index, subject);
        hits.push(FrameHit {
            speaker: Span::new(
                words[first].span.start,
                words[subject.tokens.end - 1].span.end,
            ),
            cue: words[group.main].span,
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
    index: &FrameIndex,
    g: usize,
    frames: u8,
) -> Option<usize> {
    let sentence = index.sentence;
    let group = &sentence.verb_groups[g];
    let clause = index.next_clause(group.tokens.end, g)?;
    let that_less = clause.kind != ClauseKind::Reported;
    if that_less && !clause_with_subject(words, index, clause) {
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
    let addressee = tell_addressee(index, g, frames);
    let gap = group.tokens.end..clause.tokens.start;
    if gap.len() > MAX_GAP {
        return None;
    }
    // A main clause after a comma that closes a cue's subordinate clause
    // is the clause that one leads into ("If Congress agrees, the bill
    // will pass"; "As the firm reported, shares rose"), not what it
    // reports ("while 30% said only some had" has no comma).
    let comma = gap.clone().any(|i| words[i].tag == Tag::Comma);
    if that_less && comma && cue_subordinate(sentence, g) {
        return None;
    }
    gap.clone()
        .all(|i| permitted_gap(text, words, index, addressee.as_ref(), i))
        .then_some(start)
}

/// The tokens of the object of verb group `g` when the cue is a `tell`
/// cue ("told reporters that ..."): the person addressed, not content.
fn tell_addressee(index: &FrameIndex, g: usize, frames: u8) -> Option<std::ops::Range<usize>> {
    (frames & Frame::Tell.bit() != 0)
        .then(|| index.role(g, RoleKind::Object))
        .flatten()
        .map(|r| index.sentence.noun_phrases[r.noun_phrase].tokens.clone())
}

/// Tokens that may stand between a cue and its reported clause: adverbs,
/// the permitted gap words, punctuation, prepositions and the words of
/// prepositional phrases, and the addressee of a `tell` cue.
fn permitted_gap(
    text: &str,
    words: &[Token],
    index: &FrameIndex,
    addressee: Option<&std::ops::Range<usize>>,
    i: usize,
) -> bool {
    let tag = words[i].tag;
    let word = words[i].span.slice(text);
    tag.is_adverb()
        || index.gap_words.contains(word)
        || (word.bytes().any(|b| b.is_ascii_uppercase())
            && index.gap_words.contains(&word.to_ascii_lowercase()))
        || matches!(tag, Tag::Comma | Tag::Colon | Tag::IN | Tag::TO)
        || addressee.is_some_and(|a| a.contains(&i))
        || index.in_pp.get(i).copied().unwrap_or(false)
}

/// The first token after a complementiser "that" following the cue verb
/// group `g` across a permitted gap ("found that medical research ...",
/// "noted that, like him, ..."), when at least three words follow it: the
/// clause analysis may find no verb group in a reported clause whose verb
/// it mistagged, or take its verb for a coordinate clause of the cue's.
/// "that" as a determiner ("noted that assignment") is no complementiser.
fn that_complement(
    text: &str,
    words: &[Token],
    index: &FrameIndex,
    g: usize,
    frames: u8,
) -> Option<usize> {
    let sentence = index.sentence;
    let group = &sentence.verb_groups[g];
    let addressee = tell_addressee(index, g, frames);
    let end = words.len().min(group.tokens.end + MAX_GAP + 1);
    for i in group.tokens.end..end {
        let word = words[i].span.slice(text);
        if word.eq_ignore_ascii_case("that") {
            let next = words.get(i + 1)?;
            let complementiser = words[i].tag == Tag::IN || next.tag == Tag::Comma;
            let rest = words[i + 1..]
                .iter()
                .filter(|t| {
                    t.span
                        .slice(text)
                        .chars()
                        .next()
                        .is_some_and(char::is_alphanumeric)
                })
                .count();
            return (complementiser && rest >= 3).then_some(i + 1);
        }
        if !permitted_gap(text, words, index, addressee.as_ref(), i) {
            return None;
        }
    }
    None
}

/// The content of a `pledge` cue, verb group `g`: its addressee (the
/// object right after it) or, without one, the "to" of the infinitive
/// clause that follows ("vowed to bring back", "urged Congress to act").
/// Only adverbs and the addressee may stand between cue and infinitive.
fn infinitive(words: &[Token], index: &FrameIndex, g: usize) -> Option<usize> {
    let sentence = index.sentence;
    let group = &sentence.verb_groups[g];
    let clause = index.next_clause(group.tokens.end, g)?;
    let to = clause.tokens.start;
    if clause.kind != ClauseKind::Nonfinite || words.get(to)?.tag != Tag::TO {
        return None;
    }
    let addressee = index
        .role(g, RoleKind::Object)
        .map(|r| sentence.noun_phrases[r.noun_phrase].tokens.clone())
        .filter(|a| a.start >= group.tokens.end && a.end <= to);
    let gap = group.tokens.end..to;
    if gap.len() > MAX_GAP
        || !gap
            .clone()
            .all(|i| words[i].tag.is_adverb() || addressee.as_ref().is_some_and(|a| a.contains(&i)))
    {
        return None;
    }
    Some(addressee.map_or(to, |a| a.start))
}

/// True when the verb group `g` heads a conditional, adverbial or
/// purpose clause.
fn cue_subordinate(sentence: &ParsedSentence, g: usize) -> bool {
    cue_heads(
        sentence,
        g,
        &[
            ClauseKind::Conditional,
            ClauseKind::Adverbial,
            ClauseKind::Purpose,
        ],
    )
}

/// True when the verb group `g` heads a clause of one of `kinds`.
pub(super) fn cue_heads(sentence: &ParsedSentence, g: usize, kinds: &[ClauseKind]) -> bool {
    sentence
        .clauses
        .iter()
        .any(|c| c.verb_group == g && kinds.contains(&c.kind))
}

/// True when `clause` is a main clause with a subject of its own before
/// its verb and no comma in between: right after a cue verb and its
/// addressee it is the reported clause without "that" ("told the forum he
/// was against the war"), which the clause analysis leaves a main clause.
/// A comma before the verb marks a phrase the analysis took for a subject
/// ("Hesai, added a year ago, sued ...": "added" is a participle).
fn clause_with_subject(words: &[Token], index: &FrameIndex, clause: &Clause) -> bool {
    let start = index.sentence.verb_groups[clause.verb_group].tokens.start;
    clause.kind == ClauseKind::Main
        && (clause.tokens.start..start).all(|i| words.get(i).is_some_and(|t| t.tag != Tag::Comma))
        && index
            .roles(clause.verb_group)
            .any(|r| r.kind == RoleKind::Subject && clause.tokens.start <= r.head && r.head < start)
}

/// The first token of the speaker: the subject phrase, extended to the
/// left over the phrases it continues ("Experts on North Korea and
/// nuclear nonproliferation", where the analysis gives the last conjunct).
fn speaker_start(words: &[Token], index: &FrameIndex, subject: &NounPhrase) -> usize {
    let mut first = subject.tokens.start;
    while let Some(mut link) = first.checked_sub(1) {
        if !matches!(words[link].tag, Tag::IN | Tag::CC) {
            break;
        }
        // "observers in Virginia and around the country": a conjunction
        // and a preposition link the phrases.
        while link > 0 && matches!(words[link - 1].tag, Tag::IN | Tag::CC) {
            link -= 1;
        }
        match index.phrase_ending.get(link).copied().flatten() {
            Some(np) => first = index.sentence.noun_phrases[np].tokens.start,
            None => break,
        }
    }
    first
}

/// Where coordinated clauses with an attribution of their own start ("...
/// would be more intense — and he noted that ..."): reported content ends
/// there, and the second attribution is a quote of its own.
pub fn attribution_starts(tokens: &[Token], index: &FrameIndex) -> Vec<usize> {
    let sentence = index.sentence;
    let Some(words) = tokens.get(sentence.tokens.clone()) else {
        return Vec::new();
    };
    sentence
        .clauses
        .iter()
        .filter(|c| c.kind == ClauseKind::Coordinate)
        .filter(|c| {
            let group = &sentence.verb_groups[c.verb_group];
            index.frames[c.verb_group] != 0
                && group.voice == Voice::Active
                && index.roles(c.verb_group).any(|r| {
                    r.kind == RoleKind::Subject
                        && c.tokens.contains(&r.head)
                        && r.head < group.tokens.start
                })
        })
        .filter_map(|c| words.get(c.tokens.start).map(|t| t.span.start))
        .collect()
}
