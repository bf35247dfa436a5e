//! `graf search`: ranked passages for a query, with filters, facets and three output formats.

use std::io::IsTerminal;

use anyhow::bail;
use clap::ValueEnum;
use graf::dates::parse_date;
use graf::indexer::GrafIndex;
use graf::render::{self, Look};
use graf::search::{SearchRequest, SortBy};
use time::OffsetDateTime;

use super::{exit, usage, Global};

const QUERY_HELP: &str = "\
Query language:
  chips cloud             passages with either word, best matches first (BM25, English stemming)
  \"custom chips\"          a phrase; \"custom chips\"~2 allows two words in between
  chips AND amazon        both (also: +chips +amazon); OR for either; NOT or -word to exclude
  title:earnings          a word in the article title; also section: and context: (list lead-in)
  company:aws             only passages tagged with a company (like --company; aliases work)
  train*                  a prefix
A query that does not parse (a stray quote, a colon, an all-caps headline with AND/OR/NOT) is
searched as plain words, with a note on stderr; --strict makes it an error instead. A word typed
twice counts twice; stop words (the, of, ...) are not indexed, so they alone match nothing.

Examples:
  graf search chips --company Amazon
  graf search '\"custom chips\" -nvidia' --facets
  graf search --company AWS --since 2025-01-01          (no words: newest passages first)
  graf search trainium --json | jq .path";

/// Search the indexed passages.
#[derive(Debug, clap::Args)]
#[command(after_help = QUERY_HELP)]
pub struct Args {
    /// The query (several words are joined with spaces). May be empty when a filter is given.
    #[arg(value_name = "QUERY")]
    query: Vec<String>,

    /// Only passages that mention this company (name, alias or ticker; repeatable: all must
    /// match). Subsidiaries count: Amazon includes AWS.
    #[arg(long = "company", value_name = "NAME")]
    companies: Vec<String>,

    /// With several --company: passages mentioning any of them instead of all.
    #[arg(long)]
    any_company: bool,

    /// Only passages from articles of this source (repeatable: any of them).
    #[arg(long = "source", value_name = "SOURCE")]
    sources: Vec<String>,

    /// Only articles dated on or after this day (YYYY-MM-DD).
    #[arg(long, value_name = "DATE", value_parser = parse_day)]
    since: Option<OffsetDateTime>,

    /// Only articles dated on or before this day (YYYY-MM-DD).
    #[arg(long, value_name = "DATE", value_parser = parse_day)]
    until: Option<OffsetDateTime>,

    /// Only passages of this article (its id, as shown in results).
    #[arg(long, value_name = "ID")]
    article: Option<String>,

    /// Number of passages to show.
    #[arg(short = 'n', long, default_value_t = 10, value_name = "N")]
    limit: usize,

    /// Skip this many passages first (paging).
    #[arg(long, default_value_t = 0, value_name = "N")]
    offset: usize,

    /// At most N passages per article.
    #[arg(long, value_name = "N")]
    per_article: Option<usize>,

    /// Show N neighbouring passages of the same article before and after each hit.
    #[arg(short = 'C', long, default_value_t = 0, value_name = "N")]
    context: usize,

    /// Order by relevance or by article date (newest first).
    #[arg(long, value_enum, default_value_t = Sort::Score)]
    sort: Sort,

    /// After the hits, count the matching passages per company (all matches, not one page).
    #[arg(long)]
    facets: bool,

    /// Print each hit's score breakdown.
    #[arg(long)]
    explain: bool,

    /// Output format [default: human].
    #[arg(long, value_enum)]
    format: Option<Format>,

    /// Shorthand for --format json: JSON Lines, one hit per line, then a summary object.
    #[arg(long)]
    json: bool,

    /// A query that does not parse is an error instead of a bag of words.
    #[arg(long)]
    strict: bool,

    /// Expand the query with words from its best passages (pseudo-relevance feedback, RM3):
    /// helps long, vague questions; costs a second search.
    #[arg(long)]
    expand: bool,

    /// Share of the article's own BM25 in each passage's score, 0 to 1 (default: graf's, see
    /// README); 0 ranks passages by their own text alone, as `--remote` does.
    #[arg(long, value_name = "W", value_parser = super::eval::weight_up_to(1.0))]
    article_weight: Option<f32>,

    /// Search an OpenSearch index filled by `graf push` instead of the local index:
    /// http://HOST:PORT/NAME (NAME defaults to graf).
    #[arg(long, value_name = "URL/NAME")]
    remote: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Sort {
    Score,
    Date,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Format {
    Human,
    Json,
    Tsv,
}

fn parse_day(text: &str) -> Result<OffsetDateTime, String> {
    parse_date(text).ok_or_else(|| format!("{text:?} is not a date: write YYYY-MM-DD"))
}

pub fn run(args: Args, global: &Global) -> anyhow::Result<u8> {
    if args.limit == 0 {
        bail!(graf::Error::Query {
            message: "--limit must be at least 1".into(),
            hint: None
        });
    }
    let format = check(&args)?;
    let gazetteer = global.gazetteer()?;
    let request = request(&args);
    let results = if let Some(url) = &args.remote {
        let target = graf::remote::Target::parse(url, true)?;
        let client = graf::remote::Client::new(&target)?;
        graf::remote::search::search(&client, &target.index, &gazetteer, &args.companies, request)?
    } else {
        index_sample_corpus_on_first_use(global)?;
        let graf = GrafIndex::open(&global.index)?;
        graf::health::guard(&global.index, || {
            graf::pipeline::search(&graf, &gazetteer, &args.companies, request)
        })?
    };
    for note in &results.notes {
        eprintln!("graf: note: {}", render::errors::note(note));
    }
    let mut out = super::stdout();
    match format {
        Format::Human => render::human_results(&mut out, &results, look(global))?,
        Format::Json => render::json_results(&mut out, &results)?,
        Format::Tsv => render::tsv_results(&mut out, &results)?,
    }
    super::finish(out)?;
    Ok(exit::OK)
}

/// The output format, after refusing what would be silently ignored: `--json` with another
/// `--format`, options TSV has no column for, and filters that can only give an empty page.
fn check(args: &Args) -> anyhow::Result<Format> {
    let format = match (args.json, args.format) {
        (true, Some(format)) if format != Format::Json => {
            return usage(format!(
                "--json and --format {} contradict each other: give one",
                format.name()
            ));
        }
        (true, _) => Format::Json,
        (false, format) => format.unwrap_or(Format::Human),
    };
    if format == Format::Tsv {
        let unsupported = [
            (args.explain, "--explain"),
            (args.facets, "--facets"),
            (args.context > 0, "--context"),
        ];
        if let Some((_, option)) = unsupported.iter().find(|(given, _)| *given) {
            return usage(format!(
                "{option} has no column in TSV output: use --format json or the default output"
            ));
        }
    }
    if args.per_article == Some(0) {
        return usage("--per-article must be at least 1");
    }
    if let (Some(since), Some(until)) = (args.since, args.until) {
        if since > until {
            return usage(format!(
                "--since {} is after --until {}: no day can match",
                graf::dates::format_day(since),
                graf::dates::format_day(until)
            ));
        }
    }
    Ok(format)
}

impl Format {
    fn name(self) -> &'static str {
        match self {
            Format::Human => "human",
            Format::Json => "json",
            Format::Tsv => "tsv",
        }
    }
}

/// The folder of sample articles a fresh clone ships with.
const SAMPLE_CORPUS: &str = "corpus";

/// A first search in a fresh clone finds the default index empty: index ./corpus first, so
/// that the README's first command shows results. Only for the default index, never for one
/// the user named (a missing named index is an error that says how to create it).
pub(super) fn index_sample_corpus_on_first_use(global: &Global) -> anyhow::Result<()> {
    let corpus = std::path::Path::new(SAMPLE_CORPUS);
    if global.index_given || global.index.join("meta.json").exists() || !corpus.is_dir() {
        return Ok(());
    }
    eprintln!(
        "graf: note: the default index ./{} is empty: indexing ./{SAMPLE_CORPUS} first (once)",
        global.index.display()
    );
    let graf = GrafIndex::open_or_create(&global.index)?;
    let report = graf::pipeline::ingest_into(
        &graf,
        vec![corpus.to_path_buf()],
        Default::default(),
        &global.tagger()?,
    )?;
    eprintln!(
        "graf: note: indexed {} articles, {} passages",
        report.added, report.passages
    );
    Ok(())
}

fn request(args: &Args) -> SearchRequest {
    SearchRequest {
        query: args.query.join(" "),
        companies: Vec::new(),
        any_company: args.any_company,
        sources: args.sources.clone(),
        since: args.since,
        until: args.until,
        article: args.article.clone(),
        limit: args.limit,
        offset: args.offset,
        per_article: args.per_article,
        context: args.context,
        sort: match args.sort {
            Sort::Score => SortBy::Score,
            Sort::Date => SortBy::Date,
        },
        facets: args.facets,
        explain: args.explain,
        strict: args.strict,
        expand: args.expand.then(Default::default),
        ranking: graf::search::Ranking {
            article_weight: args
                .article_weight
                .unwrap_or(graf::search::Ranking::default().article_weight),
            ..Default::default()
        },
    }
}

/// Colour as decided globally; wrapping only on a terminal, to its width.
fn look(global: &Global) -> Look {
    let width = std::io::stdout()
        .is_terminal()
        .then(|| terminal_size::terminal_size().map(|(w, _)| usize::from(w.0)))
        .flatten()
        .map(|w| w.min(120));
    Look {
        color: global.color,
        width,
    }
}
