//! Line scanning and line classification: the segmenter's only pass over raw bytes that is not
//! normalisation. Hands [`Line`]s (byte offsets, 1-based numbers) and their [`LineKind`] to
//! `blocks`, which groups them into paragraphs, list items and headings.

use std::ops::Range;

use super::clean::{is_invisible, trim_invisible_end, trim_invisible_start};

/// One physical line of the article: `start..end` excludes the line terminator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Line {
    pub start: usize,
    pub end: usize,
    /// 1-based line number; CRLF, LF and a lone CR each end one line.
    pub number: u32,
}

/// Iterator over the lines of `text` from a byte offset, with CRLF / lone CR normalised.
pub(crate) struct Lines<'a> {
    bytes: &'a [u8],
    pos: usize,
    number: u32,
}

impl<'a> Lines<'a> {
    pub(crate) fn new(text: &'a str, pos: usize, first_number: u32) -> Self {
        Lines {
            bytes: text.as_bytes(),
            pos,
            number: first_number,
        }
    }
}

impl Iterator for Lines<'_> {
    type Item = Line;

    fn next(&mut self) -> Option<Line> {
        if self.pos >= self.bytes.len() {
            return None;
        }
        let rest = &self.bytes[self.pos..];
        let len = rest
            .iter()
            .position(|&b| b == b'\n' || b == b'\r')
            .unwrap_or(rest.len());
        let line = Line {
            start: self.pos,
            end: self.pos + len,
            number: self.number,
        };
        let terminator = match rest.get(len..len + 2) {
            Some(b"\r\n") => 2,
            _ if len < rest.len() => 1,
            _ => 0,
        };
        self.pos += len + terminator;
        self.number += 1;
        Some(line)
    }
}

/// What a line is, judged on the line alone (context decides the rest in `blocks`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum LineKind {
    /// Only whitespace and invisible characters.
    Blank,
    /// Ordinary text; `content` is the line without surrounding whitespace.
    Text {
        content: Range<usize>,
        indent: usize,
    },
    /// A list item: bullet, number or letter `marker`, then `content`.
    Item {
        marker: Range<usize>,
        content: Range<usize>,
        indent: usize,
    },
    /// A Markdown ATX heading (`## Text ##`); `markup` holds the `#` runs.
    Atx {
        level: u8,
        content: Range<usize>,
        markup: Vec<Range<usize>>,
    },
    /// A thematic break or underline (`---`, `* * *`, `===`); `content` is the whole rule.
    Separator { content: Range<usize>, ch: char },
}

/// Classifies one line; `markdown` enables ATX headings and `+` bullets.
pub(crate) fn classify(text: &str, line: Line, markdown: bool) -> LineKind {
    let raw = &text[line.start..line.end];
    let trimmed_start = trim_invisible_start(raw);
    let indent = raw.len() - trimmed_start.len();
    let content = trim_invisible_end(trimmed_start);
    if content.is_empty() {
        return LineKind::Blank;
    }
    let start = line.start + indent;
    let range = start..start + content.len();
    if let Some(ch) = separator_char(content) {
        return LineKind::Separator { content: range, ch };
    }
    if markdown && content.starts_with('#') {
        if let Some(kind) = atx_heading(content, start) {
            return kind;
        }
    }
    match list_marker_len(content, markdown) {
        Some((marker_len, content_start)) => LineKind::Item {
            marker: start..start + marker_len,
            content: start + content_start..range.end,
            indent,
        },
        None => LineKind::Text {
            content: range,
            indent,
        },
    }
}

/// `Some(c)` when the line is three or more of one rule character `c`, spaces allowed.
fn separator_char(content: &str) -> Option<char> {
    let first = content.chars().next()?;
    if !matches!(first, '-' | '*' | '_' | '=' | '~' | '#') {
        return None;
    }
    let mut count = 0;
    for c in content.chars() {
        if c == first {
            count += 1;
        } else if c != ' ' && c != '\t' {
            return None;
        }
    }
    (count >= 3).then_some(first)
}

/// Parses `#{1,6} text #*`; an empty heading is read as a separator.
fn atx_heading(content: &str, start: usize) -> Option<LineKind> {
    let hashes = content.bytes().take_while(|&b| b == b'#').count();
    let after = &content[hashes..];
    if hashes > 6 || !(after.is_empty() || after.starts_with([' ', '\t'])) {
        return None;
    }
    let body = after.trim_start_matches([' ', '\t']);
    let body_start = start + content.len() - body.len();
    // A closing run of `#` counts only when a space separates it from the text.
    let without_closing = body.trim_end_matches('#');
    let (text, closing) = if without_closing.is_empty() || without_closing.ends_with([' ', '\t']) {
        let text = without_closing.trim_end_matches([' ', '\t']);
        let closing = (without_closing.len() < body.len())
            .then(|| body_start + without_closing.len()..body_start + body.len());
        (text, closing)
    } else {
        (body, None)
    };
    if text.is_empty() {
        return Some(LineKind::Separator {
            content: start..start + content.len(),
            ch: '#',
        });
    }
    let mut markup: Vec<Range<usize>> = std::iter::once(start..start + hashes).collect();
    markup.extend(closing);
    Some(LineKind::Atx {
        level: hashes as u8,
        content: body_start..body_start + text.len(),
        markup,
    })
}

/// Bullet characters that open a list item in every format.
const BULLETS: [char; 6] = ['•', '-', '*', '–', '‣', '◦'];

/// `(marker length, content offset)` when `content` opens a list item: a bullet, `12.` / `12)`,
/// or a letter with `)` (`a)`, `B)`) or a lower-case letter with `.` (`a.`), then whitespace
/// and some text.
fn list_marker_len(content: &str, markdown: bool) -> Option<(usize, usize)> {
    let first = content.chars().next()?;
    let marker_len = if BULLETS.contains(&first) || (markdown && first == '+') {
        first.len_utf8()
    } else if first.is_ascii_digit() {
        let digits = content.bytes().take_while(u8::is_ascii_digit).count();
        let closer = content.as_bytes().get(digits).copied();
        if digits > 3 || !matches!(closer, Some(b'.' | b')')) {
            return None;
        }
        digits + 1
    } else if first.is_ascii_alphabetic() {
        match content.as_bytes().get(1) {
            Some(b')') => 2,
            Some(b'.') if first.is_ascii_lowercase() => 2,
            _ => return None,
        }
    } else {
        return None;
    };
    let rest = &content[marker_len..];
    let text = rest.trim_start_matches(|c: char| c.is_whitespace() || is_invisible(c));
    let has_gap = text.len() < rest.len() && rest.starts_with(char::is_whitespace);
    (has_gap && !text.is_empty()).then_some((marker_len, content.len() - text.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &str) -> Vec<(usize, usize, u32)> {
        Lines::new(text, 0, 1)
            .map(|l| (l.start, l.end, l.number))
            .collect()
    }

    fn kind(line: &str, markdown: bool) -> LineKind {
        let l = Line {
            start: 0,
            end: line.len(),
            number: 1,
        };
        classify(line, l, markdown)
    }

    #[test]
    fn line_endings_are_normalised() {
        assert_eq!(
            lines("a\r\nb\rc\nd"),
            vec![(0, 1, 1), (3, 4, 2), (5, 6, 3), (7, 8, 4)]
        );
        assert_eq!(lines("a\n"), vec![(0, 1, 1)]);
        assert_eq!(lines("\n\n"), vec![(0, 0, 1), (1, 1, 2)]);
        assert!(lines("").is_empty());
    }

    #[test]
    fn bullets_numbers_and_letters_are_items() {
        for line in [
            "  • Item: text",
            "- a",
            "* a",
            "– a",
            "12. a",
            "3) a",
            "a) a",
            "b. a",
        ] {
            assert!(matches!(kind(line, false), LineKind::Item { .. }), "{line}");
        }
        for line in ["-a", "2024. a", "A. Smith", "1.5 percent", "•", "Ab) x"] {
            assert!(matches!(kind(line, false), LineKind::Text { .. }), "{line}");
        }
        assert!(matches!(kind("+ a", true), LineKind::Item { .. }));
        assert!(matches!(kind("+ a", false), LineKind::Text { .. }));
    }

    #[test]
    fn atx_headings_and_separators() {
        let LineKind::Atx {
            level,
            content,
            markup,
        } = kind("## Deal terms ##", true)
        else {
            panic!("not a heading");
        };
        assert_eq!((level, content), (2, 3..13));
        assert_eq!(markup, vec![0..2, 14..16]);
        assert!(matches!(kind("#hashtag", true), LineKind::Text { .. }));
        assert!(matches!(kind("# x", false), LineKind::Text { .. }));
        assert!(matches!(
            kind("* * *", false),
            LineKind::Separator { ch: '*', .. }
        ));
        assert!(matches!(
            kind("---", true),
            LineKind::Separator { ch: '-', .. }
        ));
        assert!(matches!(kind(" \u{200B} \t", true), LineKind::Blank));
    }
}
