//! Segmentation: article text → paragraphs, sentences and tokens as byte spans.
//!
//! Takes the article text and its boilerplate zones; gives a [`Segmented`]
//! whose sentences know their paragraph and whether they lie in boilerplate.
//! Nothing is copied: every unit is a [`Span`] into the text.
//!
//! Paragraphs break at blank lines, and at single newlines unless the line
//! is visibly wrapped (it ends mid-clause and the next line starts in lower
//! case). Sentences break after `.`, `!`, `?` or `…` (plus closing quotes and
//! brackets) before an upper-case start, except after abbreviations
//! ("U.S.", "Jan.", "Mr.", "Inc.", "No. 5"; listed in `rules/segment.tsv`)
//! and initials ("Joseph K. Clark").
//! Tokens are Unicode word boundaries (UAX #29) without white space.
//! It does not split run-on text that has no terminal punctuation.

use crate::error::RuleError;
use crate::record::Span;
use crate::rules::{catalog, load_word_classes, RuleFiles};
use std::collections::HashSet;
use std::sync::LazyLock;
use tokens::push_tokens;

mod tokens;

/// The compiled sentence-splitting words of `segment.tsv`.
#[derive(Clone, Debug)]
pub struct Segmenter {
    /// Words whose period does not end a sentence; lower-cased, without
    /// the final period.
    abbreviations: HashSet<String>,
    /// Words that may still open a sentence after an abbreviation with
    /// inner periods ("... in the U.S. The company said").
    openers: HashSet<String>,
}

/// The built-in segmenter, for callers without a pipeline.
static BUILTIN: LazyLock<Segmenter> =
    LazyLock::new(|| Segmenter::new(&RuleFiles::builtin()).expect("built-in segment.tsv is valid"));

impl Segmenter {
    /// Loads `segment.tsv`, built-in and the user's.
    pub fn new(rules: &RuleFiles) -> Result<Self, RuleError> {
        // Abbreviations are matched in any case, openers as written.
        let classes = ["abbreviation", "opener"];
        let fold = |class: usize, word: &str| match class {
            0 => word.to_lowercase(),
            _ => word.to_string(),
        };
        let mut lists = load_word_classes(rules, &catalog::SEGMENT, &classes, fold)?.into_iter();
        let mut next = || lists.next().unwrap_or_default().into_iter().collect();
        Ok(Segmenter {
            abbreviations: next(),
            openers: next(),
        })
    }

    /// The segmenter of the built-in rules.
    pub fn builtin() -> &'static Segmenter {
        &BUILTIN
    }

    /// Splits `text` into paragraphs, sentences and tokens; `zones` are the
    /// boilerplate spans found by the cleaner.
    pub fn segment(&self, text: &str, zones: &[Span]) -> Segmented {
        let mut seg = Segmented {
            paragraphs: paragraphs(text),
            ..Segmented::default()
        };
        for (p, para) in seg.paragraphs.iter().enumerate() {
            for span in self.sentences(text, *para) {
                let first = seg.tokens.len();
                push_tokens(text, span, &mut seg.tokens);
                let boilerplate = mostly_covered(span, zones);
                seg.sentences.push(Sentence {
                    span,
                    paragraph: p,
                    tokens: first..seg.tokens.len(),
                    boilerplate,
                });
            }
        }
        seg
    }
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Segmented {
    pub paragraphs: Vec<Span>,
    pub sentences: Vec<Sentence>,
    pub tokens: Vec<Token>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Sentence {
    pub span: Span,
    /// Index into [`Segmented::paragraphs`].
    pub paragraph: usize,
    /// Range of indices into [`Segmented::tokens`].
    pub tokens: std::ops::Range<usize>,
    /// True when boilerplate zones cover at least half of the sentence;
    /// extractors skip it.
    pub boilerplate: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    pub span: Span,
    pub kind: TokenKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    Word,
    Number,
    Punct,
}

impl Segmented {
    /// The sentences extractors should read: those outside boilerplate.
    pub fn content_sentences(&self) -> impl Iterator<Item = &Sentence> {
        self.sentences.iter().filter(|s| !s.boilerplate)
    }

    /// The tokens of one sentence.
    pub fn sentence_tokens(&self, sentence: &Sentence) -> &[Token] {
        &self.tokens[sentence.tokens.clone()]
    }

    /// The sentence containing byte offset `pos`, if any.
    pub fn sentence_at(&self, pos: usize) -> Option<&Sentence> {
        let i = self.sentences.partition_point(|s| s.span.end <= pos);
        self.sentences.get(i).filter(|s| s.span.start <= pos)
    }
}

/// Splits `text` with the built-in rules (see [`Segmenter::segment`]).
pub fn segment(text: &str, zones: &[Span]) -> Segmented {
    Segmenter::builtin().segment(text, zones)
}

/// True when zones cover at least half of the sentence: a link zone inside
/// a sentence of news ("... firms https://t.co/x") leaves the sentence in.
fn mostly_covered(span: Span, zones: &[Span]) -> bool {
    let covered: usize = zones
        .iter()
        .filter(|z| z.overlaps(span))
        .map(|z| z.end.min(span.end) - z.start.max(span.start))
        .sum();
    covered * 2 >= span.len().max(1)
}

/// Paragraph spans, trimmed of surrounding white space.
pub fn paragraphs(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let mut start = 0;
    let bytes = text.as_bytes();
    for nl in memchr::memchr_iter(b'\n', bytes) {
        if !is_wrapped_line(text, start, nl) {
            push_trimmed(text, Span::new(start, nl), &mut out);
            start = nl + 1;
        }
    }
    push_trimmed(text, Span::new(start, text.len()), &mut out);
    out
}

/// True when the newline at `nl` continues the same paragraph: the line
/// ends mid-clause and the next line starts with a lower-case letter.
fn is_wrapped_line(text: &str, line_start: usize, nl: usize) -> bool {
    let line = text[line_start..nl].trim_end();
    let Some(last) = line.chars().next_back() else {
        return false;
    };
    let rest = &text[nl + 1..];
    let next = rest.trim_start_matches([' ', '\t', '\r']);
    if next.starts_with('\n') {
        return false;
    }
    let Some(first) = next.chars().next() else {
        return false;
    };
    (last.is_alphanumeric() || matches!(last, ',' | ';' | '-' | '(')) && first.is_lowercase()
}

fn push_trimmed(text: &str, span: Span, out: &mut Vec<Span>) {
    let s = span.slice(text);
    let lead = s.len() - s.trim_start().len();
    let trimmed = s.trim();
    if !trimmed.is_empty() {
        let start = span.start + lead;
        out.push(Span::new(start, start + trimmed.len()));
    }
}

/// Sentence spans inside one paragraph, with the built-in rules.
pub fn sentences(text: &str, para: Span) -> Vec<Span> {
    Segmenter::builtin().sentences(text, para)
}

impl Segmenter {
    /// Sentence spans inside one paragraph.
    pub fn sentences(&self, text: &str, para: Span) -> Vec<Span> {
        let body = para.slice(text);
        let mut out = Vec::new();
        let mut start = 0;
        let mut words = WordBefore::default();
        let mut iter = body.char_indices().peekable();
        while let Some((i, c)) = iter.next() {
            if !matches!(c, '.' | '!' | '?' | '…') {
                continue;
            }
            let mut end = i + c.len_utf8();
            // Swallow repeated terminators and closing quotes/brackets.
            while let Some(&(j, d)) = iter.peek() {
                if matches!(
                    d,
                    '.' | '!' | '?' | '…' | '"' | '\'' | '”' | '’' | ')' | ']' | '»'
                ) {
                    end = j + d.len_utf8();
                    iter.next();
                } else {
                    break;
                }
            }
            let word = words.word(body, i);
            if self.is_boundary(body, word, i, end) {
                push_trimmed(
                    text,
                    Span::new(para.start + start, para.start + end),
                    &mut out,
                );
                start = end;
                words.restart(end);
            }
        }
        push_trimmed(text, Span::new(para.start + start, para.end), &mut out);
        out
    }

    /// Decides whether the terminator at `dot` (ending at `end`) closes a
    /// sentence; `word` is the word before it. Looks only as far ahead as the
    /// decision needs, so a paragraph without white space stays linear.
    fn is_boundary(&self, body: &str, word: &str, dot: usize, end: usize) -> bool {
        let after = &body[end..];
        let gap = after.len() - after.trim_start().len();
        let next = &after[gap..];
        let mut next_chars = next.chars();
        let Some(first) = next_chars.next() else {
            return false; // end of paragraph: handled by the caller
        };
        let opens = first.is_uppercase()
            || first.is_ascii_digit()
            || matches!(first, '"' | '“' | '‘' | '\'' | '(' | '[');
        if !opens {
            return false;
        }
        let terminator = &body[dot..end];
        if !terminator.starts_with('.') {
            return gap > 0;
        }
        if gap == 0 {
            // "queries.In early 2021": a glued boundary only after a plain lower-case word.
            let next_is_long =
                first.len_utf8() > 1 || next_chars.next().is_some_and(|c| !c.is_whitespace());
            return word.len() >= 3 && word.chars().all(|c| c.is_lowercase()) && next_is_long;
        }
        if is_initial(word) {
            return false;
        }
        let lower = word.to_lowercase();
        if self.abbreviations.contains(&lower) {
            // Read after white space, so the words read here never overlap.
            let next_word = next.split(char::is_whitespace).next().unwrap_or("");
            let opener = next_word.trim_end_matches(|c: char| !c.is_alphanumeric());
            return lower.contains('.') && self.openers.contains(opener);
        }
        true
    }
}

/// The word immediately before a period, including inner periods ("U.S"),
/// kept up to date as the sentence scan moves forward: each byte is looked
/// at once, where searching backwards from every period would be quadratic
/// on text such as "A.A.A.A…".
#[derive(Default)]
struct WordBefore {
    /// Where the next call starts reading.
    scanned: usize,
    /// The first letter or digit of the current word, if it has one yet.
    first_alnum: Option<usize>,
}

impl WordBefore {
    /// Starts afresh at a sentence start: no word crosses it.
    fn restart(&mut self, at: usize) {
        self.scanned = at;
        self.first_alnum = None;
    }

    /// The word ending at `dot`, without leading periods or hyphens.
    fn word<'a>(&mut self, body: &'a str, dot: usize) -> &'a str {
        for (k, c) in body[self.scanned..dot].char_indices() {
            if !(c.is_alphanumeric() || c == '.' || c == '-') {
                self.first_alnum = None;
            } else if self.first_alnum.is_none() && c.is_alphanumeric() {
                self.first_alnum = Some(self.scanned + k);
            }
        }
        self.scanned = dot;
        self.first_alnum.map_or("", |at| &body[at..dot])
    }
}

/// A single capital letter ("K" in "Joseph K. Clark").
fn is_initial(word: &str) -> bool {
    let mut chars = word.chars();
    matches!((chars.next(), chars.next()), (Some(c), None) if c.is_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sentence_texts(text: &str) -> Vec<&str> {
        let seg = segment(text, &[]);
        seg.sentences.iter().map(|s| s.span.slice(text)).collect()
    }

    #[test]
    fn abbreviations_and_initials_do_not_split() {
        let cases: &[(&str, &[&str])] = &[
            (
                "by Joseph K. Clark wrote it. Then he left.",
                &["by Joseph K. Clark wrote it.", "Then he left."],
            ),
            (
                "Mr. Jun received an award. It was in 2019.",
                &["Mr. Jun received an award.", "It was in 2019."],
            ),
            (
                "The U.S. Department of Defense acted. Xiaomi sued.",
                &["The U.S. Department of Defense acted.", "Xiaomi sued."],
            ),
            (
                "It rose on Jan. 14 and fell. No. 5 was next.",
                &["It rose on Jan. 14 and fell.", "No. 5 was next."],
            ),
            (
                "Shares of Apple Inc. Rose sharply.",
                &["Shares of Apple Inc. Rose sharply."],
            ),
            (
                "He left the U.S. The firm stayed.",
                &["He left the U.S.", "The firm stayed."],
            ),
            (
                "“It is baseless,” Xiaomi said. “We comply.”",
                &["“It is baseless,” Xiaomi said.", "“We comply.”"],
            ),
            (
                "Did it work? Yes! It did.",
                &["Did it work?", "Yes!", "It did."],
            ),
            (
                "media queries.In early 2021, the firm sued.",
                &["media queries.", "In early 2021, the firm sued."],
            ),
            (
                "Prices rose 2.5 percent. Then fell.",
                &["Prices rose 2.5 percent.", "Then fell."],
            ),
        ];
        let mut failures = Vec::new();
        for (text, want) in cases {
            let got = sentence_texts(text);
            if got != *want {
                failures.push(format!("{text:?}: got {got:?}"));
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn user_rule_file_adds_abbreviations_and_bad_rows_are_errors() {
        let text = "Acme Pty. Ltd sued. It lost.";
        let builtin = Segmenter::builtin().segment(text, &[]);
        assert_eq!(builtin.sentences.len(), 3);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("segment.tsv");
        std::fs::write(&path, "# house style\nPty\tabbreviation\n").unwrap();
        let user = Segmenter::new(&RuleFiles::open(dir.path()).unwrap()).unwrap();
        let got: Vec<&str> = user
            .segment(text, &[])
            .sentences
            .iter()
            .map(|s| s.span.slice(text))
            .collect();
        assert_eq!(got, ["Acme Pty. Ltd sued.", "It lost."]);
        std::fs::write(&path, "Pty\tacronym\n").unwrap();
        let err = Segmenter::new(&RuleFiles::open(dir.path()).unwrap())
            .unwrap_err()
            .to_string();
        assert!(err.contains("segment.tsv:1"), "{err}");
        assert!(err.contains("unknown class \"acronym\""), "{err}");
    }

    #[test]
    fn paragraphs_break_at_lines_but_not_wrapped_lines() {
        let text = "Title line\n\nFirst para ends.\nSecond para starts, and it\ncontinues here.\n";
        let paras: Vec<&str> = paragraphs(text).iter().map(|s| s.slice(text)).collect();
        assert_eq!(
            paras,
            [
                "Title line",
                "First para ends.",
                "Second para starts, and it\ncontinues here."
            ]
        );
    }

    #[test]
    fn sentences_in_zones_are_marked_boilerplate() {
        let text = "Real news here.\nRelated Posts\n";
        let zone = Span::new(16, 29);
        let seg = segment(text, &[zone]);
        let flags: Vec<bool> = seg.sentences.iter().map(|s| s.boilerplate).collect();
        assert_eq!(flags, [false, true]);
        assert_eq!(seg.content_sentences().count(), 1);
    }

    #[test]
    fn tokens_are_spans_without_whitespace() {
        let text = "Xiaomi’s 1260H list.";
        let seg = segment(text, &[]);
        let toks: Vec<&str> = seg.tokens.iter().map(|t| t.span.slice(text)).collect();
        assert_eq!(toks, ["Xiaomi’s", "1260H", "list", "."]);
        assert_eq!(
            seg.sentence_at(9).map(|s| s.span),
            Some(Span::new(0, text.len()))
        );
    }
}
