//! Clean: a decoded document → an [`Article`]: the text extractors read,
//! its boilerplate zones, title, byline and publication date.
//!
//! Takes a [`Body`] (plain text or HTML) and the input's own metadata.
//! Plain text is passed through byte for byte: boilerplate (embedded
//! tweets, teaser lists, comment forms, author boxes, bylines, stray
//! captions) is only marked as [`Zone`]s that extraction skips. HTML is
//! reduced to its main article text (paragraphs joined by blank lines) with
//! a readability-style scoring of blocks; its title, byline and date come
//! from page metadata. This stage does not segment, extract or resolve the
//! final publication date (the input's own date and `--dct` win over it).

mod html;
mod rules;
mod text;

use crate::error::RuleError;
use crate::ingest::{Body, InputMeta};
use crate::record::{Origin, Problem, Published, Span, Stage};
use crate::rules::{catalog, ExampleReport, RuleFiles};

pub use html::{HtmlExtract, HtmlRules};

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
    /// Leftover image caption or alt text.
    Caption,
}

impl ZoneKind {
    /// The kind named in rule files (`tweet`, `author_bio`, ...).
    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "tweet" => ZoneKind::Tweet,
            "link" => ZoneKind::Link,
            "related" => ZoneKind::Related,
            "comments" => ZoneKind::Comments,
            "author_bio" => ZoneKind::AuthorBio,
            "byline" => ZoneKind::Byline,
            "banner" => ZoneKind::Banner,
            "footer" => ZoneKind::Footer,
            "caption" => ZoneKind::Caption,
            _ => return None,
        })
    }
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
pub struct Cleaner {
    text: rules::TextRules,
    html: HtmlRules,
}

impl Cleaner {
    pub fn new(rules: &RuleFiles) -> Result<Self, RuleError> {
        let text = rules::TextRules::load(&rules.load(&catalog::BOILERPLATE)?)?;
        let html = HtmlRules::load(&rules.load(&catalog::CLEAN_HTML)?)?;
        Ok(Cleaner { text, html })
    }

    pub fn clean(&self, body: Body, meta: &InputMeta) -> Article {
        match body {
            Body::Text(t) => self.clean_text(t),
            Body::Html(h) => self.clean_html(&h, meta.url.as_deref()),
            Body::Missing => Article::default(),
        }
    }

    fn clean_text(&self, text: String) -> Article {
        let found = text::analyse(&self.text, &text);
        Article {
            title: found.title,
            byline: found.byline,
            published: found.published.map(|d| Published {
                value: d.to_string(),
                origin: Origin::Text,
            }),
            zones: found.zones,
            text,
            ..Article::default()
        }
    }

    fn clean_html(&self, source: &str, url: Option<&str>) -> Article {
        let page = self.html.extract(source, url);
        // Visible bylines and dates near the headline back up the metadata.
        let byline = page
            .byline
            .or_else(|| text::header_byline(&self.text, &page.header_lines));
        // The date shown under the headline is the one readers (and
        // citations) take, even when the metadata declares another one (a
        // UTC timestamp a day off, a first draft's date).
        let published = match page
            .shown_date
            .map(|d| (d, Origin::Text))
            .or(page.published.map(|d| (d, Origin::Meta)))
        {
            Some(found) => Some(found),
            None => text::header_date(&self.text, &page.header_lines)
                .or(page.visible_date)
                .map(|d| (d, Origin::Text)),
        };
        let mut article = Article {
            title: page.title,
            byline,
            published: published.map(|(d, origin)| Published {
                value: d.to_string(),
                origin,
            }),
            warnings: page
                .warnings
                .iter()
                .map(|w| Problem::new(Stage::Clean, w.as_str()))
                .collect(),
            ..Article::default()
        };
        if page.text.trim().is_empty() {
            article.errors.push(Problem::new(
                Stage::Clean,
                "HTML page has no extractable article text",
            ));
            return article;
        }
        // Text-level rules still apply to the extracted text (bylines,
        // embedded tweets, comment-form notices left inside the article).
        let text = text::drop_boilerplate_paragraphs(&self.text, &page.text);
        let found = text::analyse(&self.text, &text);
        article.zones = found.zones;
        article.byline = article.byline.or(found.byline);
        if article.published.is_none() {
            article.published = found.published.map(|d| Published {
                value: d.to_string(),
                origin: Origin::Text,
            });
        }
        // Last resorts: a date element or a short date line anywhere on
        // the page, then the declared modification time (a date is
        // better than none: the page was live then).
        if article.published.is_none() {
            article.published = page
                .last_resort_date
                .map(|d| (d, Origin::Text))
                .or(page.modified.map(|d| (d, Origin::Meta)))
                .map(|(d, origin)| Published {
                    value: d.to_string(),
                    origin,
                });
        }
        article.text = text;
        article
    }

    /// Runs every rule example (a pattern must match its examples, not
    /// its counter-examples, and capture the stated name or date).
    pub fn run_examples(&self) -> ExampleReport {
        let mut report = self.text.run_examples();
        report.extend(self.html.run_examples());
        report
    }
}

#[cfg(test)]
mod tests;
