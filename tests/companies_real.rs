//! Company tagging measured on real text kept outside the project (`../shared/data/`), so that
//! it stays an honest test of rules that were not written against it:
//!
//! * `bbc_dev_precision_and_recall`: precision and recall on real business and technology news
//!   (`companies/bbc_dev.jsonl`), scored by the rule in that folder's README: body paragraphs
//!   only, names compared case-insensitively without a possessive or legal suffix, the set's
//!   `aliases.json` applied, `uncertain` names ignored, a subsidiary path counted as the
//!   subsidiary.
//! * `gutenberg_correct_tags_survive`: of the tags that a reader judged correct in
//!   `companies/gutenberg_tags_labelled.jsonl` (tags graf gave 19th-century books before the
//!   ambiguity rules), the share graf still gives.
//!
//! Both skip with a message when the data is absent. Run with
//! `cargo test --release --test companies_real -- --nocapture` to see the figures and every
//! miss.

use std::collections::{BTreeSet, HashMap};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

use graf::companies::{Gazetteer, Tagger};
use graf::model::{CompanyPath, TextFormat};
use graf::segment::{segment, SegmentOptions};
use serde::Deserialize;

/// The issue's goal is precision >= 0.95 and recall >= 0.90 ("Company recognition that holds
/// on real news"), reached (recall 0.915 on the development set); the floor is the goal, so that
/// a change that loses recall below it fails.
const MIN_PRECISION: f64 = 0.95;
const MIN_RECALL: f64 = 0.90;
/// Share of the tags judged correct that must survive the ambiguity rules.
const MIN_SURVIVAL: f64 = 0.85;

fn shared_data() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data")
}

#[derive(Deserialize)]
struct BbcArticle {
    id: String,
    paragraphs: Vec<BbcParagraph>,
}

#[derive(Deserialize)]
struct BbcParagraph {
    i: i64,
    text: String,
    #[serde(default)]
    companies: Vec<String>,
    #[serde(default)]
    uncertain: Vec<String>,
}

/// Legal and group words the scoring rule drops from the end of a name.
const DROPPED_SUFFIXES: &[&str] = &[
    "inc",
    "inc.",
    "corp",
    "corp.",
    "corporation",
    "ltd",
    "ltd.",
    "limited",
    "plc",
    "ag",
    "sa",
    "s.a.",
    "group",
    "holdings",
    "holding",
    "co",
    "co.",
    "company",
    "llc",
    "nv",
    "n.v.",
    "se",
    "gmbh",
    "asa",
    "ab",
    "oy",
    "oyj",
    "spa",
    "s.p.a.",
    "bv",
    "b.v.",
    "lp",
    "llp",
    "pty",
    "kk",
];

/// The scoring rule's normal form: lower case, no possessive, no trailing legal suffixes.
fn normal(name: &str) -> String {
    let mut name = name
        .trim()
        .trim_end_matches('.')
        .to_lowercase()
        .replace('’', "'");
    for possessive in ["'s", "'"] {
        if let Some(stripped) = name.strip_suffix(possessive) {
            name = stripped.to_string();
        }
    }
    loop {
        let trimmed = name.trim_end_matches([',', ' ']);
        match trimmed.rsplit_once(' ') {
            Some((head, last)) if DROPPED_SUFFIXES.contains(&last) && !head.trim().is_empty() => {
                name = head.trim_end_matches([',', ' ']).to_string();
            }
            _ => return trimmed.to_string(),
        }
    }
}

/// Normal form of every alias → normal form of its canonical name.
fn load_aliases(path: &Path) -> HashMap<String, String> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|_| "{}".to_string());
    let map: HashMap<String, Vec<String>> = serde_json::from_str(&text).expect("aliases.json");
    let mut aliases = HashMap::new();
    for (canonical, others) in map {
        for other in others {
            aliases.insert(normal(&other), normal(&canonical));
        }
    }
    aliases
}

fn key(name: &str, aliases: &HashMap<String, String>) -> String {
    let n = normal(name);
    aliases.get(&n).cloned().unwrap_or(n)
}

#[derive(Default)]
struct Score {
    tp: usize,
    fp: Vec<String>,
    fn_: Vec<String>,
}

fn ratio(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        1.0
    } else {
        part as f64 / whole as f64
    }
}

fn score_bbc_article(
    tagger: &Tagger,
    article: &BbcArticle,
    aliases: &HashMap<String, String>,
    score: &mut Score,
) {
    let whole: Vec<&str> = article.paragraphs.iter().map(|p| p.text.as_str()).collect();
    let mut tagging = tagger.article(&[]).reading(&whole.join("\n\n"));
    for paragraph in &article.paragraphs {
        let found = tagging.tag(&paragraph.text);
        if paragraph.i < 0 {
            continue;
        }
        let uncertain: BTreeSet<String> = paragraph
            .uncertain
            .iter()
            .map(|n| key(n, aliases))
            .collect();
        let gold: BTreeSet<String> = paragraph
            .companies
            .iter()
            .map(|n| key(n, aliases))
            .filter(|k| !uncertain.contains(k))
            .collect();
        let tagged: BTreeSet<String> = found
            .iter()
            .map(|path: &CompanyPath| key(path.name(), aliases))
            .filter(|k| !uncertain.contains(k))
            .collect();
        let place = |name: &String| {
            let excerpt: String = paragraph.text.chars().take(100).collect();
            format!("{} ¶{}: {name}   | {excerpt}", article.id, paragraph.i)
        };
        score.tp += tagged.intersection(&gold).count();
        score.fp.extend(tagged.difference(&gold).map(place));
        score.fn_.extend(gold.difference(&tagged).map(place));
    }
}

#[test]
fn bbc_dev_precision_and_recall() {
    let dir = shared_data().join("companies");
    let path = dir.join("bbc_dev.jsonl");
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("skipping: no development set at {}", path.display());
        return;
    };
    let aliases = load_aliases(&dir.join("aliases.json"));
    let tagger = Tagger::new(Gazetteer::builtin());
    let mut score = Score::default();
    let mut articles = 0;
    for (number, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let article: BbcArticle = serde_json::from_str(line)
            .unwrap_or_else(|e| panic!("{}:{}: {e}", path.display(), number + 1));
        score_bbc_article(&tagger, &article, &aliases, &mut score);
        articles += 1;
    }
    for miss in &score.fp {
        println!("false positive: {miss}");
    }
    for miss in &score.fn_ {
        println!("false negative: {miss}");
    }
    let precision = ratio(score.tp, score.tp + score.fp.len());
    let recall = ratio(score.tp, score.tp + score.fn_.len());
    println!(
        "bbc_dev: {articles} articles: precision {precision:.3}, recall {recall:.3} \
         (tp {}, fp {}, fn {})",
        score.tp,
        score.fp.len(),
        score.fn_.len()
    );
    assert!(
        precision >= MIN_PRECISION,
        "precision {precision:.3} < {MIN_PRECISION}"
    );
    assert!(recall >= MIN_RECALL, "recall {recall:.3} < {MIN_RECALL}");
}

#[derive(Deserialize)]
struct LabelledTag {
    article_id: String,
    paragraph: usize,
    company: String,
    label: String,
}

#[derive(Deserialize)]
struct GutenbergPart {
    id: String,
    text: String,
}

/// Companies graf gives each passage of a Gutenberg part, tagged the way `graf ingest` does.
fn tag_part(tagger: &Tagger, text: &str) -> Vec<Vec<CompanyPath>> {
    let segmented = segment(text, TextFormat::Plain, &SegmentOptions::default());
    let mut tagging = tagger.article(&segmented.meta.companies).reading(text);
    if let Some(title) = &segmented.title {
        tagging.tag(title);
    }
    segmented
        .passages
        .iter()
        .map(|p| tagging.tag(&p.text))
        .collect()
}

#[test]
fn gutenberg_correct_tags_survive() {
    let data = shared_data();
    let labels_path = data.join("companies/gutenberg_tags_labelled.jsonl");
    let sample_path = data.join("gutenberg/sample.jsonl.gz");
    let (Ok(labels), Ok(sample)) = (
        std::fs::read_to_string(&labels_path),
        std::fs::File::open(&sample_path),
    ) else {
        eprintln!(
            "skipping: no labelled Gutenberg tags or sample under {}",
            data.display()
        );
        return;
    };
    let correct: Vec<LabelledTag> = labels
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("labelled tag"))
        .filter(|t: &LabelledTag| t.label == "yes")
        .collect();
    let wanted: BTreeSet<&str> = correct.iter().map(|t| t.article_id.as_str()).collect();
    let tagger = Tagger::new(Gazetteer::builtin());
    let mut tags: HashMap<String, Vec<Vec<CompanyPath>>> = HashMap::new();
    let reader = BufReader::new(flate2::read::GzDecoder::new(sample));
    for line in reader.lines() {
        let line = line.expect("readable sample");
        let id_field = line.get(..40).unwrap_or(&line);
        if !wanted
            .iter()
            .any(|id| id_field.contains(&format!("\"{id}\"")))
        {
            continue;
        }
        let part: GutenbergPart = serde_json::from_str(&line).expect("sample line");
        if wanted.contains(part.id.as_str()) {
            tags.insert(part.id.clone(), tag_part(&tagger, &part.text));
        }
    }
    let mut survived = 0;
    for tag in &correct {
        let kept = tags
            .get(&tag.article_id)
            .and_then(|passages| passages.get(tag.paragraph))
            .is_some_and(|paths| paths.iter().any(|p| p.name() == tag.company));
        if kept {
            survived += 1;
        } else {
            println!(
                "lost: {} ¶{}: {}",
                tag.article_id, tag.paragraph, tag.company
            );
        }
    }
    let share = ratio(survived, correct.len());
    println!(
        "gutenberg: {survived} of {} tags judged correct survive ({share:.3})",
        correct.len()
    );
    assert!(
        share >= MIN_SURVIVAL,
        "survival {share:.3} < {MIN_SURVIVAL}"
    );
}
