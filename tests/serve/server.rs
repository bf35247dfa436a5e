//! A `graf serve` child process over an index of the bundled corpus plus a few articles the
//! tests need (a hostile title among them), and a minimal HTTP/1.1 client: the tests see
//! exactly the bytes the server sends.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use assert_cmd::cargo::CommandCargoExt;

/// The title of an article written to attack the pages.
pub const HOSTILE_TITLE: &str =
    "<script>document.title='pwned'</script><img src=x onerror=alert(1)> & Co";
/// A word only the hostile article contains.
pub const HOSTILE_WORD: &str = "quokkamarmalade";

/// Builds the test corpus (the bundled one, plus extra articles) and indexes it with the real
/// binary. Returns the temporary directory holding `corpus/` and `index/`.
pub fn indexed_corpus() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    crate::env::copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus"),
        &corpus,
    );
    std::fs::create_dir_all(corpus.join("tests")).unwrap();
    std::fs::write(
        corpus.join("tests/hostile.md"),
        format!(
            "---\ntitle: \"{}\"\nsource: \"<b>Evil</b> Wire\"\ndate: 2025-02-03\n---\n\n# <i>Section</i>\n\nThe {HOSTILE_WORD} passage says </p><script>alert(2)</script> and Amazon.\n\nA second paragraph about {HOSTILE_WORD} jars.\n",
            HOSTILE_TITLE.replace('"', "\\\"")
        ),
    )
    .unwrap();
    let status = Command::cargo_bin("graf")
        .unwrap()
        .args(["ingest", "--index"])
        .arg(dir.path().join("index"))
        .arg(&corpus)
        .env_remove("GRAF_INDEX")
        .env_remove("GRAF_COMPANIES")
        .env("HOME", dir.path())
        .stderr(Stdio::null())
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success(), "ingest failed: {status}");
    dir
}

/// A running `graf serve`, stopped (SIGINT, then kill) when dropped.
pub struct Server {
    child: Child,
    pub addr: String,
    pub index: PathBuf,
    /// The stderr lines after the "serving" line, as they come.
    log: mpsc::Receiver<String>,
}

impl Server {
    /// Starts `graf serve` on a free loopback port over `index`.
    pub fn start(index: &Path, extra: &[&str]) -> Server {
        let mut child = Command::cargo_bin("graf")
            .unwrap()
            .args(["serve", "--addr", "127.0.0.1:0", "--index"])
            .arg(index)
            .args(extra)
            .env_remove("GRAF_INDEX")
            .env_remove("GRAF_COMPANIES")
            .env("HOME", index.parent().unwrap())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
        let addr = loop {
            let line = lines
                .next()
                .expect("graf serve exited before serving")
                .unwrap();
            if let Some(rest) = line.strip_prefix("graf: serving http://") {
                break rest.split('/').next().unwrap().to_string();
            }
        };
        let (tx, log) = mpsc::channel();
        std::thread::spawn(move || {
            for line in lines.map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Server {
            child,
            addr,
            index: index.to_path_buf(),
            log,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub fn get(&self, target: &str) -> Response {
        request(&self.addr, "GET", target)
    }

    /// Waits up to `wait` for a stderr line containing `needle`.
    pub fn log_line(&self, needle: &str, wait: Duration) -> Option<String> {
        let deadline = std::time::Instant::now() + wait;
        while let Some(left) = deadline.checked_duration_since(std::time::Instant::now()) {
            match self.log.recv_timeout(left) {
                Ok(line) if line.contains(needle) => return Some(line),
                Ok(_) => continue,
                Err(_) => return None,
            }
        }
        None
    }

    /// Sends Ctrl-C (SIGINT) and waits for the exit status.
    pub fn interrupt(mut self) -> std::process::ExitStatus {
        let pid = self.child.id().to_string();
        Command::new("kill").args(["-INT", &pid]).status().unwrap();
        for _ in 0..100 {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("graf serve did not stop within 5 s of SIGINT");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A response as read off the wire.
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    pub fn json(&self) -> serde_json::Value {
        assert!(
            self.header("content-type")
                .is_some_and(|t| t.starts_with("application/json")),
            "not JSON: {self:?}"
        );
        serde_json::from_str(&self.body).unwrap_or_else(|err| panic!("{err}: {}", self.body))
    }
}

/// One HTTP/1.1 request with `Connection: close`; `target` is sent exactly as given.
pub fn request(addr: &str, method: &str, target: &str) -> Response {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    write!(
        stream,
        "{method} {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a complete response head");
    let head = String::from_utf8(raw[..split].to_vec()).unwrap();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    let chunked = headers
        .iter()
        .any(|(k, v)| k.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"));
    if chunked {
        body = dechunk(&body);
    }
    Response {
        status,
        headers,
        body: String::from_utf8(body).unwrap(),
    }
}

fn dechunk(mut raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let end = raw.windows(2).position(|w| w == b"\r\n").unwrap();
        let size =
            usize::from_str_radix(std::str::from_utf8(&raw[..end]).unwrap().trim(), 16).unwrap();
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&raw[end + 2..end + 2 + size]);
        raw = &raw[end + 4 + size..];
    }
}
