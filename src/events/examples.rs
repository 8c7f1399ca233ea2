//! Runs the examples of `events.toml`: each sentence must make its rule's
//! event type fire with the stated modality and polarity
//! (`sentence => modality polarity`, default `asserted positive`); each
//! `not_examples` sentence must not make the rule fire; each type's
//! examples must yield an event of the type. Sentences go through the
//! clause analysis, as articles do.

use super::{EventRules, Rule};
use crate::clauses::ClauseAnalyzer;
use crate::extract::{Doc, Extractors};
use crate::record::{Entity, EntityType, Event, Mention, Span};
use crate::rules::{ExampleFailure, ExampleReport};

/// Participants the rule examples use. The examples test the event rules,
/// not the entity matcher, so these are always entities there.
const EXAMPLE_PARTICIPANTS: &[&str] = &[
    "Xiaomi",
    "DeepSeek",
    "Huawei",
    "the firm",
    "the hardware manufacturer",
];

impl EventRules {
    /// Every rule's examples, run through the extractors and the event rules.
    pub fn run_examples(&self, extractors: &Extractors, clauses: &ClauseAnalyzer) -> ExampleReport {
        let mut report = ExampleReport::default();
        for rule in &self.rules {
            for example in &rule.examples {
                report.record(self.check(extractors, clauses, rule, example, true));
            }
            for example in &rule.not_examples {
                report.record(self.check(extractors, clauses, rule, example, false));
            }
        }
        for (kind, info) in &self.types {
            for example in &info.examples {
                let got = self.events_with_participants(extractors, clauses, example);
                report.record(
                    (!got.iter().any(|e| &e.kind == kind)).then(|| ExampleFailure {
                        place: info.place.clone(),
                        rule: kind.clone(),
                        example: example.clone(),
                        want: kind.clone(),
                        got: format!("{:?}", got.iter().map(|e| &e.kind).collect::<Vec<_>>()),
                    }),
                );
            }
        }
        report
    }

    /// One example of `rule`: with `fires`, the sentence (`sentence =>
    /// modality polarity`) must give an event of the rule's type with that
    /// modality and polarity; without, the rule must not fire on it.
    fn check(
        &self,
        extractors: &Extractors,
        clauses: &ClauseAnalyzer,
        rule: &Rule,
        example: &str,
        fires: bool,
    ) -> Option<ExampleFailure> {
        let (sentence, want) = match example.split_once(" => ") {
            Some((sentence, want)) if fires => (sentence, want),
            _ => (example, "asserted positive"),
        };
        let got: Vec<String> = self
            .events_with_participants(extractors, clauses, sentence)
            .iter()
            .filter(|e| {
                if fires {
                    e.kind == rule.kind
                } else {
                    e.rule == rule.id
                }
            })
            .map(|e| {
                format!(
                    "{} {} {}",
                    e.kind,
                    crate::output::modality_name(e.modality),
                    crate::output::polarity_name(e.polarity)
                )
            })
            .collect();
        let want = format!("{} {want}", rule.kind);
        let failed = if fires {
            !got.contains(&want)
        } else {
            !got.is_empty()
        };
        failed.then(|| ExampleFailure {
            place: rule.place.clone(),
            rule: rule.id.clone(),
            example: sentence.to_string(),
            want: if fires { want } else { "no event".into() },
            got: format!("{got:?}"),
        })
    }

    /// The events of `text`, with the example participants always entities.
    pub(crate) fn events_with_participants(
        &self,
        extractors: &Extractors,
        clauses: &ClauseAnalyzer,
        text: &str,
    ) -> Vec<Event> {
        let seg = crate::segment::segment(text, &[]);
        let parsed = clauses.analyze(text, &seg);
        let doc = Doc {
            parsed: Some(&parsed),
            ..Doc::new(text, &seg, None)
        };
        let mut mentions = extractors.extract(&doc);
        for name in EXAMPLE_PARTICIPANTS {
            let known = |s: Span| {
                mentions
                    .entities
                    .iter()
                    .any(|e| e.mentions.iter().any(|m| m.span.overlaps(s)))
            };
            let found: Vec<Mention> = text
                .match_indices(name)
                .map(|(i, _)| Span::new(i, i + name.len()))
                .filter(|&s| !known(s))
                .map(|span| Mention {
                    span,
                    text: name.to_string(),
                    rule: "example".into(),
                })
                .collect();
            if !found.is_empty() {
                let id = format!("x{}", mentions.entities.len());
                mentions.entities.push(Entity {
                    id,
                    kind: EntityType::Org,
                    name: name.to_string(),
                    mentions: found,
                });
            }
        }
        self.extract(&doc, &mentions)
    }
}
