//! Which contextual rules a sentence can fire at all.
//!
//! Takes the compiled transformations; gives, per sentence, one bit per
//! rule whose tags and words all occur in the sentence. A rule without
//! its bit cannot fire anywhere in the sentence, so skipping it changes
//! nothing. The set is made from precomputed bit sets rather than by
//! asking every rule: the rules needing no word, plus the rules of each
//! word the sentence holds, minus the rules needing a tag or a word shape
//! it lacks.

use super::{Probe, Shape, Tag, Transformation, WordId, BOUNDARY_SHAPE, NO_WORD};

/// The bit of a shape in a set of shapes; the boundary's is always set.
#[inline]
pub(super) fn shape_bit(shape: Shape) -> u16 {
    if shape == BOUNDARY_SHAPE {
        1 << 15
    } else {
        1 << (shape & 15)
    }
}

/// A set of tags (bits 0–63, one per [`Tag`]) and shapes (bits 64–79,
/// one per [`shape_bit`]).
type Lacking = u128;

/// Groups of four bits in a [`Lacking`] set.
const NIBBLES: usize = 20;

fn lacking(tags: u64, shapes: u16) -> Lacking {
    Lacking::from(tags) | Lacking::from(shapes) << 64
}

/// What a transformation needs present in a sentence to fire anywhere:
/// its `from` tag and the tags of its condition (one bit each), and up to
/// two rule words ([`NO_WORD`], always present, where it needs fewer).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Needs {
    tags: u64,
    words: [WordId; 2],
    shapes: u16,
}

impl Needs {
    fn of(rule: &Transformation) -> Self {
        let bit = |t: Tag| 1u64 << t as u8;
        let mut tags = bit(rule.from);
        let mut words = [NO_WORD; 2];
        let mut shapes = 0;
        let probes = rule.probes.as_slice();
        // Of a condition met by any one probe only the first is needed
        // (they all test the same tag or word, at different offsets).
        let needed = if rule.probes.any {
            &probes[..1]
        } else {
            probes
        };
        let mut word_slots = words.iter_mut();
        for probe in needed {
            match *probe {
                Probe::Tag(_, t) => tags |= bit(t),
                Probe::Word(_, w) => {
                    if let Some(slot) = word_slots.next() {
                        *slot = w;
                    }
                }
                Probe::Shape(_, s) => shapes |= shape_bit(s),
            }
        }
        Needs {
            tags,
            words,
            shapes,
        }
    }

    /// 1 when the rule's tags and shapes are among these, else 0.
    #[inline]
    fn tags_met(&self, tags_present: u64, shapes_present: u16) -> u64 {
        u64::from(tags_present & self.tags == self.tags)
            & u64::from(shapes_present & self.shapes == self.shapes)
    }
}

#[inline]
fn has_word(words_present: &[u64], w: WordId) -> u64 {
    let w = w as usize;
    (words_present[w / 64] >> (w % 64)) & 1
}

/// The rules by what they need, one bit per rule in `blocks` words.
pub(super) struct RuleIndex {
    needs: Vec<Needs>,
    blocks: usize,
    /// The rules that need no rule word.
    word_free: Vec<u64>,
    /// The rules needing rule word `w` and no other, as (block, bits)
    /// pairs: `word_masks[mask_start[w]..mask_start[w + 1]]`.
    mask_start: Vec<u32>,
    word_masks: Vec<(u32, u64)>,
    /// The rules whose first of two rule words is id `w` are
    /// `word_rules[word_start[w]..word_start[w + 1]]` (one flat array).
    word_start: Vec<u32>,
    word_rules: Vec<u32>,
    /// Per group of four [`Lacking`] bits and each of the group's 16
    /// values, `blocks` words: the rules needing a tag or shape whose bit
    /// the value sets. A sentence lacking many tags drops their rules
    /// four tags at a time.
    by_nibble: Vec<u64>,
    /// Every tag some rule needs.
    needed_tags: u64,
    /// Every shape bit some rule needs.
    needed_shapes: u16,
}

impl RuleIndex {
    /// The index of `rules`, whose words have ids below `word_ids`.
    pub(super) fn new(rules: &[Transformation], word_ids: usize) -> Self {
        let needs: Vec<Needs> = rules.iter().map(Needs::of).collect();
        let blocks = needs.len().div_ceil(64).next_multiple_of(LANES);
        let mut index = RuleIndex {
            blocks,
            word_free: vec![0; blocks],
            mask_start: Vec::with_capacity(word_ids + 1),
            word_masks: Vec::new(),
            word_start: Vec::with_capacity(word_ids + 1),
            word_rules: Vec::new(),
            by_nibble: vec![0; NIBBLES * 16 * blocks],
            needed_tags: 0,
            needed_shapes: 0,
            needs: Vec::new(),
        };
        let mut by_word = vec![Vec::new(); word_ids];
        let mut masks_by_word: Vec<Vec<(u32, u64)>> = vec![Vec::new(); word_ids];
        for (r, need) in needs.iter().enumerate() {
            let bit = 1u64 << (r % 64);
            if need.words[0] == NO_WORD {
                index.word_free[r / 64] |= bit;
            } else if need.words[1] == NO_WORD {
                let masks = &mut masks_by_word[need.words[0] as usize];
                match masks.last_mut() {
                    Some((block, bits)) if *block as usize == r / 64 => *bits |= bit,
                    _ => masks.push(((r / 64) as u32, bit)),
                }
            } else {
                by_word[need.words[0] as usize].push(r as u32);
            }
            index.needed_tags |= need.tags;
            index.needed_shapes |= need.shapes;
            let lacking = lacking(need.tags, need.shapes);
            for g in 0..NIBBLES {
                let needed = (lacking >> (4 * g)) & 15;
                for value in (1..16).filter(|v| v & needed != 0) {
                    index.by_nibble[(g * 16 + value as usize) * blocks + r / 64] |= bit;
                }
            }
        }
        for rules in by_word {
            index.word_start.push(index.word_rules.len() as u32);
            index.word_rules.extend(rules);
        }
        index.word_start.push(index.word_rules.len() as u32);
        for masks in masks_by_word {
            index.mask_start.push(index.word_masks.len() as u32);
            index.word_masks.extend(masks);
        }
        index.mask_start.push(index.word_masks.len() as u32);
        index.needs = needs;
        index
    }

    /// Number of words of a rule bit set (a multiple of [`LANES`]).
    pub(super) fn blocks(&self) -> usize {
        self.blocks
    }

    /// Sets in `out` the bit of every rule whose needs a sentence with
    /// `tags_present`, `words_present` (one bit per rule word id),
    /// `present_words` (the same ids listed, [`NO_WORD`] aside) and
    /// `shapes_present` (one [`shape_bit`] each) meets, and in
    /// `words_met` that of every rule whose rule words it holds (they
    /// stay for the sentence; its tags change).
    pub(super) fn mark(
        &self,
        tags_present: u64,
        (words_present, present_words): (&[u64], &[WordId]),
        shapes_present: u16,
        out: &mut [u64],
        words_met: &mut [u64],
    ) {
        out.copy_from_slice(&self.word_free);
        for &w in present_words {
            let (start, end) = (self.mask_start[w as usize], self.mask_start[w as usize + 1]);
            for &(block, bits) in &self.word_masks[start as usize..end as usize] {
                out[block as usize] |= bits;
            }
            let (start, end) = (self.word_start[w as usize], self.word_start[w as usize + 1]);
            for &r in &self.word_rules[start as usize..end as usize] {
                let r = r as usize;
                let second = self.needs[r].words[1];
                out[r / 64] |= has_word(words_present, second) << (r % 64);
            }
        }
        words_met.copy_from_slice(out);
        let absent = lacking(
            self.needed_tags & !tags_present,
            self.needed_shapes & !shapes_present,
        );
        self.drop_needing(absent, out);
    }

    /// Clears in `out` the rules needing any of the `absent` tags or
    /// shapes, one group of four at a time.
    fn drop_needing(&self, absent: Lacking, out: &mut [u64]) {
        let mut rest = absent;
        let mut group = 0;
        while rest != 0 {
            let value = (rest & 15) as usize;
            if value != 0 {
                let row = (group * 16 + value) * self.blocks;
                clear_masked(out, &self.by_nibble[row..row + self.blocks]);
            }
            rest >>= 4;
            group += 1;
        }
    }

    /// After rule `r` brought the tags `gained` into the sentence, sets
    /// the bits of the later rules whose needs are now met: of those
    /// needing a gained tag whose words the sentence holds (`words_met`
    /// of [`RuleIndex::mark`]) and not yet set, the ones whose tags and
    /// shapes are now present.
    pub(super) fn gain(
        &self,
        r: usize,
        mut gained: u64,
        (tags_present, shapes_present): (u64, u16),
        words_met: &[u64],
        out: &mut [u64],
    ) {
        let first = (r + 1) / 64;
        while gained != 0 {
            let tag = gained.trailing_zeros() as usize;
            gained &= gained - 1;
            // The rules needing `tag`: its group's row of that bit alone.
            let row = ((tag / 4) * 16 + (1 << (tag % 4))) * self.blocks;
            let needing = &self.by_nibble[row..row + self.blocks];
            for b in first..self.blocks {
                let mut bits = needing[b] & words_met[b] & !out[b];
                if b == first {
                    bits &= !0u64 << ((r + 1) % 64);
                }
                while bits != 0 {
                    let k = b * 64 + bits.trailing_zeros() as usize;
                    bits &= bits - 1;
                    out[b] |= self.needs[k].tags_met(tags_present, shapes_present) << (k % 64);
                }
            }
        }
    }
}

/// Rule bit sets are a multiple of this many words long, so that they
/// can be combined this many words at a time.
const LANES: usize = 4;

/// Clears in `out` the bits set in `mask` (as long), [`LANES`] words at a
/// time: fixed-size steps the compiler turns into vector instructions.
#[inline]
fn clear_masked(out: &mut [u64], mask: &[u64]) {
    for (out, mask) in out.chunks_exact_mut(LANES).zip(mask.chunks_exact(LANES)) {
        let out: &mut [u64; LANES] = out.try_into().expect("LANES words");
        let mask: &[u64; LANES] = mask.try_into().expect("LANES words");
        for (out, mask) in out.iter_mut().zip(mask) {
            *out &= !mask;
        }
    }
}

/// Clears and returns the lowest set bit of `bits`, looking from word
/// `*block` on (the words before it are zero) and leaving `*block` at the
/// word the bit was in.
#[inline]
pub(super) fn pop_lowest(bits: &mut [u64], block: &mut usize) -> Option<usize> {
    while let Some(word) = bits.get_mut(*block) {
        if *word != 0 {
            let k = word.trailing_zeros() as usize;
            *word &= *word - 1;
            return Some(*block * 64 + k);
        }
        *block += 1;
    }
    None
}
