//! Where a contextual rule may fire in a sentence of at most 64 words,
//! by bit operations.
//!
//! Takes the sentence's tags, rule word ids and shapes; gives, per rule,
//! the words (one bit each) where every test of its condition that the
//! rule's own pass cannot make true holds: a superset of where the rule
//! fires, which the full test then settles. Each test is one load and two
//! shifts of the bit set of its tag, rule word or shape; a rule's tests
//! are compiled once into slots of one per-sentence table ([`Filter`]).

use super::{Probe, Transformation, WordId};
use crate::clauses::tagger::Tag;

/// The table's layout: one slot per tag, one per shape (its low four
/// bits), an all-ones and an all-zeros slot, then one per rule word id.
const SHAPE_BASE: usize = 64;
const ONES: usize = SHAPE_BASE + 16;
const ZEROS: usize = ONES + 1;
const WORD_BASE: usize = ZEROS + 1;

/// A sentence's bit table: slot `k` holds the words that have tag, shape
/// or rule word `k` (one bit each, word 0 lowest).
#[derive(Default)]
pub(super) struct Table {
    bits: Vec<u64>,
}

impl Table {
    /// An empty table for a tagger with `word_ids` rule word ids.
    pub(super) fn reset(&mut self, word_ids: usize) {
        // The word slots are zero already: `clear_words` zeroes them.
        self.bits.resize(WORD_BASE + word_ids, 0);
        self.bits[..WORD_BASE].fill(0);
        self.bits[ONES] = !0;
    }

    /// Records that word `i` has `tag`, `shape` and rule word `id`.
    #[inline]
    pub(super) fn add(&mut self, i: usize, tag: Tag, id: WordId, shape: u8) {
        let bit = 1u64 << i;
        self.bits[tag as usize] |= bit;
        self.bits[SHAPE_BASE + usize::from(shape & 15)] |= bit;
        self.bits[WORD_BASE + id as usize] |= bit;
    }

    /// The words tagged `tag`.
    #[inline]
    pub(super) fn tag(&self, tag: Tag) -> u64 {
        self.bits[tag as usize]
    }

    /// Word `i` changes its tag from `from` to `to`.
    #[inline]
    pub(super) fn retag(&mut self, i: usize, from: Tag, to: Tag) {
        let bit = 1u64 << i;
        self.bits[from as usize] &= !bit;
        self.bits[to as usize] |= bit;
    }

    /// Zeroes the word slots of `ids` (the sentence's), for the next one.
    pub(super) fn clear_words(&mut self, ids: &[WordId]) {
        for &id in ids {
            self.bits[WORD_BASE + id as usize] = 0;
        }
    }
}

/// A rule's condition as three shifted slots, all of which (or, when
/// `any`, one of which) must have the word's bit.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Filter {
    /// The rule's `from` tag.
    pub(super) from: Tag,
    any: bool,
    slot: [u32; 3],
    /// Test `k` looks at the word `right[k] - left[k]` places on.
    right: [u8; 3],
    left: [u8; 3],
}

impl Filter {
    pub(super) fn new(rule: &Transformation) -> Self {
        let probes = rule.probes.as_slice();
        let any = rule.probes.any;
        // A test the pass itself may make true, or one of the boundary
        // (no bits), cannot filter: it lets every word through.
        let usable = |k: usize| rule.filtering & (1 << k) != 0;
        let unused = if any { ZEROS } else { ONES };
        let mut filter = Filter {
            from: rule.from,
            any,
            slot: [unused as u32; 3],
            right: [0; 3],
            left: [0; 3],
        };
        if any && (0..probes.len()).any(|k| !usable(k)) {
            filter.slot = [ONES as u32; 3];
            return filter;
        }
        for (k, &probe) in probes.iter().enumerate() {
            if !usable(k) {
                filter.slot[k] = ONES as u32;
                continue;
            }
            let (offset, slot) = match probe {
                Probe::Tag(o, t) => (o, t as usize),
                Probe::Word(o, w) => (o, WORD_BASE + w as usize),
                Probe::Shape(o, s) => (o, SHAPE_BASE + usize::from(s & 15)),
            };
            filter.slot[k] = slot as u32;
            if offset >= 0 {
                filter.right[k] = offset as u8;
            } else {
                filter.left[k] = offset.unsigned_abs();
            }
        }
        filter
    }

    /// The words where the condition may hold.
    #[inline]
    pub(super) fn apply(&self, table: &Table) -> u64 {
        let at = |k: usize| (table.bits[self.slot[k] as usize] >> self.right[k]) << self.left[k];
        let (a, b, c) = (at(0), at(1), at(2));
        if self.any {
            a | b | c
        } else {
            a & b & c
        }
    }
}
