//! Reads TREC relevance judgments ("qrels"): one `qid iter docid rel` line per judgment,
//! whitespace-separated, `iter` ignored. Each relevance code is turned into a gain once, here,
//! by a [`GainRule`], so the metrics only ever see non-negative gains.

use std::collections::HashMap;
use std::io::BufRead;
use std::path::Path;

use super::EvalError;

/// How a collection's relevance codes map to gains (0 = not relevant).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GainRule {
    /// The code is the gain; codes ≤ 0 (non-relevant, "spam" = -1) give 0.
    Direct,
    /// Code 1 is the best: codes `1..=max` give `max + 1 - code`, anything else gives 0.
    /// Cranfield uses `Inverted { max: 4 }` (1 → gain 4 … 4 → gain 1, -1 → 0).
    Inverted { max: u32 },
}

impl GainRule {
    /// The gain of one relevance code.
    pub(crate) fn gain(self, code: i64) -> u32 {
        match self {
            GainRule::Direct => u32::try_from(code.max(0)).unwrap_or(u32::MAX),
            GainRule::Inverted { max } => match u32::try_from(code) {
                Ok(code) if (1..=max).contains(&code) => max + 1 - code,
                _ => 0,
            },
        }
    }
}

/// The judgments of a collection: query id → (doc id → gain). Judged non-relevant docs are kept
/// with gain 0, so "judged" and "relevant" stay distinguishable.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Qrels {
    by_query: HashMap<String, HashMap<String, u32>>,
}

impl Qrels {
    /// The judged docs of a query with their gains, or `None` if the query has no judgment.
    pub fn judged(&self, qid: &str) -> Option<&HashMap<String, u32>> {
        self.by_query.get(qid)
    }

    /// The number of queries with at least one judgment (relevant or not).
    pub fn len(&self) -> usize {
        self.by_query.len()
    }

    /// True when no judgment was read.
    pub fn is_empty(&self) -> bool {
        self.by_query.is_empty()
    }
}

/// Reads a TREC qrels file, mapping relevance codes to gains with `rule`; blank lines are
/// skipped.
///
/// Fails, naming `file:line`, on a line without exactly four fields, a non-integer relevance,
/// or a doc judged twice for the same query (the two gains could disagree; `trec_eval` refuses
/// duplicates too).
pub fn read_qrels(path: &Path, rule: GainRule) -> Result<Qrels, EvalError> {
    parse_qrels(super::open(path)?, path, rule)
}

/// [`read_qrels`] over any reader; `path` only labels errors.
pub(crate) fn parse_qrels(
    reader: impl BufRead,
    path: &Path,
    rule: GainRule,
) -> Result<Qrels, EvalError> {
    let mut qrels = Qrels::default();
    for line in super::numbered_lines(reader, path) {
        let (line_no, line) = line?;
        let invalid = |reason: String| EvalError::Invalid {
            path: path.to_path_buf(),
            line: line_no,
            reason,
        };
        let (qid, docid, code) = split_judgment(&line).map_err(invalid)?;
        let judged = qrels.by_query.entry(qid.to_owned()).or_default();
        if judged.insert(docid.to_owned(), rule.gain(code)).is_some() {
            return Err(invalid(format!(
                "doc {docid:?} is judged twice for query {qid:?}"
            )));
        }
    }
    Ok(qrels)
}

/// Splits `qid iter docid rel` into (qid, docid, rel), or says what is wrong with the line.
fn split_judgment(line: &str) -> Result<(&str, &str, i64), String> {
    let fields: Vec<&str> = line.split_whitespace().collect();
    let [qid, _iter, docid, rel] = fields[..] else {
        return Err(format!(
            "expected 4 fields \"qid iter docid rel\", found {}",
            fields.len()
        ));
    };
    let code = rel
        .parse::<i64>()
        .map_err(|_| format!("relevance {rel:?} is not an integer"))?;
    Ok((qid, docid, code))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str, rule: GainRule) -> Result<Qrels, EvalError> {
        parse_qrels(text.as_bytes(), Path::new("qrels.txt"), rule)
    }

    #[test]
    fn direct_gain_keeps_positive_codes_only() {
        let rule = GainRule::Direct;
        assert_eq!(
            [-1, 0, 1, 2, 3].map(|code| rule.gain(code)),
            [0, 0, 1, 2, 3]
        );
    }

    #[test]
    fn inverted_gain_makes_code_one_the_best() {
        let rule = GainRule::Inverted { max: 4 };
        let gains = [-1, 0, 1, 2, 3, 4, 5].map(|code| rule.gain(code));
        assert_eq!(gains, [0, 0, 4, 3, 2, 1, 0]);
    }

    #[test]
    fn reads_judgments_per_query_with_gains() {
        let text = "7 0 d1 2\n7 0 d2 0\n\n 8\t0  d1  -1 \r\n";
        let qrels = parse(text, GainRule::Direct).unwrap();
        assert_eq!(qrels.len(), 2);
        let seven = qrels.judged("7").unwrap();
        assert_eq!((seven["d1"], seven["d2"]), (2, 0));
        assert_eq!(qrels.judged("8").unwrap()["d1"], 0);
        assert!(qrels.judged("9").is_none());
    }

    #[test]
    fn reads_cranfield_codes_inverted() {
        let qrels = parse("1 0 184 1\n1 0 29 4\n", GainRule::Inverted { max: 4 }).unwrap();
        let judged = qrels.judged("1").unwrap();
        assert_eq!((judged["184"], judged["29"]), (4, 1));
    }

    #[test]
    fn malformed_lines_name_file_and_line() {
        let err = parse("1 0 a 1\n1 0 b\n", GainRule::Direct).unwrap_err();
        let expected = "qrels.txt:2: expected 4 fields \"qid iter docid rel\", found 3";
        assert_eq!(err.to_string(), expected);
        let err = parse("1 0 a yes\n", GainRule::Direct).unwrap_err();
        assert_eq!(
            err.to_string(),
            "qrels.txt:1: relevance \"yes\" is not an integer"
        );
    }

    #[test]
    fn duplicate_judgment_is_an_error() {
        let err = parse("1 0 a 1\n2 0 a 1\n1 0 a 2\n", GainRule::Direct).unwrap_err();
        assert_eq!(
            err.to_string(),
            "qrels.txt:3: doc \"a\" is judged twice for query \"1\""
        );
    }

    #[test]
    fn missing_file_is_an_open_error() {
        let err = read_qrels(Path::new("/nonexistent/qrels.txt"), GainRule::Direct).unwrap_err();
        assert!(matches!(err, EvalError::Open { .. }));
    }

    /// Checks the reader against a real collection: every line of MED's qrels must land in
    /// [`Qrels`], and every query of its query file must have judgments.
    #[test]
    fn reads_all_of_med_when_present() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/ir/med");
        if !dir.is_dir() {
            eprintln!("skipping: {} is absent", dir.display());
            return;
        }
        let qrels_path = dir.join("qrels.txt");
        let raw = std::fs::read_to_string(&qrels_path).unwrap();
        let qrels = read_qrels(&qrels_path, GainRule::Direct).unwrap();
        let judgments: usize = qrels.by_query.values().map(HashMap::len).sum();
        assert_eq!(judgments, raw.lines().count(), "one judgment per line");

        let one_query_lines = raw.lines().filter(|l| l.starts_with("1 ")).count();
        assert_eq!(qrels.judged("1").map(HashMap::len), Some(one_query_lines));

        let queries = super::super::read_queries(&dir.join("queries.jsonl")).unwrap();
        assert_eq!(queries.len(), qrels.len());
        assert!(queries.iter().all(|q| qrels.judged(&q.id).is_some()));
    }
}
