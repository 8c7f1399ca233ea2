//! Speaker linking: a speaker phrase → the entity it names, and how.
//!
//! Takes a speaker span, the article's entities and its clause analysis;
//! gives the entity and the [`Resolution`] path:
//! - direct: a mention overlaps the head of the speaker's noun phrase (its
//!   last noun, so "Wales' team physiotherapist Mark Davies" is Davies and
//!   "the Salford MP" is an MP, not Salford);
//! - apposition: a noun phrase in apposition to the speaker names it;
//! - coreference: a pronoun ("she") or definite description ("the
//!   company") whose type (`quote_speakers.tsv`) and gender
//!   (`person_genders.tsv`) agree with an earlier entity, the most salient
//!   one (a subject of the pronoun's own sentence first; else mentions
//!   outside quotes weighted by recency over unquoted text, subjects
//!   counting double and possessors half, resolved "he"/"she" subjects
//!   counting for their antecedent, the previous quote's speaker gaining
//!   a bonus);
//!   indefinite descriptions ("a spokeswoman") introduce someone new and
//!   stay unlinked, and so do coordinated people ("A and B"), a pronoun
//!   with two equally salient candidates or none salient enough:
//!   unresolved rather than wrong.
//!
//! It does not find entities itself.

use crate::clauses::{Parsed, RoleKind};
use crate::error::RuleError;
use crate::record::{Entity, EntityType, Resolution, Span};
use crate::rules::{catalog, RuleFiles, RuleSource};
use std::collections::HashMap;

/// How far back (bytes) an anaphoric speaker may look for its antecedent.
const ANTECEDENT_WINDOW: usize = 3000;

/// Distance (bytes, about a sentence and a half) over which a mention's
/// weight in salience halves: recency dominates, repetition helps.
const SALIENCE_HALF_LIFE: f64 = 250.0;

/// Salience added to the entity of the previous quote's speaker: as much
/// as a subject mention one half-life away.
const PREVIOUS_SPEAKER_BONUS: f64 = 1.0;

/// A runner-up this close to the best candidate leaves a pronoun unresolved.
const SALIENCE_TIE: f64 = 0.9;

/// Least salience the antecedent of a pronoun needs: a subject mention
/// two half-lives back, or any other mention one. A lone candidate named
/// only long ago, or only in passing ("Sir Alex Ferguson's side" four
/// sentences back), leaves the pronoun unresolved rather than linked
/// wrong. A definite description ("the company") names its type and
/// needs none: it often refers to the article's topic, named far back.
const MIN_SALIENCE: f64 = 0.5;

/// Weight of a possessor ("Ferguson's side", "EastEnders' head writer"):
/// a name inside another noun phrase is less salient than its head.
const POSSESSOR_WEIGHT: f64 = 0.5;

/// Determiners that open a definite nominal speaker ("the company").
/// Not "his" or "her": a person's company, lawyer or spokesman is neither
/// that person nor the most salient entity of its type ("his management
/// company" after a named firm), so such a speaker stays unresolved.
const DETERMINERS: &[&str] = &["the", "this", "that", "its", "their"];

/// Determiners that introduce someone new ("a spokeswoman"): never linked.
const INDEFINITES: &[&str] = &["a", "an", "one", "another", "some"];

/// Anaphoric speaker words and the entity types they may refer to, and
/// the words that mark a person's gender.
#[derive(Debug)]
pub struct Anaphora {
    words: HashMap<String, Vec<EntityType>>,
    genders: HashMap<String, Gender>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Gender {
    Female,
    Male,
}

/// What linking needs of one document, computed once.
pub struct DocLinks<'a> {
    pub text: &'a str,
    pub entities: &'a [Entity],
    pub mentions: MentionRefs,
    parsed: Option<&'a Parsed>,
    /// Gender of each entity, when a title or given name marks it.
    genders: Vec<Option<Gender>>,
    /// Head spans of every subject, sorted.
    subjects: Vec<Span>,
    /// The contents of direct quotes: the speaker's own words name no
    /// antecedent for their speaker and do not count as distance.
    quoted: QuotedText,
    /// Subject pronouns ("he", "she") outside quotes resolved in text
    /// order, each counting as a mention of its antecedent: the entity
    /// the discourse keeps talking about stays salient.
    chain: Vec<MentionRef>,
}

/// Sorted, disjoint spans of quoted text with the bytes they hold up to
/// each one, so that the quoted bytes before any position are a binary
/// search away.
struct QuotedText {
    spans: Vec<Span>,
    /// `before[i]`: quoted bytes in `spans[..i]`.
    before: Vec<usize>,
}

impl QuotedText {
    fn new(quoted: &[Span]) -> Self {
        let mut spans: Vec<Span> = Vec::with_capacity(quoted.len());
        let mut sorted = quoted.to_vec();
        sorted.sort_by_key(|s| (s.start, s.end));
        for span in sorted {
            match spans.last_mut() {
                Some(last) if span.start < last.end => last.end = last.end.max(span.end),
                _ => spans.push(span),
            }
        }
        let mut before = Vec::with_capacity(spans.len() + 1);
        let mut total = 0;
        before.push(0);
        for s in &spans {
            total += s.len();
            before.push(total);
        }
        QuotedText { spans, before }
    }

    /// Quoted bytes before byte `pos`.
    fn bytes_before(&self, pos: usize) -> usize {
        let i = self.spans.partition_point(|s| s.end <= pos);
        let partial = self.spans.get(i).map_or(0, |s| pos.saturating_sub(s.start));
        self.before[i] + partial
    }

    /// True when `span` lies inside quoted text.
    fn holds(&self, span: Span) -> bool {
        let i = self.spans.partition_point(|s| s.end <= span.start);
        self.spans.get(i).is_some_and(|s| s.contains(span))
    }

    /// Bytes of narrative (unquoted text) from `from` to `to`.
    fn narrative(&self, from: usize, to: usize) -> usize {
        (to - from) - (self.bytes_before(to) - self.bytes_before(from))
    }
}

/// One entity mention, flattened for lookup.
#[derive(Clone, Copy, Debug)]
pub struct MentionRef {
    pub span: Span,
    pub entity: usize,
}

impl Anaphora {
    pub fn load(files: &RuleFiles) -> Result<Self, RuleError> {
        let mut words = HashMap::new();
        for source in files.load(&catalog::QUOTE_SPEAKERS)? {
            read_rows(&source, &mut words)?;
        }
        let mut genders = HashMap::new();
        for source in files.load(&catalog::PERSON_GENDERS)? {
            read_genders(&source, &mut genders)?;
        }
        Ok(Anaphora { words, genders })
    }

    /// The per-document data linking needs; `quoted` are the contents of
    /// the document's direct quotes.
    pub fn doc<'a>(
        &self,
        text: &'a str,
        entities: &'a [Entity],
        parsed: Option<&'a Parsed>,
        quoted: &[Span],
    ) -> DocLinks<'a> {
        let genders = entities.iter().map(|e| self.gender_of(text, e)).collect();
        let mut subjects: Vec<Span> = parsed
            .into_iter()
            .flat_map(|p| {
                p.sentences.iter().flat_map(move |s| {
                    s.roles
                        .iter()
                        .filter(|r| r.kind == RoleKind::Subject)
                        .filter_map(move |r| p.tokens.get(s.tokens.start + r.head))
                        .map(|t| t.span)
                })
            })
            .collect();
        subjects.sort_by_key(|s| (s.start, s.end));
        let mut links = DocLinks {
            text,
            entities,
            mentions: flatten(entities),
            parsed,
            genders,
            subjects,
            quoted: QuotedText::new(quoted),
            chain: Vec::new(),
        };
        links.chain = self.pronoun_chain(&links);
        links
    }

    /// The subject pronouns "he" and "she" outside quotes, each resolved
    /// in text order (earlier resolutions counting as mentions for later
    /// ones); unresolved ones are left out.
    fn pronoun_chain(&self, doc: &DocLinks) -> Vec<MentionRef> {
        let mut chain: Vec<MentionRef> = Vec::new();
        for &span in &doc.subjects {
            let gender = match span.slice(doc.text) {
                "he" | "He" => Gender::Male,
                "she" | "She" => Gender::Female,
                _ => continue,
            };
            if doc.quoted.holds(span) {
                continue;
            }
            let resolved = salient(
                doc,
                &chain,
                span.start,
                &[EntityType::Person],
                Some(gender),
                None,
                MIN_SALIENCE,
            );
            if let Some(entity) = resolved {
                chain.push(MentionRef { span, entity });
            }
        }
        chain
    }

    /// The entity `speaker` refers to, if any, and how it was found.
    /// `previous` is the entity of the quote before, the speaker the
    /// discourse keeps: it gains salience.
    pub fn link(
        &self,
        doc: &DocLinks,
        speaker: Span,
        previous: Option<usize>,
    ) -> Option<(usize, Resolution)> {
        let head = speaker_head(doc.parsed, speaker);
        let named = head.unwrap_or(speaker);
        if let Some(m) = best_overlap(named, &doc.mentions) {
            if coordinated_people(doc, speaker, m) {
                return None;
            }
            return Some((m.entity, Resolution::Direct));
        }
        if let Some(e) = head.and_then(|h| apposition(doc, h)) {
            return Some((e, Resolution::Apposition));
        }
        let (types, gender) = self.anaphor(speaker.slice(doc.text))?;
        let least = if speaker.slice(doc.text).trim().contains(' ') {
            0.0
        } else {
            MIN_SALIENCE
        };
        salient(
            doc,
            &doc.chain,
            speaker.start,
            types,
            gender,
            previous,
            least,
        )
        .map(|e| (e, Resolution::Coreference))
    }

    /// The types (and, for he/she, gender) an anaphoric speaker may refer
    /// to: a pronoun, or a definite phrase whose last word is in the table.
    fn anaphor(&self, speaker: &str) -> Option<(&[EntityType], Option<Gender>)> {
        let lower = speaker.trim().to_lowercase();
        let mut words = lower.split_whitespace();
        let first = words.next()?;
        let last = words.next_back();
        let word = match last {
            None => first,
            Some(_) if INDEFINITES.contains(&first) => return None,
            Some(head) if DETERMINERS.contains(&first) => {
                head.trim_end_matches(|c: char| !c.is_alphanumeric())
            }
            Some(_) => return None,
        };
        let gender = match word {
            "he" | "him" | "his" => Some(Gender::Male),
            "she" | "her" => Some(Gender::Female),
            _ => None,
        };
        self.words.get(word).map(|t| (t.as_slice(), gender))
    }

    /// A person's gender: a title before one of its mentions ("Mrs May")
    /// or the given name that opens one.
    fn gender_of(&self, text: &str, entity: &Entity) -> Option<Gender> {
        if entity.kind != EntityType::Person {
            return None;
        }
        entity.mentions.iter().find_map(|m| {
            let before = text[..m.span.start].trim_end();
            let title = before
                .rsplit(|c: char| !c.is_alphanumeric() && c != '.')
                .next()
                .map(|w| w.trim_end_matches('.'));
            let first = m.span.slice(text).split_whitespace().next();
            [title, first]
                .into_iter()
                .flatten()
                .find_map(|w| self.genders.get(w).copied())
        })
    }
}

/// The head of the speaker's noun phrase in the clause analysis: its last
/// noun or pronoun inside the speaker span, past possessors and
/// premodifiers. `None` without analysis or noun phrase.
fn speaker_head(parsed: Option<&Parsed>, speaker: Span) -> Option<Span> {
    let parsed = parsed?;
    let first = parsed
        .tokens
        .partition_point(|t| t.span.end <= speaker.start);
    let sentence = sentence_of(parsed, first)?;
    let base = sentence.tokens.start;
    // The last phrase: in "Veteran MP and former minister Jack Cunningham"
    // or "Ernst and Young's Sanjay Mehta" the name comes last.
    let np = sentence
        .noun_phrases
        .iter()
        .filter(|np| !np.in_pp)
        .rfind(|np| {
            let start = parsed.tokens[base + np.tokens.start].span.start;
            let end = parsed.tokens[base + np.tokens.end - 1].span.end;
            start < speaker.end && speaker.start < end
        })?;
    let tokens = &parsed.tokens[base + np.tokens.start..base + np.tokens.end];
    tokens
        .iter()
        .rev()
        .filter(|t| speaker.contains(t.span))
        .find(|t| t.tag.is_noun() || t.tag.as_str().starts_with("PRP"))
        .or_else(|| {
            np.head
                .checked_sub(np.tokens.start)
                .and_then(|i| tokens.get(i))
        })
        .map(|t| t.span)
}

/// The sentence holding token `token`, by binary search (sentences are in
/// token order), so that linking stays linear in the document's length.
fn sentence_of(parsed: &Parsed, token: usize) -> Option<&crate::clauses::ParsedSentence> {
    let i = parsed.sentences.partition_point(|s| s.tokens.end <= token);
    parsed
        .sentences
        .get(i)
        .filter(|s| s.tokens.contains(&token))
}

/// The entity named by a noun phrase in apposition to the phrase headed
/// at `head` ("a spokeswoman, Jane Doe,"; "Jane Doe, the spokeswoman").
fn apposition(doc: &DocLinks, head: Span) -> Option<usize> {
    let parsed = doc.parsed?;
    let at = parsed.tokens.partition_point(|t| t.span.start < head.start);
    let sentence = sentence_of(parsed, at)?;
    let base = sentence.tokens.start;
    let nps = &sentence.noun_phrases;
    let own = nps.iter().position(|np| np.tokens.contains(&(at - base)))?;
    let span_of = |i: usize| {
        let np = &nps[i];
        Span::new(
            parsed.tokens[base + np.tokens.start].span.start,
            parsed.tokens[base + np.tokens.end - 1].span.end,
        )
    };
    nps.iter()
        .enumerate()
        .filter(|(i, np)| np.apposition_to == Some(own) || nps[own].apposition_to == Some(*i))
        .find_map(|(i, _)| best_overlap(span_of(i), &doc.mentions))
        .map(|m| m.entity)
}

fn read_rows(
    source: &RuleSource,
    words: &mut HashMap<String, Vec<EntityType>>,
) -> Result<(), RuleError> {
    for (line, cols) in source.tsv_rows() {
        let (Some(word), Some(types)) = (cols.first(), cols.get(1)) else {
            return Err(source.error(line, "expected: word <TAB> types"));
        };
        let mut parsed = Vec::new();
        for name in types.split(',').map(str::trim) {
            parsed.push(
                EntityType::from_name(name)
                    .ok_or_else(|| source.error(line, format!("unknown entity type {name:?}")))?,
            );
        }
        words.insert(word.to_lowercase(), parsed);
    }
    Ok(())
}

/// Every mention of every entity, sorted by start, with the length of the
/// longest one so that lookups search only near their span.
pub struct MentionRefs {
    sorted: Vec<MentionRef>,
    longest: usize,
}

impl std::ops::Deref for MentionRefs {
    type Target = [MentionRef];
    fn deref(&self) -> &[MentionRef] {
        &self.sorted
    }
}

/// Every mention of every entity, sorted by start.
pub fn flatten(entities: &[Entity]) -> MentionRefs {
    let mut sorted: Vec<MentionRef> = entities
        .iter()
        .enumerate()
        .flat_map(|(i, e)| {
            e.mentions.iter().map(move |m| MentionRef {
                span: m.span,
                entity: i,
            })
        })
        .collect();
    sorted.sort_by_key(|m| (m.span.start, m.span.end));
    let longest = sorted.iter().map(|m| m.span.len()).max().unwrap_or(0);
    MentionRefs { sorted, longest }
}

/// The mention sharing most bytes with `speaker` (the last one on a tie).
/// Only mentions starting less than the longest mention's length before
/// `speaker` can overlap it, so the search is a binary search plus a short
/// scan rather than a pass over the whole article.
fn best_overlap(speaker: Span, mentions: &MentionRefs) -> Option<MentionRef> {
    let from = mentions.partition_point(|m| m.span.start + mentions.longest < speaker.start);
    let to = mentions.partition_point(|m| m.span.start < speaker.end);
    mentions[from..to.max(from)]
        .iter()
        .filter(|m| m.span.overlaps(speaker))
        .max_by_key(|m| m.span.end.min(speaker.end) - m.span.start.max(speaker.start))
        .copied()
}

/// The most salient entity before `pos` of the first type in `types`
/// that has a candidate, agreeing in gender. Each mention in the window
/// outside quotes weighs by recency (halving every [`SALIENCE_HALF_LIFE`]
/// bytes of narrative), double as a subject, half as a possessor; resolved
/// subject pronouns count as mentions of their antecedent. A runner-up
/// within [`SALIENCE_TIE`] of the best, or a best below `least`,
/// leaves it unresolved. `chain` holds the resolved pronouns, sorted by
/// start.
fn salient(
    doc: &DocLinks,
    chain: &[MentionRef],
    pos: usize,
    types: &[EntityType],
    gender: Option<Gender>,
    previous: Option<usize>,
    least: f64,
) -> Option<usize> {
    if gender.is_some() {
        if let Some(e) = sentence_subject(doc, chain, pos, types, gender) {
            return Some(e);
        }
    }
    let window_start = pos.saturating_sub(ANTECEDENT_WINDOW);
    let in_window = |list: &[MentionRef]| -> Vec<MentionRef> {
        let before = list.partition_point(|m| m.span.start < pos);
        list[..before]
            .iter()
            .rev()
            .take_while(|m| m.span.start >= window_start)
            .filter(|m| m.span.end <= pos && !doc.quoted.holds(m.span))
            .copied()
            .collect()
    };
    let mut window = in_window(&doc.mentions);
    window.extend(in_window(chain));
    // Most recent first, so that equal scores keep a deterministic order.
    window.sort_by_key(|m| std::cmp::Reverse((m.span.start, m.span.end)));
    types.iter().find_map(|want| {
        let mut scores: Vec<(usize, f64)> = Vec::new();
        for m in &window {
            let e = m.entity;
            if !agrees(doc, e, *want, gender) {
                continue;
            }
            let distance = doc.quoted.narrative(m.span.end, pos);
            let role = if is_subject(doc, m.span) {
                2.0
            } else if is_possessor(doc.text, m.span) {
                POSSESSOR_WEIGHT
            } else {
                1.0
            };
            let weight = 0.5f64.powf(distance as f64 / SALIENCE_HALF_LIFE) * role;
            match scores.iter_mut().find(|(x, _)| *x == e) {
                Some(slot) => slot.1 += weight,
                None => scores.push((e, weight)),
            }
        }
        let kept = previous.filter(|&p| !moved_on(doc, &window, p, *want, gender));
        for (e, score) in &mut scores {
            if Some(*e) == kept {
                *score += PREVIOUS_SPEAKER_BONUS;
            }
        }
        // Stable order (first seen = most recent) keeps ties deterministic.
        scores.sort_by(|a, b| b.1.total_cmp(&a.1));
        match scores[..] {
            [] => None,
            [(best, s1)] => Some((s1 >= least).then_some(best)),
            [(best, s1), (_, s2), ..] => {
                Some((s1 >= least && s2 < SALIENCE_TIE * s1).then_some(best))
            }
        }
    })?
}

/// True when the narrative has moved on from the previous speaker `p`:
/// the latest mention agreeing with the anaphor names someone else, in a
/// sentence after the last mention of `p` ("Mr Sullivan told jurors ...
/// However on Tuesday Mr Ebbers denied the allegations. “...,” he told
/// the court" is not Mr Sullivan by default). A name in the previous
/// speaker's own sentence ("CATL, a supplier to carmakers including
/// Ford, said") does not take the discourse over. `window` is most recent
/// first.
fn moved_on(
    doc: &DocLinks,
    window: &[MentionRef],
    p: usize,
    want: EntityType,
    gender: Option<Gender>,
) -> bool {
    let Some(latest) = window
        .iter()
        .find(|m| m.entity == p || agrees(doc, m.entity, want, gender))
    else {
        return false;
    };
    let Some(last_p) = window.iter().find(|m| m.entity == p) else {
        return false;
    };
    latest.entity != p
        && sentence_index(doc, latest.span.start) > sentence_index(doc, last_p.span.start)
}

/// The index of the sentence holding byte `pos` (0 without analysis).
fn sentence_index(doc: &DocLinks, pos: usize) -> usize {
    doc.parsed.map_or(0, |parsed| {
        let token = parsed.tokens.partition_point(|t| t.span.end <= pos);
        parsed.sentences.partition_point(|s| s.tokens.end <= token)
    })
}

/// The first subject of the sentence holding `pos`, before it and outside
/// quotes, that names (or, as a resolved pronoun, refers to) an entity of
/// the first of `types` agreeing in gender: a "he" or "she" refers first
/// to a subject of its own sentence ("Boss Steve Bruce had said that he
/// would ..."), as the sentence-first search of Hobbs' algorithm does.
fn sentence_subject(
    doc: &DocLinks,
    chain: &[MentionRef],
    pos: usize,
    types: &[EntityType],
    gender: Option<Gender>,
) -> Option<usize> {
    let parsed = doc.parsed?;
    let want = *types.first()?;
    let at = parsed.tokens.partition_point(|t| t.span.end <= pos);
    let sentence = sentence_of(parsed, at)?;
    let sentence_start = parsed.tokens.get(sentence.tokens.start)?.span.start;
    let from = doc.subjects.partition_point(|s| s.start < sentence_start);
    doc.subjects[from..]
        .iter()
        .take_while(|s| s.end <= pos)
        .filter(|s| !doc.quoted.holds(**s))
        .filter_map(|&s| {
            best_overlap(s, &doc.mentions)
                .map(|m| m.entity)
                .or_else(|| {
                    let i = chain.partition_point(|m| m.span.start < s.start);
                    chain.get(i).filter(|m| m.span == s).map(|m| m.entity)
                })
        })
        .find(|&e| agrees(doc, e, want, gender))
}

/// True when entity `e` is of type `want` and agrees with `gender` (an
/// entity of unknown gender agrees with both).
fn agrees(doc: &DocLinks, e: usize, want: EntityType, gender: Option<Gender>) -> bool {
    doc.entities[e].kind == want
        && match (gender, doc.genders[e]) {
            (Some(g), Some(h)) => g == h,
            _ => true,
        }
}

/// True when the speaker coordinates people ("its hosts Anthony McPartlin
/// and Declan Donnelly"): a group, which no one entity stands for.
fn coordinated_people(doc: &DocLinks, speaker: Span, head: MentionRef) -> bool {
    let person = |e: usize| doc.entities[e].kind == EntityType::Person;
    if !person(head.entity) {
        return false;
    }
    let from = doc
        .mentions
        .partition_point(|m| m.span.start < speaker.start);
    doc.mentions[from..]
        .iter()
        .take_while(|m| m.span.end <= head.span.start)
        .any(|m| {
            let between = doc.text.get(m.span.end..head.span.start).unwrap_or("");
            person(m.entity) && m.entity != head.entity && matches!(between.trim(), "and" | "&")
        })
}

/// True when the mention at `span` is a possessor: "Ferguson's side",
/// "EastEnders' head writer".
fn is_possessor(text: &str, span: Span) -> bool {
    let after = text.get(span.end..).unwrap_or("");
    ["'s ", "’s ", "' ", "’ "]
        .iter()
        .any(|p| after.starts_with(p))
}

/// True when `span` holds the head of some subject.
fn is_subject(doc: &DocLinks, span: Span) -> bool {
    let from = doc.subjects.partition_point(|s| s.end <= span.start);
    doc.subjects.get(from).is_some_and(|s| s.start < span.end)
}

fn read_genders(
    source: &RuleSource,
    genders: &mut HashMap<String, Gender>,
) -> Result<(), RuleError> {
    for (line, cols) in source.tsv_rows() {
        let gender = match (cols.first(), cols.get(1).copied()) {
            (Some(_), Some("f")) => Gender::Female,
            (Some(_), Some("m")) => Gender::Male,
            _ => return Err(source.error(line, "expected: word <TAB> f|m")),
        };
        genders.insert(cols[0].to_string(), gender);
    }
    Ok(())
}
