//! (First wiring version; the full matcher replaces this module.)

use super::Doc;
use crate::error::RuleError;
use crate::record::ListRef;
use crate::rules::RuleFiles;

pub struct ListMatcher {}

impl ListMatcher {
    pub fn new(_rules: &RuleFiles) -> Result<Self, RuleError> {
        Ok(ListMatcher {})
    }

    pub fn extract(&self, _doc: &Doc) -> Vec<ListRef> {
        Vec::new()
    }
}
