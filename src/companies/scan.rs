//! The byte scan under the start filter (`starts.rs`): which bytes of a 64-byte block may
//! begin a name, as one bit per byte (byte `i` to bit `i`), computed sixteen or thirty-two
//! bytes at a time.
//!
//! A byte is flagged only where a word can start or where a name written with a lower-case
//! first letter can show its first capital ("eBay"), judged by the byte before it, so that
//! capitals inside words in capitals ("CHAPTER"), digits inside numbers and punctuation
//! (";", "?") never reach the per-start checks: on Gutenberg prose that is about 130,000
//! fewer flagged bytes per 20 MB, out of 590,000. The flags come in two kinds:
//! - `certain`: a capital or digit after an ASCII byte that is neither a letter nor a digit
//!   (or at the text's start). Such a byte surely starts a word, so the filter looks its word
//!   up at once. Nine flagged bytes in ten are of this kind.
//! - `maybe`: a capital or digit after a lower-case ASCII letter ("eBay"), or after a byte of
//!   a multi-byte character (“Amazon”, where the quote may or may not be punctuation), and a
//!   lead byte of a character that may be a letter ("Össur"), not after an ASCII letter or
//!   digit. These need the slower checks of `StartFilter::start_for`.
//!
//! The flags are a superset of the bytes those checks accept, which the tests hold against a
//! byte-by-byte reference. The one exception is deliberate and depends on the gazetteer: the
//! word "I", left out when no pattern begins with it ([`Skip`]).

/// Bytes per block.
pub(super) const BLOCK: usize = 64;

/// Flagged bytes of one block (see the module documentation).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Flags {
    pub(super) certain: u64,
    pub(super) maybe: u64,
}

impl Flags {
    /// The flags of `block`, where `before` is the byte just before it (a space at the
    /// text's start), less the words `skip` leaves out.
    #[inline(always)]
    pub(super) fn of(block: &[u8; BLOCK], before: u8, wide: Wide, skip: Skip) -> Flags {
        Classes::of(block, wide).flags(before, skip.lone_i)
    }

    /// The flags from bit `from` on.
    pub(super) fn starting_at_bit(self, from: usize) -> Flags {
        let keep = u64::MAX.checked_shl(from as u32).unwrap_or(0);
        Flags {
            certain: self.certain & keep,
            maybe: self.maybe & keep,
        }
    }
}

/// Words the scan leaves unflagged because no pattern of the gazetteer can start with them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct Skip {
    /// The word "I" (a capital I that neither follows nor precedes an ASCII letter or
    /// digit): the pronoun is one capitalised word start in six in English prose (72,577 of
    /// 458,256 per 20 MB of the Gutenberg sample), and no built-in name begins with it.
    pub(super) lone_i: bool,
}

/// Which vector instructions the scan may use, chosen once when the filter is built.
///
/// A capability, not a choice: the wide value can only be made by CPU detection
/// ([`Wide::avx2`], [`Wide::detect`]) or by `unsafe` code that vouches for the processor
/// ([`Wide::avx2_unchecked`]), so the safe [`Flags::of`] may run AVX2 instructions for it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Wide(Width);

/// The widths, private so that only this module makes a [`Wide`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Width {
    /// Sixteen bytes at a time: SSE2 on x86_64 (always there), eight-byte words elsewhere.
    Narrow,
    /// Thirty-two bytes at a time: AVX2.
    Avx2,
}

impl Wide {
    /// Sixteen bytes at a time, on every processor.
    pub(super) const NARROW: Wide = Wide(Width::Narrow);

    /// Thirty-two bytes at a time, when the processor has AVX2; `None` otherwise.
    pub(super) fn avx2() -> Option<Wide> {
        #[cfg(target_arch = "x86_64")]
        if std::is_x86_feature_detected!("avx2") {
            return Some(Wide(Width::Avx2));
        }
        None
    }

    /// The AVX2 width without asking the processor, for code compiled for AVX2 that needs
    /// the width as a constant.
    ///
    /// # Safety
    /// The processor must have AVX2.
    #[cfg_attr(not(target_arch = "x86_64"), allow(dead_code))]
    pub(super) const unsafe fn avx2_unchecked() -> Wide {
        Wide(Width::Avx2)
    }

    /// Whether this is the AVX2 width (and so the processor has AVX2).
    #[cfg_attr(not(target_arch = "x86_64"), allow(dead_code))]
    pub(super) fn is_avx2(self) -> bool {
        self.0 == Width::Avx2
    }

    /// The widest scan this processor runs. Tests may narrow it for their thread to another
    /// supported width ([`tests::with_each_width`]), so that every width runs end to end.
    pub(super) fn detect() -> Wide {
        #[cfg(test)]
        if let Some(wide) = tests::FORCED.with(std::cell::Cell::get) {
            return wide;
        }
        Wide::avx2().unwrap_or(Wide::NARROW)
    }

    /// Every width this processor runs, narrowest first.
    #[cfg(test)]
    pub(super) fn supported() -> impl Iterator<Item = Wide> {
        std::iter::once(Wide::NARROW).chain(Wide::avx2())
    }
}

/// The classes of a block's bytes, one bit per byte.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Classes {
    /// `A-Z` and `0-9`.
    capital_or_digit: u64,
    /// `a-z`.
    lower: u64,
    /// Bytes of multi-byte characters (0x80 and up).
    high: u64,
    /// Lead bytes of characters that may be letters: 0xc3 and up, but not 0xe2. Lead byte
    /// 0xc2 (U+0080 to U+00BF: no-break space, «, ©) and 0xe2 (U+2000 to U+2FFF:
    /// typographic quotes, dashes, symbols) start no letter and are frequent.
    letter_lead: u64,
    /// `I`.
    capital_i: u64,
}

impl Classes {
    #[inline(always)]
    fn of(block: &[u8; BLOCK], wide: Wide) -> Classes {
        #[cfg(target_arch = "x86_64")]
        match wide.0 {
            // SAFETY: a `Wide` of `Width::Avx2` is only made when the processor has AVX2.
            Width::Avx2 => unsafe { x86::classes_avx2(block) },
            Width::Narrow => x86::classes_sse2(block),
        }
        #[cfg(not(target_arch = "x86_64"))]
        {
            let _ = wide;
            Classes::portable(block)
        }
    }

    /// Eight bytes at a time in ordinary registers: used off x86_64, and as the reference the
    /// vector versions are tested against.
    #[cfg_attr(target_arch = "x86_64", allow(dead_code))]
    fn portable(block: &[u8; BLOCK]) -> Classes {
        let mut classes = Classes::default();
        for (i, word) in block.chunks_exact(8).enumerate() {
            let x = u64::from_le_bytes(word.try_into().expect("eight bytes"));
            let low7 = x & !HIGH_BITS;
            let capital_or_digit = bytes_between(x, b'A', b'Z') | bytes_between(x, b'0', b'9');
            let letter_lead = (bytes_between(low7, 0xc3 - 0x80, 0xe1 - 0x80)
                | bytes_between(low7, 0xe3 - 0x80, 0x7f))
                & x;
            let shift = 8 * i;
            classes.capital_or_digit |= u64::from(byte_bits(capital_or_digit)) << shift;
            classes.lower |= u64::from(byte_bits(bytes_between(x, b'a', b'z'))) << shift;
            classes.high |= u64::from(byte_bits(x & HIGH_BITS)) << shift;
            classes.letter_lead |= u64::from(byte_bits(letter_lead)) << shift;
            classes.capital_i |= u64::from(byte_bits(bytes_between(x, b'I', b'I'))) << shift;
        }
        classes
    }

    /// Adds the masks of the part of the block from byte `at`, in the order of the fields.
    #[inline(always)]
    fn add_part(&mut self, at: usize, masks: [u64; 5]) {
        let [capital_or_digit, lower, high, letter_lead, capital_i] = masks;
        self.capital_or_digit |= capital_or_digit << at;
        self.lower |= lower << at;
        self.high |= high << at;
        self.letter_lead |= letter_lead << at;
        self.capital_i |= capital_i << at;
    }

    /// Judges each byte by the one before it: bit `i` of `x << 1`, with `before` shifted in,
    /// is the class of byte `i - 1`. With `skip_lone_i`, the word "I" is not flagged.
    #[inline(always)]
    fn flags(self, before: u8, skip_lone_i: bool) -> Flags {
        let alnum = self.capital_or_digit | self.lower;
        let prev_alnum = alnum << 1 | u64::from(before.is_ascii_alphanumeric());
        let prev_lower = self.lower << 1 | u64::from(before.is_ascii_lowercase());
        let prev_high = self.high << 1 | u64::from(before >= 0x80);
        // The byte after the block's last is not known here: taken as a letter, so that an
        // "I" there is kept.
        let next_alnum = alnum >> 1 | 1 << (BLOCK - 1);
        let lone_i = self.capital_i & !next_alnum & u64::from(skip_lone_i).wrapping_neg();
        Flags {
            certain: self.capital_or_digit & !(prev_alnum | prev_high | lone_i),
            maybe: self.capital_or_digit & (prev_lower | prev_high)
                | self.letter_lead & !prev_alnum,
        }
    }
}

#[cfg(target_arch = "x86_64")]
mod x86 {
    use std::arch::x86_64::{
        __m128i, __m256i, _mm256_add_epi8, _mm256_and_si256, _mm256_andnot_si256,
        _mm256_cmpeq_epi8, _mm256_cmpgt_epi8, _mm256_loadu_si256, _mm256_movemask_epi8,
        _mm256_or_si256, _mm256_set1_epi8, _mm256_setzero_si256, _mm_add_epi8, _mm_and_si128,
        _mm_andnot_si128, _mm_cmpeq_epi8, _mm_cmpgt_epi8, _mm_loadu_si128, _mm_movemask_epi8,
        _mm_or_si128, _mm_set1_epi8, _mm_setzero_si128,
    };

    use super::{Classes, BLOCK};

    /// The signed bias that turns "`lo <= b <= hi`" into one signed comparison: `b + bias`
    /// wraps so that the range lands at the bottom of the signed bytes.
    const fn bias(lo: u8) -> i8 {
        0x80u8.wrapping_sub(lo) as i8
    }

    /// The signed bound under which a biased byte is in `lo..=hi`.
    const fn bound(lo: u8, hi: u8) -> i8 {
        (0x80u8.wrapping_add(hi - lo + 1)) as i8
    }

    /// Bytes of `v` in `lo..=hi`: all ones where they are, zero elsewhere.
    #[inline(always)]
    fn within_sse2(v: __m128i, lo: u8, hi: u8) -> __m128i {
        // SAFETY: SSE2 is part of the x86_64 baseline.
        unsafe {
            let biased = _mm_add_epi8(v, _mm_set1_epi8(bias(lo)));
            _mm_cmpgt_epi8(_mm_set1_epi8(bound(lo, hi)), biased)
        }
    }

    /// [`within_sse2`] for thirty-two bytes.
    ///
    /// # Safety
    /// The processor must have AVX2.
    #[inline]
    #[target_feature(enable = "avx2")]
    unsafe fn within_avx2(v: __m256i, lo: u8, hi: u8) -> __m256i {
        let biased = _mm256_add_epi8(v, _mm256_set1_epi8(bias(lo)));
        _mm256_cmpgt_epi8(_mm256_set1_epi8(bound(lo, hi)), biased)
    }

    /// Sixteen bytes at a time with SSE2, part of the x86_64 baseline.
    pub(super) fn classes_sse2(block: &[u8; BLOCK]) -> Classes {
        let mut classes = Classes::default();
        for (i, part) in block.chunks_exact(16).enumerate() {
            // SAFETY: SSE2 is part of the x86_64 baseline, so these instructions always
            // exist; the load is unaligned and reads exactly the sixteen bytes of `part`.
            let masks = unsafe {
                let v = _mm_loadu_si128(part.as_ptr().cast::<__m128i>());
                let within = |lo, hi| within_sse2(v, lo, hi);
                let capital_or_digit = _mm_or_si128(within(b'A', b'Z'), within(b'0', b'9'));
                // Lead bytes 0xc3..=0xff are -61..=-1 as signed bytes; 0xe2 is left out.
                let letter_lead = _mm_andnot_si128(
                    _mm_cmpeq_epi8(v, _mm_set1_epi8(0xe2u8 as i8)),
                    _mm_and_si128(
                        _mm_cmpgt_epi8(v, _mm_set1_epi8(0xc2u8 as i8)),
                        _mm_cmpgt_epi8(_mm_setzero_si128(), v),
                    ),
                );
                [
                    _mm_movemask_epi8(capital_or_digit),
                    _mm_movemask_epi8(within(b'a', b'z')),
                    _mm_movemask_epi8(v),
                    _mm_movemask_epi8(letter_lead),
                    _mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(b'I' as i8))),
                ]
                .map(|m| u64::from(m as u32 as u16))
            };
            classes.add_part(16 * i, masks);
        }
        classes
    }

    // Not merged with classes_sse2: a macro hides its intrinsics, a generic may not inline them.
    /// Thirty-two bytes at a time with AVX2.
    ///
    /// # Safety
    /// The processor must have AVX2.
    #[inline]
    #[target_feature(enable = "avx2")]
    pub(super) unsafe fn classes_avx2(block: &[u8; BLOCK]) -> Classes {
        let mut classes = Classes::default();
        for (i, part) in block.chunks_exact(32).enumerate() {
            // SAFETY: the caller vouches for AVX2; the load is unaligned and reads exactly
            // the thirty-two bytes of `part`.
            let masks = unsafe {
                let v = _mm256_loadu_si256(part.as_ptr().cast::<__m256i>());
                // No closure here: before Rust 1.86 closures did not inherit AVX2.
                let capital_or_digit =
                    _mm256_or_si256(within_avx2(v, b'A', b'Z'), within_avx2(v, b'0', b'9'));
                let letter_lead = _mm256_andnot_si256(
                    _mm256_cmpeq_epi8(v, _mm256_set1_epi8(0xe2u8 as i8)),
                    _mm256_and_si256(
                        _mm256_cmpgt_epi8(v, _mm256_set1_epi8(0xc2u8 as i8)),
                        _mm256_cmpgt_epi8(_mm256_setzero_si256(), v),
                    ),
                );
                [
                    _mm256_movemask_epi8(capital_or_digit),
                    _mm256_movemask_epi8(within_avx2(v, b'a', b'z')),
                    _mm256_movemask_epi8(v),
                    _mm256_movemask_epi8(letter_lead),
                    _mm256_movemask_epi8(_mm256_cmpeq_epi8(v, _mm256_set1_epi8(b'I' as i8))),
                ]
                .map(|m| u64::from(m as u32))
            };
            classes.add_part(32 * i, masks);
        }
        classes
    }
}

/// The high bit of each byte of `high_bits` as one bit per byte (byte `i` to bit `i`), as
/// SSE2's movemask gives it.
#[cfg_attr(target_arch = "x86_64", allow(dead_code))]
fn byte_bits(high_bits: u64) -> u32 {
    (((high_bits >> 7) & LOW_BITS).wrapping_mul(0x0102_0408_1020_4080) >> 56) as u32
}

pub(super) const LOW_BITS: u64 = 0x0101_0101_0101_0101;
pub(super) const HIGH_BITS: u64 = 0x8080_8080_8080_8080;

/// High bit set in each byte `b` of `x` with `lo <= b <= hi` (both below 0x80). Exact per
/// byte: no carry or borrow crosses a byte boundary.
pub(super) fn bytes_between(x: u64, lo: u8, hi: u8) -> u64 {
    let low7 = x & (LOW_BITS * 0x7f);
    let below_top = LOW_BITS * (127 + u64::from(hi) + 1) - low7;
    let above_bottom = low7 + LOW_BITS * (127 - (u64::from(lo) - 1));
    below_top & !x & above_bottom & HIGH_BITS
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use std::cell::Cell;

    thread_local! {
        /// The width [`Wide::detect`] answers on this thread, set by [`with_each_width`].
        pub(super) static FORCED: Cell<Option<Wide>> = const { Cell::new(None) };
    }

    /// Runs `run` once for each width the processor supports, with detection on this thread
    /// answering that width, so that whatever `run` builds (a filter, a tagger) scans with it.
    pub(crate) fn with_each_width<R>(run: impl Fn() -> R) -> Vec<(Wide, R)> {
        let results = Wide::supported()
            .map(|wide| {
                FORCED.with(|forced| forced.set(Some(wide)));
                (wide, run())
            })
            .collect();
        FORCED.with(|forced| forced.set(None));
        results
    }

    /// Blocks of every byte value, not only text (xorshift).
    fn random_blocks(count: usize) -> impl Iterator<Item = [u8; BLOCK]> {
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        (0..count).map(move |_| {
            let mut block = [0u8; BLOCK];
            for byte in &mut block {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                *byte = state as u8;
            }
            block
        })
    }

    /// One byte's classes, by the plain definitions.
    fn classes_of_byte(b: u8) -> [bool; 5] {
        [
            b.is_ascii_uppercase() || b.is_ascii_digit(),
            b.is_ascii_lowercase(),
            b >= 0x80,
            b >= 0xc3 && b != 0xe2,
            b == b'I',
        ]
    }

    #[test]
    fn portable_classes_follow_the_definitions() {
        for block in random_blocks(2_000) {
            let classes = Classes::portable(&block);
            for (i, &b) in block.iter().enumerate() {
                let bit = |mask: u64| mask >> i & 1 == 1;
                let got = [
                    bit(classes.capital_or_digit),
                    bit(classes.lower),
                    bit(classes.high),
                    bit(classes.letter_lead),
                    bit(classes.capital_i),
                ];
                assert_eq!(got, classes_of_byte(b), "byte {b:#x}");
            }
        }
    }

    #[test]
    fn every_supported_width_agrees_with_the_portable_classes() {
        for block in random_blocks(20_000) {
            let portable = Classes::portable(&block);
            for wide in Wide::supported() {
                assert_eq!(Classes::of(&block, wide), portable, "{wide:?}");
            }
        }
    }

    #[test]
    fn every_supported_width_tags_the_corpus_alike() {
        let texts: Vec<String> =
            walkdir::WalkDir::new(concat!(env!("CARGO_MANIFEST_DIR"), "/corpus"))
                .into_iter()
                .filter_map(Result::ok)
                .filter(|entry| entry.file_type().is_file())
                .filter_map(|entry| std::fs::read_to_string(entry.path()).ok())
                .collect();
        assert!(!texts.is_empty());
        let tags = with_each_width(|| {
            let tagger = crate::companies::Tagger::new(crate::companies::Gazetteer::builtin());
            texts
                .iter()
                .map(|text| tagger.article(&[]).tag(text))
                .collect::<Vec<_>>()
        });
        let (narrow, first) = &tags[0];
        assert_eq!(*narrow, Wide::NARROW);
        assert!(first.iter().any(|found| !found.is_empty()));
        for (wide, found) in &tags[1..] {
            assert_eq!(found, first, "{wide:?}");
        }
    }

    #[test]
    fn flags_judge_each_byte_by_the_one_before() {
        for wide in Wide::supported() {
            let mut block = [b' '; BLOCK];
            let text = b"The CAT; eBay a16z \xe2\x80\x9cAmazon \xc3\x96ssur x\xc3\xa9 9 ";
            block[..text.len()].copy_from_slice(text);
            let flags = Flags::of(&block, b' ', wide, Skip::default());
            let bits = |mask: u64| {
                (0..BLOCK)
                    .filter(|i| mask >> i & 1 == 1)
                    .collect::<Vec<_>>()
            };
            // "T", "C", "9": word starts; "B" in eBay, "1" in a16z, "A" after the quote and the
            // lead byte of "Ö" need a closer look; "AT", "6" and the "é" after "x" do not.
            assert_eq!(bits(flags.certain), [0, 4, 40]);
            assert_eq!(bits(flags.maybe), [10, 15, 22, 29]);
            let after_letter = Flags::of(&block, b'x', wide, Skip::default());
            assert_eq!(bits(after_letter.certain), [4, 40]);
            assert_eq!(flags.starting_at_bit(5).certain, 1 << 40);
            assert_eq!(
                flags.starting_at_bit(64),
                Flags {
                    certain: 0,
                    maybe: 0
                }
            );
        }
    }

    #[test]
    fn the_word_i_can_be_left_unflagged() {
        for wide in Wide::supported() {
            let mut block = [b' '; BLOCK];
            let text = b"I said I\xe2\x80\x99m II. I";
            block[..text.len()].copy_from_slice(text);
            block[BLOCK - 1] = b'I';
            let bits = |skip| {
                let flags = Flags::of(&block, b' ', wide, skip);
                (0..BLOCK)
                    .filter(|i| flags.certain >> i & 1 == 1)
                    .collect::<Vec<_>>()
            };
            assert_eq!(bits(Skip::default()), [0, 7, 13, 17, BLOCK - 1]);
            // The last byte's follower is in the next block: kept.
            assert_eq!(bits(Skip { lone_i: true }), [13, BLOCK - 1]);
        }
    }

    #[test]
    fn bytes_between_is_exact_per_byte() {
        let x = u64::from_le_bytes(*b"aZ0@[9z\x80");
        assert_eq!(bytes_between(x, b'A', b'Z'), 0x80 << 8);
    }
}
