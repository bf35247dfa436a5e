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
    let outside = |c: Option<char>| c.map_or(true, |c| !c.is_alphanumeric());
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

/// Is any of `words` (lower case) within [`NEAR_WORDS`] words of `start..end`? A plural
/// ("orchards" for "orchard") counts too.
pub(crate) fn near_any(text: &str, start: usize, end: usize, words: &[String]) -> bool {
    if words.is_empty() {
        return false;
    }
    let before = words_before(&text[..start]).take(NEAR_WORDS);
    let after = words_after(&text[end..]).take(NEAR_WORDS);
    before
        .chain(after)
        .any(|w| words.iter().any(|n| same_word(w, n)))
}

fn same_word(written: &str, wanted: &str) -> bool {
    written.eq_ignore_ascii_case(wanted)
        || (written.len() == wanted.len() + 1
            && written[..wanted.len()].eq_ignore_ascii_case(wanted)
            && written.ends_with(['s', 'S']))
}

/// Alphanumeric words of `text`, last first.
pub(crate) fn words_before(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        let end = rest.trim_end_matches(|c: char| !c.is_alphanumeric()).len();
        if end == 0 {
            return None;
        }
        let start = rest[..end]
            .char_indices()
            .rev()
            .find(|(_, c)| !c.is_alphanumeric())
            .map_or(0, |(i, c)| i + c.len_utf8());
        let word = &rest[start..end];
        rest = &rest[..start];
        Some(word)
    })
}

/// Alphanumeric words of `text`, first first.
pub(crate) fn words_after(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let words = vec!["river".to_string(), "orchard".to_string()];
        let text = "the Amazon river flooded";
        assert!(near_any(text, 4, 10, &words));
        let text = "rows of apple orchards";
        assert!(near_any(text, 8, 13, &words));
        let text = "Amazon said on Monday that one two three four river";
        assert!(!near_any(text, 0, 6, &words));
    }

    #[test]
    fn iterates_words_both_ways() {
        let back: Vec<&str> = words_before("one, two  three!").collect();
        assert_eq!(back, ["three", "two", "one"]);
        let fwd: Vec<&str> = words_after(" one, two").collect();
        assert_eq!(fwd, ["one", "two"]);
    }
}
