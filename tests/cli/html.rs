//! `graf ingest` of HTML pages: legacy encodings decoded, the article chosen among page
//! furniture, hostile pages refused with one line while the rest of the batch is indexed.

use crate::env::TestEnv;

/// The text of the only hit for `query`.
fn only_hit_text(env: &TestEnv, query: &str) -> String {
    let hits = env.ok(&["search", query, "--json"]).hits();
    assert_eq!(hits.len(), 1, "{query}: {hits:?}");
    hits[0]["text"].as_str().unwrap().to_string()
}

#[test]
fn a_windows_1252_page_is_decoded_by_its_meta_charset() {
    let env = TestEnv::new();
    let mut page = b"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1252\">\
        <title>Caf\xe9 prices</title></head><body><p>A coffee at the caf\xe9 near the harbour now costs \
        \xa33.20, \x93more than ever\x94, the owner said.</p></body></html>"
        .to_vec();
    page.extend_from_slice(b"\n");
    env.write("in/cafe.html", &page);
    let run = env.ok(&["ingest", "in"]);
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    let text = only_hit_text(&env, "harbour");
    assert!(
        text.contains("café near the harbour now costs £3.20, “more than ever”"),
        "{text}"
    );
    let hits = env.ok(&["search", "harbour", "--json"]).hits();
    assert_eq!(hits[0]["title"], "Café prices");
}

#[test]
fn an_iso_8859_1_page_without_a_meta_charset_is_decoded_from_its_bytes() {
    let env = TestEnv::new();
    env.write(
        "in/ete.html",
        b"<html><head><title>L'\xe9t\xe9 au march\xe9</title></head><body>\
          <p>Les pr\xe9visions m\xe9t\xe9orologiques annoncent un \xe9t\xe9 tr\xe8s chaud \
          \xe0 Besan\xe7on, o\xf9 les \xe9leveurs s'inqui\xe8tent d\xe9j\xe0 pour leurs b\xeates.</p>\
          </body></html>",
    );
    env.ok(&["ingest", "in"]);
    let text = only_hit_text(&env, "Besançon");
    assert!(
        text.contains("Les prévisions météorologiques annoncent un été très chaud à Besançon, où"),
        "{text}"
    );
    assert!(text.contains("déjà pour leurs bêtes"), "{text}");
}

#[test]
fn a_shift_jis_page_is_decoded() {
    let env = TestEnv::new();
    let html = "<html><head><meta charset=\"Shift_JIS\"><title>東京の市場</title></head><body>\
        <p>東京証券取引所で Toyota の株価が上昇し、市場全体も堅調に推移した。</p></body></html>";
    let (bytes, _, unmappable) = encoding_rs::SHIFT_JIS.encode(html);
    assert!(!unmappable);
    assert!(std::str::from_utf8(&bytes).is_err(), "really not UTF-8");
    env.write("in/tokyo.html", &bytes);
    env.ok(&["ingest", "in"]);
    let text = only_hit_text(&env, "Toyota");
    assert_eq!(
        text,
        "東京証券取引所で Toyota の株価が上昇し、市場全体も堅調に推移した。"
    );
    let hits = env.ok(&["search", "Toyota", "--json"]).hits();
    assert_eq!(hits[0]["title"], "東京の市場");
}

#[test]
fn deeply_nested_html_is_one_error_line_and_the_rest_is_indexed() {
    let env = TestEnv::new();
    env.write(
        "in/good.html",
        "<html><body><p>A good page about lanterns.</p></body></html>",
    );
    let deep = "<div>".repeat(10_000) + "deep text" + &"</div>".repeat(10_000);
    env.write("in/deep.html", deep);
    let run = env.run(&["ingest", "in", "--json"]);
    assert_eq!(run.code, 3, "partial failure: {}", run.stderr);
    assert_eq!(run.json_lines()[0]["added"], 1, "{}", run.stdout);
    let errors: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.contains("deep.html"))
        .collect();
    assert_eq!(errors.len(), 1, "{}", run.stderr);
    assert!(errors[0].contains("nested"), "{}", errors[0]);
    assert_eq!(
        only_hit_text(&env, "lanterns"),
        "A good page about lanterns."
    );
}

#[test]
fn a_tag_with_100000_attributes_is_refused_at_once() {
    let env = TestEnv::new();
    env.write(
        "in/good.html",
        "<html><body><p>A good page about beacons.</p></body></html>",
    );
    let attributes: String = (0..100_000).map(|i| format!(" data-a{i}=\"x\"")).collect();
    env.write(
        "in/wide.html",
        format!("<html><body>\n<div{attributes}>wide</div></body></html>"),
    );
    let started = std::time::Instant::now();
    let run = env.run(&["ingest", "in", "--json"]);
    let elapsed = started.elapsed();
    assert_eq!(run.code, 3, "partial failure: {}", run.stderr);
    assert_eq!(run.json_lines()[0]["added"], 1, "{}", run.stdout);
    let errors: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.contains("wide.html"))
        .collect();
    assert_eq!(errors.len(), 1, "{}", run.stderr);
    assert!(errors[0].contains("wide.html:2:"), "{}", errors[0]);
    assert!(errors[0].contains("attributes"), "{}", errors[0]);
    // Quadratic parsing took 40 s here; refusing it takes milliseconds. The bound is loose
    // so a loaded machine does not fail the test, and still far below the old cost.
    assert!(elapsed.as_secs() < 15, "took {elapsed:?}");
}

#[test]
fn the_article_is_indexed_without_menus_teasers_and_comments() {
    let env = TestEnv::new();
    let menu: String = (0..10)
        .map(|i| format!("<li><a href=\"/s{i}\">Menu section {i}</a></li>"))
        .collect();
    let teasers: String = (0..8)
        .map(|i| {
            format!("<article><h3><a href=\"/t{i}\">Teaser about other news {i}</a></h3></article>")
        })
        .collect();
    let story: String = (1..=5)
        .map(|i| {
            format!(
                "<p>Paragraph {i} of the report: the port authority, citing the strike, said \
                 cranes stood idle, ships waited offshore, and cargo piled up on the quays.</p>"
            )
        })
        .collect();
    env.write(
        "in/port.html",
        format!(
            "<html><head><title>Port strike</title></head><body><div class=\"top\"><ul>{menu}</ul></div>\
             <div class=\"content\">{story}</div><section>{teasers}</section>\
             <div id=\"comments\"><article><p>First! Great read, thanks for sharing it.</p></article></div>\
             </body></html>"
        ),
    );
    env.ok(&["ingest", "in"]);
    let stats = env.stats();
    assert_eq!(stats["passages"], 5, "{stats}");
    for chrome in ["menu", "teaser", "great read"] {
        let hits = env.ok(&["search", chrome, "--json"]).hits();
        assert!(hits.is_empty(), "{chrome}: {hits:?}");
    }
}
