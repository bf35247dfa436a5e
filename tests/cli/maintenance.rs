//! `graf stats`, `graf merge` and `graf eval`.

use crate::env::TestEnv;

#[test]
fn stats_reports_what_the_index_holds() {
    let env = TestEnv::with_corpus();
    env.ok(&["ingest"]);
    let stats = env.stats();
    assert_eq!(stats["articles"], 24);
    assert!(stats["companies"].as_u64().unwrap() > 10);
    assert!(stats["bytes_on_disk"].as_u64().unwrap() > 10_000);
    assert!(stats["segments"].as_u64().unwrap() >= 1);
    assert_eq!(stats["schema_version"], 2);
    assert!(!stats["gazetteer"].as_str().unwrap().is_empty());
    let human = env.ok(&["stats"]);
    assert!(human.stdout.contains("passages"));
}

#[test]
fn merge_combines_shards_and_refuses_overlaps_and_occupied_outputs() {
    let env = TestEnv::new();
    env.write("one/a.txt", "A\n\nA paragraph about quartz.\n");
    env.write(
        "two/b.txt",
        "B\n\nA paragraph about feldspar.\n\nAnd mica.\n",
    );
    env.ok(&["ingest", "one", "--index", "shard1"]);
    env.ok(&["ingest", "two", "--index", "shard2"]);
    let run = env.ok(&["merge", "merged", "shard1", "shard2"]);
    assert!(
        run.stdout.contains("2 articles, 3 passages"),
        "{}",
        run.stdout
    );
    env.ok(&["search", "feldspar", "--index", "merged"]);
    let occupied = env.run(&["merge", "merged", "shard1", "shard2"]);
    assert_eq!(occupied.code, 1);
    assert!(occupied.stderr.contains("not empty"));
    let overlap = env.run(&["merge", "again", "shard1", "shard1"]);
    assert!(
        overlap.stderr.contains("shards must not overlap"),
        "{}",
        overlap.stderr
    );
    let missing = env.run(&["merge", "third", "shard1", "nope"]);
    assert!(missing.stderr.contains("nope"));
}

#[test]
fn eval_scores_a_ranking_against_judgments() {
    let env = TestEnv::new();
    env.write(
        "docs.jsonl",
        "{\"id\": \"d1\", \"text\": \"Wing flutter at supersonic speed.\"}\n\
         {\"id\": \"d2\", \"text\": \"Boundary layer transition on a flat plate.\"}\n\
         {\"id\": \"d3\", \"text\": \"Heat transfer in a boundary layer.\"}\n",
    );
    env.write("queries.jsonl", "{\"id\": 1, \"text\": \"boundary layer transition\"}\n{\"id\": 2, \"text\": \"flutter\"}\n");
    env.write("qrels.txt", "1 0 d2 1\n1 0 d3 2\n2 0 d1 1\n");
    let report = env
        .ok(&[
            "eval",
            "queries.jsonl",
            "qrels.txt",
            "--ingest",
            "docs.jsonl",
            "--json",
        ])
        .json_lines()
        .remove(0);
    assert_eq!(report["queries"], 2);
    assert!(report["ndcg_at_10"].as_f64().unwrap() > 0.8, "{report}");
    assert_eq!(report["recall_at_100"], 1.0);
    assert!(
        !env.path("index").exists(),
        "a temporary index unless --index is given"
    );
    let inverted = env.ok(&[
        "eval",
        "queries.jsonl",
        "qrels.txt",
        "--ingest",
        "docs.jsonl",
        "--inverted-grades",
        "2",
        "--per-query",
    ]);
    assert!(inverted.stdout.contains("nDCG@10"));
    let expanded = env
        .ok(&[
            "eval",
            "queries.jsonl",
            "qrels.txt",
            "--ingest",
            "docs.jsonl",
            "--expand",
            "--json",
        ])
        .json_lines()
        .remove(0);
    assert_eq!(expanded["queries"], 2);
    let bad = env.run(&["eval", "missing.jsonl", "qrels.txt"]);
    assert_eq!(bad.code, 1);
    assert!(bad.stderr.contains("missing.jsonl"));
}
