//! The search for the few names written in lower case throughout ("plc", "adidas",
//! "monday.com"), which the start filter (`starts.rs`) never sees because no capital marks
//! them. One pass per passage, so its cost per call matters as much as its cost per byte: a
//! packed (Teddy) searcher with no automaton behind it, or, for more forms than it takes (a
//! large user gazetteer), an Aho-Corasick automaton.
//!
//! Measured alternatives, not kept: finding each form by its rarest pair of adjacent bytes,
//! sixteen positions at a time with SSE2, made tagging slower (25% of segmentation time
//! against 19% with Teddy, `cargo bench --bench tagging`); so did flagging the forms' first
//! three bytes inside the start filter's own scan (23% against 16%: five forms cost more
//! per byte than Teddy), and again with AVX2, three comparisons per form on 32 bytes at a
//! time, once the scan had moved to AVX2 (14.6% against 13.8%).

use aho_corasick::packed;
use aho_corasick::{AhoCorasick, MatchKind};

pub(crate) struct LowerCaseSearch {
    how: How,
    /// The matcher's pattern index of each form.
    ids: Vec<u32>,
}

enum How {
    Packed(packed::Searcher),
    Automaton(AhoCorasick),
    Nothing,
}

impl LowerCaseSearch {
    /// `forms[i]` stands for pattern `ids[i]`.
    pub(crate) fn new(forms: &[String], ids: Vec<u32>) -> LowerCaseSearch {
        let how = if forms.is_empty() {
            How::Nothing
        } else if let Some(searcher) = packed::Config::new()
            .match_kind(packed::MatchKind::LeftmostLongest)
            .builder()
            .extend(forms)
            .build()
        {
            How::Packed(searcher)
        } else {
            AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostLongest)
                .build(forms)
                .map_or(How::Nothing, How::Automaton)
        };
        LowerCaseSearch { how, ids }
    }

    /// Where the forms occur in `text`, leftmost-longest and not overlapping: (start,
    /// pattern index), in order.
    pub(crate) fn find(&self, text: &str, hits: &mut Vec<(usize, u32)>) {
        hits.clear();
        let id = |form: usize| self.ids[form];
        match &self.how {
            How::Packed(searcher) => {
                let found = searcher.find_iter(text);
                hits.extend(found.map(|m| (m.start(), id(m.pattern().as_usize()))));
            }
            How::Automaton(automaton) => {
                let found = automaton.find_iter(text);
                hits.extend(found.map(|m| (m.start(), id(m.pattern().as_usize()))));
            }
            How::Nothing => {}
        }
    }

    #[cfg(test)]
    pub(crate) fn kind(&self) -> &'static str {
        match self.how {
            How::Packed(_) => "packed",
            How::Automaton(_) => "automaton",
            How::Nothing => "nothing",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn search(forms: &[String]) -> LowerCaseSearch {
        let ids = (0..forms.len() as u32).map(|i| i * 10).collect();
        LowerCaseSearch::new(forms, ids)
    }

    fn hits(search: &LowerCaseSearch, text: &str) -> Vec<(usize, u32)> {
        let mut out = Vec::new();
        search.find(text, &mut out);
        out
    }

    #[test]
    fn finds_every_form_leftmost_longest_with_its_pattern_index() {
        let forms: Vec<String> = ["plc", "adidas", "ab", "abab"].map(String::from).into();
        let s = search(&forms);
        assert_eq!(s.kind(), "packed");
        assert_eq!(
            hits(&s, "Kessler plc and adidas; ababab"),
            [(8, 0), (16, 10), (24, 30), (28, 20)]
        );
        assert_eq!(search(&[]).kind(), "nothing");
    }

    #[test]
    fn more_forms_than_a_packed_searcher_takes_use_an_automaton() {
        let many: Vec<String> = (0..200).map(|i| format!("zeta{i}")).collect();
        let s = search(&many);
        assert_eq!(s.kind(), "automaton");
        assert_eq!(hits(&s, "a zeta199 b"), [(2, 1990)]);
    }
}
