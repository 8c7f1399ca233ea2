//! TimeML scorer: the date matcher against TIMEX3 gold annotations
//! (TimeBank / AQUAINT `.tml` files, TempEval-3 conventions).
//!
//! Takes a folder (searched recursively for `.tml` files); gives a
//! [`Report`] with the TempEval-3 measures, over all documents and again
//! for each sub-corpus (the first folder level, e.g. `TimeBank` and
//! `AQUAINT`), whose annotation conventions differ:
//! - strict: a prediction with exactly the gold extent;
//! - relaxed: a prediction overlapping a gold extent (one to one, gold in
//!   order);
//! - value: relaxed F1 times value accuracy among relaxed matches, as the
//!   official scorer computes its value F1 (so P = correct values /
//!   predictions, R = correct values / gold);
//! - type: the same with the TIMEX3 type.
//!
//! The document creation time (the `<DCT>` TIMEX3) is the anchor and is
//! not scored. Each document goes through segmentation and the clause
//! analysis before the date matcher, as in `newsx extract`, so tense
//! anchoring is scored as the pipeline does it.
//!
//! Matching follows the TempEval-3 scorer: a gold TIMEX3 and a prediction
//! pair up one to one when they overlap (an exact extent first); strict
//! counts the pairs with equal extents. Strict and relaxed P and R count
//! pairs over predictions and over gold; value and type F1 are relaxed F1
//! times the share of pairs with that attribute right.
//! It reads the XML with a small tag scanner, not a full XML parser:
//! TimeML files are flat, tag-only markup inside `<TEXT>`.
//!
//! Set `NEWSX_TIMEML_ERRORS=N` to list up to N error samples in the notes.

use super::{Report, Score};
use crate::error::DataError;
use crate::record::{DateMention, Span};
use crate::Pipeline;
use chrono::NaiveDate;
use std::path::{Path, PathBuf};

/// One gold TIMEX3 mapped into the stripped text.
#[derive(Clone, Debug, PartialEq)]
pub struct GoldTimex {
    pub span: Span,
    pub kind: String,
    pub value: String,
}

/// A parsed `.tml` document: plain text of `<TEXT>`, its DCT and gold timexes.
#[derive(Clone, Debug, Default)]
pub struct TimemlDoc {
    pub text: String,
    pub dct: Option<NaiveDate>,
    pub gold: Vec<GoldTimex>,
}

/// Totals over a corpus.
#[derive(Clone, Default)]
struct Tally {
    strict: Score,
    relaxed: Score,
    value: Score,
    kind: Score,
    type_ok: usize,
    value_ok: usize,
    errors: Vec<String>,
}

impl Tally {
    fn add(&mut self, other: &Tally) {
        self.strict.add(other.strict);
        self.relaxed.add(other.relaxed);
        self.value.add(other.value);
        self.kind.add(other.kind);
        self.type_ok += other.type_ok;
        self.value_ok += other.value_ok;
    }
}

pub fn evaluate(pipeline: &Pipeline, dir: &Path) -> Result<Report, DataError> {
    let mut files = Vec::new();
    collect_tml(dir, &mut files)?;
    if files.is_empty() {
        return Err(DataError::format(dir, "no .tml files found"));
    }
    files.sort();
    let matcher = &pipeline.extractors().dates;
    let max_errors: usize = std::env::var("NEWSX_TIMEML_ERRORS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let mut tally = Tally::default();
    let mut parts: Vec<(String, Tally)> = Vec::new();
    for path in &files {
        let raw = std::fs::read_to_string(path).map_err(|e| DataError::io(path, e))?;
        let doc = parse_tml(&raw).map_err(|m| DataError::format(path, m))?;
        let seg = pipeline.segmenter().segment(&doc.text, &[]);
        let parsed = pipeline.clauses().analyze(&doc.text, &seg);
        let predicted = matcher.extract(&crate::extract::Doc {
            text: &doc.text,
            seg: &seg,
            parsed: Some(&parsed),
            dct: doc.dct,
        });
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        let mut doc_tally = Tally {
            errors: std::mem::take(&mut tally.errors),
            ..Tally::default()
        };
        score_doc(
            &doc,
            &predicted,
            name.as_deref().unwrap_or(""),
            max_errors,
            &mut doc_tally,
        );
        tally.errors = std::mem::take(&mut doc_tally.errors);
        tally.add(&doc_tally);
        let part = sub_corpus(dir, path);
        match parts.iter_mut().find(|(p, _)| *p == part) {
            Some((_, t)) => t.add(&doc_tally),
            None => parts.push((part, doc_tally)),
        }
    }
    Ok(report(files.len(), tally, &parts))
}

/// The first folder below `dir` that holds `path` ("TimeBank"), or "" for
/// files directly in it.
fn sub_corpus(dir: &Path, path: &Path) -> String {
    let relative = path.strip_prefix(dir).unwrap_or(path);
    let mut components = relative.components();
    let first = components.next();
    match (first, components.next()) {
        (Some(c), Some(_)) => c.as_os_str().to_string_lossy().into_owned(),
        _ => String::new(),
    }
}

fn report(documents: usize, t: Tally, parts: &[(String, Tally)]) -> Report {
    let pct = |a: usize, b: usize| {
        if b == 0 {
            0.0
        } else {
            a as f64 / b as f64
        }
    };
    let mut notes = vec![
        format!(
            "type accuracy (of relaxed matches): {:.3} ({}/{})",
            pct(t.type_ok, t.relaxed.tp),
            t.type_ok,
            t.relaxed.tp
        ),
        format!(
            "value accuracy (of relaxed matches): {:.3} ({}/{})",
            pct(t.value_ok, t.relaxed.tp),
            t.value_ok,
            t.relaxed.tp
        ),
    ];
    let mut rows = measure_rows("timex", &t);
    notes.extend(t.errors);
    if parts.len() > 1 {
        for (name, part) in parts {
            rows.extend(measure_rows(name, part));
        }
    }
    Report {
        kind: "timeml".to_string(),
        documents,
        rows,
        notes,
    }
}

/// The four TempEval-3 rows of one tally.
fn measure_rows(prefix: &str, t: &Tally) -> Vec<(String, Score)> {
    vec![
        (format!("{prefix} strict extent"), t.strict),
        (format!("{prefix} relaxed extent"), t.relaxed),
        (format!("{prefix} value (relaxed+value)"), t.value),
        (format!("{prefix} type (relaxed+type)"), t.kind),
    ]
}

/// Strict, relaxed, value and type F1 of a report (for floors in tests).
pub fn f1_by_row(report: &Report) -> Vec<(String, f64)> {
    report
        .rows
        .iter()
        .map(|(name, score)| (name.clone(), score.f1()))
        .collect()
}

fn collect_tml(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), DataError> {
    let entries = std::fs::read_dir(dir).map_err(|e| DataError::io(dir, e))?;
    for entry in entries {
        let path = entry.map_err(|e| DataError::io(dir, e))?.path();
        if path.is_dir() {
            collect_tml(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "tml") {
            out.push(path);
        }
    }
    Ok(())
}

/// Scores one document: one-to-one matching, gold in order, first overlapping prediction wins.
fn score_doc(
    doc: &TimemlDoc,
    predicted: &[DateMention],
    name: &str,
    max_errors: usize,
    t: &mut Tally,
) {
    let mut used = vec![false; predicted.len()];
    let note = |t: &mut Tally, line: String| {
        if t.errors.len() < max_errors {
            t.errors.push(format!("{name}: {line}"));
        }
    };
    for g in &doc.gold {
        let gold_text = g.span.slice(&doc.text);
        let exact = predicted
            .iter()
            .enumerate()
            .find(|(i, p)| !used[*i] && p.span == g.span);
        let hit = exact.or_else(|| {
            predicted
                .iter()
                .enumerate()
                .find(|(i, p)| !used[*i] && p.span.overlaps(g.span))
        });
        let Some((i, p)) = hit else {
            t.strict.fn_ += 1;
            t.relaxed.fn_ += 1;
            t.value.fn_ += 1;
            t.kind.fn_ += 1;
            note(
                t,
                format!(
                    "MISS {:?} {} {} ...{}",
                    gold_text,
                    g.kind,
                    g.value,
                    context(&doc.text, g.span)
                ),
            );
            continue;
        };
        used[i] = true;
        t.relaxed.tp += 1;
        if p.span == g.span {
            t.strict.tp += 1;
        } else {
            t.strict.fn_ += 1;
            t.strict.fp += 1;
            note(t, format!("EXTENT gold {:?} got {:?}", gold_text, p.text));
        }
        if p.kind.name() == g.kind {
            t.type_ok += 1;
            t.kind.tp += 1;
        } else {
            t.kind.fn_ += 1;
            t.kind.fp += 1;
        }
        if p.value == g.value {
            t.value_ok += 1;
            t.value.tp += 1;
        } else {
            t.value.fn_ += 1;
            t.value.fp += 1;
            note(
                t,
                format!(
                    "VALUE {:?} gold {} {} got {} {} [{}] ...{}",
                    gold_text,
                    g.kind,
                    g.value,
                    p.kind.name(),
                    p.value,
                    p.rule,
                    context(&doc.text, g.span)
                ),
            );
        }
    }
    for (p, _) in predicted.iter().zip(&used).filter(|(_, u)| !**u) {
        t.strict.fp += 1;
        t.relaxed.fp += 1;
        t.value.fp += 1;
        t.kind.fp += 1;
        note(
            t,
            format!(
                "FALSE {:?} {} [{}] ...{}",
                p.text,
                p.value,
                p.rule,
                context(&doc.text, p.span)
            ),
        );
    }
}

/// The text around a span (for error notes), on one line.
fn context(text: &str, span: Span) -> String {
    let mut start = span.start.saturating_sub(70);
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = (span.end + 30).min(text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    text[start..end].replace('\n', " ")
}

/// Parses a TimeML document: plain `<TEXT>` content with gold TIMEX3 spans.
pub fn parse_tml(raw: &str) -> Result<TimemlDoc, String> {
    let dct = dct_value(raw).and_then(|v| crate::dct::parse_date(&v));
    let start = raw.find("<TEXT>").ok_or("no <TEXT> element")? + "<TEXT>".len();
    let end = raw[start..]
        .find("</TEXT>")
        .map(|e| start + e)
        .ok_or("no </TEXT> element")?;
    let (text, gold) = strip_tags(&raw[start..end])?;
    Ok(TimemlDoc { text, dct, gold })
}

fn dct_value(raw: &str) -> Option<String> {
    let start = raw.find("<DCT>")?;
    let end = start + raw[start..].find("</DCT>")?;
    let tag_start = start + raw[start..end].find("<TIMEX3")?;
    let tag_end = tag_start + raw[tag_start..end].find('>')?;
    attribute(&raw[tag_start..tag_end], "value")
}

/// Removes all tags and unescapes entities; TIMEX3 elements become gold spans.
fn strip_tags(body: &str) -> Result<(String, Vec<GoldTimex>), String> {
    let mut text = String::with_capacity(body.len());
    let mut gold = Vec::new();
    let mut open: Option<(usize, String, String)> = None;
    let mut rest = body;
    while let Some(lt) = rest.find('<') {
        push_unescaped(&mut text, &rest[..lt]);
        let gt = rest[lt..].find('>').ok_or("unclosed tag")? + lt;
        let tag = &rest[lt + 1..gt];
        if tag.starts_with("TIMEX3") {
            let kind = attribute(tag, "type").unwrap_or_default();
            let value = attribute(tag, "value").unwrap_or_default();
            open = Some((text.len(), kind, value));
        } else if tag.starts_with("/TIMEX3") {
            let (start, kind, value) = open.take().ok_or("</TIMEX3> without <TIMEX3>")?;
            gold.push(GoldTimex {
                span: Span::new(start, text.len()),
                kind,
                value,
            });
        }
        rest = &rest[gt + 1..];
    }
    push_unescaped(&mut text, rest);
    Ok((text, gold))
}

fn attribute(tag: &str, name: &str) -> Option<String> {
    let key = format!(" {name}=\"");
    let start = tag.find(&key)? + key.len();
    let end = start + tag[start..].find('"')?;
    let mut out = String::new();
    push_unescaped(&mut out, &tag[start..end]);
    Some(out)
}

fn push_unescaped(out: &mut String, s: &str) {
    const ENTITIES: [(&str, char); 5] = [
        ("&amp;", '&'),
        ("&lt;", '<'),
        ("&gt;", '>'),
        ("&quot;", '"'),
        ("&apos;", '\''),
    ];
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let tail = &rest[amp..];
        match ENTITIES.iter().find(|(e, _)| tail.starts_with(e)) {
            Some((e, c)) => {
                out.push(*c);
                rest = &tail[e.len()..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::TimexType;

    #[test]
    fn parses_text_dct_and_gold_offsets() {
        let raw = r#"<DCT><TIMEX3 tid="t0" type="DATE" value="1998-01-08">19980108</TIMEX3></DCT>
<TEXT>A &amp; B <EVENT eid="e1">fell</EVENT> <TIMEX3 tid="t1" type="DATE" value="1998-01-07">yesterday</TIMEX3>.</TEXT>"#;
        let doc = parse_tml(raw).unwrap();
        assert_eq!(doc.text, "A & B fell yesterday.");
        assert_eq!(doc.dct, NaiveDate::from_ymd_opt(1998, 1, 8));
        assert_eq!(doc.gold.len(), 1);
        assert_eq!(doc.gold[0].span.slice(&doc.text), "yesterday");
        assert_eq!(doc.gold[0].value, "1998-01-07");
        assert_eq!(doc.gold[0].kind, "DATE");
    }

    #[test]
    fn scores_strict_relaxed_and_value() {
        let doc = TimemlDoc {
            text: "on Friday morning and in 1990".to_string(),
            dct: None,
            gold: vec![
                GoldTimex {
                    span: Span::new(3, 9),
                    kind: "DATE".into(),
                    value: "X".into(),
                },
                GoldTimex {
                    span: Span::new(25, 29),
                    kind: "DATE".into(),
                    value: "1990".into(),
                },
            ],
        };
        let mention = |s: usize, e: usize, v: &str| DateMention {
            span: Span::new(s, e),
            text: doc.text[s..e].to_string(),
            kind: TimexType::Date,
            value: v.to_string(),
            modifier: None,
            rule: "r".into(),
        };
        let mut t = Tally::default();
        score_doc(
            &doc,
            &[mention(3, 17, "Y"), mention(25, 29, "1990")],
            "d",
            0,
            &mut t,
        );
        assert_eq!(t.relaxed.tp, 2);
        assert_eq!(t.strict.tp, 1);
        assert_eq!(t.value.tp, 1);
        assert_eq!(t.type_ok, 2);
    }
}
