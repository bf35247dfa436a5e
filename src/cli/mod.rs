//! The command line: clap definitions (one file per subcommand, each with its `Args` and a
//! `run` that converts them into library options and calls one library function), the shared
//! options, error printing and exit codes.

mod check;
mod companies;
mod eval;
mod ingest;
mod merge;
mod progress;
mod search;
mod stats;

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use clap::{CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use graf::companies::{Gazetteer, Tagger};

/// Exit codes, documented in the README and `--help`.
pub mod exit {
    pub const OK: u8 = 0;
    /// The command could not do its job: missing or locked index, I/O error.
    pub const FAILURE: u8 = 1;
    /// The command line, the query or a named company is wrong.
    pub const USAGE: u8 = 2;
    /// `ingest` indexed what it could, but some inputs failed (each was reported).
    pub const PARTIAL: u8 = 3;
    /// Interrupted by Ctrl-C, SIGTERM or SIGHUP; what was done is committed.
    pub const INTERRUPTED: u8 = 130;
}

const AFTER_HELP: &str = "\
Exit codes:
  0    success
  1    failure: missing, locked or damaged index, no space left, I/O error
  2    usage: bad arguments, bad query (with --strict), unknown company, bad gazetteer file
  3    ingest finished but some inputs failed or had a duplicate id (each one reported)
  130  interrupted by Ctrl-C, SIGTERM or SIGHUP (ingest commits what it had first)

Environment:
  GRAF_INDEX      index directory (default: ./index)
  GRAF_COMPANIES  extra company gazetteer (TOML); default ~/.config/graf/companies.toml if present";

/// graf: paragraph-level search over news-style articles.
///
/// Ingest a folder of articles (text, Markdown, HTML, JSON Lines, gzip), then search their
/// paragraphs with BM25 ranking, company facets, highlighted snippets and JSON output.
#[derive(Debug, Parser)]
#[command(name = "graf", version, after_help = AFTER_HELP)]
pub struct Cli {
    /// Index directory.
    #[arg(long, global = true, env = "GRAF_INDEX", value_name = "DIR")]
    index: Option<PathBuf>,

    /// Extra company gazetteer (TOML, same format as data/companies.toml): adds or overrides
    /// built-in entries.
    #[arg(
        long = "companies",
        global = true,
        env = "GRAF_COMPANIES",
        value_name = "FILE"
    )]
    companies_file: Option<PathBuf>,

    /// When to use colour.
    #[arg(long, global = true, value_enum, default_value_t = Color::Auto, value_name = "WHEN")]
    color: Color,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    Ingest(ingest::Args),
    Search(search::Args),
    Companies(companies::Args),
    Stats(stats::Args),
    Merge(merge::Args),
    Eval(eval::Args),
    Check(check::Args),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Color {
    Auto,
    Always,
    Never,
}

/// Options every subcommand may use, resolved once.
pub struct Global {
    /// The index directory (explicit, from GRAF_INDEX, or `index`).
    pub index: PathBuf,
    /// Whether the user named the index (rather than taking the default).
    pub index_given: bool,
    /// Whether `--index` was typed on this command line (not taken from `GRAF_INDEX`): only
    /// such an index may be filled by `graf eval --ingest`.
    pub index_typed: bool,
    pub companies_file: Option<PathBuf>,
    pub color: bool,
}

impl Global {
    /// The built-in gazetteer, extended by the user's file when there is one.
    pub fn gazetteer(&self) -> anyhow::Result<Gazetteer> {
        let builtin = Gazetteer::builtin();
        let Some(path) = self.user_gazetteer() else {
            return Ok(builtin);
        };
        let user = Gazetteer::load(&path).map_err(graf::Error::from)?;
        Ok(builtin.extended(user))
    }

    pub fn tagger(&self) -> anyhow::Result<Tagger> {
        Ok(Tagger::new(self.gazetteer()?))
    }

    fn user_gazetteer(&self) -> Option<PathBuf> {
        if let Some(path) = &self.companies_file {
            return Some(path.clone());
        }
        let config = std::env::var_os("XDG_CONFIG_HOME")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|home| Path::new(&home).join(".config")))?;
        let default = config.join("graf").join("companies.toml");
        default.is_file().then_some(default)
    }
}

/// Runs graf and maps the outcome to an exit code; errors print once, with their causes.
pub fn main() -> ExitCode {
    let parsed = Cli::command()
        .try_get_matches()
        .and_then(|matches| Ok((Cli::from_arg_matches(&matches)?, index_typed(&matches))));
    let (cli, index_typed) = match parsed {
        Ok(parsed) => parsed,
        Err(err) => {
            let _ = err.print();
            return ExitCode::from(if err.use_stderr() {
                exit::USAGE
            } else {
                exit::OK
            });
        }
    };
    quiet_panics();
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run(cli, index_typed)))
        .unwrap_or_else(|panic| {
            Err(anyhow::anyhow!(
                "internal error, please report this bug: {}",
                graf::health::panic_message(&*panic)
            ))
        });
    match outcome {
        Ok(code) => ExitCode::from(code),
        Err(err) if is_broken_pipe(&err) => ExitCode::from(exit::OK),
        Err(err) => {
            let _ = writeln!(io::stderr(), "graf: error: {err:#}");
            ExitCode::from(exit_code_of(&err))
        }
    }
}

/// Panics never print a backtrace: each one is caught (in `main`, around each article of an
/// ingest, around index reads) and reported as one line. `RUST_BACKTRACE` keeps Rust's own
/// report, for debugging.
fn quiet_panics() {
    if std::env::var_os("RUST_BACKTRACE").is_none() {
        std::panic::set_hook(Box::new(|_| {}));
    }
}

/// `--index` typed on the command line, before or after the subcommand.
fn index_typed(matches: &clap::ArgMatches) -> bool {
    let typed = |m: &clap::ArgMatches| {
        m.try_get_raw("index").ok().flatten().is_some()
            && m.value_source("index") == Some(clap::parser::ValueSource::CommandLine)
    };
    typed(matches) || matches.subcommand().is_some_and(|(_, sub)| typed(sub))
}

fn run(cli: Cli, index_typed: bool) -> anyhow::Result<u8> {
    let global = Global {
        index_given: cli.index.is_some(),
        index_typed,
        index: cli.index.unwrap_or_else(|| PathBuf::from("index")),
        companies_file: cli.companies_file,
        color: match cli.color {
            Color::Always => true,
            Color::Never => false,
            Color::Auto => io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none(),
        },
    };
    match cli.command {
        Command::Ingest(args) => ingest::run(args, &global),
        Command::Search(args) => search::run(args, &global),
        Command::Companies(args) => companies::run(args, &global),
        Command::Stats(args) => stats::run(args, &global),
        Command::Merge(args) => merge::run(args, &global),
        Command::Eval(args) => eval::run(args, &global),
        Command::Check(args) => check::run(args, &global),
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<io::Error>()
            .is_some_and(|io| io.kind() == io::ErrorKind::BrokenPipe)
    })
}

fn exit_code_of(err: &anyhow::Error) -> u8 {
    use graf::Error;
    match err.downcast_ref::<Error>() {
        Some(Error::Query { .. } | Error::UnknownCompany { .. } | Error::Gazetteer(_)) => {
            exit::USAGE
        }
        Some(Error::Ingest(
            graf::ingest::IngestError::UnknownFormat { .. }
            | graf::ingest::IngestError::FieldSpec { .. },
        )) => exit::USAGE,
        _ => exit::FAILURE,
    }
}

/// Standard output, locked and buffered; flushed by the caller.
pub fn stdout() -> io::BufWriter<io::StdoutLock<'static>> {
    io::BufWriter::new(io::stdout().lock())
}

/// Writes with the output's errors (a closed pipe among them) turned into `anyhow` errors.
pub fn finish(mut out: impl Write) -> anyhow::Result<()> {
    out.flush().context("writing the output")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
