//! Search that never misleads (issue 15): prefixes, long queries, read-only and damaged
//! indexes, and the messages of dead ends, through the real binary.

use std::fs;

use crate::env::TestEnv;

fn corpus() -> TestEnv {
    let env = TestEnv::with_corpus();
    env.ok(&["ingest"]);
    env
}

fn total(env: &TestEnv, query: &str) -> u64 {
    env.ok(&["search", query, "--json"]).summary()["total"]
        .as_u64()
        .unwrap()
}

#[test]
fn a_prefix_finds_every_passage_with_a_word_starting_with_it() {
    let env = corpus();
    for (prefix, word) in [
        ("amaz*", "amazon"),
        ("nvid*", "nvidia"),
        ("trainiu*", "trainium"),
    ] {
        let (by_prefix, by_word) = (total(&env, prefix), total(&env, word));
        assert!(by_word > 0, "{word}");
        assert!(
            by_prefix >= by_word,
            "{prefix}: {by_prefix} < {word}: {by_word}"
        );
    }
    // "company" and "companies" stem to "compani", which "compan" is no prefix of... as a stem.
    assert!(total(&env, "compan*") >= total(&env, "companies"));
    assert!(total(&env, "invest*") >= total(&env, "investor*"));
    assert!(total(&env, "c*") > total(&env, "compan*"));
}

#[test]
fn a_prefix_match_is_highlighted() {
    let env = corpus();
    let run = env.ok(&["search", "nvid*", "--json", "-n", "3"]);
    for hit in run.hits() {
        let text = hit["snippet"]["text"].as_str().unwrap();
        let words: Vec<String> = hit["snippet"]["highlights"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                text[r[0].as_u64().unwrap() as usize..r[1].as_u64().unwrap() as usize]
                    .to_lowercase()
            })
            .collect();
        assert!(!words.is_empty(), "{hit}");
        assert!(words.iter().all(|w| w.starts_with("nvid")), "{words:?}");
    }
}

#[test]
fn a_pasted_paragraph_is_searched_by_its_informative_words_with_a_note() {
    let env = corpus();
    let text =
        fs::read_to_string(env.path("corpus/tech/aws-trainium-capacity-expansion.txt")).unwrap();
    let paragraph: String = text
        .split_whitespace()
        .take(400)
        .collect::<Vec<_>>()
        .join(" ");
    let run = env.ok(&["search", &paragraph, "--json", "-n", "1"]);
    assert!(run.stderr.contains("long query"), "{}", run.stderr);
    let hit = &run.hits()[0];
    assert_eq!(
        hit["article_id"],
        "tech/aws-trainium-capacity-expansion.txt"
    );
}

/// A shared index: built by one user, read by another who may not write to it. As root (who
/// may write anywhere, as on CI) graf is run as "nobody" through `setpriv`, from a copy of
/// the binary inside the test directory, whose ancestors get "others may enter" added.
#[test]
fn a_read_only_index_can_be_searched_listed_and_counted() {
    use std::os::unix::fs::PermissionsExt;
    let env = corpus();
    let index = env.path("index");
    let mode_of = |path: &std::path::Path| fs::metadata(path).unwrap().permissions().mode();
    let set_mode = |path: &std::path::Path, mode: u32| {
        fs::set_permissions(path, fs::Permissions::from_mode(mode)).unwrap();
    };
    set_mode(&index, 0o555);
    let probe = index.join("probe");
    let as_root = fs::write(&probe, "x").is_ok();
    let _ = fs::remove_file(&probe);
    let binary = env.path("graf-copy");
    if as_root {
        if std::process::Command::new("setpriv")
            .arg("--help")
            .output()
            .is_err()
        {
            eprintln!("skipped: running as root without setpriv");
            set_mode(&index, 0o755);
            return;
        }
        fs::copy(env.command(&[]).get_program(), &binary).unwrap();
        set_mode(&binary, 0o755);
        let mut dir = env.root().to_path_buf();
        loop {
            set_mode(&dir, mode_of(&dir) | 0o005);
            match dir.parent() {
                Some(parent) => dir = parent.to_path_buf(),
                None => break,
            }
        }
    }
    let run = |args: &[&str]| {
        let mut command = env.command(args);
        if as_root {
            let mut wrapped = std::process::Command::new("setpriv");
            wrapped
                .args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"])
                .arg(&binary)
                .args(command.get_args())
                .current_dir(env.root())
                .env("NO_COLOR", "1")
                .env_remove("GRAF_INDEX");
            command = wrapped;
        }
        // The copy's write handle can leak into a child another test thread forks at that
        // moment; exec then fails with "Text file busy" until that child has exec'd too.
        for _ in 0..50 {
            let output = command.output().unwrap();
            if !String::from_utf8_lossy(&output.stderr).contains("Text file busy") {
                return output;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        command.output().unwrap()
    };
    for args in [
        &["search", "trainium", "-n", "1"][..],
        &["companies", "-n", "2"],
        &["stats"],
    ] {
        let output = run(args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "{args:?}: {stderr}");
        assert!(!output.stdout.is_empty(), "{args:?}");
    }
    let ingest = run(&["ingest"]);
    let stderr = String::from_utf8_lossy(&ingest.stderr);
    assert!(!ingest.status.success());
    assert!(stderr.contains("read-only"), "{stderr}");
    if as_root {
        // A file the other user may not read is named as such, not as "not a graf index".
        set_mode(&index.join("meta.json"), 0o600);
        let search = run(&["search", "trainium"]);
        let stderr = String::from_utf8_lossy(&search.stderr);
        assert!(!search.status.success());
        assert!(
            stderr.contains("meta.json is not readable by this user") && stderr.contains("chmod"),
            "{stderr}"
        );
        assert!(!stderr.contains("not a graf index"), "{stderr}");
    }
    set_mode(&index, 0o755);
}

#[test]
fn a_damaged_or_missing_graf_json_is_named_and_rebuild_repairs_it() {
    let env = corpus();
    for (content, problem) in [
        (Some("garbage{"), "graf.json is not graf's index record"),
        (Some(""), "graf.json is empty"),
        (None, "graf.json is missing"),
    ] {
        match content {
            Some(text) => env.write("index/graf.json", text),
            None => {
                fs::remove_file(env.path("index/graf.json")).unwrap();
                env.path("index/graf.json")
            }
        };
        let run = env.run(&["search", "chips"]);
        assert_eq!(run.code, 1);
        assert!(run.stderr.contains(problem), "{}", run.stderr);
        assert!(run.stderr.contains("--rebuild"), "{}", run.stderr);
        let rebuilt = env.ok(&["ingest", "--rebuild"]);
        assert!(rebuilt.stdout.contains("24 added"), "{}", rebuilt.stdout);
        env.ok(&["search", "chips"]);
    }
}

#[test]
fn an_index_of_a_newer_graf_is_not_told_to_rebuild() {
    let env = corpus();
    env.write(
        "index/graf.json",
        r#"{"schema_version": 99, "gazetteer": "x"}"#,
    );
    let run = env.run(&["search", "chips"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("built by a newer graf"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("--rebuild"), "{}", run.stderr);
}

#[test]
fn an_index_of_an_older_schema_is_rebuilt_by_rebuild() {
    let env = corpus();
    env.write(
        "index/graf.json",
        r#"{"schema_version": 1, "gazetteer": "x"}"#,
    );
    let run = env.run(&["search", "chips"]);
    assert!(run.stderr.contains("--rebuild"), "{}", run.stderr);
    env.ok(&["ingest", "--rebuild"]);
    env.ok(&["search", "chips"]);
}

#[test]
fn an_error_prints_its_cause_once() {
    let env = corpus();
    env.write("out/file", "x");
    let run = env.run(&["merge", "out/file", "index"]);
    assert_ne!(run.code, 0);
    let line = run.stderr.trim();
    assert_eq!(line.lines().count(), 1, "{line}");
    let words: Vec<&str> = line.split(": ").collect();
    let mut unique = words.clone();
    unique.dedup();
    assert_eq!(words, unique, "{line}");
}

#[test]
fn a_truncated_segment_prints_one_short_line() {
    let env = corpus();
    let store = fs::read_dir(env.path("index"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "store"))
        .unwrap();
    let bytes = fs::read(&store).unwrap();
    fs::write(&store, &bytes[..bytes.len() / 2]).unwrap();
    let run = env.run(&["search", "chips"]);
    assert_ne!(run.code, 0);
    assert_eq!(run.stderr.trim().lines().count(), 1, "{}", run.stderr);
    assert!(run.stderr.len() < 400, "{}", run.stderr);
}

#[test]
fn punctuation_or_emoji_alone_say_there_is_no_word() {
    let env = corpus();
    for query in ["!!! ???", "😀"] {
        let run = env.ok(&["search", query]);
        assert!(
            run.stderr.contains("no letters or digits"),
            "{}",
            run.stderr
        );
        assert!(!run.stderr.contains("excludes"), "{}", run.stderr);
    }
}

#[test]
fn cjk_text_is_said_to_be_unsplit() {
    let env = corpus();
    let run = env.ok(&["search", "亚马逊芯片"]);
    assert!(
        run.stderr.contains("Chinese, Japanese and Korean"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_utf16_file_with_a_bom_is_read() {
    let env = TestEnv::new();
    let text = "Title: Café news\n\nNestlé buys a lantern maker in Zürich.\n";
    let mut bytes = vec![0xFF, 0xFE];
    for unit in text.encode_utf16() {
        bytes.extend(unit.to_le_bytes());
    }
    env.write("in/utf16.txt", bytes);
    let run = env.ok(&["ingest", "in"]);
    assert!(
        run.stdout.contains("1 added"),
        "{}{}",
        run.stdout,
        run.stderr
    );
    let hits = env.ok(&["search", "lantern", "--json"]).hits();
    assert_eq!(hits[0]["text"], "Nestlé buys a lantern maker in Zürich.");
}

#[test]
fn eval_warns_when_its_figures_mean_nothing() {
    let env = corpus();
    env.write("q.jsonl", "{\"id\": \"1\", \"text\": \"trainium chips\"}\n");
    env.write("empty.txt", "");
    env.write(
        "other.txt",
        "99 0 tech/aws-trainium-capacity-expansion.txt 1\n",
    );
    env.write("wrong.txt", "1 0 no-such-article 1\n");
    for (qrels, warning) in [
        ("empty.txt", "no judgment"),
        ("other.txt", "no query id"),
        ("wrong.txt", "no relevant document was found"),
    ] {
        let run = env.ok(&["eval", "q.jsonl", qrels]);
        assert!(run.stderr.contains(warning), "{qrels}: {}", run.stderr);
    }
    env.write(
        "right.txt",
        "1 0 tech/aws-trainium-capacity-expansion.txt 1\n",
    );
    let run = env.ok(&["eval", "q.jsonl", "right.txt"]);
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
}

#[test]
fn a_known_company_no_passage_names_gives_zero_hits() {
    let env = corpus();
    let run = env.ok(&["search", "chips", "--company", "Siemens", "--json"]);
    assert_eq!(run.summary()["total"], 0);
    let unknown = env.run(&["search", "chips", "--company", "Xyzzy Widgets"]);
    assert_eq!(unknown.code, 2);
}

#[test]
fn source_is_matched_in_any_case_and_an_unknown_one_is_an_error() {
    let env = corpus();
    let exact = env.ok(&["search", "chips", "--source", "The Ledger Review", "--json"]);
    let folded = env.ok(&["search", "chips", "--source", "the ledger review", "--json"]);
    let total = exact.summary()["total"].as_u64().unwrap();
    assert!(total > 0);
    assert_eq!(folded.summary()["total"].as_u64().unwrap(), total);
    let unknown = env.ok(&["search", "chips", "--source", "Nowhere Gazette", "--json"]);
    assert_eq!(unknown.summary()["total"], 0);
}

#[test]
fn contradictory_or_ignored_options_are_usage_errors() {
    let env = corpus();
    for (args, says) in [
        (&["--json", "--format", "tsv"][..], "contradict"),
        (&["--format", "tsv", "--explain"], "--explain"),
        (&["--format", "tsv", "--facets"], "--facets"),
        (&["--format", "tsv", "-C", "1"], "--context"),
        (&["--per-article", "0"], "--per-article"),
        (
            &["--since", "2025-06-01", "--until", "2025-01-01"],
            "after --until",
        ),
    ] {
        let mut full = vec!["search", "chips"];
        full.extend_from_slice(args);
        let run = env.run(&full);
        assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains(says), "{args:?}: {}", run.stderr);
    }
    env.ok(&["search", "chips", "--json", "--format", "json"]);
    let zero = env.run(&["companies", "-n", "0"]);
    assert_eq!(zero.code, 2, "{}", zero.stderr);
    assert!(!zero.stdout.contains("no companies"), "{}", zero.stdout);
}

#[test]
fn too_much_memory_is_a_clear_usage_error() {
    let env = TestEnv::with_corpus();
    let run = env.run(&["ingest", "--memory", "9G", "--threads", "2"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("at most 4 GB per thread"),
        "{}",
        run.stderr
    );
}

#[test]
fn date_order_shows_real_scores() {
    let env = corpus();
    let hits = env
        .ok(&["search", "chips", "--sort", "date", "--json"])
        .hits();
    assert!(
        hits.iter().all(|h| h["score"].as_f64().unwrap() > 0.0),
        "{hits:?}"
    );
}

#[test]
fn many_bad_records_are_summarised_and_quiet_hides_them() {
    let env = TestEnv::new();
    let mut lines = String::new();
    for n in 0..120 {
        lines.push_str(&format!("{{\"id\": \"r{n}\", \"text\": \n"));
    }
    lines.push_str("{\"id\": \"good\", \"text\": \"A lantern.\"}\n");
    env.write("in/bad.jsonl", lines);
    let run = env.run(&["ingest", "in"]);
    assert_eq!(run.code, 3);
    assert!(run.stderr.lines().count() <= 52, "{}", run.stderr);
    assert!(
        run.stderr.contains("70 more problems not shown"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.contains("120 failed"), "{}", run.stdout);
    let quiet = env.run(&["ingest", "in", "--quiet", "--rebuild"]);
    assert_eq!(quiet.code, 3);
    assert!(quiet.stderr.is_empty(), "{}", quiet.stderr);
}

#[test]
fn a_gzip_input_is_summarised_in_uncompressed_bytes() {
    use std::io::Write;
    let env = TestEnv::new();
    let text = "A lantern maker grows. ".repeat(20_000);
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder
        .write_all(format!("{{\"id\": \"a\", \"text\": \"{text}\"}}\n").as_bytes())
        .unwrap();
    env.write("in/a.jsonl.gz", encoder.finish().unwrap());
    let json = env.ok(&["ingest", "in", "--json"]).json_lines().remove(0);
    assert!(json["bytes"].as_u64().unwrap() > 400_000, "{json}");
    assert!(json["file_bytes"].as_u64().unwrap() < 100_000, "{json}");
}
