//! Loading of `dates.toml`: lexicons, macros and pattern rules, expanded
//! and compiled once. Errors name the rule file and line.

use super::resolve::{RefShift, ValueOp};
use crate::error::RuleError;
use crate::record::TimexType;
use crate::rules::Regex;
use crate::rules::{catalog, expand, Expansion, Merged, RuleSource};
use regex_automata::meta;
use regex_automata::nfa::thompson::WhichCaptures;
use regex_automata::{Input, MatchKind, PatternSet};
use regex_syntax::hir::{Class, Hir, HirKind, Look};
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};

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
    /// own: it only runs on sentences the prefilter sets let through.
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
    /// Prefilter: which rules can match a sentence at all.
    prefilter: Vec<PrefilterSet>,
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
        let mut patterns = Vec::new();
        for (src, raw) in raw_rules.into_vec() {
            let (rule, hir) = compile_rule(src, raw, &lexicons, &macros)?;
            rules.push(rule);
            patterns.push(hir);
        }
        let prefilter =
            prefilter_sets(&patterns).map_err(|e| RuleError::invalid(catalog::DATES.name, 1, e))?;
        let never = || Regex::new("$^").expect("valid regex");
        let future = future.unwrap_or_else(never);
        let past = past.unwrap_or_else(never);
        let deferral = deferral.unwrap_or_else(never);
        let lasting = lasting.unwrap_or_else(never);
        let planned_past = planned_past.unwrap_or_else(never);
        let shift = shift.unwrap_or_else(never);
        Ok(RuleSet {
            rules,
            prefilter,
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

impl RuleSet {
    /// The rules that may match somewhere in `sentence` (every rule that
    /// does, perhaps a few that do not), in rule order.
    pub fn matching_rules(&self, sentence: &str) -> Vec<usize> {
        let mut out = Vec::new();
        let input = Input::new(sentence);
        // One pattern set for every prefilter set: no allocation per set.
        let mut hits = PatternSet::new(PATTERNS_PER_SET);
        for set in &self.prefilter {
            // Most sets match nowhere in most sentences: a search that
            // stops at the first match (and runs the lazy DFA's unrolled
            // loop) rules them out at a fraction of the cost of the
            // overlapping search, which only sets that match still pay.
            if !set.regex.is_match(input.clone()) {
                continue;
            }
            hits.clear();
            set.regex.which_overlapping_matches(&input, &mut hits);
            for pattern in hits.iter() {
                out.extend_from_slice(&set.rules[pattern.as_usize()]);
            }
        }
        out.sort_unstable();
        out
    }
}

/// Loosened rule patterns matched together: pattern `k` of `regex` stands
/// for the rules `rules[k]`.
#[derive(Debug)]
struct PrefilterSet {
    regex: meta::Regex,
    rules: Vec<Vec<usize>>,
}

/// Loosened patterns per prefilter set. A set's lazy DFA tracks all its
/// patterns at once: too many per set and its states outgrow the cache
/// and are rebuilt over and over, too few and every set is one more pass
/// over the sentence. Date stage over 201 BBC files with 111 rules
/// (loosened patterns, instructions of the prefilter and the rules'
/// own searches): 889 M with 3 per set, 737 M with 6, 723 M with 12,
/// 731 M with 16, 783 M with 24.
const PATTERNS_PER_SET: usize = 12;

/// The prefilter: each rule's pattern loosened (see [`loosen`]), equal
/// loosened patterns merged, in sets of [`PATTERNS_PER_SET`]. The sets
/// only say whether a pattern matches, so they carry no capture groups
/// and no literal prefilter of their own (its extraction from hundreds
/// of case-folded words costs more at start-up than it saves here).
fn prefilter_sets(rule_patterns: &[Hir]) -> Result<Vec<PrefilterSet>, String> {
    let mut patterns: Vec<(Hir, Vec<usize>)> = Vec::new();
    for (i, pattern) in rule_patterns.iter().enumerate() {
        let loose = at_word_start(without_groups(&loosen(pattern)));
        match patterns.iter_mut().find(|(hir, _)| *hir == loose) {
            Some((_, shared)) => shared.push(i),
            None => patterns.push((loose, vec![i])),
        }
    }
    let config = unfiltered()
        .match_kind(MatchKind::All)
        .which_captures(WhichCaptures::None);
    patterns
        .chunks(PATTERNS_PER_SET)
        .map(|group| {
            let hirs: Vec<&Hir> = group.iter().map(|(hir, _)| hir).collect();
            let regex = meta::Builder::new()
                .configure(config.clone())
                .build_many_from_hir(&hirs)
                .map_err(|e| e.to_string())?;
            let rules = group.iter().map(|(_, rules)| rules.clone()).collect();
            Ok(PrefilterSet { regex, rules })
        })
        .collect()
}

/// A loosened pattern whose every match starts with a word character,
/// tied to a position after no ASCII word character. A mention starts at
/// a word edge (see `at_word_edges`), and so does the loosened part of its
/// rule's match: it begins at the rule's first required part, at the
/// mention's start or after a separator the rule spells out ("the\s+").
/// Without the tie the prefilter's automaton follows every pattern from
/// every letter inside every word, and builds states for all those
/// partial matches.
fn at_word_start(loose: Hir) -> Hir {
    if starts_with_word_char(&loose) == Some(true) {
        Hir::concat(vec![Hir::look(Look::WordStartHalfAscii), loose])
    } else {
        loose
    }
}

/// A character that cannot follow another inside a mention's first word.
pub(super) fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Whether every non-empty match of `hir` starts with a word character
/// ([`is_word_char`]): `Some(true)` yes, `Some(false)` no or unknown,
/// `None` when `hir` matches only the empty string (it says nothing about
/// what follows).
fn starts_with_word_char(hir: &Hir) -> Option<bool> {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => None,
        HirKind::Literal(lit) => Some(
            std::str::from_utf8(&lit.0)
                .ok()
                .and_then(|s| s.chars().next())
                .is_some_and(is_word_char),
        ),
        HirKind::Class(Class::Unicode(class)) => Some(
            class
                .ranges()
                .iter()
                .all(|r| (r.start()..=r.end()).all(is_word_char)),
        ),
        HirKind::Class(Class::Bytes(class)) => Some(
            class
                .ranges()
                .iter()
                .all(|r| (r.start()..=r.end()).all(|b| b.is_ascii() && is_word_char(b as char))),
        ),
        HirKind::Capture(capture) => starts_with_word_char(&capture.sub),
        HirKind::Repetition(rep) => starts_with_word_char(&rep.sub),
        HirKind::Alternation(alternatives) => Some(
            alternatives
                .iter()
                .all(|a| starts_with_word_char(a) == Some(true)),
        ),
        HirKind::Concat(parts) => {
            for part in parts {
                match starts_with_word_char(part) {
                    None => continue,
                    // A part that may match empty lets the next one start the match.
                    Some(true) if part.properties().minimum_len() == Some(0) => continue,
                    answer => return answer,
                }
            }
            None
        }
    }
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

/// The same pattern without capture groups (so that rules naming their
/// groups differently share one loosened pattern).
fn without_groups(hir: &Hir) -> Hir {
    match hir.kind() {
        HirKind::Capture(capture) => without_groups(&capture.sub),
        HirKind::Concat(parts) => Hir::concat(parts.iter().map(without_groups).collect()),
        HirKind::Alternation(alternatives) => {
            Hir::alternation(alternatives.iter().map(without_groups).collect())
        }
        HirKind::Repetition(rep) => Hir::repetition(regex_syntax::hir::Repetition {
            sub: Box::new(without_groups(&rep.sub)),
            ..rep.clone()
        }),
        _ => hir.clone(),
    }
}

/// A looser form of a pattern that matches wherever the pattern does:
/// optional parts at either end of a sequence dropped ("early", "the",
/// word-boundary checks), capture groups unwrapped, alternatives loosened
/// one by one. Many rules then share one loosened pattern, and the
/// prefilter's automaton tracks far fewer partial matches.
fn loosen(hir: &Hir) -> Hir {
    match hir.kind() {
        HirKind::Concat(parts) => {
            let can_be_empty = |h: &Hir| h.properties().minimum_len() == Some(0);
            let first = parts.iter().position(|h| !can_be_empty(h));
            let last = parts.iter().rposition(|h| !can_be_empty(h));
            match (first, last) {
                (Some(first), Some(last)) if first == last => loosen(&parts[first]),
                (Some(first), Some(last)) => Hir::concat(parts[first..=last].to_vec()),
                _ => hir.clone(),
            }
        }
        HirKind::Capture(capture) => loosen(&capture.sub),
        HirKind::Alternation(alternatives) => {
            Hir::alternation(alternatives.iter().map(loosen).collect())
        }
        _ => hir.clone(),
    }
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

    /// The prefilter may let through a rule that does not match, never
    /// hold back one whose match can become a mention (one at word edges):
    /// every such rule matching any example text of any rule, or a word
    /// of it glued to letters, is among the text's matching rules.
    #[test]
    fn prefilter_keeps_every_rule_that_matches() {
        let set = rule_set();
        let mut missed = Vec::new();
        let texts = set
            .rules
            .iter()
            .flat_map(|r| r.examples.iter().map(|e| e.text.clone()))
            .flat_map(|t| [format!("x{t}"), format!("_{t} and {t}"), t]);
        for text in texts {
            let passed = set.matching_rules(&text);
            for (i, rule) in set.rules.iter().enumerate() {
                let at_edges = rule
                    .regex
                    .find_iter(&text)
                    .any(|m| super::super::at_word_edges(&text, m.start(), m.end()));
                if at_edges && !passed.contains(&i) {
                    missed.push(format!("{} on {text:?}", rule.id));
                }
            }
        }
        assert!(missed.is_empty(), "held back:\n{}", missed.join("\n"));
    }

    #[test]
    fn word_start_ties_only_patterns_opening_with_a_word_character() {
        let parse = |p: &str| regex_syntax::parse(p).expect("valid pattern");
        let tied = |p: &str| at_word_start(parse(p)) != parse(p);
        assert!(tied(r"(?i)the\s+year"));
        assert!(tied(r"(?:[0-9]+|one)\s+days"));
        assert!(!tied(r"'[0-9]{2}"));
        assert!(!tied(r"\$?[0-9]+"));
        assert!(!tied(r"(?:the)?\s*'[0-9]{2}"));
    }

    #[test]
    fn loosening_drops_optional_ends_and_groups() {
        let parse = |p: &str| regex_syntax::parse(p).expect("valid pattern");
        let loose = |p: &str| without_groups(&loosen(&parse(p)));
        assert_eq!(
            loose(r"(?:early\s+)?(?P<m>May)\s+(?P<d>\d+)(?:st)?"),
            parse(r"May\s+\d+")
        );
        assert_eq!(
            loose(r"(?:the\s+)?(?P<y>\d{4})|(?:last\s+)?week"),
            parse(r"\d{4}|week")
        );
        // Inside a sequence an optional part stays: dropping it would
        // not match "in the year".
        assert_eq!(
            loose(r"in\s+(?:the\s+)?year\s+(?P<y>\d{4})?"),
            parse(r"in\s+(?:the\s+)?year\s+")
        );
    }
}
