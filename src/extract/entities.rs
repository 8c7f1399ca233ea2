//! (First wiring version; the full matcher replaces this module.)

use super::Doc;
use crate::error::RuleError;
use crate::record::Entity;
use crate::rules::RuleFiles;

pub struct EntityExtractor {}

impl EntityExtractor {
    pub fn new(_rules: &RuleFiles) -> Result<Self, RuleError> {
        Ok(EntityExtractor {})
    }

    pub fn extract(
        &self,
        _doc: &Doc,
        _dates: &[crate::record::DateMention],
        _lists: &[crate::record::ListRef],
    ) -> Vec<Entity> {
        Vec::new()
    }
}
