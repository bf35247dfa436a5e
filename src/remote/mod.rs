//! The remote engine: graf's passages on an OpenSearch cluster. graf keeps its own ingest,
//! query language and output; OpenSearch shards, replicates and serves many clients.
//!
//! * [`client`]: HTTP, addresses, credentials, the error type.
//! * `mapping`: how a passage is stored remotely (analyzer, company tree, fields).
//! * [`push`]: `graf push`, a local index into a remote one through `_bulk`.
//! * `dsl`: the query language and filters as OpenSearch query DSL.
//! * [`search`]: `search`, `companies` and `stats` against a remote index.

pub mod client;
pub(crate) mod dsl;
pub(crate) mod mapping;
pub mod push;
pub mod search;

pub use client::{Client, RemoteError, Target};
