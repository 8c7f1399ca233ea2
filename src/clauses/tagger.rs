//! Part-of-speech tagging by transformation rules (Brill-style).
//!
//! Takes a sentence's word forms; gives one Penn Treebank [`Tag`] per word.
//! Three rule sets, applied in order:
//! 1. lexicons: `pos_lexicon_ewt.tsv` (most frequent tag in UD English EWT
//!    train), then `brill_lexicon.txt` (Brill's lexicon as shipped by
//!    TextBlob). A capitalised word is looked up lower-cased too when it
//!    opens the sentence (or follows an opening quote/bracket/colon) or is
//!    all capitals;
//! 2. unknown-word rules `pos_unknown.tsv`: the longest known lower-case
//!    suffix for the word's shape (digit, capital, lower; hyphen);
//! 3. contextual transformations `pos_context.tsv` ("change FROM to TO when
//!    the previous tag is X"), each applied left to right, in place.
//!
//! `rules/tools/learn_pos_rules.py` learns files 1 (EWT part), 2 and 3 and
//! simulates exactly this procedure; keep both in step. It does not use
//! any statistical model at run time.

use crate::error::RuleError;
use std::collections::HashMap;

macro_rules! tags {
    ($($variant:ident = $name:literal,)*) => {
        /// A Penn Treebank tag (with the UD English EWT additions), one byte.
        #[allow(clippy::upper_case_acronyms)]
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[repr(u8)]
        pub enum Tag { $($variant,)* }

        impl Tag {
            const ALL: &'static [Tag] = &[$(Tag::$variant,)*];
            /// The tag's Penn name ("NN", "-LRB-", "``"); `<S>` is outside the sentence.
            pub fn as_str(self) -> &'static str {
                match self { $(Tag::$variant => $name,)* }
            }
        }
    };
}

tags! {
    Boundary = "<S>", CC = "CC", CD = "CD", DT = "DT", EX = "EX", FW = "FW", IN = "IN",
    JJ = "JJ", JJR = "JJR", JJS = "JJS", LS = "LS", MD = "MD", NN = "NN", NNS = "NNS",
    NNP = "NNP", NNPS = "NNPS", PDT = "PDT", POS = "POS", PRP = "PRP", PRPS = "PRP$",
    RB = "RB", RBR = "RBR", RBS = "RBS", RP = "RP", SYM = "SYM", TO = "TO", UH = "UH",
    VB = "VB", VBD = "VBD", VBG = "VBG", VBN = "VBN", VBP = "VBP", VBZ = "VBZ",
    WDT = "WDT", WP = "WP", WPS = "WP$", WRB = "WRB", Dollar = "$", Pound = "#",
    OpenQuote = "``", CloseQuote = "''", LRB = "-LRB-", RRB = "-RRB-", Comma = ",",
    Period = ".", Colon = ":", HYPH = "HYPH", NFP = "NFP", ADD = "ADD", AFX = "AFX",
    GW = "GW", XX = "XX",
}

impl Tag {
    /// Parses a Penn tag name; Brill's "(" and ")" are the bracket tags.
    pub fn parse(name: &str) -> Option<Tag> {
        match name {
            "(" => Some(Tag::LRB),
            ")" => Some(Tag::RRB),
            _ => Tag::ALL.iter().copied().find(|t| t.as_str() == name),
        }
    }
    pub fn is_noun(self) -> bool {
        matches!(self, Tag::NN | Tag::NNS | Tag::NNP | Tag::NNPS)
    }
    pub fn is_proper(self) -> bool {
        matches!(self, Tag::NNP | Tag::NNPS)
    }
    pub fn is_verb(self) -> bool {
        matches!(
            self,
            Tag::VB | Tag::VBD | Tag::VBG | Tag::VBN | Tag::VBP | Tag::VBZ
        )
    }
    pub fn is_adjective(self) -> bool {
        matches!(self, Tag::JJ | Tag::JJR | Tag::JJS)
    }
    pub fn is_adverb(self) -> bool {
        matches!(self, Tag::RB | Tag::RBR | Tag::RBS)
    }
}

/// A word the contextual rules compare with (lower case), or `<S>`.
type Word = Box<str>;

/// When a contextual transformation fires; offsets are relative to the word.
#[derive(Clone, Debug, PartialEq)]
enum Condition {
    /// Tags at the given offsets equal these.
    Tags(Vec<(isize, Tag)>),
    /// The tag at either offset equals this.
    EitherTag([isize; 2], Tag),
    /// Words (lower case) at the given offsets, and optionally a tag.
    Words(Vec<(isize, Word)>, Option<(isize, Tag)>),
}

#[derive(Clone, Debug, PartialEq)]
struct Transformation {
    from: Tag,
    to: Tag,
    condition: Condition,
}

/// The compiled tagger.
pub struct Tagger {
    lexicon: HashMap<String, Tag>,
    brill: HashMap<String, Tag>,
    /// Key: shape, tab, lower-case suffix.
    unknown: HashMap<String, Tag>,
    context: Vec<Transformation>,
}

pub const EWT_LEXICON: &str = include_str!("../../rules/clauses/pos_lexicon_ewt.tsv");
pub const BRILL_LEXICON: &str = include_str!("../../rules/clauses/brill_lexicon.txt");
pub const UNKNOWN_RULES: &str = include_str!("../../rules/clauses/pos_unknown.tsv");
pub const CONTEXT_RULES: &str = include_str!("../../rules/clauses/pos_context.tsv");

/// Longest suffix the unknown-word rules look at, in characters.
const MAX_SUFFIX: usize = 5;

impl Tagger {
    /// The built-in rule files.
    pub fn builtin() -> Result<Self, RuleError> {
        Ok(Tagger {
            lexicon: parse_lexicon("pos_lexicon_ewt.tsv", EWT_LEXICON, '\t')?,
            brill: parse_lexicon("brill_lexicon.txt", BRILL_LEXICON, ' ')?,
            unknown: parse_unknown("pos_unknown.tsv", UNKNOWN_RULES)?,
            context: parse_context("pos_context.tsv", CONTEXT_RULES)?,
        })
    }

    /// Tags `words` into `tags` (cleared first). `lower` is a scratch buffer.
    pub fn tag(&self, words: &[&str], tags: &mut Vec<Tag>, lower: &mut String) {
        tags.clear();
        for (i, word) in words.iter().enumerate() {
            let initial = i == 0 || is_opener(words[i - 1]);
            tags.push(self.lookup(word, initial, lower));
        }
        for rule in &self.context {
            for i in 0..tags.len() {
                if tags[i] == rule.from && rule.holds(words, tags, i) {
                    tags[i] = rule.to;
                }
            }
        }
    }

    /// The tag a lexicon gives `word` (lower-cased as the lexicon lookup
    /// would), if any: for chunking decisions such as "is this capitalised
    /// word also a common noun".
    pub fn lexicon_tag(&self, word: &str) -> Option<Tag> {
        self.lexicon.get(word).copied()
    }

    fn lookup(&self, word: &str, initial: bool, lower: &mut String) -> Tag {
        let lowered_ok = initial || is_all_upper(word);
        lower.clear();
        lower.extend(word.chars().flat_map(char::to_lowercase));
        for lexicon in [&self.lexicon, &self.brill] {
            if let Some(&tag) = lexicon.get(word) {
                return tag;
            }
            if lowered_ok {
                if let Some(&tag) = lexicon.get(lower.as_str()) {
                    return tag;
                }
            }
        }
        self.guess(word, lower)
    }

    /// The unknown-word rules: longest suffix first, then the shape alone.
    fn guess(&self, word: &str, lower: &str) -> Tag {
        let mut key = String::with_capacity(lower.len() + 4);
        key.push_str(shape(word));
        key.push('\t');
        let prefix = key.len();
        let starts: Vec<usize> = lower.char_indices().map(|(i, _)| i).collect();
        for k in (0..=MAX_SUFFIX.min(starts.len())).rev() {
            key.truncate(prefix);
            if k > 0 {
                key.push_str(&lower[starts[starts.len() - k]..]);
            }
            if let Some(&tag) = self.unknown.get(&key) {
                return tag;
            }
        }
        Tag::NN
    }
}

impl Transformation {
    fn holds(&self, words: &[&str], tags: &[Tag], i: usize) -> bool {
        let tag_at = |o: isize| {
            i.checked_add_signed(o)
                .and_then(|j| tags.get(j))
                .copied()
                .unwrap_or(Tag::Boundary)
        };
        match &self.condition {
            Condition::Tags(want) => want.iter().all(|&(o, t)| tag_at(o) == t),
            Condition::EitherTag(offsets, t) => offsets.iter().any(|&o| tag_at(o) == *t),
            Condition::Words(want, tag) => {
                tag.is_none_or(|(o, t)| tag_at(o) == t)
                    && want.iter().all(|(o, w)| {
                        match i.checked_add_signed(*o).and_then(|j| words.get(j)) {
                            Some(word) => word.eq_ignore_ascii_case(w),
                            None => &**w == "<S>",
                        }
                    })
            }
        }
    }
}

fn is_opener(word: &str) -> bool {
    matches!(
        word,
        "``" | "-LRB-" | ":" | "\"" | "'" | "(" | "[" | "“" | "‘"
    )
}

/// True when the word has a cased letter and no lower-case one.
fn is_all_upper(word: &str) -> bool {
    word.chars().any(char::is_uppercase) && !word.chars().any(char::is_lowercase)
}

/// The unknown-word shape: `d` has a digit, `C` starts upper-case, `l`
/// otherwise; `h` appended when the word has a hyphen.
fn shape(word: &str) -> &'static str {
    let base = if word.chars().any(|c| c.is_ascii_digit()) {
        0
    } else if word.chars().next().is_some_and(char::is_uppercase) {
        1
    } else {
        2
    };
    let hyphen = usize::from(word.contains('-'));
    ["d", "dh", "C", "Ch", "l", "lh"][base * 2 + hyphen]
}

/// Data lines with their 1-based line numbers: comments (`#`, `;;;`) and
/// blank lines skipped.
fn data_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines().enumerate().filter_map(|(i, line)| {
        let trimmed = line.trim_end_matches('\r');
        let skip =
            trimmed.trim().is_empty() || trimmed.starts_with('#') || trimmed.starts_with(";;;");
        (!skip).then_some((i + 1, trimmed))
    })
}

fn parse_tag(origin: &str, line: usize, name: &str) -> Result<Tag, RuleError> {
    Tag::parse(name)
        .ok_or_else(|| RuleError::invalid(origin, line, format!("unknown tag {name:?}")))
}

/// `word SEP tag [more tags]`: the first tag is the word's; first entry wins.
/// Brill's lexicon has a few tags outside the Penn set; those words are skipped.
fn parse_lexicon(origin: &str, text: &str, sep: char) -> Result<HashMap<String, Tag>, RuleError> {
    let mut out = HashMap::new();
    for (line, data) in data_lines(text) {
        let mut fields = data.split(sep);
        let (Some(word), Some(tag)) = (fields.next(), fields.next()) else {
            return Err(RuleError::invalid(
                origin,
                line,
                "expected a word and a tag",
            ));
        };
        if let Some(tag) = Tag::parse(tag) {
            out.entry(word.to_string()).or_insert(tag);
        } else if sep == '\t' {
            return Err(RuleError::invalid(
                origin,
                line,
                format!("unknown tag {tag:?}"),
            ));
        }
    }
    Ok(out)
}

/// `shape TAB suffix TAB tag`.
fn parse_unknown(origin: &str, text: &str) -> Result<HashMap<String, Tag>, RuleError> {
    let mut out = HashMap::new();
    for (line, data) in data_lines(text) {
        let fields: Vec<&str> = data.split('\t').collect();
        let [shape, suffix, tag] = fields[..] else {
            return Err(RuleError::invalid(
                origin,
                line,
                "expected shape, suffix, tag",
            ));
        };
        if !["d", "dh", "C", "Ch", "l", "lh"].contains(&shape) {
            return Err(RuleError::invalid(
                origin,
                line,
                format!("unknown shape {shape:?}"),
            ));
        }
        out.insert(format!("{shape}\t{suffix}"), parse_tag(origin, line, tag)?);
    }
    Ok(out)
}

/// `from TAB to TAB template TAB args [TAB gain]`, Brill's template names.
fn parse_context(origin: &str, text: &str) -> Result<Vec<Transformation>, RuleError> {
    let mut out = Vec::new();
    for (line, data) in data_lines(text) {
        let fields: Vec<&str> = data.split('\t').collect();
        if fields.len() < 4 {
            return Err(RuleError::invalid(
                origin,
                line,
                "expected from, to, template, args",
            ));
        }
        let from = parse_tag(origin, line, fields[0])?;
        let to = parse_tag(origin, line, fields[1])?;
        let args: Vec<&str> = fields[3].split(' ').collect();
        let condition = condition(origin, line, fields[2], &args)?;
        out.push(Transformation {
            from,
            to,
            condition,
        });
    }
    Ok(out)
}

fn condition(
    origin: &str,
    line: usize,
    template: &str,
    args: &[&str],
) -> Result<Condition, RuleError> {
    let tag = |k: usize| -> Result<Tag, RuleError> {
        let name = args.get(k).ok_or_else(|| {
            RuleError::invalid(origin, line, format!("{template}: missing argument"))
        })?;
        parse_tag(origin, line, name)
    };
    let word = |k: usize| -> Result<Word, RuleError> {
        args.get(k).map(|w| Box::from(*w)).ok_or_else(|| {
            RuleError::invalid(origin, line, format!("{template}: missing argument"))
        })
    };
    Ok(match template {
        "PREVTAG" => Condition::Tags(vec![(-1, tag(0)?)]),
        "NEXTTAG" => Condition::Tags(vec![(1, tag(0)?)]),
        "PREV2TAG" => Condition::Tags(vec![(-2, tag(0)?)]),
        "NEXT2TAG" => Condition::Tags(vec![(2, tag(0)?)]),
        "SURROUNDTAG" => Condition::Tags(vec![(-1, tag(0)?), (1, tag(1)?)]),
        "PREVBIGRAM" => Condition::Tags(vec![(-2, tag(0)?), (-1, tag(1)?)]),
        "NEXTBIGRAM" => Condition::Tags(vec![(1, tag(0)?), (2, tag(1)?)]),
        "PREV1OR2TAG" => Condition::EitherTag([-1, -2], tag(0)?),
        "NEXT1OR2TAG" => Condition::EitherTag([1, 2], tag(0)?),
        "PREVWD" => Condition::Words(vec![(-1, word(0)?)], None),
        "NEXTWD" => Condition::Words(vec![(1, word(0)?)], None),
        "CURWD" => Condition::Words(vec![(0, word(0)?)], None),
        "WDPREVTAG" => Condition::Words(vec![(0, word(1)?)], Some((-1, tag(0)?))),
        "WDNEXTTAG" => Condition::Words(vec![(0, word(1)?)], Some((1, tag(0)?))),
        _ => {
            return Err(RuleError::invalid(
                origin,
                line,
                format!("unknown template {template:?}"),
            ))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags_of(tagger: &Tagger, sentence: &str) -> Vec<&'static str> {
        let words: Vec<&str> = sentence.split(' ').collect();
        let mut tags = Vec::new();
        tagger.tag(&words, &mut tags, &mut String::new());
        tags.iter().map(|t| t.as_str()).collect()
    }

    #[test]
    fn tags_a_plain_sentence() {
        let tagger = Tagger::builtin().unwrap();
        assert_eq!(
            tags_of(&tagger, "The company was sued by its workers ."),
            ["DT", "NN", "VBD", "VBN", "IN", "PRP$", "NNS", "."]
        );
    }

    #[test]
    fn unknown_words_follow_suffix_and_shape() {
        let tagger = Tagger::builtin().unwrap();
        let got = tags_of(&tagger, "They zorbified the Blaxtonian 4,521 quibbles");
        assert_eq!(got[1], "VBD");
        // Capitalised "-ian" words are mostly nationality adjectives.
        assert_eq!(got[3], "JJ");
        assert_eq!(got[4], "CD");
        assert_eq!(got[5], "NNS");
        assert_eq!(
            tags_of(&tagger, "Blaxton said it zorbified the quibbles")[0],
            "NNP"
        );
    }

    #[test]
    fn bad_rule_lines_name_file_and_line() {
        let err = parse_context("x.tsv", "# c\nNN\tVB\tPREVTAG\tZZ\n").unwrap_err();
        let shown = err.to_string();
        assert!(
            shown.starts_with("x.tsv:2:") && shown.contains("unknown tag \"ZZ\""),
            "{shown}"
        );
        let err = parse_context("x.tsv", "NN\tVB\tNOPE\tDT\n").unwrap_err();
        let shown = err.to_string();
        assert!(
            shown.starts_with("x.tsv:1:") && shown.contains("unknown template"),
            "{shown}"
        );
    }
}
