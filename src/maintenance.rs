//! Whole-index operations beyond ingest and search: statistics (`graf stats`) and merging
//! indexes built separately, e.g. shards of one corpus (`graf merge`).

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};

use serde::Serialize;
use tantivy::Index;

use crate::error::{Error, Result};
use crate::indexer::{catalogue, company_paths, GrafIndex, IndexInfo};
use crate::schema::SCHEMA_VERSION;

/// What `graf stats` reports.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct IndexStats {
    pub path: String,
    pub articles: u64,
    pub passages: u64,
    /// Distinct company facet paths (subsidiaries count separately).
    pub companies: u64,
    pub bytes_on_disk: u64,
    pub segments: u64,
    pub schema_version: u32,
    pub gazetteer: String,
}

/// Counts what an index holds.
pub fn stats(graf: &GrafIndex) -> Result<IndexStats> {
    let searcher = graf.reader()?.searcher();
    let info = graf.info()?;
    let dir = graf.dir().map(Path::to_path_buf).unwrap_or_default();
    Ok(IndexStats {
        path: dir.display().to_string(),
        articles: catalogue(&searcher)?.len() as u64,
        passages: searcher.num_docs(),
        companies: company_paths(&searcher, &graf.fields())?.len() as u64,
        bytes_on_disk: directory_size(&dir),
        segments: searcher.segment_readers().len() as u64,
        schema_version: info.schema_version,
        gazetteer: info.gazetteer,
    })
}

fn directory_size(dir: &Path) -> u64 {
    let Ok(entries) = fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .filter_map(|entry| entry.metadata().ok())
        .filter(|meta| meta.is_file())
        .map(|meta| meta.len())
        .sum()
}

/// Merges graf indexes into a new index at `output`, which must not exist or be empty.
/// Refuses inputs of another schema and inputs that share article ids (the merged index
/// would hold those articles twice).
pub fn merge(output: &Path, inputs: &[PathBuf]) -> Result<IndexStats> {
    if inputs.is_empty() {
        return Err(Error::Merge("name at least one input index".into()));
    }
    check_output(output)?;
    let opened = inputs
        .iter()
        .map(|path| GrafIndex::open(path))
        .collect::<Result<Vec<_>>>()?;
    check_schemas(&opened, inputs)?;
    // Every input's checksums are read first: tantivy copies a flipped byte into the merged
    // index without noticing, and a merge is the moment to stop damage from spreading.
    if let Some(damaged) = damaged_input(&opened, inputs) {
        return Err(damaged);
    }
    let disjoint = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        check_disjoint(&opened, inputs)
    }));
    match disjoint {
        Ok(checked) => checked?,
        Err(panic) => {
            return Err(damaged_input(&opened, inputs)
                .unwrap_or_else(|| Error::Merge(crate::health::panic_message(&*panic))))
        }
    }
    // Built aside and renamed into place only when complete: a failed merge (a damaged
    // input, a full disk) leaves no half-written OUT to block the next attempt.
    let building = crate::aside::sibling(output, "merging");
    if building.exists() {
        fs::remove_dir_all(&building).map_err(|err| Error::io(&building, err))?;
    }
    fs::create_dir_all(&building).map_err(|err| Error::io(&building, err))?;
    if let Err(err) = merge_into(&building, &opened, inputs) {
        let _ = fs::remove_dir_all(&building);
        return Err(err);
    }
    if output.exists() {
        // Checked empty above.
        fs::remove_dir(output).map_err(|err| Error::io(output, err))?;
    }
    fs::rename(&building, output).map_err(|err| Error::io(output, err))?;
    stats(&GrafIndex::open(output)?)
}

/// Merges the opened inputs into the empty directory `building`; an input tantivy trips over
/// is named as damaged.
fn merge_into(building: &Path, opened: &[GrafIndex], inputs: &[PathBuf]) -> Result<()> {
    let indexes: Vec<Index> = opened.iter().map(|graf| graf.index().clone()).collect();
    let directory = crate::directory::IndexDirectory::open(building)
        .map_err(|err| Error::Merge(err.to_string()))?;
    let merged = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        tantivy::indexer::merge_indices(&indexes, directory)
    }));
    match merged {
        Ok(Ok(_)) => {}
        Ok(Err(err)) => return Err(damaged_input(opened, inputs).unwrap_or(Error::Tantivy(err))),
        Err(panic) => {
            return Err(damaged_input(opened, inputs)
                .unwrap_or_else(|| Error::Merge(crate::health::panic_message(&*panic))))
        }
    }
    let merged = GrafIndex::open_unchecked(building)?;
    merged.write_info(&IndexInfo {
        schema_version: SCHEMA_VERSION,
        gazetteer: merged_gazetteer(opened)?,
    })
}

/// The first input whose files fail their checksums, as a [`Error::Damaged`].
fn damaged_input(opened: &[GrafIndex], inputs: &[PathBuf]) -> Option<Error> {
    opened.iter().zip(inputs).find_map(|(graf, path)| {
        let health = match crate::health::check(path, graf.index()) {
            Ok(health) => health,
            Err(damaged @ Error::Damaged { .. }) => return Some(damaged),
            Err(_) => return None,
        };
        let file = health.damaged.first()?;
        Some(Error::Damaged {
            path: path.clone(),
            detail: format!("{} fails its checksum", file.file),
        })
    })
}

fn check_output(output: &Path) -> Result<()> {
    let occupied = fs::read_dir(output).is_ok_and(|mut entries| entries.next().is_some());
    if occupied {
        return Err(Error::Merge(format!(
            "the output {} is not empty: name a new directory",
            output.display()
        )));
    }
    Ok(())
}

fn check_schemas(opened: &[GrafIndex], inputs: &[PathBuf]) -> Result<()> {
    let first = serde_json::to_string(&opened[0].index().schema()).unwrap_or_default();
    for (graf, path) in opened.iter().zip(inputs).skip(1) {
        if serde_json::to_string(&graf.index().schema()).unwrap_or_default() != first {
            return Err(Error::Merge(format!(
                "{} has a different schema from {}",
                path.display(),
                inputs[0].display()
            )));
        }
    }
    Ok(())
}

fn check_disjoint(opened: &[GrafIndex], inputs: &[PathBuf]) -> Result<()> {
    let mut seen: HashSet<String> = HashSet::new();
    for (graf, path) in opened.iter().zip(inputs) {
        let ids = catalogue(&graf.reader()?.searcher())?;
        if let Some(shared) = ids.keys().find(|id| seen.contains(*id)) {
            return Err(Error::Merge(format!(
                "article {shared:?} of {} is also in an earlier input: shards must not overlap",
                path.display()
            )));
        }
        seen.extend(ids.into_keys());
    }
    Ok(())
}

/// The inputs' common gazetteer; "mixed" when they were tagged with different ones.
fn merged_gazetteer(opened: &[GrafIndex]) -> Result<String> {
    let names: HashSet<String> = opened
        .iter()
        .map(|graf| graf.info().map(|info| info.gazetteer))
        .collect::<Result<_>>()?;
    Ok(if names.len() == 1 {
        names.into_iter().next().unwrap_or_default()
    } else {
        "mixed".to_string()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indexer::add_article;
    use crate::testing::{article, passage};

    fn index_with(dir: &Path, id: &str, passages: u32) {
        let graf = GrafIndex::open_or_create(dir).unwrap();
        let mut writer = graf.writer(1, 50_000_000).unwrap();
        let passages = (0..passages)
            .map(|n| passage(n, &format!("passage {n}"), &[]))
            .collect();
        add_article(&writer, &graf.fields(), &article(id, passages)).unwrap();
        writer.commit().unwrap();
    }

    #[test]
    fn merge_adds_up_disjoint_shards_and_stats_count_them() {
        let dir = tempfile::tempdir().unwrap();
        index_with(&dir.path().join("a"), "one", 2);
        index_with(&dir.path().join("b"), "two", 3);
        let merged = merge(
            &dir.path().join("out"),
            &[dir.path().join("a"), dir.path().join("b")],
        )
        .unwrap();
        assert_eq!(
            (merged.articles, merged.passages, merged.segments),
            (2, 5, 1)
        );
        assert!(merged.bytes_on_disk > 0);
    }

    #[test]
    fn merge_refuses_overlapping_shards_and_occupied_outputs() {
        let dir = tempfile::tempdir().unwrap();
        index_with(&dir.path().join("a"), "one", 1);
        let overlap = merge(
            &dir.path().join("out"),
            &[dir.path().join("a"), dir.path().join("a")],
        );
        assert!(matches!(overlap, Err(Error::Merge(m)) if m.contains("overlap")));
        let occupied = merge(&dir.path().join("a"), &[dir.path().join("a")]);
        assert!(matches!(occupied, Err(Error::Merge(m)) if m.contains("not empty")));
    }
}
