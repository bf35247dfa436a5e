//! Extraction from whole pages: metadata, Markdown structure, the choice of the article block,
//! furniture left out, hostile pages refused.

use super::*;

fn body(html: &str) -> String {
    extract(html).unwrap().0
}

/// A paragraph of article prose, long enough to score, numbered to tell them apart.
fn prose(n: usize) -> String {
    format!(
        "<p>Paragraph {n} of the story says that the company, which makes chips, will expand \
         its plant, hire more engineers, and ship new parts next year, its chief said.</p>"
    )
}

fn story(paragraphs: usize) -> String {
    (1..=paragraphs).map(prose).collect()
}

#[test]
fn metadata_prefers_open_graph_then_title_then_h1() {
    let (_, meta) = extract(
        r#"<html><head><title>Page | Site</title>
        <meta property="og:title" content=" Real   headline ">
        <meta property="og:site_name" content="Daily Ledger">
        <meta name="author" content="A. Writer">
        <link rel="canonical" href="https://example.com/a">
        <meta property="article:published_time" content="2025-03-01T08:00:00Z">
        </head><body><p>x</p></body></html>"#,
    )
    .unwrap();
    assert_eq!(meta.title.as_deref(), Some("Real headline"));
    assert_eq!(meta.source.as_deref(), Some("Daily Ledger"));
    assert_eq!(meta.author.as_deref(), Some("A. Writer"));
    assert_eq!(meta.url.as_deref(), Some("https://example.com/a"));
    assert_eq!(meta.date.as_deref(), Some("2025-03-01T08:00:00Z"));
    let (_, meta) = extract("<title>Only title</title><p>x</p>").unwrap();
    assert_eq!(meta.title.as_deref(), Some("Only title"));
    let (_, meta) =
        extract(r#"<h1>Big <em>news</em></h1><time datetime="2024-05-06">May</time>"#).unwrap();
    assert_eq!(meta.title.as_deref(), Some("Big news"));
    assert_eq!(meta.date.as_deref(), Some("2024-05-06"));
    let (_, meta) = extract(
        r#"<title>Chips deal | Daily Ledger</title><meta property="og:site_name" content="Daily Ledger">"#,
    )
    .unwrap();
    assert_eq!(meta.title.as_deref(), Some("Chips deal"));
}

#[test]
fn body_is_markdown_with_headings_paragraphs_and_lists() {
    let text = body(
        "<body><h2>Results</h2><p>First   line<br>second\n line.</p>\
         <p>Lead-in:</p><ul><li>one</li><li><b>two</b> items</li></ul>\
         <ol start=\"3\"><li>third</li><li>fourth<ul><li>nested</li></ul></li></ol>\
         <blockquote><p>Quoted.</p></blockquote><table><tr><td>cell a</td><td>cell b</td></tr></table></body>",
    );
    assert_eq!(
        text,
        "## Results\n\nFirst line second line.\n\nLead-in:\n\n- one\n- two items\n\
         3. third\n4. fourth\n  - nested\n\nQuoted.\n\ncell a\n\ncell b\n"
    );
}

#[test]
fn furniture_is_dropped_and_the_title_h1_is_not_repeated() {
    let text = body(&format!(
        r#"<html><head><title>Chips deal</title><script>var x = 1;</script></head><body>
        <nav><a href="/">Home</a></nav><div class="cookie-banner">We use cookies</div>
        <article><h1>Chips deal</h1>{}
        <div class="social-share"><a href="/s">Share</a></div><p hidden>secret</p>
        <p class="shareholder-note">Shareholders approved the deal, the filing said.</p></article>
        <aside>Related</aside><footer>(c)</footer></body></html>"#,
        story(3)
    ));
    assert!(text.starts_with("Paragraph 1 of the story"), "{text}");
    assert!(
        text.ends_with("Shareholders approved the deal, the filing said.\n"),
        "{text}"
    );
    for furniture in [
        "Chips deal\n",
        "cookies",
        "Share\n",
        "secret",
        "Related",
        "(c)",
        "Home",
    ] {
        assert!(!text.contains(furniture), "{furniture} in {text}");
    }
}

#[test]
fn the_article_is_the_block_with_the_most_prose_not_the_longest_article_element() {
    let teasers: String = (0..12)
        .map(|i| format!("<article><a href=\"/t{i}\">Teaser headline number {i} about other news</a></article>"))
        .collect();
    let comment = "<article class=\"comment\"><p>A reader comment, short.</p></article>";
    let page = format!(
        "<body><main></main><div class=\"grid\">{teasers}</div>\
         <div id=\"story\">{}</div>{comment}</body>",
        story(4)
    );
    let text = body(&page);
    assert!(text.starts_with("Paragraph 1"), "{text}");
    assert!(text.contains("Paragraph 4"), "{text}");
    assert!(!text.contains("Teaser"), "{text}");
    assert!(!text.contains("reader comment"), "{text}");
}

#[test]
fn a_menu_of_links_and_a_byline_box_inside_the_article_are_left_out() {
    let menu: String = (0..8)
        .map(|i| format!("<li><a href=\"/s{i}\">Section {i}</a></li>"))
        .collect();
    let page = format!(
        "<body><div><ul>{menu}</ul></div><div class=\"article-body\">\
         <div class=\"byline\">By A. Writer</div>{}\
         <div><a href=\"/x\">More from the Ledger</a> <a href=\"/y\">Markets</a></div></div></body>",
        story(4)
    );
    let text = body(&page);
    assert!(!text.contains("Section"), "{text}");
    assert!(!text.contains("More from"), "{text}");
    assert!(text.contains("Paragraph 4"), "{text}");
}

#[test]
fn a_short_page_keeps_its_text_when_no_block_scores() {
    assert_eq!(
        body("<body><p>Out</p><main><p>In</p></main></body>"),
        "Out\n\nIn\n"
    );
    assert_eq!(body("<p>Loose text</p>"), "Loose text\n");
    assert_eq!(body(""), "");
    assert_eq!(body("\u{feff}<p>BOM page</p>"), "BOM page\n");
}

#[test]
fn a_post_whose_class_mentions_social_keeps_its_text() {
    let page = format!(
        "<body><div class=\"post social-enabled\">{}<blockquote class=\"twitter-tweet\">\
         <p>An embedded quote from the chief, about the new plant, its size, its cost.</p>\
         </blockquote></div></body>",
        story(3)
    );
    let text = body(&page);
    assert!(text.contains("Paragraph 3"), "{text}");
    assert!(text.contains("embedded quote"), "{text}");
}

#[test]
fn deep_nesting_is_refused_without_recursion() {
    let deep = "<div>".repeat(5_000) + "text";
    let refused = extract(&deep).unwrap_err();
    assert!(refused.problem.contains("nested"), "{}", refused.problem);
    let fine = "<div>".repeat(200) + &story(3);
    assert!(body(&fine).contains("Paragraph 3"));
}

#[test]
fn a_tag_with_too_many_attributes_is_refused_with_its_line() {
    let attributes: String = (0..2_000).map(|i| format!(" a{i}=\"v\"")).collect();
    let page = format!("<p>x</p>\n<div{attributes}>y</div>");
    let refused = extract(&page).unwrap_err();
    assert_eq!(refused.line, Some(2));
    assert!(
        refused.problem.contains("2000 attributes"),
        "{}",
        refused.problem
    );
    let script = format!(
        "<script>if (a <b{}) {{}}</script><p>ok</p>",
        " x".repeat(2_000)
    );
    assert!(extract(&script).is_ok());
}
