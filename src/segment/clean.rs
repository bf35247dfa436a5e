//! Text cleaning: turns the source lines of one paragraph or list item into normalised passage
//! text (invisible characters removed, NBSP and other whitespace collapsed to one space, lines
//! joined, line-end hyphenation undone) while remembering where every normalised byte came
//! from, so that `mod.rs` can give each passage a byte span of the original article.

use std::ops::Range;

/// Zero-width and byte-order-mark characters that carry no text.
pub(crate) fn is_invisible(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}')
}

/// A zero-width (non-)joiner between two visible characters shapes them (emoji sequences such
/// as 👨‍👩‍👧, Persian and Indic scripts) and is kept; anywhere else it is noise.
fn joins_visible(line: &str, at: usize, c: char) -> bool {
    let shows = |c: char| !is_blank_char(c);
    matches!(c, '\u{200C}' | '\u{200D}')
        && line[..at].chars().next_back().is_some_and(shows)
        && line[at + c.len_utf8()..].chars().next().is_some_and(shows)
}

/// First bytes of the UTF-8 forms of every whitespace and invisible character: ASCII
/// controls and space, `C2` (NEL, NBSP), `E1` (U+1680), `E2` (U+2000 to U+2060), `E3`
/// (U+3000) and `EF` (U+FEFF).
fn may_be_blank_lead(b: u8) -> bool {
    b <= b' ' || b == 0x7F || matches!(b, 0xC2 | 0xE1 | 0xE2 | 0xE3 | 0xEF)
}

/// Width of the UTF-8 sequence opened by lead byte `b` (1 for anything else).
fn utf8_width(b: u8) -> usize {
    match b {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

fn is_blank_char(c: char) -> bool {
    c.is_whitespace() || is_invisible(c)
}

pub(crate) fn trim_invisible_start(s: &str) -> &str {
    s.trim_start_matches(is_blank_char)
}

pub(crate) fn trim_invisible_end(s: &str) -> &str {
    s.trim_end_matches(is_blank_char)
}

/// One source line of a paragraph: the byte range of its text (no indentation, no marker).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct SourceLine {
    pub content: Range<usize>,
    pub number: u32,
}

/// Normalised text plus a map from its byte offsets back to the article's byte offsets.
#[derive(Debug, Default)]
pub(crate) struct Normalized {
    pub text: String,
    /// `(normalised offset, source offset)` at the start of every verbatim-copied run; offsets
    /// inside a run map linearly.
    runs: Vec<(usize, usize)>,
}

impl Normalized {
    /// Cleans and joins `lines` of `source` (see the module docs of `segment` for the rules).
    pub(crate) fn from_lines(source: &str, lines: &[SourceLine]) -> Normalized {
        let mut out = Normalized::default();
        let bytes = lines.iter().map(|l| l.content.len() + 1).sum();
        out.text.reserve(bytes);
        for line in lines {
            if !out.text.is_empty() && !out.undo_line_end_hyphen(&source[line.content.clone()]) {
                out.text.push(' ');
            }
            out.push_clean(&source[line.content.clone()], line.content.start);
        }
        while out.text.ends_with(' ') {
            out.text.pop();
        }
        out
    }

    /// The source byte where normalised byte `at` came from (`at` starts a character).
    pub(crate) fn source_start(&self, at: usize) -> usize {
        let i = self.runs.partition_point(|&(norm, _)| norm <= at);
        let (norm, src) = self
            .runs
            .get(i.wrapping_sub(1))
            .copied()
            .unwrap_or_default();
        src + at.saturating_sub(norm)
    }

    /// The source byte just past normalised byte `end - 1` (`end` ends a character).
    pub(crate) fn source_end(&self, end: usize) -> usize {
        let i = self.runs.partition_point(|&(norm, _)| norm < end);
        let (norm, src) = self
            .runs
            .get(i.wrapping_sub(1))
            .copied()
            .unwrap_or_default();
        src + end.saturating_sub(norm)
    }

    /// Appends `line` cleaned: verbatim runs are copied whole, so ASCII prose costs one
    /// `push_str` per line.
    fn push_clean(&mut self, line: &str, offset: usize) {
        let bytes = line.as_bytes();
        let mut last_space = self.text.is_empty() || self.text.ends_with(' ');
        let (mut i, mut run_start) = (0, 0);
        while i < bytes.len() {
            let b = bytes[i];
            if b.is_ascii_graphic() {
                last_space = false;
                i += 1;
                continue;
            }
            if b == b' ' && !last_space {
                last_space = true;
                i += 1;
                continue;
            }
            if !may_be_blank_lead(b) {
                // Not the first byte of any whitespace or invisible character: keep it whole.
                last_space = false;
                i += utf8_width(b);
                continue;
            }
            let c = line[i..].chars().next().unwrap_or(' ');
            let width = c.len_utf8();
            let whitespace = c.is_whitespace();
            if !whitespace && (!is_invisible(c) || joins_visible(line, i, c)) {
                last_space = false;
                i += width;
                continue;
            }
            self.copy_run(line, offset, run_start..i);
            if whitespace && !last_space {
                self.runs.push((self.text.len(), offset + i));
                self.text.push(' ');
                last_space = true;
            }
            i += width;
            run_start = i;
        }
        self.copy_run(line, offset, run_start..bytes.len());
    }

    fn copy_run(&mut self, line: &str, offset: usize, run: Range<usize>) {
        if run.is_empty() {
            return;
        }
        self.runs.push((self.text.len(), offset + run.start));
        self.text.push_str(&line[run]);
    }

    /// Joins a line ending in `word-` to a next line starting in lower case without a space,
    /// dropping the hyphen when it splits a word; `true` when the lines were joined so.
    fn undo_line_end_hyphen(&mut self, next_line: &str) -> bool {
        let next_lower = trim_invisible_start(next_line)
            .chars()
            .next()
            .is_some_and(char::is_lowercase);
        if !next_lower || !self.text.ends_with('-') {
            return false;
        }
        let head = &self.text[..self.text.len() - 1];
        let word = head.rsplit(' ').next().unwrap_or(head);
        if !word.chars().next_back().is_some_and(char::is_alphanumeric) {
            return false;
        }
        if is_hyphenation_head(word) {
            self.text.pop();
        }
        true
    }
}

/// Word parts that keep their hyphen at a line end because they usually open a compound
/// (`well-known`, `self-driving`), not a syllable break.
const COMPOUND_HEADS: [&str; 22] = [
    "well", "self", "half", "cross", "ill", "long", "short", "full", "world", "state", "year",
    "two", "three", "four", "five", "six", "ten", "first", "second", "third", "all", "co",
];

/// `word-` at a line end is a syllable break when `word` is all letters, lower-case after its
/// first letter (no acronym like `AI-`, no digits like `COVID-19-`), and not a usual compound
/// head.
fn is_hyphenation_head(word: &str) -> bool {
    let mut chars = word.chars();
    let ends_in_letter = word.chars().next_back().is_some_and(char::is_alphabetic);
    let first_ok = chars.next().is_some_and(char::is_alphabetic);
    let rest_lower = chars.all(|c| c.is_alphabetic() && !c.is_uppercase());
    ends_in_letter
        && first_ok
        && rest_lower
        && !COMPOUND_HEADS
            .iter()
            .any(|head| head.eq_ignore_ascii_case(word))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn normalize(source: &str) -> Normalized {
        let mut lines = Vec::new();
        let mut pos = 0;
        for (number, line) in source.split('\n').enumerate() {
            lines.push(SourceLine {
                content: pos..pos + line.len(),
                number: number as u32 + 1,
            });
            pos += line.len() + 1;
        }
        Normalized::from_lines(source, &lines)
    }

    #[test]
    fn whitespace_and_invisibles_are_cleaned() {
        let n = normalize("\u{FEFF}Acme\u{00A0}\u{00A0}Corp  rose\u{200B}\t5%");
        assert_eq!(n.text, "Acme Corp rose 5%");
        assert_eq!(
            normalize("a \u{200D}b 👨\u{200D}👩").text,
            "a b 👨\u{200D}👩"
        );
    }

    #[test]
    fn hyphenated_line_ends_are_rejoined_when_they_split_a_word() {
        assert_eq!(
            normalize("new infra-\nstructure").text,
            "new infrastructure"
        );
        assert_eq!(normalize("a well-\nknown firm").text, "a well-known firm");
        assert_eq!(
            normalize("the AI-\npowered tool").text,
            "the AI-powered tool"
        );
        assert_eq!(normalize("the -\nnext").text, "the - next");
        assert_eq!(normalize("pre-\nMarket").text, "pre- Market");
        assert_eq!(normalize("COVID-19-\nrelated").text, "COVID-19-related");
    }

    #[test]
    fn offsets_map_back_to_source() {
        let source = "Acme  rose\nsharp-\nly today";
        let n = normalize(source);
        assert_eq!(n.text, "Acme rose sharply today");
        let at = n.text.find("rose").unwrap_or(0);
        assert_eq!(&source[n.source_start(at)..n.source_end(at + 4)], "rose");
        let at = n.text.find("sharply").unwrap_or(0);
        assert_eq!(
            &source[n.source_start(at)..n.source_end(at + 7)],
            "sharp-\nly"
        );
        assert_eq!(n.source_end(n.text.len()), source.len());
    }
}
