//! "Did you mean": the names nearest to one a user typed that matched nothing. One scoring
//! for every suggestion graf makes, so that a typo gets the same answer wherever it is typed.

/// How alike a typed name and a known one must be (Jaro-Winkler on folded case).
const ALIKE: f64 = 0.75;
/// The likeness of a name that starts with the typed one, or that the typed one starts with:
/// `amaz` means Amazon however short it is.
const PREFIX: f64 = 0.9;

/// Up to `limit` labels whose forms look like `wanted`, most alike first, equals in label
/// order. Each candidate is a label (what the suggestion prints) and the forms it may be
/// typed as (a name and its aliases); a label counts at its best form.
pub(crate) fn nearest<'a, Forms>(
    wanted: &str,
    candidates: impl IntoIterator<Item = (String, Forms)>,
    limit: usize,
) -> Vec<String>
where
    Forms: IntoIterator<Item = &'a str>,
{
    let folded = wanted.trim().to_lowercase();
    let mut scored: Vec<(f64, String)> = candidates
        .into_iter()
        .map(|(label, forms)| {
            let best = forms
                .into_iter()
                .map(|form| likeness(&folded, &form.to_lowercase()))
                .fold(0.0, f64::max);
            (best, label)
        })
        .filter(|(score, _)| *score >= ALIKE)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    scored.dedup_by(|a, b| a.1 == b.1);
    scored
        .into_iter()
        .take(limit)
        .map(|(_, label)| label)
        .collect()
}

fn likeness(folded: &str, candidate: &str) -> f64 {
    let score = strsim::jaro_winkler(folded, candidate);
    if candidate.starts_with(folded) || folded.starts_with(candidate) {
        score.max(PREFIX)
    } else {
        score
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&'static str]) -> Vec<(String, Vec<&'static str>)> {
        list.iter().map(|n| (n.to_string(), vec![*n])).collect()
    }

    #[test]
    fn suggests_alike_names_best_first_and_nothing_unlike() {
        let known = names(&["Nvidia", "Amazon", "Tesco"]);
        assert_eq!(nearest("Nvidea", known.clone(), 3), ["Nvidia"]);
        assert_eq!(nearest("amaz", known.clone(), 3), ["Amazon"]);
        assert!(nearest("zzzz", known, 3).is_empty());
    }

    #[test]
    fn a_label_counts_at_its_best_form() {
        let known = vec![("Amazon/AWS".to_string(), vec!["AWS", "Amazon Web Services"])];
        assert_eq!(nearest("amazon web service", known, 1), ["Amazon/AWS"]);
    }
}
