//! The ingest progress bar (indicatif) on stderr: files, articles, passages, bytes and rate.
//! It draws only when stderr is a terminal; problems print above it either way.

use std::io::Write;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use graf::pipeline::{IngestReport, Progress};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Shows ingest progress on stderr.
pub struct Bar {
    bar: ProgressBar,
    /// Redraw the message at most this often: counting is cheap, formatting is not.
    last_message: Mutex<Instant>,
}

impl Bar {
    pub fn new() -> Self {
        let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
        let style = ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} {bytes_per_sec} {msg}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar());
        bar.set_style(style);
        Bar {
            bar,
            last_message: Mutex::new(Instant::now()),
        }
    }

    pub fn finish(&self) {
        self.bar.finish_and_clear();
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

    fn problem(&self, message: &str, _is_error: bool) {
        self.bar.suspend(|| {
            let _ = writeln!(std::io::stderr(), "graf: {message}");
        });
    }
}
