//! The rule layer: every rule file is declared once ([`catalog`]), loaded
//! from the built-ins and an optional user directory (`--rules DIR`),
//! parsed, located and merged the same way.
//!
//! Takes a declared file (and the user directory); gives its sources,
//! built-in first, each with an origin for error messages and example
//! reports. It also holds what every stage shares: the merge policy
//! ([`Merged`]), the placeholder syntax ([`expand`]), the regex
//! conventions ([`regex`], [`fast_pattern`], the compiled form
//! [`Regex`]) and the example report
//! ([`ExampleReport`]). What a file means is each stage's own business.

pub mod catalog;
mod examples;
mod expand;
mod merge;
mod pattern;
mod source;
mod words;

pub use catalog::RuleFile;
pub use examples::{ExampleFailure, ExampleReport};
pub use expand::{expand, Expansion};
pub use merge::Merged;
pub use pattern::{CaptureMatches, Captures, Match, Matches, Reach, Regex};
pub use source::RuleSource;
pub use words::load_word_classes;

use crate::error::RuleError;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Where rule files come from.
#[derive(Debug, Default)]
pub struct RuleFiles {
    extra_dir: Option<PathBuf>,
    /// The hash of each file handed out (its built-in and user sources), by
    /// file name. Stages load their files side by side, so the digest is
    /// taken over names in order, not over the order of loading.
    loaded: Mutex<BTreeMap<&'static str, u64>>,
}

/// FNV-1a, 64 bits: stable across platforms and Rust versions, unlike the
/// standard library's hasher, so rule hashes stay comparable.
#[derive(Clone, Copy, Debug)]
struct Fnv64(u64);

impl Default for Fnv64 {
    fn default() -> Self {
        Fnv64(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv64 {
    fn write(mut self, bytes: &[u8]) -> Self {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        self
    }
}

impl RuleFiles {
    /// Only the built-in rules.
    pub fn builtin() -> Self {
        RuleFiles::default()
    }

    /// Built-in rules plus the files of the same name found in `dir`,
    /// without checking `dir` (see [`RuleFiles::open`]).
    pub fn with_dir(dir: impl Into<PathBuf>) -> Self {
        RuleFiles {
            extra_dir: Some(dir.into()),
            ..RuleFiles::default()
        }
    }

    /// A short hash (12 hex digits) of every rule source loaded so far:
    /// file names and contents, built-in and user-supplied.
    pub fn digest(&self) -> String {
        let loaded = self.loaded.lock().unwrap_or_else(|e| e.into_inner());
        let digest = loaded.iter().fold(Fnv64::default(), |d, (name, hash)| {
            d.write(name.as_bytes())
                .write(&[0])
                .write(&hash.to_le_bytes())
        });
        format!("{:012x}", digest.0 >> 16)
    }

    fn record(&self, name: &'static str, sources: &[RuleSource]) {
        let hash = sources.iter().fold(Fnv64::default(), |d, source| {
            d.write(source.text.as_bytes()).write(&[0])
        });
        let mut loaded = self.loaded.lock().unwrap_or_else(|e| e.into_inner());
        loaded.insert(name, hash.0);
    }

    /// Built-in rules plus the user's directory `dir`, which must exist and
    /// hold only declared rule files (hidden files and `*.md` aside).
    pub fn open(dir: impl Into<PathBuf>) -> Result<Self, RuleError> {
        let dir = dir.into();
        for name in user_file_names(&dir)? {
            if catalog::find(&name).is_none() {
                return Err(RuleError::UnknownFile {
                    path: dir.join(&name),
                    suggestion: did_you_mean(&name),
                });
            }
        }
        Ok(RuleFiles::with_dir(dir))
    }

    /// The user's directory, if any.
    pub fn user_dir(&self) -> Option<&Path> {
        self.extra_dir.as_deref()
    }

    /// The built-in text of `file` followed by the user's file of that name, if any.
    pub fn load(&self, file: &RuleFile) -> Result<Vec<RuleSource>, RuleError> {
        let mut out = vec![RuleSource {
            origin: format!("builtin:{}", file.name),
            text: file.builtin.to_string(),
            user: false,
        }];
        if let Some(path) = self.user_path(file) {
            let text = std::fs::read_to_string(&path).map_err(|source| RuleError::Io {
                path: path.clone(),
                source,
            })?;
            out.push(RuleSource {
                origin: path.display().to_string(),
                text,
                user: true,
            });
        }
        self.record(file.name, &out);
        Ok(out)
    }

    /// The user's file of the same name as `file`, if there is one.
    pub fn user_path(&self, file: &RuleFile) -> Option<PathBuf> {
        let path = self.extra_dir.as_ref()?.join(file.name);
        path.exists().then_some(path)
    }
}

/// The names of the entries of a user rule directory that must be rule
/// files; a subfolder's entries are named `folder/file`, as declared.
fn user_file_names(dir: &Path) -> Result<Vec<String>, RuleError> {
    if !dir.is_dir() {
        return Err(RuleError::MissingDir {
            path: dir.to_path_buf(),
        });
    }
    let mut names = Vec::new();
    for (name, is_dir) in entries(dir)? {
        let folder_declared = catalog::ALL.iter().any(|f| {
            f.name
                .strip_prefix(name.as_str())
                .is_some_and(|rest| rest.starts_with('/'))
        });
        if is_dir && folder_declared {
            let inner = entries(&dir.join(&name))?;
            names.extend(inner.into_iter().map(|(file, _)| format!("{name}/{file}")));
        } else {
            names.push(name);
        }
    }
    names.sort();
    Ok(names)
}

/// The names of a directory's entries (hidden files and `*.md` aside),
/// each with whether it is a directory.
fn entries(dir: &Path) -> Result<Vec<(String, bool)>, RuleError> {
    let io = |source| RuleError::Io {
        path: dir.to_path_buf(),
        source,
    };
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let entry = entry.map_err(io)?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if !name.starts_with('.') && !name.ends_with(".md") {
            out.push((name, entry.path().is_dir()));
        }
    }
    Ok(out)
}

/// The declared file name closest to `name`, if it is close enough to be
/// a misspelling.
fn did_you_mean(name: &str) -> Option<String> {
    catalog::ALL
        .iter()
        .map(|f| (edit_distance(name, f.name), f.name))
        .filter(|&(d, known)| d <= (known.len() / 3).max(2))
        .min()
        .map(|(_, known)| known.to_string())
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let substitution = diagonal + usize::from(ca != cb);
            diagonal = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(row[j + 1] + 1);
        }
    }
    row[b.len()]
}

/// Largest compiled form (NFA) of one rule regex: a runaway pattern or word
/// list fails at load time with a clear error rather than eating memory.
/// The regex crate's own default.
pub const REGEX_SIZE_LIMIT: usize = 10 << 20;

/// Largest lazy-DFA cache of one rule regex, per search cache (a
/// [`Regex`] shares its caches across threads; a date rule's `meta::Regex`
/// has one per thread that runs it). Most rule regexes need a few KiB; the
/// cap bounds what a regex adds to peak memory. The regex crate's own default; a regex whose
/// states do not fit is rebuilt bit by bit as it goes (slower, still right).
pub const DFA_CACHE_BYTES: usize = 2 << 20;

/// The one way rule files compile a regex run on sentences or around a
/// cue: [`Regex::new`] ([`fast_pattern`] ASCII word boundaries,
/// [`REGEX_SIZE_LIMIT`], [`DFA_CACHE_BYTES`], no literal prefilter).
pub fn regex(pattern: &str) -> Result<Regex, regex::Error> {
    Regex::new(pattern)
}

/// The way rule files compile a regex that scans every line or whole
/// documents: [`Regex::scanning`], as [`regex`] plus a literal prefilter.
pub fn scanning_regex(pattern: &str) -> Result<Regex, regex::Error> {
    Regex::scanning(pattern)
}

/// A set of regexes made by [`regex`], matched together (which of them
/// match, in one pass), with the same limits.
pub fn regex_set<'a>(
    regexes: impl IntoIterator<Item = &'a Regex>,
) -> Result<regex::RegexSet, regex::Error> {
    regex::RegexSetBuilder::new(regexes.into_iter().map(Regex::as_str))
        .size_limit(REGEX_SIZE_LIMIT)
        .dfa_size_limit(DFA_CACHE_BYTES)
        .build()
}

/// A user rule directory holding the files `(name, text)` (a name such as
/// `clauses/words.tsv` gets its subfolder), for tests of user rule files.
#[cfg(test)]
pub(crate) fn user_dir_with(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary directory");
    for (name, text) in files {
        let path = dir.path().join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("the rule subfolder is made");
        }
        std::fs::write(path, text).expect("the rule file is written");
    }
    dir
}

/// Rewrites a rule pattern so that the regex engine's fast path can run it
/// on any text: `\b` and `\B` become ASCII word boundaries. Unicode word
/// boundaries make the lazy DFA give up at the first non-ASCII byte (a
/// curly quote is enough), which sends every search to the slow NFA
/// simulation. News rules look for ASCII-spelled words, so the ASCII
/// boundary is what they mean.
pub fn fast_pattern(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() + 16);
    let mut chars = pattern.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('b') => out.push_str(r"(?-u:\b)"),
            Some('B') => out.push_str(r"(?-u:\B)"),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_dir_extends_builtin() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("lists.toml"), "# comment\na\tb\n").unwrap();
        let files = RuleFiles::open(dir.path()).unwrap();
        let sources = files.load(&catalog::LISTS).unwrap();
        assert_eq!(sources.len(), 2);
        assert!(!sources[0].user && sources[1].user);
        let rows: Vec<_> = sources[1].tsv_rows().collect();
        assert_eq!(rows, vec![(2, vec!["a", "b"])]);
        let err = sources[1].error(2, "bad").to_string();
        assert!(err.contains("lists.toml:2:1: bad"), "{err}");
        assert!(err.contains("a\tb"), "{err}");
    }

    #[test]
    fn unknown_names_and_missing_dirs_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("list.toml"), "").unwrap();
        std::fs::write(dir.path().join("notes.md"), "").unwrap();
        let err = RuleFiles::open(dir.path()).unwrap_err().to_string();
        assert!(err.contains("did you mean lists.toml?"), "{err}");
        let err = RuleFiles::open(dir.path().join("no"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("does not exist"), "{err}");
    }

    #[test]
    fn declared_subfolders_hold_rule_files() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("clauses")).unwrap();
        std::fs::write(dir.path().join("clauses/pos_context.tsv"), "").unwrap();
        let files = RuleFiles::open(dir.path()).unwrap();
        assert!(files.user_path(&catalog::POS_CONTEXT).is_some());
        std::fs::write(dir.path().join("clauses/pos_contxt.tsv"), "").unwrap();
        let err = RuleFiles::open(dir.path()).unwrap_err().to_string();
        assert!(
            err.contains("did you mean clauses/pos_context.tsv?"),
            "{err}"
        );
        let other = tempfile::tempdir().unwrap();
        std::fs::create_dir(other.path().join("dates")).unwrap();
        let err = RuleFiles::open(other.path()).unwrap_err().to_string();
        assert!(err.contains("dates: not a rule file name"), "{err}");
    }

    #[test]
    fn suggestions_need_a_close_name() {
        assert_eq!(did_you_mean("date.toml").as_deref(), Some("dates.toml"));
        assert_eq!(did_you_mean("weather.json"), None);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

    #[test]
    fn word_boundaries_become_ascii_and_escapes_survive() {
        assert_eq!(fast_pattern(r"\bsaid\b"), r"(?-u:\b)said(?-u:\b)");
        assert_eq!(fast_pattern(r"\\b\.\B"), r"\\b\.(?-u:\B)");
        let re = regex::Regex::new(&fast_pattern(r"\bsaid\b")).unwrap();
        assert!(re.is_match("“It is baseless,” Xiaomi said."));
        assert!(!re.is_match("unsaid"));
    }
}
