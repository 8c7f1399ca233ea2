//! Named lists: mentions of government lists (sanctions, export control,
//! investment bans) → [`ListRef`]s with every mention in the article.
//!
//! Takes a [`Doc`]; gives one `ListRef` per list, in order of first mention.
//! Three kinds of mention, all defined in `rules/lists.toml`:
//! - aliases: specific names ("Section 1260H list", "Entity List"), matched
//!   with any white space or quotation marks between words
//!   (`“Communist Chinese Military Companies” list`);
//! - generic press names ("investment blacklist", "a Pentagon list of
//!   firms"), resolved to a named list of the same article whose authority
//!   fits, else to the one list whose news alias matches, else kept as
//!   `generic:<phrase>`;
//! - anaphors ("the list", "this blacklist"), resolved to the list named
//!   most recently before them; dropped when none precedes.
//!
//! It does not decide who is on a list: that is the event rules' job.

use super::Doc;
use crate::error::RuleError;
use crate::record::{ListRef, Mention, Span};
use crate::rules::Regex;
use crate::rules::{catalog, ExampleFailure, ExampleReport, Merged, RuleFiles, RuleSource};
use serde::Deserialize;
use std::collections::HashMap;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ListFile {
    #[serde(default)]
    list: Vec<ListDef>,
    #[serde(default)]
    generic: Vec<PatternDef>,
    #[serde(default)]
    anaphor: Vec<PatternDef>,
}

/// One named list as defined in the rules.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListDef {
    pub id: String,
    pub name: String,
    pub authority: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[serde(default)]
    pub news_aliases: Vec<String>,
    #[serde(default)]
    pub authority_aliases: Vec<String>,
    /// Labels whose assignment means listing ("designated as a Communist
    /// Chinese Military Company"); a mention of the label is a mention of the list.
    #[serde(default)]
    pub designations: Vec<String>,
    #[serde(default)]
    pub examples: Vec<String>,
    /// "file:line" of the definition.
    #[serde(skip)]
    pub place: String,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PatternDef {
    id: String,
    pattern: String,
    #[serde(default)]
    examples: Vec<String>,
}

struct Pattern {
    id: String,
    regex: Regex,
    place: String,
    examples: Vec<String>,
}

/// The compiled list rules.
pub struct ListMatcher {
    defs: Vec<ListDef>,
    /// All specific aliases as one alternation, longest first.
    aliases: Regex,
    /// Normalised alias → indices of the lists it names.
    alias_index: HashMap<String, Vec<usize>>,
    /// Normalised news alias → indices of the lists it may name.
    news_index: HashMap<String, Vec<usize>>,
    /// Normalised designation label → indices of the lists it implies.
    designation_index: HashMap<String, Vec<usize>>,
    generic: Vec<Pattern>,
    anaphor: Vec<Pattern>,
}

/// A raw match before resolution.
#[derive(Clone, Debug)]
struct Hit {
    span: Span,
    kind: HitKind,
    rule: String,
}

#[derive(Clone, Debug)]
enum HitKind {
    Named(usize),
    Generic,
    Anaphor,
}

impl ListMatcher {
    pub fn new(rules: &RuleFiles) -> Result<Self, RuleError> {
        let mut defs = Merged::default();
        let mut generic = Merged::default();
        let mut anaphor = Merged::default();
        for (n, source) in rules.load(&catalog::LISTS)?.iter().enumerate() {
            let file: ListFile = source.parse_toml()?;
            for mut def in file.list {
                def.place = source.place(source.offset_of_id(&def.id));
                defs.add(source, n, &def.id.clone(), def)?;
            }
            for pattern in compile_patterns(source, file.generic)? {
                generic.add(source, n, &pattern.id.clone(), pattern)?;
            }
            for pattern in compile_patterns(source, file.anaphor)? {
                anaphor.add(source, n, &pattern.id.clone(), pattern)?;
            }
        }
        let (defs, generic, anaphor) = (defs.into_vec(), generic.into_vec(), anaphor.into_vec());
        let alias_index = index_aliases(&defs, |d| &d.aliases);
        let news_index = index_aliases(&defs, |d| &d.news_aliases);
        let designation_index = index_aliases(&defs, |d| &d.designations);
        let aliases = alias_regex(
            alias_index
                .keys()
                .chain(designation_index.keys())
                .map(String::as_str),
        )
        .map_err(|e| RuleError::invalid(catalog::LISTS.name, 1, format!("alias pattern: {e}")))?;
        Ok(ListMatcher {
            defs,
            aliases,
            alias_index,
            news_index,
            designation_index,
            generic,
            anaphor,
        })
    }

    /// The list definitions, for rules that need names and designations.
    pub fn definitions(&self) -> &[ListDef] {
        &self.defs
    }

    /// Runs every example: a list's examples must name that list, a
    /// generic or anaphor pattern's examples must match it.
    pub fn run_examples(&self) -> ExampleReport {
        let mut report = ExampleReport::default();
        for def in &self.defs {
            for example in &def.examples {
                let found = self.list_ids(example);
                report.record((!found.contains(&def.id)).then(|| ExampleFailure {
                    place: def.place.clone(),
                    rule: def.id.clone(),
                    example: example.clone(),
                    want: format!("list {}", def.id),
                    got: format!("{found:?}"),
                }));
            }
        }
        for p in self.generic.iter().chain(&self.anaphor) {
            for example in &p.examples {
                report.record((!p.regex.is_match(example)).then(|| ExampleFailure {
                    place: p.place.clone(),
                    rule: p.id.clone(),
                    example: example.clone(),
                    want: "a match".into(),
                    got: "no match".into(),
                }));
            }
        }
        report
    }

    /// The ids of the lists found in `text`, segmented on its own.
    fn list_ids(&self, text: &str) -> Vec<String> {
        let seg = crate::segment::segment(text, &[]);
        let doc = Doc::new(text, &seg, None);
        self.extract(&doc).into_iter().map(|l| l.id).collect()
    }

    pub fn extract(&self, doc: &Doc) -> Vec<ListRef> {
        let mut hits = Vec::new();
        for sentence in doc.seg.content_sentences() {
            self.find_in(doc.text, sentence.span, &mut hits);
        }
        // A specific name wins over a press name or anaphor it overlaps.
        let named: Vec<Span> = hits
            .iter()
            .filter(|h| matches!(h.kind, HitKind::Named(_)))
            .map(|h| h.span)
            .collect();
        hits.retain(|h| {
            matches!(h.kind, HitKind::Named(_)) || !named.iter().any(|n| n.overlaps(h.span))
        });
        hits.sort_by_key(|h| (h.span.start, std::cmp::Reverse(h.span.end)));
        drop_overlaps(&mut hits);
        self.resolve(doc, hits)
    }

    fn find_in(&self, text: &str, sentence: Span, hits: &mut Vec<Hit>) {
        let body = sentence.slice(text);
        for m in self.aliases.find_iter(body) {
            let key = normalize(m.as_str());
            let (index, rule) = match self.alias_index.get(&key) {
                Some(v) => (v, "list.alias"),
                None => match self.designation_index.get(&key) {
                    Some(v) => (v, "list.designation"),
                    None => continue,
                },
            };
            if let Some(&i) = index.first() {
                hits.push(Hit {
                    span: offset(sentence, m.start(), m.end()),
                    kind: HitKind::Named(i),
                    rule: rule.into(),
                });
            }
        }
        for (patterns, kind) in [
            (&self.generic, HitKind::Generic),
            (&self.anaphor, HitKind::Anaphor),
        ] {
            for p in patterns {
                for m in p.regex.find_iter(body) {
                    hits.push(Hit {
                        span: offset(sentence, m.start(), m.end()),
                        kind: kind.clone(),
                        rule: p.id.clone(),
                    });
                }
            }
        }
    }

    /// Turns hits into list references: named hits as they are, generic and
    /// anaphoric ones resolved against the named lists of the article.
    fn resolve(&self, doc: &Doc, hits: Vec<Hit>) -> Vec<ListRef> {
        let named: Vec<usize> = hits
            .iter()
            .filter_map(|h| match h.kind {
                HitKind::Named(i) => Some(i),
                _ => None,
            })
            .collect();
        let targets = self.resolve_generics(doc, &hits, &named);
        let mut out: Vec<ListRef> = Vec::new();
        let mut last: Option<String> = None;
        for (hit, target) in hits.into_iter().zip(targets) {
            let phrase = doc.slice(hit.span);
            let (id, rule) = match (hit.kind, target) {
                (HitKind::Named(i), _) => (self.defs[i].id.clone(), hit.rule),
                (HitKind::Generic, Some((i, how))) => {
                    (self.defs[i].id.clone(), format!("{}.{how}", hit.rule))
                }
                (HitKind::Generic, None) => (generic_id(phrase), hit.rule),
                (HitKind::Anaphor, _) => match &last {
                    Some(id) => (id.clone(), hit.rule),
                    None => continue,
                },
            };
            last = Some(id.clone());
            self.push_mention(&mut out, &id, phrase, hit.span, rule);
        }
        out
    }

    /// The named list each generic hit denotes, with how it was decided.
    /// First from its own sentence (the issuing authority is named there, or
    /// its press name is an alias of a list the article names); then from the
    /// nearest generic hit so resolved (press names keep their referent within
    /// an article); then from the lists alone.
    fn resolve_generics(
        &self,
        doc: &Doc,
        hits: &[Hit],
        named: &[usize],
    ) -> Vec<Option<(usize, &'static str)>> {
        let mut out: Vec<Option<(usize, &'static str)>> = hits
            .iter()
            .map(|h| match h.kind {
                HitKind::Generic => self
                    .resolve_in_sentence(doc, h.span, named)
                    .map(|i| (i, "context")),
                _ => None,
            })
            .collect();
        let anchors: Vec<(usize, usize)> = out
            .iter()
            .enumerate()
            .filter_map(|(k, r)| r.map(|(i, _)| (hits[k].span.start, i)))
            .collect();
        for (k, hit) in hits.iter().enumerate() {
            if !matches!(hit.kind, HitKind::Generic) || out[k].is_some() {
                continue;
            }
            let nearest = anchors
                .iter()
                .min_by_key(|(pos, _)| pos.abs_diff(hit.span.start));
            out[k] = match nearest {
                Some(&(_, i)) => Some((i, "nearest")),
                None => self
                    .resolve_by_lists(doc.slice(hit.span), named)
                    .map(|i| (i, "resolved")),
            };
        }
        out
    }

    /// A named list of this article whose authority is named in the
    /// generic phrase's sentence, or whose news alias the phrase is.
    fn resolve_in_sentence(&self, doc: &Doc, span: Span, named: &[usize]) -> Option<usize> {
        let phrase = doc.slice(span);
        let sentence = doc.seg.sentence_at(span.start).map_or(span, |s| s.span);
        let context = doc.slice(sentence);
        let fits = |i: usize| {
            self.defs[i]
                .authority_aliases
                .iter()
                .any(|a| contains_word(phrase, a) || contains_word(context, a))
        };
        if let Some(&i) = named.iter().find(|&&i| fits(i)) {
            return Some(i);
        }
        self.news_candidates(phrase)
            .into_iter()
            .find(|i| named.contains(i))
    }

    /// The one list whose news alias the phrase is, or the one list the article names.
    fn resolve_by_lists(&self, phrase: &str, named: &[usize]) -> Option<usize> {
        let news = self.news_candidates(phrase);
        if news.len() == 1 {
            return news.first().copied();
        }
        let mut distinct: Vec<usize> = named.to_vec();
        distinct.sort_unstable();
        distinct.dedup();
        (distinct.len() == 1).then(|| distinct[0])
    }

    fn news_candidates(&self, phrase: &str) -> Vec<usize> {
        let norm = normalize(phrase);
        let mut found: Vec<usize> = self
            .news_index
            .iter()
            .filter(|(alias, _)| norm.ends_with(alias.as_str()))
            .flat_map(|(_, v)| v.iter().copied())
            .collect();
        found.sort_unstable();
        found.dedup();
        found
    }

    fn push_mention(
        &self,
        out: &mut Vec<ListRef>,
        id: &str,
        phrase: &str,
        span: Span,
        rule: String,
    ) {
        let mention = Mention {
            span,
            text: phrase.to_string(),
            rule,
        };
        if let Some(existing) = out.iter_mut().find(|l| l.id == id) {
            existing.mentions.push(mention);
            return;
        }
        let (name, authority) = match self.defs.iter().find(|d| d.id == id) {
            Some(d) => (d.name.clone(), d.authority.clone()),
            None => (
                phrase.to_string(),
                self.authority_in(phrase).unwrap_or_default(),
            ),
        };
        out.push(ListRef {
            id: id.to_string(),
            name,
            authority,
            mentions: vec![mention],
        });
    }

    /// The canonical authority whose alias appears in `phrase`, if any.
    fn authority_in(&self, phrase: &str) -> Option<String> {
        self.defs
            .iter()
            .find(|d| d.authority_aliases.iter().any(|a| contains_word(phrase, a)))
            .map(|d| d.authority.clone())
    }
}

fn compile_patterns(source: &RuleSource, defs: Vec<PatternDef>) -> Result<Vec<Pattern>, RuleError> {
    defs.into_iter()
        .map(|d| {
            let at = source.offset_of_id(&d.id);
            let regex = crate::rules::regex(&d.pattern)
                .map_err(|e| source.error_at(at, format!("rule {}: {e}", d.id)))?;
            Ok(Pattern {
                id: d.id,
                regex,
                place: source.place(at),
                examples: d.examples,
            })
        })
        .collect()
}

fn index_aliases(
    defs: &[ListDef],
    field: impl Fn(&ListDef) -> &Vec<String>,
) -> HashMap<String, Vec<usize>> {
    let mut index: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, d) in defs.iter().enumerate() {
        for alias in field(d) {
            let entry = index.entry(normalize(alias)).or_default();
            if !entry.contains(&i) {
                entry.push(i);
            }
        }
    }
    index
}

/// One regex matching every alias: words joined by any run of white space
/// or quotation marks, case-insensitive unless the alias has no lower-case
/// letter (acronyms), longest alternatives first.
fn alias_regex<'a>(aliases: impl Iterator<Item = &'a str>) -> Result<Regex, regex::Error> {
    let mut aliases: Vec<&str> = aliases.collect();
    aliases.sort_by_key(|a| (std::cmp::Reverse(a.len()), *a));
    let parts: Vec<String> = aliases.iter().map(|a| alias_pattern(a)).collect();
    crate::rules::regex(&format!(r"\b(?:{})", parts.join("|")))
}

fn alias_pattern(alias: &str) -> String {
    let words: Vec<String> = alias
        .split_whitespace()
        .map(|w| regex::escape(w).replace('\'', "['’]"))
        .collect();
    let body = words.join(r#"[\s"“”‘’']+"#);
    let tail = if alias.ends_with(|c: char| c.is_alphanumeric()) {
        r"\b"
    } else {
        ""
    };
    if alias.chars().any(char::is_lowercase) {
        format!("(?i:{body}){tail}")
    } else {
        format!("(?:{body}){tail}")
    }
}

/// Lower case, quotation marks dropped, apostrophes unified, white space collapsed.
fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split(|c: char| c.is_whitespace() || matches!(c, '"' | '“' | '”' | '‘')) {
        if word.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(
            word.chars()
                .map(|c| if c == '’' { '\'' } else { c })
                .flat_map(char::to_lowercase),
        );
    }
    out
}

fn generic_id(phrase: &str) -> String {
    const DROP: &[&str] = &["the", "a", "an", "its", "this", "that"];
    let words: Vec<String> = normalize(phrase)
        .split(' ')
        .filter(|w| !DROP.contains(w))
        .map(|w| w.chars().filter(|c| c.is_alphanumeric()).collect())
        .filter(|w: &String| !w.is_empty())
        .collect();
    format!("generic:{}", words.join("-"))
}

fn contains_word(haystack: &str, word: &str) -> bool {
    haystack.match_indices(word).any(|(i, _)| {
        let before = haystack[..i].chars().next_back();
        let after = haystack[i + word.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

fn offset(sentence: Span, start: usize, end: usize) -> Span {
    Span::new(sentence.start + start, sentence.start + end)
}

/// Keeps the first (longest at its start) of overlapping hits.
fn drop_overlaps(hits: &mut Vec<Hit>) {
    let mut kept: Vec<Hit> = Vec::with_capacity(hits.len());
    for h in hits.drain(..) {
        if kept.last().is_none_or(|k| k.span.end <= h.span.start) {
            kept.push(h);
        }
    }
    *hits = kept;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::segment::segment;

    fn lists_of(text: &str) -> Vec<(String, Vec<String>)> {
        let matcher = ListMatcher::new(&RuleFiles::builtin()).unwrap();
        let seg = segment(text, &[]);
        let doc = Doc::new(text, &seg, None);
        matcher
            .extract(&doc)
            .into_iter()
            .map(|l| (l.id, l.mentions.into_iter().map(|m| m.text).collect()))
            .collect()
    }

    #[test]
    fn every_list_example_finds_its_list() {
        ListMatcher::new(&RuleFiles::builtin())
            .unwrap()
            .run_examples()
            .assert_ok("lists.toml");
    }

    #[test]
    fn a_user_list_with_a_builtin_id_overrides_it() {
        let dir = tempfile::tempdir().unwrap();
        let text = "[[list]]\nid = \"us-bis-el\"\nname = \"Renamed\"\nauthority = \"X\"\naliases = [\"Zeta Roster\"]\n";
        std::fs::write(dir.path().join("lists.toml"), text).unwrap();
        let matcher = ListMatcher::new(&RuleFiles::with_dir(dir.path())).unwrap();
        let defs: Vec<&ListDef> = matcher
            .definitions()
            .iter()
            .filter(|d| d.id == "us-bis-el")
            .collect();
        assert_eq!(defs.len(), 1);
        assert_eq!(defs[0].name, "Renamed");
        assert_eq!(
            matcher.list_ids("It joined the Zeta Roster."),
            ["us-bis-el"]
        );
        assert!(matcher.list_ids("It joined the Entity List.").is_empty());
    }

    #[test]
    fn generic_mentions_resolve_to_the_named_list() {
        let text = "The Pentagon added Xiaomi to its Section 1260H list. Xiaomi said the blacklist was wrong. \
                    It asked to be removed from the list.";
        assert_eq!(
            lists_of(text),
            vec![(
                "us-dod-1260h".to_string(),
                vec![
                    "Section 1260H list".into(),
                    "the blacklist".into(),
                    "the list".into()
                ]
            )]
        );
    }

    #[test]
    fn quoted_names_and_unresolvable_generics() {
        let text = "The “Communist Chinese Military Companies” list is maintained by the DoD.";
        assert_eq!(lists_of(text)[0].0, "us-dod-1237");
        assert_eq!(
            lists_of("It was put on a military blocklist.")[0].0,
            "generic:military-blocklist"
        );
        assert_eq!(
            lists_of("Unlike a trade blacklist, it bites.")[0].0,
            "us-bis-el"
        );
        assert!(lists_of("He read the list of names.").is_empty());
    }
}
