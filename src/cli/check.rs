//! `graf check`: finds damaged and orphan files in an index.

use graf::health;
use graf::indexer::GrafIndex;
use graf::render::{self, Message};

use super::{exit, Global};

/// Check every file of the index against its checksum; name damaged files (with their
/// segment) and orphan files (left by a killed run or a full disk; the next ingest removes
/// them). Exits 1 when something is damaged: rebuild the index from the sources with
/// `graf ingest --rebuild PATH...`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print one JSON object.
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args, global: &Global) -> anyhow::Result<u8> {
    let graf = GrafIndex::open(&global.index)?;
    let report = health::check(&global.index, graf.index())?;
    let mut out = super::stdout();
    if args.json {
        render::json_line(&mut out, &Message::Check(&report))?;
    } else {
        render::reports::health(&mut out, &report, &global.index)?;
    }
    super::finish(out)?;
    if let Some(first) = report.damaged.first() {
        return Err(graf::Error::Damaged {
            path: global.index.clone(),
            detail: format!(
                "{} damaged file{}, first {}",
                report.damaged.len(),
                if report.damaged.len() == 1 { "" } else { "s" },
                first.file
            ),
        }
        .into());
    }
    Ok(exit::OK)
}
