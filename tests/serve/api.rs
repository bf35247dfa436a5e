//! The JSON API and the pages over HTTP: every endpoint and error, each answer checked against
//! docs/openapi.json; escaping, ids, limits, methods, logging, reloading and shutdown.

use std::process::{Command, Stdio};
use std::time::Duration;

use assert_cmd::cargo::CommandCargoExt;
use serde_json::Value;

use super::openapi::assert_matches;
use super::server::{indexed_corpus, Server, HOSTILE_TITLE, HOSTILE_WORD};

fn server() -> (tempfile::TempDir, Server) {
    let dir = indexed_corpus();
    let server = Server::start(&dir.path().join("index"), &["--quiet"]);
    (dir, server)
}

/// GETs `target`, checks the status and the document's schema for it, returns the JSON.
fn api(server: &Server, template: &str, target: &str, status: u16) -> Value {
    let response = server.get(target);
    assert_eq!(response.status, status, "{target}: {}", response.body);
    let body = response.json();
    assert_matches(template, status, &body);
    body
}

fn error_of(server: &Server, template: &str, target: &str, status: u16) -> String {
    let body = api(server, template, target, status);
    assert_eq!(body["status"], status);
    body["error"].as_str().unwrap().to_string()
}

#[test]
fn search_returns_the_hit_objects_of_the_cli_with_paging_and_facets() {
    let (dir, server) = server();
    let body = api(
        &server,
        "/api/search",
        "/api/search?q=chips&company=Amazon&limit=3&facets=true",
        200,
    );
    assert_eq!(body["returned"], 3);
    assert!(body["total"].as_u64().unwrap() > 3);
    for hit in body["hits"].as_array().unwrap() {
        assert!(hit["companies"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c.as_str().unwrap().starts_with("Amazon")));
    }
    assert_eq!(body["facets"][0]["path"], "Amazon");
    // The same hit objects as `graf search --json`, field for field.
    let cli = Command::cargo_bin("graf")
        .unwrap()
        .args([
            "search",
            "chips",
            "--company",
            "Amazon",
            "-n",
            "3",
            "--json",
            "--index",
        ])
        .arg(dir.path().join("index"))
        .env("HOME", dir.path())
        .env_remove("GRAF_COMPANIES")
        .output()
        .unwrap();
    let lines: Vec<Value> = String::from_utf8(cli.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(&lines[..3], body["hits"].as_array().unwrap().as_slice());
    let next = api(
        &server,
        "/api/search",
        "/api/search?q=chips&company=Amazon&limit=3&offset=3",
        200,
    );
    assert_eq!(next["hits"][0]["rank"], 4);
    assert!(next.get("facets").is_none());
}

#[test]
fn search_takes_every_parameter_of_the_cli() {
    let (_dir, server) = server();
    let target = "/api/search?q=%22custom+chips%22+OR+cloud&company=amazon&company=nvidia&any_company=true&since=2020-01-01&until=2030-12-31&per_article=1&context=1&sort=date&strict=true&expand=true&limit=5";
    let body = api(&server, "/api/search", target, 200);
    let hits = body["hits"].as_array().unwrap();
    assert!(!hits.is_empty());
    // --explain on its own query: tantivy's debug build asserts when it explains a phrase
    // inside a union (a debug-only check; release builds explain it).
    let explained = api(
        &server,
        "/api/search",
        "/api/search?q=chips&explain=true&limit=2",
        200,
    );
    assert!(explained["hits"]
        .as_array()
        .unwrap()
        .iter()
        .all(|h| h.get("explanation").is_some()));
    let articles: std::collections::HashSet<&str> = hits
        .iter()
        .map(|h| h["article_id"].as_str().unwrap())
        .collect();
    assert_eq!(articles.len(), hits.len(), "per_article=1");
    assert!(hits
        .iter()
        .any(|h| h.get("before").is_some() || h.get("after").is_some()));
    let by_source = api(
        &server,
        "/api/search",
        "/api/search?source=%3Cb%3EEvil%3C%2Fb%3E+Wire",
        200,
    );
    assert_eq!(by_source["total"], 2);
    let in_article = api(
        &server,
        "/api/search",
        "/api/search?article=tests%2Fhostile.md",
        200,
    );
    assert_eq!(in_article["total"], 2);
    let loose = api(&server, "/api/search", "/api/search?q=chips+(+AND", 200);
    assert!(!loose["notes"].as_array().unwrap().is_empty());
}

#[test]
fn bad_searches_are_400_with_a_message() {
    let (_dir, server) = server();
    let cases = [
        ("/api/search", "the query is empty"),
        ("/api/search?q=", "the query is empty"),
        ("/api/search?q=-river", "bad query"),
        ("/api/search?q=chips+(+AND&strict=true", "bad query"),
        (
            "/api/search?q=chips&company=Nosuchco",
            "no company called \"Nosuchco\"",
        ),
        (
            "/api/search?q=chips&limit=0",
            "limit must be a whole number from 1 to 100",
        ),
        ("/api/search?q=chips&limit=101", "limit must be"),
        (
            "/api/search?q=chips&offset=10001",
            "offset must be a whole number from 0 to 10000",
        ),
        ("/api/search?q=chips&context=11", "context must be"),
        ("/api/search?q=chips&since=last+week", "YYYY-MM-DD"),
        (
            "/api/search?q=chips&sort=best",
            "sort must be score or date",
        ),
        (
            "/api/search?q=chips&facets=maybe",
            "facets must be true or false",
        ),
        ("/api/search?q=chips&lmit=5", "unknown parameter \"lmit\""),
    ];
    for (target, expected) in cases {
        let message = error_of(&server, "/api/search", target, 400);
        assert!(message.contains(expected), "{target}: {message}");
    }
    let long = format!("/api/search?q={}", "a".repeat(1025));
    assert!(error_of(&server, "/api/search", &long, 400).contains("the limit is 1024"));
}

#[test]
fn companies_and_one_company_with_its_co_mentions() {
    let (_dir, server) = server();
    let body = api(&server, "/api/companies", "/api/companies", 200);
    let list = body["companies"].as_array().unwrap();
    assert_eq!(list[0]["name"], "Amazon");
    assert!(list
        .windows(2)
        .all(|w| w[0]["passages"].as_u64() >= w[1]["passages"].as_u64()));
    let by_name = api(&server, "/api/companies", "/api/companies?sort=name", 200);
    let names: Vec<&str> = by_name["companies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);
    assert!(error_of(&server, "/api/companies", "/api/companies?sort=size", 400).contains("sort"));

    let amazon = api(&server, "/api/companies/{name}", "/api/companies/AMZN", 200);
    assert_eq!(amazon["path"], "Amazon");
    let mentions = amazon["co_mentions"].as_array().unwrap();
    assert!(!mentions.is_empty());
    assert!(mentions
        .iter()
        .all(|m| !m["path"].as_str().unwrap().starts_with("Amazon")));
    // The count is the number of passages naming both: the same as that search's total.
    let first = mentions[0]["path"].as_str().unwrap();
    let both = api(
        &server,
        "/api/search",
        &format!(
            "/api/search?company=Amazon&company={}",
            first.replace(' ', "+")
        ),
        200,
    );
    assert_eq!(both["total"], mentions[0]["passages"]);
    let aws = api(
        &server,
        "/api/companies/{name}",
        "/api/companies/Amazon/AWS",
        200,
    );
    assert_eq!(aws["name"], "AWS");
    let unknown = error_of(
        &server,
        "/api/companies/{name}",
        "/api/companies/Amazonn",
        404,
    );
    assert!(unknown.contains("did you mean"), "{unknown}");
}

#[test]
fn articles_by_id_whole_or_in_a_range_and_ids_cannot_leave_the_index() {
    let (_dir, server) = server();
    let id = "tech/aws-trainium-capacity-expansion.txt";
    let whole = api(
        &server,
        "/api/articles/{id}",
        &format!("/api/articles/{id}"),
        200,
    );
    let passages = whole["passages"].as_array().unwrap();
    assert_eq!(
        passages.len() as u64,
        whole["total_passages"].as_u64().unwrap()
    );
    assert!(passages
        .iter()
        .enumerate()
        .all(|(i, p)| p["paragraph"] == i as u64));
    let range = api(
        &server,
        "/api/articles/{id}",
        &format!("/api/articles/{}?from=2&to=4", id.replace('/', "%2F")),
        200,
    );
    let positions: Vec<u64> = range["passages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["paragraph"].as_u64().unwrap())
        .collect();
    assert_eq!(positions, vec![2, 3, 4]);
    let hostile = api(
        &server,
        "/api/articles/{id}",
        "/api/articles/tests/hostile.md",
        200,
    );
    assert_eq!(hostile["title"], HOSTILE_TITLE);
    for target in [
        "/api/articles/nope.txt",
        "/api/articles/../../../../etc/passwd",
        "/api/articles/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
        "/api/articles/%2Fetc%2Fpasswd",
        "/api/articles/..%5C..%5CCargo.toml",
    ] {
        let message = error_of(&server, "/api/articles/{id}", target, 404);
        assert!(
            message.contains("no article with id"),
            "{target}: {message}"
        );
    }
    let bad = error_of(
        &server,
        "/api/articles/{id}",
        &format!("/api/articles/{id}?from=5&to=2"),
        400,
    );
    assert!(bad.contains("from (5) is after to (2)"));
    let bad = error_of(
        &server,
        "/api/articles/{id}",
        &format!("/api/articles/{id}?page=2"),
        400,
    );
    assert!(bad.contains("unknown parameter"));
    // The page view of an unknown or hostile id is a 404 page, not a file.
    let page = server.get("/article?id=..%2F..%2F..%2Fetc%2Fpasswd");
    assert_eq!(page.status, 404);
    assert!(!page.body.contains("root:"));
}

#[test]
fn stats_unknown_routes_and_methods() {
    let (_dir, server) = server();
    let stats = api(&server, "/api/stats", "/api/stats", 200);
    assert_eq!(stats["articles"], 25);
    assert!(stats["passages"].as_u64().unwrap() > 400);
    let missing = server.get("/api/nothing/here");
    assert_eq!(missing.status, 404);
    assert!(missing.json()["error"]
        .as_str()
        .unwrap()
        .contains("/api/search"));
    // Nothing writes: other methods are refused.
    for method in ["POST", "PUT", "DELETE", "PATCH"] {
        let response = super::server::request(&server.addr, method, "/api/search?q=chips");
        assert_eq!(response.status, 405, "{method}");
    }
    assert_eq!(
        super::server::request(&server.addr, "HEAD", "/").status,
        200
    );
    let page = server.get("/no/such/page");
    assert_eq!(page.status, 404);
    assert!(page.body.contains("no such page"));
}

#[test]
fn pages_escape_everything_and_send_a_strict_policy() {
    let (_dir, server) = server();
    let query = "%3Cscript%3Ealert(1)%3C%2Fscript%3E+".to_string() + HOSTILE_WORD;
    let page = server.get(&format!("/?q={query}"));
    assert_eq!(page.status, 200);
    assert!(page
        .header("content-security-policy")
        .unwrap()
        .contains("script-src 'self'"));
    assert_eq!(page.header("x-content-type-options"), Some("nosniff"));
    for raw in [
        "<script>alert",
        "<script>document",
        "<img src=x",
        "</p><script>",
    ] {
        assert!(!page.body.contains(raw), "raw {raw:?} in the page");
    }
    assert!(page.body.contains("&lt;script&gt;document.title="));
    assert!(page
        .body
        .contains("value=\"&lt;script&gt;alert(1)&lt;/script&gt; quokkamarmalade\""));
    let article = server.get("/article?id=tests%2Fhostile.md&hit=0");
    assert_eq!(article.status, 200);
    assert!(!article.body.contains("<script>alert(2)"));
    assert!(article
        .body
        .contains("&lt;/p&gt;&lt;script&gt;alert(2)&lt;/script&gt;"));
    assert!(article.body.contains("&lt;i&gt;Section&lt;/i&gt;"));
    // The only script is the bundled one.
    assert_eq!(article.body.matches("<script").count(), 1);
}

#[test]
fn pages_render_search_states_and_show_errors_as_400() {
    let (_dir, server) = server();
    let first = server.get("/?q=chips&company=Amazon");
    assert_eq!(first.status, 200);
    assert!(first.body.contains("<mark>"));
    assert!(first
        .body
        .contains("href=\"/?q=chips&amp;company=Amazon&amp;offset=10\""));
    assert!(
        first.body.contains("href=\"/?q=chips\""),
        "a link removing the filter"
    );
    let welcome = server.get("/");
    assert_eq!(welcome.status, 200);
    assert!(welcome.body.contains("passages"));
    let bad = server.get("/?q=chips&limit=1000");
    assert_eq!(bad.status, 400);
    assert!(bad
        .body
        .contains("limit must be a whole number from 1 to 100"));
    let companies = server.get("/companies?company=Amazon");
    assert_eq!(companies.status, 200);
    assert!(companies.body.contains("Named in the same passages"));
    assert_eq!(server.get("/companies?company=Nosuchco").status, 404);
    assert_eq!(server.get("/article").status, 400);
    let css = server.get("/assets/style.css");
    assert_eq!(css.header("content-type"), Some("text/css; charset=utf-8"));
    assert_eq!(server.get("/assets/..%2FCargo.toml").status, 404);
}

#[test]
fn a_concurrent_ingest_is_seen_without_a_restart() {
    let (dir, server) = server();
    let empty = api(&server, "/api/search", "/api/search?q=zanzibarian", 200);
    assert_eq!(empty["total"], 0);
    let extra = dir.path().join("extra");
    std::fs::create_dir_all(&extra).unwrap();
    std::fs::write(
        extra.join("new.txt"),
        "Fresh News\n\nA zanzibarian passage arrives.\n",
    )
    .unwrap();
    let status = Command::cargo_bin("graf")
        .unwrap()
        .args(["ingest", "--index"])
        .arg(&server.index)
        .arg(&extra)
        .env("HOME", dir.path())
        .env_remove("GRAF_COMPANIES")
        .stderr(Stdio::null())
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        let body = api(&server, "/api/search", "/api/search?q=zanzibarian", 200);
        if body["total"] == 1 {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the commit was not seen in 10 s"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn requests_are_logged_unless_quiet_and_ctrl_c_stops_gracefully() {
    let dir = indexed_corpus();
    let server = Server::start(&dir.path().join("index"), &[]);
    assert_eq!(server.get("/api/stats").status, 200);
    let line = server
        .log_line("/api/stats", Duration::from_secs(5))
        .expect("a log line");
    assert!(line.contains("GET /api/stats 200"), "{line}");
    let status = server.interrupt();
    assert!(status.success(), "{status}");

    let quiet = Server::start(&dir.path().join("index"), &["--quiet"]);
    assert_eq!(quiet.get("/api/stats").status, 200);
    assert!(quiet
        .log_line("/api/stats", Duration::from_millis(500))
        .is_none());
}

#[test]
fn a_missing_index_or_a_taken_port_is_one_line_and_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    let output = Command::cargo_bin("graf")
        .unwrap()
        .args(["serve", "--index"])
        .arg(dir.path().join("none"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("no graf index at"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");

    let held = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let corpus = indexed_corpus();
    let output = Command::cargo_bin("graf")
        .unwrap()
        .args([
            "serve",
            "--addr",
            &held.local_addr().unwrap().to_string(),
            "--index",
        ])
        .arg(corpus.path().join("index"))
        .env("HOME", corpus.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("cannot serve on 127.0.0.1:"), "{stderr}");
}
