//! [`WordSet`]: the fixed word lists the company rules consult on most candidates, with
//! constant-time membership. Its own module so that the rule modules (`rules`, `suffix`,
//! `context`) share it without depending on one another.

use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

/// A fixed word list with constant-time membership, built on first use (the lists are
/// consulted for most candidates, so a linear scan would show in profiles).
pub(crate) struct WordSet {
    words: &'static [&'static str],
    set: OnceLock<HashSet<&'static str, BuildHasherDefault<Fnv>>>,
}

/// FNV-1a: these keys are short fixed words, not attacker-chosen, so SipHash's protection
/// buys nothing and costs time on every candidate.
#[derive(Default)]
pub(crate) struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut hash = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for &b in bytes {
            hash = (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = hash;
    }
}

impl WordSet {
    pub(crate) const fn new(words: &'static [&'static str]) -> WordSet {
        WordSet {
            words,
            set: OnceLock::new(),
        }
    }

    /// The words, in the order written.
    pub(crate) fn words(&self) -> &'static [&'static str] {
        self.words
    }

    pub(crate) fn contains(&self, word: &str) -> bool {
        self.set
            .get_or_init(|| self.words.iter().copied().collect())
            .contains(word)
    }
}
