//! Small, allocation-free text probes the matcher runs on each candidate: word boundaries,
//! case agreement, all-caps context, and "is one of these words nearby".

/// How many words either side `not_near` and all-caps checks look at.
pub(crate) const NEAR_WORDS: usize = 4;

pub(crate) fn prev_char(text: &str, at: usize) -> Option<char> {
    text.get(..at)?.chars().next_back()
}

pub(crate) fn next_char(text: &str, at: usize) -> Option<char> {
    text.get(at..)?.chars().next()
}

/// A match must not start or end inside a word ("Amazonian", "Appleton", "pineapple").
/// Hyphens and apostrophes are boundaries: "Amazon-backed", "Amazon's".
pub(crate) fn is_whole_word(text: &str, start: usize, end: usize) -> bool {
    let outside = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric());
    outside(prev_char(text, start)) && outside(next_char(text, end))
}

pub(crate) fn has_lower(s: &str) -> bool {
    s.chars().any(char::is_lowercase)
}

pub(crate) fn has_upper(s: &str) -> bool {
    s.chars().any(char::is_uppercase)
}

/// Written in capitals throughout ("HSBC", "AT&T", "AMAZON").
pub(crate) fn is_all_caps(s: &str) -> bool {
    has_upper(s) && !has_lower(s)
}

/// Does `written` (the text as it stands) agree in case with `surface` (the alias as the
/// gazetteer writes it)? Exact agreement, a capitalised first letter of a lower-case alias
/// ("EBay" at a sentence start), or capitals in an all-caps stretch of text. A lone all-caps
/// word in mixed text only matches an alias that is itself an acronym.
pub(crate) fn case_agrees(text: &str, start: usize, end: usize, surface: &str) -> bool {
    let written = &text[start..end];
    if written == surface {
        return true;
    }
    if is_all_caps(written) {
        return all_caps_context(text, start, end);
    }
    let mut w = written.chars();
    let mut s = surface.chars();
    match (w.next(), s.next()) {
        (Some(a), Some(b)) => b.is_lowercase() && b.to_uppercase().eq(Some(a)) && w.eq(s),
        _ => false,
    }
}

/// True when the words around `start..end` are all capitals (a headline such as
/// "AMAZON BETS ON ANTHROPIC"), or when the match is the whole text.
pub(crate) fn all_caps_context(text: &str, start: usize, end: usize) -> bool {
    let before = words_before(&text[..start]).take(NEAR_WORDS);
    let after = words_after(&text[end..]).take(NEAR_WORDS);
    let mut lettered = before
        .chain(after)
        .filter(|w| w.chars().any(char::is_alphabetic));
    lettered.all(|w| !has_lower(w))
}

/// Words that veto a company mention when written nearby (an entry's `not_near`), with a
/// bit per word length so that most neighbouring words are dismissed without comparing.
#[derive(Debug, Default)]
pub(crate) struct NearWords {
    words: Vec<String>,
    lengths: u64,
}

impl NearWords {
    pub(crate) fn new(words: &[String]) -> NearWords {
        let words: Vec<String> = words
            .iter()
            .map(|w| w.trim().to_lowercase())
            .filter(|w| !w.is_empty())
            .collect();
        // A word's own length, and one more for its plural.
        let lengths = words
            .iter()
            .fold(0u64, |mask, w| mask | 3 << w.len().min(62));
        NearWords { words, lengths }
    }

    /// Is one of the words within [`NEAR_WORDS`] words of `start..end`? A plural
    /// ("orchards" for "orchard") counts too.
    pub(crate) fn near(&self, text: &str, start: usize, end: usize) -> bool {
        if self.words.is_empty() {
            return false;
        }
        let before = words_before(&text[..start]).take(NEAR_WORDS);
        let after = words_after(&text[end..]).take(NEAR_WORDS);
        before
            .chain(after)
            .filter(|w| self.lengths & (1 << w.len().min(63)) != 0)
            .any(|w| self.words.iter().any(|n| same_word(w, n)))
    }
}

fn same_word(written: &str, wanted: &str) -> bool {
    written.eq_ignore_ascii_case(wanted)
        || (written.len() == wanted.len() + 1
            && written.ends_with(['s', 'S'])
            // `get`, not indexing: in "αταρ" byte `wanted.len()` may fall inside a character.
            && written
                .get(..wanted.len())
                .is_some_and(|stem| stem.eq_ignore_ascii_case(wanted)))
}

/// Bytes that may belong to a word; non-ASCII bytes are sorted out by [`clean_word`].
fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b >= 0x80
}

/// A byte-level word without non-ASCII punctuation at its edges ("“river", "river’s").
fn clean_word(word: &str) -> &str {
    let bytes = word.as_bytes();
    let edgy =
        bytes.first().is_some_and(|&b| b >= 0x80) || bytes.last().is_some_and(|&b| b >= 0x80);
    let word = if edgy {
        word.trim_matches(|c: char| !c.is_alphanumeric())
    } else {
        word
    };
    word.strip_suffix("’s").unwrap_or(word)
}

/// Alphanumeric words of `text`, last first. Works on bytes: this runs for most candidates.
pub(crate) fn words_before(text: &str) -> impl Iterator<Item = &str> {
    let bytes = text.as_bytes();
    let mut end = text.len();
    std::iter::from_fn(move || loop {
        while end > 0 && !is_word_byte(bytes[end - 1]) {
            end -= 1;
        }
        if end == 0 {
            return None;
        }
        let mut start = end;
        while start > 0 && is_word_byte(bytes[start - 1]) {
            start -= 1;
        }
        // Both ends sit next to ASCII bytes (or the text's ends): char boundaries.
        let word = clean_word(&text[start..end]);
        end = start;
        if !word.is_empty() {
            return Some(word);
        }
    })
}

/// Alphanumeric words of `text`, first first. Works on bytes like [`words_before`].
pub(crate) fn words_after(text: &str) -> impl Iterator<Item = &str> {
    let bytes = text.as_bytes();
    let mut start = 0;
    std::iter::from_fn(move || loop {
        while start < bytes.len() && !is_word_byte(bytes[start]) {
            start += 1;
        }
        if start == bytes.len() {
            return None;
        }
        let mut end = start;
        while end < bytes.len() && is_word_byte(bytes[end]) {
            end += 1;
        }
        let word = clean_word(&text[start..end]);
        start = end;
        if !word.is_empty() {
            return Some(word);
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plural_check_never_cuts_inside_a_character() {
        // "αταρ" is 8 bytes; a 7-byte wanted word would cut the last character in two.
        assert!(!same_word("αταρ", "rainfor"));
        assert!(same_word("rivers", "river"));
    }

    #[test]
    fn whole_words_only() {
        assert!(is_whole_word("Amazon's deal", 0, 6));
        assert!(is_whole_word("an Amazon-backed firm", 3, 9));
        assert!(!is_whole_word("Amazonian tribes", 0, 6));
        assert!(!is_whole_word("Appleton", 0, 5));
        assert!(!is_whole_word("pineapple", 4, 9));
        assert!(is_whole_word("«Nestlé»", 2, 9));
    }

    #[test]
    fn case_must_agree_unless_headline() {
        assert!(case_agrees("Apple said", 0, 5, "Apple"));
        assert!(!case_agrees("an apple a day", 3, 8, "Apple"));
        assert!(case_agrees("AMAZON BETS ON ANTHROPIC", 0, 6, "Amazon"));
        assert!(!case_agrees("shares of AMAZON rose", 10, 16, "Amazon"));
        assert!(case_agrees("EBay said", 0, 4, "eBay"));
        assert!(!case_agrees("Aws is", 0, 3, "AWS"));
    }

    #[test]
    fn finds_vetoing_words_nearby() {
        let words = NearWords::new(&["river".to_string(), "Orchard".to_string()]);
        let text = "the Amazon river flooded";
        assert!(words.near(text, 4, 10));
        let text = "rows of apple orchards";
        assert!(words.near(text, 8, 13));
        let text = "Amazon said on Monday that one two three four river";
        assert!(!words.near(text, 0, 6));
        assert!(!NearWords::default().near(text, 0, 6));
    }

    #[test]
    fn iterates_words_both_ways() {
        let back: Vec<&str> = words_before("one, two  three!").collect();
        assert_eq!(back, ["three", "two", "one"]);
        let back: Vec<&str> = words_before("the “river’s” — bank").collect();
        assert_eq!(back, ["bank", "river", "the"]);
        let fwd: Vec<&str> = words_after("“river’s” — Zürich").collect();
        assert_eq!(fwd, ["river", "Zürich"]);
        let fwd: Vec<&str> = words_after(" one, two").collect();
        assert_eq!(fwd, ["one", "two"]);
    }
}
