//! `graf check`: finds damaged and orphan files in an index.

use graf::health::{self, Health};
use graf::indexer::GrafIndex;

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
        graf::render::json_line(&mut out, &report)?;
    } else {
        std::io::Write::write_all(&mut out, text(&report, global).as_bytes())?;
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

fn text(report: &Health, global: &Global) -> String {
    let mut text = String::new();
    for damaged in &report.damaged {
        text.push_str(&format!(
            "damaged  {} (segment {})\n",
            damaged.file, damaged.segment
        ));
    }
    for orphan in &report.orphans {
        text.push_str(&format!("orphan   {orphan}\n"));
    }
    text.push_str(&format!(
        "{}: {} segments, {} damaged files, {} orphan files\n",
        global.index.display(),
        report.segments,
        report.damaged.len(),
        report.orphans.len()
    ));
    text
}
