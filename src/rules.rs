//! Rule files: built-in defaults embedded in the binary, extended by a
//! user directory (`--rules DIR`) holding files of the same names.
//!
//! Takes a file name and its built-in text; gives every source of that
//! name (built-in first, then the user's), each with an origin for error
//! messages. Parsing is each stage's own business; the TSV helper here is
//! shared because most gazetteers are TSV.

use crate::error::RuleError;
use std::path::PathBuf;

/// Where rule files come from.
#[derive(Clone, Debug, Default)]
pub struct RuleFiles {
    extra_dir: Option<PathBuf>,
    /// Running hash of every rule source handed out, in load order.
    digest: std::cell::Cell<Fnv64>,
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

/// One rule file's text with its origin ("builtin:lists.tsv" or a path).
#[derive(Clone, Debug)]
pub struct RuleSource {
    pub origin: String,
    pub text: String,
}

impl RuleFiles {
    /// Only the built-in rules.
    pub fn builtin() -> Self {
        RuleFiles::default()
    }

    /// Built-in rules plus the files of the same name found in `dir`.
    pub fn with_dir(dir: impl Into<PathBuf>) -> Self {
        RuleFiles {
            extra_dir: Some(dir.into()),
            ..RuleFiles::default()
        }
    }

    /// A short hash (12 hex digits) of every rule source loaded so far:
    /// file names and contents, built-in and user-supplied.
    pub fn digest(&self) -> String {
        format!("{:012x}", self.digest.get().0 >> 16)
    }

    fn record(&self, name: &str, text: &str) {
        let d = self.digest.get().write(name.as_bytes()).write(&[0]);
        self.digest.set(d.write(text.as_bytes()).write(&[0]));
    }

    /// The built-in text of `name` followed by the user's file of that name, if any.
    pub fn load(&self, name: &str, builtin: &str) -> Result<Vec<RuleSource>, RuleError> {
        let mut out = vec![RuleSource {
            origin: format!("builtin:{name}"),
            text: builtin.to_string(),
        }];
        if let Some(dir) = &self.extra_dir {
            let path = dir.join(name);
            if path.exists() {
                let text = std::fs::read_to_string(&path).map_err(|source| RuleError::Io {
                    path: path.clone(),
                    source,
                })?;
                out.push(RuleSource {
                    origin: path.display().to_string(),
                    text,
                });
            }
        }
        for source in &out {
            self.record(name, &source.text);
        }
        Ok(out)
    }
}

impl RuleSource {
    /// Non-empty, non-comment (`#`) lines split on tabs, with 1-based line numbers.
    pub fn tsv_rows(&self) -> impl Iterator<Item = (usize, Vec<&str>)> {
        self.text.lines().enumerate().filter_map(|(i, line)| {
            let line = line.trim_end_matches('\r');
            if line.trim().is_empty() || line.starts_with('#') {
                None
            } else {
                Some((i + 1, line.split('\t').map(str::trim).collect()))
            }
        })
    }

    /// An error located at `line` of this source.
    pub fn error(&self, line: usize, message: impl Into<String>) -> RuleError {
        RuleError::invalid(&self.origin, line, message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_dir_extends_builtin() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("x.tsv"), "# comment\na\tb\n").unwrap();
        let files = RuleFiles::with_dir(dir.path());
        let sources = files.load("x.tsv", "c\td\n").unwrap();
        assert_eq!(sources.len(), 2);
        let rows: Vec<_> = sources[1].tsv_rows().collect();
        assert_eq!(rows, vec![(2, vec!["a", "b"])]);
        assert!(sources[1]
            .error(2, "bad")
            .to_string()
            .ends_with("x.tsv:2: bad"));
    }
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
mod fast_pattern_tests {
    use super::fast_pattern;

    #[test]
    fn word_boundaries_become_ascii_and_escapes_survive() {
        assert_eq!(fast_pattern(r"\bsaid\b"), r"(?-u:\b)said(?-u:\b)");
        assert_eq!(fast_pattern(r"\\b\.\B"), r"\\b\.(?-u:\B)");
        let re = regex::Regex::new(&fast_pattern(r"\bsaid\b")).unwrap();
        assert!(re.is_match("“It is baseless,” Xiaomi said."));
        assert!(!re.is_match("unsaid"));
    }
}
