//! What every request shares: the open index, one reader that follows its commits, and the
//! gazetteer that resolves company names. Searches run on tokio's blocking pool, so a slow
//! query never stalls the threads that accept connections.
//!
//! The reader reloads by itself when a `graf ingest` commits into the same index (tantivy
//! watches `meta.json`, polling about twice a second), so the server sees new articles
//! without a restart; a search in flight keeps the snapshot it started with.

use std::sync::Arc;

use tantivy::{IndexReader, ReloadPolicy, Searcher};

use super::error::ServeError;
use crate::companies::Gazetteer;
use crate::indexer::GrafIndex;

/// The server's shared state.
pub struct AppState {
    pub graf: GrafIndex,
    reader: IndexReader,
    pub gazetteer: Gazetteer,
}

/// The state as handlers receive it.
pub type Shared = Arc<AppState>;

impl AppState {
    /// Opens a reader on `graf` that reloads on every commit.
    pub fn new(graf: GrafIndex, gazetteer: Gazetteer) -> crate::Result<Self> {
        let reader = graf
            .index()
            .reader_builder()
            .reload_policy(ReloadPolicy::OnCommitWithDelay)
            .try_into()?;
        Ok(AppState {
            graf,
            reader,
            gazetteer,
        })
    }

    /// A snapshot of the last commit the reader has seen.
    pub fn searcher(&self) -> Searcher {
        self.reader.searcher()
    }
}

/// Runs `work` on the blocking pool with the state, and waits for it.
pub async fn blocking<T, F>(state: &Shared, work: F) -> Result<T, ServeError>
where
    T: Send + 'static,
    F: FnOnce(&AppState) -> Result<T, ServeError> + Send + 'static,
{
    let state = Arc::clone(state);
    tokio::task::spawn_blocking(move || work(&state))
        .await
        .map_err(|err| ServeError::Internal(format!("the request failed: {err}")))?
}
