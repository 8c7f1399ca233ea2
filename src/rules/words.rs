//! Word-class files: rows `WORD<TAB>CLASS` (`segment.tsv`,
//! `clauses/words.tsv`), built-in and the user's, merged by class and word.

use super::{Merged, RuleFile, RuleFiles};
use crate::error::RuleError;

/// The words of each class of `classes` (in that order), in file order.
/// `fold` gives the stored form of a word of class `i` (lower case, or as
/// written where case matters). A word holds no space; an unknown class is
/// an error at its line.
pub fn load_word_classes(
    rules: &RuleFiles,
    file: &RuleFile,
    classes: &[&str],
    fold: impl Fn(usize, &str) -> String,
) -> Result<Vec<Vec<String>>, RuleError> {
    let mut rows = Merged::default();
    for (n, src) in rules.load(file)?.iter().enumerate() {
        for (line, cols) in src.tsv_rows() {
            let (word, class) = match cols[..] {
                [word, class] if !word.is_empty() && !word.contains(' ') => (word, class),
                _ => {
                    let wanted = classes.join("|");
                    return Err(src.error(line, format!("expected WORD<TAB>{wanted}")));
                }
            };
            let Some(i) = classes.iter().position(|&c| c == class) else {
                let known = classes.join(", ");
                return Err(src.error(line, format!("unknown class {class:?} (one of {known})")));
            };
            let word = fold(i, word);
            rows.add(src, n, &format!("{class}\t{word}"), (i, word))?;
        }
    }
    let mut lists = vec![Vec::new(); classes.len()];
    for (i, word) in rows.into_vec() {
        lists[i].push(word);
    }
    Ok(lists)
}
