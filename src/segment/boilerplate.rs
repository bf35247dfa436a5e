//! Boilerplate recognition: lines that web pages and feeds wrap around an article and that no
//! search should ever return. `blocks` asks [`is_boilerplate`] about each line that could open
//! a paragraph and records the hits as dropped.

/// Whole lines dropped when they match exactly, compared case-insensitively on their letters,
/// digits and single spaces (so `— ADVERTISEMENT —` and `Share this article:` match).
const EXACT: [&str; 24] = [
    "advertisement",
    "advertisements",
    "skip advertisement",
    "story continues below advertisement",
    "sponsored",
    "sponsored content",
    "share",
    "share this",
    "share this article",
    "share this story",
    "share on facebook",
    "share on twitter",
    "read more",
    "read more below",
    "continue reading",
    "subscribe",
    "subscribe now",
    "sign up for our newsletter",
    "follow us",
    "print",
    "email",
    "comments",
    "related",
    "related articles",
];

/// Line openings that mark a caption, a teaser or a call to action, compared
/// case-insensitively (ASCII); only lines of at most [`PREFIX_MAX_CHARS`] are considered.
const PREFIXES: [&str; 10] = [
    "click here",
    "read more:",
    "related:",
    "image:",
    "photo:",
    "photograph:",
    "also read:",
    "see also:",
    "recommended:",
    "[illustration",
];

/// A prefix match only counts on a line this short: a long line is an article paragraph.
const PREFIX_MAX_CHARS: usize = 160;

/// Longest [`EXACT`] entry plus room for punctuation around it.
const EXACT_MAX_BYTES: usize = 60;

/// True when the (trimmed) line is boilerplate by the lists above.
pub(crate) fn is_boilerplate(line: &str) -> bool {
    if line.len() <= EXACT_MAX_BYTES && EXACT.iter().any(|entry| words_match(line, entry)) {
        return true;
    }
    PREFIXES.iter().any(|prefix| {
        line.get(..prefix.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(prefix))
    }) && line.chars().count() <= PREFIX_MAX_CHARS
}

/// Compares `line` with a lower-case `entry`, ignoring case and reading every run of
/// punctuation or spaces between two words as one space.
fn words_match(line: &str, entry: &str) -> bool {
    let mut wanted = entry.chars();
    let (mut started, mut gap) = (false, false);
    for c in line.chars() {
        if !c.is_alphanumeric() {
            gap = started;
            continue;
        }
        if gap && wanted.next() != Some(' ') {
            return false;
        }
        (started, gap) = (true, false);
        let mut lower = c.to_lowercase();
        if lower.next() != wanted.next() || lower.next().is_some() {
            return false;
        }
    }
    wanted.next().is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_lines_match_ignoring_case_and_punctuation() {
        for line in [
            "Advertisement",
            "— ADVERTISEMENT —",
            "Share this article:",
            "Read  more",
        ] {
            assert!(is_boilerplate(line), "{line}");
        }
        for line in [
            "Advertisements matter",
            "Share prices rose",
            "Readmore",
            "Print ads",
        ] {
            assert!(!is_boilerplate(line), "{line}");
        }
    }

    #[test]
    fn prefixes_match_short_lines_only() {
        assert!(is_boilerplate("Click here to get the full report"));
        assert!(is_boilerplate("Photo: Harbor Lane Capital"));
        assert!(is_boilerplate("RELATED: Acme buys a rival"));
        assert!(is_boilerplate("[Illustration: The new plant]"));
        assert!(!is_boilerplate(&format!("Related: {}", "word ".repeat(40))));
        assert!(!is_boilerplate("Clicks here rose."));
    }
}
