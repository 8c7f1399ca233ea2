//! The text-boilerplate rule file (`boilerplate.toml`): zone patterns,
//! byline patterns, author-bio and caption cues, publication-date cues.
//!
//! Takes the rule sources (built-in text, then the user's file of the same
//! name); gives compiled rules, validated at load with `origin:line:column`
//! errors. Every rule's examples are kept so that `newsx rules test` can run them.

use super::ZoneKind;
use crate::dct::parse_date;
use crate::error::RuleError;
use crate::rules::{catalog, expand, ExampleFailure, ExampleReport, Expansion, Merged, RuleSource};
use regex::Regex;
use serde::Deserialize;
use std::collections::BTreeMap;

/// What a zone rule's zone covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    Line,
    Match,
    WithPrevious,
    ToEnd,
}

/// How a date cue competes with others.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rank {
    Explicit,
    Update,
    Dated,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawExample {
    Plain(String),
    Want { text: String, want: String },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawZone {
    name: String,
    kind: String,
    scope: Scope,
    pattern: String,
    #[serde(default)]
    examples: Vec<RawExample>,
    #[serde(default)]
    counter: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCapture {
    name: String,
    #[serde(default)]
    rank: Option<Rank>,
    pattern: String,
    #[serde(default)]
    examples: Vec<RawExample>,
    #[serde(default)]
    counter: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBio {
    first_person: String,
    #[serde(default)]
    examples: Vec<RawExample>,
    #[serde(default)]
    counter: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSingle {
    pattern: String,
    #[serde(default)]
    examples: Vec<RawExample>,
    #[serde(default)]
    counter: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCaption {
    max_words: usize,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    vars: BTreeMap<String, String>,
    #[serde(default)]
    zone: Vec<RawZone>,
    #[serde(default)]
    byline: Vec<RawCapture>,
    #[serde(default)]
    date_cue: Vec<RawCapture>,
    #[serde(default)]
    byline_label: Option<RawSingle>,
    #[serde(default)]
    bio: Option<RawBio>,
    #[serde(default)]
    caption: Option<RawCaption>,
}

/// An example a rule must satisfy: the text matches, and when `want` is
/// given, the rule's capture (name or parsed date) equals it.
#[derive(Clone, Debug)]
pub struct Example {
    pub text: String,
    pub want: Option<String>,
}

/// A rule's origin, name, regex and examples.
#[derive(Clone, Debug)]
pub struct Pattern {
    pub origin: String,
    pub name: String,
    pub regex: Regex,
    pub examples: Vec<Example>,
    pub counter: Vec<String>,
}

#[derive(Clone, Debug)]
pub struct ZoneRule {
    pub pattern: Pattern,
    pub kind: ZoneKind,
    pub scope: Scope,
}

#[derive(Clone, Debug)]
pub struct DateCue {
    pub pattern: Pattern,
    pub rank: Rank,
}

/// All text rules, compiled.
#[derive(Clone, Debug)]
pub struct TextRules {
    pub zones: Vec<ZoneRule>,
    pub bylines: Vec<Pattern>,
    pub date_cues: Vec<DateCue>,
    pub byline_label: Pattern,
    pub first_person: Pattern,
    pub caption_max_words: usize,
}

impl TextRules {
    /// Compiles the sources in order; later sources add rules and may
    /// replace the `[bio]` and `[caption]` settings.
    pub fn load(sources: &[RuleSource]) -> Result<Self, RuleError> {
        let mut vars = BTreeMap::new();
        let mut zones = Merged::default();
        let mut bylines = Merged::default();
        let mut date_cues = Merged::default();
        let mut first_person = None;
        let mut byline_label = None;
        let mut caption_max_words = None;
        for (n, source) in sources.iter().enumerate() {
            let raw: RawFile = source.parse_toml()?;
            vars.extend(raw.vars);
            for z in raw.zone {
                let kind = ZoneKind::from_name(&z.kind).ok_or_else(|| {
                    source.error_at_id(&z.name, format!("unknown zone kind {:?}", z.kind))
                })?;
                let name = z.name.clone();
                let pattern = compile(source, &vars, z.name, &z.pattern, z.examples, z.counter)?;
                let zone = ZoneRule {
                    pattern,
                    kind,
                    scope: z.scope,
                };
                zones.add(source, n, &name, zone)?;
            }
            for b in raw.byline {
                let name = b.name.clone();
                let pattern = compile(source, &vars, b.name, &b.pattern, b.examples, b.counter)?;
                bylines.add(source, n, &name, pattern)?;
            }
            for d in raw.date_cue {
                let rank = d.rank.ok_or_else(|| {
                    source.error_at_id(&d.name, format!("date cue {:?} has no rank", d.name))
                })?;
                let name = d.name.clone();
                let pattern = compile(source, &vars, d.name, &d.pattern, d.examples, d.counter)?;
                if pattern.regex.capture_names().all(|n| n != Some("date")) {
                    return Err(source.error_at_id(
                        &name,
                        format!("date cue {name:?} has no (?P<date>...) group"),
                    ));
                }
                date_cues.add(source, n, &name, DateCue { pattern, rank })?;
            }
            if let Some(label) = raw.byline_label {
                byline_label = Some(compile(
                    source,
                    &vars,
                    "byline_label".into(),
                    &label.pattern,
                    label.examples,
                    label.counter,
                )?);
            }
            if let Some(bio) = raw.bio {
                first_person = Some(compile(
                    source,
                    &vars,
                    "bio.first_person".into(),
                    &bio.first_person,
                    bio.examples,
                    bio.counter,
                )?);
            }
            if let Some(c) = raw.caption {
                caption_max_words = Some(c.max_words);
            }
        }
        let origin = sources
            .first()
            .map_or(catalog::BOILERPLATE.name, |s| s.origin.as_str());
        Ok(TextRules {
            zones: zones.into_vec(),
            bylines: bylines.into_vec(),
            date_cues: date_cues.into_vec(),
            first_person: first_person
                .ok_or_else(|| RuleError::invalid(origin, 1, "missing [bio] section"))?,
            byline_label: byline_label
                .ok_or_else(|| RuleError::invalid(origin, 1, "missing [byline_label] section"))?,
            caption_max_words: caption_max_words.unwrap_or(0),
        })
    }

    /// Every pattern with its examples.
    fn patterns(&self) -> impl Iterator<Item = &Pattern> {
        self.zones
            .iter()
            .map(|z| &z.pattern)
            .chain(self.bylines.iter())
            .chain(self.date_cues.iter().map(|d| &d.pattern))
            .chain([&self.first_person, &self.byline_label])
    }

    /// Runs every example and counter-example.
    pub fn run_examples(&self) -> ExampleReport {
        let mut report = ExampleReport::default();
        for p in self.patterns() {
            p.check(&mut report);
        }
        report
    }
}

impl Pattern {
    fn check(&self, report: &mut ExampleReport) {
        let failure = |example: &str, want: String, got: String| ExampleFailure {
            place: self.origin.clone(),
            rule: self.name.clone(),
            example: example.to_string(),
            want,
            got,
        };
        for ex in &self.examples {
            let Some(caps) = self.regex.captures(&ex.text) else {
                report.record(Some(failure(&ex.text, "a match".into(), "no match".into())));
                continue;
            };
            let Some(want) = &ex.want else {
                report.record(None);
                continue;
            };
            // The capture an example checks: a byline's name or a cue's date.
            let got = caps
                .name("name")
                .map(|m| m.as_str().trim().to_string())
                .or_else(|| {
                    caps.name("date")
                        .and_then(|m| parse_date(m.as_str()))
                        .map(|d| d.to_string())
                });
            let ok = got.as_deref() == Some(want.as_str());
            report
                .record((!ok).then(|| failure(&ex.text, format!("{want:?}"), format!("{got:?}"))));
        }
        for ex in &self.counter {
            let matched = self.regex.is_match(ex);
            report.record(matched.then(|| failure(ex, "no match".into(), "a match".into())));
        }
    }
}

fn compile(
    source: &RuleSource,
    vars: &BTreeMap<String, String>,
    name: String,
    pattern: &str,
    examples: Vec<RawExample>,
    counter: Vec<String>,
) -> Result<Pattern, RuleError> {
    let at = source.offset_of_id(&name);
    let expanded = expand(pattern, &mut |key| {
        vars.get(key).map(|v| Expansion::Literal(v.clone()))
    })
    .map_err(|e| source.error_at(at, format!("rule {name:?}: {e}")))?;
    let regex = crate::rules::regex(&expanded)
        .map_err(|e| source.error_at(at, format!("rule {name:?}: bad pattern: {e}")))?;
    if examples.is_empty() {
        return Err(source.error_at(at, format!("rule {name:?} has no examples")));
    }
    let examples = examples
        .into_iter()
        .map(|e| match e {
            RawExample::Plain(text) => Example { text, want: None },
            RawExample::Want { text, want } => Example {
                text,
                want: Some(want),
            },
        })
        .collect();
    Ok(Pattern {
        origin: source.place(at),
        name,
        regex,
        examples,
        counter,
    })
}
