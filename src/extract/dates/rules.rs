//! Loading of `dates.toml`: lexicons, macros and pattern rules, expanded
//! and compiled once. Errors name the rule file and line.

use super::resolve::{RefShift, ValueOp};
use crate::error::RuleError;
use crate::record::TimexType;
use crate::rules::Regex;
use crate::rules::{catalog, expand, Expansion, Merged, RuleSource};
use regex_automata::meta;
use regex_automata::util::captures::Captures;
use regex_automata::{Anchored, Input};
use regex_syntax::hir::{Class, Hir, HirKind};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap, HashSet};

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    context: RawContext,
    #[serde(default)]
    lexicon: BTreeMap<String, RawLexicon>,
    #[serde(default)]
    r#macro: BTreeMap<String, String>,
    #[serde(default)]
    rule: Vec<RawRule>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawContext {
    future: Option<String>,
    past: Option<String>,
    deferral: Option<String>,
    lasting: Option<String>,
    planned_past: Option<String>,
    shift: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawLexicon {
    #[serde(default)]
    title_case: bool,
    #[serde(default)]
    compound: bool,
    #[serde(default)]
    digits: bool,
    entries: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    id: String,
    r#type: String,
    pattern: String,
    value: String,
    not_before: Option<String>,
    not_after: Option<String>,
    pod: Option<String>,
    suffix: Option<String>,
    #[serde(default)]
    follow_quarter: bool,
    #[serde(default)]
    examples: Vec<Example>,
}

/// One documented example of a rule (run by `newsx rules test`).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Example {
    pub text: String,
    pub dct: Option<String>,
    /// The expected mention text; empty means no mention at all.
    pub r#match: String,
    pub r#type: Option<String>,
    pub value: Option<String>,
}

/// A word list: lower-cased word → normalised value. Title-case lists
/// match the words as written in the file (first letter capitalised) or
/// in upper case.
#[derive(Clone, Debug, Default)]
pub struct Lexicon {
    pub words: HashMap<String, String>,
    /// Lower-cased word → the word as written in the file (for title case).
    surface: HashMap<String, String>,
    title_case: bool,
    compound: bool,
    digits: bool,
}

impl Lexicon {
    /// The normalised value of a matched word (or compound number).
    pub fn lookup(&self, text: &str) -> Option<String> {
        let key = normalize_space(text);
        if let Some(v) = self.words.get(&key) {
            return Some(v.clone());
        }
        if self.digits && key.chars().all(|c| c.is_ascii_digit() || c == '.') {
            return Some(key.trim_start_matches('0').to_string()).filter(|s| !s.is_empty());
        }
        if self.compound {
            // "twenty four" / "twenty-four": the sum of the parts.
            let mut sum = 0u32;
            for part in key.split([' ', '-']).filter(|p| !p.is_empty()) {
                sum += self.words.get(part)?.parse::<u32>().ok()?;
            }
            return Some(sum.to_string());
        }
        None
    }

    fn alternation(&self) -> String {
        let mut words: Vec<&String> = self.words.keys().collect();
        // Longest first: the regex takes the first alternative that matches.
        words.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
        let alts: Vec<String> = words
            .iter()
            .map(|w| {
                let escaped = regex::escape(w).replace(' ', r"\s+");
                if self.title_case {
                    let written = self.surface.get(*w).unwrap_or(w);
                    format!(
                        "{}|{}",
                        regex::escape(&title(written)),
                        regex::escape(&w.to_uppercase())
                    )
                    .replace(' ', r"\s+")
                } else {
                    escaped
                }
            })
            .collect();
        let word = if self.title_case {
            format!("(?-i:{})", alts.join("|"))
        } else {
            format!("(?:{})", alts.join("|"))
        };
        let word = if self.compound {
            format!(
                r"{}[- ]{}|{word}",
                self.subset(20, 90, true),
                self.subset(1, 9, false)
            )
        } else {
            word
        };
        if self.digits {
            format!(r"[0-9]{{1,3}}(?:\.[0-9]+)?|{word}")
        } else {
            word
        }
    }
}

impl Lexicon {
    /// Single words whose numeric value lies in `lo..=hi` (tens only when `tens`).
    fn subset(&self, lo: u32, hi: u32, tens: bool) -> String {
        let mut words: Vec<&str> = self
            .words
            .iter()
            .filter(|(w, v)| {
                let n: u32 = v.parse().unwrap_or(0);
                !w.contains(' ')
                    && w.len() > 2
                    && (lo..=hi).contains(&n)
                    && (!tens || n.is_multiple_of(10))
            })
            .map(|(w, _)| w.as_str())
            .collect();
        words.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
        format!("(?:{})", words.join("|"))
    }
}

fn title(w: &str) -> String {
    let mut c = w.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn normalize_space(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// A compiled pattern rule.
#[derive(Debug)]
pub struct Rule {
    pub id: String,
    /// None for a blocking rule: its match hides overlapping ones and yields nothing.
    pub kind: Option<TimexType>,
    /// The rule's pattern, compiled without a literal prefilter of its
    /// own: it only runs anchored where one of its openings is (see `Cues`).
    pub regex: meta::Regex,
    pub value: ValueOp,
    pub not_before: Option<Regex>,
    pub not_after: Option<Regex>,
    /// A fixed part of day (e.g. "NI" for "tonight").
    pub pod: Option<String>,
    /// Appended to a week value ("-WE").
    pub suffix: Option<String>,
    /// A year shift that follows the quarter last named in the document.
    pub follow_quarter: bool,
    /// Capture group name → lexicon name, for normalisation.
    pub groups: Vec<(String, String)>,
    pub examples: Vec<Example>,
    /// "file:line" of the rule.
    pub place: String,
}

/// Everything `dates.toml` defines, compiled.
#[derive(Debug)]
pub struct RuleSet {
    pub rules: Vec<Rule>,
    /// Where rules may match: the openings of every rule's matches.
    cues: Cues,
    pub lexicons: HashMap<String, Lexicon>,
    pub future: Regex,
    pub past: Regex,
    /// A clause putting something off ("extended the deadline"): its
    /// "until" reaches forward even in the past tense.
    pub deferral: Regex,
    /// A state kept up ("stayed closed"): a deferral word inside it puts
    /// nothing off, so a past "until" still looks back.
    pub lasting: Regex,
    /// A plan told in the past perfect ("had been scheduled to"): it wins
    /// over the future cue it holds.
    pub planned_past: Regex,
    /// Words right before a day that shift it ("the day before", "two
    /// days after"): groups num, unit, dir.
    pub shift: Regex,
}

impl RuleSet {
    pub fn load(sources: &[RuleSource]) -> Result<Self, RuleError> {
        let mut lexicons: HashMap<String, Lexicon> = HashMap::new();
        let mut macros: HashMap<String, String> = HashMap::new();
        let mut future = None;
        let mut past = None;
        let mut deferral = None;
        let mut lasting = None;
        let mut planned_past = None;
        let mut shift = None;
        let mut raw_rules = Merged::default();
        for (n, src) in sources.iter().enumerate() {
            let file: RawFile = src.parse_toml()?;
            if let Some(f) = file.context.future {
                future = Some(compile(&f).map_err(|e| src.error_at_key("future", e))?);
            }
            if let Some(p) = file.context.past {
                past = Some(compile(&p).map_err(|e| src.error_at_key("past", e))?);
            }
            if let Some(d) = file.context.deferral {
                deferral = Some(compile(&d).map_err(|e| src.error_at_key("deferral", e))?);
            }
            if let Some(l) = file.context.lasting {
                lasting = Some(compile(&l).map_err(|e| src.error_at_key("lasting", e))?);
            }
            if let Some(p) = file.context.planned_past {
                planned_past = Some(compile(&p).map_err(|e| src.error_at_key("planned_past", e))?);
            }
            if let Some(p) = file.context.shift {
                shift = Some(compile(&p).map_err(|e| src.error_at_key("shift", e))?);
            }
            for (name, raw) in file.lexicon {
                add_lexicon(src, &name, raw, lexicons.entry(name.clone()).or_default())?;
            }
            macros.extend(file.r#macro);
            for rule in file.rule {
                raw_rules.add(src, n, &rule.id.clone(), (src, rule))?;
            }
        }
        let mut rules = Vec::new();
        let mut cues = Cues::default();
        for (src, raw) in raw_rules.into_vec() {
            let (rule, hir) = compile_rule(src, raw, &lexicons, &macros)?;
            cues.add(rules.len(), &hir);
            rules.push(rule);
        }
        let never = || Regex::new("$^").expect("valid regex");
        let future = future.unwrap_or_else(never);
        let past = past.unwrap_or_else(never);
        let deferral = deferral.unwrap_or_else(never);
        let lasting = lasting.unwrap_or_else(never);
        let planned_past = planned_past.unwrap_or_else(never);
        let shift = shift.unwrap_or_else(never);
        Ok(RuleSet {
            rules,
            cues,
            lexicons,
            future,
            past,
            deferral,
            lasting,
            planned_past,
            shift,
        })
    }
}

/// Scratch space of [`RuleSet::for_each_match`], kept across sentences
/// of a document: no allocation per sentence once it has grown.
#[derive(Default)]
pub struct MatchScratch {
    /// Per rule: where its next match may start (the end of its last one).
    next: Vec<usize>,
    /// Per rule: one past the start it was last tried at (0: not yet).
    tried: Vec<usize>,
    /// Capture slots per rule, made on the rule's first match attempt.
    captures: Vec<Option<Captures>>,
}

impl RuleSet {
    /// Calls `found` with every match of every rule in `sentence`: for
    /// each rule, the matches `captures_iter` gives (left to right, not
    /// overlapping), in order of their starts. One pass over the sentence
    /// finds the cues (the openings every match of a rule starts with,
    /// see [`Cues`]); only there does the rule run, anchored.
    pub fn for_each_match(
        &self,
        sentence: &str,
        scratch: &mut MatchScratch,
        mut found: impl FnMut(usize, &Captures),
    ) {
        let MatchScratch {
            next,
            tried,
            captures,
        } = scratch;
        next.clear();
        next.resize(self.rules.len(), 0);
        tried.clear();
        tried.resize(self.rules.len(), 0);
        if captures.len() < self.rules.len() {
            captures.resize_with(self.rules.len(), || None);
        }
        for &rule in &self.cues.anywhere {
            // No cue: the rule searches the whole sentence.
            for caps in self.rules[rule].regex.captures_iter(sentence) {
                found(rule, &caps);
            }
        }
        self.cues.find(sentence.as_bytes(), |rule, at| {
            if at < next[rule] || tried[rule] == at + 1 {
                return;
            }
            tried[rule] = at + 1;
            let regex = &self.rules[rule].regex;
            let caps = captures[rule].get_or_insert_with(|| regex.create_captures());
            let input = Input::new(sentence).range(at..).anchored(Anchored::Yes);
            regex.search_captures(&input, caps);
            if let Some(m) = caps.get_match() {
                found(rule, caps);
                next[rule] = if m.is_empty() { m.end() + 1 } else { m.end() };
            }
        });
    }
}

/// Most strings one rule's openings may hold; past it they stay shorter.
const CUE_STRINGS: usize = 4096;
/// Most characters a class may hold to be spelled out in an opening
/// (after folding case and digits).
const CUE_CLASS: usize = 10;
/// Most copies (and spellings of one copy) of a bounded repetition
/// spelled out.
const CUE_COPIES: usize = 4;
/// Longest opening kept, in bytes.
const CUE_BYTES: usize = 8;

/// The openings of the rules' matches, in a trie over lower-cased bytes:
/// every match of a rule starts with one of its openings, a run of white
/// space standing for the pattern's white space (a space in the trie). A
/// match then starts only where one of its rule's openings does, and the
/// rule runs anchored there; rules whose matches open with anything (a
/// wide class) are `anywhere` and search whole sentences.
#[derive(Debug, Default)]
struct Cues {
    /// Trie nodes; node 0 is the root.
    nodes: Vec<CueNode>,
    /// The root's children by byte (0: none), the step taken at every byte.
    root: Vec<u32>,
    /// Rules with no opening to look for.
    anywhere: Vec<usize>,
}

#[derive(Debug, Default)]
struct CueNode {
    /// (byte, node), sorted by byte.
    children: Vec<(u8, u32)>,
    /// Rules having an opening that ends here.
    rules: Vec<u32>,
}

impl Cues {
    fn add(&mut self, rule: usize, hir: &Hir) {
        if self.nodes.is_empty() {
            self.nodes.push(CueNode::default());
            self.root = vec![0; 256];
        }
        let openings = openings(hir);
        if openings.iter().any(|(s, _)| s.is_empty()) {
            self.anywhere.push(rule);
            return;
        }
        for (opening, _) in openings {
            let mut node = 0usize;
            for &b in &opening {
                node = match self.nodes[node].children.binary_search_by_key(&b, |c| c.0) {
                    Ok(k) => self.nodes[node].children[k].1 as usize,
                    Err(k) => {
                        let child = self.nodes.len();
                        self.nodes.push(CueNode::default());
                        self.nodes[node].children.insert(k, (b, child as u32));
                        if node == 0 {
                            self.root[b as usize] = child as u32;
                        }
                        child
                    }
                };
            }
            let rules = &mut self.nodes[node].rules;
            if rules.last() != Some(&(rule as u32)) {
                rules.push(rule as u32);
            }
        }
    }

    /// Calls `cue(rule, start)` for every opening found in `text`, in
    /// order of their starts.
    fn find(&self, text: &[u8], mut cue: impl FnMut(usize, usize)) {
        let Some(root) = self.nodes.first() else {
            return;
        };
        let space_opens = self.root[usize::from(b' ')] != 0;
        for start in 0..text.len() {
            let b = text[start];
            // Bytes past ASCII may be white space or fold to a letter.
            if b.is_ascii() && self.root[usize::from(fold(b))] == 0 {
                let spaced = space_opens && b.is_ascii_whitespace();
                if !spaced {
                    continue;
                }
            }
            let (mut node, mut at) = (root, start);
            while !node.children.is_empty() && at < text.len() {
                let b = text[at];
                let (byte, len) = if b.is_ascii() && !b.is_ascii_whitespace() {
                    (fold(b), 1)
                } else {
                    match space_len(&text[at..]) {
                        0 => fold_at(&text[at..]),
                        spaces => (b' ', spaces),
                    }
                };
                // Children are few and sorted: a scan finds the byte.
                match node.children.iter().find(|c| c.0 >= byte) {
                    Some(&(b, child)) if b == byte => node = &self.nodes[child as usize],
                    _ => break,
                }
                at += len;
                for &rule in &node.rules {
                    cue(rule as usize, start);
                }
            }
        }
    }
}

/// The first byte of `text` as openings spell it ([`fold`]) and how
/// many bytes it stands for: the two letters outside ASCII that fold to
/// ASCII ones ("\u{17F}" long s, "\u{212A}" Kelvin sign) as those.
fn fold_at(text: &[u8]) -> (u8, usize) {
    match text {
        [0xC5, 0xBF, ..] => (b's', 2),
        [0xE2, 0x84, 0xAA, ..] => (b'k', 3),
        [b, ..] => (fold(*b), 1),
        [] => (0, 0),
    }
}

/// A byte as openings spell it: ASCII letters in lower case, every ASCII
/// digit as `0`.
fn fold(b: u8) -> u8 {
    if b.is_ascii_digit() {
        b'0'
    } else {
        b.to_ascii_lowercase()
    }
}

/// The length of the run of white space opening `text` (0 if none).
fn space_len(text: &[u8]) -> usize {
    let mut len = 0;
    while len < text.len() {
        let b = text[len];
        if b.is_ascii_whitespace() || b == 0x0b {
            len += 1;
        } else if b >= 0x80 {
            let rest = std::str::from_utf8(&text[len..text.len().min(len + 4)]);
            let c = match rest {
                Ok(s) => s.chars().next(),
                Err(e) => std::str::from_utf8(&text[len..len + e.valid_up_to()])
                    .ok()
                    .and_then(|s| s.chars().next()),
            };
            match c {
                Some(c) if c.is_whitespace() => len += c.len_utf8(),
                _ => break,
            }
        } else {
            break;
        }
    }
    len
}

/// One opening: lower-cased bytes, and whether it spells the whole match
/// of its part of the pattern (so that what follows may extend it).
type Opening = (Vec<u8>, bool);

/// The openings of `hir`: every match starts with one of them (white
/// space as one space). An empty opening means the matches may open with
/// anything.
fn openings(hir: &Hir) -> Vec<Opening> {
    let whole = |s: Vec<u8>| vec![(s, true)];
    let mut out = match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => whole(Vec::new()),
        HirKind::Literal(lit) => match std::str::from_utf8(&lit.0) {
            Ok(s) => whole(s.chars().fold(Vec::new(), |mut acc, c| {
                push_char(&mut acc, c);
                acc
            })),
            Err(_) => vec![(Vec::new(), false)],
        },
        HirKind::Class(Class::Unicode(class)) => {
            let chars = class.ranges().iter().flat_map(|r| r.start()..=r.end());
            if class
                .ranges()
                .iter()
                .all(|r| (r.start()..=r.end()).all(char::is_whitespace))
            {
                whole(vec![b' '])
            } else {
                let mut spelled = Vec::new();
                for c in chars {
                    let mut s = Vec::new();
                    push_char(&mut s, c);
                    if !spelled.contains(&(s.clone(), true)) {
                        spelled.push((s, true));
                    }
                    if spelled.len() > CUE_CLASS {
                        return vec![(Vec::new(), false)];
                    }
                }
                spelled
            }
        }
        HirKind::Class(Class::Bytes(class)) => {
            let mut spelled: Vec<Opening> = Vec::new();
            for b in class.ranges().iter().flat_map(|r| r.start()..=r.end()) {
                let b = if b.is_ascii_whitespace() {
                    b' '
                } else {
                    fold(b)
                };
                if !spelled.contains(&(vec![b], true)) {
                    spelled.push((vec![b], true));
                }
                if spelled.len() > CUE_CLASS {
                    return vec![(Vec::new(), false)];
                }
            }
            spelled
        }
        HirKind::Capture(capture) => openings(&capture.sub),
        HirKind::Repetition(rep) => {
            let sub = openings(&rep.sub);
            let spaces = sub.iter().all(|(s, exact)| *exact && s == b" ");
            let few = sub.len() <= CUE_COPIES && sub.iter().all(|(_, exact)| *exact);
            let mut out: Vec<Opening> = if spaces || rep.max == Some(1) {
                sub
            } else if let Some(max) = rep.max.filter(|&m| few && m as usize <= CUE_COPIES) {
                // A few copies of a short part ("\d{2,4}"): each count spelled out.
                let mut copies = Vec::new();
                let mut acc: Vec<Vec<u8>> = vec![Vec::new()];
                for k in 1..=max {
                    acc = acc
                        .iter()
                        .flat_map(|a| sub.iter().map(move |(b, _)| [a.as_slice(), b].concat()))
                        .collect();
                    if k >= rep.min {
                        copies.extend(acc.iter().map(|s| (s.clone(), true)));
                    }
                }
                copies
            } else {
                // After one copy the opening stops.
                sub.into_iter().map(|(s, _)| (s, false)).collect()
            };
            if rep.min == 0 {
                out.push((Vec::new(), true));
            }
            out
        }
        HirKind::Alternation(alternatives) => alternatives.iter().flat_map(openings).collect(),
        HirKind::Concat(parts) => {
            let mut acc: Vec<Opening> = whole(Vec::new());
            for part in parts {
                if !acc.iter().any(|(_, exact)| *exact) {
                    break;
                }
                let next = openings(part);
                if let [(b, b_exact)] = next.as_slice() {
                    // One spelling (a letter in either case): appended in place.
                    for (a, a_exact) in acc.iter_mut().filter(|(_, exact)| *exact) {
                        let skip = usize::from(a.last() == Some(&b' ') && b.first() == Some(&b' '));
                        a.extend_from_slice(&b[skip..]);
                        *a_exact = *b_exact && a.len() <= CUE_BYTES;
                        a.truncate(CUE_BYTES);
                    }
                    continue;
                }
                // Too many to spell on: the longest openings stop here (an
                // optional word before the rest, "nearly", is cue enough)
                // and the shorter ones go on.
                let mut exact = acc.iter().filter(|(_, exact)| *exact).count();
                if exact * next.len() > CUE_STRINGS {
                    acc.sort_unstable_by(|(a, a_exact), (b, b_exact)| {
                        (!a_exact, b.len(), a).cmp(&(!b_exact, a.len(), b))
                    });
                }
                let mut longest = 0;
                while exact * next.len() > CUE_STRINGS && exact > 0 {
                    acc[longest].1 = false;
                    longest += 1;
                    exact -= 1;
                }
                if exact == 0 {
                    break;
                }
                let mut joined = HashSet::with_capacity(acc.len() + exact * next.len());
                for (a, a_exact) in acc {
                    if !a_exact {
                        joined.insert((a, false));
                        continue;
                    }
                    for (b, b_exact) in &next {
                        let mut s = a.clone();
                        let skip = usize::from(s.last() == Some(&b' ') && b.first() == Some(&b' '));
                        s.extend_from_slice(&b[skip..]);
                        if s.len() > CUE_BYTES {
                            // Long enough: what follows adds nothing.
                            s.truncate(CUE_BYTES);
                            joined.insert((s, false));
                        } else {
                            joined.insert((s, *b_exact));
                        }
                    }
                }
                // Case folded to one spelling repeats openings: kept once.
                acc = joined.into_iter().collect();
            }
            acc
        }
    };
    for (s, exact) in out.iter_mut() {
        if s.len() > CUE_BYTES {
            s.truncate(CUE_BYTES);
            *exact = false;
        }
    }
    out
}

/// Appends `c` as an opening spells it ([`fold`]), white space as one
/// space (joined with a space before it).
fn push_char(out: &mut Vec<u8>, c: char) {
    if c.is_whitespace() {
        if out.last() != Some(&b' ') {
            out.push(b' ');
        }
    } else if c.is_ascii() {
        out.push(fold(c as u8));
    } else if c == '\u{17F}' || c == '\u{212A}' {
        let mut buf = [0; 4];
        out.push(fold_at(c.encode_utf8(&mut buf).as_bytes()).0);
    } else {
        let mut buf = [0; 4];
        out.extend(c.encode_utf8(&mut buf).bytes());
    }
}

/// A character that cannot follow another inside a mention's first word.
pub(super) fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The engine settings of every date regex: the rule engine's limits
/// ([`crate::rules::REGEX_SIZE_LIMIT`], [`crate::rules::DFA_CACHE_BYTES`]),
/// no literal prefilter.
fn unfiltered() -> meta::Config {
    meta::Config::new()
        .auto_prefilter(false)
        .nfa_size_limit(Some(crate::rules::REGEX_SIZE_LIMIT))
        .hybrid_cache_capacity(crate::rules::DFA_CACHE_BYTES)
}

/// A rule pattern parsed as [`crate::rules::regex`] would read it (ASCII
/// word boundaries), for the date rules' own engine settings.
fn parse_pattern(pattern: &str) -> Result<Hir, String> {
    regex_syntax::ParserBuilder::new()
        .build()
        .parse(&crate::rules::fast_pattern(pattern))
        .map_err(|e| e.to_string())
}

/// The word list `name` of the built-in `dates.toml`: lower-cased word →
/// value. For parsers outside the date rules that read the same words
/// (publication dates); an invalid built-in file gives an empty list.
pub fn builtin_lexicon(name: &str) -> HashMap<String, String> {
    let source = RuleSource {
        origin: format!("builtin:{}", catalog::DATES.name),
        text: catalog::DATES.builtin.to_string(),
        user: false,
    };
    let mut lexicon = Lexicon::default();
    let raw = source
        .parse_toml::<RawFile>()
        .ok()
        .and_then(|mut file| file.lexicon.remove(name));
    if let Some(raw) = raw {
        // A built-in entry without a value is caught by the date rules' own load.
        let _ = add_lexicon(&source, name, raw, &mut lexicon);
    }
    lexicon.words
}

fn compile(pattern: &str) -> Result<Regex, String> {
    crate::rules::regex(pattern).map_err(|e| e.to_string())
}

fn add_lexicon(
    src: &RuleSource,
    name: &str,
    raw: RawLexicon,
    lex: &mut Lexicon,
) -> Result<(), RuleError> {
    lex.title_case |= raw.title_case;
    lex.compound |= raw.compound;
    lex.digits |= raw.digits;
    for entry in raw.entries {
        let Some((value, words)) = entry.split_once(':') else {
            return Err(src.error_at(
                src.text.find(&entry).unwrap_or(0),
                format!("lexicon {name}: entry {entry:?} needs \"VALUE: word, word\""),
            ));
        };
        for surface in words
            .split(',')
            .map(|w| w.split_whitespace().collect::<Vec<_>>().join(" "))
        {
            if surface.is_empty() {
                continue;
            }
            let word = surface.to_lowercase();
            lex.words.insert(word.clone(), value.trim().to_string());
            lex.surface.insert(word, surface);
        }
    }
    Ok(())
}

fn compile_rule(
    src: &RuleSource,
    raw: RawRule,
    lexicons: &HashMap<String, Lexicon>,
    macros: &HashMap<String, String>,
) -> Result<(Rule, Hir), RuleError> {
    let at = src.offset_of_id(&raw.id);
    let err = |m: String| src.error_at(at, format!("rule {}: {m}", raw.id));
    let kind = match raw.r#type.as_str() {
        "DATE" => Some(TimexType::Date),
        "TIME" => Some(TimexType::Time),
        "DURATION" => Some(TimexType::Duration),
        "SET" => Some(TimexType::Set),
        "NONE" => None,
        other => return Err(err(format!("unknown type {other:?}"))),
    };
    let mut groups = Vec::new();
    let expanded =
        expand_placeholders(&raw.pattern, lexicons, macros, &mut groups).map_err(&err)?;
    // Digits are ASCII: the value operations parse them as numbers.
    let expanded = expanded.replace(r"\d", "[0-9]");
    let hir = parse_pattern(&format!("(?i){expanded}")).map_err(&err)?;
    let regex = meta::Builder::new()
        .configure(unfiltered())
        .build_from_hir(&hir)
        .map_err(|e| err(e.to_string()))?;
    let value = ValueOp::parse(&raw.value).map_err(&err)?;
    if value == ValueOp::Ref(RefShift::FromGroup) {
        check_ref_lexicon(&groups, lexicons).map_err(&err)?;
    }
    let optional = |p: &Option<String>| p.as_deref().map(compile).transpose();
    let rule = Rule {
        id: raw.id.clone(),
        kind,
        regex,
        value,
        not_before: optional(&raw.not_before).map_err(&err)?,
        not_after: optional(&raw.not_after).map_err(&err)?,
        pod: raw.pod,
        suffix: raw.suffix,
        follow_quarter: raw.follow_quarter,
        groups,
        examples: raw.examples,
        place: src.place(at),
    };
    Ok((rule, hir))
}

/// A `ref {ref}` rule reads its grain and shift from the lexicon of its
/// group `ref`: every value there must be one ("Y 1", "D -1").
fn check_ref_lexicon(
    groups: &[(String, String)],
    lexicons: &HashMap<String, Lexicon>,
) -> Result<(), String> {
    let lexicon = groups
        .iter()
        .find(|(group, _)| group == "ref")
        .and_then(|(_, lex)| lexicons.get(lex))
        .ok_or("value \"ref {ref}\" needs a lexicon group named ref, as {LEXICON:ref}")?;
    let mut values: Vec<&String> = lexicon.words.values().collect();
    values.sort();
    values.dedup();
    for v in values {
        RefShift::parse(v)?;
    }
    Ok(())
}

/// Replaces `{macro}`, `{lexicon}` and `{lexicon:group}` in a pattern; a
/// lexicon becomes a named group (`group`, or the lexicon's name) recorded
/// in `groups` for normalisation.
fn expand_placeholders(
    pattern: &str,
    lexicons: &HashMap<String, Lexicon>,
    macros: &HashMap<String, String>,
    groups: &mut Vec<(String, String)>,
) -> Result<String, String> {
    expand(pattern, &mut |name| {
        if let Some(m) = macros.get(name) {
            return Some(Expansion::Pattern(m.clone()));
        }
        let (lex_name, group) = name.split_once(':').unwrap_or((name, name));
        let lex = lexicons.get(lex_name)?;
        groups.push((group.to_string(), lex_name.to_string()));
        Some(Expansion::Literal(format!(
            "(?P<{group}>{})",
            lex.alternation()
        )))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::RuleFiles;

    fn rule_set() -> RuleSet {
        let sources = RuleFiles::builtin()
            .load(&catalog::DATES)
            .expect("built-in date rules");
        RuleSet::load(&sources).expect("built-in date rules compile")
    }

    /// The matches found at the cues are the matches a search of the
    /// whole sentence finds, rule by rule, on every example text of every
    /// rule, glued to letters, after other text, and with its white space
    /// doubled or made a no-break space.
    #[test]
    fn cue_matches_are_the_matches_of_a_full_search() {
        let set = rule_set();
        let mut scratch = MatchScratch::default();
        let texts = set
            .rules
            .iter()
            .flat_map(|r| r.examples.iter().map(|e| e.text.clone()))
            .flat_map(|t| {
                [
                    format!("x{t}"),
                    format!("_{t} and {t}"),
                    t.replace(' ', "  "),
                    t.replace(' ', "\u{a0}"),
                    t.to_uppercase(),
                    t,
                ]
            });
        let mut checked = 0;
        for text in texts {
            let mut cued = Vec::new();
            set.for_each_match(&text, &mut scratch, |rule, caps| {
                cued.push((rule, caps.get_match().map(|m| m.range())));
            });
            cued.sort_by_key(|(rule, m)| (*rule, m.as_ref().map(|m| m.start)));
            let full: Vec<_> = (0..set.rules.len())
                .flat_map(|rule| {
                    set.rules[rule]
                        .regex
                        .captures_iter(&text)
                        .map(move |caps| (rule, caps.get_match().map(|m| m.range())))
                        .collect::<Vec<_>>()
                })
                .collect();
            assert_eq!(cued, full, "on {text:?}");
            checked += full.len();
        }
        assert!(checked > 1000, "only {checked} matches checked");
    }

    #[test]
    fn openings_spell_out_the_start_of_every_match() {
        let parse = |p: &str| parse_pattern(p).expect("valid pattern");
        let spelled = |p: &str| -> Vec<String> {
            openings(&parse(p))
                .into_iter()
                .map(|(s, _)| String::from_utf8(s).expect("text"))
                .collect::<std::collections::BTreeSet<_>>()
                .into_iter()
                .collect()
        };
        assert_eq!(spelled(r"(?i)(?:the\s+)?Week"), ["the week", "week"]);
        // A wide class ends an opening; a digit class is spelled out.
        assert_eq!(spelled(r"Q[1-4]\w+"), ["q0"]);
        assert_eq!(spelled(r"(?:19|20)[0-9]{1,2}x"), ["0000x", "000x"]);
        assert_eq!(spelled(r"[A-Z]x").len(), 1);
        assert_eq!(spelled(r"\w+ days").len(), 1);
        assert_eq!(spelled(r"\w+ days")[0], "");
        // After one copy of a repeated part the opening stops.
        assert_eq!(spelled(r"(?:ab)+c"), ["ab"]);
        assert_eq!(spelled(r"x\s*\s+y"), ["x y"]);
    }

    #[test]
    fn cues_are_found_across_runs_of_white_space() {
        let mut cues = Cues::default();
        cues.add(0, &parse_pattern(r"(?i)the\s+week").expect("valid pattern"));
        cues.add(1, &parse_pattern(r"(?i)week").expect("valid pattern"));
        let mut hits = Vec::new();
        cues.find("In THE \t\u{a0}wee\u{212A}".as_bytes(), |rule, at| {
            hits.push((rule, at))
        });
        assert_eq!(hits, [(0, 3), (1, 10)]);
    }
}
