//! The human form of what the other commands print: the ingest and push summaries, the
//! evaluation figures, the company tree and list, index statistics and health. Each writes to
//! `&mut impl Write`; their JSON forms are the [`Message`](super::Message)s of [`super::wire`].

use std::io::{self, Write};
use std::path::Path;

use crate::eval::Report;
use crate::health::Health;
use crate::maintenance::IndexStats;
use crate::model::{CompanyCount, UnknownCompany};
use crate::pipeline::IngestReport;
use crate::remote::push::PushReport;
use crate::remote::search::RemoteStats;

/// The one-line summary of an ingest run; `rebuild` says what an interruption left.
pub fn ingest_summary(
    out: &mut impl Write,
    report: &IngestReport,
    rebuild: bool,
) -> io::Result<()> {
    let seconds = report.elapsed.as_secs_f64();
    // Content bytes (decompressed for gzip): the amount of text graf worked through.
    let megabytes = report.text_bytes as f64 / 1e6;
    let mut line = format!(
        "{} articles: {} added, {} updated, {} unchanged, {} failed, {} empty",
        report.added + report.updated + report.unchanged,
        report.added,
        report.updated,
        report.unchanged,
        report.failed,
        report.empty,
    );
    if report.pruned > 0 {
        line.push_str(&format!(", {} pruned", report.pruned));
    }
    if report.duplicates > 0 {
        line.push_str(&format!(", {} duplicate ids skipped", report.duplicates));
    }
    if report.collisions > 0 {
        line.push_str(&format!(
            ", {} id collisions (indexed article kept)",
            report.collisions
        ));
    }
    line.push_str(&format!(
        "; {} passages; {:.1} MB in {:.1} s ({:.1} MB/s)",
        report.passages,
        megabytes,
        seconds,
        megabytes / seconds.max(1e-9)
    ));
    if report.interrupted && rebuild {
        line.push_str(
            "; interrupted: the index is as it was before the rebuild; the same --rebuild resumes it",
        );
    } else if report.interrupted {
        line.push_str("; interrupted: what was read is committed, run again to resume");
    }
    writeln!(out, "{line}")
}

/// The one-line summary of a push to `target`.
pub fn push_summary(out: &mut impl Write, target: &str, r: &PushReport) -> io::Result<()> {
    let rate = if r.seconds > 0.0 {
        r.passages as f64 / r.seconds
    } else {
        0.0
    };
    write!(
        out,
        "{target}: {} articles: {} added, {} updated, {} unchanged, {} deleted; {} passages, {:.1} MB in {:.1} s ({:.0} passages/s); {} requests, {} retried",
        r.articles,
        r.added,
        r.updated,
        r.unchanged,
        r.deleted,
        r.passages,
        r.bytes as f64 / 1e6,
        r.seconds,
        rate,
        r.requests,
        r.retries,
    )?;
    if r.failed > 0 {
        write!(out, "; {} passages refused", r.failed)?;
    }
    writeln!(out)
}

/// The mean figures of an evaluation, after each query's as TSV with `per_query`.
pub fn eval_report(out: &mut impl Write, report: &Report, per_query: bool) -> io::Result<()> {
    if per_query {
        writeln!(out, "query\tnDCG@10\tAP\tRecall@100")?;
        for (id, m) in &report.per_query {
            writeln!(
                out,
                "{id}\t{:.4}\t{:.4}\t{:.4}",
                m.ndcg_at_10, m.map, m.recall_at_100
            )?;
        }
    }
    writeln!(
        out,
        "nDCG@10 {:.4}  MAP {:.4}  Recall@100 {:.4}  ({} queries; {} without relevant judgments skipped)",
        report.mean.ndcg_at_10, report.mean.map, report.mean.recall_at_100, report.queries, report.skipped_unjudged
    )
}

/// The company tree with a header, passages and articles right-aligned before each name.
pub fn company_tree(out: &mut impl Write, list: &[CompanyCount]) -> io::Result<()> {
    if list.is_empty() {
        return writeln!(out, "no companies in this index");
    }
    writeln!(out, "passages  articles  company")?;
    super::walk(out, list, 0, &|node: &CompanyCount, depth| {
        format!(
            "{:>8}  {:>8}  {}{}",
            node.passages,
            node.articles,
            "  ".repeat(depth),
            node.name
        )
    })
}

/// The companies no list names, each with its counts and, below, an example passage.
pub fn unknown_companies(out: &mut impl Write, list: &[UnknownCompany]) -> io::Result<()> {
    if list.is_empty() {
        return writeln!(
            out,
            "no companies found from the text alone: every company of this index is in a list"
        );
    }
    writeln!(out, "passages  articles  company (in no list), example")?;
    for company in list {
        writeln!(
            out,
            "{:>8}  {:>8}  {}",
            company.passages, company.articles, company.name
        )?;
        let example = &company.example;
        writeln!(
            out,
            "{:20}{}:{}  {}",
            "", example.path, example.line, example.excerpt
        )?;
    }
    Ok(())
}

/// Index statistics as a two-column table.
pub fn stats_table(out: &mut impl Write, stats: &IndexStats) -> io::Result<()> {
    table(
        out,
        &[
            ("index", stats.path.clone()),
            ("articles", stats.articles.to_string()),
            ("passages", stats.passages.to_string()),
            ("companies", stats.companies.to_string()),
            ("size on disk", megabytes(stats.bytes_on_disk)),
            ("segments", stats.segments.to_string()),
            ("schema version", stats.schema_version.to_string()),
            ("gazetteer", stats.gazetteer.clone()),
        ],
    )
}

/// A remote index's statistics as a two-column table.
pub fn remote_stats_table(out: &mut impl Write, stats: &RemoteStats) -> io::Result<()> {
    table(
        out,
        &[
            ("index", stats.index.clone()),
            ("articles", stats.articles.to_string()),
            ("passages", stats.passages.to_string()),
            ("companies", stats.companies.to_string()),
            (
                "size on disk",
                format!(
                    "{} ({:.1} MB with replicas)",
                    megabytes(stats.bytes_primary),
                    stats.bytes_total as f64 / 1e6
                ),
            ),
            ("shards", stats.shards.to_string()),
            ("replicas", stats.replicas.to_string()),
            ("segments", stats.segments.to_string()),
            (
                "health",
                format!("{} ({} data nodes)", stats.health, stats.nodes),
            ),
        ],
    )
}

fn megabytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1e6)
}

fn table(out: &mut impl Write, rows: &[(&str, String)]) -> io::Result<()> {
    for (name, value) in rows {
        writeln!(out, "{name:<15} {value}")?;
    }
    Ok(())
}

/// What a check of the index at `index` found: damaged and orphan files, then the counts.
pub fn health(out: &mut impl Write, report: &Health, index: &Path) -> io::Result<()> {
    for damaged in &report.damaged {
        writeln!(
            out,
            "damaged  {} (segment {})",
            damaged.file, damaged.segment
        )?;
    }
    for orphan in &report.orphans {
        writeln!(out, "orphan   {orphan}")?;
    }
    writeln!(
        out,
        "{}: {} segments, {} damaged files, {} orphan files",
        index.display(),
        report.segments,
        report.damaged.len(),
        report.orphans.len()
    )
}
