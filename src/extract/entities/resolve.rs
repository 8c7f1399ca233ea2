//! Merging candidates into entities within one article.
//!
//! Takes the sentence candidates; gives [`Entity`] records with canonical
//! names, ids in order of first mention and mentions sorted by span.
//! Merges: same canonical key (alias table, legal suffixes and letter case
//! ignored), acronym in parentheses after its expansion, a lone surname
//! after the full name of exactly one person. Pending (unclassified)
//! candidates survive only by merging into a typed entity. Adds "the
//! company" mentions only for a clearly dominant company.

use super::candidates::{Cand, CorefPhrase, Found};
use super::lexicon::{CueSets, OrgClass};
use crate::record::{Entity, EntityType, Mention};
use std::collections::{HashMap, HashSet};

struct Group {
    members: Vec<usize>,
}

pub(crate) fn entities(text: &str, found: Found, cues: &CueSets) -> Vec<Entity> {
    let Found { mut cands, corefs } = found;
    cands.sort_by_key(|c| (c.span.start, std::cmp::Reverse(c.span.end)));
    dedupe_overlaps(&mut cands);
    let mut parent: Vec<usize> = (0..cands.len()).collect();
    let keys: Vec<String> = cands.iter().map(|c| key(text, c, cues)).collect();
    merge_same_key(&cands, &keys, &mut parent);
    merge_acronyms(text, &cands, &keys, &mut parent);
    merge_initialled(text, &cands, &mut parent);
    merge_surnames(text, &cands, &mut parent);
    merge_company_short_names(text, &cands, &mut parent);
    let mut groups = collect_groups(&cands, &mut parent);
    groups.retain(|g| {
        let typed = g.members.iter().any(|&m| !cands[m].pending);
        let guessed = g.members.iter().any(|&m| cands[m].fallback.is_some());
        // A lone unknown word guessed only by its shape counts once it
        // recurs, or once as the subject of a company verb.
        let recurs = g.members.len() >= 2
            || g.members.iter().any(|&m| {
                let c = &cands[m];
                c.fallback.is_some() && (fallback_rank(c) > 1 || c.rule == "org.subject")
            });
        typed || guessed && recurs
    });
    let mut out: Vec<Entity> = groups
        .iter()
        .map(|g| build_entity(text, &cands, g, cues))
        .collect();
    add_company_corefs(text, &cands, &groups, &corefs, &mut out);
    out.sort_by_key(|e| e.mentions.first().map(|m| m.span.start));
    for (i, e) in out.iter_mut().enumerate() {
        e.id = format!("e{}", i + 1);
    }
    out
}

/// Keeps the first (longest at equal start) of overlapping candidates.
fn dedupe_overlaps(cands: &mut Vec<Cand>) {
    let mut last_end = 0;
    cands.retain(|c| {
        let keep = c.span.start >= last_end;
        if keep {
            last_end = c.span.end;
        }
        keep
    });
}

/// `name` without a trailing legal form ("Xiaomi Corporation" → "Xiaomi").
fn strip_legal_suffix<'n>(name: &'n str, cues: &CueSets) -> &'n str {
    strip_last_word(name, &cues.legal_suffix)
}

fn strip_last_word<'n>(name: &'n str, words: &super::lexicon::WordSet) -> &'n str {
    match name.rsplit_once(' ') {
        Some((rest, last)) if words.contains(last) => rest.trim_end_matches([' ', ',']),
        _ => name,
    }
}

/// Surface name without possessive, suffix, case: what aliases share.
fn key(text: &str, c: &Cand, cues: &CueSets) -> String {
    if let Some(canonical) = &c.canonical {
        return canonical.to_lowercase();
    }
    let surface = c.span.slice(text);
    let base = match c.kind {
        EntityType::Org => {
            let short = strip_legal_suffix(surface, cues);
            strip_last_word(short, &cues.weak_suffix)
        }
        _ => surface,
    };
    base.replace('\u{2019}', "'").to_lowercase()
}

fn find(parent: &mut [usize], i: usize) -> usize {
    let mut r = i;
    while parent[r] != r {
        r = parent[r];
    }
    let mut i = i;
    while parent[i] != r {
        let next = parent[i];
        parent[i] = r;
        i = next;
    }
    r
}

fn union(parent: &mut [usize], a: usize, b: usize) {
    let (ra, rb) = (find(parent, a), find(parent, b));
    if ra != rb {
        // The earlier candidate stays the root.
        parent[ra.max(rb)] = ra.min(rb);
    }
}

fn merge_same_key(cands: &[Cand], keys: &[String], parent: &mut [usize]) {
    let mut first: HashMap<&str, usize> = HashMap::new();
    for (i, k) in keys.iter().enumerate() {
        match first.get(k.as_str()) {
            Some(&j) if compatible(&cands[j], &cands[i]) => union(parent, j, i),
            Some(_) => {}
            None => {
                first.insert(k, i);
            }
        }
    }
}

/// Same key but different typed kinds ("Chinese" NORP, "Chinese" ORG) stay apart.
fn compatible(a: &Cand, b: &Cand) -> bool {
    a.pending || b.pending || a.kind == b.kind
}

/// "People's Liberation Army (PLA)": the acronym, here and elsewhere in the
/// article, joins the name before it when its first letter fits.
fn merge_acronyms(text: &str, cands: &[Cand], keys: &[String], parent: &mut [usize]) {
    let mut by_key: HashMap<&str, usize> = HashMap::new();
    for (i, k) in keys.iter().enumerate() {
        by_key.entry(k.as_str()).or_insert(i);
    }
    for i in 1..cands.len() {
        let (prev, acr) = (&cands[i - 1], &cands[i]);
        let between = text.get(prev.span.end..acr.span.start).unwrap_or("");
        let after = text.get(acr.span.end..).unwrap_or("");
        let surface = acr.span.slice(text);
        let is_acronym =
            surface.len() >= 2 && surface.chars().all(|c| c.is_uppercase() || c == '.');
        let initial_fits = prev.span.slice(text).chars().next() == surface.chars().next();
        if between.trim() == "(" && after.starts_with(')') && is_acronym && initial_fits {
            // Same-key candidates are already one group: joining one joins all.
            if let Some(&j) = by_key.get(keys[i].as_str()) {
                union(parent, i - 1, j);
            }
            union(parent, i - 1, i);
        }
    }
}

/// "Spotify" after "Spotify Technology SA": an unclassified word that opens
/// exactly one company name built by a company rule joins that company.
fn merge_company_short_names(text: &str, cands: &[Cand], parent: &mut [usize]) {
    let mut by_head: HashMap<&str, Option<usize>> = HashMap::new();
    for (i, c) in cands.iter().enumerate() {
        let company_rule = matches!(c.rule, "org.legal_suffix" | "org.company_keyword");
        if let (true, Some((head, _))) = (company_rule, c.span.slice(text).split_once(' ')) {
            let root = find(parent, i);
            let slot = by_head.entry(head).or_insert(Some(i));
            if slot.is_some_and(|r| find(parent, r) != root) {
                *slot = None;
            }
        }
    }
    for (i, c) in cands.iter().enumerate() {
        if let (true, Some(Some(j))) = (c.pending, by_head.get(c.span.slice(text))) {
            union(parent, *j, i);
        }
    }
}

/// "S Taylor" in a team list and "Simon Taylor" in the report: an initial
/// and a surname join the one firm person whose given name opens with that
/// letter and whose name ends with that surname, so that the surname alone
/// ("Taylor said") stays one person's and is not left ambiguous.
///
/// The full names are indexed by (first letter, last word), one member per
/// group as the pass starts: members of one group share a root for good, so
/// whether all fitting names are one person is a look at those few, not a
/// pass over every candidate per initialled name.
fn merge_initialled(text: &str, cands: &[Cand], parent: &mut [usize]) {
    let firm = |c: &Cand| c.kind == EntityType::Person && !c.pending;
    let mut full: HashMap<(char, &str), Vec<usize>> = HashMap::new();
    let mut seen: HashSet<(char, &str, usize)> = HashSet::new();
    for (j, d) in cands.iter().enumerate() {
        let name = d.span.slice(text);
        if !firm(d) || initialled(name).is_some() {
            continue;
        }
        let (Some(first), Some((_, last))) = (name.chars().next(), name.rsplit_once(' ')) else {
            continue;
        };
        if seen.insert((first, last, find(parent, j))) {
            full.entry((first, last)).or_default().push(j);
        }
    }
    for (i, c) in cands.iter().enumerate() {
        let Some((letter, surname)) = (if firm(c) {
            initialled(c.span.slice(text))
        } else {
            None
        }) else {
            continue;
        };
        let Some(first) = letter.chars().next() else {
            continue;
        };
        let Some(holders) = full.get(&(first, surname)) else {
            continue;
        };
        let root = find(parent, holders[0]);
        // Two people fit ("Simon Taylor", "Steve Taylor"): not safe.
        if holders[1..].iter().all(|&h| find(parent, h) == root) {
            union(parent, holders[0], i);
        }
    }
}

/// "S Taylor" → ("S", "Taylor"): a one-letter initial and the rest.
fn initialled(name: &str) -> Option<(&str, &str)> {
    let (initial, surname) = name.split_once(' ')?;
    let letter = initial.trim_end_matches('.');
    (letter.chars().count() == 1).then_some((letter, surname))
}

/// "Contreras" / "Mr. Jun" / "Marie Leroi" after "Rudolph Contreras" /
/// "Lei Jun" / "Armand Marie Leroi": a trailing part of exactly one
/// person's fuller name.
fn merge_surnames(text: &str, cands: &[Cand], parent: &mut [usize]) {
    // Each name part: the one person holding it (None when two people
    // share it), and whether that holder is a firm person.
    let mut by_tail: HashMap<String, (Option<usize>, bool)> = HashMap::new();
    let mut by_head: HashMap<String, (Option<usize>, bool)> = HashMap::new();
    // Firm persons first: a run that merely looks like a name ("Sun Willis"
    // in "Tears of the Sun Willis plays") must not make a known person's
    // surname ambiguous; it only claims parts no firm person holds.
    for firm in [true, false] {
        for (i, c) in cands.iter().enumerate() {
            let person_shaped = c.pending && c.fallback == Some(EntityType::Person);
            let is_firm = c.kind == EntityType::Person && !c.pending;
            if !(firm && is_firm || !firm && person_shaped) {
                continue;
            }
            let name = c.span.slice(text);
            let root = find(parent, i);
            let mut note = |map: &mut HashMap<String, (Option<usize>, bool)>, part: &str| {
                let slot = map.entry(part.to_lowercase()).or_insert((Some(i), firm));
                if slot.1 != firm {
                    return; // a firm person holds it
                }
                if slot.0.is_some_and(|r| find(parent, r) != root) {
                    slot.0 = None; // two people share it: not safe
                }
            };
            for (at, _) in name.match_indices(' ') {
                note(&mut by_tail, &name[at + 1..]);
            }
            if let Some((head, _)) = name.split_once(' ') {
                note(&mut by_head, head);
            }
        }
    }
    // "Freddie" after "Freddie Ljungberg": a given name alone, only when
    // nothing typed it otherwise.
    for (i, c) in cands.iter().enumerate() {
        let name = c.span.slice(text).to_lowercase();
        if let (true, Some((Some(j), _))) = (c.pending, by_head.get(&name)) {
            if cands[*j].span.start < c.span.start {
                union(parent, *j, i);
            }
        }
    }
    for (i, c) in cands.iter().enumerate() {
        let person_like = c.pending || c.kind == EntityType::Person || c.one_word_place;
        if !person_like {
            continue;
        }
        let name = c.span.slice(text).to_lowercase();
        if let Some((Some(j), _)) = by_tail.get(&name) {
            let city = c.kind != EntityType::Person && !c.pending;
            if !city || cands[*j].span.start < c.span.start {
                union(parent, *j, i);
            }
        }
    }
}

fn collect_groups(cands: &[Cand], parent: &mut [usize]) -> Vec<Group> {
    let mut index: HashMap<usize, usize> = HashMap::new();
    let mut groups: Vec<Group> = Vec::new();
    for i in 0..cands.len() {
        let r = find(parent, i);
        let g = *index.entry(r).or_insert_with(|| {
            groups.push(Group { members: vec![] });
            groups.len() - 1
        });
        groups[g].members.push(i);
    }
    groups
}

fn build_entity(text: &str, cands: &[Cand], g: &Group, cues: &CueSets) -> Entity {
    let mut typed: Vec<&Cand> = g
        .members
        .iter()
        .map(|&m| &cands[m])
        .filter(|c| !c.pending)
        .collect();
    let guessed: Vec<Cand>;
    if typed.is_empty() {
        guessed = typed_by_fallback(g.members.iter().map(|&m| &cands[m]));
        typed = guessed.iter().collect();
    }
    let kind = typed[0].kind;
    let mentions = g
        .members
        .iter()
        .map(|&m| {
            let c = &cands[m];
            Mention {
                span: c.span,
                text: c.span.slice(text).to_string(),
                rule: c.source.clone().unwrap_or_else(|| c.rule.to_string()),
            }
        })
        .collect();
    Entity {
        id: String::new(),
        kind,
        name: canonical_name(text, &typed, cues),
        mentions,
    }
}

/// How much a fallback type is worth: a context cue over a person's name
/// shape or pronoun over a lone word's guess.
fn fallback_rank(c: &Cand) -> u8 {
    match c.rule {
        "context.cue" => 3,
        "person.shape" | "person.pronoun" => 2,
        _ => 1,
    }
}

/// The members of a group without firm type, typed by the fallback most
/// of its best-ranked guesses carry (the first one's on a tie).
fn typed_by_fallback<'c>(members: impl Iterator<Item = &'c Cand>) -> Vec<Cand> {
    let guesses: Vec<&Cand> = members.filter(|c| c.fallback.is_some()).collect();
    let top = guesses.iter().map(|c| fallback_rank(c)).max().unwrap_or(0);
    // Votes per guessed type, in order of first appearance: one pass, as
    // a name repeated thousands of times has as many guesses.
    let mut votes: Vec<(Option<EntityType>, usize)> = Vec::new();
    for c in &guesses {
        let vote = usize::from(fallback_rank(c) == top);
        match votes.iter_mut().find(|(t, _)| *t == c.fallback) {
            Some((_, n)) => *n += vote,
            None => votes.push((c.fallback, vote)),
        }
    }
    // The first type with the most votes.
    let best = votes
        .iter()
        .fold(
            None,
            |best: Option<(Option<EntityType>, usize)>, &(t, n)| match best {
                Some(b) if b.1 >= n => Some(b),
                _ => Some((t, n)),
            },
        )
        .and_then(|(t, _)| t);
    guesses
        .iter()
        .map(|c| Cand {
            kind: best.unwrap_or(c.kind),
            pending: false,
            ..(*c).clone()
        })
        .collect()
}

/// Alias-table name if any; else the fullest person name, or the first
/// mixed-case organisation name without legal suffix.
fn canonical_name(text: &str, typed: &[&Cand], cues: &CueSets) -> String {
    let surface = |c: &Cand| c.span.slice(text).replace('\u{2019}', "'");
    if typed[0].kind == EntityType::Person {
        return person_name(text, typed);
    }
    if let Some(c) = typed.iter().find_map(|c| c.canonical.as_ref()) {
        return c.clone();
    }
    // Prefer a non-acronym, mixed-case form (the expansion over "MIIT", "Huawei" over "HUAWEI").
    let mixed = typed
        .iter()
        .find(|c| c.span.slice(text).chars().any(char::is_lowercase))
        .unwrap_or(&typed[0]);
    let name = surface(mixed);
    match mixed.kind {
        EntityType::Org => strip_legal_suffix(&name, cues).to_string(),
        _ => name,
    }
}

/// The gazetteer name of a fully named mention, else the fullest name
/// written, else the gazetteer name of a lone surname ("Trump").
fn person_name(text: &str, typed: &[&Cand]) -> String {
    let words = |c: &Cand| c.span.slice(text).split_whitespace().count();
    if let Some(c) = typed.iter().find(|c| c.canonical.is_some() && words(c) > 1) {
        return c.canonical.clone().unwrap_or_default();
    }
    let fullest = typed
        .iter()
        .max_by_key(|c| (words(c), std::cmp::Reverse(c.span.start)));
    match fullest {
        Some(c) if words(c) > 1 || c.canonical.is_none() => {
            c.span.slice(text).replace('\u{2019}', "'")
        }
        Some(c) => c.canonical.clone().unwrap_or_default(),
        None => String::new(),
    }
}

/// "the company" → the article's dominant company, when no other company
/// is named in the same or the previous sentence.
fn add_company_corefs(
    text: &str,
    cands: &[Cand],
    groups: &[Group],
    corefs: &[CorefPhrase],
    out: &mut [Entity],
) {
    let is_company = |g: &Group| {
        let first = &cands[g.members[0]];
        first.kind == EntityType::Org
            && g.members
                .iter()
                .any(|&m| cands[m].class == OrgClass::Company)
    };
    let mut counts: Vec<(usize, usize)> = groups
        .iter()
        .enumerate()
        .filter(|(_, g)| is_company(g))
        .map(|(i, g)| (g.members.len(), i))
        .collect();
    counts.sort_unstable_by(|a, b| b.cmp(a));
    let dominant = match counts.as_slice() {
        [(_, g)] => *g,
        [(n, g), (m, _), ..] if *n >= 2 && *n >= 2 * m => *g,
        _ => return,
    };
    let mut other_sentences: Vec<usize> = groups
        .iter()
        .enumerate()
        .filter(|(i, g)| *i != dominant && is_company(g))
        .flat_map(|(_, g)| g.members.iter().map(|&m| cands[m].sentence))
        .collect();
    other_sentences.sort_unstable();
    let first_mention = cands[groups[dominant].members[0]].span.start;
    let entity = &mut out[dominant];
    let before = entity.mentions.len();
    for phrase in corefs {
        let from = phrase.sentence.saturating_sub(1);
        let at = other_sentences.partition_point(|&s| s < from);
        let near_other = other_sentences
            .get(at)
            .is_some_and(|&s| s <= phrase.sentence);
        // Candidates are sorted and disjoint: look only at the neighbours.
        let at = cands.partition_point(|c| c.span.end <= phrase.span.start);
        let taken = cands.get(at).is_some_and(|c| c.span.overlaps(phrase.span));
        if phrase.span.start > first_mention && !near_other && !taken {
            entity.mentions.push(Mention {
                span: phrase.span,
                text: phrase.span.slice(text).to_string(),
                rule: "coref.company".to_string(),
            });
        }
    }
    // One stable sort after all additions, not one per addition.
    if entity.mentions.len() > before {
        entity.mentions.sort_by_key(|m| m.span);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::Span;

    /// Firm person candidates for each name, in text order, and the text.
    fn people(names: &[&str]) -> (String, Vec<Cand>) {
        let mut text = String::new();
        let mut cands = Vec::new();
        for name in names {
            let start = text.len();
            text.push_str(name);
            cands.push(Cand {
                span: Span::new(start, text.len()),
                kind: EntityType::Person,
                canonical: None,
                class: OrgClass::Other,
                rule: "person.shape",
                source: None,
                sentence: 0,
                pending: false,
                one_word_place: false,
                fallback: None,
            });
            text.push_str(". ");
        }
        (text, cands)
    }

    fn roots(parent: &mut [usize]) -> Vec<usize> {
        (0..parent.len()).map(|i| find(parent, i)).collect()
    }

    /// The pass as first written: every initialled name against every candidate.
    fn merge_initialled_by_scan(text: &str, cands: &[Cand], parent: &mut [usize]) {
        let firm = |c: &Cand| c.kind == EntityType::Person && !c.pending;
        'cands: for (i, c) in cands.iter().enumerate() {
            let Some((letter, surname)) = firm(c).then(|| initialled(c.span.slice(text))).flatten()
            else {
                continue;
            };
            let mut holder: Option<usize> = None;
            for (j, d) in cands.iter().enumerate() {
                let name = d.span.slice(text);
                let fits = j != i
                    && firm(d)
                    && initialled(name).is_none()
                    && name.starts_with(letter)
                    && name.rsplit_once(' ').is_some_and(|(_, l)| l == surname);
                if !fits {
                    continue;
                }
                match holder {
                    Some(h) if find(parent, h) != find(parent, j) => continue 'cands,
                    _ => holder = Some(j),
                }
            }
            if let Some(h) = holder {
                union(parent, h, i);
            }
        }
    }

    fn merged(names: &[&str]) -> Vec<usize> {
        let (text, cands) = people(names);
        let mut parent: Vec<usize> = (0..cands.len()).collect();
        merge_initialled(&text, &cands, &mut parent);
        roots(&mut parent)
    }

    #[test]
    fn an_initial_joins_the_one_person_it_fits() {
        assert_eq!(merged(&["Simon Taylor", "S Taylor"]), [0, 0]);
        assert_eq!(merged(&["S. Taylor", "Simon Taylor"]), [0, 0]);
        // Another letter or another surname: no fit.
        assert_eq!(merged(&["Simon Taylor", "T Taylor", "S Tailor"]), [0, 1, 2]);
    }

    #[test]
    fn an_initial_two_people_fit_stays_apart() {
        assert_eq!(
            merged(&["Simon Taylor", "Steve Taylor", "S Taylor"]),
            [0, 1, 2]
        );
    }

    #[test]
    fn names_already_one_person_count_once() {
        let (text, cands) = people(&["Simon Taylor", "Steve Taylor", "S Taylor"]);
        let mut parent: Vec<usize> = (0..cands.len()).collect();
        union(&mut parent, 0, 1);
        merge_initialled(&text, &cands, &mut parent);
        assert_eq!(roots(&mut parent), [0, 0, 0]);
    }

    #[test]
    fn indexed_pass_merges_as_the_scan_does() {
        let vocabulary = [
            "Simon Taylor",
            "Steve Taylor",
            "S Taylor",
            "S. Taylor",
            "T Taylor",
            "Tom Taylor",
            "Sam Smith",
            "S Smith",
            "Taylor",
            "S Van Taylor",
            "Sara van Taylor",
            "Émile Zola",
            "É Zola",
        ];
        // A fixed pseudo-random sequence of articles and prior merges.
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = |n: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n as u64) as usize
        };
        for _ in 0..500 {
            let len = 1 + next(12);
            let names: Vec<&str> = (0..len)
                .map(|_| vocabulary[next(vocabulary.len())])
                .collect();
            let (text, mut cands) = people(&names);
            for c in cands.iter_mut() {
                c.pending = next(6) == 0;
            }
            let mut parent: Vec<usize> = (0..cands.len()).collect();
            for _ in 0..next(3) {
                let (a, b) = (next(len), next(len));
                union(&mut parent, a, b);
            }
            let mut scanned = parent.clone();
            merge_initialled(&text, &cands, &mut parent);
            merge_initialled_by_scan(&text, &cands, &mut scanned);
            assert_eq!(roots(&mut parent), roots(&mut scanned), "{names:?}");
        }
    }
}
