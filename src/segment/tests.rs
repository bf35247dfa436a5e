//! Whole-module tests on literal articles; the per-rule tests live next to each rule.

use super::*;
use crate::model::PassageKind;

fn plain(text: &str) -> Segmented {
    segment(text, TextFormat::Plain, &SegmentOptions::default())
}

fn texts(out: &Segmented) -> Vec<&str> {
    out.passages.iter().map(|p| p.text.as_str()).collect()
}

#[test]
fn seed_shaped_article() {
    let text = "Acme Bets on Robots\n\nOverview\n\nAcme Corp. will spend $2 billion.\n\nThe plan will let Acme:\n\n  • Grow: Add new plants.\n  • Hire: Recruit 500 engineers.\n\nRisks\n\nCosts may rise.";
    let out = plain(text);
    assert_eq!(out.title.as_deref(), Some("Acme Bets on Robots"));
    assert_eq!(
        texts(&out),
        vec![
            "Acme Corp. will spend $2 billion.",
            "The plan will let Acme:",
            "Grow: Add new plants.",
            "Hire: Recruit 500 engineers.",
            "Costs may rise."
        ]
    );
    let item = &out.passages[2];
    assert_eq!(item.kind, PassageKind::ListItem);
    assert_eq!(item.context.as_deref(), Some("The plan will let Acme:"));
    assert_eq!(item.section, vec!["Overview"]);
    assert_eq!(out.passages[4].section, vec!["Risks"]);
    assert_eq!(out.passages[4].context, None);
    assert_eq!(
        (item.line, &text[item.span.clone()]),
        (9, "Grow: Add new plants.")
    );
}

#[test]
fn markdown_headings_nest() {
    let text = "# Deal\n\n## A\n\nOne.\n\n### B\n\nTwo.\n\n## C\n\n1. Three.\n2) Four.";
    let out = segment(text, TextFormat::Markdown, &SegmentOptions::default());
    assert_eq!(out.title.as_deref(), Some("Deal"));
    let sections: Vec<Vec<String>> = out.passages.iter().map(|p| p.section.clone()).collect();
    assert_eq!(
        sections,
        vec![vec!["A"], vec!["A", "B"], vec!["C"], vec!["C"]]
    );
    assert_eq!(out.passages[3].kind, PassageKind::ListItem);
}

#[test]
fn first_line_is_ordinary_when_title_is_known() {
    let options = SegmentOptions {
        title_from_first_line: false,
        ..SegmentOptions::default()
    };
    let out = segment("Acme Results\n\nRevenue rose.", TextFormat::Plain, &options);
    assert_eq!(out.title, None);
    assert_eq!(out.passages[0].section, vec!["Acme Results"]);
    let untitled = plain("Revenue rose sharply.\n\nCosts fell.");
    assert_eq!((untitled.title, untitled.passages.len()), (None, 2));
}

#[test]
fn front_matter_title_consumes_a_repeating_heading() {
    let text = "---\ntitle: Acme Results\n---\n# Acme results\n\nRevenue rose.";
    let out = segment(text, TextFormat::Markdown, &SegmentOptions::default());
    assert_eq!(out.title.as_deref(), Some("Acme Results"));
    assert!(out.headings.is_empty());
    assert_eq!(out.passages[0].line, 6);
}

#[test]
fn crlf_lines_and_spans() {
    let text = "Lead para one.\r\n\r\nSecond para\r\nwraps here.\r\n";
    let out = plain(text);
    assert_eq!(
        texts(&out),
        vec!["Lead para one.", "Second para wraps here."]
    );
    let second = &out.passages[1];
    assert_eq!(
        (second.line, &text[second.span.clone()]),
        (3, "Second para\r\nwraps here.")
    );
}

#[test]
fn long_paragraph_is_split_within_limits() {
    let sentence = "Acme Inc. said its Q3 revenue rose on strong demand from U.S. buyers. ";
    let text = sentence.repeat(40);
    let options = SegmentOptions {
        max_chars: 300,
        hard_max_chars: 600,
        title_from_first_line: true,
    };
    let out = segment(&text, TextFormat::Plain, &options);
    assert!(out.passages.len() > 5);
    for passage in &out.passages {
        assert!(passage.text.chars().count() <= 300);
        assert!(passage.text.ends_with("buyers."), "{}", passage.text);
        assert_eq!(text[passage.span.clone()].trim_end(), passage.text);
    }
}

#[test]
fn boilerplate_and_rules_are_dropped() {
    let out =
        plain("Revenue rose.\n\nAdvertisement\n\n* * *\n\nShare this article:\n\nCosts fell.");
    assert_eq!(texts(&out), vec!["Revenue rose.", "Costs fell."]);
    let reasons: Vec<DropReason> = out.dropped.iter().map(|d| d.reason).collect();
    use DropReason::*;
    assert_eq!(reasons, vec![Boilerplate, Separator, Boilerplate]);
}

#[test]
fn empty_and_blank_inputs_give_nothing() {
    for text in ["", "  \n\t\n\u{FEFF}\u{200B}\n"] {
        let out = plain(text);
        assert_eq!(out, Segmented::default());
    }
}

#[test]
fn a_body_of_heading_like_lines_is_text_not_headings() {
    let options = SegmentOptions {
        title_from_first_line: false,
        ..SegmentOptions::default()
    };
    let out = segment("Amazon raises prime prices", TextFormat::Plain, &options);
    assert_eq!(texts(&out), vec!["Amazon raises prime prices"]);
    assert!(out.headings.is_empty());
    let text = "Title: Prices\n\nAmazon raises prime prices\n\nIn Europe too\n";
    let out = plain(text);
    assert_eq!(out.title.as_deref(), Some("Prices"));
    assert_eq!(
        texts(&out),
        vec!["Amazon raises prime prices", "In Europe too"]
    );
    assert_eq!(out.passages[1].ordinal, 1);
    assert_eq!(&text[out.passages[1].span.clone()], "In Europe too");
    // Headings over real paragraphs stay headings.
    let out = plain("Title\n\nOutlook\n\nSales will grow.");
    assert_eq!(texts(&out), vec!["Sales will grow."]);
    assert_eq!(out.passages[0].section, vec!["Outlook"]);
}

#[test]
fn a_body_of_headings_is_split_within_the_hard_limit() {
    // A Markdown `#` heading has no length limit; as the only text it becomes passages,
    // which must keep the hard limit like any paragraph (found by the property test).
    let long = format!("# {}\n", "word ".repeat(100));
    let options = SegmentOptions {
        max_chars: 60,
        hard_max_chars: 120,
        title_from_first_line: false,
    };
    let out = segment(&long, TextFormat::Markdown, &options);
    assert!(out.passages.len() > 1, "{:?}", texts(&out));
    for passage in &out.passages {
        assert!(passage.text.chars().count() <= 120, "{}", passage.text);
        assert_eq!(&long[passage.span.clone()], passage.text);
        assert!(passage.section.is_empty());
    }
}

#[test]
fn a_headline_alone_is_its_own_passage_where_it_was_read() {
    let text = "\n\nAmazon cuts jobs in Coimbra\n";
    let out = plain(text);
    assert_eq!(out.title.as_deref(), Some("Amazon cuts jobs in Coimbra"));
    assert!(out.passages.is_empty());
    let passage = headline_passage(out.title.as_deref().unwrap(), &out, text);
    assert_eq!(passage.text, "Amazon cuts jobs in Coimbra");
    assert_eq!(passage.line, 3);
    assert_eq!(&text[passage.span.clone()], "Amazon cuts jobs in Coimbra");
    let given = headline_passage(" Given title ", &plain(""), "");
    assert_eq!(
        (given.text.as_str(), given.line, given.span),
        ("Given title", 1, 0..0)
    );
}
