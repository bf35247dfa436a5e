//! Property tests for company tagging: whatever the text (any Unicode, names next to
//! non-ASCII words, suffixes, acronyms, tickers), tagging never panics and always returns
//! sorted, unique company paths.

use graf::companies::{Gazetteer, Tagger};
use proptest::prelude::*;

fn tagger() -> &'static Tagger {
    static TAGGER: std::sync::OnceLock<Tagger> = std::sync::OnceLock::new();
    TAGGER.get_or_init(|| Tagger::new(Gazetteer::builtin()))
}

/// Words that exercise the rules: gazetteer names, ambiguity hints, suffixes, tickers,
/// possessives, and non-ASCII words of every width.
fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("Amazon".to_string()),
        Just("Amazon's".to_string()),
        Just("Amazon’s".to_string()),
        Just("AWS".to_string()),
        Just("river".to_string()),
        Just("rivers".to_string()),
        Just("Apple".to_string()),
        Just("orchards".to_string()),
        Just("Inc.".to_string()),
        Just("GmbH".to_string()),
        Just("(NASDAQ: AMZN)".to_string()),
        Just("Payne".to_string()),
        Just("Webber".to_string()),
        Just("(PW)".to_string()),
        Just("αταρ".to_string()),
        Just("José".to_string()),
        Just("Nestlé".to_string()),
        Just("東京".to_string()),
        Just("😀".to_string()),
        "[A-Za-z]{1,9}",
        "\\PC{1,6}",
    ]
}

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        (
            word(),
            prop_oneof![Just(" "), Just(", "), Just(". "), Just("\n")],
        ),
        0..40,
    )
    .prop_map(|parts| parts.into_iter().map(|(w, sep)| w + sep).collect())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn tagging_never_panics_and_returns_sorted_unique_paths(paragraphs in prop::collection::vec(text(), 1..5)) {
        let mut article = tagger().article(&[]);
        for paragraph in &paragraphs {
            let found = article.tag(paragraph);
            prop_assert!(found.windows(2).all(|w| w[0] < w[1]), "{found:?}");
        }
    }

    #[test]
    fn arbitrary_unicode_never_panics(text in "\\PC{0,300}") {
        let mut article = tagger().article(&["Acme Holdings".to_string()]);
        article.tag(&text);
    }
}
