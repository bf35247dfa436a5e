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
}

pub fn run(args: Args, global: &Global) -> anyhow::Result<u8> {
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
