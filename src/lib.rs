pub mod dates;
pub mod error;
pub mod indexer;
pub mod model;
pub mod schema;

pub use error::{Error, Result};
pub mod render;
pub mod search;
