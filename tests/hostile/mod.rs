//! Hostile input and rough handling, through the real binary (issue 13): every test here
//! failed before its fix. Each one names the promise it keeps: no crash, no hang, no unbounded
//! memory, no article lost or replaced without a word, the index intact.

use crate::env;

use std::fs;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::env::TestEnv;

/// Text of every hit of `graf search QUERY --json`, with its article id.
fn hits(env: &TestEnv, args: &[&str]) -> Vec<(String, String)> {
    let mut all = vec!["search", "--json", "-n", "100"];
    all.extend_from_slice(args);
    env.ok(&all)
        .hits()
        .into_iter()
        .map(|hit| {
            (
                hit["article_id"].as_str().unwrap().to_string(),
                hit["text"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn articles(env: &TestEnv) -> u64 {
    env.stats()["articles"].as_u64().unwrap()
}

/// A YAML "billion laughs": each level holds nine aliases of the one before.
fn yaml_bomb(levels: usize) -> String {
    let mut text = String::from(
        "---\nl0: &l0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for level in 1..=levels {
        let previous = format!("*l{}", level - 1);
        let items = [previous.as_str(); 9].join(",");
        text.push_str(&format!("l{level}: &l{level} [{items}]\n"));
    }
    text.push_str("title: Laughs\n---\nThe body of the bomb article talks about harbours.\n");
    text
}

#[test]
fn item1_a_yaml_bomb_in_front_matter_is_reported_and_skipped() {
    let env = TestEnv::new();
    // Six levels (half a million values once expanded) keeps the unfixed binary's memory
    // modest; the fix refuses anything past 10,000.
    env.write("news/bomb.md", yaml_bomb(6));
    env.write(
        "news/good.txt",
        "Good\n\nThe harbours were busy all week.\n",
    );
    let run = env.run(&["ingest", "news"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr.contains("bomb.md") && run.stderr.contains("expands"),
        "{}",
        run.stderr
    );
    let found = hits(&env, &["harbours"]);
    assert_eq!(found.len(), 2, "{found:?}");
}

#[test]
fn item4_huge_search_limits_are_bounded_by_the_index() {
    let env = TestEnv::new();
    env.write("news/a.txt", "A\n\nChips are scarce.\n");
    env.ok(&["ingest", "news"]);
    for n in ["4294967296", "18446744073709551615"] {
        let run = env.ok(&["search", "chips", "-n", n, "--offset", n, "-C", n]);
        assert!(run.stdout.contains("1 match in all"), "{}", run.stdout);
        let run = env.ok(&["search", "chips", "-n", n, "-C", n, "--per-article", n]);
        assert!(run.stdout.contains("Chips are scarce"), "{}", run.stdout);
    }
}

#[test]
fn item6_an_id_collision_across_runs_keeps_the_first_unless_replace() {
    let env = TestEnv::new();
    env.write(
        "r/story.txt",
        "Story\n\nThe first story is about tankers.\n",
    );
    env.write(
        "a/story.txt",
        "Story\n\nThe second story is about tankers too.\n",
    );
    env.ok(&["ingest", "r"]);
    let second = env.run(&["ingest", "a"]);
    assert_eq!(second.code, 3, "{}", second.stderr);
    assert!(
        second.stderr.contains("a/story.txt")
            && second.stderr.contains("already indexed from r/story.txt"),
        "{}",
        second.stderr
    );
    assert!(
        second.stdout.contains("1 id collisions"),
        "{}",
        second.stdout
    );
    let texts = hits(&env, &["tankers"]);
    assert_eq!(texts.len(), 1);
    assert!(texts[0].1.contains("first"), "{texts:?}");
    // The same files again: still reported, still the first.
    assert_eq!(env.run(&["ingest", "a"]).code, 3);
    // Another spelling of the same root is the same file, not a collision.
    env.ok(&["ingest", "./r"]);
    env.ok(&["ingest", "a", "--replace"]);
    let texts = hits(&env, &["tankers"]);
    assert!(texts[0].1.contains("second"), "{texts:?}");
}

#[test]
fn item7_a_duplicate_id_in_one_run_keeps_the_first_every_run() {
    let env = TestEnv::new();
    env.write(
        "feed.jsonl",
        "{\"id\":\"j1\",\"text\":\"The first version mentions freighters.\"}\n\
         {\"id\":\"j1\",\"text\":\"The second version mentions freighters as well.\"}\n",
    );
    for run_number in 0..3 {
        let run = env.run(&["ingest", "feed.jsonl", "--json"]);
        assert_eq!(run.code, 3, "run {run_number}: {}", run.stderr);
        assert!(
            run.stderr.contains("feed.jsonl:2") && run.stderr.contains("\"j1\""),
            "run {run_number}: {}",
            run.stderr
        );
        let summary = &run.json_lines()[0];
        assert_eq!(summary["duplicates"], 1, "{summary}");
        let stored = summary["added"].as_u64().unwrap()
            + summary["updated"].as_u64().unwrap()
            + summary["unchanged"].as_u64().unwrap();
        assert_eq!(stored, 1, "{summary}");
        let texts = hits(&env, &["freighters"]);
        assert_eq!(texts.len(), 1);
        assert!(texts[0].1.contains("first"), "run {run_number}: {texts:?}");
    }
}

#[test]
fn item8_eval_ingest_never_touches_the_index_graf_index_names() {
    let env = TestEnv::new();
    env.write("news/a.txt", "A\n\nMine of the user.\n");
    env.ok(&["ingest", "news", "--index", "mine"]);
    env.write(
        "docs.jsonl",
        "{\"id\": \"d1\", \"text\": \"Wing flutter.\"}\n",
    );
    env.write("queries.jsonl", "{\"id\": 1, \"text\": \"flutter\"}\n");
    env.write("qrels.txt", "1 0 d1 1\n");
    let run = env
        .command(&[
            "eval",
            "queries.jsonl",
            "qrels.txt",
            "--ingest",
            "docs.jsonl",
        ])
        .env("GRAF_INDEX", env.path("mine"))
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let kept = env
        .ok(&["search", "mine", "--index", "mine", "--json"])
        .hits();
    assert_eq!(kept.len(), 1, "the user's index was replaced");
    let refused = env.run(&[
        "eval",
        "queries.jsonl",
        "qrels.txt",
        "--ingest",
        "docs.jsonl",
        "--index",
        "mine",
    ]);
    assert_eq!(refused.code, 1);
    assert!(refused.stderr.contains("not empty"), "{}", refused.stderr);
    env.ok(&[
        "eval",
        "queries.jsonl",
        "qrels.txt",
        "--ingest",
        "docs.jsonl",
        "--index",
        "fresh",
    ]);
    assert!(env.path("fresh/meta.json").exists());
}

#[cfg(unix)]
#[test]
fn item9_prune_keeps_what_is_below_a_directory_that_could_not_be_read() {
    let env = TestEnv::new();
    env.write("news/top.txt", "Top\n\nA story about barges.\n");
    env.write("news/sub/deep.txt", "Deep\n\nAnother story about barges.\n");
    env.ok(&["ingest", "news"]);
    assert_eq!(articles(&env), 2);
    // news/sub cannot be read now: a link to its own parent, a loop the walk refuses.
    fs::rename(env.path("news/sub"), env.path("elsewhere")).unwrap();
    std::os::unix::fs::symlink(".", env.path("news/sub")).unwrap();
    let run = env.run(&["ingest", "news", "--prune"]);
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert!(run.stderr.contains("news/sub"), "{}", run.stderr);
    assert_eq!(
        articles(&env),
        2,
        "pruned below an unreadable path: {}",
        run.stdout
    );
}

/// Many records, so that an ingest runs long enough to be interrupted.
fn write_big_feed(env: &TestEnv, name: &str, records: usize, word: &str) {
    let mut text = String::new();
    for n in 0..records {
        text.push_str(&format!(
            "{{\"id\":\"r{n}\",\"title\":\"Record {n}\",\"text\":\"Paragraph {n} says {word} rose by {n} points in trading. Analysts expect more of the same next quarter, they said.\"}}\n"
        ));
    }
    env.write(name, text);
}

/// Starts `graf ARGS`, sends `signal` once `ready` holds (or after `wait`), and returns the
/// exit code (`None`: killed by the signal) and stdout.
fn interrupt(
    env: &TestEnv,
    args: &[&str],
    signal: &str,
    wait: Duration,
    ready: impl Fn() -> bool,
) -> (Option<i32>, String) {
    let child = env
        .command(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while !ready() && started.elapsed() < wait {
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(300));
    Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .unwrap();
    let output = child.wait_with_output().unwrap();
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
    )
}

#[cfg(unix)]
#[test]
fn item10_an_interrupted_rebuild_keeps_the_old_index_and_resumes() {
    let env = TestEnv::new();
    env.write(
        "old.jsonl",
        "{\"id\":\"old\",\"title\":\"Old\",\"text\":\"The old article talks about ferries.\"}\n",
    );
    env.ok(&["ingest", "old.jsonl"]);
    env.write("index/NOTES.md", "mine");
    write_big_feed(&env, "feed.jsonl", 60_000, "tonnage");
    let aside = env.path("index.rebuild");
    let (code, stdout) = interrupt(
        &env,
        &[
            "ingest",
            "--rebuild",
            "feed.jsonl",
            "--commit-interval",
            "0.2",
        ],
        "-INT",
        Duration::from_secs(20),
        || fs::read_to_string(aside.join("meta.json")).is_ok_and(|m| m.contains("segment_id")),
    );
    assert_eq!(code, Some(130), "interrupted: {stdout}");
    assert!(stdout.contains("as it was before the rebuild"), "{stdout}");
    // Until the rebuild completes, searches see the old index, whole.
    assert_eq!(articles(&env), 1);
    assert_eq!(hits(&env, &["ferries"]).len(), 1);
    let resumed = env
        .ok(&["ingest", "--rebuild", "feed.jsonl", "--json"])
        .json_lines()
        .remove(0);
    assert!(
        resumed["unchanged"].as_u64().unwrap() > 0,
        "resumed, not started over: {resumed}"
    );
    assert_eq!(articles(&env), 60_000);
    assert!(hits(&env, &["ferries"]).is_empty());
    assert!(!aside.exists());
    assert_eq!(
        fs::read_to_string(env.path("index/NOTES.md")).unwrap(),
        "mine"
    );
}

#[test]
fn item11_file_names_that_differ_only_in_non_utf8_bytes_keep_two_ids() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let env = TestEnv::new();
    fs::create_dir_all(env.path("news")).unwrap();
    let dir = env.path("news");
    fs::write(
        dir.join(OsStr::from_bytes(b"caf\xe9.txt")),
        "One\n\nThe first cafe sells scones.\n",
    )
    .unwrap();
    fs::write(
        dir.join(OsStr::from_bytes(b"caf\xe8.txt")),
        "Two\n\nThe second cafe sells scones.\n",
    )
    .unwrap();
    env.ok(&["ingest", "news"]);
    assert_eq!(articles(&env), 2);
    let mut ids: Vec<String> = hits(&env, &["scones"])
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    ids.sort();
    assert_eq!(ids, ["caf%E8.txt", "caf%E9.txt"]);
}

#[test]
fn item12_common_date_formats_are_read_and_bad_dates_warned_with_file_and_line() {
    let env = TestEnv::new();
    env.write(
        "dated.jsonl",
        "{\"id\":\"a\",\"date\":\"Jan 5, 2025\",\"text\":\"Ferries one.\"}\n\
         {\"id\":\"b\",\"date\":\"Sun, 05 Jan 2025 10:00:00 +0000\",\"text\":\"Ferries two.\"}\n\
         {\"id\":\"c\",\"date\":\"2025-01-05 10:00:00+01:00\",\"text\":\"Ferries three.\"}\n\
         {\"id\":\"d\",\"date\":\"0001-01-01\",\"text\":\"Ferries four.\"}\n\
         {\"id\":\"e\",\"date\":\"the fifth of never\",\"text\":\"Ferries five.\"}\n",
    );
    let run = env.ok(&["ingest", "dated.jsonl"]);
    assert!(
        run.stderr
            .contains("dated.jsonl:4: date \"0001-01-01\" is outside"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("dated.jsonl:5: date \"the fifth of never\""),
        "{}",
        run.stderr
    );
    let january = hits(
        &env,
        &["ferries", "--since", "2025-01-01", "--until", "2025-01-31"],
    );
    let mut ids: Vec<&str> = january.iter().map(|(id, _)| id.as_str()).collect();
    ids.sort();
    assert_eq!(ids, ["a", "b", "c"]);
    let old = hits(&env, &["ferries", "--until", "1700-01-01"]);
    assert!(old.is_empty(), "a clamped date: {old:?}");
}

#[cfg(unix)]
#[test]
fn item13_sigterm_commits_what_was_done_and_leaves_no_orphans() {
    let env = TestEnv::new();
    write_big_feed(&env, "feed.jsonl", 60_000, "tonnage");
    let index = env.path("index");
    let (code, stdout) = interrupt(
        &env,
        &["ingest", "feed.jsonl", "--commit-interval", "0.2"],
        "-TERM",
        Duration::from_secs(20),
        || index.join("meta.json").exists(),
    );
    assert_eq!(code, Some(130), "killed by SIGTERM: {stdout}");
    assert!(stdout.contains("interrupted"), "{stdout}");
    assert!(articles(&env) > 0);
    let check = env.ok(&["check", "--json"]).json_lines().remove(0);
    assert_eq!(check["orphans"].as_array().unwrap().len(), 0, "{check}");
}

/// Mounts a 2 MB tmpfs at `dir` (root only); `None` when that is not possible here.
#[cfg(target_os = "linux")]
fn small_disk(dir: &std::path::Path) -> Option<()> {
    fs::create_dir_all(dir).unwrap();
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=2m", "tmpfs"])
        .arg(dir)
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success());
    mounted.then_some(())
}

#[cfg(target_os = "linux")]
#[test]
fn item14_a_full_disk_says_so_and_leaves_no_orphans() {
    let env = TestEnv::new();
    let disk = env.path("disk");
    if small_disk(&disk).is_none() {
        eprintln!("skipped: cannot mount a small tmpfs here (needs root)");
        return;
    }
    write_big_feed(&env, "feed.jsonl", 40_000, "tonnage");
    let run = env.run(&[
        "ingest",
        "feed.jsonl",
        "--index",
        "disk/index",
        "--commit-interval",
        "1000",
    ]);
    let check = env.run(&["check", "--json", "--index", "disk/index"]);
    let again = env.run(&["ingest", "feed.jsonl", "--index", "disk/index"]);
    let _ = Command::new("umount").arg(&disk).status();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("no space left on device"),
        "{}",
        run.stderr
    );
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    assert_eq!(check.code, 0, "{}", check.stderr);
    let check = &check.json_lines()[0];
    assert_eq!(check["orphans"].as_array().unwrap().len(), 0, "{check}");
    assert!(
        again.stderr.contains("no space left on device"),
        "{}",
        again.stderr
    );
}

/// The first file of the default index whose name ends in `.{extension}`.
fn segment_file(env: &TestEnv, extension: &str) -> std::path::PathBuf {
    fs::read_dir(env.path("index"))
        .unwrap()
        .flatten()
        .map(|entry| entry.path())
        .find(|path| path.extension().is_some_and(|e| e == extension))
        .unwrap_or_else(|| panic!("no .{extension} file in the index"))
}

/// Asserts `run` failed with exit code 1 and one short line naming the index as damaged and
/// saying how to repair it.
fn assert_damaged_line(run: &env::Run, index: &str) {
    assert_eq!(run.code, 1, "{}", run.stderr);
    let stderr = run.stderr.trim();
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.len() < 400, "{stderr}");
    assert!(
        stderr.contains(&format!("the index at {index} is damaged")),
        "{stderr}"
    );
    assert!(stderr.contains("--rebuild"), "{stderr}");
}

#[test]
fn item15_a_damaged_segment_is_one_line_naming_the_index_and_the_repair() {
    let env = TestEnv::new();
    write_big_feed(&env, "feed.jsonl", 300, "tonnage");
    env.ok(&["ingest", "feed.jsonl"]);

    // Flipped bytes inside the term dictionary: `check` names the file, and `merge` refuses
    // to copy the damage into a new index, leaving nothing half-written behind.
    let terms = segment_file(&env, "term");
    let mut bytes = fs::read(&terms).unwrap();
    let middle = bytes.len() / 2;
    for byte in &mut bytes[middle..middle + 16] {
        *byte ^= 0xA5;
    }
    fs::write(&terms, &bytes).unwrap();
    let check = env.run(&["check"]);
    let name = terms.file_name().unwrap().to_str().unwrap();
    assert!(
        check.stdout.contains(&format!("damaged  {name}")),
        "{}",
        check.stdout
    );
    assert_damaged_line(&check, "index");
    for _ in 0..2 {
        // Twice: a failed merge must not block the next attempt.
        let merge = env.run(&["merge", "out", "index"]);
        assert_damaged_line(&merge, "index");
        assert!(!env.path("out").exists() && !env.path("out.merging").exists());
    }

    // A truncated document store: search and stats cannot read it, and say so in one line.
    let env = TestEnv::new();
    write_big_feed(&env, "feed.jsonl", 300, "tonnage");
    env.ok(&["ingest", "feed.jsonl"]);
    let store = segment_file(&env, "store");
    let bytes = fs::read(&store).unwrap();
    fs::write(&store, &bytes[..bytes.len() / 2]).unwrap();
    for args in [&["search", "tonnage"][..], &["stats"], &["check"]] {
        let run = env.run(args);
        assert_damaged_line(&run, "index");
    }
    let repaired = env.ok(&["ingest", "--rebuild", "feed.jsonl"]);
    assert!(repaired.stdout.contains("300 added"), "{}", repaired.stdout);
    assert_eq!(articles(&env), 300);
    assert!(!hits(&env, &["tonnage"]).is_empty());
}

/// Found by `scripts/fuzz.sh` (target `jsonl`): a `.jsonl` file holding a corrupt gzip stream
/// (graf sniffs gzip by its magic bytes). Each broken line and the early end are reported
/// with the file, the run ends, and the good file beside it is indexed.
#[test]
fn fuzz_a_corrupt_gzip_stream_named_jsonl_is_reported_line_by_line() {
    let env = TestEnv::new();
    let hostile =
        fs::read(env::repo().join("tests/fixtures/fuzz/jsonl-corrupt-gzip.jsonl")).unwrap();
    env.write("feed/bad.jsonl", hostile);
    env.write(
        "feed/good.jsonl",
        "{\"id\":\"g\",\"title\":\"Good\",\"text\":\"The good record talks about ferries.\"}\n",
    );
    let run = env.run(&["ingest", "feed"]);
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert!(
        run.stderr.contains("bad.jsonl:1: invalid UTF-8"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("bad.jsonl: gzip stream ends early"),
        "{}",
        run.stderr
    );
    assert_eq!(articles(&env), 1);
    assert_eq!(hits(&env, &["ferries"]).len(), 1);
}
