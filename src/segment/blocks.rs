//! Block structure: groups classified lines into blocks (runs of non-blank lines) and decides
//! what each part of a block is — heading, paragraph, list item, or dropped boilerplate and
//! markup — handing each unit, in document order, to a [`Sink`] (the assembler in
//! `assemble.rs`).

use std::ops::Range;

use super::boilerplate::is_boilerplate;
use super::clean::SourceLine;
use super::lines::{classify, Line, LineKind, Lines};
use super::DropReason;

/// Receives the units of an article in document order.
pub(crate) trait Sink {
    fn heading(&mut self, level: u8, line: SourceLine);
    fn paragraph(&mut self, lines: &[SourceLine]);
    fn item(&mut self, lines: &[SourceLine]);
    fn dropped(&mut self, content: Range<usize>, line: u32, reason: DropReason);
}

/// A heading is at most this many characters (and [`HEADING_MAX_WORDS`] words).
const HEADING_MAX_CHARS: usize = 100;
const HEADING_MAX_WORDS: usize = 15;

/// Nobody hard-wraps wider than this: lines this long are logical lines (paragraphs).
const UNWRAPPED_LINE_CHARS: usize = 200;

/// A run of lines that each end a sentence is one paragraph per line when it has this many
/// lines, or a line longer than [`PER_LINE_MIN_WIDTH`].
const PER_LINE_MIN_LINES: usize = 3;
const PER_LINE_MIN_WIDTH: usize = 100;

/// Closing quotes and brackets looked through when judging how a line ends.
const CLOSERS: [char; 9] = ['"', '\'', '”', '’', '»', ')', ']', '」', '』'];

fn last_significant_char(line: &str) -> Option<char> {
    line.trim_end()
        .trim_end_matches(CLOSERS)
        .chars()
        .next_back()
}

/// True when the line ends a sentence (or a lead-in): `. ! ? : …` and their CJK / Arabic forms.
pub(crate) fn ends_sentence(line: &str) -> bool {
    matches!(
        last_significant_char(line),
        Some('.' | '!' | '?' | ':' | '…' | '。' | '！' | '？' | '：' | '؟' | '۔')
    )
}

/// True when the line could be a heading: short, with a letter or digit, and not ending in
/// punctuation that ends or continues a sentence.
pub(crate) fn reads_as_heading(line: &str) -> bool {
    let ends_open = matches!(
        last_significant_char(line),
        Some(
            '.' | '!'
                | '?'
                | ':'
                | ';'
                | ','
                | '…'
                | '-'
                | '–'
                | '—'
                | '。'
                | '！'
                | '？'
                | '：'
                | '；'
                | '，'
                | '、'
                | '؟'
                | '،'
                | '۔'
        )
    );
    !ends_open
        && line.chars().count() <= HEADING_MAX_CHARS
        && line.split_whitespace().count() <= HEADING_MAX_WORDS
        && line.chars().any(char::is_alphanumeric)
}

/// How the article's format shapes its structure.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Mode {
    /// Markdown: ATX / setext headings, `+` bullets, and a block's lines form one paragraph.
    pub markdown: bool,
}

/// Scans the body (from byte `start`, 1-based line `first_line`) block by block.
pub(crate) fn scan(text: &str, start: usize, first_line: u32, mode: Mode, sink: &mut impl Sink) {
    let mut block: Vec<(Line, LineKind)> = Vec::new();
    for line in Lines::new(text, start, first_line) {
        match classify(text, line, mode.markdown) {
            LineKind::Blank => {
                BlockReader::new(text, mode, sink).read(&block);
                block.clear();
            }
            kind => block.push((line, kind)),
        }
    }
    BlockReader::new(text, mode, sink).read(&block);
}

/// The state of reading one block: the pending text lines and the open list item.
struct BlockReader<'a, S> {
    text: &'a str,
    mode: Mode,
    sink: &'a mut S,
    run: Vec<SourceLine>,
    item: Vec<SourceLine>,
}

impl<'a, S: Sink> BlockReader<'a, S> {
    fn new(text: &'a str, mode: Mode, sink: &'a mut S) -> Self {
        BlockReader {
            text,
            mode,
            sink,
            run: Vec::new(),
            item: Vec::new(),
        }
    }

    fn read(mut self, block: &[(Line, LineKind)]) {
        for (line, kind) in block {
            let number = line.number;
            match kind {
                LineKind::Blank => {}
                LineKind::Separator { content, ch } => self.separator(content.clone(), *ch, number),
                LineKind::Atx {
                    level,
                    content,
                    markup,
                } => {
                    self.flush();
                    for range in markup {
                        self.sink.dropped(range.clone(), number, DropReason::Markup);
                    }
                    let content = content.clone();
                    self.sink.heading(*level, SourceLine { content, number });
                }
                LineKind::Item {
                    marker, content, ..
                } => {
                    self.flush();
                    self.sink
                        .dropped(marker.clone(), number, DropReason::Markup);
                    let content = content.clone();
                    self.item.push(SourceLine { content, number });
                }
                LineKind::Text { content, indent } => {
                    self.text_line(content.clone(), *indent, number)
                }
            }
        }
        self.flush();
    }

    /// A rule line: a setext underline in Markdown right under a single text line, otherwise
    /// a separator that is dropped.
    fn separator(&mut self, content: Range<usize>, ch: char, number: u32) {
        let setext = self.mode.markdown && matches!(ch, '=' | '-') && self.item.is_empty();
        if setext && self.run.len() == 1 {
            let heading = self.run.remove(0);
            self.sink.heading(if ch == '=' { 1 } else { 2 }, heading);
            self.sink.dropped(content, number, DropReason::Markup);
            return;
        }
        self.flush();
        self.sink.dropped(content, number, DropReason::Separator);
    }

    /// A text line continues an open list item when it is indented or the item's last line
    /// stops mid-sentence; a line that could open a paragraph may be boilerplate.
    fn text_line(&mut self, content: Range<usize>, indent: usize, number: u32) {
        let line = SourceLine { content, number };
        if let Some(last) = self.item.last() {
            if indent > 0 || !ends_sentence(&self.text[last.content.clone()]) {
                self.item.push(line);
                return;
            }
            self.flush();
        }
        let opens_paragraph = self
            .run
            .last()
            .is_none_or(|last| ends_sentence(&self.text[last.content.clone()]));
        if opens_paragraph && is_boilerplate(&self.text[line.content.clone()]) {
            self.flush();
            self.sink
                .dropped(line.content, number, DropReason::Boilerplate);
            return;
        }
        self.run.push(line);
    }

    fn flush(&mut self) {
        if !self.item.is_empty() {
            self.sink.item(&self.item);
            self.item.clear();
        }
        if !self.run.is_empty() {
            let run = std::mem::take(&mut self.run);
            self.emit_run(&run);
        }
    }

    /// Hands a run of text lines on: whole in Markdown (a block is one paragraph there), in
    /// plain text cut into paragraphs and headings by [`paragraph_breaks`].
    fn emit_run(&mut self, run: &[SourceLine]) {
        if self.mode.markdown {
            self.sink.paragraph(run);
            return;
        }
        let lines: Vec<&str> = run.iter().map(|l| &self.text[l.content.clone()]).collect();
        let mut start = 0;
        for end in paragraph_breaks(&lines) {
            let group = &run[start..end];
            if let [single] = group {
                if reads_as_heading(lines[start]) {
                    self.sink.heading(1, single.clone());
                    start = end;
                    continue;
                }
            }
            self.sink.paragraph(group);
            start = end;
        }
    }
}

/// Ends (exclusive line indices) of the paragraphs in a run of plain-text lines.
///
/// A line break is deliberate when the line ends a sentence or reads as a heading and the next
/// line's first word would have fitted on it (a greedy hard-wrapper would have moved it up).
/// Every line break is a paragraph break when the run reads as one paragraph per line: lines
/// too long to be hard-wrapped, or lines that all (but the last) end a sentence or are
/// deliberate heading breaks, when there are enough of them or some are long. Otherwise only
/// deliberate breaks are paragraph breaks and the other lines are joined.
fn paragraph_breaks(lines: &[&str]) -> Vec<usize> {
    let widths: Vec<usize> = lines.iter().map(|l| l.chars().count()).collect();
    let width = widths.iter().copied().max().unwrap_or(0);
    let mut ends = Vec::new();
    let mut all_end = true;
    for (i, pair) in lines.windows(2).enumerate() {
        let next_word = pair[1].split_whitespace().next().unwrap_or("");
        let fits = widths[i] + 1 + next_word.chars().count() <= width;
        let sentence = ends_sentence(pair[0]);
        let heading = fits && reads_as_heading(pair[0]);
        all_end &= sentence || heading;
        if fits && sentence || heading {
            ends.push(i + 1);
        }
    }
    let per_line = width > UNWRAPPED_LINE_CHARS
        || lines.len() >= 2
            && all_end
            && (lines.len() >= PER_LINE_MIN_LINES || width > PER_LINE_MIN_WIDTH);
    if per_line {
        ends = (1..lines.len()).collect();
    }
    ends.push(lines.len());
    ends
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentence_ends_and_headings() {
        assert!(ends_sentence("as the chief said.”"));
        assert!(ends_sentence("This will allow it to:"));
        assert!(!ends_sentence("in the third"));
        assert!(reads_as_heading("Details and Scope of the Deal"));
        assert!(reads_as_heading("Outlook (2025)"));
        assert!(!reads_as_heading("It rose."));
        assert!(!reads_as_heading("Benefits include:"));
        assert!(!reads_as_heading("— 2024 —"));
    }

    #[test]
    fn wrapped_lines_stay_one_paragraph() {
        let lines = [
            "Acme Corp said on Tuesday that revenue for the third quarter rose by",
            "eleven percent, helped by strong demand for its industrial sensors.",
            "Analysts had expected growth of about nine percent for the period.",
        ];
        assert_eq!(paragraph_breaks(&lines), vec![3]);
    }

    #[test]
    fn one_paragraph_per_line_is_detected() {
        let lines = [
            "Acme Corp reported higher quarterly revenue on Tuesday, beating estimates by a wide margin.",
            "Outlook",
            "The company expects demand to stay strong.",
            "Shares rose four percent in early trading.",
        ];
        assert_eq!(paragraph_breaks(&lines), vec![1, 2, 3, 4]);
        let deliberate = [
            "Outlook",
            "The company expects demand to stay strong next year.",
        ];
        assert_eq!(paragraph_breaks(&deliberate), vec![1, 2]);
    }
}
