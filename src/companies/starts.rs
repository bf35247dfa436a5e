//! Where a name can start. Every pattern the matcher knows begins a word, and a match must
//! agree with the pattern's case, so the matcher only needs to try word starts that begin
//! with a capital, a digit or a non-ASCII letter and whose first bytes begin some pattern in a
//! case the pattern allows. Names written with a lower-case first letter are found through a
//! capital inside them ("eBay"), or else ("plc", "adidas") by a separate, exact search in
//! `lower_case.rs`. This filter is what keeps tagging fast: ordinary prose (lower-case words,
//! "The", "He", "It") never enters the automaton.
//!
//! A start is looked up under two keys, each of the first eight bytes at most:
//! - the word's own bytes, up to its first byte that is not an ASCII letter or digit ("AWS’s"
//!   and "AWS" share the key of "AWS"), for patterns of one word ("Amazon", "AT&T");
//! - the phrase key: after a word ending in a space, the text's next eight bytes, whatever
//!   they are, for patterns of several words at least eight bytes long: "The Boring Company"
//!   is keyed "The Bori", so "The" alone, the most common capitalised word in English, is not
//!   a candidate; after a word ending in any other mark, the word and that mark, for patterns
//!   such as "A/S", "Coca-Cola" or "Sam’s Club", so that "A", "Coca" and "Sam" are not.
//!
//! Both keys keep the case of every letter but the first (a mixed-case "It" cannot be the
//! ticker "IT", a mixed-case word can only match a pattern exactly or with a capitalised first
//! letter), unless the word has no lower-case letter in its first eight bytes: a word in
//! capitals ("AMAZON", in a headline) may match any pattern, so it is looked up folded. Each
//! pattern is stored under both forms.

use super::scan::{bytes_between, Flags, Skip, Wide, BLOCK, HIGH_BITS, LOW_BITS};
use super::text::prev_char;

/// 64-bit words in each [`PrefixSet`]: 32 KiB, which stays in the L1 cache.
const PREFIX_SET_WORDS: usize = 1 << PREFIX_SET_WORD_BITS;
const PREFIX_SET_WORD_BITS: u32 = 12;

/// A blocked Bloom filter over word prefixes: each key sets two bits of one 64-bit word, so
/// a look-up is one load. False positives only cost an automaton try, but a try walks an
/// automaton of several hundred kilobytes that is rarely in cache, so two bits: with about
/// 5,000 keys a look-up passes by mistake about 0.2% of the time, against 2% with one bit
/// (on Gutenberg prose: 1,500 mistaken tries per 20 MB instead of 13,000).
struct PrefixSet(Vec<u64>);

impl PrefixSet {
    fn new() -> Self {
        PrefixSet(vec![0; PREFIX_SET_WORDS])
    }

    /// The word and the two bits in it for `key`, from the well-mixed top bits of a
    /// multiplicative hash.
    #[inline]
    fn slot(key: u64) -> (usize, u64) {
        let h = key.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let word = (h >> (64 - PREFIX_SET_WORD_BITS)) as usize;
        let bits = 1 << ((h >> 46) & 63) | 1 << ((h >> 40) & 63);
        (word, bits)
    }

    fn insert(&mut self, key: u64) {
        let (word, bits) = Self::slot(key);
        self.0[word] |= bits;
    }

    #[inline]
    fn contains(&self, key: u64) -> bool {
        let (word, bits) = Self::slot(key);
        self.0[word] & bits == bits
    }
}

/// How a start's letters are keyed (see the module documentation).
#[derive(Clone, Copy)]
enum Case {
    /// Every letter but the first as written: a word with lower-case letters.
    Kept,
    /// All letters lower-cased: a word in capitals.
    Folded,
}

/// Marks that keep the kinds of key apart: the high bits of the second, third and fourth
/// bytes, which no key of ASCII text sets.
const FOLDED_KEY: u64 = 0x80 << 8;
const PHRASE_KEY: u64 = 0x80 << 16;
const TICKER_KEY: u64 = 0x80 << 24;

/// The eight bytes from an ASCII start, with its lower-case letters (the high bit of each
/// byte that is one) and its word.
struct Lanes {
    /// Where the eight bytes start in the text.
    at: usize,
    bytes: u64,
    lower: u64,
    /// The bytes of the start's word: up to its first byte that is not a letter or digit.
    word: u64,
}

impl Lanes {
    fn at(bytes: &[u8], at: usize) -> Lanes {
        let x = load_word(&bytes[at..bytes.len().min(at + 8)]);
        let lower = bytes_between(x, b'a', b'z');
        // Setting the case bit turns capitals into lower-case letters and leaves digits.
        let alnum = bytes_between(x | (LOW_BITS * 0x20), b'a', b'z') | bytes_between(x, b'0', b'9');
        let cut = !alnum & HIGH_BITS;
        let word = match cut {
            0 => u64::MAX,
            _ => (1u64 << (cut.trailing_zeros() & !7)) - 1,
        };
        Lanes {
            at,
            bytes: x,
            lower,
            word,
        }
    }

    /// How text starting here is looked up.
    fn case(&self) -> Case {
        if self.lower & self.word == 0 {
            Case::Folded
        } else {
            Case::Kept
        }
    }

    /// The word key and the phrase key, in `case`.
    fn keys(&self, case: Case) -> (u64, u64) {
        // 0x20 is the ASCII case bit: set on the first byte (a letter or a digit, which has
        // it already), or on every capital (0x80 >> 2).
        let (cased, mark) = match case {
            Case::Kept => (self.bytes | 0x20, 0),
            Case::Folded => (
                self.bytes | (bytes_between(self.bytes, b'A', b'Z') >> 2),
                FOLDED_KEY,
            ),
        };
        // A space after the word opens the next word of a phrase: eight bytes. Any other
        // byte ("A/S", "Coca-Cola", "Sam's") is kept with the word and nothing after it.
        // (Derived from the mask here: keeping the word's end in `Lanes` measured slower.)
        let word_end = self.word.trailing_ones();
        let phrase = match (self.bytes >> (word_end & 63)) as u8 {
            _ if word_end == 64 => u64::MAX,
            b' ' => u64::MAX,
            _ => self.word << 8 | 0xff,
        };
        (
            (cased & self.word) | mark,
            (cased & phrase) | mark | PHRASE_KEY,
        )
    }
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
    /// The keys of every pattern, in both cases.
    keys: PrefixSet,
    wide: Wide,
    skip: Skip,
}

impl StartFilter {
    /// `patterns` are written forms in their own case, each marked when it is a ticker.
    pub(crate) fn new<'a>(patterns: impl IntoIterator<Item = (&'a str, bool)>) -> StartFilter {
        let mut keys = PrefixSet::new();
        let mut skip = Skip { lone_i: true };
        for (pattern, is_ticker) in patterns {
            let bytes = pattern.as_bytes();
            if begins_with_lone_i(bytes) {
                skip.lone_i = false;
            }
            match bytes.first() {
                None => {}
                Some(0x80..) => keys.insert(first_char_key(bytes, 0)),
                // Tickers are written in capitals and count only after a cue.
                Some(_) if is_ticker => {
                    keys.insert(Lanes::at(bytes, 0).keys(Case::Folded).0 | TICKER_KEY);
                }
                Some(_) => {
                    let lanes = Lanes::at(bytes, 0);
                    let by_phrase = keyed_by_phrase(pattern);
                    for case in [Case::Kept, Case::Folded] {
                        let (word, phrase) = lanes.keys(case);
                        keys.insert(if by_phrase { phrase } else { word });
                    }
                }
            }
        }
        StartFilter {
            keys,
            wide: Wide::detect(),
            skip,
        }
    }

    /// The first position at or after `from` where a pattern may start a word.
    pub(crate) fn next_start(&self, text: &str, from: usize) -> Option<usize> {
        #[cfg(target_arch = "x86_64")]
        if self.wide.is_avx2() {
            // SAFETY: a `Wide` is AVX2 only when the processor has AVX2.
            return unsafe { self.next_start_avx2(text, from) };
        }
        self.next_start_with(text, from, self.wide)
    }

    /// [`StartFilter::next_start`] compiled for AVX2, so that the scan inlines into it.
    ///
    /// # Safety
    /// The processor must have AVX2.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    unsafe fn next_start_avx2(&self, text: &str, from: usize) -> Option<usize> {
        // SAFETY: the caller vouches for AVX2.
        self.next_start_with(text, from, unsafe { Wide::avx2_unchecked() })
    }

    #[inline(always)]
    fn next_start_with(&self, text: &str, from: usize, wide: Wide) -> Option<usize> {
        let bytes = text.as_bytes();
        let mut block = from;
        while let Some(chunk) = bytes.get(block..block + BLOCK) {
            let flags = Flags::of(
                chunk.try_into().expect("a block"),
                byte_before(bytes, block),
                wide,
                self.skip,
            );
            if let Some(start) = self.first_start(text, block, flags, from) {
                return Some(start);
            }
            block += BLOCK;
        }
        // The last few bytes, as one more block: passages are short, so this runs for
        // every passage and must not fall back to a slow byte-by-byte path.
        match bytes.len().checked_sub(BLOCK) {
            _ if block >= bytes.len() => None,
            // A block ending at the text's end, less the bytes already scanned.
            Some(last) => {
                let chunk = bytes[last..].try_into().expect("a block");
                let flags = Flags::of(chunk, byte_before(bytes, last), wide, self.skip);
                self.first_start(text, last, flags.starting_at_bit(block - last), from)
            }
            // A text shorter than a block: zero bytes are never flagged.
            None => {
                let mut padded = [0u8; BLOCK];
                padded[..bytes.len() - block].copy_from_slice(&bytes[block..]);
                let flags = Flags::of(&padded, byte_before(bytes, block), wide, self.skip);
                self.first_start(text, block, flags, from)
            }
        }
    }

    /// The first candidate start among the bytes flagged in `flags` (bit `i` for byte
    /// `block + i`).
    #[inline(always)]
    fn first_start(&self, text: &str, block: usize, flags: Flags, from: usize) -> Option<usize> {
        let bytes = text.as_bytes();
        let mut flagged = flags.certain | flags.maybe;
        while flagged != 0 {
            let bit = flagged & flagged.wrapping_neg();
            let i = block + flagged.trailing_zeros() as usize;
            // Nearly every flagged byte certainly starts a word: that case is handled here,
            // inline, and the rest in a call.
            let start = if flags.certain & bit != 0 {
                self.may_start_word(text, &Lanes::at(bytes, i)).then_some(i)
            } else {
                self.start_for(text, i, from)
            };
            if start.is_some() {
                return start;
            }
            flagged ^= bit;
        }
        None
    }

    /// The candidate start that the flagged byte at `i` gives, if any: `i` itself when it
    /// starts a word, or the start of the lower-case word it is inside ("eBay", "a16z").
    #[inline(never)]
    fn start_for(&self, text: &str, i: usize, from: usize) -> Option<usize> {
        let bytes = text.as_bytes();
        if word_starts_at(text, i) {
            return self.may_start(text, i).then_some(i);
        }
        if !matches!(bytes[i], b'A'..=b'Z' | b'0'..=b'9') {
            return None;
        }
        let run = bytes[..i]
            .iter()
            .rev()
            .take(MAX_LOWER_RUN)
            .take_while(|b| b.is_ascii_lowercase())
            .count();
        let start = i - run;
        let found = run > 0
            && start >= from
            && word_starts_at(text, start)
            && self.may_start_in_case(&Lanes::at(bytes, start), Case::Kept);
        found.then_some(start)
    }

    /// Is the flagged byte at `i` a plausible first byte whose word begins some pattern?
    fn may_start(&self, text: &str, i: usize) -> bool {
        let bytes = text.as_bytes();
        match bytes[i] {
            b'A'..=b'Z' | b'0'..=b'9' => self.may_start_word(text, &Lanes::at(bytes, i)),
            0xc0.. => self.keys.contains(first_char_key(bytes, i)),
            _ => false,
        }
    }

    /// Does the word of ASCII capitals or digits whose bytes are `lanes` begin some pattern?
    #[inline(always)]
    fn may_start_word(&self, text: &str, lanes: &Lanes) -> bool {
        let case = lanes.case();
        self.may_start_in_case(lanes, case)
            || matches!(case, Case::Folded)
                && self.keys.contains(lanes.keys(case).0 | TICKER_KEY)
                && after_ticker_cue(text, lanes.at)
    }

    #[inline]
    fn may_start_in_case(&self, lanes: &Lanes, case: Case) -> bool {
        let (word, phrase) = lanes.keys(case);
        self.keys.contains(word) || self.keys.contains(phrase)
    }
}

/// Could a ticker at `at` be in ticker context: after a colon ("NASDAQ: AMZN") or the word
/// ticker or symbol, past spaces and quotes? A superset of the matcher's own check, which
/// has the last word.
fn after_ticker_cue(text: &str, at: usize) -> bool {
    let before = text[..at]
        .trim_end_matches(|c: char| c.is_whitespace() || matches!(c, '"' | '“' | '‘' | '\''));
    let last_word = before.rsplit(|c: char| !c.is_alphanumeric()).next();
    before.ends_with(':')
        || last_word
            .is_some_and(|w| w.eq_ignore_ascii_case("ticker") || w.eq_ignore_ascii_case("symbol"))
}

/// The longest run of lower-case letters before a capital or digit that the filter looks
/// back over ("easyJet").
const MAX_LOWER_RUN: usize = 7;

/// Can the filter find `form`, written with a lower-case first letter, through a capital or
/// digit in its first eight bytes ("eBay", "a16z", "easyJet")? The rest ("plc", "adidas")
/// need the matcher's separate search.
pub(crate) fn found_from_inside(form: &str) -> bool {
    let bytes = form.as_bytes();
    let run = bytes.iter().take_while(|b| b.is_ascii_lowercase()).count();
    (1..=MAX_LOWER_RUN).contains(&run)
        && bytes
            .get(run)
            .is_some_and(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

/// Is the first word of `pattern`, as the keys cut it, the one letter I (in either case)?
fn begins_with_lone_i(pattern: &[u8]) -> bool {
    matches!(pattern.first(), Some(b'I' | b'i'))
        && pattern.get(1).is_none_or(|b| !b.is_ascii_alphanumeric())
}

/// Is `pattern` keyed by its phrase key rather than its first word: a name of several words
/// at least eight bytes long ("The Boring Company"), or one whose first word is followed by
/// a mark other than a space ("A/S", "Coca-Cola", "Sam's Club")?
fn keyed_by_phrase(pattern: &str) -> bool {
    let first_word_end = pattern.bytes().position(|b| !b.is_ascii_alphanumeric());
    first_word_end.is_some_and(|end| pattern.as_bytes()[end] != b' ' || pattern.len() >= 8)
}

/// The byte before `at`, as the scan judges it: a space at the text's start.
#[inline(always)]
fn byte_before(bytes: &[u8], at: usize) -> u8 {
    at.checked_sub(1).map_or(b' ', |before| bytes[before])
}

/// Is the character before `at` part of a word? Decodes UTF-8 only when it has to.
#[inline]
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
#[inline]
fn word_starts_at(text: &str, at: usize) -> bool {
    text.is_char_boundary(at) && !is_word_before(text, at)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names<const N: usize>(list: [&str; N]) -> StartFilter {
        StartFilter::new(list.map(|name| (name, false)))
    }

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
        let filter = names(["Amazon", "AWS", "F", "Össur"]);
        assert_eq!(starts(&filter, "an Amazon plc play AMAZON"), [3, 19]);
        assert_eq!(starts(&filter, "Flamazon “Amazon” Össur F."), [12, 22, 29]);
        let long = "lower case words only here, then Amazon and 1 F";
        assert_eq!(starts(&filter, long), [33, 46]);
        // Dense starts: 32 in a block, over several blocks and the last bytes.
        let dense = "F ".repeat(100);
        assert_eq!(
            starts(&filter, &dense),
            (0..200).step_by(2).collect::<Vec<_>>()
        );
    }

    #[test]
    fn a_mixed_case_word_must_keep_the_pattern_case() {
        let filter = names(["AWS", "IT", "eBay", "McDonald’s"]);
        assert_eq!(starts(&filter, "Aws It AWS’s IT"), [7, 15]);
        assert_eq!(starts(&filter, "EBay eBay EBAY Ebay"), [0, 5, 10]);
        assert_eq!(starts(&filter, "McDonald’s Mcdonald MCDONALD"), [0, 22]);
    }

    #[test]
    fn tickers_are_tried_only_after_a_cue() {
        let filter = StartFilter::new([("AMZN", true), ("A", true)]);
        let text = "AMZN rose; NASDAQ: AMZN and ticker “AMZN” or A";
        assert_eq!(starts(&filter, text), [19, 38]);
    }

    #[test]
    fn lower_case_names_are_found_through_a_capital_inside() {
        let filter = names(["eBay", "a16z", "easyJet"]);
        let text = "on eBay, at a16z and easyJet; not ebay, McDonald or xeBay";
        assert_eq!(starts(&filter, text), [3, 12, 21]);
        assert!(found_from_inside("eBay") && found_from_inside("easyJet"));
        assert!(!found_from_inside("plc") && !found_from_inside("adidas"));
        assert!(!found_from_inside("monday.com") && !found_from_inside("abcdefghIJ"));
    }

    #[test]
    fn a_long_name_of_several_words_needs_its_second_word() {
        let filter = names(["The Boring Company", "LG Chem", "Coca-Cola"]);
        let text = "The man. The Boring Company’s THE BORING COMPANY The boring";
        assert_eq!(starts(&filter, text), [9, 32]);
        // Short names ("LG Chem") keep their first word.
        assert_eq!(starts(&filter, "LG said, Coca said"), [0]);
    }

    #[test]
    fn a_name_whose_first_word_ends_in_a_mark_needs_the_mark() {
        let filter = names(["A/S", "Coca-Cola", "Sam’s Club", "Nestlé", "Amazon"]);
        let text = "A man, Coca said, Sam sang; Nestle. Amazon. Amazon’s";
        assert_eq!(starts(&filter, text), [36, 44]);
        let text = "Orsted A/S, Coca-Cola, COCA-COLA, Sam’s Club, Nestlé";
        assert_eq!(starts(&filter, text), [7, 12, 23, 34, 48]);
    }

    /// The first start at or after `from` by the filter's slow checks alone, byte by byte:
    /// what the scan must agree with, since its flags may only skip bytes those checks reject.
    fn reference_next(filter: &StartFilter, text: &str, from: usize) -> Option<usize> {
        let skipped = |i: usize| filter.skip.lone_i && is_lone_i(text.as_bytes(), i);
        (from..text.len())
            .filter(|&i| !skipped(i))
            .find_map(|i| filter.start_for(text, i, from))
    }

    fn is_lone_i(bytes: &[u8], i: usize) -> bool {
        let outside = |b: Option<&u8>| b.is_none_or(|b| !b.is_ascii_alphanumeric());
        bytes[i] == b'I'
            && outside(i.checked_sub(1).map(|b| &bytes[b]))
            && outside(bytes.get(i + 1))
    }

    #[test]
    fn the_word_i_is_tried_only_when_a_pattern_begins_with_it() {
        let text = "I said: I’m Iris. II, I.";
        assert_eq!(starts(&names(["Iris", "II"]), text), [14, 20]);
        assert_eq!(starts(&names(["Iris", "I"]), text), [0, 8, 14, 24]);
        assert_eq!(starts(&names(["Iris", "i"]), text), [0, 8, 14, 24]);
        assert!(names(["Iris", "II", "iFlytek"]).skip.lone_i);
        assert!(!names(["I Squared"]).skip.lone_i && !names(["I-Mab"]).skip.lone_i);
    }

    #[test]
    fn the_scan_skips_only_bytes_the_checks_reject() {
        let filter = StartFilter::new([
            ("Amazon", false),
            ("AWS", false),
            ("eBay", false),
            ("a16z", false),
            ("Össur", false),
            ("3M", false),
            ("The Boring Company", false),
            ("AMZN", true),
        ]);
        #[rustfmt::skip]
        const PIECES: &[&str] = &[
            "Amazon", "AWS", "eBay", "a16z", "Össur", "3M", "The Boring Company", "AMZN", "“",
            "”", " ", " ", "; ", "é", "A", "x", "It", "IT", "9", "NASDAQ: ", "\n", "’s", "—",
            "\u{a0}", "日本", "CHAPTER", "xAmazon", "AmazonAWS", "I", "I",
        ];
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = move |below: usize| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % below as u64) as usize
        };
        for _ in 0..3_000 {
            let text: String = (0..next(80)).map(|_| PIECES[next(PIECES.len())]).collect();
            for from in 0..=text.len() {
                let want = reference_next(&filter, &text, from);
                assert_eq!(filter.next_start(&text, from), want, "{text:?} from {from}");
            }
        }
    }

    #[test]
    fn keys_cut_at_word_ends() {
        let key = |s: &str| {
            let lanes = Lanes::at(s.as_bytes(), 0);
            lanes.keys(lanes.case()).0
        };
        assert_eq!(key("AWS’s"), key("AWS"));
        assert_eq!(key("AWS's deal"), key("AWS"));
        assert_ne!(key("Aws"), key("AWS"));
        assert_ne!(key("John"), key("Johnson"));
        assert_eq!(key("Johnsonville"), key("Johnsonv"));
        assert_eq!(key("Nestlé"), key("Nestl"));
        assert_eq!(key("NESTLÉ"), key("NESTL"));
        assert_eq!(
            first_char_key("Össur".as_bytes(), 0),
            first_char_key("Ö".as_bytes(), 0)
        );
    }
}
