//! `graf search`: ranking output, filters, facets, paging, context and output formats.

use serde_json::Value;

use crate::env::TestEnv;

fn corpus() -> TestEnv {
    let env = TestEnv::with_corpus();
    env.ok(&["ingest"]);
    env
}

fn highlighted(hit: &Value) -> Vec<String> {
    let text = hit["snippet"]["text"].as_str().unwrap();
    hit["snippet"]["highlights"]
        .as_array()
        .unwrap()
        .iter()
        .map(|range| {
            text[range[0].as_u64().unwrap() as usize..range[1].as_u64().unwrap() as usize]
                .to_lowercase()
        })
        .collect()
}

fn companies(hit: &Value) -> Vec<&str> {
    hit["companies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect()
}

#[test]
fn the_first_search_in_a_fresh_clone_indexes_the_sample_corpus() {
    let env = TestEnv::with_corpus();
    std::fs::create_dir_all(env.path("index")).unwrap();
    env.write("index/.gitignore", "*\n!.gitignore\n");
    let run = env.ok(&["search", "chips", "--company", "Amazon"]);
    assert!(
        run.stderr.contains("indexing ./corpus first"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.contains("corpus/"), "{}", run.stdout);
    let again = env.ok(&["search", "chips", "--company", "Amazon"]);
    assert!(again.stderr.is_empty(), "only once: {}", again.stderr);
    assert_eq!(again.stdout.lines().count(), run.stdout.lines().count());
}

#[test]
fn chips_filtered_by_amazon_are_amazon_passages_with_location_and_highlights() {
    let env = corpus();
    let all = env.ok(&["search", "chips", "--json"]).summary()["total"]
        .as_u64()
        .unwrap();
    let run = env.ok(&[
        "search",
        "chips",
        "--company",
        "Amazon",
        "--json",
        "--limit",
        "50",
    ]);
    let hits = run.hits();
    assert!(!hits.is_empty());
    assert!((hits.len() as u64) < all, "the filter narrows the results");
    for hit in &hits {
        assert!(
            companies(hit)
                .iter()
                .any(|c| *c == "Amazon" || c.starts_with("Amazon/")),
            "{hit}"
        );
        assert!(hit["path"].as_str().unwrap().starts_with("corpus/"));
        assert!(hit["line"].as_u64().unwrap() >= 1);
        assert!(
            highlighted(hit).iter().all(|word| word.starts_with("chip")),
            "{hit}"
        );
        let mentions_chips = hit["text"]
            .as_str()
            .unwrap()
            .to_lowercase()
            .contains("chip");
        assert_eq!(!highlighted(hit).is_empty(), mentions_chips, "{hit}");
    }
    assert!(
        hits[..5].iter().all(|hit| !highlighted(hit).is_empty()),
        "the best hits say it"
    );
    assert_eq!(run.summary()["returned"], hits.len());
}

#[test]
fn human_output_has_path_line_and_colour_only_when_asked() {
    let env = corpus();
    let plain = env.ok(&["search", "chips", "--company", "Amazon", "--limit", "3"]);
    let location = regex_like_location(&plain.stdout);
    assert!(location, "path:line in {}", plain.stdout);
    assert!(!plain.stdout.contains('\u{1b}'), "plain when piped");
    let coloured = env.ok(&["search", "chips", "--limit", "1", "--color", "always"]);
    assert!(
        coloured.stdout.contains("\u{1b}[1m\u{1b}[33m"),
        "highlight colour: {}",
        coloured.stdout
    );
}

fn regex_like_location(text: &str) -> bool {
    text.lines().any(|line| {
        let line = line.trim();
        line.starts_with("corpus/")
            && line.split("  ").next().is_some_and(|loc| {
                loc.rsplit(':')
                    .next()
                    .is_some_and(|n| n.parse::<u32>().is_ok())
            })
    })
}

#[test]
fn company_names_resolve_through_aliases_and_case() {
    let env = corpus();
    let by_alias = env
        .ok(&[
            "search",
            "chips",
            "--company",
            "amazon web services",
            "--json",
        ])
        .hits();
    let by_name = env
        .ok(&["search", "chips", "--company", "aws", "--json"])
        .hits();
    assert!(!by_name.is_empty());
    assert_eq!(by_alias.len(), by_name.len());
    let in_query = env.ok(&["search", "chips company:AWS", "--json"]).hits();
    assert_eq!(in_query.len(), by_name.len());
}

#[test]
fn an_unknown_company_suggests_the_nearest_names() {
    let env = corpus();
    let run = env.run(&["search", "chips", "--company", "Nvidea"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("did you mean") && run.stderr.contains("Nvidia"),
        "{}",
        run.stderr
    );
}

#[test]
fn several_companies_must_all_match_unless_any_company() {
    let env = corpus();
    let count = |args: &[&str]| {
        env.ok(&[&["search", "--json", "--limit", "100"], args].concat())
            .summary()["total"]
            .as_u64()
            .unwrap()
    };
    let amazon = count(&["chips", "--company", "Amazon"]);
    let nvidia = count(&["chips", "--company", "Nvidia"]);
    let both = count(&["chips", "--company", "Amazon", "--company", "Nvidia"]);
    let either = count(&[
        "chips",
        "--company",
        "Amazon",
        "--company",
        "Nvidia",
        "--any-company",
    ]);
    assert!(both <= amazon.min(nvidia));
    assert!(either >= amazon.max(nvidia));
    assert_eq!(either, amazon + nvidia - both);
}

#[test]
fn facets_count_all_matches_as_a_tree() {
    let env = corpus();
    let run = env.ok(&["search", "chips", "--facets", "--json", "--limit", "1"]);
    let summary = run.summary();
    let facets = summary["facets"].as_array().unwrap();
    let amazon = facets
        .iter()
        .find(|f| f["name"] == "Amazon")
        .expect("Amazon counted");
    let filtered = env
        .ok(&["search", "chips", "--company", "Amazon", "--json"])
        .summary();
    assert_eq!(
        amazon["count"], filtered["total"],
        "counts cover all matches, not one page"
    );
    let human = env.ok(&["search", "chips", "--facets", "--limit", "1"]);
    assert!(human.stdout.contains("Companies in the matching passages:"));
}

#[test]
fn paging_per_article_and_sorting() {
    let env = corpus();
    let first = env
        .ok(&["search", "chips", "--json", "--limit", "4"])
        .hits();
    let second = env
        .ok(&["search", "chips", "--json", "--limit", "2", "--offset", "2"])
        .hits();
    assert_eq!(second[0]["text"], first[2]["text"]);
    assert_eq!(second[0]["rank"], 3);
    let one_each = env
        .ok(&[
            "search",
            "chips",
            "--json",
            "--limit",
            "20",
            "--per-article",
            "1",
        ])
        .hits();
    let mut ids: Vec<&str> = one_each
        .iter()
        .map(|h| h["article_id"].as_str().unwrap())
        .collect();
    let total = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), total, "one passage per article");
    let by_date = env
        .ok(&[
            "search", "chips", "--json", "--sort", "date", "--limit", "30",
        ])
        .hits();
    let dates: Vec<&str> = by_date.iter().filter_map(|h| h["date"].as_str()).collect();
    assert!(
        dates.windows(2).all(|w| w[0] >= w[1]),
        "newest first: {dates:?}"
    );
}

#[test]
fn filters_without_a_query_list_newest_passages() {
    let env = corpus();
    let hits = env
        .ok(&[
            "search",
            "--company",
            "Amazon",
            "--since",
            "2025-01-01",
            "--json",
            "--limit",
            "50",
        ])
        .hits();
    assert!(!hits.is_empty());
    assert!(hits
        .iter()
        .all(|h| h["date"].as_str().is_some_and(|d| d >= "2025-01-01")));
    let article = hits[0]["article_id"].as_str().unwrap().to_string();
    let only = env
        .ok(&["search", "--article", &article, "--json", "--limit", "500"])
        .hits();
    assert!(only.iter().all(|h| h["article_id"] == article.as_str()));
}

#[test]
fn context_and_explain_and_tsv() {
    let env = corpus();
    let hit = env
        .ok(&[
            "search",
            "chips",
            "--context",
            "1",
            "--explain",
            "--json",
            "--limit",
            "1",
        ])
        .hits()
        .remove(0);
    assert!(hit["before"].is_array() || hit["after"].is_array(), "{hit}");
    assert!(hit["explanation"].is_object(), "{hit}");
    let tsv = env.ok(&["search", "chips", "--format", "tsv", "--limit", "3"]);
    let rows: Vec<&str> = tsv.stdout.lines().collect();
    assert_eq!(
        rows[0],
        "rank\tscore\tpath\tline\ttitle\tsection\tcompanies\ttext"
    );
    assert_eq!(rows.len(), 4);
    assert!(rows[1..].iter().all(|row| row.split('\t').count() == 8));
}

#[test]
fn a_natural_language_query_never_fails() {
    let env = corpus();
    for query in [
        "WHAT DID AMAZON SAY AND WHY NOT",
        "amazon's \"chips",
        "note: (chips",
        "price: AND OR",
    ] {
        let run = env.run(&["search", query, "--json"]);
        assert_eq!(run.code, 0, "{query}: {}", run.stderr);
    }
    let noted = env.run(&["search", "amazon \"chips"]);
    assert!(
        noted.stderr.contains("note:") && noted.stderr.contains("plain words"),
        "{}",
        noted.stderr
    );
}

#[test]
fn stop_words_alone_match_nothing_and_say_why() {
    let env = corpus();
    let run = env.run(&["search", "the of", "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.contains("only stop words"), "{}", run.stderr);
    assert!(run.stdout.contains("\"total\":0"), "{}", run.stdout);
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    let env = corpus();
    let mut child = env
        .command(&["search", "said OR year OR market", "--limit", "500"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    assert!(String::from_utf8_lossy(&output.stderr).trim().is_empty());
    assert_eq!(output.status.code(), Some(0));
}

#[test]
fn expand_adds_related_passages_and_keeps_highlighting_the_query() {
    let env = corpus();
    let plain = env.ok(&["search", "trainium", "--json"]).summary()["total"]
        .as_u64()
        .unwrap();
    let run = env.ok(&["search", "trainium", "--expand", "--json", "--limit", "50"]);
    assert!(run.summary()["total"].as_u64().unwrap() > plain);
    for hit in run.hits() {
        assert!(highlighted(&hit).iter().all(|w| w == "trainium"), "{hit}");
    }
}
