//! `graf companies`, the user gazetteer, and company tagging seen through the CLI, including
//! the shared seed article when it is present.

use std::path::PathBuf;

use serde_json::Value;

use crate::env::{repo, TestEnv};

#[test]
fn companies_lists_a_tree_with_passage_and_article_counts() {
    let env = TestEnv::with_corpus();
    env.ok(&["ingest"]);
    let list = env.ok(&["companies", "--json"]).json_lines();
    let amazon = list
        .iter()
        .find(|c| c["name"] == "Amazon")
        .expect("Amazon listed");
    let aws = amazon["children"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "AWS")
        .expect("AWS under Amazon");
    assert!(amazon["passages"].as_u64() >= aws["passages"].as_u64());
    assert!(amazon["articles"].as_u64().unwrap() >= 6);
    let counts: Vec<u64> = list
        .iter()
        .map(|c| c["passages"].as_u64().unwrap())
        .collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "sorted by count");
    let by_name = env
        .ok(&["companies", "--sort", "name", "--json"])
        .json_lines();
    let names: Vec<String> = by_name
        .iter()
        .map(|c| c["name"].as_str().unwrap().to_string())
        .collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);
    let human = env.ok(&["companies", "--limit", "5"]);
    assert!(human.stdout.starts_with("passages  articles  company"));
    assert!(human.stdout.lines().count() >= 6);
}

#[test]
fn products_and_rivers_are_not_companies() {
    let env = TestEnv::with_corpus();
    env.ok(&["ingest"]);
    let names: Vec<String> = all_paths(&env.ok(&["companies", "--json"]).json_lines());
    for product in [
        "Trainium",
        "Inferentia",
        "Bedrock",
        "Claude",
        "Azure",
        "iPhone",
    ] {
        assert!(
            !names.iter().any(|n| n.ends_with(product)),
            "{product} in {names:?}"
        );
    }
    let river = env
        .ok(&[
            "search",
            "river",
            "--article",
            "environment/amazon-river-drought.txt",
            "--json",
            "--limit",
            "50",
        ])
        .hits();
    assert!(!river.is_empty());
    assert!(
        river
            .iter()
            .all(|h| h["companies"].as_array().unwrap().is_empty()),
        "{river:?}"
    );
}

fn all_paths(nodes: &[Value]) -> Vec<String> {
    nodes
        .iter()
        .flat_map(|n| {
            let mut paths = vec![n["path"].as_str().unwrap().to_string()];
            paths.extend(all_paths(n["children"].as_array().unwrap()));
            paths
        })
        .collect()
}

#[test]
fn a_user_gazetteer_adds_companies_and_a_change_is_warned_about() {
    let env = TestEnv::new();
    env.write(
        "news/a.txt",
        "Harbour Notes\n\nThe Quayside Collective bought two new cranes this spring.\n",
    );
    env.ok(&["ingest", "news"]);
    assert!(env.ok(&["companies", "--json"]).stdout.trim().is_empty());
    env.write(
        "config/graf/companies.toml",
        "[[company]]\nname = \"Quayside\"\naliases = [\"Quayside Collective\"]\n",
    );
    let run = env.ok(&["ingest", "news"]);
    assert!(run.stderr.contains("gazetteer changed"), "{}", run.stderr);
    let hits = env
        .ok(&[
            "search",
            "cranes",
            "--company",
            "quayside collective",
            "--json",
        ])
        .hits();
    assert_eq!(hits.len(), 1);
}

#[test]
fn unknown_lists_the_companies_no_list_names_with_an_example() {
    let env = TestEnv::new();
    env.write(
        "news/a.txt",
        "Harbour Notes\n\nAmazon leased a warehouse by the docks.\n\n\
         Shares in Quayside Freight Ltd rose after the harbour deal with Amazon.\n",
    );
    env.ok(&["ingest", "news"]);
    let json = env.ok(&["companies", "--unknown", "--json"]).json_lines();
    assert_eq!(json.len(), 1, "{json:?}");
    assert_eq!(json[0]["name"], "Quayside Freight");
    assert_eq!(json[0]["passages"], 1);
    assert_eq!(json[0]["articles"], 1);
    let example = &json[0]["example"];
    assert!(
        example["path"].as_str().unwrap().ends_with("a.txt"),
        "{example}"
    );
    assert_eq!(example["line"], 5);
    assert!(
        example["excerpt"]
            .as_str()
            .unwrap()
            .contains("Shares in Quayside Freight Ltd"),
        "{example}"
    );
    let human = env.ok(&["companies", "--unknown"]).stdout;
    assert!(
        human.contains("Quayside Freight") && !human.contains("Amazon leased"),
        "{human}"
    );
    assert!(
        human.contains("a.txt:5  Shares in Quayside Freight Ltd"),
        "{human}"
    );

    // Once the user's list names it, it is no longer unknown (and no re-ingest is needed).
    env.write(
        "config/graf/companies.toml",
        "[[company]]\nname = \"Quayside Freight\"\n",
    );
    let none = env.ok(&["companies", "--unknown"]).stdout;
    assert!(
        none.contains("every company of this index is in a list"),
        "{none}"
    );

    let remote = env.run(&["companies", "--unknown", "--remote", "http://localhost:1/x"]);
    assert_eq!(remote.code, 2, "{}", remote.stderr);
    assert!(remote.stderr.contains("--remote"), "{}", remote.stderr);
}

/// The seed article in ../shared/seed, ingested through the CLI.
fn seed_hits() -> Option<Vec<Value>> {
    let seed = repo().join("../shared/seed");
    if !seed.is_dir() {
        eprintln!("skipped: {} is absent", seed.display());
        return None;
    }
    let env = TestEnv::new();
    crate::env::copy_dir(&seed, &env.path("seed"));
    env.ok(&["ingest", "seed"]);
    let run = env.ok(&["search", "--source", "__none__", "--json"]);
    assert!(run.hits().is_empty());
    let file = std::fs::read_dir(env.path("seed"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .file_name();
    let id = PathBuf::from(file).display().to_string();
    Some(
        env.ok(&[
            "search",
            "--article",
            &id,
            "--json",
            "--limit",
            "1000",
            "--sort",
            "date",
        ])
        .hits(),
    )
}

#[test]
fn the_seed_article_is_segmented_by_its_structure() {
    let Some(mut hits) = seed_hits() else { return };
    hits.sort_by_key(|h| h["paragraph"].as_u64());
    let seed = std::fs::read_to_string(
        std::fs::read_dir(repo().join("../shared/seed"))
            .unwrap()
            .next()
            .unwrap()
            .unwrap()
            .path(),
    )
    .unwrap();
    let first_line = seed.lines().next().unwrap().trim();
    assert!(
        hits.iter().all(|h| h["title"] == first_line),
        "the first line is the title"
    );
    assert!(hits.iter().all(|h| h["text"] != first_line));
    let bullets: Vec<&str> = seed
        .lines()
        .filter(|l| l.trim_start().starts_with('•'))
        .collect();
    let items: Vec<&Value> = hits.iter().filter(|h| h["context"].is_string()).collect();
    assert_eq!(
        items.len(),
        bullets.len(),
        "every bullet is a passage with its lead-in"
    );
    assert!(items
        .iter()
        .all(|h| h["context"].as_str().unwrap().ends_with(':')));
    let headings: Vec<&str> = seed
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && l.len() < 70 && !l.ends_with(['.', ':']))
        .collect();
    for heading in &headings {
        assert!(
            hits.iter().all(|h| h["text"] != *heading),
            "{heading} is not a passage"
        );
    }
    let paragraphs: Vec<&str> = seed.split("\n\n").map(str::trim).collect();
    for hit in &hits {
        let text = hit["text"].as_str().unwrap();
        let head = &text[..text.len().min(40)];
        let tail = &text[text.len().saturating_sub(30)..];
        assert!(
            paragraphs
                .iter()
                .any(|p| p.contains(head) && p.contains(tail)),
            "from one paragraph: {text}"
        );
    }
}

#[test]
fn the_seed_article_is_tagged_exactly() {
    let Some(hits) = seed_hits() else { return };
    for hit in &hits {
        let text = hit["text"].as_str().unwrap();
        let companies: Vec<&str> = hit["companies"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap())
            .collect();
        assert_eq!(
            companies.contains(&"Microsoft"),
            text.contains("Microsoft"),
            "{text}: {companies:?}"
        );
        if text.contains("AWS") {
            assert!(
                companies.iter().any(|c| c.starts_with("Amazon/")),
                "AWS under Amazon: {text}: {companies:?}"
            );
        }
        for product in ["Rainier", "Claude", "Bedrock", "Trainium", "Inferentia"] {
            assert!(
                !companies.iter().any(|c| c.contains(product)),
                "{product}: {companies:?}"
            );
        }
    }
}

/// `--company` means exactly the company named: a ticker only as typed in capitals, a shared
/// alias answered with the candidates (exit 2), a near miss with a suggestion (exit 2).
#[test]
fn company_filters_resolve_exactly() {
    let env = TestEnv::new();
    env.write(
        "news/a.txt",
        "Home Improvement\n\nShares in Lowe's (NYSE: LOW) rose 3% after the retailer raised its \
         outlook, while Hyatt Hotels said bookings were strong.\n\nA low tide left the boats \
         stranded in the harbour.\n",
    );
    env.write(
        "news/b.txt",
        "Tools and Food\n\nAcme Tools Ltd and Acme Foods Ltd both reported higher sales, the \
         companies said.\n",
    );
    env.write(
        "config/graf/companies.toml",
        "[[company]]\nname = \"Acme Tools\"\naliases = [\"Acme\"]\n\n\
         [[company]]\nname = \"Acme Foods\"\naliases = [\"Acme\"]\n",
    );
    env.ok(&["ingest", "news"]);
    let article_of = |company: &str| -> Vec<String> {
        env.ok(&["search", "--company", company, "--json"])
            .hits()
            .iter()
            .map(|hit| hit["article_id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(article_of("LOW"), ["a.txt"], "a ticker typed in capitals");
    assert_eq!(article_of("lowe's"), ["a.txt"], "a name in any case");
    assert_eq!(article_of("acme foods"), ["b.txt"]);
    for (typed, suggestion) in [("Low", "Lowe's"), ("H", "Hyatt")] {
        let run = env.run(&["search", "--company", typed]);
        assert_eq!(run.code, 2, "{typed}: {}", run.stderr);
        assert!(run.stdout.is_empty(), "{typed}: {}", run.stdout);
        assert!(run.stderr.contains(suggestion), "{typed}: {}", run.stderr);
    }
    let shared = env.run(&["search", "--company", "Acme"]);
    assert_eq!(shared.code, 2, "{}", shared.stderr);
    assert!(
        shared.stderr.contains("ambiguous")
            && shared.stderr.contains("Acme Tools")
            && shared.stderr.contains("Acme Foods"),
        "{}",
        shared.stderr
    );
}
