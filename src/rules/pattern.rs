//! The compiled form of every rule regex: [`Regex`], the regex crate's
//! search API (`is_match`, `find`, `captures`, their iterators) over a
//! `regex_automata::meta::Regex` built with the rule engine's own
//! settings, which the regex crate does not expose.
//!
//! Takes a rule pattern and what the rule searches ([`Reach`]); gives
//! matches with the same spans as `regex::Regex` built from the same
//! pattern (leftmost-first, UTF-8 empty matches, same size limits). What
//! differs is only how the search is prepared: a rule that runs on
//! sentences or around a cue gets no literal prefilter (see
//! [`Regex::new`]), one that scans whole lines or documents does (see
//! [`Regex::scanning`]).

use regex_automata::{meta, util::captures, Input};
use std::ops::{Index, Range};

use super::{fast_pattern, DFA_CACHE_BYTES, REGEX_SIZE_LIMIT};

/// A compiled rule regex. Immutable and `Sync`; each thread that searches
/// gets its own search caches, as with `regex::Regex`.
#[derive(Clone, Debug)]
pub struct Regex {
    meta: meta::Regex,
    /// The pattern as compiled (after [`fast_pattern`]).
    pattern: String,
}

/// What a rule regex is run on, which decides whether a literal
/// prefilter is worth its start-up cost. Matches are the same either way.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reach {
    /// Sentences, or a few words around a cue found by a one-pass
    /// automaton: short haystacks, where the lazy DFA alone is fast enough.
    /// Extracting the literals a match must contain (and building a
    /// substring searcher from them) was about a third of all start-up
    /// work, for hundreds of case-insensitive word alternations.
    Cued,
    /// Every line, paragraph or whole document, most of which do not
    /// match: a substring search for the literals a match needs (a cue
    /// word, "©", "http") skips them faster than the lazy DFA walks them.
    Scan,
}

/// The settings of every rule regex: those of `regex::RegexBuilder` with
/// the rule limits, and a literal prefilter only for [`Reach::Scan`].
fn config(reach: Reach) -> meta::Config {
    meta::Config::new()
        .match_kind(regex_automata::MatchKind::LeftmostFirst)
        .utf8_empty(true)
        .auto_prefilter(reach == Reach::Scan)
        .nfa_size_limit(Some(REGEX_SIZE_LIMIT))
        .hybrid_cache_capacity(DFA_CACHE_BYTES)
}

impl Regex {
    /// Compiles a rule pattern run on sentences or around a cue
    /// ([`Reach::Cued`]): [`fast_pattern`] (ASCII word boundaries),
    /// [`REGEX_SIZE_LIMIT`], [`DFA_CACHE_BYTES`], no literal prefilter.
    /// Errors read as the regex crate's do.
    pub fn new(pattern: &str) -> Result<Regex, regex::Error> {
        Regex::with_reach(pattern, Reach::Cued)
    }

    /// Compiles a rule pattern that scans every line or whole documents
    /// ([`Reach::Scan`]): as [`Regex::new`], plus a literal prefilter.
    pub fn scanning(pattern: &str) -> Result<Regex, regex::Error> {
        Regex::with_reach(pattern, Reach::Scan)
    }

    fn with_reach(pattern: &str, reach: Reach) -> Result<Regex, regex::Error> {
        let pattern = fast_pattern(pattern);
        meta::Builder::new()
            .configure(config(reach))
            .syntax(regex_automata::util::syntax::Config::new().utf8(true))
            .build(&pattern)
            .map(|meta| Regex { meta, pattern })
            .map_err(build_error)
    }

    /// The pattern as compiled.
    pub fn as_str(&self) -> &str {
        &self.pattern
    }

    /// Whether the regex matches anywhere in `haystack`.
    pub fn is_match(&self, haystack: &str) -> bool {
        self.meta.is_match(haystack)
    }

    /// The leftmost-first match in `haystack`.
    pub fn find<'h>(&self, haystack: &'h str) -> Option<Match<'h>> {
        self.meta
            .find(haystack)
            .map(|m| Match::new(haystack, m.range()))
    }

    /// Every successive non-overlapping match in `haystack`.
    pub fn find_iter<'r, 'h>(&'r self, haystack: &'h str) -> Matches<'r, 'h> {
        Matches {
            haystack,
            inner: self.meta.find_iter(haystack),
        }
    }

    /// The groups of the leftmost-first match in `haystack`.
    pub fn captures<'h>(&self, haystack: &'h str) -> Option<Captures<'h>> {
        let mut caps = self.meta.create_captures();
        self.meta.captures(Input::new(haystack), &mut caps);
        caps.is_match().then_some(Captures { haystack, caps })
    }

    /// The groups of every successive non-overlapping match in `haystack`.
    pub fn captures_iter<'r, 'h>(&'r self, haystack: &'h str) -> CaptureMatches<'r, 'h> {
        CaptureMatches {
            haystack,
            inner: self.meta.captures_iter(haystack),
        }
    }

    /// The number of groups, the whole match included.
    pub fn captures_len(&self) -> usize {
        self.meta.captures_len()
    }

    /// The name of every group in order (`None` for unnamed ones, the
    /// whole match first).
    pub fn capture_names(&self) -> impl Iterator<Item = Option<&str>> + '_ {
        self.meta
            .group_info()
            .pattern_names(regex_automata::PatternID::ZERO)
    }
}

/// A meta build error as the regex crate reports it.
fn build_error(err: meta::BuildError) -> regex::Error {
    match (err.size_limit(), err.syntax_error()) {
        (Some(limit), _) => regex::Error::CompiledTooBig(limit),
        (None, Some(syntax)) => regex::Error::Syntax(syntax.to_string()),
        (None, None) => regex::Error::Syntax(err.to_string()),
    }
}

/// One match: a byte range of the haystack.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Match<'h> {
    haystack: &'h str,
    start: usize,
    end: usize,
}

impl<'h> Match<'h> {
    fn new(haystack: &'h str, range: Range<usize>) -> Self {
        Match {
            haystack,
            start: range.start,
            end: range.end,
        }
    }

    pub fn start(&self) -> usize {
        self.start
    }

    pub fn end(&self) -> usize {
        self.end
    }

    pub fn range(&self) -> Range<usize> {
        self.start..self.end
    }

    pub fn len(&self) -> usize {
        self.end - self.start
    }

    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }

    /// The matched text.
    pub fn as_str(&self) -> &'h str {
        &self.haystack[self.start..self.end]
    }
}

/// The groups of one match.
#[derive(Clone, Debug)]
pub struct Captures<'h> {
    haystack: &'h str,
    caps: captures::Captures,
}

impl<'h> Captures<'h> {
    /// Group `i` (0 is the whole match), if it took part in the match.
    pub fn get(&self, i: usize) -> Option<Match<'h>> {
        let span = self.caps.get_group(i)?;
        Some(Match::new(self.haystack, span.range()))
    }

    /// The group named `name`, if there is one and it took part.
    pub fn name(&self, name: &str) -> Option<Match<'h>> {
        let span = self.caps.get_group_by_name(name)?;
        Some(Match::new(self.haystack, span.range()))
    }

    /// The number of groups, the whole match included.
    pub fn len(&self) -> usize {
        self.caps.group_len()
    }

    /// Never true: a match has at least the whole-match group.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Every group in order, `None` for those that did not take part.
    pub fn iter(&self) -> impl Iterator<Item = Option<Match<'h>>> + '_ {
        (0..self.len()).map(|i| self.get(i))
    }
}

impl Index<usize> for Captures<'_> {
    type Output = str;

    /// The text of group `i`; panics if it did not take part, as the
    /// regex crate's does.
    fn index(&self, i: usize) -> &str {
        self.get(i)
            .map(|m| m.as_str())
            .unwrap_or_else(|| panic!("no group at index '{i}'"))
    }
}

impl Index<&str> for Captures<'_> {
    type Output = str;

    /// The text of the group `name`; panics if it did not take part.
    fn index(&self, name: &str) -> &str {
        self.name(name)
            .map(|m| m.as_str())
            .unwrap_or_else(|| panic!("no group named '{name}'"))
    }
}

/// The iterator of [`Regex::find_iter`].
#[derive(Debug)]
pub struct Matches<'r, 'h> {
    haystack: &'h str,
    inner: meta::FindMatches<'r, 'h>,
}

impl<'h> Iterator for Matches<'_, 'h> {
    type Item = Match<'h>;

    fn next(&mut self) -> Option<Match<'h>> {
        let m = self.inner.next()?;
        Some(Match::new(self.haystack, m.range()))
    }
}

/// The iterator of [`Regex::captures_iter`].
#[derive(Debug)]
pub struct CaptureMatches<'r, 'h> {
    haystack: &'h str,
    inner: meta::CapturesMatches<'r, 'h>,
}

impl<'h> Iterator for CaptureMatches<'_, 'h> {
    type Item = Captures<'h>;

    fn next(&mut self) -> Option<Captures<'h>> {
        let caps = self.inner.next()?;
        Some(Captures {
            haystack: self.haystack,
            caps,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Same spans and groups as the regex crate on the same pattern.
    #[test]
    fn matches_as_the_regex_crate_does() {
        let cases = [
            (
                r"(?i)\b(?P<num>\d+)\s+(?P<unit>days?|weeks?)\b",
                "In 3 Days, or 12 weeks; 4 dayss",
            ),
            (r"(?:a|ab)(c|bcd)?", "abcd abc ac a"),
            (r"x*", "aé x"),
            (r"^(?:said|told)\s+(\w+)", "said Mr Smith"),
            (r"(?:, (?P<who>[A-Z]\w+))$", "it was, Smith"),
            (
                r"(?i)your\s+email\s+address|all\s+rights\s+reserved\.?\s*$",
                "Your Email address; (c) 2020, all rights  reserved.",
            ),
            (
                r"(?i)\bpic\.twitter\.com/\w+|https?://t\.co/\w+",
                "x http://t.co/Ab pic.twitter.com/Z",
            ),
        ];
        for ((pattern, text), reach) in cases
            .into_iter()
            .flat_map(|case| [(case, Reach::Cued), (case, Reach::Scan)])
        {
            let ours = Regex::with_reach(pattern, reach).unwrap();
            let theirs = regex::Regex::new(&fast_pattern(pattern)).unwrap();
            assert_eq!(ours.is_match(text), theirs.is_match(text), "{pattern}");
            let ours_spans: Vec<Range<usize>> = ours.find_iter(text).map(|m| m.range()).collect();
            let theirs_spans: Vec<Range<usize>> =
                theirs.find_iter(text).map(|m| m.range()).collect();
            assert_eq!(ours_spans, theirs_spans, "{pattern}");
            let ours_caps: Vec<Vec<Option<Range<usize>>>> = ours
                .captures_iter(text)
                .map(|c| c.iter().map(|g| g.map(|m| m.range())).collect())
                .collect();
            let theirs_caps: Vec<Vec<Option<Range<usize>>>> = theirs
                .captures_iter(text)
                .map(|c| c.iter().map(|g| g.map(|m| m.range())).collect())
                .collect();
            assert_eq!(ours_caps, theirs_caps, "{pattern}");
            assert_eq!(ours.captures_len(), theirs.captures_len());
            assert!(ours.capture_names().eq(theirs.capture_names()));
        }
        let caps = Regex::new(r"(?P<n>\d+)-(\d+)").unwrap();
        let caps = caps.captures("pages 12-14").unwrap();
        assert_eq!((&caps["n"], &caps[2]), ("12", "14"));
        assert_eq!(caps.name("n").map(|m| m.as_str()), Some("12"));
        assert!(caps.name("missing").is_none());
    }

    #[test]
    fn errors_read_as_the_regex_crate_does() {
        // Built at run time: the pattern is meant to be invalid.
        let unclosed = String::from("(unclosed");
        let ours = Regex::new(&unclosed).unwrap_err().to_string();
        let theirs = regex::Regex::new(&unclosed).unwrap_err().to_string();
        assert_eq!(ours, theirs);
        let huge = format!("(?:{}){{1000}}", r"\w{50}");
        assert!(matches!(
            Regex::new(&huge),
            Err(regex::Error::CompiledTooBig(_))
        ));
    }
}
