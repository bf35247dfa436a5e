//! The segmenter on any text, as plain text and as Markdown, with small passage limits so
//! sentence splitting runs often. Checks the invariants every caller relies on.
#![no_main]

use graf::model::TextFormat;
use graf::segment::{segment, SegmentOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let options = SegmentOptions {
        max_chars: 60,
        hard_max_chars: 120,
        ..SegmentOptions::default()
    };
    for format in [TextFormat::Plain, TextFormat::Markdown] {
        let out = segment(text, format, &options);
        for passage in &out.passages {
            assert!(!passage.text.trim().is_empty(), "empty passage");
            assert!(passage.span.start <= passage.span.end && passage.span.end <= text.len());
            assert!(text.is_char_boundary(passage.span.start));
            assert!(text.is_char_boundary(passage.span.end));
        }
    }
});
