//! Builders for unit tests: passages and articles made directly, without the segmenter or the
//! tagger, so index, search and listing tests state only what they care about.

use crate::companies::{Gazetteer, Tagger};
use crate::model::{Article, CompanyPath, Passage, PassageKind, TaggedPassage};

/// A paragraph at `ordinal` (line `2 * ordinal + 3`, section "Chips") tagged with `companies`,
/// each given as its path segments (`&["Amazon", "AWS"]`).
pub(crate) fn passage(ordinal: u32, text: &str, companies: &[&[&str]]) -> TaggedPassage {
    TaggedPassage {
        passage: Passage {
            ordinal,
            section: vec!["Chips".to_string()],
            context: None,
            text: text.to_string(),
            line: ordinal * 2 + 3,
            span: 0..text.len(),
            kind: PassageKind::Paragraph,
        },
        companies: companies
            .iter()
            .map(|path| CompanyPath::new(path.iter().copied()))
            .collect(),
    }
}

/// An article `id` (path `<id>.txt`, no title, source or date) holding `passages`.
pub(crate) fn article(id: &str, passages: Vec<TaggedPassage>) -> Article {
    Article {
        id: id.to_string(),
        path: format!("{id}.txt"),
        title: None,
        source: None,
        date: None,
        hash: 1,
        passages,
    }
}

/// A tagger over a two-company list: Amazon, and its subsidiary AWS ("Amazon Web Services").
pub(crate) fn tagger() -> Tagger {
    let list = "[[company]]\nname = \"Amazon\"\n\n[[company]]\nname = \"AWS\"\naliases = [\"Amazon Web Services\"]\nparent = \"Amazon\"\n";
    Tagger::new(Gazetteer::from_toml(list, "test").unwrap())
}

/// The company list of the tagger's and gazetteer's unit tests: Amazon and its subsidiary AWS,
/// names that are ordinary words (Apple, Block, Target, with `not_near` words and weak
/// aliases), a parent through an alias (Meta, Facebook, Instagram) and an apostrophe
/// (McDonald's).
pub(crate) const TEST_COMPANIES: &str = r#"
[[company]]
name = "Amazon"
aliases = ["Amazon.com"]
tickers = ["AMZN"]
not_near = ["river", "rainforest"]

[[company]]
name = "AWS"
aliases = ["Amazon Web Services"]
parent = "Amazon"

[[company]]
name = "Apple"
tickers = ["AAPL"]
not_near = ["orchard", "pie"]

[[company]]
name = "Microsoft"
tickers = ["MSFT"]

[[company]]
name = "Anthropic"

[[company]]
name = "Meta"
aliases = ["Meta Platforms", "Facebook"]
weak_aliases = ["Meta"]
tickers = ["META"]

[[company]]
name = "Instagram"
parent = "Meta"

[[company]]
name = "Block"
weak_aliases = ["Block"]

[[company]]
name = "Target"
weak_aliases = ["Target"]
tickers = ["TGT"]

[[company]]
name = "McDonald's"
"#;

/// A tagger over [`TEST_COMPANIES`].
pub(crate) fn test_tagger() -> Tagger {
    Tagger::new(Gazetteer::from_toml(TEST_COMPANIES, "test list").unwrap())
}
