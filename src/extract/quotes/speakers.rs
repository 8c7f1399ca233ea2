//! Speaker linking: a speaker phrase → the id of the entity it names.
//!
//! Takes a speaker span and the article's entities; gives the entity whose
//! mention overlaps the speaker, or, for pronouns ("he", "it") and
//! determiner phrases ("the company", "a spokeswoman"), the most recent
//! earlier mention of a compatible type (from `quote_speakers.tsv`). It
//! does not find entities itself.

use crate::error::RuleError;
use crate::record::{Entity, EntityType, Span};
use crate::rules::{catalog, RuleFiles, RuleSource};
use std::collections::HashMap;

/// How far back (bytes) an anaphoric speaker may look for its antecedent.
const ANTECEDENT_WINDOW: usize = 3000;

/// Determiners that open a nominal speaker ("the company").
const DETERMINERS: &[&str] = &[
    "the", "a", "an", "this", "that", "its", "their", "his", "her",
];

/// Anaphoric speaker words and the entity types they may refer to.
#[derive(Debug)]
pub struct Anaphora {
    words: HashMap<String, Vec<EntityType>>,
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
        Ok(Anaphora { words })
    }

    /// The id of the entity `speaker` refers to, if any.
    pub fn link(
        &self,
        text: &str,
        speaker: Span,
        entities: &[Entity],
        mentions: &[MentionRef],
    ) -> Option<String> {
        if let Some(m) = best_overlap(speaker, mentions) {
            return Some(entities[m.entity].id.clone());
        }
        let types = self.types_of(speaker.slice(text))?;
        antecedent(speaker.start, types, entities, mentions).map(|i| entities[i].id.clone())
    }

    /// The types an anaphoric speaker may refer to: a pronoun, or a
    /// determiner phrase whose last word is in the table.
    fn types_of(&self, speaker: &str) -> Option<&[EntityType]> {
        let lower = speaker.trim().to_lowercase();
        let mut words = lower.split_whitespace();
        let first = words.next()?;
        let last = words.next_back();
        match last {
            None => self.words.get(first).map(Vec::as_slice),
            Some(head) if DETERMINERS.contains(&first) => {
                let head = head.trim_end_matches(|c: char| !c.is_alphanumeric());
                self.words.get(head).map(Vec::as_slice)
            }
            Some(_) => None,
        }
    }
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

/// Every mention of every entity, sorted by start.
pub fn flatten(entities: &[Entity]) -> Vec<MentionRef> {
    let mut out: Vec<MentionRef> = entities
        .iter()
        .enumerate()
        .flat_map(|(i, e)| {
            e.mentions.iter().map(move |m| MentionRef {
                span: m.span,
                entity: i,
            })
        })
        .collect();
    out.sort_by_key(|m| (m.span.start, m.span.end));
    out
}

/// The mention sharing most bytes with `speaker`.
fn best_overlap(speaker: Span, mentions: &[MentionRef]) -> Option<MentionRef> {
    mentions
        .iter()
        .filter(|m| m.span.overlaps(speaker))
        .max_by_key(|m| m.span.end.min(speaker.end) - m.span.start.max(speaker.start))
        .copied()
}

/// The entity of the most recent mention before `pos` whose type comes
/// first in `types`, then second, and so on.
fn antecedent(
    pos: usize,
    types: &[EntityType],
    entities: &[Entity],
    mentions: &[MentionRef],
) -> Option<usize> {
    let before = mentions.partition_point(|m| m.span.start < pos);
    let window_start = pos.saturating_sub(ANTECEDENT_WINDOW);
    types.iter().find_map(|want| {
        mentions[..before]
            .iter()
            .rev()
            .take_while(|m| m.span.start >= window_start)
            .find(|m| m.span.end <= pos && entities[m.entity].kind == *want)
            .map(|m| m.entity)
    })
}
