//! Query strings in, validated requests out: the parameters of `/api/search` and of the search
//! page (the same names, so a page URL and an API URL say the same thing), with the limits
//! that keep one request from costing the server more than a page of results. Every problem is
//! a [`ServeError::BadRequest`] naming the parameter.
//!
//! The parameters mirror `graf search`: `q`, `company` (repeatable), `any_company`, `source`
//! (repeatable), `since`, `until`, `article`, `limit`, `offset`, `per_article`, `context`,
//! `sort`, `facets`, `explain`, `strict`, `expand`. An unknown parameter is an error rather
//! than ignored, so that a typo (`compnay=`) never silently widens a search. An empty value
//! (what an HTML form sends for a field left blank) means the parameter is absent.

use std::fmt::Write as _;

use time::OffsetDateTime;

use super::error::ServeError;
use crate::dates::{format_day, parse_date};
use crate::search::{expand::Expansion, SearchRequest, SortBy};

/// The longest query accepted, in bytes: a long pasted question fits, a document does not.
pub const MAX_QUERY_BYTES: usize = 1_024;
/// The most hits one page may hold.
pub const MAX_LIMIT: usize = 100;
/// The deepest page: ranking costs grow with offset + limit.
pub const MAX_OFFSET: usize = 10_000;
/// The most neighbouring passages per hit.
pub const MAX_CONTEXT: usize = 10;
/// The most `company` or `source` filters in one request.
pub const MAX_FILTERS: usize = 20;
/// Hits per page when `limit` is not given.
pub const DEFAULT_LIMIT: usize = 10;

/// Decodes `a=1&b=2` (percent and `+` decoding) into pairs, in order.
pub fn pairs(raw: Option<&str>) -> Vec<(String, String)> {
    form_urlencoded::parse(raw.unwrap_or("").as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

/// The search parameters, validated; also the state of the search page, which is why it can
/// be written back as a URL ([`SearchParams::query_string`]).
#[derive(Clone, Debug, PartialEq)]
pub struct SearchParams {
    /// The search the parameters ask for, but for its companies: `request.companies` stays
    /// empty, because the names below are resolved on each search, as `graf search` resolves
    /// `--company`.
    pub request: SearchRequest,
    /// The `company` parameters as given: names, aliases, tickers or paths.
    pub companies: Vec<String>,
}

impl Default for SearchParams {
    /// No words, no filter, the first page of [`DEFAULT_LIMIT`] hits.
    fn default() -> Self {
        SearchParams {
            request: SearchRequest {
                limit: DEFAULT_LIMIT,
                ..SearchRequest::default()
            },
            companies: Vec::new(),
        }
    }
}

impl SearchParams {
    /// Reads and checks every parameter; the first problem is the error.
    pub fn parse(pairs: &[(String, String)]) -> Result<Self, ServeError> {
        let mut params = SearchParams::default();
        let request = &mut params.request;
        for (key, value) in pairs {
            let value = value.trim();
            if value.is_empty() {
                continue;
            }
            match key.as_str() {
                "q" => request.query = query(value)?,
                "company" => push_filter(&mut params.companies, key, value)?,
                "source" => push_filter(&mut request.sources, key, value)?,
                "any_company" => request.any_company = flag(key, value)?,
                "since" => request.since = Some(day(key, value)?),
                "until" => request.until = Some(day(key, value)?),
                "article" => request.article = Some(value.to_string()),
                "limit" => request.limit = number(key, value, 1, MAX_LIMIT)?,
                "offset" => request.offset = number(key, value, 0, MAX_OFFSET)?,
                "per_article" => request.per_article = Some(number(key, value, 1, MAX_LIMIT)?),
                "context" => request.context = number(key, value, 0, MAX_CONTEXT)?,
                "sort" => request.sort = sort(value)?,
                "facets" => request.facets = flag(key, value)?,
                "explain" => request.explain = flag(key, value)?,
                "strict" => request.strict = flag(key, value)?,
                "expand" => request.expand = flag(key, value)?.then(Expansion::default),
                other => {
                    return Err(ServeError::BadRequest(format!(
                        "unknown parameter {other:?}: the search parameters are q, company, any_company, source, since, until, article, limit, offset, per_article, context, sort, facets, explain, strict, expand"
                    )))
                }
            }
        }
        Ok(params)
    }

    /// Whether there is anything to search: words or a filter.
    pub fn is_search(&self) -> bool {
        !self.request.query.trim().is_empty()
            || !self.companies.is_empty()
            || self.request.has_filter()
    }

    /// These parameters as a query string (defaults left out, `facets` never: the page always
    /// shows them), so that every state of the page is a short URL.
    pub fn query_string(&self) -> String {
        let request = &self.request;
        let mut out = form_urlencoded::Serializer::new(String::new());
        if !request.query.is_empty() {
            out.append_pair("q", &request.query);
        }
        for company in &self.companies {
            out.append_pair("company", company);
        }
        if request.any_company {
            out.append_pair("any_company", "true");
        }
        for source in &request.sources {
            out.append_pair("source", source);
        }
        if let Some(since) = request.since {
            out.append_pair("since", &format_day(since));
        }
        if let Some(until) = request.until {
            out.append_pair("until", &format_day(until));
        }
        if let Some(article) = &request.article {
            out.append_pair("article", article);
        }
        if let Some(n) = request.per_article {
            out.append_pair("per_article", &n.to_string());
        }
        if request.sort == SortBy::Date {
            out.append_pair("sort", "date");
        }
        if request.limit != DEFAULT_LIMIT {
            out.append_pair("limit", &request.limit.to_string());
        }
        if request.offset > 0 {
            out.append_pair("offset", &request.offset.to_string());
        }
        if request.expand.is_some() {
            out.append_pair("expand", "true");
        }
        out.finish()
    }

    /// The page URL of these parameters: `/?...`.
    pub fn url(&self) -> String {
        let mut url = String::from("/");
        let query = self.query_string();
        if !query.is_empty() {
            let _ = write!(url, "?{query}");
        }
        url
    }

    /// A copy for another page of the same search.
    pub fn at_offset(&self, offset: usize) -> Self {
        let mut next = self.clone();
        next.request.offset = offset;
        next
    }

    /// A copy filtered on one more company (back to the first page).
    pub fn with_company(&self, path: &str) -> Self {
        let mut next = self.at_offset(0);
        if !next.companies.iter().any(|c| c == path) {
            next.companies.push(path.to_string());
        }
        next
    }

    /// A copy without the given company filter (back to the first page).
    pub fn without_company(&self, path: &str) -> Self {
        let mut next = self.at_offset(0);
        next.companies.retain(|c| c != path);
        next
    }
}

fn query(value: &str) -> Result<String, ServeError> {
    if value.len() > MAX_QUERY_BYTES {
        return Err(ServeError::BadRequest(format!(
            "the query is {} bytes long; the limit is {MAX_QUERY_BYTES}",
            value.len()
        )));
    }
    Ok(value.to_string())
}

fn push_filter(list: &mut Vec<String>, key: &str, value: &str) -> Result<(), ServeError> {
    if list.len() == MAX_FILTERS {
        return Err(ServeError::BadRequest(format!(
            "too many {key:?} parameters: at most {MAX_FILTERS}"
        )));
    }
    if value.len() > MAX_QUERY_BYTES {
        return Err(ServeError::BadRequest(format!(
            "{key:?} is longer than {MAX_QUERY_BYTES} bytes"
        )));
    }
    list.push(value.to_string());
    Ok(())
}

/// A whole number in `min..=max`.
pub fn number(key: &str, value: &str, min: usize, max: usize) -> Result<usize, ServeError> {
    match value.parse::<usize>() {
        Ok(n) if (min..=max).contains(&n) => Ok(n),
        _ => Err(ServeError::BadRequest(format!(
            "{key} must be a whole number from {min} to {max}, not {value:?}"
        ))),
    }
}

fn flag(key: &str, value: &str) -> Result<bool, ServeError> {
    match value.to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" => Ok(false),
        _ => Err(ServeError::BadRequest(format!(
            "{key} must be true or false, not {value:?}"
        ))),
    }
}

fn day(key: &str, value: &str) -> Result<OffsetDateTime, ServeError> {
    parse_date(value).ok_or_else(|| {
        ServeError::BadRequest(format!("{key} must be a date, YYYY-MM-DD, not {value:?}"))
    })
}

fn sort(value: &str) -> Result<SortBy, ServeError> {
    match value {
        "score" => Ok(SortBy::Score),
        "date" => Ok(SortBy::Date),
        _ => Err(ServeError::BadRequest(format!(
            "sort must be score or date, not {value:?}"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(raw: &str) -> Result<SearchParams, ServeError> {
        SearchParams::parse(&pairs(Some(raw)))
    }

    fn message(raw: &str) -> String {
        match parse(raw) {
            Err(ServeError::BadRequest(message)) => message,
            other => panic!("{raw}: expected a bad request, got {other:?}"),
        }
    }

    #[test]
    fn reads_every_parameter_and_writes_the_same_url_back() {
        let raw = "q=custom+chips&company=Amazon&company=Nvidia&source=Wire&since=2025-01-01&until=2025-12-31&per_article=1&sort=date&limit=20&offset=40";
        let params = parse(raw).unwrap();
        assert_eq!(params.companies, vec!["Amazon", "Nvidia"]);
        assert_eq!((params.request.limit, params.request.offset), (20, 40));
        assert_eq!(parse(&params.query_string()).unwrap(), params);
        assert_eq!(params.query_string(), raw);
    }

    #[test]
    fn blank_form_fields_are_absent() {
        let params = parse("q=chips&since=&until=&source=&per_article=").unwrap();
        assert_eq!(params.url(), "/?q=chips");
    }

    #[test]
    fn limits_and_typos_are_clear_errors() {
        assert!(message("limit=101").contains("limit must be a whole number from 1 to 100"));
        assert!(message("limit=0").contains("limit"));
        assert!(message("offset=10001").contains("offset"));
        assert!(message("offset=-1").contains("offset"));
        assert!(message("since=yesterday").contains("YYYY-MM-DD"));
        assert!(message("sort=random").contains("sort must be score or date"));
        assert!(message("compnay=Amazon").contains("unknown parameter \"compnay\""));
        assert!(message(&format!("q={}", "a".repeat(1025))).contains("the limit is 1024"));
        let many = "company=A&".repeat(21);
        assert!(message(&many).contains("at most 20"));
    }

    #[test]
    fn filters_are_added_and_removed_on_the_first_page() {
        let params = parse("q=chips&company=Amazon&offset=20").unwrap();
        let added = params.with_company("Nvidia");
        assert_eq!(added.url(), "/?q=chips&company=Amazon&company=Nvidia");
        assert_eq!(
            added.without_company("Amazon").url(),
            "/?q=chips&company=Nvidia"
        );
        assert_eq!(params.at_offset(30).request.offset, 30);
    }
}
