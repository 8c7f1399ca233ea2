//! Runs the examples of `dates.toml`: each gives a text (and a DCT) and
//! the mention its rule must produce there, or none.

use super::rules::Example;
use super::DateExtractor;
use crate::clauses::ClauseAnalyzer;
use crate::rules::{ExampleFailure, ExampleReport};

impl DateExtractor {
    /// Every rule's examples, run through the whole date stage (with the
    /// clause analysis, as in the pipeline).
    pub fn run_examples(&self, clauses: &ClauseAnalyzer) -> ExampleReport {
        let mut report = ExampleReport::default();
        for rule in &self.rules.rules {
            for e in &rule.examples {
                let dct = e.dct.as_deref().and_then(crate::dct::parse_date);
                let found = self.extract_parsed_text(&e.text, dct, clauses);
                let ok = if e.r#match.is_empty() {
                    found.is_empty()
                } else {
                    found.iter().any(|m| {
                        m.text == e.r#match
                            && e.r#type.as_deref().is_none_or(|t| t == m.kind.name())
                            && e.value.as_deref().is_none_or(|v| v == m.value)
                    })
                };
                let shown: Vec<String> = found
                    .iter()
                    .map(|m| format!("{:?} {} {} [{}]", m.text, m.kind.name(), m.value, m.rule))
                    .collect();
                report.record((!ok).then(|| ExampleFailure {
                    place: rule.place.clone(),
                    rule: rule.id.clone(),
                    example: e.text.clone(),
                    want: wanted(e),
                    got: if shown.is_empty() {
                        "no mention".into()
                    } else {
                        shown.join("; ")
                    },
                }));
            }
        }
        report
    }
}

/// What an example expects, as a report shows it.
fn wanted(e: &Example) -> String {
    if e.r#match.is_empty() {
        return "no mention".into();
    }
    let mut want = format!("{:?}", e.r#match);
    for part in [&e.r#type, &e.value].into_iter().flatten() {
        want.push(' ');
        want.push_str(part);
    }
    if let Some(dct) = &e.dct {
        want.push_str(&format!(" (dct {dct})"));
    }
    want
}
