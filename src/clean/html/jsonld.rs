//! JSON-LD: takes a page's `application/ld+json` blocks, gives the
//! article object's headline, authors and publication date.
//!
//! Some pages put such an object in a `<meta>` tag's content (its
//! quotes escaped as `&quot;`); those count too.
//!
//! It does not validate schema.org types beyond telling articles apart
//! from other objects.

use super::meta::{meta_text, set_once};
use scraper::{Html, Selector};
use serde_json::Value;

/// Article fields found in JSON-LD blocks.
#[derive(Default)]
pub(super) struct JsonLd {
    pub(super) headline: Option<String>,
    pub(super) author: Option<String>,
    pub(super) published: Option<String>,
    pub(super) any_published: Option<String>,
    pub(super) modified: Option<String>,
}

impl JsonLd {
    /// The blocks of `sel`, then the JSON-LD objects some pages put in a
    /// `<meta>` tag's content instead (`extra`, read after the blocks).
    pub(super) fn collect<'a>(
        doc: &Html,
        sel: &Selector,
        extra: impl IntoIterator<Item = &'a str>,
    ) -> Self {
        let mut out = JsonLd::default();
        for script in doc.select(sel) {
            let raw: String = script.text().collect();
            out.add(&raw);
        }
        for raw in extra {
            out.add(raw);
        }
        out
    }

    fn add(&mut self, raw: &str) {
        if let Ok(value) = serde_json::from_str::<Value>(raw.trim()) {
            self.visit(&value, 0);
        }
    }

    fn visit(&mut self, v: &Value, depth: usize) {
        if depth > 8 {
            return;
        }
        match v {
            Value::Array(items) => items.iter().for_each(|i| self.visit(i, depth + 1)),
            Value::Object(map) => {
                // Any typed object's date backs up the article's own.
                if let Some(d) = map.get("datePublished").and_then(Value::as_str) {
                    set_once(&mut self.any_published, d.to_string());
                }
                if map.get("@type").is_some_and(is_article_type) {
                    if let Some(h) = map.get("headline").and_then(Value::as_str) {
                        set_once(&mut self.headline, meta_text(h));
                    }
                    if let Some(d) = map.get("datePublished").and_then(Value::as_str) {
                        set_once(&mut self.published, d.to_string());
                    }
                    if let Some(d) = map.get("dateModified").and_then(Value::as_str) {
                        set_once(&mut self.modified, d.to_string());
                    }
                    if let Some(a) = map.get("author").and_then(author_names) {
                        set_once(&mut self.author, a);
                    }
                }
                if let Some(g) = map.get("@graph") {
                    self.visit(g, depth + 1);
                }
                if let Some(m) = map.get("mainEntity") {
                    self.visit(m, depth + 1);
                }
            }
            _ => {}
        }
    }
}

fn is_article_type(t: &Value) -> bool {
    let one = |s: &str| {
        s.ends_with("Article") || matches!(s, "BlogPosting" | "Report" | "NewsArticle" | "Posting")
    };
    match t {
        Value::String(s) => one(s),
        Value::Array(a) => a.iter().filter_map(Value::as_str).any(one),
        _ => false,
    }
}

/// Names from a JSON-LD `author` value (string, object or list).
fn author_names(v: &Value) -> Option<String> {
    let name_of = |v: &Value| match v {
        Value::String(s) if !s.contains("://") => Some(meta_text(s)),
        // An organisation as author is the publisher, not a byline.
        Value::Object(m) if m.get("@type").and_then(Value::as_str) != Some("Organization") => {
            m.get("name").and_then(Value::as_str).map(meta_text)
        }
        _ => None,
    };
    let names: Vec<String> = match v {
        Value::Array(a) => a.iter().filter_map(name_of).collect(),
        other => name_of(other).into_iter().collect(),
    };
    let names: Vec<String> = names.into_iter().filter(|n| !n.is_empty()).collect();
    (!names.is_empty()).then(|| names.join(", "))
}
