pub mod aside;
pub mod companies;
pub mod dates;
pub mod directory;
pub mod error;
pub mod eval;
pub mod health;
pub mod indexer;
pub mod ingest;
pub mod maintenance;
pub mod manifest;
pub mod model;
pub mod paced;
pub mod pipeline;
pub mod remote;
pub mod render;
pub mod schema;
pub mod search;
pub mod segment;
pub mod serve;
mod suggest;
#[cfg(test)]
mod testing;

pub use error::{Error, ErrorKind, Result};
