//! Splitting of normalised paragraphs that are too long to return whole: whole sentences
//! (UAX #29, corrected for abbreviations and initials) packed greedily up to `max_chars`;
//! a sentence above `hard_max_chars` is cut at word boundaries, a word at grapheme boundaries.
//! Hands `mod.rs` byte ranges of the normalised text, one per passage.

use std::ops::Range;

use unicode_segmentation::UnicodeSegmentation;

/// A piece shorter than this many characters is merged into a neighbour.
const MIN_FRAGMENT_CHARS: usize = 20;

/// Abbreviations after which UAX #29 would wrongly end a sentence (matched case-sensitively on
/// the last word, so a sentence ending in lower-case "no." still ends).
const ABBREVIATIONS: [&str; 58] = [
    "Inc.", "Corp.", "Co.", "Ltd.", "Bros.", "Dept.", "Univ.", "Assn.", "Dr.", "Mr.", "Mrs.",
    "Ms.", "Jr.", "Sr.", "Prof.", "Gen.", "Gov.", "Sen.", "Rep.", "Sgt.", "Capt.", "Lt.", "Col.",
    "Rev.", "Hon.", "St.", "Mt.", "Ft.", "Ave.", "No.", "Nos.", "vs.", "e.g.", "i.e.", "cf.",
    "al.", "approx.", "est.", "fig.", "Fig.", "Jan.", "Feb.", "Mar.", "Apr.", "Jun.", "Jul.",
    "Aug.", "Sep.", "Sept.", "Oct.", "Nov.", "Dec.", "Mon.", "Tue.", "Wed.", "Thu.", "Fri.",
    "Sat.",
];

/// Splits `text` into trimmed byte ranges of at most `max_chars` characters each, except
/// whole sentences of up to `hard_max_chars`; never returns a range over `hard_max_chars`.
pub(crate) fn split(text: &str, max_chars: usize, hard_max_chars: usize) -> Vec<Range<usize>> {
    let mut atoms = Vec::new();
    for sentence in sentences(text) {
        if char_len(text, &sentence) > hard_max_chars {
            atoms.extend(split_words(text, sentence, max_chars));
        } else {
            atoms.push(sentence);
        }
    }
    let chunks = pack(text, atoms, max_chars);
    merge_fragments(text, chunks, hard_max_chars)
}

fn char_len(text: &str, range: &Range<usize>) -> usize {
    text[range.clone()].chars().count()
}

/// `range` without the spaces at either end; `None` when nothing is left.
fn trimmed(text: &str, range: Range<usize>) -> Option<Range<usize>> {
    let piece = &text[range.clone()];
    let start = range.start + (piece.len() - piece.trim_start().len());
    let end = range.start + piece.trim_end().len();
    (start < end).then_some(start..end)
}

/// UAX #29 sentences, re-joined where a boundary follows an abbreviation or an initial.
fn sentences(text: &str) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::new();
    let mut open: Option<Range<usize>> = None;
    let mut start = 0;
    for end in sentence_starts(text).into_iter().chain([text.len()]) {
        let merged = match open.take() {
            Some(previous) => previous.start..end,
            None => start..end,
        };
        start = end;
        if end < text.len() && ends_with_abbreviation(text[merged.clone()].trim_end()) {
            open = Some(merged);
        } else {
            out.extend(trimmed(text, merged));
        }
    }
    out
}

/// Byte offsets (after 0) where UAX #29 starts a sentence.
///
/// Running the UAX #29 automaton over a whole paragraph is the segmenter's most expensive
/// step, so for text whose only sentence terminators are ASCII `.`, `!`, `?` (checked by
/// [`ascii_terminators_only`]) it runs only on a small window around each terminator: the
/// sentence rules look back one character before the terminator and ahead through closing
/// punctuation and spaces to the next letter, which the window covers.
fn sentence_starts(text: &str) -> Vec<usize> {
    if !ascii_terminators_only(text) {
        return text
            .split_sentence_bound_indices()
            .map(|(start, _)| start)
            .filter(|&start| start > 0)
            .collect();
    }
    let bytes = text.as_bytes();
    let mut starts = Vec::new();
    let mut from = 0;
    while let Some(found) = bytes[from..]
        .iter()
        .position(|b| matches!(b, b'.' | b'!' | b'?'))
    {
        let terminator = from + found;
        let candidate = after_terminator_run(text, terminator);
        from = candidate.max(terminator + 1);
        if candidate >= text.len() {
            break;
        }
        if starts_sentence_locally(text, terminator, candidate) {
            starts.push(candidate);
        }
    }
    starts
}

/// Bytes of lookahead after a candidate boundary, enough to reach the next letter.
const LOOKAHEAD_BYTES: usize = 48;
/// Bytes kept before a terminator: the rules look at one character before it.
const LOOKBEHIND_BYTES: usize = 8;

/// True when UAX #29, run on a window around `terminator`, starts a sentence at `candidate`.
fn starts_sentence_locally(text: &str, terminator: usize, candidate: usize) -> bool {
    let mut from = terminator.saturating_sub(LOOKBEHIND_BYTES);
    while !text.is_char_boundary(from) {
        from -= 1;
    }
    let mut to = (candidate + LOOKAHEAD_BYTES).min(text.len());
    while !text.is_char_boundary(to) {
        to += 1;
    }
    text[from..to]
        .split_sentence_bound_indices()
        .any(|(start, _)| from + start == candidate)
}

/// The end of `.!?` and closing punctuation, then spaces, after the terminator at `at`.
fn after_terminator_run(text: &str, at: usize) -> usize {
    let rest = &text[at..];
    let closed = rest.trim_start_matches(|c: char| matches!(c, '.' | '!' | '?') || is_close(c));
    let spaced = closed.trim_start_matches(' ');
    text.len() - spaced.len()
}

/// UAX #29 `Close` characters of the scripts the fast path accepts.
fn is_close(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '(' | ')' | '[' | ']' | '{' | '}' | '«' | '»' | '\u{2018}'
            ..='\u{201F}' | '‹' | '›' | '⁅' | '⁆'
    )
}

/// True when every character is ASCII, Latin-1 or Latin Extended, or general punctuation,
/// except the few of those blocks that end sentences or paragraphs (`‼ ‽ ⁇ ⁈ ⁉ ․`, NEL,
/// line and paragraph separators).
fn ascii_terminators_only(text: &str) -> bool {
    text.is_ascii()
        || text.chars().all(|c| {
            (c as u32) < 0x85
                || matches!(c, '\u{86}'..='\u{24F}' | '\u{2000}'..='\u{206F}')
                    && !matches!(
                        c,
                        '\u{2024}' | '\u{2028}' | '\u{2029}' | '\u{203C}' | '\u{203D}' | '\u{2047}'
                            ..='\u{2049}'
                    )
        })
}

fn ends_with_abbreviation(sentence: &str) -> bool {
    let word = sentence.rsplit(' ').next().unwrap_or(sentence);
    let word = word.trim_start_matches(['(', '"', '\'', '“', '‘', '[']);
    ABBREVIATIONS.contains(&word) || is_initials(word)
}

/// `J.`, `U.S.`, `e.g.`-like words: letters each followed by a period, upper-case when single.
fn is_initials(word: &str) -> bool {
    let chars: Vec<char> = word.chars().collect();
    if chars.is_empty() || chars.len() % 2 != 0 {
        return false;
    }
    let shaped = chars
        .chunks(2)
        .all(|pair| pair[0].is_alphabetic() && pair[1] == '.');
    shaped && (chars.len() > 2 || chars[0].is_uppercase())
}

/// Greedily packs consecutive atoms into chunks of at most `max_chars`.
fn pack(text: &str, atoms: Vec<Range<usize>>, max_chars: usize) -> Vec<Range<usize>> {
    let mut chunks: Vec<Range<usize>> = Vec::new();
    let mut current: Option<(Range<usize>, usize)> = None;
    for atom in atoms {
        let atom_chars = char_len(text, &atom);
        current = Some(match current.take() {
            Some((open, chars)) => {
                let joined = chars + char_len(text, &(open.end..atom.start)) + atom_chars;
                if joined <= max_chars {
                    (open.start..atom.end, joined)
                } else {
                    chunks.push(open);
                    (atom, atom_chars)
                }
            }
            None => (atom, atom_chars),
        });
    }
    chunks.extend(current.map(|(range, _)| range));
    chunks
}

/// Merges every chunk under [`MIN_FRAGMENT_CHARS`] into its previous (else next) neighbour,
/// when the union stays within `hard_max_chars`.
fn merge_fragments(
    text: &str,
    chunks: Vec<Range<usize>>,
    hard_max_chars: usize,
) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::with_capacity(chunks.len());
    let mut carry: Option<Range<usize>> = None;
    for chunk in chunks {
        let chunk = match carry.take() {
            Some(fragment) => fragment.start..chunk.end,
            None => chunk,
        };
        if char_len(text, &chunk) >= MIN_FRAGMENT_CHARS {
            out.push(chunk);
            continue;
        }
        match out.last_mut() {
            Some(previous) if char_len(text, &(previous.start..chunk.end)) <= hard_max_chars => {
                previous.end = chunk.end;
            }
            _ => carry = Some(chunk),
        }
    }
    out.extend(carry);
    split_oversized(text, out, hard_max_chars)
}

/// A carried fragment merged forward can only overflow when the next chunk was already at the
/// hard limit; undo such merges so that the hard limit always holds.
fn split_oversized(text: &str, chunks: Vec<Range<usize>>, hard: usize) -> Vec<Range<usize>> {
    chunks
        .into_iter()
        .flat_map(|chunk| {
            if char_len(text, &chunk) <= hard {
                vec![chunk]
            } else {
                split_words(text, chunk, hard)
            }
        })
        .collect()
}

/// Cuts `range` into trimmed pieces of at most `max_chars`, preferring the last space before
/// the limit, else any UAX #29 word boundary, else a grapheme boundary.
fn split_words(text: &str, range: Range<usize>, max_chars: usize) -> Vec<Range<usize>> {
    let max_chars = max_chars.max(1);
    let mut pieces = Vec::new();
    let mut start = range.start;
    let mut chars = 0;
    let mut last_space: Option<usize> = None;
    for (offset, word) in text[range.clone()].split_word_bound_indices() {
        let at = range.start + offset;
        let word_chars = word.chars().count();
        if chars + word_chars > max_chars && chars > 0 {
            let cut = last_space.filter(|&cut| cut > start).unwrap_or(at);
            pieces.extend(trimmed(text, start..cut));
            (start, chars, last_space) = (cut, char_len(text, &(cut..at)), None);
            if chars + word_chars > max_chars && chars > 0 {
                pieces.extend(trimmed(text, start..at));
                (start, chars) = (at, 0);
            }
        }
        if word_chars > max_chars {
            let (done, rest) = split_graphemes(text, at..at + word.len(), max_chars);
            pieces.extend(done);
            (start, chars) = (rest.start, char_len(text, &rest));
            continue;
        }
        chars += word_chars;
        if word.starts_with(' ') {
            last_space = Some(at + word.len());
        }
    }
    pieces.extend(trimmed(text, start..range.end));
    pieces
}

/// Full pieces of at most `max_chars` cut at grapheme boundaries, and the remainder. A
/// single grapheme cluster longer than `max_chars` is cut between its characters, the only
/// way to keep the limit.
fn split_graphemes(
    text: &str,
    range: Range<usize>,
    max_chars: usize,
) -> (Vec<Range<usize>>, Range<usize>) {
    let mut pieces = Vec::new();
    let (mut start, mut chars) = (range.start, 0);
    for (offset, grapheme) in text[range.clone()].grapheme_indices(true) {
        let at = range.start + offset;
        let grapheme_chars = grapheme.chars().count();
        if chars + grapheme_chars > max_chars && chars > 0 {
            pieces.push(start..at);
            (start, chars) = (at, 0);
        }
        if grapheme_chars <= max_chars {
            chars += grapheme_chars;
            continue;
        }
        for (inner, _) in grapheme.char_indices() {
            if chars == max_chars {
                pieces.push(start..at + inner);
                (start, chars) = (at + inner, 0);
            }
            chars += 1;
        }
    }
    (pieces, start..range.end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(text: &str, max: usize, hard: usize) -> Vec<&str> {
        split(text, max, hard)
            .into_iter()
            .map(|r| &text[r])
            .collect()
    }

    #[test]
    fn short_text_is_one_piece() {
        assert_eq!(
            pieces("Acme rose. Beta fell.", 100, 200),
            vec!["Acme rose. Beta fell."]
        );
    }

    #[test]
    fn sentences_are_packed_greedily() {
        let text = "Acme Corp. raised its outlook again. Beta Ltd. cut prices sharply. Gamma held steady today.";
        assert_eq!(
            pieces(text, 70, 140),
            vec![
                "Acme Corp. raised its outlook again. Beta Ltd. cut prices sharply.",
                "Gamma held steady today."
            ]
        );
    }

    #[test]
    fn abbreviations_and_initials_do_not_end_sentences() {
        let text =
            "Dr. Rao met J. P. Lund of the U.S. Treasury on Jan. 5 in St. Louis. Talks went on.";
        let got = sentences(text);
        assert_eq!(got.len(), 2, "{got:?}");
    }

    proptest::proptest! {
        #[test]
        fn windowed_boundaries_agree_with_uax29_on_prose(
            words in proptest::collection::vec(
                "[A-Za-z]{1,6}|[.!?]|\\.\\.\\.|[“”‘’\"'()]|[0-9]\\.[0-9]|[a-zé]{1,4}[.!?][”)]?|[A-Z]\\.|—|,", 0..60)
        ) {
            let text = words.join(if words.len() % 2 == 0 { " " } else { "" });
            let full: Vec<usize> = text
                .split_sentence_bound_indices()
                .map(|(start, _)| start)
                .filter(|&start| start > 0)
                .collect();
            proptest::prop_assert_eq!(sentence_starts(&text), full);
        }
    }

    #[test]
    fn windowed_boundaries_agree_with_uax29() {
        let texts = [
            "He left. She stayed! Why? “Because.” (Later) it rained... then stopped. 3.5 rose.",
            "Acme rose.The end?yes. U.S. Steel fell. e.g. this. A.) B. “Quote.” Next (one). x",
            "Weird ‼ marks. Then ․ more. Café — crème. «Fin.» Über.",
        ];
        for text in texts {
            let full: Vec<usize> = text
                .split_sentence_bound_indices()
                .map(|(start, _)| start)
                .filter(|&start| start > 0)
                .collect();
            assert_eq!(sentence_starts(text), full, "{text}");
        }
    }

    #[test]
    fn tiny_tail_is_merged() {
        let text = "The board approved the long-planned merger on Monday evening. Done.";
        assert_eq!(pieces(text, 60, 120), vec![text]);
    }

    #[test]
    fn huge_sentence_is_cut_at_words_and_graphemes() {
        let text = format!(
            "{} {}",
            "word ".repeat(50).trim_end(),
            "e\u{301}".repeat(30)
        );
        for piece in split(&text, 40, 60) {
            assert!(text[piece.clone()].chars().count() <= 60);
            assert!(text.is_char_boundary(piece.start) && text.is_char_boundary(piece.end));
        }
        let cjk = "収益は増加した".repeat(40);
        assert!(split(&cjk, 30, 50)
            .iter()
            .all(|r| cjk[r.clone()].chars().count() <= 50));
    }
}
