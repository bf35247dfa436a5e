//! `graf companies`: the company facets of the index with passage and article counts.

use clap::ValueEnum;
use graf::indexer::GrafIndex;
use graf::render::{self, Message};
use graf::search::facets::CompanyOrder;
use graf::search::listing;

use super::{exit, usage, Global};

/// List the companies the index knows, as a tree (subsidiaries under their parent), with the
/// passages and articles that mention each.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Order each level by passage count or by name.
    #[arg(long, value_enum, default_value_t = Order::Count)]
    sort: Order,

    /// Show only the first N companies at the top level.
    #[arg(short = 'n', long, value_name = "N")]
    limit: Option<usize>,

    /// JSON Lines: one object per top-level company, subsidiaries nested in `children`.
    #[arg(long)]
    json: bool,

    /// List the companies of an OpenSearch index filled by `graf push`: http://HOST:PORT/NAME.
    #[arg(long, value_name = "URL/NAME")]
    remote: Option<String>,

    /// Only the companies graf recognised from the text (a legal suffix, an industry word, a
    /// cue such as "shares in") that no company list names, each with a passage that names
    /// it: review them and add the real ones to your companies file (see --companies).
    #[arg(long, conflicts_with = "remote")]
    unknown: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Order {
    Count,
    Name,
}

pub fn run(args: Args, global: &Global) -> anyhow::Result<u8> {
    if args.limit == Some(0) {
        return usage("-n/--limit must be at least 1 (leave it out to list every company)");
    }
    let order = match args.sort {
        Order::Count => CompanyOrder::Count,
        Order::Name => CompanyOrder::Name,
    };
    if args.unknown {
        return list_unknown(&args, order, global);
    }
    let mut list = if let Some(url) = &args.remote {
        let target = graf::remote::Target::parse(url, true)?;
        let client = graf::remote::Client::new(&target)?;
        graf::remote::search::companies(&client, &target.index, order)?
    } else {
        let graf = GrafIndex::open(&global.index)?;
        listing::companies(&graf.reader()?.searcher(), order)?
    };
    list.truncate(args.limit.unwrap_or(usize::MAX));
    let mut out = super::stdout();
    if args.json {
        render::json_lines(&mut out, &list, Message::Company)?;
    } else {
        render::reports::company_tree(&mut out, &list)?;
    }
    super::finish(out)?;
    Ok(exit::OK)
}

/// `--unknown`: the companies no list names, with an example passage each.
fn list_unknown(args: &Args, order: CompanyOrder, global: &Global) -> anyhow::Result<u8> {
    let graf = GrafIndex::open(&global.index)?;
    let gazetteer = global.gazetteer()?;
    let limit = args.limit.unwrap_or(usize::MAX);
    let list =
        listing::unknown_companies(&graf, &graf.reader()?.searcher(), &gazetteer, order, limit)?;
    let mut out = super::stdout();
    if args.json {
        render::json_lines(&mut out, &list, Message::UnknownCompany)?;
    } else {
        render::reports::unknown_companies(&mut out, &list)?;
    }
    super::finish(out)?;
    Ok(exit::OK)
}
