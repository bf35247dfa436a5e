//! `graf ingest`: index articles from files and directories.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use graf::indexer::GrafIndex;
use graf::ingest::{FieldMap, FileFormat, ReadOptions};
use graf::pipeline::{self, IngestOptions};
use graf::render::{self, Message};
use graf::segment::SegmentOptions;

use super::progress::Bar;
use super::{exit, Global};

/// Index articles: .txt, .md, .html, .jsonl (and .gz of each), files or directories.
///
/// Each article is cut into passages (paragraphs and list items), the companies each passage
/// mentions are tagged, and the passages are indexed. Re-running is incremental: unchanged
/// articles are skipped, changed ones replaced (by article id: front-matter/JSON `id`, else
/// the path relative to the ingest root). With no PATH, ingests ./corpus.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Files or directories to ingest (recursively).
    #[arg(value_name = "PATH", default_value = "corpus")]
    paths: Vec<PathBuf>,

    /// Read every file in this format whatever its extension: txt, md, html, jsonl.
    #[arg(long, value_name = "FORMAT")]
    format: Option<FileFormat>,

    /// Map a JSON Lines field: TARGET=NAME, e.g. text=content or title=headline (repeatable).
    /// Targets: id, title, text, date, source, url, author, companies.
    #[arg(long = "field", value_name = "TARGET=NAME")]
    fields: Vec<String>,

    /// Worker threads for segmenting, tagging and indexing [default: number of cores].
    #[arg(long, value_name = "N")]
    threads: Option<usize>,

    /// Indexing memory budget, e.g. 256M or 1G (plain numbers are megabytes).
    #[arg(long, value_name = "SIZE", default_value = "256M", value_parser = parse_size)]
    memory: usize,

    /// Remove indexed articles under the given paths whose files (or records) are gone.
    #[arg(long)]
    prune: bool,

    /// Index the given paths again into a new index built beside this one (INDEX.rebuild),
    /// which replaces it only when complete; interrupted, the old index stays and the same
    /// --rebuild resumes.
    #[arg(long)]
    rebuild: bool,

    /// When an article id is already indexed from another file, replace that article (by
    /// default the indexed one is kept and the collision reported).
    #[arg(long)]
    replace: bool,

    /// Commit at least every this many seconds (an interrupted run keeps what was committed).
    #[arg(long, value_name = "SECONDS", default_value_t = 30.0)]
    commit_interval: f64,

    /// Split paragraphs longer than this many characters at sentence boundaries.
    #[arg(long, value_name = "CHARS", default_value_t = 1000)]
    max_passage: usize,

    /// Print the summary as one JSON object.
    #[arg(long)]
    json: bool,

    /// Print no progress bar and no per-file problems, only the summary (which counts them).
    #[arg(short, long)]
    quiet: bool,
}

pub fn run(args: Args, global: &Global) -> anyhow::Result<u8> {
    let stop = interrupt_flag();
    let options = options(&args)?;
    let tagger = global.tagger()?;
    let bar = Bar::new(args.quiet);
    // A rebuild is built aside and swapped in only when complete, so that Ctrl-C, a crash
    // or a full disk never leaves half an index where the user's index was.
    let report = if args.rebuild {
        graf::aside::rebuild(&global.index, &tagger, &options, &bar, &stop)
    } else {
        GrafIndex::open_or_create(&global.index)
            .and_then(|graf| pipeline::ingest(&graf, &tagger, &options, &bar, &stop))
    };
    bar.finish();
    let report = report?;
    let mut out = super::stdout();
    if args.json {
        render::json_line(&mut out, &Message::Ingest(&report))?;
    } else {
        render::reports::ingest_summary(&mut out, &report, args.rebuild)?;
    }
    super::finish(out)?;
    Ok(if report.interrupted {
        exit::INTERRUPTED
    } else if report.partial() {
        exit::PARTIAL
    } else {
        exit::OK
    })
}

fn options(args: &Args) -> anyhow::Result<IngestOptions> {
    let mut fields = FieldMap::default();
    for spec in &args.fields {
        fields.set(spec)?;
    }
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let threads = args.threads.unwrap_or(cores).max(1);
    check_memory(args.memory, threads)?;
    Ok(IngestOptions {
        roots: args.paths.clone(),
        read: ReadOptions {
            format: args.format,
            fields,
        },
        segment: SegmentOptions {
            max_chars: args.max_passage.max(50),
            hard_max_chars: (args.max_passage * 2).max(100),
            ..SegmentOptions::default()
        },
        threads,
        memory_bytes: args.memory,
        prune: args.prune,
        rebuild: args.rebuild,
        replace: args.replace,
        commit_interval: Duration::from_secs_f64(args.commit_interval.max(0.0)),
    })
}

/// tantivy refuses more than 4 GiB of indexing memory per thread (with a raw error): say so
/// up front, with what would work. The budget is split over the indexing threads as
/// [`GrafIndex::writer`] does (at least 15 MB each).
fn check_memory(memory: usize, threads: usize) -> anyhow::Result<()> {
    const PER_THREAD_MAX: usize = 4_000_000_000;
    let threads = threads.clamp(1, (memory / 15_000_000).max(1));
    let per_thread = memory / threads;
    if per_thread > PER_THREAD_MAX {
        return super::usage(format!(
            "--memory {:.1}G is {:.1} GB for each of {threads} indexing threads, and tantivy \
             allows at most 4 GB per thread: use --memory {}G or less, or more --threads",
            memory as f64 / 1e9,
            per_thread as f64 / 1e9,
            PER_THREAD_MAX * threads / 1_000_000_000
        ));
    }
    Ok(())
}

/// Ctrl-C, SIGTERM and SIGHUP set the flag; the pipeline stops reading, commits and returns.
fn interrupt_flag() -> Arc<AtomicBool> {
    let stop = Arc::new(AtomicBool::new(false));
    let handler_flag = Arc::clone(&stop);
    // Without a handler (e.g. one already installed) Ctrl-C simply kills the process, which
    // loses only the work since the last commit.
    let _ = ctrlc::set_handler(move || handler_flag.store(true, Ordering::Relaxed));
    stop
}

/// Parses `512M`, `1G`, `300MB` or `200` (megabytes).
fn parse_size(text: &str) -> Result<usize, String> {
    let upper = text.trim().to_ascii_uppercase();
    let digits = upper.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let unit = &upper[digits.len()..];
    let number: f64 = digits
        .trim()
        .parse()
        .map_err(|_| format!("{text:?} is not a size such as 256M or 1G"))?;
    let scale = match unit {
        "" | "M" | "MB" | "MIB" => 1e6,
        "G" | "GB" | "GIB" => 1e9,
        "K" | "KB" | "KIB" => 1e3,
        _ => return Err(format!("unknown unit {unit:?} in {text:?}: use K, M or G")),
    };
    let bytes = (number * scale) as usize;
    if bytes < 15_000_000 {
        return Err("the memory budget must be at least 15M".to_string());
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_take_units_and_default_to_megabytes() {
        assert_eq!(parse_size("256M"), Ok(256_000_000));
        assert_eq!(parse_size("1g"), Ok(1_000_000_000));
        assert_eq!(parse_size("300"), Ok(300_000_000));
        assert!(parse_size("1K").is_err());
        assert!(parse_size("lots").is_err());
    }

    #[test]
    fn a_memory_budget_tantivy_would_refuse_is_a_usage_error() {
        assert!(check_memory(8_000_000_000, 2).is_ok());
        let err = check_memory(9_000_000_000, 2).unwrap_err();
        assert!(err.to_string().contains("at most 4 GB per thread"), "{err}");
        assert!(err.downcast_ref::<super::super::UsageError>().is_some());
    }
}
