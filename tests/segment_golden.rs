//! Golden tests of `graf::segment`: every article in `tests/fixtures/segment/` (`.md` read as
//! Markdown, anything else as plain text) is segmented with the default options and compared
//! with its `<name>.golden.json` (title, metadata, warnings, headings, dropped text and every
//! passage). Run with `GRAF_BLESS=1` to rewrite the goldens, then review the diff: the goldens
//! are the spec.

use std::fs;
use std::path::{Path, PathBuf};

use graf::model::TextFormat;
use graf::segment::{segment, SegmentOptions};

const GOLDEN_SUFFIX: &str = ".golden.json";

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/segment")
}

fn articles() -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = fs::read_dir(fixture_dir())
        .expect("fixture directory is readable")
        .map(|entry| entry.expect("fixture entry is readable").path())
        .filter(|path| !path.to_string_lossy().ends_with(GOLDEN_SUFFIX))
        .collect();
    paths.sort();
    paths
}

fn golden_path(article: &Path) -> PathBuf {
    let mut name = article.file_name().unwrap_or_default().to_os_string();
    name.push(GOLDEN_SUFFIX);
    article.with_file_name(name)
}

fn render(article: &Path) -> String {
    let text = fs::read_to_string(article).expect("fixture is UTF-8");
    let format = match article.extension().and_then(|e| e.to_str()) {
        Some("md") => TextFormat::Markdown,
        _ => TextFormat::Plain,
    };
    let out = segment(&text, format, &SegmentOptions::default());
    serde_json::to_string_pretty(&out).expect("segmented output serialises") + "\n"
}

#[test]
fn fixtures_match_their_goldens() {
    let bless = std::env::var("GRAF_BLESS").is_ok_and(|v| v == "1");
    let articles = articles();
    assert!(articles.len() >= 10, "expected at least 10 fixtures");
    let mut mismatched = Vec::new();
    for article in articles {
        let actual = render(&article);
        let golden = golden_path(&article);
        if bless {
            fs::write(&golden, &actual).expect("golden is writable");
            continue;
        }
        let expected = fs::read_to_string(&golden).unwrap_or_default();
        if expected != actual {
            eprintln!("--- {} differs; actual output:\n{actual}", golden.display());
            mismatched.push(golden.display().to_string());
        }
    }
    assert!(
        mismatched.is_empty(),
        "goldens differ (rerun with GRAF_BLESS=1 after checking): {mismatched:?}"
    );
}
