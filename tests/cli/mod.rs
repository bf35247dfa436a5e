//! End-to-end tests of the real `graf` binary, one module per subcommand.

mod clear;
mod companies;
mod errors;
mod headlines;
mod html;
mod ingest;
mod maintenance;
mod search;
