//! Loading of the entity rule files: gazetteers, alias table, cue words.
//!
//! Takes the [`RuleFiles`]; gives a [`Lexicon`] holding one Aho-Corasick
//! automaton over every gazetteer and alias name plus the cue-word sets.
//! Validates every row and reports bad ones as `origin:line`.

use crate::error::RuleError;
use crate::record::EntityType;
use crate::rules::{catalog, RuleFile, RuleFiles, RuleSource};
use aho_corasick::{AhoCorasick, MatchKind};
use serde::Deserialize;
use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

/// What kind of organisation a name denotes; only companies are antecedents
/// of "the company".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum OrgClass {
    Company,
    Gov,
    Other,
}

/// One name the automaton finds.
#[derive(Clone, Debug)]
pub(crate) struct GazEntry {
    /// The name as written in the rule file (the case check compares to it).
    pub pattern: String,
    pub kind: EntityType,
    pub canonical: String,
    pub class: OrgClass,
    /// Rule id for mentions: "gazetteer.<source>" or "alias".
    pub rule: String,
}

/// Cue-word lists of `entities_cues.toml`; a user file may give any subset.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct Words {
    pub legal_suffix: Vec<String>,
    pub weak_suffix: Vec<String>,
    pub company_keyword: Vec<String>,
    pub org_keyword: Vec<String>,
    pub place_keyword: Vec<String>,
    pub of_head: Vec<String>,
    pub law_keyword: Vec<String>,
    pub facility_keyword: Vec<String>,
    pub event_keyword: Vec<String>,
    pub speech_verb: Vec<String>,
    pub person_pronoun: Vec<String>,
    pub org_subject_verb: Vec<String>,
    pub title: Vec<String>,
    pub honorific: Vec<String>,
    pub surname_first: Vec<String>,
    pub company_cue: Vec<String>,
    pub company_possession: Vec<String>,
    pub coref_noun: Vec<String>,
    pub connector: Vec<String>,
    pub not_name: Vec<String>,
    pub not_acronym: Vec<String>,
    pub masthead: Vec<String>,
    pub masthead_needs_cue: Vec<String>,
    pub press_cue: Vec<String>,
    pub numbered_head: Vec<String>,
    pub head_first_org: Vec<String>,
    pub event_head: Vec<String>,
    pub title_word: Vec<String>,
    pub person_job: Vec<String>,
    #[serde(default)]
    pub surname_head: Vec<String>,
    #[serde(default)]
    pub national_side: Vec<String>,
    #[serde(default)]
    pub faith_word: Vec<String>,
}

/// A rule example (run by `newsx rules test` and the tests).
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CueExample {
    pub rule: String,
    pub text: String,
    #[serde(default)]
    pub expect: Vec<String>,
    #[serde(default)]
    pub reject: Vec<String>,
    /// "file:line" of the example.
    #[serde(skip)]
    pub place: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CueFile {
    #[serde(default)]
    words: Option<Words>,
    #[serde(default)]
    example: Vec<CueExample>,
}

/// A set of rule words. The keys come from the rule files, and the text's
/// words are only looked up, so a fast unkeyed hash is safe: these lookups
/// run several times for every word of every sentence.
pub(crate) type WordSet = HashSet<String, BuildHasherDefault<WordHasher>>;

/// A map from rule words (see [`WordSet`]).
pub(crate) type WordMap<V> = HashMap<String, V, BuildHasherDefault<WordHasher>>;

/// Multiply-rotate hashing of eight bytes at a time (the Fx hash).
#[derive(Default)]
pub(crate) struct WordHasher(u64);

impl WordHasher {
    const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(Self::SEED);
    }
}

impl Hasher for WordHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            self.add(u64::from_le_bytes(chunk.try_into().expect("eight bytes")));
        }
        let mut rest = [0u8; 8];
        let tail = chunks.remainder();
        rest[..tail.len()].copy_from_slice(tail);
        self.add(u64::from_le_bytes(rest) ^ tail.len() as u64);
    }

    fn write_u8(&mut self, byte: u8) {
        self.add(u64::from(byte));
    }

    fn finish(&self) -> u64 {
        // The table picks buckets by the low bits and tags by the high ones.
        self.0.rotate_left(26)
    }
}

/// Word sets used by the rules (case-sensitive unless noted).
#[derive(Debug, Default)]
pub(crate) struct CueSets {
    pub legal_suffix: WordSet,
    pub weak_suffix: WordSet,
    pub company_keyword: WordSet,
    pub org_keyword: WordSet,
    pub place_keyword: WordSet,
    pub of_head: WordSet,
    pub law_keyword: WordSet,
    pub facility_keyword: WordSet,
    pub event_keyword: WordSet,
    pub speech_verb: WordSet,
    pub person_pronoun: WordSet,
    pub org_subject_verb: WordSet,
    /// Lower-cased.
    pub title: WordSet,
    pub honorific: WordSet,
    pub surname_first: WordSet,
    pub company_cue: WordSet,
    pub company_possession: WordSet,
    pub coref_noun: WordSet,
    pub connector: WordSet,
    pub not_name: WordSet,
    pub not_acronym: WordSet,
    /// Newspaper names of one word after "the" ("the Observer").
    pub masthead: WordSet,
    /// Mastheads that are everyday words too ("the Sun"): the paper only
    /// next to a press cue.
    pub masthead_needs_cue: WordSet,
    /// Lower-cased.
    pub press_cue: WordSet,
    /// Words a number completes into an organisation's name ("Radio 4").
    pub numbered_head: WordSet,
    /// Head words that open an organisation's name ("Bank Sal Oppenheim").
    pub head_first_org: WordSet,
    /// First words of named storms and operations ("Hurricane Ivan").
    pub event_head: WordSet,
    /// Function words that titles of works capitalise ("Of", "The").
    pub title_word: WordSet,
    /// Company cues that are people's jobs too ("producer"); lower-cased.
    pub person_job: WordSet,
    /// Head words that are surnames too ("Church"): after a given name and
    /// a middle name, a person's name.
    pub surname_head: WordSet,
    /// Places that field national sides without being countries of the
    /// gazetteer ("Wales"): a side in a results line stays a place.
    /// Lower-cased.
    pub national_side: WordSet,
    /// Group words of a faith ("Muslim"): after a nationality they name a
    /// second group, not one compound ("British Muslim").
    pub faith_word: WordSet,
}

pub(crate) struct Lexicon {
    pub entries: Vec<GazEntry>,
    /// Automaton pattern i (a case-folded name) → entries spelled that way
    /// up to case ("DoD", "DOD").
    pub variants: Vec<Vec<usize>>,
    /// The case-folded names, case-sensitive: search ASCII-lower-cased text.
    pub automaton: AhoCorasick,
    pub first_names: WordSet,
    /// Lower-case words common in prose.
    pub common: WordSet,
    /// Lower-cased canonical names of countries: a country named as a side
    /// in a match report is its national team, which CoNLL tags as a place.
    pub countries: WordSet,
    pub cues: CueSets,
    pub examples: Vec<CueExample>,
}

impl Lexicon {
    pub fn load(rules: &RuleFiles) -> Result<Self, RuleError> {
        let mut by_name: HashMap<String, GazEntry> = HashMap::new();
        for src in rules.load(&catalog::ENTITIES_GAZETTEER)? {
            load_names(&src, &mut by_name, false)?;
        }
        // Taken before the aliases override rows ("United States").
        let countries = by_name
            .values()
            .filter(|e| COUNTRY_SOURCES.contains(&e.rule.as_str()))
            .map(|e| e.canonical.to_lowercase())
            .collect();
        // Aliases come last so they override gazetteer rows of the same name.
        for src in rules.load(&catalog::ENTITIES_ALIASES)? {
            load_names(&src, &mut by_name, true)?;
        }
        let entries = with_curly_apostrophes(by_name);
        let (folded, variants) = fold_case(&entries);
        // Case-sensitive over lower-case names: the text is searched
        // lower-cased (see `candidates::gazetteer_hits`).
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&folded)
            .map_err(|e| RuleError::invalid(catalog::ENTITIES_GAZETTEER.name, 1, e.to_string()))?;
        let (cues, examples) = load_cues(rules)?;
        Ok(Lexicon {
            countries,
            entries,
            variants,
            automaton,
            first_names: load_words(rules, &catalog::ENTITIES_FIRST_NAMES, false)?,
            common: load_words(rules, &catalog::ENTITIES_COMMON_WORDS, true)?,
            cues,
            examples,
        })
    }
}

/// Gazetteer rule ids of country names.
const COUNTRY_SOURCES: &[&str] = &["gazetteer.geonames.country", "gazetteer.countrynames"];

/// Rows `name TYPE canonical source` (gazetteer) or `alias TYPE canonical class` (aliases).
fn load_names(
    src: &RuleSource,
    out: &mut HashMap<String, GazEntry>,
    aliases: bool,
) -> Result<(), RuleError> {
    for (line, cols) in src.tsv_rows() {
        if cols.len() < 2 || cols[0].is_empty() {
            return Err(src.error(line, "expected: name<TAB>TYPE[<TAB>canonical<TAB>source]"));
        }
        let kind = EntityType::from_name(cols[1])
            .ok_or_else(|| src.error(line, format!("unknown entity type {:?}", cols[1])))?;
        let canonical = match cols.get(2) {
            Some(c) if !c.is_empty() => c.to_string(),
            _ => cols[0].to_string(),
        };
        let tag = cols.get(3).copied().unwrap_or("");
        let (class, rule) = if aliases {
            let class = match tag {
                "company" => OrgClass::Company,
                "gov" => OrgClass::Gov,
                "" | "other" => OrgClass::Other,
                _ => return Err(src.error(line, format!("unknown class {tag:?}"))),
            };
            (class, "alias".to_string())
        } else {
            let class = if tag == "sp500" || tag == "annie.company" {
                OrgClass::Company
            } else if tag.starts_with("dotgov") || tag == "annie.government" {
                OrgClass::Gov
            } else {
                OrgClass::Other
            };
            (class, format!("gazetteer.{tag}"))
        };
        out.insert(
            cols[0].to_string(),
            GazEntry {
                pattern: cols[0].to_string(),
                kind,
                canonical,
                class,
                rule,
            },
        );
    }
    Ok(())
}

/// Names written with a straight apostrophe also match the typographic one.
fn with_curly_apostrophes(by_name: HashMap<String, GazEntry>) -> Vec<GazEntry> {
    let mut entries: Vec<GazEntry> = by_name.into_values().collect();
    let curly: Vec<GazEntry> = entries
        .iter()
        .filter(|e| e.pattern.contains('\''))
        .map(|e| GazEntry {
            pattern: e.pattern.replace('\'', "\u{2019}"),
            ..e.clone()
        })
        .collect();
    entries.extend(curly);
    entries.sort_by(|a, b| a.pattern.cmp(&b.pattern));
    entries
}

/// One automaton pattern per case-folded name, with the entries behind it.
fn fold_case(entries: &[GazEntry]) -> (Vec<String>, Vec<Vec<usize>>) {
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut folded = Vec::new();
    let mut variants: Vec<Vec<usize>> = Vec::new();
    for (i, e) in entries.iter().enumerate() {
        let key = e.pattern.to_ascii_lowercase();
        let slot = *index.entry(key.clone()).or_insert_with(|| {
            folded.push(key);
            variants.push(Vec::new());
            variants.len() - 1
        });
        variants[slot].push(i);
    }
    (folded, variants)
}

fn load_words(rules: &RuleFiles, file: &RuleFile, lowercase: bool) -> Result<WordSet, RuleError> {
    let mut out = WordSet::default();
    for src in rules.load(file)? {
        for (line, cols) in src.tsv_rows() {
            let word = cols[0];
            if word.is_empty() || word.contains(' ') {
                return Err(src.error(line, "expected one word a line"));
            }
            out.insert(if lowercase {
                word.to_lowercase()
            } else {
                word.to_string()
            });
        }
    }
    Ok(out)
}

fn load_cues(rules: &RuleFiles) -> Result<(CueSets, Vec<CueExample>), RuleError> {
    let mut sets = CueSets::default();
    let mut examples = Vec::new();
    for src in rules.load(&catalog::ENTITIES_CUES)? {
        let file: CueFile = src.parse_toml()?;
        if let Some(w) = file.words {
            extend(&mut sets.legal_suffix, w.legal_suffix, false);
            extend(&mut sets.weak_suffix, w.weak_suffix, false);
            extend(&mut sets.company_keyword, w.company_keyword, false);
            extend(&mut sets.org_keyword, w.org_keyword, false);
            extend(&mut sets.place_keyword, w.place_keyword, false);
            extend(&mut sets.of_head, w.of_head, false);
            extend(&mut sets.law_keyword, w.law_keyword, false);
            extend(&mut sets.facility_keyword, w.facility_keyword, false);
            extend(&mut sets.event_keyword, w.event_keyword, false);
            extend(&mut sets.speech_verb, w.speech_verb, false);
            extend(&mut sets.person_pronoun, w.person_pronoun, false);
            extend(&mut sets.org_subject_verb, w.org_subject_verb, false);
            extend(&mut sets.title, w.title, true);
            extend(&mut sets.honorific, w.honorific, false);
            extend(&mut sets.surname_first, w.surname_first, false);
            extend(&mut sets.company_cue, w.company_cue, true);
            extend(&mut sets.company_possession, w.company_possession, true);
            extend(&mut sets.coref_noun, w.coref_noun, true);
            extend(&mut sets.connector, w.connector, false);
            extend(&mut sets.not_name, w.not_name, false);
            extend(&mut sets.not_acronym, w.not_acronym, false);
            extend(&mut sets.masthead, w.masthead, false);
            extend(&mut sets.masthead_needs_cue, w.masthead_needs_cue, false);
            extend(&mut sets.press_cue, w.press_cue, true);
            extend(&mut sets.numbered_head, w.numbered_head, false);
            extend(&mut sets.head_first_org, w.head_first_org, false);
            extend(&mut sets.event_head, w.event_head, false);
            extend(&mut sets.title_word, w.title_word, false);
            extend(&mut sets.person_job, w.person_job, true);
            extend(&mut sets.surname_head, w.surname_head, false);
            extend(&mut sets.national_side, w.national_side, true);
            extend(&mut sets.faith_word, w.faith_word, false);
        }
        examples.extend(file.example.into_iter().map(|mut e| {
            e.place = src.place(src.offset_of_id(&e.text));
            e
        }));
    }
    Ok((sets, examples))
}

fn extend(set: &mut WordSet, words: Vec<String>, lowercase: bool) {
    set.extend(
        words
            .into_iter()
            .map(|w| if lowercase { w.to_lowercase() } else { w }),
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load_with(file: &str, text: &str) -> Result<Lexicon, RuleError> {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(file), text).unwrap();
        Lexicon::load(&RuleFiles::with_dir(dir.path()))
    }

    #[test]
    fn builtin_rules_load() {
        let lex = Lexicon::load(&RuleFiles::builtin()).unwrap();
        assert!(lex.entries.len() > 1000);
        assert!(lex.cues.title.contains("president"));
        assert!(!lex.examples.is_empty());
    }

    #[test]
    fn bad_rows_name_file_and_line() {
        let err = load_with("entities_aliases.tsv", "# c\nPentagon\tORG\nFoo\tCOMPANY\n")
            .err()
            .unwrap()
            .to_string();
        assert!(
            err.contains("entities_aliases.tsv:3:1: unknown entity type \"COMPANY\""),
            "{err}"
        );
        let err = load_with("entities_aliases.tsv", "Foo\tORG\tFoo\tbank\n")
            .err()
            .unwrap();
        assert!(err.to_string().contains(":1:1: unknown class"), "{err}");
        let err = load_with("entities_cues.toml", "[words]\nbogus = [1]\n")
            .err()
            .unwrap();
        assert!(err.to_string().contains("entities_cues.toml:"), "{err}");
        let err = load_with("entities_first_names.tsv", "Anne Marie\n")
            .err()
            .unwrap();
        assert!(
            err.to_string().contains(":1:1: expected one word a line"),
            "{err}"
        );
    }

    #[test]
    fn user_cues_extend_builtin() {
        let lex = load_with("entities_cues.toml", "[words]\ntitle = [\"Chieftain\"]\n").unwrap();
        assert!(lex.cues.title.contains("chieftain") && lex.cues.title.contains("judge"));
    }

    #[test]
    fn user_aliases_extend_builtin() {
        let lex = load_with("entities_aliases.tsv", "Acme Widgets\tORG\tAcme\tcompany\n").unwrap();
        let e = lex
            .entries
            .iter()
            .find(|e| e.pattern == "Acme Widgets")
            .unwrap();
        assert_eq!((e.canonical.as_str(), e.class), ("Acme", OrgClass::Company));
    }
}
