//! (First wiring version; the full event rules replace this module.)

use crate::error::RuleError;
use crate::extract::{Doc, Mentions};
use crate::record::Event;
use crate::rules::RuleFiles;

pub struct EventRules {}

impl EventRules {
    pub fn new(_rules: &RuleFiles) -> Result<Self, RuleError> {
        Ok(EventRules {})
    }

    pub fn extract(&self, _doc: &Doc, _mentions: &Mentions) -> Vec<Event> {
        Vec::new()
    }
}
