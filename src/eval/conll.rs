//! Entity evaluation in CoNLL-2003 terms: exact-match precision, recall and
//! F1 per type (PER, ORG, LOC, MISC) and overall.
//!
//! Takes a CoNLL-2003 file (one token a line, the name tag in the last
//! column, IOB1 or IOB2; blank lines end sentences; `-DOCSTART-` lines
//! start documents), or a byte-span gold file over plain-text articles;
//! gives a [`Report`]. A document is rebuilt as text (tokens joined by one
//! space, one sentence a line, a blank line between sentences) and run
//! through segmentation, dates, lists and entities, without cleaning, so
//! offsets stay those of the rebuilt text. A mention counts only when its
//! span and mapped type both equal a gold mention's.
//!
//! Type mapping (newsx type → CoNLL type):
//!
//! | newsx | CoNLL | why |
//! |---|---|---|
//! | PERSON | PER | |
//! | ORG | ORG | companies, parties, clubs, agencies, media outlets |
//! | GPE | LOC | CoNLL tags countries and cities LOC whatever they stand for: a capital as its government ("Washington said") and a country as its national team ("England beat Wales") stay LOC; newsx keeps them GPE for the same reason |
//! | LOC | LOC | |
//! | NORP | MISC | nationalities and other group adjectives ("British", "Frenchman") |
//! | LAW | MISC | named laws and treaties |
//! | MISC | MISC | events, works, products, awards |
//!
//! "The company" mentions (rule `coref.company`) are not names and are
//! left out. Does not score entity grouping or canonical names.

use super::{Report, Score};
use crate::error::DataError;
use crate::extract::Doc;
use crate::record::{Entity, EntityType, Span};
use crate::segment::segment;
use crate::Pipeline;
use std::collections::HashSet;
use std::path::Path;

/// The four CoNLL-2003 name types.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ConllType {
    Per,
    Org,
    Loc,
    Misc,
}

impl ConllType {
    pub const ALL: [ConllType; 4] = [
        ConllType::Per,
        ConllType::Org,
        ConllType::Loc,
        ConllType::Misc,
    ];

    /// The CoNLL type a newsx type is scored as (see the module table).
    pub fn of(kind: EntityType) -> Self {
        match kind {
            EntityType::Person => ConllType::Per,
            EntityType::Org => ConllType::Org,
            EntityType::Gpe | EntityType::Loc => ConllType::Loc,
            EntityType::Norp | EntityType::Law | EntityType::Misc => ConllType::Misc,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            ConllType::Per => "PER",
            ConllType::Org => "ORG",
            ConllType::Loc => "LOC",
            ConllType::Misc => "MISC",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.name() == name)
    }
}

/// One name mention: byte span and type.
pub type Labelled = (Span, ConllType);

/// A document rebuilt from CoNLL tokens, with its gold mentions.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ConllDoc {
    pub text: String,
    pub gold: Vec<Labelled>,
}

/// Exact-match counts per CoNLL type.
#[derive(Clone, Copy, Debug, Default)]
pub struct TypeScores {
    pub per_type: [Score; 4],
    /// Span right, type ignored.
    pub span_only: Score,
}

impl TypeScores {
    pub fn overall(&self) -> Score {
        let mut all = Score::default();
        for s in self.per_type {
            all.add(s);
        }
        all
    }

    pub fn of(&self, t: ConllType) -> Score {
        self.per_type[t as usize]
    }

    fn add(&mut self, other: &TypeScores) {
        for (a, b) in self.per_type.iter_mut().zip(other.per_type) {
            a.add(b);
        }
        self.span_only.add(other.span_only);
    }

    fn report(&self, kind: &str, documents: usize) -> Report {
        let mut rows = vec![("overall".to_string(), self.overall())];
        rows.extend(ConllType::ALL.map(|t| (t.name().to_string(), self.of(t))));
        rows.push(("span only (type ignored)".to_string(), self.span_only));
        Report {
            kind: kind.to_string(),
            documents,
            rows,
            notes: vec![],
        }
    }
}

/// Scores predicted against gold mentions of one document (sets: a
/// duplicate counts once).
pub fn score(gold: &[Labelled], predicted: &[Labelled]) -> TypeScores {
    let gold: HashSet<Labelled> = gold.iter().copied().collect();
    let predicted: HashSet<Labelled> = predicted.iter().copied().collect();
    let mut out = TypeScores::default();
    for t in ConllType::ALL {
        let s = &mut out.per_type[t as usize];
        s.tp = predicted
            .iter()
            .filter(|m| m.1 == t && gold.contains(m))
            .count();
        s.fp = predicted.iter().filter(|m| m.1 == t).count() - s.tp;
        s.fn_ = gold.iter().filter(|m| m.1 == t).count() - s.tp;
    }
    let spans = |set: &HashSet<Labelled>| set.iter().map(|m| m.0).collect::<HashSet<Span>>();
    let (gold_spans, predicted_spans) = (spans(&gold), spans(&predicted));
    let tp = predicted_spans.intersection(&gold_spans).count();
    out.span_only = Score {
        tp,
        fp: predicted_spans.len() - tp,
        fn_: gold_spans.len() - tp,
    };
    out
}

/// Name mentions the pipeline finds in `text`, typed in CoNLL terms.
pub fn predict(pipeline: &Pipeline, text: &str) -> Vec<Labelled> {
    let seg = segment(text, &[]);
    let doc = Doc::new(text, &seg, None);
    let ex = pipeline.extractors();
    let dates = ex.dates.extract(&doc);
    let lists = ex.lists.extract(&doc);
    names(&ex.entities.extract(&doc, &dates, &lists))
}

fn names(entities: &[Entity]) -> Vec<Labelled> {
    entities
        .iter()
        .flat_map(|e| {
            e.mentions
                .iter()
                .filter(|m| !m.rule.starts_with("coref."))
                .map(move |m| (m.span, ConllType::of(e.kind)))
        })
        .collect()
}

/// `newsx eval conll FILE`.
pub fn evaluate(pipeline: &Pipeline, path: &Path) -> Result<Report, DataError> {
    evaluate_listing(pipeline, path, false)
}

/// `newsx eval conll FILE [--errors]`: with `errors`, the report's notes
/// list every missed and spurious mention (a mistyped one appears as both),
/// by document number and sentence.
pub fn evaluate_listing(
    pipeline: &Pipeline,
    path: &Path,
    errors: bool,
) -> Result<Report, DataError> {
    let raw = std::fs::read_to_string(path).map_err(|e| DataError::io(path, e))?;
    let docs = parse(&raw).map_err(|m| DataError::format(path, m))?;
    if docs.is_empty() {
        return Err(DataError::format(path, "no tokens found"));
    }
    let mut total = TypeScores::default();
    let mut notes = Vec::new();
    for (n, doc) in docs.iter().enumerate() {
        let predicted = predict(pipeline, &doc.text);
        total.add(&score(&doc.gold, &predicted));
        if errors {
            notes.extend(differences(n + 1, &doc.text, &doc.gold, &predicted));
        }
    }
    let mut report = total.report("conll", docs.len());
    report.notes = notes;
    Ok(report)
}

/// One line per gold mention not predicted ("miss") and per predicted
/// mention not in the gold ("spurious"), in text order, each with its
/// sentence line.
fn differences(doc: usize, text: &str, gold: &[Labelled], predicted: &[Labelled]) -> Vec<String> {
    let gold_set: HashSet<&Labelled> = gold.iter().collect();
    let predicted_set: HashSet<&Labelled> = predicted.iter().collect();
    let mut lines: Vec<(usize, String)> = Vec::new();
    let mut note = |m: &Labelled, what: &str| {
        let line_start = text[..m.0.start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[m.0.end..]
            .find('\n')
            .map_or(text.len(), |i| m.0.end + i);
        let line = format!(
            "doc {doc}: {what:<8} {:<4} {:?} in: {}",
            m.1.name(),
            m.0.slice(text),
            &text[line_start..line_end]
        );
        lines.push((m.0.start, line));
    };
    for m in gold.iter().filter(|m| !predicted_set.contains(m)) {
        note(m, "miss");
    }
    for m in predicted.iter().filter(|m| !gold_set.contains(m)) {
        note(m, "spurious");
    }
    lines.sort();
    lines.dedup();
    lines.into_iter().map(|(_, l)| l).collect()
}

/// Documents of a CoNLL-2003 file; an error names the bad line.
pub fn parse(raw: &str) -> Result<Vec<ConllDoc>, String> {
    let mut docs = Vec::new();
    let mut doc = ConllDoc::default();
    // The open chunk: start byte, end byte, type.
    let mut open: Option<(usize, usize, ConllType)> = None;
    let mut sentence_empty = true;
    for (n, line) in raw.lines().enumerate() {
        let cols: Vec<&str> = line.split_whitespace().collect();
        let docstart = cols.first() == Some(&"-DOCSTART-");
        if docstart || cols.is_empty() {
            close(&mut doc, &mut open);
            if !sentence_empty {
                doc.text.push_str("\n\n");
                sentence_empty = true;
            }
            if docstart && !doc.text.is_empty() {
                docs.push(std::mem::take(&mut doc));
            }
            continue;
        }
        let [token, .., tag] = cols[..] else {
            return Err(format!("line {}: expected a token and a tag", n + 1));
        };
        let label = parse_tag(tag).map_err(|m| format!("line {}: {m}", n + 1))?;
        if !sentence_empty {
            doc.text.push(' ');
        }
        let start = doc.text.len();
        doc.text.push_str(token);
        let end = doc.text.len();
        sentence_empty = false;
        match (label, &mut open) {
            // IOB1 and IOB2 alike: "I-X" continues an open X chunk.
            (Some((false, t)), Some((_, open_end, open_t))) if t == *open_t => *open_end = end,
            _ => {
                close(&mut doc, &mut open);
                open = label.map(|(_, t)| (start, end, t));
            }
        }
    }
    close(&mut doc, &mut open);
    if !doc.text.is_empty() {
        docs.push(doc);
    }
    Ok(docs)
}

fn close(doc: &mut ConllDoc, open: &mut Option<(usize, usize, ConllType)>) {
    if let Some((start, end, t)) = open.take() {
        doc.gold.push((Span::new(start, end), t));
    }
}

/// `O` → None; `B-ORG` → (true, ORG); `I-ORG` → (false, ORG).
fn parse_tag(tag: &str) -> Result<Option<(bool, ConllType)>, String> {
    if tag == "O" {
        return Ok(None);
    }
    let (prefix, name) = tag
        .split_once('-')
        .ok_or_else(|| format!("bad tag {tag:?}"))?;
    let t = ConllType::from_name(name).ok_or_else(|| format!("unknown type in tag {tag:?}"))?;
    match prefix {
        "B" => Ok(Some((true, t))),
        "I" => Ok(Some((false, t))),
        _ => Err(format!("bad tag {tag:?}")),
    }
}

/// Gold of byte spans over plain-text articles: lines
/// `doc<TAB>start<TAB>end<TAB>TYPE`, where `doc` names `corpus/doc.txt`;
/// `#` lines are comments. Scores the pipeline on each article's raw text.
pub fn evaluate_spans(
    pipeline: &Pipeline,
    gold_file: &Path,
    corpus: &Path,
) -> Result<Report, DataError> {
    let raw = std::fs::read_to_string(gold_file).map_err(|e| DataError::io(gold_file, e))?;
    let gold = parse_spans(&raw).map_err(|m| DataError::format(gold_file, m))?;
    let mut total = TypeScores::default();
    for (doc, mentions) in &gold {
        let path = corpus.join(format!("{doc}.txt"));
        let text = std::fs::read_to_string(&path).map_err(|e| DataError::io(&path, e))?;
        if let Some(bad) = mentions
            .iter()
            .find(|m| text.get(m.0.start..m.0.end).is_none())
        {
            let message = format!("span {}..{} is not inside the text", bad.0.start, bad.0.end);
            return Err(DataError::format(&path, message));
        }
        total.add(&score(mentions, &predict(pipeline, &text)));
    }
    Ok(total.report("entity spans", gold.len()))
}

/// Gold mentions by document, in file order.
pub fn parse_spans(raw: &str) -> Result<Vec<(String, Vec<Labelled>)>, String> {
    let mut out: Vec<(String, Vec<Labelled>)> = Vec::new();
    for (n, line) in raw.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let bad = || format!("line {}: expected doc<TAB>start<TAB>end<TAB>TYPE", n + 1);
        let [doc, start, end, kind] = line.split('\t').collect::<Vec<_>>()[..] else {
            return Err(bad());
        };
        let (Ok(start), Ok(end), Some(kind)) =
            (start.parse(), end.parse(), ConllType::from_name(kind))
        else {
            return Err(bad());
        };
        if start >= end {
            return Err(bad());
        }
        match out.last_mut() {
            Some((d, mentions)) if d == doc => mentions.push((Span::new(start, end), kind)),
            _ => out.push((doc.to_string(), vec![(Span::new(start, end), kind)])),
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "-DOCSTART- -X- -X- O\n\n\
        EU NNP B-NP I-ORG\nrejects VBZ B-VP O\nGerman JJ B-NP I-MISC\ncall NN I-NP O\n. . O O\n\n\
        Peter NNP B-NP I-PER\nBlackburn NNP I-NP I-PER\n\n\
        -DOCSTART- -X- -X- O\n\n\
        New B-LOC\nYork I-LOC\nYankees B-ORG\n";

    fn texts(doc: &ConllDoc) -> Vec<(&str, &str)> {
        doc.gold
            .iter()
            .map(|(s, t)| (s.slice(&doc.text), t.name()))
            .collect()
    }

    #[test]
    fn parses_documents_sentences_and_both_iob_schemes() {
        let docs = parse(SAMPLE).unwrap();
        assert_eq!(docs.len(), 2);
        assert_eq!(
            docs[0].text,
            "EU rejects German call .\n\nPeter Blackburn\n\n"
        );
        assert_eq!(
            texts(&docs[0]),
            [
                ("EU", "ORG"),
                ("German", "MISC"),
                ("Peter Blackburn", "PER")
            ]
        );
        // IOB2: B- after I- of another type and B- of the same type both split.
        assert_eq!(texts(&docs[1]), [("New York", "LOC"), ("Yankees", "ORG")]);
        let same = parse("A B-ORG\nB B-ORG\nC I-ORG\n").unwrap();
        assert_eq!(texts(&same[0]), [("A", "ORG"), ("B C", "ORG")]);
    }

    #[test]
    fn bad_lines_are_named() {
        assert_eq!(
            parse("EU X-ORG\n").unwrap_err(),
            "line 1: bad tag \"X-ORG\""
        );
        assert!(parse("EU I-FOO\n").unwrap_err().contains("unknown type"));
        assert!(parse_spans("a\t3\t1\tPER\n")
            .unwrap_err()
            .starts_with("line 1"));
        assert!(parse_spans("a\t1\t3\tPERSON\n").is_err());
    }

    #[test]
    fn exact_match_needs_span_and_type() {
        let s = |a, b| Span::new(a, b);
        let gold = [(s(0, 2), ConllType::Org), (s(11, 17), ConllType::Misc)];
        let predicted = [
            (s(0, 2), ConllType::Org),
            (s(11, 17), ConllType::Loc),
            (s(20, 25), ConllType::Per),
        ];
        let t = score(&gold, &predicted);
        assert_eq!((t.of(ConllType::Org).tp, t.of(ConllType::Misc).fn_), (1, 1));
        assert_eq!((t.of(ConllType::Loc).fp, t.of(ConllType::Per).fp), (1, 1));
        assert_eq!(
            t.overall(),
            Score {
                tp: 1,
                fp: 2,
                fn_: 1
            }
        );
        assert_eq!(t.span_only.tp, 2);
    }

    #[test]
    fn types_map_as_documented() {
        assert_eq!(ConllType::of(EntityType::Gpe), ConllType::Loc);
        assert_eq!(ConllType::of(EntityType::Norp), ConllType::Misc);
        assert_eq!(ConllType::of(EntityType::Law), ConllType::Misc);
    }
}
