//! `graf merge`: combine separately built indexes into one.

use std::path::PathBuf;

use graf::maintenance;

use super::{exit, Global};

/// Merge graf indexes (for example shards of one corpus built on several machines) into a new
/// index OUT. Refuses inputs with another schema or with articles in common.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The new index directory (must not exist, or be empty).
    #[arg(value_name = "OUT")]
    output: PathBuf,

    /// The indexes to merge.
    #[arg(value_name = "IN", required = true)]
    inputs: Vec<PathBuf>,
}

pub fn run(args: Args, _global: &Global) -> anyhow::Result<u8> {
    let stats = maintenance::merge(&args.output, &args.inputs)?;
    let mut out = super::stdout();
    let line = format!(
        "merged {} indexes into {}: {} articles, {} passages\n",
        args.inputs.len(),
        args.output.display(),
        stats.articles,
        stats.passages
    );
    std::io::Write::write_all(&mut out, line.as_bytes())?;
    super::finish(out)?;
    Ok(exit::OK)
}
