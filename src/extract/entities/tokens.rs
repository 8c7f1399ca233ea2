//! Word tokens of one sentence as the entity rules need them.
//!
//! Takes the text and a sentence span; gives words with byte spans, keeping
//! inner dots and hyphens ("U.S.", "co-founder"), abbreviation dots ("Mr.",
//! "Inc."), and splitting possessive "’s" off ("Xiaomi’s" → "Xiaomi", "’s").
//! Does not classify anything.

use crate::record::Span;
use std::borrow::Cow;
use std::cell::RefCell;

/// Abbreviations whose final dot belongs to the word.
const DOTTED: &[&str] = &[
    "Mr", "Mrs", "Ms", "Dr", "Inc", "Corp", "Co", "Ltd", "Jr", "Sr", "St", "Gen", "Sen", "Rep",
    "Gov", "Lt", "Col", "Prof", "Capt", "Sgt", "Adm", "Maj", "Bros", "No",
];

#[derive(Clone, Debug)]
pub(crate) struct Tok<'a> {
    pub span: Span,
    pub text: &'a str,
    /// Lower-cased text, computed once (borrowed when already lower case).
    pub lower: Cow<'a, str>,
    /// Starts with a letter or digit (else punctuation or a split-off "’s").
    pub word: bool,
    /// First word of the sentence or of a quotation / clause after a colon:
    /// capitalised there for grammar, not because it is a name.
    pub initial: bool,
}

impl Tok<'_> {
    pub fn is_cap(&self) -> bool {
        self.word && self.text.chars().next().is_some_and(char::is_uppercase)
    }

    /// The possessive ending split off a name ("’s", "'s").
    pub fn is_possessive(&self) -> bool {
        !self.word && self.text.ends_with('s')
    }

    /// Two or more letters, all upper case ("DJI", "U.S.").
    pub fn is_all_caps(&self) -> bool {
        let mut letters = 0;
        for c in self.text.chars().filter(|c| c.is_alphabetic()) {
            if !c.is_uppercase() {
                return false;
            }
            letters += 1;
        }
        letters >= 2
    }
}

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '\u{2019}'
}

fn opens_clause(c: char) -> bool {
    matches!(
        c,
        '"' | '\u{201C}' | '\u{2018}' | '\'' | ':' | '(' | '[' | '\u{2014}' | '\u{2013}'
    )
}

thread_local! {
    /// The characters of the sentence being tokenised with their byte
    /// offsets, kept between calls: one buffer per worker thread rather than
    /// one allocation per sentence.
    static CHARS: RefCell<Vec<(usize, char)>> = const { RefCell::new(Vec::new()) };
}

/// The lower-case copy of an ASCII sentence, from which its tokens borrow
/// their lower-case forms (one allocation per sentence rather than one per
/// capitalised word); empty for other sentences, whose ASCII-folded copy
/// `folded` is not their lower case.
pub(crate) fn ascii_lowered<'a>(text: &str, sentence: Span, folded: &'a str) -> &'a str {
    if sentence.slice(text).is_ascii() {
        folded
    } else {
        ""
    }
}

/// Tokens of `sentence` (a span of `text`); `lowered` is
/// [`ascii_lowered`] of the same sentence.
pub(crate) fn tokenize<'a>(text: &'a str, sentence: Span, lowered: &'a str) -> Vec<Tok<'a>> {
    let body = sentence.slice(text);
    let src = Source {
        body,
        lowered,
        base: sentence.start,
    };
    CHARS.with_borrow_mut(|chars| {
        chars.clear();
        if body.is_ascii() {
            // One character per byte: no UTF-8 decoding needed.
            chars.extend(body.bytes().enumerate().map(|(i, b)| (i, char::from(b))));
        } else {
            chars.extend(body.char_indices());
        }
        tokenize_chars(src, chars)
    })
}

/// The sentence being tokenised: its text, its ASCII lower-case copy (empty
/// when the text is not ASCII) and its byte offset in the document.
#[derive(Clone, Copy)]
struct Source<'a> {
    body: &'a str,
    lowered: &'a str,
    base: usize,
}

impl<'a> Source<'a> {
    /// The lower-case form of `body[start..end]`.
    fn lower(&self, start: usize, end: usize) -> Cow<'a, str> {
        match self.lowered.get(start..end) {
            Some(lowered) if self.lowered.len() == self.body.len() => Cow::Borrowed(lowered),
            _ => lower_case(&self.body[start..end]),
        }
    }
}

/// Tokens of the sentence, given its characters with their byte offsets
/// in its text.
fn tokenize_chars<'a>(src: Source<'a>, chars: &[(usize, char)]) -> Vec<Tok<'a>> {
    let Source { body, base, .. } = src;
    // Sized from the byte length, well above the tokens of news text, so
    // that the vector does not regrow.
    let mut out: Vec<Tok> = Vec::with_capacity(body.len() / 3 + 4);
    let mut next_initial = true;
    let mut i = 0;
    while i < chars.len() {
        let (pos, c) = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        if !c.is_alphanumeric() {
            let end = pos + c.len_utf8();
            out.push(Tok {
                span: Span::new(base + pos, base + end),
                text: &body[pos..end],
                lower: Cow::Borrowed(&body[pos..end]),
                word: false,
                initial: false,
            });
            next_initial = next_initial || opens_clause(c);
            i += 1;
            continue;
        }
        let mut j = i + 1;
        let mut hyphen = false;
        while j < chars.len() {
            let d = chars[j].1;
            if d.is_alphanumeric() {
                j += 1;
            } else if matches!(d, '.' | '-' | '&') || is_apostrophe(d) {
                if chars.get(j + 1).is_some_and(|&(_, e)| e.is_alphanumeric()) {
                    hyphen |= d == '-';
                    j += 2;
                } else {
                    break;
                }
            } else {
                break;
            }
        }
        let end_of = |k: usize| chars.get(k).map_or(body.len(), |&(p, _)| p);
        let mut end = end_of(j);
        let word = &body[pos..end];
        // A possessive ending is its own token.
        let stem_end = possessive_stem(word).map(|n| pos + n);
        if let Some(stem_end) = stem_end {
            push_word(&mut out, src, pos, stem_end, &mut next_initial);
            out.push(Tok {
                span: Span::new(base + stem_end, base + end),
                text: &body[stem_end..end],
                lower: lower_case(&body[stem_end..end]),
                word: false,
                initial: false,
            });
            i = j;
            continue;
        }
        let name_follows = || body[end..].trim_start().starts_with(char::is_uppercase);
        if let Some(stem_end) = hyphen
            .then(|| compound_stem(word))
            .flatten()
            .filter(|_| name_follows())
            .map(|n| pos + n)
        {
            // "Ireland-based Elan": the place is a word of its own, the
            // hyphen and "based" are not part of any name. Before anything
            // else the compound stays one word, as CoNLL tokenises it
            // ("British-born actress").
            push_word(&mut out, src, pos, stem_end, &mut next_initial);
            push_punct(&mut out, src, stem_end);
            push_word(&mut out, src, stem_end + 1, end, &mut next_initial);
            i = j;
            continue;
        }
        let initial_letter = word.len() == 1 && word.chars().all(char::is_uppercase);
        let dotted = word.contains('.') || initial_letter || DOTTED.contains(&word);
        if dotted && chars.get(j).is_some_and(|&(_, d)| d == '.') {
            j += 1;
            end = end_of(j);
        }
        push_word(&mut out, src, pos, end, &mut next_initial);
        i = j;
    }
    out
}

fn push_word<'a>(
    out: &mut Vec<Tok<'a>>,
    src: Source<'a>,
    start: usize,
    end: usize,
    next_initial: &mut bool,
) {
    out.push(Tok {
        span: Span::new(src.base + start, src.base + end),
        text: &src.body[start..end],
        lower: src.lower(start, end),
        word: true,
        initial: *next_initial,
    });
    *next_initial = false;
}

/// Lower-case second halves of compounds whose first half is a name of
/// its own ("London-based", "US-led", "Saudi-owned"). Awards and works
/// stay whole ("Oscar-nominated", "Grammy-winning"): the compound as a
/// whole is what news names there.
fn is_compound_tail(tail: &str) -> bool {
    const TAILS: &[&str] = &[
        "based",
        "born",
        "owned",
        "led",
        "backed",
        "run",
        "listed",
        "registered",
        "controlled",
        "funded",
        "headquartered",
        "made",
        "bound",
        "wide",
        "sponsored",
        "brokered",
        "linked",
        "style",
    ];
    TAILS.contains(&tail)
}

/// Byte length of the capitalised first half of a compound such as
/// "Ireland-based" (split at its last hyphen), if `word` is one.
fn compound_stem(word: &str) -> Option<usize> {
    let hyphen = word.as_bytes().iter().rposition(|&b| b == b'-')?;
    let (stem, tail) = (&word[..hyphen], &word[hyphen + 1..]);
    let capitalised = stem.chars().next().is_some_and(char::is_uppercase);
    (capitalised && is_compound_tail(tail)).then_some(stem.len())
}

fn push_punct<'a>(out: &mut Vec<Tok<'a>>, src: Source<'a>, at: usize) {
    out.push(Tok {
        span: Span::new(src.base + at, src.base + at + 1),
        text: &src.body[at..at + 1],
        lower: Cow::Borrowed(&src.body[at..at + 1]),
        word: false,
        initial: false,
    });
}

fn lower_case(s: &str) -> Cow<'_, str> {
    if s.is_ascii() {
        // The common case, without the Unicode case tables.
        return if s.bytes().any(|b| b.is_ascii_uppercase()) {
            Cow::Owned(s.to_ascii_lowercase())
        } else {
            Cow::Borrowed(s)
        };
    }
    if s.chars().any(char::is_uppercase) {
        Cow::Owned(s.to_lowercase())
    } else {
        Cow::Borrowed(s)
    }
}

/// Byte length of the stem when `word` ends in "'s" / "’s".
fn possessive_stem(word: &str) -> Option<usize> {
    let stem = word.strip_suffix('s')?;
    let apostrophe = stem.chars().next_back().filter(|&c| is_apostrophe(c))?;
    let n = stem.len() - apostrophe.len_utf8();
    (n > 0).then_some(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        lower_forms(s).into_iter().map(|(text, _)| text).collect()
    }

    /// Each token's text and lower-case form.
    fn lower_forms(s: &str) -> Vec<(String, String)> {
        let span = Span::new(0, s.len());
        let folded = s.to_ascii_lowercase();
        tokenize(s, span, ascii_lowered(s, span, &folded))
            .iter()
            .map(|t| (t.text.to_string(), t.lower.to_string()))
            .collect()
    }

    #[test]
    fn lower_case_forms_in_and_out_of_ascii() {
        for text in [
            "Mr. JUN met Xiaomi's CEO",
            "Mr. JUN met Xiaomi’s CEO in Zürich",
        ] {
            for (word, lower) in lower_forms(text) {
                assert_eq!(lower, word.to_lowercase(), "{text}");
            }
        }
    }

    #[test]
    fn keeps_abbreviations_and_splits_possessives() {
        assert_eq!(
            words("Mr. Jun met U.S. officials at Xiaomi’s office."),
            vec![
                "Mr.",
                "Jun",
                "met",
                "U.S.",
                "officials",
                "at",
                "Xiaomi",
                "’s",
                "office",
                "."
            ]
        );
        assert_eq!(words("co-founder AT&T"), vec!["co-founder", "AT&T"]);
        assert_eq!(
            words("Ireland-based Elan, a US-led Nato, Anglo-Dutch Shell, Oscar-nominated, UK-based firm"),
            vec![
                "Ireland",
                "-",
                "based",
                "Elan",
                ",",
                "a",
                "US",
                "-",
                "led",
                "Nato",
                ",",
                "Anglo-Dutch",
                "Shell",
                ",",
                "Oscar-nominated",
                ",",
                "UK-based",
                "firm"
            ]
        );
        assert!(words("").is_empty());
    }
}
