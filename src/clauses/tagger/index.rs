//! Which contextual rules can fire at a word, found from the word's
//! neighbourhood rather than by asking every rule.
//!
//! Takes the compiled transformations; gives, for one word of a sentence
//! (its tag and the tags, rule words and shapes around it), the rules
//! whose condition holds there. Each rule is filed under one *anchor*, a
//! single test of its condition (a rule word at an offset, else a tag,
//! else a shape): the rules of a word are then read from the few lists
//! its FROM tag and its neighbours key, and only those are tested in
//! full. A condition met by any one of several offsets is filed under
//! each of them.
//!
//! The tagger marks a rule as a candidate when it holds at some word, at
//! the start and again around every word a rule retags: a rule that fires
//! anywhere is marked before its turn, so trying only the marked rules
//! gives the same tags as trying every rule at every word.

use super::{Probe, Tag, Transformation, WordId, BOUNDARY_SHAPE, BOUNDARY_WORD, NO_WORD, PAD};

/// Offsets a condition may test, `-PAD..=PAD`, as a slot `0..SLOTS`.
const SLOTS: usize = 2 * PAD + 1;
/// Shape values a table keys (a shape's base plus the unknown flag).
const SHAPE_VALUES: usize = 16;

/// One test of a rule's condition that files it.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Anchor {
    Tag(i8, Tag),
    Word(i8, WordId),
    Shape(i8, u8),
}

impl Anchor {
    /// The probe as an anchor: a test of the sentence's outside is the
    /// boundary tag's test whatever it reads (the padding has all three).
    fn of(probe: Probe) -> Self {
        match probe {
            Probe::Tag(o, t) => Anchor::Tag(o, t),
            Probe::Word(o, BOUNDARY_WORD) => Anchor::Tag(o, Tag::Boundary),
            Probe::Word(o, w) => Anchor::Word(o, w),
            Probe::Shape(o, BOUNDARY_SHAPE) => Anchor::Tag(o, Tag::Boundary),
            Probe::Shape(o, s) => Anchor::Shape(o, s),
        }
    }

    /// Lower is likelier to pick out few words: a rule word, then the
    /// sentence's ends, then any tag, then a shape.
    fn rank(self) -> u8 {
        match self {
            Anchor::Word(..) => 0,
            Anchor::Tag(_, Tag::Boundary) => 1,
            Anchor::Tag(..) => 2,
            Anchor::Shape(..) => 3,
        }
    }
}

/// The anchors of a rule: every probe of a condition met by any one of
/// them, else the one best probe.
fn anchors(rule: &Transformation) -> Vec<Anchor> {
    let probes = rule.probes.as_slice().iter().map(|&p| Anchor::of(p));
    if rule.probes.any {
        probes.collect()
    } else {
        probes.min_by_key(|a| a.rank()).into_iter().collect()
    }
}

/// Rule lists keyed by a dense integer, one flat array.
struct Lists {
    start: Vec<u32>,
    rules: Vec<u32>,
}

impl Lists {
    /// `keys` lists, from (key, rule) pairs in rule order.
    fn new(keys: usize, pairs: &[(usize, u32)]) -> Self {
        let mut start = vec![0u32; keys + 1];
        for &(k, _) in pairs {
            start[k + 1] += 1;
        }
        for k in 0..keys {
            start[k + 1] += start[k];
        }
        let mut fill = start.clone();
        let mut rules = vec![0; pairs.len()];
        for &(k, r) in pairs {
            rules[fill[k] as usize] = r;
            fill[k] += 1;
        }
        Lists { start, rules }
    }

    #[inline]
    fn get(&self, key: usize) -> &[u32] {
        let (a, b) = (self.start[key], self.start[key + 1]);
        &self.rules[a as usize..b as usize]
    }
}

/// A sentence as the rules read it: tags, rule word ids and shapes with
/// [`PAD`] boundary entries either side.
pub(super) struct Padded<'a> {
    pub tags: &'a [Tag],
    pub ids: &'a [WordId],
    pub shapes: &'a [u8],
}

/// The contextual rules filed by anchor.
pub(super) struct RuleIndex {
    blocks: usize,
    /// Key `(from, slot, tag)`: rules anchored on that tag at that offset.
    by_tag: Lists,
    /// Key `(from, slot, shape)`.
    by_shape: Lists,
    /// Key `(word, slot)`: rules anchored on that rule word at that
    /// offset (their FROM tag is tested when read).
    by_word: Lists,
    /// The offsets some anchor of each kind uses, as slots.
    tag_slots: Vec<usize>,
    shape_slots: Vec<usize>,
    word_slots: Vec<usize>,
}

fn slot(offset: i8) -> usize {
    (isize::from(offset) + PAD as isize) as usize
}

impl RuleIndex {
    /// The index of `rules`, whose words have ids below `word_ids`.
    pub(super) fn new(rules: &[Transformation], word_ids: usize) -> Self {
        let tags = Tag::ALL.len();
        let (mut tag_pairs, mut shape_pairs, mut word_pairs) = (Vec::new(), Vec::new(), Vec::new());
        let (mut tag_slots, mut shape_slots, mut word_slots) = (Vec::new(), Vec::new(), Vec::new());
        for (r, rule) in rules.iter().enumerate() {
            let from = rule.from as usize;
            for anchor in anchors(rule) {
                match anchor {
                    Anchor::Tag(o, t) => {
                        tag_slots.push(slot(o));
                        tag_pairs.push(((from * SLOTS + slot(o)) * tags + t as usize, r as u32));
                    }
                    Anchor::Shape(o, s) => {
                        shape_slots.push(slot(o));
                        let key = (from * SLOTS + slot(o)) * SHAPE_VALUES + usize::from(s);
                        shape_pairs.push((key, r as u32));
                    }
                    Anchor::Word(o, w) => {
                        word_slots.push(slot(o));
                        word_pairs.push((w as usize * SLOTS + slot(o), r as u32));
                    }
                }
            }
        }
        for slots in [&mut tag_slots, &mut shape_slots, &mut word_slots] {
            slots.sort_unstable();
            slots.dedup();
        }
        RuleIndex {
            blocks: rules.len().div_ceil(64),
            by_tag: Lists::new(tags * SLOTS * tags, &tag_pairs),
            by_shape: Lists::new(tags * SLOTS * SHAPE_VALUES, &shape_pairs),
            by_word: Lists::new(word_ids * SLOTS, &word_pairs),
            tag_slots,
            shape_slots,
            word_slots,
        }
    }

    /// Number of words of a rule bit set.
    pub(super) fn blocks(&self) -> usize {
        self.blocks
    }

    /// Sets in `out` the bit of every rule after rule `after` (all rules
    /// when `None`) whose condition holds at word `j` of `s` (`j` counted
    /// in the padded arrays), FROM tag included.
    #[inline]
    pub(super) fn mark_at(
        &self,
        rules: &[Transformation],
        s: &Padded,
        j: usize,
        after: Option<usize>,
        out: &mut [u64],
    ) {
        let from = s.tags[j];
        let first = after.map_or(0, |r| r + 1);
        let try_rule = |r: u32, out: &mut [u64]| {
            let r = r as usize;
            let rule = &rules[r];
            if r >= first
                && rule.from == from
                && out[r / 64] & (1 << (r % 64)) == 0
                && rule.holds_padded(s.ids, s.shapes, s.tags, j)
            {
                out[r / 64] |= 1 << (r % 64);
            }
        };
        let at = |slot: usize| j + slot - PAD;
        let tags = Tag::ALL.len();
        for &k in &self.tag_slots {
            let key = (from as usize * SLOTS + k) * tags + s.tags[at(k)] as usize;
            for &r in self.by_tag.get(key) {
                try_rule(r, out);
            }
        }
        for &k in &self.word_slots {
            let w = s.ids[at(k)];
            if w != NO_WORD {
                for &r in self.by_word.get(w as usize * SLOTS + k) {
                    try_rule(r, out);
                }
            }
        }
        for &k in &self.shape_slots {
            let shape = s.shapes[at(k)];
            if usize::from(shape) < SHAPE_VALUES {
                let key = (from as usize * SLOTS + k) * SHAPE_VALUES + usize::from(shape);
                for &r in self.by_shape.get(key) {
                    try_rule(r, out);
                }
            }
        }
    }
}

/// The first set bit at or after `from`.
pub(super) fn next_bit(bits: &[u64], from: usize) -> Option<usize> {
    let mut block = from / 64;
    let mut word = bits.get(block)? & (!0u64 << (from % 64));
    loop {
        if word != 0 {
            return Some(block * 64 + word.trailing_zeros() as usize);
        }
        block += 1;
        word = *bits.get(block)?;
    }
}
