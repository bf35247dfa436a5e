//! Ingest throughput (issue 5): graf's whole pipeline against a bare tantivy loop over the
//! same Gutenberg sample (`../shared/data/gutenberg/sample.jsonl.gz`, data folder overridable
//! with `GRAF_DATA_DIR`; skipped with a message when absent), each into a fresh temporary index.
//!
//! - `graf` (default): `graf::pipeline::ingest` with 2 threads, a 256 MB budget and the
//!   built-in gazetteer, exactly what `graf ingest --threads 2` runs.
//! - `bare`: the baseline: the same schema and analyzers, the gz streamed record by record,
//!   `text` split on blank lines (each paragraph in the text, title and unstemmed words
//!   fields, as graf fills them), one document per paragraph, `writer_with_num_threads(2,
//!   256 MB)`, one commit at the end. No segmentation rules, no company tagging.
//!
//! Prints seconds, input MB/s (uncompressed JSON Lines bytes per second; the compressed size is
//! shown too), passages/s, peak RSS (VmHWM, read once indexing is done) and index size, then
//! one `RESULT key=value ...` line for `scripts/bench-ingest.sh`, which runs each mode in its
//! own process so that peak RSS is the mode's own.
//!
//! In mode `graf` it then times a no-op re-ingest of the same file into the index just built
//! (the share of the build it costs) and `graf stats` on that index.
//!
//! Run: `cargo bench --bench ingest [-- graf|bare]`, or `scripts/bench-ingest.sh` for both.

mod common;

use std::fs::File;
use std::io::{self, BufRead, BufReader};
use std::path::Path;
use std::time::Instant;

use anyhow::{bail, Context as _};
use flate2::read::GzDecoder;
use graf::indexer::GrafIndex;
use graf::schema::{build_schema, register_analyzers, Fields};
use serde::Deserialize;
use tantivy::{Index, IndexWriter, TantivyDocument};

use common::{dir_size, gutenberg_sample, megabytes, peak_rss_bytes, MEMORY_BYTES, THREADS};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    Graf,
    Bare,
}

/// What one run measured.
struct Figures {
    mode: Mode,
    seconds: f64,
    passages: u64,
    input_bytes: u64,
    compressed_bytes: u64,
    peak_rss: u64,
    index_bytes: u64,
}

fn main() -> anyhow::Result<()> {
    let mode = mode_from_args()?;
    let input = gutenberg_sample();
    if !input.is_file() {
        eprintln!(
            "ingest bench skipped: {} not found (set GRAF_DATA_DIR)",
            input.display()
        );
        return Ok(());
    }
    let input_bytes = uncompressed_size(&input)?;
    let dir = tempfile::Builder::new()
        .prefix("graf-bench-ingest-")
        .tempdir()?;
    let started = Instant::now();
    let passages = match mode {
        Mode::Graf => ingest_graf(&input, dir.path())?,
        Mode::Bare => ingest_bare(&input, dir.path())?,
    };
    let seconds = started.elapsed().as_secs_f64();
    let peak_rss = peak_rss_bytes().unwrap_or(0);
    collect_garbage(dir.path())?;
    let figures = Figures {
        mode,
        seconds,
        passages,
        input_bytes,
        compressed_bytes: std::fs::metadata(&input)?.len(),
        peak_rss,
        index_bytes: dir_size(dir.path()),
    };
    figures.print();
    if mode == Mode::Graf {
        time_rerun_and_stats(&input, dir.path(), seconds)?;
    }
    Ok(())
}

/// Mode `graf`, after the build (issue 15): a no-op re-ingest of the same unchanged file
/// into the index just built, against the build's time, and `graf stats` on that index.
fn time_rerun_and_stats(input: &Path, dir: &Path, build_seconds: f64) -> anyhow::Result<()> {
    let graf = GrafIndex::open(dir)?;
    let started = Instant::now();
    let report = common::ingest_with_graf(&graf, input)?;
    let rerun = started.elapsed().as_secs_f64();
    let started = Instant::now();
    let stats = graf::maintenance::stats(&GrafIndex::open(dir)?)?;
    let stats_seconds = started.elapsed().as_secs_f64();
    println!(
        "no-op re-ingest: {rerun:.2} s ({} unchanged, {} added), {:.1}% of the build's {build_seconds:.1} s",
        report.unchanged,
        report.added + report.updated,
        100.0 * rerun / build_seconds
    );
    println!(
        "graf stats (open + count): {:.3} s for {} passages, {} articles",
        stats_seconds, stats.passages, stats.articles
    );
    println!("RESULT-RERUN rerun_seconds={rerun:.3} stats_seconds={stats_seconds:.3}");
    Ok(())
}

/// The first argument that is not a flag (cargo passes `--bench`); `graf` when there is none.
fn mode_from_args() -> anyhow::Result<Mode> {
    match std::env::args().skip(1).find(|arg| !arg.starts_with('-')) {
        None => Ok(Mode::Graf),
        Some(arg) if arg == "graf" => Ok(Mode::Graf),
        Some(arg) if arg == "bare" => Ok(Mode::Bare),
        Some(other) => bail!("unknown mode {other:?}: expected `graf` or `bare`"),
    }
}

fn open_gz(path: &Path) -> anyhow::Result<BufReader<GzDecoder<File>>> {
    let file = File::open(path).with_context(|| format!("opening {}", path.display()))?;
    Ok(BufReader::with_capacity(1 << 20, GzDecoder::new(file)))
}

/// The decompressed size of the input, measured once before the clock starts.
fn uncompressed_size(path: &Path) -> anyhow::Result<u64> {
    Ok(io::copy(&mut open_gz(path)?, &mut io::sink())?)
}

/// Mode `graf`: the library's pipeline; returns the passages indexed.
fn ingest_graf(input: &Path, dir: &Path) -> anyhow::Result<u64> {
    let graf = GrafIndex::open_or_create(dir)?;
    let report = common::ingest_with_graf(&graf, input)?;
    eprintln!(
        "graf: {} articles, {} passages, {} commits, {} failed, {} empty",
        report.added, report.passages, report.commits, report.failed, report.empty
    );
    Ok(report.passages)
}

/// One JSON Lines record of the sample, as far as the baseline needs it.
#[derive(Deserialize)]
struct Record {
    id: String,
    #[serde(default)]
    book: String,
    text: String,
}

/// Mode `bare`: the baseline loop; returns the passages indexed.
fn ingest_bare(input: &Path, dir: &Path) -> anyhow::Result<u64> {
    let (schema, fields) = build_schema();
    let index = Index::create_in_dir(dir, schema)?;
    register_analyzers(&index);
    let mut writer: IndexWriter = index.writer_with_num_threads(THREADS, MEMORY_BYTES)?;
    let path = input.display().to_string();
    let mut reader = open_gz(input)?;
    let (mut line, mut line_number, mut passages) = (String::new(), 0u64, 0u64);
    while reader.read_line(&mut line)? > 0 {
        line_number += 1;
        if !line.trim().is_empty() {
            let record: Record = serde_json::from_str(&line)
                .with_context(|| format!("{path}:{line_number}: not a JSON record"))?;
            passages += index_record(&writer, &fields, &record, &path, line_number)?;
        }
        line.clear();
    }
    writer.commit()?;
    eprintln!("bare: {line_number} records, {passages} passages, 1 commit");
    Ok(passages)
}

/// Adds one document per non-empty paragraph of `record`, with the fields graf fills (the
/// book's name stands in for the title); returns how many.
fn index_record(
    writer: &IndexWriter,
    fields: &Fields,
    record: &Record,
    path: &str,
    line: u64,
) -> anyhow::Result<u64> {
    let hash = xxhash_rust::xxh3::xxh3_64(record.text.as_bytes());
    let mut ordinal = 0;
    let mut start = 0;
    for paragraph in record.text.split("\n\n") {
        let span = start..start + paragraph.len();
        start = span.end + 2;
        if paragraph.trim().is_empty() {
            continue;
        }
        let mut doc = TantivyDocument::default();
        doc.add_text(fields.text, paragraph);
        doc.add_text(fields.title, &record.book);
        // The unstemmed copy graf keeps for prefix queries: part of the schema's work.
        doc.add_text(fields.words, paragraph);
        doc.add_text(fields.words, &record.book);
        doc.add_text(fields.article_id, &record.id);
        doc.add_text(fields.path, path);
        doc.add_u64(fields.ordinal, ordinal);
        doc.add_u64(fields.line, line);
        doc.add_u64(fields.span_start, span.start as u64);
        doc.add_u64(fields.span_end, span.end as u64);
        doc.add_u64(fields.hash, hash);
        doc.add_text(fields.kind, "paragraph");
        writer.add_document(doc)?;
        ordinal += 1;
    }
    Ok(ordinal)
}

/// Deletes files of merges that were abandoned when the writer was dropped, so the index
/// size is that of the index a reader sees. Runs after peak RSS is read.
fn collect_garbage(dir: &Path) -> anyhow::Result<()> {
    let index = Index::open_in_dir(dir)?;
    let writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000)?;
    writer.garbage_collect_files().wait()?;
    Ok(())
}

impl Figures {
    fn mb_per_second(&self) -> f64 {
        megabytes(self.input_bytes) / self.seconds
    }

    fn passages_per_second(&self) -> f64 {
        self.passages as f64 / self.seconds
    }

    fn print(&self) {
        let mode = format!("{:?}", self.mode).to_lowercase();
        println!("mode:        {mode}");
        println!("seconds:     {:.2}", self.seconds);
        println!(
            "input:       {:.1} MB uncompressed ({:.1} MB gz): {:.2} MB/s ({:.2} MB/s gz)",
            megabytes(self.input_bytes),
            megabytes(self.compressed_bytes),
            self.mb_per_second(),
            megabytes(self.compressed_bytes) / self.seconds
        );
        println!(
            "passages:    {} ({:.0}/s)",
            self.passages,
            self.passages_per_second()
        );
        println!("peak RSS:    {:.1} MB", megabytes(self.peak_rss));
        println!("index size:  {:.1} MB", megabytes(self.index_bytes));
        println!(
            "RESULT mode={mode} seconds={:.2} mb_per_s={:.2} passages={} passages_per_s={:.0} \
             peak_rss_mb={:.1} index_mb={:.1}",
            self.seconds,
            self.mb_per_second(),
            self.passages,
            self.passages_per_second(),
            megabytes(self.peak_rss),
            megabytes(self.index_bytes)
        );
    }
}
