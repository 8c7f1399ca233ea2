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
//! [`Regex::scanning`]), and where the search caches live (see
//! [`SharedCaches`]).

use regex_automata::util::iter::Searcher;
use regex_automata::{meta, util::captures, Input};
use std::ops::{Deref, DerefMut, Index, Range};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

use super::{fast_pattern, DFA_CACHE_BYTES, REGEX_SIZE_LIMIT};

/// A compiled rule regex. Immutable and `Sync`; its search caches are
/// shared by the threads that search with it ([`SharedCaches`]).
#[derive(Clone, Debug)]
pub struct Regex {
    meta: meta::Regex,
    /// The pattern as compiled (after [`fast_pattern`]).
    pattern: String,
    caches: Arc<SharedCaches>,
}

/// The search caches of one regex (lazy-DFA states, backtracking and
/// capture scratch space), shared by all threads: a search takes the first
/// cache no other search holds, and a new one is made only when every
/// existing one is in use. `regex::Regex` keeps a cache per thread
/// instead, so each worker thread grew its own copy of every rule's lazy
/// DFA, about 55 MiB a thread over a few hundred rule regexes. Two
/// searches of the same regex at the same moment are rare, so the second
/// cache is made late and stays small. The caches are only memory: which
/// one a search gets never changes its result.
struct SharedCaches {
    /// Filled in order; a slot is made once and kept.
    slots: [OnceLock<Box<Mutex<meta::Cache>>>; CACHE_SLOTS],
}

/// Caches per regex: one per worker thread at most (newsx runs at most 64),
/// plus room for a search nested in another's iteration.
const CACHE_SLOTS: usize = 72;

impl Default for SharedCaches {
    fn default() -> Self {
        SharedCaches {
            slots: std::array::from_fn(|_| OnceLock::new()),
        }
    }
}

impl std::fmt::Debug for SharedCaches {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let made = self.slots.iter().filter(|s| s.get().is_some()).count();
        write!(f, "SharedCaches({made} made)")
    }
}

impl SharedCaches {
    /// A cache no other search is using: the first free one made so far,
    /// or a new one (kept only while there is a free slot for it).
    fn get(&self, meta: &meta::Regex) -> CacheGuard<'_> {
        for slot in &self.slots {
            let cache = slot.get_or_init(|| Box::new(Mutex::new(meta.create_cache())));
            // A poisoned cache is still a valid cache: searches never leave
            // one half-updated in a way the next search cannot use.
            match cache.try_lock() {
                Ok(guard) => return CacheGuard::Shared(guard),
                Err(std::sync::TryLockError::Poisoned(p)) => {
                    return CacheGuard::Shared(p.into_inner())
                }
                Err(std::sync::TryLockError::WouldBlock) => continue,
            }
        }
        CacheGuard::Own(Box::new(meta.create_cache()))
    }
}

/// A search cache held for the length of one search or iteration.
enum CacheGuard<'a> {
    Shared(MutexGuard<'a, meta::Cache>),
    Own(Box<meta::Cache>),
}

impl Deref for CacheGuard<'_> {
    type Target = meta::Cache;

    fn deref(&self) -> &meta::Cache {
        match self {
            CacheGuard::Shared(guard) => guard,
            CacheGuard::Own(cache) => cache,
        }
    }
}

impl DerefMut for CacheGuard<'_> {
    fn deref_mut(&mut self) -> &mut meta::Cache {
        match self {
            CacheGuard::Shared(guard) => guard,
            CacheGuard::Own(cache) => cache,
        }
    }
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
            .map(|meta| Regex {
                meta,
                pattern,
                caches: Arc::default(),
            })
            .map_err(build_error)
    }

    /// The pattern as compiled.
    pub fn as_str(&self) -> &str {
        &self.pattern
    }

    /// Whether the regex matches anywhere in `haystack`.
    pub fn is_match(&self, haystack: &str) -> bool {
        let input = Input::new(haystack).earliest(true);
        let mut cache = self.caches.get(&self.meta);
        self.meta.search_half_with(&mut cache, &input).is_some()
    }

    /// The leftmost-first match in `haystack`.
    pub fn find<'h>(&self, haystack: &'h str) -> Option<Match<'h>> {
        let mut cache = self.caches.get(&self.meta);
        self.meta
            .search_with(&mut cache, &Input::new(haystack))
            .map(|m| Match::new(haystack, m.range()))
    }

    /// Every successive non-overlapping match in `haystack`.
    pub fn find_iter<'r, 'h>(&'r self, haystack: &'h str) -> Matches<'r, 'h> {
        Matches {
            haystack,
            meta: &self.meta,
            cache: self.caches.get(&self.meta),
            searcher: Searcher::new(Input::new(haystack)),
        }
    }

    /// The groups of the leftmost-first match in `haystack`.
    pub fn captures<'h>(&self, haystack: &'h str) -> Option<Captures<'h>> {
        let mut caps = self.meta.create_captures();
        let mut cache = self.caches.get(&self.meta);
        self.meta
            .search_captures_with(&mut cache, &Input::new(haystack), &mut caps);
        caps.is_match().then_some(Captures { haystack, caps })
    }

    /// The groups of every successive non-overlapping match in `haystack`.
    pub fn captures_iter<'r, 'h>(&'r self, haystack: &'h str) -> CaptureMatches<'r, 'h> {
        CaptureMatches {
            haystack,
            meta: &self.meta,
            cache: self.caches.get(&self.meta),
            caps: self.meta.create_captures(),
            searcher: Searcher::new(Input::new(haystack)),
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

/// The iterator of [`Regex::find_iter`]; holds one search cache until
/// it is dropped.
pub struct Matches<'r, 'h> {
    haystack: &'h str,
    meta: &'r meta::Regex,
    cache: CacheGuard<'r>,
    searcher: Searcher<'h>,
}

impl std::fmt::Debug for Matches<'_, '_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Matches").finish_non_exhaustive()
    }
}

impl<'h> Iterator for Matches<'_, 'h> {
    type Item = Match<'h>;

    fn next(&mut self) -> Option<Match<'h>> {
        let Matches {
            haystack,
            meta,
            ref mut cache,
            ref mut searcher,
        } = *self;
        let m = searcher.advance(|input| Ok(meta.search_with(cache, input)))?;
        Some(Match::new(haystack, m.range()))
    }
}

/// The iterator of [`Regex::captures_iter`]; holds one search cache until
/// it is dropped.
pub struct CaptureMatches<'r, 'h> {
    haystack: &'h str,
    meta: &'r meta::Regex,
    cache: CacheGuard<'r>,
    caps: captures::Captures,
    searcher: Searcher<'h>,
}

impl std::fmt::Debug for CaptureMatches<'_, '_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CaptureMatches").finish_non_exhaustive()
    }
}

impl<'h> Iterator for CaptureMatches<'_, 'h> {
    type Item = Captures<'h>;

    fn next(&mut self) -> Option<Captures<'h>> {
        let CaptureMatches {
            haystack,
            meta,
            ref mut cache,
            ref mut caps,
            ref mut searcher,
        } = *self;
        searcher.advance(|input| {
            meta.search_captures_with(cache, input, caps);
            Ok(caps.get_match())
        })?;
        Some(Captures {
            haystack,
            caps: caps.clone(),
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

    /// Searches nested in an iteration of the same regex, and searches
    /// from many threads at once, each get a cache of their own and the
    /// same matches as alone.
    #[test]
    fn shared_caches_serve_nested_and_parallel_searches() {
        let re = Regex::new(r"(?P<w>\w+)\s+(?P<n>\d+)").unwrap();
        let text = "alpha 1 beta 22 gamma 333 delta";
        let alone: Vec<Range<usize>> = re.find_iter(text).map(|m| m.range()).collect();
        assert_eq!(alone.len(), 3);
        let nested: Vec<(Range<usize>, Option<Range<usize>>)> = re
            .captures_iter(text)
            .map(|c| {
                let whole = c.get(0).unwrap();
                (whole.range(), re.find(whole.as_str()).map(|m| m.range()))
            })
            .collect();
        assert_eq!(nested.len(), 3);
        assert!(nested
            .iter()
            .zip(&alone)
            .all(|((whole, inner), want)| { whole == want && *inner == Some(0..want.len()) }));
        let results: Vec<Vec<Range<usize>>> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..8)
                .map(|_| {
                    scope.spawn(|| {
                        let mut last = Vec::new();
                        for _ in 0..200 {
                            last = re.find_iter(text).map(|m| m.range()).collect();
                            assert!(re.is_match(text));
                        }
                        last
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert!(results.iter().all(|r| *r == alone));
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
