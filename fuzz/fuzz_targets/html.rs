//! HTML extraction through the public ingest API (a file read with `graf::ingest::read`), then
//! segmentation of what it extracted.
#![no_main]

use std::io::Write;

use graf::ingest::{read, FileFormat, FoundFile, ReadOptions};
use graf::segment::{segment, SegmentOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut file = tempfile::Builder::new().suffix(".html").tempfile().unwrap();
    file.write_all(data).unwrap();
    let found = FoundFile {
        path: file.path().to_path_buf(),
        key: "page.html".to_string(),
        format: FileFormat::Html,
        gzip: false,
        size: data.len() as u64,
    };
    let Ok(articles) = read(&found, &ReadOptions::default()) else {
        return;
    };
    for doc in articles.flatten() {
        segment(&doc.text, doc.format, &SegmentOptions::default());
    }
});
