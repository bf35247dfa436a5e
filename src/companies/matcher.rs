//! The shared, read-only half of tagging: one Aho-Corasick automaton over every gazetteer
//! alias, weak alias, ticker and legal suffix, tried only where a name can start (see
//! `starts.rs`), and the per-candidate checks (word boundaries, case, `not_near`, ticker
//! context) that turn raw automaton hits into [`Candidate`]s for the per-article rules in
//! `article.rs`.

use std::collections::HashMap;

use aho_corasick::{AhoCorasick, AhoCorasickKind, Anchored, Input, MatchKind, StartKind};

use super::gazetteer::Gazetteer;
use super::lower_case::LowerCaseSearch;
use super::rules::inside_other_name;
use super::starts::{found_from_inside, StartFilter};
use super::suffix::{is_suffix_word, starts_word, suffix_at, LEGAL_SUFFIXES};
use super::text::{case_agrees, is_whole_word, next_char, words_before, NearWords};
use super::ArticleTagger;

/// Words after which an upper-case token is a ticker ("NASDAQ: AMZN", "ticker AMZN").
#[rustfmt::skip]
const EXCHANGE_MARKERS: &[&str] = &[
    "NASDAQ", "Nasdaq", "NYSE", "LSE", "TSX", "ASX", "HKEX", "SIX", "Euronext", "Xetra", "XETRA",
    "TSE", "TYO", "KRX", "OTC", "AMEX", "NSE", "BSE", "SGX", "JSE",
];

/// Words directly before a ticker that need no colon ("ticker AMZN", "symbol “AMZN”").
const TICKER_WORDS: &[&str] = &["ticker", "Ticker", "TICKER", "symbol", "Symbol", "SYMBOL"];

/// What a written form in the automaton stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Meaning {
    Company { entry: u32, weak: bool },
    Suffix,
    Ticker { entry: u32 },
}

/// One way a pattern may be written, with its case as the source writes it.
struct Surface {
    written: Box<str>,
    meaning: Meaning,
}

/// All surfaces sharing one ASCII-case-folded pattern, plus the shorter patterns that are
/// whole-word prefixes of it ("amazon" for "amazon web services"): when the long form fails
/// its checks, the short one may still hold.
struct Pattern {
    surfaces: Vec<Surface>,
    prefixes: Vec<u32>,
    len: usize,
}

/// A verified hit, before the per-article rules look at it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Candidate {
    Company {
        start: usize,
        end: usize,
        entry: u32,
        weak: bool,
    },
    /// A legal suffix (`start..end`) that may end an unknown firm's name.
    Suffix { start: usize, end: usize },
    /// A ticker in ticker context ("NASDAQ: AMZN").
    Ticker {
        start: usize,
        end: usize,
        entry: u32,
    },
}

/// Finds companies in passages; build once, share between threads, then call
/// [`Tagger::article`] per article.
pub struct Tagger {
    gazetteer: Gazetteer,
    /// Every pattern, ASCII-case-folded, tried anchored at the word starts `starts` picks.
    /// A contiguous NFA rather than a DFA: a try reads a few states, and the DFA (9 MB for
    /// the built-in list, against 0.6 MB) missed the cache on most of them.
    automaton: Option<AhoCorasick>,
    starts: StartFilter,
    /// The few forms written in lower case that no capital inside them lets `starts` find
    /// ("plc", "adidas"), searched as written in one fast pass per passage.
    lower_case: LowerCaseSearch,
    patterns: Vec<Pattern>,
    /// Each entry's `not_near` words, ready for the check.
    not_near: Vec<NearWords>,
}

impl Tagger {
    /// Builds the automaton over every alias of `gazetteer`.
    pub fn new(gazetteer: Gazetteer) -> Tagger {
        let patterns = build_patterns(&gazetteer);
        let keys: Vec<String> = patterns
            .iter()
            .map(|p| key_of(&p.surfaces[0].written))
            .collect();
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .ascii_case_insensitive(true)
            .start_kind(StartKind::Anchored)
            .kind(Some(AhoCorasickKind::ContiguousNFA))
            .build(&keys)
            .ok();
        let written = patterns.iter().flat_map(|p| {
            p.surfaces
                .iter()
                .map(|s| (&*s.written, matches!(s.meaning, Meaning::Ticker { .. })))
        });
        let starts = StartFilter::new(written);
        let (lower_case_forms, lower_case_ids) = lower_case_forms(&patterns);
        let lower_case = LowerCaseSearch::new(&lower_case_forms, lower_case_ids);
        let not_near = gazetteer
            .entries()
            .iter()
            .map(|e| NearWords::new(&e.not_near))
            .collect();
        Tagger {
            gazetteer,
            automaton,
            starts,
            lower_case,
            patterns,
            not_near,
        }
    }

    pub fn gazetteer(&self) -> &Gazetteer {
        &self.gazetteer
    }

    /// A tagger for one article; `declared` are the article's front-matter companies.
    pub fn article(&self, declared: &[String]) -> ArticleTagger<'_> {
        ArticleTagger::new(self, declared)
    }

    /// Where the forms written with a lower-case first letter occur in `text`: (start,
    /// pattern), in order; the input for [`Tagger::next_candidate`].
    pub(crate) fn lower_case_hits(&self, text: &str, hits: &mut Vec<(usize, u32)>) {
        self.lower_case.find(text, hits);
    }

    /// The next verified candidate at or after byte `from`; `lower_case_hits` comes from
    /// [`Tagger::lower_case_hits`] for the same text.
    pub(crate) fn next_candidate(
        &self,
        text: &str,
        from: usize,
        lower_case_hits: &[(usize, u32)],
    ) -> Option<Candidate> {
        let automaton = self.automaton.as_ref()?;
        let mut at = from;
        loop {
            let lower = lower_case_hits[lower_case_hits.partition_point(|h| h.0 < at)..].first();
            let upper = self.starts.next_start(text, at);
            let (start, id) = match (upper, lower) {
                (Some(u), Some(&(l, id))) if l < u => (l, Some(id as usize)),
                (None, Some(&(l, id))) => (l, Some(id as usize)),
                (Some(u), _) => {
                    let input = Input::new(text).span(u..text.len()).anchored(Anchored::Yes);
                    (u, automaton.find(input).map(|h| h.pattern().as_usize()))
                }
                (None, None) => return None,
            };
            if let Some(candidate) = id.and_then(|id| self.verify(text, start, id)) {
                return Some(candidate);
            }
            at = start + 1;
        }
    }

    /// Checks pattern `id` at `start`, then its shorter whole-word prefixes.
    fn verify(&self, text: &str, start: usize, id: usize) -> Option<Candidate> {
        let pattern = &self.patterns[id];
        std::iter::once(id as u32)
            .chain(pattern.prefixes.iter().copied())
            .find_map(|p| {
                let p = &self.patterns[p as usize];
                let end = start + p.len;
                p.surfaces
                    .iter()
                    .find_map(|s| self.check(text, start, end, s))
            })
    }

    fn check(&self, text: &str, start: usize, end: usize, surface: &Surface) -> Option<Candidate> {
        match surface.meaning {
            Meaning::Suffix => (starts_word(text, start)
                && suffix_at(text, start) == Some(end - start))
            .then_some(Candidate::Suffix { start, end }),
            Meaning::Ticker { entry } => {
                let ok = is_whole_word(text, start, end)
                    && text[start..end] == *surface.written
                    && in_ticker_context(text, start);
                ok.then_some(Candidate::Ticker { start, end, entry })
            }
            Meaning::Company { entry, weak } => {
                let ok = is_whole_word(text, start, end)
                    && case_agrees(text, start, end, &surface.written)
                    && !self.not_near[entry as usize].near(text, start, end)
                    && !inside_other_name(text, start, end)
                    && !is_exchange_label(text, start, end)
                    && !ends_a_name(text, start, end);
                ok.then_some(Candidate::Company {
                    start,
                    end,
                    entry,
                    weak,
                })
            }
        }
    }

    /// A gazetteer ticker written at `at` as a whole token: (entry, length).
    pub(crate) fn ticker_at(&self, text: &str, at: usize) -> Option<(u32, usize)> {
        let rest = &text[at..];
        let len = rest
            .find(|c: char| !(c.is_ascii_uppercase() || c.is_ascii_digit() || c == '.' || c == '-'))
            .unwrap_or(rest.len());
        let token = rest[..len].trim_end_matches(['.', '-']);
        let clean_end = next_char(rest, token.len()).is_none_or(|c| !c.is_alphanumeric());
        if token.is_empty() || !clean_end {
            return None;
        }
        self.gazetteer
            .ticker(token)
            .map(|entry| (entry, token.len()))
    }
}

/// Is the token at `start` written as a ticker: "NASDAQ: AMZN", "NYSE:TGT", "ticker AMZN",
/// "symbol “AMZN”"?
fn in_ticker_context(text: &str, start: usize) -> bool {
    let before = text[..start]
        .trim_end_matches(['"', '“', '‘', '\''])
        .trim_end();
    if let Some(label) = before.strip_suffix(':') {
        return words_before(label.trim_end())
            .next()
            .is_some_and(|w| EXCHANGE_MARKERS.contains(&w));
    }
    let last = before.rsplit(char::is_whitespace).next().unwrap_or("");
    TICKER_WORDS.contains(&last)
}

/// A company alias that is also a legal suffix ("SAS") right after a capitalised word is the
/// suffix of another firm's name ("Orinoco SAS").
fn ends_a_name(text: &str, start: usize, end: usize) -> bool {
    is_suffix_word(&text[start..end])
        && words_before(&text[..start])
            .next()
            .is_some_and(|w| w.starts_with(char::is_uppercase))
        && text[..start].ends_with(' ')
}

/// "Nasdaq: AMZN" names the exchange, not Nasdaq the company.
fn is_exchange_label(text: &str, start: usize, end: usize) -> bool {
    EXCHANGE_MARKERS.contains(&&text[start..end]) && text[end..].trim_start().starts_with(':')
}

/// The surfaces written with a lower-case ASCII first letter that the start filter cannot
/// reach through a capital inside them ("plc", "adidas"), with their pattern index.
fn lower_case_forms(patterns: &[Pattern]) -> (Vec<String>, Vec<u32>) {
    let mut forms: Vec<String> = Vec::new();
    let mut ids = Vec::new();
    for (id, pattern) in patterns.iter().enumerate() {
        for surface in &pattern.surfaces {
            let lower_first = surface
                .written
                .starts_with(|c: char| c.is_ascii_lowercase());
            let searched = lower_first && !found_from_inside(&surface.written);
            if searched && !forms.iter().any(|f| *f == *surface.written) {
                forms.push(surface.written.to_string());
                ids.push(id as u32);
            }
        }
    }
    (forms, ids)
}

/// Patterns are matched ASCII-case-insensitively; the surfaces keep the written case.
fn key_of(written: &str) -> String {
    written.to_ascii_lowercase()
}

fn build_patterns(gazetteer: &Gazetteer) -> Vec<Pattern> {
    let mut by_key: HashMap<String, usize> = HashMap::new();
    let mut patterns: Vec<Pattern> = Vec::new();
    for (written, meaning) in surfaces(gazetteer) {
        let key = key_of(&written);
        let index = *by_key.entry(key.clone()).or_insert_with(|| {
            patterns.push(Pattern {
                surfaces: Vec::new(),
                prefixes: Vec::new(),
                len: key.len(),
            });
            patterns.len() - 1
        });
        let surfaces = &mut patterns[index].surfaces;
        if !surfaces
            .iter()
            .any(|s| *s.written == *written && s.meaning == meaning)
        {
            surfaces.push(Surface {
                written: written.into(),
                meaning,
            });
        }
    }
    link_prefixes(&mut patterns, &by_key);
    patterns
}

/// Every written form with its meaning: suffixes, then gazetteer names (a name that is also a
/// suffix or ticker is tried as a name first), then tickers; names with an apostrophe, an
/// accent or an ampersand also in their other common spellings ("McDonald’s", "Nestle",
/// "Ernst and Young").
fn surfaces(gazetteer: &Gazetteer) -> Vec<(String, Meaning)> {
    let mut out: Vec<(String, Meaning)> = Vec::new();
    for (i, e) in gazetteer.entries().iter().enumerate() {
        let entry = i as u32;
        let is_weak = |n: &str| e.weak_aliases.iter().any(|w| w == n);
        let strong = std::iter::once(&e.name)
            .chain(&e.aliases)
            .filter(|n| !is_weak(n));
        for name in strong {
            push_name(&mut out, name, Meaning::Company { entry, weak: false });
        }
        for name in &e.weak_aliases {
            push_name(&mut out, name, Meaning::Company { entry, weak: true });
        }
    }
    out.extend(
        LEGAL_SUFFIXES
            .iter()
            .map(|s| (s.to_string(), Meaning::Suffix)),
    );
    for (i, e) in gazetteer.entries().iter().enumerate() {
        for ticker in e.tickers.iter().map(|t| t.trim()).filter(|t| !t.is_empty()) {
            out.push((ticker.to_uppercase(), Meaning::Ticker { entry: i as u32 }));
        }
    }
    out
}

fn push_name(out: &mut Vec<(String, Meaning)>, name: &str, meaning: Meaning) {
    let name = name.trim();
    if name.is_empty() {
        return;
    }
    let folded = fold_diacritics(name);
    // Not "H & M": "the letters H and M" is no mention of the retailer.
    let spelled_out = name
        .split(" & ")
        .all(|side| side.chars().count() >= 2)
        .then(|| name.replace(" & ", " and "))
        .filter(|spelled| spelled != name);
    for form in std::iter::once(name.to_string())
        .chain(folded)
        .chain(spelled_out)
    {
        if form.contains('\'') {
            out.push((form.replace('\'', "’"), meaning));
        } else if form.contains('’') {
            out.push((form.replace('’', "'"), meaning));
        }
        out.push((form, meaning));
    }
}

/// "Nestlé" → "Nestle": news copy often drops accents. `None` when nothing changes.
fn fold_diacritics(name: &str) -> Option<String> {
    const FROM: &str = "ÀÁÂÃÄÅàáâãäåÇçÈÉÊËèéêëÌÍÎÏìíîïÑñÒÓÔÕÖØòóôõöøÙÚÛÜùúûüÝýÿ";
    const TO: &str = "AAAAAAaaaaaaCcEEEEeeeeIIIIiiiiNnOOOOOOooooooUUUUuuuuYyy";
    if name.is_ascii() {
        return None;
    }
    let folded: String = name
        .chars()
        .map(|c| {
            FROM.chars()
                .position(|f| f == c)
                .and_then(|i| TO.chars().nth(i))
                .unwrap_or(c)
        })
        .collect();
    (folded != name).then_some(folded)
}

/// For each pattern, the other patterns that are its prefix ending at a word edge, longest
/// first.
fn link_prefixes(patterns: &mut [Pattern], by_key: &HashMap<String, usize>) {
    let keys: Vec<String> = patterns
        .iter()
        .map(|p| key_of(&p.surfaces[0].written))
        .collect();
    for (index, key) in keys.iter().enumerate() {
        let bytes = key.as_bytes();
        let prefixes = (1..key.len())
            .rev()
            .filter(|&i| {
                key.is_char_boundary(i) && !bytes[i].is_ascii_alphanumeric() && bytes[i] < 0x80
            })
            .filter_map(|i| by_key.get(&key[..i]).map(|&p| p as u32))
            .collect();
        patterns[index].prefixes = prefixes;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tagger() -> Tagger {
        crate::testing::test_tagger()
    }

    fn all(t: &Tagger, text: &str) -> Vec<Candidate> {
        let mut out = Vec::new();
        let mut from = 0;
        let mut lower = Vec::new();
        t.lower_case_hits(text, &mut lower);
        while let Some(c) = t.next_candidate(text, from, &lower) {
            from = match c {
                Candidate::Company { end, .. }
                | Candidate::Suffix { end, .. }
                | Candidate::Ticker { end, .. } => end,
            };
            out.push(c);
        }
        out
    }

    #[test]
    fn any_number_of_lower_case_forms_is_searched() {
        let toml: String = (0..200)
            .map(|i| format!("[[company]]\nname = \"Firm{i}\"\naliases = [\"zetaworks{i}\"]\n\n"))
            .collect();
        let t = Tagger::new(Gazetteer::from_toml(&toml, "t").unwrap());
        assert_eq!(t.lower_case.kind(), "automaton");
        let found = all(&t, "we met zetaworks199 and zetaworks7 today");
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(tagger().lower_case.kind(), "packed");
    }

    #[test]
    fn finds_names_suffixes_and_tickers() {
        let t = tagger();
        let found = all(&t, "Amazon.com Inc. (NASDAQ: AMZN) has a river view");
        assert_eq!(
            found[0],
            Candidate::Company {
                start: 0,
                end: 10,
                entry: 0,
                weak: false
            }
        );
        assert_eq!(found[1], Candidate::Suffix { start: 11, end: 15 });
        assert!(matches!(found[2], Candidate::Ticker { entry: 0, .. }));
        assert_eq!(found.len(), 3);
    }

    #[test]
    fn falls_back_to_a_shorter_name() {
        let t = tagger();
        let found = all(&t, "the Amazon web services unit");
        assert_eq!(
            found,
            [Candidate::Company {
                start: 4,
                end: 10,
                entry: 0,
                weak: false
            }]
        );
    }

    #[test]
    fn skips_words_inside_words_and_vetoed_contexts() {
        let t = tagger();
        assert!(all(&t, "Amazonian tribes in the Amazon rainforest").is_empty());
        assert!(all(&t, "has was use said about again").is_empty());
        assert_eq!(all(&t, "McDonald’s rose").len(), 1);
        assert_eq!(all(&t, "McDonald's rose").len(), 1);
        assert_eq!(fold_diacritics("Nestlé").as_deref(), Some("Nestle"));
        assert_eq!(fold_diacritics("Nestle"), None);
    }
}
