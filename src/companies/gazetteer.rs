//! The company list: parses gazetteer TOML (built-in or user file), validates it, resolves a
//! parent chain into a facet path per entry, and answers name look-ups for the CLI and the
//! tagger. The format is described in `data/companies.toml`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use super::suffix::strip_legal_suffix;
use crate::model::CompanyPath;

/// The built-in list, compiled into the binary.
const BUILTIN_TOML: &str =
    include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/data/companies.toml"));

/// What went wrong while reading a gazetteer; every variant names the file (`origin`).
#[derive(thiserror::Error, Debug)]
pub enum GazetteerError {
    #[error("cannot read company list {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{origin}:{line}:{column}: invalid company list: {message}")]
    Toml {
        origin: String,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{origin}: company {name:?} has unknown parent {parent:?}")]
    UnknownParent {
        origin: String,
        name: String,
        parent: String,
    },
    #[error("{origin}: company name {name:?} appears more than once")]
    DuplicateName { origin: String, name: String },
    #[error("{origin}: company number {index} has an empty name")]
    EmptyName { origin: String, index: usize },
    #[error("{origin}: the parent chain of {name:?} loops back on itself")]
    ParentCycle { origin: String, name: String },
}

/// One `[[company]]` table as written.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
pub(crate) struct Entry {
    pub(crate) name: String,
    #[serde(default)]
    pub(crate) aliases: Vec<String>,
    #[serde(default)]
    pub(crate) weak_aliases: Vec<String>,
    #[serde(default)]
    pub(crate) tickers: Vec<String>,
    #[serde(default)]
    pub(crate) parent: String,
    #[serde(default)]
    pub(crate) not_near: Vec<String>,
}

#[derive(Deserialize)]
struct GazetteerFile {
    #[serde(default)]
    company: Vec<Entry>,
}

/// Parsed entries plus the lookup tables built from them.
#[derive(Clone, Debug, Default)]
pub struct Gazetteer {
    entries: Vec<Entry>,
    paths: Vec<CompanyPath>,
    /// Lower-cased canonical names, aliases and `Parent/Child` paths → entry.
    strong: HashMap<String, u32>,
    /// Lower-cased weak aliases → entry.
    weak: HashMap<String, u32>,
    /// Tickers as written (upper case) → entry.
    tickers: HashMap<String, u32>,
}

static BUILTIN: OnceLock<Gazetteer> = OnceLock::new();

impl Gazetteer {
    /// The list compiled into the binary. A unit test proves it parses; should it ever fail,
    /// tagging degrades to the legal-suffix rule instead of aborting the program.
    pub fn builtin() -> Gazetteer {
        BUILTIN
            .get_or_init(|| {
                Self::parse(BUILTIN_TOML, "built-in companies.toml", None).unwrap_or_default()
            })
            .clone()
    }

    /// Parses a user list; a `parent` may name an entry of this text or of the built-in list.
    pub fn from_toml(text: &str, origin: &str) -> Result<Gazetteer, GazetteerError> {
        let builtin = Self::builtin();
        Self::parse(text, origin, Some(&builtin))
    }

    /// Reads and parses a user list from a file.
    pub fn load(path: &Path) -> Result<Gazetteer, GazetteerError> {
        let text = std::fs::read_to_string(path).map_err(|source| GazetteerError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Self::from_toml(&text, &path.display().to_string())
    }

    /// `self` with `user`'s entries added; a user entry replaces the entry of the same name.
    pub fn extended(self, user: Gazetteer) -> Gazetteer {
        let mut entries = self.entries;
        for entry in user.entries {
            let key = entry.name.to_lowercase();
            match entries.iter().position(|e| e.name.to_lowercase() == key) {
                Some(i) => entries[i] = entry,
                None => entries.push(entry),
            }
        }
        let paths = compute_paths(&entries, "extended", None, true).unwrap_or_default();
        Self::with_tables(entries, paths)
    }

    /// A stable short hash of the effective entries: changes whenever tagging could change.
    pub fn fingerprint(&self) -> String {
        let mut sorted: Vec<&Entry> = self.entries.iter().collect();
        sorted.sort_by(|a, b| a.name.cmp(&b.name));
        let bytes = serde_json::to_vec(&sorted).unwrap_or_default();
        format!("{:016x}", xxhash_rust::xxh3::xxh3_64(&bytes))
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Case-insensitive look-up of a canonical name, alias, weak alias, ticker or
    /// `Parent/Child` path; a trailing legal suffix ("Amazon.com Inc.") is ignored.
    pub fn resolve(&self, name: &str) -> Option<CompanyPath> {
        let name = name.trim();
        self.resolve_index(name)
            .or_else(|| self.tickers.get(&name.to_uppercase()).copied())
            .map(|i| self.paths[i as usize].clone())
    }

    /// The `limit` canonical names closest to `name`, best first (for "did you mean").
    pub fn suggest(&self, name: &str, limit: usize) -> Vec<String> {
        let wanted = name.trim().to_lowercase();
        let mut scored: Vec<(f64, &str)> = self
            .entries
            .iter()
            .map(|e| (best_similarity(&wanted, e), e.name.as_str()))
            .filter(|(score, _)| *score >= 0.7)
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
        scored
            .into_iter()
            .take(limit)
            .map(|(_, n)| n.to_string())
            .collect()
    }

    /// Entry index for a name, alias or weak alias (no tickers), with or without a suffix.
    pub(crate) fn resolve_index(&self, name: &str) -> Option<u32> {
        let lookup = |n: &str| {
            let key = n.to_lowercase();
            self.strong
                .get(&key)
                .or_else(|| self.weak.get(&key))
                .copied()
        };
        lookup(name).or_else(|| {
            let stripped = strip_legal_suffix(name);
            (stripped.len() < name.len())
                .then(|| lookup(stripped))
                .flatten()
        })
    }

    /// Entry index for a canonical name or strong alias only.
    pub(crate) fn resolve_strong(&self, name: &str) -> Option<u32> {
        self.strong.get(&name.to_lowercase()).copied()
    }

    pub(crate) fn entries(&self) -> &[Entry] {
        &self.entries
    }

    pub(crate) fn path(&self, index: u32) -> &CompanyPath {
        &self.paths[index as usize]
    }

    /// The parent entry of an entry, if it has one (parents are validated at build time).
    pub(crate) fn parent_of(&self, index: u32) -> Option<u32> {
        let parent = &self.entries[index as usize].parent;
        if parent.is_empty() {
            return None;
        }
        self.strong.get(&parent.to_lowercase()).copied()
    }

    pub(crate) fn ticker(&self, symbol: &str) -> Option<u32> {
        self.tickers.get(symbol).copied()
    }

    fn parse(
        text: &str,
        origin: &str,
        outer: Option<&Gazetteer>,
    ) -> Result<Gazetteer, GazetteerError> {
        let file: GazetteerFile = toml::from_str(text).map_err(|e| toml_error(text, origin, &e))?;
        let entries = file.company;
        check_names(&entries, origin)?;
        let paths = compute_paths(&entries, origin, outer, false)?;
        Ok(Self::with_tables(entries, paths))
    }

    fn with_tables(entries: Vec<Entry>, paths: Vec<CompanyPath>) -> Gazetteer {
        let mut g = Gazetteer {
            entries,
            paths,
            ..Gazetteer::default()
        };
        // Aliases first, canonical names last: a canonical name wins a collision.
        for (i, e) in g.entries.iter().enumerate() {
            let i = i as u32;
            for alias in &e.aliases {
                g.strong.entry(alias.to_lowercase()).or_insert(i);
            }
            for weak in &e.weak_aliases {
                g.weak.entry(weak.to_lowercase()).or_insert(i);
            }
            for ticker in &e.tickers {
                g.tickers.entry(ticker.to_uppercase()).or_insert(i);
            }
        }
        for (i, e) in g.entries.iter().enumerate() {
            g.strong.insert(e.name.to_lowercase(), i as u32);
            let path = g.paths[i].to_string().to_lowercase();
            g.strong.entry(path).or_insert(i as u32);
        }
        g
    }
}

fn best_similarity(wanted: &str, entry: &Entry) -> f64 {
    std::iter::once(&entry.name)
        .chain(&entry.aliases)
        .map(|n| strsim::jaro_winkler(wanted, &n.to_lowercase()))
        .fold(0.0, f64::max)
}

fn toml_error(text: &str, origin: &str, error: &toml::de::Error) -> GazetteerError {
    let offset = error.span().map_or(0, |s| s.start).min(text.len());
    let before = &text.as_bytes()[..offset];
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count()
        + 1;
    GazetteerError::Toml {
        origin: origin.to_string(),
        line,
        column,
        message: error
            .message()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" "),
    }
}

fn check_names(entries: &[Entry], origin: &str) -> Result<(), GazetteerError> {
    let mut seen = HashMap::new();
    for (index, e) in entries.iter().enumerate() {
        if e.name.trim().is_empty() {
            return Err(GazetteerError::EmptyName {
                origin: origin.to_string(),
                index: index + 1,
            });
        }
        if seen.insert(e.name.to_lowercase(), index).is_some() {
            return Err(GazetteerError::DuplicateName {
                origin: origin.to_string(),
                name: e.name.clone(),
            });
        }
    }
    Ok(())
}

/// Facet path of every entry: its ancestors' names, then its own. A parent may live in
/// `outer` (the built-in list, for user files). `lenient` turns unknown parents and loops
/// into top-level entries instead of errors (used after merging, where both lists were
/// already validated on their own).
fn compute_paths(
    entries: &[Entry],
    origin: &str,
    outer: Option<&Gazetteer>,
    lenient: bool,
) -> Result<Vec<CompanyPath>, GazetteerError> {
    let by_name: HashMap<String, usize> = entries
        .iter()
        .enumerate()
        .map(|(i, e)| (e.name.to_lowercase(), i))
        .collect();
    let mut paths = Vec::with_capacity(entries.len());
    for e in entries {
        match path_of(e, entries, &by_name, outer, origin) {
            Ok(path) => paths.push(path),
            Err(_) if lenient => paths.push(CompanyPath::new([e.name.clone()])),
            Err(err) => return Err(err),
        }
    }
    Ok(paths)
}

fn path_of(
    entry: &Entry,
    entries: &[Entry],
    by_name: &HashMap<String, usize>,
    outer: Option<&Gazetteer>,
    origin: &str,
) -> Result<CompanyPath, GazetteerError> {
    let mut segments = vec![entry.name.clone()];
    let mut current = entry;
    while !current.parent.is_empty() {
        let key = current.parent.to_lowercase();
        if let Some(&i) = by_name.get(&key) {
            current = &entries[i];
            if segments.len() > entries.len() {
                return Err(GazetteerError::ParentCycle {
                    origin: origin.to_string(),
                    name: entry.name.clone(),
                });
            }
            segments.push(current.name.clone());
            continue;
        }
        let outer_path = outer
            .and_then(|g| g.strong.get(&key).map(|&i| g.path(i)))
            .filter(|p| p.name().to_lowercase() == key);
        let Some(outer_path) = outer_path else {
            return Err(GazetteerError::UnknownParent {
                origin: origin.to_string(),
                name: current.name.clone(),
                parent: current.parent.clone(),
            });
        };
        segments.extend(outer_path.0.iter().rev().cloned());
        break;
    }
    segments.reverse();
    Ok(CompanyPath(segments))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: &str = r#"
[[company]]
name = "Amazon"
aliases = ["Amazon.com"]
tickers = ["AMZN"]
not_near = ["river"]

[[company]]
name = "AWS"
aliases = ["Amazon Web Services"]
parent = "Amazon"

[[company]]
name = "Meta"
aliases = ["Meta Platforms", "Facebook"]
weak_aliases = ["Meta"]
tickers = ["META"]
"#;

    fn small() -> Gazetteer {
        Gazetteer::parse(SMALL, "small.toml", None).unwrap()
    }

    #[test]
    fn builtin_list_parses() {
        let result = Gazetteer::parse(BUILTIN_TOML, "built-in", None);
        assert!(result.is_ok(), "{:?}", result.err());
        assert!(Gazetteer::builtin().len() == result.map(|g| g.len()).unwrap_or(0));
    }

    #[test]
    fn resolves_names_aliases_tickers_and_paths() {
        let g = small();
        let aws = CompanyPath::new(["Amazon", "AWS"]);
        assert_eq!(g.resolve("amazon web services"), Some(aws.clone()));
        assert_eq!(g.resolve("AWS"), Some(aws.clone()));
        assert_eq!(g.resolve("Amazon/AWS"), Some(aws));
        assert_eq!(g.resolve("AMZN"), Some(CompanyPath::new(["Amazon"])));
        assert_eq!(
            g.resolve("Amazon.com Inc."),
            Some(CompanyPath::new(["Amazon"]))
        );
        assert_eq!(g.resolve("facebook"), Some(CompanyPath::new(["Meta"])));
        assert_eq!(g.resolve("Acme"), None);
    }

    #[test]
    fn reports_toml_position() {
        let err = Gazetteer::parse("[[company]]\nname = 5\n", "x.toml", None).unwrap_err();
        let text = err.to_string();
        assert!(text.starts_with("x.toml:2:8: "), "{text}");
        let err = Gazetteer::parse("[[company]]\naliases = []\n", "y.toml", None).unwrap_err();
        assert!(err.to_string().contains("name"), "{err}");
    }

    #[test]
    fn rejects_duplicates_unknown_parents_and_loops() {
        let dup = "[[company]]\nname = \"A\"\n[[company]]\nname = \"a\"\n";
        assert!(matches!(
            Gazetteer::parse(dup, "d", None),
            Err(GazetteerError::DuplicateName { .. })
        ));
        let orphan = "[[company]]\nname = \"A\"\nparent = \"Nowhere Zzz\"\n";
        assert!(matches!(
            Gazetteer::from_toml(orphan, "o"),
            Err(GazetteerError::UnknownParent { .. })
        ));
        let cycle = "[[company]]\nname = \"A\"\nparent = \"B\"\n[[company]]\nname = \"B\"\nparent = \"A\"\n";
        assert!(matches!(
            Gazetteer::parse(cycle, "c", None),
            Err(GazetteerError::ParentCycle { .. })
        ));
    }

    #[test]
    fn user_entries_extend_and_override() {
        let user = "[[company]]\nname = \"Amazon\"\naliases = [\"Amzn Corp\"]\n\
                    [[company]]\nname = \"Kuiper\"\nparent = \"Amazon\"\n";
        let user = Gazetteer::parse(user, "user", Some(&small())).unwrap();
        let before = small().fingerprint();
        let merged = small().extended(user);
        assert_eq!(merged.len(), 4);
        assert_eq!(
            merged.resolve("Kuiper"),
            Some(CompanyPath::new(["Amazon", "Kuiper"]))
        );
        assert_eq!(
            merged.resolve("Amazon.com"),
            None,
            "override replaces the aliases"
        );
        assert_ne!(merged.fingerprint(), before);
        assert_eq!(small().fingerprint(), before);
    }

    #[test]
    fn suggests_close_names() {
        assert_eq!(small().suggest("amazn", 1), vec!["Amazon".to_string()]);
        assert!(small().suggest("zzzz", 3).is_empty());
    }
}
