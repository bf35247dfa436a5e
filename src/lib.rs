pub mod aside;
pub mod companies;
pub mod dates;
pub mod error;
pub mod eval;
pub mod health;
pub mod indexer;
pub mod ingest;
pub mod maintenance;
pub mod model;
pub mod pipeline;
pub mod render;
pub mod schema;
pub mod search;
pub mod segment;
#[cfg(test)]
mod testing;

pub use error::{Error, Result};
