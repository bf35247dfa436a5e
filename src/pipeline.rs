//! The composer: the only module that calls the stages in turn. Ingest runs
//! files → [`ingest`] readers → [`segment`] → [`companies`] tagging → [`indexer`], and search
//! runs names → company resolution → [`search`].
//!
//! Ingest is a three-part pipeline with bounded channels, so memory stays flat whatever the
//! corpus size: one reader thread walks and decodes files (streaming JSON Lines record by
//! record), `threads` workers segment and tag articles, and the calling thread owns the index
//! writer: it replaces articles by id, commits every `commit_interval` (so a killed ingest
//! loses at most that much work and the next run resumes by skipping what is in), prunes, and
//! keeps the counts. Unchanged articles are recognised by a hash of their bytes, metadata,
//! gazetteer and segmentation settings (before segmenting), and are neither tagged nor
//! re-indexed; unchanged files, by the [`manifest`](crate::manifest), are not even opened.

use std::collections::{HashMap, HashSet};
use std::hash::Hasher;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crossbeam_channel::{bounded, Receiver, Sender};
use tantivy::IndexWriter;

use crate::paced::{Gate, Paced, QUEUED_PASSAGES};
use xxhash_rust::xxh3::Xxh3;

use crate::companies::{Gazetteer, Tagger};
use crate::error::{Error, Result};
use crate::indexer::{self, CatalogueEntry, GrafIndex, IndexInfo};
use crate::ingest::{self, FoundFile, IngestError, ReadOptions};
use crate::manifest::{self, FileRecord, Manifest};
use crate::model::{Article, CompanyPath, SourceDoc, TaggedPassage};
use crate::schema::SCHEMA_VERSION;
use crate::search::{self, SearchRequest, SearchResults};
use crate::segment::{self, SegmentOptions};

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

/// Counts of one ingest run; also what the progress display shows as it goes.
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
        progress.problem(
            &format!(
                "warning: the company gazetteer changed since this index was built ({recorded} → {current}): \
                 re-ingested articles are re-tagged; run `graf ingest --rebuild` to re-tag everything"
            ),
            false,
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

/// What travels from the reader and workers to the thread that owns the writer.
enum Event {
    /// A prepared article, with the warnings about it and, when its id is indexed from
    /// another file that still exists, that file.
    Article(Box<Article>, Vec<String>, Option<String>),
    /// An article whose id an earlier article of this run already had: skipped.
    Duplicate {
        id: String,
        path: PathBuf,
        place: String,
        first: String,
    },
    /// The index already holds this exact version of the article.
    Unchanged {
        id: String,
        hash: u64,
        path: String,
    },
    Empty {
        id: String,
        path: PathBuf,
    },
    /// Bad input: a file or record that could not be read. `path` is kept from pruning.
    Failed(IngestError),
    /// A bug in a stage hit this article; it was skipped.
    Crashed {
        path: PathBuf,
        message: String,
    },
    /// Progress through the input files: bytes of the files, and of their content
    /// (decompressed for gzip).
    Bytes {
        index: usize,
        file: u64,
        text: u64,
    },
}

/// Reads the files in order and sends their articles on, each with its id. Ids are settled
/// here, in reading order, so that of two articles with one id the first one read is kept,
/// every run, whichever worker finishes first.
fn read_files(
    files: &[FoundFile],
    options: &ReadOptions,
    docs: Sender<(String, SourceDoc)>,
    events: Sender<Event>,
    stop: &AtomicBool,
) {
    // Each id read so far, with where it was read.
    let mut ids: HashMap<String, String> = HashMap::new();
    for (index, file) in files.iter().enumerate() {
        if stop.load(Ordering::Relaxed) {
            break;
        }
        let mut articles = match ingest::read(file, options) {
            Ok(articles) => articles,
            Err(err) => {
                let _ = events.send(Event::Failed(err));
                let _ = events.send(Event::Bytes {
                    index,
                    file: file.size,
                    text: 0,
                });
                continue;
            }
        };
        let (mut reported, mut reported_text) = (0, 0);
        while let Some(next) = articles.next() {
            let sent = match next {
                Ok(doc) => {
                    let id = article_id(&doc);
                    match ids.get(&id) {
                        Some(first) => events
                            .send(Event::Duplicate {
                                path: doc.path.clone(),
                                place: place_of(&doc),
                                first: first.clone(),
                                id,
                            })
                            .is_ok(),
                        None => {
                            ids.insert(id.clone(), place_of(&doc));
                            docs.send((id, doc)).is_ok()
                        }
                    }
                }
                Err(err) => events.send(Event::Failed(err)).is_ok(),
            };
            let consumed = articles.bytes_read().min(file.size);
            let decoded = articles.bytes_decoded();
            let _ = events.send(Event::Bytes {
                index,
                file: consumed.saturating_sub(reported),
                text: decoded.saturating_sub(reported_text),
            });
            reported = reported.max(consumed);
            reported_text = reported_text.max(decoded);
            if !sent || stop.load(Ordering::Relaxed) {
                return;
            }
        }
        let _ = events.send(Event::Bytes {
            index,
            file: file.size.saturating_sub(reported),
            text: articles.bytes_decoded().saturating_sub(reported_text),
        });
    }
}

/// The id an article is indexed under: its declared id (JSON, HTML or front matter), else
/// its key (the path relative to the ingest root).
fn article_id(doc: &SourceDoc) -> String {
    doc.meta
        .id
        .clone()
        .or_else(|| segment::declared_id(&doc.text, doc.format))
        .unwrap_or_else(|| doc.key.clone())
}

/// `path` or `path:line` of an article, for messages.
fn place_of(doc: &SourceDoc) -> String {
    match doc.record_line {
        Some(line) => format!("{}:{line}", doc.path.display()),
        None => doc.path.display().to_string(),
    }
}

/// Read-only state the workers share.
struct Context<'a> {
    tagger: &'a Tagger,
    segment: &'a SegmentOptions,
    catalogue: &'a HashMap<String, CatalogueEntry>,
    /// Mixed into every article hash: a new gazetteer or segmentation re-indexes.
    salt: u64,
}

impl<'a> Context<'a> {
    fn new(
        tagger: &'a Tagger,
        options: &'a IngestOptions,
        catalogue: &'a HashMap<String, CatalogueEntry>,
    ) -> Self {
        let mut hasher = Xxh3::new();
        hasher.write(tagger.gazetteer().fingerprint().as_bytes());
        hasher.write(format!("{:?}{SCHEMA_VERSION}", options.segment).as_bytes());
        Context {
            tagger,
            segment: &options.segment,
            catalogue,
            salt: hasher.finish(),
        }
    }
}

fn prepare_articles(context: &Context, docs: Receiver<(String, SourceDoc)>, events: Sender<Event>) {
    for (id, doc) in docs {
        if events.send(prepare_isolated(context, id, doc)).is_err() {
            return;
        }
    }
}

/// [`prepare`], with a panic (a bug in a stage) contained to the one article it hit: the
/// article is reported and skipped, and the rest of the batch is still indexed.
fn prepare_isolated(context: &Context, id: String, doc: SourceDoc) -> Event {
    let path = doc.path.clone();
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| prepare(context, id, doc)))
        .unwrap_or_else(|panic| {
            let message = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            Event::Crashed { path, message }
        })
}

/// Segments, checks against the catalogue, and tags one article.
fn prepare(context: &Context, id: String, doc: SourceDoc) -> Event {
    let hash = article_hash(context.salt, &doc);
    let path = doc.path.display().to_string();
    // The id is settled (by the reader) before segmenting: an article indexed under it from
    // this file with this very hash is unchanged, said before segmenting, which is most of a
    // no-op re-ingest's cost otherwise. An id indexed from another file is a collision.
    let indexed = context.catalogue.get(&id);
    let collides = indexed
        .filter(|entry| is_other_file(&entry.path, &doc.path))
        .map(|entry| entry.path.clone());
    if indexed.is_some_and(|entry| entry.hash == hash) && collides.is_none() {
        return Event::Unchanged { id, hash, path };
    }
    let options = SegmentOptions {
        title_from_first_line: doc.meta.title.is_none(),
        ..context.segment.clone()
    };
    let mut segmented = segment::segment(&doc.text, doc.format, &options);
    let mut meta = doc.meta;
    meta.fill_from(std::mem::take(&mut segmented.meta));
    let mut warnings: Vec<String> = segmented
        .warnings
        .iter()
        .map(|w| format!("{}: {w}", doc.path.display()))
        .collect();
    let title = meta.title.clone().or(segmented.title.clone());
    if segmented.passages.is_empty() {
        // A headline with no body is still an article: its title is its one passage.
        match title.as_deref().filter(|t| !t.trim().is_empty()) {
            Some(headline) => {
                let passage = segment::headline_passage(headline, &segmented, &doc.text);
                segmented.passages.push(passage);
            }
            None => return Event::Empty { id, path: doc.path },
        }
    }
    if let Some(date) = &meta.date {
        if let Err(problem) = crate::dates::index_date(date) {
            let line = doc.record_line.or_else(|| line_of(&doc.text, date));
            let place = line.map_or(path.clone(), |line| format!("{path}:{line}"));
            warnings.push(format!("{place}: {problem}; indexed without a date"));
        }
    }
    let mut tagger = context.tagger.article(&meta.companies).reading(&doc.text);
    if let Some(title) = &title {
        tagger.tag(title);
    }
    let passages = segmented
        .passages
        .into_iter()
        .map(|mut passage| {
            if let Some(line) = doc.record_line {
                passage.line = line;
            }
            TaggedPassage {
                companies: tagger.tag(&passage.text),
                passage,
            }
        })
        .collect();
    let article = Article {
        id,
        path,
        title,
        source: meta.source,
        date: meta.date,
        hash,
        passages,
    };
    Event::Article(Box::new(article), warnings, collides)
}

/// The 1-based line of the first occurrence of `needle` in `text`.
fn line_of(text: &str, needle: &str) -> Option<u32> {
    let at = text.find(needle.trim())?;
    Some(text[..at].matches('\n').count() as u32 + 1)
}

/// Whether the file an article was indexed from (`indexed`, as stored) is another file than
/// `path` that still exists. The same file reached through another spelling of the root
/// (`./news` and `news`) is not another file; neither is a file that is gone (the corpus
/// moved), whose article the new one may replace without loss.
fn is_other_file(indexed: &str, path: &Path) -> bool {
    let indexed = Path::new(indexed);
    if indexed == path {
        return false;
    }
    match (indexed.canonicalize(), path.canonicalize()) {
        (Ok(old), Ok(new)) => old != new,
        (Err(_), _) => false,
        (Ok(_), Err(_)) => indexed.exists(),
    }
}

fn article_hash(salt: u64, doc: &SourceDoc) -> u64 {
    let mut hasher = Xxh3::with_seed(salt);
    hasher.write(doc.text.as_bytes());
    hasher.write(format!("{:?}{:?}", doc.meta, doc.record_line).as_bytes());
    hasher.finish()
}

/// The writer's side: applies events to the index, commits periodically, keeps the counts.
struct Sink<'a> {
    writer: &'a mut IndexWriter<Paced>,
    /// Bounds the passages queued for tantivy's indexing threads.
    gate: Arc<Gate>,
    fields: crate::schema::Fields,
    catalogue: &'a HashMap<String, CatalogueEntry>,
    options: &'a IngestOptions,
    progress: &'a dyn Progress,
    /// Article ids seen this run, for duplicate ids and pruning.
    seen: HashSet<String>,
    /// Files that failed, whose articles pruning must keep.
    failed_paths: HashSet<PathBuf>,
    /// Files with a duplicate id or an id collision: never recorded in the manifest, so
    /// that every run reads them again and reports the same thing.
    unsettled: HashSet<PathBuf>,
    /// Empty articles per file, recorded in the manifest.
    empty_paths: HashMap<PathBuf, u64>,
    /// The articles (id, hash) read from each file, for the manifest.
    read: HashMap<String, Vec<(String, u64)>>,
    /// Content bytes read from each file (by position in the input list).
    text_bytes: HashMap<usize, u64>,
    last_commit: Instant,
    report: IngestReport,
}

impl<'a> Sink<'a> {
    fn new(
        graf: &GrafIndex,
        writer: &'a mut IndexWriter<Paced>,
        catalogue: &'a HashMap<String, CatalogueEntry>,
        options: &'a IngestOptions,
        progress: &'a dyn Progress,
    ) -> Self {
        Sink {
            writer,
            gate: Gate::new(QUEUED_PASSAGES),
            fields: graf.fields(),
            catalogue,
            options,
            progress,
            seen: HashSet::new(),
            failed_paths: HashSet::new(),
            unsettled: HashSet::new(),
            empty_paths: HashMap::new(),
            read: HashMap::new(),
            text_bytes: HashMap::new(),
            last_commit: Instant::now(),
            report: IngestReport::default(),
        }
    }

    fn consume(&mut self, events: Receiver<Event>) -> Result<()> {
        for event in events {
            self.apply(event)?;
            if self.last_commit.elapsed() >= self.options.commit_interval {
                self.commit()?;
            }
        }
        Ok(())
    }

    fn apply(&mut self, event: Event) -> Result<()> {
        match event {
            Event::Article(article, warnings, collides) => {
                warnings
                    .iter()
                    .for_each(|w| self.progress.problem(&format!("warning: {w}"), false));
                match collides {
                    Some(indexed) if !self.options.replace => self.collision(&article, &indexed),
                    _ => self.index(&article)?,
                }
            }
            Event::Duplicate {
                id,
                path,
                place,
                first,
            } => {
                self.unsettled.insert(path);
                self.progress.problem(
                    &format!(
                        "{place}: article id {id:?} was already read from {first} in this run: \
                         skipped, the first one is kept (ids must be unique)"
                    ),
                    true,
                );
                self.report.duplicates += 1;
            }
            Event::Unchanged { id, hash, path } => {
                self.read.entry(path).or_default().push((id.clone(), hash));
                self.seen.insert(id);
                self.report.unchanged += 1;
            }
            Event::Empty { id, path } => self.empty(id, &path),
            Event::Failed(err) => {
                self.failed_paths.insert(err.path().to_path_buf());
                self.progress.problem(&err.to_string(), true);
                self.report.failed += 1;
            }
            Event::Crashed { path, message } => {
                self.progress.problem(
                    &format!(
                        "{}: internal error, article skipped (please report this bug): {message}",
                        path.display()
                    ),
                    true,
                );
                self.failed_paths.insert(path);
                self.report.failed += 1;
            }
            Event::Bytes { index, file, text } => {
                self.report.bytes += file;
                self.report.text_bytes += text;
                *self.text_bytes.entry(index).or_default() += text;
                self.progress.update(&self.report);
            }
        }
        Ok(())
    }

    /// An article whose id the index holds from another file: the indexed one is kept.
    fn collision(&mut self, article: &Article, indexed: &str) {
        self.progress.problem(
            &format!(
                "{}: article id {:?} is already indexed from {indexed}, another file: \
                 kept that one (`graf ingest --replace` replaces it; give the files distinct \
                 ids, or ingest them from a common parent directory, to keep both)",
                article.path, article.id
            ),
            true,
        );
        self.seen.insert(article.id.clone());
        self.unsettled.insert(PathBuf::from(&article.path));
        self.report.collisions += 1;
    }

    /// Indexes an article; ids were made unique within the run by the reader.
    fn index(&mut self, article: &Article) -> Result<()> {
        self.read
            .entry(article.path.clone())
            .or_default()
            .push((article.id.clone(), article.hash));
        self.seen.insert(article.id.clone());
        if self.catalogue.contains_key(&article.id) {
            indexer::delete_article(self.writer, &self.fields, &article.id);
            self.report.updated += 1;
        } else {
            self.report.added += 1;
        }
        indexer::add_article_paced(self.writer, &self.gate, &self.fields, article)?;
        self.report.passages += article.passages.len() as u64;
        Ok(())
    }

    fn empty(&mut self, id: String, path: &Path) {
        self.progress.problem(
            &format!(
                "warning: {}: no text to index (empty article)",
                path.display()
            ),
            false,
        );
        if self.catalogue.contains_key(&id) {
            indexer::delete_article(self.writer, &self.fields, &id);
        }
        *self.empty_paths.entry(path.to_path_buf()).or_default() += 1;
        self.seen.insert(id);
        self.report.empty += 1;
    }

    /// Deletes articles under the roots that this run did not see, except those of files
    /// that failed to read (a failure is not a deletion).
    fn prune(&mut self) {
        // A root that is missing (an unmounted disk?) prunes nothing: absence is not deletion.
        let roots: Vec<String> = self
            .options
            .roots
            .iter()
            .filter(|root| root.exists())
            .map(|root| root.display().to_string())
            .collect();
        // A path that could not be read (a file, or a directory that could not be listed)
        // keeps everything at or below it.
        let failed: Vec<String> = self
            .failed_paths
            .iter()
            .map(|p| p.display().to_string())
            .collect();
        for (id, entry) in self.catalogue {
            let under_roots = roots.iter().any(|root| is_under(&entry.path, root));
            let unread = failed.iter().any(|path| is_under(&entry.path, path));
            if under_roots && !self.seen.contains(id) && !unread {
                indexer::delete_article(self.writer, &self.fields, id);
                self.report.pruned += 1;
            }
        }
    }

    /// Counts an unchanged file the manifest let us skip: its articles are unchanged and seen.
    fn skip_file(&mut self, record: &FileRecord, size: u64) {
        self.report.unchanged += record.articles.len() as u64;
        self.report.empty += record.empty;
        self.seen
            .extend(record.articles.iter().map(|(id, _)| id.clone()));
        self.report.bytes += size;
        self.report.text_bytes += record.text_bytes;
    }

    /// Adds the files read whole and cleanly in this run to `manifest`.
    fn record_files(
        &self,
        files: &[FoundFile],
        stamps: &[Option<(u64, u128)>],
        manifest: &mut Manifest,
    ) {
        for (index, (file, stamp)) in files.iter().zip(stamps).enumerate() {
            let Some((size, modified)) = *stamp else {
                continue;
            };
            if self.failed_paths.contains(&file.path) || self.unsettled.contains(&file.path) {
                continue;
            }
            let key = file.path.display().to_string();
            let Some(articles) = self.read.get(&key) else {
                continue;
            };
            let record = FileRecord {
                size,
                modified,
                text_bytes: self.text_bytes.get(&index).copied().unwrap_or(0),
                articles: articles.clone(),
                empty: self.empty_paths.get(&file.path).copied().unwrap_or(0),
            };
            manifest.files.insert(key, record);
        }
    }

    fn commit(&mut self) -> Result<()> {
        self.writer.commit()?;
        self.report.commits += 1;
        self.last_commit = Instant::now();
        Ok(())
    }

    fn finish(self) -> IngestReport {
        self.report
    }
}

/// `path` is `root` or inside it (compared as the strings the user typed).
fn is_under(path: &str, root: &str) -> bool {
    let root = root.trim_end_matches('/');
    path == root
        || path
            .strip_prefix(root)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// Resolves company names as users type them (aliases, tickers, any case, `Amazon/AWS`) to
/// the company paths of this index; an unknown name is an error that suggests the nearest.
pub fn resolve_companies(
    names: &[String],
    known: &[CompanyPath],
    gazetteer: &Gazetteer,
) -> Result<Vec<CompanyPath>> {
    names
        .iter()
        .map(|name| resolve_company(name, known, gazetteer))
        .collect()
}

fn resolve_company(
    name: &str,
    known: &[CompanyPath],
    gazetteer: &Gazetteer,
) -> Result<CompanyPath> {
    let wanted = name.trim();
    let listed = gazetteer.resolve(wanted);
    let folded = wanted.to_lowercase();
    let mut candidates: Vec<CompanyPath> = gazetteer
        .candidates(wanted)
        .into_iter()
        .filter(|path| known.contains(path))
        .collect();
    if candidates.is_empty() {
        // Firms the tagger found in the text are in the index but in no list.
        let by_path = known
            .iter()
            .filter(|path| path.to_string().to_lowercase() == folded);
        let by_name = known
            .iter()
            .filter(|path| path.name().to_lowercase() == folded);
        candidates = by_path.chain(by_name).cloned().collect();
        candidates.sort();
        candidates.dedup();
    }
    // Several names that differ only in case (MACMILLAN, Macmillan): one typed exactly as
    // the index spells it is that one, not an ambiguity.
    if candidates.len() > 1 {
        if let Some(exact) = candidates
            .iter()
            .find(|path| path.to_string() == wanted || path.name() == wanted)
        {
            return Ok(exact.clone());
        }
    }
    match candidates.len() {
        1 => return Ok(candidates.remove(0)),
        0 => {}
        _ => {
            return Err(Error::AmbiguousCompany {
                name: wanted.to_string(),
                candidates: candidates.iter().map(ToString::to_string).collect(),
            })
        }
    }
    // A company graf knows that no passage names: zero hits, as a script filtering on it
    // expects, not an error.
    if let Some(path) = listed {
        return Ok(path);
    }
    Err(Error::UnknownCompany {
        name: wanted.to_string(),
        suggestions: nearest_names(wanted, known),
    })
}

/// Resolves `--source` names against the sources of the index in any case, as `--company`
/// does; a name no article has matches nothing (zero hits, exit 0).
pub fn resolve_sources(names: &[String], known: &[String]) -> Result<Vec<String>> {
    let mut resolved = Vec::new();
    for name in names {
        let folded = name.trim().to_lowercase();
        let matching: Vec<String> = known
            .iter()
            .filter(|source| source.to_lowercase() == folded)
            .cloned()
            .collect();
        if matching.is_empty() {
            // A source no article has matches nothing: an empty page, as for a known company
            // that no passage names.
            resolved.push(name.clone());
            continue;
        }
        resolved.extend(matching);
    }
    Ok(resolved)
}

/// Up to three company names of the index that look like `name`.
fn nearest_names(name: &str, known: &[CompanyPath]) -> Vec<String> {
    let folded = name.to_lowercase();
    let mut scored: Vec<(f64, String)> = known
        .iter()
        .map(|path| {
            let candidate = path.name().to_lowercase();
            let mut score = strsim::jaro_winkler(&folded, &candidate);
            if candidate.starts_with(&folded) || folded.starts_with(&candidate) {
                score = score.max(0.9);
            }
            (score, path.to_string())
        })
        .filter(|(score, _)| *score >= 0.75)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    scored.dedup_by(|a, b| a.1 == b.1);
    scored.into_iter().take(3).map(|(_, name)| name).collect()
}

/// What `graf search` runs: the query's `company:` terms and `--company` names resolved, then
/// the search itself.
pub fn search(
    graf: &GrafIndex,
    gazetteer: &Gazetteer,
    company_names: &[String],
    request: SearchRequest,
) -> Result<SearchResults> {
    search_with(
        graf,
        &graf.reader()?.searcher(),
        gazetteer,
        company_names,
        request,
    )
}

/// [`search`] on a searcher the caller keeps (a server reuses one reader across requests).
pub fn search_with(
    graf: &GrafIndex,
    searcher: &tantivy::Searcher,
    gazetteer: &Gazetteer,
    company_names: &[String],
    mut request: SearchRequest,
) -> Result<SearchResults> {
    let split = search::query::split_company_terms(&request.query);
    let mut names = company_names.to_vec();
    names.extend(split.companies);
    request.query = split.text;
    if !names.is_empty() {
        let known = search::facets::company_paths(searcher, &graf.fields())?;
        request.companies = resolve_companies(&names, &known, gazetteer)?;
    }
    if !request.sources.is_empty() {
        let known = search::facets::sources(searcher, &graf.fields())?;
        request.sources = resolve_sources(&request.sources, &known)?;
    }
    search::search(graf, searcher, &request)
}

/// Runs every query (top 100 articles, each at the rank of its best passage) and scores the
/// rankings against the judgments. A query with no searchable words ranks nothing.
pub fn evaluate(
    graf: &GrafIndex,
    gazetteer: &Gazetteer,
    queries: &[crate::eval::Query],
    qrels: &crate::eval::Qrels,
    expand: Option<search::expand::Expansion>,
    ranking: search::Ranking,
) -> Result<crate::eval::Report> {
    let mut runs = Vec::with_capacity(queries.len());
    for query in queries {
        let request = SearchRequest {
            query: query.text.clone(),
            limit: 100,
            per_article: Some(1),
            expand,
            ranking,
            ..SearchRequest::default()
        };
        let ranked = match search(graf, gazetteer, &[], request) {
            Ok(results) => articles_best_first(results.hits),
            Err(Error::Query { .. }) => Vec::new(),
            Err(err) => return Err(err),
        };
        runs.push((query.id.clone(), ranked));
    }
    Ok(crate::eval::evaluate(runs, qrels))
}

/// The hits' article ids, best first; equal scores in id order, so that the figures do not
/// depend on how the ingest threads happened to lay out the index segments.
fn articles_best_first(mut hits: Vec<crate::model::Hit>) -> Vec<String> {
    hits.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| a.article_id.cmp(&b.article_id))
    });
    hits.into_iter().map(|hit| hit.article_id).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    /// Records problems instead of printing them.
    #[derive(Default)]
    struct Recorder(Mutex<Vec<String>>);

    impl Progress for Recorder {
        fn problem(&self, message: &str, _is_error: bool) {
            self.0.lock().unwrap().push(message.to_string());
        }
    }

    fn tagger() -> Tagger {
        let list = "[[company]]\nname = \"Amazon\"\n\n[[company]]\nname = \"AWS\"\naliases = [\"Amazon Web Services\"]\nparent = \"Amazon\"\n";
        Tagger::new(Gazetteer::from_toml(list, "test").unwrap())
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
    fn a_company_typed_as_the_index_spells_it_is_not_ambiguous() {
        let known = [
            CompanyPath::new(["MACMILLAN"]),
            CompanyPath::new(["Macmillan"]),
        ];
        let gazetteer = Gazetteer::default();
        let exact = resolve_companies(&["MACMILLAN".to_string()], &known, &gazetteer).unwrap();
        assert_eq!(exact, [CompanyPath::new(["MACMILLAN"])]);
        let other = resolve_companies(&["macmillan".to_string()], &known, &gazetteer);
        assert!(matches!(other, Err(Error::AmbiguousCompany { .. })));
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

    #[test]
    fn company_names_resolve_by_alias_path_and_case_or_suggest() {
        let known = vec![
            CompanyPath::new(["Amazon"]),
            CompanyPath::new(["Amazon", "AWS"]),
            CompanyPath::new(["Nvidia"]),
        ];
        let gazetteer = tagger().gazetteer().clone();
        let resolve = |name: &str| resolve_company(name, &known, &gazetteer);
        assert_eq!(
            resolve("amazon web services").unwrap(),
            CompanyPath::new(["Amazon", "AWS"])
        );
        assert_eq!(
            resolve("amazon/aws").unwrap(),
            CompanyPath::new(["Amazon", "AWS"])
        );
        assert_eq!(resolve("NVIDIA").unwrap(), CompanyPath::new(["Nvidia"]));
        match resolve("Nvidea") {
            Err(Error::UnknownCompany { suggestions, .. }) => {
                assert_eq!(suggestions, vec!["Nvidia"])
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn paths_are_under_a_root_only_at_a_separator() {
        assert!(is_under("corpus/a.txt", "corpus"));
        assert!(is_under("corpus/a.txt", "corpus/"));
        assert!(!is_under("corpus2/a.txt", "corpus"));
    }
}
