//! `graf serve`: the search page and JSON API over an index (the server is `graf::serve`).

use std::net::SocketAddr;

use graf::indexer::GrafIndex;
use graf::serve::{self, AppState, Options};

use super::{exit, Global};

/// Serve a search page and a JSON API over the index (http://127.0.0.1:7700/ by default).
///
/// Pages: / (search), /article?id=ID, /companies. API: /api/search (the parameters of
/// `graf search`), /api/companies, /api/companies/{name}, /api/articles/{id}, /api/stats.
/// Searches see the commits of a `graf ingest` running into the same index. Ctrl-C stops
/// after the requests in flight.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Address to listen on. Anything but loopback makes the index readable from other
    /// machines, without authentication: graf warns.
    #[arg(long, default_value = serve::DEFAULT_ADDR, value_name = "IP:PORT")]
    addr: SocketAddr,

    /// Do not log requests on stderr.
    #[arg(long, short)]
    quiet: bool,
}

pub fn run(args: Args, global: &Global) -> anyhow::Result<u8> {
    super::search::index_sample_corpus_on_first_use(global)?;
    let graf = GrafIndex::open(&global.index)?;
    let state = AppState::new(graf, global.gazetteer()?)?;
    let options = Options {
        addr: args.addr,
        quiet: args.quiet,
    };
    serve::run(state, &options)
        .map_err(|err| anyhow::anyhow!("cannot serve on {}: {err}", args.addr))?;
    Ok(exit::OK)
}
