//! Helpers shared by the `ingest` and `latency` benchmarks: where the Gutenberg sample lives,
//! ingesting it exactly as `graf ingest` does, and the process and disk figures both report.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use graf::companies::{Gazetteer, Tagger};
use graf::indexer::GrafIndex;
use graf::ingest::{FileFormat, ReadOptions};
use graf::pipeline::{self, IngestOptions, IngestReport, Silent};

/// Indexing threads and memory budget of both benchmarks (the machine has 2 cores).
pub const THREADS: usize = 2;
pub const MEMORY_BYTES: usize = 256_000_000;

/// `$GRAF_DATA_DIR/gutenberg/sample.jsonl.gz`, by default under `../shared/data/` relative
/// to the crate root. Benchmarks skip (exit 0) when it is absent.
pub fn gutenberg_sample() -> PathBuf {
    let data = std::env::var_os("GRAF_DATA_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data"));
    data.join("gutenberg").join("sample.jsonl.gz")
}

/// Ingests `input` (JSON Lines) into `graf` through the library, as `graf ingest --threads 2
/// --memory 256M` does: built-in gazetteer, default segmentation, commit every 30 s.
pub fn ingest_with_graf(graf: &GrafIndex, input: &Path) -> graf::Result<IngestReport> {
    let tagger = Tagger::new(Gazetteer::builtin());
    let options = IngestOptions {
        roots: vec![input.to_path_buf()],
        read: ReadOptions {
            format: Some(FileFormat::JsonLines),
            ..ReadOptions::default()
        },
        threads: THREADS,
        memory_bytes: MEMORY_BYTES,
        ..IngestOptions::default()
    };
    pipeline::ingest(graf, &tagger, &options, &Silent, &AtomicBool::new(false))
}

/// The process's peak resident set (VmHWM in /proc/self/status), in bytes; `None` off Linux.
pub fn peak_rss_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    let kilobytes: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kilobytes * 1024)
}

/// Total size of the files under `dir`, in bytes.
pub fn dir_size(dir: &Path) -> u64 {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter_map(|entry| entry.metadata().ok())
        .filter(|meta| meta.is_file())
        .map(|meta| meta.len())
        .sum()
}

/// Bytes to megabytes (10^6), for printing.
pub fn megabytes(bytes: u64) -> f64 {
    bytes as f64 / 1e6
}
