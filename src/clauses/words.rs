//! Word classes of the chunker and the role finder (`clauses/words.tsv`):
//! titles before names, nouns of time that stand as adverbs, and the
//! prepositions that open clauses.
//!
//! Takes the rule sources; gives the three lists, lower-cased. Closed-class
//! grammar words (forms of "be", "have", "do", negation, modals) stay in
//! the code that reads them: they are English, not data to tune.

use crate::error::RuleError;
use crate::rules::{catalog, load_word_classes, RuleFiles};

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
