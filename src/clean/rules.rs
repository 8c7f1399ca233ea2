//! The text-boilerplate rule file (`boilerplate.toml`): zone patterns,
//! byline patterns, author-bio and caption cues, publication-date cues.
//!
//! Takes the rule sources (built-in text, then the user's file of the same
//! name); gives compiled rules, validated at load with `origin:line:column`
//! errors. Every rule's examples are kept so that `newsx rules test` can run them.

use super::ZoneKind;
use crate::dct::parse_date;
use crate::error::RuleError;
use crate::rules::Regex;
use crate::rules::{catalog, expand, ExampleFailure, ExampleReport, Expansion, Merged, RuleSource};
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

/// One pattern rule as every section writes it. serde cannot flatten the
/// shared `pattern`/`examples`/`counter` keys under `deny_unknown_fields`,
/// so all sections read this one shape and `Section::check` refuses the
/// keys a section does not take.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    kind: Option<String>,
    #[serde(default)]
    scope: Option<Scope>,
    #[serde(default)]
    rank: Option<Rank>,
    /// `[bio]` calls its pattern `first_person`.
    #[serde(alias = "first_person")]
    pattern: String,
    #[serde(default)]
    examples: Vec<RawExample>,
    #[serde(default)]
    counter: Vec<String>,
}

/// A section of the file and the optional keys its rules must set; the
/// other optional keys are refused.
struct Section {
    header: &'static str,
    keys: &'static [&'static str],
}

const ZONE: Section = Section {
    header: "[[zone]]",
    keys: &["name", "kind", "scope"],
};
const BYLINE: Section = Section {
    header: "[[byline]]",
    keys: &["name"],
};
const DATE_CUE: Section = Section {
    header: "[[date_cue]]",
    keys: &["name", "rank"],
};
const BYLINE_LABEL: Section = Section {
    header: "[byline_label]",
    keys: &[],
};
const BIO: Section = Section {
    header: "[bio]",
    keys: &[],
};

impl Section {
    /// Checks that `rule`, the `index`-th of this section in `source`, sets
    /// exactly the keys the section takes.
    fn check(&self, source: &RuleSource, index: usize, rule: &RawRule) -> Result<(), RuleError> {
        let set = [
            ("name", rule.name.is_some()),
            ("kind", rule.kind.is_some()),
            ("scope", rule.scope.is_some()),
            ("rank", rule.rank.is_some()),
        ];
        for (key, is_set) in set {
            let wanted = self.keys.contains(&key);
            if is_set == wanted {
                continue;
            }
            let at = match &rule.name {
                Some(name) => source.offset_of_id(name),
                None => source.offset_of_header(self.header, index),
            };
            let message = if wanted {
                format!("a rule of {} needs `{key}`", self.header)
            } else {
                format!("a rule of {} takes no `{key}`", self.header)
            };
            return Err(source.error_at(at, message));
        }
        Ok(())
    }
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
    zone: Vec<RawRule>,
    #[serde(default)]
    byline: Vec<RawRule>,
    #[serde(default)]
    date_cue: Vec<RawRule>,
    #[serde(default)]
    byline_label: Option<RawRule>,
    #[serde(default)]
    bio: Option<RawRule>,
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
            // `Section::check` makes sure each rule sets the keys its section
            // takes, so the defaults below are never used.
            for (i, mut z) in raw.zone.into_iter().enumerate() {
                ZONE.check(source, i, &z)?;
                let name = z.name.take().unwrap_or_default();
                let kind_name = z.kind.take().unwrap_or_default();
                let kind = ZoneKind::from_name(&kind_name).ok_or_else(|| {
                    source.error_at_id(&name, format!("unknown zone kind {kind_name:?}"))
                })?;
                let scope = z.scope.unwrap_or(Scope::Line);
                let pattern = compile(source, &vars, name.clone(), z)?;
                zones.add(
                    source,
                    n,
                    &name,
                    ZoneRule {
                        pattern,
                        kind,
                        scope,
                    },
                )?;
            }
            for (i, mut b) in raw.byline.into_iter().enumerate() {
                BYLINE.check(source, i, &b)?;
                let name = b.name.take().unwrap_or_default();
                let pattern = compile(source, &vars, name.clone(), b)?;
                bylines.add(source, n, &name, pattern)?;
            }
            for (i, mut d) in raw.date_cue.into_iter().enumerate() {
                DATE_CUE.check(source, i, &d)?;
                let name = d.name.take().unwrap_or_default();
                let rank = d.rank.unwrap_or(Rank::Dated);
                let pattern = compile(source, &vars, name.clone(), d)?;
                if pattern.regex.capture_names().all(|n| n != Some("date")) {
                    return Err(source.error_at_id(
                        &name,
                        format!("date cue {name:?} has no (?P<date>...) group"),
                    ));
                }
                date_cues.add(source, n, &name, DateCue { pattern, rank })?;
            }
            if let Some(label) = raw.byline_label {
                BYLINE_LABEL.check(source, 0, &label)?;
                byline_label = Some(compile(source, &vars, "byline_label".into(), label)?);
            }
            if let Some(bio) = raw.bio {
                BIO.check(source, 0, &bio)?;
                first_person = Some(compile(source, &vars, "bio.first_person".into(), bio)?);
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
    rule: RawRule,
) -> Result<Pattern, RuleError> {
    let RawRule {
        pattern,
        examples,
        counter,
        ..
    } = rule;
    let at = source.offset_of_id(&name);
    let expanded = expand(&pattern, &mut |key| {
        vars.get(key).map(|v| Expansion::Literal(v.clone()))
    })
    .map_err(|e| source.error_at(at, format!("rule {name:?}: {e}")))?;
    // Text rules run on every line of every document.
    let regex = crate::rules::scanning_regex(&expanded)
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
