//! The clause frame of an event trigger: the verb group the trigger lies
//! in, the clause that group heads and the grammatical roles of its verb,
//! read from the clause analysis ([`Parsed`]).
//!
//! Takes the analysis of one sentence and a trigger span; gives voice,
//! negation, modal, clause kind and role spans scoped to the trigger's own
//! clause. It does not decide anything about events: the event rules read
//! these facts.

use crate::clauses::{
    Clause, ClauseKind, Parsed, ParsedSentence, Role, RoleKind, Tag, Tense, Token, Voice,
};
use crate::record::Span;
use std::ops::Range;

/// A trigger located in its sentence's clause analysis.
pub(super) struct Frame<'p> {
    sentence: &'p ParsedSentence,
    /// The sentence's tokens.
    tokens: &'p [Token],
    /// The first token of the trigger (sentence-relative).
    first: usize,
    /// The verb group holding a verb of the trigger, if any.
    group: Option<usize>,
    /// The clause the trigger lies in (headed by `group` when there is one).
    clause: Option<usize>,
}

impl<'p> Frame<'p> {
    /// The frame of `trigger` in sentence `index` of `parsed`; `None` when
    /// the analysis has no token there.
    pub(super) fn locate(parsed: &'p Parsed, index: usize, trigger: Span) -> Option<Self> {
        let sentence = parsed.sentences.get(index)?;
        let tokens = parsed.tokens.get(sentence.tokens.clone())?;
        let first = tokens.partition_point(|t| t.span.end <= trigger.start);
        if first >= tokens.len() || tokens[first].span.start >= trigger.end {
            return None;
        }
        let inside = |i: &usize| tokens[*i].span.start < trigger.end;
        let group = (first..tokens.len())
            .take_while(inside)
            .filter(|&i| tokens[i].tag.is_verb())
            .find_map(|i| {
                sentence
                    .verb_groups
                    .iter()
                    .position(|g| g.tokens.contains(&i))
            });
        let clause = group
            .and_then(|g| sentence.clauses.iter().position(|c| c.verb_group == g))
            .or_else(|| clause_at(sentence, first));
        Some(Frame {
            sentence,
            tokens,
            first,
            group,
            clause,
        })
    }

    /// True when the trigger opens with a word tagged as a verb (not the
    /// noun "dispute"). A participle the chunker left out of any verb
    /// group ("The United States imposed ...") still counts.
    pub(super) fn opens_with_verb(&self) -> bool {
        let tag = self.tokens[self.first].tag;
        // Right after "who"/"which" a word stands as a verb, whatever
        // its tag ("Spitzer, who alleged that ...").
        let relative =
            self.first > 0 && matches!(self.tokens[self.first - 1].tag, Tag::WP | Tag::WDT);
        tag.is_verb() || (relative && !tag.is_noun()) || self.predicate_before_reported()
    }

    /// True when the trigger's first word, tagged as an adjective or
    /// participle, stands between a noun phrase and the reported clause
    /// it introduces ("Prosecutors alleged that Huawei ..."): the word is
    /// the clause's verb whatever the tagger made of it ("the alleged
    /// fraud" has a determiner before it and no clause after it).
    fn predicate_before_reported(&self) -> bool {
        let adjective = matches!(self.tokens[self.first].tag, Tag::JJ | Tag::VBN);
        let subject_before = self.first > 0
            && (self.tokens[self.first - 1].tag.is_noun()
                || matches!(self.tokens[self.first - 1].tag, Tag::PRP));
        adjective
            && subject_before
            && self
                .reported_clause()
                .is_some_and(|c| c.tokens.start == self.first + 1)
    }

    /// The noun phrase right before a trigger that heads a reported clause
    /// without a verb group ("Prosecutors alleged that ..."): its subject,
    /// as phrase and head spans.
    pub(super) fn predicate_subject(&self) -> Option<(Span, Span)> {
        let reported = self.group.is_none() && self.predicate_before_reported();
        if !reported && !self.lone_participle_predicate() {
            return None;
        }
        let np = self
            .sentence
            .noun_phrases
            .iter()
            .find(|np| np.tokens.end == self.first)?;
        Some((self.span_of(np.tokens.clone()), self.tokens[np.head].span))
    }

    /// True when the trigger is a lone past participle the tagger left
    /// without a finite verb, right after a plural or proper noun and
    /// right before the noun phrase it takes ("Prosecutors accused Huawei
    /// of ..."): the participle is the clause's finite verb and the noun
    /// phrase before it its subject. "Yukos accused of lying" (no object)
    /// and "the firms accused" (no object either) stay participles.
    pub(super) fn lone_participle_predicate(&self) -> bool {
        let Some(g) = self.group else { return false };
        let group = &self.sentence.verb_groups[g];
        self.first > 0
            && group.tokens.start == self.first
            && group.tokens.len() == 1
            && !group.is_finite()
            && self.tokens[self.first].tag == Tag::VBN
            && matches!(
                self.tokens[self.first - 1].tag,
                Tag::NNS | Tag::NNP | Tag::NNPS
            )
            && self
                .sentence
                .noun_phrases
                .iter()
                .any(|np| np.tokens.end == self.first && np.head == self.first - 1)
            && self
                .sentence
                .noun_phrases
                .iter()
                .any(|np| np.tokens.start == self.first + 1)
    }

    /// The reported clause opening right after the trigger's verb group
    /// (or, without one, right after its first word): "denied that it
    /// ...", "alleged that Huawei ...".
    fn reported_clause(&self) -> Option<&'p Clause> {
        let end = self
            .group
            .map_or(self.first + 1, |g| self.sentence.verb_groups[g].tokens.end);
        self.sentence.clauses.iter().find(|c| {
            c.kind == ClauseKind::Reported && c.tokens.start >= end && c.tokens.start <= end + 1
        })
    }

    /// The subject of the reported clause the trigger introduces
    /// ("alleged that Huawei stole secrets from T-Mobile": Huawei, the one
    /// accused, not T-Mobile).
    pub(super) fn reported_subject(&self) -> Option<Span> {
        let clause = self.reported_clause()?;
        let role = self
            .sentence
            .roles
            .iter()
            .find(|r| r.verb_group == clause.verb_group && r.kind == RoleKind::Subject)?;
        Some(self.span_of(self.sentence.noun_phrases[role.noun_phrase].tokens.clone()))
    }

    /// True when `trigger` ends in a noun that a noun or possessive
    /// modifies ("the court ruling", "her ruling"): the event is named,
    /// not told ("the court ruled", "issued an order").
    pub(super) fn ends_in_nominal(&self, trigger: Span) -> bool {
        let end = self.tokens.partition_point(|t| t.span.start < trigger.end);
        if end < 2 || !self.tokens[end - 1].tag.is_noun() {
            return false;
        }
        let before = self.tokens[end - 2].tag;
        before.is_noun() || matches!(before, Tag::PRPS | Tag::POS)
    }

    /// The relative pronoun right before the trigger ("Spitzer, who
    /// alleged"), when there is one.
    pub(super) fn relative_before(&self) -> Option<Span> {
        let before = self.tokens.get(self.first.checked_sub(1)?)?;
        matches!(before.tag, Tag::WP | Tag::WDT).then_some(before.span)
    }

    /// Where the trigger's verb group starts, when it has one.
    pub(super) fn group_start(&self) -> Option<usize> {
        let g = &self.sentence.verb_groups[self.group?];
        Some(self.tokens[g.tokens.start].span.start)
    }

    /// Where the trigger's first token starts.
    pub(super) fn first_start(&self) -> usize {
        self.tokens[self.first].span.start
    }

    pub(super) fn passive(&self) -> bool {
        self.group
            .is_some_and(|g| self.sentence.verb_groups[g].voice == Voice::Passive)
    }

    /// True when the trigger's verb is past or perfect ("named", "has named"),
    /// or is an infinitive or gerund governed by such a verb ("has issued
    /// an order to remove").
    pub(super) fn past(&self) -> bool {
        let is_past = |g: usize| {
            let g = &self.sentence.verb_groups[g];
            g.modal.is_none() && (g.tense == Tense::Past || g.perfect)
        };
        self.group
            .is_some_and(|g| is_past(g) || self.governing_group(g).is_some_and(is_past))
    }

    /// The finite verb group an infinitive or gerund group depends on: the
    /// nearest finite group before it. `None` for a finite group or a bare
    /// participle ("sanctions imposed in 1998").
    fn governing_group(&self, group: usize) -> Option<usize> {
        let vg = &self.sentence.verb_groups[group];
        let controlled = matches!(self.tokens[vg.tokens.start].tag, Tag::TO | Tag::VBG);
        if vg.is_finite() || !controlled {
            return None;
        }
        (0..group)
            .rev()
            .find(|&g| self.sentence.verb_groups[g].is_finite())
    }

    pub(super) fn negated(&self) -> Option<bool> {
        self.group.map(|g| self.sentence.verb_groups[g].negated)
    }

    /// The modal verb of the trigger's group ("will", "may"), as written.
    pub(super) fn modal<'t>(&self, text: &'t str) -> Option<&'t str> {
        let g = &self.sentence.verb_groups[self.group?];
        g.modal.map(|m| self.tokens[m].span.slice(text))
    }

    pub(super) fn clause_kind(&self) -> Option<ClauseKind> {
        self.clause.map(|c| self.sentence.clauses[c].kind)
    }

    /// The roles of kind `kind` of the trigger's verb group.
    fn roles(&self, kind: RoleKind) -> impl Iterator<Item = &'p Role> + '_ {
        let sentence = self.sentence;
        self.group.into_iter().flat_map(move |group| {
            sentence
                .roles
                .iter()
                .filter(move |r| r.verb_group == group && r.kind == kind)
        })
    }

    /// The noun-phrase spans filling `kind` for the trigger's verb.
    pub(super) fn role_spans(&self, kind: RoleKind) -> Vec<Span> {
        self.roles(kind)
            .map(|r| self.span_of(self.sentence.noun_phrases[r.noun_phrase].tokens.clone()))
            .collect()
    }

    /// The subject of the clause the trigger lies in: its own verb's, else
    /// (for a noun trigger: "Microsoft could use patent lawsuits") the
    /// clause verb's. Gives the noun phrase's span and its head's span.
    pub(super) fn clause_subject(&self) -> Option<(Span, Span)> {
        let group = self
            .group
            .or_else(|| self.clause.map(|c| self.sentence.clauses[c].verb_group))?;
        let role = self
            .sentence
            .roles
            .iter()
            .find(|r| r.verb_group == group && r.kind == RoleKind::Subject)?;
        let phrase = self.span_of(self.sentence.noun_phrases[role.noun_phrase].tokens.clone());
        Some((phrase, self.tokens[role.head].span))
    }

    /// The subject a non-finite verb group takes from the clause it
    /// depends on ("Marsh agreed to pay $850m to settle ...": Marsh): the
    /// subject of the nearest finite verb group before it. `None` for a
    /// finite group, or when no finite group before it has a subject.
    pub(super) fn controller_subject(&self) -> Option<(Span, Span)> {
        // An infinitive or a gerund takes the subject of the clause it
        // depends on; a bare participle ("sanctions imposed in 1998")
        // does not. The search goes on from the governing group itself.
        let governing = self.governing_group(self.group?)?;
        let role = (0..=governing)
            .rev()
            .filter(|&g| self.sentence.verb_groups[g].is_finite())
            .find_map(|g| {
                self.sentence
                    .roles
                    .iter()
                    .find(|r| r.verb_group == g && r.kind == RoleKind::Subject)
            })?;
        let phrase = self.span_of(self.sentence.noun_phrases[role.noun_phrase].tokens.clone());
        Some((phrase, self.tokens[role.head].span))
    }

    /// The common noun standing right before the trigger's verb group (a
    /// "to" skipped): the subject of a passive the analysis did not link
    /// ("called for the embargo to be lifted").
    pub(super) fn common_noun_before(&self) -> Option<Span> {
        let start = self.sentence.verb_groups[self.group?].tokens.start;
        let mut i = start.checked_sub(1)?;
        if self.tokens[i].tag == Tag::TO {
            i = i.checked_sub(1)?;
        }
        matches!(self.tokens[i].tag, Tag::NN | Tag::NNS).then(|| self.tokens[i].span)
    }

    /// The by-agent of the trigger's passive verb: phrase and head spans.
    pub(super) fn agent_phrase(&self) -> Option<(Span, Span)> {
        let role = self.roles(RoleKind::Agent).next()?;
        let phrase = self.span_of(self.sentence.noun_phrases[role.noun_phrase].tokens.clone());
        Some((phrase, self.tokens[role.head].span))
    }

    /// True when the trigger's verb group opens with a gerund ("after
    /// being accused of", "for having sued").
    pub(super) fn gerund(&self) -> bool {
        self.group.is_some_and(|g| {
            let start = self.sentence.verb_groups[g].tokens.start;
            self.tokens.get(start).is_some_and(|t| t.tag == Tag::VBG)
        })
    }

    /// True when the trigger's verb group is non-finite ("to be lifted").
    pub(super) fn nonfinite(&self) -> bool {
        self.group
            .is_some_and(|g| !self.sentence.verb_groups[g].is_finite())
            && !self.lone_participle_predicate()
    }

    /// The head words of the noun phrases filling `kind`, as written.
    pub(super) fn role_heads<'t>(&self, kind: RoleKind, text: &'t str) -> Vec<&'t str> {
        self.roles(kind)
            .map(|r| self.tokens[r.head].span.slice(text))
            .collect()
    }

    /// The words right after the trigger's verb group, up to `n` of them,
    /// inside the sentence (for objects the chunker did not attach).
    pub(super) fn words_after<'t>(&self, n: usize, text: &'t str) -> Vec<&'t str> {
        let from = self
            .group
            .map_or(self.first + 1, |g| self.sentence.verb_groups[g].tokens.end);
        self.tokens
            .iter()
            .skip(from)
            .take(n)
            .map(|t| t.span.slice(text))
            .collect()
    }

    /// True when a reported clause follows the trigger's verb group at
    /// once ("denied that it ...", "denied it had ..."): the trigger
    /// takes a proposition as its object.
    pub(super) fn takes_reported_clause(&self) -> bool {
        self.group.is_some() && self.reported_clause().is_some()
    }

    /// Where the adverbial or relative clause holding the trigger's first
    /// word starts ("... will attend the show since sanctions were
    /// lifted": at "since"): cues before it belong to another clause.
    pub(super) fn subordinate_start(&self) -> Option<usize> {
        let c = &self.sentence.clauses[clause_at(self.sentence, self.first)?];
        matches!(c.kind, ClauseKind::Adverbial | ClauseKind::Relative)
            .then(|| self.tokens[c.tokens.start].span.start)
    }

    /// Where the verb group of the trigger's last verb starts, when the
    /// trigger opens with a noun ("sanctions imposed in 1998 ... were
    /// lifted": at "were"): the words before it are the subject.
    pub(super) fn last_group_start(&self, trigger: Span) -> Option<usize> {
        if self.opens_with_verb() {
            return None;
        }
        let end = self.tokens.partition_point(|t| t.span.start < trigger.end);
        let last = (self.first..end)
            .rev()
            .find(|&i| self.tokens[i].tag.is_verb())?;
        let g = self
            .sentence
            .verb_groups
            .iter()
            .find(|g| g.tokens.contains(&last))?;
        Some(self.tokens[g.tokens.start].span.start)
    }

    /// True when a time expression at `span` may date the trigger: it lies
    /// in the trigger's own clause, or, for a trigger in a main or
    /// reported clause, in a main, reported or non-finite clause of the
    /// sentence (never in a relative, adverbial, conditional, purpose or
    /// coordinate clause other than the trigger's own).
    pub(super) fn may_date(&self, span: Span) -> DateScope {
        let start = self.tokens.partition_point(|t| t.span.end <= span.start);
        let Some(own) = self.clause else {
            return DateScope::Sentence;
        };
        let own_kind = self.sentence.clauses[own].kind;
        match clause_at(self.sentence, start) {
            Some(c) if c == own => DateScope::Clause,
            // A sentence-opening adverbial ("In March, Huawei filed ...")
            // lies outside every clause; it belongs to the main clause.
            None if own_kind == ClauseKind::Main => DateScope::Clause,
            None => DateScope::Sentence,
            Some(c) => {
                let open = |k: ClauseKind| {
                    matches!(
                        k,
                        ClauseKind::Main | ClauseKind::Reported | ClauseKind::Nonfinite
                    )
                };
                if open(own_kind) && open(self.sentence.clauses[c].kind) {
                    DateScope::Sentence
                } else {
                    DateScope::Elsewhere
                }
            }
        }
    }

    fn span_of(&self, range: Range<usize>) -> Span {
        let last = range.end.saturating_sub(1).max(range.start);
        Span::new(
            self.tokens[range.start.min(self.tokens.len() - 1)]
                .span
                .start,
            self.tokens[last.min(self.tokens.len() - 1)].span.end,
        )
    }
}

/// Where a time expression stands relative to a trigger.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum DateScope {
    Clause,
    Sentence,
    Elsewhere,
}

/// The innermost clause holding sentence token `token`.
fn clause_at(sentence: &ParsedSentence, token: usize) -> Option<usize> {
    sentence
        .clauses
        .iter()
        .enumerate()
        .filter(|(_, c)| c.tokens.contains(&token))
        .min_by_key(|(_, c)| c.tokens.len())
        .map(|(i, _)| i)
}
