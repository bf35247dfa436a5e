//! The command line: clap definitions (one file per subcommand, each with its `Args` and a
//! `run` that converts them into library options and calls one library function), the shared
//! options, error printing and exit codes.

mod check;
mod companies;
mod eval;
mod ingest;
mod merge;
mod progress;
mod push;
mod search;
mod serve;
mod stats;

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;
use clap::{FromArgMatches, Parser, Subcommand, ValueEnum};
use graf::companies::{Gazetteer, Tagger};
use graf::ErrorKind;

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
    Serve(serve::Args),
    Push(push::Args),
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
        let user = Gazetteer::load(&path)?;
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
    let parsed = command()
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
            let _ = writeln!(io::stderr(), "graf: error: {}", error_line(&err));
            ExitCode::from(exit_code(&err))
        }
    }
}

/// The error and its causes on one line, each cause once: a message that already quotes its
/// cause (`path: File exists`) is not followed by the cause again.
fn error_line(err: &anyhow::Error) -> String {
    let mut line = String::new();
    for cause in err.chain() {
        // A library error is shown with the command that fixes it.
        let text = graf::render::errors::message_of(cause);
        // A cause whose opening is already shown is the same message at more length (tantivy
        // errors are shown shortened, and their source is the long form).
        let opening: String = text.chars().take(32).collect();
        if text.is_empty() || line.contains(&opening) {
            continue;
        }
        if !line.is_empty() {
            line.push_str(": ");
        }
        line.push_str(&text);
    }
    line
}

/// The global options each subcommand ignores: accepted (a script may set them for every
/// command) but not listed in that command's `--help`, which lists only what it acts on.
const IGNORED_GLOBALS: [(&str, &[&str]); 2] = [
    ("merge", &["index", "companies_file", "color"]),
    ("stats", &["companies_file", "color"]),
];

/// The command line with the global options hidden where they do nothing. Globals reach the
/// subcommands only when the command is built, so they are hidden after that.
fn command() -> clap::Command {
    use clap::CommandFactory;
    let mut command = Cli::command();
    command.build();
    for (name, ignored) in IGNORED_GLOBALS {
        // `mut_args` edits in place; `mut_arg` would re-add the argument to a command already
        // built, where the parser no longer finds it.
        command = command.mut_subcommand(name, |sub| {
            sub.mut_args(|arg| {
                if ignored.contains(&arg.get_id().as_str()) {
                    arg.hide(true)
                } else {
                    arg
                }
            })
        });
    }
    command
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
        Command::Serve(args) => serve::run(args, &global),
        Command::Push(args) => push::run(args, &global),
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

/// The exit code of a failed command, by the kind of its error: the one place that decides
/// it, whichever library error a subcommand passed on with `?`.
fn exit_code(err: &anyhow::Error) -> u8 {
    match error_kind(err) {
        ErrorKind::Usage => exit::USAGE,
        ErrorKind::Failure => exit::FAILURE,
    }
}

fn error_kind(err: &anyhow::Error) -> ErrorKind {
    if err.downcast_ref::<UsageError>().is_some()
        || err
            .downcast_ref::<graf::companies::GazetteerError>()
            .is_some()
    {
        return ErrorKind::Usage;
    }
    if let Some(err) = err.downcast_ref::<graf::Error>() {
        return err.kind();
    }
    err.downcast_ref::<graf::ingest::IngestError>()
        .map_or(ErrorKind::Failure, graf::ingest::IngestError::kind)
}

/// A command line that asks for something graf cannot do (conflicting or out-of-range
/// options): exit code 2, like clap's own errors.
#[derive(Debug)]
pub struct UsageError(pub String);

impl std::fmt::Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

/// Fails with a [`UsageError`].
pub fn usage<T>(message: impl Into<String>) -> anyhow::Result<T> {
    Err(UsageError(message.into()).into())
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
    use clap::CommandFactory;

    #[test]
    fn an_error_prints_each_cause_once() {
        let io = io::Error::from_raw_os_error(17);
        let err = anyhow::Error::from(graf::Error::io("out", io)).context("merging");
        let line = error_line(&err);
        assert_eq!(line.matches("os error 17").count(), 1, "{line}");
        assert!(line.starts_with("merging: out: "), "{line}");
    }

    #[test]
    fn the_command_line_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn merge_and_stats_help_list_only_what_they_use() {
        let mut command = command();
        let help = |command: &mut clap::Command, name: &str| {
            command
                .find_subcommand_mut(name)
                .unwrap()
                .render_long_help()
                .to_string()
        };
        let merge = help(&mut command, "merge");
        assert!(
            !merge.contains("--index") && !merge.contains("--color"),
            "{merge}"
        );
        let stats = help(&mut command, "stats");
        assert!(
            stats.contains("--index") && !stats.contains("--companies"),
            "{stats}"
        );
        let search = help(&mut command, "search");
        assert!(search.contains("--companies") && search.contains("--color"));
    }
}
