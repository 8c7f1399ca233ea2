//! Word classes of the chunker and the role finder (`clauses/words.tsv`):
//! titles before names, nouns of time that stand as adverbs, and the
//! prepositions that open clauses.
//!
//! Takes the rule sources; gives the three lists, lower-cased. Closed-class
//! grammar words (forms of "be", "have", "do", negation, modals) stay in
//! the code that reads them: they are English, not data to tune.

use crate::error::RuleError;
use crate::rules::{catalog, load_word_classes, RuleFiles};

/// A set of word classes, one bit each: what a token's spelling is, found
/// once per token (by the tagger's lexicon lookup) so that the chunker and
/// the role finder test a bit instead of comparing strings.
pub type Marks = u16;
pub const BE: Marks = 1;
pub const HAVE: Marks = 1 << 1;
pub const DO: Marks = 1 << 2;
pub const GET: Marks = 1 << 3;
pub const NEGATION: Marks = 1 << 4;
pub const FUTURE_MODAL: Marks = 1 << 5;
pub const PAST_MODAL: Marks = 1 << 6;
pub const TITLE: Marks = 1 << 7;
pub const TEMPORAL: Marks = 1 << 8;
pub const SUBORDINATOR: Marks = 1 << 9;

/// The closed grammar classes, lower case; a spelling matches a class
/// word ignoring ASCII case.
const GRAMMAR: &[(Marks, &[&str])] = &[
    (
        BE,
        &[
            "be",
            "am",
            "is",
            "are",
            "was",
            "were",
            "been",
            "being",
            "'s",
            "\u{2019}s",
            "'re",
            "\u{2019}re",
            "'m",
            "\u{2019}m",
            // Informal spellings ("it s", "i m", "you r"); a mark only
            // matters where the tagger made the word a verb.
            "s",
            "m",
            "r",
        ],
    ),
    (
        HAVE,
        &[
            "have",
            "has",
            "had",
            "having",
            "'ve",
            "\u{2019}ve",
            "'d",
            "\u{2019}d",
            "ve",
        ],
    ),
    (DO, &["do", "does", "did"]),
    (GET, &["get", "gets", "got", "gotten", "getting"]),
    (NEGATION, &["not", "n't", "n\u{2019}t", "never"]),
    (FUTURE_MODAL, &["will", "shall", "'ll", "\u{2019}ll", "wo"]),
    (
        PAST_MODAL,
        &["would", "could", "might", "should", "'d", "\u{2019}d"],
    ),
];

/// The word classes, each list lower-cased.
#[derive(Clone, Debug, Default)]
pub struct WordClasses {
    /// Written before a personal name, never its phrase's head ("President").
    pub title: Vec<String>,
    /// Nouns of time standing as adverbs ("said Tuesday", "Last week").
    pub temporal: Vec<String>,
    /// Words tagged IN that open a clause ("after the company announced").
    pub subordinator: Vec<String>,
}

impl WordClasses {
    /// Loads the built-in file and the user's rows after it.
    pub fn load(rules: &RuleFiles) -> Result<Self, RuleError> {
        let classes = ["title", "temporal", "subordinator"];
        let lower = |_: usize, word: &str| word.to_lowercase();
        let mut lists =
            load_word_classes(rules, &catalog::CLAUSE_WORDS, &classes, lower)?.into_iter();
        let mut next = || lists.next().unwrap_or_default();
        Ok(WordClasses {
            title: next(),
            temporal: next(),
            subordinator: next(),
        })
    }

    /// Every class word (lower case) with its marks: the grammar classes
    /// and this file's three.
    pub fn marked_words(&self) -> Vec<(&str, Marks)> {
        let lists = [
            (TITLE, &self.title),
            (TEMPORAL, &self.temporal),
            (SUBORDINATOR, &self.subordinator),
        ];
        let grammar = GRAMMAR
            .iter()
            .flat_map(|&(mark, words)| words.iter().map(move |&w| (w, mark)));
        let listed = lists
            .into_iter()
            .flat_map(|(mark, words)| words.iter().map(move |w| (w.as_str(), mark)));
        grammar.chain(listed).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_classes_load_lower_cased() {
        let classes = WordClasses::load(&RuleFiles::builtin()).unwrap();
        assert!(classes.title.iter().any(|w| w == "president"));
        assert!(classes.temporal.iter().any(|w| w == "tuesday"));
        assert!(classes.subordinator.iter().any(|w| w == "unless"));
    }

    #[test]
    fn a_user_row_with_an_unknown_class_names_its_line() {
        let dir = crate::rules::user_dir_with(&[(
            "clauses/words.tsv",
            "# mine\nDuke\ttitle\nMarquess\ttitel\n",
        )]);
        let err = WordClasses::load(&RuleFiles::with_dir(dir.path()))
            .unwrap_err()
            .to_string();
        assert!(err.contains("clauses/words.tsv:3"), "{err}");
        assert!(err.contains("unknown class \"titel\""), "{err}");
    }
}
