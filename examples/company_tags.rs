//! Every (passage, company) tag graf gives a JSON Lines corpus (`{"id", "text"}` per line,
//! gzip allowed), one JSON line per tag: `{"article_id", "paragraph", "company", "text"}`,
//! segmented and tagged the way `graf ingest` does it. Input for
//! `scripts/sample-company-tags.py`, which draws and scores a random sample of the tags.
//!
//! `cargo run --release --example company_tags -- ../shared/data/gutenberg/sample.jsonl.gz`

use std::io::{BufRead, BufReader, Read, Write};

use graf::companies::{Gazetteer, Tagger};
use graf::model::TextFormat;
use graf::segment::{segment, SegmentOptions};
use serde::Deserialize;

#[derive(Deserialize)]
struct Part {
    id: String,
    text: String,
}

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: company_tags CORPUS.jsonl[.gz]");
        std::process::exit(2);
    };
    let file = std::fs::File::open(&path).unwrap_or_else(|e| {
        eprintln!("{path}: {e}");
        std::process::exit(1);
    });
    let input: Box<dyn Read> = if path.ends_with(".gz") {
        Box::new(flate2::read::GzDecoder::new(file))
    } else {
        Box::new(file)
    };
    let tagger = Tagger::new(Gazetteer::builtin());
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    for (number, line) in BufReader::new(input).lines().enumerate() {
        let Ok(line) = line else {
            eprintln!("{path}:{}: unreadable line", number + 1);
            continue;
        };
        let Ok(part) = serde_json::from_str::<Part>(&line) else {
            eprintln!("{path}:{}: not a JSON object with id and text", number + 1);
            continue;
        };
        let segmented = segment(&part.text, TextFormat::Plain, &SegmentOptions::default());
        let mut tagging = tagger
            .article(&segmented.meta.companies)
            .reading(&part.text);
        if let Some(title) = &segmented.title {
            tagging.tag(title);
        }
        for (i, passage) in segmented.passages.iter().enumerate() {
            for company in tagging.tag(&passage.text) {
                let row = serde_json::json!({
                    "article_id": part.id,
                    "paragraph": i,
                    "company": company.name(),
                    "text": passage.text,
                });
                if writeln!(out, "{row}").is_err() {
                    return;
                }
            }
        }
    }
}
