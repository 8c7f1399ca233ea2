//! Gold annotations for one article and their scoring against a record.
//!
//! Gold is partial: a field absent from the file is not scored. Matching is
//! lenient where surface forms legitimately vary: names compare after
//! normalisation (case, quotes, periods, possessives, a leading "the") and
//! through the gold entity aliases; quote contents match when their word
//! overlap is at least half of the longer one.

use crate::error::DataError;
use crate::eval::Score;
use crate::record::Record;
use serde::Deserialize;
use std::collections::HashMap;
use std::path::Path;

#[derive(Debug, Deserialize)]
pub struct Gold {
    #[serde(default)]
    published: Option<Option<String>>,
    #[serde(default)]
    title: Option<Option<String>>,
    #[serde(default)]
    byline: Option<Option<String>>,
    entities: Option<Vec<GoldEntity>>,
    dates: Option<Vec<GoldDate>>,
    lists: Option<Vec<String>>,
    quotes: Option<Vec<GoldQuote>>,
    events: Option<Vec<GoldEvent>>,
}

#[derive(Debug, Deserialize)]
struct GoldEntity {
    #[serde(rename = "type")]
    kind: String,
    name: String,
    #[serde(default)]
    aliases: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct GoldDate {
    text: String,
    value: String,
}

#[derive(Debug, Deserialize)]
struct GoldQuote {
    text: String,
    speaker: Option<String>,
}

#[derive(Debug, Deserialize)]
struct GoldEvent {
    #[serde(rename = "type")]
    kind: String,
    target: Option<String>,
    list: Option<String>,
    date: Option<String>,
    polarity: Option<String>,
    modality: Option<String>,
}

/// Per-field scores and the readable differences behind them.
pub struct GoldReport {
    pub scores: Vec<(&'static str, Score)>,
    pub misses: Vec<String>,
}

impl Gold {
    pub fn load(path: &Path) -> Result<Gold, DataError> {
        let text = std::fs::read_to_string(path).map_err(|e| DataError::io(path, e))?;
        serde_json::from_str(&text).map_err(|e| DataError::format(path, e.to_string()))
    }

    pub fn score(&self, record: &Record) -> GoldReport {
        let names = self.alias_map();
        let mut report = GoldReport {
            scores: Vec::new(),
            misses: Vec::new(),
        };
        let published = record.published.as_ref().map(|p| p.value.clone());
        report.scalar("published", &self.published, &published);
        report.scalar("title", &self.title, &record.title);
        report.scalar("byline", &self.byline, &record.byline);
        if let Some(gold) = &self.entities {
            let want: Vec<String> = gold
                .iter()
                .map(|e| format!("{} {}", e.kind, names.canon(&e.name)))
                .collect();
            let got: Vec<String> = record
                .entities
                .iter()
                .map(|e| format!("{} {}", e.kind.name(), names.canon(&e.name)))
                .collect();
            report.matched("entities", &want, &got, |a, b| a == b);
        }
        if let Some(gold) = &self.dates {
            let want: Vec<String> = gold
                .iter()
                .map(|d| format!("{:?} {}", norm(&d.text), d.value))
                .collect();
            let got: Vec<String> = record
                .dates
                .iter()
                .map(|d| format!("{:?} {}", norm(&d.text), d.value))
                .collect();
            report.matched("dates", &want, &got, |a, b| a == b);
            let want: Vec<String> = gold.iter().map(|d| norm(&d.text)).collect();
            let got: Vec<String> = record.dates.iter().map(|d| norm(&d.text)).collect();
            report.matched_quiet("dates (extent)", &want, &got, |a, b| a == b);
        }
        if let Some(gold) = &self.lists {
            let got: Vec<String> = record.lists.iter().map(|l| l.id.clone()).collect();
            report.matched("lists", gold, &got, |a, b| a == b);
        }
        if let Some(gold) = &self.quotes {
            self.score_quotes(gold, record, &names, &mut report);
        }
        if let Some(gold) = &self.events {
            score_events(gold, record, &names, &mut report);
        }
        report
    }

    fn score_quotes(
        &self,
        gold: &[GoldQuote],
        record: &Record,
        names: &Names,
        report: &mut GoldReport,
    ) {
        let want: Vec<(String, String)> = gold
            .iter()
            .map(|q| {
                (
                    q.text.clone(),
                    q.speaker
                        .as_deref()
                        .map_or(String::new(), |s| names.canon(s)),
                )
            })
            .collect();
        let got: Vec<(String, String)> = record
            .quotes
            .iter()
            .map(|q| {
                let speaker = q.speaker.as_ref().map_or(String::new(), |s| {
                    let entity = s
                        .entity
                        .as_ref()
                        .and_then(|id| record.entities.iter().find(|e| &e.id == id));
                    names.canon(entity.map_or(s.text.as_str(), |e| e.name.as_str()))
                });
                (q.text.clone(), speaker)
            })
            .collect();
        let show = |v: &[(String, String)]| {
            v.iter()
                .map(|(t, s)| format!("{:?} — {s}", clip(t)))
                .collect::<Vec<_>>()
        };
        report.matched_by("quotes", &show(&want), &show(&got), &want, &got, |a, b| {
            same_content(&a.0, &b.0)
        });
        report.matched_by("quotes+speaker", &[], &[], &want, &got, |a, b| {
            same_content(&a.0, &b.0) && a.1 == b.1
        });
    }

    /// Every gold name and alias → the normalised canonical gold name.
    fn alias_map(&self) -> Names {
        let mut map = HashMap::new();
        for e in self.entities.iter().flatten() {
            let canon = norm(&e.name);
            for alias in e.aliases.iter().chain(std::iter::once(&e.name)) {
                map.insert(norm(alias), canon.clone());
            }
        }
        Names(map)
    }
}

fn score_events(gold: &[GoldEvent], record: &Record, names: &Names, report: &mut GoldReport) {
    let want: Vec<String> = gold
        .iter()
        .map(|e| {
            event_key(
                &e.kind,
                e.target.as_deref().map(|t| names.canon(t)),
                e.list.as_deref(),
                e.polarity.as_deref().unwrap_or("positive"),
                e.modality.as_deref().unwrap_or("asserted"),
            ) + &e.date.as_ref().map_or(String::new(), |d| format!(" @{d}"))
        })
        .collect();
    let mut got = Vec::new();
    for e in &record.events {
        let polarity = crate::output::polarity_name(e.polarity);
        let modality = crate::output::modality_name(e.modality);
        let date = e
            .date
            .as_ref()
            .map_or(String::new(), |d| format!(" @{}", d.value));
        let targets: Vec<Option<String>> = if e.target.is_empty() {
            vec![None]
        } else {
            e.target
                .iter()
                .map(|t| {
                    let entity = t
                        .entity
                        .as_ref()
                        .and_then(|id| record.entities.iter().find(|x| &x.id == id));
                    Some(names.canon(entity.map_or(t.text.as_str(), |x| x.name.as_str())))
                })
                .collect()
        };
        for target in targets {
            got.push(event_key(&e.kind, target, e.list.as_deref(), polarity, modality) + &date);
        }
    }
    // A gold item without a date or list accepts any output date or list.
    report.matched("events", &want, &got, |w, g| {
        let (w_key, w_date) = split_date(w);
        let (g_key, g_date) = split_date(g);
        keys_match(w_key, g_key) && (w_date.is_none() || w_date == g_date)
    });
    report.matched_quiet("events (type+target)", &want, &got, |w, g| {
        type_target(split_date(w).0) == type_target(split_date(g).0)
    });
}

fn event_key(
    kind: &str,
    target: Option<String>,
    list: Option<&str>,
    polarity: &str,
    modality: &str,
) -> String {
    format!(
        "{kind} | {} | {} | {polarity} | {modality}",
        target.unwrap_or_else(|| "-".into()),
        list.unwrap_or("*")
    )
}

fn split_date(item: &str) -> (&str, Option<&str>) {
    match item.rsplit_once(" @") {
        Some((key, date)) => (key, Some(date)),
        None => (item, None),
    }
}

fn keys_match(gold: &str, got: &str) -> bool {
    let g: Vec<&str> = gold.split(" | ").collect();
    let o: Vec<&str> = got.split(" | ").collect();
    g.len() == o.len() && g.iter().zip(&o).all(|(a, b)| a == b || *a == "*")
}

fn type_target(key: &str) -> String {
    key.split(" | ").take(2).collect::<Vec<_>>().join(" | ")
}

struct Names(HashMap<String, String>);

impl Names {
    /// The normalised canonical gold name of `name`, or `name` normalised.
    fn canon(&self, name: &str) -> String {
        let n = norm(name);
        self.0.get(&n).cloned().unwrap_or(n)
    }
}

impl GoldReport {
    fn scalar(&mut self, field: &'static str, gold: &Option<Option<String>>, got: &Option<String>) {
        let Some(gold) = gold else { return };
        let (g, o) = (gold.as_deref().map(norm), got.as_deref().map(norm));
        let mut s = Score::default();
        match (&g, &o) {
            (Some(a), Some(b)) if a == b => s.tp += 1,
            (Some(_), Some(_)) => {
                s.fp += 1;
                s.fn_ += 1;
            }
            (Some(_), None) => s.fn_ += 1,
            (None, Some(_)) => s.fp += 1,
            (None, None) => {}
        }
        if g != o {
            self.misses
                .push(format!("{field}: gold {gold:?}, got {got:?}"));
        }
        self.scores.push((field, s));
    }

    fn matched(
        &mut self,
        field: &'static str,
        want: &[String],
        got: &[String],
        eq: impl Fn(&String, &String) -> bool,
    ) {
        self.matched_by(field, want, got, want, got, eq);
    }

    fn matched_quiet(
        &mut self,
        field: &'static str,
        want: &[String],
        got: &[String],
        eq: impl Fn(&String, &String) -> bool,
    ) {
        self.matched_by(field, &[], &[], want, got, eq);
    }

    /// Greedy one-to-one matching; `shown_*` are the display forms of the
    /// items (empty to report the score only).
    fn matched_by<T>(
        &mut self,
        field: &'static str,
        shown_want: &[String],
        shown_got: &[String],
        want: &[T],
        got: &[T],
        eq: impl Fn(&T, &T) -> bool,
    ) {
        let mut used = vec![false; got.len()];
        let mut s = Score::default();
        for (i, w) in want.iter().enumerate() {
            match (0..got.len()).find(|&j| !used[j] && eq(w, &got[j])) {
                Some(j) => {
                    used[j] = true;
                    s.tp += 1;
                }
                None => {
                    s.fn_ += 1;
                    if let Some(shown) = shown_want.get(i) {
                        self.misses.push(format!("- {field}: {shown}"));
                    }
                }
            }
        }
        for (j, u) in used.iter().enumerate() {
            if !u {
                s.fp += 1;
                if let Some(shown) = shown_got.get(j) {
                    self.misses.push(format!("+ {field}: {shown}"));
                }
            }
        }
        self.scores.push((field, s));
    }
}

/// Lower case; quotes, periods and a leading "the" dropped; possessive
/// endings removed; white space collapsed.
pub fn norm(s: &str) -> String {
    let cleaned: String = s
        .chars()
        .filter(|c| !matches!(c, '"' | '“' | '”' | '‘' | '.'))
        .map(|c| if c == '’' { '\'' } else { c })
        .flat_map(char::to_lowercase)
        .collect();
    let words: Vec<&str> = cleaned.split_whitespace().collect();
    let mut joined = words.join(" ");
    if let Some(rest) = joined.strip_prefix("the ") {
        joined = rest.to_string();
    }
    joined
        .strip_suffix("'s")
        .map(str::to_string)
        .unwrap_or(joined)
}

fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Quote contents match when the shared words are at least half of the longer content.
fn same_content(a: &str, b: &str) -> bool {
    let (wa, wb) = (words(a), words(b));
    if wa.is_empty() || wb.is_empty() {
        return false;
    }
    let mut pool = wb.clone();
    let common = wa
        .iter()
        .filter(|w| match pool.iter().position(|p| p == *w) {
            Some(i) => {
                pool.swap_remove(i);
                true
            }
            None => false,
        })
        .count();
    common * 2 >= wa.len().max(wb.len())
}

fn clip(s: &str) -> String {
    let mut out: String = s.chars().take(70).collect();
    if out.len() < s.len() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_normalise() {
        assert_eq!(
            norm("the U.S. Department of Defense’s"),
            "us department of defense"
        );
        assert_eq!(norm("“Xiaomi”"), "xiaomi");
    }

    #[test]
    fn quote_contents_match_by_word_overlap() {
        assert!(same_content(
            "We are not a Chinese military company",
            "we are not a Chinese military company, nor"
        ));
        assert!(!same_content(
            "We are not a Chinese military company",
            "The company stressed that it sells"
        ));
    }

    #[test]
    fn event_keys_accept_wildcard_list() {
        assert!(keys_match(
            "list.add | xiaomi | * | positive | asserted",
            "list.add | xiaomi | us-dod-1237 | positive | asserted"
        ));
        assert!(!keys_match(
            "list.add | xiaomi | us-dod-1260h | positive | asserted",
            "list.add | xiaomi | us-dod-1237 | positive | asserted"
        ));
    }
}
