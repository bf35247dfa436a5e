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
