//! `graf stats`: what the index holds.

use graf::indexer::GrafIndex;
use graf::maintenance;

use super::{exit, Global};

/// Show articles, passages, companies, size on disk, segments, schema and gazetteer version.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print one JSON object.
    #[arg(long)]
    json: bool,

    /// Describe an OpenSearch index filled by `graf push`: http://HOST:PORT/NAME.
    #[arg(long, value_name = "URL/NAME")]
    remote: Option<String>,
}

pub fn run(args: Args, global: &Global) -> anyhow::Result<u8> {
    if let Some(url) = &args.remote {
        return run_remote(url, args.json);
    }
    let graf = GrafIndex::open(&global.index)?;
    let stats = graf::health::guard(&global.index, || maintenance::stats(&graf))?;
    let mut out = super::stdout();
    if args.json {
        graf::render::json_line(&mut out, &stats)?;
    } else {
        let rows = [
            ("index", stats.path.clone()),
            ("articles", stats.articles.to_string()),
            ("passages", stats.passages.to_string()),
            ("companies", stats.companies.to_string()),
            (
                "size on disk",
                format!("{:.1} MB", stats.bytes_on_disk as f64 / 1e6),
            ),
            ("segments", stats.segments.to_string()),
            ("schema version", stats.schema_version.to_string()),
            ("gazetteer", stats.gazetteer.clone()),
        ];
        for (name, value) in rows {
            std::io::Write::write_all(&mut out, format!("{name:<15} {value}\n").as_bytes())?;
        }
    }
    super::finish(out)?;
    Ok(exit::OK)
}

/// `graf stats --remote`: the remote index's counts, size, shards and health.
fn run_remote(url: &str, json: bool) -> anyhow::Result<u8> {
    let target = graf::remote::Target::parse(url, true)?;
    let client = graf::remote::Client::new(&target)?;
    let stats = graf::remote::search::stats(&client, &target.index)?;
    let mut out = super::stdout();
    if json {
        graf::render::json_line(&mut out, &stats)?;
    } else {
        let rows = [
            ("index", stats.index.clone()),
            ("articles", stats.articles.to_string()),
            ("passages", stats.passages.to_string()),
            ("companies", stats.companies.to_string()),
            (
                "size on disk",
                format!(
                    "{:.1} MB ({:.1} MB with replicas)",
                    stats.bytes_primary as f64 / 1e6,
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
        ];
        for (name, value) in rows {
            std::io::Write::write_all(&mut out, format!("{name:<15} {value}\n").as_bytes())?;
        }
    }
    super::finish(out)?;
    Ok(exit::OK)
}
