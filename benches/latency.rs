//! Search latency (issue 6): per-query wall time of top-10 searches over an index of the
//! Gutenberg sample (about 0.9 M passages), in process, without and with company facet counts.
//!
//! The index is `$GRAF_BENCH_INDEX` when set; otherwise `<target dir>/bench-index`, built once
//! through the library (as `graf ingest --threads 2` does) from
//! `../shared/data/gutenberg/sample.jsonl.gz` (data folder overridable with `GRAF_DATA_DIR`)
//! and reused by later runs. Without either, the bench says so and exits 0.
//!
//! 1,000 queries (fixed seed) are drawn from passages of the index itself, in five categories
//! of 200: a frequent term, a rare term, 2–4 terms, a quoted two-word phrase, and a frequent
//! term filtered by a company facet the index holds (skipped with a note when it holds none).
//! After 100 warm-up queries, each query is timed through `graf::search::search` on one held
//! searcher (a long-lived process), then the overall figures through `graf::pipeline::search`
//! (what the CLI calls: opens a reader and resolves company names per query). Prints p50, p90,
//! p99 and max in ms per category and overall, against the targets.
//!
//! Run: `cargo bench --bench latency`, or `scripts/bench-latency.sh`, which adds the CLI's
//! cold start.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{bail, Context as _};
use graf::companies::Gazetteer;
use graf::indexer::GrafIndex;
use graf::model::CompanyPath;
use graf::search::{self, SearchRequest};
use tantivy::schema::Value;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DocAddress, Searcher, TantivyDocument, Term};

const SEED: u64 = 0x5eed_2025;
const WARM_UP_SEED: u64 = 0x0ddb_a115;
const QUERIES: usize = 1_000;
const WARM_UP: usize = 100;
/// A frequent term is in at least 1 passage in 200; a rare one in at most 20 passages.
const FREQUENT_SHARE: u64 = 200;
const RARE_MAX_DF: u64 = 20;
/// Passages drawn before giving up on finding a term of a kind.
const MAX_DRAWS: usize = 20_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Category {
    Frequent,
    Rare,
    MultiTerm,
    Phrase,
    Company,
}

impl Category {
    fn label(self) -> &'static str {
        match self {
            Category::Frequent => "frequent term",
            Category::Rare => "rare term",
            Category::MultiTerm => "2-4 terms",
            Category::Phrase => "2-word phrase",
            Category::Company => "term + company",
        }
    }
}

struct BenchQuery {
    category: Category,
    text: String,
    company: Option<CompanyPath>,
}

impl BenchQuery {
    fn request(&self, facets: bool) -> SearchRequest {
        SearchRequest {
            query: self.text.clone(),
            companies: self.company.iter().cloned().collect(),
            facets,
            ranking: ranking(),
            ..SearchRequest::default()
        }
    }
}

/// The default ranking, or with `GRAF_BENCH_ARTICLE_WEIGHT` another article weight (0 to
/// measure what article evidence costs).
fn ranking() -> search::Ranking {
    let mut ranking = search::Ranking::default();
    if let Some(weight) = std::env::var("GRAF_BENCH_ARTICLE_WEIGHT")
        .ok()
        .and_then(|text| text.parse().ok())
    {
        ranking.article_weight = weight;
    }
    ranking
}

fn main() -> anyhow::Result<()> {
    let Some(graf) = bench_index()? else {
        return Ok(());
    };
    let searcher = graf.reader()?.searcher();
    if searcher.num_docs() == 0 {
        bail!("the bench index is empty: nothing to sample queries from");
    }
    let companies = graf::indexer::company_paths(&searcher, &graf.fields())?;
    println!(
        "index: {} passages in {} segments, {:.0} MB, {} company paths",
        searcher.num_docs(),
        searcher.segment_readers().len(),
        graf.dir()
            .map_or(0.0, |dir| common::megabytes(common::dir_size(dir))),
        companies.len()
    );
    if companies.is_empty() {
        println!("note: the index holds no company facets: the company-filter category is skipped");
    }
    let mut sampler = Sampler::new(&graf, &searcher, companies, SEED)?;
    let queries = sampler.queries(QUERIES)?;
    sampler.rng = Rng(WARM_UP_SEED);
    let warm_up = sampler.queries(WARM_UP)?;
    print_examples(&queries);
    for facets in [false, true] {
        time_searches(&graf, &searcher, &warm_up, facets)?;
        let timings = time_searches(&graf, &searcher, &queries, facets)?;
        print_table(&format!("search::search, facets: {facets}"), &timings);
        check_targets(&timings, facets);
    }
    time_pipeline(&graf, &queries)?;
    if let Some(remote) = std::env::var_os("GRAF_BENCH_REMOTE") {
        time_remote(&remote.to_string_lossy(), &warm_up, &queries)?;
    }
    if let Some(rss) = common::peak_rss_bytes() {
        println!(
            "\npeak RSS of the bench process: {:.0} MB",
            common::megabytes(rss)
        );
    }
    Ok(())
}

/// Opens the index to measure, building it first when needed; `None` (after a message) when
/// there is neither an index nor the data to build one.
fn bench_index() -> anyhow::Result<Option<GrafIndex>> {
    if let Some(dir) = std::env::var_os("GRAF_BENCH_INDEX") {
        let dir = PathBuf::from(dir);
        let graf =
            GrafIndex::open(&dir).with_context(|| format!("GRAF_BENCH_INDEX={}", dir.display()))?;
        return Ok(Some(graf));
    }
    let dir = target_dir().join("bench-index");
    let complete = dir.with_extension("complete");
    if complete.is_file() {
        return Ok(Some(GrafIndex::open(&dir)?));
    }
    let input = common::gutenberg_sample();
    if !input.is_file() {
        eprintln!(
            "latency bench skipped: no GRAF_BENCH_INDEX and {} not found (set GRAF_DATA_DIR)",
            input.display()
        );
        return Ok(None);
    }
    Ok(Some(build_index(&dir, &input, &complete)?))
}

/// cargo's target directory: `$CARGO_TARGET_DIR` or `target/` in the crate root.
fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"))
}

/// Ingests the sample into `dir` (resuming an interrupted build), then writes the `complete`
/// marker that later runs reuse the index on.
fn build_index(dir: &Path, input: &Path, complete: &Path) -> anyhow::Result<GrafIndex> {
    eprintln!("building {} from {} ...", dir.display(), input.display());
    let graf = GrafIndex::open_or_create(dir)?;
    let report = common::ingest_with_graf(&graf, input)?;
    eprintln!(
        "built: {} passages in {:.0} s",
        report.passages,
        report.elapsed.as_secs_f64()
    );
    std::fs::write(complete, "")?;
    Ok(graf)
}

/// SplitMix64: a tiny seeded generator, so the queries are the same on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, bound: usize) -> usize {
        (self.next() % bound.max(1) as u64) as usize
    }
}

/// A word of a passage as written, with its analyzed position and document frequency.
struct Word {
    surface: String,
    position: usize,
    doc_freq: u64,
}

/// Draws queries from random passages of the index.
struct Sampler<'a> {
    searcher: &'a Searcher,
    text_field: tantivy::schema::Field,
    analyzer: TextAnalyzer,
    companies: Vec<CompanyPath>,
    rng: Rng,
}

impl<'a> Sampler<'a> {
    fn new(
        graf: &GrafIndex,
        searcher: &'a Searcher,
        companies: Vec<CompanyPath>,
        seed: u64,
    ) -> anyhow::Result<Self> {
        let text_field = graf.fields().text;
        Ok(Sampler {
            searcher,
            text_field,
            analyzer: graf.index().tokenizer_for_field(text_field)?,
            companies,
            rng: Rng(seed),
        })
    }

    fn categories(&self) -> Vec<Category> {
        let mut categories = vec![
            Category::Frequent,
            Category::Rare,
            Category::MultiTerm,
            Category::Phrase,
        ];
        if !self.companies.is_empty() {
            categories.push(Category::Company);
        }
        categories
    }

    /// `count` queries, the categories taking turns.
    fn queries(&mut self, count: usize) -> anyhow::Result<Vec<BenchQuery>> {
        let categories = self.categories();
        (0..count)
            .map(|i| self.query(categories[i % categories.len()]))
            .collect()
    }

    fn query(&mut self, category: Category) -> anyhow::Result<BenchQuery> {
        let frequent = (self.searcher.num_docs() / FREQUENT_SHARE).max(1);
        let text = match category {
            Category::Frequent | Category::Company => {
                self.draw(|rng, words| pick(rng, words.iter().filter(|w| w.doc_freq >= frequent)))?
            }
            Category::Rare => self
                .draw(|rng, words| pick(rng, words.iter().filter(|w| w.doc_freq <= RARE_MAX_DF)))?,
            Category::MultiTerm => self.draw(terms)?,
            Category::Phrase => self.draw(phrase)?,
        };
        let company = (category == Category::Company)
            .then(|| self.companies[self.rng.below(self.companies.len())].clone());
        Ok(BenchQuery {
            category,
            text,
            company,
        })
    }

    /// Draws passages until `choose` finds a query in the words of one.
    fn draw(
        &mut self,
        choose: impl Fn(&mut Rng, &[Word]) -> Option<String>,
    ) -> anyhow::Result<String> {
        for _ in 0..MAX_DRAWS {
            let words = self.random_passage_words()?;
            if let Some(query) = choose(&mut self.rng, &words) {
                return Ok(query);
            }
        }
        bail!("no query of this kind found in {MAX_DRAWS} passages")
    }

    /// The searchable words (letters only, 3+ characters) of a random live passage.
    fn random_passage_words(&mut self) -> anyhow::Result<Vec<Word>> {
        let address = self.random_address();
        let doc: TantivyDocument = self.searcher.doc(address)?;
        let text = doc
            .get_first(self.text_field)
            .and_then(|v| v.as_str())
            .unwrap_or_default()
            .to_string();
        let mut tokens = Vec::new();
        self.analyzer
            .token_stream(&text)
            .process(&mut |token| tokens.push(token.clone()));
        let mut words = Vec::new();
        for token in tokens {
            let surface = &text[token.offset_from..token.offset_to];
            if surface.len() < 3 || !surface.chars().all(char::is_alphabetic) {
                continue;
            }
            let term = Term::from_field_text(self.text_field, &token.text);
            words.push(Word {
                surface: surface.to_lowercase(),
                position: token.position,
                doc_freq: self.searcher.doc_freq(&term)?,
            });
        }
        Ok(words)
    }

    fn random_address(&mut self) -> DocAddress {
        let readers = self.searcher.segment_readers();
        let total: u64 = readers.iter().map(|r| u64::from(r.max_doc())).sum();
        loop {
            let mut target = self.rng.next() % total.max(1);
            for (ordinal, reader) in readers.iter().enumerate() {
                let size = u64::from(reader.max_doc());
                if target < size {
                    if !reader.is_deleted(target as u32) {
                        return DocAddress::new(ordinal as u32, target as u32);
                    }
                    break;
                }
                target -= size;
            }
        }
    }
}

fn pick<'w>(rng: &mut Rng, words: impl Iterator<Item = &'w Word>) -> Option<String> {
    let candidates: Vec<&Word> = words.collect();
    (!candidates.is_empty()).then(|| candidates[rng.below(candidates.len())].surface.clone())
}

/// 2–4 distinct words of one passage.
fn terms(rng: &mut Rng, words: &[Word]) -> Option<String> {
    let wanted = 2 + rng.below(3);
    let mut chosen: Vec<&str> = Vec::new();
    for _ in 0..words.len() * 2 {
        let word = words[rng.below(words.len())].surface.as_str();
        if !chosen.contains(&word) {
            chosen.push(word);
        }
        if chosen.len() == wanted {
            return Some(chosen.join(" "));
        }
    }
    None
}

/// Two words that stand next to each other in a passage, in quotes.
fn phrase(rng: &mut Rng, words: &[Word]) -> Option<String> {
    let pairs: Vec<(&Word, &Word)> = words
        .windows(2)
        .map(|pair| (&pair[0], &pair[1]))
        .filter(|(first, second)| second.position == first.position + 1)
        .collect();
    let (first, second) = *pairs.get(rng.below(pairs.len()))?;
    Some(format!("\"{} {}\"", first.surface, second.surface))
}

fn print_examples(queries: &[BenchQuery]) {
    println!("\nexample queries:");
    let mut shown = BTreeMap::new();
    for query in queries {
        let count: &mut usize = shown.entry(query.category).or_default();
        if *count < 2 {
            *count += 1;
            let filter = query.company.as_ref().map(|c| format!("  [company {c}]"));
            println!(
                "  {:<15} {}{}",
                query.category.label(),
                query.text,
                filter.unwrap_or_default()
            );
        }
    }
}

/// Wall time of each query, by category, through `search::search` on one searcher.
fn time_searches(
    graf: &GrafIndex,
    searcher: &Searcher,
    queries: &[BenchQuery],
    facets: bool,
) -> anyhow::Result<BTreeMap<Category, Vec<Duration>>> {
    let mut timings: BTreeMap<Category, Vec<Duration>> = BTreeMap::new();
    for query in queries {
        let request = query.request(facets);
        let started = Instant::now();
        let results = search::search(graf, searcher, &request)?;
        let elapsed = started.elapsed();
        std::hint::black_box(results);
        timings.entry(query.category).or_default().push(elapsed);
    }
    Ok(timings)
}

/// Overall figures through `pipeline::search`, which opens a reader per query as the CLI does
/// and resolves company names through the gazetteer.
fn time_pipeline(graf: &GrafIndex, queries: &[BenchQuery]) -> anyhow::Result<()> {
    let gazetteer = Gazetteer::builtin();
    println!();
    for facets in [false, true] {
        let mut all = Vec::with_capacity(queries.len());
        for query in queries {
            let names: Vec<String> = query.company.iter().map(|c| c.to_string()).collect();
            let request = SearchRequest {
                companies: Vec::new(),
                ..query.request(facets)
            };
            let started = Instant::now();
            let results = graf::pipeline::search(graf, &gazetteer, &names, request)?;
            all.push(started.elapsed());
            std::hint::black_box(results);
        }
        println!(
            "pipeline::search, facets: {facets:<5}  {}",
            Stats::of(&mut all).row()
        );
    }
    Ok(())
}

/// The same queries against an OpenSearch index that `graf push` filled from this index
/// (`GRAF_BENCH_REMOTE=http://HOST:PORT/NAME`, see scripts/bench-push.sh): one client, one
/// query at a time, as `graf search --remote` sends them (translation, HTTP, parsing).
fn time_remote(remote: &str, warm_up: &[BenchQuery], queries: &[BenchQuery]) -> anyhow::Result<()> {
    let target = graf::remote::Target::parse(remote, true)?;
    let client = graf::remote::Client::new(&target)?;
    let gazetteer = Gazetteer::builtin();
    for facets in [false, true] {
        time_remote_queries(&client, &target.index, &gazetteer, warm_up, facets)?;
        let timings = time_remote_queries(&client, &target.index, &gazetteer, queries, facets)?;
        print_table(
            &format!("remote search ({remote}), facets: {facets}"),
            &timings,
        );
    }
    Ok(())
}

fn time_remote_queries(
    client: &graf::remote::Client,
    index: &str,
    gazetteer: &Gazetteer,
    queries: &[BenchQuery],
    facets: bool,
) -> anyhow::Result<BTreeMap<Category, Vec<Duration>>> {
    let mut timings: BTreeMap<Category, Vec<Duration>> = BTreeMap::new();
    for query in queries {
        let started = Instant::now();
        let results =
            graf::remote::search::search(client, index, gazetteer, &[], query.request(facets))?;
        timings
            .entry(query.category)
            .or_default()
            .push(started.elapsed());
        std::hint::black_box(results);
    }
    Ok(timings)
}

/// Latency percentiles of one set of queries.
struct Stats {
    count: usize,
    p50: Duration,
    p90: Duration,
    p99: Duration,
    max: Duration,
}

impl Stats {
    fn of(timings: &mut [Duration]) -> Stats {
        timings.sort_unstable();
        Stats {
            count: timings.len(),
            p50: percentile(timings, 0.50),
            p90: percentile(timings, 0.90),
            p99: percentile(timings, 0.99),
            max: timings.last().copied().unwrap_or_default(),
        }
    }

    fn row(&self) -> String {
        let ms = |d: Duration| d.as_secs_f64() * 1e3;
        format!(
            "n={:<5} p50 {:>7.3}  p90 {:>7.3}  p99 {:>7.3}  max {:>7.3} ms",
            self.count,
            ms(self.p50),
            ms(self.p90),
            ms(self.p99),
            ms(self.max)
        )
    }
}

/// Nearest-rank percentile of sorted timings.
fn percentile(sorted: &[Duration], share: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = (share * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn overall(timings: &BTreeMap<Category, Vec<Duration>>) -> Stats {
    let mut all: Vec<Duration> = timings.values().flatten().copied().collect();
    Stats::of(&mut all)
}

fn print_table(title: &str, timings: &BTreeMap<Category, Vec<Duration>>) {
    println!("\n{title}");
    for (category, times) in timings {
        let mut times = times.clone();
        println!("  {:<15} {}", category.label(), Stats::of(&mut times).row());
    }
    println!("  {:<15} {}", "overall", overall(timings).row());
}

fn check_targets(timings: &BTreeMap<Category, Vec<Duration>>, facets: bool) {
    let stats = overall(timings);
    let verdict = |ok: bool| if ok { "met" } else { "MISSED" };
    let ms = |limit: u64| Duration::from_millis(limit);
    if facets {
        println!("  target p99 < 20 ms: {}", verdict(stats.p99 < ms(20)));
    } else {
        println!(
            "  target p50 < 1 ms: {}; target p99 < 5 ms: {}",
            verdict(stats.p50 < ms(1)),
            verdict(stats.p99 < ms(5))
        );
    }
}
