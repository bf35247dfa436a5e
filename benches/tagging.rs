//! Throughput of company tagging on real prose: the paragraphs of the first ~20 MB of
//! `../shared/data/gutenberg/sample.jsonl.gz` (relative to the repository root; override with
//! `GRAF_BENCH_GUTENBERG=path`), one article tagger per record, built-in gazetteer. Falls back
//! to a small invented business text when the sample is absent.
//!
//! `cargo bench --bench tagging` prints MB/s as criterion's `thrpt` for three runs over the
//! same records: tagging alone (paragraphs split on blank lines), segmentation alone (the
//! whole record through `graf::segment::segment`), and segmentation followed by tagging of
//! the passages it made, as the ingest pipeline does. The last two give the share tagging
//! adds to segmentation time (the goal: at most 15%).
//!
//! Two separate timings on a shared, noisy machine drift by ±15% from run to run, so the
//! share is also measured directly before criterion starts: each record is segmented and its
//! passages tagged, as in the pipeline, timing both steps in the same pass; the line
//! `tagging adds N% to segmentation time` gives the median of 15 passes (and their range).

use std::hint::black_box;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use graf::companies::{Gazetteer, Tagger};
use graf::model::TextFormat;
use graf::segment::{segment, SegmentOptions};

const SAMPLE_BYTES: usize = 20 << 20;

const FALLBACK: &str = "Amazon.com Inc. said on Tuesday it would invest in Anthropic PBC.\n\n\
    Kessler Freight GmbH won a contract; Kessler said the deal doubles its fleet.\n\n\
    Apple growers along the river saw prices rise while Microsoft (NASDAQ: MSFT) fell.\n\n\
    The company did not comment on the report, which analysts called a surprise.";

/// Articles as lists of paragraphs.
fn load_articles() -> Vec<Vec<String>> {
    let path = std::env::var_os("GRAF_BENCH_GUTENBERG")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("../shared/data/gutenberg/sample.jsonl.gz")
        });
    match read_sample(&path) {
        Some(articles) if !articles.is_empty() => articles,
        _ => {
            eprintln!(
                "{} not found: benchmarking a small built-in text",
                path.display()
            );
            vec![split_paragraphs(FALLBACK); 2000]
        }
    }
}

fn read_sample(path: &std::path::Path) -> Option<Vec<Vec<String>>> {
    let file = std::fs::File::open(path).ok()?;
    let reader = BufReader::new(flate2::read::GzDecoder::new(file));
    let mut articles = Vec::new();
    let mut total = 0;
    for line in reader.lines() {
        let record: serde_json::Value = serde_json::from_str(&line.ok()?).ok()?;
        let text = record.get("text").and_then(|t| t.as_str()).unwrap_or("");
        total += text.len();
        articles.push(split_paragraphs(text));
        if total >= SAMPLE_BYTES {
            break;
        }
    }
    Some(articles)
}

fn split_paragraphs(text: &str) -> Vec<String> {
    text.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect()
}

fn bench_tagging(c: &mut Criterion) {
    let articles = load_articles();
    let bytes: usize = articles.iter().flatten().map(String::len).sum();
    let tagger = Tagger::new(Gazetteer::builtin());
    eprintln!(
        "tagging {} paragraphs, {:.1} MB",
        articles.iter().map(Vec::len).sum::<usize>(),
        bytes as f64 / 1e6
    );
    let mut group = c.benchmark_group("companies");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.sample_size(10);
    let records: Vec<String> = articles
        .iter()
        .map(|paragraphs| paragraphs.join("\n\n"))
        .collect();
    group.bench_function("tag_paragraphs", |b| {
        b.iter(|| {
            let mut found = 0;
            for (paragraphs, record) in articles.iter().zip(&records) {
                let mut article = tagger.article(&[]).reading(record);
                for paragraph in paragraphs {
                    found += article.tag(paragraph).len();
                }
            }
            found
        })
    });
    let options = SegmentOptions::default();
    report_share(&records, &tagger, &options);
    group.bench_function("segment_only", |b| {
        b.iter(|| {
            records
                .iter()
                .map(|text| segment(text, TextFormat::Plain, &options).passages.len())
                .sum::<usize>()
        })
    });
    group.bench_function("segment_then_tag", |b| {
        b.iter(|| {
            let mut found = 0;
            for text in &records {
                let segmented = segment(text, TextFormat::Plain, &options);
                let mut article = tagger.article(&[]).reading(text);
                for passage in &segmented.passages {
                    found += article.tag(&passage.text).len();
                }
            }
            found
        })
    });
    group.finish();
}

/// Tagging time over segmentation time, both measured in one pass over `records`.
fn tagging_share(records: &[String], tagger: &Tagger, options: &SegmentOptions) -> f64 {
    let mut segmenting = Duration::ZERO;
    let mut tagging = Duration::ZERO;
    for text in records {
        let started = Instant::now();
        let segmented = segment(text, TextFormat::Plain, options);
        let segmented_at = Instant::now();
        let mut article = tagger.article(&[]).reading(text);
        for passage in &segmented.passages {
            black_box(article.tag(&passage.text));
        }
        tagging += segmented_at.elapsed();
        segmenting += segmented_at - started;
    }
    tagging.as_secs_f64() / segmenting.as_secs_f64()
}

fn report_share(records: &[String], tagger: &Tagger, options: &SegmentOptions) {
    tagging_share(records, tagger, options); // warm-up
    let mut shares: Vec<f64> = (0..15)
        .map(|_| tagging_share(records, tagger, options))
        .collect();
    shares.sort_by(f64::total_cmp);
    eprintln!(
        "tagging adds {:.1}% to segmentation time (median of {} passes; range {:.1}-{:.1}%)",
        shares[shares.len() / 2] * 100.0,
        shares.len(),
        shares[0] * 100.0,
        shares[shares.len() - 1] * 100.0
    );
}

criterion_group!(benches, bench_tagging);
criterion_main!(benches);
