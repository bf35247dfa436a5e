//! The ingest progress bar (indicatif) on stderr: files, articles, passages, bytes and rate.
//! It draws only when stderr is a terminal; problems print above it either way, the first
//! [`SHOWN_PROBLEMS`] of them (the summary counts them all, and says how many were not
//! shown), none with `--quiet`. Bytes are in decimal units (MB), as in the summary.

use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use graf::pipeline::{IngestReport, Progress, Remedy};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Problems printed one per line before the rest are only counted: 20,000 bad records
/// would otherwise bury everything else on the terminal.
pub const SHOWN_PROBLEMS: u64 = 50;

/// Shows ingest progress on stderr.
pub struct Bar {
    bar: ProgressBar,
    /// Redraw the message at most this often: counting is cheap, formatting is not.
    last_message: Mutex<Instant>,
    quiet: bool,
    problems: AtomicU64,
}

impl Bar {
    pub fn new(quiet: bool) -> Self {
        let target = if quiet {
            ProgressDrawTarget::hidden()
        } else {
            ProgressDrawTarget::stderr()
        };
        let bar = ProgressBar::with_draw_target(Some(0), target);
        let style = ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {wide_bar} {decimal_bytes}/{decimal_total_bytes} {decimal_bytes_per_sec} {msg}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar());
        bar.set_style(style);
        Bar {
            bar,
            last_message: Mutex::new(Instant::now()),
            quiet,
            problems: AtomicU64::new(0),
        }
    }

    /// Clears the bar and says how many problems were counted but not printed.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
        let problems = self.problems.load(Ordering::Relaxed);
        if !self.quiet && problems > SHOWN_PROBLEMS {
            let _ = writeln!(
                std::io::stderr(),
                "graf: ... and {} more problems not shown (the first {SHOWN_PROBLEMS} are above)",
                problems - SHOWN_PROBLEMS
            );
        }
    }
}

impl Progress for Bar {
    fn start(&self, files: u64, bytes: u64) {
        self.bar.set_length(bytes);
        self.bar.set_message(format!("{files} files"));
        self.bar.enable_steady_tick(Duration::from_millis(200));
    }

    fn update(&self, report: &IngestReport) {
        self.bar.set_position(report.bytes);
        let Ok(mut last) = self.last_message.lock() else {
            return;
        };
        if last.elapsed() >= Duration::from_millis(100) {
            *last = Instant::now();
            self.bar.set_message(format!(
                "{} files · {} articles · {} passages",
                report.files,
                report.added + report.updated + report.unchanged,
                report.passages
            ));
        }
    }

    fn problem_with_remedy(&self, message: &str, is_error: bool, remedy: Remedy) {
        let remedy = graf::render::errors::remedy(remedy);
        self.problem(&format!("{message}{remedy}"), is_error);
    }

    fn problem(&self, message: &str, _is_error: bool) {
        let seen = self.problems.fetch_add(1, Ordering::Relaxed) + 1;
        if self.quiet || seen > SHOWN_PROBLEMS {
            return;
        }
        self.bar.suspend(|| {
            let _ = writeln!(std::io::stderr(), "graf: {message}");
        });
    }
}
