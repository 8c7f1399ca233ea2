//! Reader-comment zones: paragraphs that are readers' comments, not the
//! article's reporting, so that speech reported in them ("My MP said it
//! would never happen") is not taken for a quote of someone they name.
//!
//! Takes the text and its paragraphs; gives one flag per paragraph. A
//! paragraph is a comment when it follows a comment heading ("Your views",
//! "Have your say": `[comments] headings` in `rules/quotes.toml`), or when
//! it is followed by a signature line ("Jane Doe, Leeds", a name and a
//! place) in an article holding at least two such lines (a list of
//! comments, each signed). The signature lines belong to the zone too.
//! It does not find comments that are neither headed nor signed.

use crate::record::Span;
use std::collections::BTreeSet;

/// Signature lines an article needs before a line followed by one counts
/// as a signed comment: one "Name, Place" line may end a report.
const MIN_SIGNATURES: usize = 2;

/// Most words in a signature line ("Mary Anne de Souza, Milton Keynes, UK").
const MAX_SIGNATURE_WORDS: usize = 8;

/// Lower-case words a name or place may hold ("Isle of Man", "van Dijk").
const PARTICLES: &[&str] = &[
    "of", "de", "da", "del", "der", "van", "von", "la", "le", "the", "and", "upon", "on",
];

/// Flags the paragraphs (spans of `paragraphs`, in order) that are reader
/// comments. `headings` are lower-cased heading texts.
pub fn zone(text: &str, paragraphs: &[Span], headings: &BTreeSet<String>) -> Vec<bool> {
    let mut flags = vec![false; paragraphs.len()];
    let signed: Vec<bool> = paragraphs
        .iter()
        .map(|p| is_signature(p.slice(text)))
        .collect();
    if signed.iter().filter(|&&s| s).count() >= MIN_SIGNATURES {
        for i in 0..paragraphs.len() {
            if signed[i] {
                flags[i] = true;
                if let Some(before) = i.checked_sub(1) {
                    flags[before] = true;
                }
            }
        }
    }
    if let Some(first) = paragraphs
        .iter()
        .position(|p| is_heading(p.slice(text), headings))
    {
        for flag in &mut flags[first..] {
            *flag = true;
        }
    }
    flags
}

/// True when the paragraph is one of the comment headings, whatever its
/// case and closing colon or period.
fn is_heading(paragraph: &str, headings: &BTreeSet<String>) -> bool {
    let line = paragraph
        .trim()
        .trim_end_matches([':', '.', '!', '?'])
        .trim();
    line.len() <= 40 && headings.contains(&line.to_lowercase())
}

/// True when the paragraph is a signature: a name of two words or more,
/// a comma and a place (with at most a country after a second comma),
/// each made of capitalised words (and name particles), nothing else. A
/// team line-up ("Hyypia, Traore, Hamann, Carragher.") is no signature.
fn is_signature(paragraph: &str) -> bool {
    let line = paragraph.trim();
    // The cheap checks first: most paragraphs end with a full stop.
    if line.ends_with('.') || line.split_whitespace().nth(MAX_SIGNATURE_WORDS).is_some() {
        return false;
    }
    let Some((name, place)) = line.split_once(", ") else {
        return false;
    };
    name.split(' ').count() >= 2
        && is_proper_run(name)
        && place.split(", ").count() <= 2
        && place.split(", ").all(is_proper_run)
}

/// True when `s` is one to four words, each capitalised or a particle,
/// the first capitalised, with letters, apostrophes, hyphens and periods only.
fn is_proper_run(s: &str) -> bool {
    let words: Vec<&str> = s.split(' ').collect();
    let capital = |w: &str| w.chars().next().is_some_and(char::is_uppercase);
    let wordlike = |w: &str| {
        !w.is_empty()
            && w.chars()
                .all(|c| c.is_alphabetic() || matches!(c, '\'' | '’' | '-' | '.'))
    };
    (1..=4).contains(&words.len())
        && capital(words[0])
        && words
            .iter()
            .all(|w| wordlike(w) && (capital(w) || PARTICLES.contains(w)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flags(text: &str) -> Vec<bool> {
        let headings: BTreeSet<String> = ["your views", "have your say"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        zone(text, &crate::segment::paragraphs(text), &headings)
    }

    #[test]
    fn signatures_and_headings_make_zones() {
        let cases: &[(&str, &[bool])] = &[
            // A signed list: each comment and its signature.
            (
                "Report.\n\nMy MP said it would close.\n\nJane Doe, Leeds\n\nI agree.\n\nTom Hill, Isle of Man, UK",
                &[false, true, true, true, true],
            ),
            // One signature line alone is not a list.
            (
                "Report.\n\nHe said it was over.\n\nJane Doe, Leeds",
                &[false, false, false],
            ),
            // A heading starts a zone running to the end.
            (
                "Report.\n\nYour views:\n\nThe minister said nothing new.\n\nRubbish.",
                &[false, true, true, true],
            ),
            // Team line-ups are not signatures.
            (
                "Report.\n\nLiverpool: Dudek, Finnan.\n\nHyypia, Traore, Hamann, Carragher.\n\nMorrison, Wilson, Duff, Kezman",
                &[false, false, false, false],
            ),
            // Sentences with a comma are not signatures.
            (
                "Mr Smith, the chairman, said so.\n\nShe said, Yes.\n\nIt fell, London said.",
                &[false, false, false],
            ),
        ];
        let mut failures = Vec::new();
        for (text, want) in cases {
            let got = flags(text);
            if got != *want {
                failures.push(format!("{text:?}: got {got:?}, want {want:?}"));
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }
}
