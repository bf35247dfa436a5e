//! The reader thread and the workers of an ingest: files → articles with settled ids →
//! segmented, tagged [`Article`]s, each sent to the writer's side as an [`Event`].

use std::collections::HashMap;
use std::hash::Hasher;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use crossbeam_channel::{Receiver, Sender};
use xxhash_rust::xxh3::Xxh3;

use crate::companies::Tagger;
use crate::indexer::CatalogueEntry;
use crate::ingest::{self, FoundFile, IngestError, ReadOptions};
use crate::model::{Article, SourceDoc, TaggedPassage};
use crate::schema::SCHEMA_VERSION;
use crate::segment::{self, SegmentOptions};

use super::IngestOptions;

/// What travels from the reader and workers to the thread that owns the writer.
pub(super) enum Event {
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
pub(super) fn read_files(
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
pub(super) struct Context<'a> {
    tagger: &'a Tagger,
    segment: &'a SegmentOptions,
    catalogue: &'a HashMap<String, CatalogueEntry>,
    /// Mixed into every article hash: a new gazetteer or segmentation re-indexes.
    pub(super) salt: u64,
}

impl<'a> Context<'a> {
    pub(super) fn new(
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

pub(super) fn prepare_articles(
    context: &Context,
    docs: Receiver<(String, SourceDoc)>,
    events: Sender<Event>,
) {
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
