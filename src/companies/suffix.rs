//! Legal-form suffixes ("Inc.", "GmbH", "S.A.", "Holdings"): the exact written forms the
//! matcher accepts, how far a chain of them runs ("Group Holdings Ltd"), and how a name is
//! stripped of them ("Payne Webber Group Inc." → "Payne Webber").

use super::text::{next_char, prev_char};
use super::word_set::WordSet;

/// Every accepted written form, case-sensitive. Upper-case variants appear in press releases.
#[rustfmt::skip]
pub(crate) const LEGAL_SUFFIXES: &[&str] = &[
    "Inc", "Inc.", "INC", "INC.", "Incorporated", "Corp", "Corp.", "CORP", "CORP.", "Corporation",
    "Co", "Co.", "Company", "Ltd", "Ltd.", "LTD", "LTD.", "Limited", "LLC", "L.L.C.", "LLP", "LP",
    "L.P.", "PBC", "plc", "PLC", "Plc", "GmbH", "AG", "SA", "S.A.", "SE", "NV", "N.V.", "BV",
    "B.V.", "AB", "ASA", "AS", "A/S", "Oy", "Oyj", "SpA", "S.p.A.", "SAS", "KK", "K.K.", "Pty",
    "Holdings", "Group", "Holding",
];

/// Suffixes that are also ordinary heading words: inside a longer capitalised name
/// ("Payne Webber Group Securities Inc") they do not end the name.
const GENERIC_SUFFIXES: &[&str] = &["Group", "Holdings", "Holding", "Company"];

/// Length in bytes of the legal suffix written at `at`, if one is there as a whole word.
pub(crate) fn suffix_at(text: &str, at: usize) -> Option<usize> {
    let rest = text.get(at..)?;
    // Reject most words on their first byte before comparing any form.
    let first = *rest.as_bytes().first()?;
    if !matches!(first, b'A'..=b'C' | b'G'..=b'I' | b'K' | b'L' | b'N' | b'O' | b'P' | b'S' | b'p')
    {
        return None;
    }
    LEGAL_SUFFIXES
        .iter()
        .filter(|form| form.as_bytes()[0] == first && rest.starts_with(*form))
        .map(|form| form.len())
        .filter(|&len| ends_cleanly(text, at + len))
        .max()
}

pub(crate) fn is_suffix_word(word: &str) -> bool {
    static SET: WordSet = WordSet::new(LEGAL_SUFFIXES);
    SET.contains(word)
}

pub(crate) fn is_generic_suffix(word: &str) -> bool {
    GENERIC_SUFFIXES.contains(&word)
}

/// A suffix must end the word: "Co-founder" and "ASAP" are not suffixes.
fn ends_cleanly(text: &str, end: usize) -> bool {
    match next_char(text, end) {
        None => true,
        Some(c) => !(c.is_alphanumeric() || matches!(c, '-' | '/' | '&' | '@' | '_')),
    }
}

/// End of the chain of suffixes starting after `end` (", Inc.", " Group Holdings Ltd",
/// " & Co."); `end` itself when no suffix follows.
pub(crate) fn suffix_chain_end(text: &str, end: usize) -> usize {
    let mut chain_end = end;
    loop {
        let mut at = chain_end;
        if text[at..].starts_with(',') {
            at += 1;
        }
        let spaced = skip_spaces(text, at);
        if spaced == at {
            return chain_end;
        }
        at = spaced;
        if text[at..].starts_with('&') {
            at = skip_spaces(text, at + 1);
        } else if text[at..].starts_with("and ") {
            // "Eli Lilly and Co."
            let after = skip_spaces(text, at + 4);
            if text[after..].starts_with("Co") {
                at = after;
            }
        }
        match suffix_at(text, at) {
            Some(len) => chain_end = at + len,
            None => return chain_end,
        }
    }
}

/// Position of the first non-space character at or after `at` (spaces and tabs only; a line
/// break inside a paragraph counts as a space too).
pub(crate) fn skip_spaces(text: &str, at: usize) -> usize {
    let rest = &text[at..];
    at + rest.len()
        - rest
            .trim_start_matches([' ', '\t', '\n', '\r', '\u{a0}'])
            .len()
}

/// `name` without trailing legal suffixes, commas and ampersands; never empty when `name`
/// has a word that is not a suffix.
pub(crate) fn strip_legal_suffix(name: &str) -> &str {
    let mut kept = name.trim();
    loop {
        let trimmed = kept.trim_end_matches([',', '&', ' ']).trim_end();
        let Some(space) = trimmed.rfind(char::is_whitespace) else {
            return trimmed;
        };
        let last = &trimmed[space + 1..];
        let head = trimmed[..space]
            .trim_end_matches([',', '&', ' '])
            .trim_end();
        if head.is_empty() || !is_suffix_word(last) {
            return trimmed;
        }
        kept = head;
    }
}

/// True when the character before `at` is whitespace (or `at` starts the text), so a suffix
/// candidate there begins a word of its own.
pub(crate) fn starts_word(text: &str, at: usize) -> bool {
    prev_char(text, at).is_none_or(|c| c.is_whitespace() || c == ',')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_whole_word_suffixes_only() {
        for form in LEGAL_SUFFIXES {
            assert_eq!(suffix_at(form, 0), Some(form.len()), "{form}");
        }
        assert_eq!(suffix_at("Inc. said", 0), Some(4));
        assert_eq!(suffix_at("GmbH", 0), Some(4));
        assert_eq!(suffix_at("S.A. and", 0), Some(4));
        assert_eq!(suffix_at("Co-founder", 0), None);
        assert_eq!(suffix_at("ASAP", 0), None);
        assert_eq!(suffix_at("inc.", 0), None);
        assert_eq!(suffix_at("plc", 0), Some(3));
    }

    #[test]
    fn follows_suffix_chains() {
        let text = "Acme Group Holdings, Ltd. said";
        assert_eq!(
            &text[..suffix_chain_end(text, 4)],
            "Acme Group Holdings, Ltd."
        );
        let text = "Goldman Sachs & Co. LLC rose";
        assert_eq!(
            &text[..suffix_chain_end(text, 13)],
            "Goldman Sachs & Co. LLC"
        );
        let text = "Eli Lilly and Co. said";
        assert_eq!(&text[..suffix_chain_end(text, 9)], "Eli Lilly and Co.");
        let text = "Vogel and Acme said";
        assert_eq!(suffix_chain_end(text, 5), 5);
        let text = "Vogel said";
        assert_eq!(suffix_chain_end(text, 5), 5);
    }

    #[test]
    fn strips_trailing_suffixes() {
        assert_eq!(
            strip_legal_suffix("Payne Webber Group Inc."),
            "Payne Webber"
        );
        assert_eq!(
            strip_legal_suffix("Halvorsen Marine AS"),
            "Halvorsen Marine"
        );
        assert_eq!(strip_legal_suffix("Acme Pty Ltd"), "Acme");
        assert_eq!(strip_legal_suffix("Vogel & Sons GmbH"), "Vogel & Sons");
        assert_eq!(strip_legal_suffix("Acme, Inc."), "Acme");
        assert_eq!(strip_legal_suffix("Group"), "Group");
        assert_eq!(strip_legal_suffix("Amazon"), "Amazon");
    }
}
