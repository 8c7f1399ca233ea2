//! Events: sentence-level rules over the mentions of one sentence → typed
//! event records (who did what to whom, when, on which list).
//!
//! Takes a [`Doc`] and its [`Mentions`]; gives [`Event`]s in text order,
//! each with actor, targets, list, date, polarity, modality, the evidence
//! sentence and the id of the rule that fired. Rules (triggers, argument
//! strategies, modality cues) are data in `rules/events.toml`.
//!
//! It reads only content sentences. It crosses a sentence boundary only
//! where the text says so: a list named in the previous sentence of the
//! paragraph, a pronoun or "the company" naming the last person or
//! organisation of that sentence, a sentence continuing an event that
//! found no target ("The others included ..."), and a sanction named
//! again ("the embargo"). Otherwise participants spread over two
//! sentences are missed rather than guessed. Without a date in the
//! trigger's clause (or an open clause of its sentence), only a past
//! event is dated, by the publication date, and only when a verb tells
//! it: a call named by a noun ("rejected calls by lawmakers to add it")
//! takes no tense from the verb governing the noun.

mod examples;
mod frame;
mod merge;

use crate::clauses::{ClauseKind, RoleKind};
use crate::error::RuleError;
use crate::extract::lists::ListDef;
use crate::extract::{Doc, Mentions};
use crate::record::{
    Arg, DateOrigin, Entity, EntityType, Event, EventDate, Evidence, Modality, Polarity, Span,
    TimexType,
};
use crate::rules::Regex;
use crate::rules::{catalog, Merged, RuleFiles, RuleSource};
use frame::{DateScope, Frame};
use serde::Deserialize;

/// How many words may stand between a passive subject and its trigger
/// ("Xiaomi and eight other firms have been added").
const MAX_PASSIVE_GAP: usize = 6;

/// Prepositions whose object is never the subject of a clause ("filed
/// in Los Angeles", "the majority owner of Yukos"); "by" is left out, as
/// it names the agent of a passive.
const SUBJECTLESS_PREPOSITIONS: [&str; 16] = [
    "in", "at", "on", "from", "into", "of", "for", "with", "to", "under", "across", "against",
    "over", "within", "during", "amid",
];

/// Words opening a relative clause after an object: the names inside it
/// describe the object, they are not what the trigger acts on.
const RELATIVE_AFTER_OBJECT: [&str; 3] = [" who ", ", which ", ", whose "];

/// Auxiliaries that make the participle after them passive.
const PASSIVE_AUXILIARIES: [&str; 9] = [
    "be", "been", "being", "is", "are", "was", "were", "get", "got",
];

/// How far (in words) a list may follow the trigger that governs it.
const MAX_LINK_WORDS: usize = 20;

/// How many entity mentions back a definite description standing as an
/// object ("added the Chinese hardware manufacturer") looks for the
/// organisation it names: bounds the search on any input.
const MAX_ANAPHOR_LOOKBACK: usize = 200;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EventFile {
    #[serde(default, rename = "type")]
    types: Vec<TypeDef>,
    #[serde(default)]
    rule: Vec<RuleDef>,
    #[serde(default)]
    instrument: Vec<InstrumentDef>,
    cues: Option<CueDefs>,
}

/// A sanction instrument and the words that name it.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct InstrumentDef {
    id: String,
    pattern: String,
}

/// An event type of the taxonomy and how its events are read.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TypeDef {
    id: String,
    /// What an event of the type is (documentation, shown by the README).
    definition: String,
    /// The PLOVER category, written into each event.
    plover: String,
    /// Sentences that must yield an event of the type (run as rule examples).
    #[serde(default)]
    examples: Vec<String>,
    /// For a denial: the type of the statement it answers, linked by `answers`.
    #[serde(default)]
    answers: Option<String>,
    /// For a settlement: the type of the proceeding it settles, whose
    /// parties it shares (see [`EventRules::settled_parties`]).
    #[serde(default)]
    settles: Option<String>,
    #[serde(default, flatten)]
    behaviour: TypeBehaviour,
}

/// The declared facts of a type that events carry.
#[derive(Clone, Debug)]
struct TypeInfo {
    plover: String,
    answers: Option<String>,
    settles: Option<String>,
    behaviour: TypeBehaviour,
    examples: Vec<String>,
    place: String,
}

/// What an event type's events need and how their arguments are read.
#[derive(Clone, Copy, Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct TypeBehaviour {
    /// An event without a target entity is not reported.
    needs_target: bool,
    /// The other names of an enumeration holding two targets are targets too.
    enumerated_targets: bool,
    /// A list's authority (and its aliases) is never a target.
    authority_not_target: bool,
    /// Negation in the trigger's clause is what is stated, not the event's
    /// polarity ("denied it was not ..." is still a denial).
    negation_in_content: bool,
    /// Events name their instrument (`[[instrument]]`) from the trigger's words.
    instruments: bool,
    /// Roles follow voice: in the passive the by-agent is the actor and
    /// the subject the target ("X was sued by Y").
    voice_roles: bool,
    /// The event is a saying: when it is reported ("... is not owned by
    /// the military," the company said on Friday), the date of the saying
    /// dates it.
    dated_by_saying: bool,
    /// A state may be the verb's direct object ("accused Beijing of").
    place_targets: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleDef {
    id: String,
    #[serde(rename = "type")]
    kind: String,
    trigger: String,
    needs: Needs,
    targets: TargetStrategy,
    actor: ActorStrategy,
    #[serde(default)]
    link: Vec<String>,
    #[serde(default)]
    modality: Option<ModalityName>,
    #[serde(default)]
    polarity: Option<PolarityName>,
    #[serde(default)]
    examples: Vec<String>,
    /// Sentences in which the rule must not fire.
    #[serde(default)]
    not_examples: Vec<String>,
    /// The sense the trigger must have in its clause.
    #[serde(default)]
    sense: SenseDef,
    /// Fires even on a trigger that overlaps one a rule of another type used.
    #[serde(default)]
    overlaps: bool,
}

/// Sense constraints on a trigger, checked on its clause frame.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
struct SenseDef {
    /// The trigger's first word must be the verb of a verb group.
    verb: bool,
    /// The verb's object must be a proposition: a reported clause ("denied
    /// that ..."), or a noun phrase headed by one of these words ("denied
    /// the allegations"); in the passive, its subject.
    object_heads: Vec<String>,
    /// Verbs that take the trigger as an object it does not report: one
    /// of them among the three words before the trigger cancels it ("would
    /// stand a legal challenge").
    not_after: Vec<String>,
    /// The trigger may not end in a noun phrase that names the event
    /// ("the court ruling", "her ruling"): it must tell it ("ruled").
    told: bool,
    /// The clause's subject may not be a court or judge: a court that
    /// "rejected the claim" rules on it, it does not deny it.
    not_by_court: bool,
    /// The clause's subject, when it names an entity, must be a court or
    /// judge: "Speaking in court, Ebbers rejected ..." is no ruling.
    by_court: bool,
    /// Words one of which must follow the trigger in its sentence, with
    /// no negation between ("claimed the banks defrauded investors" is an
    /// accusation, "claimed it did not break any rules" is none).
    content: Vec<String>,
}

#[derive(Clone, Copy, Debug, Deserialize, PartialEq)]
#[serde(rename_all = "lowercase")]
enum PolarityName {
    Positive,
    Negative,
}

#[derive(Clone, Copy, Debug, Deserialize, PartialEq)]
#[serde(rename_all = "lowercase")]
enum Needs {
    List,
    None,
}

#[derive(Clone, Copy, Debug, Deserialize, PartialEq)]
#[serde(rename_all = "lowercase")]
enum TargetStrategy {
    Object,
    Subject,
    Against,
    /// Only the entities after "against" ("a lawsuit against X").
    Opponent,
    None,
}

#[derive(Clone, Copy, Debug, Deserialize, PartialEq)]
#[serde(rename_all = "lowercase")]
enum ActorStrategy {
    Subject,
    /// For a noun trigger: its "by" phrase ("a lawsuit filed by X"), else
    /// a name right before it ("a Yukos lawsuit"), else the clause subject.
    Maker,
    Collective,
    Authority,
    Court,
    /// The court or judge named in the sentence, and nothing else: the
    /// clause's subject is the party the court ruled for ("Huawei won its
    /// case"), the event's target.
    #[serde(skip)]
    CourtOnly,
}

#[derive(Clone, Copy, Debug, Deserialize, PartialEq)]
#[serde(rename_all = "lowercase")]
enum ModalityName {
    Asserted,
    Proposed,
    Hypothetical,
    Reported,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CueDefs {
    hypothetical: String,
    speculative: String,
    proposed: String,
    reported: String,
    negation: String,
    link_breakers: String,
    clause_breakers: String,
    passive: String,
    companions: String,
    inclusion: String,
    collective: String,
    court: String,
    person_anaphor: String,
    org_anaphor: String,
    relative: String,
    agent_noun: String,
    coordinated_heads: String,
    pronoun: String,
    continuation: String,
    determiner: String,
    phrase_end: String,
    presupposing: String,
    people_premodifier: String,
    faced: String,
    #[serde(default)]
    non_targets: Vec<String>,
}

struct Rule {
    id: String,
    kind: String,
    behaviour: TypeBehaviour,
    trigger: Regex,
    needs: Needs,
    targets: TargetStrategy,
    actor: ActorStrategy,
    link: Vec<String>,
    modality: Modality,
    negated: bool,
    examples: Vec<String>,
    not_examples: Vec<String>,
    sense: SenseDef,
    overlaps: bool,
    /// "file:line" of the rule.
    place: String,
}

/// A compiled sanction instrument.
struct Instrument {
    id: String,
    pattern: Regex,
}

struct Cues {
    hypothetical: Regex,
    speculative: Regex,
    proposed: Regex,
    reported: Regex,
    negation: Regex,
    link_breakers: Regex,
    clause_breakers: Regex,
    passive: Regex,
    inclusion: Regex,
    companions: Regex,
    collective: Regex,
    court: Regex,
    person_anaphor: Regex,
    org_anaphor: Regex,
    relative: Regex,
    agent_noun: Regex,
    coordinated_heads: Regex,
    pronoun: Regex,
    continuation: Regex,
    determiner: Regex,
    phrase_end: Regex,
    presupposing: Regex,
    people_premodifier: Regex,
    faced: Regex,
    non_targets: Vec<String>,
}

/// A list's identity and how it is named, for argument resolution.
struct ListInfo {
    id: String,
    authority: String,
    authority_aliases: Vec<String>,
}

/// The compiled event rules.
pub struct EventRules {
    rules: Vec<Rule>,
    types: std::collections::BTreeMap<String, TypeInfo>,
    instruments: Vec<Instrument>,
    cues: Cues,
    lists: Vec<ListInfo>,
}

impl EventRules {
    pub fn new(files: &RuleFiles, lists: &[ListDef]) -> Result<Self, RuleError> {
        let mut types = std::collections::BTreeMap::new();
        let mut defs = Merged::default();
        let mut cues = None;
        let mut instruments = Vec::new();
        let sources = files.load(&catalog::EVENTS)?;
        for (n, source) in sources.iter().enumerate() {
            let file: EventFile = source.parse_toml()?;
            for t in file.types {
                let place = source.place(source.offset_of_entry("type", &t.id));
                if t.definition.trim().is_empty() || t.plover.trim().is_empty() {
                    return Err(source.error_at_key(
                        "type",
                        format!("{}: a type needs a definition and a PLOVER category", t.id),
                    ));
                }
                types.insert(
                    t.id,
                    TypeInfo {
                        plover: t.plover,
                        answers: t.answers,
                        settles: t.settles,
                        behaviour: t.behaviour,
                        examples: t.examples,
                        place,
                    },
                );
            }
            for i in file.instrument {
                let compiled = pattern(&i.pattern)
                    .map_err(|e| source.error_at_key("instrument", format!("{}: {e}", i.id)))?;
                instruments.push(Instrument {
                    id: i.id,
                    pattern: compiled,
                });
            }
            for def in file.rule {
                defs.add(source, n, &def.id.clone(), (source, def))?;
            }
            if let Some(defs) = file.cues {
                cues = Some(compile_cues(source, defs)?);
            }
        }
        let rules = defs
            .into_vec()
            .into_iter()
            .map(|(source, def)| compile_rule(source, def, &types))
            .collect::<Result<Vec<_>, _>>()?;
        let cues =
            cues.ok_or_else(|| RuleError::invalid(catalog::EVENTS.name, 1, "no [cues] section"))?;
        let lists = lists
            .iter()
            .map(|d| ListInfo {
                id: d.id.clone(),
                authority: d.authority.clone(),
                authority_aliases: d.authority_aliases.clone(),
            })
            .collect();
        Ok(EventRules {
            rules,
            types,
            instruments,
            cues,
            lists,
        })
    }

    pub fn extract(&self, doc: &Doc, mentions: &Mentions) -> Vec<Event> {
        let mut events = Vec::new();
        let mut previous: Option<(usize, ListHit, Option<EventDate>)> = None;
        let mut index = MentionIndex::new(mentions);
        index.authorities = self.list_authorities(&mentions.entities, &index.lists);
        let content = doc.seg.sentences.iter().enumerate();
        let mut prior_start = 0;
        // An event of the previous sentence whose targets may follow in
        // this one ("urged ... to add more than a dozen firms. The others
        // included DeepSeek and Unitree.").
        let mut open: Option<Event> = None;
        // (content sentence count, subject mention) of recent sentences.
        let mut recent_subjects: Vec<(usize, (Span, usize))> = Vec::new();
        for (seen, (number, sentence)) in content.filter(|(_, s)| !s.boilerplate).enumerate() {
            let mut ctx = SentenceContext::new(self, doc, mentions, &index, sentence.span);
            ctx.parsed = doc.parsed.map(|p| (p, number));
            let prior = Span::new(prior_start.min(sentence.span.start), sentence.span.start);
            ctx.prior = MentionIndex::within(&index.entities, prior, |(s, _)| *s)
                .copied()
                .collect();
            prior_start = sentence.span.start;
            ctx.earlier = recent_subjects
                .iter()
                .filter(|&&(_, (s, _))| s.start < prior.start)
                .map(|&(_, m)| m)
                .collect();
            if let Some((paragraph, hit, date)) = previous.take() {
                if paragraph == sentence.paragraph {
                    ctx.carried_list = Some(hit);
                    ctx.carried_date = date.map(|d| EventDate {
                        origin: Some(DateOrigin::Context),
                        ..d
                    });
                }
            }
            let before = events.len();
            let opened = self.sentence_events(&ctx, &mut events);
            if events.len() == before {
                if let Some(event) = open.take().and_then(|o| self.continuation(&ctx, o)) {
                    open = Some(event.clone());
                    events.push(event);
                }
            } else {
                // A listing that named its targets may name more in the
                // next sentence ("... to add DeepSeek to the list. The
                // others included Unitree."): one occurrence, merged below.
                open = events[before..]
                    .iter()
                    .rev()
                    .find(|e| e.list.is_some() && !e.target.is_empty())
                    .cloned();
            }
            open = opened.or(open);
            // The name that opens the sentence is its subject: what a
            // pronoun a few sentences on most likely stands for.
            recent_subjects.retain(|&(n, _)| n + RECENT_SUBJECT_SENTENCES > seen);
            if let Some(&m) = ctx.entities.first().filter(|&&(s, _)| {
                let lead = ctx.slice(Span::new(ctx.span.start, s.start)).trim();
                matches!(lead, "" | "The" | "the") && !ctx.text[s.end..].starts_with(['\'', '’'])
            }) {
                recent_subjects.push((seen, m));
            }
            previous = ctx.lists.last().cloned().map(|hit| {
                let date = ctx.date_near(hit.span, None);
                (sentence.paragraph, hit, date)
            });
        }
        self.inherit_sanction_arguments(&mut events);
        self.settled_parties(&mut events);
        let told: Vec<bool> = events
            .iter()
            .map(|e| e.mentions.first().is_some_and(|&m| told_before(doc, m)))
            .collect();
        let mut events = merge::occurrences(events, &told);
        for (i, e) in events.iter_mut().enumerate() {
            e.id = format!("v{}", i + 1);
            e.plover = self.types.get(&e.kind).map(|t| t.plover.clone());
        }
        self.link_answers(&mut events);
        events
    }

    /// A sanction event that names no target ("the embargo was imposed in
    /// 1989") is about the sanction the article last named with one: it
    /// takes that event's targets, and its actor when it has none.
    fn inherit_sanction_arguments(&self, events: &mut [Event]) {
        let mut last: Option<(Option<Arg>, Vec<Arg>)> = None;
        for e in events.iter_mut() {
            let sanction = self
                .types
                .get(&e.kind)
                .is_some_and(|t| t.behaviour.instruments);
            if !sanction {
                continue;
            }
            if !e.target.is_empty() {
                last = Some((e.actor.clone(), e.target.clone()));
            } else if let Some((actor, targets)) = &last {
                e.target = targets.clone();
                if e.actor.is_none() {
                    e.actor = actor.clone();
                }
            }
        }
    }

    /// "X agreed to pay $15m to settle a lawsuit brought by Y": the
    /// proceeding named right after a settlement's trigger in the same
    /// sentence is the one settled, so the parties cross over: the
    /// settling party is the lawsuit's defendant, the lawsuit's plaintiff
    /// the settlement's other party. The sentence's date is when it was
    /// settled, not when the lawsuit was filed.
    fn settled_parties(&self, events: &mut [Event]) {
        for i in 0..events.len() {
            let Some(settled) = self
                .types
                .get(&events[i].kind)
                .and_then(|t| t.settles.as_deref())
            else {
                continue;
            };
            let Some(&trigger) = events[i].mentions.first() else {
                continue;
            };
            let sentence = events[i].evidence.span;
            // A sentence's events stand together, in rule order: the
            // settled proceeding is one of the few around the settlement.
            let window = i.saturating_sub(SETTLED_WINDOW)..events.len().min(i + SETTLED_WINDOW + 1);
            let next = window.filter(|&j| j != i).find(|&j| {
                let e = &events[j];
                e.kind == settled
                    && e.evidence.span == sentence
                    && e.mentions.first().is_some_and(|m| {
                        m.start >= trigger.start && m.start <= trigger.end + SETTLED_GAP
                    })
            });
            let Some(j) = next else { continue };
            let (settlement, lawsuit) = if i < j {
                let (head, tail) = events.split_at_mut(j);
                (&mut head[i], &mut tail[0])
            } else {
                let (head, tail) = events.split_at_mut(i);
                (&mut tail[0], &mut head[j])
            };
            // The settling party brought no lawsuit against itself: an
            // actor shared with the settlement is the clause's subject,
            // taken for want of a maker.
            let shared = lawsuit
                .actor
                .as_ref()
                .zip(settlement.actor.as_ref())
                .is_some_and(|(a, b)| merge::same_arg(a, b));
            if shared {
                lawsuit.actor = None;
            }
            // Who pays to settle is the defendant; who settles "with"
            // another may have sued it.
            if lawsuit.target.is_empty() && (made_by(lawsuit) || pays(settlement)) {
                lawsuit.target.extend(settlement.actor.clone());
            }
            // Only a named maker the lawsuit gives itself ("a lawsuit
            // brought by Y") is the settlement's other party; a group
            // ("brought by shareholders") is not yet one.
            let named_maker = lawsuit.actor.as_ref().is_some_and(|a| a.entity.is_some());
            if settlement.target.is_empty() && named_maker && made_by(lawsuit) {
                settlement.target.extend(lawsuit.actor.clone());
            }
            let same_date = |a: &Option<EventDate>, b: &Option<EventDate>| {
                a.as_ref().and_then(|d| d.span) == b.as_ref().and_then(|d| d.span)
            };
            if lawsuit.date.is_some() && same_date(&lawsuit.date, &settlement.date) {
                lawsuit.date = None;
            }
        }
    }

    /// A denial answers the latest accusation before it in the article
    /// whose target is the denial's actor (by entity, else by name).
    fn link_answers(&self, events: &mut [Event]) {
        for i in 0..events.len() {
            let Some(answered) = self
                .types
                .get(&events[i].kind)
                .and_then(|t| t.answers.clone())
            else {
                continue;
            };
            let Some(actor) = events[i].actor.clone() else {
                continue;
            };
            // Bounded look-back keeps this linear on any input.
            let accusation = events[..i].iter().rev().take(256).find(|a| {
                a.kind == answered && a.target.iter().any(|t| merge::same_arg(t, &actor))
            });
            events[i].answers = accusation.map(|a| a.id.clone());
        }
    }

    /// The events of one sentence, appended to `out`. Gives the last event
    /// that needed a target and found none in the sentence: the next
    /// sentence may name its targets ([`EventRules::continuation`]).
    fn sentence_events(&self, ctx: &SentenceContext, out: &mut Vec<Event>) -> Option<Event> {
        // (trigger span, type) of every event found in the sentence.
        let mut used: Vec<(Span, &str)> = Vec::new();
        let mut open = None;
        // Each trigger searches on its own: one set of every trigger with
        // Unicode word classes overflows its lazy-DFA cache and runs slower
        // than the triggers one by one, most of which fail on a literal.
        for rule in &self.rules {
            for m in rule.trigger.find_iter(ctx.body) {
                let trigger = ctx.offset(m.start(), m.end());
                if used
                    .iter()
                    .any(|(u, kind)| u.overlaps(trigger) && (!rule.overlaps || *kind == rule.kind))
                {
                    continue;
                }
                if let Some(event) = self.apply(rule, ctx, trigger) {
                    if rule.behaviour.needs_target && event.target.is_empty() {
                        // The trigger is taken: "urged ... to add" is no "add".
                        used.push((trigger, &rule.kind));
                        open = Some(event);
                        break;
                    }
                    used.push((trigger, &rule.kind));
                    let mut event = event;
                    let mut group = Vec::new();
                    if event.actor.is_none() {
                        group = self.answering_group(ctx, &rule.kind, trigger, out);
                        event.actor = group.pop();
                    }
                    let co_actors = match rule.actor {
                        _ if !group.is_empty() => group,
                        ActorStrategy::Subject => self.coordinated_actors(ctx, &event, trigger),
                        ActorStrategy::Maker => self.co_makers(ctx, &event, trigger),
                        _ => Vec::new(),
                    };
                    out.extend(co_actors.into_iter().map(|actor| Event {
                        actor: Some(actor),
                        ..event.clone()
                    }));
                    out.push(event);
                    break;
                }
            }
        }
        open
    }

    /// The parties a statement by "they" answers ("Parmalat has sued Bank
    /// of America and UBS. It has also gone after Grant Thornton. They have
    /// all denied any wrongdoing."): for a type that answers another, a
    /// plural pronoun as the clause's subject stands for the targets of
    /// the answered or legal events told in the two sentences before, and
    /// for the organisations and people the previous sentence adds to them
    /// (not their makers). Each of them made the statement. Empty when no
    /// such event is that close.
    fn answering_group(
        &self,
        ctx: &SentenceContext,
        kind: &str,
        trigger: Span,
        out: &[Event],
    ) -> Vec<Arg> {
        let Some(answered) = self.types.get(kind).and_then(|t| t.answers.as_deref()) else {
            return Vec::new();
        };
        // "They have all denied": the pronoun opens the clause, a few
        // auxiliaries and quantifiers before the trigger at most (the
        // tagger may leave the participle a group of its own).
        let before = ctx.slice(Span::new(ctx.clause_start(trigger.start), trigger.start));
        let mut words = before.split_whitespace();
        let plural =
            words.next().is_some_and(|w| w.eq_ignore_ascii_case("they")) && words.count() <= 3;
        if !plural {
            return Vec::new();
        }
        // The two sentences before this one.
        let lo = sentences_back(ctx.text, ctx.span.start, 2);
        let told: Vec<&Event> = out
            .iter()
            .rev()
            .take_while(|e| e.evidence.span.start >= lo)
            .filter(|e| e.evidence.span.end <= ctx.span.start)
            .filter(|e| e.kind == answered || e.kind.starts_with("legal.lawsuit"))
            .collect();
        let makers: Vec<&Arg> = told.iter().filter_map(|e| e.actor.as_ref()).collect();
        let mut group: Vec<Arg> = Vec::new();
        let add = |arg: Arg, group: &mut Vec<Arg>| {
            if !makers.iter().any(|m| merge::same_arg(m, &arg))
                && !group.iter().any(|g| merge::same_arg(g, &arg))
            {
                group.push(arg);
            }
        };
        for arg in told.iter().rev().flat_map(|e| e.target.iter()) {
            if arg.entity.is_some() {
                add(arg.clone(), &mut group);
            }
        }
        // The last enumeration of organisations or people named there
        // ("Among those targeted are Bank of America, UBS and Citigroup"),
        // and those named after it ("It has also gone after Grant
        // Thornton").
        // Mentions are sorted by start: the window is found by binary search.
        let first_in_window = ctx.doc_entities.partition_point(|(s, _)| s.start < lo);
        let named: Vec<(Span, usize)> = ctx.doc_entities[first_in_window..]
            .iter()
            .take_while(|(s, _)| s.start < ctx.span.start)
            .filter(|&&(s, e)| {
                let entity = &ctx.all_entities[e];
                s.end <= ctx.span.start
                    && matches!(entity.kind, EntityType::Org | EntityType::Person)
                    && !self.is_non_participant(&entity.name)
            })
            .copied()
            .collect();
        let listed = (1..named.len()).rev().find(|&i| {
            conjoined(ctx.slice(Span::new(named[i - 1].0.end, named[i].0.start)))
                && named[i - 1].1 != named[i].1
        });
        if let Some(last) = listed {
            let mut first = last - 1;
            while first > 0
                && conjoined(ctx.slice(Span::new(named[first - 1].0.end, named[first].0.start)))
            {
                first -= 1;
            }
            for &(span, e) in &named[first..] {
                add(ctx.arg(span, e), &mut group);
            }
        }
        group
    }

    /// The event `open` (of the previous sentence) continued by this
    /// sentence when it opens by naming what the event covered ("The
    /// others included X and Y", "The letter also names X"): the same
    /// event with this sentence's organisations and people as targets.
    fn continuation(&self, ctx: &SentenceContext, open: Event) -> Option<Event> {
        let m = self.cues.continuation.find(ctx.body)?;
        let after = Span::new(ctx.span.start + m.end(), ctx.span.end);
        let targets: Vec<Arg> = ctx
            .entities
            .iter()
            .filter(|&&(s, e)| {
                let entity = &ctx.all_entities[e];
                after.contains(s)
                    && matches!(entity.kind, EntityType::Org | EntityType::Person)
                    && !self.is_authority(&entity.name)
                    && !self.is_non_participant(&entity.name)
            })
            .map(|&(s, e)| ctx.arg(s, e))
            .collect();
        (!targets.is_empty()).then(|| Event {
            target: targets,
            evidence: Evidence {
                span: ctx.span,
                text: ctx.body.to_string(),
            },
            mentions: vec![ctx.offset(m.start(), m.end())],
            ..open
        })
    }

    /// Entities coordinated with the actor of a statement ("Tencent and
    /// battery maker CATL rejected ..."): each made the statement, so each
    /// gets its own event. A short lower-case descriptor may stand between.
    fn coordinated_actors(&self, ctx: &SentenceContext, event: &Event, trigger: Span) -> Vec<Arg> {
        let Some(actor_id) = event.actor.as_ref().and_then(|a| a.entity.clone()) else {
            return Vec::new();
        };
        let before = Span::new(ctx.clause_start(trigger.start), trigger.start);
        let mentions: Vec<(Span, usize)> = ctx
            .entities
            .iter()
            .filter(|(s, e)| {
                before.contains(*s)
                    && matches!(
                        ctx.all_entities[*e].kind,
                        EntityType::Org | EntityType::Person | EntityType::Gpe
                    )
            })
            .copied()
            .collect();
        let Some(pos) = mentions
            .iter()
            .rposition(|(_, e)| ctx.all_entities[*e].id == actor_id)
        else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let mut right = mentions[pos].0;
        for &(span, e) in mentions[..pos].iter().rev() {
            if !conjoined(ctx.slice(Span::new(span.end, right.start)))
                || ctx.all_entities[e].id == actor_id
            {
                break;
            }
            out.push(ctx.arg(span, e));
            right = span;
        }
        out.reverse();
        // "The European Union and the United States imposed": the actor
        // found may be the first conjunct; the later ones act too.
        let mut left = mentions[pos].0;
        for &(span, e) in &mentions[pos + 1..] {
            if !conjoined(ctx.slice(Span::new(left.end, span.start)))
                || ctx.all_entities[e].id == actor_id
            {
                break;
            }
            out.push(ctx.arg(span, e));
            left = span;
        }
        out
    }

    /// The other makers of a noun trigger's event: further conjuncts of
    /// its "by" phrase, else the entities coordinated with its actor.
    fn co_makers(&self, ctx: &SentenceContext, event: &Event, trigger: Span) -> Vec<Arg> {
        let Some(window) = self.by_phrase(ctx, trigger) else {
            return self.coordinated_actors(ctx, event, trigger);
        };
        let targets: Vec<(Span, usize)> = Vec::new();
        let mut makers = self.by_phrase_makers(ctx, window, &targets);
        let actor = event.actor.as_ref();
        makers.retain(|m| !actor.is_some_and(|a| merge::same_arg(a, m)));
        makers.retain(|m| !event.target.iter().any(|t| merge::same_arg(t, m)));
        makers
    }

    fn apply(&self, rule: &Rule, ctx: &SentenceContext, trigger: Span) -> Option<Event> {
        if governed_by(ctx.slice(Span::new(ctx.span.start, trigger.start)), &rule.sense.not_after)
            // A trigger may not reach across a clause break ("whether a
            // court has jurisdiction, while officials have dismissed").
            || self.cues.clause_breakers.is_match(ctx.slice(trigger))
        {
            return None;
        }
        let frame = ctx.frame(trigger);
        if !self.has_sense(rule, ctx, frame.as_ref(), trigger) {
            return None;
        }
        // "did not deny": a statement whose own verb is negated was not made.
        if rule.behaviour.negation_in_content
            && rule.sense.verb
            && frame.as_ref().and_then(Frame::negated) == Some(true)
        {
            return None;
        }
        let list: Option<ListHit> = match rule.needs {
            Needs::List => Some(self.linked_list(rule, ctx, trigger)?),
            Needs::None => ctx.list_near(trigger),
        };
        // "Yukos accused of lying": a verb that takes an object, followed
        // at once by "of", is a reduced passive.
        let next_word = ctx
            .slice(Span::new(trigger.end, ctx.span.end))
            .split_whitespace()
            .next();
        let reduced = next_word == Some("of") || headline_participle(ctx, trigger, next_word);
        // In "“The company is not owned by the military,” Huawei said" the
        // negated passive is what the denial states, not its voice.
        let stated = rule.behaviour.negation_in_content
            && frame.as_ref().and_then(Frame::negated) == Some(true);
        let passive = rule.behaviour.voice_roles
            && !stated
            && (reduced || frame.as_ref().is_some_and(Frame::passive));
        let targets = if passive {
            let places = rule.behaviour.instruments || rule.behaviour.place_targets;
            self.passive_targets(ctx, frame.as_ref(), trigger, places)
        } else if rule.behaviour.voice_roles {
            let found = self.targets(rule, ctx, trigger, list.as_ref());
            within_complements(found, frame.as_ref())
        } else {
            self.targets(rule, ctx, trigger, list.as_ref())
        };
        let targets = match frame.as_ref() {
            Some(f) if targets.is_empty() && !passive && rule.targets == TargetStrategy::Object => {
                self.anaphoric_object(rule, ctx, f).into_iter().collect()
            }
            _ => targets,
        };
        let targets = match targets.is_empty() && !passive && rule.behaviour.place_targets {
            true => self.place_object(ctx, trigger),
            false => targets,
        };
        let targets = match rule.behaviour.instruments {
            true => self
                .sanctioned(ctx, trigger)
                .or_else(|| self.object_inside(rule, ctx, trigger, &targets, passive))
                .unwrap_or(targets),
            false => targets,
        };
        // "sanctioned ZTE and Huawei", "Google and Apple were sued": every
        // name coordinated with a target is one.
        let targets = match passive || rule.targets == TargetStrategy::Object {
            true => {
                // A passive's last subject conjunct stands right before
                // the trigger's own auxiliary ("Apple were sued").
                let own_verb = frame
                    .as_ref()
                    .filter(|_| passive)
                    .and_then(Frame::group_start);
                self.with_conjuncts(ctx, ctx.span, targets, own_verb)
            }
            false => targets,
        };
        // "EU China arms ban 'to be lifted'": the sanction's imposer and
        // its target, named right before it.
        let compound = rule
            .behaviour
            .instruments
            .then(|| self.compound_parties(ctx, trigger))
            .flatten();
        let targets = match compound {
            Some((_, target)) => vec![target],
            None => targets,
        };
        // "In December 2002, Apple sued a former contractor who posted
        // details of the company's computer": the subject of an active
        // trigger acts, and a name in a relative clause after the object
        // only describes it; neither is a target.
        let targets = match rule.actor {
            ActorStrategy::Subject | ActorStrategy::Maker
                if !passive && rule.targets != TargetStrategy::Subject =>
            {
                self.drop_own_subject(ctx, frame.as_ref(), trigger, targets)
            }
            _ => targets,
        };
        // "He was awarded compensation after winning his case": the
        // winner is the subject, the target of the court's ruling.
        let winner = rule.actor == ActorStrategy::Court && rule.targets == TargetStrategy::Subject;
        let strategy = if winner {
            ActorStrategy::CourtOnly
        } else {
            rule.actor
        };
        let actor = if passive {
            self.agent(ctx, frame.as_ref(), trigger, &targets)
        } else {
            self.actor(
                strategy,
                ctx,
                frame.as_ref(),
                trigger,
                list.as_ref(),
                &targets,
            )
        };
        let actor = match compound {
            Some(((span, e), _)) => Some(ctx.arg(span, e)),
            None => actor,
        };
        let winner = (winner && targets.is_empty() && !passive)
            .then(|| {
                let subject = ActorStrategy::Subject;
                self.actor(subject, ctx, frame.as_ref(), trigger, None, &targets)
            })
            .flatten();
        // "the European Union's ban": the sanction's owner imposed it.
        let noun = rule.actor == ActorStrategy::Maker;
        let actor = actor.or_else(|| {
            rule.behaviour
                .instruments
                .then(|| self.possessor_in(ctx, trigger, &targets, !noun))
                .flatten()
        });
        let (polarity, modality) = self.modality(rule, ctx, trigger, frame.as_ref());
        // An event continuing the previous sentence's list shares its date.
        let carried = list
            .as_ref()
            .zip(ctx.carried_list.as_ref())
            .is_some_and(|(l, c)| l.span == c.span);
        // An event only supposed, or proposed not to happen, in a reported
        // clause ("said last month that it would not impose sanctions") is
        // not dated by the saying; a proposal is dated by when it was made
        // ("In December, the EU pledged to work towards lifting the ban").
        // Nor is a passive dated inside its own subject ("sanctions
        // imposed in 1998 ... were lifted").
        let pledged = modality == Modality::Proposed && polarity == Polarity::Positive;
        let modal = modality != Modality::Asserted
            && rule.modality == Modality::Asserted
            && !pledged
            && !(rule.behaviour.dated_by_saying && modality == Modality::Reported);
        let subject_end = passive
            .then(|| frame.as_ref().and_then(Frame::group_start))
            .flatten();
        // "sanctions imposed in 1998 ... were lifted": the year lies in
        // the subject of "were lifted", whatever the voice.
        let subject_end = frame
            .as_ref()
            .and_then(|f| f.last_group_start(trigger))
            .max(subject_end);
        // A call named by a noun ("rejected calls by lawmakers to add it
        // on Tuesday") is dated by its own clause only: the sentence's
        // date dates the verb governing the noun.
        let named_call = rule.modality == Modality::Proposed
            && frame.as_ref().is_some_and(|f| !f.opens_with_verb());
        let date = ctx
            .date_near(trigger, frame.as_ref())
            .filter(|d| !((modal || named_call) && d.origin == Some(DateOrigin::Sentence)))
            .filter(|d| {
                !d.span.is_some_and(|s| {
                    trigger.contains(s) && subject_end.is_some_and(|end| s.end <= end)
                })
            })
            .or_else(|| carried.then(|| ctx.carried_date.clone()).flatten())
            .or_else(|| {
                let past = frame.as_ref().is_some_and(Frame::past);
                // A call ("urged ... to add") happened even though what it
                // calls for is only proposed.
                let call = rule.modality == Modality::Proposed && modality == Modality::Proposed;
                let plain =
                    (modality == Modality::Asserted || call) && polarity == Polarity::Positive;
                // A call named by a noun ("rejected calls by lawmakers to
                // add it") has no tense of its own: the governing verb's
                // past tense tells when it was rejected, not when it was
                // made, so the publication date does not date it.
                (past && plain && !named_call && !ctx.timed)
                    .then(|| ctx.published())
                    .flatten()
            });
        let instrument = rule
            .behaviour
            .instruments
            .then(|| self.instrument(ctx, trigger))
            .flatten();
        let mut target = self.target_args(rule, ctx, &targets);
        target.extend(winner);
        target.dedup_by(|a, b| a.entity.is_some() && a.entity == b.entity);
        if target.is_empty()
            && matches!(
                rule.targets,
                TargetStrategy::Against | TargetStrategy::Opponent
            )
        {
            target.extend(self.nominal_opponent(ctx, trigger, frame.as_ref()));
        }
        if matches!(
            rule.targets,
            TargetStrategy::Object | TargetStrategy::Against | TargetStrategy::Opponent
        ) {
            let after = Span::new(trigger.end, ctx.span.end);
            for arg in self.coordinated_heads(ctx, after) {
                if !target.iter().any(|t| merge::same_arg(t, &arg)) {
                    target.push(arg);
                }
            }
        }
        Some(Event {
            id: String::new(),
            kind: rule.kind.clone(),
            actor,
            target,
            list: list.map(|l| l.id),
            date,
            polarity,
            modality,
            instrument,
            plover: None,
            answers: None,
            evidence: Evidence {
                span: ctx.span,
                text: ctx.body.to_string(),
            },
            mentions: vec![trigger],
            rule: rule.id.clone(),
        })
    }

    /// The targets of an active trigger without the entity its clause's
    /// subject names (no one acts on themselves) and without the names
    /// of a relative clause after its object ("sued a former contractor
    /// who posted drawings of its PowerMac G4": the contractor alone).
    fn drop_own_subject(
        &self,
        ctx: &SentenceContext,
        frame: Option<&Frame>,
        trigger: Span,
        targets: Vec<(Span, usize)>,
    ) -> Vec<(Span, usize)> {
        let subject = frame
            .and_then(Frame::clause_subject)
            .and_then(|(_, head)| {
                ctx.entities
                    .iter()
                    .find(|&&(s, e)| s.overlaps(head) && self.can_act(ctx, s, e, &[]))
            })
            .map(|&(_, e)| ctx.all_entities[e].id.as_str());
        let relative = RELATIVE_AFTER_OBJECT
            .iter()
            .filter_map(|w| ctx.slice(Span::new(trigger.end, ctx.span.end)).find(w))
            .min()
            .map(|i| trigger.end + i);
        targets
            .into_iter()
            .filter(|&(s, e)| {
                Some(ctx.all_entities[e].id.as_str()) != subject
                    && relative.is_none_or(|r| s.start < r)
            })
            .collect()
    }

    /// Two names standing right before a sanction's trigger with nothing
    /// between them ("EU China arms ban"): a headline's compound, whose
    /// first name imposes the sanction on the second.
    fn compound_parties(
        &self,
        ctx: &SentenceContext,
        trigger: Span,
    ) -> Option<((Span, usize), (Span, usize))> {
        let before = ctx
            .entities
            .partition_point(|(s, _)| s.end <= trigger.start);
        let [.., imposer, target] = ctx.entities[..before] else {
            return None;
        };
        let adjacent = |from: usize, to: usize| ctx.slice(Span::new(from, to)).trim().is_empty();
        let party = |e: usize| {
            matches!(ctx.all_entities[e].kind, EntityType::Org | EntityType::Gpe)
                && !self.is_non_participant(&ctx.all_entities[e].name)
        };
        (adjacent(imposer.0.end, target.0.start)
            && adjacent(target.0.end, trigger.start)
            && imposer.1 != target.1
            && party(imposer.1)
            && party(target.1))
        .then_some((imposer, target))
    }

    /// The organisation an object pronoun or definite description stands
    /// for ("calls ... to add it to the list", "added the Chinese hardware
    /// manufacturer to a list"): the last organisation named before it
    /// that is not the clause's own subject, a court, or (for a list
    /// event) the list's authority. "it" looks back into this and the
    /// previous sentence only; a description ("the company", "the device
    /// maker") names the organisation the article last spoke of.
    fn anaphoric_object(
        &self,
        rule: &Rule,
        ctx: &SentenceContext,
        frame: &Frame,
    ) -> Option<(Span, usize)> {
        let phrase = frame
            .role_spans(RoleKind::Object)
            .into_iter()
            .find(|p| self.cues.org_anaphor.is_match(ctx.slice(*p).trim()))?;
        let subject = frame.clause_subject().map(|(p, _)| p);
        self.described_org(ctx, phrase, subject, rule.behaviour.authority_not_target)
    }

    /// The organisation an anaphoric phrase ("it", "the bank") at `phrase`
    /// stands for: the last one named before it that is not inside
    /// `subject`, a court, or (for a list event) an authority. "it" looks
    /// back into this and the previous sentence only.
    fn described_org(
        &self,
        ctx: &SentenceContext,
        phrase: Span,
        subject: Option<Span>,
        list_event: bool,
    ) -> Option<(Span, usize)> {
        let pronoun = ctx.slice(phrase).trim().eq_ignore_ascii_case("it");
        let from = match ctx.prior.first() {
            Some(&(s, _)) if pronoun => s.start,
            _ if pronoun => ctx.span.start,
            _ => 0,
        };
        let before = ctx
            .doc_entities
            .partition_point(|(s, _)| s.start < phrase.start);
        let eligible = |&&(s, e): &&(Span, usize)| {
            let entity = &ctx.all_entities[e];
            let court = self.cues.court.is_match(&entity.name) || ctx.in_court_name(s);
            let authority = list_event && self.is_authority(&entity.name);
            let own_subject = subject.is_some_and(|p| p.contains(s));
            let excluded =
                court || authority || own_subject || self.is_non_participant(&entity.name);
            entity.kind == EntityType::Org && s.end <= phrase.start && !excluded
        };
        let candidates = || {
            ctx.doc_entities[..before]
                .iter()
                .rev()
                .take(MAX_ANAPHOR_LOOKBACK)
                .take_while(|(s, _)| s.start >= from)
                .filter(eligible)
        };
        // "Riggs Bank ... a charity, the Salvador Allende Foundation ...
        // The bank": a name of this or the previous sentence holding the
        // description's head noun is the one it describes, before a
        // nearer name (further back, a nearer name is the likelier).
        let head = ctx.slice(phrase).split_whitespace().last().unwrap_or("");
        let recent = ctx.prior.first().map_or(ctx.span.start, |&(s, _)| s.start);
        let named_by_head = (!pronoun)
            .then(|| {
                candidates()
                    .take_while(|(s, _)| s.start >= recent)
                    .find(|&&(_, e)| {
                        ctx.all_entities[e]
                            .name
                            .split_whitespace()
                            .any(|w| w.eq_ignore_ascii_case(head))
                    })
            })
            .flatten();
        named_by_head.or_else(|| candidates().next()).copied()
    }

    /// True when the trigger has the sense the rule declares: a verb, and
    /// a proposition as its object (a reported clause or a noun phrase
    /// headed by a declared word; in the passive, the subject). Without
    /// clause analysis the constraints are not checked.
    fn has_sense(
        &self,
        rule: &Rule,
        ctx: &SentenceContext,
        frame: Option<&Frame>,
        trigger: Span,
    ) -> bool {
        if !rule.sense.content.is_empty() && !self.states_content(rule, ctx, trigger) {
            return false;
        }
        let Some(frame) = frame else { return true };
        if rule.sense.told && frame.ends_in_nominal(trigger) {
            return false;
        }
        if rule.sense.verb && (!frame.opens_with_verb() || after_determiner(ctx, frame)) {
            return false;
        }
        if rule.sense.not_by_court
            && frame
                .clause_subject()
                .is_some_and(|(phrase, _)| self.cues.court.is_match(ctx.slice(phrase)))
        {
            return false;
        }
        if rule.sense.by_court && self.party_subject(ctx, frame) {
            return false;
        }
        if rule.sense.object_heads.is_empty() || frame.takes_reported_clause() {
            return true;
        }
        let role = if frame.passive() {
            RoleKind::Subject
        } else {
            RoleKind::Object
        };
        let heads = frame.role_heads(role, ctx.text);
        let heads = if heads.is_empty() && !frame.passive() {
            // An object the chunker did not attach: the next few words.
            frame.words_after(4, ctx.text)
        } else {
            heads
        };
        heads.iter().any(|h| {
            rule.sense
                .object_heads
                .iter()
                .any(|w| w.eq_ignore_ascii_case(h))
        })
    }

    /// True when the subject of the trigger's clause names an entity and
    /// no court or judge.
    fn party_subject(&self, ctx: &SentenceContext, frame: &Frame) -> bool {
        let Some((phrase, _)) = frame.clause_subject() else {
            return false;
        };
        let court = self.cues.court.is_match(ctx.slice(phrase));
        !court
            && ctx.entities.iter().any(|&(s, e)| {
                phrase.contains(s)
                    && !ctx.in_court_name(s)
                    && !self.cues.court.is_match(&ctx.all_entities[e].name)
            })
    }

    /// True when one of the rule's content words follows the trigger in
    /// its sentence before any negation cue, not right after a passive
    /// auxiliary ("would be forced" tells no one forcing).
    fn states_content(&self, rule: &Rule, ctx: &SentenceContext, trigger: Span) -> bool {
        let rest = ctx.slice(Span::new(trigger.end, ctx.span.end));
        let rest = self
            .cues
            .negation
            .find(rest)
            .map_or(rest, |m| &rest[..m.start()]);
        let mut previous = "";
        rest.split(|c: char| !c.is_alphanumeric() && c != '-')
            .filter(|w| !w.is_empty())
            .any(|w| {
                let passive = PASSIVE_AUXILIARIES
                    .iter()
                    .any(|a| a.eq_ignore_ascii_case(previous));
                previous = w;
                !passive && rule.sense.content.iter().any(|c| c.eq_ignore_ascii_case(w))
            })
    }

    /// The bodies a coordinated head names ("the U.S. Defense and Treasury
    /// Departments": the Defense Department and the Treasury Department),
    /// each as the article's entity whose name has the same words, else
    /// by text.
    fn coordinated_heads(&self, ctx: &SentenceContext, region: Span) -> Vec<Arg> {
        let Some(caps) = self.cues.coordinated_heads.captures(ctx.slice(region)) else {
            return Vec::new();
        };
        let head = caps.name("head").map_or("", |m| m.as_str());
        let singular = match head.strip_suffix("ies") {
            Some(stem) => format!("{stem}y"),
            None => head.trim_end_matches('s').to_string(),
        };
        let place = caps.name("place").map_or("", |m| m.as_str());
        ["a", "b"]
            .iter()
            .filter_map(|g| caps.name(g))
            .map(|m| {
                let words = [m.as_str().to_lowercase(), singular.to_lowercase()];
                let entity = ctx
                    .all_entities
                    .iter()
                    .position(|e| name_words(&e.name) == words_set(&words));
                match entity {
                    Some(e) => Arg {
                        entity: Some(ctx.all_entities[e].id.clone()),
                        text: ctx.all_entities[e].name.clone(),
                    },
                    None => Arg {
                        entity: None,
                        text: format!("{place} {} {singular}", m.as_str())
                            .trim()
                            .to_string(),
                    },
                }
            })
            .collect()
    }

    /// Whom a sanction is on: the organisations, people and states after
    /// "on" or "against" in the trigger's clause ("sanctions on India",
    /// "the embargo imposed on China"), or after "to" following an export
    /// word ("a ban on arms exports to China"). `None` when there is none.
    fn sanctioned(&self, ctx: &SentenceContext, trigger: Span) -> Option<Vec<(Span, usize)>> {
        let clause = Span::new(ctx.clause_start(trigger.start), ctx.span.end);
        let found: Vec<(Span, usize)> = ctx
            .entities
            .iter()
            .filter(|&&(s, e)| {
                let before = ctx.slice(Span::new(clause.start, s.start));
                let words: Vec<&str> = before.split_whitespace().rev().take(6).collect();
                let lead = match words.first() {
                    Some(&"the") => &words[1..],
                    _ => &words[..],
                };
                // "exports of advanced chips to China", "imports from China".
                let trade = |word: &str| lead[1..].iter().any(|w| w.starts_with(word));
                let preposition = match lead.first() {
                    Some(&("on" | "against")) => true,
                    Some(&"to") => trade("export") || trade("sale") || trade("shipment"),
                    // "tariffs on steel from China": goods, then their origin.
                    Some(&"from") => trade("import") || goods_before_from(lead),
                    _ => false,
                };
                clause.contains(s)
                    && preposition
                    && matches!(
                        ctx.all_entities[e].kind,
                        EntityType::Org | EntityType::Person | EntityType::Gpe
                    )
                    && !self.is_non_participant(&ctx.all_entities[e].name)
            })
            .copied()
            .collect();
        let found = self.with_conjuncts(ctx, clause, found, None);
        (!found.is_empty()).then_some(found)
    }

    /// `found` with the names coordinated after each of them in `clause`
    /// ("sanctions on Huawei and ZTE": ZTE too). A name followed by a
    /// finite verb is the subject of another clause ("..., ZTE said"),
    /// unless that verb starts at `own_verb`, the trigger's own verb group.
    fn with_conjuncts(
        &self,
        ctx: &SentenceContext,
        clause: Span,
        found: Vec<(Span, usize)>,
        own_verb: Option<usize>,
    ) -> Vec<(Span, usize)> {
        let Some(&(first, _)) = found.first() else {
            return found;
        };
        let mut left = first;
        let mut out = found;
        for &(span, e) in ctx.entities.iter().filter(|(s, _)| s.start >= first.end) {
            if !clause.contains(span) {
                break;
            }
            if out.iter().any(|&(s, _)| s == span) {
                left = span;
                continue;
            }
            let fits = matches!(
                ctx.all_entities[e].kind,
                EntityType::Org | EntityType::Person | EntityType::Gpe
            ) && !self.is_non_participant(&ctx.all_entities[e].name);
            let gap = ctx.slice(Span::new(left.end, span.start));
            let joined = gap.contains(|c: char| c.is_alphabetic() || c == ',')
                && gap
                    .split(|c: char| c == ',' || c.is_whitespace())
                    .all(|w| matches!(w, "" | "and" | "or" | "the"));
            let other_clause = ctx
                .verb_next(span.end)
                .is_some_and(|verb| Some(verb) != own_verb);
            if !fits || !joined || other_clause {
                break;
            }
            out.push((span, e));
            left = span;
        }
        out
    }

    /// A state named right after the trigger, as its direct object
    /// ("accused Beijing of", "accused the United States of").
    fn place_object(&self, ctx: &SentenceContext, trigger: Span) -> Vec<(Span, usize)> {
        let after = Span::new(trigger.end, ctx.span.end);
        self.candidates_of(ctx, after, false, true)
            .into_iter()
            .take(1)
            .filter(|&(s, _)| {
                let gap = ctx.slice(Span::new(trigger.end, s.start));
                gap.split_whitespace().all(|w| w == "the")
            })
            .collect()
    }

    /// The name a relative pronoun stands for ("Bernie Ebbers, who is
    /// accused of ..."): the organisation or person right before it.
    fn relative_antecedent(&self, ctx: &SentenceContext, pronoun: Span) -> Option<(Span, usize)> {
        if !self.cues.relative.is_match(ctx.slice(pronoun).trim()) {
            return None;
        }
        ctx.entities
            .iter()
            .rev()
            .find(|&&(s, e)| {
                s.end <= pronoun.start
                    && matches!(
                        ctx.all_entities[e].kind,
                        EntityType::Org | EntityType::Person
                    )
                    && matches!(ctx.slice(Span::new(s.end, pronoun.start)).trim(), "" | ",")
            })
            .copied()
    }

    /// The organisation or place in possessive form inside the trigger
    /// ("lift the European Union's ban"), or, with `possessive` false,
    /// any one ("the imposition of US sanctions"), not a target.
    fn possessor_in(
        &self,
        ctx: &SentenceContext,
        trigger: Span,
        targets: &[(Span, usize)],
        possessive: bool,
    ) -> Option<Arg> {
        ctx.entities
            .iter()
            .find(|&&(s, e)| {
                trigger.contains(s)
                    && (!possessive || ctx.text[s.end..].starts_with(['\'', '’']))
                    && !targets.iter().any(|&(_, t)| t == e)
                    && matches!(ctx.all_entities[e].kind, EntityType::Org | EntityType::Gpe)
            })
            .map(|&(s, e)| ctx.arg(s, e))
    }

    /// A sanction's object standing inside its trigger ("threatened LG
    /// Group with penalties"): the entities after the trigger's first
    /// word, when the active trigger found none after it.
    fn object_inside(
        &self,
        rule: &Rule,
        ctx: &SentenceContext,
        trigger: Span,
        found: &[(Span, usize)],
        passive: bool,
    ) -> Option<Vec<(Span, usize)>> {
        // A name inside a noun trigger ("the imposition of US trade
        // sanctions") makes the sanction; it is not its object.
        if passive
            || !found.is_empty()
            || rule.targets != TargetStrategy::Object
            || rule.actor == ActorStrategy::Maker
        {
            return None;
        }
        let first_word = ctx.slice(trigger).find(char::is_whitespace)?;
        let inside = Span::new(trigger.start + first_word, trigger.end);
        let found = self.candidates_of(ctx, inside, false, true);
        (!found.is_empty()).then_some(found)
    }

    /// In the passive, the targets are the entities of the subject
    /// ("Wal-Mart is sued"), coordinated ones included.
    fn passive_targets(
        &self,
        ctx: &SentenceContext,
        frame: Option<&Frame>,
        trigger: Span,
        places: bool,
    ) -> Vec<(Span, usize)> {
        let subjects = frame
            .map(|f| f.role_spans(RoleKind::Subject))
            .unwrap_or_default();
        let mut found: Vec<(Span, usize)> = subjects
            .iter()
            .flat_map(|&s| self.candidates_of(ctx, s, false, places))
            .collect();
        if found.is_empty() {
            found.extend(
                subjects
                    .iter()
                    .filter_map(|&s| self.relative_antecedent(ctx, s)),
            );
        }
        // "The bank had been accused of ...": a description of the
        // organisation the article last named.
        if found.is_empty() {
            found.extend(
                subjects
                    .iter()
                    .filter(|&&s| {
                        let text = ctx.slice(s).trim();
                        !text.eq_ignore_ascii_case("it") && self.cues.org_anaphor.is_match(text)
                    })
                    .filter_map(|&s| self.described_org(ctx, s, None, false)),
            );
        }
        // "He was accused of ...": the person the pronoun stands for.
        if found.is_empty() {
            found.extend(
                subjects
                    .iter()
                    .filter(|&&s| self.cues.person_anaphor.is_match(ctx.slice(s).trim()))
                    .filter_map(|&s| self.antecedent_at(ctx, s.start, EntityType::Person)),
            );
        }
        // A subject naming no entity ("the embargo was lifted", "called
        // for the embargo to be lifted") has no target here; an entity
        // before it would be a guess.
        let unnamed_subject = frame
            .and_then(Frame::common_noun_before)
            .is_some_and(|noun| !ctx.entities.iter().any(|(s, _)| s.overlaps(noun)));
        // "Tsutsumi resigned after being accused of ...": a non-finite
        // passive without a subject of its own undergoes what the subject
        // of the clause it depends on names.
        let controller = (found.is_empty() && subjects.is_empty() && !unnamed_subject)
            .then(|| {
                frame
                    .filter(|f| f.gerund())
                    .and_then(Frame::controller_subject)
            })
            .flatten();
        if let Some((phrase, _)) = controller {
            return self.candidates_of(ctx, phrase, false, places);
        }
        if found.is_empty() && subjects.is_empty() && !unnamed_subject {
            let before = Span::new(ctx.clause_start(trigger.start), trigger.start);
            coordinated_tail(ctx, self.candidates(ctx, before, false), trigger)
        } else {
            found
        }
    }

    /// In the passive, the actor is the by-agent ("sued by Y"), if named:
    /// its entity, else the group or phrase it names ("by unions"). A
    /// non-finite passive without one ("called for the embargo to be
    /// lifted") is proposed by the subject of the clause it depends on.
    fn agent(
        &self,
        ctx: &SentenceContext,
        frame: Option<&Frame>,
        trigger: Span,
        targets: &[(Span, usize)],
    ) -> Option<Arg> {
        let frame = frame?;
        let named = self.named_agent(ctx, frame);
        if named.is_some() {
            return named;
        }
        if let Some(found) = frame.agent_phrase() {
            return match self.phrase_actor(ctx, found, trigger, targets) {
                PhraseActor::Found(arg) => Some(arg),
                _ => None,
            };
        }
        frame
            .nonfinite()
            .then(|| self.nearest_subject(ctx, trigger, targets))
            .flatten()
            .map(|(s, e)| ctx.arg(s, e))
    }

    /// The entity (or group) inside the by-agent of the trigger's verb.
    fn named_agent(&self, ctx: &SentenceContext, frame: &Frame) -> Option<Arg> {
        let agents = frame.role_spans(RoleKind::Agent);
        agents.iter().find_map(|&span| {
            ctx.entities
                .iter()
                .find(|&&(s, e)| {
                    span.contains(s)
                        && matches!(
                            ctx.all_entities[e].kind,
                            EntityType::Org | EntityType::Person | EntityType::Gpe
                        )
                })
                .map(|&(s, e)| ctx.arg(s, e))
                .or_else(|| self.collective_in(ctx, span))
        })
    }

    /// The first declared instrument named in the trigger, else in its sentence.
    fn instrument(&self, ctx: &SentenceContext, trigger: Span) -> Option<String> {
        let named = |text: &str| {
            self.instruments
                .iter()
                .find(|i| i.pattern.is_match(text))
                .map(|i| i.id.clone())
        };
        named(ctx.slice(trigger)).or_else(|| named(ctx.body))
    }

    /// The targets as event arguments. In a list event whose entity targets
    /// stand in an enumeration ("Xiaomi, Luokong Technology, Gowin
    /// Semiconductor and Global Tone Communication were added"), the other
    /// capitalised members of that enumeration are targets too, by text,
    /// even when no entity was recognised for them.
    fn target_args(
        &self,
        rule: &Rule,
        ctx: &SentenceContext,
        targets: &[(Span, usize)],
    ) -> Vec<Arg> {
        let mut args: Vec<(Span, Arg)> = targets
            .iter()
            .map(|&(span, e)| (span, ctx.arg(span, e)))
            .collect();
        if rule.behaviour.enumerated_targets && targets.len() >= 2 {
            for span in enumeration_members(ctx, targets) {
                if !args.iter().any(|(s, _)| s.overlaps(span))
                    && !ctx.entities.iter().any(|(s, _)| s.overlaps(span))
                {
                    let text = ctx.slice(span).to_string();
                    args.push((span, Arg { entity: None, text }));
                }
            }
            args.sort_by_key(|(s, _)| *s);
        }
        args.into_iter().map(|(_, a)| a).collect()
    }

    /// The list the trigger governs: the first list after it, within
    /// [`MAX_LINK_WORDS`] words, reached through a link word and no clause break; or a list
    /// before it when the link word is stranded ("the list X was added to").
    fn linked_list(&self, rule: &Rule, ctx: &SentenceContext, trigger: Span) -> Option<ListHit> {
        let ends_with_link = ends_with_link_word(rule, ctx.slice(trigger));
        let linked = |gap: &str| {
            gap.split_whitespace().count() <= MAX_LINK_WORDS
                && !self.cues.link_breakers.is_match(gap)
                && (rule.link.is_empty()
                    || ends_with_link
                    || gap
                        .split_whitespace()
                        .any(|w| rule.link.iter().any(|l| l.eq_ignore_ascii_case(w))))
        };
        if let Some(after) = ctx.lists.iter().find(|l| l.span.start >= trigger.end) {
            if linked(ctx.slice(Span::new(trigger.end, after.span.start))) {
                return Some(after.clone());
            }
        }
        let rest = ctx.slice(Span::new(trigger.end, ctx.span.end));
        let stranded = rest.split_whitespace().next().is_some_and(|w| {
            let w = w.trim_end_matches(|c: char| !c.is_alphanumeric());
            rule.link.iter().any(|l| l.eq_ignore_ascii_case(w))
        }) && !rest.split_whitespace().nth(1).is_some_and(|w| {
            matches!(
                w.to_lowercase().as_str(),
                "the" | "a" | "an" | "its" | "their" | "this" | "that" | "his" | "her"
            )
        });
        if stranded {
            return ctx
                .lists
                .iter()
                .rev()
                .find(|l| l.span.end <= trigger.start)
                .cloned();
        }
        self.carried_list(rule, ctx, trigger)
    }

    /// A list named in the previous sentence of the paragraph, for a
    /// sentence that names none: "The Pentagon updated its 1260H list on
    /// Monday. It added Tencent and CATL." Only when the trigger takes a
    /// plain object (no "added that", no other destination "to ...").
    fn carried_list(&self, rule: &Rule, ctx: &SentenceContext, trigger: Span) -> Option<ListHit> {
        let carried = ctx.carried_list.clone()?;
        if !ctx.lists.is_empty() || rule.link.is_empty() {
            return None;
        }
        let rest = ctx.slice(Span::new(trigger.end, ctx.span.end));
        let first = rest.split_whitespace().next().unwrap_or("");
        if first.eq_ignore_ascii_case("that") || rest.trim_start().starts_with([',', ':', '“', '"'])
        {
            return None;
        }
        let words: Vec<&str> = rest.split_whitespace().collect();
        let other_destination = words.windows(2).any(|w| {
            rule.link.iter().any(|l| l.eq_ignore_ascii_case(w[0]))
                && matches!(
                    w[1].to_lowercase().as_str(),
                    "the" | "a" | "an" | "its" | "their" | "his" | "her"
                )
        });
        (!other_destination).then_some(carried)
    }

    /// Target entity mentions, by the rule's strategy.
    fn targets(
        &self,
        rule: &Rule,
        ctx: &SentenceContext,
        trigger: Span,
        list: Option<&ListHit>,
    ) -> Vec<(Span, usize)> {
        let region_end = list.map_or(ctx.span.end, |l| {
            if l.span.start >= trigger.end {
                l.span.start
            } else {
                ctx.span.end
            }
        });
        // The object ends where another clause begins ("..., while DJI sued").
        let clause_end = self
            .cues
            .clause_breakers
            .find(ctx.slice(Span::new(trigger.end, region_end)))
            .map_or(region_end, |m| trigger.end + m.start());
        let after = Span::new(trigger.end, clause_end);
        let before = Span::new(ctx.clause_start(trigger.start), trigger.start);
        let list_event = rule.behaviour.authority_not_target;
        let mut found = match rule.targets {
            TargetStrategy::None => return Vec::new(),
            TargetStrategy::Subject => self.candidates(ctx, before, list_event),
            TargetStrategy::Against => match ctx.body.to_lowercase().find(" against ") {
                Some(i) => {
                    self.candidates(ctx, Span::new(ctx.span.start + i, ctx.span.end), list_event)
                }
                None => self.candidates(ctx, after, list_event),
            },
            // "a claim against the government": the trigger ends in
            // "against"; the phrase after it names the opponent.
            TargetStrategy::Opponent if ctx.slice(trigger).ends_with("against") => {
                // Within the trigger's clause, as `after` is.
                let phrase = self.phrase_from(ctx, after.start);
                let phrase = Span::new(phrase.start.min(after.end), phrase.end.min(after.end));
                self.candidates(ctx, phrase, list_event)
            }
            TargetStrategy::Opponent => match ctx.slice(after).find(" against ") {
                Some(i) => self.candidates(ctx, Span::new(after.start + i, after.end), list_event),
                None => Vec::new(),
            },
            TargetStrategy::Object => self.candidates(ctx, after, list_event),
        };
        if found.is_empty()
            && rule.targets == TargetStrategy::Object
            && ends_with_link_word(rule, ctx.slice(trigger))
        {
            // "want DeepSeek and Xiaomi on the list": the object sits inside the trigger.
            found = self.candidates(ctx, trigger, list_event);
        }
        if found.is_empty() && rule.targets == TargetStrategy::Object {
            if possessive_before(ctx.slice(before)) {
                // "securing its removal": the owner is the nearest organisation before.
                found = self
                    .candidates(ctx, before, list_event)
                    .into_iter()
                    .rev()
                    .take(1)
                    .collect();
            } else if self.cues.passive.is_match(ctx.slice(before)) {
                found = coordinated_tail(ctx, self.candidates(ctx, before, list_event), trigger);
            } else if let Some(l) = list {
                let rest = Span::new(l.span.end, ctx.span.end);
                if self.cues.inclusion.is_match(ctx.slice(rest)) {
                    found = self.candidates(ctx, rest, list_event);
                }
            }
        }
        if list_event && rule.targets == TargetStrategy::Object {
            self.add_leading_companions(ctx, list_event, &mut found);
        }
        drop_name_modifiers(ctx, &mut found);
        found
    }

    /// Entities of a leading "Alongside X and Y," phrase share the event.
    fn add_leading_companions(
        &self,
        ctx: &SentenceContext,
        list_event: bool,
        found: &mut Vec<(Span, usize)>,
    ) {
        let Some(m) = self.cues.companions.find(ctx.body) else {
            return;
        };
        let phrase = Span::new(
            ctx.span.start + m.end(),
            ctx.span.start + m.end() + ctx.body[m.end()..].find(',').unwrap_or(0),
        );
        for candidate in self.candidates(ctx, phrase, list_event) {
            if !found.iter().any(|&(_, e)| e == candidate.1) {
                found.push(candidate);
            }
        }
    }

    /// Organisations and people in `region` that can be targets.
    fn candidates(
        &self,
        ctx: &SentenceContext,
        region: Span,
        list_event: bool,
    ) -> Vec<(Span, usize)> {
        self.candidates_of(ctx, region, list_event, false)
    }

    /// Organisations and people in `region` that can be targets, and
    /// places with `places` (a country is sanctioned).
    fn candidates_of(
        &self,
        ctx: &SentenceContext,
        region: Span,
        list_event: bool,
        places: bool,
    ) -> Vec<(Span, usize)> {
        let mut out: Vec<(Span, usize)> = Vec::new();
        for &(span, e) in &ctx.entities {
            let entity = &ctx.all_entities[e];
            let kind_fits = match entity.kind {
                EntityType::Org | EntityType::Person => true,
                EntityType::Gpe => places,
                _ => false,
            };
            if !region.contains(span) || !kind_fits {
                continue;
            }
            // The listing authority is the actor of a list event, never its target.
            let authority = list_event && self.is_authority(&entity.name);
            let court = ctx.in_court_name(span) || self.cues.court.is_match(&entity.name);
            if authority || self.is_non_participant(&entity.name) || court {
                continue;
            }
            if !out.iter().any(|&(_, x)| x == e) {
                out.push((span, e));
            }
        }
        out
    }

    fn is_non_participant(&self, name: &str) -> bool {
        self.cues
            .non_targets
            .iter()
            .any(|n| n.eq_ignore_ascii_case(name))
    }

    fn is_authority(&self, name: &str) -> bool {
        self.lists.iter().any(|l| {
            l.authority.eq_ignore_ascii_case(name)
                || l.authority_aliases
                    .iter()
                    .any(|a| a.eq_ignore_ascii_case(name))
        }) || self.cues.court.is_match(name)
    }

    fn actor(
        &self,
        strategy: ActorStrategy,
        ctx: &SentenceContext,
        frame: Option<&Frame>,
        trigger: Span,
        list: Option<&ListHit>,
        targets: &[(Span, usize)],
    ) -> Option<Arg> {
        let near = self.nearest_subject(ctx, trigger, targets);
        // The subject noun phrase of the trigger's clause, when the clause
        // analysis has one: its entity, the entity a pronoun or "the
        // company" stands for, or the phrase itself ("the tobacco
        // companies"); a pronoun it cannot resolve leaves the actor out.
        let subject_phrase = frame.and_then(|f| {
            f.clause_subject()
                .or_else(|| f.controller_subject())
                .or_else(|| f.predicate_subject())
        });
        let from_clause = || match subject_phrase {
            Some(found) => self.phrase_actor(ctx, found, trigger, targets),
            None => PhraseActor::Absent,
        };
        // "CATL, the world's largest maker ... for Tesla and Ford, said":
        // the chunker's subject is the nearest phrase; the entity before
        // the appositive is the one that speaks.
        // A participle after the comma ("Xiaomi rejected the calls,
        // describing them as baseless") is no appositive: its subject is
        // the clause's it depends on.
        let appositive = !frame.is_some_and(Frame::nonfinite)
            && ctx
                .slice(Span::new(ctx.clause_start(trigger.start), trigger.start))
                .trim_end()
                .ends_with(',');
        let subject = || match from_clause() {
            _ if appositive && near.is_some() => near.map(|(span, e)| ctx.arg(span, e)),
            PhraseActor::Found(arg) => Some(arg),
            PhraseActor::Unresolved => None,
            PhraseActor::Absent => near
                .map(|(span, e)| ctx.arg(span, e))
                .or_else(|| self.collective_actor(ctx)),
        };
        // "Eliot Spitzer, who alleged that ...": the name the relative
        // pronoun stands for.
        let relative = || {
            frame
                .and_then(Frame::relative_before)
                .and_then(|p| self.relative_antecedent(ctx, p))
                .filter(|&(s, e)| self.can_act(ctx, s, e, targets))
                .map(|(s, e)| ctx.arg(s, e))
        };
        // "HP declined to comment on the lawsuit": a definite noun names
        // an occurrence already told, whose maker the clause's subject is
        // not (unless the subject is the noun's own phrase: "The Texas
        // lawsuit was filed"); left without one, it joins that occurrence.
        let told_before = definite_noun(ctx, trigger)
            && !subject_phrase.is_some_and(|(phrase, _)| phrase.overlaps(trigger));
        // "Italaudit faces lawsuits": the subject is the one the action
        // is against, never its maker.
        let faced = || {
            self.cues
                .faced
                .is_match(ctx.slice(Span::new(ctx.clause_start(trigger.start), trigger.start)))
        };
        match strategy {
            ActorStrategy::Subject => relative().or_else(subject),
            ActorStrategy::Maker => self
                .maker(ctx, trigger, targets)
                .or_else(|| (!told_before && !faced()).then(subject).flatten()),
            ActorStrategy::Collective => self.collective_actor(ctx).or_else(subject),
            // The active verb's subject acts ("the US government put
            // Xiaomi on a blocklist": the United States); a passive, or a
            // subject that is no government or organisation, leaves the
            // list's authority.
            // "The court has issued an order to remove Xiaomi": the
            // court that orders the removal makes it.
            ActorStrategy::Authority if self.court_orders(ctx, trigger) => {
                self.court_actor(ctx).or_else(subject)
            }
            ActorStrategy::Authority => match near {
                Some((span, e))
                    if self.is_authority(&ctx.all_entities[e].name)
                        || (!frame.is_some_and(Frame::passive)
                            && !ctx.in_court_name(span)
                            && matches!(
                                ctx.all_entities[e].kind,
                                EntityType::Org | EntityType::Gpe
                            )) =>
                {
                    Some(ctx.arg(span, e))
                }
                _ => list.and_then(|l| self.list_authority(ctx, &l.id)),
            },
            ActorStrategy::Court => self.court_actor(ctx).or_else(subject),
            // The party that won its case: only a court rules.
            ActorStrategy::CourtOnly => self.court_actor(ctx),
        }
    }

    /// The court or judge named in the sentence: its entity, else the
    /// court phrase.
    fn court_actor(&self, ctx: &SentenceContext) -> Option<Arg> {
        ctx.entities
            .iter()
            .find(|&&(span, e)| {
                let entity = &ctx.all_entities[e];
                matches!(entity.kind, EntityType::Person | EntityType::Org)
                    && (ctx.in_court_name(span) || self.cues.court.is_match(&entity.name))
            })
            .map(|&(span, e)| ctx.arg(span, e))
            .or_else(|| {
                let &court = ctx.courts.first()?;
                let named = self.court_named(ctx, court);
                Some(match named.entity {
                    None => titled_judge(ctx, &named.text).unwrap_or(named),
                    Some(_) => named,
                })
            })
    }

    /// Whether a court named before the trigger orders it ("the court
    /// ordered the Pentagon to remove", "issued an order to remove").
    fn court_orders(&self, ctx: &SentenceContext, trigger: Span) -> bool {
        ctx.courts.iter().any(|c| {
            c.end <= trigger.start && {
                let between = ctx.slice(Span::new(c.end, trigger.start));
                between.split_whitespace().count() <= 10
                    && between
                        .split_whitespace()
                        .any(|w| matches!(w, "order" | "orders" | "ordered" | "ordering"))
            }
        })
    }

    /// The court a court phrase names: the name it stands in apposition
    /// to ("the House of Lords, the UK's highest court,"), else the phrase.
    fn court_named(&self, ctx: &SentenceContext, court: Span) -> Arg {
        let head = ctx.slice(Span::new(ctx.span.start, court.start)).trim_end();
        let named = head.strip_suffix(',').and_then(|h| {
            let end = ctx.span.start + h.trim_end().len();
            ctx.entities
                .iter()
                .find(|&&(s, e)| s.end == end && ctx.all_entities[e].kind == EntityType::Org)
        });
        if let Some(&(s, e)) = named {
            return ctx.arg(s, e);
        }
        // A name the entity stage did not find whole ("the House of Lords"):
        // the capitalised words before the comma.
        let name = head
            .strip_suffix(',')
            .map(|h| capitalised_tail(h.trim_end()));
        Arg {
            entity: None,
            text: name
                .filter(|n| !n.is_empty())
                .unwrap_or_else(|| ctx.slice(court))
                .to_string(),
        }
    }

    /// The nearest entity before the trigger in its clause that can be its
    /// subject (not a possessor, not a target); "CATL, the world's largest
    /// maker ... for Tesla, said": the entity before the appositive.
    fn nearest_subject(
        &self,
        ctx: &SentenceContext,
        trigger: Span,
        targets: &[(Span, usize)],
    ) -> Option<(Span, usize)> {
        let before = Span::new(ctx.clause_start(trigger.start), trigger.start);
        // "The lawsuit, filed in Los Angeles on Friday": a name governed
        // by a preposition is no subject.
        let governed = |span: Span| {
            ctx.text[..span.start]
                .split_whitespace()
                .next_back()
                .is_some_and(|w| {
                    SUBJECTLESS_PREPOSITIONS
                        .iter()
                        .any(|p| w.eq_ignore_ascii_case(p))
                })
        };
        let eligible = |&&(span, e): &&(Span, usize)| {
            before.contains(span) && !governed(span) && self.can_act(ctx, span, e, targets)
        };
        let appositive = ctx.slice(before).trim_end().ends_with(',');
        let before_appositive = appositive
            .then(|| {
                ctx.entities.iter().filter(eligible).find(|(span, _)| {
                    ctx.slice(Span::new(span.end, before.end))
                        .trim_start()
                        .starts_with(',')
                })
            })
            .flatten();
        before_appositive
            .or_else(|| ctx.entities.iter().rev().find(eligible))
            .copied()
    }

    /// True when the mention can be an actor: an organisation, person or
    /// place, not a possessor ("Huawei's smaller rival paid"), not a
    /// target, not a news organisation.
    fn can_act(
        &self,
        ctx: &SentenceContext,
        span: Span,
        e: usize,
        targets: &[(Span, usize)],
    ) -> bool {
        let entity = &ctx.all_entities[e];
        let possessor = ctx.text[span.end..].starts_with(['\'', '’']);
        // A name joined by a hyphen to the word after it only modifies
        // the phrase's head ("the Gibraltar-based Menatep Group").
        let modifier = ctx.text[span.end..]
            .strip_prefix('-')
            .is_some_and(|rest| rest.starts_with(char::is_alphabetic));
        !possessor
            && !modifier
            && !targets.iter().any(|&(_, t)| t == e)
            && matches!(
                entity.kind,
                EntityType::Org | EntityType::Person | EntityType::Gpe
            )
            && !self.is_non_participant(&entity.name)
    }

    /// The actor a noun phrase names (see [`PhraseActor`]).
    fn phrase_actor(
        &self,
        ctx: &SentenceContext,
        (phrase, head): (Span, Span),
        trigger: Span,
        targets: &[(Span, usize)],
    ) -> PhraseActor {
        if let Some(&(span, e)) = ctx
            .entities
            .iter()
            .find(|&&(s, e)| s.overlaps(head) && self.can_act(ctx, s, e, targets))
        {
            return PhraseActor::Found(ctx.arg(span, e));
        }
        if ctx
            .entities
            .iter()
            .any(|&(s, e)| s.overlaps(head) && targets.iter().any(|&(_, t)| t == e))
        {
            return PhraseActor::Unresolved;
        }
        let text = ctx.slice(phrase).trim();
        let head_text = ctx.slice(head);
        // "Napier, a remand prisoner at the time, raised": the phrase is
        // an appositive; the name it describes acts. So does a name inside
        // a phrase whose head is no person or group ("Mr Richter").
        let appositive = ctx.entities.iter().find(|&&(s, e)| {
            let gap_before =
                s.end <= phrase.start && ctx.slice(Span::new(s.end, phrase.start)).trim() == ",";
            let gap_after = s.start >= phrase.end && {
                let gap = ctx.slice(Span::new(phrase.end, s.start)).trim();
                // ", the Securities and Exchange Commission" is one; ",
                // filed in Los Angeles" is a participle's complement.
                gap.split_whitespace().count() <= 3
                    && gap.strip_prefix(',').is_some_and(|words| {
                        words.split_whitespace().all(|w| {
                            ["the", "a", "an"].contains(&w) || w.starts_with(char::is_uppercase)
                        })
                    })
            };
            (gap_before || gap_after) && self.can_act(ctx, s, e, targets)
        });
        let inside = (!self.cues.agent_noun.is_match(head_text))
            .then(|| {
                ctx.entities
                    .iter()
                    .find(|&&(s, e)| phrase.contains(s) && self.can_act(ctx, s, e, targets))
            })
            .flatten();
        if let Some(&(span, e)) = appositive.or(inside) {
            return PhraseActor::Found(ctx.arg(span, e));
        }
        if self.cues.relative.is_match(head_text) {
            return PhraseActor::Absent;
        }
        if self.cues.pronoun.is_match(head_text) {
            return PhraseActor::Unresolved;
        }
        let wanted = if self.cues.person_anaphor.is_match(head_text) {
            Some(EntityType::Person)
        } else if self.cues.org_anaphor.is_match(text) {
            Some(EntityType::Org)
        } else {
            None
        };
        if let Some(kind) = wanted {
            // "The US said it filed the complaint": the sayer right before
            // "it" is what it stands for, before any name further back.
            let sayer = (head_text == "it")
                .then(|| self.sayer(ctx, phrase))
                .flatten();
            return sayer
                .or_else(|| self.antecedent(ctx, phrase.start, kind))
                .map_or(PhraseActor::Unresolved, PhraseActor::Found);
        }
        let bare = match self.cues.determiner.find(text) {
            Some(m) => &text[m.end()..],
            None => text,
        };
        let nominal = self.cues.agent_noun.is_match(head_text)
            && !phrase.overlaps(trigger)
            && bare.split_whitespace().count() <= 6
            && !bare.is_empty();
        if nominal {
            PhraseActor::Found(Arg {
                entity: None,
                text: bare.to_string(),
            })
        } else {
            PhraseActor::Unresolved
        }
    }

    /// The state or organisation that says what "it" will do ("The United
    /// States said it would impose sanctions"): the name that is the
    /// subject of the saying verb right before the pronoun.
    fn sayer(&self, ctx: &SentenceContext, pronoun: Span) -> Option<Arg> {
        ctx.entities
            .iter()
            .rev()
            .find(|&&(s, e)| {
                s.end <= pronoun.start
                    && matches!(ctx.all_entities[e].kind, EntityType::Gpe | EntityType::Org)
                    && !self.is_non_participant(&ctx.all_entities[e].name)
                    && SAYING_BEFORE_IT
                        .iter()
                        .any(|verb| says_before(ctx.slice(Span::new(s.end, pronoun.start)), verb))
            })
            .map(|&(s, e)| ctx.arg(s, e))
    }

    /// The entity of `kind` mentioned before `pos` in this sentence or the
    /// previous one, when it is the only one there: with two candidates
    /// the pronoun is left unresolved rather than guessed.
    fn antecedent(&self, ctx: &SentenceContext, pos: usize, kind: EntityType) -> Option<Arg> {
        self.antecedent_at(ctx, pos, kind)
            .map(|(span, e)| ctx.arg(span, e))
    }

    /// The mention [`Self::antecedent`] resolves a pronoun at `pos` to.
    fn antecedent_at(
        &self,
        ctx: &SentenceContext,
        pos: usize,
        kind: EntityType,
    ) -> Option<(Span, usize)> {
        let fits = |&&(s, e): &&(Span, usize)| {
            s.end <= pos
                && ctx.all_entities[e].kind == kind
                && !self.is_non_participant(&ctx.all_entities[e].name)
        };
        // "Yukos has said it will sue": one name of the kind earlier in the
        // same sentence is what the pronoun stands for.
        let mut own = ctx.entities.iter().filter(fits);
        if let Some(&(span, e)) = own.next_back() {
            let id = &ctx.all_entities[e].id;
            if own.all(|&(_, other)| &ctx.all_entities[other].id == id) {
                return Some((span, e));
            }
        }
        let mut candidates = ctx.prior.iter().chain(&ctx.entities).filter(fits);
        let Some(&(span, e)) = candidates.next_back() else {
            // None of the kind in this sentence or the previous one ("Yukos
            // called the sale illegal. It also has vowed to ... Earlier this
            // month it sued"): the subject of the sentences before, when
            // the last two of the kind name one entity.
            let mut earlier = ctx.earlier.iter().filter(fits);
            let &(span, e) = earlier.next_back()?;
            let id = &ctx.all_entities[e].id;
            return earlier
                .next_back()
                .is_none_or(|&(_, other)| &ctx.all_entities[other].id == id)
                .then_some((span, e));
        };
        let unique =
            candidates.all(|&(_, other)| ctx.all_entities[other].id == ctx.all_entities[e].id);
        if unique {
            return Some((span, e));
        }
        // Several candidates: a subject pronoun that opens its sentence
        // continues the subject of the previous one ("Yukos is suing four
        // companies. It has also threatened to sue ...").
        let opens = ctx.slice(Span::new(ctx.span.start, pos)).trim().is_empty();
        let subject = ctx.previous_subject()?;
        opens
            .then(|| {
                ctx.prior
                    .iter()
                    .filter(fits)
                    .find(|(s, _)| subject.contains(*s))
            })
            .flatten()
            .copied()
    }

    /// The maker a noun trigger names: "(filed|brought) by X" right after
    /// it, else a name right before it ("a Yukos lawsuit").
    fn maker(
        &self,
        ctx: &SentenceContext,
        trigger: Span,
        targets: &[(Span, usize)],
    ) -> Option<Arg> {
        if let Some(window) = self.by_phrase(ctx, trigger) {
            let named = self
                .by_phrase_makers(ctx, window, targets)
                .into_iter()
                .next();
            return named.or_else(|| self.collective_in(ctx, window));
        }
        let gap_ok = |s: Span| {
            let gap = ctx.slice(Span::new(s.end, trigger.start));
            let gap = gap.trim_start_matches(['\'', '’', 's']).trim();
            gap.split_whitespace().count() <= 1 && !gap.contains(',')
        };
        ctx.entities
            .iter()
            .rev()
            .find(|&&(s, e)| {
                s.end <= trigger.start
                    && gap_ok(s)
                    && !targets.iter().any(|&(_, t)| t == e)
                    && matches!(
                        ctx.all_entities[e].kind,
                        EntityType::Org | EntityType::Person
                    )
            })
            .map(|&(s, e)| ctx.arg(s, e))
            .or_else(|| self.people_premodifier(ctx, trigger))
    }

    /// The group a people noun right before a noun trigger names
    /// ("shareholder lawsuits": lawsuits by shareholders), in the plural.
    fn people_premodifier(&self, ctx: &SentenceContext, trigger: Span) -> Option<Arg> {
        let before = ctx.slice(Span::new(ctx.span.start, trigger.start));
        let word = before.split_whitespace().next_back()?;
        self.cues.people_premodifier.is_match(word).then(|| Arg {
            entity: None,
            text: format!("{}s", word.to_lowercase()),
        })
    }

    /// The noun phrase of the "by" phrase right after a noun trigger ("a
    /// lawsuit brought by X", "the lawsuit was brought by X"): from after
    /// "by" to the first comma, clause word, preposition or finite verb
    /// that ends it.
    fn by_phrase(&self, ctx: &SentenceContext, trigger: Span) -> Option<Span> {
        let after = ctx.slice(Span::new(trigger.end, ctx.span.end));
        let by_word = after.split_whitespace().take(6).any(|w| w == "by");
        if let Some(i) = after.find(" by ").filter(|_| by_word) {
            return Some(self.phrase_from(ctx, trigger.end + i + 4));
        }
        // "lawsuits on behalf of aggrieved investors": the party the
        // action is brought for.
        let behalf = " on behalf of ";
        let i = after
            .find(behalf)
            .filter(|&i| after[..i].split_whitespace().count() <= 3)?;
        Some(self.phrase_from(ctx, trigger.end + i + behalf.len()))
    }

    /// The noun phrase that starts at `start`: up to the first comma,
    /// clause word, preposition or verb that ends it outside a name.
    fn phrase_from(&self, ctx: &SentenceContext, start: usize) -> Span {
        let rest = ctx.slice(Span::new(start, ctx.span.end));
        let end = self
            .cues
            .phrase_end
            .find_iter(rest)
            .map(|m| start + m.start())
            .find(|&at| !ctx.entities.iter().any(|(s, _)| s.start < at && at < s.end))
            .unwrap_or(ctx.span.end);
        let end = ctx
            .verb_from(start)
            .filter(|&at| {
                !ctx.entities
                    .iter()
                    .any(|(s, _)| s.start <= at && at < s.end)
            })
            .map_or(end, |at| end.min(at));
        Span::new(start, end)
    }

    /// The makers a "by" phrase names, one per conjunct ("by Microsoft and
    /// New York attorney general Eliot Spitzer": both). In each conjunct
    /// the name that ends it is its head ("New York attorney general Eliot
    /// Spitzer": Spitzer); a name followed by more words only modifies the
    /// head ("the US financial watchdog"), and then an appositive name
    /// after the phrase is the maker (", the Securities and Exchange
    /// Commission").
    fn by_phrase_makers(
        &self,
        ctx: &SentenceContext,
        window: Span,
        targets: &[(Span, usize)],
    ) -> Vec<Arg> {
        let inside: Vec<(Span, usize)> = ctx
            .entities
            .iter()
            .filter(|&&(s, e)| window.contains(s) && self.can_act(ctx, s, e, targets))
            .copied()
            .collect();
        let mut cuts = vec![window.start];
        let text = ctx.slice(window);
        for (i, _) in text.match_indices(" and ") {
            let at = window.start + i;
            if !ctx
                .entities
                .iter()
                .any(|(s, _)| s.start <= at && at < s.end)
            {
                cuts.push(at + " and ".len());
            }
        }
        cuts.push(window.end);
        let mut makers = Vec::new();
        for pair in cuts.windows(2) {
            let conjunct = Span::new(pair[0], pair[1]);
            let Some(&(span, e)) = inside.iter().rev().find(|(s, _)| conjunct.contains(*s)) else {
                continue;
            };
            let tail = ctx.slice(Span::new(span.end, conjunct.end));
            let tail = tail.trim_matches(|c: char| c.is_whitespace() || c.is_ascii_punctuation());
            if tail.is_empty() || tail == "and" {
                makers.push(ctx.arg(span, e));
            }
        }
        if makers.is_empty() {
            makers.extend(self.appositive_after(ctx, window, targets));
        }
        // "rejected by the company": a description of a name told before
        // is no group named here.
        let described = self.cues.org_anaphor.is_match(
            ctx.slice(window)
                .trim_end_matches(|c: char| !c.is_alphanumeric()),
        );
        if makers.is_empty() && !described {
            makers.extend(self.nominal(ctx, window));
        }
        makers
    }

    /// The party a legal action is against when no entity names it: a
    /// group or institution after "against" ("a claim against the
    /// government"), else the object of the trigger verb ("threatened to
    /// sue the Russian government").
    fn nominal_opponent(
        &self,
        ctx: &SentenceContext,
        trigger: Span,
        frame: Option<&Frame>,
    ) -> Option<Arg> {
        let after = ctx.slice(Span::new(trigger.end, ctx.span.end));
        let against = after
            .find("against ")
            .filter(|&i| after[..i].split_whitespace().count() <= 3)
            .map(|i| trigger.end + i + "against ".len());
        let phrase = match against {
            Some(start) => self.phrase_from(ctx, start),
            None => {
                let frame = frame.filter(|f| f.opens_with_verb())?;
                *frame.role_spans(RoleKind::Object).first()?
            }
        };
        let found = self.nominal(ctx, phrase)?;
        Some(self.named_by_head(ctx, &found.text).unwrap_or(found))
    }

    /// The article's one organisation whose name ends in the phrase's head
    /// ("the department": the US Department of Defense), when exactly one
    /// does.
    fn named_by_head(&self, ctx: &SentenceContext, phrase: &str) -> Option<Arg> {
        let head = phrase.split_whitespace().next_back()?;
        let mut named = ctx.all_entities.iter().filter(|e| {
            e.kind == EntityType::Org
                && e.name
                    .split_whitespace()
                    .any(|w| w.eq_ignore_ascii_case(head))
        });
        let entity = named.next()?;
        named.next().is_none().then(|| Arg {
            entity: Some(entity.id.clone()),
            text: phrase.to_string(),
        })
    }

    /// A phrase that names a person or group without an entity ("the
    /// Clinton administration", "aggrieved investors"): its text without
    /// a determiner, when its last word is an agent noun.
    fn nominal(&self, ctx: &SentenceContext, phrase: Span) -> Option<Arg> {
        // "brought by shareholders." at the sentence's end.
        let text = ctx
            .slice(phrase)
            .trim()
            .trim_end_matches(|c: char| c.is_ascii_punctuation() || c.is_whitespace());
        let last = text.split_whitespace().next_back()?;
        let bare = match self.cues.determiner.find(text) {
            Some(m) => &text[m.end()..],
            None => text,
        };
        (self.cues.agent_noun.is_match(last) && bare.split_whitespace().count() <= 4).then(|| Arg {
            entity: None,
            text: bare.to_string(),
        })
    }

    /// The name in apposition right after `phrase` (", the Securities and
    /// Exchange Commission"), when one opens the next phrase.
    fn appositive_after(
        &self,
        ctx: &SentenceContext,
        phrase: Span,
        targets: &[(Span, usize)],
    ) -> Option<Arg> {
        ctx.entities
            .iter()
            .find(|&&(s, e)| {
                s.start >= phrase.end
                    && {
                        let gap = ctx.slice(Span::new(phrase.end, s.start)).trim();
                        let gap = gap.strip_prefix(',').map(str::trim);
                        gap.is_some_and(|g| matches!(g, "" | "the" | "The"))
                    }
                    && self.can_act(ctx, s, e, targets)
            })
            .map(|&(s, e)| ctx.arg(s, e))
    }

    /// A group named without an entity ("nine Republican lawmakers").
    fn collective_actor(&self, ctx: &SentenceContext) -> Option<Arg> {
        self.collective_in(ctx, ctx.span)
    }

    /// A group named without an entity inside `span`.
    fn collective_in(&self, ctx: &SentenceContext, span: Span) -> Option<Arg> {
        self.cues.collective.find(ctx.slice(span)).map(|m| Arg {
            entity: None,
            text: m.as_str().to_string(),
        })
    }

    /// The issuing authority of a list, linked to the article's entity for it when present.
    fn list_authority(&self, ctx: &SentenceContext, list_id: &str) -> Option<Arg> {
        let info = self.lists.iter().find(|l| l.id == list_id)?;
        let entity = ctx
            .authorities
            .iter()
            .find(|(id, _)| id == list_id)
            .and_then(|&(_, e)| e)
            .map(|e| &ctx.all_entities[e]);
        Some(Arg {
            entity: entity.map(|e| e.id.clone()),
            text: entity.map_or_else(|| info.authority.clone(), |e| e.name.clone()),
        })
    }

    /// The entity that stands for each named list's authority: by name,
    /// by an alias as its name, or by an alias as one of its mentions.
    fn list_authorities(
        &self,
        entities: &[Entity],
        hits: &[ListHit],
    ) -> Vec<(String, Option<usize>)> {
        let mut found: Vec<(String, Option<usize>)> = Vec::new();
        for hit in hits {
            if found.iter().any(|(id, _)| *id == hit.id) {
                continue;
            }
            let Some(info) = self.lists.iter().find(|l| l.id == hit.id) else {
                continue;
            };
            let entity = entities.iter().position(|e| {
                e.name.eq_ignore_ascii_case(&info.authority)
                    || info
                        .authority_aliases
                        .iter()
                        .any(|a| a.eq_ignore_ascii_case(&e.name))
                    || e.mentions
                        .iter()
                        .any(|m| info.authority_aliases.iter().any(|a| a == &m.text))
            });
            found.push((hit.id.clone(), entity));
        }
        found
    }

    /// True when the sentence reports the event second-hand ("according
    /// to", "reportedly"); a cue that is the trigger's own object ("denied
    /// claims that ...") reports nothing.
    fn reported(&self, ctx: &SentenceContext, trigger: Span) -> bool {
        self.cues.reported.find_iter(ctx.body).any(|m| {
            let at = ctx.span.start + m.start();
            let object = at >= trigger.end
                && ctx
                    .slice(Span::new(trigger.end, at))
                    .split_whitespace()
                    .count()
                    <= 2;
            !object
        })
    }

    /// Polarity and modality, scoped to the trigger's clause: its verb
    /// group's negation and modal, a conditional clause, then the cue
    /// words before the trigger.
    fn modality(
        &self,
        rule: &Rule,
        ctx: &SentenceContext,
        trigger: Span,
        frame: Option<&Frame>,
    ) -> (Polarity, Modality) {
        let start = ctx.clause_start(trigger.start);
        let start = frame
            .and_then(Frame::subordinate_start)
            .map_or(start, |s| s.max(start).min(trigger.start));
        let clause = ctx.slice(Span::new(start, trigger.start));
        let near = last_words(clause, 8);
        let modal = frame.and_then(|f| f.modal(ctx.text)).unwrap_or("");
        let conditional = frame.is_some_and(|f| f.clause_kind() == Some(ClauseKind::Conditional));
        let modality = if conditional
            || self.cues.speculative.is_match(modal)
            || self.cues.hypothetical.is_match(clause)
            || self.cues.speculative.is_match(near)
        {
            Modality::Hypothetical
        } else if rule.modality != Modality::Asserted {
            rule.modality
        } else if rule.actor == ActorStrategy::Maker && self.cues.presupposing.is_match(clause) {
            // "agreed to pay $20m to settle lawsuits": what is settled was
            // brought, whatever the settling's modality.
            Modality::Asserted
        } else if self.cues.proposed.is_match(modal) || self.cues.proposed.is_match(near) {
            Modality::Proposed
        } else if self.reported(ctx, trigger) {
            Modality::Reported
        } else {
            Modality::Asserted
        };
        let clause_negated = frame
            .and_then(Frame::negated)
            .unwrap_or_else(|| self.cues.negation.is_match(last_words(clause, 4)));
        let negated = rule.negated || (!rule.behaviour.negation_in_content && clause_negated);
        let polarity = if negated {
            Polarity::Negative
        } else {
            Polarity::Positive
        };
        (polarity, modality)
    }
}

/// The judge a phrase such as "A judge" or "the judge" stands for: the
/// article's one person named with the title ("Texas Judge Letitia
/// Clark"), when exactly one is; with two judges named it stays a phrase.
fn titled_judge(ctx: &SentenceContext, phrase: &str) -> Option<Arg> {
    let mut words = phrase.split_whitespace();
    let generic = matches!(words.next(), Some("a" | "A" | "an" | "An" | "the" | "The"))
        && words.next_back() == Some("judge");
    if !generic {
        return None;
    }
    let mut judges = ctx.doc_entities.iter().filter(|&&(s, e)| {
        ctx.all_entities[e].kind == EntityType::Person
            && ctx.text[..s.start].trim_end().ends_with("Judge")
    });
    let &(_, first) = judges.next()?;
    let id = &ctx.all_entities[first].id;
    judges
        .all(|&(_, e)| &ctx.all_entities[e].id == id)
        .then(|| Arg {
            entity: Some(id.clone()),
            text: phrase.to_string(),
        })
}

/// The content words of a body's name, lower-cased, without its country
/// prefix and function words ("US Department of the Treasury": department,
/// treasury).
fn name_words(name: &str) -> std::collections::BTreeSet<String> {
    name.split_whitespace()
        .map(|w| w.to_lowercase().replace('.', ""))
        .filter(|w| !matches!(w.as_str(), "us" | "uk" | "eu" | "the" | "of" | "for"))
        .collect()
}

fn words_set(words: &[String]) -> std::collections::BTreeSet<String> {
    words.iter().cloned().collect()
}

/// An event's date at day granularity: a time of day is dropped
/// ("2021-03-13T06:10" from an update banner gives 2021-03-13).
/// True when the trigger's first word follows a determiner: a participle
/// used as a noun ("Among the accused were ...") is no verb.
fn after_determiner(ctx: &SentenceContext, frame: &Frame) -> bool {
    let before = ctx.slice(Span::new(ctx.span.start, frame.first_start()));
    before.split_whitespace().next_back().is_some_and(|w| {
        matches!(
            w.to_lowercase().as_str(),
            "the" | "a" | "an" | "these" | "those"
        )
    })
}

/// The run of capitalised words (and "of", "for" between them) that ends
/// `text` ("... after the House of Lords": "House of Lords").
fn capitalised_tail(text: &str) -> &str {
    let mut start = text.len();
    let mut end = text.len();
    // Walk the words from the end: `end` is where the current word ends.
    while end > 0 {
        let word_start = text[..end].rfind(char::is_whitespace).map_or(0, |i| i + 1);
        let word = &text[word_start..end];
        let capital = word.starts_with(|c: char| c.is_uppercase());
        let joiner = matches!(word, "of" | "for") && start < text.len();
        if !(capital || joiner) {
            break;
        }
        start = word_start;
        end = text[..word_start].trim_end().len();
    }
    let tail = &text[start..];
    tail.trim_start_matches("of ").trim_start_matches("for ")
}

/// True when one of `verbs` is among the last three words of `before`
/// (the text before a trigger).
fn governed_by(before: &str, verbs: &[String]) -> bool {
    !verbs.is_empty()
        && before
            .split_whitespace()
            .rev()
            .take(3)
            .any(|w| verbs.iter().any(|v| v.eq_ignore_ascii_case(w)))
}

/// Removes a target that only modifies the person named after it: an
/// organisation or place followed, within the same noun phrase, by lower-case
/// title words and the person's name ("WorldCom chief executive Bernard
/// Ebbers": Ebbers; "Huawei and ZTE" or "Huawei says Ren" keep both).
fn drop_name_modifiers(ctx: &SentenceContext, found: &mut Vec<(Span, usize)>) {
    if found.len() < 2 {
        return;
    }
    let tokens = ctx.tokens();
    let modifies = |&(span, e): &(Span, usize)| {
        if !matches!(ctx.all_entities[e].kind, EntityType::Org | EntityType::Gpe) {
            return false;
        }
        let Some(&(person, _)) = found
            .iter()
            .find(|&&(s, x)| s.start >= span.end && ctx.all_entities[x].kind == EntityType::Person)
        else {
            return false;
        };
        let gap = ctx.slice(Span::new(span.end, person.start));
        let words: Vec<&str> = gap.split_whitespace().collect();
        let titled = (1..=4).contains(&words.len())
            && words.iter().all(|w| {
                w.chars().all(|c| c.is_lowercase() || c == '-')
                    && !matches!(
                        *w,
                        "and" | "or" | "nor" | "but" | "of" | "to" | "by" | "with"
                    )
            });
        let verb_between = tokens
            .iter()
            .any(|t| t.span.start >= span.end && t.span.end <= person.start && t.tag.is_verb());
        titled && !verb_between
    };
    let keep: Vec<bool> = found.iter().map(|c| !modifies(c)).collect();
    let mut keep = keep.into_iter();
    found.retain(|_| keep.next().unwrap_or(true));
}

/// True when a TimeML value can date an event: not a present or past
/// reference (`PAST_REF`). An underspecified value ("last month" without
/// a publication date, `XXXX-XX`) still says when, relative to the text.
fn dates_an_event(value: &str) -> bool {
    !value.ends_with("_REF")
}

fn day_of(value: &str) -> &str {
    match value.find('T') {
        Some(i) if i > 0 && value.as_bytes()[i - 1].is_ascii_digit() => &value[..i],
        _ => value,
    }
}

/// The targets that stand in the verb's object or its against/on/over
/// complement ("accused Mr Blair of making a speech to Labour delegates":
/// Blair, not Labour); all of them when none does.
fn within_complements(found: Vec<(Span, usize)>, frame: Option<&Frame>) -> Vec<(Span, usize)> {
    let Some(frame) = frame else { return found };
    // "alleged that Huawei stole secrets from T-Mobile": the reported
    // clause's subject is what the trigger is about.
    let reported = frame.reported_subject();
    let spans: Vec<Span> = reported
        .into_iter()
        .chain(
            [
                RoleKind::Object,
                RoleKind::Against,
                RoleKind::On,
                RoleKind::Over,
            ]
            .into_iter()
            .filter(|_| reported.is_none())
            .flat_map(|k| frame.role_spans(k)),
        )
        .collect();
    let inside: Vec<(Span, usize)> = found
        .iter()
        .copied()
        .filter(|(s, _)| spans.iter().any(|r| r.contains(*s)))
        .collect();
    if inside.is_empty() {
        found
    } else {
        inside
    }
}

/// Whether an event's first trigger is followed by its maker's "by"
/// phrase ("a lawsuit filed by Mr Spitzer", "brought by the watchdog").
fn made_by(event: &Event) -> bool {
    let Some(trigger) = event.mentions.first() else {
        return false;
    };
    let after = trigger.end.saturating_sub(event.evidence.span.start);
    let words: Vec<&str> = event
        .evidence
        .text
        .get(after..)
        .unwrap_or("")
        .split_whitespace()
        .take(2)
        .collect();
    matches!(words[..], ["by", ..] | [_, "by"])
}

/// Whether a settlement's first trigger says its actor pays ("agreed to
/// pay $850m to settle").
fn pays(event: &Event) -> bool {
    let Some(trigger) = event.mentions.first() else {
        return false;
    };
    let start = trigger.start.saturating_sub(event.evidence.span.start);
    let end = trigger.end.saturating_sub(event.evidence.span.start);
    event
        .evidence
        .text
        .get(start..end)
        .unwrap_or("")
        .split_whitespace()
        .any(|w| w == "pay" || w == "pays" || w == "paid")
}

/// The most bytes between a settlement's trigger and the proceeding it
/// settles ("to settle | a civil | lawsuit").
const SETTLED_GAP: usize = 24;

/// How many events on either side of a settlement may be the proceeding
/// it settles (a sentence yields few events).
const SETTLED_WINDOW: usize = 4;

/// Saying verbs whose subject the "it" of their reported clause stands for.
const SAYING_BEFORE_IT: &[&str] = &["said", "says", "announced", "stated", "warned", "added"];

/// "Rapper Snoop Dogg sued for 'rape'": a headline tells an active event
/// in the present ("Yukos sues four firms"), so a bare past form right
/// after its subject, with a preposition where the object would stand, is
/// a reduced passive. A headline is the text's first sentence, without
/// closing punctuation.
fn headline_participle(ctx: &SentenceContext, trigger: Span, next_word: Option<&str>) -> bool {
    let body = ctx.slice(ctx.span).trim_end();
    let headline =
        ctx.text[..ctx.span.start].trim().is_empty() && !body.ends_with(['.', '!', '?', ':']);
    let word = ctx.slice(trigger).split_whitespace().next().unwrap_or("");
    let before = ctx
        .slice(Span::new(ctx.span.start, trigger.start))
        .trim_end();
    headline
        && word.ends_with("ed")
        && !before.is_empty()
        && !before.ends_with(['\'', '"', '‘', '“', ','])
        && next_word.is_some_and(|w| HEADLINE_PASSIVE_NEXT.contains(&w))
}

/// The words that, right after a headline's bare past form, stand where
/// an object would ("sued for", "banned over", "fined by").
const HEADLINE_PASSIVE_NEXT: &[&str] = &["for", "over", "by", "after", "as", "amid"];

/// Whether `gap` is just `verb` (after "has" or "had", before "that").
fn says_before(gap: &str, verb: &str) -> bool {
    let words: Vec<&str> = gap.split_whitespace().collect();
    let words = match words.first() {
        Some(&("has" | "had")) => &words[1..],
        _ => &words[..],
    };
    match words {
        [w] | [w, "that"] => *w == verb,
        _ => false,
    }
}

/// Whether the text between two names joins them as conjuncts: "and" or
/// "or" with at most three plain words (a descriptor or title: "Schroeder
/// and French President Jacques Chirac", not a possessor), or a comma.
fn conjoined(gap: &str) -> bool {
    let words: Vec<&str> = gap
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|w| !w.is_empty())
        .collect();
    let joined = matches!(words.first(), Some(&"and") | Some(&"or"))
        && words.len() <= 4
        && words[1..]
            .iter()
            .all(|w| w.chars().all(char::is_alphabetic));
    joined || (words.is_empty() && gap.contains(','))
}

/// The passive subject: the entity closest before the trigger, with the
/// entities coordinated with it ("Xiaomi, Luokong and Gowin were added").
fn coordinated_tail(
    ctx: &SentenceContext,
    found: Vec<(Span, usize)>,
    trigger: Span,
) -> Vec<(Span, usize)> {
    let Some(&last) = found.last() else {
        return found;
    };
    // The subject of a passive stands right before its auxiliary.
    if ctx
        .slice(Span::new(last.0.end, trigger.start))
        .split_whitespace()
        .count()
        > MAX_PASSIVE_GAP
    {
        return Vec::new();
    }
    let mut chain = vec![last];
    for &(span, e) in found.iter().rev().skip(1) {
        let gap = ctx.slice(Span::new(span.end, chain[chain.len() - 1].0.start));
        let joined = gap.split(|c: char| c == ',' || c.is_whitespace()).all(|w| {
            matches!(
                w.to_lowercase().as_str(),
                "" | "and"
                    | "or"
                    | "&"
                    | "company"
                    | "group"
                    | "corporation"
                    | "corp"
                    | "co"
                    | "inc"
                    | "ltd"
                    | "plc"
            )
        });
        if !joined {
            break;
        }
        chain.push((span, e));
    }
    chain.reverse();
    chain
}

/// Capitalised comma-separated members of the enumeration that holds the
/// given target mentions: the run of ", X" / ", and X" segments around them
/// in which every segment is a name.
fn enumeration_members(ctx: &SentenceContext, targets: &[(Span, usize)]) -> Vec<Span> {
    let first = targets
        .iter()
        .map(|(s, _)| s.start)
        .min()
        .unwrap_or(ctx.span.start);
    let last = targets
        .iter()
        .map(|(s, _)| s.end)
        .max()
        .unwrap_or(ctx.span.end);
    let mut segments: Vec<Span> = Vec::new();
    let mut start = ctx.span.start;
    for (i, c) in ctx.body.char_indices() {
        if c == ',' {
            segments.push(Span::new(start, ctx.span.start + i));
            start = ctx.span.start + i + 1;
        }
    }
    segments.push(Span::new(start, ctx.span.end));
    let names: Vec<Option<Span>> = segments.iter().map(|&seg| name_segment(ctx, seg)).collect();
    let holds_target = |seg: Span| targets.iter().any(|(t, _)| seg.contains(*t));
    // The run of name segments around the targets.
    let Some(anchor) = segments
        .iter()
        .position(|&seg| seg.start <= first && first < seg.end.max(seg.start + 1))
    else {
        return Vec::new();
    };
    let mut lo = anchor;
    while lo > 0 && names[lo - 1].is_some() {
        lo -= 1;
    }
    let mut hi = anchor;
    while hi + 1 < segments.len()
        && (names[hi + 1].is_some() || holds_target(segments[hi + 1]))
        && segments[hi + 1].start < last.max(segments[hi].end + 1)
    {
        hi += 1;
    }
    (lo..=hi).filter_map(|k| names[k]).collect()
}

/// The name a comma segment consists of ("and Grand China Air" → "Grand China Air"), if it is one.
fn name_segment(ctx: &SentenceContext, seg: Span) -> Option<Span> {
    const CONNECTORS: &[&str] = &["of", "and", "for", "the", "&", "de"];
    let text = ctx.slice(seg);
    let lead = text.len() - text.trim_start().len();
    let mut body = text.trim();
    let mut offset = seg.start + lead;
    if let Some(rest) = body.strip_prefix("and ") {
        offset += body.len() - rest.len();
        body = rest.trim_start();
    }
    let words: Vec<&str> = body.split_whitespace().collect();
    let named = !words.is_empty()
        && words.len() <= 8
        && words
            .first()
            .is_some_and(|w| w.starts_with(char::is_uppercase))
        && words
            .iter()
            .all(|w| w.starts_with(char::is_uppercase) || CONNECTORS.contains(w));
    named.then(|| Span::new(offset, offset + body.len()))
}

/// True when the trigger's last word is one of the rule's link words.
fn ends_with_link_word(rule: &Rule, trigger_text: &str) -> bool {
    trigger_text
        .split_whitespace()
        .next_back()
        .is_some_and(|w| rule.link.iter().any(|l| l.eq_ignore_ascii_case(w)))
}

/// True when the words before "from" (nearest first) are "from <goods>
/// on": a lower-case noun after "on" ("tariffs on steel from China").
fn goods_before_from(lead: &[&str]) -> bool {
    matches!(lead, [_, goods, "on", ..] if goods.chars().all(|c| c.is_lowercase()))
}

/// True when the trigger is a noun owned by a possessive pronoun ("its removal").
fn possessive_before(before: &str) -> bool {
    matches!(
        before.split_whitespace().next_back(),
        Some("its" | "their" | "Its" | "Their")
    )
}

/// The last `n` words of `s`.
fn last_words(s: &str, n: usize) -> &str {
    let mut count = 0;
    for (i, c) in s.char_indices().rev() {
        if c.is_whitespace() {
            count += 1;
            if count > n {
                return &s[i..];
            }
        }
    }
    s
}

/// How many content sentences back the subject of a sentence may still
/// stand for a pronoun.
const RECENT_SUBJECT_SENTENCES: usize = 5;

/// What a noun phrase says about an event's actor.
enum PhraseActor {
    /// An entity, the entity a pronoun stands for, or a phrase naming a
    /// group or role ("the tobacco companies").
    Found(Arg),
    /// A pronoun or phrase that names no one the rules can resolve: the
    /// actor is left out rather than guessed.
    Unresolved,
    /// A relative pronoun, or no phrase: the caller falls back on the
    /// nearest entity.
    Absent,
}

/// A list named in a sentence, by alias, generic phrase or designation.
#[derive(Clone, Debug)]
struct ListHit {
    id: String,
    span: Span,
}

/// A document's mentions sorted by span once, so that each sentence finds
/// its own by binary search instead of scanning the whole document (which
/// made event extraction quadratic in the number of sentences).
struct MentionIndex {
    /// (mention span, entity index); ties keep entity then mention order.
    entities: Vec<(Span, usize)>,
    lists: Vec<ListHit>,
    /// (span, index into the document's dates).
    dates: Vec<(Span, usize)>,
    /// Per list named in the document, the entity standing for its
    /// authority, when the document names it: found once per document,
    /// since every event on the list asks.
    authorities: Vec<(String, Option<usize>)>,
}

impl MentionIndex {
    fn new(mentions: &Mentions) -> Self {
        let mut entities: Vec<(Span, usize)> = mentions
            .entities
            .iter()
            .enumerate()
            .flat_map(|(i, e)| e.mentions.iter().map(move |m| (m.span, i)))
            .collect();
        entities.sort_by_key(|(s, _)| *s);
        let mut lists: Vec<ListHit> = mentions
            .lists
            .iter()
            .flat_map(|l| {
                l.mentions.iter().map(move |m| ListHit {
                    id: l.id.clone(),
                    span: m.span,
                })
            })
            .collect();
        lists.sort_by_key(|l| l.span);
        let mut dates: Vec<(Span, usize)> = mentions
            .dates
            .iter()
            .enumerate()
            .map(|(i, d)| (d.span, i))
            .collect();
        dates.sort_by_key(|(s, _)| *s);
        MentionIndex {
            entities,
            lists,
            dates,
            authorities: Vec::new(),
        }
    }

    /// The items of `sorted` (sorted by span) whose span lies inside `span`,
    /// in their sorted order.
    fn within<T>(
        sorted: &[T],
        span: Span,
        span_of: impl Fn(&T) -> Span + Copy,
    ) -> impl Iterator<Item = &T> {
        let from = sorted.partition_point(|x| span_of(x).start < span.start);
        let to = sorted.partition_point(|x| span_of(x).start <= span.end);
        sorted[from..to.max(from)]
            .iter()
            .filter(move |x| span.contains(span_of(x)))
    }
}

/// The mentions of one sentence, with spans relative to the document.
struct SentenceContext<'a> {
    span: Span,
    body: &'a str,
    text: &'a str,
    all_entities: &'a [Entity],
    /// The document's list authorities ([`MentionIndex::authorities`]).
    authorities: &'a [(String, Option<usize>)],
    /// (mention span, entity index), in text order.
    entities: Vec<(Span, usize)>,
    /// Every entity mention of the document, sorted by span.
    doc_entities: &'a [(Span, usize)],
    /// The entity mentions of the previous content sentence, in text order:
    /// where a pronoun or "the company" finds its entity.
    prior: Vec<(Span, usize)>,
    /// The names that open the few content sentences before the previous
    /// one, in text order: where a pronoun finds its entity when this and
    /// the previous sentence name none of its kind.
    earlier: Vec<(Span, usize)>,
    lists: Vec<ListHit>,
    /// (span, text, value, is a time of day), DATE and TIME mentions only.
    dates: Vec<(Span, &'a str, &'a str, bool)>,
    /// Court and judge names ("U.S. District Judge Rudolph Contreras").
    courts: Vec<Span>,
    /// The last list named in the previous sentence of the same paragraph.
    carried_list: Option<ListHit>,
    /// The date of the sentence the carried list comes from.
    carried_date: Option<EventDate>,
    /// The clause analysis and this sentence's index in it.
    parsed: Option<(&'a crate::clauses::Parsed, usize)>,
    /// The publication date.
    dct: Option<chrono::NaiveDate>,
    /// Whether the sentence holds any time expression, of any type: one
    /// that dates no event here ("About two months later", a duration)
    /// still says the event is not simply as of publication.
    timed: bool,
}

impl<'a> SentenceContext<'a> {
    fn new(
        rules: &EventRules,
        doc: &Doc<'a>,
        mentions: &'a Mentions,
        index: &'a MentionIndex,
        span: Span,
    ) -> Self {
        let entities = MentionIndex::within(&index.entities, span, |(s, _)| *s)
            .copied()
            .collect();
        let lists = MentionIndex::within(&index.lists, span, |h| h.span)
            .cloned()
            .collect();
        let body = span.slice(doc.text);
        let mut date_ids: Vec<usize> = MentionIndex::within(&index.dates, span, |(s, _)| *s)
            .map(|(_, i)| *i)
            .collect();
        date_ids.sort_unstable();
        let timed = !date_ids.is_empty();
        let dates = date_ids
            .into_iter()
            .map(|i| &mentions.dates[i])
            .filter(|d| matches!(d.kind, TimexType::Date | TimexType::Time))
            .map(|d| {
                (
                    d.span,
                    d.text.as_str(),
                    d.value.as_str(),
                    d.kind == TimexType::Time,
                )
            })
            .collect();
        let courts = rules
            .cues
            .court
            .find_iter(body)
            .map(|m| Span::new(span.start + m.start(), span.start + m.end()))
            .collect();
        SentenceContext {
            carried_list: None,
            carried_date: None,
            parsed: None,
            dct: doc.dct,
            timed,
            courts,
            span,
            body,
            text: doc.text,
            all_entities: &mentions.entities,
            authorities: &index.authorities,
            entities,
            doc_entities: &index.entities,
            prior: Vec::new(),
            earlier: Vec::new(),
            lists,
            dates,
        }
    }

    fn in_court_name(&self, span: Span) -> bool {
        self.courts.iter().any(|c| c.contains(span))
    }

    fn offset(&self, start: usize, end: usize) -> Span {
        Span::new(self.span.start + start, self.span.start + end)
    }

    fn slice(&self, span: Span) -> &'a str {
        span.slice(self.text)
    }

    /// Start of the clause holding `pos`: after the last ';' or ':' before it.
    fn clause_start(&self, pos: usize) -> usize {
        let head = &self.text[self.span.start..pos.max(self.span.start)];
        head.rfind([';', ':'])
            .map_or(self.span.start, |i| self.span.start + i + 1)
    }

    /// The list mention after the trigger, else the nearest one before it.
    fn list_near(&self, trigger: Span) -> Option<ListHit> {
        self.lists
            .iter()
            .find(|l| l.span.start >= trigger.start)
            .or_else(|| self.lists.iter().rev().find(|l| l.span.end <= trigger.end))
            .cloned()
    }

    /// The date mention nearest the trigger; a calendar date wins over a
    /// time of day ("Update 4 (03/13/2021 @ 6:10 AM ET)": the date).
    /// With clause analysis, only a date of the trigger's own clause, or
    /// of an open clause (main, reported, non-finite) when the trigger
    /// stands in one, qualifies; the own clause's date wins.
    fn date_near(&self, trigger: Span, frame: Option<&Frame>) -> Option<EventDate> {
        let scope = |span: Span| frame.map_or(DateScope::Sentence, |f| f.may_date(span));
        self.dates
            .iter()
            .filter(|d| dates_an_event(d.2) && !self.premodifier(d.0))
            .map(|d| (scope(d.0), d))
            .filter(|(scope, _)| *scope != DateScope::Elsewhere)
            .min_by_key(|(scope, (s, _, _, is_time))| {
                (*is_time, *scope, s.start.abs_diff(trigger.start))
            })
            .map(|(scope, &(span, text, value, _))| EventDate {
                value: day_of(value).to_string(),
                text: text.to_string(),
                span: Some(span),
                origin: Some(match scope {
                    DateScope::Clause => DateOrigin::Clause,
                    _ => DateOrigin::Sentence,
                }),
            })
    }

    /// True when the time expression at `span` modifies a noun instead of
    /// dating a clause: a bare year between a determiner and a lower-case
    /// word ("the 2001 election campaign", "its 2004 results").
    fn premodifier(&self, span: Span) -> bool {
        let year = self.slice(span).trim();
        if year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) {
            return false;
        }
        let before = self.text[self.span.start..span.start]
            .split_whitespace()
            .last();
        let determiner = before.is_some_and(|w| {
            matches!(
                w.to_lowercase().as_str(),
                "the" | "a" | "an" | "its" | "their" | "his" | "her" | "this" | "that"
            )
        });
        let next = self.text[span.end..self.span.end].split_whitespace().next();
        determiner && next.is_some_and(|w| w.starts_with(|c: char| c.is_lowercase()))
    }

    /// The subject phrase of the previous sentence's first main clause.
    fn previous_subject(&self) -> Option<Span> {
        let (parsed, number) = self.parsed?;
        let sentence = parsed.sentences.get(number.checked_sub(1)?)?;
        let tokens = parsed.tokens.get(sentence.tokens.clone())?;
        let main = sentence
            .clauses
            .iter()
            .find(|c| c.kind == ClauseKind::Main)?;
        let role = sentence
            .roles
            .iter()
            .find(|r| r.verb_group == main.verb_group && r.kind == RoleKind::Subject)?;
        let phrase = &sentence.noun_phrases[role.noun_phrase].tokens;
        let first = tokens.get(phrase.start)?;
        let last = tokens.get(phrase.end.checked_sub(1)?)?;
        Some(Span::new(first.span.start, last.span.end))
    }

    /// The sentence's tokens in the clause analysis, when there is one.
    fn tokens(&self) -> &'a [crate::clauses::Token] {
        self.parsed
            .and_then(|(parsed, number)| {
                let sentence = parsed.sentences.get(number)?;
                parsed.tokens.get(sentence.tokens.clone())
            })
            .unwrap_or(&[])
    }

    /// Where the word right after `pos` starts when it is a finite verb
    /// or modal: a name before it is a clause's subject ("..., ZTE said"),
    /// not a conjunct. Participles do not count ("Huawei and ZTE
    /// operating in").
    fn verb_next(&self, pos: usize) -> Option<usize> {
        let tokens = self.tokens();
        let next = tokens.partition_point(|t| t.span.start < pos);
        tokens
            .get(next)
            .filter(|t| finite_or_modal(t.tag))
            .map(|t| t.span.start)
    }

    /// Where the first verb after the word at `pos` starts, when the
    /// analysis tags one: a noun phrase read off the text ends at a finite
    /// verb or modal ("by the United States angered Ottawa") or at a
    /// participle after a noun ("by Judge Garzon alleging that"), not at a
    /// participle before its noun ("against the ruling party").
    fn verb_from(&self, pos: usize) -> Option<usize> {
        use crate::clauses::Tag;
        let tokens = self.tokens();
        let first = tokens.partition_point(|t| t.span.start < pos);
        (first + 1..tokens.len())
            .find(|&i| {
                let tag = tokens[i].tag;
                finite_or_modal(tag)
                    || (matches!(tag, Tag::VBG | Tag::VBN) && tokens[i - 1].tag.is_noun())
            })
            .map(|i| tokens[i].span.start)
    }

    /// The frame of `trigger` in the clause analysis, when there is one.
    fn frame(&self, trigger: Span) -> Option<Frame<'a>> {
        let (parsed, number) = self.parsed?;
        Frame::locate(parsed, number, trigger)
    }

    /// The publication date as the date of a past event no expression dates.
    fn published(&self) -> Option<EventDate> {
        self.dct.map(|d| EventDate {
            value: d.format("%Y-%m-%d").to_string(),
            text: String::new(),
            span: None,
            origin: Some(DateOrigin::Published),
        })
    }

    fn arg(&self, span: Span, entity: usize) -> Arg {
        Arg {
            entity: Some(self.all_entities[entity].id.clone()),
            text: self.slice(span).to_string(),
        }
    }
}

/// A pattern of the file, case-insensitive unless it opens with `(?-i)`,
/// compiled by the shared convention ([`crate::rules::regex`]).
fn pattern(text: &str) -> Result<Regex, regex::Error> {
    crate::rules::regex(&format!("(?i){text}"))
}

/// The cue pattern set at `key`.
fn compile(source: &RuleSource, key: &str, text: &str) -> Result<Regex, RuleError> {
    pattern(text).map_err(|e| source.error_at_key(key, format!("{key}: {e}")))
}

fn compile_rule(
    source: &RuleSource,
    def: RuleDef,
    types: &std::collections::BTreeMap<String, TypeInfo>,
) -> Result<Rule, RuleError> {
    let at = source.offset_of_entry("rule", &def.id);
    let trigger =
        pattern(&def.trigger).map_err(|e| source.error_at(at, format!("{}: {e}", def.id)))?;
    let behaviour = types.get(&def.kind).map(|t| t.behaviour).ok_or_else(|| {
        source.error_at(
            at,
            format!("{}: undeclared event type {:?}", def.id, def.kind),
        )
    })?;
    let modality = match def.modality.unwrap_or(ModalityName::Asserted) {
        ModalityName::Asserted => Modality::Asserted,
        ModalityName::Proposed => Modality::Proposed,
        ModalityName::Hypothetical => Modality::Hypothetical,
        ModalityName::Reported => Modality::Reported,
    };
    Ok(Rule {
        id: def.id,
        kind: def.kind,
        behaviour,
        trigger,
        needs: def.needs,
        targets: def.targets,
        actor: def.actor,
        link: def.link,
        modality,
        negated: def.polarity == Some(PolarityName::Negative),
        examples: def.examples,
        not_examples: def.not_examples,
        sense: SenseDef {
            verb: def.sense.verb,
            object_heads: def
                .sense
                .object_heads
                .iter()
                .map(|w| w.to_lowercase())
                .collect(),
            not_after: def
                .sense
                .not_after
                .iter()
                .map(|w| w.to_lowercase())
                .collect(),
            told: def.sense.told,
            not_by_court: def.sense.not_by_court,
            by_court: def.sense.by_court,
            content: def.sense.content,
        },
        overlaps: def.overlaps,
        place: source.place(at),
    })
}

/// Compiles each named cue pattern of `[cues]`, located by its key.
macro_rules! compile_cue_patterns {
    ($source:expr, $defs:expr; $($key:ident),* $(,)?) => {
        Cues {
            $($key: compile($source, stringify!($key), &$defs.$key)?,)*
            non_targets: $defs.non_targets,
        }
    };
}

fn compile_cues(source: &RuleSource, defs: CueDefs) -> Result<Cues, RuleError> {
    Ok(compile_cue_patterns!(source, defs;
        hypothetical, speculative, proposed, reported, negation, link_breakers,
        clause_breakers, passive, companions, inclusion, collective, court,
        person_anaphor, org_anaphor, relative, agent_noun, coordinated_heads, pronoun,
        continuation, determiner, phrase_end, presupposing, people_premodifier,
        faced,
    ))
}

/// True when a determiner of something already known ("the", "this",
/// "that", "these", "those") stands within the two words before a noun
/// trigger ("the lawsuit", "the class-action lawsuit").
fn definite_noun(ctx: &SentenceContext, trigger: Span) -> bool {
    ctx.slice(Span::new(ctx.span.start, trigger.start))
        .split_whitespace()
        .rev()
        .take(2)
        .take_while(|w| !w.ends_with([',', ';', ':']))
        .any(|w| {
            ["the", "this", "that", "these", "those"]
                .iter()
                .any(|d| w.eq_ignore_ascii_case(d))
        })
}

/// True when a noun trigger names an occurrence already told: a definite
/// or possessive determiner within the three words before it, in the same
/// phrase ("The lawsuit was brought by ...", "via its lawsuit", "the class
/// action suit against ..."). A verb ("the firm that sued") is never one.
fn told_before(doc: &Doc, trigger: Span) -> bool {
    let Some(parsed) = doc.parsed else {
        return false;
    };
    let at = parsed
        .tokens
        .partition_point(|t| t.span.start < trigger.start);
    let noun = parsed
        .tokens
        .get(at)
        .is_some_and(|t| t.span.start == trigger.start && t.tag.is_noun());
    let words: Vec<&str> = doc.text[..trigger.start]
        .split_whitespace()
        .rev()
        .take(3)
        .take_while(|w| !w.ends_with([',', ';', ':', '.', '"']))
        .collect();
    let is = |w: &str, set: &[&str]| set.iter().any(|d| w.eq_ignore_ascii_case(d));
    // "its own lawsuit", "a separate lawsuit": another occurrence.
    let other = [
        "own", "new", "separate", "second", "another", "other", "fresh", "further",
    ];
    let Some(det) = words
        .iter()
        .position(|w| is(w, &["the", "this", "these", "its", "their"]))
    else {
        return false;
    };
    noun && !words[..det].iter().any(|w| is(w, &other))
}

/// A finite verb or a modal: the tags that start a clause's verb group.
fn finite_or_modal(tag: crate::clauses::Tag) -> bool {
    use crate::clauses::Tag;
    matches!(tag, Tag::VBD | Tag::VBZ | Tag::VBP | Tag::MD)
}

/// The start of the sentence `n` sentences before the one starting at
/// `start` (the text's start when there are fewer), within a bounded
/// look-back.
fn sentences_back(text: &str, start: usize, n: usize) -> usize {
    let mut lo = start.saturating_sub(1500);
    while !text.is_char_boundary(lo) {
        lo += 1;
    }
    // The first break found before `start` ends the sentence before it.
    let mut found = 0;
    for i in (lo..start).rev() {
        if sentence_break_at(text, i) {
            found += 1;
            if found == n + 1 {
                return i + 1;
            }
        }
    }
    lo
}

/// True when byte `i` of `text` ends a sentence: a full stop, question or
/// exclamation mark followed by white space and a capital letter or a
/// quotation mark.
fn sentence_break_at(text: &str, i: usize) -> bool {
    let bytes = text.as_bytes();
    matches!(bytes[i], b'.' | b'?' | b'!')
        && bytes.get(i + 1).is_some_and(u8::is_ascii_whitespace)
        && text[i + 1..]
            .trim_start()
            .starts_with(|c: char| c.is_uppercase() || matches!(c, '"' | '“' | '‘'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clauses::ClauseAnalyzer;
    use crate::extract::Extractors;

    type Compiled = (Extractors, EventRules, ClauseAnalyzer);

    fn compiled() -> Compiled {
        let files = RuleFiles::builtin();
        let extractors = Extractors::new(&files).unwrap();
        let rules = EventRules::new(&files, extractors.lists.definitions()).unwrap();
        (extractors, rules, ClauseAnalyzer::new().unwrap())
    }

    fn events_of((extractors, rules, clauses): &Compiled, text: &str) -> Vec<Event> {
        rules.events_with_participants(extractors, clauses, text)
    }

    /// Every example sentence must make its rule's event type fire, with
    /// the stated modality and polarity.
    #[test]
    fn every_rule_example_fires() {
        let (extractors, rules, clauses) = compiled();
        rules
            .run_examples(&extractors, &clauses)
            .assert_ok("events.toml");
    }

    #[test]
    fn no_list_no_list_event() {
        assert!(events_of(&compiled(), "The letter also names the startup DeepSeek.").is_empty());
    }
}
