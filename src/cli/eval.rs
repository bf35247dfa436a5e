//! `graf eval`: ranking quality on a query set with relevance judgments.

use std::path::PathBuf;

use graf::eval::{self, GainRule};
use graf::indexer::GrafIndex;
use graf::ingest::{FileFormat, ReadOptions};
use graf::pipeline::{self, ScratchIndex};
use graf::render::wire::EvalLine;
use graf::render::{self, Message};
use graf::search::Ranking;

use super::{exit, Global};

/// Run a query set against an index and report nDCG@10, MAP and Recall@100.
///
/// QUERIES is JSON Lines ({"id", "text"}); QRELS is TREC format (qid iter docid rel). Each
/// query is searched as typed (natural-language queries fall back to plain words); passages
/// are ranked, and each article counts once, at the rank of its best passage. Document ids in
/// QRELS are article ids.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Queries, JSON Lines.
    #[arg(value_name = "QUERIES")]
    queries: PathBuf,

    /// Relevance judgments, TREC format.
    #[arg(value_name = "QRELS")]
    qrels: PathBuf,

    /// First index these documents (JSON Lines {"id", "title"?, "text"}) into a fresh index:
    /// a temporary one, or a new (missing or empty) directory typed as --index. Never an
    /// existing index, nor the one GRAF_INDEX names.
    #[arg(long, value_name = "DOCS")]
    ingest: Option<PathBuf>,

    /// Relevance codes run from 1 (best) to MAX, as in Cranfield: gain = MAX + 1 - code;
    /// other codes count as not relevant. Default: the judgment is the gain.
    #[arg(long, value_name = "MAX")]
    inverted_grades: Option<u32>,

    /// Search with query expansion (as `graf search --expand`).
    #[arg(long)]
    expand: bool,

    /// Weight of the article title against the passage text (default: graf's, see README).
    #[arg(long, value_name = "BOOST", value_parser = weight_up_to(100.0))]
    title_boost: Option<f32>,

    /// Share of the article's BM25 in each passage's score, 0 to 1 (default: graf's, see
    /// README); 0 ranks passages by their own score alone. Not used with --expand.
    #[arg(long, value_name = "W", value_parser = weight_up_to(1.0))]
    article_weight: Option<f32>,

    /// Also print each query's figures.
    #[arg(long)]
    per_query: bool,

    /// Print one JSON object.
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args, global: &Global) -> anyhow::Result<u8> {
    let queries = eval::read_queries(&args.queries)?;
    let rule = args
        .inverted_grades
        .map_or(GainRule::Direct, |max| GainRule::Inverted { max });
    let qrels = eval::read_qrels(&args.qrels, rule)?;
    let gazetteer = global.gazetteer()?;
    if args.ingest.is_some() && global.index_typed {
        refuse_occupied(&global.index)?;
    }
    let temporary = (args.ingest.is_some() && !global.index_typed)
        .then(ScratchIndex::new)
        .transpose()?;
    let index_dir = temporary
        .as_ref()
        .map_or(global.index.clone(), |dir| dir.path().to_path_buf());
    if let Some(docs) = &args.ingest {
        ingest_documents(&index_dir, docs, global)?;
    }
    let graf = GrafIndex::open(&index_dir)?;
    let expansion = args.expand.then(Default::default);
    let report = pipeline::evaluate(
        &graf,
        &gazetteer,
        &queries,
        &qrels,
        expansion,
        ranking(&args),
    )?;
    for warning in report.warnings(qrels.len()) {
        eprintln!("graf: warning: {warning}");
    }
    let mut out = super::stdout();
    if args.json {
        let line = EvalLine::new(&report, args.per_query);
        render::json_line(&mut out, &Message::Eval(line))?;
    } else {
        render::reports::eval_report(&mut out, &report, args.per_query)?;
    }
    super::finish(out)?;
    Ok(exit::OK)
}

/// The ranking constants, graf's unless overridden.
fn ranking(args: &Args) -> Ranking {
    let defaults = Ranking::default();
    Ranking {
        title_boost: args.title_boost.unwrap_or(defaults.title_boost),
        article_weight: args.article_weight.unwrap_or(defaults.article_weight),
    }
}

/// A weight from 0 to `max`.
pub(super) fn weight_up_to(max: f32) -> impl Fn(&str) -> Result<f32, String> + Clone {
    move |text| match text.parse::<f32>() {
        Ok(value) if (0.0..=max).contains(&value) => Ok(value),
        _ => Err(format!("give a number from 0 to {max}")),
    }
}

/// Evaluation never replaces an index: `--ingest` fills only a directory made for it.
fn refuse_occupied(dir: &std::path::Path) -> anyhow::Result<()> {
    let occupied = std::fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_some());
    if occupied {
        anyhow::bail!(
            "{} is not empty: `graf eval --ingest` indexes the collection into a new directory \
             (name one that does not exist) or, without --index, into a temporary index",
            dir.display()
        );
    }
    Ok(())
}

fn ingest_documents(
    index: &std::path::Path,
    docs: &std::path::Path,
    global: &Global,
) -> anyhow::Result<()> {
    let read = ReadOptions {
        format: Some(FileFormat::JsonLines),
        ..ReadOptions::default()
    };
    let graf = GrafIndex::open_or_create(index)?;
    let report = pipeline::ingest_into(&graf, vec![docs.to_path_buf()], read, &global.tagger()?)?;
    eprintln!(
        "graf: indexed {} documents, {} passages",
        report.added, report.passages
    );
    Ok(())
}
