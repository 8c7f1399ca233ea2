//! Runs the examples of `entities_cues.toml`: each names the mentions
//! (`TYPE:text`) the entity stage must find in its text and the texts it
//! must not report.

use super::EntityExtractor;
use crate::extract::Doc;
use crate::rules::{ExampleFailure, ExampleReport};

impl EntityExtractor {
    /// Every cue example, run through the whole entity stage.
    pub fn run_examples(&self) -> ExampleReport {
        let mut report = ExampleReport::default();
        for example in self.examples() {
            let found = self.mentions_of(&example.text);
            let fail = |want: String| ExampleFailure {
                place: example.place.clone(),
                rule: example.rule.clone(),
                example: example.text.clone(),
                want,
                got: format!("{found:?}"),
            };
            for want in &example.expect {
                let (kind, text) = want.split_once(':').unwrap_or(("", want));
                let hit = found.iter().any(|(k, t)| k == kind && t == text);
                report.record((!hit).then(|| fail(format!("mention {want}"))));
            }
            for bad in &example.reject {
                let hit = found.iter().any(|(_, t)| t == bad);
                report.record(hit.then(|| fail(format!("no mention {bad:?}"))));
            }
        }
        report
    }

    /// Every mention of `text` taken as an article of its own, as (TYPE, text).
    fn mentions_of(&self, text: &str) -> Vec<(String, String)> {
        let seg = crate::segment::segment(text, &[]);
        let doc = Doc::new(text, &seg, None);
        self.extract(&doc, &[], &[])
            .iter()
            .flat_map(|e| {
                e.mentions
                    .iter()
                    .map(|m| (e.kind.name().to_string(), m.text.clone()))
            })
            .collect()
    }
}
