//! The query language: `company:` splitting, tantivy's grammar with graf's fallbacks (lenient
//! and strict), and the plain-word fallback, on an empty index built once.
#![no_main]

use std::sync::OnceLock;

use graf::indexer::GrafIndex;
use graf::search::query::{parse, plain_words, split_company_terms};
use libfuzzer_sys::fuzz_target;

fn index() -> &'static GrafIndex {
    static INDEX: OnceLock<GrafIndex> = OnceLock::new();
    INDEX.get_or_init(GrafIndex::create_in_ram)
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let graf = index();
    let split = split_company_terms(text);
    let _ = plain_words(&split.text);
    if split.text.trim().is_empty() {
        return;
    }
    let boost = graf::search::Ranking::default().title_boost;
    let _ = parse(graf.index(), &graf.fields(), &split.text, false, boost);
    let _ = parse(graf.index(), &graf.fields(), &split.text, true, boost);
});
