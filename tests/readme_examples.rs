//! The README's examples are true: every ```text block of README.md whose lines start with
//! `$ graf ...` is run, in a fresh directory holding a copy of the bundled `corpus/`, through
//! the real binary, and what it prints on stdout must be what the README shows below the
//! command. Timings, rates, sizes on disk and segment counts vary from run to run and machine to machine and
//! are masked on both sides; everything else (scores, counts, paths, order) must match.
//!
//! Every block but the one showing how to build it runs on an index of the corpus built
//! first. Lines the README shows starting with `graf: ` are notes on stderr, which must hold
//! them. Examples that need `../shared/data` (graf eval on the IR collections) are skipped, with a
//! message, when it is absent.

use crate::env;

use std::path::{Path, PathBuf};
use std::process::Command;

/// One `$ graf ...` line and the output the README shows under it.
#[derive(Debug)]
struct Example {
    command: String,
    expected: Vec<String>,
}

/// The examples of each ```text block (a block is run in one directory, in order).
fn blocks(readme: &str) -> Vec<Vec<Example>> {
    let mut blocks = Vec::new();
    let mut lines = readme.lines();
    while let Some(line) = lines.next() {
        if line.trim() != "```text" {
            continue;
        }
        let mut examples: Vec<Example> = Vec::new();
        for line in lines.by_ref() {
            if line.trim() == "```" {
                break;
            }
            if let Some(command) = line.strip_prefix("$ ") {
                examples.push(Example {
                    command: command.to_string(),
                    expected: Vec::new(),
                });
            } else if let Some(example) = examples.last_mut() {
                example.expected.push(line.to_string());
            }
        }
        if examples.iter().any(|e| e.command.starts_with("graf ")) {
            blocks.push(examples);
        }
    }
    blocks
}

/// Masks what differs between runs: times, rates, sizes on disk.
fn normalise(line: &str) -> String {
    let line = line.trim_end();
    // Sizes on disk, and segments (one per indexing thread, so per machine).
    for row in ["size on disk", "segments"] {
        if let Some(rest) = line.strip_prefix(row) {
            return format!("{row}{}", mask_numbers(rest));
        }
    }
    let mut out = line.to_string();
    // "(0.5 ms)" after a search; "in 0.1 s (0.8 MB/s)" after an ingest; "MB in 0.6 s (806
    // passages/s)" after a push.
    for (open, close) in [("(", " ms)"), ("; ", " MB/s)"), ("MB in ", " passages/s)")] {
        out = mask_between(&out, open, close);
    }
    if let Some(at) = out.find("\"elapsed_ms\":") {
        let end = out[at..].find([',', '}']).map_or(out.len(), |e| at + e);
        out.replace_range(at..end, "\"elapsed_ms\":T");
    }
    out
}

/// Replaces the numbers of a `open ... close` span that holds only numbers and units.
fn mask_between(line: &str, open: &str, close: &str) -> String {
    let Some(end) = line.find(close) else {
        return line.to_string();
    };
    let Some(start) = line[..end].rfind(open) else {
        return line.to_string();
    };
    let inner = &line[start + open.len()..end];
    format!(
        "{}{open}{}{close}{}",
        &line[..start],
        mask_numbers(inner),
        &line[end + close.len()..]
    )
}

fn mask_numbers(text: &str) -> String {
    let mut out = String::new();
    let mut in_number = false;
    for c in text.chars() {
        if c.is_ascii_digit() || (in_number && c == '.') {
            if !in_number {
                out.push('#');
            }
            in_number = true;
        } else {
            in_number = false;
            out.push(c);
        }
    }
    out
}

fn graf_dir() -> PathBuf {
    assert_cmd::cargo::cargo_bin("graf")
        .parent()
        .unwrap()
        .to_path_buf()
}

#[test]
fn every_readme_example_prints_what_the_readme_shows() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let shared = root.join("../shared/data");
    let path = format!(
        "{}:{}",
        graf_dir().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let shared_dir = root.join("../shared").display().to_string();
    let mut failures = Vec::new();
    let mut ran = 0;
    for block in blocks(&readme) {
        if block.iter().any(|e| e.command.contains("../shared")) && !shared.is_dir() {
            eprintln!("skipped (no ../shared/data): {}", block[0].command);
            continue;
        }
        let remote =
            |e: &Example| e.command.contains("graf push") || e.command.contains("--remote");
        if block.iter().any(remote) && std::env::var_os("GRAF_OPENSEARCH_URL").is_none() {
            eprintln!(
                "skipped (no OpenSearch cluster, GRAF_OPENSEARCH_URL unset): {}",
                block[0].command
            );
            continue;
        }
        let dir = tempfile::tempdir().unwrap();
        env::copy_dir(&root.join("corpus"), &dir.path().join("corpus"));
        // Every example runs on an index of the bundled corpus, except the one that shows
        // how that index is built.
        if block[0].command != "graf ingest" {
            let built = Command::new(assert_cmd::cargo::cargo_bin("graf"))
                .args(["ingest", "--quiet"])
                .current_dir(dir.path())
                .env_remove("GRAF_INDEX")
                .env_remove("GRAF_COMPANIES")
                .env("XDG_CONFIG_HOME", dir.path().join("config"))
                .output()
                .unwrap();
            assert!(built.status.success(), "{built:?}");
        }
        for example in &block {
            let output = Command::new("sh")
                .arg("-c")
                .arg(example.command.replace("../shared", &shared_dir))
                .current_dir(dir.path())
                .env("PATH", &path)
                .env_remove("GRAF_INDEX")
                .env_remove("GRAF_COMPANIES")
                .env("XDG_CONFIG_HOME", dir.path().join("config"))
                .output()
                .unwrap();
            ran += 1;
            let actual: Vec<String> = String::from_utf8_lossy(&output.stdout)
                .lines()
                .map(normalise)
                .collect();
            // Lines the README shows starting with "graf: " are notes graf prints on stderr.
            let (notes, expected): (Vec<String>, Vec<String>) = example
                .expected
                .iter()
                .map(|line| normalise(line))
                .partition(|line| line.starts_with("graf: "));
            let stderr = String::from_utf8_lossy(&output.stderr);
            let notes_shown = notes.iter().all(|note| stderr.contains(note.as_str()));
            if actual != expected || !notes_shown {
                failures.push(format!(
                    "$ {}\n--- README\n{}\n--- graf printed (stderr: {})\n{}",
                    example.command,
                    expected.join("\n"),
                    String::from_utf8_lossy(&output.stderr).trim(),
                    actual.join("\n")
                ));
            }
        }
    }
    assert!(ran >= 8, "only {ran} README examples found");
    assert!(
        failures.is_empty(),
        "README examples that no longer hold:\n\n{}",
        failures.join("\n\n")
    );
}

#[test]
fn masking_keeps_scores_and_counts() {
    assert_eq!(
        normalise("1 of 23 matching passages (0.5 ms)"),
        "1 of 23 matching passages (# ms)"
    );
    assert_eq!(
        normalise("24 articles: 24 added; 458 passages; 0.1 MB in 0.1 s (0.8 MB/s)"),
        "24 articles: 24 added; 458 passages; # MB in # s (# MB/s)"
    );
    assert_eq!(
        normalise("458 passages, 0.3 MB in 0.6 s (806 passages/s); 1 requests"),
        "458 passages, 0.3 MB in # s (# passages/s); 1 requests"
    );
    assert_eq!(normalise(" 1.   4.21  Title"), " 1.   4.21  Title");
}
