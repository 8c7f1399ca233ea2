//! The examples of the tagger's rules, run by `newsx rules test`.
//!
//! A contextual rule's example is a window of words with the tags they
//! had just before the rule ran, the word it changes in `[[ ]]`:
//! `it/PRP would/MD not/RB [[appeal/NN]] the/DT`. It passes when that word
//! carries the rule's FROM tag and the rule's condition holds there (the
//! window is taken as the whole sentence, so `<S>` lies past its ends).
//! An unknown-word rule's example is a word: it passes when the word has
//! the rule's shape and the rule is the longest suffix rule that matches
//! it (so the word gets the rule's tag). The lexicons are data, not rules:
//! they have no examples.

use super::{
    is_opener, shape, word_shape, Shape, Tag, Tagger, Transformation, WordId, NO_WORD, SHAPES,
};
use crate::error::RuleError;
use crate::rules::{ExampleFailure, ExampleReport, RuleSource};

/// The example of one contextual rule.
#[derive(Clone, Debug)]
pub(super) struct ContextExample {
    place: String,
    rule: String,
    text: String,
}

impl ContextExample {
    pub(super) fn new(
        source: &RuleSource,
        line: usize,
        rule: String,
        text: &str,
    ) -> Result<Self, RuleError> {
        Ok(ContextExample {
            place: place_of(source, line, text)?,
            rule,
            text: text.to_string(),
        })
    }
}

/// The example of one unknown-word rule.
#[derive(Clone, Debug)]
pub(super) struct UnknownExample {
    place: String,
    shape: usize,
    suffix: Box<str>,
    tag: Tag,
    word: String,
}

impl UnknownExample {
    pub(super) fn new(
        source: &RuleSource,
        line: usize,
        (shape, suffix, tag): (usize, &str, Tag),
        word: &str,
    ) -> Result<Self, RuleError> {
        Ok(UnknownExample {
            place: place_of(source, line, word)?,
            shape,
            suffix: suffix.into(),
            tag,
            word: word.to_string(),
        })
    }

    /// True when this is the example of the rule of `shape` and `suffix`.
    pub(super) fn is_for(&self, shape: usize, suffix: &str) -> bool {
        self.shape == shape && &*self.suffix == suffix
    }

    fn rule(&self) -> String {
        format!(
            "{} {:?} {}",
            SHAPES[self.shape],
            &*self.suffix,
            self.tag.as_str()
        )
    }
}

/// "file:line" of a rule whose example is `example`; an error if it has none.
fn place_of(source: &RuleSource, line: usize, example: &str) -> Result<String, RuleError> {
    if example.trim().is_empty() {
        return Err(source.error(line, "no example (last column)"));
    }
    Ok(format!("{}:{line}", source.origin))
}

/// A parsed example window: words, their tags, the index of the target.
struct Window<'a> {
    words: Vec<&'a str>,
    tags: Vec<Tag>,
    target: usize,
}

impl<'a> Window<'a> {
    fn parse(text: &'a str) -> Result<Self, String> {
        let mut window = Window {
            words: Vec::new(),
            tags: Vec::new(),
            target: usize::MAX,
        };
        for item in text.split(' ') {
            let (item, is_target) = match item.strip_prefix("[[") {
                Some(inner) => match inner.strip_suffix("]]") {
                    Some(inner) => (inner, true),
                    None => return Err(format!("{item:?}: [[ without ]]")),
                },
                None => (item, false),
            };
            let Some((word, tag)) = item.rsplit_once('/') else {
                return Err(format!("{item:?} is not word/TAG"));
            };
            let tag = Tag::parse(tag).ok_or_else(|| format!("unknown tag {tag:?} in {item:?}"))?;
            if is_target {
                if window.target != usize::MAX {
                    return Err("more than one word in [[ ]]".into());
                }
                window.target = window.words.len();
            }
            window.words.push(word);
            window.tags.push(tag);
        }
        if window.target == usize::MAX {
            return Err("no word in [[ ]]".into());
        }
        Ok(window)
    }
}

impl Tagger {
    /// Runs the example of every contextual and unknown-word rule.
    pub fn run_examples(&self) -> ExampleReport {
        let mut report = ExampleReport::default();
        for (rule, example) in self.context.iter().zip(&self.context_examples) {
            report.record(self.check_context(rule, example));
        }
        for example in &self.unknown_examples {
            report.record(self.check_unknown(example));
        }
        report
    }

    fn check_context(&self, rule: &Transformation, ex: &ContextExample) -> Option<ExampleFailure> {
        let failure = |got: String| ExampleFailure {
            place: ex.place.clone(),
            rule: ex.rule.clone(),
            example: ex.text.clone(),
            want: format!(
                "the word in [[ ]] tagged {} and the condition true there",
                rule.from.as_str()
            ),
            got,
        };
        let window = match Window::parse(&ex.text) {
            Ok(window) => window,
            Err(problem) => return Some(failure(problem)),
        };
        let at = window.target;
        if window.tags[at] != rule.from {
            return Some(failure(format!("tagged {}", window.tags[at].as_str())));
        }
        let ids: Vec<WordId> = window.words.iter().map(|w| self.word_id(w)).collect();
        let shapes: Vec<Shape> = (0..window.words.len())
            .map(|i| {
                let word = window.words[i];
                let initial = i == 0 || is_opener(window.words[i - 1]);
                let (_, _, known) = self.lookup(word, initial, &mut String::new());
                word_shape(word, initial, known)
            })
            .collect();
        if !rule.holds(&ids, &shapes, &window.tags, at) {
            return Some(failure("the condition does not hold there".into()));
        }
        None
    }

    fn check_unknown(&self, ex: &UnknownExample) -> Option<ExampleFailure> {
        let lower = ex.word.to_lowercase();
        let (suffix, tag) = self.guess_by(&ex.word, &lower);
        let got = if shape(&ex.word) != ex.shape {
            format!("shape {}", SHAPES[shape(&ex.word)])
        } else if suffix != Some(&*ex.suffix) || tag != ex.tag {
            format!("rule {:?} gives {}", suffix.unwrap_or("none"), tag.as_str())
        } else {
            return None;
        };
        Some(ExampleFailure {
            place: ex.place.clone(),
            rule: ex.rule(),
            example: ex.word.clone(),
            want: format!(
                "shape {}, rule {:?} gives {}",
                SHAPES[ex.shape],
                &*ex.suffix,
                ex.tag.as_str()
            ),
            got,
        })
    }

    /// The rule word id of `word` (compared lower case).
    fn word_id(&self, word: &str) -> WordId {
        self.words
            .get(&word.to_lowercase())
            .map_or(NO_WORD, |e| e.word)
    }
}

#[cfg(test)]
mod tests {
    use crate::clauses::Tagger;
    use crate::rules::RuleFiles;

    #[test]
    fn builtin_rules_pass_their_examples() {
        let tagger = Tagger::builtin().unwrap();
        let report = tagger.run_examples();
        assert!(report.count > 1500, "{}", report.count);
        report.assert_ok("clause tagger rules");
    }

    #[test]
    fn a_wrong_user_example_fails_with_its_place() {
        let context = "# after a form of be\n\
            NN\tVBN\tPREVWD\tis\t\tIt/PRP is/VBZ [[sued/NN]]\n\
            NN\tVBN\tPREVWD\tis\t\tIt/PRP was/VBD [[sued/NN]]\n\
            NN\tVBN\tPREVWD\tis\t\tIt/PRP is/VBZ [[sued/VBD]]\n\
            NN\tVBN\tPREVWD\tis\t\tIt/PRP is/VBZ sued/NN\n";
        let unknown = "l\txify\tVB\tzoxify\nl\txize\tVB\tzoxified\n";
        let dir = crate::rules::user_dir_with(&[
            ("clauses/pos_context.tsv", context),
            ("clauses/pos_unknown.tsv", unknown),
        ]);
        let tagger = Tagger::new(&RuleFiles::open(dir.path()).unwrap()).unwrap();
        let report = tagger.run_examples();
        let shown: Vec<String> = report.failures.iter().map(ToString::to_string).collect();
        assert_eq!(shown.len(), 4, "{shown:#?}");
        let user = dir.path().join("clauses");
        let expected = [
            ("pos_context.tsv", 3, "got  the condition does not hold"),
            ("pos_context.tsv", 4, "got  tagged VBD"),
            ("pos_context.tsv", 5, "got  no word in [[ ]]"),
            ("pos_unknown.tsv", 2, "got  rule \"d\" gives VBN"),
        ];
        for (shown, (file, line, got)) in shown.iter().zip(expected) {
            let place = format!("{}:{line}: ", user.join(file).display());
            assert!(shown.starts_with(&place) && shown.contains(got), "{shown}");
        }
    }

    #[test]
    fn a_rule_without_example_is_refused() {
        let dir = crate::rules::user_dir_with(&[(
            "clauses/pos_context.tsv",
            "NN\tVBN\tPREVWD\tis\t3\t\n",
        )]);
        let err = Tagger::new(&RuleFiles::open(dir.path()).unwrap())
            .err()
            .expect("refused")
            .to_string();
        assert!(err.contains("pos_context.tsv:1:1: no example"), "{err}");
    }
}
