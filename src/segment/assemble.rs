//! Assembly: turns the units `blocks` finds into the article's title, heading path, passages
//! (split when long, with byte spans and lines) and dropped text; `mod.rs` packs the result
//! into [`Segmented`].

use std::ops::Range;

use super::blocks::{reads_as_heading, Sink};
use super::clean::{Normalized, SourceLine};
use super::{sentences, DropReason, Dropped, Heading, Segmented};
use crate::model::{Passage, PassageKind};

/// Passage size limits, already made consistent (`1 <= max <= hard`).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Limits {
    pub max_chars: usize,
    pub hard_max_chars: usize,
}

/// How the title is found: from front matter (then a first heading repeating it is consumed),
/// or from the first line when allowed.
#[derive(Debug)]
pub(crate) enum TitleRule {
    Known(String),
    FirstLine,
    None,
}

pub(crate) struct Assembler<'a> {
    text: &'a str,
    limits: Limits,
    title_rule: TitleRule,
    /// True until the first unit that is not dropped text.
    at_first_unit: bool,
    title: Option<String>,
    title_span: Option<Range<usize>>,
    /// Heading path in force: `(level, text)`, outermost first.
    sections: Vec<(u8, String)>,
    section: Vec<String>,
    /// The last paragraph piece when it ends with a colon: the lead-in of a following list.
    lead_in: Option<String>,
    passages: Vec<Passage>,
    headings: Vec<Heading>,
    dropped: Vec<Dropped>,
}

impl<'a> Assembler<'a> {
    pub(crate) fn new(text: &'a str, limits: Limits, title_rule: TitleRule) -> Self {
        Assembler {
            text,
            limits,
            title_rule,
            at_first_unit: true,
            title: None,
            title_span: None,
            sections: Vec::new(),
            section: Vec::new(),
            lead_in: None,
            passages: Vec::new(),
            headings: Vec::new(),
            dropped: Vec::new(),
        }
    }

    /// Moves what was assembled into `out`. A body made only of heading-like lines is text,
    /// not structure: its headings become the passages, so that no article with text is
    /// dropped as empty (a wire flash of one short line, a headline under a given title).
    pub(crate) fn finish(mut self, out: &mut Segmented) {
        if self.passages.is_empty() {
            // Split as paragraphs are, so that no passage exceeds the hard limit (a Markdown
            // `#` heading has no length limit).
            let headings = std::mem::take(&mut self.headings);
            self.section.clear();
            self.lead_in = None;
            for heading in &headings {
                let line = SourceLine {
                    content: heading.span.clone(),
                    number: heading.line,
                };
                self.push_passages(std::slice::from_ref(&line), PassageKind::Paragraph);
            }
        }
        out.title = match self.title_rule {
            TitleRule::Known(title) => Some(title),
            _ => self.title,
        };
        out.title_span = self.title_span;
        out.passages = self.passages;
        out.headings = self.headings;
        out.dropped = self.dropped;
    }

    /// Takes the first unit as the title when it may be one; `true` when it did.
    fn take_title(&mut self, text: &str, span: &Range<usize>, may_be_title: bool) -> bool {
        if !std::mem::replace(&mut self.at_first_unit, false) || !may_be_title {
            return false;
        }
        let taken = match &self.title_rule {
            TitleRule::Known(known) => known.to_lowercase() == text.to_lowercase(),
            TitleRule::FirstLine => {
                self.title = Some(text.to_string());
                true
            }
            TitleRule::None => false,
        };
        if taken {
            self.title_span = Some(span.clone());
        }
        taken
    }

    /// Pushes the passages of one paragraph or item; returns the text of its last piece when
    /// it ends with a colon (a lead-in).
    fn push_passages(&mut self, lines: &[SourceLine], kind: PassageKind) -> Option<String> {
        let normalized = Normalized::from_lines(self.text, lines);
        if normalized.text.is_empty() {
            return None;
        }
        let context = match kind {
            PassageKind::ListItem => self.lead_in.clone(),
            PassageKind::Paragraph => None,
        };
        let fits = normalized.text.len() <= self.limits.max_chars
            || normalized.text.chars().count() <= self.limits.max_chars;
        let pieces = if fits {
            std::iter::once(0..normalized.text.len()).collect()
        } else {
            let Limits {
                max_chars,
                hard_max_chars,
            } = self.limits;
            sentences::split(&normalized.text, max_chars, hard_max_chars)
        };
        let last_piece = pieces.last().cloned().unwrap_or_default();
        let lead_in = ends_with_colon(&normalized.text[last_piece.clone()])
            .then(|| normalized.text[last_piece].to_string());
        for piece in pieces {
            let span = normalized.source_start(piece.start)..normalized.source_end(piece.end);
            let text = normalized.text[piece].to_string();
            self.passages.push(Passage {
                ordinal: self.passages.len() as u32,
                section: self.section.clone(),
                context: context.clone(),
                text,
                line: line_of(lines, span.start),
                span,
                kind,
            });
        }
        lead_in
    }
}

/// Line number of the source line holding byte `at`.
fn line_of(lines: &[SourceLine], at: usize) -> u32 {
    let i = lines.partition_point(|l| l.content.start <= at);
    lines
        .get(i.wrapping_sub(1))
        .or(lines.first())
        .map_or(1, |l| l.number)
}

fn ends_with_colon(text: &str) -> bool {
    text.ends_with(':') || text.ends_with('：')
}

impl Sink for Assembler<'_> {
    fn heading(&mut self, level: u8, line: SourceLine) {
        let text = Normalized::from_lines(self.text, std::slice::from_ref(&line)).text;
        let span = line.content.clone();
        if self.take_title(&text, &span, level == 1) {
            return;
        }
        while self.sections.last().is_some_and(|(open, _)| *open >= level) {
            self.sections.pop();
        }
        self.sections.push((level, text.clone()));
        self.section = self.sections.iter().map(|(_, t)| t.clone()).collect();
        self.lead_in = None;
        self.headings.push(Heading {
            text,
            level,
            line: line.number,
            span,
        });
    }

    fn paragraph(&mut self, lines: &[SourceLine]) {
        if let (true, [single]) = (self.at_first_unit, lines) {
            let text = Normalized::from_lines(self.text, lines).text;
            if self.take_title(&text, &single.content, reads_as_heading(&text)) {
                return;
            }
        }
        self.at_first_unit = false;
        self.lead_in = self.push_passages(lines, PassageKind::Paragraph);
    }

    fn item(&mut self, lines: &[SourceLine]) {
        self.at_first_unit = false;
        self.push_passages(lines, PassageKind::ListItem);
    }

    fn dropped(&mut self, content: Range<usize>, line: u32, reason: DropReason) {
        self.dropped.push(Dropped {
            text: self.text[content.clone()].to_string(),
            reason,
            line,
            span: content,
        });
    }
}
