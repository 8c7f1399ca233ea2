//! Typed errors of the library. Per-document failures are not errors here:
//! they become [`crate::record::Problem`]s inside that document's record.

use std::path::PathBuf;

/// A rule or gazetteer file that cannot be loaded: names the file, line
/// and column and shows the offending text.
#[derive(Debug, thiserror::Error)]
pub enum RuleError {
    #[error("{origin}:{line}:{column}: {message}{}", shown(text))]
    Invalid {
        origin: String,
        line: usize,
        column: usize,
        /// The offending line of the file (empty when there is none).
        text: String,
        message: String,
    },
    #[error("cannot read rule file {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("rule directory {path} does not exist")]
    MissingDir { path: PathBuf },
    #[error("{path}: not a rule file name{}", suggested(suggestion))]
    UnknownFile {
        path: PathBuf,
        suggestion: Option<String>,
    },
}

impl RuleError {
    /// An error about a whole file or a line without its text at hand.
    pub fn invalid(origin: &str, line: usize, message: impl Into<String>) -> Self {
        RuleError::Invalid {
            origin: origin.to_string(),
            line,
            column: 1,
            text: String::new(),
            message: message.into(),
        }
    }
}

/// The offending text after the message, cut to a readable length.
fn shown(text: &str) -> String {
    const MAX_CHARS: usize = 100;
    let text = text.trim();
    match text.char_indices().nth(MAX_CHARS) {
        _ if text.is_empty() => String::new(),
        Some((cut, _)) => format!("\n    {} ...", &text[..cut]),
        None => format!("\n    {text}"),
    }
}

fn suggested(suggestion: &Option<String>) -> String {
    let known: Vec<&str> = crate::rules::catalog::ALL.iter().map(|f| f.name).collect();
    match suggestion {
        Some(name) => format!(" (did you mean {name}?)"),
        None => format!(" (rule files: {})", known.join(", ")),
    }
}

/// Failures of the `check` and `eval` commands, which read whole folders.
#[derive(Debug, thiserror::Error)]
pub enum DataError {
    #[error("cannot read {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: {message}")]
    Format { path: PathBuf, message: String },
    #[error("unknown evaluation kind {0:?} (known: {1})")]
    UnknownKind(String, String),
}

impl DataError {
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        DataError::Io {
            path: path.into(),
            source,
        }
    }
    pub fn format(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        DataError::Format {
            path: path.into(),
            message: message.into(),
        }
    }
}
