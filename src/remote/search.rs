//! Reading a remote index: `graf search --remote`, `graf companies --remote` and
//! `graf stats --remote`. Requests are built by `super::dsl`; answers are turned into the
//! same [`SearchResults`], [`FacetNode`] and [`CompanyCount`] values a local index gives, so
//! the renderers print them unchanged.
//!
//! Searches run as `dfs_query_then_fetch`: each shard scores with the whole index's term
//! statistics, as one local index does, at the cost of one more round trip; without it a
//! small index split in shards ranks by each shard's own statistics.

use std::collections::{BTreeMap, HashMap};
use std::time::Instant;

use serde::Serialize;
use serde_json::{json, Value};

use super::client::{refused, Client, RemoteError};
use super::dsl;
use crate::companies::Gazetteer;
use crate::error::{Error, Result};
use crate::model::{CompanyCount, CompanyPath, FacetNode, Hit, Neighbour, Snippet};
use crate::search::facets::{self, CompanyOrder};
use crate::search::{SearchRequest, SearchResults, SortBy};

/// Runs `POST /index/_search` and returns the answer; a missing index is
/// [`RemoteError::IndexMissing`].
fn run_search(client: &Client, index: &str, body: &Value) -> Result<Value> {
    let path = format!("/{index}/_search?search_type=dfs_query_then_fetch");
    let response = client.send("POST", &path, Some(body))?;
    match response.status {
        200..=299 => Ok(response.body),
        404 => Err(RemoteError::IndexMissing {
            url: client.base().to_string(),
            index: index.to_string(),
        }
        .into()),
        _ => Err(refused("the search", &response).into()),
    }
}

/// What `graf search --remote` runs: company names resolved against the remote index, the
/// query translated, hits, facets and neighbours read back.
pub fn search(
    client: &Client,
    index: &str,
    gazetteer: &Gazetteer,
    company_names: &[String],
    mut request: SearchRequest,
) -> Result<SearchResults> {
    let started = Instant::now();
    if request.expand.is_some() {
        return Err(Error::ExpansionNeedsLocalIndex);
    }
    crate::pipeline::resolve_request_companies(&mut request, company_names, gazetteer, || {
        company_paths(client, index)
    })?;
    let (text, notes) = dsl::text_query(&request)?;
    let sort = request.order();
    let query = dsl::filtered(text.clone(), dsl::filters(&request));
    let mut body = json!({
        "query": query,
        "track_total_hits": true,
        "sort": dsl::sort(sort),
        "explain": request.explain,
    });
    if !request.query.trim().is_empty() {
        body["highlight"] = dsl::highlight(&text);
    }
    if request.facets {
        body["aggs"] = json!({"companies": dsl::facet_aggregation()});
    }
    let (answer, hits) = ranked_hits(client, index, &mut body, &request, sort)?;
    let total = answer["hits"]["total"]["value"].as_u64().unwrap_or(0) as usize;
    let mut notes = notes;
    let failed = answer["_shards"]["failed"].as_u64().unwrap_or(0);
    if failed > 0 {
        // A shard with no live copy (a lost node, no replica yet): say so rather than
        // presenting a partial answer as complete.
        notes.push(
            format!(
                "{failed} of {} shards did not answer: the results are incomplete",
                answer["_shards"]["total"]
            )
            .into(),
        );
    }
    let facets = request.facets.then(|| {
        facet_tree(&bucket_counts(
            &answer["aggregations"]["companies"]["buckets"],
        ))
    });
    let mut hits = hits;
    if request.context > 0 {
        for hit in &mut hits {
            (hit.before, hit.after) = neighbours(client, index, hit, request.context)?;
        }
    }
    Ok(SearchResults::finished(hits, total, facets, notes, started))
}

/// The page of hits, honouring paging and `--per-article` (which, as locally, widens a window
/// of the best passages until enough articles fill the page).
fn ranked_hits(
    client: &Client,
    index: &str,
    body: &mut Value,
    request: &SearchRequest,
    sort: SortBy,
) -> Result<(Value, Vec<Hit>)> {
    let Some(per_article) = request.per_article else {
        body["from"] = json!(request.offset);
        body["size"] = json!(request.limit);
        let answer = run_search(client, index, body)?;
        let hits = hits_of(&answer, request.offset, sort);
        return Ok((answer, hits));
    };
    let wanted = request.offset + request.limit;
    let mut window = wanted.max(1) * 4;
    loop {
        body["from"] = json!(0);
        body["size"] = json!(window);
        let answer = run_search(client, index, body)?;
        let candidates = hits_of(&answer, 0, sort);
        let found = candidates.len();
        let mut seen: HashMap<String, usize> = HashMap::new();
        let kept: Vec<Hit> = candidates
            .into_iter()
            .filter(|hit| {
                let count = seen.entry(hit.article_id.clone()).or_default();
                *count += 1;
                *count <= per_article
            })
            .collect();
        if kept.len() >= wanted || found < window {
            let page = kept
                .into_iter()
                .skip(request.offset)
                .take(request.limit)
                .enumerate()
                .map(|(i, hit)| Hit {
                    rank: request.offset + i + 1,
                    ..hit
                })
                .collect();
            return Ok((answer, page));
        }
        window *= 4;
    }
}

fn hits_of(answer: &Value, offset: usize, sort: SortBy) -> Vec<Hit> {
    answer["hits"]["hits"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or(&[])
        .iter()
        .enumerate()
        .map(|(i, found)| {
            let score = match sort {
                SortBy::Score => found["_score"].as_f64().unwrap_or(0.0) as f32,
                SortBy::Date => 0.0,
            };
            let mut hit = hit_of(&found["_source"], offset + i + 1, score);
            hit.snippet = snippet(found["highlight"]["text"][0].as_str(), &hit.text);
            if let Some(explanation) = found.get("_explanation") {
                hit.explanation = serde_json::to_string_pretty(explanation).ok();
            }
            hit
        })
        .collect()
}

fn hit_of(source: &Value, rank: usize, score: f32) -> Hit {
    let text = |name: &str| source[name].as_str().map(str::to_string);
    let number = |name: &str| source[name].as_u64().unwrap_or(0) as u32;
    Hit {
        rank,
        score,
        article_id: text("article_id").unwrap_or_default(),
        title: text("title"),
        section: text("section"),
        path: text("path").unwrap_or_default(),
        line: number("line"),
        paragraph: number("ordinal"),
        date: text("date"),
        source: text("source"),
        companies: source["company"]
            .as_array()
            .map(|list| {
                list.iter()
                    .filter_map(|c| c.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default(),
        context: text("context"),
        text: text("text").unwrap_or_default(),
        snippet: Snippet::default(),
        before: Vec::new(),
        after: Vec::new(),
        explanation: None,
    }
}

/// The passage with highlight byte ranges, from OpenSearch's marked-up copy of it; the
/// passage itself when nothing in the text matched (a title or filter match).
pub fn snippet(marked: Option<&str>, text: &str) -> Snippet {
    let Some(marked) = marked else {
        return Snippet {
            fragment: text.to_string(),
            start: 0,
            highlights: Vec::new(),
        };
    };
    let mut fragment = String::with_capacity(marked.len());
    let mut highlights = Vec::new();
    let mut open = None;
    for c in marked.chars() {
        match c {
            dsl::HIGHLIGHT_START => open = Some(fragment.len()),
            dsl::HIGHLIGHT_END => {
                if let Some(start) = open.take() {
                    highlights.push(start..fragment.len());
                }
            }
            _ => fragment.push(c),
        }
    }
    Snippet {
        fragment,
        start: 0,
        highlights,
    }
}

/// The passages within `reach` ordinals of `hit` in the same article.
fn neighbours(
    client: &Client,
    index: &str,
    hit: &Hit,
    reach: usize,
) -> Result<(Vec<Neighbour>, Vec<Neighbour>)> {
    let low = hit.paragraph.saturating_sub(reach as u32);
    let body = json!({
        "size": 2 * reach + 1,
        "query": {"bool": {"filter": [
            {"term": {"article_id": hit.article_id}},
            {"range": {"ordinal": {"gte": low, "lte": hit.paragraph as usize + reach}}},
        ]}},
        "sort": [{"ordinal": "asc"}],
        "_source": ["ordinal", "line", "text"],
    });
    let answer = run_search(client, index, &body)?;
    let (mut before, mut after) = (Vec::new(), Vec::new());
    for found in answer["hits"]["hits"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or(&[])
    {
        let source = &found["_source"];
        let near = Neighbour {
            paragraph: source["ordinal"].as_u64().unwrap_or(0) as u32,
            line: source["line"].as_u64().unwrap_or(0) as u32,
            text: source["text"].as_str().unwrap_or_default().to_string(),
        };
        match near.paragraph.cmp(&hit.paragraph) {
            std::cmp::Ordering::Less => before.push(near),
            std::cmp::Ordering::Greater => after.push(near),
            std::cmp::Ordering::Equal => {}
        }
    }
    Ok((before, after))
}

/// Every company path of the remote index, ancestors included, sorted.
pub fn company_paths(client: &Client, index: &str) -> Result<Vec<CompanyPath>> {
    let body = json!({"size": 0, "aggs": {"companies": dsl::facet_aggregation()}});
    let answer = run_search(client, index, &body)?;
    let counts = bucket_counts(&answer["aggregations"]["companies"]["buckets"]);
    Ok(counts.into_keys().collect())
}

fn bucket_counts(buckets: &Value) -> BTreeMap<CompanyPath, u64> {
    buckets
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or(&[])
        .iter()
        .filter_map(|bucket| {
            let key = bucket["key"].as_str()?;
            Some((path_of(key), bucket["doc_count"].as_u64().unwrap_or(0)))
        })
        .collect()
}

fn path_of(key: &str) -> CompanyPath {
    CompanyPath::new(key.split('/'))
}

/// Facet counts as the local tree: each level by count, then path.
fn facet_tree(counts: &BTreeMap<CompanyPath, u64>) -> Vec<FacetNode> {
    let counts = counts
        .iter()
        .map(|(path, &count)| (path.clone(), (count, 0)))
        .collect();
    facets::facet_nodes(facets::tree(&counts, CompanyOrder::Count))
}

/// Exact distinct counts up to this many (OpenSearch's HyperLogLog++ maximum); above it,
/// article counts are estimates within about 1%.
const PRECISION: u64 = 40_000;

/// `graf companies --remote`: the company tree with passage and article counts.
pub fn companies(client: &Client, index: &str, order: CompanyOrder) -> Result<Vec<CompanyCount>> {
    let body = json!({"size": 0, "aggs": {"companies": {
        "terms": {"field": "company.tree", "size": 65536},
        "aggs": {"articles": {"cardinality": {"field": "article_id", "precision_threshold": PRECISION}}},
    }}});
    let answer = run_search(client, index, &body)?;
    let mut counts = facets::Counts::new();
    for bucket in answer["aggregations"]["companies"]["buckets"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or(&[])
    {
        let Some(key) = bucket["key"].as_str() else {
            continue;
        };
        let passages = bucket["doc_count"].as_u64().unwrap_or(0);
        let articles = bucket["articles"]["value"].as_u64().unwrap_or(0);
        counts.insert(path_of(key), (passages, articles));
    }
    Ok(facets::tree(&counts, order))
}

/// What `graf stats --remote` reports.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RemoteStats {
    pub index: String,
    pub articles: u64,
    pub passages: u64,
    /// Distinct company paths, ancestors included (as `graf stats` counts them).
    pub companies: u64,
    /// Primary shards' size on disk, and with the replicas.
    pub bytes_primary: u64,
    pub bytes_total: u64,
    pub shards: u64,
    pub replicas: u64,
    pub segments: u64,
    /// Cluster health of this index: green, yellow (replicas missing) or red.
    pub health: String,
    pub nodes: u64,
}

/// `graf stats --remote`.
pub fn stats(client: &Client, index: &str) -> Result<RemoteStats> {
    let body = json!({"size": 0, "track_total_hits": true, "aggs": {
        "articles": {"cardinality": {"field": "article_id", "precision_threshold": PRECISION}},
        "companies": dsl::facet_aggregation(),
    }});
    let answer = run_search(client, index, &body)?;
    let store = client.expect_ok(
        "GET",
        &format!("/{index}/_stats/store,segments"),
        None,
        "the index statistics",
    )?;
    let health = client.expect_ok(
        "GET",
        &format!("/_cluster/health/{index}"),
        None,
        "the cluster health",
    )?;
    let settings = client.expect_ok(
        "GET",
        &format!("/{index}/_settings"),
        None,
        "the index settings",
    )?;
    let index_settings = settings
        .as_object()
        .and_then(|m| m.values().next())
        .map(|v| v["settings"]["index"].clone())
        .unwrap_or(Value::Null);
    let number = |v: &Value| v.as_u64().or_else(|| v.as_str()?.parse().ok()).unwrap_or(0);
    Ok(RemoteStats {
        index: format!("{}/{index}", client.base()),
        articles: number(&answer["aggregations"]["articles"]["value"]),
        passages: number(&answer["hits"]["total"]["value"]),
        companies: answer["aggregations"]["companies"]["buckets"]
            .as_array()
            .map_or(0, |b| b.len() as u64),
        bytes_primary: number(&store["_all"]["primaries"]["store"]["size_in_bytes"]),
        bytes_total: number(&store["_all"]["total"]["store"]["size_in_bytes"]),
        shards: number(&index_settings["number_of_shards"]),
        replicas: number(&index_settings["number_of_replicas"]),
        segments: number(&store["_all"]["total"]["segments"]["count"]),
        health: health["status"].as_str().unwrap_or("unknown").to_string(),
        nodes: number(&health["number_of_data_nodes"]),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlight_marks_become_byte_ranges_of_the_text() {
        let marked = "Nestlé \u{E000}chips\u{E001} and \u{E000}Chips\u{E001}";
        let snippet = snippet(Some(marked), "Nestlé chips and Chips");
        assert_eq!(snippet.fragment, "Nestlé chips and Chips");
        let words: Vec<&str> = snippet
            .highlights
            .iter()
            .map(|r| &snippet.fragment[r.clone()])
            .collect();
        assert_eq!(words, ["chips", "Chips"]);
        let plain = super::snippet(None, "no match here");
        assert!(plain.highlights.is_empty() && plain.fragment == "no match here");
    }

    #[test]
    fn facet_buckets_form_the_local_tree() {
        let buckets = json!([
            {"key": "Amazon", "doc_count": 3},
            {"key": "Amazon/AWS", "doc_count": 2},
            {"key": "Nvidia", "doc_count": 3},
        ]);
        let tree = facet_tree(&bucket_counts(&buckets));
        assert_eq!(tree[0].path, "Amazon");
        assert_eq!(tree[0].children[0].path, "Amazon/AWS");
        assert_eq!(tree[0].children[0].name, "AWS");
        assert_eq!(tree[1].path, "Nvidia");
    }

    #[test]
    fn hits_are_read_from_the_source_document() {
        let source = json!({"text": "t", "article_id": "a", "path": "p.txt", "line": 4,
            "ordinal": 2, "date": "2025-01-02", "company": ["Amazon/AWS"]});
        let hit = hit_of(&source, 3, 1.5);
        assert_eq!((hit.rank, hit.line, hit.paragraph), (3, 4, 2));
        assert_eq!(hit.companies, ["Amazon/AWS"]);
        assert_eq!(hit.date.as_deref(), Some("2025-01-02"));
        assert!(hit.title.is_none());
    }
}
