//! Typed errors of the library. Per-document failures are not errors here:
//! they become [`crate::record::Problem`]s inside that document's record.

use std::path::PathBuf;

/// A rule or gazetteer file that cannot be loaded; names the file and line.
#[derive(Debug, thiserror::Error)]
pub enum RuleError {
    #[error("{origin}:{line}: {message}")]
    Invalid {
        origin: String,
        line: usize,
        message: String,
    },
    #[error("cannot read rule file {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl RuleError {
    pub fn invalid(origin: &str, line: usize, message: impl Into<String>) -> Self {
        RuleError::Invalid {
            origin: origin.to_string(),
            line,
            message: message.into(),
        }
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
