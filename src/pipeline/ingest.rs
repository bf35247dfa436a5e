//! Ingest orchestration: what `graf ingest` was asked to do and what it did, and the run
//! that composes discovery, the manifest, the reader and worker threads ([`super::prepare`])
//! and the writer's side ([`super::sink`]).
//!
//! Ingest is a three-part pipeline with bounded channels, so memory stays flat whatever the
//! corpus size: one reader thread walks and decodes files (streaming JSON Lines record by
//! record), `threads` workers segment and tag articles, and the calling thread owns the index
//! writer: it replaces articles by id, commits every `commit_interval` (so a killed ingest
//! loses at most that much work and the next run resumes by skipping what is in), prunes, and
//! keeps the counts. Unchanged articles are recognised by a hash of their bytes, metadata,
//! gazetteer and segmentation settings (before segmenting), and are neither tagged nor
//! re-indexed; unchanged files, by the [`manifest`](crate::manifest), are not even opened.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crossbeam_channel::bounded;
use tantivy::IndexWriter;

use crate::companies::Tagger;
use crate::error::{Error, Result};
use crate::indexer::{self, CatalogueEntry, GrafIndex, IndexInfo};
use crate::ingest::{self, FoundFile, ReadOptions};
use crate::manifest::{self, Manifest};
use crate::model::SourceDoc;
use crate::paced::Paced;
use crate::schema::SCHEMA_VERSION;
use crate::segment::SegmentOptions;

use super::prepare::{prepare_articles, read_files, Context, Event};
use super::sink::Sink;

/// What `graf ingest` was asked to do, resolved.
#[derive(Clone, Debug)]
pub struct IngestOptions {
    pub roots: Vec<PathBuf>,
    pub read: ReadOptions,
    pub segment: SegmentOptions,
    /// Workers that segment and tag, and tantivy indexing threads.
    pub threads: usize,
    /// tantivy's indexing memory budget, in bytes.
    pub memory_bytes: usize,
    /// Delete indexed articles under the roots that this run did not see.
    pub prune: bool,
    /// Empty the index first.
    pub rebuild: bool,
    /// An article whose id is already indexed from another file that still exists replaces
    /// it; without this the indexed one is kept and the collision reported.
    pub replace: bool,
    /// Commit at least this often.
    pub commit_interval: Duration,
}

impl Default for IngestOptions {
    fn default() -> Self {
        IngestOptions {
            roots: Vec::new(),
            read: ReadOptions::default(),
            segment: SegmentOptions::default(),
            threads: 1,
            memory_bytes: 200_000_000,
            prune: false,
            rebuild: false,
            replace: false,
            commit_interval: Duration::from_secs(30),
        }
    }
}

/// Counts of one ingest run; also what the progress display shows as it goes. Its JSON line
/// (`graf ingest --json`) is written by [`crate::render::wire`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IngestReport {
    pub files: u64,
    pub added: u64,
    pub updated: u64,
    pub unchanged: u64,
    /// Articles or files that could not be read (each also reported as a problem).
    pub failed: u64,
    /// Articles with no text left after segmentation (reported as warnings).
    pub empty: u64,
    pub pruned: u64,
    /// Articles skipped because an earlier one of this run had their id (each reported).
    pub duplicates: u64,
    /// Articles skipped because their id is indexed from another file (each reported).
    pub collisions: u64,
    pub passages: u64,
    /// Bytes of the input files read (compressed bytes for gzip): the progress through them.
    pub bytes: u64,
    /// Bytes of content read (decompressed for gzip): what the summary reports.
    pub text_bytes: u64,
    pub commits: u64,
    pub elapsed: Duration,
    /// Stopped early by Ctrl-C; what was done is committed.
    pub interrupted: bool,
}

impl IngestReport {
    /// Some input could not be indexed: the user has something to look at.
    pub fn partial(&self) -> bool {
        self.failed > 0 || self.duplicates > 0 || self.collisions > 0
    }
}

/// Where ingest reports progress and problems as they happen (a progress bar in the binary,
/// nothing in tests).
pub trait Progress: Sync {
    /// Discovery is done: this many files and bytes will be read.
    fn start(&self, _files: u64, _bytes: u64) {}
    /// The counts so far.
    fn update(&self, _report: &IngestReport) {}
    /// A file or record was skipped because of bad input (an error) or is suspicious (a
    /// warning); `message` is one readable line naming the place.
    fn problem(&self, _message: &str, _is_error: bool) {}
    /// A [`problem`](Progress::problem) the user can settle by running graf differently
    /// (`remedy`, which the front end words as a command); by default shown as the message.
    fn problem_with_remedy(&self, message: &str, is_error: bool, _remedy: Remedy) {
        self.problem(message, is_error);
    }
}

/// What the user can do about a problem an ingest reported; the front end names the command
/// ([`crate::render::errors::remedy`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Remedy {
    /// Rebuild the index, so that every article is tagged with the changed gazetteer.
    RebuildToRetag,
    /// Replace the article indexed from another file, or give the two distinct ids.
    ReplaceOrRename,
}

/// A [`Progress`] that shows nothing.
pub struct Silent;
impl Progress for Silent {}

/// Ingests `options.roots` into `graf`. Bad files and records are reported through
/// `progress` and counted; only a failure of the index itself is an `Err`. Setting `stop`
/// (Ctrl-C) ends the run early with everything read so far committed.
pub fn ingest(
    graf: &GrafIndex,
    tagger: &Tagger,
    options: &IngestOptions,
    progress: &dyn Progress,
    stop: &AtomicBool,
) -> Result<IngestReport> {
    let started = Instant::now();
    let mut writer = graf.paced_writer(options.threads, options.memory_bytes)?;
    if let Some(dir) = graf.dir() {
        // Files a killed run or a full disk left behind; no writer has written yet.
        crate::health::remove_orphans(dir, graf.index())?;
    }
    let outcome = match ingest_with(graf, &mut writer, tagger, options, progress, stop) {
        // Merges started by the commits finish before graf exits, so that no half-written
        // segment files are left behind (an interrupted merge's files would stay as orphans).
        Ok(report) => writer
            .wait_merging_threads()
            .map(|()| report)
            .map_err(Error::from),
        Err(err) => {
            drop(writer);
            Err(err)
        }
    };
    let mut report = outcome.map_err(|err| after_failure(graf, err))?;
    graf.write_info(&IndexInfo {
        schema_version: SCHEMA_VERSION,
        gazetteer: tagger.gazetteer().fingerprint(),
    })?;
    report.elapsed = started.elapsed();
    Ok(report)
}

/// Ingests `roots` into `graf` with the default settings, every core and no progress shown:
/// for indexes graf fills on its own, such as the sample corpus on a first search or a
/// collection for `graf eval --ingest`.
pub fn ingest_into(
    graf: &GrafIndex,
    roots: Vec<PathBuf>,
    read: ReadOptions,
    tagger: &Tagger,
) -> Result<IngestReport> {
    let options = IngestOptions {
        roots,
        read,
        threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
        ..IngestOptions::default()
    };
    ingest(graf, tagger, &options, &Silent, &AtomicBool::new(false))
}

/// An index directory of its own in the system's temporary folder, removed when dropped:
/// where `graf eval --ingest` indexes a collection unless told where.
pub struct ScratchIndex(PathBuf);

impl ScratchIndex {
    /// Creates the directory (one per process).
    pub fn new() -> std::io::Result<ScratchIndex> {
        let dir = std::env::temp_dir().join(format!("graf-eval-{}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        Ok(ScratchIndex(dir))
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for ScratchIndex {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Cleans up after an ingest that failed (the index keeps its last commit): removes the
/// segment files of the failed part, and says "no space left" when that is what happened,
/// which tantivy reports only as a worker thread that "encountered an error".
fn after_failure(graf: &GrafIndex, err: Error) -> Error {
    let Some(dir) = graf.dir() else { return err };
    if let Ok(_lock) = graf.writer(1, 15_000_000) {
        let _ = crate::health::remove_orphans(dir, graf.index());
    }
    let says_no_space = |cause: &(dyn std::error::Error + 'static)| {
        cause.downcast_ref::<std::io::Error>().is_some_and(|io| {
            io.raw_os_error() == Some(28) || io.to_string().contains("No space left")
        })
    };
    let mut chain: Option<&(dyn std::error::Error + 'static)> = Some(&err);
    let mut no_space = false;
    while let Some(cause) = chain {
        no_space |= says_no_space(cause) || cause.to_string().contains("No space left");
        chain = cause.source();
    }
    let nearly_full = fs4::available_space(dir).is_ok_and(|free| free < 16_000_000);
    if no_space || (nearly_full && matches!(err, Error::Tantivy(_))) {
        return Error::DiskFull {
            path: dir.to_path_buf(),
        };
    }
    err
}

/// [`ingest`] with the writer taken: everything but the final wait for merges.
fn ingest_with(
    graf: &GrafIndex,
    writer: &mut IndexWriter<Paced>,
    tagger: &Tagger,
    options: &IngestOptions,
    progress: &dyn Progress,
    stop: &AtomicBool,
) -> Result<IngestReport> {
    let catalogue = if options.rebuild {
        writer.delete_all_documents()?;
        HashMap::new()
    } else {
        indexer::catalogue(&graf.reader()?.searcher())?
    };
    warn_if_gazetteer_changed(graf, tagger, &catalogue, progress)?;
    let (files, unreadable) = discover(options, progress);
    let total_bytes = files.iter().map(|file| file.size).sum();
    progress.start(files.len() as u64, total_bytes);
    // Size and modification time taken before reading: a file changed while it is read
    // gets a newer time, and is read again next run.
    let stamped: Vec<_> = files
        .into_iter()
        .map(|file| {
            let stamp = manifest::stamp(&file.path);
            (file, stamp)
        })
        .collect();

    let context = Context::new(tagger, options, &catalogue);
    let previous = if options.rebuild {
        Manifest::remove(graf.dir())?;
        Manifest::load(None, context.salt)
    } else {
        Manifest::load(graf.dir(), context.salt)
    };
    let mut sink = Sink::new(graf, writer, &catalogue, options, progress);
    sink.report.files = stamped.len() as u64;
    sink.report.failed = unreadable.len() as u64;
    sink.failed_paths.extend(unreadable);
    let mut next = Manifest::load(None, context.salt);
    let (mut files, mut stamps) = (Vec::new(), Vec::new());
    for (file, stamp) in stamped {
        let key = file.path.display().to_string();
        match previous.unchanged(&key, stamp, &catalogue) {
            Some(record) => {
                sink.skip_file(record, file.size);
                next.files.insert(key, record.clone());
            }
            None => {
                files.push(file);
                stamps.push(stamp);
            }
        }
    }
    progress.update(&sink.report);
    std::thread::scope(|scope| -> Result<()> {
        let (docs_tx, docs_rx) = bounded::<(String, SourceDoc)>(options.threads * 4);
        let (events_tx, events_rx) = bounded::<Event>(options.threads * 16);
        let reader_events = events_tx.clone();
        scope.spawn(|| read_files(&files, &options.read, docs_tx, reader_events, stop));
        for _ in 0..options.threads.max(1) {
            let (docs, events) = (docs_rx.clone(), events_tx.clone());
            let context = &context;
            scope.spawn(move || prepare_articles(context, docs, events));
        }
        drop((docs_rx, events_tx));
        sink.consume(events_rx)
    })?;
    sink.report.interrupted = stop.load(Ordering::Relaxed);
    if options.prune && !sink.report.interrupted {
        sink.prune();
    }
    sink.commit()?;
    if !sink.report.interrupted {
        sink.record_files(&files, &stamps, &mut next);
        next.save(graf.dir())?;
    }
    Ok(sink.finish())
}

fn warn_if_gazetteer_changed(
    graf: &GrafIndex,
    tagger: &Tagger,
    catalogue: &HashMap<String, CatalogueEntry>,
    progress: &dyn Progress,
) -> Result<()> {
    let recorded = graf.info()?.gazetteer;
    let current = tagger.gazetteer().fingerprint();
    if !catalogue.is_empty() && !recorded.is_empty() && recorded != current {
        progress.problem_with_remedy(
            &format!(
                "warning: the company gazetteer changed since this index was built ({recorded} → {current}): \
                 re-ingested articles are re-tagged"
            ),
            false,
            Remedy::RebuildToRetag,
        );
    }
    Ok(())
}

/// Walks the roots up front (paths only), so the progress bar knows the total. Returns the
/// files and the paths that could not be walked (each reported); pruning keeps every
/// article at or below those.
fn discover(options: &IngestOptions, progress: &dyn Progress) -> (Vec<FoundFile>, Vec<PathBuf>) {
    let mut files = Vec::new();
    let mut failed = Vec::new();
    for found in ingest::discover(&options.roots, &options.read) {
        match found {
            Ok(file) => files.push(file),
            Err(err) => {
                progress.problem(&err.to_string(), true);
                failed.push(err.path().to_path_buf());
                failed.retain(|path| !path.as_os_str().is_empty());
            }
        }
    }
    (files, failed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::tagger;
    use std::path::Path;
    use std::sync::Mutex;

    /// Records problems instead of printing them.
    #[derive(Default)]
    struct Recorder(Mutex<Vec<String>>);

    impl Progress for Recorder {
        fn problem(&self, message: &str, _is_error: bool) {
            self.0.lock().unwrap().push(message.to_string());
        }
    }

    fn run(graf: &GrafIndex, root: &Path, prune: bool) -> (IngestReport, Vec<String>) {
        let options = IngestOptions {
            roots: vec![root.to_path_buf()],
            prune,
            ..IngestOptions::default()
        };
        let recorder = Recorder::default();
        let report = ingest(
            graf,
            &tagger(),
            &options,
            &recorder,
            &AtomicBool::new(false),
        )
        .unwrap();
        (report, recorder.0.into_inner().unwrap())
    }

    #[test]
    fn ingest_tags_indexes_then_skips_replaces_and_prunes() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("news");
        std::fs::create_dir_all(&root).unwrap();
        std::fs::write(
            root.join("a.txt"),
            "Title A\n\nAWS grew fast.\n\nAmazon said so.\n",
        )
        .unwrap();
        std::fs::write(root.join("b.txt"), "Title B\n\nNothing here.\n").unwrap();
        let graf = GrafIndex::create_in_ram();
        let (first, _) = run(&graf, &root, false);
        assert_eq!((first.added, first.passages, first.failed), (2, 3, 0));
        let (second, _) = run(&graf, &root, false);
        assert_eq!((second.added, second.unchanged), (0, 2));
        std::fs::write(root.join("a.txt"), "Title A\n\nOnly one paragraph now.\n").unwrap();
        std::fs::remove_file(root.join("b.txt")).unwrap();
        let (third, _) = run(&graf, &root, true);
        assert_eq!((third.updated, third.pruned), (1, 1));
        assert_eq!(graf.reader().unwrap().searcher().num_docs(), 1);
    }

    #[test]
    fn bad_and_empty_files_are_reported_not_fatal() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("good.txt"), "Good\n\nA paragraph.\n").unwrap();
        std::fs::write(dir.path().join("bad.txt"), b"Bad \xff bytes\n").unwrap();
        std::fs::write(dir.path().join("empty.md"), "  \n").unwrap();
        let graf = GrafIndex::create_in_ram();
        let (report, problems) = run(&graf, dir.path(), false);
        assert_eq!((report.added, report.failed, report.empty), (1, 1, 1));
        assert!(report.partial());
        assert!(
            problems.iter().any(|p| p.contains("bad.txt")),
            "{problems:?}"
        );
        assert!(
            problems.iter().any(|p| p.contains("empty.md")),
            "{problems:?}"
        );
    }

    #[test]
    fn a_duplicate_id_keeps_the_first_record_every_run_and_counts_once() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("feed.jsonl"),
            "{\"id\":\"j1\",\"text\":\"First.\"}\n{\"id\":\"j1\",\"text\":\"Second.\"}\n",
        )
        .unwrap();
        let graf = GrafIndex::create_in_ram();
        for _ in 0..2 {
            let (report, problems) = run(&graf, dir.path(), false);
            assert_eq!(report.duplicates, 1);
            assert_eq!(report.added + report.updated + report.unchanged, 1);
            assert!(report.partial());
            assert!(
                problems.iter().any(|p| p.contains("feed.jsonl:2")),
                "{problems:?}"
            );
        }
    }
}
