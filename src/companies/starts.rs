//! Where a name can start. Every pattern the matcher knows begins a word, and a match must
//! agree with the pattern's case, so the matcher only needs to try word starts that begin
//! with a capital, a digit or a non-ASCII letter and whose first four bytes (up to the end of
//! the word, ASCII-case-folded) begin some pattern ("Amazon", "AMAZON"). The few patterns
//! written with a lower-case first letter ("plc", "eBay") are found by a separate, exact
//! search in `matcher.rs`. This filter is what keeps tagging fast: ordinary prose (lower-case
//! words, "The", "He") never enters the automaton.

use super::text::prev_char;

/// Bits in each [`PrefixSet`]; a few thousand patterns fill well under 2% of them.
const PREFIX_SET_BITS: u32 = 18;

/// A Bloom-style bit set over word prefixes (false positives only cost an automaton try).
struct PrefixSet(Vec<u64>);

impl PrefixSet {
    fn new() -> Self {
        PrefixSet(vec![0; 1 << (PREFIX_SET_BITS - 6)])
    }

    fn slot(key: u64) -> usize {
        (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - PREFIX_SET_BITS)) as usize
    }

    fn insert(&mut self, key: u64) {
        let i = Self::slot(key);
        self.0[i >> 6] |= 1 << (i & 63);
    }

    fn contains(&self, key: u64) -> bool {
        let i = Self::slot(key);
        self.0[i >> 6] & (1 << (i & 63)) != 0
    }
}

/// The first eight bytes at `at`, ASCII-lower-cased and cut at the first byte that is not an
/// ASCII letter or digit (so "AWS's", "AWS’s" and "AWS" share the key of the pattern "AWS",
/// and "John" is told apart from "Johnson"; "Nestlé" is keyed "nestl" on both sides).
/// Branch-free, eight bytes at a time.
fn prefix_key(bytes: &[u8], at: usize) -> u64 {
    if bytes[at] >= 0x80 {
        return first_char_key(bytes, at);
    }
    let x = load_word(&bytes[at..bytes.len().min(at + 8)]);
    let upper = bytes_between(x, b'A', b'Z');
    let alnum = upper | bytes_between(x, b'a', b'z') | bytes_between(x, b'0', b'9');
    let cut = !alnum & HIGH_BITS;
    let kept_bytes = if cut == 0 {
        8
    } else {
        cut.trailing_zeros() / 8
    };
    let keep = if kept_bytes == 8 {
        u64::MAX
    } else {
        (1u64 << (8 * kept_bytes)) - 1
    };
    // 0x80 >> 2 = 0x20, the ASCII case bit.
    (x | (upper >> 2)) & keep
}

/// A word starting with a non-ASCII character ("Össur", or the quote in "“Amazon") is keyed by
/// that character's bytes alone: typographic punctuation then rarely passes the filter.
fn first_char_key(bytes: &[u8], at: usize) -> u64 {
    let len = match bytes[at] {
        0xf0.. => 4,
        0xe0.. => 3,
        _ => 2,
    };
    load_word(&bytes[at..bytes.len().min(at + len)]) | 0x80 << 56
}

/// Up to eight bytes as a little-endian word, zero-padded.
fn load_word(chunk: &[u8]) -> u64 {
    match <[u8; 8]>::try_from(chunk) {
        Ok(full) => u64::from_le_bytes(full),
        Err(_) => {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            u64::from_le_bytes(word)
        }
    }
}

/// Word starts that may begin a match.
pub(crate) struct StartFilter {
    /// Folded prefixes of every pattern.
    folded: PrefixSet,
}

impl StartFilter {
    /// `patterns` are written forms in their own case.
    pub(crate) fn new<'a>(patterns: impl IntoIterator<Item = &'a str>) -> StartFilter {
        let mut folded = PrefixSet::new();
        for pattern in patterns {
            if !pattern.is_empty() {
                folded.insert(prefix_key(pattern.as_bytes(), 0));
            }
        }
        StartFilter { folded }
    }

    /// The first position at or after `from` where a pattern may start a word.
    pub(crate) fn next_start(&self, text: &str, from: usize) -> Option<usize> {
        let bytes = text.as_bytes();
        let mut block = from;
        while block < bytes.len() {
            // Two words per round: independent work the CPU overlaps.
            let middle = (block + 8).min(bytes.len());
            let end = (block + 16).min(bytes.len());
            let low = first_bytes_in(&bytes[block..middle]);
            let high = first_bytes_in(&bytes[middle..end]);
            if low | high != 0 {
                let found = self
                    .first_start(text, block, low)
                    .or_else(|| self.first_start(text, middle, high));
                if found.is_some() {
                    return found;
                }
            }
            block = end;
        }
        None
    }

    /// The first flagged byte of the word at `offset` that really starts a candidate.
    fn first_start(&self, text: &str, offset: usize, mut flagged: u64) -> Option<usize> {
        while flagged != 0 {
            let i = offset + (flagged.trailing_zeros() / 8) as usize;
            if word_starts_at(text, i) && self.may_start(text.as_bytes(), i) {
                return Some(i);
            }
            flagged &= flagged - 1;
        }
        None
    }

    /// Is the flagged byte at `i` a plausible first byte whose word begins some pattern?
    fn may_start(&self, bytes: &[u8], i: usize) -> bool {
        let b = bytes[i];
        let plausible = b.is_ascii_uppercase() || b.is_ascii_digit() || b >= 0xc0;
        plausible && self.folded.contains(prefix_key(bytes, i))
    }
}

/// High bit set in each byte of `chunk` (up to 8 bytes) in `'0'..='Z'` (digits, capitals and
/// a few punctuation marks) or that starts a multi-byte UTF-8 character: a cheap superset of
/// the bytes a name can start with, eight bytes at a time, since most prose bytes are none.
fn first_bytes_in(chunk: &[u8]) -> u64 {
    let x = load_word(chunk);
    // Bits 7 and 6 both set: a UTF-8 lead byte (>= 0xc0).
    let lead_bytes = x & (x << 1) & HIGH_BITS;
    bytes_between(x, b'0', b'Z') | lead_bytes
}

const LOW_BITS: u64 = 0x0101_0101_0101_0101;
const HIGH_BITS: u64 = 0x8080_8080_8080_8080;

/// High bit set in each byte `b` of `x` with `lo <= b <= hi` (both below 0x80). Exact per
/// byte: no carry or borrow crosses a byte boundary.
fn bytes_between(x: u64, lo: u8, hi: u8) -> u64 {
    let low7 = x & (LOW_BITS * 0x7f);
    let below_top = LOW_BITS * (127 + u64::from(hi) + 1) - low7;
    let above_bottom = low7 + LOW_BITS * (127 - (u64::from(lo) - 1));
    below_top & !x & above_bottom & HIGH_BITS
}

/// Is the character before `at` part of a word? Decodes UTF-8 only when it has to.
fn is_word_before(text: &str, at: usize) -> bool {
    match text.as_bytes().get(at.wrapping_sub(1)) {
        Some(&b) if b < 0x80 => b.is_ascii_alphanumeric(),
        Some(_) => prev_char(text, at).is_some_and(is_word_char),
        None => false,
    }
}

/// `char::is_alphanumeric`, answering the typographic punctuation of prose (’ “ ” —, the
/// U+2000 block) without a Unicode table look-up.
fn is_word_char(c: char) -> bool {
    !('\u{2000}'..='\u{206f}').contains(&c) && c.is_alphanumeric()
}

/// Bytes >= 0x80 count as word bytes in the fast loop; a non-ASCII punctuation mark ("“",
/// "—") before `at` still leaves `at` a word start.
fn word_starts_at(text: &str, at: usize) -> bool {
    text.is_char_boundary(at) && !is_word_before(text, at)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn starts(filter: &StartFilter, text: &str) -> Vec<usize> {
        let mut out = Vec::new();
        let mut from = 0;
        while let Some(at) = filter.next_start(text, from) {
            out.push(at);
            from = at + 1;
        }
        out
    }

    #[test]
    fn tries_only_plausible_word_starts() {
        let filter = StartFilter::new(["Amazon", "AWS", "F", "Össur"]);
        assert_eq!(starts(&filter, "an Amazon plc play AMAZON"), [3, 19]);
        assert_eq!(starts(&filter, "Flamazon “Amazon” Össur F."), [12, 22, 29]);
        assert_eq!(starts(&filter, "Aws aws"), [0]);
        let long = "lower case words only here, then Amazon and 1 F";
        assert_eq!(starts(&filter, long), [33, 46]);
    }

    #[test]
    fn keys_cut_at_word_ends() {
        let key = |s: &str| prefix_key(s.as_bytes(), 0);
        assert_eq!(key("AWS’s"), key("aws"));
        assert_eq!(key("AWS's deal"), key("Aws"));
        assert_ne!(key("John"), key("Johnson"));
        assert_eq!(key("Johnsonville"), key("johnsonv"));
        assert_eq!(key("Nestlé"), key("NESTL"));
        assert_eq!(key("Össur"), key("Ö"));
        assert_ne!(key("“Amazon"), key("Össur"));
    }

    #[test]
    fn flags_bytes_in_range() {
        let x = u64::from_le_bytes(*b"aZ0@[9z\x80");
        let flagged = bytes_between(x, b'A', b'Z');
        assert_eq!(flagged, 0x80 << 8);
    }
}
