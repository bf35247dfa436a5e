//! The metric arithmetic: one query's ranked doc ids against its judgments ([`score_query`]),
//! and a whole run averaged over its judged queries ([`evaluate`]). Definitions are in the
//! [module docs](super).

use std::collections::{HashMap, HashSet};

use super::Qrels;

/// Rank cut-off of nDCG.
const NDCG_DEPTH: usize = 10;
/// Rank cut-off of recall.
const RECALL_DEPTH: usize = 100;

/// The scores of one query, or their means over a run.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Metrics {
    pub ndcg_at_10: f64,
    /// Average precision for one query; mean average precision in [`Report::mean`].
    pub map: f64,
    pub recall_at_100: f64,
}

/// The outcome of a run: means over the evaluated queries and the scores of each one.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Report {
    /// Queries evaluated (those with at least one relevant judgment).
    pub queries: usize,
    /// Queries of the run left out because no judged doc is relevant (or none is judged).
    pub skipped_unjudged: usize,
    /// Means over the evaluated queries; all zero when none was evaluated.
    pub mean: Metrics,
    /// Each evaluated query's id and scores, in run order.
    pub per_query: Vec<(String, Metrics)>,
}

impl Report {
    /// Why the figures may be meaningless, one sentence each: a run that matched no judgment
    /// prints 0.0000 like a ranking that found nothing, and the reader must be told which.
    /// `judged_queries` is the number of queries the qrels file holds.
    pub fn warnings(&self, judged_queries: usize) -> Vec<String> {
        let mut warnings = Vec::new();
        if judged_queries == 0 {
            warnings.push("the qrels file holds no judgment: there is nothing to score".into());
        } else if self.queries == 0 {
            warnings.push(format!(
                "no query id of the query file has a relevant judgment in the qrels file \
                 ({judged_queries} judged queries there): are they the files of one collection?"
            ));
        } else if self.mean.recall_at_100 == 0.0 {
            warnings.push(format!(
                "no relevant document was found for any of the {} queries: do the qrels' \
                 document ids match the article ids of this index (the wrong index?)",
                self.queries
            ));
        }
        warnings
    }
}

/// Scores one query's ranking against its judgments. Later duplicates of a doc id are dropped
/// before ranking, so a doc is credited once, at its first rank. Unjudged docs have gain 0.
/// A query with no relevant judgment scores all zeros.
pub fn score_query(ranked_doc_ids: &[String], judged: &HashMap<String, u32>) -> Metrics {
    let relevant_total = judged.values().filter(|&&gain| gain > 0).count();
    if relevant_total == 0 {
        return Metrics::default();
    }
    let gains = ranked_gains(ranked_doc_ids, judged);
    Metrics {
        ndcg_at_10: ndcg(&gains, judged),
        map: average_precision(&gains, relevant_total),
        recall_at_100: recall(&gains, relevant_total),
    }
}

/// Scores every query of a run that has a relevant judgment, skipping (and counting) the rest.
pub fn evaluate(runs: impl IntoIterator<Item = (String, Vec<String>)>, qrels: &Qrels) -> Report {
    let mut report = Report::default();
    for (qid, ranked) in runs {
        match qrels.judged(&qid).filter(|judged| has_relevant(judged)) {
            Some(judged) => {
                let metrics = score_query(&ranked, judged);
                report.per_query.push((qid, metrics));
            }
            None => report.skipped_unjudged += 1,
        }
    }
    report.queries = report.per_query.len();
    report.mean = mean(report.per_query.iter().map(|(_, metrics)| metrics));
    report
}

fn has_relevant(judged: &HashMap<String, u32>) -> bool {
    judged.values().any(|&gain| gain > 0)
}

/// The gain at each rank of the ranking, after dropping repeated doc ids.
fn ranked_gains(ranked_doc_ids: &[String], judged: &HashMap<String, u32>) -> Vec<u32> {
    let mut seen = HashSet::new();
    ranked_doc_ids
        .iter()
        .filter(|doc| seen.insert(doc.as_str()))
        .map(|doc| judged.get(doc).copied().unwrap_or(0))
        .collect()
}

/// DCG of gains listed in rank order (first = rank 1), cut at [`NDCG_DEPTH`].
fn dcg(gains_in_rank_order: impl IntoIterator<Item = u32>) -> f64 {
    gains_in_rank_order
        .into_iter()
        .take(NDCG_DEPTH)
        .enumerate()
        .map(|(index, gain)| f64::from(gain) / (index as f64 + 2.0).log2())
        .sum()
}

/// nDCG@10; the ideal ranking orders all judged gains, retrieved or not.
fn ndcg(gains: &[u32], judged: &HashMap<String, u32>) -> f64 {
    let mut ideal: Vec<u32> = judged.values().copied().collect();
    ideal.sort_unstable_by(|a, b| b.cmp(a));
    let ideal_dcg = dcg(ideal);
    if ideal_dcg == 0.0 {
        return 0.0;
    }
    dcg(gains.iter().copied()) / ideal_dcg
}

fn average_precision(gains: &[u32], relevant_total: usize) -> f64 {
    let mut hits = 0usize;
    let mut precision_sum = 0.0;
    for (index, &gain) in gains.iter().enumerate() {
        if gain > 0 {
            hits += 1;
            precision_sum += hits as f64 / (index + 1) as f64;
        }
    }
    precision_sum / relevant_total as f64
}

fn recall(gains: &[u32], relevant_total: usize) -> f64 {
    let found = gains.iter().take(RECALL_DEPTH).filter(|&&g| g > 0).count();
    found as f64 / relevant_total as f64
}

fn mean<'a>(scores: impl ExactSizeIterator<Item = &'a Metrics>) -> Metrics {
    let count = scores.len();
    if count == 0 {
        return Metrics::default();
    }
    let sum = scores.fold(Metrics::default(), |sum, m| Metrics {
        ndcg_at_10: sum.ndcg_at_10 + m.ndcg_at_10,
        map: sum.map + m.map,
        recall_at_100: sum.recall_at_100 + m.recall_at_100,
    });
    let count = count as f64;
    Metrics {
        ndcg_at_10: sum.ndcg_at_10 / count,
        map: sum.map / count,
        recall_at_100: sum.recall_at_100 / count,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meaningless_runs_are_warned_about() {
        let empty = Report::default();
        assert!(empty.warnings(0)[0].contains("no judgment"));
        let unmatched = Report {
            skipped_unjudged: 3,
            ..Report::default()
        };
        assert!(unmatched.warnings(5)[0].contains("no query id"));
        let all_zero = Report {
            queries: 2,
            per_query: vec![("1".into(), Metrics::default()); 2],
            ..Report::default()
        };
        assert!(all_zero.warnings(2)[0].contains("no relevant document was found"));
        let fine = Report {
            queries: 1,
            mean: Metrics {
                ndcg_at_10: 0.5,
                map: 0.5,
                recall_at_100: 1.0,
            },
            ..Report::default()
        };
        assert!(fine.warnings(1).is_empty());
    }
    use crate::eval::trec::parse_qrels;
    use crate::eval::GainRule;
    use std::path::Path;

    fn judged(pairs: &[(&str, u32)]) -> HashMap<String, u32> {
        pairs.iter().map(|&(d, g)| (d.to_owned(), g)).collect()
    }

    fn ranked(ids: &[&str]) -> Vec<String> {
        ids.iter().map(|&id| id.to_owned()).collect()
    }

    fn assert_close(actual: f64, expected: f64) {
        assert!((actual - expected).abs() < 1e-6, "{actual} != {expected}");
    }

    fn assert_metrics(m: Metrics, ndcg: f64, map: f64, recall: f64) {
        assert_close(m.ndcg_at_10, ndcg);
        assert_close(m.map, map);
        assert_close(m.recall_at_100, recall);
    }

    #[test]
    fn binary_judgments_with_a_miss_in_between() {
        // DCG = 1 + 1/log2(4) = 1.5; ideal = 1 + 1/log2(3) = 1.630930; AP = (1/1 + 2/3) / 2.
        let m = score_query(
            &ranked(&["a", "x", "b"]),
            &judged(&[("a", 1), ("b", 1), ("c", 0)]),
        );
        assert_metrics(m, 0.919_720_8, 0.833_333_3, 1.0);
    }

    #[test]
    fn graded_gains_in_reverse_order() {
        // DCG = 1 + 2/log2(3) + 3/2 = 3.761860; ideal = 3 + 2/log2(3) + 1/2 = 4.761860.
        let judged = judged(&[("a", 3), ("b", 2), ("c", 1)]);
        let m = score_query(&ranked(&["c", "b", "a"]), &judged);
        assert_metrics(m, 0.789_998_0, 1.0, 1.0);
    }

    #[test]
    fn unretrieved_relevant_docs_lower_ideal_ap_and_recall() {
        // DCG = 1.5; ideal = 1 + 0.630930 + 0.5 + 0.430677 = 2.561606; AP = (1 + 2/3) / 4.
        let judged = judged(&[("a", 1), ("b", 1), ("c", 1), ("d", 1)]);
        let m = score_query(&ranked(&["a", "z", "b"]), &judged);
        assert_metrics(m, 0.585_570_1, 0.416_666_7, 0.5);
    }

    #[test]
    fn empty_run_scores_zero() {
        let m = score_query(&[], &judged(&[("a", 2)]));
        assert_eq!(m, Metrics::default());
    }

    #[test]
    fn no_relevant_judgment_scores_zero() {
        let m = score_query(&ranked(&["a"]), &judged(&[("a", 0)]));
        assert_eq!(m, Metrics::default());
    }

    #[test]
    fn duplicates_count_once_at_first_rank() {
        // Same as ["a", "b"]: both relevant docs at ranks 1 and 2.
        let m = score_query(
            &ranked(&["a", "a", "b", "a"]),
            &judged(&[("a", 1), ("b", 1)]),
        );
        assert_metrics(m, 1.0, 1.0, 1.0);
    }

    #[test]
    fn cut_offs_limit_ndcg_and_recall_but_not_ap() {
        let mut run: Vec<String> = (0..100).map(|i| format!("n{i}")).collect();
        run.push("r".to_owned());
        // The only relevant doc sits at rank 101: beyond both cut-offs, AP = 1/101.
        let m = score_query(&run, &judged(&[("r", 1)]));
        assert_metrics(m, 0.0, 1.0 / 101.0, 0.0);
        // At rank 11 it is beyond nDCG@10 only.
        run.truncate(10);
        run.push("r".to_owned());
        let m = score_query(&run, &judged(&[("r", 1)]));
        assert_metrics(m, 0.0, 1.0 / 11.0, 1.0);
    }

    #[test]
    fn evaluate_skips_queries_without_relevant_judgments() {
        let qrels_text = "1 0 a 1\n1 0 b 1\n2 0 a 0\n3 0 c 2\n";
        let qrels = parse_qrels(qrels_text.as_bytes(), Path::new("q"), GainRule::Direct).unwrap();
        let runs = vec![
            ("1".to_owned(), ranked(&["a", "x", "b"])),
            ("2".to_owned(), ranked(&["a"])),
            ("9".to_owned(), ranked(&["a"])),
            ("3".to_owned(), ranked(&[])),
        ];
        let report = evaluate(runs, &qrels);
        assert_eq!((report.queries, report.skipped_unjudged), (2, 2));
        let ids: Vec<&str> = report.per_query.iter().map(|(id, _)| id.as_str()).collect();
        assert_eq!(ids, ["1", "3"]);
        // Query 1 as in `binary_judgments_with_a_miss_in_between`, query 3 scores zero.
        assert_metrics(report.mean, 0.919_720_8 / 2.0, 0.833_333_3 / 2.0, 0.5);
    }

    #[test]
    fn evaluate_with_nothing_judged_reports_zero_means() {
        let report = evaluate(vec![("1".to_owned(), ranked(&["a"]))], &Qrels::default());
        assert_eq!((report.queries, report.skipped_unjudged), (0, 1));
        assert_eq!(report.mean, Metrics::default());
    }
}
