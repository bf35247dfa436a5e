//! The HTTP side of the remote engine: a blocking client for one OpenSearch cluster (ureq with
//! rustls), where it is ([`Target`]: base URL and index name), how to authenticate (basic auth
//! from `GRAF_OPENSEARCH_USER`/`GRAF_OPENSEARCH_PASSWORD`, a CA file from `GRAF_OPENSEARCH_CA`
//! for https), and the one error type every remote operation returns ([`RemoteError`]), whose
//! messages say what to do and never contain a credential.

use std::io::Read;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use serde_json::Value;

/// Name of the index `graf push` writes and remote commands read when the URL names none.
pub const DEFAULT_INDEX: &str = "graf";

/// Environment variables for credentials and the CA file; their values are never printed.
pub const USER_VAR: &str = "GRAF_OPENSEARCH_USER";
pub const PASSWORD_VAR: &str = "GRAF_OPENSEARCH_PASSWORD";
pub const CA_VAR: &str = "GRAF_OPENSEARCH_CA";

/// Everything that can go wrong talking to a cluster, each in one line; the command that fixes
/// it is added by the front end ([`crate::render::errors`]).
#[derive(Debug, thiserror::Error)]
pub enum RemoteError {
    #[error("cannot reach OpenSearch at {url}: {reason}")]
    Unreachable { url: String, reason: String },

    #[error("OpenSearch at {url} refused the credentials (HTTP {status}): set {USER_VAR} and {PASSWORD_VAR}")]
    Credentials { url: String, status: u16 },

    #[error("no index {index:?} on {url}")]
    IndexMissing { url: String, index: String },

    #[error("{index:?} on {url} was not created by graf push (no graf mapping)")]
    ForeignIndex { url: String, index: String },

    /// The index was pushed by a graf whose remote schema differs from this one's.
    #[error("OpenSearch refused a push into {index:?} (HTTP 409): it was created by another graf with remote schema {found} (this graf writes {expected})")]
    OtherSchema {
        index: String,
        found: u64,
        expected: u64,
    },

    #[error("OpenSearch refused {what} (HTTP {status}): {reason}")]
    Refused {
        what: String,
        status: u16,
        reason: String,
    },

    #[error("bad OpenSearch address {url:?}: {reason}")]
    BadUrl { url: String, reason: String },

    #[error("{}: {reason}", path.display())]
    CaFile { path: PathBuf, reason: String },

    #[error("unexpected answer from OpenSearch to {what}: {reason}")]
    Protocol { what: String, reason: String },
}

pub type Result<T, E = RemoteError> = std::result::Result<T, E>;

/// A cluster and an index on it, as given on the command line: `http://host:9200/NAME` or
/// `http://host:9200` (index [`DEFAULT_INDEX`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    /// Scheme, host and port (and any path prefix of a proxy), without a trailing slash and
    /// without credentials.
    pub base: String,
    pub index: String,
    /// `user:password` found in the URL; kept out of every message.
    pub userinfo: Option<(String, String)>,
}

impl Target {
    /// Parses a cluster URL; `index_in_path` says whether its last path segment names the
    /// index (`search --remote URL/NAME`) or the URL is the cluster only (`push URL --into`).
    pub fn parse(url: &str, index_in_path: bool) -> Result<Target> {
        let bad = |reason: &str| RemoteError::BadUrl {
            url: redact(url),
            reason: reason.to_string(),
        };
        let (scheme, rest) = url
            .split_once("://")
            .ok_or_else(|| bad("write it as http://HOST:PORT or https://HOST:PORT"))?;
        if scheme != "http" && scheme != "https" {
            return Err(bad("only http and https are supported"));
        }
        let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
        let (userinfo, host) = match authority.rsplit_once('@') {
            Some((info, host)) => {
                let (user, password) = info.split_once(':').unwrap_or((info, ""));
                (Some((user.to_string(), password.to_string())), host)
            }
            None => (None, authority),
        };
        if host.is_empty() {
            return Err(bad("no host"));
        }
        let path = path.trim_end_matches('/');
        let (prefix, index) = match (index_in_path, path.rsplit_once('/')) {
            (true, Some((prefix, name))) if !name.is_empty() => (prefix, name.to_string()),
            _ => (path, DEFAULT_INDEX.to_string()),
        };
        check_index_name(&index).map_err(|reason| bad(&reason))?;
        Ok(Target {
            base: format!("{scheme}://{host}{prefix}"),
            index,
            userinfo,
        })
    }

    /// `base/index`, as shown to users.
    pub fn display(&self) -> String {
        format!("{}/{}", self.base, self.index)
    }
}

/// OpenSearch's rules for index names, checked before any request so the message is ours.
pub fn check_index_name(name: &str) -> std::result::Result<(), String> {
    let bad_char = name
        .chars()
        .find(|c| c.is_uppercase() || r#"\/*?"<>| ,#:"#.contains(*c));
    if name.is_empty() || name.starts_with(['-', '_', '+']) || name == "." || name == ".." {
        return Err(format!("{name:?} is not a valid index name"));
    }
    if let Some(c) = bad_char {
        return Err(format!(
            "index name {name:?} may not contain {c:?} (lower case, no spaces or \\/*?\"<>|,#:)"
        ));
    }
    Ok(())
}

/// A URL with any `user:password@` replaced by `***@`, for messages.
pub(crate) fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let slash = url[scheme_end + 3..].find('/').map(|i| i + scheme_end + 3);
            if slash.is_none_or(|s| at < s) {
                return format!("{}***@{}", &url[..scheme_end + 3], &url[at + 1..]);
            }
            url.to_string()
        }
        _ => url.to_string(),
    }
}

/// An HTTP response: status and JSON body (`Value::Null` when the body is empty).
pub struct Response {
    pub status: u16,
    pub body: Value,
}

/// A connection pool to one cluster; cheap to clone and share between threads.
#[derive(Clone)]
pub struct Client {
    agent: ureq::Agent,
    base: String,
    authorization: Option<String>,
}

impl Client {
    /// A client for `target`, with credentials from the URL or the environment and a CA file
    /// from the environment.
    pub fn new(target: &Target) -> Result<Client> {
        let mut builder = ureq::AgentBuilder::new()
            .timeout_connect(Duration::from_secs(10))
            .timeout_read(Duration::from_secs(300))
            .timeout_write(Duration::from_secs(300))
            .max_idle_connections_per_host(16);
        if let Some(ca) = std::env::var_os(CA_VAR) {
            builder = builder.tls_config(Arc::new(tls_config(PathBuf::from(ca))?));
        }
        let credentials = target.userinfo.clone().or_else(|| {
            let user = std::env::var(USER_VAR).ok()?;
            Some((user, std::env::var(PASSWORD_VAR).unwrap_or_default()))
        });
        let authorization = credentials.map(|(user, password)| {
            let token =
                base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
            format!("Basic {token}")
        });
        Ok(Client {
            agent: builder.build(),
            base: target.base.clone(),
            authorization,
        })
    }

    /// The cluster's address, for messages.
    pub(crate) fn base(&self) -> &str {
        &self.base
    }

    /// Sends a request with an optional JSON body and returns status and JSON answer.
    /// Transport failures are [`RemoteError::Unreachable`]; 401/403 are
    /// [`RemoteError::Credentials`]; other statuses are returned for the caller to judge.
    pub fn send(&self, method: &str, path: &str, body: Option<&Value>) -> Result<Response> {
        let bytes = body.map(|b| serde_json::to_vec(b).expect("JSON values serialise"));
        self.send_bytes(method, path, bytes.as_deref(), "application/json")
    }

    /// Like [`Client::send`] with a raw body (NDJSON for `_bulk`).
    pub(crate) fn send_bytes(
        &self,
        method: &str,
        path: &str,
        body: Option<&[u8]>,
        content_type: &str,
    ) -> Result<Response> {
        let url = format!("{}{}", self.base, path);
        let mut request = self
            .agent
            .request(method, &url)
            .set("Content-Type", content_type);
        if let Some(authorization) = &self.authorization {
            request = request.set("Authorization", authorization);
        }
        let outcome = match body {
            Some(bytes) => request.send_bytes(bytes),
            None => request.call(),
        };
        let response = match outcome {
            Ok(response) => response,
            Err(ureq::Error::Status(_, response)) => response,
            Err(ureq::Error::Transport(transport)) => {
                return Err(RemoteError::Unreachable {
                    url: self.base.clone(),
                    reason: transport_reason(&transport),
                })
            }
        };
        let status = response.status();
        if status == 401 || status == 403 {
            return Err(RemoteError::Credentials {
                url: self.base.clone(),
                status,
            });
        }
        let mut text = String::new();
        response
            .into_reader()
            .take(1 << 30)
            .read_to_string(&mut text)
            .map_err(|err| RemoteError::Unreachable {
                url: self.base.clone(),
                reason: format!("reading the answer: {err}"),
            })?;
        let body = if text.trim().is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or(Value::String(text))
        };
        Ok(Response { status, body })
    }

    /// Sends a request that must succeed (2xx), returning its JSON answer; anything else is
    /// [`RemoteError::Refused`] with OpenSearch's own reason. `what` names the operation.
    pub fn expect_ok(
        &self,
        method: &str,
        path: &str,
        body: Option<&Value>,
        what: &str,
    ) -> Result<Value> {
        let response = self.send(method, path, body)?;
        if (200..300).contains(&response.status) {
            return Ok(response.body);
        }
        Err(refused(what, &response))
    }
}

/// The error for a non-2xx answer, with the reason OpenSearch gave.
pub fn refused(what: &str, response: &Response) -> RemoteError {
    RemoteError::Refused {
        what: what.to_string(),
        status: response.status,
        reason: error_reason(&response.body),
    }
}

/// OpenSearch's `error.reason` (with the root cause when it says more), else the raw body.
pub(crate) fn error_reason(body: &Value) -> String {
    let error = &body["error"];
    let reason = error["reason"].as_str().or_else(|| error.as_str());
    let root = error["root_cause"][0]["reason"].as_str();
    let caused = error["caused_by"]["reason"].as_str();
    match (reason, root.or(caused)) {
        (Some(reason), Some(cause)) if cause != reason => format!("{reason}: {cause}"),
        (Some(reason), _) => reason.to_string(),
        _ => {
            let text = body.to_string();
            text.chars().take(300).collect()
        }
    }
}

fn transport_reason(transport: &ureq::Transport) -> String {
    use std::error::Error as _;
    let mut reason = transport.kind().to_string();
    if let Some(message) = transport.message() {
        reason = format!("{reason}: {message}");
    }
    let mut source = transport.source();
    while let Some(cause) = source {
        let text = cause.to_string();
        if !reason.contains(&text) {
            reason = format!("{reason}: {text}");
        }
        source = cause.source();
    }
    reason
}

/// rustls trusting the certificates of `path` (PEM), for clusters with their own CA.
fn tls_config(path: PathBuf) -> Result<rustls::ClientConfig> {
    let fail = |reason: String| RemoteError::CaFile {
        path: path.clone(),
        reason,
    };
    let pem = std::fs::read(&path).map_err(|err| fail(err.to_string()))?;
    let mut roots = rustls::RootCertStore::empty();
    let mut found = 0;
    for cert in rustls_pemfile::certs(&mut pem.as_slice()) {
        let cert = cert.map_err(|err| fail(format!("not a PEM certificate file: {err}")))?;
        roots
            .add(cert)
            .map_err(|err| fail(format!("bad certificate: {err}")))?;
        found += 1;
    }
    if found == 0 {
        return Err(fail("no PEM certificate in the file".to_string()));
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    Ok(rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|err| fail(err.to_string()))?
        .with_root_certificates(roots)
        .with_no_client_auth())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_name_the_index_in_the_path_or_take_the_default() {
        let t = Target::parse("http://127.0.0.1:9200/news", true).unwrap();
        assert_eq!(
            (t.base.as_str(), t.index.as_str()),
            ("http://127.0.0.1:9200", "news")
        );
        let t = Target::parse("https://search.example/", true).unwrap();
        assert_eq!(t.index, DEFAULT_INDEX);
        let t = Target::parse("http://h:9200/proxy/news", true).unwrap();
        assert_eq!(
            (t.base.as_str(), t.index.as_str()),
            ("http://h:9200/proxy", "news")
        );
        let t = Target::parse("http://h:9200/proxy", false).unwrap();
        assert_eq!(
            (t.base.as_str(), t.index.as_str()),
            ("http://h:9200/proxy", "graf")
        );
    }

    #[test]
    fn credentials_in_the_url_are_used_but_never_shown() {
        let t = Target::parse("https://me:s3cret@h:9200/news", true).unwrap();
        assert_eq!(t.userinfo, Some(("me".into(), "s3cret".into())));
        assert!(!t.display().contains("s3cret"));
        assert_eq!(redact("https://me:s3cret@h:9200/x"), "https://***@h:9200/x");
        let err = Target::parse("ftp://me:s3cret@h/x", true).unwrap_err();
        assert!(!err.to_string().contains("s3cret"), "{err}");
    }

    #[test]
    fn bad_index_names_are_refused_before_any_request() {
        assert!(Target::parse("http://h:9200/News", true).is_err());
        assert!(Target::parse("http://h:9200/_x", true).is_err());
        assert!(Target::parse("h:9200", true).is_err());
    }

    #[test]
    fn error_reasons_come_from_opensearch_answers() {
        let body = serde_json::json!({"error": {"reason": "mapper_parsing_exception", "root_cause": [{"reason": "unknown analyzer"}]}});
        assert_eq!(
            error_reason(&body),
            "mapper_parsing_exception: unknown analyzer"
        );
    }
}
