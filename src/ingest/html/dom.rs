//! The parsed page as a flat arena in document order, built without recursion: node `i`'s
//! descendants are exactly `i + 1..end(i)`, so every pass over a subtree is a loop over a
//! range, whatever the nesting depth of the page, and per-node figures (text length, link
//! text, commas) are summed bottom-up by one reverse loop.

use scraper::{Html, Node as HtmlNode};

/// One element or text node of the page.
pub(crate) struct Node<'a> {
    /// The element's tag name (lower case), or `None` for text.
    pub(crate) tag: Option<&'a str>,
    /// The text of a text node; empty for elements.
    pub(crate) text: &'a str,
    /// The `class` and `id` attributes joined by a space (lower case not applied).
    pub(crate) marks: (&'a str, &'a str),
    pub(crate) attrs: Attrs<'a>,
    /// Index of the parent element; the root is its own parent.
    pub(crate) parent: u32,
    /// One past the last descendant.
    pub(crate) end: u32,
    pub(crate) depth: u32,
}

/// The few attributes the extractor reads.
#[derive(Default)]
pub(crate) struct Attrs<'a> {
    pub(crate) hidden: bool,
    pub(crate) start: Option<&'a str>,
    pub(crate) role: Option<&'a str>,
}

/// The page's nodes in document order; index 0 is the document root.
pub(crate) struct Dom<'a> {
    pub(crate) nodes: Vec<Node<'a>>,
}

impl<'a> Dom<'a> {
    /// Flattens `html`'s tree; comments, doctypes and processing instructions are left out.
    pub(crate) fn new(html: &'a Html) -> Dom<'a> {
        let mut nodes: Vec<Node<'a>> = Vec::new();
        // Open elements, innermost last.
        let mut open: Vec<u32> = Vec::new();
        for edge in html.tree.root().traverse() {
            match edge {
                ego_tree::iter::Edge::Open(node) => {
                    let parent = open.last().copied().unwrap_or(0);
                    let depth = open.len() as u32;
                    let index = nodes.len() as u32;
                    match node.value() {
                        HtmlNode::Document | HtmlNode::Fragment => {
                            nodes.push(element(Some("#root"), parent, depth));
                            open.push(index);
                        }
                        HtmlNode::Element(element_data) => {
                            let mut node = element(Some(element_data.name()), parent, depth);
                            node.marks = (
                                element_data.attr("class").unwrap_or(""),
                                element_data.id().unwrap_or(""),
                            );
                            node.attrs = Attrs {
                                hidden: is_hidden(element_data),
                                start: element_data.attr("start"),
                                role: element_data.attr("role"),
                            };
                            nodes.push(node);
                            open.push(index);
                        }
                        HtmlNode::Text(text) => {
                            let mut node = element(None, parent, depth);
                            node.text = &**text;
                            node.end = index + 1;
                            nodes.push(node);
                        }
                        _ => {}
                    }
                }
                ego_tree::iter::Edge::Close(node) => {
                    let opened = matches!(
                        node.value(),
                        HtmlNode::Document | HtmlNode::Fragment | HtmlNode::Element(_)
                    );
                    if opened {
                        if let Some(index) = open.pop() {
                            nodes[index as usize].end = nodes.len() as u32;
                        }
                    }
                }
            }
        }
        Dom { nodes }
    }

    pub(crate) fn len(&self) -> usize {
        self.nodes.len()
    }

    pub(crate) fn tag(&self, index: usize) -> &'a str {
        self.nodes[index].tag.unwrap_or("")
    }

    pub(crate) fn end(&self, index: usize) -> usize {
        self.nodes[index].end as usize
    }

    /// The children of `index`, in order.
    pub(crate) fn children(&self, index: usize) -> impl Iterator<Item = usize> + '_ {
        let end = self.end(index);
        let mut next = index + 1;
        std::iter::from_fn(move || {
            (next < end).then(|| {
                let child = next;
                next = self.end(child);
                child
            })
        })
    }

    /// The elements `index` is inside, innermost first (the root excluded).
    pub(crate) fn ancestors(&self, index: usize) -> impl Iterator<Item = usize> + '_ {
        let mut current = index;
        std::iter::from_fn(move || {
            let parent = self.nodes[current].parent as usize;
            (parent != current && parent != 0).then(|| {
                current = parent;
                parent
            })
        })
    }

    /// The first element named `tag`, in document order.
    pub(crate) fn first(&self, tag: &str) -> Option<usize> {
        (0..self.len()).find(|&index| self.nodes[index].tag == Some(tag))
    }

    /// The text under `index` with whitespace collapsed.
    pub(crate) fn text(&self, index: usize) -> String {
        let mut out = String::new();
        for node in &self.nodes[index..self.end(index).max(index + 1)] {
            for word in node.text.split_whitespace() {
                if !out.is_empty() {
                    out.push(' ');
                }
                out.push_str(word);
            }
        }
        out
    }
}

fn element(tag: Option<&str>, parent: u32, depth: u32) -> Node<'_> {
    Node {
        tag,
        text: "",
        marks: ("", ""),
        attrs: Attrs::default(),
        parent,
        end: 0,
        depth,
    }
}

/// Hidden from readers: `hidden`, `aria-hidden="true"`, or an inline `display:none`.
fn is_hidden(element: &scraper::node::Element) -> bool {
    if element.attr("hidden").is_some() || element.attr("aria-hidden") == Some("true") {
        return true;
    }
    element.attr("style").is_some_and(|style| {
        let compact: String = style
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        compact.contains("display:none") || compact.contains("visibility:hidden")
    })
}
