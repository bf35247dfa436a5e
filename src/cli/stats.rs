//! `graf stats`: what the index holds.

use graf::indexer::GrafIndex;
use graf::maintenance;
use graf::render::{self, Message};

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
        render::json_line(&mut out, &Message::Stats(&stats))?;
    } else {
        render::reports::stats_table(&mut out, &stats)?;
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
        render::json_line(&mut out, &Message::RemoteStats(&stats))?;
    } else {
        render::reports::remote_stats_table(&mut out, &stats)?;
    }
    super::finish(out)?;
    Ok(exit::OK)
}
