//! Headline-only articles (a title and no body, or a body of one short line read as a
//! heading) are indexed, counted, found by their words, filtered by the companies they name
//! and shown in every output format: no article with text is dropped as empty.

use crate::env::TestEnv;

/// One article of each headline-only shape, each with its own word to search for.
fn headlines() -> TestEnv {
    let env = TestEnv::new();
    env.write(
        "news/wire.jsonl",
        concat!(
            "{\"id\":\"j0\",\"title\":\"Nvidia raises Prime prices in Lisbon\"}\n",
            "{\"id\":\"j1\",\"title\":\"Prices\",\"text\":\"Nvidia raises prime prices in Porto\"}\n",
            "{\"id\":\"j2\",\"title\":\"Nvidia opens a depot in Braga\",\"text\":\"\"}\n",
        ),
    );
    env.write("news/flash.txt", "Nvidia cuts jobs in Coimbra\n");
    env.write(
        "news/header.txt",
        "Title: Jobs\nDate: 2025-03-01\n\nNvidia hires drivers in Faro\n",
    );
    env.write(
        "news/front.md",
        "---\ntitle: Nvidia buys a warehouse in Evora\nsource: Wire\n---\n",
    );
    env
}

/// The JSON hits of a search.
fn search(env: &TestEnv, args: &[&str]) -> Vec<serde_json::Value> {
    let mut all = vec!["search", "--json"];
    all.extend_from_slice(args);
    env.ok(&all).hits()
}

#[test]
fn every_headline_only_article_is_indexed_and_counted() {
    let env = headlines();
    let report = env.ok(&["ingest", "news", "--json"]).json_lines().remove(0);
    assert_eq!(
        (report["added"].as_u64(), report["empty"].as_u64()),
        (Some(6), Some(0)),
        "{report}"
    );
    assert_eq!(env.stats()["articles"], 6);
    assert_eq!(env.stats()["passages"], 6);
}

#[test]
fn each_headline_is_found_by_its_words_with_its_title_and_text() {
    let env = headlines();
    env.ok(&["ingest", "news"]);
    let cases = [
        ("lisbon", "j0", "Nvidia raises Prime prices in Lisbon"),
        ("porto", "j1", "Nvidia raises prime prices in Porto"),
        ("braga", "j2", "Nvidia opens a depot in Braga"),
        ("coimbra", "flash.txt", "Nvidia cuts jobs in Coimbra"),
        ("faro", "header.txt", "Nvidia hires drivers in Faro"),
        ("evora", "front.md", "Nvidia buys a warehouse in Evora"),
    ];
    for (word, id, text) in cases {
        let hits = search(&env, &[word]);
        assert_eq!(hits.len(), 1, "{word}: {hits:?}");
        assert_eq!(hits[0]["article_id"], id, "{word}");
        assert_eq!(hits[0]["text"], text, "{word}");
        assert!(hits[0]["title"].is_string(), "{word}: a title to show");
        assert!(hits[0]["line"].as_u64().unwrap() >= 1, "{word}");
        let highlights = hits[0]["snippet"]["highlights"].as_array().unwrap();
        assert_eq!(highlights.len(), 1, "{word}: the word is highlighted");
    }
}

#[test]
fn headlines_are_filtered_by_the_companies_they_name() {
    let env = headlines();
    env.ok(&["ingest", "news"]);
    let hits = search(&env, &["--company", "Nvidia", "-n", "20"]);
    assert_eq!(hits.len(), 6, "{hits:?}");
    assert!(hits.iter().all(|hit| hit["companies"]
        .as_array()
        .unwrap()
        .contains(&"Nvidia".into())));
    let listed = env.ok(&["companies", "--json"]).stdout;
    assert!(listed.contains("Nvidia"), "{listed}");
}

#[test]
fn headlines_show_in_human_and_tsv_output() {
    let env = headlines();
    env.ok(&["ingest", "news"]);
    let human = env.ok(&["search", "evora"]).stdout;
    assert!(
        human.contains("Nvidia buys a warehouse in Evora") && human.contains("front.md:"),
        "{human}"
    );
    let tsv = env.ok(&["search", "porto", "--format", "tsv"]).stdout;
    let row: Vec<&str> = tsv.lines().nth(1).expect("one row").split('\t').collect();
    assert_eq!(row[4], "Prices", "title column: {tsv}");
    assert_eq!(
        row[7], "Nvidia raises prime prices in Porto",
        "text column: {tsv}"
    );
}

#[test]
fn a_record_with_neither_title_nor_text_is_still_an_error() {
    let env = TestEnv::new();
    env.write(
        "news/wire.jsonl",
        "{\"id\":\"x\",\"date\":\"2025-01-01\"}\n",
    );
    let run = env.run(&["ingest", "news"]);
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert!(
        run.stderr.contains("wire.jsonl:1: no text"),
        "{}",
        run.stderr
    );
}
