//! Clauses and roles over chunks.
//!
//! Takes one sentence's noun phrases, prepositional phrases and verb
//! groups; gives one [`Clause`] per verb group (kind from the word that
//! opens it) and the roles of each verb group:
//! - subject: the nearest free noun phrase to the left of a finite group,
//!   skipping adverbs, commas, prepositional phrases, appositions and
//!   relative or comma-closed subordinate clauses, and the object of a
//!   verb across a comma or of a clause-initial gerund or infinitive
//!   ("held hearings, called witnesses", "Acquiring the firm gives"); the
//!   first conjunct of "A and B"; after the verb in "..., said the minister";
//! - object: a free noun phrase right after an active, non-copular group
//!   (the second of two: "gave him the book"; never a subject pronoun), unless that phrase is the
//!   subject of a following finite group ("said the firm lost");
//!   a relative pronoun that is not the subject ("the book that I read");
//!   a question's fronted "what" or "who(m)" ("What can we do");
//! - agent: the "by" phrase after a passive group or a participle
//!   without an auxiliary ("the firm founded by her");
//! - complements: the first to/from/on/against/over/with phrase after it.
//!
//! In a question ("Do you know", "Has he seen") the auxiliary gets no
//! roles and the noun phrase after it is the subject of the verb that
//! follows; a participle or gerund phrase ("the firm, based in Leeds,
//! said") is skipped on the way to a subject.
//!
//! A copula's roles belong to its predicate ("he is a doctor": doctor),
//! and "there is X" makes X the subject of "is". Non-finite groups and
//! coordinated verbs without their own subject get no subject, as in
//! Universal Dependencies.

use super::chunk::{NounPhrase, PrepPhrase, Sentence, VerbGroup, Voice};
use super::tagger::Tag;
use super::words::{BE, DO, HAVE, SUBORDINATOR, TEMPORAL};
use serde::Serialize;
use std::ops::Range;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ClauseKind {
    Main,
    /// Opened by "that" as a complementiser, or a finite clause right
    /// after a verb ("said the firm lost money").
    Reported,
    Relative,
    /// "if", "unless", "whether".
    Conditional,
    /// "in order to", "so as to", "so that".
    Purpose,
    /// Other subordinators: "because", "when", "although", ...
    Adverbial,
    /// Opened by a coordinating conjunction.
    Coordinate,
    /// A non-finite group with no opener ("wants to go").
    Nonfinite,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Clause {
    pub kind: ClauseKind,
    pub verb_group: usize,
    /// From the opener (or the subject, or the verb group) to the token
    /// before the next clause's start.
    pub tokens: Range<usize>,
    pub opener: Option<usize>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RoleKind {
    Subject,
    Object,
    Agent,
    To,
    From,
    On,
    Against,
    Over,
    With,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Role {
    pub kind: RoleKind,
    pub verb_group: usize,
    /// The verb the role belongs to: the group's main verb, or the head
    /// of a copula's predicate.
    pub verb: usize,
    pub noun_phrase: usize,
    pub head: usize,
}

const DASHES: &[&str] = &["\u{2014}", "\u{2013}", "--", "-"];

const COMPLEMENTS: &[(&str, RoleKind)] = &[
    ("to", RoleKind::To),
    ("from", RoleKind::From),
    ("on", RoleKind::On),
    ("against", RoleKind::Against),
    ("over", RoleKind::Over),
    ("with", RoleKind::With),
];

enum Predicate {
    /// A noun phrase index.
    Nominal(usize),
    /// An adjective's token.
    Adjective(usize),
}

struct Ctx<'a, 's> {
    s: &'a Sentence<'s>,
    nps: &'a [NounPhrase],
    pps: &'a [PrepPhrase],
    vgs: &'a [VerbGroup],
    /// Noun phrase index per token, if any.
    np_at: &'a [Option<usize>],
    /// Verb group index per token, if any.
    vg_at: &'a [Option<usize>],
}

/// Reusable buffers of [`clauses_and_roles`].
#[derive(Default)]
pub struct RoleScratch {
    np_at: Vec<Option<usize>>,
    vg_at: Vec<Option<usize>>,
    starts: Vec<usize>,
}

/// The chunks of one sentence.
pub struct Chunks<'a> {
    pub nps: &'a [NounPhrase],
    pub pps: &'a [PrepPhrase],
    pub vgs: &'a [VerbGroup],
}

/// Appends the sentence's clauses and roles to `clauses` and `roles`
/// (both cleared first).
pub fn clauses_and_roles(
    s: &Sentence,
    chunks: Chunks,
    scratch: &mut RoleScratch,
    (clauses, roles): (&mut Vec<Clause>, &mut Vec<Role>),
) {
    let Chunks { nps, pps, vgs } = chunks;
    let RoleScratch {
        np_at,
        vg_at,
        starts,
    } = scratch;
    np_at.clear();
    np_at.resize(s.len(), None);
    for (n, np) in nps.iter().enumerate() {
        np_at[np.tokens.clone()]
            .iter_mut()
            .for_each(|x| *x = Some(n));
    }
    vg_at.clear();
    vg_at.resize(s.len(), None);
    for (g, vg) in vgs.iter().enumerate() {
        vg_at[vg.tokens.clone()]
            .iter_mut()
            .for_each(|x| *x = Some(g));
    }
    let cx = Ctx {
        s,
        nps,
        pps,
        vgs,
        np_at,
        vg_at,
    };
    clauses.clear();
    roles.clear();
    for g in 0..vgs.len() {
        let opener = cx.opener(g);
        let kind = cx.kind(g, opener);
        clauses.push(Clause {
            kind,
            verb_group: g,
            tokens: 0..0,
            opener,
        });
        cx.roles_of(g, clauses, roles);
    }
    cx.set_clause_spans(clauses, roles, starts);
}

/// A passive group, or a participle without an auxiliary ("the firm
/// founded by her", "acquired by X, the firm ..."): a reduced passive,
/// whose "by" phrase is its agent. Its voice stays active (no auxiliary
/// says passive, and a past tense mis-tagged as a participle keeps its
/// object).
fn passive_like(s: &Sentence, vg: &VerbGroup) -> bool {
    vg.voice == Voice::Passive || (s.tag(vg.main) == Tag::VBN && !vg.perfect && !vg.copula)
}

impl Ctx<'_, '_> {
    fn is_free(&self, n: usize) -> bool {
        let np = &self.nps[n];
        !np.in_pp && np.apposition_to.is_none() && !self.is_temporal(np)
    }

    fn is_temporal(&self, np: &NounPhrase) -> bool {
        let s = self.s;
        s.is(np.head, TEMPORAL) && !s.word_in(np.tokens.start, &["the", "a", "an"])
            || (np.tokens.len() == 1 && s.tag(np.head) == Tag::NNP && s.is(np.head, TEMPORAL))
    }

    /// The word opening group `g`'s clause: the nearest opener between the
    /// previous group (or the sentence start) and `g`.
    fn opener(&self, g: usize) -> Option<usize> {
        let s = self.s;
        let from = g.checked_sub(1).map_or(0, |p| self.vgs[p].tokens.end);
        (from..self.vgs[g].tokens.start).rev().find(|&i| {
            let np_pronoun = self.np_at[i].is_some_and(|n| self.nps[n].tokens.len() == 1);
            matches!(s.tag(i), Tag::WDT | Tag::WP | Tag::WPS | Tag::WRB | Tag::CC)
                && (self.np_at[i].is_none() || np_pronoun)
                || (s.tag(i) == Tag::IN && s.is(i, SUBORDINATOR) && self.np_at[i].is_none())
                || (s.word_in(i, &["order", "as"])
                    && s.word_in(i.wrapping_sub(1), &["in", "so"])
                    && s.tag(i + 1) == Tag::TO)
        })
    }

    fn kind(&self, g: usize, opener: Option<usize>) -> ClauseKind {
        let s = self.s;
        let vg = &self.vgs[g];
        let Some(o) = opener else {
            if !vg.is_finite() {
                return ClauseKind::Nonfinite;
            }
            return if self.follows_verb_directly(g) {
                ClauseKind::Reported
            } else {
                ClauseKind::Main
            };
        };
        match s.tag(o) {
            _ if s.word_in(o, &["order", "as"]) => ClauseKind::Purpose,
            _ if s.word_in(o, &["so"]) && s.word_in(o + 1, &["that"]) => ClauseKind::Purpose,
            Tag::CC => ClauseKind::Coordinate,
            Tag::WDT | Tag::WP | Tag::WPS => {
                if o > 0
                    && (s.tag(o - 1).is_noun()
                        || s.tag(o - 1) == Tag::Comma
                        || s.tag(o - 1) == Tag::PRP)
                {
                    ClauseKind::Relative
                } else {
                    ClauseKind::Reported
                }
            }
            _ if s.word_in(o, &["that"]) => {
                if o > 0 && s.tag(o - 1).is_noun() && !self.after_verb(o) {
                    ClauseKind::Relative
                } else {
                    ClauseKind::Reported
                }
            }
            _ if s.word_in(o, &["if", "unless", "whether"]) => ClauseKind::Conditional,
            _ => ClauseKind::Adverbial,
        }
    }

    /// True when token `o` comes right after a verb group, maybe with one
    /// noun phrase between ("told him that").
    fn after_verb(&self, o: usize) -> bool {
        let Some(p) = o.checked_sub(1) else {
            return false;
        };
        if self.vg_at[p].is_some() {
            return true;
        }
        self.np_at[p].is_some_and(|n| {
            let start = self.nps[n].tokens.start;
            start > 0 && self.vg_at[start - 1].is_some()
        })
    }

    /// True when group `g` is finite and its subject directly follows the
    /// previous group ("said the firm lost").
    fn follows_verb_directly(&self, g: usize) -> bool {
        let vg = &self.vgs[g];
        let Some(before) = vg.tokens.start.checked_sub(1) else {
            return false;
        };
        let Some(n) = self.np_at[before] else {
            return false;
        };
        let start = self.nps[n].tokens.start;
        self.is_free(n) && start > 0 && self.vg_at[start - 1].is_some_and(|p| !self.vgs[p].copula)
    }

    /// "Do you know", "Has the firm paid", "Will it rain": group `g` is
    /// a non-finite verb right after a clause-initial auxiliary and a free
    /// noun phrase, which is its subject.
    fn question_subject(&self, g: usize) -> Option<usize> {
        let s = self.s;
        let p = g.checked_sub(1)?;
        let (aux, vg) = (&self.vgs[p], &self.vgs[g]);
        let aux_only = s.tag(aux.main) == Tag::MD
            || s.is(aux.main, BE)
            || s.is(aux.main, HAVE)
            || s.is(aux.main, DO);
        let clause_initial = aux.tokens.start.checked_sub(1).is_none_or(|b| {
            matches!(
                s.tag(b),
                Tag::WP | Tag::WDT | Tag::WRB | Tag::CC | Tag::Colon | Tag::OpenQuote | Tag::Comma
            )
        });
        let n = self.np_at[aux.tokens.end]?;
        let fits = aux.is_finite()
            && aux_only
            && clause_initial
            && matches!(s.tag(vg.tokens.start), Tag::VB | Tag::VBN | Tag::VBG)
            && self.nps[n].tokens.start == aux.tokens.end
            && self.nps[n].tokens.end == vg.tokens.start
            && self.is_free(n);
        fits.then_some(n)
    }

    fn roles_of(&self, g: usize, clauses: &[Clause], roles: &mut Vec<Role>) {
        let s = self.s;
        let vg = &self.vgs[g];
        if g + 1 < self.vgs.len() && self.question_subject(g + 1).is_some() {
            return;
        }
        let next_start = self.vgs.get(g + 1).map_or(s.len(), |n| n.tokens.start);
        let predicate = if vg.copula {
            self.predicate(vg.tokens.end, next_start)
        } else {
            None
        };
        let verb = match predicate {
            Some(Predicate::Nominal(n)) => self.nps[n].head,
            Some(Predicate::Adjective(i)) => i,
            None => vg.main,
        };
        let predicate = match predicate {
            Some(Predicate::Nominal(n)) => Some(n),
            _ => None,
        };
        let push = |roles: &mut Vec<Role>, kind, n: usize, verb| {
            roles.push(Role {
                kind,
                verb_group: g,
                verb,
                noun_phrase: n,
                head: self.nps[n].head,
            })
        };
        let subject = if vg.is_finite() {
            self.subject(g, clauses)
        } else {
            self.question_subject(g)
        };
        match subject {
            Some(n) if s.tag(self.nps[n].head) == Tag::EX => {
                if let Some(after) = self.free_np_at(vg.tokens.end, next_start) {
                    push(roles, RoleKind::Subject, after, vg.main);
                }
            }
            Some(n) => push(roles, RoleKind::Subject, n, verb),
            None => {}
        }
        if vg.voice == Voice::Active && !vg.copula {
            if let Some(n) = self.object(g, next_start) {
                push(roles, RoleKind::Object, n, vg.main);
            } else if let Some(n) = self.relative_object(g, clauses, subject) {
                push(roles, RoleKind::Object, n, vg.main);
            } else if let Some(n) = self.question_object(g, subject) {
                push(roles, RoleKind::Object, n, vg.main);
            }
        }
        for pp in self
            .pps
            .iter()
            .filter(|pp| pp.preposition >= vg.tokens.end && pp.preposition < next_start)
        {
            let kind = if passive_like(s, vg) && s.word_in(pp.preposition, &["by"]) {
                Some(RoleKind::Agent)
            } else {
                COMPLEMENTS
                    .iter()
                    .find(|(w, _)| s.word_in(pp.preposition, &[w]))
                    .map(|&(_, k)| k)
            };
            let Some(kind) = kind else { continue };
            if Some(pp.object) == predicate
                || roles.iter().any(|r| r.verb_group == g && r.kind == kind)
            {
                continue;
            }
            push(roles, kind, pp.object, vg.main);
        }
    }

    /// A copula's predicate: a noun phrase right after it (or after a
    /// preposition: "is in London"), or an adjective.
    fn predicate(&self, from: usize, until: usize) -> Option<Predicate> {
        let s = self.s;
        let mut i = from;
        while i < until && (s.tag(i).is_adverb() || s.word_in(i, &["not", "n't"])) {
            i += 1;
        }
        if i >= until {
            return None;
        }
        if let Some(n) = self.np_at[i].filter(|&n| self.nps[n].tokens.start == i) {
            return Some(Predicate::Nominal(n));
        }
        if s.tag(i).is_adjective() {
            return Some(Predicate::Adjective(i));
        }
        if s.tag(i) == Tag::IN && !s.is(i, SUBORDINATOR) {
            if let Some(n) = self.np_at.get(i + 1).copied().flatten() {
                return Some(Predicate::Nominal(n));
            }
        }
        None
    }

    fn free_np_at(&self, from: usize, until: usize) -> Option<usize> {
        let s = self.s;
        let mut i = from;
        while i < until && (s.tag(i).is_adverb() || s.tag(i) == Tag::RP) {
            i += 1;
        }
        self.np_at.get(i).copied().flatten().filter(|&n| {
            self.nps[n].tokens.start == i && !self.nps[n].in_pp && !self.is_temporal(&self.nps[n])
        })
    }

    fn object(&self, g: usize, next_start: usize) -> Option<usize> {
        let vg = &self.vgs[g];
        let first = self.free_np_at(vg.tokens.end, next_start)?;
        let end = self.nps[first].tokens.end;
        // The phrase is the subject of a following finite group.
        if self
            .vgs
            .get(g + 1)
            .is_some_and(|n| n.tokens.start == end && n.is_finite())
        {
            return None;
        }
        if matches!(
            self.s.tag(self.nps[first].head),
            Tag::WDT | Tag::WP | Tag::EX
        ) {
            return None;
        }
        // "how do I explain": a subject pronoun is no object.
        let np = &self.nps[first];
        if np.tokens.len() == 1 && self.s.word_in(np.head, &["i", "he", "she", "we", "they"]) {
            return None;
        }
        match self.free_np_at(end, next_start) {
            Some(second)
                if self
                    .vgs
                    .get(g + 1)
                    .is_none_or(|n| n.tokens.start != self.nps[second].tokens.end) =>
            {
                Some(second)
            }
            _ => Some(first),
        }
    }

    /// "the book that I read": the relative pronoun is the object when the
    /// clause has a subject of its own.
    fn relative_object(
        &self,
        g: usize,
        clauses: &[Clause],
        subject: Option<usize>,
    ) -> Option<usize> {
        let clause = &clauses[g];
        let o = clause.opener?;
        let n = self.np_at[o]?;
        (clause.kind == ClauseKind::Relative && subject.is_some_and(|sn| sn != n)).then_some(n)
    }

    /// "What can we do", "what did you eat": in a question whose subject
    /// follows the auxiliary, a "what" or "who(m)" before the auxiliary is
    /// the object of the verb that lacks one.
    fn question_object(&self, g: usize, subject: Option<usize>) -> Option<usize> {
        let subject = subject?;
        if self.vgs[g].is_finite() || self.question_subject(g) != Some(subject) {
            return None;
        }
        let b = self.vgs[g - 1].tokens.start.checked_sub(1)?;
        let n = self.np_at[b]?;
        (self.s.tag(b) == Tag::WP && self.s.word_in(b, &["what", "who", "whom", "whatever"]))
            .then_some(n)
    }

    /// The subject of finite group `g` (see the module comment).
    fn subject(&self, g: usize, clauses: &[Clause]) -> Option<usize> {
        let s = self.s;
        let mut i = self.vgs[g].tokens.start;
        let mut crossed_comma = false;
        while i > 0 {
            i -= 1;
            if let Some(n) = self.np_at[i] {
                let np = &self.nps[n];
                // The object of the verb group right before it is no
                // subject when a comma comes between ("the firm, which
                // makes cars, said"; "held hearings, called witnesses")
                // or that group opens the clause without a finite verb
                // ("Acquiring the firm gives", "To continue this trend
                // is"): the walk goes on into that group.
                let object_of = self.object_of_group_before(n).filter(|&p| {
                    crossed_comma
                        || (clauses[p].kind == ClauseKind::Nonfinite
                            && self.clause_initial(self.vgs[p].tokens.start))
                });
                if self.is_free(n) && object_of.is_none() {
                    return Some(self.first_conjunct(n));
                }
                i = np.tokens.start;
                continue;
            }
            if let Some(p) = self.vg_at[i] {
                let clause = &clauses[p];
                if clause.kind == ClauseKind::Nonfinite && clause.opener.is_none() {
                    i = self.vgs[p].tokens.start;
                    continue;
                }
                let skippable = clause.kind == ClauseKind::Relative
                    || (crossed_comma
                        && matches!(clause.kind, ClauseKind::Adverbial | ClauseKind::Conditional));
                match clause.opener {
                    Some(o) if skippable => {
                        i = o;
                        continue;
                    }
                    _ => return self.inverted_subject(g),
                }
            }
            match s.tag(i) {
                Tag::Comma => crossed_comma = true,
                // A dash (Penn ":") sets off an aside as a comma does.
                Tag::Colon if s.word_in(i, DASHES) => crossed_comma = true,
                Tag::CC | Tag::Colon | Tag::WRB => return self.inverted_subject(g),
                Tag::IN if s.is(i, SUBORDINATOR) => return None,
                _ => {}
            }
        }
        self.inverted_subject(g)
    }

    /// The verb group right before noun phrase `n`, when the phrase is its
    /// object: an active group that is no copula.
    fn object_of_group_before(&self, n: usize) -> Option<usize> {
        let b = self.nps[n].tokens.start.checked_sub(1)?;
        let p = self.vg_at[b]?;
        let vg = &self.vgs[p];
        (vg.voice == Voice::Active && !vg.copula).then_some(p)
    }

    /// True when token `i` opens the sentence or follows a comma, colon,
    /// conjunction or opening quote or bracket.
    fn clause_initial(&self, i: usize) -> bool {
        i.checked_sub(1).is_none_or(|b| {
            matches!(
                self.s.tag(b),
                Tag::Comma | Tag::Colon | Tag::CC | Tag::OpenQuote | Tag::LRB
            )
        })
    }

    /// "A and B left", "A, B and C left": the first conjunct. A comma
    /// joins only inside a list closed by a conjunction ("If X rises,
    /// borrowers complain" is no list), and nothing joins a verb's object.
    fn first_conjunct(&self, mut n: usize) -> usize {
        let s = self.s;
        let mut in_list = false;
        while n > 0 {
            let prev = &self.nps[n - 1];
            let gap = self.nps[n].tokens.start.saturating_sub(prev.tokens.end);
            let by_conjunction = (gap == 1 && s.tag(prev.tokens.end) == Tag::CC)
                || (gap == 2
                    && s.tag(prev.tokens.end) == Tag::Comma
                    && s.tag(prev.tokens.end + 1) == Tag::CC);
            let by_comma = gap == 1 && s.tag(prev.tokens.end) == Tag::Comma && in_list;
            // "spent the night, and I left": a phrase right after a verb
            // is its object, so the conjunction joins clauses.
            let object_of_verb = prev
                .tokens
                .start
                .checked_sub(1)
                .is_some_and(|b| self.vg_at[b].is_some());
            if (by_conjunction || by_comma) && self.is_free(n - 1) && !object_of_verb {
                in_list = true;
                n -= 1;
            } else {
                break;
            }
        }
        n
    }

    /// "..., said the minister" / "“...” said Mr Smith": a speech-like
    /// inversion after a comma or quote, the subject right after the verb.
    fn inverted_subject(&self, g: usize) -> Option<usize> {
        let s = self.s;
        let vg = &self.vgs[g];
        let before = vg.tokens.start.checked_sub(1)?;
        if !matches!(s.tag(before), Tag::Comma | Tag::CloseQuote) || vg.voice == Voice::Passive {
            return None;
        }
        let n = self.free_np_at(vg.tokens.end, s.len())?;
        let end = self.nps[n].tokens.end;
        matches!(s.tag(end), Tag::Period | Tag::Comma | Tag::Boundary).then_some(n)
    }

    /// Each clause runs from its opener (else its subject, else its verb
    /// group) to the token before the next clause's start.
    fn set_clause_spans(&self, clauses: &mut [Clause], roles: &[Role], starts: &mut Vec<usize>) {
        starts.clear();
        starts.extend(clauses.iter().map(|c| {
            let vg = &self.vgs[c.verb_group];
            let subject = roles
                .iter()
                .find(|r| r.verb_group == c.verb_group && r.kind == RoleKind::Subject)
                .map(|r| self.nps[r.noun_phrase].tokens.start)
                .filter(|&st| st < vg.tokens.start);
            c.opener.or(subject).unwrap_or(vg.tokens.start)
        }));
        for k in 0..clauses.len() {
            let end = starts
                .get(k + 1)
                .copied()
                .unwrap_or(self.s.len())
                .max(starts[k] + 1);
            clauses[k].tokens = starts[k]..end.min(self.s.len().max(starts[k] + 1));
        }
    }
}
