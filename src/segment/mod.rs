//! Segmentation: one article's text (front matter included) in, its passages out. Pure: no
//! I/O, no state between calls. The pipeline hands [`segment`] a `SourceDoc`'s text and
//! format; [`Segmented`] gives back the front-matter [`Metadata`], the title, and the
//! [`Passage`]s to tag and index, plus the headings and dropped text for inspection.
//!
//! # Rules
//!
//! **Front matter.** Markdown may open with YAML between `---` lines (closed by `---` or
//! `...`): scalars and lists; `title`, `date`, `source`, `author`, `url`, `id` fill the
//! [`Metadata`] fields, `companies` may be a list or one comma-separated string, every other
//! key goes to `meta.extra` lower-cased (lists joined with `, `). Plain text may open with a
//! `Key: value` header block ending at the first blank line: it is one only when every line is
//! `Key: value` with a short single-word-ish key (at most 24 characters, at most one space)
//! and at least one key is known (`Title`, `Date`, `Source`, `Author`, `URL`, `Id`,
//! `Companies`, any case). Bad YAML, an unclosed `---` block, or a header block broken by a
//! non-pair line stays body text, with a warning.
//!
//! **Title.** The front-matter title when there is one (a first heading repeating it, in any
//! case, is consumed as the title line). Otherwise, when
//! [`SegmentOptions::title_from_first_line`] is set, the first unit of the body when it reads
//! as a heading: a level-1 heading (`# `, `===` underline) or a line standing alone that is
//! short (at most 100 characters and 15 words) and has no terminal punctuation. The title is
//! metadata, never a passage. With the option off the first line is like any other line.
//!
//! **Cleaning.** CRLF and lone CR end lines like LF; BOM and zero-width characters (U+200B to
//! U+200D, U+2060, U+FEFF) are removed, except a zero-width joiner or non-joiner between two
//! visible characters (it shapes emoji sequences and Persian or Indic script); NBSP and all other
//! whitespace become one space; runs collapse. Lines of a paragraph are joined with a space, except
//! that `word-` at a line end followed by a lower-case letter is rejoined without its hyphen
//! (`infra-`/`structure` gives `infrastructure`) when `word` is all letters, lower-case after its
//! first letter (so `AI-` or `COVID-19-` keep theirs) and not a usual compound head (`well`,
//! `self`, `half`, `cross`, `long`, `short`, `full`, `co`, numbers, ...: `well-known` stays);
//! a kept hyphen still joins the lines without a space (`AI-`/`powered` gives `AI-powered`).
//!
//! **Paragraphs.** Blocks are separated by blank lines. In Markdown a block's text lines form
//! one paragraph (CommonMark). In plain text a block may hold several paragraphs: a line break
//! is a paragraph break when the line ends a sentence (`. ! ? : …`, also CJK and Arabic forms,
//! looking through closing quotes and brackets) or reads as a heading, *and* the next line's
//! first word would have fitted on it (a greedy hard-wrapper would have moved it up, so the
//! break is deliberate). Every line is its own paragraph when the block reads as one paragraph
//! per line: some line is longer than 200 characters (nobody wraps that wide), or every line
//! but the last ends a sentence or is such a heading break, and the block has at least three
//! lines or a line longer than 100 characters.
//!
//! **Headings.** In Markdown: ATX (`#` to `######`) and setext (`===`, `---` under a single
//! line) headings, nested by level (`## A`, `### B` gives `["A", "B"]`, a later `## C` gives
//! `["C"]`). In plain text: a paragraph of one line that reads as a heading (see Title),
//! always one level (each replaces the previous). Headings set the `section` of the passages
//! after them and are never passages, except in a body made only of heading-like lines (a
//! one-line flash under a given title, a list of short lines without punctuation): there they
//! are the text, and each becomes a passage, so that no article with text is dropped as empty.
//! An article whose only text is its title gets its title as its one passage from the caller
//! (`headline_passage`).
//!
//! **Lists.** A line opening with a bullet (`•`, `-`, `*`, `–`, `‣`, `◦`, and `+` in
//! Markdown), a number (`1.`, `12)`, up to three digits) or a letter (`a)`, `B)`, lower-case
//! `a.`) and a space is a list item (kind `ListItem`), indented or not. Following lines of the
//! same block belong to the item when indented or when the item's last line stops
//! mid-sentence. A paragraph ending with a colon is a lead-in: a passage itself and the
//! `context` of every item of the list that follows it (until the next paragraph or heading).
//! Markers are dropped (recorded as [`DropReason::Markup`]).
//!
//! **Long paragraphs.** A paragraph or item over `max_chars` characters is split into UAX #29
//! sentences, re-joined after abbreviations (`Inc.`, `Corp.`, `Co.`, `Ltd.`, `Dr.`, `Mr.`,
//! `No.`, `St.`, `vs.`, `e.g.`, month names, ...) and initials (`J.`, `U.S.`), and whole
//! sentences are packed greedily up to `max_chars`. A sentence over `hard_max_chars` is cut at
//! the last space before `max_chars` (else at a UAX #29 word boundary, else between grapheme
//! clusters; only a single cluster longer than the limit is cut inside). A piece under 20
//! characters is merged into its previous (else next) neighbour when that stays within
//! `hard_max_chars`. No passage ever exceeds `hard_max_chars` characters.
//!
//! **Dropped text.** A line that could open a paragraph is dropped as
//! [`DropReason::Boilerplate`] when, ignoring case, punctuation and spacing, it equals an entry
//! of a fixed list (`Advertisement`, `Share this article`, `Read more`, `Subscribe`,
//! `Continue reading`, ...) or, being at most 160 characters, starts with `Click here`,
//! `Read more:`, `Related:`, `Image:`, `Photo:`, `See also:`, `[Illustration`, .... Rule
//! lines (`---`, `* * *`) are dropped as [`DropReason::Separator`]. Short real paragraphs are
//! kept.
//!
//! **Positions.** `line` is the 1-based line where a passage starts; `span` is the byte range
//! of the input from the passage's first to last character, so `text[span]` normalised (and
//! with rejoined hyphens) gives the passage text.

mod assemble;
mod blocks;
mod boilerplate;
mod clean;
mod frontmatter;
mod lines;
mod sentences;

use std::ops::Range;

use serde::Serialize;

use crate::model::{Metadata, Passage, TextFormat};
use assemble::{Assembler, Limits, TitleRule};

/// Passage size limits and the title rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SegmentOptions {
    /// Long paragraphs are split into pieces of at most this many characters...
    pub max_chars: usize,
    /// ...except whole sentences up to this many; no passage is ever longer. Read as at least
    /// `max_chars` (and `max_chars` as at least 1).
    pub hard_max_chars: usize,
    /// Take the first line as the title when it reads as a heading and no front matter
    /// gives one; turn off when the caller already knows the title.
    pub title_from_first_line: bool,
}

impl Default for SegmentOptions {
    fn default() -> Self {
        SegmentOptions {
            max_chars: 1000,
            hard_max_chars: 2000,
            title_from_first_line: true,
        }
    }
}

/// Everything [`segment`] found in one article.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Segmented {
    /// What the front matter declared (default when none).
    pub meta: Metadata,
    pub title: Option<String>,
    pub passages: Vec<Passage>,
    /// Human-readable, each starting `line N:` when it concerns one place.
    pub warnings: Vec<String>,
    /// Bytes of the front-matter block, delimiters included.
    pub front_matter_span: Option<Range<usize>>,
    /// Bytes of the body line read as the title (or repeating the front-matter title).
    pub title_span: Option<Range<usize>>,
    /// Section headings, in order (the title line is not among them).
    pub headings: Vec<Heading>,
    /// Text that is in no passage: boilerplate, rules, list and heading markers.
    pub dropped: Vec<Dropped>,
}

/// A section heading of the article.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Heading {
    pub text: String,
    /// 1 for `#` and plain-text headings, 2 for `##`, ...
    pub level: u8,
    pub line: u32,
    pub span: Range<usize>,
}

/// Why a piece of the body is in no passage.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DropReason {
    Boilerplate,
    Separator,
    /// A list marker, `#` of a heading, or setext underline.
    Markup,
}

/// A piece of the body left out of the passages, as written.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Dropped {
    pub text: String,
    pub reason: DropReason,
    pub line: u32,
    pub span: Range<usize>,
}

/// Cuts an article (`text` as decoded, front matter included) into passages by the rules in
/// the module docs.
///
/// ```
/// use graf::model::{PassageKind, TextFormat};
/// use graf::segment::{segment, SegmentOptions};
///
/// let text = "Acme Results\n\nRevenue rose 9%. It will:\n\n  • Hire: 50 engineers.\n";
/// let out = segment(text, TextFormat::Plain, &SegmentOptions::default());
/// assert_eq!(out.title.as_deref(), Some("Acme Results"));
/// assert_eq!(out.passages[0].text, "Revenue rose 9%. It will:");
/// let item = &out.passages[1];
/// assert_eq!((item.kind, item.text.as_str()), (PassageKind::ListItem, "Hire: 50 engineers."));
/// assert_eq!(item.context.as_deref(), Some("Revenue rose 9%. It will:"));
/// assert_eq!((item.line, &text[item.span.clone()]), (5, "Hire: 50 engineers."));
/// ```
pub fn segment(text: &str, format: TextFormat, options: &SegmentOptions) -> Segmented {
    let front = frontmatter::read(text, format);
    let max_chars = options.max_chars.max(1);
    let limits = Limits {
        max_chars,
        hard_max_chars: options.hard_max_chars.max(max_chars),
    };
    let title_rule = match (&front.meta.title, options.title_from_first_line) {
        (Some(title), _) => TitleRule::Known(title.clone()),
        (None, true) => TitleRule::FirstLine,
        (None, false) => TitleRule::None,
    };
    let mut assembler = Assembler::new(text, limits, title_rule);
    let mode = blocks::Mode {
        markdown: format == TextFormat::Markdown,
    };
    blocks::scan(
        text,
        front.body_start,
        front.body_line,
        mode,
        &mut assembler,
    );
    let mut out = Segmented {
        meta: front.meta,
        warnings: front.warnings,
        front_matter_span: front.span,
        ..Segmented::default()
    };
    assembler.finish(&mut out);
    out
}

/// The one passage of an article that has a title and no other text (a headline-only wire
/// item, a link, a brief): the title itself, so that the article is indexed, counted, found by
/// its words and filtered by the companies it names. It sits where the title was read
/// (`segmented.title_span` in `text`), else on line 1 with an empty span.
pub(crate) fn headline_passage(title: &str, segmented: &Segmented, text: &str) -> Passage {
    let span = segmented.title_span.clone().unwrap_or(0..0);
    let line = text.get(..span.start).map_or(1, |before| {
        1 + before.bytes().filter(|&b| b == b'\n').count() as u32
    });
    Passage {
        ordinal: 0,
        section: Vec::new(),
        context: None,
        text: title.trim().to_string(),
        line,
        span,
        kind: crate::model::PassageKind::Paragraph,
    }
}

/// The id the front matter of `text` declares, if any: what [`segment`] puts in `meta.id`,
/// without segmenting. The pipeline reads ids in file order with it, so that of two articles
/// with one id the first one read is always the one kept.
pub(crate) fn declared_id(text: &str, format: TextFormat) -> Option<String> {
    frontmatter::read(text, format).meta.id
}

#[cfg(test)]
mod tests;
