//! Chunks: noun phrases, verb groups and prepositional phrases over tags.
//!
//! Takes one tagged sentence; gives non-overlapping noun phrases (with
//! head, possessor and apposition), verb groups (with tense, aspect, voice,
//! negation and modal) and prepositional phrases (a preposition and the
//! noun phrase after it). Token indices are relative to the sentence.

use super::tagger::{Tag, Tagger};
use super::words::{
    Marks, BE, DO, FUTURE_MODAL, GET, HAVE, NEGATION, PAST_MODAL, SUBORDINATOR, TITLE,
};
use crate::record::Span;
use serde::Serialize;
use std::ops::Range;

/// One tagged sentence.
pub struct Sentence<'a> {
    pub words: &'a [&'a str],
    pub tags: &'a [Tag],
    pub spans: &'a [Span],
    /// The word classes of each word ([`super::words`]).
    pub marks: &'a [Marks],
}

impl Sentence<'_> {
    pub fn len(&self) -> usize {
        self.tags.len()
    }
    pub fn is_empty(&self) -> bool {
        self.tags.is_empty()
    }
    pub fn tag(&self, i: usize) -> Tag {
        self.tags.get(i).copied().unwrap_or(Tag::Boundary)
    }
    /// True when word `i` is in one of the classes `marks`.
    #[inline]
    pub fn is(&self, i: usize, marks: Marks) -> bool {
        self.marks.get(i).is_some_and(|m| m & marks != 0)
    }
    /// True when word `i` is one of `words` (ASCII case-insensitive).
    pub fn word_in(&self, i: usize, words: &[impl AsRef<str>]) -> bool {
        self.words
            .get(i)
            .is_some_and(|w| words.iter().any(|x| x.as_ref().eq_ignore_ascii_case(w)))
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct NounPhrase {
    pub tokens: Range<usize>,
    pub head: usize,
    /// The possessor's tokens ("Wales '" in "Wales' team physiotherapist").
    pub possessor: Option<Range<usize>>,
    /// Index of the noun phrase this one is in apposition to
    /// ("Mark Davies , the physiotherapist ,").
    pub apposition_to: Option<usize>,
    /// True when the phrase is the object of a preposition, or a
    /// conjunct of one.
    pub in_pp: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct PrepPhrase {
    pub preposition: usize,
    /// Index into the sentence's noun phrases.
    pub object: usize,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Tense {
    Past,
    Present,
    Future,
    /// Infinitive, gerund or participle without a finite auxiliary.
    Nonfinite,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Voice {
    Active,
    Passive,
}

#[derive(Clone, Debug, PartialEq)]
pub struct VerbGroup {
    pub tokens: Range<usize>,
    /// The last verb: the lexical verb, or the copula.
    pub main: usize,
    /// Modal verbs give their own tense: "will"/"shall" future,
    /// "would"/"could"/"might"/"should" past, others present.
    pub tense: Tense,
    pub perfect: bool,
    pub progressive: bool,
    pub voice: Voice,
    pub negated: bool,
    pub modal: Option<usize>,
    /// True when the main verb is a form of "be" with nothing after it in the group.
    pub copula: bool,
}

impl VerbGroup {
    pub fn is_finite(&self) -> bool {
        self.tense != Tense::Nonfinite
    }
}

/// Noun phrases, left to right, greedy:
/// `(PDT)? (DT|PRP$|WP$)? (CD|JJ*|NN*|VBG/VBN before a noun|HYPH)* noun`,
/// with `NP POS` continuing as a possessor; or a lone pronoun, wh-pronoun,
/// existential "there", demonstrative or number.
/// Appends them to `out` (cleared first).
pub fn noun_phrases(s: &Sentence, tagger: &Tagger, out: &mut Vec<NounPhrase>) {
    out.clear();
    let mut i = 0;
    while i < s.len() {
        match phrase_at(s, i, tagger) {
            Some(np) => {
                i = np.tokens.end;
                out.push(np);
            }
            None => i += 1,
        }
    }
}

fn phrase_at(s: &Sentence, start: usize, tagger: &Tagger) -> Option<NounPhrase> {
    let single = |head| NounPhrase {
        tokens: head..head + 1,
        head,
        possessor: None,
        apposition_to: None,
        in_pp: false,
    };
    match s.tag(start) {
        Tag::PRP | Tag::EX | Tag::WP => return Some(single(start)),
        Tag::WDT if !s.tag(start + 1).is_noun() && !s.tag(start + 1).is_adjective() => {
            return Some(single(start))
        }
        _ => {}
    }
    let mut i = start;
    let mut segment_start = start;
    let mut possessor = None;
    let mut last_nominal = None;
    if s.tag(i) == Tag::PDT {
        i += 1;
    }
    loop {
        let tag = s.tag(i);
        let opens = i == segment_start || (i == start + 1 && s.tag(start) == Tag::PDT);
        let accepted = match tag {
            Tag::DT | Tag::PRPS | Tag::WPS | Tag::WDT => opens,
            // "$ 5 million", "the $ 5 fee": a currency sign before a number.
            Tag::Dollar => s.tag(i + 1) == Tag::CD,
            Tag::CD | Tag::JJ | Tag::JJR | Tag::JJS | Tag::NN | Tag::NNS | Tag::NNP | Tag::NNPS => {
                true
            }
            // "the growing market", not "exposure following training":
            // after a noun a participle starts a verb phrase.
            Tag::VBG | Tag::VBN => {
                i > segment_start
                    && !s.tag(i - 1).is_noun()
                    && (s.tag(i + 1).is_noun() || s.tag(i + 1).is_adjective())
            }
            Tag::HYPH => {
                i > segment_start
                    && matches!(
                        s.tag(i + 1),
                        Tag::JJ | Tag::NN | Tag::NNS | Tag::NNP | Tag::CD | Tag::VBN | Tag::VBG
                    )
            }
            Tag::POS => last_nominal.is_some_and(|last| last + 1 == i),
            _ => false,
        };
        if !accepted {
            break;
        }
        if tag == Tag::POS {
            possessor = Some(start..i + 1);
            segment_start = i + 1;
            last_nominal = None;
        } else if tag.is_noun() || tag == Tag::CD {
            last_nominal = Some(i);
        }
        i += 1;
    }
    match last_nominal {
        Some(last) => Some(NounPhrase {
            tokens: start..last + 1,
            head: head_of(s, segment_start, last, tagger),
            possessor,
            apposition_to: None,
            in_pp: false,
        }),
        // A demonstrative or quantifier standing alone ("this is", "all of").
        None if s.tag(start) == Tag::DT && i == start + 1 && possessor.is_none() => {
            Some(single(start))
        }
        None => None,
    }
}

/// The head of a phrase whose last noun is `last`: the last noun, except
/// that a run of proper nouns that reads as a personal name ("Mark
/// Davies", "President Bill Clinton" after its title) is headed by its
/// first word, as Universal Dependencies does; a run ending in a word that
/// is also a common noun ("Wall Street") keeps its last word. Proper nouns
/// joined by a hyphen token ("Muqtada al - Sadr") count as one word of the
/// run.
fn head_of(s: &Sentence, segment_start: usize, last: usize, tagger: &Tagger) -> usize {
    if s.tag(last) == Tag::CD {
        return currency_head(s, segment_start, last).unwrap_or(last);
    }
    if !s.tag(last).is_proper() {
        return last;
    }
    let mut first = last;
    // Words of the run; "al - Sadr" (a hyphen between proper nouns) is one.
    let mut words = 1;
    loop {
        if first > segment_start && s.tag(first - 1).is_proper() {
            first -= 1;
            words += 1;
        } else if first >= segment_start + 2
            && s.tag(first - 1) == Tag::HYPH
            && s.tag(first - 2).is_proper()
        {
            first -= 2;
        } else {
            break;
        }
    }
    // "President Vladimir Putin": the name after a title heads it.
    while first < last && s.is(first, TITLE) {
        first += 1;
        words -= 1;
    }
    if first == last || words > 3 {
        return last;
    }
    match tagger.lexicon_tag_lower(s.words[last]) {
        Some(tag) if tag.is_noun() || tag.is_adjective() => last,
        _ => first,
    }
}

/// "$ 5 million": an amount is headed by its currency sign, as in
/// Universal Dependencies (the numbers are its modifiers).
fn currency_head(s: &Sentence, segment_start: usize, last: usize) -> Option<usize> {
    let mut i = last;
    while i > segment_start && s.tag(i) == Tag::CD {
        i -= 1;
    }
    (s.tag(i) == Tag::Dollar && i < last).then_some(i)
}

/// Verb groups over the tokens outside noun phrases: a modal, verb or
/// "to"+verb, extended while the group's last verb is an auxiliary (be,
/// have, do, modal; get before a participle), over adverbs and negation.
/// Appends them to `out` (cleared first); `in_np` is a scratch buffer.
pub fn verb_groups(
    s: &Sentence,
    nps: &[NounPhrase],
    in_np: &mut Vec<bool>,
    out: &mut Vec<VerbGroup>,
) {
    in_np.clear();
    in_np.resize(s.len(), false);
    for np in nps {
        in_np[np.tokens.clone()].iter_mut().for_each(|b| *b = true);
    }
    out.clear();
    let in_np = &in_np[..];
    let mut i = 0;
    while i < s.len() {
        let starts = !in_np[i]
            && (s.tag(i).is_verb()
                || s.tag(i) == Tag::MD
                || (s.tag(i) == Tag::TO && s.tag(i + 1) == Tag::VB));
        if !starts {
            i += 1;
            continue;
        }
        let group = group_at(s, i, in_np);
        i = group.tokens.end;
        out.push(group);
    }
}

fn is_auxiliary(s: &Sentence, i: usize, next_verb: usize) -> bool {
    s.tag(i) == Tag::MD
        || s.tag(i) == Tag::TO
        || s.is(i, BE)
        || s.is(i, HAVE)
        || s.is(i, DO)
        || (s.is(i, GET) && s.tag(next_verb) == Tag::VBN)
}

fn group_at(s: &Sentence, start: usize, in_np: &[bool]) -> VerbGroup {
    let mut last = start;
    let mut j = start + 1;
    loop {
        let mut k = j;
        while k < s.len() && !in_np[k] && (s.tag(k).is_adverb() || s.is(k, NEGATION)) {
            k += 1;
        }
        let continues = k < s.len() && !in_np[k] && s.tag(k).is_verb() && is_auxiliary(s, last, k);
        if !continues {
            break;
        }
        last = k;
        j = k + 1;
    }
    describe(s, start..last + 1)
}

fn describe(s: &Sentence, tokens: Range<usize>) -> VerbGroup {
    let main = tokens
        .clone()
        .rev()
        .find(|&i| s.tag(i).is_verb())
        .unwrap_or(tokens.end - 1);
    let before_main = tokens.start..main;
    let passive =
        s.tag(main) == Tag::VBN && before_main.clone().any(|i| s.is(i, BE) || s.is(i, GET));
    let perfect =
        before_main.clone().any(|i| s.is(i, HAVE)) && tokens.clone().any(|i| s.tag(i) == Tag::VBN);
    let progressive = tokens.clone().any(|i| {
        s.is(i, BE)
            && i < main
            && (i + 1..=main)
                .find(|&k| s.tag(k).is_verb())
                .is_some_and(|k| s.tag(k) == Tag::VBG)
    });
    let modal = tokens.clone().find(|&i| s.tag(i) == Tag::MD);
    let first = tokens.start;
    let tense = match s.tag(first) {
        Tag::MD if s.is(first, FUTURE_MODAL) => Tense::Future,
        Tag::MD if s.is(first, PAST_MODAL) => Tense::Past,
        Tag::MD | Tag::VBZ | Tag::VBP => Tense::Present,
        Tag::VBD => Tense::Past,
        _ => Tense::Nonfinite,
    };
    VerbGroup {
        negated: tokens.clone().any(|i| s.is(i, NEGATION)),
        copula: s.is(main, BE),
        tokens,
        main,
        tense,
        perfect,
        progressive,
        voice: if passive {
            Voice::Passive
        } else {
            Voice::Active
        },
        modal,
    }
}

/// Prepositional phrases: a preposition ("to" included) followed directly
/// by a noun phrase. A subordinator followed by a noun phrase and a finite
/// verb group ("after the company announced", "as it usually did", adverbs
/// between) opens a clause instead, and so does any preposition before a
/// subject pronoun and a finite verb ("like I said").
/// Marks each object's `in_pp` and links appositions; appends the
/// phrases to `pps` (cleared first).
pub fn prep_phrases(
    s: &Sentence,
    nps: &mut [NounPhrase],
    vgs: &[VerbGroup],
    pps: &mut Vec<PrepPhrase>,
) {
    pps.clear();
    let finite_at = |i: usize| vgs.iter().any(|vg| vg.tokens.start == i && vg.is_finite());
    for (n, np) in nps.iter_mut().enumerate() {
        let Some(p) = np.tokens.start.checked_sub(1) else {
            continue;
        };
        let is_prep = matches!(s.tag(p), Tag::IN | Tag::TO);
        // "as it usually did": adverbs may come before the finite verb;
        // "like I said": a subject pronoun is no preposition's object.
        let mut v = np.tokens.end;
        while s.tag(v).is_adverb() {
            v += 1;
        }
        let nominative =
            np.tokens.len() == 1 && s.word_in(np.head, &["i", "he", "she", "we", "they"]);
        let opens_clause = (s.is(p, SUBORDINATOR) || nominative) && finite_at(v);
        if is_prep && !opens_clause && s.tag(np.head) != Tag::WDT {
            np.in_pp = true;
            pps.push(PrepPhrase {
                preposition: p,
                object: n,
            });
        }
    }
    extend_pp_to_conjuncts(s, nps, finite_at);
    link_appositions(s, nps);
}

/// "of demonstrations and violence": a phrase joined by a conjunction to
/// the object of a preposition is in that prepositional phrase too, unless
/// a finite verb follows it ("spoke to reporters and the minister said").
fn extend_pp_to_conjuncts(s: &Sentence, nps: &mut [NounPhrase], finite_at: impl Fn(usize) -> bool) {
    for n in 1..nps.len() {
        let (prev, cur) = (&nps[n - 1], &nps[n]);
        let gap = cur.tokens.start.saturating_sub(prev.tokens.end);
        let joined = (gap == 1 && s.tag(prev.tokens.end) == Tag::CC)
            || (gap == 2
                && s.tag(prev.tokens.end) == Tag::Comma
                && s.tag(prev.tokens.end + 1) == Tag::CC);
        if prev.in_pp && !cur.in_pp && joined && !finite_at(cur.tokens.end) {
            nps[n].in_pp = true;
        }
    }
}

/// `NP1 , NP2 ,` (or `NP1 , NP2` at the end) with NP2 not a pronoun: NP2
/// is in apposition to NP1.
fn link_appositions(s: &Sentence, nps: &mut [NounPhrase]) {
    for n in 1..nps.len() {
        let (prev, cur) = (&nps[n - 1], &nps[n]);
        let comma_between =
            prev.tokens.end + 1 == cur.tokens.start && s.tag(prev.tokens.end) == Tag::Comma;
        let closed = matches!(
            s.tag(cur.tokens.end),
            Tag::Comma | Tag::Period | Tag::Boundary
        );
        let nominal = s.tag(cur.head).is_noun() && s.tag(prev.head).is_noun();
        if comma_between
            && closed
            && nominal
            && prev.in_pp == cur.in_pp
            && nps[n - 1].apposition_to.is_none()
        {
            nps[n].apposition_to = Some(n - 1);
        }
    }
}
