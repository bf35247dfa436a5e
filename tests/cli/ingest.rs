//! `graf ingest`: formats, incremental runs, pruning, rebuilding, bad input, locks, kills.

use std::time::{Duration, Instant};

use crate::env::TestEnv;

#[test]
fn ingest_without_paths_indexes_the_corpus_folder() {
    let env = TestEnv::with_corpus();
    let run = env.ok(&["ingest"]);
    assert!(
        run.stdout
            .starts_with("24 articles: 24 added, 0 updated, 0 unchanged, 0 failed"),
        "{}",
        run.stdout
    );
    let stats = env.stats();
    assert_eq!(stats["articles"], 24);
    assert!(stats["passages"].as_u64().unwrap() > 200);
    assert!(env.path("index/meta.json").is_file());
}

#[test]
fn ingesting_twice_skips_unchanged_articles_and_keeps_the_count() {
    let env = TestEnv::with_corpus();
    env.ok(&["ingest"]);
    let before = env.stats()["passages"].clone();
    let again = env.ok(&["ingest", "--json"]).json_lines().remove(0);
    assert_eq!(
        (again["unchanged"].as_u64(), again["added"].as_u64()),
        (Some(24), Some(0))
    );
    assert_eq!(env.stats()["passages"], before);
}

#[test]
fn a_changed_article_replaces_its_passages() {
    let env = TestEnv::new();
    env.write(
        "news/a.txt",
        "Old Title\n\nFirst paragraph about Nvidia chips.\n\nSecond paragraph.\n",
    );
    env.ok(&["ingest", "news"]);
    env.write(
        "news/a.txt",
        "New Title\n\nOnly one paragraph about Intel foundries now.\n",
    );
    let report = env.ok(&["ingest", "news", "--json"]).json_lines().remove(0);
    assert_eq!(report["updated"], 1);
    assert_eq!(env.stats()["passages"], 1);
    let hits = env.ok(&["search", "nvidia", "--json"]).hits();
    assert!(hits.is_empty(), "the old passages are gone");
}

#[test]
fn prune_removes_articles_whose_files_are_gone_and_rebuild_starts_over() {
    let env = TestEnv::new();
    env.write("news/a.txt", "A\n\nAlpha paragraph text here.\n");
    env.write("news/b.txt", "B\n\nBravo paragraph text here.\n");
    env.ok(&["ingest", "news"]);
    std::fs::remove_file(env.path("news/b.txt")).unwrap();
    env.ok(&["ingest", "news"]);
    assert_eq!(
        env.stats()["articles"],
        2,
        "without --prune nothing is removed"
    );
    let report = env
        .ok(&["ingest", "news", "--prune", "--json"])
        .json_lines()
        .remove(0);
    assert_eq!(report["pruned"], 1);
    assert_eq!(env.stats()["articles"], 1);
    let rebuilt = env
        .ok(&["ingest", "news", "--rebuild", "--json"])
        .json_lines()
        .remove(0);
    assert_eq!(
        (rebuilt["added"].as_u64(), rebuilt["unchanged"].as_u64()),
        (Some(1), Some(0))
    );
}

#[test]
fn every_format_is_read() {
    let env = TestEnv::new();
    env.write(
        "in/plain.txt",
        "Plain Title\n\nA plain paragraph about Siemens AG turbines.\n",
    );
    env.write("in/front.md", "---\ntitle: Markdown Title\ndate: 2025-02-03\n---\n\n# Heading\n\nMarkdown paragraph about ferries.\n");
    env.write(
        "in/page.html",
        "<html><head><title>Page Title</title></head><body><nav>Home</nav><article><h1>Page Title</h1>\
         <p>An HTML paragraph about lighthouses.</p><ul><li>A listed beacon keeper.</li></ul></article>\
         <footer>Copyright</footer></body></html>",
    );
    env.write(
        "in/records.jsonl",
        "{\"id\": \"r1\", \"title\": \"Record One\", \"text\": \"A JSON record about glaciers.\"}\n\
         {\"id\": \"r2\", \"title\": \"Record Two\", \"body\": \"Another record about volcanoes.\"}\n",
    );
    env.write(
        "in/zipped.txt.gz",
        gzip(b"Zipped Title\n\nA compressed paragraph about saffron.\n"),
    );
    let report = env.ok(&["ingest", "in", "--json"]).json_lines().remove(0);
    assert_eq!(report["added"], 6, "{report}");
    for (word, title) in [
        ("siemens", "Plain Title"),
        ("ferries", "Markdown Title"),
        ("lighthouses", "Page Title"),
        ("glaciers", "Record One"),
        ("volcanoes", "Record Two"),
        ("saffron", "Zipped Title"),
    ] {
        let hits = env.ok(&["search", word, "--json"]).hits();
        assert_eq!(hits.len(), 1, "{word}");
        assert_eq!(hits[0]["title"], title, "{word}");
    }
    let html = env.ok(&["search", "copyright OR home", "--json"]).hits();
    assert!(html.is_empty(), "page chrome is not indexed");
    let record = &env.ok(&["search", "volcanoes", "--json"]).hits()[0];
    assert_eq!(
        (record["article_id"].as_str(), record["line"].as_u64()),
        (Some("r2"), Some(2))
    );
}

#[test]
fn format_override_and_field_mapping() {
    let env = TestEnv::new();
    env.write(
        "feed.data",
        "{\"headline\": \"Mapped\", \"content\": \"Text about tea gardens.\"}\n",
    );
    env.ok(&[
        "ingest",
        "feed.data",
        "--format",
        "jsonl",
        "--field",
        "title=headline",
        "--field",
        "text=content",
    ]);
    let hits = env.ok(&["search", "tea", "--json"]).hits();
    assert_eq!(hits[0]["title"], "Mapped");
    let bad = env.run(&["ingest", "feed.data", "--format", "csv"]);
    assert_eq!(bad.code, 2, "{}", bad.stderr);
    assert!(
        bad.stderr.contains("jsonl"),
        "lists the accepted formats: {}",
        bad.stderr
    );
}

#[test]
fn bad_files_are_reported_and_skipped_while_the_rest_is_indexed() {
    let env = TestEnv::new();
    env.write("in/good.txt", "Good\n\nA good paragraph about copper.\n");
    env.write("in/invalid.txt", b"Bad\n\nBroken \xff\xfe bytes here.\n");
    env.write("in/binary.txt", b"\x00\x01\x02binary");
    env.write("in/empty.txt", "");
    env.write(
        "in/lines.jsonl",
        "{\"id\": \"ok\", \"text\": \"A record about zinc.\"}\n{\"id\": broken\n",
    );
    env.write(
        "in/cut.jsonl.gz",
        &gzip(b"{\"id\": \"z\", \"text\": \"tin\"}\n")[..20],
    );
    std::os::unix::fs::symlink(env.path("nowhere.txt"), env.path("in/dangling.txt")).unwrap();
    let run = env.run(&["ingest", "in", "--json"]);
    assert_eq!(run.code, 3, "partial failure: {}", run.stderr);
    let report = run.json_lines().remove(0);
    assert_eq!(report["added"], 2, "{report}");
    assert_eq!(report["empty"], 1);
    for name in [
        "invalid.txt",
        "binary.txt",
        "lines.jsonl:2",
        "cut.jsonl.gz",
        "dangling.txt",
        "empty.txt",
    ] {
        assert!(run.stderr.contains(name), "{name} is named: {}", run.stderr);
    }
    assert!(!run.stderr.contains("panicked"));
}

#[test]
fn a_missing_path_is_reported_and_the_other_paths_are_indexed() {
    let env = TestEnv::new();
    env.write("real/a.txt", "A\n\nSome paragraph about nickel.\n");
    let run = env.run(&["ingest", "missing", "real"]);
    assert_eq!(run.code, 3);
    assert!(
        run.stderr.contains("missing: no such file or directory"),
        "{}",
        run.stderr
    );
    assert_eq!(env.stats()["articles"], 1);
}

#[test]
fn a_second_ingest_is_refused_while_the_index_is_locked() {
    let env = TestEnv::new();
    env.write("a.txt", "A\n\nSome paragraph about cobalt.\n");
    env.ok(&["ingest", "a.txt"]);
    let graf = graf::indexer::GrafIndex::open(&env.path("index")).unwrap();
    let _writer = graf.writer(1, 50_000_000).unwrap();
    let run = env.run(&["ingest", "a.txt"]);
    assert_eq!(run.code, 1);
    assert!(run.stderr.contains("locked"), "{}", run.stderr);
    assert_eq!(run.stderr.lines().count(), 1, "one line: {}", run.stderr);
    env.ok(&["search", "cobalt"]);
}

/// Many small articles, so that an ingest takes long enough to be killed mid-way.
fn many_articles(env: &TestEnv, count: usize) {
    let mut jsonl = String::new();
    for i in 0..count {
        jsonl.push_str(&format!(
            "{{\"id\": \"n{i}\", \"title\": \"Note {i}\", \"text\": \"Paragraph {i} about harbour cranes.\\n\\nA second paragraph, number {i}, about tug boats.\"}}\n"
        ));
    }
    env.write("big/notes.jsonl", jsonl);
}

#[test]
fn an_ingest_killed_after_a_commit_resumes_without_duplicates() {
    let reference = TestEnv::new();
    many_articles(&reference, 20_000);
    reference.ok(&["ingest", "big"]);
    let expected = reference.stats();

    let env = TestEnv::new();
    many_articles(&env, 20_000);
    let mut child = env
        .command(&[
            "ingest",
            "big",
            "--commit-interval",
            "0.05",
            "--threads",
            "1",
        ])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while committed_passages(&env) == 0 && started.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(10));
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let partial = committed_passages(&env);
    assert!(partial > 0, "killed after the first commit");

    let resumed = env.ok(&["ingest", "big", "--json"]).json_lines().remove(0);
    let stats = env.stats();
    assert_eq!(
        (stats["articles"].clone(), stats["passages"].clone()),
        (expected["articles"].clone(), expected["passages"].clone())
    );
    if partial < expected["passages"].as_u64().unwrap() {
        assert!(
            resumed["unchanged"].as_u64().unwrap() > 0,
            "the second run skipped what was in: {resumed}"
        );
    }
}

/// Passages in the last commit of ./index, read with the library (works while a writer runs).
fn committed_passages(env: &TestEnv) -> u64 {
    let Ok(graf) = graf::indexer::GrafIndex::open(&env.path("index")) else {
        return 0;
    };
    graf.reader()
        .map(|reader| reader.searcher().num_docs())
        .unwrap_or(0)
}

#[test]
fn ctrl_c_commits_what_was_done_and_exits_130() {
    let env = TestEnv::new();
    many_articles(&env, 60_000);
    let child = env
        .command(&["ingest", "big", "--threads", "1", "--json"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while !env.path("index/meta.json").exists() && started.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(10));
    }
    std::thread::sleep(Duration::from_millis(300));
    std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    let output = child.wait_with_output().unwrap();
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    if output.status.code() == Some(0) {
        return; // finished before the signal arrived: nothing to check
    }
    assert_eq!(output.status.code(), Some(130));
    assert_eq!(report["interrupted"], true);
    assert_eq!(env.stats()["passages"], report["passages"]);
}

pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

#[test]
fn real_prose_from_the_gutenberg_sample_ingests_cleanly() {
    use std::io::BufRead;
    let sample = crate::env::repo().join("../shared/data/gutenberg/sample.jsonl.gz");
    let Ok(file) = std::fs::File::open(&sample) else {
        eprintln!("skipped: {} is absent", sample.display());
        return;
    };
    let lines: Vec<String> = std::io::BufReader::new(flate2::read::GzDecoder::new(file))
        .lines()
        .take(1500)
        .map(Result::unwrap)
        .collect();
    let env = TestEnv::new();
    env.write("books.jsonl", lines.join("\n") + "\n");
    let report = env
        .ok(&["ingest", "books.jsonl", "--json"])
        .json_lines()
        .remove(0);
    assert_eq!(report["failed"], 0, "{report}");
    assert!(report["added"].as_u64().unwrap() > 1400, "{report}");
}
