//! Which part of the page is the article, by the method of readability (Arc90, Mozilla) as
//! trafilatura and readability-lxml use it: every paragraph of at least 25 characters scores
//! its container (1 + its commas + one per 100 characters, at most 3) and, less and less, the
//! containers above it; a container's score is then scaled down by its link density (the
//! share of its text inside links) and nudged by its class/id hints; the best container is the
//! article, with those of its siblings that score close to it or are plain paragraphs. Inside
//! it, blocks that look like furniture by their numbers (mostly links, more list items or
//! images than paragraphs, form fields, embeds) are left out ("cleaned conditionally").
//!
//! When what remains is short (under [`MIN_ARTICLE_CHARS`]) and the page holds more, the choice
//! is made again with fewer rules, as readability does: first keeping blocks marked unlikely
//! by their class/id, then ignoring class/id weights, then without conditional cleaning; the
//! longest result wins.
//!
//! Everything here is a loop over the flat [`Dom`]: no recursion, whatever the page's depth.

use super::dom::Dom;
use super::hints::Hints;

/// Below this many characters of article text the choice is retried with fewer rules.
pub(crate) const MIN_ARTICLE_CHARS: u32 = 500;

/// Elements that never hold article text.
const DROPPED_TAGS: &[&str] = &[
    "script",
    "style",
    "noscript",
    "template",
    "nav",
    "footer",
    "aside",
    "svg",
    "iframe",
    "button",
    "head",
    "title",
    "meta",
    "link",
    "object",
    "embed",
    "canvas",
    "select",
    "textarea",
    "dialog",
    "input",
    "label",
    "menu",
    "video",
    "audio",
    "map",
    "math",
    "figcaption",
];

/// Elements that start a new block of text; every other element is inline.
pub(crate) const BLOCK_TAGS: &[&str] = &[
    "#root",
    "address",
    "article",
    "blockquote",
    "body",
    "caption",
    "center",
    "dd",
    "details",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "header",
    "hgroup",
    "hr",
    "html",
    "legend",
    "li",
    "main",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "br",
];

/// How strictly a pass reads the page; each retry relaxes one more rule.
#[derive(Clone, Copy, Debug)]
struct Rules {
    strip_unlikely: bool,
    weigh_classes: bool,
    clean_conditionally: bool,
}

const PASSES: [Rules; 4] = [
    Rules {
        strip_unlikely: true,
        weigh_classes: true,
        clean_conditionally: true,
    },
    Rules {
        strip_unlikely: false,
        weigh_classes: true,
        clean_conditionally: true,
    },
    Rules {
        strip_unlikely: false,
        weigh_classes: false,
        clean_conditionally: true,
    },
    Rules {
        strip_unlikely: false,
        weigh_classes: false,
        clean_conditionally: false,
    },
];

/// The article: the subtrees to write, in document order, and the nodes to leave out inside
/// them.
pub(crate) struct Selection {
    pub(crate) roots: Vec<usize>,
    /// Per node: left out, with everything in it.
    pub(crate) skip: Vec<bool>,
}

/// Figures of every node, summed over its subtree (text lengths in bytes of collapsed text).
struct Figures {
    text: Vec<u32>,
    links: Vec<u32>,
    commas: Vec<u32>,
    paragraphs: Vec<u32>,
    images: Vec<u32>,
    items: Vec<u32>,
    inputs: Vec<u32>,
    embeds: Vec<u32>,
    headings: Vec<u32>,
}

/// Chooses the article in `dom`.
pub(crate) fn select(dom: &Dom) -> Selection {
    let hints: Vec<Hints> = dom
        .nodes
        .iter()
        .map(|node| match node.tag {
            Some(_) => Hints::of(node.marks.0, node.marks.1, node.attrs.role),
            None => Hints::default(),
        })
        .collect();
    let dropped = dropped_nodes(dom);
    let mut best: Option<(u32, Selection)> = None;
    for rules in PASSES {
        let selection = select_with(dom, &hints, &dropped, rules);
        let length = selected_length(dom, &selection);
        if length >= MIN_ARTICLE_CHARS {
            return selection;
        }
        // A relaxed pass must at least double the text to win: a few more lines are
        // furniture the stricter rules rightly left out.
        if best
            .as_ref()
            .is_none_or(|(kept, _)| length >= kept * 2 && length > *kept)
        {
            best = Some((length, selection));
        }
    }
    best.map(|(_, selection)| selection).unwrap_or(Selection {
        roots: Vec::new(),
        skip: dropped,
    })
}

/// Nodes that never hold article text: dropped tags and hidden elements, with their subtrees.
fn dropped_nodes(dom: &Dom) -> Vec<bool> {
    let mut dropped = vec![false; dom.len()];
    for (index, node) in dom.nodes.iter().enumerate() {
        let own = node.tag.is_some_and(|tag| DROPPED_TAGS.contains(&tag)) || node.attrs.hidden;
        dropped[index] = own || (index > 0 && dropped[node.parent as usize]);
    }
    dropped
}

fn select_with(dom: &Dom, hints: &[Hints], dropped: &[bool], rules: Rules) -> Selection {
    let mut skip = dropped.to_vec();
    if rules.strip_unlikely {
        for (index, node) in dom.nodes.iter().enumerate() {
            let keep_tag = matches!(
                node.tag,
                Some("#root" | "html" | "body" | "article" | "main")
            );
            if hints[index].unlikely && !keep_tag && !inside_table(dom, index) {
                skip[index] = true;
            }
            if index > 0 && skip[node.parent as usize] {
                skip[index] = true;
            }
        }
    }
    let figures = figures(dom, &skip);
    let weight = |index: usize| {
        if rules.weigh_classes {
            hints[index].weight
        } else {
            0
        }
    };
    let scores = paragraph_scores(dom, &skip, &figures, weight);
    let Some(top) = top_candidate(dom, &scores, &figures) else {
        let body = dom.first("body").unwrap_or(0);
        return Selection {
            roots: vec![body],
            skip,
        };
    };
    let roots = with_siblings(dom, &skip, &figures, &scores, top, weight);
    if rules.clean_conditionally {
        for &root in &roots {
            clean(dom, &mut skip, &figures, &scores, root, weight);
        }
    }
    Selection { roots, skip }
}

/// Whether `index` sits in a table (readability keeps unlikely-looking cells of layout tables).
fn inside_table(dom: &Dom, index: usize) -> bool {
    dom.ancestors(index).take(8).any(|a| dom.tag(a) == "table")
}

fn figures(dom: &Dom, skip: &[bool]) -> Figures {
    let n = dom.len();
    let mut f = Figures {
        text: vec![0; n],
        links: vec![0; n],
        commas: vec![0; n],
        paragraphs: vec![0; n],
        images: vec![0; n],
        items: vec![0; n],
        inputs: vec![0; n],
        embeds: vec![0; n],
        headings: vec![0; n],
    };
    for index in (1..n).rev() {
        if skip[index] {
            continue;
        }
        let node = &dom.nodes[index];
        match node.tag {
            None => {
                f.text[index] = collapsed_len(node.text);
                f.commas[index] = commas(node.text);
            }
            Some("a") => f.links[index] = f.text[index],
            Some("p") if f.text[index] > 0 => f.paragraphs[index] += 1,
            Some("img" | "picture") => f.images[index] += 1,
            Some("li") => f.items[index] += 1,
            Some("input" | "select" | "textarea") => f.inputs[index] += 1,
            Some("embed" | "object" | "iframe" | "video" | "audio") => f.embeds[index] += 1,
            Some("h1" | "h2" | "h3" | "h4" | "h5" | "h6") => f.headings[index] = f.text[index],
            _ => {}
        }
        let parent = node.parent as usize;
        f.text[parent] += f.text[index];
        f.links[parent] += f.links[index];
        f.commas[parent] += f.commas[index];
        f.paragraphs[parent] += f.paragraphs[index];
        f.images[parent] += f.images[index];
        f.items[parent] += f.items[index];
        f.inputs[parent] += f.inputs[index];
        f.embeds[parent] += f.embeds[index];
        f.headings[parent] += f.headings[index];
    }
    f
}

/// Bytes of `text` with whitespace runs counted as one space and the ends trimmed.
fn collapsed_len(text: &str) -> u32 {
    let mut length = 0;
    for word in text.split_whitespace() {
        length += word.len() as u32 + 1;
    }
    length
}

fn commas(text: &str) -> u32 {
    text.chars()
        .filter(|c| matches!(c, ',' | '，' | '、' | '،'))
        .count() as u32
}

impl Figures {
    fn link_density(&self, index: usize) -> f64 {
        match self.text[index] {
            0 => 0.0,
            text => f64::from(self.links[index]) / f64::from(text),
        }
    }
}

/// Content scores of the containers of paragraphs (0 for the rest).
fn paragraph_scores(
    dom: &Dom,
    skip: &[bool],
    figures: &Figures,
    weight: impl Fn(usize) -> i32,
) -> Vec<f64> {
    let n = dom.len();
    // The text of each block that is not inside a nested block: a paragraph's own text.
    let mut block_of = vec![0usize; n];
    let mut inline_text = vec![0u32; n];
    let mut inline_links = vec![0u32; n];
    let mut inline_commas = vec![0u32; n];
    let mut has_block_child = vec![false; n];
    let mut in_link = vec![false; n];
    for index in 1..n {
        let node = &dom.nodes[index];
        let parent = node.parent as usize;
        in_link[index] = in_link[parent] || node.tag == Some("a");
        match node.tag {
            Some(tag) if BLOCK_TAGS.contains(&tag) => {
                block_of[index] = index;
                has_block_child[block_of[parent]] = true;
            }
            Some(_) => block_of[index] = block_of[parent],
            None if !skip[index] => {
                let block = block_of[parent];
                inline_text[block] += figures.text[index];
                inline_commas[block] += figures.commas[index];
                if in_link[index] {
                    inline_links[block] += figures.text[index];
                }
            }
            None => {}
        }
    }
    let mut scores = vec![0.0f64; n];
    let mut initialised = vec![false; n];
    for index in 1..n {
        let Some(tag) = dom.nodes[index].tag else {
            continue;
        };
        let length = inline_text[index];
        let scored_tag = matches!(
            tag,
            "p" | "pre" | "td" | "div" | "section" | "article" | "main" | "blockquote" | "dd"
        );
        if skip[index] || length < 25 || !scored_tag {
            continue;
        }
        if inline_links[index] * 2 > length {
            continue;
        }
        let score = 1.0 + f64::from(inline_commas[index]) + (f64::from(length) / 100.0).min(3.0);
        // A paragraph scores its container; a block with text beside nested blocks is itself
        // the container of that text.
        let paragraph_like = matches!(tag, "p" | "pre" | "td") || !has_block_child[index];
        let first = if paragraph_like {
            dom.nodes[index].parent as usize
        } else {
            index
        };
        let containers = std::iter::once(first).chain(dom.ancestors(first)).take(5);
        for (level, container) in containers.enumerate() {
            if container == 0 || dom.nodes[container].tag.is_none() {
                break;
            }
            if !initialised[container] {
                initialised[container] = true;
                scores[container] = base_score(dom.tag(container)) + f64::from(weight(container));
            }
            let divider = match level {
                0 => 1.0,
                1 => 2.0,
                level => level as f64 * 3.0,
            };
            scores[container] += score / divider;
        }
    }
    for index in 0..n {
        if initialised[index] {
            scores[index] *= 1.0 - figures.link_density(index);
        }
    }
    scores
}

/// Readability's prior for a container by its tag.
fn base_score(tag: &str) -> f64 {
    match tag {
        "div" | "article" | "main" | "section" => 5.0,
        "pre" | "td" | "blockquote" => 3.0,
        "address" | "ol" | "ul" | "dl" | "dd" | "dt" | "li" | "form" => -3.0,
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "th" => -5.0,
        _ => 0.0,
    }
}

/// The best-scoring container, moved up to a common ancestor when several near-best ones
/// share it (an article split into blocks) and past wrappers that hold nothing else.
fn top_candidate(dom: &Dom, scores: &[f64], figures: &Figures) -> Option<usize> {
    let mut ranked: Vec<usize> = (1..dom.len()).filter(|&i| scores[i] > 0.0).collect();
    ranked.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]).then(a.cmp(&b)));
    let mut top = *ranked.first()?;
    let best = scores[top];
    let close: Vec<usize> = ranked
        .iter()
        .skip(1)
        .take(4)
        .copied()
        .filter(|&i| scores[i] >= best * 0.75)
        .collect();
    if close.len() >= 3 {
        let mut ancestor = dom.nodes[top].parent as usize;
        while ancestor != 0 && dom.tag(ancestor) != "body" {
            let holding = close
                .iter()
                .filter(|&&c| c > ancestor && c < dom.end(ancestor))
                .count();
            if holding >= 3 {
                top = ancestor;
                break;
            }
            ancestor = dom.nodes[ancestor].parent as usize;
        }
    }
    // Up to a parent that scores higher still, as long as the parents on the way keep a
    // third of the score (an article cut into sections by figures or ads).
    let mut last = scores[top];
    let threshold = last / 3.0;
    let mut parent = dom.nodes[top].parent as usize;
    while parent != 0 && !matches!(dom.tag(parent), "body" | "html") {
        if scores[parent] == 0.0 {
            parent = dom.nodes[parent].parent as usize;
            continue;
        }
        if scores[parent] < threshold {
            break;
        }
        if scores[parent] > last {
            top = parent;
            break;
        }
        last = scores[parent];
        parent = dom.nodes[parent].parent as usize;
    }
    // Up through wrappers whose only content is the candidate.
    loop {
        let parent = dom.nodes[top].parent as usize;
        if parent == 0 || matches!(dom.tag(parent), "body" | "html") {
            break;
        }
        if figures.text[parent] > figures.text[top] {
            break;
        }
        top = parent;
    }
    Some(top)
}

/// The top candidate and those of its siblings that belong to the article.
fn with_siblings(
    dom: &Dom,
    skip: &[bool],
    figures: &Figures,
    scores: &[f64],
    top: usize,
    weight: impl Fn(usize) -> i32,
) -> Vec<usize> {
    let parent = dom.nodes[top].parent as usize;
    if parent == 0 {
        return vec![top];
    }
    let threshold = (scores[top] * 0.2).max(10.0);
    let top_class = dom.nodes[top].marks.0;
    dom.children(parent)
        .filter(|&sibling| {
            if sibling == top {
                return true;
            }
            if skip[sibling] || dom.nodes[sibling].tag.is_none() {
                return false;
            }
            let bonus = if !top_class.is_empty() && dom.nodes[sibling].marks.0 == top_class {
                scores[top] * 0.2
            } else {
                0.0
            };
            if scores[sibling] + bonus >= threshold && weight(sibling) >= 0 {
                return true;
            }
            if dom.tag(sibling) != "p" {
                return false;
            }
            let length = figures.text[sibling];
            let density = figures.link_density(sibling);
            if length > 80 {
                density < 0.25
            } else {
                length > 0 && density == 0.0 && dom.text(sibling).ends_with(['.', '。', '!', '?'])
            }
        })
        .collect()
}

/// Leaves out the blocks under `root` that look like furniture by their figures.
fn clean(
    dom: &Dom,
    skip: &mut [bool],
    figures: &Figures,
    scores: &[f64],
    root: usize,
    weight: impl Fn(usize) -> i32,
) {
    let mut index = root + 1;
    let end = dom.end(root);
    while index < end {
        if skip[index] {
            index = dom.end(index).max(index + 1);
            continue;
        }
        let tag = dom.tag(index);
        let candidate = matches!(
            tag,
            "div"
                | "section"
                | "ul"
                | "ol"
                | "table"
                | "dl"
                | "figure"
                | "header"
                | "aside"
                | "fieldset"
                | "blockquote"
                | "center"
                | "form"
        );
        if candidate && is_furniture(dom, figures, scores, index, weight(index)) {
            let stop = dom.end(index);
            skip[index..stop].iter_mut().for_each(|s| *s = true);
            index = stop;
            continue;
        }
        index += 1;
    }
}

/// readability's `_cleanConditionally` test for one block.
fn is_furniture(dom: &Dom, figures: &Figures, scores: &[f64], index: usize, weight: i32) -> bool {
    let tag = dom.tag(index);
    if f64::from(weight) + scores[index] < 0.0 {
        return true;
    }
    if figures.commas[index] >= 10 {
        return false;
    }
    let text = figures.text[index];
    let is_list = matches!(tag, "ul" | "ol" | "dl")
        || (text > 0 && f64::from(list_text(dom, figures, index)) / f64::from(text) > 0.9);
    let paragraphs = figures.paragraphs[index];
    let images = figures.images[index];
    let items = figures.items[index].saturating_sub(100);
    let inputs = figures.inputs[index];
    let embeds = figures.embeds[index];
    let density = figures.link_density(index);
    let heading_density = if text == 0 {
        0.0
    } else {
        f64::from(figures.headings[index]) / f64::from(text)
    };
    let in_figure = tag == "figure" || dom.ancestors(index).take(4).any(|a| dom.tag(a) == "figure");
    (images > 1 && f64::from(paragraphs) / f64::from(images) < 0.5 && !in_figure)
        || (!is_list && items > paragraphs)
        || inputs > paragraphs / 3
        || (!is_list
            && heading_density < 0.9
            && text < 25
            && (images == 0 || images > 2)
            && !in_figure)
        || (!is_list && weight < 25 && density > 0.2)
        || (weight >= 25 && density > 0.5)
        || (embeds == 1 && text < 75)
        || embeds > 1
}

/// Text inside list items under `index`.
fn list_text(dom: &Dom, figures: &Figures, index: usize) -> u32 {
    let mut total = 0;
    let mut child = index + 1;
    let end = dom.end(index);
    while child < end {
        if dom.tag(child) == "li" {
            total += figures.text[child];
            child = dom.end(child);
        } else {
            child += 1;
        }
    }
    total
}

/// Text bytes the selection keeps.
fn selected_length(dom: &Dom, selection: &Selection) -> u32 {
    let mut total = 0;
    for &root in &selection.roots {
        for index in root..dom.end(root) {
            let node = &dom.nodes[index];
            if node.tag.is_none() && !selection.skip[index] {
                total += collapsed_len(node.text);
            }
        }
    }
    total
}
