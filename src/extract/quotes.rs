//! (First wiring version; the full matcher replaces this module.)

use super::Doc;
use crate::error::RuleError;
use crate::record::Quote;
use crate::rules::RuleFiles;

pub struct QuoteExtractor {}

impl QuoteExtractor {
    pub fn new(_rules: &RuleFiles) -> Result<Self, RuleError> {
        Ok(QuoteExtractor {})
    }

    pub fn extract(&self, _doc: &Doc, _entities: &[crate::record::Entity]) -> Vec<Quote> {
        Vec::new()
    }
}
