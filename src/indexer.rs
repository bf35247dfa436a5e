//! Owns the index on disk: creating and opening it (with the `graf.json` sidecar that records
//! the schema version and the gazetteer that built it), the writer (a held lock becomes
//! [`Error::IndexLocked`]), turning an [`Article`] into one tantivy document per passage,
//! replacing and deleting articles by id, and the catalogue of indexed articles that
//! incremental ingest compares against.

use std::collections::{BTreeSet, HashMap};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use tantivy::directory::error::LockError;
use tantivy::indexer::UserOperation;
use tantivy::schema::{Document, Facet, Value as _};
use tantivy::{
    DateTime, Index, IndexReader, IndexWriter, ReloadPolicy, Searcher, TantivyDocument,
    TantivyError, Term,
};

use crate::dates::index_date;
use crate::error::{Error, Result};
use crate::model::{Article, CompanyPath, PassageKind, TaggedPassage};
use crate::paced::{Gate, Paced};
use crate::schema::{
    build_schema, company_path, fields_of, register_analyzers, Fields, SCHEMA_VERSION,
};

/// Name of the sidecar file graf keeps next to tantivy's files.
const SIDECAR: &str = "graf.json";

/// What graf records about an index beyond tantivy's own metadata.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct IndexInfo {
    pub schema_version: u32,
    /// Fingerprint of the gazetteer the passages were tagged with.
    pub gazetteer: String,
}

/// An open graf index: tantivy's index plus the field handles and where it lives.
pub struct GrafIndex {
    index: Index,
    fields: Fields,
    dir: Option<PathBuf>,
}

impl GrafIndex {
    /// Opens an existing index; a missing one is [`Error::IndexMissing`].
    pub fn open(dir: &Path) -> Result<Self> {
        if !dir.join("meta.json").is_file() {
            return Err(Error::IndexMissing {
                path: dir.to_path_buf(),
            });
        }
        let opened = open_directory(dir)
            .map_err(|err| Error::NotAnIndex {
                path: dir.to_path_buf(),
                reason: crate::error::short_tantivy_message(&err),
            })
            .and_then(|index| Self::wrap(index, Some(dir.to_path_buf())))
            .and_then(|graf| graf.check_version().map(|()| graf));
        // An index another user built may hold files this user cannot read: say that, rather
        // than the misleading error of whichever reader met the file first.
        opened.map_err(|err| unreadable_file(dir).unwrap_or(err))
    }

    /// Opens an index without checking graf's sidecar (for an index being assembled).
    pub(crate) fn open_unchecked(dir: &Path) -> Result<Self> {
        Self::wrap(open_directory(dir)?, Some(dir.to_path_buf()))
    }

    /// Opens the index in `dir`, creating the directory and an empty index when there is none.
    pub fn open_or_create(dir: &Path) -> Result<Self> {
        if dir.join("meta.json").is_file() {
            return Self::open(dir);
        }
        fs::create_dir_all(dir).map_err(|err| Error::io(dir, err))?;
        let (schema, _) = build_schema();
        // Through graf's directory, so that the metadata is as readable as the directory.
        let directory = crate::directory::IndexDirectory::open(dir)?;
        let index = Index::create(directory, schema, tantivy::IndexSettings::default())?;
        let graf = Self::wrap(index, Some(dir.to_path_buf()))?;
        graf.write_info(&IndexInfo {
            schema_version: SCHEMA_VERSION,
            gazetteer: String::new(),
        })?;
        Ok(graf)
    }

    /// An index in memory, for tests and benchmarks.
    pub fn create_in_ram() -> Self {
        let (schema, fields) = build_schema();
        let index = Index::create_in_ram(schema);
        register_analyzers(&index);
        GrafIndex {
            index,
            fields,
            dir: None,
        }
    }

    fn wrap(mut index: Index, dir: Option<PathBuf>) -> Result<Self> {
        let fields = fields_of(&index.schema()).ok_or_else(|| Error::NotAnIndex {
            path: dir.clone().unwrap_or_default(),
            reason: "its schema lacks graf's fields".to_string(),
        })?;
        register_analyzers(&index);
        // Search the segments of a large index on all cores; without a thread pool (it cannot
        // be made) searching stays on one thread, which is correct, only slower.
        let _ = index.set_default_multithread_executor();
        Ok(GrafIndex { index, fields, dir })
    }

    fn check_version(&self) -> Result<()> {
        let found = self.info()?.schema_version;
        if found > SCHEMA_VERSION {
            return Err(Error::NewerSchema {
                path: self.dir.clone().unwrap_or_default(),
                found,
                expected: SCHEMA_VERSION,
            });
        }
        if found != SCHEMA_VERSION {
            return Err(Error::SchemaVersion {
                path: self.dir.clone().unwrap_or_default(),
                found,
                expected: SCHEMA_VERSION,
            });
        }
        Ok(())
    }

    pub fn index(&self) -> &Index {
        &self.index
    }

    pub fn fields(&self) -> Fields {
        self.fields
    }

    /// The directory the index lives in; `None` for an index in memory.
    pub fn dir(&self) -> Option<&Path> {
        self.dir.as_deref()
    }

    /// A reader that sees the last commit at the time of the call.
    /// A reader of the index's last commit; a segment file that is not what tantivy wrote
    /// (truncated, overwritten) is [`Error::Damaged`], naming the index and the repair.
    pub fn reader(&self) -> Result<IndexReader> {
        self.index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(|err| match &self.dir {
                Some(dir) if crate::health::is_corruption(&err) => {
                    crate::health::damaged_by(dir, &err)
                }
                _ => Error::Tantivy(err),
            })
    }

    /// Takes the index's single writer lock; another live writer is [`Error::IndexLocked`].
    pub fn writer(&self, threads: usize, memory_bytes: usize) -> Result<IndexWriter> {
        self.writer_of(threads, memory_bytes)
    }

    /// A writer whose documents carry the tickets of a `Gate`, for
    /// [`add_article_paced`]: what ingest uses, so that tantivy's queue stays bounded.
    pub fn paced_writer(&self, threads: usize, memory_bytes: usize) -> Result<IndexWriter<Paced>> {
        self.writer_of(threads, memory_bytes)
    }

    fn writer_of<D: Document>(
        &self,
        threads: usize,
        memory_bytes: usize,
    ) -> Result<IndexWriter<D>> {
        // tantivy wants at least 15 MB per indexing thread.
        let threads = threads.clamp(1, (memory_bytes / 15_000_000).max(1));
        self.index
            .writer_with_num_threads(threads, memory_bytes)
            .map_err(|err| match err {
                TantivyError::LockFailure(LockError::LockBusy, _) => Error::IndexLocked {
                    path: self.dir.clone().unwrap_or_default(),
                },
                TantivyError::LockFailure(LockError::IoError(io), _)
                    if crate::directory::is_unwritable(&io) =>
                {
                    Error::ReadOnly {
                        path: self.dir.clone().unwrap_or_default(),
                    }
                }
                other => Error::Tantivy(other),
            })
    }

    /// The sidecar's contents. A missing, empty or unreadable sidecar is
    /// [`Error::Sidecar`], which says what is wrong with it: every index graf writes has one.
    pub(crate) fn info(&self) -> Result<IndexInfo> {
        let Some(dir) = &self.dir else {
            return Ok(IndexInfo {
                schema_version: SCHEMA_VERSION,
                gazetteer: String::new(),
            });
        };
        let path = dir.join(SIDECAR);
        let sidecar = |problem: String| Error::Sidecar {
            path: dir.clone(),
            problem,
        };
        match fs::read_to_string(&path) {
            Ok(text) if text.trim().is_empty() => Err(sidecar(format!("{SIDECAR} is empty"))),
            Ok(text) => serde_json::from_str(&text)
                .map_err(|err| sidecar(format!("{SIDECAR} is not graf's index record ({err})"))),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                Err(sidecar(format!("{SIDECAR} is missing")))
            }
            Err(err) if err.kind() == std::io::ErrorKind::InvalidData => {
                Err(sidecar(format!("{SIDECAR} is not text")))
            }
            Err(err) => Err(Error::io(path, err)),
        }
    }

    /// Replaces the sidecar (write to a temporary file, then rename, so it is never torn).
    pub(crate) fn write_info(&self, info: &IndexInfo) -> Result<()> {
        let Some(dir) = &self.dir else { return Ok(()) };
        let path = dir.join(SIDECAR);
        let temporary = dir.join(format!("{SIDECAR}.tmp"));
        let text = serde_json::to_string_pretty(info).unwrap_or_default();
        fs::write(&temporary, text).map_err(|err| Error::io(&temporary, err))?;
        fs::rename(&temporary, &path).map_err(|err| Error::io(&path, err))
    }
}

/// The first file of the index directory `dir` this user may not read, as an error.
fn unreadable_file(dir: &Path) -> Option<Error> {
    fs::read_dir(dir)
        .ok()?
        .flatten()
        .filter(|entry| entry.file_type().is_ok_and(|kind| kind.is_file()))
        .find(|entry| {
            fs::File::open(entry.path())
                .is_err_and(|err| err.kind() == std::io::ErrorKind::PermissionDenied)
        })
        .map(|entry| Error::Unreadable {
            path: dir.to_path_buf(),
            file: entry.file_name().to_string_lossy().into_owned(),
        })
}

fn open_directory(dir: &Path) -> tantivy::Result<Index> {
    Index::open(crate::directory::IndexDirectory::open(dir)?)
}

/// Whether a file named `name` in an index directory is tantivy's or graf's: their metadata,
/// locks and segment files (named by a 32-digit hexadecimal segment id). A rebuild carries
/// every other file over to the new index.
pub(crate) fn is_index_file(name: &str) -> bool {
    let segment_id = name.split('.').next().unwrap_or_default();
    matches!(
        name,
        "meta.json"
            | ".managed.json"
            | SIDECAR
            | "files.json"
            | ".tantivy-meta.lock"
            | ".tantivy-writer.lock"
    ) || name == format!("{SIDECAR}.tmp")
        || (segment_id.len() == 32 && segment_id.chars().all(|c| c.is_ascii_hexdigit()))
}

/// Deletes every passage of `article_id` (effective at the next commit).
pub(crate) fn delete_article<D: Document>(
    writer: &IndexWriter<D>,
    fields: &Fields,
    article_id: &str,
) {
    writer.delete_term(Term::from_field_text(fields.article_id, article_id));
}

/// Replaces an article: deletes its old passages, then adds the new ones.
pub fn upsert_article(writer: &IndexWriter, fields: &Fields, article: &Article) -> Result<()> {
    delete_article(writer, fields, &article.id);
    add_article(writer, fields, article)
}

/// Adds an article's passages without deleting anything first.
pub fn add_article(writer: &IndexWriter, fields: &Fields, article: &Article) -> Result<()> {
    add_passages(writer, fields, article, |doc| doc)
}

/// [`add_article`] through `gate`: waits while too many passages are queued for tantivy (see
/// `crate::paced`).
pub fn add_article_paced(
    writer: &IndexWriter<Paced>,
    gate: &Arc<Gate>,
    fields: &Fields,
    article: &Article,
) -> Result<()> {
    gate.admit(article.passages.len());
    add_passages(writer, fields, article, |doc| gate.paced(doc))
}

/// Hands tantivy the passages of `article`, each document made by `wrap`.
fn add_passages<D: Document>(
    writer: &IndexWriter<D>,
    fields: &Fields,
    article: &Article,
    wrap: impl Fn(TantivyDocument) -> D,
) -> Result<()> {
    // A date the index cannot hold exactly is left out (the pipeline warned about it), never
    // clamped to 1677 or 2262.
    let date = article
        .date
        .as_deref()
        .and_then(|text| index_date(text).ok())
        .map(DateTime::from_utc);
    // One batch: tantivy puts the operations of a batch in one segment, in order, so an
    // article's passages are consecutive documents, which is how search finds the rest of
    // a hit's article (search::article).
    let adds: Vec<UserOperation<D>> = article
        .passages
        .iter()
        .map(|passage| UserOperation::Add(wrap(passage_document(fields, article, date, passage))))
        .collect();
    writer.run(adds)?;
    Ok(())
}

fn passage_document(
    fields: &Fields,
    article: &Article,
    date: Option<DateTime>,
    tagged: &TaggedPassage,
) -> TantivyDocument {
    let passage = &tagged.passage;
    let mut doc = TantivyDocument::default();
    doc.add_text(fields.text, &passage.text);
    if let Some(context) = &passage.context {
        doc.add_text(fields.context, context);
    }
    if let Some(title) = &article.title {
        doc.add_text(fields.title, title);
    }
    if !passage.section.is_empty() {
        doc.add_text(fields.section, passage.section.join(SECTION_SEPARATOR));
    }
    doc.add_text(fields.article_id, &article.id);
    doc.add_text(fields.path, &article.path);
    if let Some(source) = &article.source {
        doc.add_text(fields.source, source);
    }
    doc.add_u64(fields.ordinal, u64::from(passage.ordinal));
    doc.add_u64(fields.line, u64::from(passage.line));
    doc.add_u64(fields.span_start, passage.span.start as u64);
    doc.add_u64(fields.span_end, passage.span.end as u64);
    for company in &tagged.companies {
        doc.add_facet(fields.company, crate::schema::company_facet(company));
    }
    if let Some(date) = date {
        doc.add_date(fields.date, date);
    }
    doc.add_u64(fields.hash, article.hash);
    doc.add_text(fields.kind, kind_name(passage.kind));
    add_words(&mut doc, fields, article, passage);
    doc
}

/// The unstemmed copy of every searchable text of the passage, for prefix queries. Its values
/// are separate (the field has no positions, so the gaps between them do not matter).
fn add_words(
    doc: &mut TantivyDocument,
    fields: &Fields,
    article: &Article,
    passage: &crate::model::Passage,
) {
    doc.add_text(fields.words, &passage.text);
    let extra = [passage.context.as_deref(), article.title.as_deref()];
    for text in extra.into_iter().flatten() {
        doc.add_text(fields.words, text);
    }
    for heading in &passage.section {
        doc.add_text(fields.words, heading);
    }
}

/// How a section path is stored and shown: outermost heading first.
pub(crate) const SECTION_SEPARATOR: &str = " › ";

/// The stored name of a passage kind.
pub(crate) fn kind_name(kind: PassageKind) -> &'static str {
    match kind {
        PassageKind::Paragraph => "paragraph",
        PassageKind::ListItem => "list_item",
    }
}

/// What the index holds of one article, for incremental ingest.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct CatalogueEntry {
    pub hash: u64,
    pub path: String,
}

/// Every indexed article id with its content hash and path, read from fast fields.
///
/// Each segment's live passages are scanned by term ordinal only (one small integer read per
/// passage); the strings are then decoded in ordinal order, one pass over each dictionary,
/// once per article rather than once per passage. Looking a string up per passage made this
/// the slowest part of `graf stats` and of a re-ingest over a large index (23 s for 0.9 M
/// passages).
pub(crate) fn catalogue(searcher: &Searcher) -> Result<HashMap<String, CatalogueEntry>> {
    let mut entries = HashMap::new();
    for segment in searcher.segment_readers() {
        let fast = segment.fast_fields();
        let (Some(ids), Some(paths)) = (
            fast.str(crate::schema::ARTICLE_ID)?,
            fast.str(crate::schema::PATH)?,
        ) else {
            continue;
        };
        let hashes = fast.u64(crate::schema::HASH)?;
        // The first live passage of each article id: (hash, path ordinal), by id ordinal.
        let mut first: Vec<Option<(u64, u64)>> = vec![None; ids.num_terms()];
        for doc in segment.doc_ids_alive() {
            let (Some(id_ord), Some(path_ord)) =
                (ids.term_ords(doc).next(), paths.term_ords(doc).next())
            else {
                continue;
            };
            let slot = &mut first[id_ord as usize];
            if slot.is_none() {
                *slot = Some((hashes.first(doc).unwrap_or(0), path_ord));
            }
        }
        let id_ords: Vec<u64> = (0..first.len() as u64)
            .filter(|&ord| first[ord as usize].is_some())
            .collect();
        let mut path_ords: Vec<u64> = first.iter().flatten().map(|&(_, path)| path).collect();
        path_ords.sort_unstable();
        path_ords.dedup();
        let id_texts = terms_of(&ids, &id_ords)?;
        let path_texts = terms_of(&paths, &path_ords)?;
        for (ord, id) in id_ords.iter().zip(id_texts) {
            let Some((hash, path_ord)) = first[*ord as usize] else {
                continue;
            };
            let path = path_ords
                .binary_search(&path_ord)
                .map(|at| path_texts[at].clone())
                .unwrap_or_default();
            entries.entry(id).or_insert(CatalogueEntry { hash, path });
        }
    }
    Ok(entries)
}

/// Every company path present in the index's term dictionary, ancestors included, sorted:
/// the names a user may type. (Deleted passages may leave a path behind until segments
/// merge; counts come from [`crate::search::facets`], never from here.)
pub fn company_paths(searcher: &Searcher, fields: &Fields) -> Result<Vec<CompanyPath>> {
    terms(searcher, fields.company, |key| {
        let facet = Facet::from_encoded(key.to_vec()).ok()?;
        company_path(&facet)
    })
}

/// Every source name in the index's term dictionary, sorted (deleted articles may leave one
/// behind until segments merge).
pub(crate) fn sources(searcher: &Searcher, fields: &Fields) -> Result<Vec<String>> {
    terms(searcher, fields.source, |key| {
        Some(String::from_utf8_lossy(key).into_owned())
    })
}

/// The distinct values `read` makes of the terms of `field` in every segment, sorted.
fn terms<T: Ord>(
    searcher: &Searcher,
    field: tantivy::schema::Field,
    read: impl Fn(&[u8]) -> Option<T>,
) -> Result<Vec<T>> {
    let mut values = BTreeSet::new();
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(field)?;
        let mut terms = inverted.terms().stream().map_err(tantivy_io)?;
        while terms.advance() {
            values.extend(read(terms.key()));
        }
    }
    Ok(values.into_iter().collect())
}

/// The company paths a stored passage carries, as `Amazon/AWS`.
pub(crate) fn stored_companies(fields: &Fields, doc: &TantivyDocument) -> Vec<String> {
    doc.get_all(fields.company)
        .filter_map(|v| v.as_facet())
        .filter_map(|encoded| Facet::from_encoded(encoded.as_bytes().to_vec()).ok())
        .filter_map(|facet| company_path(&facet))
        .map(|path| path.to_string())
        .collect()
}

/// The day of a stored passage's article, as `2025-01-02`.
pub(crate) fn stored_day(fields: &Fields, doc: &TantivyDocument) -> Option<String> {
    doc.get_first(fields.date)
        .and_then(|v| v.as_datetime())
        .map(|d| crate::dates::format_day(d.into_utc()))
}

fn tantivy_io(err: std::io::Error) -> Error {
    Error::Tantivy(err.into())
}

/// The strings of `ords` (sorted), decoded in one pass over the dictionary.
fn terms_of(column: &tantivy::columnar::StrColumn, ords: &[u64]) -> Result<Vec<String>> {
    let mut texts = Vec::with_capacity(ords.len());
    column
        .dictionary()
        .sorted_ords_to_term_cb(ords, |bytes| {
            texts.push(String::from_utf8_lossy(bytes).into_owned())
        })
        .map_err(tantivy_io)?;
    Ok(texts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{CompanyPath, Passage};

    pub(crate) fn article(id: &str, texts: &[&str]) -> Article {
        let passages = texts
            .iter()
            .enumerate()
            .map(|(ordinal, text)| TaggedPassage {
                passage: Passage {
                    ordinal: ordinal as u32,
                    section: vec!["Results".to_string()],
                    context: None,
                    text: text.to_string(),
                    line: ordinal as u32 + 1,
                    span: 0..text.len(),
                    kind: PassageKind::Paragraph,
                },
                companies: vec![CompanyPath::new(["Amazon", "AWS"])],
            })
            .collect();
        Article {
            id: id.to_string(),
            path: format!("{id}.txt"),
            title: Some("A title".to_string()),
            source: None,
            date: Some("2025-01-02".to_string()),
            hash: 7,
            passages,
        }
    }

    fn count(graf: &GrafIndex) -> u64 {
        graf.reader().unwrap().searcher().num_docs()
    }

    #[test]
    fn upsert_replaces_an_article_instead_of_duplicating_it() {
        let graf = GrafIndex::create_in_ram();
        let fields = graf.fields();
        let mut writer = graf.writer(1, 50_000_000).unwrap();
        upsert_article(&writer, &fields, &article("a", &["one", "two"])).unwrap();
        writer.commit().unwrap();
        upsert_article(&writer, &fields, &article("a", &["one", "two", "three"])).unwrap();
        writer.commit().unwrap();
        assert_eq!(count(&graf), 3);
    }

    #[test]
    fn catalogue_lists_each_article_once_with_hash_and_path() {
        let graf = GrafIndex::create_in_ram();
        let fields = graf.fields();
        let mut writer = graf.writer(1, 50_000_000).unwrap();
        add_article(&writer, &fields, &article("a", &["one", "two"])).unwrap();
        add_article(&writer, &fields, &article("b", &["three"])).unwrap();
        writer.commit().unwrap();
        let entries = catalogue(&graf.reader().unwrap().searcher()).unwrap();
        assert_eq!(entries.len(), 2);
        assert_eq!(
            entries["a"],
            CatalogueEntry {
                hash: 7,
                path: "a.txt".into()
            }
        );
    }

    #[test]
    fn opening_a_missing_index_says_how_to_create_one() {
        let dir = tempfile::tempdir().unwrap();
        let err = GrafIndex::open(&dir.path().join("nope")).err().unwrap();
        let text = crate::render::errors::message(&err);
        assert!(text.contains("graf ingest"), "{text}");
    }

    #[test]
    fn a_second_writer_is_refused_as_locked() {
        let dir = tempfile::tempdir().unwrap();
        let graf = GrafIndex::open_or_create(dir.path()).unwrap();
        let _first = graf.writer(1, 50_000_000).unwrap();
        let second = GrafIndex::open(dir.path()).unwrap().writer(1, 50_000_000);
        assert!(matches!(second, Err(Error::IndexLocked { .. })));
    }
}
