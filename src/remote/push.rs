//! `graf push`: copies the passages of a graf index into an OpenSearch index through `_bulk`.
//!
//! * The target index is created with graf's mapping (`super::mapping`) when missing, and
//!   refused when it exists without graf's marker.
//! * Each passage's id is `ARTICLE#ORDINAL`, so a second push overwrites instead of adding. The
//!   remote catalogue (article id, content hash, path and passage count, read with a composite
//!   aggregation) decides what to send, as incremental ingest does: unchanged articles are
//!   skipped, changed ones re-sent with their surplus old passages deleted, and articles that
//!   vanished are deleted ([`Scope`] says which remote articles this push speaks for).
//! * The reader thread packs NDJSON bodies of about `batch_bytes` and hands them through a
//!   bounded channel to `parallel` sender threads, so memory is bounded by
//!   `(parallel + 1) × batch_bytes`. A whole request that fails with 429, 5xx or a transport
//!   error is retried with exponential backoff (0.5 s doubling, up to 8 tries); inside a bulk
//!   answer, items refused with 429 or 5xx are retried the same way, other refused items are
//!   counted and their first reasons reported.
//! * An index created by this push is loaded with refresh off and no replicas (each replica
//!   would index every passage again on the same cores); both are restored at the end and the
//!   push waits for the replicas to be allocated. An existing index, which may be serving
//!   searches, only has its refresh paused.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crossbeam_channel::bounded;
use serde::Serialize;
use serde_json::{json, Value};
use tantivy::schema::Value as _;
use tantivy::TantivyDocument;

use super::client::{refused, Client, RemoteError, Result};
use super::mapping;
use crate::indexer::{catalogue, stored_companies, stored_day, GrafIndex};
use crate::schema::Fields;

/// What a push may do beyond sending passages.
#[derive(Clone, Debug)]
pub struct PushOptions {
    pub shards: u32,
    pub replicas: u32,
    /// Target size of one `_bulk` body.
    pub batch_bytes: usize,
    /// `_bulk` requests in flight at once.
    pub parallel: usize,
    pub scope: Scope,
    /// Write the `_bulk` bodies as NDJSON files into this directory (with the index's
    /// settings and mapping as `index.json`) instead of sending them: for clusters graf cannot
    /// reach, other loaders, and the baseline of scripts/bench-push.sh.
    pub dump: Option<std::path::PathBuf>,
}

impl Default for PushOptions {
    fn default() -> Self {
        PushOptions {
            shards: 2,
            replicas: 1,
            batch_bytes: 4 << 20,
            parallel: 3,
            scope: Scope::Mirror,
            dump: None,
        }
    }
}

/// Which remote articles missing from the pushed index are deleted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    /// The pushed index is the whole truth: every other remote article goes.
    Mirror,
    /// Only remote articles whose path is one of these or inside them.
    Under(Vec<String>),
    /// Nothing is deleted except the surplus passages of changed articles.
    Keep,
}

/// Counts of one push, shown as the summary.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct PushReport {
    pub articles: u64,
    pub added: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub deleted: u64,
    pub passages: u64,
    pub bytes: u64,
    pub requests: u64,
    pub retries: u64,
    /// Passages OpenSearch refused (each reason reported through the progress).
    pub failed: u64,
    pub seconds: f64,
}

/// Where a push reports as it goes (a progress bar in the binary, nothing in tests).
pub trait PushProgress: Sync {
    /// This many passages will be sent.
    fn start(&self, _passages: u64) {}
    /// So many passages and bytes have been accepted so far.
    fn sent(&self, _passages: u64, _bytes: u64) {}
    /// Something the user should know (a refused passage, a retry, a warning).
    fn note(&self, _message: &str) {}
}

/// A [`PushProgress`] that shows nothing.
pub struct Quiet;
impl PushProgress for Quiet {}

/// One remote article as the catalogue aggregation reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
struct RemoteArticle {
    hash: String,
    path: String,
    passages: u64,
    /// Highest passage ordinal held, to name the ids of passages to delete.
    last_ordinal: u64,
}

/// Pushes every passage of `graf` into `index` on the cluster behind `client`.
pub fn push(
    client: &Client,
    index: &str,
    graf: &GrafIndex,
    options: &PushOptions,
    progress: &dyn PushProgress,
) -> Result<PushReport> {
    let started = Instant::now();
    let created = match &options.dump {
        Some(dir) => start_dump(dir, options)?,
        None => ensure_index(client, index, options)?,
    };
    let remote = if created {
        HashMap::new()
    } else {
        remote_catalogue(client, index)?
    };
    let searcher = graf.reader().map_err(local_error)?.searcher();
    let local = catalogue(&searcher).map_err(local_error)?;
    let mut report = PushReport {
        articles: local.len() as u64,
        ..PushReport::default()
    };
    let mut send: HashSet<&str> = HashSet::new();
    for (id, entry) in &local {
        match remote.get(id) {
            Some(old) if old.hash == hash_text(entry.hash) => report.unchanged += 1,
            Some(_) => {
                report.updated += 1;
                send.insert(id);
            }
            None => {
                report.added += 1;
                send.insert(id);
            }
        }
    }
    let to_send = if send.len() == local.len() {
        searcher.num_docs()
    } else {
        count_passages(&searcher, &send)?
    };
    progress.start(to_send);
    // A dump writes the bodies to files: no cluster settings to change around the load.
    let loading = match options.dump {
        Some(_) => None,
        None => Some(LoadSettings::apply(client, index, created, to_send)?),
    };
    let sent = send_passages(
        client,
        index,
        graf,
        &searcher,
        &send,
        &hashes_of(&local),
        options,
        progress,
    );
    let restored = loading.map_or(Ok(()), |loading| {
        loading.restore(client, index, options, progress)
    });
    let sent = sent?;
    restored?;
    if options.dump.is_some() {
        return Ok(PushReport {
            passages: sent.passages,
            bytes: sent.bytes,
            requests: sent.requests,
            seconds: started.elapsed().as_secs_f64(),
            ..report
        });
    }
    report.passages = sent.passages;
    report.bytes = sent.bytes;
    report.requests = sent.requests;
    report.retries = sent.retries;
    report.failed = sent.failed;
    // Passage ids to delete: every passage of a vanished article, and those of a changed
    // article beyond its new last passage.
    let mut stale: Vec<(&str, std::ops::RangeInclusive<u64>)> = Vec::new();
    for (id, old) in &remote {
        if !local.contains_key(id) && in_scope(&options.scope, &old.path) {
            report.deleted += 1;
            stale.push((id, 0..=old.last_ordinal));
        } else if let Some(&now) = sent.max_ordinal.get(id.as_str()) {
            if old.last_ordinal > u64::from(now) {
                stale.push((id, u64::from(now) + 1..=old.last_ordinal));
            }
        }
    }
    delete_stale(client, index, &stale, progress)?;
    client.expect_ok("POST", &format!("/{index}/_refresh"), None, "the refresh")?;
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

fn hashes_of(local: &HashMap<String, crate::indexer::CatalogueEntry>) -> HashMap<&str, u64> {
    local.iter().map(|(id, e)| (id.as_str(), e.hash)).collect()
}

/// Prepares a dump directory: the index body as `index.json`; every article counts as new.
fn start_dump(dir: &std::path::Path, options: &PushOptions) -> Result<bool> {
    let body = mapping::index_body(options.shards, options.replicas);
    std::fs::create_dir_all(dir)
        .and_then(|()| std::fs::write(dir.join("index.json"), body.to_string()))
        .map_err(|err| dump_error(dir, err))?;
    Ok(true)
}

fn dump_error(dir: &std::path::Path, err: std::io::Error) -> RemoteError {
    RemoteError::Protocol {
        what: format!("writing {}", dir.display()),
        reason: err.to_string(),
    }
}

fn local_error(err: crate::Error) -> RemoteError {
    RemoteError::Protocol {
        what: "reading the local index".into(),
        reason: crate::render::errors::message(&err),
    }
}

fn in_scope(scope: &Scope, path: &str) -> bool {
    match scope {
        Scope::Mirror => true,
        Scope::Keep => false,
        Scope::Under(roots) => roots.iter().any(|root| {
            let root = root.trim_end_matches('/');
            path == root || path.strip_prefix(root).is_some_and(|r| r.starts_with('/'))
        }),
    }
}

/// Content hashes travel as hex strings: OpenSearch's `long` is signed.
fn hash_text(hash: u64) -> String {
    format!("{hash:016x}")
}

/// Creates `index` with graf's mapping when missing (returns true), or checks that the
/// existing one is graf's.
pub(crate) fn ensure_index(client: &Client, index: &str, options: &PushOptions) -> Result<bool> {
    let response = client.send("GET", &format!("/{index}/_mapping"), None)?;
    match response.status {
        200 => {
            let mapping = response
                .body
                .as_object()
                .and_then(|m| m.values().next())
                .cloned()
                .unwrap_or(Value::Null);
            match mapping::schema_of(&mapping) {
                Some(mapping::REMOTE_SCHEMA) => Ok(false),
                Some(other) => Err(RemoteError::OtherSchema {
                    index: index.to_string(),
                    found: other,
                    expected: mapping::REMOTE_SCHEMA,
                }),
                None => Err(RemoteError::ForeignIndex {
                    url: client.base().to_string(),
                    index: index.to_string(),
                }),
            }
        }
        404 => {
            let body = mapping::index_body(options.shards, options.replicas);
            let what = format!("creating index {index:?} with graf's mapping");
            client.expect_ok("PUT", &format!("/{index}"), Some(&body), &what)?;
            Ok(true)
        }
        _ => Err(refused(
            &format!("reading the mapping of {index:?}"),
            &response,
        )),
    }
}

/// Every article the remote index holds, with hash, path and passage count.
fn remote_catalogue(client: &Client, index: &str) -> Result<HashMap<String, RemoteArticle>> {
    let mut articles = HashMap::new();
    let mut after: Option<Value> = None;
    loop {
        let mut composite = json!({
            "size": 5000,
            "sources": [
                {"id": {"terms": {"field": "article_id"}}},
                {"hash": {"terms": {"field": "article_hash"}}},
                {"path": {"terms": {"field": "path"}}},
            ],
        });
        if let Some(after) = after.take() {
            composite["after"] = after;
        }
        let body = json!({"size": 0, "aggs": {"articles": {
            "composite": composite,
            "aggs": {"last": {"max": {"field": "ordinal"}}},
        }}});
        let answer = client.expect_ok(
            "POST",
            &format!("/{index}/_search"),
            Some(&body),
            "reading the remote catalogue",
        )?;
        let aggregation = &answer["aggregations"]["articles"];
        let buckets = aggregation["buckets"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        for bucket in &buckets {
            let key = &bucket["key"];
            let (Some(id), Some(hash), Some(path)) = (
                key["id"].as_str(),
                key["hash"].as_str(),
                key["path"].as_str(),
            ) else {
                continue;
            };
            let found = RemoteArticle {
                hash: hash.to_string(),
                path: path.to_string(),
                passages: bucket["doc_count"].as_u64().unwrap_or(0),
                last_ordinal: bucket["last"]["value"].as_f64().unwrap_or(0.0) as u64,
            };
            // Passages of two versions (a push that stopped half-way): no hash matches, so
            // the article is sent again and everything past its end deleted.
            articles
                .entry(id.to_string())
                .and_modify(|old: &mut RemoteArticle| {
                    old.hash.clear();
                    old.passages += found.passages;
                    old.last_ordinal = old.last_ordinal.max(found.last_ordinal);
                })
                .or_insert(found);
        }
        match aggregation.get("after_key") {
            Some(key) if !buckets.is_empty() => after = Some(key.clone()),
            _ => return Ok(articles),
        }
    }
}

fn count_passages(searcher: &tantivy::Searcher, send: &HashSet<&str>) -> Result<u64> {
    let mut total = 0;
    for id in send {
        let term = tantivy::Term::from_field_text(
            searcher
                .schema()
                .get_field(crate::schema::ARTICLE_ID)
                .expect("graf schema"),
            id,
        );
        total += searcher
            .doc_freq(&term)
            .map_err(|e| local_error(e.into()))?;
    }
    Ok(total)
}

/// Settings changed for the duration of a load, and how to put them back.
struct LoadSettings {
    paused_refresh: bool,
    dropped_replicas: bool,
}

/// Loads smaller than this keep the index's settings: the round trips would cost more.
const BULK_LOAD_PASSAGES: u64 = 20_000;

impl LoadSettings {
    fn apply(client: &Client, index: &str, created: bool, passages: u64) -> Result<LoadSettings> {
        let mut settings = LoadSettings {
            paused_refresh: false,
            dropped_replicas: false,
        };
        if passages < BULK_LOAD_PASSAGES {
            return Ok(settings);
        }
        let mut body = json!({"index": {"refresh_interval": "-1"}});
        if created {
            body["index"]["number_of_replicas"] = json!(0);
            settings.dropped_replicas = true;
        }
        client.expect_ok(
            "PUT",
            &format!("/{index}/_settings"),
            Some(&body),
            "pausing refresh for the load",
        )?;
        settings.paused_refresh = true;
        Ok(settings)
    }

    fn restore(
        &self,
        client: &Client,
        index: &str,
        options: &PushOptions,
        progress: &dyn PushProgress,
    ) -> Result<()> {
        if !self.paused_refresh {
            return Ok(());
        }
        client.expect_ok(
            "PUT",
            &format!("/{index}/_settings"),
            Some(&json!({"index": {"refresh_interval": null}})),
            "restoring refresh",
        )?;
        if !self.dropped_replicas {
            return Ok(());
        }
        // A flush commits the load to segments and trims the translog, so that the replicas
        // are made by copying files rather than by replaying every operation of the load.
        client.expect_ok(
            "POST",
            &format!("/{index}/_flush"),
            None,
            "flushing the load",
        )?;
        client.expect_ok(
            "PUT",
            &format!("/{index}/_settings"),
            Some(&json!({"index": {"number_of_replicas": options.replicas}})),
            "restoring replicas",
        )?;
        if options.replicas > 0 {
            let path = format!("/_cluster/health/{index}?wait_for_status=green&timeout=600s");
            let health = client.expect_ok("GET", &path, None, "waiting for the replicas")?;
            if health["status"] != "green" {
                progress.note(&format!(
                    "the replicas of {index:?} are not all allocated yet (status {}); the cluster keeps copying them",
                    health["status"]
                ));
            }
        }
        Ok(())
    }
}

/// What the senders did.
#[derive(Default)]
struct Sent {
    passages: u64,
    bytes: u64,
    requests: u64,
    retries: u64,
    failed: u64,
    /// Highest ordinal sent per article, to delete the surplus of shorter new versions.
    max_ordinal: HashMap<String, u32>,
}

/// One `_bulk` body: NDJSON, with the byte range of each action (two lines) so that refused
/// items can be re-sent alone.
#[derive(Default)]
struct Batch {
    body: Vec<u8>,
    items: Vec<std::ops::Range<usize>>,
}

#[allow(clippy::too_many_arguments)]
fn send_passages(
    client: &Client,
    index: &str,
    graf: &GrafIndex,
    searcher: &tantivy::Searcher,
    send: &HashSet<&str>,
    hashes: &HashMap<&str, u64>,
    options: &PushOptions,
    progress: &dyn PushProgress,
) -> Result<Sent> {
    let fields = graf.fields();
    let failure: Mutex<Option<RemoteError>> = Mutex::new(None);
    let stop = AtomicBool::new(false);
    let counters = Counters::default();
    let mut max_ordinal: HashMap<String, u32> = HashMap::new();
    let path = format!("/{index}/_bulk");
    std::thread::scope(|scope| -> Result<()> {
        let (batches, inbox) = bounded::<Batch>(options.parallel.max(1));
        for _ in 0..options.parallel.max(1) {
            let inbox = inbox.clone();
            let (failure, stop, counters, path) = (&failure, &stop, &counters, &path);
            scope.spawn(move || {
                for batch in inbox {
                    if stop.load(Ordering::Relaxed) {
                        continue;
                    }
                    let outcome = match &options.dump {
                        Some(dir) => write_batch(dir, &batch, counters, progress),
                        None => send_batch(client, path, batch, counters, progress),
                    };
                    if let Err(err) = outcome {
                        stop.store(true, Ordering::Relaxed);
                        failure.lock().expect("not poisoned").get_or_insert(err);
                    }
                }
            });
        }
        drop(inbox);
        let mut batch = Batch::default();
        let mut line = Vec::with_capacity(4096);
        for segment in searcher.segment_readers() {
            let store = segment
                .get_store_reader(16)
                .map_err(|e| local_error(crate::Error::Tantivy(e.into())))?;
            for doc in store.iter::<TantivyDocument>(segment.alive_bitset()) {
                if stop.load(Ordering::Relaxed) {
                    return Ok(());
                }
                let doc = doc.map_err(|e| local_error(e.into()))?;
                let mut passage = RemotePassage::from_doc(&fields, &doc);
                if !send.contains(passage.article_id) {
                    continue;
                }
                passage.article_hash =
                    hash_text(hashes.get(passage.article_id).copied().unwrap_or(0));
                let ordinal = max_ordinal
                    .entry(passage.article_id.to_string())
                    .or_default();
                *ordinal = (*ordinal).max(passage.ordinal);
                line.clear();
                passage.write_action(&mut line);
                let start = batch.body.len();
                batch.body.extend_from_slice(&line);
                batch.items.push(start..batch.body.len());
                if batch.body.len() >= options.batch_bytes {
                    let full = std::mem::take(&mut batch);
                    if batches.send(full).is_err() {
                        return Ok(());
                    }
                }
            }
        }
        if !batch.items.is_empty() {
            let _ = batches.send(batch);
        }
        Ok(())
    })?;
    if let Some(err) = failure.into_inner().expect("not poisoned") {
        return Err(err);
    }
    Ok(Sent {
        passages: counters.passages.load(Ordering::Relaxed),
        bytes: counters.bytes.load(Ordering::Relaxed),
        requests: counters.requests.load(Ordering::Relaxed),
        retries: counters.retries.load(Ordering::Relaxed),
        failed: counters.failed.load(Ordering::Relaxed),
        max_ordinal,
    })
}

#[derive(Default)]
struct Counters {
    passages: AtomicU64,
    bytes: AtomicU64,
    requests: AtomicU64,
    retries: AtomicU64,
    failed: AtomicU64,
    reported: AtomicU64,
}

/// Refused items shown in full; the rest are only counted.
const REASONS_SHOWN: u64 = 5;
const TRIES: u32 = 8;

/// Writes one batch as `bulk-NNNNNN.ndjson` in the dump directory.
fn write_batch(
    dir: &std::path::Path,
    batch: &Batch,
    counters: &Counters,
    progress: &dyn PushProgress,
) -> Result<()> {
    let number = counters.requests.fetch_add(1, Ordering::Relaxed) + 1;
    let file = dir.join(format!("bulk-{number:06}.ndjson"));
    std::fs::write(&file, &batch.body).map_err(|err| dump_error(dir, err))?;
    let items = batch.items.len() as u64;
    let passages = counters.passages.fetch_add(items, Ordering::Relaxed) + items;
    let bytes = batch.body.len() as u64;
    let total = counters.bytes.fetch_add(bytes, Ordering::Relaxed) + bytes;
    progress.sent(passages, total);
    Ok(())
}

/// Sends one batch until every item is accepted or refused for good.
fn send_batch(
    client: &Client,
    path: &str,
    mut batch: Batch,
    counters: &Counters,
    progress: &dyn PushProgress,
) -> Result<()> {
    let mut delay = Duration::from_millis(500);
    for attempt in 1..=TRIES {
        counters.requests.fetch_add(1, Ordering::Relaxed);
        let outcome = client.send_bytes("POST", path, Some(&batch.body), "application/x-ndjson");
        let retry_all = match &outcome {
            Err(RemoteError::Unreachable { .. }) => true,
            Ok(response) => response.status == 429 || response.status >= 500,
            Err(_) => false,
        };
        if retry_all && attempt < TRIES {
            counters.retries.fetch_add(1, Ordering::Relaxed);
            std::thread::sleep(delay);
            delay = (delay * 2).min(Duration::from_secs(30));
            continue;
        }
        let response = outcome?;
        if !(200..300).contains(&response.status) {
            return Err(refused("the bulk request", &response));
        }
        let retry = judge_items(&batch, &response.body, counters, progress, attempt == TRIES);
        if retry.items.is_empty() {
            return Ok(());
        }
        counters.retries.fetch_add(1, Ordering::Relaxed);
        batch = retry;
        std::thread::sleep(delay);
        delay = (delay * 2).min(Duration::from_secs(30));
    }
    Ok(())
}

/// Counts accepted and refused items of a bulk answer; returns the items to try again (429,
/// 5xx) unless this was the last try.
fn judge_items(
    batch: &Batch,
    answer: &Value,
    counters: &Counters,
    progress: &dyn PushProgress,
    last: bool,
) -> Batch {
    let items = answer["items"].as_array().map(Vec::as_slice).unwrap_or(&[]);
    let mut retry = Batch::default();
    let (mut accepted, mut bytes) = (0, 0);
    for (position, range) in batch.items.iter().enumerate() {
        let item = items
            .get(position)
            .and_then(|i| i.as_object())
            .and_then(|i| i.values().next());
        let status = item.and_then(|i| i["status"].as_u64()).unwrap_or(500);
        let gone = status == 404 && item.is_some_and(|i| i["result"] == "not_found");
        if (200..300).contains(&status) || gone {
            accepted += 1;
            bytes += range.len() as u64;
        } else if (status == 429 || status >= 500) && !last {
            let start = retry.body.len();
            retry.body.extend_from_slice(&batch.body[range.clone()]);
            retry.items.push(start..retry.body.len());
        } else {
            counters.failed.fetch_add(1, Ordering::Relaxed);
            if counters.reported.fetch_add(1, Ordering::Relaxed) < REASONS_SHOWN {
                let id = item.and_then(|i| i["_id"].as_str()).unwrap_or("?");
                let reason = item
                    .map(super::client::error_reason)
                    .unwrap_or_else(|| "no answer for this passage".into());
                progress.note(&format!("passage {id} refused (HTTP {status}): {reason}"));
            }
        }
    }
    let passages = counters.passages.fetch_add(accepted, Ordering::Relaxed) + accepted;
    let total_bytes = counters.bytes.fetch_add(bytes, Ordering::Relaxed) + bytes;
    progress.sent(passages, total_bytes);
    retry
}

/// Deletes passages by id through `_bulk` (`_delete_by_query` needs OpenSearch's reindex
/// module, which a cluster may lack); a passage already gone is not an error.
fn delete_stale(
    client: &Client,
    index: &str,
    stale: &[(&str, std::ops::RangeInclusive<u64>)],
    progress: &dyn PushProgress,
) -> Result<()> {
    let path = format!("/{index}/_bulk");
    let counters = Counters::default();
    let mut batch = Batch::default();
    for (id, ordinals) in stale {
        for ordinal in ordinals.clone() {
            let start = batch.body.len();
            let action = json!({"delete": {"_id": document_id(id, ordinal as u32)}});
            serde_json::to_writer(&mut batch.body, &action).expect("writing to a Vec");
            batch.body.push(b'\n');
            batch.items.push(start..batch.body.len());
            if batch.items.len() >= 10_000 {
                send_batch(client, &path, std::mem::take(&mut batch), &counters, &Quiet)?;
            }
        }
    }
    if !batch.items.is_empty() {
        send_batch(client, &path, batch, &counters, &Quiet)?;
    }
    let failed = counters.failed.load(Ordering::Relaxed);
    if failed > 0 {
        progress.note(&format!("{failed} stale passages could not be deleted"));
    }
    Ok(())
}

/// A passage as stored remotely, borrowed from a stored tantivy document.
#[derive(Serialize)]
struct RemotePassage<'a> {
    text: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    context: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    section: Option<&'a str>,
    article_id: &'a str,
    path: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    kind: Option<&'a str>,
    ordinal: u32,
    line: u32,
    span_start: u64,
    span_end: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<String>,
    company: Vec<String>,
    article_hash: String,
}

impl<'a> RemotePassage<'a> {
    fn from_doc(fields: &Fields, doc: &'a TantivyDocument) -> RemotePassage<'a> {
        let text = |field| doc.get_first(field).and_then(|v| v.as_str());
        let number = |field| doc.get_first(field).and_then(|v| v.as_u64()).unwrap_or(0);
        RemotePassage {
            text: text(fields.text).unwrap_or_default(),
            context: text(fields.context),
            title: text(fields.title),
            section: text(fields.section),
            article_id: text(fields.article_id).unwrap_or_default(),
            path: text(fields.path).unwrap_or_default(),
            source: text(fields.source),
            kind: text(fields.kind),
            ordinal: number(fields.ordinal) as u32,
            line: number(fields.line) as u32,
            span_start: number(fields.span_start),
            span_end: number(fields.span_end),
            date: stored_day(fields, doc),
            company: stored_companies(fields, doc),
            article_hash: String::new(),
        }
    }

    /// The two NDJSON lines of an `index` action.
    fn write_action(&self, out: &mut Vec<u8>) {
        let id = document_id(self.article_id, self.ordinal);
        serde_json::to_writer(&mut *out, &json!({"index": {"_id": id}})).expect("writing to a Vec");
        out.push(b'\n');
        serde_json::to_writer(&mut *out, self).expect("writing to a Vec");
        out.push(b'\n');
    }
}

/// A passage's stable id: `ARTICLE#ORDINAL`. OpenSearch caps ids at 512 bytes; a longer
/// article id is replaced by its 64-bit hash (collisions are as unlikely as for the content
/// hash incremental ingest already relies on).
pub(crate) fn document_id(article_id: &str, ordinal: u32) -> String {
    if article_id.len() <= 480 {
        return format!("{article_id}#{ordinal}");
    }
    let hash = xxhash_rust::xxh3::xxh3_64(article_id.as_bytes());
    format!("xxh3:{hash:016x}#{ordinal}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_stable_and_short_enough() {
        assert_eq!(document_id("tech/a.txt", 3), "tech/a.txt#3");
        let long = "x".repeat(600);
        let id = document_id(&long, 7);
        assert!(id.len() < 512 && id.ends_with("#7"));
        assert_eq!(id, document_id(&long, 7));
    }

    #[test]
    fn scopes_decide_what_vanished_means() {
        assert!(in_scope(&Scope::Mirror, "anything"));
        assert!(!in_scope(&Scope::Keep, "anything"));
        let under = Scope::Under(vec!["corpus/tech/".into()]);
        assert!(in_scope(&under, "corpus/tech/a.txt"));
        assert!(!in_scope(&under, "corpus/technology/a.txt"));
    }

    #[test]
    fn refused_items_are_counted_and_busy_ones_retried() {
        let mut batch = Batch::default();
        for line in [
            "{\"index\":{}}\n{}\n",
            "{\"index\":{}}\n{\"a\":1}\n",
            "x\ny\n",
        ] {
            let start = batch.body.len();
            batch.body.extend_from_slice(line.as_bytes());
            batch.items.push(start..batch.body.len());
        }
        let answer = json!({"errors": true, "items": [
            {"index": {"_id": "a#0", "status": 201}},
            {"index": {"_id": "a#1", "status": 429, "error": {"reason": "busy"}}},
            {"index": {"_id": "a#2", "status": 400, "error": {"reason": "mapper_parsing_exception"}}},
        ]});
        let counters = Counters::default();
        let retry = judge_items(&batch, &answer, &counters, &Quiet, false);
        assert_eq!(retry.items.len(), 1);
        assert_eq!(retry.body, b"{\"index\":{}}\n{\"a\":1}\n");
        assert_eq!(counters.passages.load(Ordering::Relaxed), 1);
        assert_eq!(counters.failed.load(Ordering::Relaxed), 1);
        let last = judge_items(&batch, &answer, &counters, &Quiet, true);
        assert!(last.items.is_empty());
        assert_eq!(counters.failed.load(Ordering::Relaxed), 3);
    }
}
