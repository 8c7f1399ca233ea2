//! Where a contextual rule may fire in a sentence of at most 64 words,
//! by bit operations.
//!
//! Takes the sentence's tags, rule word ids and shapes; gives, per rule,
//! the words (one bit each) where every test of its condition that the
//! rule's own pass cannot make true holds: a superset of where the rule
//! fires, which the full test then settles. Each test is one load and one
//! rotation of the bit set of its tag, rule word or shape; a rule's tests
//! are compiled once into slots of one per-sentence table ([`Filter`]).

use super::{Probe, Transformation, WordId};
use crate::clauses::tagger::Tag;

/// The table's layout: one slot per tag, one per shape (its low four
/// bits), an all-ones and an all-zeros slot, a spare slot, then one per
/// rule word id that fits.
const SHAPE_BASE: usize = 64;
const ONES: usize = SHAPE_BASE + 16;
const ZEROS: usize = ONES + 1;
/// Where the words of the ids that do not fit are written; never read.
const SPARE: usize = ZEROS + 1;
const WORD_BASE: usize = SPARE + 1;

/// Number of slots: a power of two, so that a slot index masked with
/// [`MASK`] needs no bounds check. A rule word id past the last slot (a
/// user's rule files with thousands of words) has none: a test of it
/// lets every word through, and the full test settles the rule.
pub(super) const SLOTS: usize = 2048;
const MASK: usize = SLOTS - 1;

/// The slot of rule word `id`, if it has one.
#[inline]
fn word_slot(id: WordId) -> Option<usize> {
    let slot = WORD_BASE + id as usize;
    (slot < SLOTS).then_some(slot)
}

/// A sentence's bit table: slot `k` holds the words that have tag, shape
/// or rule word `k` (one bit each, word 0 lowest).
pub(super) struct Table {
    bits: Box<[u64; SLOTS]>,
}

impl Default for Table {
    fn default() -> Self {
        Table {
            bits: Box::new([0; SLOTS]),
        }
    }
}

impl Table {
    /// An empty table.
    pub(super) fn reset(&mut self) {
        // The word slots are zero already: `clear_words` zeroes them.
        self.bits[..WORD_BASE].fill(0);
        self.bits[ONES] = !0;
    }

    /// Records that word `i` has `tag`, `shape` and rule word `id`.
    #[inline]
    pub(super) fn add(&mut self, i: usize, tag: Tag, id: WordId, shape: u8) {
        let bit = 1u64 << i;
        self.bits[tag as usize & MASK] |= bit;
        self.bits[SHAPE_BASE + usize::from(shape & 15)] |= bit;
        self.bits[word_slot(id).unwrap_or(SPARE) & MASK] |= bit;
    }

    /// The words tagged `tag`.
    #[inline]
    pub(super) fn tag(&self, tag: Tag) -> u64 {
        self.bits[tag as usize & MASK]
    }

    /// Word `i` changes its tag from `from` to `to`.
    #[inline]
    pub(super) fn retag(&mut self, i: usize, from: Tag, to: Tag) {
        let bit = 1u64 << i;
        self.bits[from as usize & MASK] &= !bit;
        self.bits[to as usize & MASK] |= bit;
    }

    /// Zeroes the word slots of `ids` (the sentence's), for the next one.
    pub(super) fn clear_words(&mut self, ids: &[WordId]) {
        for &id in ids {
            self.bits[word_slot(id).unwrap_or(SPARE) & MASK] = 0;
        }
    }
}

/// A rule's condition as three rotated slots, all of which (or, when
/// `any`, one of which) must have the word's bit.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Filter {
    /// The rule's `from` tag.
    pub(super) from: Tag,
    any: bool,
    slot: [u16; 3],
    /// Test `k` looks at the word `offset` places on: its slot rotated
    /// right by `offset` (mod 64). A rotation brings the bits of words
    /// at one end of the sentence to the other, where a shift would
    /// bring zeros: it only lets more words through, so the result is
    /// still a superset of where the rule fires, for one instruction
    /// where the shifts took four.
    rotate: [u8; 3],
}

impl Filter {
    pub(super) fn new(rule: &Transformation) -> Self {
        let probes = rule.probes.as_slice();
        let any = rule.probes.any;
        // A test the pass itself may make true, or one of the boundary
        // (no bits), cannot filter: it lets every word through.
        let usable = |k: usize| {
            let slotted = match probes[k] {
                Probe::Word(_, w) => word_slot(w).is_some(),
                _ => true,
            };
            rule.filtering & (1 << k) != 0 && slotted
        };
        let unused = if any { ZEROS } else { ONES };
        let mut filter = Filter {
            from: rule.from,
            any,
            slot: [unused as u16; 3],
            rotate: [0; 3],
        };
        if any && (0..probes.len()).any(|k| !usable(k)) {
            filter.slot = [ONES as u16; 3];
            return filter;
        }
        for (k, &probe) in probes.iter().enumerate() {
            if !usable(k) {
                filter.slot[k] = ONES as u16;
                continue;
            }
            let (offset, slot) = match probe {
                Probe::Tag(o, t) => (o, t as usize),
                Probe::Word(o, w) => (o, word_slot(w).expect("usable")),
                Probe::Shape(o, s) => (o, SHAPE_BASE + usize::from(s & 15)),
            };
            filter.slot[k] = slot as u16;
            filter.rotate[k] = offset.rem_euclid(64) as u8;
        }
        filter
    }

    /// The words where the condition may hold.
    #[inline]
    pub(super) fn apply(&self, table: &Table) -> u64 {
        let at = |k: usize| {
            table.bits[usize::from(self.slot[k]) & MASK].rotate_right(u32::from(self.rotate[k]))
        };
        let (a, b, c) = (at(0), at(1), at(2));
        if self.any {
            a | b | c
        } else {
            a & b & c
        }
    }
}
