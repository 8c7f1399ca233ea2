//! Extract: independent rule-based matchers over a segmented article.
//!
//! Takes a [`Doc`] (text, segmentation, DCT); gives [`Mentions`]: dates,
//! named lists, entities and quotes, each item naming the rule that produced
//! it. Matchers read only content sentences (not boilerplate zones). Order
//! matters only where a matcher consumes another's output: entities avoid
//! date and list spans, quotes link speakers to entities.

pub mod dates;
pub mod entities;
pub mod lists;
pub mod quotes;

use crate::error::RuleError;
use crate::record::{DateMention, Entity, ListRef, Quote, Span};
use crate::rules::RuleFiles;
use crate::segment::Segmented;
use chrono::NaiveDate;

/// A segmented article as the matchers see it.
#[derive(Clone, Copy, Debug)]
pub struct Doc<'a> {
    pub text: &'a str,
    pub seg: &'a Segmented,
    /// The clause analysis of `seg`'s sentences, when the caller ran it.
    pub parsed: Option<&'a crate::clauses::Parsed>,
    /// Document creation time; relative dates resolve against it.
    pub dct: Option<NaiveDate>,
}

impl<'a> Doc<'a> {
    /// A document without clause analysis.
    pub fn new(text: &'a str, seg: &'a Segmented, dct: Option<NaiveDate>) -> Self {
        Doc {
            text,
            seg,
            parsed: None,
            dct,
        }
    }

    pub fn slice(&self, span: Span) -> &'a str {
        span.slice(self.text)
    }
}

/// Everything the matchers found in one article.
#[derive(Clone, Debug, Default)]
pub struct Mentions {
    pub dates: Vec<DateMention>,
    pub lists: Vec<ListRef>,
    pub entities: Vec<Entity>,
    pub quotes: Vec<Quote>,
}

/// All matchers, compiled once.
pub struct Extractors {
    pub dates: dates::DateExtractor,
    pub lists: lists::ListMatcher,
    pub entities: entities::EntityExtractor,
    pub quotes: quotes::QuoteExtractor,
}

impl Extractors {
    pub fn new(rules: &RuleFiles) -> Result<Self, RuleError> {
        // Side by side on the current rayon pool (see `Pipeline::new`).
        let ((dates, lists), (entities, quotes)) = rayon::join(
            || {
                rayon::join(
                    || dates::DateExtractor::new(rules),
                    || lists::ListMatcher::new(rules),
                )
            },
            || {
                rayon::join(
                    || entities::EntityExtractor::new(rules),
                    || quotes::QuoteExtractor::new(rules),
                )
            },
        );
        Ok(Extractors {
            dates: dates?,
            lists: lists?,
            entities: entities?,
            quotes: quotes?,
        })
    }

    pub fn extract(&self, doc: &Doc) -> Mentions {
        let dates = self.dates.extract(doc);
        let lists = self.lists.extract(doc);
        let entities = self.entities.extract(doc, &dates, &lists);
        let quotes = self.quotes.extract(doc, &entities);
        Mentions {
            dates,
            lists,
            entities,
            quotes,
        }
    }
}
