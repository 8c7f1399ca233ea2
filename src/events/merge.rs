//! One event per occurrence within an article: the mentions of the same
//! occurrence ("sued Morgan Stanley" in the lead, "the lawsuit against
//! Morgan Stanley" later) become one event that keeps every trigger span.
//!
//! Takes the events of one article in text order; gives them merged, in
//! the order of their first mention. Two events are one occurrence when
//! they have the same type and polarity, the same list or one without,
//! compatible modality (equal, or asserted and reported), compatible
//! actors (equal or one missing), overlapping targets or one side without
//! (on the same list by the same actor with the same date, or both
//! undated, any targets: "urged ... to add DeepSeek ... The others
//! included Unitree" is one call naming several firms; undated, "companies
//! added in earlier years" may be another listing), at least one
//! participant in common, the same instrument when both name one and no
//! target is shared, and compatible dates (equal, one missing or anchored
//! on publication, or one refining the other: 2021 and 2021-01-14). A
//! mention naming no participant joins only when its own time expression,
//! if any, is the occurrence's date. The merged event keeps the most
//! specific date, the most assertive modality and the union of targets. It
//! does not merge across articles (the timeline does).

use crate::record::{Arg, DateOrigin, Event, EventDate, Modality};
use std::collections::HashMap;

/// How many of the latest occurrences of a type an event is compared
/// with: keeps merging linear in the number of events on any input.
const MAX_CANDIDATES: usize = 64;

/// The events with the mentions of one occurrence merged. `told[i]` is
/// true when event `i` is named by a definite noun ("the lawsuit", "its
/// lawsuit"): an occurrence already told, which joins the latest one of its
/// type that its own arguments do not contradict (targets, date, modality),
/// whatever actor it reads ("The lawsuit, filed in Los Angeles").
pub(super) fn occurrences(events: Vec<Event>, told: &[bool]) -> Vec<Event> {
    let mut merged: Vec<Event> = Vec::with_capacity(events.len());
    // Per type, the indices of its occurrences in `merged`, latest last.
    let mut by_type: HashMap<String, Vec<usize>> = HashMap::new();
    for (n, event) in events.into_iter().enumerate() {
        let seen = by_type.entry(event.kind.clone()).or_default();
        let found = seen
            .iter()
            .rev()
            .take(MAX_CANDIDATES)
            .copied()
            .find(|&i| same_occurrence(&merged[i], &event))
            .or_else(|| {
                let latest = *seen.last()?;
                (told.get(n) == Some(&true) && told_again(&merged[latest], &event))
                    .then_some(latest)
            });
        match found {
            Some(i) => absorb(&mut merged[i], event),
            None => {
                seen.push(merged.len());
                merged.push(event);
            }
        }
    }
    merged
}

/// True when two arguments name the same participant: the same entity,
/// else the same text.
pub(super) fn same_arg(a: &Arg, b: &Arg) -> bool {
    match (&a.entity, &b.entity) {
        (Some(x), Some(y)) => x == y,
        _ => a.text.eq_ignore_ascii_case(&b.text),
    }
}

fn same_occurrence(a: &Event, b: &Event) -> bool {
    let actors = match (&a.actor, &b.actor) {
        (Some(x), Some(y)) => Some(same_arg(x, y)),
        _ => None,
    };
    let targets = if a.target.is_empty() || b.target.is_empty() {
        None
    } else {
        Some(
            a.target
                .iter()
                .any(|t| b.target.iter().any(|u| same_arg(t, u))),
        )
    };
    let one_listing = a.list.is_some()
        && a.list == b.list
        && actors == Some(true)
        && same_date(a.date.as_ref(), b.date.as_ref());
    a.kind == b.kind
        && (a.list == b.list || a.list.is_none() || b.list.is_none())
        && a.polarity == b.polarity
        && modality_class(a.modality) == modality_class(b.modality)
        && actors != Some(false)
        && (targets != Some(false) || one_listing)
        && (actors == Some(true) || targets == Some(true) || joins_bare(a, b))
        && dates_compatible(a.date.as_ref(), b.date.as_ref())
        && (targets == Some(true) || instruments_compatible(a, b))
}

/// A definite mention of an occurrence already told joins it unless its
/// targets, date, list, polarity or modality tell another one. Two events
/// of one trigger ("brought by Microsoft and Eliot Spitzer") are two
/// parties, not one told twice; and a call or plan belongs to its maker
/// ("Chirac called for the embargo to be lifted" after Germany's call): the
/// definite noun names the sanction, not the call.
fn told_again(a: &Event, b: &Event) -> bool {
    let same_trigger = a.mentions.iter().any(|m| b.mentions.contains(m));
    let actors_clash = matches!((&a.actor, &b.actor), (Some(x), Some(y)) if !same_arg(x, y));
    if same_trigger || (modality_class(b.modality) != 0 && actors_clash) {
        return false;
    }
    let targets_clash = !a.target.is_empty()
        && !b.target.is_empty()
        && !a
            .target
            .iter()
            .any(|t| b.target.iter().any(|u| same_arg(t, u)));
    a.kind == b.kind
        && (a.list == b.list || a.list.is_none() || b.list.is_none())
        && a.polarity == b.polarity
        && modality_class(a.modality) == modality_class(b.modality)
        && !targets_clash
        && dates_compatible(a.date.as_ref(), b.date.as_ref())
        && instruments_compatible(a, b)
}

/// Without a target in common, two named instruments must be the same:
/// "an investment ban on ZTE" and "the imposition of US trade sanctions"
/// (no target) by the same actor are two sanctions.
fn instruments_compatible(a: &Event, b: &Event) -> bool {
    match (&a.instrument, &b.instrument) {
        (Some(x), Some(y)) => x == y,
        _ => true,
    }
}

/// An event that names no participant ("the company is not a military
/// company", said in a quote): another mention of the latest occurrence
/// of its type rather than an occurrence of its own.
fn bare(e: &Event) -> bool {
    e.actor.is_none() && e.target.is_empty()
}

/// A mention sharing no participant with an occurrence joins it only when
/// one side is bare; a bare mention with a time expression of its own
/// joins only an occurrence of that date: "on Tuesday, Paws won a court
/// battle" after "Honda has won a case", or "its first lawsuits were
/// filed in November 2004" after "launched a second round of legal
/// action", tell another occurrence. (A bare occurrence, "have prompted
/// court challenges", is still told again by a dated mention naming its
/// participants.)
fn joins_bare(occurrence: &Event, mention: &Event) -> bool {
    if bare(mention) {
        textual_date(mention).is_none_or(|m| textual_date(occurrence) == Some(m))
    } else {
        bare(occurrence)
    }
}

/// The event's date value when the text gives it (not the publication date).
fn textual_date(e: &Event) -> Option<&str> {
    e.date
        .as_ref()
        .filter(|d| !anchored(d))
        .map(|d| d.value.as_str())
}

/// Asserted and reported events state that something happened; the
/// others that it may or should.
fn modality_class(m: Modality) -> u8 {
    match m {
        Modality::Asserted | Modality::Reported => 0,
        Modality::Proposed => 1,
        Modality::Hypothetical => 2,
    }
}

/// The same date value, or both undated.
fn same_date(a: Option<&EventDate>, b: Option<&EventDate>) -> bool {
    a.map(|d| &d.value) == b.map(|d| &d.value)
}

fn dates_compatible(a: Option<&EventDate>, b: Option<&EventDate>) -> bool {
    match (a.filter(|d| !anchored(d)), b.filter(|d| !anchored(d))) {
        (Some(x), Some(y)) => x.value.starts_with(&y.value) || y.value.starts_with(&x.value),
        _ => true,
    }
}

/// True for a date taken from the publication date, not from the text.
fn anchored(d: &EventDate) -> bool {
    d.origin == Some(DateOrigin::Published)
}

fn absorb(into: &mut Event, other: Event) {
    // Events arrive in text order, so the mentions stay sorted.
    into.mentions.extend(other.mentions);
    if into.actor.is_none() {
        into.actor = other.actor;
    }
    for t in other.target {
        if !into.target.iter().any(|u| same_arg(u, &t)) {
            into.target.push(t);
        }
    }
    if better_date(other.date.as_ref(), into.date.as_ref()) {
        into.date = other.date;
    }
    if other.modality == Modality::Asserted {
        into.modality = Modality::Asserted;
    }
    if into.list.is_none() {
        into.list = other.list;
    }
    if into.instrument.is_none() {
        into.instrument = other.instrument;
    }
}

/// True when `a` is a better date than `b`: from the text rather than
/// anchored, then more specific.
fn better_date(a: Option<&EventDate>, b: Option<&EventDate>) -> bool {
    let rank = |d: Option<&EventDate>| d.map(|d| (!anchored(d), d.value.len()));
    rank(a) > rank(b)
}
