//! Company recognition: owns the gazetteer (built-in list plus user files), the rules that
//! decide which companies a passage mentions, and the facet path shape (`Amazon/AWS`).
//!
//! The pipeline builds one [`Tagger`] (shared by worker threads), asks it for an
//! [`ArticleTagger`] per article, and feeds that the title and then each passage text in
//! document order; each call hands back the sorted [`CompanyPath`]s the indexer stores as
//! `/company/...` facets. The query side turns a user's `--company` filter into a path with
//! [`Gazetteer::resolve`] and [`Gazetteer::candidates`] (a typo gets `crate::suggest`'s "did
//! you mean").
//!
//! How a passage is read: one pass (`scan.rs` flags the bytes where a name can begin,
//! `starts.rs` keeps the word starts that begin some pattern, `matcher.rs` runs an
//! anchored Aho-Corasick automaton there) finds every alias, ticker and legal suffix, and a
//! second (`lower_case.rs`) the few names written in lower case throughout ("plc"); cheap
//! checks keep the hits whose word boundaries, case and surroundings fit; the per-article
//! rules (`article.rs`, `rules.rs`) then apply weak aliases, tickers, unknown firms named by a
//! legal suffix, and acronyms the article defines.

mod article;
mod context;
mod gazetteer;
mod lower_case;
mod matcher;
mod rules;
mod scan;
mod starts;
mod suffix;
mod text;
mod word_set;

pub use article::ArticleTagger;
pub use gazetteer::{Gazetteer, GazetteerError};
pub use matcher::Tagger;

#[cfg(doc)]
use crate::model::CompanyPath;
