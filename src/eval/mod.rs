//! Eval: score the pipeline against gold data sets with precision, recall
//! and F1.
//!
//! Takes a kind (`timeml`, `polnear`, `wcxb`, `conll`) and the data directory
//! (for `conll`, a CoNLL-2003 file); gives
//! a [`Report`] with one [`Score`] row per measured field. Each kind lives in
//! its own module with its own matching rules, documented there.

pub mod conll;
pub mod events;
pub mod html;
pub mod quotes;
pub mod timeml;
pub mod ud;

use crate::error::DataError;
use crate::Pipeline;
use std::fmt;
use std::path::Path;

/// Counts of true positives, false positives and false negatives.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Score {
    pub tp: usize,
    pub fp: usize,
    pub fn_: usize,
}

impl Score {
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
    /// One table row: name, counts, P, R, F1.
    pub fn write_row(&self, f: &mut fmt::Formatter<'_>, name: &str, width: usize) -> fmt::Result {
        writeln!(
            f,
            "{name:<width$} {:>7} {:>7} {:>7} {:>7.3} {:>7.3} {:>7.3}",
            self.tp,
            self.fp,
            self.fn_,
            self.precision(),
            self.recall(),
            self.f1()
        )
    }

    pub fn add(&mut self, other: Score) {
        self.tp += other.tp;
        self.fp += other.fp;
        self.fn_ += other.fn_;
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        // Nothing predicted and nothing expected is a perfect score.
        1.0
    } else {
        a as f64 / b as f64
    }
}

/// The result of one evaluation run.
#[derive(Clone, Debug, Default)]
pub struct Report {
    pub kind: String,
    pub documents: usize,
    pub rows: Vec<(String, Score)>,
    /// Free-form lines (e.g. accuracy of a normalised attribute, samples of errors).
    pub notes: Vec<String>,
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}: {} documents", self.kind, self.documents)?;
        writeln!(
            f,
            "{:<28} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7}",
            "field", "tp", "fp", "fn", "P", "R", "F1"
        )?;
        for (name, s) in &self.rows {
            s.write_row(f, name, 28)?;
        }
        for note in &self.notes {
            writeln!(f, "{note}")?;
        }
        Ok(())
    }
}

/// The evaluation kinds `newsx eval` knows.
pub const KINDS: &[&str] = &[
    "timeml", "polnear", "wcxb", "ud", "conll", "events", "quotes",
];

/// Runs the evaluation `kind` on the gold data in `dir`.
pub fn evaluate(kind: &str, dir: &Path, pipeline: &Pipeline) -> Result<Report, DataError> {
    match kind {
        "timeml" => timeml::evaluate(pipeline, dir),
        "polnear" | "brat" => quotes::evaluate(pipeline, dir),
        "wcxb" | "html" => html::evaluate(pipeline, dir),
        "ud" => Ok(ud::evaluate(pipeline.clauses(), dir)?.into()),
        "conll" => conll::evaluate(pipeline, dir),
        "events" => events::evaluate(pipeline, dir),
        "quotes" => quotes::evaluate_gold_file(pipeline, dir),
        other => Err(DataError::UnknownKind(other.to_string(), KINDS.join(", "))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn score_arithmetic() {
        let s = Score {
            tp: 3,
            fp: 1,
            fn_: 2,
        };
        assert_eq!(s.precision(), 0.75);
        assert_eq!(s.recall(), 0.6);
        assert!((s.f1() - 2.0 * 0.75 * 0.6 / 1.35).abs() < 1e-12);
        assert_eq!(Score::default().f1(), 1.0);
    }
}
