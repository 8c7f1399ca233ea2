//! Word tokens of a sentence: the Unicode word boundaries (UAX #29) of
//! its text, white space left out, each with a rough kind.
//!
//! Takes a sentence span of the text; gives its tokens as byte spans, the
//! same as `unicode_segmentation`'s word bounds would. Most news text is
//! ASCII words between ASCII white space, where the boundary rules reduce
//! to a few byte classes: those stretches are split here directly, and
//! only a stretch holding a non-ASCII character goes through the general
//! segmenter (which costs several times more per byte).

use super::{Token, TokenKind};
use crate::record::Span;
use unicode_segmentation::UnicodeSegmentation;

/// Appends the tokens of `span` (a slice of `text`) to `out`.
///
/// ASCII white space always separates word-boundary segments (UAX #29
/// rules WB3a, WB3b, WB3d and WB999 never join it with a following or
/// preceding non-space, apart from an extending mark after it, WB4), so
/// each stretch between ASCII white space is segmented on its own. A
/// stretch with a non-ASCII character is handed to the general segmenter
/// together with the white space before it, so that a combining mark
/// right after the space stays attached to it, as it does in context.
pub(super) fn push_tokens(text: &str, span: Span, out: &mut Vec<Token>) {
    let body = span.slice(text);
    let bytes = body.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if is_space(bytes[i]) {
            i += 1;
            continue;
        }
        let start = i;
        let mut ascii = true;
        while i < bytes.len() && !is_space(bytes[i]) {
            ascii &= bytes[i].is_ascii();
            i += 1;
        }
        if ascii {
            push_ascii_words(&bytes[start..i], span.start + start, out);
        } else {
            let from = start.saturating_sub(1);
            push_unicode_words(&body[from..i], span.start + from, out);
        }
    }
}

/// ASCII white space as the general segmenter has it: `u8::is_ascii_whitespace`
/// leaves out the vertical tab, which Unicode counts as a line break.
fn is_space(b: u8) -> bool {
    b.is_ascii_whitespace() || b == 0x0b
}

/// The general segmenter's words of `piece` (at `offset` in the text),
/// white space left out.
fn push_unicode_words(piece: &str, offset: usize, out: &mut Vec<Token>) {
    for (i, w) in piece.split_word_bound_indices() {
        let Some(first) = w.chars().next() else {
            continue;
        };
        if first.is_whitespace() {
            continue;
        }
        push(out, offset + i, w.len(), kind_of(first));
    }
}

fn push(out: &mut Vec<Token>, start: usize, len: usize, kind: TokenKind) {
    out.push(Token {
        span: Span::new(start, start + len),
        kind,
    });
}

fn kind_of(first: char) -> TokenKind {
    if first.is_ascii_digit() {
        TokenKind::Number
    } else if first.is_alphanumeric() {
        TokenKind::Word
    } else {
        TokenKind::Punct
    }
}

/// The word-break classes of UAX #29 that ASCII characters other than
/// white space fall into.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Letter,
    Numeric,
    /// `:` (MidLetter).
    MidLetter,
    /// `,` `;` (MidNum).
    MidNum,
    /// `.` and `'` (MidNumLet, Single_Quote): between letters or between
    /// digits alike.
    MidBoth,
    /// `_` (ExtendNumLet).
    Connector,
    Other,
}

fn class(b: u8) -> Class {
    match b {
        b'A'..=b'Z' | b'a'..=b'z' => Class::Letter,
        b'0'..=b'9' => Class::Numeric,
        b':' => Class::MidLetter,
        b',' | b';' => Class::MidNum,
        b'.' | b'\'' => Class::MidBoth,
        b'_' => Class::Connector,
        _ => Class::Other,
    }
}

/// Whether UAX #29 keeps `piece[at - 1]` and `piece[at]` in one word, for
/// ASCII without white space (rules WB5 to WB13b; the Hebrew and Katakana
/// rules need non-ASCII letters).
fn joins(piece: &[u8], at: usize) -> bool {
    use Class::*;
    let before = class(piece[at - 1]);
    let here = class(piece[at]);
    let ahead = || piece.get(at + 1).map_or(Other, |&b| class(b));
    let behind = || at.checked_sub(2).map_or(Other, |k| class(piece[k]));
    match (before, here) {
        (Letter | Numeric, Letter | Numeric) => true,
        (Letter | Numeric | Connector, Connector) | (Connector, Letter | Numeric) => true,
        (Letter, MidLetter | MidBoth) => ahead() == Letter,
        (MidLetter | MidBoth, Letter) => behind() == Letter,
        (Numeric, MidNum | MidBoth) => ahead() == Numeric,
        (MidNum | MidBoth, Numeric) => behind() == Numeric,
        _ => false,
    }
}

/// The words of an ASCII stretch without white space at `offset`.
fn push_ascii_words(piece: &[u8], offset: usize, out: &mut Vec<Token>) {
    let mut start = 0;
    for at in 1..=piece.len() {
        if at < piece.len() && joins(piece, at) {
            continue;
        }
        push(
            out,
            offset + start,
            at - start,
            kind_of(char::from(piece[start])),
        );
        start = at;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tokens the general segmenter gives for the whole of `text`.
    fn reference(text: &str) -> Vec<Token> {
        let mut out = Vec::new();
        push_unicode_words(text, 0, &mut out);
        out
    }

    fn ours(text: &str) -> Vec<Token> {
        let mut out = Vec::new();
        push_tokens(text, Span::new(0, text.len()), &mut out);
        out
    }

    /// Every string of up to five characters over the ASCII classes gives
    /// the general segmenter's tokens.
    #[test]
    fn ascii_stretches_split_as_the_general_segmenter_does() {
        let alphabet = [
            "a", "Z", "7", ":", ",", ";", ".", "'", "_", "\"", "-", "(", " ",
        ];
        let mut all = Vec::new();
        let mut strings = vec![String::new()];
        for _ in 0..5 {
            strings = strings
                .iter()
                .flat_map(|s| alphabet.iter().map(move |c| format!("{s}{c}")))
                .collect();
            all.extend(strings.iter().cloned());
        }
        assert_same_as_reference(&all);
    }

    /// Fails with every text whose tokens differ from the general
    /// segmenter's (the first twenty shown).
    fn assert_same_as_reference(texts: &[String]) {
        let failures: Vec<&String> = texts.iter().filter(|t| ours(t) != reference(t)).collect();
        assert!(
            failures.is_empty(),
            "{} differ: {:?}",
            failures.len(),
            &failures[..failures.len().min(20)]
        );
    }

    /// Mixed text, non-ASCII letters, marks, joiners and white space of
    /// every kind next to ASCII stretches.
    #[test]
    fn mixed_text_splits_as_the_general_segmenter_does() {
        let parts = [
            "Xiaomi’s",
            "1260H",
            "U.S.",
            "e.g.",
            "3.5",
            "1,000",
            "can't",
            "a_b",
            " ",
            "  ",
            "\t",
            "\x0b",
            "\n",
            "\r\n",
            "\u{a0}",
            "\u{2009}",
            "\u{301}",
            "\u{200d}",
            "😀",
            "é",
            "日本",
            "—",
            "“",
            "”",
            "x",
            "9",
            ".",
            ",",
            "'",
            ":",
            "_",
        ];
        let mut texts = Vec::new();
        for a in parts {
            for b in parts {
                texts.extend(parts.iter().map(|c| format!("{a}{b}{c}")));
            }
        }
        assert_same_as_reference(&texts);
    }

    #[test]
    fn kinds_follow_the_first_character() {
        let text = "Jan. 14, 2021: U.S. firms' 2.5% rise";
        let got: Vec<(&str, TokenKind)> = ours(text)
            .iter()
            .map(|t| (t.span.slice(text), t.kind))
            .collect();
        use TokenKind::*;
        assert_eq!(
            got,
            [
                ("Jan", Word),
                (".", Punct),
                ("14", Number),
                (",", Punct),
                ("2021", Number),
                (":", Punct),
                ("U.S", Word),
                (".", Punct),
                ("firms", Word),
                ("'", Punct),
                ("2.5", Number),
                ("%", Punct),
                ("rise", Word),
            ]
        );
    }
}
