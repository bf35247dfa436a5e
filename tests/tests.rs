//! The integration tests, as one test binary of modules (as ripgrep's `tests/tests.rs`): one
//! link instead of one per file, and one place that lists them. `env` is the shared helper
//! (a temporary directory with the real `graf` binary); each module tests one area.
//!
//! Three test files stay binaries of their own (see `Cargo.toml`): `companies_real.rs` and
//! `companies_eval.rs`, whose commands (`cargo test --test NAME`) the README's companies
//! section documents and whose owner is changing them; and `html_benchmark.rs`, an ignored
//! benchmark run on its own with `--release`.

#[allow(dead_code)]
#[path = "cli/env.rs"]
mod env;

mod cli;
mod companies_golden;
mod companies_props;
mod hostile;
mod opensearch;
mod ranking_eval;
mod readme_examples;
mod segment_golden;
mod segment_props;
mod serve;
