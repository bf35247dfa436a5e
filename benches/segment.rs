//! Segmentation throughput on real prose: the `text` fields of the first ~20 MB of
//! `../shared/data/gutenberg/sample.jsonl.gz` (relative to the crate root, or `$GRAF_DATA_DIR`
//! when set), segmented as plain text with the default options. When the sample is absent it
//! says so and benchmarks a small built-in article instead. Run: `cargo bench --bench segment`.

use std::fs::File;
use std::hint::black_box;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use flate2::read::GzDecoder;
use graf::model::TextFormat;
use graf::segment::{segment, SegmentOptions};

/// How much article text to load from the sample.
const BUDGET_BYTES: usize = 20 << 20;

fn sample_path() -> PathBuf {
    let data = std::env::var_os("GRAF_DATA_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data"));
    data.join("gutenberg/sample.jsonl.gz")
}

/// The `text` of each JSON line until [`BUDGET_BYTES`]; `None` when the sample is unreadable.
fn load_sample() -> Option<Vec<String>> {
    let path = sample_path();
    let Ok(file) = File::open(&path) else {
        eprintln!(
            "segment bench: {} not found, benchmarking a built-in article",
            path.display()
        );
        return None;
    };
    let mut texts = Vec::new();
    let mut total = 0;
    for line in BufReader::new(GzDecoder::new(file)).lines() {
        let Ok(line) = line else { break };
        let Ok(record) = serde_json::from_str::<serde_json::Value>(&line) else {
            continue;
        };
        if let Some(text) = record.get("text").and_then(|t| t.as_str()) {
            total += text.len();
            texts.push(text.to_string());
        }
        if total >= BUDGET_BYTES {
            break;
        }
    }
    (!texts.is_empty()).then_some(texts)
}

/// A small invented article with every structure the segmenter knows, repeated.
fn builtin_articles() -> Vec<String> {
    let article = "Acme Widgets Posts Record Quarter\n\nAcme Widgets Inc. said on Tuesday that \
        revenue rose 12% to $3.1 billion, helped by demand from U.S. factories and a weaker \
        dollar.\n\nWhat Drove Growth\n\nThe company pointed to three factors:\n\n  • Pricing: \
        Higher list prices stuck.\n  • Volume: Orders rose in every region.\n  • Costs: \
        Freight fell.\n\nShares rose 4% in early trading.\n";
    vec![article.repeat(50); 200]
}

fn bench_segment(c: &mut Criterion) {
    let (name, texts) = match load_sample() {
        Some(texts) => ("gutenberg_20mb", texts),
        None => ("builtin", builtin_articles()),
    };
    let bytes: usize = texts.iter().map(String::len).sum();
    let options = SegmentOptions::default();
    let mut group = c.benchmark_group("segment");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(10));
    group.bench_function(name, |b| {
        b.iter(|| {
            for text in &texts {
                black_box(segment(black_box(text), TextFormat::Plain, &options));
            }
        })
    });
    group.finish();
}

criterion_group!(benches, bench_segment);
criterion_main!(benches);
