//! Eval `ud`: the clause stage against Universal Dependencies treebanks.
//!
//! Takes a CoNLL-U file or a directory of them; runs the clause stage on
//! every sentence twice: on the gold tokens (pre-tokenised input), and on
//! the raw sentence text (`# text`, tokenised by the segmenter), aligned to
//! the gold tokens by byte offsets. Gives XPOS accuracy and subject/object
//! role precision, recall and F1 against the gold relations `nsubj`,
//! `nsubj:pass` (subject), `obj` (object) and `obl:agent` (by-agent). A
//! predicted role matches when its noun-phrase head and its verb are the
//! gold dependent and head, with the same role. In raw mode a token that
//! does not coincide with a gold token counts as a tagging error, and a
//! role through such a token as a false positive.

use super::Score;
use crate::clauses::{ClauseAnalyzer, Parsed, RoleKind};
use crate::error::DataError;
use crate::record::Span;
use serde::Serialize;
use std::fmt;
use std::path::{Path, PathBuf};

/// One gold token.
#[derive(Clone, Debug)]
struct GoldToken {
    form: String,
    xpos: String,
    /// 0-based index of the head, `None` for the root.
    head: Option<usize>,
    deprel: String,
}

#[derive(Clone, Debug, Default)]
struct GoldSentence {
    text: String,
    tokens: Vec<GoldToken>,
}

/// Scores of one way of running the stage.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct ModeScore {
    pub tokens: usize,
    pub tags_correct: usize,
    pub roles: Score,
    pub subjects: Score,
    pub objects: Score,
    pub agents: Score,
}

impl ModeScore {
    pub fn xpos_accuracy(&self) -> f64 {
        if self.tokens == 0 {
            1.0
        } else {
            self.tags_correct as f64 / self.tokens as f64
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct UdReport {
    pub files: usize,
    pub sentences: usize,
    /// Run on the gold tokens.
    pub gold_tokens: ModeScore,
    /// Run on the raw sentence text.
    pub raw_text: ModeScore,
}

#[derive(Serialize)]
struct JsonRoles {
    precision: f64,
    recall: f64,
    f1: f64,
}

#[derive(Serialize)]
struct JsonReport {
    sentences: usize,
    tokens: usize,
    xpos_accuracy: f64,
    roles: JsonRoles,
}

impl UdReport {
    /// `{"sentences", "tokens", "xpos_accuracy", "roles": {"precision", "recall", "f1"}}`
    /// of the run on gold tokens.
    pub fn json(&self) -> String {
        let m = &self.gold_tokens;
        serde_json::to_string(&JsonReport {
            sentences: self.sentences,
            tokens: m.tokens,
            xpos_accuracy: m.xpos_accuracy(),
            roles: JsonRoles {
                precision: m.roles.precision(),
                recall: m.roles.recall(),
                f1: m.roles.f1(),
            },
        })
        .expect("plain numbers serialise")
    }
}

impl fmt::Display for UdReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "ud: {} files, {} sentences", self.files, self.sentences)?;
        for (name, m) in [
            ("gold tokens", &self.gold_tokens),
            ("raw text", &self.raw_text),
        ] {
            writeln!(
                f,
                "{name}: {} tokens, XPOS accuracy {:.4}",
                m.tokens,
                m.xpos_accuracy()
            )?;
            writeln!(
                f,
                "  {:<20} {:>7} {:>7} {:>7} {:>7} {:>7} {:>7}",
                "role", "tp", "fp", "fn", "P", "R", "F1"
            )?;
            for (row, s) in [
                ("subject+object", m.roles),
                ("subject", m.subjects),
                ("object", m.objects),
                ("agent", m.agents),
            ] {
                write!(f, "  ")?;
                s.write_row(f, row, 20)?;
            }
        }
        Ok(())
    }
}

impl From<UdReport> for super::Report {
    fn from(r: UdReport) -> Self {
        let mut rows = Vec::new();
        for (mode, m) in [("gold-tokens", &r.gold_tokens), ("raw-text", &r.raw_text)] {
            rows.push((format!("{mode} subject+object"), m.roles));
            rows.push((format!("{mode} subject"), m.subjects));
            rows.push((format!("{mode} object"), m.objects));
            rows.push((format!("{mode} agent"), m.agents));
        }
        let notes = [("gold-tokens", &r.gold_tokens), ("raw-text", &r.raw_text)]
            .iter()
            .map(|(mode, m)| {
                format!(
                    "{mode} XPOS accuracy {:.4} over {} tokens",
                    m.xpos_accuracy(),
                    m.tokens
                )
            })
            .collect();
        super::Report {
            kind: "ud".into(),
            documents: r.sentences,
            rows,
            notes,
        }
    }
}

/// Scores the stage on `path` (a `.conllu` file or a directory of them).
pub fn evaluate(analyzer: &ClauseAnalyzer, path: &Path) -> Result<UdReport, DataError> {
    let mut report = UdReport::default();
    for file in conllu_files(path)? {
        let text = std::fs::read_to_string(&file).map_err(|e| DataError::io(&file, e))?;
        report.files += 1;
        for sentence in parse_conllu(&text).map_err(|m| DataError::format(&file, m))? {
            report.sentences += 1;
            score_gold_tokens(analyzer, &sentence, &mut report.gold_tokens);
            score_raw_text(analyzer, &sentence, &mut report.raw_text);
        }
    }
    Ok(report)
}

fn conllu_files(path: &Path) -> Result<Vec<PathBuf>, DataError> {
    if path.is_file() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut out = Vec::new();
    let entries = std::fs::read_dir(path).map_err(|e| DataError::io(path, e))?;
    for entry in entries {
        let p = entry.map_err(|e| DataError::io(path, e))?.path();
        if p.is_dir() {
            out.extend(conllu_files(&p)?);
        } else if p.extension().is_some_and(|e| e == "conllu") {
            out.push(p);
        }
    }
    out.sort();
    if out.is_empty() {
        return Err(DataError::format(path, "no .conllu files"));
    }
    Ok(out)
}

fn parse_conllu(text: &str) -> Result<Vec<GoldSentence>, String> {
    let mut out = Vec::new();
    let mut cur = GoldSentence::default();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            if !cur.tokens.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        if let Some(t) = line.strip_prefix("# text = ") {
            cur.text = t.to_string();
            continue;
        }
        if line.starts_with('#') {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        if cols.len() != 10 {
            return Err(format!("line {}: expected 10 columns", n + 1));
        }
        if cols[0].contains(['-', '.']) {
            continue;
        }
        let head: usize = cols[6]
            .parse()
            .map_err(|_| format!("line {}: bad head {:?}", n + 1, cols[6]))?;
        cur.tokens.push(GoldToken {
            form: cols[1].to_string(),
            xpos: cols[4].to_string(),
            head: head.checked_sub(1),
            deprel: cols[7].to_string(),
        });
    }
    if !cur.tokens.is_empty() {
        out.push(cur);
    }
    Ok(out)
}

/// Gold roles as (role, dependent, head) token indices.
fn gold_roles(sentence: &GoldSentence) -> Vec<(RoleKind, usize, usize)> {
    let mut out = Vec::new();
    for (i, t) in sentence.tokens.iter().enumerate() {
        let kind = match t.deprel.as_str() {
            "nsubj" | "nsubj:pass" => RoleKind::Subject,
            "obj" => RoleKind::Object,
            "obl:agent" => RoleKind::Agent,
            _ => continue,
        };
        if let Some(h) = t.head {
            out.push((kind, i, h));
        }
    }
    out
}

fn score_gold_tokens(analyzer: &ClauseAnalyzer, sentence: &GoldSentence, m: &mut ModeScore) {
    let mut text = String::new();
    let mut spans = Vec::with_capacity(sentence.tokens.len());
    for t in &sentence.tokens {
        if !text.is_empty() {
            text.push(' ');
        }
        spans.push(Span::new(text.len(), text.len() + t.form.len()));
        text.push_str(&t.form);
    }
    let mut parsed = Parsed::default();
    analyzer.analyze_tokens(&text, &spans, &mut parsed);
    // Predicted token i is gold token i.
    let map: Vec<Option<usize>> = (0..spans.len()).map(Some).collect();
    score(sentence, &parsed, &map, m);
    if std::env::var_os("NEWSX_UD_ERRORS").is_some() {
        list_errors(sentence, &parsed);
    }
}

/// With `NEWSX_UD_ERRORS` set, the gold-token run prints each tagging
/// error (`TAG gold predicted form`) and each missed or spurious role
/// (`MISS|SPURIOUS kind dependent verb`) to standard error, every line
/// followed by the sentence as `form/predicted(/gold when different)`.
fn list_errors(sentence: &GoldSentence, parsed: &Parsed) {
    let tagged: Vec<String> = sentence
        .tokens
        .iter()
        .zip(&parsed.tokens)
        .map(|(g, p)| {
            let t = p.tag.as_str();
            if t == g.xpos {
                format!("{}/{t}", g.form)
            } else {
                format!("{}/{t}/{}", g.form, g.xpos)
            }
        })
        .collect();
    let line = tagged.join(" ");
    for (g, p) in sentence.tokens.iter().zip(&parsed.tokens) {
        if p.tag.as_str() != g.xpos {
            eprintln!("TAG\t{}\t{}\t{}\t{line}", g.xpos, p.tag.as_str(), g.form);
        }
    }
    let gold = gold_roles(sentence);
    let mut predicted = Vec::new();
    for s in &parsed.sentences {
        for r in &s.roles {
            if matches!(
                r.kind,
                RoleKind::Subject | RoleKind::Object | RoleKind::Agent
            ) {
                predicted.push((r.kind, s.tokens.start + r.head, s.tokens.start + r.verb));
            }
        }
    }
    let word = |i: usize| {
        format!(
            "{}/{}",
            sentence.tokens[i].form,
            parsed.tokens[i].tag.as_str()
        )
    };
    for r in &gold {
        if !predicted.contains(r) {
            let other = predicted.iter().find(|p| p.1 == r.1);
            let note = other.map_or(String::from("-"), |p| format!("{:?}->{}", p.0, word(p.2)));
            eprintln!(
                "MISS\t{:?}\t{}\t{}\t{}\t{}\t{line}",
                r.0,
                word(r.1),
                word(r.2),
                sentence.tokens[r.1].deprel,
                note
            );
        }
    }
    for r in &predicted {
        if !gold.contains(r) {
            let t = &sentence.tokens[r.1];
            let gh = t.head.map_or(String::from("root"), word);
            eprintln!(
                "SPURIOUS\t{:?}\t{}\t{}\t{}\t{}\t{line}",
                r.0,
                word(r.1),
                word(r.2),
                t.deprel,
                gh
            );
        }
    }
}

fn score_raw_text(analyzer: &ClauseAnalyzer, sentence: &GoldSentence, m: &mut ModeScore) {
    let text = if sentence.text.is_empty() {
        sentence
            .tokens
            .iter()
            .map(|t| t.form.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    } else {
        sentence.text.clone()
    };
    let gold_spans = locate(&text, sentence);
    let seg = crate::segment::segment(&text, &[]);
    let parsed = analyzer.analyze(&text, &seg);
    // Several segmenter sentences become one: roles keep their own
    // sentence's token offsets, mapped through the token list.
    let map: Vec<Option<usize>> = parsed
        .tokens
        .iter()
        .map(|t| gold_spans.iter().position(|g| *g == Some(t.span)))
        .collect();
    score(sentence, &parsed, &map, m);
}

/// Each gold token's span in `text`, found left to right; `None` when the
/// form does not occur where expected.
fn locate(text: &str, sentence: &GoldSentence) -> Vec<Option<Span>> {
    let mut pos = 0;
    sentence
        .tokens
        .iter()
        .map(|t| {
            let rest = &text[pos..];
            let skip = rest.len() - rest.trim_start().len();
            if rest[skip..].starts_with(&t.form) {
                let start = pos + skip;
                pos = start + t.form.len();
                Some(Span::new(start, pos))
            } else {
                None
            }
        })
        .collect()
}

/// Adds one sentence's counts; `map` takes a predicted token (index into
/// `parsed.tokens`) to its gold token.
fn score(sentence: &GoldSentence, parsed: &Parsed, map: &[Option<usize>], m: &mut ModeScore) {
    m.tokens += sentence.tokens.len();
    for (p, g) in map.iter().enumerate() {
        if let Some(g) = *g {
            if parsed.tokens[p].tag.as_str() == sentence.tokens[g].xpos {
                m.tags_correct += 1;
            }
        }
    }
    let gold = gold_roles(sentence);
    let mut predicted = Vec::new();
    for s in &parsed.sentences {
        for r in &s.roles {
            if !matches!(
                r.kind,
                RoleKind::Subject | RoleKind::Object | RoleKind::Agent
            ) {
                continue;
            }
            let dep = map[s.tokens.start + r.head];
            let head = map[s.tokens.start + r.verb];
            predicted.push((r.kind, dep, head));
        }
    }
    for kind in [RoleKind::Subject, RoleKind::Object, RoleKind::Agent] {
        let g: Vec<_> = gold.iter().filter(|r| r.0 == kind).collect();
        let p: Vec<_> = predicted.iter().filter(|r| r.0 == kind).collect();
        let tp = p
            .iter()
            .filter(|r| matches!((r.1, r.2), (Some(d), Some(h)) if g.contains(&&(kind, d, h))))
            .count();
        let s = Score {
            tp,
            fp: p.len() - tp,
            fn_: g.len() - tp,
        };
        match kind {
            RoleKind::Subject => m.subjects.add(s),
            RoleKind::Object => m.objects.add(s),
            _ => m.agents.add(s),
        }
        m.roles.add(s);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "# text = The firm was sued by workers.\n\
1\tThe\tthe\tDET\tDT\t_\t2\tdet\t_\t_\n\
2\tfirm\tfirm\tNOUN\tNN\t_\t4\tnsubj:pass\t_\t_\n\
3\twas\tbe\tAUX\tVBD\t_\t4\taux:pass\t_\t_\n\
4\tsued\tsue\tVERB\tVBN\t_\t0\troot\t_\t_\n\
5\tby\tby\tADP\tIN\t_\t6\tcase\t_\t_\n\
6\tworkers\tworker\tNOUN\tNNS\t_\t4\tobl:agent\t_\tSpaceAfter=No\n\
7\t.\t.\tPUNCT\t.\t_\t4\tpunct\t_\t_\n\n";

    #[test]
    fn scores_a_passive_sentence_in_both_modes() {
        let analyzer = ClauseAnalyzer::new().unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.conllu");
        std::fs::write(&path, SAMPLE).unwrap();
        let report = evaluate(&analyzer, &path).unwrap();
        assert_eq!(report.sentences, 1);
        for m in [report.gold_tokens, report.raw_text] {
            assert_eq!(m.tokens, 7);
            assert_eq!(m.tags_correct, 7, "{report}");
            assert_eq!(
                m.roles,
                Score {
                    tp: 2,
                    fp: 0,
                    fn_: 0
                },
                "{report}"
            );
        }
        assert!(report
            .json()
            .starts_with("{\"sentences\":1,\"tokens\":7,\"xpos_accuracy\":1.0,\"roles\":{"));
    }

    #[test]
    fn malformed_lines_are_errors_with_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bad.conllu");
        std::fs::write(&path, "1\tx\n").unwrap();
        let err = evaluate(&ClauseAnalyzer::new().unwrap(), &path).unwrap_err();
        assert!(
            err.to_string().contains("line 1: expected 10 columns"),
            "{err}"
        );
    }
}
