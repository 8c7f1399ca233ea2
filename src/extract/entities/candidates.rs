//! Entity candidates of one sentence: gazetteer hits and rule-classified
//! capitalised runs.
//!
//! Takes the lexicon and one sentence; appends [`Cand`]idates (typed or
//! pending) and "the company"-style phrases to [`Found`]. Does not merge
//! mentions into entities (see `resolve`).

use super::context::{ContextCues, MAX_CUE_BYTES};
use super::lexicon::{GazEntry, Lexicon, OrgClass, WordMap};
use super::tokens::{ascii_lowered, tokenize, Tok};
use crate::record::{EntityType, Span};

/// One-word places other than countries double as surnames ("Mr Kennedy", "Ms. Rivera").
pub(crate) fn surname_like_place(e: &GazEntry) -> bool {
    matches!(e.kind, EntityType::Gpe | EntityType::Loc)
        && !e.pattern.contains(' ')
        && e.rule != "alias"
        && e.rule != COUNTRY_SOURCE
}

/// Marks an acronym defined as a lower-case term ("personal video recorder
/// (PVR)"): neither it nor the same acronym elsewhere in the article is a name.
const TERM_RULE: &str = "term.acronym";

/// Drops the term acronyms and every other candidate spelt like one.
pub(crate) fn drop_terms(text: &str, cands: &mut Vec<Cand>) {
    if !cands.iter().any(|c| c.rule == TERM_RULE) {
        return;
    }
    let terms: std::collections::HashSet<&str> = cands
        .iter()
        .filter(|c| c.rule == TERM_RULE)
        .map(|c| c.span.slice(text))
        .collect();
    cands.retain(|c| c.rule != TERM_RULE && !terms.contains(c.span.slice(text)));
}

/// Gazetteer source of countries.
const COUNTRY_SOURCE: &str = "gazetteer.geonames.country";

/// Gazetteer source of towns and cities (not countries, states or regions:
/// a country named with a club word is its national team, a place in CoNLL).
const TOWN_SOURCE: &str = "gazetteer.geonames.city";

fn is_town(e: &GazEntry) -> bool {
    surname_like_place(e) && e.rule == TOWN_SOURCE
}

/// One possible entity mention.
#[derive(Clone, Debug)]
pub(crate) struct Cand {
    pub span: Span,
    pub kind: EntityType,
    /// Canonical name from the gazetteer or alias table.
    pub canonical: Option<String>,
    pub class: OrgClass,
    pub rule: &'static str,
    /// Gazetteer rule id when `rule` is "gazetteer".
    pub source: Option<String>,
    pub sentence: usize,
    /// Unclassified capitalised words: kept only if the article names the
    /// same entity elsewhere with a type.
    pub pending: bool,
    /// A one-word place name that may turn out to be a surname.
    pub one_word_place: bool,
    /// For a pending candidate: the type its context or shape suggests,
    /// used when the article names it nowhere with a firmer type.
    pub fallback: Option<EntityType>,
}

/// A definite description ("the company") that may refer to a company.
#[derive(Clone, Copy, Debug)]
pub(crate) struct CorefPhrase {
    pub span: Span,
    pub sentence: usize,
}

#[derive(Default)]
pub(crate) struct Found {
    pub cands: Vec<Cand>,
    pub corefs: Vec<CorefPhrase>,
}

/// A gazetteer hit within the sentence.
#[derive(Clone, Copy)]
struct Hit {
    span: Span,
    entry: usize,
}

struct Ctx<'a, 'l> {
    lex: &'l Lexicon,
    context: &'l ContextCues,
    toks: Vec<Tok<'a>>,
    hits: Vec<Hit>,
    /// For each token, the hit covering it.
    hit_of: Vec<Option<usize>>,
    headline: bool,
    /// Every word in capitals ("SHELL SAYS NIGERIA OUTPUT STEADY."): a
    /// common word there is not part of a name.
    caps_line: bool,
    sentence: usize,
}

pub(crate) fn sentence(
    lex: &Lexicon,
    context: &ContextCues,
    text: &str,
    span: Span,
    index: usize,
    found: &mut Found,
) {
    let folded = span.slice(text).to_ascii_lowercase();
    let toks = tokenize(text, span, ascii_lowered(text, span, &folded));
    let mut hits = gazetteer_hits(lex, text, span, &folded);
    drop_given_name_places(lex, &toks, &mut hits);
    let hit_of = toks.iter().map(|t| hit_containing(&hits, t.span)).collect();
    let caps_line = is_caps_line(&toks);
    let ctx = Ctx {
        headline: caps_line || is_headline(&toks),
        caps_line,
        lex,
        context,
        toks,
        hits,
        hit_of,
        sentence: index,
    };
    let first_cand = found.cands.len();
    let mut used = vec![false; ctx.hits.len()];
    let mut i = 0;
    while i < ctx.toks.len() {
        if ctx.starts_run(i) {
            let end = ctx.run_end(i);
            ctx.run(i, end, &mut used, &mut found.cands);
            i = end;
        } else {
            i += 1;
        }
    }
    // Gazetteer hits outside any capitalised run (e.g. "Washington, D.C.").
    // The hits added here do not overlap one another, so the runs'
    // candidates are all a hit must keep clear of.
    let runs = super::Blocked::new(found.cands[first_cand..].iter().map(|c| c.span));
    for (h, hit) in ctx.hits.iter().enumerate() {
        if !used[h] && !runs.overlaps(hit.span) {
            found.cands.push(ctx.gaz_cand(h));
        }
    }
    promote_coordinated(text, &mut found.cands[first_cand..]);
    bracketed_affiliations(text, &mut found.cands[first_cand..]);
    ctx.towns_as_clubs(&mut found.cands[first_cand..]);
    ctx.corefs(&mut found.corefs);
}

/// One sense per article for towns that are clubs: once a town is named
/// as a club ("Bath prop", "beat Leicester"), its other mentions are the
/// club too ("against Bath", "Leicester's record win"), and so is a town
/// listed with a club ("at Newcastle and Middlesbrough").
pub(crate) fn towns_as_clubs_everywhere(text: &str, cands: &mut [Cand]) {
    let clubs: std::collections::HashSet<String> = cands
        .iter()
        .filter(|c| c.rule == "org.club" && !c.span.slice(text).contains(' '))
        .map(|c| c.span.slice(text).to_lowercase())
        .collect();
    if clubs.is_empty() {
        return;
    }
    let town = |c: &Cand| c.source.as_deref() == Some(TOWN_SOURCE);
    for c in cands.iter_mut() {
        if town(c) && clubs.contains(&c.span.slice(text).to_lowercase()) {
            make_club(c);
        }
    }
    let joined = |a: &Cand, b: &Cand| {
        let gap = text.get(a.span.end..b.span.start).unwrap_or("").trim();
        a.sentence == b.sentence && matches!(gap, "," | "and" | ", and" | "or" | "&")
    };
    for i in 1..cands.len() {
        let (left, right) = cands.split_at_mut(i);
        let (a, b) = (&mut left[i - 1], &mut right[0]);
        if !joined(a, b) {
            continue;
        }
        if a.rule == "org.club" && town(b) {
            make_club(b);
        } else if b.rule == "org.club" && town(a) {
            make_club(a);
        }
    }
}

/// Rule of a work's title typed by a cue before it ("the film Hotel Rwanda").
const WORK_RULE: &str = "misc.cue";

/// One sense per article for titles of works: once a title of two or more
/// words is typed by a work cue ("the thriller Hotel Rwanda"), its other
/// mentions are that work too, not the names inside it ("Hotel Rwanda was
/// shot in South Africa" holds no place "Rwanda"). Only where candidates
/// already stand, all inside the title.
pub(crate) fn works_everywhere(text: &str, cands: &mut Vec<Cand>) {
    // `cands` is sorted by span. One model per title, the first in order.
    let mut seen = std::collections::HashSet::new();
    let titles: Vec<&Cand> = cands
        .iter()
        .filter(|c| {
            let title = c.span.slice(text);
            c.rule == WORK_RULE && title.contains(' ') && seen.insert(title)
        })
        .collect();
    if titles.is_empty() {
        return;
    }
    let added = title_mentions(text, cands, &titles);
    if added.is_empty() {
        return;
    }
    let added_index = super::Blocked::new(added.iter().map(|c| c.span));
    cands.retain(|c| added_index.first_overlap(c.span).is_none());
    cands.extend(added);
    cands.sort_by_key(|c| c.span);
}

/// The other mentions of each title in `titles`, found in one pass over
/// `text` (each title's occurrences taken left to right without overlap),
/// where candidates already stand, all inside the mention.
fn title_mentions(text: &str, cands: &[Cand], titles: &[&Cand]) -> Vec<Cand> {
    let patterns: Vec<&str> = titles.iter().map(|t| t.span.slice(text)).collect();
    let Ok(finder) = aho_corasick::AhoCorasick::new(&patterns) else {
        return Vec::new();
    };
    let index = super::Blocked::new(cands.iter().map(|c| c.span));
    let mut next_free = vec![0usize; patterns.len()];
    let mut added = Vec::new();
    for m in finder.find_overlapping_iter(text) {
        let which = m.pattern().as_usize();
        if m.start() < next_free[which] {
            continue;
        }
        next_free[which] = m.end();
        let span = Span::new(m.start(), m.end());
        let bounded = !text[..span.start].ends_with(|c: char| c.is_alphanumeric())
            && !text[span.end..].starts_with(|c: char| c.is_alphanumeric());
        if !bounded || index.contains(span) {
            continue;
        }
        let Some(first) = index.first_overlap(span) else {
            continue;
        };
        if index
            .overlapping_from(first, span)
            .any(|c| c.start < span.start || c.end > span.end)
        {
            continue;
        }
        let mut c = titles[which].clone();
        c.span = span;
        c.sentence = cands[first].sentence;
        added.push(c);
    }
    added
}

fn make_club(c: &mut Cand) {
    c.kind = EntityType::Org;
    c.class = OrgClass::Other;
    c.rule = "org.club";
    c.source = None;
    c.canonical = None;
    c.one_word_place = false;
}

/// "Huawei, Hikvision, Inspur and Panda Electronics": an unclassified name
/// listed next to a company is a company too.
fn promote_coordinated(text: &str, cands: &mut [Cand]) {
    cands.sort_by_key(|c| c.span);
    let joined = |a: &Cand, b: &Cand| {
        let gap = text.get(a.span.end..b.span.start).unwrap_or("").trim();
        matches!(gap, "," | "and" | ", and" | "or" | ", or" | "&")
    };
    for _ in 0..3 {
        let mut changed = false;
        for i in 0..cands.len() {
            if !cands[i].pending {
                continue;
            }
            let company =
                |c: &Cand| !c.pending && c.kind == EntityType::Org && c.class == OrgClass::Company;
            let left = i > 0 && company(&cands[i - 1]) && joined(&cands[i - 1], &cands[i]);
            let right =
                i + 1 < cands.len() && company(&cands[i + 1]) && joined(&cands[i], &cands[i + 1]);
            if left || right {
                let c = &mut cands[i];
                c.pending = false;
                c.kind = EntityType::Org;
                c.class = OrgClass::Company;
                c.rule = "org.coordination";
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
}

/// "R de Marigny (Parma); Mirco Bergamasco (Stade Francais)": a town or an
/// unclassified name alone in brackets right after a person's name is the
/// side or body the person belongs to (team lists, results).
fn bracketed_affiliations(text: &str, cands: &mut [Cand]) {
    for i in 1..cands.len() {
        let (left, right) = cands.split_at_mut(i);
        let (person, c) = (&left[i - 1], &mut right[0]);
        let gap = text.get(person.span.end..c.span.start).unwrap_or("");
        let closed = text
            .get(c.span.end..)
            .is_some_and(|rest| rest.trim_start().starts_with(')'));
        let is_person = person.kind == EntityType::Person && !person.pending
            || person.pending && person.fallback == Some(EntityType::Person);
        if gap.trim() != "(" || !closed || !is_person {
            continue;
        }
        if c.source.as_deref() == Some(TOWN_SOURCE) {
            make_club(c);
        } else if c.pending {
            c.pending = false;
            c.kind = EntityType::Org;
            c.class = OrgClass::Other;
            c.rule = "org.affiliation";
        }
    }
}

/// The value of the two-word cue "`two` `one`", looked up without
/// building the key on the heap (this runs for most capitalised runs).
fn pair_cue<V: Copy>(cues: &WordMap<V>, two: &str, one: &str) -> Option<V> {
    let mut buf = [0u8; MAX_CUE_BYTES];
    let len = two.len() + 1 + one.len();
    // A longer pair is no cue: the loader refuses longer ones.
    let key = buf.get_mut(..len)?;
    key[..two.len()].copy_from_slice(two.as_bytes());
    key[two.len()] = b' ';
    key[two.len() + 1..].copy_from_slice(one.as_bytes());
    let key = std::str::from_utf8(key).ok()?;
    cues.get(key).copied()
}

/// Marks the gazetteer hits of some tokens as used by a name that holds them.
fn used_within(hit_of: &[Option<usize>], used: &mut [bool]) {
    for &h in hit_of.iter().flatten() {
        used[h] = true;
    }
}

/// True when the letters of `acronym` are, in order, the first letters of
/// `words` ("WCG" for "World Community Grid", "PML" for "progressive
/// multifocal leukoencephalopathy"), whatever their case.
fn initials_spell<'t, 'a: 't>(acronym: &Tok, words: impl Iterator<Item = &'t Tok<'a>>) -> bool {
    let letters = acronym.text.chars().filter(|c| c.is_alphabetic());
    let initials = words
        .filter_map(|t| t.text.chars().next())
        .flat_map(char::to_uppercase);
    letters.flat_map(char::to_uppercase).eq(initials)
}

/// One or two digits: a goal count ("3" in "Barnsley 3 Oxford 0").
fn is_goal_count(s: &str) -> bool {
    (1..=2).contains(&s.len()) && s.bytes().all(|c| c.is_ascii_digit())
}

/// A match minute: one to three digits ("34", "90").
fn is_minute(s: &str) -> bool {
    (1..=3).contains(&s.len()) && s.bytes().all(|c| c.is_ascii_digit())
}

/// Two to six capital letters, possibly with "&" or dots ("DJI", "AT&T").
fn is_acronym(word: &str) -> bool {
    let letters = word.chars().filter(|c| c.is_ascii_uppercase()).count();
    (2..=6).contains(&letters)
        && word
            .chars()
            .all(|c| c.is_ascii_uppercase() || c == '&' || c == '.')
}

/// Title-case lines ("US Lawmakers Want DeepSeek On List"): every word is
/// capitalised, so capitals say nothing there.
/// Headlines carry no final full stop; a capitalised list of names in a
/// prose sentence does.
fn is_headline(toks: &[Tok]) -> bool {
    let ends_prose = toks
        .iter()
        .rev()
        .find(|t| !matches!(t.text, "\"" | "\u{201D}" | "\u{2019}" | "'" | ")"))
        .is_some_and(|t| matches!(t.text, "." | "!" | "?") || t.text.ends_with('.'));
    if ends_prose {
        return false;
    }
    let (long, capitalised) = toks
        .iter()
        .filter(|t| t.word && t.text.len() > 3)
        .fold((0, 0), |(n, caps), t| {
            (n + 1, caps + usize::from(t.is_cap()))
        });
    long >= 4 && capitalised * 10 >= long * 8
}

/// Two or more words with letters, every one of them in capitals.
fn is_caps_line(toks: &[Tok]) -> bool {
    let mut lettered = toks
        .iter()
        .filter(|t| t.word && t.text.chars().any(char::is_alphabetic));
    let mut n = 0;
    let all_caps = lettered.all(|t| {
        n += 1;
        !t.text.chars().any(char::is_lowercase)
    });
    all_caps && n >= 2
}

/// A cell of a results table: a number ("74", "10-2") or punctuation
/// (".578" is "." then "578", "-" for no value).
fn is_table_cell(t: &Tok) -> bool {
    !t.word || is_number(t)
}

fn is_number(t: &Tok) -> bool {
    t.word
        && t.text.bytes().any(|c| c.is_ascii_digit())
        && t.text
            .bytes()
            .all(|c| c.is_ascii_digit() || matches!(c, b'-' | b'.' | b'/'))
}

/// Gazetteer names in the sentence `span`; `folded` is its ASCII
/// lower-case copy.
fn gazetteer_hits(lex: &Lexicon, text: &str, span: Span, folded: &str) -> Vec<Hit> {
    let body = span.slice(text);
    // The automaton holds ASCII-lower-cased names; searching a lower-cased
    // copy (same bytes and offsets otherwise) finds exactly what an ASCII
    // case-insensitive automaton finds in `body`, and builds in half the time.
    let mut hits = Vec::new();
    let mut pos = 0;
    while let Some(first) = lex
        .automaton
        .find(aho_corasick::Input::new(folded).span(pos..body.len()))
    {
        let mut m = first;
        let entry = loop {
            if let Some(entry) = fitting_entry(lex, body, &m) {
                break Some(entry);
            }
            // "Labour party" is not "Labour Party", but holds "Labour":
            // a shorter name at the same start.
            match shorter_match(lex, body, folded, &m) {
                Some(shorter) => m = shorter,
                None => break None,
            }
        };
        pos = match entry {
            Some(entry) => {
                let span = Span::new(span.start + m.start(), span.start + m.end());
                hits.push(Hit { span, entry });
                m.end()
            }
            // "N Ireland" found inside "in Ireland" hides "Ireland": after a
            // match that starts inside a word, search again from the next
            // word that starts inside it.
            None if inside_word_at(body, first.start()) => {
                next_word_start(body, first.start()).min(first.end())
            }
            None => first.end(),
        };
        if pos >= body.len() {
            break;
        }
    }
    hits
}

/// True when the character before byte `at` is a letter or digit.
fn inside_word_at(body: &str, at: usize) -> bool {
    body[..at]
        .chars()
        .next_back()
        .is_some_and(char::is_alphanumeric)
}

/// Byte offset of the first word start after `at` (or the end of `body`).
fn next_word_start(body: &str, at: usize) -> usize {
    let mut prev_alnum = true;
    for (i, c) in body[at..].char_indices() {
        if i > 0 && c.is_alphanumeric() && !prev_alnum {
            return at + i;
        }
        prev_alnum = c.is_alphanumeric();
    }
    body.len()
}

/// The entry a match names, if it stands on word boundaries and its case fits one.
fn fitting_entry(lex: &Lexicon, body: &str, m: &aho_corasick::Match) -> Option<usize> {
    if !on_word_boundaries(body, m.start(), m.end()) {
        return None;
    }
    let found = &body[m.start()..m.end()];
    let variants = &lex.variants[m.pattern().as_usize()];
    if lex.cues.not_acronym.contains(found)
        && !variants.iter().any(|&e| lex.entries[e].rule == "alias")
    {
        return None;
    }
    variants.iter().copied().find(|&e| {
        let entry = &lex.entries[e];
        case_fits(found, entry)
            || acronym_as_word(found, entry) && !lex.common.contains(&found.to_ascii_lowercase())
    })
}

/// "Uefa", "Nato", "Opec": an acronym of four or more letters written as a
/// capitalised word (house style of British papers), unless the word is an
/// everyday one ("Care" is no "CARE") or the entry a company's ("Acme
/// Corp" is not the company "ACME").
fn acronym_as_word(found: &str, entry: &GazEntry) -> bool {
    let p = entry.pattern.as_bytes();
    entry.class != OrgClass::Company
        && p.len() >= 4
        && p.iter().all(u8::is_ascii_uppercase)
        && found.as_bytes()[0].is_ascii_uppercase()
        && found.bytes().skip(1).all(|c| c.is_ascii_lowercase())
}

/// The longest match starting where `m` starts and ending before it, for
/// a capitalised name of several words (a one-word match holds no shorter
/// name on word boundaries, and lower-case words make most misses).
fn shorter_match(
    lex: &Lexicon,
    body: &str,
    folded: &str,
    m: &aho_corasick::Match,
) -> Option<aho_corasick::Match> {
    let found = &body[m.start()..m.end()];
    // Only a case misfit falls back: a name cut by a word boundary
    // ("Treasury Departments") is another word, not a shorter name.
    let case_misfit = on_word_boundaries(body, m.start(), m.end());
    if !case_misfit || !found.starts_with(char::is_uppercase) || !found.contains(' ') {
        return None;
    }
    let input = aho_corasick::Input::new(&folded[..m.end() - 1]).span(m.start()..m.end() - 1);
    lex.automaton
        .find(input)
        .filter(|s| s.start() == m.start() && s.end() > s.start())
}

/// The hit that contains `span`. Hits are sorted and do not overlap, so
/// only the last one starting at or before `span` can.
fn hit_containing(hits: &[Hit], span: Span) -> Option<usize> {
    let i = hits
        .partition_point(|h| h.span.start <= span.start)
        .checked_sub(1)?;
    hits[i].span.contains(span).then_some(i)
}

/// The hit that starts at `start` (hits are sorted and do not overlap).
fn hit_starting_at(hits: &[Hit], start: usize) -> Option<&Hit> {
    let i = hits.partition_point(|h| h.span.start < start);
    hits.get(i).filter(|h| h.span.start == start)
}

/// Drops one-word place hits that are the given name of a person
/// ("Vladimir Putin", "Florence Pugh").
fn drop_given_name_places(lex: &Lexicon, toks: &[Tok], found: &mut Vec<Hit>) {
    let hits: &[Hit] = found;
    let keep: Vec<bool> = hits
        .iter()
        .map(|h| {
            // Tokens are sorted and do not overlap.
            let i = toks.partition_point(|t| t.span.start < h.span.start);
            if toks.get(i).is_none_or(|t| t.span != h.span) {
                return true;
            }
            let place = matches!(lex.entries[h.entry].kind, EntityType::Gpe | EntityType::Loc);
            let given = lex.first_names.contains(toks[i].text);
            // A word the gazetteer names as something else is no surname ("Sydney Olympic").
            let other_name = |n: &Tok| {
                hit_starting_at(hits, n.span.start)
                    .is_some_and(|o| lex.entries[o.entry].kind != EntityType::Person)
            };
            let surname_next = toks.get(i + 1).is_some_and(|n| {
                n.is_cap()
                    && !n.is_all_caps()
                    && !lex.cues.not_name.contains(n.text)
                    && !other_name(n)
            });
            // A lone-surname entry ("Clinton") after another given name ("Hillary").
            let entry = &lex.entries[h.entry];
            let one_word = !entry.pattern.contains(' ');
            let person_surname = one_word && entry.kind == EntityType::Person;
            // "Louise Christian", "Dawn French": a group word as a surname.
            let group_word = one_word && entry.kind == EntityType::Norp;
            let surname_entry = person_surname || group_word || surname_like_place(entry);
            let given_before = i > 0 && {
                let p = &toks[i - 1];
                // Any name before a president's surname; a known given name before a place.
                let given = person_surname || lex.first_names.contains(p.text);
                given
                    && p.is_cap()
                    && !lex.cues.title.contains(p.lower.as_ref())
                    && !lex.cues.not_name.contains(p.text)
            };
            let given_name_place = place && given && surname_next;
            // "coach Joe Jordan", "Tom Holland", "Jill Ireland": any one-word
            // place (a country, a state, an alias such as "Holland"; towns are
            // `surname_entry` already) after a given name that is no everyday
            // word ("Will Britain ...") and no place itself is a surname.
            let place_surname = place && one_word && given_before && {
                let p = &toks[i - 1];
                !lex.common.contains(p.lower.as_ref())
                    && hit_starting_at(hits, p.span.start).is_none()
            };
            // "Van Persie", "De Gea": a name particle that is also a town.
            let particle = one_word && lex.cues.connector.contains(toks[i].lower.as_ref());
            let particle_place = place && particle && surname_next;
            !(given_name_place || particle_place || place_surname || surname_entry && given_before)
        })
        .collect();
    let mut k = keep.iter();
    found.retain(|_| k.next().copied().unwrap_or(true));
}

fn on_word_boundaries(body: &str, start: usize, end: usize) -> bool {
    let before = body[..start].chars().next_back();
    let after = body[end..].chars().next();
    let inside_word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric());
    // "U.S." inside "U.S.A." is not a hit; a sentence-final dot is fine.
    let dotted_after = body.as_bytes().get(end) == Some(&b'.')
        && body[end + 1..]
            .chars()
            .next()
            .is_some_and(char::is_alphanumeric);
    !inside_word(before) && !inside_word(after) && !dotted_after
}

/// Exact spelling, or an all-capitals rendering of a longer mixed-case name
/// ("HUAWEI" for "Huawei", "SOUTH AFRICA" in a headline).
fn case_fits(found: &str, entry: &GazEntry) -> bool {
    if found == entry.pattern {
        return true;
    }
    let letters = found.chars().filter(|c| c.is_alphabetic()).count();
    letters >= 4 && !found.chars().any(char::is_lowercase)
}

impl<'a> Ctx<'a, '_> {
    fn tok(&self, i: usize) -> &Tok<'a> {
        &self.toks[i]
    }

    fn is_title(&self, t: &Tok) -> bool {
        t.word && self.lex.cues.title.contains(t.lower.as_ref())
    }

    fn is_common(&self, t: &Tok) -> bool {
        self.lex.common.contains(t.lower.as_ref())
    }

    fn is_org_head(&self, t: &Tok) -> bool {
        let c = &self.lex.cues;
        c.org_keyword.contains(t.text)
            || c.company_keyword.contains(t.text)
            || c.legal_suffix.contains(t.text)
    }

    fn is_keyword(&self, t: &Tok) -> bool {
        let c = &self.lex.cues;
        self.is_org_head(t)
            || c.law_keyword.contains(t.text)
            || c.place_keyword.contains(t.text)
            || c.of_head.contains(t.text)
            || c.facility_keyword.contains(t.text)
            || c.event_keyword.contains(t.text)
    }

    fn is_connector(&self, t: &Tok) -> bool {
        t.word && !t.is_cap() && self.lex.cues.connector.contains(t.text) || t.text == "&"
    }

    fn starts_run(&self, i: usize) -> bool {
        let t = self.tok(i);
        t.is_cap() || self.hit_starting_at(i).is_some()
    }

    fn hit_starting_at(&self, i: usize) -> Option<usize> {
        self.hit_of[i].filter(|&h| self.hits[h].span.start == self.tok(i).span.start)
    }

    /// End (exclusive) of the capitalised run starting at `start`. Connector
    /// words join only after a head word ("Ministry of", "Secretary of",
    /// "Court for the District of") so that "Contreras of the court" splits.
    fn run_end(&self, start: usize) -> usize {
        let mut end = start + 1;
        let mut has_of = false;
        loop {
            // A gazetteer hit may carry the run across its own punctuation.
            if let Some(h) = self.hit_of[end - 1] {
                while end < self.toks.len() && self.hit_of[end] == Some(h) {
                    end += 1;
                }
            }
            let Some(t) = self.toks.get(end) else { break };
            if self.caps_line && self.hit_of[end].is_none() && self.is_common(t) {
                break;
            }
            // "BBC Radio 4": a number completes the name and ends it.
            if self.numbered_name_end(end) {
                end += 1;
                break;
            }
            if t.is_cap() {
                end += 1;
                continue;
            }
            let Some(after) = self.connector_chain(start, end, has_of) else {
                break;
            };
            has_of |= self.toks[end..after]
                .iter()
                .any(|t| t.text == "of" || t.text == "for");
            end = after + 1;
        }
        end
    }

    /// True when the token at `i` is a short number completing a name
    /// ("Radio 4", "Channel 4").
    fn numbered_name_end(&self, i: usize) -> bool {
        let t = self.tok(i);
        let number = (1..=3).contains(&t.text.len()) && t.text.bytes().all(|c| c.is_ascii_digit());
        number && i > 0 && self.lex.cues.numbered_head.contains(self.tok(i - 1).text)
    }

    /// If connectors at `i` may join the run that opens at `start`, the
    /// index of the capitalised word after them. `has_of`: the run holds
    /// "of" or "for" already; with an organisation head word before, "of"
    /// and "for" may join again ("Court of Arbitration for Sport").
    fn connector_chain(&self, start: usize, i: usize, has_of: bool) -> Option<usize> {
        let prev = self.tok(i - 1);
        let mut j = i;
        while j < self.toks.len() && self.is_connector(self.tok(j)) && j < i + 2 {
            j += 1;
        }
        let target = self.toks.get(j)?;
        if j == i || !target.is_cap() || self.lex.cues.not_name.contains(target.text) {
            return None;
        }
        let first = self.tok(i).text;
        // "the United Nations Development Programme and the World Health
        // Organisation": "and the" coordinates two whole names.
        if matches!(first, "and" | "&") && self.tok(j - 1).text == "the" {
            return None;
        }
        let ok = match first {
            "of" if j == i + 1 && self.law_head_ahead(j) => true,
            "of" | "for" | "on" => {
                let headed = || (start..i).any(|k| self.is_org_head(self.tok(k)));
                self.is_keyword(prev)
                    || self.is_title(prev)
                    || has_of && headed()
                    || first != "of" && j == i + 1 && self.plain_head(start, i)
            }
            "and" | "&" => has_of || first == "&" || self.org_head_ahead(i, j),
            "the" => false,
            _ => true, // name particles: "de", "von", "al"
        };
        ok.then_some(j)
    }

    /// "War on Want", "Network for Good": one capitalised everyday word
    /// inside a sentence (no title, no head word, no known name) before
    /// "for" or "on" and a capitalised word opens a campaign's or a group's
    /// name.
    fn plain_head(&self, start: usize, i: usize) -> bool {
        let t = self.tok(start);
        i == start + 1
            && !self.headline
            && !t.initial
            && self.hit_of[start].is_none()
            && self.plain_word(t)
            && !self.is_title(t)
            && !self.is_keyword(t)
    }

    /// "Freedom of Information Act": a law head word within the next three
    /// capitalised words.
    fn law_head_ahead(&self, next: usize) -> bool {
        let mut ahead = self.toks[next..].iter().take(3).take_while(|t| t.is_cap());
        ahead.any(|t| self.lex.cues.law_keyword.contains(t.text))
    }

    /// "Qualifications and Curriculum Authority": an organisation head word
    /// shortly after "and" joins a pair that is not itself a known name.
    fn org_head_ahead(&self, and: usize, next: usize) -> bool {
        // Institution names coordinate common nouns ("Food and Drug"), lists
        // coordinate names ("Inspur and Panda Electronics").
        let prev_common = self.is_common(self.tok(and - 1)) && self.hit_of[and - 1].is_none();
        let mut ahead = self.toks[next..].iter().take(3).take_while(|t| t.is_cap());
        prev_common && ahead.any(|t| self.is_org_head(t))
    }

    fn gaz_cand(&self, h: usize) -> Cand {
        let e = &self.lex.entries[self.hits[h].entry];
        Cand {
            span: self.hits[h].span,
            kind: e.kind,
            canonical: Some(e.canonical.clone()),
            class: e.class,
            rule: "gazetteer",
            source: Some(e.rule.clone()),
            sentence: self.sentence,
            pending: false,
            one_word_place: surname_like_place(e),
            fallback: None,
        }
    }

    fn cand(
        &self,
        a: usize,
        b: usize,
        kind: EntityType,
        class: OrgClass,
        rule: &'static str,
    ) -> Cand {
        Cand {
            span: Span::new(self.tok(a).span.start, self.tok(b - 1).span.end),
            kind,
            canonical: None,
            class,
            rule,
            source: None,
            sentence: self.sentence,
            pending: false,
            one_word_place: false,
            fallback: None,
        }
    }

    /// Classifies the run `[a, b)` and pushes its candidates.
    fn run(&self, mut a: usize, mut b: usize, used: &mut [bool], out: &mut Vec<Cand>) {
        while b > a && self.is_connector(self.tok(b - 1)) {
            b -= 1;
        }
        if let Some(start) = self.work_title(a, b) {
            used_within(&self.hit_of[start..b], used);
            out.push(self.cand(
                start,
                b,
                EntityType::Misc,
                OrgClass::Other,
                "misc.title_case",
            ));
            return;
        }
        if self.the_title(a, b) {
            used_within(&self.hit_of[a..b], used);
            // "rock band The Strokes": a band is an organisation.
            let (two, one) = self.cue_before(a);
            let kind = match two.or(one) {
                Some(EntityType::Org) => EntityType::Org,
                _ => EntityType::Misc,
            };
            out.push(self.cand(a, b, kind, OrgClass::Other, "misc.the_title"));
            return;
        }
        let keyword_run = b - a >= 2 && self.is_org_head(self.tok(b - 1));
        // "Operation Firewall, led by ...": an event head opening the sentence stays.
        let event_run = b - a >= 2 && self.lex.cues.event_head.contains(self.tok(a).text);
        let listed_initial = self.listed_initial(a, b);
        while a < b
            && !event_run
            && !listed_initial
            && self.hit_starting_at(a).is_none()
            && self.droppable_start(a, keyword_run)
        {
            a += 1;
        }
        while a < b && self.is_connector(self.tok(a)) {
            a += 1;
        }
        if a >= b {
            return;
        }
        let span = Span::new(self.tok(a).span.start, self.tok(b - 1).span.end);
        if let Some(h) = self
            .hit_starting_at(a)
            .filter(|&h| self.hits[h].span == span)
        {
            used[h] = true;
            out.push(self.gaz_cand(h));
            return;
        }
        if b - a >= 2 && self.numbered_name_end(b - 1) {
            // The gazetteer names inside ("BBC") are part of this name.
            used_within(&self.hit_of[a..b], used);
            out.push(self.cand(a, b, EntityType::Org, OrgClass::Other, "org.numbered"));
            return;
        }
        if self.broadcaster_station(a, b) {
            used_within(&self.hit_of[a..b], used);
            out.push(self.cand(a, b, EntityType::Org, OrgClass::Other, "org.broadcaster"));
            return;
        }
        if b - a >= 2 && self.lex.cues.event_head.contains(self.tok(a).text) {
            used_within(&self.hit_of[a..b], used);
            out.push(self.cand(a, b, EntityType::Misc, OrgClass::Other, "misc.event_head"));
            return;
        }
        if self.title_person(a, b, used, out) || self.keyword_name(a, b, out) {
            return;
        }
        if self.club_run(a, b, used, out) {
            return;
        }
        self.split_by_hits(a, b, used, out);
    }

    /// "The Jewel Of The Nile", "A Fool Such As I": in prose, a run of three
    /// or more words with a capitalised function word inside it (not first,
    /// not last) is the title of a work. Gives where the title starts, past
    /// words capitalised only by opening the sentence ("In The Hague" is
    /// no title: its function word is first; "Comedy Meet The Fockers" is
    /// "Meet The Fockers").
    fn work_title(&self, a: usize, b: usize) -> Option<usize> {
        if self.headline {
            return None;
        }
        let cues = &self.lex.cues;
        // An article opening the sentence may open the title too ("A Fool
        // Such As I"); other words capitalised by position do not.
        let positional = |i: usize| {
            let t = self.tok(i);
            t.initial && !matches!(t.text, "The" | "A" | "An") && self.droppable_start(i, false)
        };
        let mut start = a;
        while start < b && positional(start) {
            start += 1;
        }
        // "Reporters Without Borders": an organisation's head word ends no title.
        let mut name_start = start;
        while name_start < b && self.is_title(self.tok(name_start)) {
            name_start += 1;
        }
        if b < start + 3
            || self.is_org_head(self.tok(b - 1))
            || self.middle_initial_name(name_start, b)
        {
            return None;
        }
        // A gazetteer name is what it is ("Bank Of America").
        let end = self.tok(b - 1).span.end;
        if self
            .hit_starting_at(start)
            .is_some_and(|h| self.hits[h].span.end == end)
        {
            return None;
        }
        let function_word = |t: &Tok| t.is_cap() && !t.initial && cues.title_word.contains(t.text);
        self.toks[start + 1..b - 1]
            .iter()
            .any(function_word)
            .then_some(start)
    }

    /// "similar to The Apprentice", "Wilson's The Illustrated Mum": news
    /// writes "the" in lower case before names, so a capitalised "The" after
    /// a lower-case word, a comma or a possessive opens the title of a work.
    /// Not a known name ("in The Hague"), a newspaper ("The Times") or a
    /// name with a head word ("The Walt Disney Company").
    fn the_title(&self, a: usize, b: usize) -> bool {
        let t = self.tok(a);
        if self.headline || t.initial || t.text != "The" || b - a < 2 || a == 0 {
            return false;
        }
        let prev = self.tok(a - 1);
        let mid_sentence = prev.word && !prev.is_cap() || prev.is_possessive() || prev.text == ",";
        let last = self.tok(b - 1);
        let masthead = b - a == 2 && self.lex.cues.masthead.contains(last.text);
        // "The Diary of Alicia Keys": a title that goes on past a connector
        // is more than the run shows; it is left to the other rules.
        let goes_on = self.toks.get(b).is_some_and(|t| self.is_connector(t))
            && self.toks.get(b + 1).is_some_and(|t| t.is_cap());
        mid_sentence
            && !goes_on
            && !masthead
            && !self.is_keyword(last)
            && (a..b).all(|i| self.hit_of[i].is_none())
    }

    /// "Samuel A Alito": a given name, a one-letter initial and a surname is
    /// a person's name, not a title with the article "A" inside.
    fn middle_initial_name(&self, a: usize, b: usize) -> bool {
        b == a + 3
            && self.lex.first_names.contains(self.tok(a).text)
            && self.is_initial(a + 1)
            && self.name_like(a + 2)
            && !self.lex.cues.title_word.contains(self.tok(a + 2).text)
    }

    /// A one-letter capital, with or without its dot ("A", "J.").
    fn is_initial(&self, i: usize) -> bool {
        let t = self.tok(i);
        let letters = t.text.strip_suffix('.').unwrap_or(t.text);
        letters.len() == 1 && t.is_cap()
    }

    /// "BBC Radio Wales", "BBC Radio Five Live": a one-word organisation
    /// followed by a numbered-name head ("Radio") and more capitalised words
    /// names one station, places inside it included.
    fn broadcaster_station(&self, a: usize, b: usize) -> bool {
        let org_word = self.hit_starting_at(a).is_some_and(|h| {
            self.hits[h].span.end == self.tok(a).span.end
                && self.lex.entries[self.hits[h].entry].kind == EntityType::Org
        });
        b - a >= 3 && org_word && self.lex.cues.numbered_head.contains(self.tok(a + 1).text)
    }

    /// A run-initial word capitalised only by position.
    fn droppable_start(&self, i: usize, keyword_run: bool) -> bool {
        let t = self.tok(i);
        if self.lex.cues.not_name.contains(t.text) {
            return true;
        }
        let positional = t.initial || self.headline;
        let plain = self.is_common(t) || self.is_company_cue(t);
        positional && !keyword_run && plain && !self.is_title(t)
    }

    /// Capitalised word that can be part of a personal name.
    fn name_like(&self, i: usize) -> bool {
        let t = self.tok(i);
        // A one-word place may be a surname ("Mr Kennedy"); other hits are not.
        let foreign_hit = self.hit_of[i].is_some_and(|h| {
            let e = &self.lex.entries[self.hits[h].entry];
            e.kind != EntityType::Person && !surname_like_place(e)
        });
        t.is_cap()
            && !t.is_all_caps()
            && !self.is_title(t)
            && !self.is_keyword(t)
            && !self.lex.cues.not_name.contains(t.text)
            && !foreign_hit
    }

    /// "President Donald Trump", "U.S. District Judge Rudolph Contreras",
    /// "Mr. Jun", "chief executive Tim Cook": a title then 1-3 name words.
    fn title_person(&self, a: usize, b: usize, used: &mut [bool], out: &mut Vec<Cand>) -> bool {
        let mut k = b;
        while k > a && b - k < 3 && self.name_like(k - 1) {
            k -= 1;
            // "President Lula da Silva": a particle between name words.
            if k > a + 1 && self.particle_at(k - 1, a, b) && self.name_like(k - 2) {
                k -= 1;
            }
            // "Justice Samuel A Alito": a middle initial between name words.
            if k > a + 1 && b - k < 2 && self.is_initial(k - 1) && self.name_like(k - 2) {
                k -= 1;
            }
        }
        if k == b {
            return false;
        }
        let person_hit = (k..b).any(|i| self.hit_of[i].is_some());
        let honorific = k > 0 && self.lex.cues.honorific.contains(self.tok(k - 1).text);
        if !person_hit && !honorific && (k..b).all(|i| self.is_common(self.tok(i))) {
            return false; // "General Election"
        }
        let titled_inside = (a..k).any(|i| self.is_title(self.tok(i)));
        let titled_before = k == a && a > 0 && self.is_title(self.tok(a - 1));
        if !(titled_inside || titled_before) {
            return false;
        }
        // "Secretary of War Pete Hegseth": a common word is the title's, not the name's.
        while b - k > 1
            && self.is_common(self.tok(k))
            && !self.lex.first_names.contains(self.tok(k).text)
        {
            k += 1;
        }
        if k > 0 && self.is_connector(self.tok(k - 1)) {
            return false; // "Commissioner for Transport"
        }
        let mut person = self.cand(k, b, EntityType::Person, OrgClass::Other, "person.title");
        if let Some(h) = self
            .hit_starting_at(k)
            .filter(|&h| self.hits[h].span == person.span)
        {
            used[h] = true;
            // A one-word city right after a title is a surname ("Mr Kennedy").
            if self.lex.entries[self.hits[h].entry].kind == EntityType::Person {
                person = self.gaz_cand(h);
            }
        }
        self.title_prefix(a, k, used, out);
        out.push(person);
        true
    }

    /// What precedes a titled name: "Intel Corp. Chief Executive", "US Defence Secretary".
    fn title_prefix(&self, a: usize, k: usize, used: &mut [bool], out: &mut Vec<Cand>) {
        let mut e = k;
        while e > a && (self.is_title(self.tok(e - 1)) || self.is_connector(self.tok(e - 1))) {
            e -= 1;
        }
        if !self.keyword_name(a, e, out) {
            self.hits_within(a, k, used, out);
        }
    }

    /// Runs headed by an organisation or law word: "Xiaomi Corporation",
    /// "Ministry of Industry and Information Technology", "Clean Air Act".
    fn keyword_name(&self, mut a: usize, mut b: usize, out: &mut Vec<Cand>) -> bool {
        while b > a && self.is_title(self.tok(b - 1)) && !self.is_keyword(self.tok(b - 1)) {
            b -= 1;
        }
        // "Chief Executive of Hereford Hospitals NHS Trust": the office
        // before "of" is the person's, the name after it the organisation.
        let mut t = a;
        while t < b && self.is_title(self.tok(t)) && !self.is_keyword(self.tok(t)) {
            t += 1;
        }
        if t > a && t + 1 < b && matches!(self.tok(t).text, "of" | "for" | "at") {
            a = t + 1;
            while a < b && self.tok(a).text == "the" {
                a += 1;
            }
        }
        if b - a < 2 {
            return false;
        }
        let cues = &self.lex.cues;
        let last = self.tok(b - 1).text;
        let named_person = b - a == 2 && self.lex.first_names.contains(self.tok(a).text);
        if self.surname_head_name(a, b) {
            return false;
        }
        let cand = if cues.law_keyword.contains(last) && !named_person {
            self.cand(a, b, EntityType::Law, OrgClass::Other, "law.keyword")
        } else if cues.facility_keyword.contains(last) {
            self.cand(a, b, EntityType::Loc, OrgClass::Other, "loc.facility")
        } else if cues.place_keyword.contains(last) {
            self.cand(a, b, EntityType::Gpe, OrgClass::Other, "gpe.place_keyword")
        } else if cues.event_keyword.contains(last) {
            self.cand(a, b, EntityType::Misc, OrgClass::Other, "misc.event")
        } else if cues.legal_suffix.contains(last) {
            self.cand(a, b, EntityType::Org, OrgClass::Company, "org.legal_suffix")
        } else if cues.company_keyword.contains(last) {
            self.cand(
                a,
                b,
                EntityType::Org,
                OrgClass::Company,
                "org.company_keyword",
            )
        } else if (a..b).any(|i| self.org_head_at(i, b)) {
            self.cand(a, b, EntityType::Org, OrgClass::Other, "org.keyword")
        } else {
            return false;
        };
        out.push(cand);
        true
    }

    /// "Thomas Haden Church": a given name, a middle name and a head word
    /// that is a surname too name a person; the head word inside does not
    /// make the name an organisation's.
    fn surname_head_name(&self, a: usize, b: usize) -> bool {
        b == a + 3
            && self.lex.first_names.contains(self.tok(a).text)
            && self.name_like(a + 1)
            && !self.plain_word(self.tok(a + 1))
            && self.lex.cues.surname_head.contains(self.tok(b - 1).text)
    }

    /// An organisation head word: any org keyword, or a company word
    /// followed by "of" ("Commercial Aircraft Corporation of China").
    fn org_head_at(&self, i: usize, b: usize) -> bool {
        let t = self.tok(i);
        let of_next = i + 1 < b && matches!(self.tok(i + 1).text, "of" | "for");
        self.lex.cues.org_keyword.contains(t.text) || of_next && self.is_org_head(t)
    }

    /// Gazetteer hits inside `[a, b)`.
    fn hits_within(&self, a: usize, b: usize, used: &mut [bool], out: &mut Vec<Cand>) {
        let mut i = a;
        while i < b {
            match self.hit_starting_at(i) {
                Some(h) if self.hits[h].span.end <= self.tok(b - 1).span.end => {
                    used[h] = true;
                    out.push(self.gaz_cand(h));
                    while i < b && self.hit_of[i] == Some(h) {
                        i += 1;
                    }
                }
                _ => i += 1,
            }
        }
    }

    /// Gazetteer hits of the run, and the words between them classified.
    fn split_by_hits(&self, a: usize, b: usize, used: &mut [bool], out: &mut Vec<Cand>) {
        // "the thriller Hotel Rwanda": a work cue before the run names one
        // work, the places inside it included.
        let (two, one) = self.cue_before(a);
        if b - a >= 2 && !self.headline && two.or(one) == Some(EntityType::Misc) {
            used_within(&self.hit_of[a..b], used);
            out.push(self.cand(a, b, EntityType::Misc, OrgClass::Other, WORK_RULE));
            return;
        }
        // "his wife Carey Lowell": after a kinship cue, name words are one
        // person's name, a town's name among them.
        if (2..=3).contains(&(b - a))
            && two.or(one) == Some(EntityType::Person)
            && (a..b).all(|i| self.name_like(i))
        {
            used_within(&self.hit_of[a..b], used);
            out.push(self.cand(a, b, EntityType::Person, OrgClass::Other, "person.cue"));
            return;
        }
        if b - a >= 3
            && matches!(self.tok(a + 1).text, "for" | "on")
            && self.plain_head(a, a + 1)
            && (a..b).all(|i| self.hit_of[i].is_none())
        {
            out.push(self.cand(a, b, EntityType::Org, OrgClass::Other, "org.plain_head"));
            return;
        }
        // "Samuel L Jackson": a given name, an initial and a surname is a
        // person, though the surname is a town's name too.
        if self.middle_initial_name(a, b) {
            used_within(&self.hit_of[a..b], used);
            out.push(self.cand(
                a,
                b,
                EntityType::Person,
                OrgClass::Other,
                "person.first_name",
            ));
            return;
        }
        // "Bank Sal Oppenheim": a head word that opens an organisation's
        // name, and the name words after it.
        let name_word = |i: usize| {
            self.hit_of[i].is_none() && self.name_like(i) && !self.plain_word(self.tok(i))
        };
        if b - a >= 2
            && !self.headline
            && self.lex.cues.head_first_org.contains(self.tok(a).text)
            && (a + 1..b).all(name_word)
        {
            out.push(self.cand(a, b, EntityType::Org, OrgClass::Company, "org.head_first"));
            return;
        }
        if self.place_inside_name(a, b) {
            for i in a..b {
                if let Some(h) = self.hit_of[i] {
                    used[h] = true;
                }
            }
            out.extend(self.segment(a, b));
            return;
        }
        let mut i = a;
        while i < b {
            // "C Paterson (Edinburgh)": a town's name as the surname after an initial.
            if self.initial_place_surname(i, b) {
                used_within(&self.hit_of[i..b], used);
                out.push(self.cand(i, b, EntityType::Person, OrgClass::Other, "person.initial"));
                break;
            }
            if let Some(club) = self.club_at(i, b, used) {
                i = club.1;
                out.push(self.cand(club.0, club.1, EntityType::Org, OrgClass::Other, "org.club"));
                continue;
            }
            if let Some(end) = self.company_pair_end(i, b, used) {
                out.push(self.cand(
                    i,
                    end,
                    EntityType::Org,
                    OrgClass::Company,
                    "org.company_pair",
                ));
                i = end;
                continue;
            }
            if let Some(end) = self.group_compound_end(i, b, used) {
                out.push(self.cand(i, end, EntityType::Norp, OrgClass::Other, "norp.compound"));
                i = end;
                continue;
            }
            if let Some(h) = self.hit_starting_at(i) {
                used[h] = true;
                out.push(self.gaz_cand(h));
                while i < b && self.hit_of[i] == Some(h) {
                    i += 1;
                }
                continue;
            }
            let mut j = i;
            let name_word = |j: usize| {
                self.tok(j).is_cap() || self.particle_at(j, i, b) || self.ampersand_at(j, i, b)
            };
            while j < b && self.hit_of[j].is_none() && name_word(j) {
                j += 1;
            }
            if j > i {
                if let Some(c) = self.segment(i, j) {
                    out.push(c);
                }
                i = j;
            } else {
                i += 1;
            }
        }
    }

    /// "Bosnian Serbs", "Greek Cypriot": two one-word group names side by
    /// side name one group (CoNLL tags the pair as one MISC name). Gives the
    /// end of the pair and marks both hits used.
    fn group_compound_end(&self, i: usize, b: usize, used: &mut [bool]) -> Option<usize> {
        let group_word = |k: usize| {
            let h = self.hit_of.get(k).copied().flatten()?;
            let whole = self.hits[h].span == self.tok(k).span;
            (k < b && whole && self.lex.entries[self.hits[h].entry].kind == EntityType::Norp)
                .then_some(h)
        };
        let (first, second) = (group_word(i)?, group_word(i + 1)?);
        if self.lex.cues.faith_word.contains(self.tok(i + 1).text) {
            return None;
        }
        used[first] = true;
        used[second] = true;
        Some(i + 2)
    }

    /// "Sony Ericsson": two company names side by side in one capitalised
    /// run name one joint company. Gives the end of the pair and marks both
    /// hits used.
    fn company_pair_end(&self, i: usize, b: usize, used: &mut [bool]) -> Option<usize> {
        // A company hit starting at word `i` of the run: the hit and the
        // word after it.
        let company_hit = |i: usize| {
            if i >= b {
                return None;
            }
            let h = self
                .hit_starting_at(i)
                .filter(|&h| self.hits[h].span.end <= self.tok(b - 1).span.end)?;
            let e = &self.lex.entries[self.hits[h].entry];
            let end = (i..b).find(|&j| self.hit_of[j] != Some(h)).unwrap_or(b);
            (e.kind == EntityType::Org && e.class == OrgClass::Company).then_some((h, end))
        };
        let (first, mid) = company_hit(i)?;
        let (second, end) = company_hit(mid)?;
        used[first] = true;
        used[second] = true;
        Some(end)
    }

    /// "Bayern Munich 2 Hamburg 1", "Borussia Dortmund 5 3 1 1": a name of
    /// two or three words holding a place, as a side in a results line, is
    /// one club (a given name first makes it a player).
    fn club_run(&self, a: usize, b: usize, used: &mut [bool], out: &mut Vec<Cand>) -> bool {
        let sized = (2..=3).contains(&(b - a));
        let holds_place = (a..b).any(|i| self.hit_of[i].is_some());
        if !sized
            || !holds_place
            || self.lex.first_names.contains(self.tok(a).text)
            || !(self.goal_pair(a, b) || self.table_row(a, b))
        {
            return false;
        }
        used_within(&self.hit_of[a..b], used);
        out.push(self.cand(a, b, EntityType::Org, OrgClass::Other, "org.club"));
        true
    }

    /// "Sheffield United", "Leicester City": a one-word town hit at `i`
    /// followed by a club suffix inside the run `[.., b)`; gives the club's
    /// token range.
    fn club_at(&self, i: usize, b: usize, used: &mut [bool]) -> Option<(usize, usize)> {
        // "Real Madrid", "Inter Milan": a club prefix before a one-word town.
        let prefix =
            self.hit_of[i].is_none() && self.context.club_prefix.contains_key(self.tok(i).text);
        if prefix && i + 1 < b {
            let town = self.hit_starting_at(i + 1).filter(|&h| {
                is_town(&self.lex.entries[self.hits[h].entry])
                    && self.hits[h].span == self.tok(i + 1).span
            });
            if let Some(h) = town {
                used[h] = true;
                return Some((i, i + 2));
            }
        }
        let h = self.hit_starting_at(i)?;
        let town = is_town(&self.lex.entries[self.hits[h].entry]);
        let suffix = i + 1 < b
            && self.hit_of[i + 1].is_none()
            && self.context.club_suffix.contains_key(self.tok(i + 1).text);
        if !(town && suffix && self.hits[h].span == self.tok(i).span) {
            return None;
        }
        used[h] = true;
        Some((i, i + 2))
    }

    /// "Liverpool striker", "Tottenham's Ledley King": a one-word town named
    /// with a club word after it, or owning a person, is a club; so is a
    /// town of any length in a sports context ("beat Leeds", "Leeds 2
    /// Hull 1").
    fn towns_as_clubs(&self, cands: &mut [Cand]) {
        for k in 0..cands.len() {
            let c = &cands[k];
            let town = c.source.as_deref() == Some(TOWN_SOURCE);
            if !town && !self.team_place(c) {
                continue;
            }
            let (Some(a), next) = (
                self.tok_after(c.span.start),
                self.tok_after(c.span.end).unwrap_or(self.toks.len()),
            ) else {
                continue;
            };
            // A town of any length in a match report ("Los Angeles 5 Chicago 3").
            let sports = if town {
                self.club_context(a, next) || self.town_club_cue(a)
            } else {
                self.score_pair(a, next) || self.table_row(a, next)
            };
            let one_word = town && c.one_word_place && next < self.toks.len();
            // The word after a one-word town is one of a cue table's words.
            let next_in = |table: &WordMap<EntityType>| {
                one_word
                    && self.toks[next].word
                    && table.contains_key(self.toks[next].lower.as_ref())
            };
            let cued = next_in(&self.context.club_after);
            let possessive = one_word && self.toks[next].is_possessive();
            let owns_person = possessive
                && self.toks.get(next + 1).is_some_and(|t| {
                    cands.iter().any(|p| {
                        let person = p.kind == EntityType::Person && !p.pending
                            || p.fallback == Some(EntityType::Person);
                        p.span.start == t.span.start && person
                    })
                });
            // "Brent crude": a town naming a product is no place.
            let product = next_in(&self.context.product_after);
            if product {
                let c = &mut cands[k];
                c.kind = EntityType::Misc;
                c.rule = "misc.product";
                c.source = None;
                c.canonical = None;
                c.one_word_place = false;
                continue;
            }
            let owned_cue = possessive && self.club_owned_after(next);
            if cued || owns_person || owned_cue || sports {
                make_club(&mut cands[k]);
            }
        }
    }

    /// "Portsmouth's new boss": after the possessive at `possessive`, a
    /// club-owned cue word, at most one lower-case word later.
    fn club_owned_after(&self, possessive: usize) -> bool {
        let lower = |i: usize| self.toks.get(i).filter(|t| t.word && !t.is_cap());
        let cue = |i: usize| {
            lower(i).is_some_and(|t| self.context.club_owned.contains_key(t.lower.as_ref()))
        };
        cue(possessive + 1) || lower(possessive + 1).is_some() && cue(possessive + 2)
    }

    /// A place other than a town and a country that names a side in a
    /// results line: a state or region ("Texas 4 Chicago 5"), a city known
    /// by an alias ("NEW YORK 74 54").
    fn team_place(&self, c: &Cand) -> bool {
        let canonical = c.canonical.as_deref().unwrap_or("").to_lowercase();
        c.kind == EntityType::Gpe
            && c.source.is_some()
            && !self.lex.countries.contains(&canonical)
            && !self.lex.cues.national_side.contains(&canonical)
    }

    /// Index of the first token starting at or after byte `end`.
    fn tok_after(&self, end: usize) -> Option<usize> {
        let i = self.toks.partition_point(|t| t.span.start < end);
        (i < self.toks.len()).then_some(i)
    }

    /// The type cue words right before token `a` give: two words ("shares
    /// in") first, then one ("comedy").
    fn cue_before(&self, a: usize) -> (Option<EntityType>, Option<EntityType>) {
        let Some(one) = a.checked_sub(1).and_then(|i| self.cue_word(i)) else {
            return (None, None);
        };
        let two = a
            .checked_sub(2)
            .and_then(|i| self.cue_word(i))
            .and_then(|t| pair_cue(&self.context.before, &t.lower, &one.lower));
        // "Mother Nature": a kinship word names a person only in lower case.
        let not_capital = |kind: Option<EntityType>, t: &Tok| {
            kind.filter(|&k| k != EntityType::Person || !t.is_cap())
        };
        (
            two,
            not_capital(self.context.before.get(one.lower.as_ref()).copied(), one),
        )
    }

    /// A lower-case word at `i`, or one capitalised only as the first of its
    /// sentence ("Shares in Umbro rose").
    fn cue_word(&self, i: usize) -> Option<&Tok<'a>> {
        self.toks
            .get(i)
            .filter(|t| t.word && (!t.is_cap() || t.initial))
    }

    /// "Leeds beat Everton", "drew with Everton", "Barnsley 3 Oxford 0": the
    /// sports context around the name `[a, b)` that makes a town or a lone
    /// unknown word a club.
    fn club_context(&self, a: usize, b: usize) -> bool {
        let after = self.toks.get(b).is_some_and(|t| {
            t.word && !t.is_cap() && self.context.club_after.contains_key(t.lower.as_ref())
        });
        let before_one = a.checked_sub(1).and_then(|i| self.cue_word(i));
        let before_two = a.checked_sub(2).and_then(|i| self.cue_word(i));
        let before = before_one.is_some_and(|one| {
            self.context.club_before.contains_key(one.lower.as_ref())
                || before_two.is_some_and(|two| {
                    pair_cue(&self.context.club_before, &two.lower, &one.lower).is_some()
                })
        });
        after || before || self.score_pair(a, b) || self.table_row(a, b)
    }

    /// "defeat at Shrewsbury", "sent off at Southampton": a cue of
    /// `club_before_town` (one or two words) before the town at `a`.
    fn town_club_cue(&self, a: usize) -> bool {
        let cues = &self.context.club_before_town;
        let Some(one) = a.checked_sub(1).and_then(|i| self.cue_word(i)) else {
            return false;
        };
        let two = a.checked_sub(2).and_then(|i| self.cue_word(i));
        cues.contains_key(one.lower.as_ref())
            || two.is_some_and(|two| pair_cue(cues, &two.lower, &one.lower).is_some())
    }

    /// "Newcastle 5 4 0 1 9 5 12", "NEW YORK 74 54 .578 -": a line of a
    /// standings table, the name (after a rank at most) followed right
    /// away by two or more numbers and nothing else.
    fn table_row(&self, a: usize, b: usize) -> bool {
        let rank = a <= 2 && self.toks[..a].iter().all(is_table_cell);
        let numbers = self.toks[b.min(self.toks.len())..]
            .iter()
            .try_fold(0, |n, t| {
                is_table_cell(t).then_some(n + usize::from(is_number(t)))
            });
        let first_number = self.toks.get(b).is_some_and(is_number);
        rank && first_number && numbers.is_some_and(|n| n >= 2)
    }

    /// "Aston Villa 2 Derby 0": a goal count after the name that pairs
    /// with the other side's (not a hyphenated score, which follows
    /// players' names too: bowling figures "4-50").
    fn goal_pair(&self, a: usize, b: usize) -> bool {
        let hyphenated = self.toks.get(b).is_some_and(|t| t.text.contains('-'));
        !hyphenated && self.score_pair(a, b)
    }

    /// "Barnsley 3 Oxford 0", "Parma 2-1": a name followed by a match
    /// score, either a hyphenated one or a goal count that pairs with the
    /// other side's ("Barnsley 3" before "Oxford 0", or after it).
    fn score_pair(&self, a: usize, b: usize) -> bool {
        let goals = |i: usize| self.toks.get(i).is_some_and(|t| is_goal_count(t.text));
        let hyphenated = self.toks.get(b).is_some_and(|t| {
            t.text
                .split_once('-')
                .is_some_and(|(x, y)| is_goal_count(x) && is_goal_count(y))
        });
        if hyphenated {
            return true;
        }
        if !goals(b) {
            return false;
        }
        // The other side: "Name N" right before, or right after ours, with
        // the scorers in brackets between ("Hamburg 1 ( Kuntz 12 ) Bochum 2").
        let before = self.skip_brackets_back(a);
        let side_before = before >= 2 && goals(before - 1) && self.tok(before - 2).is_cap();
        let after = self.skip_brackets(b + 1);
        let next_cap = self.toks.get(after).is_some_and(|t| t.is_cap());
        let side_after = next_cap && (after + 1..(after + 4).min(self.toks.len())).any(goals);
        side_before || side_after
    }

    /// The token after a bracketed group opening at `i` (or `i` itself).
    fn skip_brackets(&self, i: usize) -> usize {
        if self.toks.get(i).is_none_or(|t| t.text != "(") {
            return i;
        }
        let close = self.toks[i..].iter().take(40).position(|t| t.text == ")");
        close.map_or(i, |k| i + k + 1)
    }

    /// The index just past the token before a bracketed group closing right
    /// before `a` (or `a` itself).
    fn skip_brackets_back(&self, a: usize) -> usize {
        if a == 0 || self.tok(a - 1).text != ")" {
            return a;
        }
        let open = self.toks[a.saturating_sub(40)..a - 1]
            .iter()
            .rposition(|t| t.text == "(");
        open.map_or(a, |k| a.saturating_sub(40) + k)
    }

    /// "( Klinsmann 34 , Scholl 67 )" after a goal count: a scorer and the
    /// minute, inside the brackets of a match result.
    fn scorer(&self, a: usize, b: usize) -> bool {
        let minute = self.toks.get(b).is_some_and(|t| is_minute(t.text));
        let closes = self
            .toks
            .get(b + 1)
            .is_some_and(|t| matches!(t.text, "," | ")" | ";"));
        if !(minute && closes && a > 0) {
            return false;
        }
        // Back to the opening bracket over other scorers only.
        let mut i = a;
        while i > 0 {
            let t = self.tok(i - 1);
            if t.text == "(" {
                return i >= 2 && is_goal_count(self.tok(i - 2).text);
            }
            if !(t.is_cap() || is_minute(t.text) || matches!(t.text, "," | ";" | "." | "-")) {
                return false;
            }
            i -= 1;
        }
        false
    }

    /// The type a cue word right after the name `[a, b)` gives ("game",
    /// "Tesco chief"). A role after a name shaped like a person's is the
    /// person's role, not an organisation's ("Kefa Ssempgani chief").
    fn cue_after(&self, a: usize, b: usize) -> Option<EntityType> {
        let t = self.toks.get(b).filter(|t| t.word && !t.is_cap())?;
        let kind = self.context.after.get(t.lower.as_ref()).copied()?;
        let personal = || kind == EntityType::Org && self.person_shaped(a, b);
        (!personal()).then_some(kind)
    }

    /// "Aishwarya Rai", "Robin van Persie": two to four capitalised words
    /// (name particles between) that are not all common words and hold no
    /// title or keyword: the shape of a personal name.
    fn person_shaped(&self, a: usize, b: usize) -> bool {
        let n = b - a;
        let particle = |i: usize| self.particle_at(i, a, b);
        // "Villa Park", "Golden Globe": a common last word makes a place or a
        // thing unless a given name opens the name ("Wes Brown").
        // "World Community Grid", "Strictly Come Dancing": without a given
        // name to open it, a name of three or more words holding a common
        // word is a thing or a group (two words are too often a given name
        // that is also a word: "Drew Barrymore").
        let given = || self.lex.first_names.contains(self.tok(a).text);
        let plain_ok = || match n {
            2 => !self.plain_word(self.tok(b - 1)),
            _ => (a..b).all(|i| particle(i) || !self.plain_word(self.tok(i))),
        };
        // "the Birchfield Harrier", "a Big Brother society": news writes no
        // article before a person's name.
        // ("A Lo Cicero (L'Aquilla)": a capital "A" inside a sentence is an initial).
        let determiner = a > 0 && {
            let t = self.tok(a - 1);
            matches!(t.text, "the" | "a" | "an")
                || t.initial && matches!(t.text, "The" | "A" | "An")
        };
        (2..=4).contains(&n)
            && !determiner
            && self.tok(a).text.chars().count() > 1
            && (given() || plain_ok())
            && (a..b).all(|i| self.name_like(i) || particle(i))
            && (a..b).any(|i| self.tok(i).is_cap() && !self.plain_word(self.tok(i)))
    }

    /// A common word, or a compound of common words ("Military-Civil").
    fn plain_word(&self, t: &Tok) -> bool {
        self.is_common(t)
            || t.lower.contains('-') && t.lower.split('-').all(|p| self.lex.common.contains(p))
    }

    /// A lower-case connector ("of", "with") between token `i` and a
    /// capitalised word on either side: the word belongs to a longer
    /// title-case phrase ("Builder of Socialism with Chinese Characteristics").
    fn inside_phrase(&self, i: usize) -> bool {
        let joiner = |t: &Tok| t.word && matches!(t.text, "of" | "with" | "for");
        let before = i >= 2 && joiner(self.tok(i - 1)) && self.tok(i - 2).is_cap();
        let after = self.toks.get(i + 1).is_some_and(joiner)
            && self.toks.get(i + 2).is_some_and(|t| t.is_cap());
        before || after
    }

    /// "van", "der" inside "Jeroen van der Veer": a lower-case name particle
    /// after the start of a name and before its capitalised end.
    fn particle_at(&self, j: usize, start: usize, b: usize) -> bool {
        let t = self.tok(j);
        let particle = !t.is_cap()
            && self.is_connector(t)
            && !matches!(t.text, "of" | "for" | "and" | "&" | "the" | "on");
        particle
            && j > start
            && (j + 1..b)
                .find(|&k| !self.is_connector(self.tok(k)))
                .is_some_and(|k| self.tok(k).is_cap())
    }

    /// "Marsh & McLennan", "Ernst & Young": an ampersand between two
    /// capitalised words of one run joins them into one name.
    fn ampersand_at(&self, j: usize, start: usize, b: usize) -> bool {
        self.tok(j).text == "&"
            && j > start
            && j + 1 < b
            && self.tok(j - 1).is_cap()
            && self.tok(j + 1).is_cap()
            && self.hit_of[j + 1].is_none()
    }

    /// A run of exactly an initial and one word the gazetteer names as a
    /// town or as a known person's surname ("C Paterson", "M Blair" in a
    /// team list): a person of that surname, not the town or the other person.
    fn initial_place_surname(&self, i: usize, b: usize) -> bool {
        // Towns only: "S Asia" is South Asia, no person.
        let surname_hit =
            |e: &GazEntry| is_town(e) || e.kind == EntityType::Person && !e.pattern.contains(' ');
        let town_surname = b == i + 2
            && self.hit_starting_at(i + 1).is_some_and(|h| {
                let hit = &self.hits[h];
                hit.span == self.tok(i + 1).span && surname_hit(&self.lex.entries[hit.entry])
            });
        town_surname && self.hit_of[i].is_none() && self.initial_and_surname(i, b)
    }

    /// "A Craig (Glasgow)", "I Fullarton (Saracens)": in a team list, a
    /// one-letter initial that is also a word ("A", "I") opens a name when
    /// only a surname and a bracketed side follow it.
    fn listed_initial(&self, a: usize, b: usize) -> bool {
        b == a + 2
            && self.tok(a).text.chars().count() == 1
            && self.tok(a).is_cap()
            && self.toks.get(b).is_some_and(|t| t.text == "(")
    }

    /// One mid-sentence capitalised word that may be a name by itself: not
    /// a common word, a contraction ("I'm") or a compound ("Oscar-nominated").
    fn lone_name_word(&self, i: usize) -> bool {
        let t = self.tok(i);
        !t.initial
            && self.name_like(i)
            && !self.is_common(t)
            && !t.text.contains(['-', '\'', '\u{2019}'])
            && !self.inside_phrase(i)
    }

    /// "Grand China Aie": a place inside unknown capitalised words is part
    /// of one unknown name, not a place mention.
    fn place_inside_name(&self, a: usize, b: usize) -> bool {
        let unknown = |i: usize| self.hit_of[i].is_none() && self.name_like(i);
        let place_hit = |i: usize| {
            self.hit_of[i].is_some_and(|h| {
                matches!(
                    self.lex.entries[self.hits[h].entry].kind,
                    EntityType::Gpe | EntityType::Norp
                )
            })
        };
        b - a >= 3
            && unknown(a)
            && unknown(b - 1)
            && (a..b).all(|i| unknown(i) || place_hit(i))
            && (a..b).any(place_hit)
    }

    /// Unknown capitalised words `[a, b)`: a given name, a cue noun before,
    /// or an acronym decides; else the segment stays pending.
    fn segment(&self, mut a: usize, b: usize) -> Option<Cand> {
        let listed_initial = self.listed_initial(a, b);
        while a < b
            && !listed_initial
            && (self.is_title(self.tok(a)) || self.droppable_start(a, false))
        {
            a += 1;
        }
        if a >= b {
            return None;
        }
        let first = self.tok(a);
        let n = b - a;
        let (before_two, before_one) = self.cue_before(a);
        if before_two.or(before_one) == Some(EntityType::Misc) && !self.headline {
            // "the drama Vera Drake": a work, whatever names it holds.
            return Some(self.cand(a, b, EntityType::Misc, OrgClass::Other, WORK_RULE));
        }
        if n == 3 && self.tok(a + 1).text == "&" {
            return Some(self.cand(a, b, EntityType::Org, OrgClass::Company, "org.ampersand"));
        }
        if n <= 3 && self.scorer(a, b) {
            return Some(self.cand(a, b, EntityType::Person, OrgClass::Other, "person.scorer"));
        }
        if (2..=3).contains(&n) && self.lex.first_names.contains(first.text) {
            return Some(self.cand(
                a,
                b,
                EntityType::Person,
                OrgClass::Other,
                "person.first_name",
            ));
        }
        if n == 1 && self.masthead_after_the(a) {
            return Some(self.cand(a, b, EntityType::Org, OrgClass::Company, "org.masthead"));
        }
        if n >= 2 && self.defines_acronym(a, b) {
            return Some(self.cand(
                a,
                b,
                EntityType::Org,
                OrgClass::Other,
                "org.acronym_definition",
            ));
        }
        if (2..=4).contains(&n) && self.initial_and_surname(a, b) {
            return Some(self.cand(a, b, EntityType::Person, OrgClass::Other, "person.initial"));
        }
        if n == 1 && self.lex.cues.not_acronym.contains(first.text) {
            return None;
        }
        let family_first = self.lex.cues.surname_first.contains(first.text)
            && (a + 1..b).all(|i| !self.is_common(self.tok(i)));
        if (2..=3).contains(&n) && family_first {
            return Some(self.cand(
                a,
                b,
                EntityType::Person,
                OrgClass::Other,
                "person.surname_first",
            ));
        }
        if n <= 3 && !first.is_all_caps() && self.person_apposition_after(b) {
            return Some(self.cand(
                a,
                b,
                EntityType::Person,
                OrgClass::Other,
                "person.apposition",
            ));
        }
        if n <= 3 && self.company_possession_after(b) {
            return Some(self.cand(a, b, EntityType::Org, OrgClass::Company, "org.possession"));
        }
        if n <= 3 && (self.company_cue_before(a, b) || self.company_apposition_after(b)) {
            return Some(self.cand(a, b, EntityType::Org, OrgClass::Company, "org.cue"));
        }
        // "shares in X" beats "X software", which beats "in X"; a lone word
        // in a sports context is a club ("Juventus beat Parma 2-1").
        let sports = || match n {
            1 => self.club_context(a, b),
            2 | 3 => self.goal_pair(a, b) || self.table_row(a, b),
            _ => false,
        };
        let club = || sports().then_some(EntityType::Org);
        // "in Section 1260H", "in Chapter 11": a name numbered like a
        // heading is no place, whatever "in" says.
        let numbered = || {
            self.toks
                .get(b)
                .is_some_and(|t| t.text.starts_with(|c: char| c.is_ascii_digit()))
        };
        let before_one =
            before_one.filter(|&t| t != EntityType::Gpe && t != EntityType::Loc || !numbered());
        let cued = before_two
            .or_else(|| self.cue_after(a, b))
            .or(before_one)
            .or_else(club);
        if n == 1 && is_acronym(first.text) && self.spells_lower_case_term(a) {
            // Kept only to silence the acronym's other mentions (see `drop_terms`).
            return Some(self.cand(a, b, EntityType::Misc, OrgClass::Other, TERM_RULE));
        }
        if n == 1 && is_acronym(first.text) {
            // Products and technical terms are written like this too: only a
            // speaking acronym is an organisation by itself.
            let mut c = self.cand(a, b, EntityType::Org, OrgClass::Other, "org.acronym");
            c.pending = !(self.speech_verb_at(b) || self.owned_by_place(a));
            c.fallback = cued.or((!self.headline).then_some(EntityType::Org));
            // "strategist at UBS", "PCS leader": a cue other than a place's
            // ("in") types the acronym as firmly as a speech verb.
            if let Some(kind) = cued.filter(|&t| t != EntityType::Gpe && t != EntityType::Loc) {
                c.kind = kind;
                c.pending = false;
            }
            return Some(c);
        }
        if n > 4 {
            return None;
        }
        let (fallback, rule) = match cued {
            Some(t) => (Some(t), "context.cue"),
            None => match self.shape_type(a, b) {
                Some(EntityType::Person) => (Some(EntityType::Person), "person.shape"),
                Some(_) if n == 1 && self.personal_pronoun_after_verb(b) => {
                    (Some(EntityType::Person), "person.pronoun")
                }
                Some(t) if self.org_subject_verb_at(b) => (Some(t), "org.subject"),
                Some(t) => (Some(t), "org.shape"),
                None => (None, "caps.unknown"),
            },
        };
        let mut c = self.cand(a, b, EntityType::Misc, OrgClass::Other, rule);
        c.pending = true;
        c.fallback = fallback;
        Some(c)
    }

    /// "Germany's SAP": a place's possessive right before token `a`.
    fn owned_by_place(&self, a: usize) -> bool {
        let possessive = a >= 2 && self.tok(a - 1).is_possessive();
        possessive
            && self.hit_of[a - 2].is_some_and(|h| {
                let e = &self.lex.entries[self.hits[h].entry];
                e.kind == EntityType::Gpe && self.hits[h].span.end == self.tok(a - 2).span.end
            })
    }

    /// "in the Observer", "told the Sun": a one-word newspaper name after
    /// "the", mid-sentence; one that is an everyday word too only beside a
    /// press cue.
    fn masthead_after_the(&self, a: usize) -> bool {
        let t = self.tok(a);
        // "Tears of the Sun": the end of a longer title-case phrase.
        let in_phrase = a >= 3 && self.tok(a - 2).text == "of" && self.tok(a - 3).is_cap();
        let cues = &self.lex.cues;
        let masthead = !self.headline
            && !t.initial
            && a > 0
            && self.tok(a - 1).text == "the"
            && !in_phrase
            && cues.masthead.contains(t.text);
        masthead && (!cues.masthead_needs_cue.contains(t.text) || self.press_cue_around(a))
    }

    /// A press cue right after the word at `a`, or right before its "the"
    /// ("told the Star", "according to the Times"). Before "the" a speech
    /// verb other than "told" is a cue only when the masthead ends the
    /// clause ("..., says the Times."): "NASA said the Sun is ..." speaks
    /// of the sun.
    fn press_cue_around(&self, a: usize) -> bool {
        let cues = &self.lex.cues;
        let press = |t: &Tok| t.word && cues.press_cue.contains(t.lower.as_ref());
        if self.toks.get(a + 1).is_some_and(press) {
            return true;
        }
        let clause_end = self.toks.get(a + 1).is_none_or(|t| !t.word);
        let before = |i: usize| a.checked_sub(i).and_then(|i| self.cue_word(i));
        let according = before(2).is_some_and(|t| t.lower == "to")
            && before(3).is_some_and(|t| t.lower == "according");
        according
            || before(2).is_some_and(|t| {
                press(t) && (t.lower == "told" || clause_end || !cues.speech_verb.contains(t.text))
            })
    }

    /// "World Community Grid (WCG)": capitalised words followed by an
    /// acronym in brackets spelt by their initials (connectors left out
    /// or kept) name an organisation.
    fn defines_acronym(&self, a: usize, b: usize) -> bool {
        let Some(acronym) = self.bracketed_at(b + 1).filter(|t| t.is_all_caps()) else {
            return false;
        };
        let words = &self.toks[a..b];
        initials_spell(acronym, words.iter().filter(|t| t.is_cap()))
            || initials_spell(acronym, words.iter().filter(|t| t.word))
    }

    /// "progressive multifocal leukoencephalopathy (PML)": an acronym in
    /// brackets spelt by the lower-case words right before them abbreviates
    /// a term, not a name.
    fn spells_lower_case_term(&self, a: usize) -> bool {
        let Some(acronym) = self.bracketed_at(a) else {
            return false;
        };
        let letters = acronym.text.chars().filter(|c| c.is_alphabetic()).count();
        let Some(first) = (a - 1).checked_sub(letters) else {
            return false;
        };
        let words = &self.toks[first..a - 1];
        words.iter().all(|w| !w.is_cap()) && initials_spell(acronym, words.iter())
    }

    /// The word at `i` when it stands alone in brackets: "(", word, ")".
    fn bracketed_at(&self, i: usize) -> Option<&Tok<'a>> {
        let open = i.checked_sub(1).and_then(|o| self.toks.get(o))?;
        let close = self.toks.get(i + 1)?;
        (open.text == "(" && close.text == ")")
            .then(|| self.tok(i))
            .filter(|t| t.word)
    }

    /// "R de Marigny", "C Stoica" (team lists): a one-letter initial, then
    /// a surname that is no common word, particles between.
    fn initial_and_surname(&self, a: usize, b: usize) -> bool {
        let initial = self.tok(a).text.trim_end_matches('.');
        let one_letter = initial.chars().count() == 1 && self.tok(a).is_cap();
        let surname = self.tok(b - 1);
        one_letter
            && (!self.lex.cues.not_name.contains(self.tok(a).text) || self.listed_initial(a, b))
            && self.name_like(b - 1)
            && !self.plain_word(surname)
            && (a + 1..b - 1).all(|i| self.particle_at(i, a, b) || self.name_like(i))
    }

    /// The type the words themselves suggest when no cue does: a personal
    /// name's shape, or a lone mid-sentence name word, which in news most
    /// often names an organisation (people are introduced by full name).
    fn shape_type(&self, a: usize, b: usize) -> Option<EntityType> {
        if self.headline {
            return None;
        }
        if self.person_shaped(a, b) {
            Some(EntityType::Person)
        } else if b - a == 1 && self.lone_name_word(a) {
            Some(EntityType::Org)
        } else {
            None
        }
    }

    /// "Abi Go, Xiaomi’s global product manager, told ...":
    /// a comma, a short description containing a lower-case title, a comma.
    fn person_apposition_after(&self, b: usize) -> bool {
        let rest = &self.toks[b.min(self.toks.len())..];
        let [comma, tail @ ..] = rest else {
            return false;
        };
        if comma.text != "," {
            return false;
        }
        let mut titled = false;
        for t in tail.iter().take(7) {
            if t.text == "," {
                return titled;
            }
            titled |= t.word && !t.is_cap() && self.is_title(t);
        }
        false
    }

    /// "Zeekr’s quarterly revenue", "Xiaomi's shares".
    fn company_possession_after(&self, b: usize) -> bool {
        let rest = &self.toks[b.min(self.toks.len())..];
        let [possessive, tail @ ..] = rest else {
            return false;
        };
        if !possessive.is_possessive() {
            return false;
        }
        tail.iter()
            .take(3)
            .take_while(|t| t.word && !t.is_cap())
            .any(|t| self.lex.cues.company_possession.contains(t.lower.as_ref()))
    }

    fn org_subject_verb_at(&self, i: usize) -> bool {
        self.toks
            .get(i)
            .is_some_and(|t| self.lex.cues.org_subject_verb.contains(t.text))
    }

    /// "Safin said he", "Safin raised his game": a verb of speech or a past
    /// tense right after the name, then a personal pronoun. Companies are
    /// "it" and "its", so a lone name read this way is a person named once
    /// by surname (sports reports, follow-ups) rather than an organisation.
    fn personal_pronoun_after_verb(&self, b: usize) -> bool {
        let (Some(verb), Some(next)) = (self.toks.get(b), self.toks.get(b + 1)) else {
            return false;
        };
        let verb_like = verb.word
            && !verb.is_cap()
            && (self.speech_verb_at(b) || verb.text.len() > 4 && verb.text.ends_with("ed"));
        verb_like && next.word && self.lex.cues.person_pronoun.contains(next.text)
    }

    fn speech_verb_at(&self, i: usize) -> bool {
        self.toks
            .get(i)
            .is_some_and(|t| self.lex.cues.speech_verb.contains(t.text))
    }

    fn is_company_cue(&self, t: &Tok) -> bool {
        t.word && self.lex.cues.company_cue.contains(t.lower.as_ref())
    }

    /// "drone maker DJI", "Startup Mistral AI"; not a job that people do
    /// too before a name shaped like a person's ("producer Shogo Tomiyama").
    fn company_cue_before(&self, a: usize, b: usize) -> bool {
        let Some(p) = a.checked_sub(1).map(|i| self.tok(i)) else {
            return false;
        };
        let cue = (!p.is_cap() || p.initial) && self.is_company_cue(p);
        let person_job =
            || self.lex.cues.person_job.contains(p.lower.as_ref()) && self.person_shaped(a, b);
        cue && !person_job()
    }

    /// "Hikvision, the surveillance camera maker, ..." / "X, a Shenzhen-based firm".
    fn company_apposition_after(&self, b: usize) -> bool {
        let rest = &self.toks[b.min(self.toks.len())..];
        let [comma, det, tail @ ..] = rest else {
            return false;
        };
        if comma.text != "," || !matches!(det.text, "the" | "a" | "an") {
            return false;
        }
        for (k, t) in tail.iter().take(4).enumerate() {
            let possessive = tail.get(k + 1).is_some_and(Tok::is_possessive);
            if self.is_company_cue(t) {
                return !possessive;
            }
            if !t.word || t.is_cap() && !t.text.ends_with("-based") {
                return false;
            }
        }
        false
    }

    /// "the company", "the Chinese firm", "the tech giant".
    fn corefs(&self, out: &mut Vec<CorefPhrase>) {
        for (i, t) in self.toks.iter().enumerate() {
            if !t.text.eq_ignore_ascii_case("the") {
                continue;
            }
            let mut j = i + 1;
            while j < self.toks.len() && j <= i + 2 && self.modifier(j) {
                j += 1;
            }
            let Some(noun) = self.toks.get(j) else {
                continue;
            };
            let is_noun = noun.word && self.lex.cues.coref_noun.contains(noun.text);
            let next = self.toks.get(j + 1);
            let continues = next.is_some_and(|n| n.is_cap() || n.text == "of" || n.text == "that");
            let apposition = i >= 2 && self.tok(i - 1).text == "," && self.tok(i - 2).is_cap();
            if is_noun && !continues && !apposition {
                out.push(CorefPhrase {
                    span: Span::new(t.span.start, noun.span.end),
                    sentence: self.sentence,
                });
            }
        }
    }

    /// A word between "the" and the noun: lower-case, or a nationality.
    fn modifier(&self, j: usize) -> bool {
        let t = self.tok(j);
        let norp = self.hit_of[j]
            .is_some_and(|h| self.lex.entries[self.hits[h].entry].kind == EntityType::Norp);
        t.word && !self.lex.cues.coref_noun.contains(t.text) && (!t.is_cap() || norp)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocked_spans_find_the_first_overlap_behind_a_long_span() {
        // A long span early in the order overlaps a span far to its right.
        let index = super::super::Blocked::new(
            [(0, 100), (10, 12), (50, 55), (120, 130)]
                .into_iter()
                .map(|(start, end)| Span::new(start, end)),
        );
        assert_eq!(index.first_overlap(Span::new(60, 70)), Some(0));
        let all: Vec<Span> = index.overlapping_from(0, Span::new(52, 70)).collect();
        assert_eq!(all, vec![Span::new(0, 100), Span::new(50, 55)]);
        assert_eq!(index.first_overlap(Span::new(100, 120)), None);
        assert_eq!(index.first_overlap(Span::new(125, 126)), Some(3));
        assert!(index.contains(Span::new(50, 55)));
        assert!(!index.contains(Span::new(50, 56)));
    }
}
