//! Quote rules as data: `quotes.toml` (macros and regex rules with
//! examples) and `speech_verbs.tsv` (cue verb forms), compiled once.
//!
//! Takes the rule sources; gives a [`RuleSet`] of compiled regexes grouped
//! by context. Validation errors name the file and line. It does not apply
//! the rules (see the parent module).

use crate::error::RuleError;
use crate::record::QuoteKind;
use crate::rules::Regex;
use crate::rules::{self, catalog, expand, Expansion, Merged, RuleFiles, RuleSource};
use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Range;
use std::sync::Arc;

/// An ASCII word boundary. Cue words are ASCII, and the fast (DFA) regex
/// engines cannot handle a Unicode `\b` on non-ASCII text such as curly
/// quotes: they would fall back to a much slower one.
const WORD_BOUNDARY: &str = r"(?-u:\b)";

/// The macro made from `[clause_start]` (see [`ClauseStarts`]).
const CLAUSE_START_MACRO: &str = "CLAUSESTART";

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

/// One example a rule must reproduce (run by `newsx rules test`).
#[derive(Clone, Debug, Deserialize)]
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
    /// The whole pattern, searched unanchored in the rule's context.
    #[serde(default)]
    pattern: Option<String>,
    /// Cue-anchored rules give, instead of `pattern`, the cue frames that
    /// anchor them and the patterns for the text before the cue (`left`,
    /// anchored at its end) and after it (`right`, anchored at its start).
    #[serde(default)]
    cues: Vec<Frame>,
    #[serde(default)]
    left: Option<String>,
    #[serde(default)]
    right: Option<String>,
    /// A cheap pattern any text the rule matches must contain: text
    /// without it skips the costly pattern.
    #[serde(default)]
    requires: Option<String>,
    /// Cue-anchored rules: a cheap pattern the text before the cue must
    /// end with (a necessary condition of `left`): a cue without it skips
    /// both costly patterns.
    #[serde(default)]
    left_requires: Option<String>,
    /// What the rule's content must not open with ("called on members
    /// to ..."): a hit whose content matches it, anchored at its start,
    /// is no hit.
    #[serde(default)]
    reject: Option<String>,
    /// Cue words that do not anchor the rule (the whole word must match):
    /// a cue-anchored rule whose speaker may be any noun phrase can keep
    /// out verbs of evidence ("The figures ... show ...") and participles.
    #[serde(default)]
    reject_cue: Option<String>,
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
    #[serde(default)]
    comments: CommentConfig,
    #[serde(default)]
    clause_start: ClauseStarts,
    #[serde(default)]
    cue_words: CueWordConfig,
}

/// When a cue verb form is a noun (`[cue_words]` of `quotes.toml`).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct CueWordConfig {
    /// Words after which a cue form is a noun ("the show", "their say").
    #[serde(default)]
    noun_after: Vec<String>,
}

/// Where a clause, and so a speaker, may start (`[clause_start]` of
/// `quotes.toml`): the start of the text, optionally after an opening
/// conjunction ("But"), a punctuation mark and the space after it, or a
/// conjunction and the space after it. They make the `{CLAUSESTART}`
/// macro, and let a rule whose `left` opens with it be checked forward
/// from each start ([`Left::AtClauseStart`]).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClauseStarts {
    #[serde(default)]
    openers: Vec<String>,
    #[serde(default)]
    punctuation: Vec<char>,
    #[serde(default)]
    conjunctions: Vec<String>,
}

/// One clause start in a text: the macro's match from `start` to `speaker`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct ClauseStart {
    start: usize,
    speaker: usize,
}

impl ClauseStarts {
    fn extend(&mut self, other: ClauseStarts) {
        self.openers.extend(other.openers);
        self.punctuation.extend(other.punctuation);
        self.conjunctions.extend(other.conjunctions);
    }

    /// The `{CLAUSESTART}` macro: its three branches in this order.
    fn pattern(&self) -> String {
        let words = |list: &[String]| {
            list.iter()
                .map(|w| regex::escape(w))
                .collect::<Vec<_>>()
                .join("|")
        };
        let mut branches = vec![format!(r"^(?:(?:{})\s+)?", words(&self.openers))];
        if !self.punctuation.is_empty() {
            let marks: String = self
                .punctuation
                .iter()
                .map(|c| regex::escape(&c.to_string()))
                .collect();
            branches.push(format!(r"[{marks}]\s*"));
        }
        if !self.conjunctions.is_empty() {
            branches.push(format!(
                r"{WORD_BOUNDARY}(?:{})\s+",
                words(&self.conjunctions)
            ));
        }
        branches.join("|")
    }

    /// Every match of [`ClauseStarts::pattern`] in `s` that a speaker can
    /// follow (one that ends before a word: no speaker opens with space),
    /// ordered as a leftmost-first search prefers them: by start, then by
    /// branch (an opener, then none, at the text start).
    fn find(&self, s: &str, out: &mut Vec<ClauseStart>) {
        out.clear();
        for opener in &self.openers {
            if let Some(speaker) = after_word_and_space(s, 0, opener) {
                out.push(ClauseStart { start: 0, speaker });
            }
        }
        out.push(ClauseStart {
            start: 0,
            speaker: 0,
        });
        let bytes = s.as_bytes();
        // The first bytes of the conjunctions: a word opening with another
        // byte is none of them (an empty conjunction may open anywhere).
        let mut opens = [false; 256];
        for w in &self.conjunctions {
            match w.as_bytes().first() {
                Some(&b) => opens[usize::from(b)] = true,
                None => opens = [true; 256],
            }
        }
        for (i, c) in s.char_indices() {
            if self.punctuation.contains(&c) {
                let speaker = skip_space(s, i + c.len_utf8());
                out.push(ClauseStart { start: i, speaker });
            } else if opens[usize::from(bytes[i])] && (i == 0 || !is_word_byte(bytes[i - 1])) {
                let conjunction = self
                    .conjunctions
                    .iter()
                    .find_map(|w| after_word_and_space(s, i, w));
                if let Some(speaker) = conjunction {
                    out.push(ClauseStart { start: i, speaker });
                }
            }
        }
    }
}

/// Where the space after `word` at `at` in `s` ends, if `word` is there
/// and one or more white space characters follow it.
fn after_word_and_space(s: &str, at: usize, word: &str) -> Option<usize> {
    let end = at + word.len();
    let rest = s.get(at..)?;
    (rest.starts_with(word) && s[end..].starts_with(char::is_whitespace))
        .then(|| skip_space(s, end))
}

/// The first byte at or after `at` that is not white space.
fn skip_space(s: &str, at: usize) -> usize {
    let rest = &s[at..];
    at + (rest.len() - rest.trim_start().len())
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct CommentConfig {
    #[serde(default)]
    headings: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ContentConfig {
    #[serde(default)]
    reject: Vec<String>,
    #[serde(default)]
    cut: Vec<String>,
    #[serde(default)]
    cut_after_clause: Vec<String>,
    #[serde(default)]
    cut_before_cue: Vec<String>,
    #[serde(default)]
    gap_words: Vec<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct SpeakerConfig {
    #[serde(default)]
    strip_leading: Vec<String>,
    #[serde(default)]
    strip_trailing: Vec<String>,
    #[serde(default)]
    reject: Vec<String>,
    #[serde(default)]
    occasions: Vec<String>,
    #[serde(default)]
    titles: Vec<String>,
}

/// How a compiled rule matches. Rules with the same pattern share one
/// regex, and so its match caches: a clone of a regex would start with
/// empty caches of its own and build the same automaton states again.
#[derive(Debug)]
pub enum Matcher {
    /// One pattern searched over the whole context.
    Whole(Arc<Regex>),
    /// Patterns checked around each cue word of the given frames: `left`
    /// must end where the cue starts, `right` must start where it ends.
    /// `right_groups` is false when `right` has neither a `speaker` nor a
    /// `content` group: its match alone is all a hit takes from it.
    Anchored {
        frames: Vec<Frame>,
        left: Left,
        right: Arc<Regex>,
        right_groups: bool,
    },
}

/// How the `left` pattern of a cue-anchored rule is checked.
#[derive(Debug)]
pub enum Left {
    /// Searched over all the text before the cue, anchored at its end
    /// (the regex engine searches it backwards from the cue).
    Reverse(Arc<Regex>),
    /// A `left` that opens with `{CLAUSESTART}`: the rest of it, anchored
    /// at both ends, is checked forward from each clause start before the
    /// cue, leftmost first. Same matches and groups as [`Left::Reverse`]
    /// of the whole pattern, at a fraction of the cost: searched
    /// backwards, the clause starts and the speaker patterns keep so many
    /// partial matches alive together that building the automaton's states
    /// cost more than all the rest of the quote stage.
    AtClauseStart {
        rest: Arc<Regex>,
        starts: Arc<ClauseStarts>,
    },
}

/// The named groups of a `left` match, as ranges of the text before the cue.
struct LeftCaptures<'h> {
    caps: crate::rules::Captures<'h>,
    shift: usize,
}

impl LeftCaptures<'_> {
    fn group(&self, name: &str) -> Option<Range<usize>> {
        self.caps
            .name(name)
            .map(|m| m.start() + self.shift..m.end() + self.shift)
    }
}

impl Left {
    /// The groups of the match ending at the end of `before`, if any.
    fn captures<'h>(&self, before: &'h str) -> Option<LeftCaptures<'h>> {
        match self {
            Left::Reverse(regex) => Some(LeftCaptures {
                caps: regex.captures(before)?,
                shift: 0,
            }),
            Left::AtClauseStart { rest, starts } => {
                let mut found = Vec::new();
                starts.find(before, &mut found);
                found.iter().find_map(|start| {
                    let at = start.speaker;
                    let caps = rest.captures(&before[at..])?;
                    Some(LeftCaptures { caps, shift: at })
                })
            }
        }
    }

    fn capture_names(&self) -> impl Iterator<Item = Option<&str>> + '_ {
        match self {
            Left::Reverse(regex) => regex.capture_names(),
            Left::AtClauseStart { rest, .. } => rest.capture_names(),
        }
    }
}

/// A compiled rule.
#[derive(Debug)]
pub struct Rule {
    pub id: String,
    pub context: Context,
    pub matcher: Matcher,
    /// Necessary condition checked before `regex` (see `RawRule::requires`).
    pub requires: Option<Arc<Regex>>,
    /// Necessary condition of `left`, anchored at the cue (see
    /// `RawRule::left_requires`).
    pub left_requires: Option<Arc<Regex>>,
    /// Content openings that void a hit (see `RawRule::reject`).
    pub reject: Option<Arc<Regex>>,
    /// Cue words that do not anchor the rule (see `RawRule::reject_cue`).
    pub reject_cue: Option<Arc<Regex>>,
    pub examples: Vec<Example>,
    /// "file:line" of the rule.
    pub place: String,
}

/// What a rule found in a text, as byte ranges into it.
#[derive(Clone, Debug)]
pub struct Hit {
    pub speaker: Range<usize>,
    pub cue: Range<usize>,
    pub content: Option<Range<usize>>,
}

impl Rule {
    /// The rule's groups in `s`, if it matches; the cheap `requires`
    /// check runs first. `cues` are the cue words of `s` (see
    /// [`CueFinder`]), tried left to right by anchored rules. `shared`
    /// holds what the rules run before on the same `s` and `cues` found
    /// with the regexes this rule shares with them.
    pub fn find(&self, s: &str, cues: &[CueWord], shared: &mut Shared) -> Option<Hit> {
        // An anchored rule without a cue word of its frames finds nothing:
        // its `requires` need not be searched.
        if let Matcher::Anchored { frames, .. } = &self.matcher {
            if !cues.iter().any(|c| frames.iter().any(|&f| c.has(f))) {
                return None;
            }
        }
        if let Some(requires) = &self.requires {
            if !shared.requires(requires, s) {
                return None;
            }
        }
        match &self.matcher {
            Matcher::Whole(regex) => {
                let caps = regex.captures(s)?;
                let hit = Hit {
                    speaker: caps.name("speaker")?.range(),
                    cue: caps.name("cue")?.range(),
                    content: caps.name("content").map(|m| m.range()),
                };
                (!self.rejects(s, &hit)).then_some(hit)
            }
            Matcher::Anchored {
                frames,
                left,
                right,
                right_groups,
            } => cues
                .iter()
                .filter(|c| frames.iter().any(|&f| c.has(f)))
                .filter(|c| {
                    self.reject_cue
                        .as_ref()
                        .is_none_or(|r| !r.is_match(&s[c.span.clone()]))
                })
                .filter(|c| {
                    self.left_requires
                        .as_ref()
                        .is_none_or(|r| r.is_match(&s[..c.span.start]))
                })
                .filter_map(|c| {
                    let right = Right {
                        regex: right,
                        groups: *right_groups,
                    };
                    anchored_hit(s, c.span.clone(), left, right, shared)
                })
                .find(|hit| !self.rejects(s, hit)),
        }
    }

    /// True when `hit`'s content opens the way the rule's `reject` says
    /// no content of this rule does.
    fn rejects(&self, s: &str, hit: &Hit) -> bool {
        match (&self.reject, &hit.content) {
            (Some(reject), Some(content)) => reject.is_match(&s[content.clone()]),
            _ => false,
        }
    }
}

/// The `right` pattern of a cue-anchored rule.
#[derive(Clone, Copy)]
struct Right<'r> {
    regex: &'r Arc<Regex>,
    /// See [`Matcher::Anchored`].
    groups: bool,
}

/// What `right` gives a hit: its groups, shifted to ranges of the text.
#[derive(Clone, Debug)]
struct RightGroups {
    speaker: Option<Range<usize>>,
    content: Option<Range<usize>>,
}

/// What is known of a `right` pattern after one cue.
#[derive(Clone, Debug)]
enum RightAnswer {
    NoMatch,
    /// It matches; its groups are not searched yet.
    Matches,
    Groups(RightGroups),
}

/// The answers of the regexes that rules share (rules with the same
/// pattern share one compiled regex), for one text and its cue words:
/// `requires` on the text, `right` after each cue. Several rules take
/// their content the same way after the same cue ("said that ..."): the
/// second asks the first's answer instead of searching the text again.
#[derive(Default)]
pub struct Shared {
    requires: Vec<(*const Regex, bool)>,
    /// (regex, cue end, answer).
    right: Vec<(*const Regex, usize, RightAnswer)>,
}

impl Shared {
    /// Whether `regex` matches somewhere in `s` (the text of this `Shared`).
    fn requires(&mut self, regex: &Arc<Regex>, s: &str) -> bool {
        let key = Arc::as_ptr(regex);
        if let Some(&(_, known)) = self.requires.iter().find(|(k, _)| *k == key) {
            return known;
        }
        let found = regex.is_match(s);
        self.requires.push((key, found));
        found
    }

    fn right(&self, regex: &Arc<Regex>, cue_end: usize) -> Option<&RightAnswer> {
        let key = Arc::as_ptr(regex);
        self.right
            .iter()
            .find(|(k, at, _)| *k == key && *at == cue_end)
            .map(|(_, _, answer)| answer)
    }

    fn set_right(&mut self, regex: &Arc<Regex>, cue_end: usize, answer: RightAnswer) {
        let key = Arc::as_ptr(regex);
        match self
            .right
            .iter_mut()
            .find(|(k, at, _)| *k == key && *at == cue_end)
        {
            Some(entry) => entry.2 = answer,
            None => self.right.push((key, cue_end, answer)),
        }
    }
}

/// The groups of `left` (ending at the cue) and `right` (starting after
/// it), if both match. `right` is checked first, without groups: it is
/// the cheaper check, and most cues fail on `left`. The groups of `left`
/// are searched without such a check: a search for groups that fails
/// costs no more than the check (the regex engine finds the match with
/// its fast automata first, then runs its slower group-finding engine on
/// the match alone), and one that succeeds would repeat it. What `right`
/// gives after a cue is kept in `shared` for the rules that share it.
fn anchored_hit(
    s: &str,
    cue: Range<usize>,
    left: &Left,
    right: Right,
    shared: &mut Shared,
) -> Option<Hit> {
    let (before, after) = (&s[..cue.start], &s[cue.end..]);
    let known = shared.right(right.regex, cue.end).cloned();
    let matches = match &known {
        Some(RightAnswer::NoMatch) => false,
        Some(_) => true,
        None => {
            let found = right.regex.is_match(after);
            let answer = if found {
                RightAnswer::Matches
            } else {
                RightAnswer::NoMatch
            };
            shared.set_right(right.regex, cue.end, answer);
            found
        }
    };
    if !matches {
        return None;
    }
    let left_caps = left.captures(before)?;
    let right_groups = match known {
        Some(RightAnswer::Groups(groups)) => groups,
        _ => {
            let groups = if right.groups {
                let shift = cue.end;
                let caps = right.regex.captures(after);
                caps.map(|caps| {
                    let group =
                        |name: &str| caps.name(name).map(|m| m.start() + shift..m.end() + shift);
                    RightGroups {
                        speaker: group("speaker"),
                        content: group("content"),
                    }
                })
            } else {
                Some(RightGroups {
                    speaker: None,
                    content: None,
                })
            };
            let answer = groups
                .clone()
                .map_or(RightAnswer::NoMatch, RightAnswer::Groups);
            shared.set_right(right.regex, cue.end, answer);
            groups?
        }
    };
    let left_group = |name: &str| left_caps.group(name);
    // Content on both sides spans the cue: an attribution interrupting
    // the reported clause ("The test, he said, was a success").
    let content = match (left_group("content"), right_groups.content) {
        (Some(l), Some(r)) => Some(l.start..r.end),
        (l, r) => l.or(r),
    };
    Some(Hit {
        speaker: left_group("speaker").or(right_groups.speaker)?,
        cue,
        content,
    })
}

/// A cue word found in a text: its byte range and frames.
#[derive(Clone, Debug)]
pub struct CueWord {
    pub span: Range<usize>,
    frames: u8,
}

impl CueWord {
    pub fn has(&self, frame: Frame) -> bool {
        self.frames & frame.bit() != 0
    }
}

/// Finds every cue verb form of `speech_verbs.tsv` in one pass
/// (lower case or capitalized, whole words, longest form first).
#[derive(Debug)]
pub struct CueFinder {
    automaton: AhoCorasick,
    /// The frames (bits of [`Frame::bit`]) of each pattern.
    frames: Vec<u8>,
    /// The frames of each one-word form, lower case, for verbs found by
    /// the clause analysis.
    words: HashMap<String, u8>,
    /// Words after which a cue form is a noun, lower case.
    noun_after: BTreeSet<String>,
}

impl CueFinder {
    fn new(verbs: &Verbs, noun_after: BTreeSet<String>) -> Result<Self, String> {
        let mut forms: BTreeMap<String, u8> = BTreeMap::new();
        let mut words: HashMap<String, u8> = HashMap::new();
        for (frame, form) in &verbs.forms {
            if !form.contains(' ') {
                *words.entry(form.clone()).or_insert(0) |= frame.bit();
            }
            // `pledge` and `think` cues are read on clause frames only:
            // they anchor no text rule and cut no content.
            if matches!(frame, Frame::Pledge | Frame::Think) {
                continue;
            }
            for variant in [form.clone(), capitalize(form)] {
                *forms.entry(variant).or_insert(0) |= frame.bit();
            }
        }
        let (patterns, frames): (Vec<String>, Vec<u8>) = forms.into_iter().unzip();
        // A full DFA: it runs over every content sentence several times,
        // and its few hundred short forms keep it small. The kind of
        // automaton changes only the speed, never the matches.
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .kind(Some(AhoCorasickKind::DFA))
            .build(&patterns)
            .map_err(|e| format!("cue automaton: {e}"))?;
        Ok(CueFinder {
            automaton,
            frames,
            words,
            noun_after,
        })
    }

    /// The frames of a one-word cue verb form (any case), 0 for other words.
    pub fn word_frames(&self, word: &str) -> u8 {
        if word.bytes().any(|b| b.is_ascii_uppercase()) {
            return self
                .words
                .get(&word.to_ascii_lowercase())
                .copied()
                .unwrap_or(0);
        }
        self.words.get(word).copied().unwrap_or(0)
    }

    /// The cue words of `s`, in order. Multi-word forms match with any
    /// single space between words only (as written in the lexicon).
    /// A form is no verb right after a `noun_after` word ("the show"),
    /// nor when capitalised between a capitalised and a lower-case word:
    /// it is part of a name ("Total Recall and", "Edward Said said"), where
    /// a title-case headline goes on capitalised ("Graham Says Trump").
    pub fn find(&self, s: &str, out: &mut Vec<CueWord>) {
        out.clear();
        let bytes = s.as_bytes();
        for m in self.automaton.find_iter(s) {
            let before_ok = m.start() == 0 || !is_word_byte(bytes[m.start() - 1]);
            let after_ok = m.end() == bytes.len() || !is_word_byte(bytes[m.end()]);
            if before_ok && after_ok && !self.is_noun(s, m.start(), m.end()) {
                out.push(CueWord {
                    span: m.range(),
                    frames: self.frames[m.pattern().as_usize()],
                });
            }
        }
    }
}

impl CueFinder {
    /// True when the cue form `at..end` of `s` is a noun: the word before
    /// it (one space between) is a `noun_after` word, or both are
    /// capitalised and a lower-case word follows.
    fn is_noun(&self, s: &str, at: usize, end: usize) -> bool {
        let Some(head) = s[..at].strip_suffix(' ') else {
            return false;
        };
        let start = head
            .rfind(|c: char| !(c.is_alphanumeric() || c == '.' || c == '-'))
            .map_or(0, |i| {
                i + head[i..].chars().next().map_or(1, char::len_utf8)
            });
        let word = &head[start..];
        if word.is_empty() {
            return false;
        }
        let capital = |w: &str| w.chars().next().is_some_and(char::is_uppercase);
        let lower_next = s[end..]
            .strip_prefix(' ')
            .and_then(|rest| rest.chars().next())
            .is_some_and(char::is_lowercase);
        if capital(&s[at..]) && capital(word) && lower_next {
            return true;
        }
        if word.bytes().any(|b| b.is_ascii_uppercase()) {
            return self.noun_after.contains(&word.to_ascii_lowercase());
        }
        self.noun_after.contains(word)
    }
}

/// A byte that continues an ASCII word (the cue words are ASCII).
fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// All quote rules, compiled.
#[derive(Debug)]
pub struct RuleSet {
    pub rules: Vec<Rule>,
    /// Words stripped from the start of a speaker match ("But", "In").
    pub strip_leading: BTreeSet<String>,
    /// Words stripped from the end of a speaker match ("and", "to").
    pub strip_trailing: BTreeSet<String>,
    /// Whole speakers that are no speakers: the discourse marker "That
    /// said", lower-cased.
    pub reject_speaker: BTreeSet<String>,
    /// Nouns naming an occasion ("interview", "meeting"): a name right
    /// after one in a speaker match starts the speaker ("a Bloomberg
    /// interview Trump" is Trump).
    pub occasions: BTreeSet<String>,
    /// Personal titles ("Mr", "Dr"): one after a capitalised word of an
    /// opening phrase starts the speaker ("... in California Mr Torvalds").
    pub titles: BTreeSet<String>,
    /// Headings that open a block of reader comments, lower-cased.
    pub comment_headings: BTreeSet<String>,
    /// Reported clauses that are not speech (prepositional phrases, appositives).
    pub reject_content: Vec<Regex>,
    /// Where reported content ends early (participle adjuncts).
    pub cut_content: Vec<Regex>,
    /// Where reported content ends early once what comes before holds a
    /// verb (relative clauses, which may also hang on a noun of the
    /// clause's opening phrase).
    pub cut_after_clause: Vec<Regex>,
    /// What ends reported content right before a cue word ("... and
    /// said"), each anchored at the cue (see [`RuleSet::cue_cuts`]).
    pub cut_before_cue: Vec<Regex>,
    /// Words that may stand between a cue verb and its reported clause
    /// on a clause frame ("said Friday that"), lower-cased.
    pub gap_words: BTreeSet<String>,
    /// Finds the cue words that anchor cue-anchored rules.
    pub cues: CueFinder,
}

impl RuleSet {
    pub fn load(files: &RuleFiles) -> Result<Self, RuleError> {
        let verbs = load_verbs(&files.load(&catalog::SPEECH_VERBS)?)?;
        let mut macros = BTreeMap::new();
        macros.insert("CUE".to_string(), verbs.alternation(Frame::Say));
        macros.insert("TELL".to_string(), verbs.alternation(Frame::Tell));
        let mut raw_rules = Merged::default();
        let mut strip_leading = BTreeSet::new();
        let mut strip_trailing = BTreeSet::new();
        let mut reject_speaker = BTreeSet::new();
        let mut occasions = BTreeSet::new();
        let mut titles = BTreeSet::new();
        let mut comment_headings = BTreeSet::new();
        let mut reject_sources = Vec::new();
        let mut cut_sources = Vec::new();
        let mut clause_cut_sources = Vec::new();
        let mut cue_cut_sources = Vec::new();
        let mut gap_words = BTreeSet::new();
        let mut noun_after = BTreeSet::new();
        let mut clause_starts = ClauseStarts::default();
        let sources = files.load(&catalog::QUOTES)?;
        for (n, source) in sources.iter().enumerate() {
            let file: RawFile = source.parse_toml()?;
            macros.extend(file.macros);
            clause_starts.extend(file.clause_start);
            strip_leading.extend(file.speaker.strip_leading);
            strip_trailing.extend(file.speaker.strip_trailing);
            reject_speaker.extend(file.speaker.reject.iter().map(|w| w.to_lowercase()));
            occasions.extend(file.speaker.occasions);
            titles.extend(file.speaker.titles);
            comment_headings.extend(file.comments.headings.iter().map(|h| h.to_lowercase()));
            gap_words.extend(file.content.gap_words.iter().map(|w| w.to_lowercase()));
            noun_after.extend(file.cue_words.noun_after.iter().map(|w| w.to_lowercase()));
            for pattern in file.content.reject {
                reject_sources.push((source, "reject", pattern));
            }
            for pattern in file.content.cut {
                cut_sources.push((source, "cut", pattern));
            }
            for pattern in file.content.cut_after_clause {
                clause_cut_sources.push((source, "cut_after_clause", pattern));
            }
            for pattern in file.content.cut_before_cue {
                cue_cut_sources.push((source, "cut_before_cue", format!("(?:{pattern})$")));
            }
            for rule in file.rule {
                raw_rules.add(source, n, &rule.id.clone(), (source, rule))?;
            }
        }
        // A user file's own macro of that name wins, and is then searched
        // as any other `left`.
        let starts_made = !macros.contains_key(CLAUSE_START_MACRO);
        if starts_made {
            macros.insert(CLAUSE_START_MACRO.to_string(), clause_starts.pattern());
        }
        let clause_starts = Arc::new(clause_starts);
        let mut rules = Vec::new();
        // Rules share patterns (a `tell` rule and its `say` twin): each
        // distinct pattern is compiled once, compiling being most of start-up.
        let mut compiled: HashMap<String, Arc<Regex>> = HashMap::new();
        for (source, raw) in raw_rules.into_vec() {
            let at = source.offset_of_id(&raw.id);
            let fail = |msg: String| source.error_at(at, msg);
            let mut compile = |pattern: &str, what: &str| {
                let expanded = expand_macros(pattern, &macros)?;
                if let Some(regex) = compiled.get(&expanded) {
                    return Ok(Arc::clone(regex));
                }
                let regex = Arc::new(
                    rules::regex(&expanded)
                        .map_err(|e| format!("rule {:?}: bad {what}: {e}", raw.id))?,
                );
                compiled.insert(expanded, Arc::clone(&regex));
                Ok::<Arc<Regex>, String>(regex)
            };
            let mut matcher = match (&raw.pattern, &raw.left, &raw.right) {
                (Some(pattern), None, None) if raw.cues.is_empty() => {
                    Matcher::Whole(compile(pattern, "pattern").map_err(fail)?)
                }
                (None, Some(left), Some(right)) if !raw.cues.is_empty() => Matcher::Anchored {
                    frames: raw.cues.clone(),
                    left: match left
                        .strip_prefix(&format!("{{{CLAUSE_START_MACRO}}}"))
                        .filter(|_| starts_made)
                    {
                        Some(rest) => Left::AtClauseStart {
                            rest: compile(&format!("^(?:{rest})$"), "left").map_err(fail)?,
                            starts: Arc::clone(&clause_starts),
                        },
                        None => {
                            Left::Reverse(compile(&format!("(?:{left})$"), "left").map_err(fail)?)
                        }
                    },
                    right_groups: false,
                    right: compile(&format!("^(?:{right})"), "right").map_err(fail)?,
                },
                _ => {
                    return Err(fail(format!(
                        "rule {:?}: give either `pattern`, or `cues`, `left` and `right`",
                        raw.id
                    )))
                }
            };
            check_groups(&raw, &matcher).map_err(fail)?;
            if let Matcher::Anchored {
                right,
                right_groups,
                ..
            } = &mut matcher
            {
                *right_groups = right
                    .capture_names()
                    .flatten()
                    .any(|name| ["speaker", "content"].contains(&name));
            }
            let requires = match &raw.requires {
                Some(pattern) => Some(compile(pattern, "requires").map_err(fail)?),
                None => None,
            };
            let left_requires = match (&raw.left_requires, &matcher) {
                (Some(pattern), Matcher::Anchored { .. }) => {
                    Some(compile(&format!("(?:{pattern})$"), "left_requires").map_err(fail)?)
                }
                (Some(_), Matcher::Whole(_)) => {
                    return Err(fail(format!(
                        "rule {:?}: `left_requires` needs a cue-anchored rule",
                        raw.id
                    )))
                }
                (None, _) => None,
            };
            let reject = match &raw.reject {
                Some(pattern) => Some(compile(&format!("^(?:{pattern})"), "reject").map_err(fail)?),
                None => None,
            };
            let reject_cue = match &raw.reject_cue {
                Some(pattern) => {
                    Some(compile(&format!("^(?:{pattern})$"), "reject_cue").map_err(fail)?)
                }
                None => None,
            };
            rules.push(Rule {
                id: raw.id,
                context: raw.context,
                matcher,
                requires,
                left_requires,
                reject,
                reject_cue,
                examples: raw.examples,
                place: source.place(at),
            });
        }
        let reject_content = compile_all(reject_sources, &macros)?;
        let cut_content = compile_all(cut_sources, &macros)?;
        let cut_after_clause = compile_all(clause_cut_sources, &macros)?;
        let cut_before_cue = compile_all(cue_cut_sources, &macros)?;
        let cues = CueFinder::new(&verbs, noun_after)
            .map_err(|e| RuleError::invalid(catalog::SPEECH_VERBS.name, 1, e))?;
        Ok(RuleSet {
            rules,
            strip_leading,
            strip_trailing,
            reject_speaker,
            occasions,
            titles,
            comment_headings,
            reject_content,
            cut_content,
            cut_after_clause,
            cut_before_cue,
            gap_words,
            cues,
        })
    }

    /// True when a rule may match text `s` whose cue words are `cues`:
    /// it holds a cue word, "according to", a colon or a dash (the
    /// anchors of every rule). Text without one skips the rules.
    pub fn may_match(s: &str, cues: &[CueWord]) -> bool {
        !cues.is_empty() || s.contains([':', '―', '—', '–']) || s.contains("ccording")
    }

    /// Where `cut_before_cue` ends content `s` whose cue words are
    /// `cues`: the start of each match ending at a cue word that is
    /// followed by white space.
    pub fn cue_cuts<'s>(
        &'s self,
        s: &'s str,
        cues: &'s [CueWord],
    ) -> impl Iterator<Item = usize> + 's {
        cues.iter()
            .filter(|c| s[c.span.end..].starts_with(char::is_whitespace))
            .flat_map(move |c| {
                let before = &s[..c.span.start];
                self.cut_before_cue
                    .iter()
                    .filter_map(move |r| r.find(before).map(|m| m.start()))
            })
    }

    pub fn in_context(&self, context: Context) -> impl Iterator<Item = &Rule> {
        self.rules.iter().filter(move |r| r.context == context)
    }
}

/// Compiles content patterns given as (source, key, pattern).
fn compile_all(
    sources: Vec<(&RuleSource, &str, String)>,
    macros: &BTreeMap<String, String>,
) -> Result<Vec<Regex>, RuleError> {
    sources
        .into_iter()
        .map(|(source, key, pattern)| {
            let fail = |msg: String| source.error_at_key(key, msg);
            let expanded = expand_macros(&pattern, macros).map_err(fail)?;
            rules::regex(&expanded).map_err(|e| fail(format!("bad content pattern: {e}")))
        })
        .collect()
}

fn check_groups(raw: &RawRule, matcher: &Matcher) -> Result<(), String> {
    let names: Vec<&str> = match matcher {
        Matcher::Whole(regex) => regex.capture_names().flatten().collect(),
        Matcher::Anchored { left, right, .. } => left
            .capture_names()
            .chain(right.capture_names())
            .flatten()
            .chain(["cue"])
            .collect(),
    };
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

/// Replaces `{NAME}` placeholders by their macros, each as a group.
fn expand_macros(pattern: &str, macros: &BTreeMap<String, String>) -> Result<String, String> {
    expand(pattern, &mut |name| {
        macros
            .get(name)
            .map(|body| Expansion::Pattern(format!("(?:{body})")))
    })
}

/// The frame of a cue verb: `say` takes its content directly, `tell`
/// an addressee first, `call` an object and what the speaker calls it
/// ("called the ruling “a disgrace”", "described him as a liar"),
/// `pledge` an infinitive, after an addressee or not ("vowed to cut
/// taxes", "urged Congress to act"; clause frames only), `think` a
/// reported clause on clause frames only ("experts suspect the losses
/// were ...").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Frame {
    Say,
    Tell,
    Call,
    Pledge,
    Think,
}

impl Frame {
    /// The bits of the frames whose cue reports a clause (`say`, `tell`).
    pub const SPEECH: u8 = 1 | 2;

    pub fn bit(self) -> u8 {
        match self {
            Frame::Say => 1,
            Frame::Tell => 2,
            Frame::Call => 4,
            Frame::Pledge => 8,
            Frame::Think => 16,
        }
    }
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
                Some("call") => Frame::Call,
                Some("pledge") => Frame::Pledge,
                Some("think") => Frame::Think,
                other => {
                    return Err(source.error(
                        line,
                        format!(
                            "unknown frame {other:?} (expected say, tell, call, pledge or think)"
                        ),
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
            catalog::SPEECH_VERBS.name,
            1,
            "no speech verbs defined",
        ));
    }
    Ok(Verbs { forms })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_expand_as_groups_and_cycles_fail() {
        let mut macros = BTreeMap::new();
        macros.insert("A".to_string(), "a{B}".to_string());
        macros.insert("B".to_string(), "b".to_string());
        assert_eq!(
            expand_macros("x{A}{2,3}", &macros).unwrap(),
            "x(?:a(?:b)){2,3}"
        );
        macros.insert("B".to_string(), "{A}".to_string());
        assert!(expand_macros("{A}", &macros).is_err());
        assert!(expand_macros("{ZZ}", &macros).is_err());
    }

    #[test]
    fn clause_start_search_finds_what_the_backward_search_finds() {
        let starts = ClauseStarts {
            openers: vec!["But".into(), "So".into()],
            punctuation: vec![',', '(', '—'],
            conjunctions: vec!["and".into(), "as".into()],
        };
        let rest = r"(?P<speaker>[A-Z][a-z]+(?:\s+[A-Za-z]+)*?)\s+(?:has\s+)?";
        let whole = format!("(?:(?:{}){rest})$", starts.pattern());
        let whole = Left::Reverse(Arc::new(rules::regex(&whole).unwrap()));
        let split = Left::AtClauseStart {
            rest: Arc::new(rules::regex(&format!("^(?:{rest})$")).unwrap()),
            starts: Arc::new(starts),
        };
        let texts = [
            "But Smith has ",
            "But  Smith Jones has ",
            "Smith ",
            "But ",
            "Butler ",
            "In May, Smith Jones ",
            "In May,Smith ",
            "the deal and as Smith ",
            "the deal andSmith ",
            "a plan (Smith ",
            "a plan — Smith ",
            "So, Smith ",
            "",
            "said and smith ",
        ];
        let mut failures = Vec::new();
        for text in texts {
            let expected = whole.captures(text).map(|c| c.group("speaker"));
            let got = split.captures(text).map(|c| c.group("speaker"));
            if got != expected {
                failures.push(format!("{text:?}: {got:?}, expected {expected:?}"));
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn left_requires_is_checked_at_the_cue_and_only_on_anchored_rules() {
        let dir = tempfile::tempdir().unwrap();
        let rule = |id: &str, left_requires: &str| {
            format!(
                "[[rule]]\nid = \"{id}\"\ncontext = \"after\"\ncues = [\"say\"]\n\
                 left = '^\\s*(?P<speaker>[A-Z][a-z]+)\\s+'\nright = ''\n\
                 left_requires = '{left_requires}'\n\
                 examples = [{{ text = \"x\", quote = \"x\", speaker = \"x\", cue = \"x\" }}]\n"
            )
        };
        let text = rule("user.ends_with_space", r"\s") + &rule("user.ends_with_x", "x");
        std::fs::write(dir.path().join("quotes.toml"), text).unwrap();
        let rules = RuleSet::load(&RuleFiles::with_dir(dir.path())).unwrap();
        let s = " Smith said";
        let mut cues = Vec::new();
        rules.cues.find(s, &mut cues);
        let find = |id: &str| {
            let rule = rules.rules.iter().find(|r| r.id == id).unwrap();
            rule.find(s, &cues, &mut Shared::default())
                .map(|hit| (hit.speaker, hit.cue))
        };
        assert_eq!(find("user.ends_with_space"), Some((1..6, 7..11)));
        assert_eq!(find("user.ends_with_x"), None);

        let whole = "[[rule]]\nid = \"user.whole\"\ncontext = \"after\"\n\
                     pattern = '(?P<speaker>a)(?P<cue>b)'\nleft_requires = 'a'\n\
                     examples = [{ text = \"ab\", quote = \"ab\", speaker = \"a\", cue = \"b\" }]\n";
        std::fs::write(dir.path().join("quotes.toml"), whole).unwrap();
        let err = RuleSet::load(&RuleFiles::with_dir(dir.path())).unwrap_err();
        assert!(err.to_string().contains("left_requires"), "{err}");
    }

    #[test]
    fn bad_user_rules_report_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        let text =
            "[[rule]]\nid = \"x\"\ncontext = \"after\"\npattern = '(?P<speaker>a'\nexamples = []\n";
        std::fs::write(dir.path().join("quotes.toml"), text).unwrap();
        let err = RuleSet::load(&RuleFiles::with_dir(dir.path())).unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("quotes.toml:2:6"), "{msg}");
    }
}
