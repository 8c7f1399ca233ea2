//! Runs the examples of `quotes.toml`: each must give its quote, with its
//! speaker and cue, by its own rule.

use super::QuoteExtractor;
use crate::extract::Doc;
use crate::record::Quote;
use crate::rules::{ExampleFailure, ExampleReport};

impl QuoteExtractor {
    /// Every rule's examples, run through the whole quote stage.
    pub fn run_examples(&self) -> ExampleReport {
        let mut report = ExampleReport::default();
        for rule in &self.rules.rules {
            for example in &rule.examples {
                let quotes = self.quotes_of(&example.text);
                let hit = quotes.iter().any(|q| {
                    q.text == example.quote
                        && q.rule == rule.id
                        && q.speaker
                            .as_ref()
                            .is_some_and(|s| s.text == example.speaker)
                        && q.cue.as_ref().is_some_and(|c| c.text == example.cue)
                        && example.kind.is_none_or(|k| k == q.kind)
                });
                report.record((!hit).then(|| ExampleFailure {
                    place: rule.place.clone(),
                    rule: rule.id.clone(),
                    example: example.text.clone(),
                    want: format!(
                        "[{} speaker={:?} cue={:?}]",
                        example.quote, example.speaker, example.cue
                    ),
                    got: quotes.iter().map(describe).collect::<Vec<_>>().join(" "),
                }));
            }
        }
        report
    }

    /// The quotes of `text` taken as an article of its own, without entities.
    pub(super) fn quotes_of(&self, text: &str) -> Vec<Quote> {
        let seg = crate::segment::segment(text, &[]);
        let doc = Doc::new(text, &seg, None);
        self.extract(&doc, &[])
    }
}

/// A quote as one line of a report.
pub(super) fn describe(q: &Quote) -> String {
    format!(
        "[{} {:?} speaker={:?} cue={:?} rule={}]",
        q.text,
        q.kind,
        q.speaker.as_ref().map(|s| s.text.as_str()),
        q.cue.as_ref().map(|c| c.text.as_str()),
        q.rule
    )
}
