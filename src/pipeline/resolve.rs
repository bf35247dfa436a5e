//! Names as users type them resolved against what the index holds: companies (aliases,
//! tickers, any case, `Amazon/AWS`) and sources (any case).

use crate::companies::Gazetteer;
use crate::error::{Error, Result};
use crate::model::CompanyPath;
use crate::search::{split_company_terms, SearchRequest};

/// Takes the `company:` terms out of the request's query and resolves them, with the names
/// given apart (`company_names`), to the request's company paths; `known` lists the index's
/// paths, and is asked only when there is a name to resolve.
pub(crate) fn resolve_request_companies(
    request: &mut SearchRequest,
    company_names: &[String],
    gazetteer: &Gazetteer,
    known: impl FnOnce() -> Result<Vec<CompanyPath>>,
) -> Result<()> {
    let split = split_company_terms(&request.query);
    let mut names = company_names.to_vec();
    names.extend(split.companies);
    request.query = split.text;
    if !names.is_empty() {
        request.companies = resolve_companies(&names, &known()?, gazetteer)?;
    }
    Ok(())
}

/// Resolves company names as users type them (aliases, tickers, any case, `Amazon/AWS`) to
/// the company paths of this index; an unknown name is an error that suggests the nearest.
pub(crate) fn resolve_companies(
    names: &[String],
    known: &[CompanyPath],
    gazetteer: &Gazetteer,
) -> Result<Vec<CompanyPath>> {
    names
        .iter()
        .map(|name| resolve_company(name, known, gazetteer))
        .collect()
}

fn resolve_company(
    name: &str,
    known: &[CompanyPath],
    gazetteer: &Gazetteer,
) -> Result<CompanyPath> {
    let wanted = name.trim();
    let listed = gazetteer.resolve(wanted);
    let folded = wanted.to_lowercase();
    let mut candidates: Vec<CompanyPath> = gazetteer
        .candidates(wanted)
        .into_iter()
        .filter(|path| known.contains(path))
        .collect();
    if candidates.is_empty() {
        // Firms the tagger found in the text are in the index but in no list.
        let by_path = known
            .iter()
            .filter(|path| path.to_string().to_lowercase() == folded);
        let by_name = known
            .iter()
            .filter(|path| path.name().to_lowercase() == folded);
        candidates = by_path.chain(by_name).cloned().collect();
        candidates.sort();
        candidates.dedup();
    }
    // Several names that differ only in case (MACMILLAN, Macmillan): one typed exactly as
    // the index spells it is that one, not an ambiguity.
    if candidates.len() > 1 {
        if let Some(exact) = candidates
            .iter()
            .find(|path| path.to_string() == wanted || path.name() == wanted)
        {
            return Ok(exact.clone());
        }
    }
    match candidates.len() {
        1 => return Ok(candidates.remove(0)),
        0 => {}
        _ => {
            return Err(Error::AmbiguousCompany {
                name: wanted.to_string(),
                candidates: candidates.iter().map(ToString::to_string).collect(),
            })
        }
    }
    // A company graf knows that no passage names: zero hits, as a script filtering on it
    // expects, not an error.
    if let Some(path) = listed {
        return Ok(path);
    }
    Err(Error::UnknownCompany {
        name: wanted.to_string(),
        suggestions: nearest_names(wanted, known),
    })
}

/// Resolves `--source` names against the sources of the index in any case, as `--company`
/// does; a name no article has matches nothing (zero hits, exit 0).
pub(crate) fn resolve_sources(names: &[String], known: &[String]) -> Result<Vec<String>> {
    let mut resolved = Vec::new();
    for name in names {
        let folded = name.trim().to_lowercase();
        let matching: Vec<String> = known
            .iter()
            .filter(|source| source.to_lowercase() == folded)
            .cloned()
            .collect();
        if matching.is_empty() {
            // A source no article has matches nothing: an empty page, as for a known company
            // that no passage names.
            resolved.push(name.clone());
            continue;
        }
        resolved.extend(matching);
    }
    Ok(resolved)
}

/// Up to three company names of the index that look like `name`.
fn nearest_names(name: &str, known: &[CompanyPath]) -> Vec<String> {
    let candidates = known.iter().map(|path| (path.to_string(), [path.name()]));
    crate::suggest::nearest(name, candidates, 3)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::tagger;

    #[test]
    fn a_company_typed_as_the_index_spells_it_is_not_ambiguous() {
        let known = [
            CompanyPath::new(["MACMILLAN"]),
            CompanyPath::new(["Macmillan"]),
        ];
        let gazetteer = Gazetteer::default();
        let exact = resolve_companies(&["MACMILLAN".to_string()], &known, &gazetteer).unwrap();
        assert_eq!(exact, [CompanyPath::new(["MACMILLAN"])]);
        let other = resolve_companies(&["macmillan".to_string()], &known, &gazetteer);
        assert!(matches!(other, Err(Error::AmbiguousCompany { .. })));
    }

    #[test]
    fn company_names_resolve_by_alias_path_and_case_or_suggest() {
        let known = vec![
            CompanyPath::new(["Amazon"]),
            CompanyPath::new(["Amazon", "AWS"]),
            CompanyPath::new(["Nvidia"]),
        ];
        let gazetteer = tagger().gazetteer().clone();
        let resolve = |name: &str| resolve_company(name, &known, &gazetteer);
        assert_eq!(
            resolve("amazon web services").unwrap(),
            CompanyPath::new(["Amazon", "AWS"])
        );
        assert_eq!(
            resolve("amazon/aws").unwrap(),
            CompanyPath::new(["Amazon", "AWS"])
        );
        assert_eq!(resolve("NVIDIA").unwrap(), CompanyPath::new(["Nvidia"]));
        match resolve("Nvidea") {
            Err(Error::UnknownCompany { suggestions, .. }) => {
                assert_eq!(suggestions, vec!["Nvidia"])
            }
            other => panic!("{other:?}"),
        }
    }
}
