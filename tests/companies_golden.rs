//! Golden tests for company tagging: every `tests/fixtures/companies/<name>.txt` article is
//! tagged paragraph by paragraph (blocks separated by blank lines, the first being the
//! title) and compared with `<name>.expected`, one `number: Path, Path` line per paragraph.
//! An optional first line `companies: A; B` plays the article's front matter. The company
//! list is the fixed `gazetteer.toml` beside the fixtures, not the built-in one.

use std::path::{Path, PathBuf};

use graf::companies::{Gazetteer, Tagger};

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/companies")
}

/// Splits an article into its declared companies and its paragraphs.
fn parse_article(text: &str) -> (Vec<String>, Vec<String>) {
    let (declared, body) = match text.strip_prefix("companies:") {
        Some(rest) => {
            let (line, body) = rest.split_once('\n').unwrap_or((rest, ""));
            let names = line
                .split(';')
                .map(|n| n.trim().to_string())
                .filter(|n| !n.is_empty());
            (names.collect(), body)
        }
        None => (Vec::new(), text),
    };
    let paragraphs = body
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_string)
        .collect();
    (declared, paragraphs)
}

/// `2: Amazon, Amazon/AWS` → (2, "Amazon, Amazon/AWS").
fn parse_expected(text: &str) -> Vec<(usize, String)> {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let (number, tags) = line.split_once(':').expect("`number: tags` line");
            (
                number.trim().parse().expect("paragraph number"),
                tags.trim().to_string(),
            )
        })
        .collect()
}

fn check_article(tagger: &Tagger, path: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).expect("readable fixture");
    let expected_path = path.with_extension("expected");
    let expected =
        std::fs::read_to_string(&expected_path).expect("an .expected file beside the fixture");
    let (declared, paragraphs) = parse_article(&text);
    let expected = parse_expected(&expected);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    assert_eq!(
        expected.len(),
        paragraphs.len(),
        "{name}: one expected line per paragraph"
    );
    let mut article = tagger.article(&declared);
    let mut failures = Vec::new();
    for ((number, want), paragraph) in expected.iter().zip(&paragraphs) {
        let got: Vec<String> = article
            .tag(paragraph)
            .iter()
            .map(ToString::to_string)
            .collect();
        let got = got.join(", ");
        if &got != want {
            failures.push(format!(
                "{name} ¶{number}: expected [{want}], got [{got}]\n    {paragraph}"
            ));
        }
    }
    failures
}

#[test]
fn fixture_articles_match_their_expected_tags() {
    let dir = fixture_dir();
    let gazetteer = Gazetteer::load(&dir.join("gazetteer.toml")).expect("fixture gazetteer parses");
    let tagger = Tagger::new(gazetteer);
    let mut articles: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("fixture folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    articles.sort();
    assert!(articles.len() >= 4, "golden articles are missing");
    let failures: Vec<String> = articles
        .iter()
        .flat_map(|a| check_article(&tagger, a))
        .collect();
    assert!(
        failures.is_empty(),
        "{} paragraph(s) differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn builtin_gazetteer_is_usable() {
    let gazetteer = Gazetteer::builtin();
    assert_eq!(gazetteer.fingerprint(), Gazetteer::builtin().fingerprint());
    let tagger = Tagger::new(gazetteer);
    assert!(tagger.article(&[]).tag("an apple a day").is_empty());
}
