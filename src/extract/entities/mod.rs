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
mod examples;
mod lexicon;
mod resolve;
mod tokens;

use super::Doc;
use crate::error::RuleError;
use crate::record::{DateMention, Entity, ListRef, Span};
use crate::rules::RuleFiles;
pub use lexicon::CueExample;
use lexicon::Lexicon;

/// The entity matcher, compiled once.
pub struct EntityExtractor {
    lex: Lexicon,
}

impl EntityExtractor {
    pub fn new(rules: &RuleFiles) -> Result<Self, RuleError> {
        Ok(EntityExtractor {
            lex: Lexicon::load(rules)?,
        })
    }

    /// The examples carried by the cue rule file (see `run_examples`).
    pub fn examples(&self) -> &[CueExample] {
        &self.lex.examples
    }

    pub fn extract(&self, doc: &Doc, dates: &[DateMention], lists: &[ListRef]) -> Vec<Entity> {
        let blocked: Vec<Span> = dates
            .iter()
            .map(|d| d.span)
            .chain(lists.iter().flat_map(|l| l.mentions.iter().map(|m| m.span)))
            .collect();
        let mut found = candidates::Found::default();
        for (index, sentence) in doc.seg.content_sentences().enumerate() {
            candidates::sentence(&self.lex, doc.text, sentence.span, index, &mut found);
        }
        found
            .cands
            .retain(|c| !blocked.iter().any(|b| b.overlaps(c.span)));
        found
            .corefs
            .retain(|c| !blocked.iter().any(|b| b.overlaps(c.span)));
        resolve::entities(doc.text, found, &self.lex.cues)
    }
}

/// The entity with a mention overlapping `span`, if any.
pub fn entity_at(entities: &[Entity], span: Span) -> Option<&Entity> {
    entities
        .iter()
        .find(|e| e.mentions.iter().any(|m| m.span.overlaps(span)))
}
