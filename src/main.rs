//! The `graf` binary: parses the command line and hands each subcommand to the library.
//! All behaviour lives in the `graf` library crate; see `cli/` for the thin adapters.

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    cli::main()
}
