//! Quotation marks: pairs opening and closing marks inside one paragraph.
//!
//! Takes the text and a paragraph span; gives the quoted passages, each
//! with its marks and its content. Knows curly (“ ” ‘ ’), straight (" '),
//! doubled ('' as in ''word'') and guillemet («») marks, tells apostrophes
//! ("Xiaomi’s", "didn’t", "’90s") from single quotes, and ignores single
//! marks nested in double ones. A mark left open at the paragraph end
//! yields a passage only when it opens the paragraph, follows a colon
//! (the news convention for quotes running over several paragraphs) or
//! continues a quote of the paragraph; it never runs further. A mark
//! opening right after a finished sentence inside an open quote ends that
//! quote there (quoted paragraphs run together: "A. "B.), and the new one
//! continues it up to its own closing mark or the paragraph end.

use crate::record::Span;

/// Single quotes farther apart than this are apostrophes, not a pair.
const MAX_SINGLE_QUOTE_BYTES: usize = 400;

/// One quoted passage.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Quoted {
    /// From the opening mark to the closing mark (or the paragraph end), marks included.
    pub outer: Span,
    /// The text between the marks, trimmed of spaces and a trailing comma.
    pub content: Span,
    /// False when the passage runs to the paragraph end without a closing mark.
    pub closed: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mark {
    DoubleOpen,
    DoubleClose,
    /// A straight double mark: opens or closes depending on state.
    DoubleEither,
    SingleOpen,
    SingleClose,
}

/// The quoted passages of the paragraph `para`, in text order.
pub fn find(text: &str, para: Span) -> Vec<Quoted> {
    let body = para.slice(text);
    let mut out = Vec::new();
    let mut double: Option<(usize, usize)> = None; // (mark start, mark end)
                                                   // True while the open double quote continues one ended by it ("A. "B.).
    let mut continued = false;
    let mut single: Option<(usize, usize)> = None;
    let mut chars = body.char_indices().peekable();
    let mut prev: Option<char> = None;
    while let Some((i, c)) = chars.next() {
        // Most characters are no mark: skip them before looking around.
        if !MARKS.contains(&c) {
            prev = Some(c);
            continue;
        }
        let next = chars.peek().map(|&(_, d)| d);
        let (mark, len) = match classify(prev, c, next) {
            Some(found) => found,
            None => {
                prev = Some(c);
                continue;
            }
        };
        if len > c.len_utf8() {
            chars.next(); // the second ' of ''
        }
        let start = para.start + i;
        let end = start + len;
        match (mark, double) {
            // A new quote opening after a finished sentence inside an open
            // one: the open quote ended there without its closing mark, as
            // when quoted paragraphs run together ("A. "B. "C.").
            (Mark::DoubleOpen, Some((open_start, open_end)))
                if ends_sentence(Span::new(open_end, start).slice(text)) =>
            {
                push(text, &mut out, open_start, open_end, start, start, false);
                double = Some((start, end));
                continued = true;
                single = None;
            }
            (Mark::DoubleOpen, _) | (Mark::DoubleEither, None) => {
                double = Some((start, end));
                continued = false;
                single = None;
            }
            (Mark::DoubleClose | Mark::DoubleEither, Some((open_start, open_end))) => {
                push(text, &mut out, open_start, open_end, start, end, true);
                double = None;
                continued = false;
            }
            (Mark::SingleOpen, None) => single = Some((start, end)),
            (Mark::SingleClose, None) => {
                if let Some((open_start, open_end)) = single {
                    if start - open_end <= MAX_SINGLE_QUOTE_BYTES {
                        push(text, &mut out, open_start, open_end, start, end, true);
                    }
                    single = None;
                }
            }
            _ => {} // stray closing mark, or a single mark nested in a double quote
        }
        prev = text[..end].chars().next_back();
    }
    if let Some((open_start, open_end)) = double {
        // Also after a colon: 'He added: "...' running on to the next paragraph.
        let introduced = Span::new(para.start, open_start)
            .slice(text)
            .trim_end()
            .ends_with(':');
        if open_start == para.start || introduced || continued {
            push(
                text, &mut out, open_start, open_end, para.end, para.end, false,
            );
        }
    }
    out
}

/// True when `s` ends with a sentence-final mark (after trailing space).
fn ends_sentence(s: &str) -> bool {
    s.trim_end().ends_with(['.', '?', '!'])
}

fn push(
    text: &str,
    out: &mut Vec<Quoted>,
    open_start: usize,
    open_end: usize,
    close_start: usize,
    close_end: usize,
    closed: bool,
) {
    let inner = Span::new(open_end, close_start).slice(text);
    let lead = inner.len() - inner.trim_start().len();
    let trimmed = inner.trim().trim_end_matches(',').trim_end();
    if trimmed.chars().count() < 2 {
        return;
    }
    let start = open_end + lead;
    out.push(Quoted {
        outer: Span::new(open_start, close_end),
        content: Span::new(start, start + trimmed.len()),
        closed,
    });
}

/// Every character [`classify`] may take for a quotation mark.
const MARKS: [char; 9] = ['“', '„', '«', '”', '»', '"', '\'', '‘', '’'];

/// What the character `c` is as a quotation mark, with the mark's byte length.
fn classify(prev: Option<char>, c: char, next: Option<char>) -> Option<(Mark, usize)> {
    let after_space = prev.is_none_or(|p| p.is_whitespace() || "([{—–-/".contains(p));
    let before_space = next.is_none_or(|n| {
        n.is_whitespace()
            || (n.is_ascii_punctuation() && n != '\'')
            || n == '—'
            || n == '–'
            || n == '…'
    });
    let word_before = prev.is_some_and(char::is_alphanumeric);
    let word_after = next.is_some_and(char::is_alphanumeric);
    match c {
        '“' | '„' | '«' => Some((Mark::DoubleOpen, c.len_utf8())),
        '”' | '»' => Some((Mark::DoubleClose, c.len_utf8())),
        '"' => Some((straight_double(after_space, before_space), 1)),
        '\'' if next == Some('\'') => Some((straight_double(after_space, true), 2)),
        '‘' | '\'' | '’' if word_before && word_after => None, // didn’t, Xiaomi’s
        '‘' if next.is_some_and(|n| n.is_ascii_digit()) => None, // ‘90s
        '‘' => Some((Mark::SingleOpen, c.len_utf8())),
        '’' | '\'' if after_space && next.is_some_and(|n| n.is_ascii_digit()) => None,
        '’' | '\'' if after_space && word_after => Some((Mark::SingleOpen, c.len_utf8())),
        '’' | '\'' if !after_space && before_space => Some((Mark::SingleClose, c.len_utf8())),
        _ => None,
    }
}

fn straight_double(after_space: bool, before_space: bool) -> Mark {
    match (after_space, before_space) {
        (true, false) => Mark::DoubleOpen,
        (false, true) => Mark::DoubleClose,
        _ => Mark::DoubleEither,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contents(text: &str) -> Vec<&str> {
        find(text, Span::new(0, text.len()))
            .iter()
            .map(|q| q.content.slice(text))
            .collect()
    }

    #[test]
    fn pairs_marks_and_skips_apostrophes() {
        let cases: &[(&str, &[&str])] = &[
            ("“It is baseless,” Xiaomi’s CEO said.", &["It is baseless"]),
            ("He said \"we didn't\" and 'left'.", &["we didn't", "left"]),
            ("‘We are not,’ it said of the ’90s.", &["We are not"]),
            (
                "''Hopefully,'' the president said, ''it works.''",
                &["Hopefully", "it works."],
            ),
            (
                "The companies’ plans were “dead on arrival.”",
                &["dead on arrival."],
            ),
            ("“Outer ‘inner’ text”", &["Outer ‘inner’ text"]),
            ("«Bonjour» dit-il", &["Bonjour"]),
            ("“A. B,” he said. “C.”", &["A. B", "C."]),
            (
                "“Unclosed quote runs to the paragraph end",
                &["Unclosed quote runs to the paragraph end"],
            ),
            ("He said “unclosed in the middle", &[]),
            (
                "He added: \"It is over. \"We lost. \"We go on,\" he said.",
                &["It is over.", "We lost.", "We go on"],
            ),
            ("He added: \"It runs on", &["It runs on"]),
            (
                "He said: \"I am fit. \"I saw it on Sunday, I felt at home.",
                &["I am fit.", "I saw it on Sunday, I felt at home."],
            ),
            ("He said \"A. \"Be it", &["A.", "Be it"]),
            ("Rock ’n’ roll isn’t dead", &[]),
            ("", &[]),
            ("\"", &[]),
            ("“”", &[]),
            ("“a”", &[]),
        ];
        let mut failures = Vec::new();
        for (text, want) in cases {
            let got = contents(text);
            if got != *want {
                failures.push(format!("{text:?}: got {got:?}, want {want:?}"));
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }
}
