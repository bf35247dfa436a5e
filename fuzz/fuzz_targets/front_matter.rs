//! Front matter: the input as the YAML block of a Markdown article and as the `Key: value`
//! header of a text article. Aliases, anchors, deep nesting and huge blocks must stay bounded.
#![no_main]

use graf::model::TextFormat;
use graf::segment::{segment, SegmentOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(block) = std::str::from_utf8(data) else {
        return;
    };
    let options = SegmentOptions::default();
    let markdown = format!("---\n{block}\n---\nThe body of the article follows here.\n");
    segment(&markdown, TextFormat::Markdown, &options);
    let plain = format!("{block}\n\nThe body of the article follows here.\n");
    segment(&plain, TextFormat::Plain, &options);
});
