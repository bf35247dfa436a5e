//! Ranking quality on real relevance judgments: `graf eval` (the real binary, the default
//! configuration) on the cisi, cran, med and scifact collections in `../shared/data/ir/` must
//! reach nDCG@10 at least Lucene BM25's, and with `--expand` at least Lucene + RM3's where
//! that figure is known (figures from the issues, measured with Anserini on the same files).
//! Each collection is indexed once and both runs search that index. Skips, with a message,
//! when the collections are absent. `cargo test --test integration ranking_eval -- --nocapture` prints
//! the figures.

use std::path::PathBuf;
use std::process::Command;

struct Collection {
    name: &'static str,
    /// Cranfield grades relevance 1 (best) to 4.
    inverted_grades: Option<u32>,
    lucene_bm25: f64,
    /// Lucene + RM3, when measured.
    lucene_rm3: Option<f64>,
}

const COLLECTIONS: [Collection; 4] = [
    Collection {
        name: "cisi",
        inverted_grades: None,
        lucene_bm25: 0.385,
        lucene_rm3: Some(0.403),
    },
    Collection {
        name: "cran",
        inverted_grades: Some(4),
        lucene_bm25: 0.356,
        lucene_rm3: Some(0.364),
    },
    Collection {
        name: "med",
        inverted_grades: None,
        lucene_bm25: 0.690,
        lucene_rm3: Some(0.718),
    },
    Collection {
        name: "scifact",
        inverted_grades: None,
        lucene_bm25: 0.683,
        lucene_rm3: None,
    },
];

fn data_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data/ir")
}

/// nDCG@10 of `graf eval` on one collection, searching `index` (built by the first call).
fn ndcg_at_10(collection: &Collection, index: &std::path::Path, expand: bool) -> f64 {
    let dir = data_dir().join(collection.name);
    let mut command = Command::new(assert_cmd::cargo::cargo_bin("graf"));
    command
        .arg("eval")
        .arg(dir.join("queries.jsonl"))
        .arg(dir.join("qrels.txt"))
        .arg("--index")
        .arg(index)
        .arg("--json")
        .env_remove("GRAF_COMPANIES")
        .env("HOME", env!("CARGO_TARGET_TMPDIR"));
    if !index.join("meta.json").is_file() {
        command.arg("--ingest").arg(dir.join("docs.jsonl"));
    }
    if let Some(max) = collection.inverted_grades {
        command.arg("--inverted-grades").arg(max.to_string());
    }
    if expand {
        command.arg("--expand");
    }
    let output = command.output().expect("graf runs");
    assert!(
        output.status.success(),
        "graf eval failed on {}: {}",
        collection.name,
        String::from_utf8_lossy(&output.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON report");
    report["ndcg_at_10"].as_f64().expect("ndcg_at_10")
}

#[test]
fn default_ranking_reaches_lucene_on_every_collection() {
    if !data_dir().is_dir() {
        eprintln!("{} not found: skipping", data_dir().display());
        return;
    }
    let mut short = Vec::new();
    for collection in &COLLECTIONS {
        let index = tempfile::tempdir().expect("temporary index");
        let plain = ndcg_at_10(collection, index.path(), false);
        eprintln!(
            "{}: nDCG@10 {plain:.4} (Lucene BM25 {})",
            collection.name, collection.lucene_bm25
        );
        if plain < collection.lucene_bm25 {
            short.push(format!("{} plain {plain:.4}", collection.name));
        }
        if let Some(lucene_rm3) = collection.lucene_rm3 {
            let expanded = ndcg_at_10(collection, index.path(), true);
            eprintln!(
                "{}: --expand nDCG@10 {expanded:.4} (Lucene + RM3 {lucene_rm3})",
                collection.name
            );
            if expanded < lucene_rm3 {
                short.push(format!("{} --expand {expanded:.4}", collection.name));
            }
        }
    }
    assert!(short.is_empty(), "below Lucene: {short:?}");
}
