//! The writer's side of an ingest: the one thread that owns the index writer applies the
//! [`Event`]s of the reader and workers, commits periodically, prunes and keeps the counts.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use crossbeam_channel::Receiver;
use tantivy::IndexWriter;

use crate::error::Result;
use crate::indexer::{self, CatalogueEntry, GrafIndex};
use crate::ingest::FoundFile;
use crate::manifest::{FileRecord, Manifest};
use crate::model::Article;
use crate::paced::{Gate, Paced, QUEUED_PASSAGES};

use super::prepare::Event;
use super::{IngestOptions, IngestReport, Progress, Remedy};

/// The writer's side: applies events to the index, commits periodically, keeps the counts.
pub(super) struct Sink<'a> {
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
    pub(super) failed_paths: HashSet<PathBuf>,
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
    pub(super) report: IngestReport,
}

impl<'a> Sink<'a> {
    pub(super) fn new(
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

    pub(super) fn consume(&mut self, events: Receiver<Event>) -> Result<()> {
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
        self.progress.problem_with_remedy(
            &format!(
                "{}: article id {:?} is already indexed from {indexed}, another file: \
                 kept that one",
                article.path, article.id
            ),
            true,
            Remedy::ReplaceOrRename,
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
    pub(super) fn prune(&mut self) {
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
    pub(super) fn skip_file(&mut self, record: &FileRecord, size: u64) {
        self.report.unchanged += record.articles.len() as u64;
        self.report.empty += record.empty;
        self.seen
            .extend(record.articles.iter().map(|(id, _)| id.clone()));
        self.report.bytes += size;
        self.report.text_bytes += record.text_bytes;
    }

    /// Adds the files read whole and cleanly in this run to `manifest`.
    pub(super) fn record_files(
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

    pub(super) fn commit(&mut self) -> Result<()> {
        self.writer.commit()?;
        self.report.commits += 1;
        self.last_commit = Instant::now();
        Ok(())
    }

    pub(super) fn finish(self) -> IngestReport {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_under_a_root_only_at_a_separator() {
        assert!(is_under("corpus/a.txt", "corpus"));
        assert!(is_under("corpus/a.txt", "corpus/"));
        assert!(!is_under("corpus2/a.txt", "corpus"));
    }
}
