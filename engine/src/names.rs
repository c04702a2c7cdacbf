//! Tables from the names a ruleset declares (fact names, enum variants, violation codes) to
//! small values, built once when the ruleset is compiled and looked up with case input.
//!
//! A `HashMap` lookup of a fact name (hash, SIMD group probe, a `memcmp` call) was ~140
//! instructions, and reading the benchmark case makes about sixteen such lookups (its facts,
//! its enum values, its code several times over). Here a name is hashed and compared a word
//! (eight bytes) at a time, inline, with one probe in the usual case: ~40 instructions.
//! Names are at most a few dozen bytes (four to twelve Chinese characters, a code of eight to
//! twelve bytes). The tables are never iterated, so their order is seen nowhere, and they are
//! only looked up with names from case input, so an unkeyed hash buys no protection against
//! flooding that a keyed one would give (a case holds a few dozen names at most).

/// An immutable map from names to `V`: open addressing with linear probing, at most half
/// full, each slot keeping the name's hash so that a probe past another name rarely
/// compares bytes.
#[derive(Debug, Clone)]
pub(crate) struct NameTable<V> {
    slots: Box<[Option<Slot<V>>]>,
}

#[derive(Debug, Clone)]
struct Slot<V> {
    hash: u64,
    name: Box<str>,
    value: V,
}

impl<V: Copy> NameTable<V> {
    /// A table of `entries`; of two entries with the same name the first is kept (what a
    /// search from the front finds; checked programs declare no name twice).
    pub(crate) fn new<'a>(entries: impl IntoIterator<Item = (&'a str, V)>) -> NameTable<V> {
        let entries: Vec<(&str, V)> = entries.into_iter().collect();
        let size = (entries.len() * 2).next_power_of_two().max(4);
        let mut slots: Vec<Option<Slot<V>>> = std::iter::repeat_with(|| None).take(size).collect();
        let mask = size - 1;
        for (name, value) in entries {
            let hash = hash(name.as_bytes());
            let mut i = start(hash, mask);
            while let Some(slot) = slots.get_mut(i) {
                match slot {
                    Some(s) if s.hash == hash && *s.name == *name => break,
                    Some(_) => i = (i + 1) & mask,
                    None => {
                        *slot = Some(Slot {
                            hash,
                            name: name.into(),
                            value,
                        });
                        break;
                    }
                }
            }
        }
        NameTable {
            slots: slots.into_boxed_slice(),
        }
    }

    /// The value of `name`.
    pub(crate) fn get(&self, name: &str) -> Option<V> {
        let b = name.as_bytes();
        let hash = hash(b);
        let mask = self.slots.len().wrapping_sub(1);
        let mut i = start(hash, mask);
        // At most half full: an empty slot ends every probe sequence.
        loop {
            let slot = self.slots.get(i)?.as_ref()?;
            if slot.hash == hash && same_bytes(slot.name.as_bytes(), b) {
                return Some(slot.value);
            }
            i = (i + 1) & mask;
        }
    }
}

/// The first slot to probe for `hash` in a table of `mask + 1` slots: the hash's top bits
/// (the multiply in [`hash`] mixes upwards).
fn start(hash: u64, mask: usize) -> usize {
    (hash >> 32) as usize & mask
}

/// The word at byte `at` of `b` (little-endian); 0 past the end (never asked).
fn word_at(b: &[u8], at: usize) -> u64 {
    b.get(at..)
        .and_then(|r| r.first_chunk::<8>())
        .map_or(0, |w| u64::from_le_bytes(*w))
}

/// A name shorter than a word as one word that, with the length, tells it apart: four to
/// seven bytes, the first four and the last four (overlapping); fewer, folded.
fn short(b: &[u8]) -> u64 {
    match (b.first_chunk::<4>(), b.last_chunk::<4>()) {
        (Some(lo), Some(hi)) => {
            u64::from(u32::from_le_bytes(*lo)) | u64::from(u32::from_le_bytes(*hi)) << 32
        }
        _ => b.iter().fold(0, |w, &x| (w << 8) | u64::from(x)),
    }
}

/// Calls `f` with the words that, with the length, tell a name of eight bytes or more apart:
/// every whole word from the start, then the last eight bytes (overlapping the word before
/// unless the length is a multiple of eight, when they are read twice).
fn for_words(b: &[u8], mut f: impl FnMut(u64)) {
    let n = b.len();
    let mut at = 0;
    while at + 8 < n {
        f(word_at(b, at));
        at += 8;
    }
    f(word_at(b, n.wrapping_sub(8)));
}

const K: u64 = 0x517c_c1b7_2722_0a95;

/// One word into a hash (FxHash's step); also the step of `ruleset::WordHash`.
#[inline(always)]
pub(crate) fn mix(h: u64, w: u64) -> u64 {
    (h.rotate_left(5) ^ w).wrapping_mul(K)
}

/// A hash of a name's bytes, a word at a step (FxHash's step, seeded with the length).
fn hash(b: &[u8]) -> u64 {
    let mut h = (b.len() as u64).wrapping_mul(K);
    if b.len() < 8 {
        return mix(h, short(b));
    }
    for_words(b, |w| h = mix(h, w));
    h
}

/// Whether `a` and `b` are the same bytes, compared a word at a time (a call to `memcmp`
/// was a third of a lookup).
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    let n = a.len();
    if n != b.len() {
        return false;
    }
    if n < 8 {
        return short(a) == short(b);
    }
    let mut at = 0;
    while at + 8 < n {
        if word_at(a, at) != word_at(b, at) {
            return false;
        }
        at += 8;
    }
    word_at(a, n - 8) == word_at(b, n - 8)
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The table finds what a search of its entries from the front finds, for names in
        /// it and names near them (prefixes, one byte changed, other lengths).
        #[test]
        fn finds_what_a_search_finds(
            names in proptest::collection::vec("[a-c长类]{0,12}", 0..40),
            probes in proptest::collection::vec("[a-c长类]{0,12}", 0..40),
        ) {
            let table = NameTable::new(names.iter().enumerate().map(|(i, n)| (n.as_str(), i)));
            let search = |p: &str| names.iter().position(|n| n == p);
            for p in names.iter().chain(&probes) {
                proptest::prop_assert_eq!(table.get(p), search(p), "{}", p);
                for cut in 0..p.len() {
                    if let Some(q) = p.get(..cut) {
                        proptest::prop_assert_eq!(table.get(q), search(q), "{}", q);
                    }
                }
            }
        }

        /// Bytes compare equal a word at a time exactly when they are equal.
        #[test]
        fn compares_bytes_as_eq_does(a in proptest::collection::vec(0u8..4, 0..30), b in proptest::collection::vec(0u8..4, 0..30)) {
            proptest::prop_assert_eq!(same_bytes(&a, &b), a == b);
            let mut c = a.clone();
            if let Some(x) = c.last_mut() {
                *x ^= 1;
            }
            proptest::prop_assert_eq!(same_bytes(&a, &c), a == c);
        }
    }

    #[test]
    fn an_empty_table_finds_nothing() {
        let table: NameTable<u32> = NameTable::new([]);
        assert_eq!(table.get(""), None);
        assert_eq!(table.get("事实"), None);
        let table = NameTable::new([("", 1), ("a", 2), ("", 3)]);
        assert_eq!(table.get(""), Some(1));
        assert_eq!(table.get("a"), Some(2));
    }
}
