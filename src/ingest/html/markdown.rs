//! The chosen part of the page rewritten as Markdown for the segmenter: `#`×level headings,
//! paragraphs separated by blank lines, `- ` / `1. ` list items one per line (nested lists
//! indented by two spaces), blockquote, pre, table cells, dt/dd as paragraphs; inline elements
//! flattened with whitespace collapsed (`<br>` is a space). An `<h1>` equal to the title is
//! not repeated. The walk is a loop over the flat [`Dom`] with a stack of open elements, so a
//! page nested 10,000 levels deep costs no stack.

use super::dom::Dom;
use super::scoring::{Selection, BLOCK_TAGS};

/// One block of output: a paragraph, heading or list item.
struct Block {
    text: String,
    list_item: bool,
}

/// What to do when an open element closes.
enum Close {
    /// End the block being built (block elements, list items).
    Flush,
    /// End a heading of this level.
    Heading(usize),
    /// Leave a list.
    List,
    /// Nothing (inline elements).
    Nothing,
}

/// Writes the selected subtrees of `dom` as Markdown.
pub(crate) fn write(dom: &Dom, selection: &Selection, title: Option<&str>) -> String {
    let mut writer = Writer {
        blocks: Vec::new(),
        inline: String::new(),
        marker: None,
        lists: Vec::new(),
        title: title.map(str::to_string),
    };
    for &root in &selection.roots {
        writer.subtree(dom, selection, root);
    }
    writer.finish()
}

struct Writer {
    blocks: Vec<Block>,
    /// Text of the block being built, whitespace not yet collapsed.
    inline: String,
    /// The list marker (`- `, `2. `, indented) the block being built starts with.
    marker: Option<String>,
    /// Open lists, innermost last: `Some(next number)` for ordered ones.
    lists: Vec<Option<i64>>,
    /// The title still to be skipped when an `<h1>` repeats it.
    title: Option<String>,
}

impl Writer {
    fn subtree(&mut self, dom: &Dom, selection: &Selection, root: usize) {
        let mut open: Vec<(usize, Close)> = Vec::new();
        let end = dom.end(root).max(root + 1);
        let mut index = root;
        while index < end {
            while let Some((stop, _)) = open.last() {
                if *stop > index {
                    break;
                }
                let (_, close) = open.pop().expect("just looked");
                self.close(close);
            }
            if selection.skip[index] {
                index = dom.end(index).max(index + 1);
                continue;
            }
            let node = &dom.nodes[index];
            match node.tag {
                None => self.inline.push_str(node.text),
                Some(tag) => {
                    let close = self.open(dom, index, tag);
                    open.push((dom.end(index), close));
                }
            }
            index += 1;
        }
        while let Some((_, close)) = open.pop() {
            self.close(close);
        }
    }

    fn open(&mut self, dom: &Dom, index: usize, tag: &str) -> Close {
        match tag {
            "br" => {
                self.inline.push(' ');
                Close::Nothing
            }
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                self.flush();
                Close::Heading(tag[1..].parse().unwrap_or(1))
            }
            "ul" | "ol" => {
                self.flush();
                let start = dom.nodes[index].attrs.start;
                let number = start.and_then(|s| s.trim().parse().ok()).unwrap_or(1);
                self.lists.push((tag == "ol").then_some(number));
                Close::List
            }
            "li" => {
                self.flush();
                let depth = self.lists.len().max(1);
                let indent = "  ".repeat(depth - 1);
                self.marker = Some(match self.lists.last_mut() {
                    Some(Some(number)) => {
                        *number += 1;
                        format!("{indent}{}. ", *number - 1)
                    }
                    _ => format!("{indent}- "),
                });
                Close::Flush
            }
            _ if BLOCK_TAGS.contains(&tag) => {
                self.flush();
                Close::Flush
            }
            _ => Close::Nothing,
        }
    }

    fn close(&mut self, close: Close) {
        match close {
            Close::Flush => self.flush(),
            Close::Heading(level) => self.heading(level),
            Close::List => {
                self.flush();
                self.lists.pop();
            }
            Close::Nothing => {}
        }
    }

    fn heading(&mut self, level: usize) {
        let text = collapse_whitespace(&std::mem::take(&mut self.inline));
        self.marker = None;
        if level == 1 && self.title.as_deref() == Some(text.as_str()) {
            self.title = None;
            return;
        }
        if !text.is_empty() {
            self.blocks.push(Block {
                text: format!("{} {text}", "#".repeat(level)),
                list_item: false,
            });
        }
    }

    /// Ends the block being built, if it has any text.
    fn flush(&mut self) {
        let text = collapse_whitespace(&std::mem::take(&mut self.inline));
        let marker = self.marker.take();
        if text.is_empty() {
            return;
        }
        let (text, list_item) = match marker {
            Some(marker) => (marker + &text, true),
            None => (text, false),
        };
        self.blocks.push(Block { text, list_item });
    }

    /// Blocks joined: list items of one list on consecutive lines, everything else apart.
    fn finish(mut self) -> String {
        self.flush();
        let mut out = String::new();
        let mut previous_item = false;
        for block in &self.blocks {
            if !out.is_empty() {
                out.push_str(if previous_item && block.list_item {
                    "\n"
                } else {
                    "\n\n"
                });
            }
            out.push_str(&block.text);
            previous_item = block.list_item;
        }
        if !out.is_empty() {
            out.push('\n');
        }
        out
    }
}

pub(crate) fn collapse_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
