//! Property tests of `graf::segment`: over arbitrary text and over generated article-like text
//! (lines, blank lines, bullets, headings, rules, boilerplate, front matter, unicode, every line
//! ending), every visible character of the input lands, in order, in exactly one passage,
//! heading, title, front-matter block or dropped piece; spans, lines and ordinals agree; no
//! passage exceeds the hard limit.

use std::ops::Range;

use graf::model::TextFormat;
use graf::segment::{segment, SegmentOptions, Segmented};
use proptest::prelude::*;

/// Characters the segmenter removes or turns into spaces; all others must survive.
fn visible(c: char) -> bool {
    !c.is_whitespace() && !matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}')
}

/// Checks that the visible characters of `text` are those of `source`, in order, except for
/// hyphens the segmenter may have dropped when rejoining a word split across lines.
fn same_visible_chars(source: &str, text: &str, fold_case: bool) -> Result<(), String> {
    let same = |a: char, b: char| a == b || fold_case && a.to_lowercase().eq(b.to_lowercase());
    let mut src = source.chars().filter(|&c| visible(c));
    for want in text.chars().filter(|&c| visible(c)) {
        loop {
            match src.next() {
                Some(got) if same(got, want) => break,
                Some('-') => continue,
                got => return Err(format!("{want:?} vs {got:?} in {source:?} / {text:?}")),
            }
        }
    }
    match src.find(|&c| c != '-') {
        Some(extra) => Err(format!("extra {extra:?} in {source:?} / {text:?}")),
        None => Ok(()),
    }
}

/// Byte offsets where lines start, counting CRLF, LF and lone CR as one line end each.
fn line_starts(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut starts = vec![0];
    for (i, &b) in bytes.iter().enumerate() {
        let ends_line = b == b'\n' || b == b'\r' && bytes.get(i + 1) != Some(&b'\n');
        if ends_line {
            starts.push(i + 1);
        }
    }
    starts
}

/// 1-based line of byte `at`.
fn line_at(starts: &[usize], at: usize) -> u32 {
    starts.partition_point(|&start| start <= at) as u32
}

/// A piece of the output that accounts for a span of the input.
struct Piece<'a> {
    span: Range<usize>,
    text: Option<&'a str>,
    fold_case: bool,
}

fn pieces(out: &Segmented) -> Vec<Piece<'_>> {
    fn piece<'a>(span: &Range<usize>, text: &'a str) -> Piece<'a> {
        Piece {
            span: span.clone(),
            text: Some(text),
            fold_case: false,
        }
    }
    let mut all = Vec::new();
    all.extend(out.passages.iter().map(|p| piece(&p.span, &p.text)));
    all.extend(out.headings.iter().map(|h| piece(&h.span, &h.text)));
    all.extend(out.dropped.iter().map(|d| piece(&d.span, &d.text)));
    if let (Some(span), Some(title)) = (&out.title_span, &out.title) {
        all.push(Piece {
            span: span.clone(),
            text: Some(title),
            fold_case: true,
        });
    }
    if let Some(span) = &out.front_matter_span {
        all.push(Piece {
            span: span.clone(),
            text: None,
            fold_case: false,
        });
    }
    all.sort_by_key(|p| p.span.start);
    all
}

fn check(text: &str, out: &Segmented, options: &SegmentOptions) -> Result<(), TestCaseError> {
    let mut covered = 0;
    for piece in pieces(out) {
        prop_assert!(piece.span.start >= covered, "overlap at {:?}", piece.span);
        prop_assert!(piece.span.end <= text.len() && piece.span.start < piece.span.end);
        let gap = &text[covered..piece.span.start];
        prop_assert!(!gap.chars().any(visible), "lost text {gap:?}");
        if let Some(piece_text) = piece.text {
            let source = &text[piece.span.clone()];
            let checked = same_visible_chars(source, piece_text, piece.fold_case);
            prop_assert!(checked.is_ok(), "{}", checked.unwrap_err());
        }
        covered = piece.span.end;
    }
    let tail = &text[covered..];
    prop_assert!(!tail.chars().any(visible), "lost tail {tail:?}");
    let hard = options.hard_max_chars.max(options.max_chars);
    let starts = line_starts(text);
    let mut last_line = 0;
    for (i, passage) in out.passages.iter().enumerate() {
        prop_assert_eq!(passage.ordinal as usize, i);
        prop_assert!(
            passage.text.chars().count() <= hard,
            "too long: {}",
            passage.text
        );
        prop_assert!(!passage.text.is_empty());
        prop_assert_eq!(passage.line, line_at(&starts, passage.span.start));
        prop_assert!(passage.line >= last_line);
        last_line = passage.line;
    }
    Ok(())
}

const WORDS: &[&str] = &[
    "Acme",
    "Corp.",
    "Inc.",
    "rose",
    "fell",
    "revenue",
    "the",
    "U.S.",
    "Dr.",
    "J.",
    "P.",
    "infra-",
    "well-",
    "AI-",
    "said.",
    "said:",
    "growth",
    "收益は",
    "増加した。",
    "شركة",
    "نمو؟",
    "🚀",
    "e\u{301}",
    "👩\u{200D}💻",
    "a\u{00A0}b",
    "x\u{200B}y",
    "—",
    "5%",
    "$2",
    "(Reuters)",
    "“Yes.”",
    "?",
    "!",
    ":",
    "-",
    "*",
    "#",
    "1.",
    "a)",
    "Advertisement",
    "mid-",
];

fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => proptest::sample::select(WORDS).prop_map(String::from),
        1 => "[a-zA-Z]{1,12}",
        1 => "\\PC{1,6}",
    ]
}

fn words(range: Range<usize>) -> impl Strategy<Value = String> {
    proptest::collection::vec(word(), range).prop_map(|w| w.join(" "))
}

/// One article-like line (or a few, for wrapped prose).
fn line() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => words(1..20),
        2 => words(40..160),
        1 => Just(String::new()),
        1 => Just("  \t\u{00A0}".to_string()),
        2 => (prop_oneof![Just("• "), Just("  • "), Just("- "), Just("* "), Just("– "),
                          Just("1. "), Just("12) "), Just("a) "), Just("b. "), Just("+ ")],
              words(1..15))
            .prop_map(|(marker, text)| format!("{marker}{text}")),
        1 => (1..4usize, words(1..6)).prop_map(|(n, t)| format!("{} {t}", "#".repeat(n))),
        1 => words(1..5),
        1 => prop_oneof![Just("* * *"), Just("---"), Just("==="), Just("Share this article:"),
                         Just("Photo: Acme"), Just("\u{FEFF}"), Just("#"), Just("## x ##")]
            .prop_map(String::from),
    ]
}

fn line_ending() -> impl Strategy<Value = &'static str> {
    prop_oneof![6 => Just("\n"), 2 => Just("\r\n"), 1 => Just("\r"), 2 => Just("\n\n")]
}

fn front_matter() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => Just(String::new()),
        1 => Just("---\ntitle: Acme Buys Beta\ncompanies: Acme, Beta\ntags: [a, b]\n---\n".into()),
        1 => Just("---\ntitle: [broken\n---\n".into()),
        1 => Just("---\ntitle: never closed\n".into()),
        1 => Just("Title: Acme Buys Beta\nDate: 2024-01-02\nDesk: Markets\n\n".into()),
        1 => Just("Title: Acme\nnot a pair\n\n".into()),
        1 => Just("Acme Buys Beta\n\n".into()),
    ]
}

fn article() -> impl Strategy<Value = String> {
    (
        front_matter(),
        proptest::collection::vec((line(), line_ending()), 0..40),
    )
        .prop_map(|(front, lines)| {
            let mut text = front;
            for (line, ending) in lines {
                text.push_str(&line);
                text.push_str(ending);
            }
            text
        })
}

fn options() -> impl Strategy<Value = SegmentOptions> {
    (1..400usize, 0..400usize, any::<bool>()).prop_map(|(max, extra, title)| SegmentOptions {
        max_chars: max,
        hard_max_chars: max + extra,
        title_from_first_line: title,
    })
}

fn format() -> impl Strategy<Value = TextFormat> {
    prop_oneof![Just(TextFormat::Plain), Just(TextFormat::Markdown)]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn articles_are_covered_exactly(text in article(), format in format(), options in options()) {
        let out = segment(&text, format, &options);
        check(&text, &out, &options)?;
    }

    #[test]
    fn arbitrary_text_is_covered_exactly(text in "(\\PC|\\s){0,400}", format in format(), options in options()) {
        let out = segment(&text, format, &options);
        check(&text, &out, &options)?;
    }

}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn defaults_hold_on_long_articles(text in article(), format in format()) {
        let options = SegmentOptions::default();
        let long = text.repeat(8);
        let out = segment(&long, format, &options);
        check(&long, &out, &options)?;
    }
}
