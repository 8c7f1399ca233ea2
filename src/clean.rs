//! Clean: a decoded document → an [`Article`]: the text extractors read,
//! its boilerplate zones, title, byline and publication date.
//!
//! (First wiring version: plain text passes through unchanged; the full
//! cleaner replaces this module.)

use crate::error::RuleError;
use crate::ingest::{Body, InputMeta};
use crate::record::{Problem, Published, Span};
use crate::rules::RuleFiles;

/// What kind of boilerplate a zone is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ZoneKind {
    Tweet,
    Link,
    Related,
    Comments,
    AuthorBio,
    Byline,
    Banner,
    Footer,
}

/// A stretch of the text that extraction skips.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Zone {
    pub span: Span,
    pub kind: ZoneKind,
}

/// The cleaned document.
#[derive(Clone, Debug, Default)]
pub struct Article {
    pub text: String,
    pub title: Option<String>,
    pub byline: Option<String>,
    /// Publication date found in HTML metadata or text cues.
    pub published: Option<Published>,
    pub zones: Vec<Zone>,
    pub errors: Vec<Problem>,
    pub warnings: Vec<Problem>,
}

/// The compiled cleaning rules.
pub struct Cleaner {}

impl Cleaner {
    pub fn new(_rules: &RuleFiles) -> Result<Self, RuleError> {
        Ok(Cleaner {})
    }

    pub fn clean(&self, body: Body, _meta: &InputMeta) -> Article {
        let text = match body {
            Body::Text(t) | Body::Html(t) => t,
            Body::Missing => String::new(),
        };
        Article {
            text,
            ..Article::default()
        }
    }
}
