//! Pasted paragraphs (issue 15): per-query wall time of top-10 searches whose query is a
//! pasted stretch of prose of about 1 KB, 4 KB and 10 KB, over the Gutenberg bench index
//! (about 0.9 M passages), against the goal of p99 < 200 ms up to 10 KB.
//!
//! The index is `$GRAF_BENCH_INDEX` when set, else `<target dir>/bench-index`, which
//! `cargo bench --bench latency` builds (run it first). Without one the bench says so and
//! exits 0. Each query is consecutive passages of the index itself (the passages that follow
//! a random one, as ingest laid them out: mostly one stretch of one book), cut at a word
//! boundary to its size; 100 queries per size (fixed seed) after 10 warm-up queries, each
//! timed through `graf::search::search` on one held searcher, and once through the CLI's
//! path (`graf::pipeline::search`).
//!
//! Run: `cargo bench --bench paste`. `GRAF_BENCH_PASTE_QUERIES=N` times N queries per size
//! instead of 100, `GRAF_BENCH_PASTE_SIZE=BYTES` one size only (quick looks while tuning).

// Only the disk-size helpers are used here; the rest serves the other benches.
#[allow(dead_code)]
mod common;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use graf::companies::Gazetteer;
use graf::indexer::GrafIndex;
use graf::search::{self, SearchRequest};
use tantivy::schema::Value;
use tantivy::{DocAddress, Searcher, TantivyDocument};

const SEED: u64 = 0x7a57_e0ff;
const SIZES: [usize; 3] = [1_000, 4_000, 10_000];
const QUERIES: usize = 100;
const WARM_UP: usize = 10;
const GOAL: Duration = Duration::from_millis(200);

fn main() -> anyhow::Result<()> {
    let dir = std::env::var_os("GRAF_BENCH_INDEX")
        .map(PathBuf::from)
        .unwrap_or_else(|| target_dir().join("bench-index"));
    if !dir.join("meta.json").is_file() {
        eprintln!(
            "paste bench skipped: no index at {} (run `cargo bench --bench latency` first, or \
             set GRAF_BENCH_INDEX)",
            dir.display()
        );
        return Ok(());
    }
    let graf = GrafIndex::open(&dir)?;
    let searcher = graf.reader()?.searcher();
    println!(
        "index: {} passages in {} segments, {:.0} MB",
        searcher.num_docs(),
        searcher.segment_readers().len(),
        common::megabytes(common::dir_size(&dir))
    );
    let mut rng = Rng(SEED);
    let gazetteer = Gazetteer::builtin();
    let count = env_number("GRAF_BENCH_PASTE_QUERIES").unwrap_or(QUERIES);
    let sizes: Vec<usize> =
        env_number("GRAF_BENCH_PASTE_SIZE").map_or(SIZES.to_vec(), |size| vec![size]);
    for size in sizes {
        let queries: Vec<String> = (0..count + WARM_UP)
            .map(|_| pasted(&graf, &searcher, &mut rng, size))
            .collect::<anyhow::Result<_>>()?;
        let words = queries
            .iter()
            .map(|q| q.split_whitespace().count())
            .sum::<usize>();
        let mut timings = Vec::with_capacity(count);
        for (n, query) in queries.iter().enumerate() {
            let request = SearchRequest {
                query: query.clone(),
                ..SearchRequest::default()
            };
            let started = Instant::now();
            let results = search::search(&graf, &searcher, &request)?;
            let elapsed = started.elapsed();
            std::hint::black_box(results);
            if n >= WARM_UP {
                timings.push(elapsed);
            }
        }
        let mut pipeline = Vec::with_capacity(count);
        for query in &queries[WARM_UP..] {
            let request = SearchRequest {
                query: query.clone(),
                ..SearchRequest::default()
            };
            let started = Instant::now();
            std::hint::black_box(graf::pipeline::search(&graf, &gazetteer, &[], request)?);
            pipeline.push(started.elapsed());
        }
        timings.sort_unstable();
        pipeline.sort_unstable();
        let ms = |d: Duration| d.as_secs_f64() * 1e3;
        let p99 = percentile(&timings, 0.99);
        println!(
            "{:>6} B ({:>4} words avg)  search::search p50 {:>7.1}  p90 {:>7.1}  p99 {:>7.1}  max {:>7.1} ms  \
             pipeline::search p50 {:>7.1}  p99 {:>7.1} ms  goal p99 < 200 ms: {}",
            size,
            words / queries.len(),
            ms(percentile(&timings, 0.50)),
            ms(percentile(&timings, 0.90)),
            ms(p99),
            ms(timings.last().copied().unwrap_or_default()),
            ms(percentile(&pipeline, 0.50)),
            ms(percentile(&pipeline, 0.99)),
            if p99 < GOAL { "met" } else { "MISSED" }
        );
    }
    Ok(())
}

/// A whole number from the environment variable `name`, when set.
fn env_number(name: &str) -> Option<usize> {
    std::env::var(name).ok()?.parse().ok()
}

/// About `size` bytes of consecutive passages, starting at a random live passage.
fn pasted(
    graf: &GrafIndex,
    searcher: &Searcher,
    rng: &mut Rng,
    size: usize,
) -> anyhow::Result<String> {
    let text_field = graf.fields().text;
    let readers = searcher.segment_readers();
    let mut text = String::new();
    while text.len() < size {
        let ordinal = rng.below(readers.len());
        let reader = &readers[ordinal];
        let mut doc_id = rng.below(reader.max_doc() as usize) as u32;
        while text.len() < size && doc_id < reader.max_doc() {
            if !reader.is_deleted(doc_id) {
                let doc: TantivyDocument = searcher.doc(DocAddress::new(ordinal as u32, doc_id))?;
                let passage = doc
                    .get_first(text_field)
                    .and_then(|v| v.as_str())
                    .unwrap_or_default();
                text.push_str(passage);
                text.push(' ');
            }
            doc_id += 1;
        }
    }
    let mut end = size.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let cut = text[..end].rfind(' ').unwrap_or(end);
    Ok(text[..cut].to_string())
}

fn percentile(sorted: &[Duration], share: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = (share * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"))
}

/// SplitMix64, so the queries are the same on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, bound: usize) -> usize {
        (self.next() % bound.max(1) as u64) as usize
    }
}
