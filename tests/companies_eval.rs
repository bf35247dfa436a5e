//! Precision/recall of company tagging on the labelled evaluation set in
//! `tests/fixtures/companies-eval/*.json`, scored over (paragraph, company path) pairs.
//! Run with `cargo test --test companies_eval -- --nocapture` to see the numbers and every
//! false positive and false negative.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use graf::companies::{Gazetteer, Tagger};
use graf::model::CompanyPath;
use serde::Deserialize;

const MIN_PRECISION: f64 = 0.95;
const MIN_RECALL: f64 = 0.90;

#[derive(Deserialize)]
struct EvalArticle {
    id: String,
    title: String,
    #[serde(default)]
    companies: Vec<String>,
    paragraphs: Vec<EvalParagraph>,
}

#[derive(Deserialize)]
struct EvalParagraph {
    text: String,
    companies: Vec<String>,
}

/// Tallies over every scored pair, with the misses kept for the report.
#[derive(Default)]
struct Score {
    true_positives: usize,
    false_positives: Vec<String>,
    false_negatives: Vec<String>,
}

impl Score {
    fn precision(&self) -> f64 {
        ratio(
            self.true_positives,
            self.true_positives + self.false_positives.len(),
        )
    }

    fn recall(&self) -> f64 {
        ratio(
            self.true_positives,
            self.true_positives + self.false_negatives.len(),
        )
    }
}

fn ratio(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        1.0
    } else {
        part as f64 / whole as f64
    }
}

fn eval_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/companies-eval")
}

fn load_articles(dir: &Path) -> Vec<(String, EvalArticle)> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("readable eval folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).expect("readable eval file");
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let article = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
            (name, article)
        })
        .collect()
}

/// Gold labels are names; they mean what the gazetteer says, else an unknown firm as written.
fn gold_paths(gazetteer: &Gazetteer, labels: &[String]) -> BTreeSet<CompanyPath> {
    labels
        .iter()
        .map(|label| {
            gazetteer
                .resolve(label)
                .unwrap_or_else(|| CompanyPath::new([label.as_str()]))
        })
        .collect()
}

fn score_article(tagger: &Tagger, name: &str, article: &EvalArticle, score: &mut Score) {
    let whole: Vec<&str> = std::iter::once(article.title.as_str())
        .chain(article.paragraphs.iter().map(|p| p.text.as_str()))
        .collect();
    let mut tagging = tagger
        .article(&article.companies)
        .reading(&whole.join("\n\n"));
    tagging.tag(&article.title);
    for (number, paragraph) in article.paragraphs.iter().enumerate() {
        let found: BTreeSet<CompanyPath> = tagging.tag(&paragraph.text).into_iter().collect();
        let gold = gold_paths(tagger.gazetteer(), &paragraph.companies);
        let place = |path: &CompanyPath| {
            let excerpt: String = paragraph.text.chars().take(110).collect();
            format!(
                "{name} ({}) ¶{}: {path}   | {excerpt}",
                article.id,
                number + 1
            )
        };
        score.true_positives += found.intersection(&gold).count();
        score
            .false_positives
            .extend(found.difference(&gold).map(place));
        score
            .false_negatives
            .extend(gold.difference(&found).map(place));
    }
}

#[test]
fn tagging_meets_precision_and_recall_targets() {
    let dir = eval_dir();
    if !dir.is_dir() {
        eprintln!("skipping: no evaluation set at {}", dir.display());
        return;
    }
    let tagger = Tagger::new(Gazetteer::builtin());
    let articles = load_articles(&dir);
    let mut score = Score::default();
    for (name, article) in &articles {
        score_article(&tagger, name, article, &mut score);
    }
    for miss in &score.false_positives {
        println!("false positive: {miss}");
    }
    for miss in &score.false_negatives {
        println!("false negative: {miss}");
    }
    let (precision, recall) = (score.precision(), score.recall());
    println!(
        "{} articles, gazetteer of {} entries: precision {precision:.3}, recall {recall:.3} \
         ({} true positives, {} false positives, {} false negatives)",
        articles.len(),
        tagger.gazetteer().len(),
        score.true_positives,
        score.false_positives.len(),
        score.false_negatives.len()
    );
    assert!(
        precision >= MIN_PRECISION,
        "precision {precision:.3} < {MIN_PRECISION}"
    );
    assert!(recall >= MIN_RECALL, "recall {recall:.3} < {MIN_RECALL}");
}
