//! Every error path of the command line: one readable line, a documented exit code, no panic.

use assert_cmd::prelude::*;

use crate::env::TestEnv;

fn one_line_error(run: &crate::env::Run) -> &str {
    let message = run.stderr.trim();
    assert_eq!(message.lines().count(), 1, "one line: {message}");
    assert!(message.starts_with("graf: error: "), "{message}");
    assert!(!message.contains("panicked") && !message.contains("backtrace"));
    message
}

#[test]
fn search_on_a_missing_index_says_how_to_create_one() {
    let env = TestEnv::new();
    let run = env.run(&["search", "chips"]);
    assert_eq!(run.code, 1);
    assert!(one_line_error(&run).contains("graf ingest"));
    let named = env.run(&["search", "chips", "--index", "elsewhere"]);
    assert!(one_line_error(&named).contains("elsewhere"));
}

#[test]
fn the_index_can_come_from_the_environment() {
    let env = TestEnv::new();
    env.write("a.txt", "A\n\nA paragraph about basalt.\n");
    env.command(&["ingest", "a.txt"])
        .env("GRAF_INDEX", "custom")
        .assert()
        .success();
    assert!(env.path("custom/meta.json").is_file());
    env.command(&["search", "basalt"])
        .env("GRAF_INDEX", "custom")
        .assert()
        .success();
}

#[test]
fn a_syntax_error_in_strict_mode_gives_a_hint() {
    let env = TestEnv::new();
    env.write("a.txt", "A\n\nA paragraph about granite.\n");
    env.ok(&["ingest", "a.txt"]);
    for (query, expected) in [
        ("granite \"open", "unbalanced quote"),
        ("author:x", "unknown field"),
        ("(granite", "parenthes"),
    ] {
        let run = env.run(&["search", "--strict", query]);
        assert_eq!(run.code, 2, "{query}");
        let message = one_line_error(&run);
        assert!(
            message.contains(expected) && message.contains("hint"),
            "{message}"
        );
    }
}

#[test]
fn an_empty_query_without_a_filter_is_refused_with_a_hint() {
    let env = TestEnv::new();
    env.write("a.txt", "A\n\nA paragraph about slate.\n");
    env.ok(&["ingest", "a.txt"]);
    let run = env.run(&["search"]);
    assert_eq!(run.code, 2);
    assert!(one_line_error(&run).contains("--company"));
    let excluded = env.run(&["search", "--", "-slate"]);
    assert_eq!(excluded.code, 2);
    assert!(one_line_error(&excluded).contains("only excludes"));
}

#[test]
fn bad_arguments_are_usage_errors() {
    let env = TestEnv::new();
    assert_eq!(env.run(&["search", "x", "--since", "yesterday"]).code, 2);
    assert_eq!(env.run(&["ingest", "--memory", "lots"]).code, 2);
    assert_eq!(env.run(&["frobnicate"]).code, 2);
    let help = env.ok(&["--help"]);
    assert!(help.stdout.contains("Exit codes"));
    let search_help = env.ok(&["search", "--help"]);
    assert!(search_help.stdout.contains("Query language"));
}

#[test]
fn a_bad_gazetteer_file_is_named() {
    let env = TestEnv::new();
    env.write("a.txt", "A\n\nA paragraph about marble.\n");
    env.write("extra.toml", "[[company]]\nname = \n");
    let run = env.run(&["ingest", "a.txt", "--companies", "extra.toml"]);
    assert_eq!(run.code, 2);
    assert!(one_line_error(&run).contains("extra.toml"));
}

#[test]
fn a_directory_that_is_not_an_index_is_reported() {
    let env = TestEnv::new();
    env.write("notindex/meta.json", "{ not json");
    let run = env.run(&["search", "x", "--index", "notindex"]);
    assert_eq!(run.code, 1);
    assert!(one_line_error(&run).contains("notindex"));
}
