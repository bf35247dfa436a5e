//! `TestEnv`: a temporary working directory with its own index and config, and the real
//! `graf` binary run inside it.

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;
use std::process::Command;

pub struct TestEnv {
    dir: tempfile::TempDir,
}

/// The output of one run of graf.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Every stdout line parsed as JSON.
    pub fn json_lines(&self) -> Vec<Value> {
        self.stdout
            .lines()
            .map(|line| serde_json::from_str(line).unwrap_or_else(|err| panic!("{err}: {line}")))
            .collect()
    }

    /// The `hit` objects of `--json` search output.
    pub fn hits(&self) -> Vec<Value> {
        self.json_lines()
            .into_iter()
            .filter(|v| v["type"] == "hit")
            .collect()
    }

    /// The `summary` object of `--json` search output.
    pub fn summary(&self) -> Value {
        self.json_lines()
            .into_iter()
            .find(|v| v["type"] == "summary")
            .expect("a summary line")
    }
}

impl TestEnv {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("temporary directory");
        fs::create_dir_all(dir.path().join("config")).unwrap();
        TestEnv { dir }
    }

    /// A TestEnv holding a copy of the repository's corpus/ as ./corpus.
    pub fn with_corpus() -> Self {
        let env = TestEnv::new();
        copy_dir(&repo().join("corpus"), &env.path("corpus"));
        env
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn path(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    pub fn write(&self, relative: &str, content: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path(relative);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, content).unwrap();
        path
    }

    /// The graf binary, run in this directory with a clean environment.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(assert_cmd::cargo::cargo_bin("graf"));
        command
            .current_dir(self.root())
            .args(args)
            .env_remove("GRAF_INDEX")
            .env_remove("GRAF_COMPANIES")
            .env("XDG_CONFIG_HOME", self.path("config"))
            .env("NO_COLOR", "1")
            .env_remove("RUST_BACKTRACE");
        command
    }

    pub fn run(&self, args: &[&str]) -> Run {
        let output = self.command(args).output().expect("graf runs");
        let run = Run {
            code: output.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        };
        assert!(
            !run.stderr.contains("panicked"),
            "graf panicked: {}",
            run.stderr
        );
        run
    }

    /// Runs graf and insists on success.
    pub fn ok(&self, args: &[&str]) -> Run {
        let run = self.run(args);
        assert_eq!(
            run.code, 0,
            "graf {args:?} failed:\n{}\n{}",
            run.stdout, run.stderr
        );
        run
    }

    /// `graf stats --json` of the default index.
    pub fn stats(&self) -> Value {
        self.ok(&["stats", "--json"]).json_lines().remove(0)
    }
}

/// The repository root.
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}
