//! The pages in a real headless Chromium driven over WebDriver (chromedriver, started by
//! scripts/services/chromium.sh, which sets GRAF_WEBDRIVER). Skips with a message when no
//! WebDriver is configured.

use std::time::Duration;

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::{elements::Element, Client, ClientBuilder, Locator};
use serde_json::json;

use super::server::{indexed_corpus, Server, HOSTILE_TITLE, HOSTILE_WORD};

const WAIT: Duration = Duration::from_secs(20);

/// A fresh headless Chromium with its own profile; `None` (with a message) when there is no
/// WebDriver to drive it.
async fn browser(profile: &std::path::Path) -> Option<Client> {
    let Ok(webdriver) = std::env::var("GRAF_WEBDRIVER") else {
        eprintln!("skipped: GRAF_WEBDRIVER is not set (scripts/test.sh starts chromedriver through scripts/services/chromium.sh)");
        return None;
    };
    let mut capabilities = serde_json::Map::new();
    capabilities.insert(
        "goog:chromeOptions".to_string(),
        json!({
            "binary": "/usr/bin/chromium",
            "args": [
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
                "--hide-scrollbars",
                "--window-size=1280,900",
                format!("--user-data-dir={}", profile.display()),
            ],
        }),
    );
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    let client = ClientBuilder::new(connector)
        .capabilities(capabilities)
        .connect(&webdriver)
        .await
        .unwrap_or_else(|err| panic!("cannot start Chromium through {webdriver}: {err}"));
    Some(client)
}

async fn texts(client: &Client, css: &str) -> Vec<String> {
    let mut out = Vec::new();
    for element in client.find_all(Locator::Css(css)).await.unwrap() {
        out.push(element.text().await.unwrap());
    }
    out
}

async fn wait_for(client: &Client, css: &str) -> Element {
    client
        .wait()
        .at_most(WAIT)
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|err| panic!("no {css} on the page: {err}"))
}

async fn wait_for_url(client: &Client, part: &str) {
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        let url = client.current_url().await.unwrap();
        if url.as_str().contains(part) {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the URL {url} never contained {part}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_filter_page_open_an_article_and_escape_a_hostile_title() {
    let profile = tempfile::tempdir().unwrap();
    let Some(client) = browser(profile.path()).await else {
        return;
    };
    let corpus = indexed_corpus();
    let server = Server::start(&corpus.path().join("index"), &["--quiet"]);
    walk(&client, &server).await;
    client.close().await.unwrap();
}

async fn walk(client: &Client, server: &Server) {
    client.goto(&server.url("/")).await.unwrap();

    // `/` focuses the query box; type a query and submit it.
    let slash = KeyActions::new("keyboard".to_string())
        .then(KeyAction::Down { value: '/' })
        .then(KeyAction::Up { value: '/' });
    client.perform_actions(slash).await.unwrap();
    let focused = client
        .execute("return document.activeElement.id", vec![])
        .await
        .unwrap();
    assert_eq!(focused, json!("q"), "/ focuses the query box");
    let box_ = client.find(Locator::Css("#q")).await.unwrap();
    box_.send_keys("chips\u{E007}").await.unwrap();
    wait_for_url(client, "q=chips").await;
    wait_for(client, "li.hit").await;
    let marks = texts(client, "li.hit p.text mark").await;
    assert!(!marks.is_empty(), "highlighted words");
    assert!(
        marks.iter().all(|m| m.to_lowercase().starts_with("chip")),
        "{marks:?}"
    );

    // Click a company facet: only its passages remain, and the filter shows as removable.
    let facet = client
        .find(Locator::XPath(
            "//aside//a[contains(@class,'facet')][span[@class='name' and text()='Nvidia']]",
        ))
        .await
        .unwrap();
    facet.click().await.unwrap();
    wait_for_url(client, "company=Nvidia").await;
    wait_for(client, "ul.active a.chip").await;
    let hits = client.find_all(Locator::Css("li.hit")).await.unwrap();
    assert!(!hits.is_empty());
    for hit in &hits {
        let chips = hit.find_all(Locator::Css(".foot a.chip")).await.unwrap();
        let mut names = Vec::new();
        for chip in chips {
            names.push(chip.text().await.unwrap());
        }
        assert!(
            names.iter().any(|n| n.starts_with("Nvidia")),
            "a hit without Nvidia: {names:?}"
        );
    }
    let summary = client
        .find(Locator::Css("p.summary"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(summary.contains("matching passages"), "{summary}");
    client
        .goto(&server.url("/?q=chips&company=Nvidia"))
        .await
        .unwrap();
    wait_for(client, "li.hit").await;

    // Neighbouring paragraphs open inline.
    client
        .find(Locator::Css("li.hit a.more"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for(client, "li.hit .neighbours p.near").await;

    // Page forward: the next page starts at rank 11.
    client.goto(&server.url("/?q=chips")).await.unwrap();
    wait_for(client, "nav.pager a.next")
        .await
        .click()
        .await
        .unwrap();
    wait_for_url(client, "offset=10").await;
    let first_rank = client
        .execute("return document.querySelector('ol.hits').start", vec![])
        .await
        .unwrap();
    assert_eq!(first_rank, json!(11));
    assert!(client.find(Locator::Css("nav.pager a.prev")).await.is_ok());

    // Open an article from a hit: every passage in order, the hit marked.
    let title = client.find(Locator::Css("li.hit a.title")).await.unwrap();
    let expected = title.text().await.unwrap();
    title.click().await.unwrap();
    wait_for_url(client, "/article?").await;
    let heading = wait_for(client, "main.article h1")
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(heading, expected);
    let marked = wait_for(client, ".passage.hit").await;
    let id = marked.attr("id").await.unwrap().unwrap();
    let url = client.current_url().await.unwrap();
    assert_eq!(url.fragment(), Some(id.as_str()));
    let numbers = texts(client, ".passage a.num").await;
    let expected_order: Vec<String> = (0..numbers.len()).map(|n| n.to_string()).collect();
    assert_eq!(numbers, expected_order, "passages in article order");

    // A hostile title is text, in the results and on the article page; nothing ran.
    client
        .goto(&server.url(&format!("/?q={HOSTILE_WORD}")))
        .await
        .unwrap();
    let shown = wait_for(client, "li.hit a.title")
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(shown, HOSTILE_TITLE);
    client
        .find(Locator::Css("li.hit a.title"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let heading = wait_for(client, "main.article h1")
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(heading, HOSTILE_TITLE);
    let page_title = client.title().await.unwrap();
    assert!(
        page_title.contains("<script>"),
        "the title is text: {page_title}"
    );
    assert_ne!(page_title, "pwned");
    let images = client.find_all(Locator::Css("img")).await.unwrap();
    assert!(images.is_empty(), "an <img> from the title was rendered");

    // The companies page, with one company's co-mentions.
    client
        .goto(&server.url("/companies?company=Amazon"))
        .await
        .unwrap();
    wait_for(client, "table.co").await;
    let rows = texts(client, "table.co tbody tr").await;
    assert!(!rows.is_empty());
}
