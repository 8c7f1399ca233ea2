//! One rule file's text with its origin, and the shared ways to read it:
//! TOML parsed into a stage's own types, TSV rows, and positions of keys
//! and ids for error messages and example reports.

use crate::error::RuleError;
use serde::de::DeserializeOwned;

/// One rule file's text with its origin ("builtin:lists.toml" or a path).
#[derive(Clone, Debug)]
pub struct RuleSource {
    pub origin: String,
    pub text: String,
    /// True for the user's file, false for the built-in one.
    pub user: bool,
}

impl RuleSource {
    /// The text parsed as TOML into `T`; errors point at the offending spot.
    pub fn parse_toml<T: DeserializeOwned>(&self) -> Result<T, RuleError> {
        toml::from_str(&self.text).map_err(|e| {
            let at = e.span().map_or(0, |s| s.start);
            self.error_at(at, e.message().trim().to_string())
        })
    }

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

    /// The byte offset where the string value `id` is first written
    /// (`id = "x"`, `name = "x"`); 0 when absent.
    pub fn offset_of_id(&self, id: &str) -> usize {
        self.text.find(&format!("\"{id}\"")).unwrap_or(0)
    }

    /// The byte offset where the string value `id` is first written inside
    /// an entry of the array of tables `[[array]]`; 0 when absent.
    pub fn offset_of_entry(&self, array: &str, id: &str) -> usize {
        let header = format!("[[{array}]]");
        self.text
            .match_indices(&format!("\"{id}\""))
            .map(|(at, _)| at)
            .find(|&at| {
                let table_start = self.text[..at].rfind("\n[[").map_or(0, |i| i + 1);
                self.text[table_start..].starts_with(&header)
            })
            .unwrap_or(0)
    }

    /// The byte offset where `key` is first set (`key =`); 0 when absent.
    pub fn offset_of_key(&self, key: &str) -> usize {
        self.text.find(&format!("{key} =")).unwrap_or(0)
    }

    /// The byte offset of the header of table `[name]`; 0 when absent.
    pub fn offset_of_table(&self, name: &str) -> usize {
        self.offset_of_header(&format!("[{name}]"), 0)
    }

    /// The byte offset of the `index`-th (0-based) line that is exactly
    /// `header` (`[name]` or `[[name]]`); 0 when there are fewer.
    pub fn offset_of_header(&self, header: &str, index: usize) -> usize {
        let mut offset = 0;
        let mut seen = 0;
        for line in self.text.split_inclusive('\n') {
            if line.trim() == header {
                if seen == index {
                    return offset;
                }
                seen += 1;
            }
            offset += line.len();
        }
        0
    }

    /// The 1-based line of byte offset `at`.
    pub fn line_at(&self, at: usize) -> usize {
        let at = floor_char_boundary(&self.text, at);
        self.text.as_bytes()[..at]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1
    }

    /// "origin:line" of byte offset `at`, for reports.
    pub fn place(&self, at: usize) -> String {
        format!("{}:{}", self.origin, self.line_at(at))
    }

    /// An error at byte offset `at`: line, column and the text of that line.
    pub fn error_at(&self, at: usize, message: impl Into<String>) -> RuleError {
        let at = floor_char_boundary(&self.text, at);
        let line_start = self.text[..at].rfind('\n').map_or(0, |i| i + 1);
        let line_end = self.text[at..]
            .find('\n')
            .map_or(self.text.len(), |i| at + i);
        RuleError::Invalid {
            origin: self.origin.clone(),
            line: self.line_at(at),
            column: self.text[line_start..at].chars().count() + 1,
            text: self.text[line_start..line_end].trim_end().to_string(),
            message: message.into(),
        }
    }

    /// An error about 1-based `line` as a whole.
    pub fn error(&self, line: usize, message: impl Into<String>) -> RuleError {
        let start: usize = self
            .text
            .split_inclusive('\n')
            .take(line.saturating_sub(1))
            .map(str::len)
            .sum();
        let indent = self.text[start..]
            .find(|c: char| c != ' ' && c != '\t')
            .unwrap_or(0);
        self.error_at(start + indent, message)
    }

    /// An error at the rule declared with string value `id`.
    pub fn error_at_id(&self, id: &str, message: impl Into<String>) -> RuleError {
        self.error_at(self.offset_of_id(id), message)
    }

    /// An error at the place where `key` is set.
    pub fn error_at_key(&self, key: &str, message: impl Into<String>) -> RuleError {
        self.error_at(self.offset_of_key(key), message)
    }
}

fn floor_char_boundary(text: &str, mut at: usize) -> usize {
    at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}
