//! (First wiring version; the full matcher replaces this module.)

use super::Doc;
use crate::error::RuleError;
use crate::record::DateMention;
use crate::rules::RuleFiles;

pub struct DateExtractor {}

impl DateExtractor {
    pub fn new(_rules: &RuleFiles) -> Result<Self, RuleError> {
        Ok(DateExtractor {})
    }

    pub fn extract(&self, _doc: &Doc) -> Vec<DateMention> {
        Vec::new()
    }
}
