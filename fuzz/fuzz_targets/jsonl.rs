//! The JSON Lines reader through the public ingest API: every record of any file is an
//! article or an error naming its line, and the iteration ends.
#![no_main]

use std::io::Write;

use graf::ingest::{read, FileFormat, FoundFile, ReadOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut file = tempfile::Builder::new().suffix(".jsonl").tempfile().unwrap();
    file.write_all(data).unwrap();
    let found = FoundFile {
        path: file.path().to_path_buf(),
        key: "records.jsonl".to_string(),
        format: FileFormat::JsonLines,
        gzip: false,
        size: data.len() as u64,
    };
    let Ok(articles) = read(&found, &ReadOptions::default()) else {
        return;
    };
    // A file that starts like gzip is decompressed whatever its name (graf sniffs the
    // magic bytes), so its records are bounded by the lines of what it decompresses to.
    if data.starts_with(&[0x1f, 0x8b]) {
        for item in articles {
            if let Err(err) = item {
                assert!(!err.to_string().is_empty());
            }
        }
        return;
    }
    let lines = data.iter().filter(|&&b| b == b'\n').count() + 1;
    let mut records = 0;
    for item in articles {
        records += 1;
        assert!(records <= lines + 1, "more records than lines");
        if let Err(err) = item {
            assert!(!err.to_string().is_empty());
        }
    }
});
