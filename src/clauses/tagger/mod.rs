//! Part-of-speech tagging by transformation rules (Brill-style).
//!
//! Takes a sentence's word forms; gives one Penn Treebank [`Tag`] per word.
//! Three rule sets, applied in order:
//! 1. lexicons: `pos_lexicon_ewt.tsv` (most frequent tag in UD English EWT
//!    train; a word seen at most twice there is left to Brill's lexicon
//!    when that has it), then `brill_lexicon.txt` (Brill's lexicon as
//!    shipped by TextBlob). A capitalised word is looked up lower-cased too when it
//!    opens the sentence (or follows an opening quote/bracket/colon) or is
//!    all capitals;
//! 2. unknown-word rules `pos_unknown.tsv`: the longest known lower-case
//!    suffix for the word's shape (digit, capital, lower; hyphen);
//! 3. contextual transformations `pos_context.tsv` ("change FROM to TO when
//!    the previous tag is X"), each applied left to right, in place. Besides
//!    Brill's tag and word templates, shape templates test a word's
//!    [`Shape`]: capitalised, all capitals, with a digit, lower case or
//!    other, and whether a lexicon knows it (an unknown capitalised word
//!    after a proper noun is itself one, a known one may not be). A word
//!    of the EWT lexicon with a third column (its tag set) takes only the
//!    tags listed there: a rule that would give it another passes it by
//!    ("to" then a verb would not make "prison" a verb if "prison" is
//!    listed as a noun only). The shipped lexicon lists no sets.
//!
//! The files are declared rule files (`clauses/...` in `src/rules/catalog.rs`),
//! so a user's `--rules DIR` overrides and extends them. A sentence tries
//! only the contextual rules whose tags and words it holds, and a rule
//! visits only the tokens carrying its FROM tag (in a sentence of at most
//! 64 words, only those where bit operations find its condition may hold,
//! [`short`]): the result is the same as trying every rule at every token.
//!
//! `rules/tools/learn_pos_rules.py` learns files 1 (EWT part), 2 and 3 and
//! simulates exactly this procedure; keep both in step. It does not use
//! any statistical model at run time.

mod examples;
mod index;
mod lexicon;
mod short;

use super::words::Marks;
use crate::error::RuleError;
use crate::rules::{catalog, RuleFiles, RuleSource};
use examples::{ContextExample, UnknownExample};
use index::{pop_lowest, shape_bit, RuleIndex};
use lexicon::{Entry, Lexicon, Packed, TagTable, DIGIT, LOWER, NON_ASCII, UPPER};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

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

/// A fast, non-cryptographic hasher for the lexicons (FxHash): keys are
/// built-in words, not attacker-chosen, and hashing dominates a lookup.
#[derive(Default, Clone, Copy)]
pub struct FxHasher {
    hash: u64,
}

const FX_SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(FX_SEED);
    }
}

impl Hasher for FxHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.add(u64::from_le_bytes(c.try_into().expect("8 bytes")));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut buf = [0u8; 8];
            buf[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(buf));
        }
    }
    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }
    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
    #[inline]
    fn finish(&self) -> u64 {
        self.hash
    }
}

pub type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// The id of a word some contextual rule compares with; [`NO_WORD`] for
/// every other word, [`BOUNDARY_WORD`] outside the sentence.
type WordId = u32;
const NO_WORD: WordId = 0;
const BOUNDARY_WORD: WordId = 1;

/// When a contextual transformation fires; offsets are relative to the word.
#[derive(Clone, Debug, PartialEq)]
enum Condition {
    /// Tags at the given offsets equal these.
    Tags(Vec<(isize, Tag)>),
    /// The tag at one of the offsets equals this.
    AnyTag(Vec<isize>, Tag),
    /// Words (lower case) at the given offsets, and optionally a tag.
    Words(Vec<(isize, WordId)>, Option<(isize, Tag)>),
    /// The word at one of the offsets equals this.
    AnyWord(Vec<isize>, WordId),
    /// Shapes at the given offsets, and optionally a tag.
    Shapes(Vec<(isize, Shape)>, Option<(isize, Tag)>),
}

impl Condition {
    /// The condition as [`Probes`].
    fn probes(&self) -> Probes {
        let mut probes = Probes {
            any: matches!(self, Condition::AnyTag(..) | Condition::AnyWord(..)),
            len: 0,
            list: [Probe::Tag(0, Tag::Boundary); 3],
        };
        let mut push = |probe: Probe| {
            probes.list[probes.len as usize] = probe;
            probes.len += 1;
        };
        let offset = |o: isize| o as i8;
        match self {
            Condition::Tags(want) => want
                .iter()
                .for_each(|&(o, t)| push(Probe::Tag(offset(o), t))),
            Condition::AnyTag(offsets, t) => offsets
                .iter()
                .for_each(|&o| push(Probe::Tag(offset(o), *t))),
            Condition::Words(want, tag) => {
                tag.iter()
                    .for_each(|&(o, t)| push(Probe::Tag(offset(o), t)));
                want.iter()
                    .for_each(|&(o, w)| push(Probe::Word(offset(o), w)));
            }
            Condition::AnyWord(offsets, w) => offsets
                .iter()
                .for_each(|&o| push(Probe::Word(offset(o), *w))),
            Condition::Shapes(want, tag) => {
                tag.iter()
                    .for_each(|&(o, t)| push(Probe::Tag(offset(o), t)));
                want.iter()
                    .for_each(|&(o, s)| push(Probe::Shape(offset(o), s)));
            }
        }
        probes
    }
}

/// One test of a condition: the tag, the rule word or the shape at an
/// offset.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Probe {
    Tag(i8, Tag),
    Word(i8, WordId),
    Shape(i8, Shape),
}

/// A word's shape as the shape templates see it: one of [`SHAPE_NAMES`]
/// (by index), plus [`UNKNOWN_SHAPE`] for a word no lexicon knows;
/// [`BOUNDARY_SHAPE`] outside the sentence.
type Shape = u8;
const UNKNOWN_SHAPE: Shape = 8;
const BOUNDARY_SHAPE: Shape = u8::MAX;

/// `d` has an ASCII digit, `U` is all capitals (two characters or more),
/// `I` and `C` start upper-case (`I` where the sentence or a quotation
/// opens), `l` starts lower-case, `p` otherwise. In rule files a `?`
/// after the name marks an unknown word.
const SHAPE_NAMES: [&str; 6] = ["l", "C", "I", "U", "d", "p"];

/// The shape of `word`; `initial` as for the lexicon lookup, `known` when
/// a lexicon gave its tag.
fn word_shape(word: &str, initial: bool, known: bool) -> Shape {
    let first = word.chars().next();
    let all_upper = |word: &str| match word.is_ascii() {
        true => !word.bytes().any(|b| b.is_ascii_lowercase()),
        false => is_all_upper(word),
    };
    let base = if word.bytes().any(|b| b.is_ascii_digit()) {
        4
    } else if first.is_some_and(char::is_uppercase) {
        if word.chars().nth(1).is_some() && all_upper(word) {
            3
        } else if initial {
            2
        } else {
            1
        }
    } else if first.is_some_and(char::is_lowercase) {
        0
    } else {
        5
    };
    if known {
        base
    } else {
        base + UNKNOWN_SHAPE
    }
}

/// Parses a shape name of a rule file ("C", "l?", "<S>").
fn parse_shape(name: &str) -> Option<Shape> {
    if name == "<S>" {
        return Some(BOUNDARY_SHAPE);
    }
    let (base, unknown) = match name.strip_suffix('?') {
        Some(base) => (base, UNKNOWN_SHAPE),
        None => (name, 0),
    };
    let k = SHAPE_NAMES.iter().position(|s| *s == base)?;
    Some(k as Shape + unknown)
}

/// A [`Condition`] compiled to a fixed-size value: up to three probes,
/// all of which (or, when `any`, one of which) must match. Rules are kept
/// in one flat array of these, with no pointer to follow.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Probes {
    any: bool,
    len: u8,
    list: [Probe; 3],
}

impl Probes {
    fn as_slice(&self) -> &[Probe] {
        &self.list[..self.len as usize]
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
struct Transformation {
    from: Tag,
    to: Tag,
    probes: Probes,
    /// One bit per probe that may prefilter a short sentence's tokens by
    /// bit operations ([`short::Filter`]).
    filtering: u8,
}

/// The positions of each tag in a sentence, one bit per token: a rule
/// visits only the tokens that carry its `from` tag.
#[derive(Default)]
struct TagPositions {
    /// `blocks` words per tag, tag-major.
    bits: Vec<u64>,
    blocks: usize,
}

impl TagPositions {
    fn reset(&mut self, tags: &[Tag]) {
        self.blocks = tags.len().div_ceil(64).max(1);
        self.bits.clear();
        self.bits.resize(Tag::ALL.len() * self.blocks, 0);
        for (i, &t) in tags.iter().enumerate() {
            self.bits[t as usize * self.blocks + i / 64] |= 1 << (i % 64);
        }
    }

    fn block(&self, tag: Tag, b: usize) -> u64 {
        self.bits[tag as usize * self.blocks + b]
    }

    fn retag(&mut self, i: usize, from: Tag, to: Tag) {
        let bit = 1u64 << (i % 64);
        self.bits[from as usize * self.blocks + i / 64] &= !bit;
        self.bits[to as usize * self.blocks + i / 64] |= bit;
    }
}

/// The compiled tagger.
pub struct Tagger {
    /// Every spelling of both lexicons, and every rule word (lower case).
    words: Lexicon,
    /// Unknown-word rules per shape (index of [`SHAPES`]): lower-case
    /// suffix to tag.
    unknown: [TagTable; 6],
    context: Vec<Transformation>,
    /// The bit-set prefilter of each rule of `context`, at the same index.
    filters: Vec<short::Filter>,
    /// Which rules a sentence can fire, by what they need.
    index: RuleIndex,
    /// Number of rule word ids (the two reserved ones included).
    word_ids: usize,
    /// The example of each rule of `context`, at the same index.
    context_examples: Vec<ContextExample>,
    /// The example of each unknown-word rule in effect.
    unknown_examples: Vec<UnknownExample>,
    /// Every marked word (lower case) with its marks, for the rare word
    /// with a non-ASCII character (the lexicon holds the ASCII ones).
    marked: Vec<(Box<str>, Marks)>,
}

/// Reusable buffers of the tagger: no per-word allocation.
#[derive(Default)]
pub struct TagScratch {
    lower: String,
    /// The sentence's tags and rule word ids as the rules see them, with
    /// [`PAD`] boundary entries either side.
    tags: Vec<Tag>,
    ids: Vec<WordId>,
    shapes: Vec<Shape>,
    /// One bit per rule word id present in the sentence.
    words_present: Vec<u64>,
    /// The rule word ids present in the sentence, each once.
    present_words: Vec<WordId>,
    positions: TagPositions,
    /// One bit per contextual rule that may fire in the sentence.
    candidates: Vec<u64>,
    /// One bit per contextual rule whose rule words the sentence holds.
    words_met: Vec<u64>,
    /// The word classes of each word of the last sentence tagged.
    marks: Vec<Marks>,
    /// The tags a contextual rule may give each word (0: any).
    may: Vec<u64>,
    /// Where each tag, rule word and shape occurs in a sentence of at
    /// most 64 words; its word slots are zero between sentences.
    table: short::Table,
}

impl TagScratch {
    /// Room for sentences of up to `words` words, so that a document's
    /// first sentences do not grow the buffers step by step.
    pub fn reserve(&mut self, words: usize) {
        self.tags.reserve(words + 2 * PAD);
        self.ids.reserve(words + 2 * PAD);
        self.shapes.reserve(words + 2 * PAD);
        self.marks.reserve(words);
    }

    /// The word classes ([`Tagger::mark_words`]) of each word of the last
    /// sentence tagged.
    pub fn marks(&self) -> &[Marks] {
        &self.marks
    }
}

/// Longest suffix the unknown-word rules look at, in characters.
const MAX_SUFFIX: usize = 5;

/// The unknown-word shapes: `d` has a digit, `C` starts upper-case, `l`
/// otherwise; `h` appended when the word has a hyphen.
const SHAPES: [&str; 6] = ["d", "dh", "C", "Ch", "l", "lh"];

impl Tagger {
    /// The built-in rule files.
    pub fn builtin() -> Result<Self, RuleError> {
        Self::new(&RuleFiles::builtin())
    }

    /// A tagger from its four rule files, built-in and the user's. A user
    /// lexicon or unknown-word entry replaces the built-in entry of the
    /// same word (shape and suffix) and adds the others; the user's
    /// contextual rules run after the built-in ones.
    pub fn new(rules: &RuleFiles) -> Result<Self, RuleError> {
        let mut words = Lexicon::default();
        for source in rules.load(&catalog::POS_LEXICON_EWT)? {
            let entries = parse_lexicon(&source, '\t')?;
            add_lexicon(&mut words, entries, source.user, true, |e| &mut e.ewt);
        }
        for source in rules.load(&catalog::POS_LEXICON_BRILL)? {
            let entries = parse_lexicon(&source, ' ')?;
            add_lexicon(&mut words, entries, source.user, false, |e| &mut e.brill);
        }
        let mut unknown: [TagTable; 6] = Default::default();
        let mut unknown_examples = Vec::new();
        for source in rules.load(&catalog::POS_UNKNOWN)? {
            parse_unknown(&source, &mut unknown, &mut unknown_examples)?;
        }
        let mut rule_words: FxMap<Box<str>, WordId> = FxMap::default();
        let mut context = Vec::new();
        let mut context_examples = Vec::new();
        for source in rules.load(&catalog::POS_CONTEXT)? {
            let rules = (&mut context, &mut context_examples);
            parse_context(&source, rules, &mut |w: &str| {
                if w == "<S>" {
                    return BOUNDARY_WORD;
                }
                let next = rule_words.len() as WordId + 2;
                *rule_words.entry(w.to_lowercase().into()).or_insert(next)
            })?;
        }
        let word_ids = rule_words.len() + 2;
        // A word's id is looked up under its lower-case spelling only.
        for (word, id) in rule_words {
            words.entry(&word).word = id;
        }
        let index = RuleIndex::new(&context, word_ids);
        let filters = context.iter().map(short::Filter::new).collect();
        Ok(Tagger {
            words,
            unknown,
            index,
            context,
            filters,
            word_ids,
            context_examples,
            unknown_examples,
            marked: Vec::new(),
        })
    }

    /// Marks each of `words` (lower case) with its word classes: tagging
    /// then gives every word the marks of its spelling, ASCII case aside.
    /// Adding an entry for a word the lexicons lack changes no tag (it
    /// has neither lexicon's tag).
    pub fn mark_words(&mut self, words: &[(&str, Marks)]) {
        for &(word, marks) in words {
            if word.is_ascii() {
                self.words.entry(word).marks |= marks;
            }
            match self.marked.iter_mut().find(|(w, _)| **w == *word) {
                Some((_, m)) => *m |= marks,
                None => self.marked.push((word.into(), marks)),
            }
        }
    }

    /// The marks of a word with a non-ASCII character: those of every
    /// marked word it equals, ASCII case aside.
    fn marks_by_list(&self, word: &str) -> Marks {
        self.marked
            .iter()
            .filter(|(w, _)| w.eq_ignore_ascii_case(word))
            .fold(0, |acc, (_, m)| acc | m)
    }

    /// Tags `words` into `tags` (cleared first). `lower` is a scratch buffer.
    pub fn tag(&self, words: &[&str], tags: &mut Vec<Tag>, lower: &mut String) {
        let mut scratch = TagScratch {
            lower: std::mem::take(lower),
            ..TagScratch::default()
        };
        self.tag_with(words, tags, &mut scratch);
        *lower = scratch.lower;
    }

    /// Tags `words` into `tags` (cleared first), reusing `scratch`.
    pub fn tag_with(&self, words: &[&str], tags: &mut Vec<Tag>, scratch: &mut TagScratch) {
        tags.clear();
        // Tags and rule word ids with PAD boundary entries either side.
        let (padded_tags, ids, shapes) = (&mut scratch.tags, &mut scratch.ids, &mut scratch.shapes);
        padded_tags.clear();
        padded_tags.resize(PAD, Tag::Boundary);
        ids.clear();
        ids.resize(PAD, BOUNDARY_WORD);
        shapes.clear();
        shapes.resize(PAD, BOUNDARY_SHAPE);
        // Which tags and rule words the sentence has: a rule that needs
        // one it lacks is skipped without a look at the words. Bits are
        // only added as rules change tags, so the test stays a safe filter.
        let mut tags_present = 1u64 << Tag::Boundary as u8;
        let words_present = &mut scratch.words_present;
        words_present.clear();
        words_present.resize(self.word_ids.div_ceil(64), 0);
        words_present[0] |= 1 << NO_WORD | 1 << BOUNDARY_WORD;
        let present_words = &mut scratch.present_words;
        present_words.clear();
        present_words.push(BOUNDARY_WORD);
        let mut shapes_present = shape_bit(BOUNDARY_SHAPE);
        scratch.marks.clear();
        let may = &mut scratch.may;
        may.clear();
        // A sentence of one block of bits is prefiltered by bit operations.
        let short = words.len() <= 64;
        let table = &mut scratch.table;
        if short {
            table.reset();
        }
        for (i, word) in words.iter().enumerate() {
            let initial = i == 0 || is_opener(words[i - 1]);
            let found = self.look_up(word, initial, &mut scratch.lower);
            let (tag, id, shape) = (found.tag, found.word, found.shape);
            scratch.marks.push(found.marks);
            may.push(found.may);
            tags_present |= 1 << tag as u8;
            let (block, bit) = (id as usize / 64, 1u64 << (id % 64));
            if words_present[block] & bit == 0 {
                words_present[block] |= bit;
                present_words.push(id);
            }
            padded_tags.push(tag);
            ids.push(id);
            shapes_present |= shape_bit(shape);
            if short {
                table.add(i, tag, id, shape);
            }
            shapes.push(shape);
        }
        padded_tags.resize(words.len() + 2 * PAD, Tag::Boundary);
        ids.resize(words.len() + 2 * PAD, BOUNDARY_WORD);
        shapes.resize(words.len() + 2 * PAD, BOUNDARY_SHAPE);
        let positions = &mut scratch.positions;
        if !short {
            positions.reset(&padded_tags[PAD..PAD + words.len()]);
        }
        // The rules whose needs the sentence meets, one bit each; a rule
        // that adds a tag marks the later rules that need it.
        let candidates = &mut scratch.candidates;
        candidates.clear();
        candidates.resize(self.index.blocks(), 0);
        let words_met = &mut scratch.words_met;
        words_met.clear();
        words_met.resize(self.index.blocks(), 0);
        self.index.mark(
            tags_present,
            (words_present, present_words),
            shapes_present,
            candidates,
            words_met,
        );
        // A rule's bit is cleared as it is taken: `gain` sets only bits of
        // later rules, so the lowest bit left is always the next rule.
        let mut block = 0;
        while let Some(r) = pop_lowest(candidates, &mut block) {
            let before = tags_present;
            // Left to right over the tokens tagged `from`, in place: a
            // change is seen by the tokens after it, as in Brill's tagger.
            if short {
                let filter = &self.filters[r];
                let mut bits = table.tag(filter.from) & filter.apply(table);
                if bits == 0 {
                    continue;
                }
                let rule = &self.context[r];
                while bits != 0 {
                    let i = bits.trailing_zeros() as usize;
                    bits &= bits - 1;
                    if may_take(may[i], rule.to)
                        && rule.holds_padded(ids, shapes, padded_tags, i + PAD)
                    {
                        padded_tags[i + PAD] = rule.to;
                        table.retag(i, rule.from, rule.to);
                        tags_present |= 1 << rule.to as u8;
                    }
                }
            } else {
                let rule = &self.context[r];
                for b in 0..positions.blocks {
                    let mut bits = positions.block(rule.from, b);
                    while bits != 0 {
                        let i = b * 64 + bits.trailing_zeros() as usize;
                        bits &= bits - 1;
                        if may_take(may[i], rule.to)
                            && rule.holds_padded(ids, shapes, padded_tags, i + PAD)
                        {
                            padded_tags[i + PAD] = rule.to;
                            positions.retag(i, rule.from, rule.to);
                            tags_present |= 1 << rule.to as u8;
                        }
                    }
                }
            }
            // A tag new to the sentence can only enable the rules that
            // need it.
            let gained = tags_present & !before;
            if gained != 0 {
                let present = (tags_present, shapes_present);
                self.index.gain(r, gained, present, words_met, candidates);
            }
        }
        if short {
            table.clear_words(&ids[PAD..PAD + words.len()]);
        }
        tags.extend_from_slice(&padded_tags[PAD..PAD + words.len()]);
    }

    /// The tag a lexicon gives `word` (lower-cased as the lexicon lookup
    /// would), if any: for chunking decisions such as "is this capitalised
    /// word also a common noun".
    pub fn lexicon_tag(&self, word: &str) -> Option<Tag> {
        self.words.get(word).and_then(|e| e.ewt)
    }

    /// The EWT lexicon's tag of `word` lower-cased, without allocating for
    /// an ASCII word.
    pub fn lexicon_tag_lower(&self, word: &str) -> Option<Tag> {
        let mut buf = [0u8; 32];
        if word.is_ascii() && word.len() <= buf.len() {
            let buf = &mut buf[..word.len()];
            buf.copy_from_slice(word.as_bytes());
            buf.make_ascii_lowercase();
            let lower = std::str::from_utf8(buf).expect("ASCII stays UTF-8");
            return self.lexicon_tag(lower);
        }
        self.lexicon_tag(&word.to_lowercase())
    }

    /// The word's initial tag, its rule word id, and whether a lexicon
    /// gave the tag.
    fn lookup(&self, word: &str, initial: bool, lower: &mut String) -> (Tag, WordId, bool) {
        let found = self.look_up(word, initial, lower);
        (found.tag, found.word, found.known)
    }

    /// Everything tagging needs of one word, from one scan of its bytes
    /// and at most two lexicon lookups.
    // Inlined into the tagging loop, `Found` stays in registers.
    #[inline(always)]
    fn look_up(&self, word: &str, initial: bool, lower: &mut String) -> Found {
        let packed = Packed::of(word);
        let exact = match packed.exact {
            Some(key) => self.words.get_packed(key),
            None => self.words.get_long(word),
        };
        let bytes = Bytes::from_kinds(word, packed.kinds);
        let ascii = bytes.ascii;
        let has_upper = !ascii || bytes.upper;
        // `lower` holds the word lower-cased once this is true; a short
        // ASCII word is looked up lower-cased without it.
        let mut lower_made = false;
        let lowered = if !has_upper {
            exact
        } else if let Some(key) = packed.lower.filter(|_| ascii) {
            self.words.get_packed(key)
        } else {
            lower_into(word, ascii, lower);
            lower_made = true;
            self.words.get(lower.as_str())
        };
        let id = lowered.map_or(NO_WORD, |e| e.word);
        // For an ASCII word `lowered` is its spelling with ASCII capitals
        // lower-cased, as the marks are keyed.
        let marks = match ascii {
            true => lowered.map_or(0, |e| e.marks),
            false => self.marks_by_list(word),
        };
        // Without capitals `lowered` is `exact`: whether it may be used
        // then makes no difference.
        let all_upper = match ascii {
            true => bytes.upper && !bytes.lower,
            false => is_all_upper(word),
        };
        let lowered_ok = !has_upper || initial || all_upper;
        let lowered = lowered.filter(|_| lowered_ok);
        // The EWT lexicon's tag comes with the tags the word may take.
        let (tag, may) = match (
            exact.filter(|e| e.ewt.is_some()),
            lowered.filter(|e| e.ewt.is_some()),
        ) {
            (Some(e), _) | (None, Some(e)) => (e.ewt, e.may),
            (None, None) => (
                exact
                    .and_then(|e| e.brill)
                    .or_else(|| lowered.and_then(|e| e.brill)),
                0,
            ),
        };
        let known = tag.is_some();
        let tag = tag.unwrap_or_else(|| {
            if !lower_made {
                lower_into(word, ascii, lower);
            }
            self.guess(word, lower)
        });
        let shape = match ascii {
            true => bytes.shape(initial, known),
            false => word_shape(word, initial, known),
        };
        Found {
            tag,
            word: id,
            known,
            shape,
            marks,
            may,
        }
    }

    /// The unknown-word rules: longest suffix first, then the shape alone.
    fn guess(&self, word: &str, lower: &str) -> Tag {
        self.guess_by(word, lower).1
    }

    /// The tag the unknown-word rules give `word` (`lower` is it lower
    /// case) and the suffix of the rule that gives it (`None`: no rule of
    /// the shape, the default NN).
    fn guess_by<'a>(&self, word: &str, lower: &'a str) -> (Option<&'a str>, Tag) {
        let table = &self.unknown[shape(word)];
        let starts = lower.char_indices().map(|(i, _)| i).rev();
        let mut suffixes = starts.take(MAX_SUFFIX).collect::<SmallStarts>();
        while let Some(start) = suffixes.pop() {
            if let Some(tag) = table.get(&lower[start..]) {
                return (Some(&lower[start..]), tag);
            }
        }
        match table.get("") {
            Some(tag) => (Some(""), tag),
            None => (None, Tag::NN),
        }
    }
}

/// Whether a word whose tag set is `may` (0: any tag) may take `tag`.
#[inline(always)]
fn may_take(may: u64, tag: Tag) -> bool {
    may == 0 || may >> (tag as u8) & 1 != 0
}

/// `word` lower-cased into `lower` (ASCII: byte by byte, in place).
fn lower_into(word: &str, ascii: bool, lower: &mut String) {
    lower.clear();
    if ascii {
        lower.push_str(word);
        lower.make_ascii_lowercase();
    } else {
        lower.extend(word.chars().flat_map(char::to_lowercase));
    }
}

/// What tagging needs of one word.
struct Found {
    /// The initial tag: a lexicon's, else the unknown-word rules'.
    tag: Tag,
    /// The rule word id of the word lower-cased.
    word: WordId,
    /// Whether a lexicon gave the tag.
    known: bool,
    shape: Shape,
    marks: Marks,
    /// The tags a contextual rule may give the word (0: any).
    may: u64,
}

/// What one scan of a word's bytes tells: whether it is ASCII, and has an
/// ASCII capital, lower-case letter or digit.
#[derive(Clone, Copy)]
struct Bytes {
    ascii: bool,
    upper: bool,
    lower: bool,
    digit: bool,
    /// The first byte's kind: capital, lower-case letter.
    first_upper: bool,
    first_lower: bool,
    len: usize,
}

impl Bytes {
    #[cfg(test)]
    fn of(word: &str) -> Self {
        Self::from_kinds(word, Packed::of(word).kinds)
    }

    /// The facts of `word` whose bytes have the kinds `kinds`.
    #[inline]
    fn from_kinds(word: &str, kinds: u8) -> Self {
        let first = word.as_bytes().first().copied().unwrap_or(0);
        Bytes {
            ascii: kinds & NON_ASCII == 0,
            upper: kinds & UPPER != 0,
            lower: kinds & LOWER != 0,
            digit: kinds & DIGIT != 0,
            first_upper: first.is_ascii_uppercase(),
            first_lower: first.is_ascii_lowercase(),
            len: word.len(),
        }
    }

    /// [`word_shape`] of an ASCII word, from the scan alone.
    #[inline]
    fn shape(&self, initial: bool, known: bool) -> Shape {
        let base = if self.digit {
            4
        } else if self.first_upper {
            if self.len > 1 && !self.lower {
                3
            } else if initial {
                2
            } else {
                1
            }
        } else if self.first_lower {
            0
        } else {
            5
        };
        if known {
            base
        } else {
            base + UNKNOWN_SHAPE
        }
    }
}

/// Up to [`MAX_SUFFIX`] suffix starts, nearest the end first when
/// collected; popped longest first.
struct SmallStarts {
    starts: [usize; MAX_SUFFIX],
    len: usize,
}

impl FromIterator<usize> for SmallStarts {
    fn from_iter<I: IntoIterator<Item = usize>>(iter: I) -> Self {
        let mut out = SmallStarts {
            starts: [0; MAX_SUFFIX],
            len: 0,
        };
        for s in iter.into_iter().take(MAX_SUFFIX) {
            out.starts[out.len] = s;
            out.len += 1;
        }
        out
    }
}

impl SmallStarts {
    fn pop(&mut self) -> Option<usize> {
        self.len = self.len.checked_sub(1)?;
        Some(self.starts[self.len])
    }
}

/// How far a contextual rule looks either side of its word (Brill's
/// templates reach three words).
const PAD: usize = 3;

impl Transformation {
    fn new(from: Tag, to: Tag, probes: Probes) -> Self {
        // A probe of the boundary has no bits to test. A tag probe to the
        // left of the word may come true during the rule's own pass (a
        // word before turned into `to`): the tags before the pass cannot
        // tell it.
        let filtering = probes
            .as_slice()
            .iter()
            .enumerate()
            .filter(|(_, probe)| match **probe {
                Probe::Tag(o, t) => t != Tag::Boundary && !(o < 0 && t == to),
                Probe::Word(_, w) => w != BOUNDARY_WORD,
                Probe::Shape(_, s) => s != BOUNDARY_SHAPE,
            })
            .fold(0, |acc, (k, _)| acc | 1 << k);
        Transformation {
            from,
            to,
            probes,
            filtering,
        }
    }

    /// Whether the rule's condition holds at word `i` of a sentence.
    fn holds(&self, ids: &[WordId], shapes: &[Shape], tags: &[Tag], i: usize) -> bool {
        let tag_at = |o: isize| {
            i.checked_add_signed(o)
                .and_then(|j| tags.get(j))
                .copied()
                .unwrap_or(Tag::Boundary)
        };
        let word_at = |o: isize| {
            i.checked_add_signed(o)
                .and_then(|j| ids.get(j))
                .copied()
                .unwrap_or(BOUNDARY_WORD)
        };
        let shape_at = |o: isize| {
            i.checked_add_signed(o)
                .and_then(|j| shapes.get(j))
                .copied()
                .unwrap_or(BOUNDARY_SHAPE)
        };
        self.test(tag_at, word_at, shape_at)
    }

    /// [`Transformation::holds`] over a sentence's tags and word ids with
    /// [`PAD`] boundary entries either side, `i` counted in them: no
    /// test for the sentence's ends.
    #[inline]
    fn holds_padded(&self, ids: &[WordId], shapes: &[Shape], tags: &[Tag], i: usize) -> bool {
        let at = |o: isize| i.wrapping_add_signed(o);
        self.test(|o| tags[at(o)], |o| ids[at(o)], |o| shapes[at(o)])
    }

    #[inline]
    fn test(
        &self,
        tag_at: impl Fn(isize) -> Tag,
        word_at: impl Fn(isize) -> WordId,
        shape_at: impl Fn(isize) -> Shape,
    ) -> bool {
        let matches = |probe: &Probe| match *probe {
            Probe::Tag(o, t) => tag_at(isize::from(o)) == t,
            Probe::Word(o, w) => word_at(isize::from(o)) == w,
            Probe::Shape(o, s) => shape_at(isize::from(o)) == s,
        };
        let probes = self.probes.as_slice();
        if self.probes.any {
            probes.iter().any(matches)
        } else {
            probes.iter().all(matches)
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

/// The index in [`SHAPES`] of the word's unknown-word shape.
fn shape(word: &str) -> usize {
    let base = if word.bytes().any(|b| b.is_ascii_digit()) {
        0
    } else if word.chars().next().is_some_and(char::is_uppercase) {
        1
    } else {
        2
    };
    base * 2 + usize::from(word.contains('-'))
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

fn parse_tag(source: &RuleSource, line: usize, name: &str) -> Result<Tag, RuleError> {
    Tag::parse(name).ok_or_else(|| source.error(line, format!("unknown tag {name:?}")))
}

/// `word SEP tag [more tags]`: the first tag is the word's. In the EWT
/// lexicon (`sep` a tab) an optional third column lists, space-separated,
/// every tag the word may take: a contextual rule gives it no other (the
/// mask of those tags; 0 when the column is absent: any tag).
/// Brill's lexicon has a few tags outside the Penn set; those words are skipped.
fn parse_lexicon(source: &RuleSource, sep: char) -> Result<Vec<(&str, Tag, u64)>, RuleError> {
    let mut out = Vec::new();
    for (line, data) in data_lines(&source.text) {
        let mut fields = data.split(sep);
        let (Some(word), Some(tag)) = (fields.next(), fields.next()) else {
            return Err(source.error(line, "expected a word and a tag"));
        };
        if let Some(tag) = Tag::parse(tag) {
            let mut may = 0u64;
            if sep == '\t' {
                for name in fields
                    .next()
                    .unwrap_or("")
                    .split(' ')
                    .filter(|n| !n.is_empty())
                {
                    may |= 1 << parse_tag(source, line, name)? as u8;
                }
                if may != 0 {
                    may |= 1 << tag as u8;
                }
            }
            out.push((word, tag, may));
        } else if sep == '\t' {
            return Err(source.error(line, format!("unknown tag {tag:?}")));
        }
    }
    Ok(out)
}

/// Adds one lexicon file's entries to the slot `slot` picks. Within a
/// file the first entry of a word wins; a user file's entries replace
/// earlier files' (so they are written last to first).
fn add_lexicon(
    words: &mut Lexicon,
    entries: Vec<(&str, Tag, u64)>,
    user: bool,
    sets: bool,
    slot: fn(&mut Entry) -> &mut Option<Tag>,
) {
    // `sets`: the file's tag sets go with its tags (the EWT lexicon).
    if user {
        for (word, tag, may) in entries.into_iter().rev() {
            let entry = words.entry(word);
            *slot(entry) = Some(tag);
            if sets {
                entry.may = may;
            }
        }
    } else {
        for (word, tag, may) in entries {
            let entry = words.entry(word);
            if slot(entry).is_none() {
                *slot(entry) = Some(tag);
                if sets {
                    entry.may = may;
                }
            }
        }
    }
}

/// `shape TAB suffix TAB tag TAB example`; a later row of the same shape
/// and suffix wins (and only its example is run).
fn parse_unknown(
    source: &RuleSource,
    out: &mut [TagTable; 6],
    examples: &mut Vec<UnknownExample>,
) -> Result<(), RuleError> {
    for (line, data) in data_lines(&source.text) {
        let fields: Vec<&str> = data.split('\t').collect();
        let [shape, suffix, tag, example] = fields[..] else {
            return Err(source.error(line, "expected shape, suffix, tag, example"));
        };
        let Some(k) = SHAPES.iter().position(|s| *s == shape) else {
            return Err(source.error(line, format!("unknown shape {shape:?}")));
        };
        let tag = parse_tag(source, line, tag)?;
        let example = UnknownExample::new(source, line, (k, suffix, tag), example)?;
        if out[k].insert(suffix, tag).is_some() {
            examples.retain(|e| !e.is_for(k, suffix));
        }
        examples.push(example);
    }
    Ok(())
}

/// `from TAB to TAB template TAB args TAB gain TAB example`, Brill's
/// template names, appended to `out` with their examples; the gain may
/// be empty. `word_id` interns the words the rules compare with.
fn parse_context(
    source: &RuleSource,
    out: (&mut Vec<Transformation>, &mut Vec<ContextExample>),
    word_id: &mut dyn FnMut(&str) -> WordId,
) -> Result<(), RuleError> {
    let (rules, examples) = out;
    for (line, data) in data_lines(&source.text) {
        let fields: Vec<&str> = data.split('\t').collect();
        let [from, to, template, args, _gain, example] = fields[..] else {
            return Err(source.error(
                line,
                "expected from, to, template, args, gain (may be empty), example",
            ));
        };
        let from = parse_tag(source, line, from)?;
        let to = parse_tag(source, line, to)?;
        let arg_list: Vec<&str> = args.split(' ').collect();
        let condition = condition(source, line, template, &arg_list, word_id)?;
        let rule = format!("{} {} {template} {args}", from.as_str(), to.as_str());
        examples.push(ContextExample::new(source, line, rule, example)?);
        rules.push(Transformation::new(from, to, condition.probes()));
    }
    Ok(())
}

fn condition(
    source: &RuleSource,
    line: usize,
    template: &str,
    args: &[&str],
    word_id: &mut dyn FnMut(&str) -> WordId,
) -> Result<Condition, RuleError> {
    let missing = || source.error(line, format!("{template}: missing argument"));
    let tag = |k: usize| -> Result<Tag, RuleError> {
        parse_tag(source, line, args.get(k).ok_or_else(missing)?)
    };
    let mut word =
        |k: usize| -> Result<WordId, RuleError> { Ok(word_id(args.get(k).ok_or_else(missing)?)) };
    let shape = |k: usize| -> Result<Shape, RuleError> {
        let name = args.get(k).ok_or_else(missing)?;
        parse_shape(name).ok_or_else(|| source.error(line, format!("unknown shape {name:?}")))
    };
    use Condition::{AnyTag, AnyWord, Shapes, Tags, Words};
    Ok(match template {
        "PREVTAG" => Tags(vec![(-1, tag(0)?)]),
        "NEXTTAG" => Tags(vec![(1, tag(0)?)]),
        "PREV2TAG" => Tags(vec![(-2, tag(0)?)]),
        "NEXT2TAG" => Tags(vec![(2, tag(0)?)]),
        "SURROUNDTAG" => Tags(vec![(-1, tag(0)?), (1, tag(1)?)]),
        "PREVBIGRAM" => Tags(vec![(-2, tag(0)?), (-1, tag(1)?)]),
        "NEXTBIGRAM" => Tags(vec![(1, tag(0)?), (2, tag(1)?)]),
        "PREV1OR2TAG" => AnyTag(vec![-1, -2], tag(0)?),
        "NEXT1OR2TAG" => AnyTag(vec![1, 2], tag(0)?),
        "PREV1OR2OR3TAG" => AnyTag(vec![-1, -2, -3], tag(0)?),
        "NEXT1OR2OR3TAG" => AnyTag(vec![1, 2, 3], tag(0)?),
        "PREVWD" => Words(vec![(-1, word(0)?)], None),
        "NEXTWD" => Words(vec![(1, word(0)?)], None),
        "CURWD" => Words(vec![(0, word(0)?)], None),
        "PREV2WD" => Words(vec![(-2, word(0)?)], None),
        "NEXT2WD" => Words(vec![(2, word(0)?)], None),
        "PREV1OR2WD" => AnyWord(vec![-1, -2], word(0)?),
        "NEXT1OR2WD" => AnyWord(vec![1, 2], word(0)?),
        "LBIGRAM" => Words(vec![(-1, word(0)?), (0, word(1)?)], None),
        "RBIGRAM" => Words(vec![(0, word(0)?), (1, word(1)?)], None),
        "WDPREVTAG" => Words(vec![(0, word(1)?)], Some((-1, tag(0)?))),
        "WDNEXTTAG" => Words(vec![(0, word(1)?)], Some((1, tag(0)?))),
        "WDAND2TAGBFR" => Words(vec![(0, word(1)?)], Some((-2, tag(0)?))),
        "WDAND2TAGAFT" => Words(vec![(0, word(1)?)], Some((2, tag(0)?))),
        "CURSHAPE" => Shapes(vec![(0, shape(0)?)], None),
        "SHAPEPREVTAG" => Shapes(vec![(0, shape(1)?)], Some((-1, tag(0)?))),
        "SHAPENEXTTAG" => Shapes(vec![(0, shape(1)?)], Some((1, tag(0)?))),
        "PREVSHAPES" => Shapes(vec![(-1, shape(0)?), (0, shape(1)?)], None),
        "NEXTSHAPES" => Shapes(vec![(0, shape(0)?), (1, shape(1)?)], None),
        _ => return Err(source.error(line, format!("unknown template {template:?}"))),
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

    /// Brill's procedure without any index: every rule at every token.
    fn tags_by_every_rule(tagger: &Tagger, words: &[&str]) -> Vec<Tag> {
        let mut scratch = TagScratch::default();
        let mut tags = Vec::new();
        let mut ids = Vec::new();
        let mut shapes = Vec::new();
        let mut may = Vec::new();
        for (i, word) in words.iter().enumerate() {
            let initial = i == 0 || is_opener(words[i - 1]);
            let (tag, id, known) = tagger.lookup(word, initial, &mut scratch.lower);
            tags.push(tag);
            ids.push(id);
            shapes.push(word_shape(word, initial, known));
            may.push(tagger.look_up(word, initial, &mut scratch.lower).may);
        }
        for rule in &tagger.context {
            for i in 0..tags.len() {
                if tags[i] == rule.from
                    && may_take(may[i], rule.to)
                    && rule.holds(&ids, &shapes, &tags, i)
                {
                    tags[i] = rule.to;
                }
            }
        }
        tags
    }

    #[test]
    fn indexed_rules_tag_as_every_rule_everywhere() {
        let tagger = Tagger::builtin().unwrap();
        let long = "The firm that was sued by its workers said , in a statement \
            released on Monday , that it would not appeal the ruling ; the \
            union — which had asked for more — said it will press on . "
            .repeat(3);
        let sentences = [
            "The company was sued by its workers .",
            "Wales ' team physiotherapist Mark Davies said the injury was serious .",
            "I did n't spend the night , and I do n't deserve this .",
            "Yukos filed for bankruptcy after Gazprom bid for the unit .",
            "Can you tell me where the station is ?",
            long.as_str(),
        ];
        let mut scratch = TagScratch::default();
        let mut tags = Vec::new();
        for sentence in sentences {
            let words: Vec<&str> = sentence.split_whitespace().collect();
            tagger.tag_with(&words, &mut tags, &mut scratch);
            assert_eq!(tags, tags_by_every_rule(&tagger, &words), "{sentence}");
        }
        // Every sentence of the sample corpus, short and long.
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/corpus");
        let mut checked = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            let seg = crate::segment::segment(&text, &[]);
            for sentence in &seg.sentences {
                let words: Vec<&str> = seg
                    .sentence_tokens(sentence)
                    .iter()
                    .map(|t| &text[t.span.start..t.span.end])
                    .collect();
                tagger.tag_with(&words, &mut tags, &mut scratch);
                assert_eq!(tags, tags_by_every_rule(&tagger, &words), "{words:?}");
                checked += 1;
            }
        }
        assert!(checked > 100, "{checked}");
    }

    #[test]
    fn no_condition_looks_past_the_padding() {
        let tagger = Tagger::builtin().unwrap();
        for rule in &tagger.context {
            let within = rule.probes.as_slice().iter().all(|probe| match *probe {
                Probe::Tag(o, _) | Probe::Word(o, _) | Probe::Shape(o, _) => {
                    usize::from(o.unsigned_abs()) <= PAD
                }
            });
            assert!(within, "{rule:?}");
        }
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
    fn shapes_follow_case_digits_position_and_lexicon() {
        let cases = [
            ("said", false, true, "l"),
            ("Davies", false, true, "C"),
            ("Davies", true, true, "I"),
            ("NATO", false, true, "U"),
            ("A", false, true, "C"),
            ("4,521", false, true, "d"),
            ("--", false, true, "p"),
            ("zorbified", false, false, "l?"),
            ("Blaxton", false, false, "C?"),
        ];
        for (word, initial, known, want) in cases {
            assert_eq!(
                word_shape(word, initial, known),
                parse_shape(want).unwrap(),
                "{word}"
            );
        }
        // The byte scan gives an ASCII word the same shape.
        let ascii = [
            "said", "Davies", "NATO", "A", "a", "4,521", "--", "", "x-Ray", "MPs", "B2B",
        ];
        for word in ascii {
            for (initial, known) in [(false, false), (false, true), (true, false), (true, true)] {
                assert_eq!(
                    Bytes::of(word).shape(initial, known),
                    word_shape(word, initial, known),
                    "{word:?} {initial} {known}"
                );
            }
        }
        assert_eq!(parse_shape("<S>"), Some(BOUNDARY_SHAPE));
        assert_eq!(parse_shape("Q"), None);
    }

    /// Rule words past the bit table's last slot still fire: their tests
    /// let every word through the prefilter and the full test decides.
    #[test]
    fn rules_with_more_words_than_table_slots_tag_as_every_rule() {
        let name = |mut n: usize| {
            let mut word = String::from("zq");
            for _ in 0..3 {
                word.push(char::from(b'a' + (n % 26) as u8));
                n /= 26;
            }
            word
        };
        let (late, later) = (name(2290), name(2299));
        let sentence = format!("the {late} said {late} and a {} of {later}", name(3));
        let words: Vec<&str> = sentence.split(' ').collect();
        // The user's rules run after the built-in ones: they see these.
        let builtin = Tagger::builtin().unwrap();
        let mut scratch = TagScratch::default();
        let mut base = Vec::new();
        builtin.tag_with(&words, &mut base, &mut scratch);
        let t = |i: usize| base[i].as_str();
        let mut rules = String::new();
        for n in 0..2300 {
            let (w, from, prev) = (name(n), t(3), t(2));
            rules.push_str(&format!(
                "{from}\tFW\tWDPREVTAG\t{prev} {w}\t\tx/{prev} [[{w}/{from}]]\n"
            ));
        }
        let from = t(1);
        rules.push_str(&format!(
            "{from}\tSYM\tCURWD\t{late}\t\t[[{late}/{from}]]\n"
        ));
        let from = t(6);
        rules.push_str(&format!(
            "{from}\tLS\tNEXT1OR2WD\t{later}\t\t[[x/{from}]] {later}/NN\n"
        ));
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("clauses")).unwrap();
        std::fs::write(dir.path().join("clauses/pos_context.tsv"), rules).unwrap();
        let tagger = Tagger::new(&RuleFiles::open(dir.path()).unwrap()).unwrap();
        assert!(tagger.word_ids > short::SLOTS, "{}", tagger.word_ids);
        let mut tags = Vec::new();
        tagger.tag_with(&words, &mut tags, &mut scratch);
        assert_eq!(tags, tags_by_every_rule(&tagger, &words));
        assert_eq!(
            (tags[1], tags[3], tags[6]),
            (Tag::SYM, Tag::FW, Tag::LS),
            "{base:?}"
        );
    }

    #[test]
    fn shape_rules_see_capitals_and_unknown_words() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("clauses")).unwrap();
        // An unknown capitalised word after a determiner becomes FW; a
        // known one ("Government", NN) does not.
        let builtin = Tagger::builtin().unwrap();
        let (_, _, known) = builtin.lookup("Blaxtons", false, &mut String::new());
        assert!(!known);
        // The user's rules run after the built-in ones: they see these tags.
        let g = tags_of(&builtin, "the Blaxtons left")[1];
        let k = tags_of(&builtin, "the Government left")[1];
        std::fs::write(
            dir.path().join("clauses/pos_context.tsv"),
            format!(
                "{g}\tFW\tSHAPEPREVTAG\tDT C?\t\tthe/DT [[Blaxtons/{g}]]\n\
                 {k}\tFW\tSHAPEPREVTAG\tDT C?\t\tthe/DT [[Blaxtons/{k}]]\n"
            ),
        )
        .unwrap();
        let tagger = Tagger::new(&RuleFiles::open(dir.path()).unwrap()).unwrap();
        assert_eq!(tags_of(&tagger, "the Blaxtons left")[1], "FW");
        assert_ne!(tags_of(&tagger, "the Government left")[1], "FW");
        let bad = source("NN\tNNP\tCURSHAPE\tQ\t\tx/NN\n");
        let mut ids = |_: &str| NO_WORD;
        let (mut rules, mut examples) = (Vec::new(), Vec::new());
        let shown = parse_context(&bad, (&mut rules, &mut examples), &mut ids)
            .unwrap_err()
            .to_string();
        assert!(shown.contains("unknown shape \"Q\""), "{shown}");
    }

    fn source(text: &str) -> RuleSource {
        RuleSource {
            origin: "x.tsv".into(),
            text: text.into(),
            user: true,
        }
    }

    #[test]
    fn bad_rule_lines_name_file_and_line() {
        let mut ids = |_: &str| NO_WORD;
        let (mut rules, mut examples) = (Vec::new(), Vec::new());
        let bad_tag = source("# c\nNN\tVB\tPREVTAG\tZZ\t\tx/ZZ [[y/NN]]\n");
        let shown = parse_context(&bad_tag, (&mut rules, &mut examples), &mut ids)
            .unwrap_err()
            .to_string();
        assert!(
            shown.starts_with("x.tsv:2:1") && shown.contains("unknown tag \"ZZ\""),
            "{shown}"
        );
        let bad_template = source("NN\tVB\tNOPE\tDT\t\tthe/DT [[x/NN]]\n");
        let shown = parse_context(&bad_template, (&mut rules, &mut examples), &mut ids)
            .unwrap_err()
            .to_string();
        assert!(
            shown.starts_with("x.tsv:1:1") && shown.contains("unknown template"),
            "{shown}"
        );
    }

    #[test]
    fn a_word_takes_only_the_tags_of_its_set() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("clauses")).unwrap();
        let rule = "NN\tVB\tPREVWD\tto\t\tto/TO [[zorb/NN]]\n";
        std::fs::write(dir.path().join("clauses/pos_context.tsv"), rule).unwrap();
        let lexicon = dir.path().join("clauses/pos_lexicon_ewt.tsv");
        // A noun only: the rule passes it by; a noun or verb: it applies.
        std::fs::write(&lexicon, "zorb\tNN\tNN NNS\n").unwrap();
        let tagger = Tagger::new(&RuleFiles::open(dir.path()).unwrap()).unwrap();
        assert_eq!(tags_of(&tagger, "I went to zorb")[3], "NN");
        std::fs::write(&lexicon, "zorb\tNN\tNN VB\n").unwrap();
        let tagger = Tagger::new(&RuleFiles::open(dir.path()).unwrap()).unwrap();
        assert_eq!(tags_of(&tagger, "I went to zorb")[3], "VB");
        // No set: any tag.
        std::fs::write(&lexicon, "zorb\tNN\n").unwrap();
        let tagger = Tagger::new(&RuleFiles::open(dir.path()).unwrap()).unwrap();
        assert_eq!(tags_of(&tagger, "I went to zorb")[3], "VB");
        std::fs::write(&lexicon, "zorb\tNN\tNN QQQ\n").unwrap();
        assert!(Tagger::new(&RuleFiles::open(dir.path()).unwrap()).is_err());
    }

    #[test]
    fn user_files_override_and_extend_the_builtin_ones() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("clauses")).unwrap();
        // "sued" as a noun by the lexicon, then back to a participle after
        // "is" by an added contextual rule; "zorbify" a verb by suffix.
        std::fs::write(dir.path().join("clauses/pos_lexicon_ewt.tsv"), "sued\tNN\n").unwrap();
        std::fs::write(
            dir.path().join("clauses/pos_unknown.tsv"),
            "l\tify\tVB\tzorbify\n",
        )
        .unwrap();
        let rules = RuleFiles::open(dir.path()).unwrap();
        let tagger = Tagger::new(&rules).unwrap();
        assert_eq!(tags_of(&tagger, "It is sued")[2], "NN");
        let (guess, _, known) = tagger.lookup("zorbify", false, &mut String::new());
        assert!(!known);
        assert_eq!(guess, Tag::VB);
        std::fs::write(
            dir.path().join("clauses/pos_context.tsv"),
            "NN\tVBN\tPREVWD\tis\t\tIt/PRP is/VBZ [[sued/NN]]\n",
        )
        .unwrap();
        let tagger = Tagger::new(&RuleFiles::open(dir.path()).unwrap()).unwrap();
        assert_eq!(tags_of(&tagger, "It is sued")[2], "VBN");
    }
}
