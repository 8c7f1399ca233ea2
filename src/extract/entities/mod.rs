//! Named-entity matcher: people, organisations, places, groups, laws.
//!
//! Takes a [`Doc`] (only its content sentences) plus the date and named-list
//! spans already found; gives [`Entity`] records, one per real-world entity
//! of the article, each with its canonical name and every mention (span,
//! text, rule id). Finds names with one gazetteer automaton (gazetteers and
//! the alias table) and with rules over capitalised word runs (titles,
//! organisation suffixes and head words, law head words, given names, cue
//! nouns such as "drone maker X"); merges aliases, acronyms, surnames, legal
//! suffix variants and case variants within the article; resolves "the
//! company" only when one company clearly dominates. Does not link entities
//! across articles and never produces mentions inside date or list spans.

mod candidates;
mod context;
mod examples;
mod lexicon;
mod resolve;
mod tokens;

use super::Doc;
use crate::error::RuleError;
use crate::record::{DateMention, Entity, ListRef, Span};
use crate::rules::RuleFiles;
use context::ContextCues;
pub use lexicon::CueExample;
use lexicon::Lexicon;

/// The entity matcher, compiled once.
pub struct EntityExtractor {
    lex: Lexicon,
    context: ContextCues,
}

impl EntityExtractor {
    pub fn new(rules: &RuleFiles) -> Result<Self, RuleError> {
        Ok(EntityExtractor {
            lex: Lexicon::load(rules)?,
            context: ContextCues::load(rules)?,
        })
    }

    /// The examples carried by the cue rule file (see `run_examples`).
    pub fn examples(&self) -> &[CueExample] {
        &self.lex.examples
    }

    pub fn extract(&self, doc: &Doc, dates: &[DateMention], lists: &[ListRef]) -> Vec<Entity> {
        let blocked = Blocked::new(
            dates
                .iter()
                .map(|d| d.span)
                .chain(lists.iter().flat_map(|l| l.mentions.iter().map(|m| m.span))),
        );
        let mut found = candidates::Found::default();
        for (index, sentence) in doc.seg.content_sentences().enumerate() {
            candidates::sentence(
                &self.lex,
                &self.context,
                doc.text,
                sentence.span,
                index,
                &mut found,
            );
        }
        found.cands.retain(|c| !blocked.overlaps(c.span));
        candidates::drop_terms(doc.text, &mut found.cands);
        found.cands.sort_by_key(|c| c.span);
        candidates::works_everywhere(doc.text, &mut found.cands);
        candidates::towns_as_clubs_everywhere(doc.text, &mut found.cands);
        found.corefs.retain(|c| !blocked.overlaps(c.span));
        resolve::entities(doc.text, found, &self.lex.cues)
    }
}

/// Spans that others may not overlap (dates and lists for entities,
/// candidates for gazetteer hits): sorted by start with the running maximum
/// of their ends, so that asking whether a span overlaps one is a binary
/// search, not a pass over all of them.
pub(crate) struct Blocked {
    spans: Vec<Span>,
    /// `max_end[i]`: the largest end among the first `i + 1` spans.
    max_end: Vec<usize>,
}

impl Blocked {
    pub(crate) fn new(spans: impl Iterator<Item = Span>) -> Self {
        let mut spans: Vec<Span> = spans.collect();
        spans.sort();
        let max_end = spans
            .iter()
            .scan(0, |max, s| {
                *max = s.end.max(*max);
                Some(*max)
            })
            .collect();
        Blocked { spans, max_end }
    }

    /// True when `span` shares a byte with a blocked span.
    pub(crate) fn overlaps(&self, span: Span) -> bool {
        self.first_overlap(span).is_some()
    }

    /// True when `span` itself is one of the spans.
    pub(crate) fn contains(&self, span: Span) -> bool {
        self.spans.binary_search(&span).is_ok()
    }

    /// Index, in (start, end) order, of the first span overlapping `span`.
    pub(crate) fn first_overlap(&self, span: Span) -> Option<usize> {
        let before_end = self.spans.partition_point(|s| s.start < span.end);
        let first = self.max_end.partition_point(|&end| end <= span.start);
        (first < before_end).then_some(first)
    }

    /// The spans from index `first` on that overlap `span`.
    pub(crate) fn overlapping_from(
        &self,
        first: usize,
        span: Span,
    ) -> impl Iterator<Item = Span> + '_ {
        self.spans[first..]
            .iter()
            .take_while(move |s| s.start < span.end)
            .filter(move |s| s.overlaps(span))
            .copied()
    }
}

/// The entity with a mention overlapping `span`, if any.
pub fn entity_at(entities: &[Entity], span: Span) -> Option<&Entity> {
    entities
        .iter()
        .find(|e| e.mentions.iter().any(|m| m.span.overlaps(span)))
}
