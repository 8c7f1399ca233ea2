//! The text-boilerplate rule file (`boilerplate.toml`): zone patterns,
//! byline patterns, author-bio and caption cues, publication-date cues.
//!
//! Takes the rule sources (built-in text, then the user's file of the same
//! name); gives compiled rules, validated at load with `origin:line` errors.
//! Every rule's examples are kept so that a test can run them.

use super::ZoneKind;
use crate::dct::parse_date;
use crate::error::RuleError;
use crate::rules::RuleSource;
use regex::Regex;
use serde::Deserialize;
use std::collections::BTreeMap;

/// Name of the rule file, built in and user-extendable.
pub const FILE: &str = "boilerplate.toml";
/// Built-in text of the rule file.
pub const BUILTIN: &str = include_str!("../../rules/boilerplate.toml");

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
        let mut zones = Vec::new();
        let mut bylines = Vec::new();
        let mut date_cues = Vec::new();
        let mut first_person = None;
        let mut byline_label = None;
        let mut caption_max_words = None;
        for source in sources {
            let raw: RawFile = toml::from_str(&source.text).map_err(|e| {
                let line = e
                    .span()
                    .map(|s| line_of(&source.text, s.start))
                    .unwrap_or(1);
                source.error(line, e.message().to_string())
            })?;
            vars.extend(raw.vars);
            let locate = |needle: &str| line_of_name(&source.text, needle);
            for z in raw.zone {
                let kind = ZoneKind::from_name(&z.kind).ok_or_else(|| {
                    source.error(locate(&z.name), format!("unknown zone kind {:?}", z.kind))
                })?;
                let pattern = compile(source, &vars, z.name, &z.pattern, z.examples, z.counter)?;
                zones.push(ZoneRule {
                    pattern,
                    kind,
                    scope: z.scope,
                });
            }
            for b in raw.byline {
                bylines.push(compile(
                    source, &vars, b.name, &b.pattern, b.examples, b.counter,
                )?);
            }
            for d in raw.date_cue {
                let rank = d.rank.ok_or_else(|| {
                    source.error(
                        locate(&d.name),
                        format!("date cue {:?} has no rank", d.name),
                    )
                })?;
                let pattern = compile(source, &vars, d.name, &d.pattern, d.examples, d.counter)?;
                if pattern.regex.capture_names().all(|n| n != Some("date")) {
                    return Err(source.error(
                        locate(&pattern.name),
                        format!("date cue {:?} has no (?P<date>...) group", pattern.name),
                    ));
                }
                date_cues.push(DateCue { pattern, rank });
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
        let origin = sources.first().map(|s| s.origin.as_str()).unwrap_or(FILE);
        Ok(TextRules {
            zones,
            bylines,
            date_cues,
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

    /// Runs every example and counter-example; describes each failure.
    pub fn example_failures(&self) -> Vec<String> {
        let mut failures = Vec::new();
        for p in self.patterns() {
            p.check(&mut failures);
        }
        failures
    }
}

impl Pattern {
    fn check(&self, failures: &mut Vec<String>) {
        let at = format!("{} {}", self.origin, self.name);
        for ex in &self.examples {
            let Some(caps) = self.regex.captures(&ex.text) else {
                failures.push(format!("{at}: no match on {:?}", ex.text));
                continue;
            };
            let Some(want) = &ex.want else { continue };
            // The capture an example checks: a byline's name or a cue's date.
            let got = caps
                .name("name")
                .map(|m| m.as_str().trim().to_string())
                .or_else(|| {
                    caps.name("date")
                        .and_then(|m| parse_date(m.as_str()))
                        .map(|d| d.to_string())
                });
            if got.as_deref() != Some(want.as_str()) {
                failures.push(format!("{at}: {:?} gave {got:?}, want {want:?}", ex.text));
            }
        }
        for ex in &self.counter {
            if self.regex.is_match(ex) {
                failures.push(format!("{at}: matches counter-example {ex:?}"));
            }
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
    let line = line_of_name(&source.text, &name);
    let mut expanded = pattern.to_string();
    for (key, value) in vars {
        expanded = expanded.replace(&format!("%{key}%"), value);
    }
    if let Some(pos) = expanded.find('%') {
        let rest = &expanded[pos + 1..];
        if let Some(end) = rest.find('%') {
            let key = &rest[..end];
            if !key.is_empty() && key.chars().all(|c| c.is_ascii_uppercase() || c == '_') {
                return Err(source.error(line, format!("unknown variable %{key}%")));
            }
        }
    }
    let regex = Regex::new(&crate::rules::fast_pattern(&expanded))
        .map_err(|e| source.error(line, format!("rule {name:?}: bad pattern: {e}")))?;
    if examples.is_empty() {
        return Err(source.error(line, format!("rule {name:?} has no examples")));
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
        origin: format!("{}:{line}", source.origin),
        name,
        regex,
        examples,
        counter,
    })
}

fn line_of(text: &str, byte: usize) -> usize {
    let end = byte.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// The line where a rule named `name` is declared (1 when not found).
fn line_of_name(text: &str, name: &str) -> usize {
    let needle = format!("name = \"{name}\"");
    text.find(&needle).map(|p| line_of(text, p)).unwrap_or(1)
}
