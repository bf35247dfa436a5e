//! `graf push`: send the passages of a graf index (or of articles read on the way) to an
//! OpenSearch index, with a progress bar and a summary.

use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use anyhow::bail;
use graf::indexer::GrafIndex;
use graf::pipeline::{self, IngestOptions};
use graf::remote::push::{self, PushOptions, PushProgress, PushReport, Scope};
use graf::remote::{Client, Target};
use graf::render::{self, Message};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::{exit, Global};

const PUSH_HELP: &str = "\
Credentials and TLS come from the environment, never from the command line:
  GRAF_OPENSEARCH_USER, GRAF_OPENSEARCH_PASSWORD   basic auth
  GRAF_OPENSEARCH_CA                                PEM file of the CA that signed the cluster's certificate

Examples:
  graf push http://127.0.0.1:9200                     the local ./index into index \"graf\"
  graf push https://search.example:9200 --into news --index /data/graf
  graf push http://127.0.0.1:9200 --into wire feeds/2025/   read, segment and tag on the way";

/// Send passages to an OpenSearch cluster (creating the index with graf's mapping).
///
/// Pushes the local index (--index, default ./index), or, given PATHs, reads, segments and tags
/// those articles with the ingest pipeline first. Passage ids are ARTICLE#ORDINAL, so pushing
/// again replaces: unchanged articles are skipped, changed ones replaced, and articles no
/// longer in the local index are deleted remotely (with PATHs, only with --prune and under
/// those paths).
#[derive(Debug, clap::Args)]
#[command(after_help = PUSH_HELP)]
pub struct Args {
    /// The cluster: http://HOST:PORT or https://HOST:PORT.
    #[arg(value_name = "URL")]
    url: String,

    /// Articles to read, segment and tag on the way instead of pushing an index.
    #[arg(value_name = "PATH")]
    paths: Vec<PathBuf>,

    /// Name of the remote index.
    #[arg(long, value_name = "NAME", default_value = graf::remote::client::DEFAULT_INDEX)]
    into: String,

    /// Primary shards of a new index.
    #[arg(long, value_name = "N", default_value_t = 2)]
    shards: u32,

    /// Replicas of each shard of a new index.
    #[arg(long, value_name = "N", default_value_t = 1)]
    replicas: u32,

    /// Size of one _bulk request, e.g. 4M (plain numbers are megabytes).
    #[arg(long, value_name = "SIZE", default_value = "4M", value_parser = parse_batch)]
    batch: usize,

    /// _bulk requests in flight at once.
    #[arg(long, value_name = "N", default_value_t = 3)]
    parallel: usize,

    /// With PATHs: delete remote articles under those paths that were not read.
    #[arg(long)]
    prune: bool,

    /// Write the _bulk request bodies as NDJSON files into DIR (and the index settings and
    /// mapping as DIR/index.json) instead of sending them; URL is not contacted.
    #[arg(long, value_name = "DIR")]
    dump: Option<PathBuf>,

    /// Print the summary as one JSON object.
    #[arg(long)]
    json: bool,
}

/// Parses `4M`, `512K` or `8` (megabytes): between 64 KB and 100 MB (OpenSearch's default
/// limit on a request body).
fn parse_batch(text: &str) -> Result<usize, String> {
    let upper = text.trim().to_ascii_uppercase();
    let digits = upper.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let number: f64 = digits
        .trim()
        .parse()
        .map_err(|_| format!("{text:?} is not a size such as 4M or 512K"))?;
    let scale = match &upper[digits.len()..] {
        "" | "M" | "MB" => 1e6,
        "K" | "KB" => 1e3,
        unit => return Err(format!("unknown unit {unit:?} in {text:?}: use K or M")),
    };
    let bytes = (number * scale) as usize;
    if !(64_000..=100_000_000).contains(&bytes) {
        return Err("a batch must be between 64K and 100M".to_string());
    }
    Ok(bytes)
}

pub fn run(args: Args, global: &Global) -> anyhow::Result<u8> {
    if !args.paths.is_empty() && global.index_given {
        bail!(graf::Error::Query {
            message: "give either --index or PATHs to push, not both".into(),
            hint: None,
        });
    }
    if args.shards == 0 || args.parallel == 0 {
        bail!(graf::Error::Query {
            message: "--shards and --parallel must be at least 1".into(),
            hint: None,
        });
    }
    let mut target = Target::parse(&args.url, false)?;
    target.index = args.into.clone();
    graf::remote::client::check_index_name(&target.index).map_err(|reason| graf::Error::Query {
        message: reason,
        hint: None,
    })?;
    let client = Client::new(&target)?;
    let mut options = PushOptions {
        shards: args.shards,
        replicas: args.replicas,
        batch_bytes: args.batch,
        parallel: args.parallel,
        scope: Scope::Mirror,
        dump: args.dump.clone(),
    };
    let (report, failed_inputs) = if args.paths.is_empty() {
        let graf = GrafIndex::open(&global.index)?;
        (push_with_bar(&client, &target, &graf, &options)?, false)
    } else {
        let staging = Staging::new()?;
        let graf = GrafIndex::open_or_create(&staging.0)?;
        let ingest = read_articles(&graf, &args.paths, global)?;
        options.scope = if args.prune && !ingest.partial() {
            Scope::Under(args.paths.iter().map(|p| p.display().to_string()).collect())
        } else {
            if args.prune {
                eprintln!("graf: warning: some inputs failed, so nothing is pruned remotely");
            }
            Scope::Keep
        };
        (
            push_with_bar(&client, &target, &graf, &options)?,
            ingest.partial(),
        )
    };
    let mut out = super::stdout();
    if args.json {
        render::json_line(&mut out, &Message::Push(&report))?;
    } else {
        render::reports::push_summary(&mut out, &target.display(), &report)?;
    }
    super::finish(out)?;
    Ok(if report.failed > 0 || failed_inputs {
        exit::PARTIAL
    } else {
        exit::OK
    })
}

fn push_with_bar(
    client: &Client,
    target: &Target,
    graf: &GrafIndex,
    options: &PushOptions,
) -> anyhow::Result<PushReport> {
    let bar = Bar::new();
    let report = push::push(client, &target.index, graf, options, &bar);
    bar.bar.finish_and_clear();
    Ok(report?)
}

/// Reads, segments and tags `paths` into the staging index with the ingest pipeline (bad
/// inputs are reported one line each, as `graf ingest` does).
fn read_articles(
    graf: &GrafIndex,
    paths: &[PathBuf],
    global: &Global,
) -> anyhow::Result<pipeline::IngestReport> {
    let options = IngestOptions {
        roots: paths.to_vec(),
        threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
        ..IngestOptions::default()
    };
    let bar = super::progress::Bar::new(false);
    let stop = AtomicBool::new(false);
    let report = pipeline::ingest(graf, &global.tagger()?, &options, &bar, &stop);
    bar.finish();
    Ok(report?)
}

/// A temporary index for articles read on the way, removed when the push ends.
struct Staging(PathBuf);

impl Staging {
    fn new() -> anyhow::Result<Staging> {
        let dir = std::env::temp_dir().join(format!("graf-push-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir)?;
        Ok(Staging(dir))
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The push progress bar on stderr (drawn only on a terminal).
struct Bar {
    bar: ProgressBar,
    last: Mutex<Instant>,
}

impl Bar {
    fn new() -> Bar {
        let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
        let style = ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {wide_bar} {pos}/{len} passages {per_sec} {msg}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar());
        bar.set_style(style);
        Bar {
            bar,
            last: Mutex::new(Instant::now()),
        }
    }
}

impl PushProgress for Bar {
    fn start(&self, passages: u64) {
        self.bar.set_length(passages);
        self.bar.enable_steady_tick(Duration::from_millis(200));
    }

    fn sent(&self, passages: u64, bytes: u64) {
        self.bar.set_position(passages);
        if let Ok(mut last) = self.last.lock() {
            if last.elapsed() >= Duration::from_millis(200) {
                *last = Instant::now();
                self.bar
                    .set_message(format!("{:.1} MB", bytes as f64 / 1e6));
            }
        }
    }

    fn note(&self, message: &str) {
        self.bar.suspend(|| {
            let _ = writeln!(std::io::stderr(), "graf: {message}");
        });
    }
}
