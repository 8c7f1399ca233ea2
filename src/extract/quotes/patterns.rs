//! Quote rules as data: `quotes.toml` (macros and regex rules with
//! examples) and `speech_verbs.tsv` (cue verb forms), compiled once.
//!
//! Takes the rule sources; gives a [`RuleSet`] of compiled regexes grouped
//! by context. Validation errors name the file and line. It does not apply
//! the rules (see the parent module).

use crate::error::RuleError;
use crate::record::QuoteKind;
use crate::rules::{RuleFiles, RuleSource};
use regex::{Regex, RegexBuilder};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};

const QUOTES_TOML: &str = include_str!("../../../rules/quotes.toml");
const SPEECH_VERBS_TSV: &str = include_str!("../../../rules/speech_verbs.tsv");

/// Speaker phrases repeat Unicode classes; allow a larger compiled size
/// than the regex crate's default.
const REGEX_SIZE_LIMIT: usize = 64 << 20;

/// Cues that are not verbs of `speech_verbs.tsv`: "according to", a
/// headline colon, a dash before a name, and the participles of the
/// participle rule.
const CUE_FILTER_EXTRA: &str = r"(?i:according\s+to|:|[―—–]|(?-u:\b)(?:saying|adding|noting|arguing|claiming|insisting|warning|explaining|stressing|stating|declaring|suggesting|acknowledging|asserting|contending)(?-u:\b))";

/// An ASCII word boundary. Cue words are ASCII, and the fast (DFA) regex
/// engines cannot handle a Unicode `\b` on non-ASCII text such as curly
/// quotes: they would fall back to a much slower one.
const WORD_BOUNDARY: &str = r"(?-u:\b)";

/// How deep placeholders may nest before expansion is declared cyclic.
const MAX_EXPANSION_ROUNDS: usize = 12;

/// Where a rule's regex is applied.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Context {
    /// Text after a closing quotation mark, to the end of its sentence.
    After,
    /// Text from the sentence start (or previous closing mark) to an opening mark.
    Before,
    /// A whole sentence; the rule captures the content.
    Sentence,
}

/// One example a rule must reproduce (run by the unit tests).
#[derive(Clone, Debug, Deserialize)]
#[cfg_attr(not(test), allow(dead_code))]
pub struct Example {
    pub text: String,
    pub quote: String,
    pub speaker: String,
    pub cue: String,
    #[serde(default)]
    pub kind: Option<QuoteKind>,
}

#[derive(Debug, Deserialize)]
struct RawRule {
    id: String,
    context: Context,
    pattern: String,
    /// A cheap pattern any text the rule matches must contain: text
    /// without it skips the costly pattern.
    #[serde(default)]
    requires: Option<String>,
    #[serde(default)]
    examples: Vec<Example>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    macros: BTreeMap<String, String>,
    #[serde(default)]
    rule: Vec<RawRule>,
    #[serde(default)]
    speaker: SpeakerConfig,
    #[serde(default)]
    content: ContentConfig,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ContentConfig {
    #[serde(default)]
    reject: Vec<String>,
    #[serde(default)]
    cut: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct SpeakerConfig {
    #[serde(default)]
    strip_leading: Vec<String>,
    #[serde(default)]
    strip_trailing: Vec<String>,
}

/// A compiled rule.
#[derive(Debug)]
pub struct Rule {
    pub id: String,
    pub context: Context,
    pub regex: Regex,
    /// Necessary condition checked before `regex` (see `RawRule::requires`).
    pub requires: Option<Regex>,
    #[cfg_attr(not(test), allow(dead_code))]
    pub examples: Vec<Example>,
}

impl Rule {
    /// The rule's groups in `s`, if it matches; the cheap `requires`
    /// check runs first.
    pub fn captures<'t>(&self, s: &'t str) -> Option<regex::Captures<'t>> {
        if self.requires.as_ref().is_some_and(|r| !r.is_match(s)) {
            return None;
        }
        self.regex.captures(s)
    }
}

/// All quote rules, compiled.
#[derive(Debug)]
pub struct RuleSet {
    pub rules: Vec<Rule>,
    /// Words stripped from the start of a speaker match ("But", "In").
    pub strip_leading: BTreeSet<String>,
    /// Words stripped from the end of a speaker match ("and", "to").
    pub strip_trailing: BTreeSet<String>,
    /// Reported clauses that are not speech (prepositional phrases, appositives).
    pub reject_content: Vec<Regex>,
    /// Where reported content ends early (relative clauses, second cues).
    pub cut_content: Vec<Regex>,
    /// Matches any cue word; text without one skips the rules.
    pub cue_filter: Regex,
}

impl RuleSet {
    pub fn load(files: &RuleFiles) -> Result<Self, RuleError> {
        let verbs = load_verbs(&files.load("speech_verbs.tsv", SPEECH_VERBS_TSV)?)?;
        let mut macros = BTreeMap::new();
        macros.insert("CUE".to_string(), verbs.alternation(Frame::Say));
        macros.insert("TELL".to_string(), verbs.alternation(Frame::Tell));
        let mut raw_rules = Vec::new();
        let mut strip_leading = BTreeSet::new();
        let mut strip_trailing = BTreeSet::new();
        let mut reject_sources = Vec::new();
        let mut cut_sources = Vec::new();
        for source in files.load("quotes.toml", QUOTES_TOML)? {
            let file: RawFile = toml::from_str(&source.text).map_err(|e| {
                let line = e.span().map_or(1, |s| line_of(&source.text, s.start));
                source.error(line, e.message().to_string())
            })?;
            macros.extend(file.macros);
            strip_leading.extend(file.speaker.strip_leading);
            strip_trailing.extend(file.speaker.strip_trailing);
            let line = line_of_key(&source.text, "reject");
            for pattern in file.content.reject {
                reject_sources.push((source.origin.clone(), line, pattern));
            }
            let line = line_of_key(&source.text, "cut");
            for pattern in file.content.cut {
                cut_sources.push((source.origin.clone(), line, pattern));
            }
            for rule in file.rule {
                let line = line_of_id(&source.text, &rule.id);
                raw_rules.push((source.origin.clone(), line, rule));
            }
        }
        let mut rules = Vec::with_capacity(raw_rules.len());
        let mut seen = BTreeSet::new();
        for (origin, line, raw) in raw_rules {
            let fail = |msg: String| RuleError::invalid(&origin, line, msg);
            if !seen.insert(raw.id.clone()) {
                return Err(fail(format!("duplicate rule id {:?}", raw.id)));
            }
            let expanded = expand(&raw.pattern, &macros).map_err(fail)?;
            let regex = RegexBuilder::new(&expanded)
                .size_limit(REGEX_SIZE_LIMIT)
                .build()
                .map_err(|e| fail(format!("rule {:?}: bad pattern: {e}", raw.id)))?;
            check_groups(&raw, &regex).map_err(fail)?;
            let requires = match &raw.requires {
                Some(pattern) => {
                    let expanded = expand(pattern, &macros).map_err(fail)?;
                    let regex = RegexBuilder::new(&expanded)
                        .size_limit(REGEX_SIZE_LIMIT)
                        .build()
                        .map_err(|e| fail(format!("rule {:?}: bad requires: {e}", raw.id)))?;
                    Some(regex)
                }
                None => None,
            };
            rules.push(Rule {
                id: raw.id,
                context: raw.context,
                regex,
                requires,
                examples: raw.examples,
            });
        }
        let reject_content = compile_all(reject_sources, &macros)?;
        let cut_content = compile_all(cut_sources, &macros)?;
        let cue_filter = RegexBuilder::new(&format!(
            "{}|{}|{}",
            macros["CUE"], macros["TELL"], CUE_FILTER_EXTRA
        ))
        .size_limit(REGEX_SIZE_LIMIT)
        .build()
        .map_err(|e| RuleError::invalid("speech_verbs.tsv", 1, format!("bad cue filter: {e}")))?;
        Ok(RuleSet {
            rules,
            strip_leading,
            strip_trailing,
            reject_content,
            cut_content,
            cue_filter,
        })
    }

    pub fn in_context(&self, context: Context) -> impl Iterator<Item = &Rule> {
        self.rules.iter().filter(move |r| r.context == context)
    }
}

/// Compiles content patterns given as (origin, line, pattern).
fn compile_all(
    sources: Vec<(String, usize, String)>,
    macros: &BTreeMap<String, String>,
) -> Result<Vec<Regex>, RuleError> {
    sources
        .into_iter()
        .map(|(origin, line, pattern)| {
            let fail = |msg: String| RuleError::invalid(&origin, line, msg);
            let expanded = expand(&pattern, macros).map_err(fail)?;
            RegexBuilder::new(&expanded)
                .size_limit(REGEX_SIZE_LIMIT)
                .build()
                .map_err(|e| fail(format!("bad content pattern: {e}")))
        })
        .collect()
}

fn check_groups(raw: &RawRule, regex: &Regex) -> Result<(), String> {
    let names: Vec<&str> = regex.capture_names().flatten().collect();
    let mut needed = vec!["speaker", "cue"];
    if raw.context == Context::Sentence {
        needed.push("content");
    }
    for group in needed {
        if !names.contains(&group) {
            return Err(format!("rule {:?}: pattern lacks group {group:?}", raw.id));
        }
    }
    if raw.examples.is_empty() {
        return Err(format!("rule {:?}: no examples", raw.id));
    }
    Ok(())
}

/// Replaces `{NAME}` placeholders (upper case and `_`) until none is left.
fn expand(pattern: &str, macros: &BTreeMap<String, String>) -> Result<String, String> {
    let mut out = pattern.to_string();
    for _ in 0..MAX_EXPANSION_ROUNDS {
        let mut changed = false;
        let mut next = String::with_capacity(out.len());
        let mut rest = out.as_str();
        while let Some(open) = rest.find('{') {
            next.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let name_len = after
                .find(|c: char| !(c.is_ascii_uppercase() || c == '_'))
                .unwrap_or(after.len());
            // `\p{L}` is a Unicode class, not a placeholder.
            let class = next.ends_with("\\p") || next.ends_with("\\P");
            if name_len > 0 && !class && after[name_len..].starts_with('}') {
                let name = &after[..name_len];
                let body = macros
                    .get(name)
                    .ok_or_else(|| format!("unknown placeholder {{{name}}}"))?;
                next.push_str("(?:");
                next.push_str(body);
                next.push(')');
                rest = &after[name_len + 1..];
                changed = true;
            } else {
                next.push('{');
                rest = after;
            }
        }
        next.push_str(rest);
        out = next;
        if !changed {
            return Ok(out);
        }
    }
    Err("placeholders nest too deeply (a cycle?)".to_string())
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Frame {
    Say,
    Tell,
}

struct Verbs {
    forms: Vec<(Frame, String)>,
}

impl Verbs {
    /// An alternation of the forms of `frame`, lower case or capitalized
    /// (not upper case: "Washington Post" holds no cue), longest first so
    /// "pointed out" beats "pointed".
    fn alternation(&self, frame: Frame) -> String {
        let mut forms: Vec<&str> = self
            .forms
            .iter()
            .filter(|(f, _)| *f == frame)
            .map(|(_, form)| form.as_str())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        forms.sort_by_key(|f| std::cmp::Reverse(f.len()));
        let (phrases, words): (Vec<&str>, Vec<&str>) = forms.iter().partition(|f| f.contains(' '));
        // One-word forms stay a pure literal alternation, which the regex
        // engine compiles into a trie instead of hundreds of parallel
        // branches; the trailing boundary keeps it from being merged with
        // the phrases (which, as the longer forms, are tried first).
        let words = format!("(?:{}){WORD_BOUNDARY}", variants(&words).join("|"));
        let mut branches = variants(&phrases);
        branches.push(words);
        format!(r"{WORD_BOUNDARY}(?:{}){WORD_BOUNDARY}", branches.join("|"))
    }
}

/// Each form lower case and capitalized, escaped, any white space between words.
fn variants(forms: &[&str]) -> Vec<String> {
    forms
        .iter()
        .flat_map(|f| [f.to_string(), capitalize(f)])
        .map(|f| regex::escape(&f).replace(' ', r"\s+"))
        .collect()
}

fn capitalize(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

fn load_verbs(sources: &[RuleSource]) -> Result<Verbs, RuleError> {
    let mut forms = Vec::new();
    for source in sources {
        for (line, cols) in source.tsv_rows() {
            let frame = match cols.first().copied() {
                Some("say") => Frame::Say,
                Some("tell") => Frame::Tell,
                other => {
                    return Err(source.error(
                        line,
                        format!("unknown frame {other:?} (expected say or tell)"),
                    ))
                }
            };
            let Some(list) = cols.get(1) else {
                return Err(source.error(line, "missing verb forms column"));
            };
            for form in list.split(',').map(str::trim).filter(|f| !f.is_empty()) {
                if !form
                    .chars()
                    .all(|c| c.is_alphabetic() || c == ' ' || c == '-')
                {
                    return Err(source.error(line, format!("odd verb form {form:?}")));
                }
                forms.push((frame, form.to_lowercase()));
            }
        }
    }
    if forms.is_empty() {
        return Err(RuleError::invalid(
            "speech_verbs.tsv",
            1,
            "no speech verbs defined",
        ));
    }
    Ok(Verbs { forms })
}

fn line_of(text: &str, offset: usize) -> usize {
    text.get(..offset)
        .map_or(1, |head| head.bytes().filter(|&b| b == b'\n').count() + 1)
}

/// The line where `key` is first set, for error messages.
fn line_of_key(text: &str, key: &str) -> usize {
    let needle = format!("{key} =");
    text.find(&needle).map_or(1, |pos| line_of(text, pos))
}

/// The line where rule `id` is declared, for error messages.
fn line_of_id(text: &str, id: &str) -> usize {
    let needle = format!("\"{id}\"");
    text.find(&needle).map_or(1, |pos| line_of(text, pos))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_expand_and_cycles_fail() {
        let mut macros = BTreeMap::new();
        macros.insert("A".to_string(), "a{B}".to_string());
        macros.insert("B".to_string(), "b".to_string());
        assert_eq!(expand("x{A}{2,3}", &macros).unwrap(), "x(?:a(?:b)){2,3}");
        macros.insert("B".to_string(), "{A}".to_string());
        assert!(expand("{A}", &macros).is_err());
        assert!(expand("{ZZ}", &macros).is_err());
    }

    #[test]
    fn bad_user_rules_report_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        let text =
            "[[rule]]\nid = \"x\"\ncontext = \"after\"\npattern = '(?P<speaker>a'\nexamples = []\n";
        std::fs::write(dir.path().join("quotes.toml"), text).unwrap();
        let err = RuleSet::load(&RuleFiles::with_dir(dir.path())).unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("quotes.toml:2"), "{msg}");
    }
}
