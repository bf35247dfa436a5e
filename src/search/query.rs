//! Turning what the user typed into a tantivy query. The grammar is tantivy's (terms,
//! "phrases", AND/OR/NOT, +/-, `field:`, prefix `*`), searched over the passage text with the
//! title, section and lead-in context as boosted secondary fields. `company:NAME` terms are
//! taken out of the string and become facet filters, because company names are resolved like
//! `--company` (aliases, case) rather than matched as raw facet text.
//!
//! A natural-language query never fails: when the string does not parse (a stray quote, a
//! colon, an unknown field) or is a shouted sentence whose upper-case AND/OR/NOT were never
//! meant as operators, it is searched as a plain bag of words and a note says so. `strict`
//! turns that fallback into an error with a hint.
//!
//! A word typed several times counts that many times, as in Lucene's and Anserini's
//! bag-of-words queries: tantivy's grammar drops repeated clauses, so graf puts each plain
//! word back as many times as it was typed. In a long question ("...titles? ...from approximate titles?
//! ...relevance of articles to their titles?") the repeated word is what it is about; on the
//! cisi collection this alone lifts nDCG@10 from 0.355 to 0.383 (BENCHMARKS.md, Ranking quality).

use std::collections::HashMap;

use tantivy::query::{
    BooleanQuery, BoostQuery, EmptyQuery, EnableScoring, Occur, Query, QueryParser,
    QueryParserError, Weight,
};
use tantivy::query_grammar::{self, Delimiter, UserInputAst, UserInputLeaf};
use tantivy::tokenizer::TokenStream;
use tantivy::{Index, Term};

use crate::error::{Error, QueryHint, Result};
use crate::schema::Fields;
use crate::search::Note;

/// Field weights: the passage's own words count most; the title and section say what the
/// whole article or part is about, and the lead-in context is shared by a whole list.
/// Chosen by `graf eval` on the IR collections (see README).
pub(crate) const TEXT_BOOST: f32 = 1.0;
pub(crate) const TITLE_BOOST: f32 = 0.5;
pub(crate) const SECTION_BOOST: f32 = 0.3;
pub(crate) const CONTEXT_BOOST: f32 = 0.3;

/// The fields a user may scope a term to, as written in queries.
const USER_FIELDS: [&str; 4] = ["text", "title", "section", "context"];

/// A query string split into what tantivy parses and the company names it named.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct SplitQuery {
    pub text: String,
    pub companies: Vec<String>,
}

/// Takes `company:NAME` and `company:"Some Name"` out of a query string.
pub fn split_company_terms(query: &str) -> SplitQuery {
    let mut split = SplitQuery::default();
    let mut rest = query;
    while let Some(start) = find_company_prefix(rest) {
        split.text.push_str(&rest[..start]);
        let after = &rest[start + "company:".len()..];
        let (name, remainder) = take_value(after);
        if !name.is_empty() {
            split.companies.push(name.to_string());
        }
        rest = remainder;
    }
    split.text.push_str(rest);
    split.text = split.text.split_whitespace().collect::<Vec<_>>().join(" ");
    split
}

/// Byte offset of a `company:` that starts a word (`+company:` counts, `xcompany:` not).
fn find_company_prefix(text: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(found) = text[from..].find("company:") {
        let at = from + found;
        let before = text[..at].chars().next_back();
        if before.is_none_or(|c| c.is_whitespace() || c == '+' || c == '(') {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

fn take_value(text: &str) -> (&str, &str) {
    if let Some(quoted) = text.strip_prefix('"') {
        return match quoted.find('"') {
            Some(end) => (quoted[..end].trim(), &quoted[end + 1..]),
            None => (quoted.trim(), ""),
        };
    }
    let end = text
        .find(|c: char| c.is_whitespace() || c == ')')
        .unwrap_or(text.len());
    (&text[..end], &text[end..])
}

/// The parsed query and, when the fallback was taken, the note explaining it.
pub struct ParsedQuery {
    pub query: Box<dyn Query>,
    pub note: Option<Note>,
    /// The word prefixes of the query (`compan*` gives `compan`), lower-cased and folded:
    /// tantivy cannot highlight what they match, so the snippet code does.
    pub prefixes: Vec<String>,
}

/// Parses `text` (already stripped of `company:` terms; not empty), weighing the article
/// title `title_boost` against the passage text (`TITLE_BOOST` by default).
pub fn parse(
    index: &Index,
    fields: &Fields,
    text: &str,
    strict: bool,
    title_boost: f32,
) -> Result<ParsedQuery> {
    let parser = parser(index, fields, title_boost);
    if plain_words(text).is_empty() && !text.contains('*') {
        // '!!! ???' or '😀': tantivy would call it a query that "only excludes terms".
        return Ok(ParsedQuery {
            query: Box::new(EmptyQuery),
            note: Some(
                format!(
                    "{text:?} has no letters or digits, and only words are indexed: nothing can match"
                )
                .into(),
            ),
            prefixes: Vec::new(),
        });
    }
    if has_only_stop_words(index, text) {
        return Ok(ParsedQuery {
            query: Box::new(EmptyQuery),
            note: Some(
                format!("{text:?} has only stop words, which are not indexed: nothing can match")
                    .into(),
            ),
            prefixes: Vec::new(),
        });
    }
    if is_shouted_sentence(text) {
        let note = "the query is all upper case: searched as plain words, not AND/OR/NOT operators";
        return bag_of_words(&parser, text, note.to_string().into());
    }
    match parse_counting_repeats(&parser, text) {
        Ok((query, prefixes)) => Ok(ParsedQuery {
            query,
            note: cjk_note(text).map(Note::from),
            prefixes,
        }),
        Err(err) => {
            let (message, hint) = explain_parse_error(text, &err.to_string());
            // Searching the words of "-river" would find exactly what was excluded.
            if strict || matches!(err, QueryParserError::AllButQueryForbidden) {
                return Err(Error::query(message, Some(hint)));
            }
            let note = Note {
                text: format!("{message}: searched as plain words"),
                hint: Some(hint),
            };
            bag_of_words(&parser, text, note)
        }
    }
}

fn parser(index: &Index, fields: &Fields, title_boost: f32) -> QueryParser {
    let searched = vec![fields.text, fields.title, fields.section, fields.context];
    let mut parser = QueryParser::for_index(index, searched);
    parser.set_field_boost(fields.text, TEXT_BOOST);
    parser.set_field_boost(fields.title, title_boost);
    parser.set_field_boost(fields.section, SECTION_BOOST);
    parser.set_field_boost(fields.context, CONTEXT_BOOST);
    // Only for the prefix terms graf writes itself (see `prefixes_on_words`); a `/regex/`
    // the user types is refused before it reaches the parser.
    parser.allow_regexes();
    parser
}

/// Parses `text` with tantivy's grammar, then gives each plain top-level word as many
/// clauses as the times it was typed (the grammar keeps one clause per repeated word).
/// Also returns the word prefixes the query searches (see [`prefixes_on_words`]).
fn parse_counting_repeats(
    parser: &QueryParser,
    text: &str,
) -> std::result::Result<(Box<dyn Query>, Vec<String>), QueryParserError> {
    let ast = query_grammar::parse_query(text)
        .map_err(|_| QueryParserError::SyntaxError(text.to_string()))?;
    if has_regex(&ast) {
        return Err(QueryParserError::UnsupportedQuery(
            "regular expressions are not supported".to_string(),
        ));
    }
    let mut prefixes = Vec::new();
    let ast = prefixes_on_words(repeat_repeated_words(ast, text), &mut prefixes);
    let query = parser.build_query_from_user_input_ast(ast)?;
    Ok((flatten(query), prefixes))
}

fn has_regex(ast: &UserInputAst) -> bool {
    match ast {
        UserInputAst::Clause(clauses) => clauses.iter().any(|(_, clause)| has_regex(clause)),
        UserInputAst::Boost(inner, _) => has_regex(inner),
        UserInputAst::Leaf(leaf) => matches!(leaf.as_ref(), UserInputLeaf::Regex { .. }),
    }
}

/// Turns each one-word prefix term (`compan*`, `text:compan*`) into a match on the unstemmed
/// [`WORDS`](crate::schema::WORDS) field: every passage holding a word that starts with what
/// was typed, as a reader expects. tantivy's own prefix is a phrase prefix, which needs two
/// words, and on the text field it would compare against stems ("compani" for "company",
/// "univers" for "university"). Like Lucene's prefix queries it scores as a constant (1 ×
/// the field boost): a prefix says which words count, not how much. The prefix, lower-cased
/// and accent-folded as the field is, goes into `prefixes` for highlighting. Phrase prefixes
/// (`"big bad wo"*`) and prefixes scoped to title, section or context are left to tantivy.
fn prefixes_on_words(ast: UserInputAst, prefixes: &mut Vec<String>) -> UserInputAst {
    match ast {
        UserInputAst::Clause(clauses) => UserInputAst::Clause(
            clauses
                .into_iter()
                .map(|(occur, clause)| (occur, prefixes_on_words(clause, prefixes)))
                .collect(),
        ),
        UserInputAst::Boost(inner, boost) => {
            UserInputAst::Boost(Box::new(prefixes_on_words(*inner, prefixes)), boost)
        }
        UserInputAst::Leaf(leaf) => match word_prefix(&leaf) {
            Some(prefix) => {
                // Words are runs of alphanumerics, so the prefix holds no regex syntax.
                let pattern = format!("{prefix}.*");
                prefixes.push(prefix);
                UserInputAst::Leaf(Box::new(UserInputLeaf::Regex {
                    field: Some(crate::schema::WORDS.to_string()),
                    pattern,
                }))
            }
            None => UserInputAst::Leaf(leaf),
        },
    }
}

/// The folded prefix of a one-word, unquoted prefix term on the passage text.
fn word_prefix(leaf: &UserInputLeaf) -> Option<String> {
    let UserInputLeaf::Literal(literal) = leaf else {
        return None;
    };
    let on_text = literal
        .field_name
        .as_deref()
        .is_none_or(|field| field == crate::schema::TEXT);
    // tantivy's grammar marks only a quoted phrase as a prefix (`"big bad wo"*`); a bare
    // word keeps its star.
    let stem = literal.phrase.strip_suffix('*')?;
    if literal.delimiter != Delimiter::None || !on_text || stem.contains('*') {
        return None;
    }
    let words = fold_words(stem);
    match words.as_slice() {
        [word] => Some(word.clone()),
        _ => None,
    }
}

/// Words as the `UNSTEMMED` analyzer makes them.
pub(crate) fn fold_words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    crate::schema::unstemmed_analyzer()
        .token_stream(text)
        .process(&mut |token| words.push(token.text.clone()));
    words
}

/// Repeats each unscoped, unquoted word clause of the top level as many times as `text`
/// holds it as a whitespace-separated word. Anything else (phrases, `field:` terms, groups,
/// `+`/`-` terms) is left as parsed.
fn repeat_repeated_words(ast: UserInputAst, text: &str) -> UserInputAst {
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for word in text.split_whitespace() {
        *counts.entry(word).or_default() += 1;
    }
    let clauses = match ast {
        UserInputAst::Clause(clauses) => clauses,
        // A lone word was typed once (repeats would have made a clause).
        single => return single,
    };
    let mut repeated = Vec::with_capacity(clauses.len());
    for (occur, clause) in clauses {
        let times = match occur {
            None | Some(Occur::Should) => repeated_word(&clause, &counts).unwrap_or(1),
            _ => 1,
        };
        repeated.extend(std::iter::repeat_n((occur, clause), times));
    }
    UserInputAst::Clause(repeated)
}

/// Pulls a clause's sub-clauses up into it when they have its own occurrence (a word's
/// per-field terms into the query's union), as tantivy's own `parse_query` does: only a flat
/// union of term queries lets tantivy skip whole blocks of postings (block-max WAND), which
/// keeps several-word queries fast. Matches and scores are unchanged.
fn flatten(query: Box<dyn Query>) -> Box<dyn Query> {
    let Some(boolean) = query.downcast_ref::<BooleanQuery>() else {
        return query;
    };
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for (occur, sub) in boolean.clauses() {
        let sub = flatten(sub.box_clone());
        match sub.downcast_ref::<BooleanQuery>() {
            Some(inner)
                if *occur != Occur::MustNot && inner.clauses().iter().all(|(o, _)| o == occur) =>
            {
                clauses.extend(inner.clauses().iter().map(|(o, q)| (*o, q.box_clone())));
            }
            _ => clauses.push((*occur, sub)),
        }
    }
    Box::new(BooleanQuery::new(merge_repeats(clauses)))
}

/// Turns the `n` copies of an optional clause (a word typed `n` times, see
/// [`repeat_repeated_words`]) into one clause boosted `n` times: the same score, as BM25
/// scores add up and a boost multiplies, but one posting list read instead of `n`, which is
/// what a pasted paragraph's repeated words cost. Clauses are told apart by their debug form,
/// which spells out the field, term and boosts.
fn merge_repeats(clauses: Vec<(Occur, Box<dyn Query>)>) -> Vec<(Occur, Box<dyn Query>)> {
    let mut position: HashMap<String, usize> = HashMap::new();
    let mut merged: Vec<(Occur, Box<dyn Query>, u32)> = Vec::with_capacity(clauses.len());
    for (occur, query) in clauses {
        if occur != Occur::Should {
            merged.push((occur, query, 1));
            continue;
        }
        let key = format!("{query:?}");
        match position.get(&key) {
            Some(&at) => merged[at].2 += 1,
            None => {
                position.insert(key, merged.len());
                merged.push((occur, query, 1));
            }
        }
    }
    merged
        .into_iter()
        .map(|(occur, query, times)| match times {
            1 => (occur, query),
            times => (occur, Box::new(Repeated { query, times }) as Box<dyn Query>),
        })
        .collect()
}

/// A clause that stands for `times` copies of `query`: scored as `query` boosted `times`
/// times, and telling `article` evidence how often its words were typed.
#[derive(Debug)]
pub struct Repeated {
    pub query: Box<dyn Query>,
    pub times: u32,
}

impl Clone for Repeated {
    fn clone(&self) -> Self {
        Repeated {
            query: self.query.box_clone(),
            times: self.times,
        }
    }
}

impl Query for Repeated {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        BoostQuery::new(self.query.box_clone(), self.times as f32).weight(enable_scoring)
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.query.query_terms(visitor);
    }
}

/// The scoring clauses of a parsed query: the clauses of its top-level union, or 1.
pub(crate) fn clause_count(query: &dyn Query) -> usize {
    query
        .downcast_ref::<BooleanQuery>()
        .map_or(1, |union| union.clauses().len())
}

/// How many times the word `clause` stands for was typed, when more than once.
fn repeated_word(clause: &UserInputAst, counts: &HashMap<&str, usize>) -> Option<usize> {
    let UserInputAst::Leaf(leaf) = clause else {
        return None;
    };
    let UserInputLeaf::Literal(literal) = leaf.as_ref() else {
        return None;
    };
    let plain =
        literal.field_name.is_none() && literal.delimiter == Delimiter::None && !literal.prefix;
    let times = counts.get(literal.phrase.as_str()).copied().unwrap_or(0);
    (plain && times > 1).then_some(times)
}

/// Words, but none the analyzer keeps ("the of"): searching them would match nothing, and
/// tantivy would call the empty query one that "only excludes terms".
fn has_only_stop_words(index: &Index, text: &str) -> bool {
    if text.contains('*') {
        // `the*` is a prefix ("theory"), searched in the unstemmed words with stop words kept.
        return false;
    }
    let words = plain_words(text);
    let Some(mut analyzer) = index.tokenizers().get(crate::schema::STEMMED) else {
        return false;
    };
    !words.is_empty()
        && words
            .iter()
            .all(|word| !analyzer.token_stream(word).advance())
}

/// Chinese, Japanese and Korean are written without spaces, and graf's analyzer splits words
/// at spaces and punctuation only, so such text is indexed as whole runs of characters: a
/// word is found only when it stands alone between punctuation, not inside a sentence. Said
/// once in a note rather than leaving an empty page unexplained.
fn cjk_note(text: &str) -> Option<String> {
    let is_cjk = |c: char| {
        matches!(c as u32,
            0x3040..=0x30FF      // Hiragana, Katakana
            | 0x3400..=0x4DBF    // CJK Extension A
            | 0x4E00..=0x9FFF    // CJK Unified Ideographs
            | 0xAC00..=0xD7AF    // Hangul syllables
            | 0xF900..=0xFAFF) // CJK Compatibility Ideographs
    };
    text.chars().any(is_cjk).then(|| {
        "Chinese, Japanese and Korean text is not split into words (graf's analyzer is for \
         English): a word is found only where it stands alone between spaces or punctuation, \
         not inside a sentence"
            .to_string()
    })
}

/// Several words and no lower-case letter: a pasted headline, not an operator query.
fn is_shouted_sentence(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    let operators = ["AND", "OR", "NOT"];
    words.iter().any(|word| operators.contains(word))
        && words.iter().filter(|w| !operators.contains(w)).count() >= 3
        && !text.chars().any(char::is_lowercase)
}

fn bag_of_words(parser: &QueryParser, text: &str, note: Note) -> Result<ParsedQuery> {
    let words = plain_words(text);
    if words.is_empty() {
        return Err(Error::query(
            format!("{text:?} has no words to search for"),
            Some(QueryHint::AtLeastOneWord),
        ));
    }
    let (query, prefixes) = parse_counting_repeats(parser, &words.join(" "))
        .map_err(|err| Error::query(err.to_string(), None))?;
    Ok(ParsedQuery {
        query,
        note: Some(note),
        prefixes,
    })
}

/// The words of a sentence, lower-cased, without the operator words AND/OR/NOT (as words of a
/// sentence they carry no weight in a ranked OR query).
pub fn plain_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_lowercase)
        .filter(|word| !matches!(word.as_str(), "and" | "or" | "not"))
        .collect()
}

/// One readable message and a hint for what tantivy's parser rejected.
fn explain_parse_error(text: &str, raw: &str) -> (String, QueryHint) {
    if text.matches('"').count() % 2 == 1 {
        return (
            "unbalanced quote".to_string(),
            QueryHint::Text("close the phrase with a second \" or remove the quote".to_string()),
        );
    }
    if let Some(field) = raw.strip_prefix("Field does not exist: '") {
        let field = field.trim_end_matches('\'');
        return (
            format!("unknown field {field:?}"),
            QueryHint::Text(format!(
                "fields are {} and company; write \\: to search a colon",
                USER_FIELDS.join(", ")
            )),
        );
    }
    if raw.contains("Only excluding terms") {
        return (
            "the query only excludes terms".to_string(),
            QueryHint::AddATerm,
        );
    }
    if text.matches('(').count() != text.matches(')').count() {
        return (
            "unbalanced parenthesis".to_string(),
            QueryHint::Text("every ( needs a )".to_string()),
        );
    }
    (
        format!("cannot parse the query ({raw})"),
        QueryHint::QueryLanguage,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::build_schema;

    fn parse_text(text: &str, strict: bool) -> Result<ParsedQuery> {
        let (schema, fields) = build_schema();
        let index = Index::create_in_ram(schema);
        crate::schema::register_analyzers(&index);
        parse(&index, &fields, text, strict, TITLE_BOOST)
    }

    #[test]
    fn company_terms_become_filters() {
        let split = split_company_terms("chips company:aws AND company:\"Anthropic PBC\" cloud");
        assert_eq!(split.companies, vec!["aws", "Anthropic PBC"]);
        assert_eq!(split.text, "chips AND cloud");
    }

    #[test]
    fn a_word_ending_in_company_is_not_a_filter() {
        let split = split_company_terms("subcompany:x");
        assert!(split.companies.is_empty());
        assert_eq!(split.text, "subcompany:x");
    }

    #[test]
    fn operators_and_phrases_parse_without_a_note() {
        let parsed = parse_text("\"custom chips\" AND title:amazon -river", false).unwrap();
        assert!(parsed.note.is_none());
    }

    #[test]
    fn a_stray_quote_falls_back_to_words_with_a_note() {
        let parsed = parse_text("amazon \"chips", false).unwrap();
        assert!(parsed.note.unwrap().text.contains("unbalanced quote"));
    }

    #[test]
    fn strict_mode_reports_the_error_with_a_hint() {
        let err = parse_text("amazon \"chips", true).err().unwrap();
        assert!(err.to_string().contains("hint"), "{err}");
        let err = parse_text("author:smith", true).err().unwrap();
        assert!(
            err.to_string().contains("unknown field \"author\""),
            "{err}"
        );
    }

    #[test]
    fn a_shouted_headline_is_searched_as_words() {
        let parsed = parse_text("TAX ON SHIPS AND PLANES", false).unwrap();
        assert!(parsed.note.is_some());
    }

    #[test]
    fn several_words_make_one_flat_union_with_repeats_kept() {
        let parsed = parse_text("chips cloud chips", true).unwrap();
        let union = parsed.query.downcast_ref::<BooleanQuery>().unwrap();
        let nested = |q: &dyn Query| q.downcast_ref::<BooleanQuery>().is_some();
        assert!(!union.clauses().iter().any(|(_, q)| nested(q.as_ref())));
        // "chips" (typed twice: one clause boosted twice) and "cloud", each in four fields.
        assert_eq!(union.clauses().len(), 8);
    }

    #[test]
    fn stop_words_alone_match_nothing_with_a_note() {
        for text in ["the", "the of", "THE AND OF"] {
            let parsed = parse_text(text, true).unwrap();
            assert!(
                parsed.note.unwrap().text.contains("only stop words"),
                "{text}"
            );
        }
        assert!(parse_text("the chips", true).unwrap().note.is_none());
    }

    #[test]
    fn punctuation_or_emoji_alone_match_nothing_with_a_note() {
        for text in ["\"(:", "!!! ???", "😀"] {
            let parsed = parse_text(text, true).unwrap();
            assert!(
                parsed.note.unwrap().text.contains("no letters or digits"),
                "{text}"
            );
        }
    }

    #[test]
    fn cjk_text_gets_a_note() {
        let parsed = parse_text("東京 株式", false).unwrap();
        assert!(parsed
            .note
            .unwrap()
            .text
            .contains("Chinese, Japanese and Korean"));
        assert!(parse_text("tokyo", false).unwrap().note.is_none());
    }

    #[test]
    fn a_one_word_prefix_searches_unstemmed_words() {
        let parsed = parse_text("compan* chips", true).unwrap();
        assert!(parsed.note.is_none());
        assert_eq!(parsed.prefixes, vec!["compan"]);
        let parsed = parse_text("Nestlé*", true).unwrap();
        assert_eq!(parsed.prefixes, vec!["nestle"]);
    }

    #[test]
    fn a_typed_regex_is_still_read_as_words() {
        let parsed = parse_text("text:/ab.*/", false).unwrap();
        assert!(parsed.note.is_some());
        assert!(parsed.prefixes.is_empty());
    }
}
