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
//! gazetteer and segmentation settings, and are neither tagged nor re-indexed.

use std::collections::{HashMap, HashSet};
use std::hash::Hasher;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crossbeam_channel::{bounded, Receiver, Sender};
use tantivy::IndexWriter;
use xxhash_rust::xxh3::Xxh3;

use crate::companies::{Gazetteer, Tagger};
use crate::error::{Error, Result};
use crate::indexer::{self, CatalogueEntry, GrafIndex, IndexInfo};
use crate::ingest::{self, FoundFile, IngestError, ReadOptions};
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
    pub bytes: u64,
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
    let mut writer = graf.writer(options.threads, options.memory_bytes)?;
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
    writer: &mut IndexWriter,
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

    let context = Context::new(tagger, options, &catalogue);
    let mut sink = Sink::new(graf, writer, &catalogue, options, progress);
    sink.report.files = files.len() as u64;
    sink.report.failed = unreadable.len() as u64;
    sink.failed_paths.extend(unreadable);
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
        place: String,
        first: String,
    },
    /// The index already holds this exact version of the article.
    Unchanged(String),
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
    /// Progress through the input files.
    Bytes(u64),
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
    for file in files {
        if stop.load(Ordering::Relaxed) {
            break;
        }
        let mut articles = match ingest::read(file, options) {
            Ok(articles) => articles,
            Err(err) => {
                let _ = events.send(Event::Failed(err));
                let _ = events.send(Event::Bytes(file.size));
                continue;
            }
        };
        let mut reported = 0;
        while let Some(next) = articles.next() {
            let sent = match next {
                Ok(doc) => {
                    let id = article_id(&doc);
                    match ids.get(&id) {
                        Some(first) => events
                            .send(Event::Duplicate {
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
            let _ = events.send(Event::Bytes(consumed.saturating_sub(reported)));
            reported = reported.max(consumed);
            if !sent || stop.load(Ordering::Relaxed) {
                return;
            }
        }
        let _ = events.send(Event::Bytes(file.size.saturating_sub(reported)));
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
    let options = SegmentOptions {
        title_from_first_line: doc.meta.title.is_none(),
        ..context.segment.clone()
    };
    let segmented = segment::segment(&doc.text, doc.format, &options);
    let mut meta = doc.meta;
    meta.fill_from(segmented.meta);
    let mut warnings: Vec<String> = segmented
        .warnings
        .iter()
        .map(|w| format!("{}: {w}", doc.path.display()))
        .collect();
    if segmented.passages.is_empty() {
        return Event::Empty { id, path: doc.path };
    }
    let path = doc.path.display().to_string();
    let indexed = context.catalogue.get(&id);
    let collides = indexed
        .filter(|entry| is_other_file(&entry.path, &doc.path))
        .map(|entry| entry.path.clone());
    if indexed.is_some_and(|entry| entry.hash == hash) && collides.is_none() {
        return Event::Unchanged(id);
    }
    if let Some(date) = &meta.date {
        if let Err(problem) = crate::dates::index_date(date) {
            let line = doc.record_line.or_else(|| line_of(&doc.text, date));
            let place = line.map_or(path.clone(), |line| format!("{path}:{line}"));
            warnings.push(format!("{place}: {problem}; indexed without a date"));
        }
    }
    let title = meta.title.clone().or(segmented.title);
    let mut tagger = context.tagger.article(&meta.companies);
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
    writer: &'a mut IndexWriter,
    fields: crate::schema::Fields,
    catalogue: &'a HashMap<String, CatalogueEntry>,
    options: &'a IngestOptions,
    progress: &'a dyn Progress,
    /// Article ids seen this run, for duplicate ids and pruning.
    seen: HashSet<String>,
    /// Files that failed, whose articles pruning must keep.
    failed_paths: HashSet<PathBuf>,
    last_commit: Instant,
    report: IngestReport,
}

impl<'a> Sink<'a> {
    fn new(
        graf: &GrafIndex,
        writer: &'a mut IndexWriter,
        catalogue: &'a HashMap<String, CatalogueEntry>,
        options: &'a IngestOptions,
        progress: &'a dyn Progress,
    ) -> Self {
        Sink {
            writer,
            fields: graf.fields(),
            catalogue,
            options,
            progress,
            seen: HashSet::new(),
            failed_paths: HashSet::new(),
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
            Event::Duplicate { id, place, first } => {
                self.progress.problem(
                    &format!(
                        "{place}: article id {id:?} was already read from {first} in this run: \
                         skipped, the first one is kept (ids must be unique)"
                    ),
                    true,
                );
                self.report.duplicates += 1;
            }
            Event::Unchanged(id) => {
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
            Event::Bytes(bytes) => {
                self.report.bytes += bytes;
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
        self.report.collisions += 1;
    }

    /// Indexes an article; ids were made unique within the run by the reader.
    fn index(&mut self, article: &Article) -> Result<()> {
        self.seen.insert(article.id.clone());
        if self.catalogue.contains_key(&article.id) {
            indexer::upsert_article(self.writer, &self.fields, article)?;
            self.report.updated += 1;
        } else {
            indexer::add_article(self.writer, &self.fields, article)?;
            self.report.added += 1;
        }
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
    if let Some(path) = gazetteer.resolve(wanted) {
        if known.contains(&path) {
            return Ok(path);
        }
    }
    let folded = wanted.to_lowercase();
    let by_path = known
        .iter()
        .find(|path| path.to_string().to_lowercase() == folded);
    let by_name = || {
        known
            .iter()
            .filter(|path| path.name().to_lowercase() == folded)
            .min_by_key(|path| path.0.len())
    };
    if let Some(path) = by_path.or_else(by_name) {
        return Ok(path.clone());
    }
    Err(Error::UnknownCompany {
        name: wanted.to_string(),
        suggestions: nearest_names(wanted, known),
    })
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
    mut request: SearchRequest,
) -> Result<SearchResults> {
    let searcher = graf.reader()?.searcher();
    let split = search::query::split_company_terms(&request.query);
    let mut names = company_names.to_vec();
    names.extend(split.companies);
    request.query = split.text;
    if !names.is_empty() {
        let known = search::facets::company_paths(&searcher, &graf.fields())?;
        request.companies = resolve_companies(&names, &known, gazetteer)?;
    }
    search::search(graf, &searcher, &request)
}

/// Runs every query (top 100 articles, each at the rank of its best passage) and scores the
/// rankings against the judgments. A query with no searchable words ranks nothing.
pub fn evaluate(
    graf: &GrafIndex,
    gazetteer: &Gazetteer,
    queries: &[crate::eval::Query],
    qrels: &crate::eval::Qrels,
    expand: Option<search::expand::Expansion>,
) -> Result<crate::eval::Report> {
    let mut runs = Vec::with_capacity(queries.len());
    for query in queries {
        let request = SearchRequest {
            query: query.text.clone(),
            limit: 100,
            per_article: Some(1),
            expand,
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
