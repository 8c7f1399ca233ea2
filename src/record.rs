//! The output record, schema `newsx/1`: one JSON object per input document.
//!
//! Takes nothing; gives the serde types every stage fills and every consumer
//! reads. Spans are `[start, end)` UTF-8 byte offsets into [`Record::text`].
//! Field order here is the field order in the JSON, so output is stable.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The schema identifier written into every record.
pub const SCHEMA: &str = "newsx/1";

/// A `[start, end)` byte range into a record's text; serialized as `[start, end]`.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(from = "[usize; 2]", into = "[usize; 2]")]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub const fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }
    pub fn len(&self) -> usize {
        self.end - self.start
    }
    pub fn is_empty(&self) -> bool {
        self.end <= self.start
    }
    /// True when the two ranges share at least one byte.
    pub fn overlaps(&self, other: Span) -> bool {
        self.start < other.end && other.start < self.end
    }
    /// True when `other` lies entirely inside `self`.
    pub fn contains(&self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }
    /// The text this span covers; empty when the span is out of range or not on char boundaries.
    pub fn slice<'t>(&self, text: &'t str) -> &'t str {
        text.get(self.start..self.end).unwrap_or("")
    }
}

/// Spans are written as a two-element array `[start, end]`.
impl JsonSchema for Span {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Span".into()
    }
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let mut schema = <[usize; 2]>::json_schema(generator);
        schema.insert(
            "description".into(),
            "[start, end) offsets into the record's text (UTF-8 bytes unless the record's `offsets` says otherwise)".into(),
        );
        schema
    }
}

impl From<[usize; 2]> for Span {
    fn from(a: [usize; 2]) -> Self {
        Span::new(a[0], a[1])
    }
}

impl From<Span> for [usize; 2] {
    fn from(s: Span) -> Self {
        [s.start, s.end]
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Record {
    pub schema: String,
    /// Which newsx and which rules produced the record; absent only in
    /// records written by older versions and in blessed fixtures.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub producer: Option<Producer>,
    pub id: String,
    pub source: Source,
    pub title: Option<String>,
    pub byline: Option<String>,
    pub published: Option<Published>,
    pub text: String,
    pub entities: Vec<Entity>,
    pub dates: Vec<DateMention>,
    pub lists: Vec<ListRef>,
    pub quotes: Vec<Quote>,
    pub events: Vec<Event>,
    /// The clause analysis per sentence (tags, noun phrases, verb groups,
    /// clauses, roles); only with `--emit tokens`. See the README schema.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parse: Option<serde_json::Value>,
    pub errors: Vec<Problem>,
    /// Non-fatal notes (e.g. a legacy encoding was decoded); they do not change the exit code.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<Problem>,
    /// Input fields newsx does not read (JSONL keys other than the mapped
    /// ones), passed through unchanged; absent when there are none.
    #[serde(default, skip_serializing_if = "serde_json::Map::is_empty")]
    pub meta: serde_json::Map<String, serde_json::Value>,
}

/// The program and rules that produced a record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Producer {
    /// The newsx version ("0.1.0").
    pub version: String,
    /// A short hash of every rule file the pipeline compiled (built-in and
    /// `--rules DIR`); two runs with the same hash used the same rules.
    pub rules: String,
}

impl Record {
    /// A record with nothing extracted, for a document that yielded no text.
    /// Drops every extracted item, keeping the text and the problems.
    pub fn clear_extractions(&mut self) {
        self.entities.clear();
        self.dates.clear();
        self.lists.clear();
        self.quotes.clear();
        self.events.clear();
    }

    pub fn empty(id: String, source: Source) -> Self {
        Record {
            schema: SCHEMA.to_string(),
            producer: None,
            id,
            source,
            title: None,
            byline: None,
            published: None,
            text: String::new(),
            entities: Vec::new(),
            dates: Vec::new(),
            lists: Vec::new(),
            quotes: Vec::new(),
            events: Vec::new(),
            parse: None,
            errors: Vec::new(),
            warnings: Vec::new(),
            meta: serde_json::Map::new(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Source {
    pub path: String,
    pub format: Format,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Text,
    Html,
    Jsonl,
    Warc,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Published {
    pub value: String,
    pub origin: Origin,
}

/// Where the publication date (the document creation time, DCT) came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Origin {
    /// HTML metadata (`article:published_time`, JSON-LD, `<time>`).
    Meta,
    /// A cue in the text ("as published on ...", update lines, dated lines).
    Text,
    /// The JSONL input's `published` field.
    Input,
    /// The `--dct` command-line flag.
    Flag,
    /// The capture time of a WARC record (WARC-Date), when nothing else dates the page.
    Crawl,
}

#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "UPPERCASE")]
pub enum EntityType {
    Person,
    Org,
    Gpe,
    Loc,
    Norp,
    Law,
    Misc,
}

impl EntityType {
    const NAMES: [(EntityType, &'static str); 7] = [
        (EntityType::Person, "PERSON"),
        (EntityType::Org, "ORG"),
        (EntityType::Gpe, "GPE"),
        (EntityType::Loc, "LOC"),
        (EntityType::Norp, "NORP"),
        (EntityType::Law, "LAW"),
        (EntityType::Misc, "MISC"),
    ];

    /// The type named as in the schema and the rule files ("ORG").
    pub fn from_name(name: &str) -> Option<Self> {
        Self::NAMES
            .iter()
            .find(|(_, n)| *n == name)
            .map(|(t, _)| *t)
    }

    /// The schema name of the type ("ORG").
    pub fn name(self) -> &'static str {
        Self::NAMES
            .iter()
            .find(|(t, _)| *t == self)
            .map_or("MISC", |(_, n)| n)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Entity {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: EntityType,
    pub name: String,
    pub mentions: Vec<Mention>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Mention {
    pub span: Span,
    pub text: String,
    pub rule: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "UPPERCASE")]
pub enum TimexType {
    Date,
    Time,
    Duration,
    Set,
}

impl TimexType {
    /// The TIMEX3 type name ("DATE").
    pub fn name(self) -> &'static str {
        match self {
            TimexType::Date => "DATE",
            TimexType::Time => "TIME",
            TimexType::Duration => "DURATION",
            TimexType::Set => "SET",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct DateMention {
    pub span: Span,
    pub text: String,
    #[serde(rename = "type")]
    pub kind: TimexType,
    pub value: String,
    /// TimeML `mod`: START, MID, END, APPROX, LESS_THAN, MORE_THAN,
    /// EQUAL_OR_LESS or EQUAL_OR_MORE, from a modifier inside the span
    /// ("early 2021", "nearly two years"); absent when there is none.
    #[serde(rename = "mod", default, skip_serializing_if = "Option::is_none")]
    pub modifier: Option<String>,
    pub rule: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ListRef {
    pub id: String,
    pub name: String,
    pub authority: String,
    pub mentions: Vec<Mention>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum QuoteKind {
    /// The whole content is inside quotation marks.
    Direct,
    /// Paraphrase with a quoted fragment inside.
    Mixed,
    /// Reported speech without quotation marks.
    Indirect,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Quote {
    pub span: Span,
    pub text: String,
    pub kind: QuoteKind,
    pub speaker: Option<Speaker>,
    pub cue: Option<Cue>,
    pub rule: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Speaker {
    pub text: String,
    pub span: Span,
    pub entity: Option<String>,
    /// How `entity` was found; absent when the speaker is not linked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolution: Option<Resolution>,
}

/// The path from a speaker phrase to its entity.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Resolution {
    /// The head of the speaker phrase is a mention of the entity.
    Direct,
    /// A phrase in apposition to the speaker names the entity
    /// ("a spokeswoman, Jane Doe,").
    Apposition,
    /// A pronoun or definite description ("she", "the company") resolved
    /// to an earlier mention.
    Coreference,
    /// A quote without a cue of its own takes the speaker of a quote before it.
    Inherited,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Cue {
    pub text: String,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Polarity {
    Positive,
    Negative,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Modality {
    Asserted,
    Proposed,
    Hypothetical,
    Reported,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Event {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub actor: Option<Arg>,
    pub target: Vec<Arg>,
    pub list: Option<String>,
    pub date: Option<EventDate>,
    pub polarity: Polarity,
    pub modality: Modality,
    /// The means of a sanction ("tariff", "embargo", "investment-ban"), for
    /// types that declare instruments; absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instrument: Option<String>,
    /// The PLOVER category of the event type (`ACCUSE`, `SANCTION`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plover: Option<String>,
    /// For a denial: the id of the accusation event of the same article it answers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answers: Option<String>,
    /// The sentence of the first mention.
    pub evidence: Evidence,
    /// Every mention of this occurrence in the article: the trigger spans,
    /// in text order (one per sentence that reports it).
    #[serde(default)]
    pub mentions: Vec<Span>,
    pub rule: String,
}

/// An event participant: the text as written and, when resolved, the entity id.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Arg {
    pub entity: Option<String>,
    pub text: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct EventDate {
    pub value: String,
    pub text: String,
    pub span: Option<Span>,
    /// Where the date comes from: `clause` (a time expression in the
    /// trigger's clause), `sentence` (elsewhere in the trigger's sentence,
    /// outside any subordinate clause), `context` (the sentence that named
    /// the list this event continues, or the update banner above it) or
    /// `published` (no time expression; a reported past event dated on or
    /// before the publication date, `text` and `span` empty).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<DateOrigin>,
}

/// Where an event date comes from; see [`EventDate::origin`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum DateOrigin {
    Clause,
    Sentence,
    Context,
    Published,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Evidence {
    pub span: Span,
    pub text: String,
}

/// A stage that failed or warned for one document.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Problem {
    pub stage: Stage,
    pub message: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Stage {
    Ingest,
    Clean,
    Segment,
    Extract,
    Events,
}

impl Problem {
    pub fn new(stage: Stage, message: impl Into<String>) -> Self {
        Problem {
            stage,
            message: message.into(),
        }
    }
}
