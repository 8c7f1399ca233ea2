//! The tagger's word table: every spelling the lexicons and rules know.
//!
//! Takes spellings with what the lexicons say of them; gives, per looked-up
//! word, that [`Entry`]. A spelling of up to 15 bytes is keyed by its bytes
//! packed in two integers (its length in the last byte) and kept in one
//! open-addressed array of key and entry side by side: a lookup hashes two
//! integers, then compares keys slot by slot, with no pointer to follow
//! and no string to compare. Longer spellings (rare) go to a hash map.
//! [`Packed::of`] packs a word as it is and ASCII-lower-cased in the same
//! scan of its bytes that finds its case and digits.

use super::{FxMap, Tag, WordId};
use crate::clauses::words::Marks;

/// What the lexicons know of one spelling.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Entry {
    pub(super) ewt: Option<Tag>,
    pub(super) brill: Option<Tag>,
    /// The tags a contextual rule may give this spelling when the EWT
    /// lexicon tags it, one bit per tag (0: any).
    pub(super) may: u64,
    /// The rule word id of this spelling lower-cased.
    pub(super) word: WordId,
    /// The word classes of this (lower-case) spelling.
    pub(super) marks: Marks,
}

/// A spelling of up to 15 bytes: bytes 0–7 in the first integer, bytes
/// 8–14 and the length in the second (little-endian).
type Key = [u64; 2];

/// No spelling has length 255: the key of an empty slot.
const EMPTY: Key = [u64::MAX; 2];

/// Longest spelling kept in the packed table.
const MAX_PACKED: usize = 15;

#[derive(Clone)]
pub(super) struct Lexicon {
    /// Open addressing with linear probing; the length is a power of two
    /// and at most 3/8 of the slots are used, so a probe run stays short.
    slots: Vec<(Key, Entry)>,
    used: usize,
    long: FxMap<Box<str>, Entry>,
}

impl Default for Lexicon {
    fn default() -> Self {
        Lexicon {
            slots: vec![(EMPTY, Entry::default()); 1024],
            used: 0,
            long: FxMap::default(),
        }
    }
}

impl Lexicon {
    #[inline]
    fn slot_of(&self, key: Key) -> usize {
        let mixed = key[0] ^ key[1].rotate_left(29);
        let hash = mixed.wrapping_mul(0x9e37_79b9_7f4a_7c15);
        let bits = self.slots.len().trailing_zeros();
        (hash >> (64 - bits)) as usize
    }

    /// The entry of a packed spelling.
    #[inline]
    pub(super) fn get_packed(&self, key: Key) -> Option<&Entry> {
        let mask = self.slots.len() - 1;
        let mut i = self.slot_of(key);
        loop {
            let (k, entry) = &self.slots[i];
            if *k == key {
                return Some(entry);
            }
            if *k == EMPTY {
                return None;
            }
            i = (i + 1) & mask;
        }
    }

    /// The entry of a spelling, as it is.
    pub(super) fn get(&self, word: &str) -> Option<&Entry> {
        match Packed::of(word).exact {
            Some(key) => self.get_packed(key),
            None => self.long.get(word),
        }
    }

    /// The entry of a spelling of more than 15 bytes.
    #[inline]
    pub(super) fn get_long(&self, word: &str) -> Option<&Entry> {
        self.long.get(word)
    }

    /// The entry of a spelling, made empty if new.
    pub(super) fn entry(&mut self, word: &str) -> &mut Entry {
        let Some(key) = Packed::of(word).exact else {
            return self.long.entry(word.into()).or_default();
        };
        if (self.used + 1) * 8 > self.slots.len() * 3 {
            self.grow();
        }
        let mask = self.slots.len() - 1;
        let mut i = self.slot_of(key);
        while self.slots[i].0 != key && self.slots[i].0 != EMPTY {
            i = (i + 1) & mask;
        }
        if self.slots[i].0 == EMPTY {
            self.slots[i].0 = key;
            self.used += 1;
        }
        &mut self.slots[i].1
    }

    fn grow(&mut self) {
        let size = self.slots.len() * 2;
        let old = std::mem::replace(&mut self.slots, vec![(EMPTY, Entry::default()); size]);
        let mask = self.slots.len() - 1;
        for (key, entry) in old.into_iter().filter(|(k, _)| *k != EMPTY) {
            let mut i = self.slot_of(key);
            while self.slots[i].0 != EMPTY {
                i = (i + 1) & mask;
            }
            self.slots[i] = (key, entry);
        }
    }
}

/// Spellings (the unknown-word rules' suffixes) with one tag each, looked
/// up by their packed key: no string hashed or compared.
#[derive(Clone, Default)]
pub(super) struct TagTable {
    packed: FxMap<Key, Tag>,
    long: FxMap<Box<str>, Tag>,
}

impl TagTable {
    /// Sets the tag of `word`, giving the one it replaces.
    pub(super) fn insert(&mut self, word: &str, tag: Tag) -> Option<Tag> {
        match Packed::of(word).exact {
            Some(key) => self.packed.insert(key, tag),
            None => self.long.insert(word.into(), tag),
        }
    }

    #[inline]
    pub(super) fn get(&self, word: &str) -> Option<Tag> {
        match Packed::of(word).exact {
            Some(key) => self.packed.get(&key).copied(),
            None => self.long.get(word).copied(),
        }
    }
}

pub(super) const UPPER: u8 = 1;
pub(super) const LOWER: u8 = 2;
pub(super) const DIGIT: u8 = 4;
pub(super) const NON_ASCII: u8 = 8;

/// The kind of each byte value: one table load per byte instead of four
/// range tests.
static BYTE_KINDS: [u8; 256] = {
    let mut kinds = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        kinds[b] = match b as u8 {
            b'A'..=b'Z' => UPPER,
            b'a'..=b'z' => LOWER,
            b'0'..=b'9' => DIGIT,
            0x80..=0xff => NON_ASCII,
            _ => 0,
        };
        b += 1;
    }
    kinds
};

/// The high bit of each byte of an integer.
const HIGH: u64 = 0x8080_8080_8080_8080;

/// The high bit of each byte of `x` (all below 0x80) that lies in
/// `lo..=hi`: adding `0x80 - b` to a byte below 0x80 sets its high bit
/// exactly when it is at least `b`, and carries into no other byte.
#[inline]
fn in_range(x: u64, lo: u8, hi: u8) -> u64 {
    let at_least = |b: u8| x.wrapping_add(u64::from(0x80 - b) * 0x0101_0101_0101_0101) & HIGH;
    at_least(lo) & !at_least(hi + 1)
}

/// The bytes of a slice of at most 8 bytes as a little-endian integer,
/// zero above them: two overlapping loads of equal width, OR-ed (the bytes
/// they share are the same), rather than a call to copy a variable length.
#[inline]
fn load_short(bytes: &[u8]) -> u64 {
    let n = bytes.len();
    debug_assert!(n <= 8);
    let shift = |k: usize| 8 * (n - k) as u32;
    if let (Some(head), Some(tail)) = (bytes.first_chunk::<4>(), bytes.last_chunk::<4>()) {
        u64::from(u32::from_le_bytes(*head)) | u64::from(u32::from_le_bytes(*tail)) << shift(4)
    } else if let (Some(head), Some(tail)) = (bytes.first_chunk::<2>(), bytes.last_chunk::<2>()) {
        u64::from(u16::from_le_bytes(*head)) | u64::from(u16::from_le_bytes(*tail)) << shift(2)
    } else {
        bytes.first().map_or(0, |&b| u64::from(b))
    }
}

/// One scan of a word's bytes: the kinds of byte it has, and its packed
/// keys as it is (`None` for a word of more than 15 bytes) and, for an
/// ASCII word, with its capitals lower-cased.
#[derive(Clone, Copy)]
pub(super) struct Packed {
    /// The union of the [`BYTE_KINDS`] of its bytes.
    pub(super) kinds: u8,
    pub(super) exact: Option<Key>,
    pub(super) lower: Option<Key>,
}

impl Packed {
    // Inlined into the word lookup, the range tests of the ASCII scan
    // share their work.
    #[inline(always)]
    pub(super) fn of(word: &str) -> Self {
        let bytes = word.as_bytes();
        if bytes.len() > MAX_PACKED {
            let kinds = bytes
                .iter()
                .fold(0, |acc, &b| acc | BYTE_KINDS[usize::from(b)]);
            return Packed {
                kinds,
                exact: None,
                lower: None,
            };
        }
        let exact = match bytes.split_first_chunk::<8>() {
            Some((first, rest)) => [u64::from_le_bytes(*first), load_short(rest)],
            None => [load_short(bytes), 0],
        };
        if (exact[0] | exact[1]) & HIGH != 0 {
            let kinds = bytes
                .iter()
                .fold(0, |acc, &b| acc | BYTE_KINDS[usize::from(b)]);
            let len = (bytes.len() as u64) << 56;
            return Packed {
                kinds,
                exact: Some([exact[0], exact[1] | len]),
                lower: None,
            };
        }
        // ASCII: every byte's kind at once, eight bytes to an integer.
        let upper = [
            in_range(exact[0], b'A', b'Z'),
            in_range(exact[1], b'A', b'Z'),
        ];
        let any = |lo: u8, hi: u8| in_range(exact[0], lo, hi) | in_range(exact[1], lo, hi) != 0;
        let kinds = (u8::from(upper[0] | upper[1] != 0) * UPPER)
            | (u8::from(any(b'a', b'z')) * LOWER)
            | (u8::from(any(b'0', b'9')) * DIGIT);
        // A capital's high bit moved to bit 5 lower-cases it.
        let mut lower = [exact[0] | upper[0] >> 2, exact[1] | upper[1] >> 2];
        let mut exact = exact;
        let len = (bytes.len() as u64) << 56;
        exact[1] |= len;
        lower[1] |= len;
        Packed {
            kinds,
            exact: Some(exact),
            lower: Some(lower),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_keys_tell_spellings_apart_and_ignore_ascii_case_when_lowered() {
        let words = [
            "",
            "a",
            "A",
            "the",
            "The",
            "THE",
            "abcdefgh",
            "abcdefghi",
            "ABCDEFGHIJKLMNO",
            "abcdefghijklmno",
            "Caf\u{e9}",
            "x-Ray",
            "4,521",
        ];
        for a in words {
            for b in words {
                let (pa, pb) = (Packed::of(a), Packed::of(b));
                assert_eq!(pa.exact == pb.exact, a == b, "{a:?} {b:?}");
                if a.is_ascii() && b.is_ascii() {
                    let same = a.eq_ignore_ascii_case(b);
                    assert_eq!(pa.lower == pb.lower, same, "{a:?} {b:?}");
                }
            }
            let lowered = a.to_ascii_lowercase();
            if a.is_ascii() {
                assert_eq!(Packed::of(a).lower, Packed::of(&lowered).exact, "{a:?}");
            }
        }
        assert!(Packed::of("abcdefghijklmnop").exact.is_none());
    }

    /// The key of every length up to 15 bytes is the spelling's bytes in
    /// order, zero-padded, as a plain copy into 16 bytes makes it.
    #[test]
    fn packed_keys_hold_the_bytes_of_every_length() {
        let all = "abcdefghijklmnop";
        for n in 0..=MAX_PACKED {
            let word = &all[..n];
            let mut buf = [0u8; 16];
            buf[..n].copy_from_slice(word.as_bytes());
            let low = u64::from_le_bytes(buf[..8].try_into().unwrap());
            let high = u64::from_le_bytes(buf[8..].try_into().unwrap());
            let len = (n as u64) << 56;
            assert_eq!(Packed::of(word).exact, Some([low, high | len]), "{n}");
        }
    }

    #[test]
    fn packed_kinds_are_those_of_the_bytes() {
        let edges = "@AZ[`az{/09:\x7f\x01 -";
        let mut words: Vec<String> = edges.chars().map(String::from).collect();
        words.extend(
            [
                "x-Ray",
                "MPs",
                "B2B",
                "4,521",
                "Caf\u{e9}",
                "ABCDEFGHIJKLMNOP",
                "a@b`c{d[e/f:g",
            ]
            .map(String::from),
        );
        for word in &words {
            let want = word
                .bytes()
                .fold(0, |acc, b| acc | BYTE_KINDS[usize::from(b)]);
            assert_eq!(Packed::of(word).kinds, want, "{word:?}");
        }
    }

    #[test]
    fn tag_tables_keep_short_and_long_spellings() {
        let mut table = TagTable::default();
        let long = "\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}";
        assert_eq!(table.insert("ing", Tag::VBG), None);
        assert_eq!(table.insert("", Tag::NN), None);
        assert_eq!(table.insert(long, Tag::FW), None);
        assert_eq!(table.insert("ing", Tag::NN), Some(Tag::VBG));
        assert_eq!(table.get("ing"), Some(Tag::NN));
        assert_eq!(table.get(""), Some(Tag::NN));
        assert_eq!(table.get(long), Some(Tag::FW));
        assert_eq!(table.get("ng"), None);
        assert_eq!(table.get("ING"), None);
    }

    #[test]
    fn entries_survive_growth_and_long_spellings_are_kept_apart() {
        let mut lexicon = Lexicon::default();
        let words: Vec<String> = (0..5000).map(|n| format!("w{n}")).collect();
        for (n, w) in words.iter().enumerate() {
            lexicon.entry(w).word = n as WordId;
        }
        lexicon.entry("internationalisation").word = 77;
        for (n, w) in words.iter().enumerate() {
            assert_eq!(lexicon.get(w).map(|e| e.word), Some(n as WordId), "{w}");
        }
        assert_eq!(
            lexicon.get("internationalisation").map(|e| e.word),
            Some(77)
        );
        assert!(lexicon.get("w5000").is_none());
        assert!(lexicon.get("").is_none());
    }
}
